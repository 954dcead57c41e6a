//! Guest-visible byte layouts of the PalmOS UI structures the Window, Font, Event and Form
//! Managers share with applications: `PointType`, `RectangleType`, `AbsRectType`,
//! `RGBColorType`, `WinLineType`, `DrawStateType`, `WindowType` and `EventType` (with the
//! layout of every `data` union member), the event type numbers, key modifier bits, the
//! numeric values of the small enums the Window Manager traps take; and the form structures
//! (`FormType`, `FormObjListType`, `ControlType`, `FieldType`, `ListType`, `FormLabelType`,
//! `FormTitleType`, `FormBitmapType`, the smaller form objects, `AlertTemplateType`), their
//! attribute bits and enums, the UI resource types and the key characters forms interpret.
//! Each layout is defined once here; the host managers
//! (`palm-shim/src/managers/{window,event_mgr,form}`) and guest code both use it.
//! `docs/ui-managers.md` and `docs/forms.md` draw them byte by byte.
//!
//! Conventions (68k PalmOS): every multi-byte field is big-endian; structures are 2-byte
//! aligned (a pointer after a `UInt16` sits at offset 2, not 4); `Coord` is `Int16`; enums
//! are as small as their values allow (the 68k compilers' short enums), so `WinDrawOperation`,
//! `PatternType`, `UnderlineModeType` and `FontID` take 1 byte in structures while
//! `eventsEnum` (values up to 0x7FFF) takes 2; C bit fields are allocated from the most
//! significant bit.
//!
//! Sources of the facts (public SDK headers, as mirrored in `jichu4n/palm-os-sdk`):
//! `Rect.h`, `Window.h` and `Bitmap.h` of SDK 3.5 (`WindowType`, `WindowFlagsType`,
//! `DrawStateType`, `RGBColorType`, the Window Manager enums); `Event.h` of SDK 5 R4 (the
//! `eventsEnum` numbers and the `EventType` data union), `SysEvent.h` of SDK 3.5 (the pen,
//! key and window event data, the key modifier masks, `evtWaitForever`); `Form.h`,
//! `Control.h`, `Field.h`, `List.h`, `ScrollBar.h` and `Chars.h` of SDK 3.5 (the form
//! structures and enums, key characters); PilRC's structure pictures (`pilrc.h`) for how
//! they appear in resources.

// ---- Points and rectangles (Rect.h) -----------------------------------------------------

/// `PointType`: `x`, `y` (`Coord` each). 4 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct PointType {
    pub x: i16,
    pub y: i16,
}

impl PointType {
    pub const X: u32 = 0;
    pub const Y: u32 = 2;
    pub const LEN: u32 = 4;

    pub const fn new(x: i16, y: i16) -> Self {
        Self { x, y }
    }
    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let (x, y) = (self.x.to_be_bytes(), self.y.to_be_bytes());
        [x[0], x[1], y[0], y[1]]
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self { x: i16::from_be_bytes([b[0], b[1]]), y: i16::from_be_bytes([b[2], b[3]]) }
    }
}

/// `RectangleType`: `topLeft` (`PointType`) then `extent` (`PointType`). 8 bytes.
///
/// | offset | field |
/// |---|---|
/// | 0 | `topLeft.x` |
/// | 2 | `topLeft.y` |
/// | 4 | `extent.x` (width) |
/// | 6 | `extent.y` (height) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RectangleType {
    pub x: i16,
    pub y: i16,
    pub width: i16,
    pub height: i16,
}

impl RectangleType {
    pub const TOP_LEFT_X: u32 = 0;
    pub const TOP_LEFT_Y: u32 = 2;
    pub const EXTENT_X: u32 = 4;
    pub const EXTENT_Y: u32 = 6;
    pub const LEN: u32 = 8;

    pub const fn new(x: i16, y: i16, width: i16, height: i16) -> Self {
        Self { x, y, width, height }
    }
    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        b[0..2].copy_from_slice(&self.x.to_be_bytes());
        b[2..4].copy_from_slice(&self.y.to_be_bytes());
        b[4..6].copy_from_slice(&self.width.to_be_bytes());
        b[6..8].copy_from_slice(&self.height.to_be_bytes());
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        let w = |i: usize| i16::from_be_bytes([b[i], b[i + 1]]);
        Self { x: w(0), y: w(2), width: w(4), height: w(6) }
    }
}

/// `AbsRectType`: `left`, `top`, `right`, `bottom` (`Coord` each). 8 bytes. As a window's
/// `clippingBounds`, the edges are inclusive display (surface) coordinates: a clip covering
/// the whole 160x160 screen is `0, 0, 159, 159`, and `right < left` means nothing is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct AbsRectType {
    pub left: i16,
    pub top: i16,
    pub right: i16,
    pub bottom: i16,
}

impl AbsRectType {
    pub const LEFT: u32 = 0;
    pub const TOP: u32 = 2;
    pub const RIGHT: u32 = 4;
    pub const BOTTOM: u32 = 6;
    pub const LEN: u32 = 8;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        RectangleType { x: self.left, y: self.top, width: self.right, height: self.bottom }.encode()
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        let r = RectangleType::decode(b);
        Self { left: r.x, top: r.y, right: r.width, bottom: r.height }
    }
}

/// `WinLineType` (`WinPaintLines`): `x1`, `y1`, `x2`, `y2` (`Coord` each). 8 bytes.
pub const WIN_LINE_TYPE_LEN: u32 = 8;

/// `RGBColorType` (Bitmap.h): `index` u8 @0, `r` @1, `g` @2, `b` @3. 4 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RgbColorType {
    pub index: u8,
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl RgbColorType {
    pub const LEN: u32 = 4;
    pub fn encode(&self) -> [u8; 4] {
        [self.index, self.r, self.g, self.b]
    }
    pub fn decode(b: &[u8; 4]) -> Self {
        Self { index: b[0], r: b[1], g: b[2], b: b[3] }
    }
}

/// `CustomPatternType`: 8 rows of an 8x8 1-bit pattern, bit 7 leftmost.
pub const CUSTOM_PATTERN_LEN: u32 = 8;

// ---- Draw state (Window.h) --------------------------------------------------------------

/// `DrawStateType`: the Window Manager's current drawing state. 20 bytes. Every window's
/// `drawStateP` points at the one current state (PalmOS 3.5 keeps a single state plus a
/// stack, not one per window).
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 1 | `transferMode` (`WinDrawOperation`) |
/// | 1 | 1 | `pattern` (`PatternType`) |
/// | 2 | 1 | `underlineMode` (`UnderlineModeType`) |
/// | 3 | 1 | `fontId` (`FontID`) |
/// | 4 | 4 | `font` (`FontPtr`; NULL here: fonts live on the host) |
/// | 8 | 8 | `patternData` (`CustomPatternType`) |
/// | 16 | 1 | `foreColor` (`IndexedColorType`) |
/// | 17 | 1 | `backColor` |
/// | 18 | 1 | `textColor` |
/// | 19 | 1 | `reserved` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct DrawStateType {
    pub transfer_mode: u8,
    pub pattern: u8,
    pub underline_mode: u8,
    pub font_id: u8,
    pub font_p: u32,
    pub pattern_data: [u8; 8],
    pub fore_color: u8,
    pub back_color: u8,
    pub text_color: u8,
}

impl DrawStateType {
    pub const TRANSFER_MODE: u32 = 0;
    pub const PATTERN: u32 = 1;
    pub const UNDERLINE_MODE: u32 = 2;
    pub const FONT_ID: u32 = 3;
    pub const FONT: u32 = 4;
    pub const PATTERN_DATA: u32 = 8;
    pub const FORE_COLOR: u32 = 16;
    pub const BACK_COLOR: u32 = 17;
    pub const TEXT_COLOR: u32 = 18;
    pub const LEN: u32 = 20;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        b[0] = self.transfer_mode;
        b[1] = self.pattern;
        b[2] = self.underline_mode;
        b[3] = self.font_id;
        b[4..8].copy_from_slice(&self.font_p.to_be_bytes());
        b[8..16].copy_from_slice(&self.pattern_data);
        b[16] = self.fore_color;
        b[17] = self.back_color;
        b[18] = self.text_color;
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        let mut pattern_data = [0u8; 8];
        pattern_data.copy_from_slice(&b[8..16]);
        Self {
            transfer_mode: b[0],
            pattern: b[1],
            underline_mode: b[2],
            font_id: b[3],
            font_p: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            pattern_data,
            fore_color: b[16],
            back_color: b[17],
            text_color: b[18],
        }
    }
}

/// `DrawStateStackSize` of SDK 3.5 ("enough for a control in a field in a window").
pub const DRAW_STATE_STACK_SIZE: usize = 5;

// ---- Windows (Window.h) ------------------------------------------------------------------

/// `WindowType`: 40 bytes. A `WinHandle` is the address of one (forms embed it at their
/// start).
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | `displayWidthV20` (`Coord`) |
/// | 2 | 2 | `displayHeightV20` |
/// | 4 | 4 | `displayAddrV20` (the framebuffer) |
/// | 8 | 2 | `windowFlags` (`WindowFlagsType`, bits below) |
/// | 10 | 8 | `windowBounds` (`RectangleType`; display coordinates for on-screen windows, origin 0,0 for off-screen ones) |
/// | 18 | 8 | `clippingBounds` (`AbsRectType`, inclusive, in the coordinates of the window's bitmap) |
/// | 26 | 4 | `bitmapP` (`BitmapType *`: the screen bitmap for on-screen windows) |
/// | 30 | 2 | `frameType` (`FrameBitsType` word) |
/// | 32 | 4 | `drawStateP` (`DrawStateType *`) |
/// | 36 | 4 | `nextWindow` (`WindowType *`, the window list) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct WindowType {
    pub display_width_v20: i16,
    pub display_height_v20: i16,
    pub display_addr_v20: u32,
    pub flags: u16,
    pub bounds: RectangleType,
    pub clip: AbsRectType,
    pub bitmap_p: u32,
    pub frame_type: u16,
    pub draw_state_p: u32,
    pub next_window: u32,
}

impl WindowType {
    pub const DISPLAY_WIDTH_V20: u32 = 0;
    pub const DISPLAY_HEIGHT_V20: u32 = 2;
    pub const DISPLAY_ADDR_V20: u32 = 4;
    pub const WINDOW_FLAGS: u32 = 8;
    pub const WINDOW_BOUNDS: u32 = 10;
    pub const CLIPPING_BOUNDS: u32 = 18;
    pub const BITMAP_P: u32 = 26;
    pub const FRAME_TYPE: u32 = 30;
    pub const DRAW_STATE_P: u32 = 32;
    pub const NEXT_WINDOW: u32 = 36;
    pub const LEN: u32 = 40;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        b[0..2].copy_from_slice(&self.display_width_v20.to_be_bytes());
        b[2..4].copy_from_slice(&self.display_height_v20.to_be_bytes());
        b[4..8].copy_from_slice(&self.display_addr_v20.to_be_bytes());
        b[8..10].copy_from_slice(&self.flags.to_be_bytes());
        b[10..18].copy_from_slice(&self.bounds.encode());
        b[18..26].copy_from_slice(&self.clip.encode());
        b[26..30].copy_from_slice(&self.bitmap_p.to_be_bytes());
        b[30..32].copy_from_slice(&self.frame_type.to_be_bytes());
        b[32..36].copy_from_slice(&self.draw_state_p.to_be_bytes());
        b[36..40].copy_from_slice(&self.next_window.to_be_bytes());
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        let u16_at = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
        let u32_at = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut r = [0u8; 8];
        r.copy_from_slice(&b[10..18]);
        let bounds = RectangleType::decode(&r);
        r.copy_from_slice(&b[18..26]);
        let clip = AbsRectType::decode(&r);
        Self {
            display_width_v20: u16_at(0) as i16,
            display_height_v20: u16_at(2) as i16,
            display_addr_v20: u32_at(4),
            flags: u16_at(8),
            bounds,
            clip,
            bitmap_p: u32_at(26),
            frame_type: u16_at(30),
            draw_state_p: u32_at(32),
            next_window: u32_at(36),
        }
    }
    pub fn has_flag(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

/// `WindowFlagsType.format`: 0 = screen format, 1 = generic format.
pub const WIN_FLAG_FORMAT: u16 = 0x8000;
/// `WindowFlagsType.offscreen`.
pub const WIN_FLAG_OFFSCREEN: u16 = 0x4000;
/// `WindowFlagsType.modal`.
pub const WIN_FLAG_MODAL: u16 = 0x2000;
/// `WindowFlagsType.focusable`.
pub const WIN_FLAG_FOCUSABLE: u16 = 0x1000;
/// `WindowFlagsType.enabled`.
pub const WIN_FLAG_ENABLED: u16 = 0x0800;
/// `WindowFlagsType.visible`.
pub const WIN_FLAG_VISIBLE: u16 = 0x0400;
/// `WindowFlagsType.dialog`.
pub const WIN_FLAG_DIALOG: u16 = 0x0200;
/// `WindowFlagsType.freeBitmap`: deleting the window frees its bitmap.
pub const WIN_FLAG_FREE_BITMAP: u16 = 0x0100;

/// `WindowFormatType` (`WinCreateOffscreenWindow`): `screenFormat`.
pub const SCREEN_FORMAT: u8 = 0;
/// `genericFormat`.
pub const GENERIC_FORMAT: u8 = 1;

/// `WinDirectionType` (`WinScrollRectangle`): `winUp`, `winDown`, `winLeft`, `winRight`.
pub const WIN_UP: u8 = 0;
pub const WIN_DOWN: u8 = 1;
pub const WIN_LEFT: u8 = 2;
pub const WIN_RIGHT: u8 = 3;

/// `WinLockInitType` (`WinScreenLock`): `winLockCopy`, `winLockErase`, `winLockDontCare`.
pub const WIN_LOCK_COPY: u8 = 0;
pub const WIN_LOCK_ERASE: u8 = 1;
pub const WIN_LOCK_DONT_CARE: u8 = 2;

/// `WinScreenModeOperation` (`WinScreenMode`).
pub const WIN_SCREEN_MODE_GET_DEFAULTS: u8 = 0;
pub const WIN_SCREEN_MODE_GET: u8 = 1;
pub const WIN_SCREEN_MODE_SET_TO_DEFAULTS: u8 = 2;
pub const WIN_SCREEN_MODE_SET: u8 = 3;
pub const WIN_SCREEN_MODE_GET_SUPPORTED_DEPTHS: u8 = 4;
pub const WIN_SCREEN_MODE_GET_SUPPORTS_COLOR: u8 = 5;

/// `PatternType`: `blackPattern`, `whitePattern`, `grayPattern`, `customPattern`.
pub const BLACK_PATTERN: u8 = 0;
pub const WHITE_PATTERN: u8 = 1;
pub const GRAY_PATTERN: u8 = 2;
pub const CUSTOM_PATTERN: u8 = 3;

/// `UnderlineModeType`: `noUnderline`, `grayUnderline`, `solidUnderline`, `colorUnderline`.
pub const NO_UNDERLINE: u8 = 0;
pub const GRAY_UNDERLINE: u8 = 1;
pub const SOLID_UNDERLINE: u8 = 2;
pub const COLOR_UNDERLINE: u8 = 3;

/// `FontID` values (Font.h): `stdFont` .. `largeBoldFont`; application fonts start at
/// `fntAppFontCustomBase`.
pub const STD_FONT: u8 = 0;
pub const BOLD_FONT: u8 = 1;
pub const LARGE_FONT: u8 = 2;
pub const SYMBOL_FONT: u8 = 3;
pub const SYMBOL_11_FONT: u8 = 4;
pub const SYMBOL_7_FONT: u8 = 5;
pub const LED_FONT: u8 = 6;
pub const LARGE_BOLD_FONT: u8 = 7;
pub const FNT_APP_FONT_CUSTOM_BASE: u8 = 0x80;
/// `fntTabChrWidth`: tab stops in fields (and `FntLineWidth`) are this many pixels apart.
pub const FNT_TAB_CHR_WIDTH: i32 = 20;

// ---- Events (Event.h, SysEvent.h) ---------------------------------------------------------

/// `EventType`: 24 bytes.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | `eType` (`eventsEnum`) |
/// | 2 | 1 | `penDown` (`Boolean`) |
/// | 3 | 1 | `tapCount` |
/// | 4 | 2 | `screenX` (window-relative pen position) |
/// | 6 | 2 | `screenY` |
/// | 8 | 16 | `data` (a union; member layouts in the modules below, as offsets from the start of the event) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct EventType {
    pub e_type: u16,
    pub pen_down: bool,
    pub tap_count: u8,
    pub screen_x: i16,
    pub screen_y: i16,
    pub data: [u8; EventType::DATA_LEN as usize],
}

impl EventType {
    pub const E_TYPE: u32 = 0;
    pub const PEN_DOWN: u32 = 2;
    pub const TAP_COUNT: u32 = 3;
    pub const SCREEN_X: u32 = 4;
    pub const SCREEN_Y: u32 = 6;
    pub const DATA: u32 = 8;
    pub const DATA_LEN: u32 = 16;
    pub const LEN: u32 = 24;

    /// An event of type `e_type` with everything else zero.
    pub const fn new(e_type: u16) -> Self {
        Self { e_type, pen_down: false, tap_count: 0, screen_x: 0, screen_y: 0, data: [0; 16] }
    }
    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        b[0..2].copy_from_slice(&self.e_type.to_be_bytes());
        b[2] = self.pen_down as u8;
        b[3] = self.tap_count;
        b[4..6].copy_from_slice(&self.screen_x.to_be_bytes());
        b[6..8].copy_from_slice(&self.screen_y.to_be_bytes());
        b[8..24].copy_from_slice(&self.data);
        b
    }
    /// Any byte other than 0 in `penDown` reads as true.
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        let mut data = [0u8; 16];
        data.copy_from_slice(&b[8..24]);
        Self {
            e_type: u16::from_be_bytes([b[0], b[1]]),
            pen_down: b[2] != 0,
            tap_count: b[3],
            screen_x: i16::from_be_bytes([b[4], b[5]]),
            screen_y: i16::from_be_bytes([b[6], b[7]]),
            data,
        }
    }

    fn data_index(offset: u32, len: u32) -> Option<usize> {
        (offset >= Self::DATA && offset + len <= Self::LEN).then(|| (offset - Self::DATA) as usize)
    }
    /// The byte at `offset` (an offset from the start of the event, inside `data`; 0
    /// outside it).
    pub fn u8_at(&self, offset: u32) -> u8 {
        Self::data_index(offset, 1).map_or(0, |i| self.data[i])
    }
    /// The big-endian `UInt16` at `offset` (0 outside `data`).
    pub fn u16_at(&self, offset: u32) -> u16 {
        Self::data_index(offset, 2).map_or(0, |i| u16::from_be_bytes([self.data[i], self.data[i + 1]]))
    }
    /// The big-endian `UInt32` at `offset` (0 outside `data`).
    pub fn u32_at(&self, offset: u32) -> u32 {
        Self::data_index(offset, 4)
            .map_or(0, |i| u32::from_be_bytes([self.data[i], self.data[i + 1], self.data[i + 2], self.data[i + 3]]))
    }
    /// Sets the byte at `offset` (ignored outside `data`).
    pub fn set_u8(&mut self, offset: u32, v: u8) {
        if let Some(i) = Self::data_index(offset, 1) {
            self.data[i] = v;
        }
    }
    /// Sets the big-endian `UInt16` at `offset` (ignored outside `data`).
    pub fn set_u16(&mut self, offset: u32, v: u16) {
        if let Some(i) = Self::data_index(offset, 2) {
            self.data[i..i + 2].copy_from_slice(&v.to_be_bytes());
        }
    }
    /// Sets the big-endian `UInt32` at `offset` (ignored outside `data`).
    pub fn set_u32(&mut self, offset: u32, v: u32) {
        if let Some(i) = Self::data_index(offset, 4) {
            self.data[i..i + 4].copy_from_slice(&v.to_be_bytes());
        }
    }
}

/// `evtWaitForever`: the `EvtGetEvent` timeout that waits until an event arrives.
pub const EVT_WAIT_FOREVER: i32 = -1;
/// `evtNoWait`.
pub const EVT_NO_WAIT: i32 = 0;

macro_rules! event_types {
    ($($konst:ident = $value:literal, $name:literal;)*) => {
        $(#[doc = concat!("`", $name, "`")] pub const $konst: u16 = $value;)*
        /// (number, SDK name) of every event type above.
        pub const EVENT_NAMES: &[(u16, &str)] = &[$(($value, $name)),*];
    };
}

event_types! {
    NIL_EVENT = 0, "nilEvent";
    PEN_DOWN_EVENT = 1, "penDownEvent";
    PEN_UP_EVENT = 2, "penUpEvent";
    PEN_MOVE_EVENT = 3, "penMoveEvent";
    KEY_DOWN_EVENT = 4, "keyDownEvent";
    WIN_ENTER_EVENT = 5, "winEnterEvent";
    WIN_EXIT_EVENT = 6, "winExitEvent";
    CTL_ENTER_EVENT = 7, "ctlEnterEvent";
    CTL_EXIT_EVENT = 8, "ctlExitEvent";
    CTL_SELECT_EVENT = 9, "ctlSelectEvent";
    CTL_REPEAT_EVENT = 10, "ctlRepeatEvent";
    LST_ENTER_EVENT = 11, "lstEnterEvent";
    LST_SELECT_EVENT = 12, "lstSelectEvent";
    LST_EXIT_EVENT = 13, "lstExitEvent";
    POP_SELECT_EVENT = 14, "popSelectEvent";
    FLD_ENTER_EVENT = 15, "fldEnterEvent";
    FLD_HEIGHT_CHANGED_EVENT = 16, "fldHeightChangedEvent";
    FLD_CHANGED_EVENT = 17, "fldChangedEvent";
    TBL_ENTER_EVENT = 18, "tblEnterEvent";
    TBL_SELECT_EVENT = 19, "tblSelectEvent";
    DAY_SELECT_EVENT = 20, "daySelectEvent";
    MENU_EVENT = 21, "menuEvent";
    APP_STOP_EVENT = 22, "appStopEvent";
    FRM_LOAD_EVENT = 23, "frmLoadEvent";
    FRM_OPEN_EVENT = 24, "frmOpenEvent";
    FRM_GOTO_EVENT = 25, "frmGotoEvent";
    FRM_UPDATE_EVENT = 26, "frmUpdateEvent";
    FRM_SAVE_EVENT = 27, "frmSaveEvent";
    FRM_CLOSE_EVENT = 28, "frmCloseEvent";
    FRM_TITLE_ENTER_EVENT = 29, "frmTitleEnterEvent";
    FRM_TITLE_SELECT_EVENT = 30, "frmTitleSelectEvent";
    TBL_EXIT_EVENT = 31, "tblExitEvent";
    SCL_ENTER_EVENT = 32, "sclEnterEvent";
    SCL_EXIT_EVENT = 33, "sclExitEvent";
    SCL_REPEAT_EVENT = 34, "sclRepeatEvent";
    TSM_CONFIRM_EVENT = 35, "tsmConfirmEvent";
    TSM_FEP_BUTTON_EVENT = 36, "tsmFepButtonEvent";
    TSM_FEP_MODE_EVENT = 37, "tsmFepModeEvent";
    ATTN_INDICATOR_ENTER_EVENT = 38, "attnIndicatorEnterEvent";
    ATTN_INDICATOR_SELECT_EVENT = 39, "attnIndicatorSelectEvent";
    MENU_CMD_BAR_OPEN_EVENT = 0x0800, "menuCmdBarOpenEvent";
    MENU_OPEN_EVENT = 0x0801, "menuOpenEvent";
    MENU_CLOSE_EVENT = 0x0802, "menuCloseEvent";
    FRM_GADGET_ENTER_EVENT = 0x0803, "frmGadgetEnterEvent";
    FRM_GADGET_MISC_EVENT = 0x0804, "frmGadgetMiscEvent";
    FIRST_INET_LIB_EVENT = 0x1000, "firstINetLibEvent";
    FIRST_WEB_LIB_EVENT = 0x1100, "firstWebLibEvent";
    TEL_ASYNC_REPLY_EVENT = 0x1200, "telAsyncReplyEvent";
    KEY_UP_EVENT = 0x4000, "keyUpEvent";
    KEY_HOLD_EVENT = 0x4001, "keyHoldEvent";
    FRM_OBJECT_FOCUS_TAKE_EVENT = 0x4002, "frmObjectFocusTakeEvent";
    FRM_OBJECT_FOCUS_LOST_EVENT = 0x4003, "frmObjectFocusLostEvent";
    WIN_DISPLAY_CHANGED_EVENT = 0x4101, "winDisplayChangedEvent";
    FIRST_LICENSEE_EVENT = 0x5000, "firstLicenseeEvent";
    LAST_LICENSEE_EVENT = 0x5FFF, "lastLicenseeEvent";
    FIRST_USER_EVENT = 0x6000, "firstUserEvent";
    LAST_USER_EVENT = 0x7FFF, "lastUserEvent";
}

/// The SDK name of an event type number listed above.
pub fn event_name(e_type: u16) -> Option<&'static str> {
    EVENT_NAMES.iter().find(|(v, _)| *v == e_type).map(|(_, n)| *n)
}

// keyDownEvent modifiers (SysEvent.h).
pub const SHIFT_KEY_MASK: u16 = 0x0001;
pub const CAPS_LOCK_MASK: u16 = 0x0002;
pub const NUM_LOCK_MASK: u16 = 0x0004;
pub const COMMAND_KEY_MASK: u16 = 0x0008;
pub const OPTION_KEY_MASK: u16 = 0x0010;
pub const CONTROL_KEY_MASK: u16 = 0x0020;
pub const AUTO_REPEAT_KEY_MASK: u16 = 0x0040;
pub const DOUBLE_TAP_KEY_MASK: u16 = 0x0080;
pub const POWERED_ON_KEY_MASK: u16 = 0x0100;
pub const APP_EVT_HOOK_KEY_MASK: u16 = 0x0200;
pub const LIB_EVT_HOOK_KEY_MASK: u16 = 0x0400;
/// `virtualKeyMask`: a key event with any of these bits is a virtual character.
pub const VIRTUAL_KEY_MASK: u16 = APP_EVT_HOOK_KEY_MASK | LIB_EVT_HOOK_KEY_MASK | COMMAND_KEY_MASK;

/// Layouts of the `data` union members. Every constant is an offset from the start of the
/// `EventType` (so `data` begins at 8). Pointers are 4 bytes, 2-byte aligned.
pub mod event_data {
    /// `penUp` (`_PenUpEventType`): stroke start and end points, display coordinates.
    pub mod pen_up {
        pub const START_X: u32 = 8;
        pub const START_Y: u32 = 10;
        pub const END_X: u32 = 12;
        pub const END_Y: u32 = 14;
    }
    /// `keyDown` (`_KeyDownEventType`); also `keyUp` and `keyHold` in SDK 5.
    pub mod key_down {
        /// `WChar chr`.
        pub const CHR: u32 = 8;
        pub const KEY_CODE: u32 = 10;
        pub const MODIFIERS: u32 = 12;
    }
    /// `winEnter` / `winExit` (`_WinEnterEventType`, `_WinExitEventType`: same layout).
    pub mod win_enter {
        pub const ENTER_WINDOW: u32 = 8;
        pub const EXIT_WINDOW: u32 = 12;
    }
    /// `tsmConfirm`.
    pub mod tsm_confirm {
        pub const YOMI_TEXT: u32 = 8;
        pub const FORM_ID: u32 = 12;
    }
    /// `tsmFepButton`.
    pub mod tsm_fep_button {
        pub const BUTTON_ID: u32 = 8;
    }
    /// `tsmFepMode`.
    pub mod tsm_fep_mode {
        pub const MODE: u32 = 8;
    }
    /// `ctlEnter`, `ctlExit`.
    pub mod ctl_enter {
        pub const CONTROL_ID: u32 = 8;
        pub const P_CONTROL: u32 = 10;
    }
    /// `ctlSelect`.
    pub mod ctl_select {
        pub const CONTROL_ID: u32 = 8;
        pub const P_CONTROL: u32 = 10;
        pub const ON: u32 = 14;
        pub const RESERVED1: u32 = 15;
        /// Slider controls only.
        pub const VALUE: u32 = 16;
    }
    /// `ctlRepeat`.
    pub mod ctl_repeat {
        pub const CONTROL_ID: u32 = 8;
        pub const P_CONTROL: u32 = 10;
        pub const TIME: u32 = 14;
        pub const VALUE: u32 = 18;
    }
    /// `fldEnter`, `fldChanged`, `fldExit`.
    pub mod fld_enter {
        pub const FIELD_ID: u32 = 8;
        pub const P_FIELD: u32 = 10;
    }
    /// `fldHeightChanged`.
    pub mod fld_height_changed {
        pub const FIELD_ID: u32 = 8;
        pub const P_FIELD: u32 = 10;
        pub const NEW_HEIGHT: u32 = 14;
        pub const CURRENT_POS: u32 = 16;
    }
    /// `lstEnter`, `lstSelect` (`lstExit` has only the first two fields).
    pub mod lst_select {
        pub const LIST_ID: u32 = 8;
        pub const P_LIST: u32 = 10;
        pub const SELECTION: u32 = 14;
    }
    /// `tblEnter`, `tblSelect`, `tblExit`.
    pub mod tbl_select {
        pub const TABLE_ID: u32 = 8;
        pub const P_TABLE: u32 = 10;
        pub const ROW: u32 = 14;
        pub const COLUMN: u32 = 16;
    }
    /// `frmLoad`, `frmOpen`, `frmClose`, `frmTitleEnter`, `frmTitleSelect`,
    /// `attnIndicatorEnter`, `attnIndicatorSelect`; the first field of `frmUpdate`,
    /// `frmGoto` and `frmObjectFocusTake/Lost`.
    pub mod frm_load {
        pub const FORM_ID: u32 = 8;
    }
    /// `frmUpdate`.
    pub mod frm_update {
        pub const FORM_ID: u32 = 8;
        pub const UPDATE_CODE: u32 = 10;
    }
    /// `frmGoto`.
    pub mod frm_goto {
        pub const FORM_ID: u32 = 8;
        pub const RECORD_NUM: u32 = 10;
        pub const MATCH_POS: u32 = 12;
        pub const MATCH_LEN: u32 = 14;
        pub const MATCH_FIELD_NUM: u32 = 16;
        pub const MATCH_CUSTOM: u32 = 18;
    }
    /// `frmObjectFocusTake`, `frmObjectFocusLost`.
    pub mod frm_object_focus {
        pub const FORM_ID: u32 = 8;
        pub const OBJECT_ID: u32 = 10;
        pub const DISPATCH_HINT: u32 = 12;
    }
    /// `daySelect`.
    pub mod day_select {
        pub const P_SELECTOR: u32 = 8;
        pub const SELECTION: u32 = 12;
        pub const USE_THIS_DATE: u32 = 14;
    }
    /// `menu`.
    pub mod menu {
        pub const ITEM_ID: u32 = 8;
    }
    /// `popSelect`.
    pub mod pop_select {
        pub const CONTROL_ID: u32 = 8;
        pub const CONTROL_P: u32 = 10;
        pub const LIST_ID: u32 = 14;
        pub const LIST_P: u32 = 16;
        pub const SELECTION: u32 = 20;
        pub const PRIOR_SELECTION: u32 = 22;
    }
    /// `sclEnter`, `sclExit`, `sclRepeat` (`sclEnter` has only the first two fields,
    /// `sclExit` the first four).
    pub mod scl_repeat {
        pub const SCROLL_BAR_ID: u32 = 8;
        pub const P_SCROLL_BAR: u32 = 10;
        pub const VALUE: u32 = 14;
        pub const NEW_VALUE: u32 = 16;
        pub const TIME: u32 = 18;
    }
    /// `menuCmdBarOpen`.
    pub mod menu_cmd_bar_open {
        pub const PREVENT_FIELD_BUTTONS: u32 = 8;
    }
    /// `menuOpen`.
    pub mod menu_open {
        pub const MENU_RSC_ID: u32 = 8;
        pub const CAUSE: u32 = 10;
    }
    /// `gadgetEnter`, `gadgetMisc` (`gadgetEnter` has only the first two fields).
    pub mod gadget_misc {
        pub const GADGET_ID: u32 = 8;
        pub const GADGET_P: u32 = 10;
        pub const SELECTOR: u32 = 14;
        pub const DATA_P: u32 = 16;
    }
    /// `winDisplayChanged`: the new display bounds (`RectangleType`).
    pub mod win_display_changed {
        pub const NEW_BOUNDS: u32 = 8;
    }
}

// Every union member must fit the 16 data bytes (its last field's end <= 24).
const _: () = {
    use event_data::*;
    assert!(pen_up::END_Y + 2 <= EventType::LEN);
    assert!(key_down::MODIFIERS + 2 <= EventType::LEN);
    assert!(win_enter::EXIT_WINDOW + 4 <= EventType::LEN);
    assert!(ctl_select::VALUE + 2 <= EventType::LEN);
    assert!(ctl_repeat::VALUE + 2 <= EventType::LEN);
    assert!(fld_height_changed::CURRENT_POS + 2 <= EventType::LEN);
    assert!(tbl_select::COLUMN + 2 <= EventType::LEN);
    assert!(frm_goto::MATCH_CUSTOM + 4 <= EventType::LEN);
    assert!(frm_object_focus::DISPATCH_HINT + 4 <= EventType::LEN);
    assert!(pop_select::PRIOR_SELECTION + 2 <= EventType::LEN);
    assert!(scl_repeat::TIME + 4 <= EventType::LEN);
    assert!(gadget_misc::DATA_P + 4 <= EventType::LEN);
    assert!(win_display_changed::NEW_BOUNDS + RectangleType::LEN <= EventType::LEN);
    assert!(EventType::DATA + EventType::DATA_LEN == EventType::LEN);
};

// ---- Forms, controls, fields, lists, labels, alerts (Form.h, Control.h, Field.h, List.h,
// ScrollBar.h of SDK 3.5; the resource formats as PilRC writes them) -----------------------
//
// The in-memory structures below are also the bodies of a `tFRM` resource: PilRC writes each
// structure with every pointer field zero, follows it (after padding to an even offset) with
// its text, and the Form Manager copies the resource into a dynamic-heap chunk and turns the
// offsets and the implied text positions into pointers. `docs/forms.md` draws the resource.

fn be16(b: &[u8], i: usize) -> u16 {
    u16::from_be_bytes([b[i], b[i + 1]])
}
fn be32(b: &[u8], i: usize) -> u32 {
    u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}
fn put16(b: &mut [u8], i: usize, v: u16) {
    b[i..i + 2].copy_from_slice(&v.to_be_bytes());
}
fn put32(b: &mut [u8], i: usize, v: u32) {
    b[i..i + 4].copy_from_slice(&v.to_be_bytes());
}
fn rect_at(b: &[u8], i: usize) -> RectangleType {
    RectangleType { x: be16(b, i) as i16, y: be16(b, i + 2) as i16, width: be16(b, i + 4) as i16, height: be16(b, i + 6) as i16 }
}
fn put_rect(b: &mut [u8], i: usize, r: &RectangleType) {
    b[i..i + 8].copy_from_slice(&r.encode());
}
fn point_at(b: &[u8], i: usize) -> PointType {
    PointType { x: be16(b, i) as i16, y: be16(b, i + 2) as i16 }
}
fn put_point(b: &mut [u8], i: usize, p: &PointType) {
    b[i..i + 4].copy_from_slice(&p.encode());
}

/// `FormObjectKind` (`enum formObjects`, one byte in `FormObjListType`).
pub const FRM_FIELD_OBJ: u8 = 0;
pub const FRM_CONTROL_OBJ: u8 = 1;
pub const FRM_LIST_OBJ: u8 = 2;
pub const FRM_TABLE_OBJ: u8 = 3;
pub const FRM_BITMAP_OBJ: u8 = 4;
pub const FRM_LINE_OBJ: u8 = 5;
pub const FRM_FRAME_OBJ: u8 = 6;
pub const FRM_RECTANGLE_OBJ: u8 = 7;
pub const FRM_LABEL_OBJ: u8 = 8;
pub const FRM_TITLE_OBJ: u8 = 9;
pub const FRM_POPUP_OBJ: u8 = 10;
pub const FRM_GRAFFITI_STATE_OBJ: u8 = 11;
pub const FRM_GADGET_OBJ: u8 = 12;
pub const FRM_SCROLL_BAR_OBJ: u8 = 13;

/// `noFocus`: `FormType.focus` when no field has the focus.
pub const NO_FOCUS: u16 = 0xFFFF;
/// `frmInvalidObjectId`: what `FrmGetObjectIndex` returns for an unknown ID.
pub const FRM_INVALID_OBJECT_ID: u16 = 0xFFFF;
/// `frmNoSelectedControl` (`FrmGetControlGroupSelection`).
pub const FRM_NO_SELECTED_CONTROL: u16 = 0xFF;
/// `frmRedrawUpdateCode`: the `frmUpdateEvent` code `FrmHandleEvent` answers by redrawing.
pub const FRM_REDRAW_UPDATE_CODE: u16 = 0x8000;

/// `FormAttrType` bits (32 bits; bit fields from the most significant bit).
pub const FORM_ATTR_USABLE: u32 = 0x8000_0000;
pub const FORM_ATTR_ENABLED: u32 = 0x4000_0000;
pub const FORM_ATTR_VISIBLE: u32 = 0x2000_0000;
pub const FORM_ATTR_DIRTY: u32 = 0x1000_0000;
pub const FORM_ATTR_SAVE_BEHIND: u32 = 0x0800_0000;
pub const FORM_ATTR_GRAFFITI_SHIFT: u32 = 0x0400_0000;
pub const FORM_ATTR_GLOBALS_AVAILABLE: u32 = 0x0200_0000;
pub const FORM_ATTR_DOING_DIALOG: u32 = 0x0100_0000;
pub const FORM_ATTR_EXIT_DIALOG: u32 = 0x0080_0000;

/// `FormObjAttrType.usable` (labels, form bitmaps, lines, frames, rectangles): bit 15 of
/// their 16-bit attribute word.
pub const FORM_OBJ_ATTR_USABLE: u16 = 0x8000;

/// `FormType`: 68 bytes. A `FormPtr` is its address; the form's window is its first member,
/// so the same address is its `WinHandle`.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 40 | `window` (`WindowType`) |
/// | 40 | 2 | `formId` |
/// | 42 | 4 | `attr` (`FormAttrType`, bits `FORM_ATTR_*`) |
/// | 46 | 4 | `bitsBehindForm` (`WinHandle` of the saved screen bits, or NULL) |
/// | 50 | 4 | `handler` (`FormEventHandlerType *`, 68k code) |
/// | 54 | 2 | `focus` (object index of the focused field, or `noFocus`) |
/// | 56 | 2 | `defaultButton` (control ID) |
/// | 58 | 2 | `helpRscId` (`tSTR`) |
/// | 60 | 2 | `menuRscId` (`MBAR`) |
/// | 62 | 2 | `numObjects` |
/// | 64 | 4 | `objects` (`FormObjListType *`; in a resource 0 = right after this structure) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FormType {
    pub window: WindowType,
    pub form_id: u16,
    pub attr: u32,
    pub bits_behind_form: u32,
    pub handler: u32,
    pub focus: u16,
    pub default_button: u16,
    pub help_rsc_id: u16,
    pub menu_rsc_id: u16,
    pub num_objects: u16,
    pub objects: u32,
}

impl FormType {
    pub const WINDOW: u32 = 0;
    pub const FORM_ID: u32 = 40;
    pub const ATTR: u32 = 42;
    pub const BITS_BEHIND_FORM: u32 = 46;
    pub const HANDLER: u32 = 50;
    pub const FOCUS: u32 = 54;
    pub const DEFAULT_BUTTON: u32 = 56;
    pub const HELP_RSC_ID: u32 = 58;
    pub const MENU_RSC_ID: u32 = 60;
    pub const NUM_OBJECTS: u32 = 62;
    pub const OBJECTS: u32 = 64;
    pub const LEN: u32 = 68;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        b[..40].copy_from_slice(&self.window.encode());
        put16(&mut b, 40, self.form_id);
        put32(&mut b, 42, self.attr);
        put32(&mut b, 46, self.bits_behind_form);
        put32(&mut b, 50, self.handler);
        put16(&mut b, 54, self.focus);
        put16(&mut b, 56, self.default_button);
        put16(&mut b, 58, self.help_rsc_id);
        put16(&mut b, 60, self.menu_rsc_id);
        put16(&mut b, 62, self.num_objects);
        put32(&mut b, 64, self.objects);
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        let mut w = [0u8; WindowType::LEN as usize];
        w.copy_from_slice(&b[..40]);
        Self {
            window: WindowType::decode(&w),
            form_id: be16(b, 40),
            attr: be32(b, 42),
            bits_behind_form: be32(b, 46),
            handler: be32(b, 50),
            focus: be16(b, 54),
            default_button: be16(b, 56),
            help_rsc_id: be16(b, 58),
            menu_rsc_id: be16(b, 60),
            num_objects: be16(b, 62),
            objects: be32(b, 64),
        }
    }
}

/// `FormObjListType`: 6 bytes, one per object. `objectType` (`FormObjectKind`, 1 byte),
/// `reserved` (1 byte), `object` (pointer; in a resource the offset of the object's body
/// from the start of the resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FormObjListType {
    pub object_type: u8,
    pub object: u32,
}

impl FormObjListType {
    pub const OBJECT_TYPE: u32 = 0;
    pub const OBJECT: u32 = 2;
    pub const LEN: u32 = 6;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        b[0] = self.object_type;
        put32(&mut b, 2, self.object);
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self { object_type: b[0], object: be32(b, 2) }
    }
}

/// `ControlStyleType`.
pub const BUTTON_CTL: u8 = 0;
pub const PUSH_BUTTON_CTL: u8 = 1;
pub const CHECKBOX_CTL: u8 = 2;
pub const POPUP_TRIGGER_CTL: u8 = 3;
pub const SELECTOR_TRIGGER_CTL: u8 = 4;
pub const REPEATING_BUTTON_CTL: u8 = 5;
pub const SLIDER_CTL: u8 = 6;
pub const FEEDBACK_SLIDER_CTL: u8 = 7;

/// `ButtonFrameType` (the 3-bit `frame` of `ControlAttrType`).
pub const NO_BUTTON_FRAME: u8 = 0;
pub const STANDARD_BUTTON_FRAME: u8 = 1;
pub const BOLD_BUTTON_FRAME: u8 = 2;
pub const RECTANGLE_BUTTON_FRAME: u8 = 3;

/// `ControlAttrType` bits, as one 16-bit word at `ControlType::ATTR` (two bytes of 8-bit
/// bit fields, most significant bit first).
pub const CTL_ATTR_USABLE: u16 = 0x8000;
pub const CTL_ATTR_ENABLED: u16 = 0x4000;
pub const CTL_ATTR_VISIBLE: u16 = 0x2000;
pub const CTL_ATTR_ON: u16 = 0x1000;
pub const CTL_ATTR_LEFT_ANCHOR: u16 = 0x0800;
/// The 3-bit `frame` (`ButtonFrameType`), bits 8..=10.
pub const CTL_ATTR_FRAME_MASK: u16 = 0x0700;
pub const CTL_ATTR_FRAME_SHIFT: u32 = 8;
pub const CTL_ATTR_DRAWN_AS_SELECTED: u16 = 0x0080;
pub const CTL_ATTR_GRAPHICAL: u16 = 0x0040;
pub const CTL_ATTR_VERTICAL: u16 = 0x0020;

/// `ControlType`: 20 bytes.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | `id` |
/// | 2 | 8 | `bounds` (form-window coordinates) |
/// | 10 | 4 | `text` (`Char *`; `GraphicControlType`: `bitmapID` u16 @10, `selectedBitmapID` u16 @12) |
/// | 14 | 2 | `attr` (`ControlAttrType`, bits `CTL_ATTR_*`) |
/// | 16 | 1 | `style` (`ControlStyleType`) |
/// | 17 | 1 | `font` (`FontID`) |
/// | 18 | 1 | `group` (push buttons and check boxes: 0 = none) |
/// | 19 | 1 | `reserved` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ControlType {
    pub id: u16,
    pub bounds: RectangleType,
    pub text: u32,
    pub attr: u16,
    pub style: u8,
    pub font: u8,
    pub group: u8,
}

impl ControlType {
    pub const ID: u32 = 0;
    pub const BOUNDS: u32 = 2;
    pub const TEXT: u32 = 10;
    /// `GraphicControlType.bitmapID` (overlays `text`).
    pub const BITMAP_ID: u32 = 10;
    /// `GraphicControlType.selectedBitmapID`.
    pub const SELECTED_BITMAP_ID: u32 = 12;
    pub const ATTR: u32 = 14;
    pub const STYLE: u32 = 16;
    pub const FONT: u32 = 17;
    pub const GROUP: u32 = 18;
    pub const LEN: u32 = 20;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        put16(&mut b, 0, self.id);
        put_rect(&mut b, 2, &self.bounds);
        put32(&mut b, 10, self.text);
        put16(&mut b, 14, self.attr);
        b[16] = self.style;
        b[17] = self.font;
        b[18] = self.group;
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self { id: be16(b, 0), bounds: rect_at(b, 2), text: be32(b, 10), attr: be16(b, 14), style: b[16], font: b[17], group: b[18] }
    }
    pub fn has_attr(&self, bit: u16) -> bool {
        self.attr & bit != 0
    }
    /// The `ButtonFrameType` in `attr`.
    pub fn frame(&self) -> u8 {
        ((self.attr & CTL_ATTR_FRAME_MASK) >> CTL_ATTR_FRAME_SHIFT) as u8
    }
}

/// `SliderControlType`: 30 bytes; `id`, `bounds`, `attr` and `style` as in `ControlType`.
pub mod slider_control {
    pub const THUMB_ID: u32 = 10;
    pub const BACKGROUND_ID: u32 = 12;
    pub const MIN_VALUE: u32 = 18;
    pub const MAX_VALUE: u32 = 20;
    pub const PAGE_SIZE: u32 = 22;
    pub const VALUE: u32 = 24;
    pub const ACTIVE_SLIDER_P: u32 = 26;
    pub const LEN: u32 = 30;
}

/// `FieldAttrType` bits (16 bits, most significant first).
pub const FLD_ATTR_USABLE: u16 = 0x8000;
pub const FLD_ATTR_VISIBLE: u16 = 0x4000;
pub const FLD_ATTR_EDITABLE: u16 = 0x2000;
pub const FLD_ATTR_SINGLE_LINE: u16 = 0x1000;
pub const FLD_ATTR_HAS_FOCUS: u16 = 0x0800;
pub const FLD_ATTR_DYNAMIC_SIZE: u16 = 0x0400;
pub const FLD_ATTR_INS_PT_VISIBLE: u16 = 0x0200;
pub const FLD_ATTR_DIRTY: u16 = 0x0100;
/// `underlined` (2 bits: `UnderlineModeType`), bits 6..=7.
pub const FLD_ATTR_UNDERLINED_MASK: u16 = 0x00C0;
pub const FLD_ATTR_UNDERLINED_SHIFT: u32 = 6;
/// `justification` (2 bits: `JustificationType`), bits 4..=5.
pub const FLD_ATTR_JUSTIFICATION_MASK: u16 = 0x0030;
pub const FLD_ATTR_JUSTIFICATION_SHIFT: u32 = 4;
pub const FLD_ATTR_AUTO_SHIFT: u16 = 0x0008;
pub const FLD_ATTR_HAS_SCROLL_BAR: u16 = 0x0004;
pub const FLD_ATTR_NUMERIC: u16 = 0x0002;

/// `JustificationType`.
pub const LEFT_ALIGN: u8 = 0;
pub const CENTER_ALIGN: u8 = 1;
pub const RIGHT_ALIGN: u8 = 2;
/// `maxFieldTextLen`.
pub const MAX_FIELD_TEXT_LEN: u16 = 0x7FFF;

/// `FieldType`: 40 bytes.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | `id` |
/// | 2 | 8 | `rect` |
/// | 10 | 2 | `attr` (`FieldAttrType`, bits `FLD_ATTR_*`) |
/// | 12 | 4 | `text` (`Char *`, the start of the text) |
/// | 16 | 4 | `textHandle` (`MemHandle` of the block holding the text, or NULL) |
/// | 20 | 4 | `lines` (`LineInfoPtr`) |
/// | 24 | 2 | `textLen` |
/// | 26 | 2 | `textBlockSize` (bytes available for the text, its NUL included) |
/// | 28 | 2 | `maxChars` |
/// | 30 | 2 | `selFirstPos` |
/// | 32 | 2 | `selLastPos` |
/// | 34 | 2 | `insPtXPos` |
/// | 36 | 2 | `insPtYPos` |
/// | 38 | 1 | `fontID` |
/// | 39 | 1 | `reserved` |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FieldType {
    pub id: u16,
    pub rect: RectangleType,
    pub attr: u16,
    pub text: u32,
    pub text_handle: u32,
    pub lines: u32,
    pub text_len: u16,
    pub text_block_size: u16,
    pub max_chars: u16,
    pub sel_first_pos: u16,
    pub sel_last_pos: u16,
    pub ins_pt_x_pos: u16,
    pub ins_pt_y_pos: u16,
    pub font_id: u8,
}

impl FieldType {
    pub const ID: u32 = 0;
    pub const RECT: u32 = 2;
    pub const ATTR: u32 = 10;
    pub const TEXT: u32 = 12;
    pub const TEXT_HANDLE: u32 = 16;
    pub const LINES: u32 = 20;
    pub const TEXT_LEN: u32 = 24;
    pub const TEXT_BLOCK_SIZE: u32 = 26;
    pub const MAX_CHARS: u32 = 28;
    pub const SEL_FIRST_POS: u32 = 30;
    pub const SEL_LAST_POS: u32 = 32;
    pub const INS_PT_X_POS: u32 = 34;
    pub const INS_PT_Y_POS: u32 = 36;
    pub const FONT_ID: u32 = 38;
    pub const LEN: u32 = 40;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        put16(&mut b, 0, self.id);
        put_rect(&mut b, 2, &self.rect);
        put16(&mut b, 10, self.attr);
        put32(&mut b, 12, self.text);
        put32(&mut b, 16, self.text_handle);
        put32(&mut b, 20, self.lines);
        put16(&mut b, 24, self.text_len);
        put16(&mut b, 26, self.text_block_size);
        put16(&mut b, 28, self.max_chars);
        put16(&mut b, 30, self.sel_first_pos);
        put16(&mut b, 32, self.sel_last_pos);
        put16(&mut b, 34, self.ins_pt_x_pos);
        put16(&mut b, 36, self.ins_pt_y_pos);
        b[38] = self.font_id;
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self {
            id: be16(b, 0),
            rect: rect_at(b, 2),
            attr: be16(b, 10),
            text: be32(b, 12),
            text_handle: be32(b, 16),
            lines: be32(b, 20),
            text_len: be16(b, 24),
            text_block_size: be16(b, 26),
            max_chars: be16(b, 28),
            sel_first_pos: be16(b, 30),
            sel_last_pos: be16(b, 32),
            ins_pt_x_pos: be16(b, 34),
            ins_pt_y_pos: be16(b, 36),
            font_id: b[38],
        }
    }
    pub fn has_attr(&self, bit: u16) -> bool {
        self.attr & bit != 0
    }
    /// `underlined` (`UnderlineModeType`).
    pub fn underlined(&self) -> u8 {
        ((self.attr & FLD_ATTR_UNDERLINED_MASK) >> FLD_ATTR_UNDERLINED_SHIFT) as u8
    }
    /// `justification` (`JustificationType`).
    pub fn justification(&self) -> u8 {
        ((self.attr & FLD_ATTR_JUSTIFICATION_MASK) >> FLD_ATTR_JUSTIFICATION_SHIFT) as u8
    }
}

/// `ListAttrType` bits (16 bits, most significant first).
pub const LST_ATTR_USABLE: u16 = 0x8000;
pub const LST_ATTR_ENABLED: u16 = 0x4000;
pub const LST_ATTR_VISIBLE: u16 = 0x2000;
pub const LST_ATTR_POPPED_UP: u16 = 0x1000;
pub const LST_ATTR_HAS_SCROLL_BAR: u16 = 0x0800;
pub const LST_ATTR_SEARCH: u16 = 0x0400;
/// `noListSelection`.
pub const NO_LIST_SELECTION: i16 = -1;

/// `ListType`: 32 bytes.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | `id` |
/// | 2 | 8 | `bounds` |
/// | 10 | 2 | `attr` (`ListAttrType`, bits `LST_ATTR_*`) |
/// | 12 | 4 | `itemsText` (`Char **`) |
/// | 16 | 2 | `numItems` |
/// | 18 | 2 | `currentItem` (the selection, `noListSelection` = -1) |
/// | 20 | 2 | `topItem` |
/// | 22 | 1 | `font` |
/// | 23 | 1 | `reserved` |
/// | 24 | 4 | `popupWin` |
/// | 28 | 4 | `drawItemsCallback` (`ListDrawDataFuncPtr`, 68k code, or NULL) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct ListType {
    pub id: u16,
    pub bounds: RectangleType,
    pub attr: u16,
    pub items_text: u32,
    pub num_items: i16,
    pub current_item: i16,
    pub top_item: i16,
    pub font: u8,
    pub popup_win: u32,
    pub draw_items_callback: u32,
}

impl ListType {
    pub const ID: u32 = 0;
    pub const BOUNDS: u32 = 2;
    pub const ATTR: u32 = 10;
    pub const ITEMS_TEXT: u32 = 12;
    pub const NUM_ITEMS: u32 = 16;
    pub const CURRENT_ITEM: u32 = 18;
    pub const TOP_ITEM: u32 = 20;
    pub const FONT: u32 = 22;
    pub const POPUP_WIN: u32 = 24;
    pub const DRAW_ITEMS_CALLBACK: u32 = 28;
    pub const LEN: u32 = 32;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        put16(&mut b, 0, self.id);
        put_rect(&mut b, 2, &self.bounds);
        put16(&mut b, 10, self.attr);
        put32(&mut b, 12, self.items_text);
        put16(&mut b, 16, self.num_items as u16);
        put16(&mut b, 18, self.current_item as u16);
        put16(&mut b, 20, self.top_item as u16);
        b[22] = self.font;
        put32(&mut b, 24, self.popup_win);
        put32(&mut b, 28, self.draw_items_callback);
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self {
            id: be16(b, 0),
            bounds: rect_at(b, 2),
            attr: be16(b, 10),
            items_text: be32(b, 12),
            num_items: be16(b, 16) as i16,
            current_item: be16(b, 18) as i16,
            top_item: be16(b, 20) as i16,
            font: b[22],
            popup_win: be32(b, 24),
            draw_items_callback: be32(b, 28),
        }
    }
    pub fn has_attr(&self, bit: u16) -> bool {
        self.attr & bit != 0
    }
}

/// `FormLabelType`: 14 bytes. `id` u16 @0, `pos` (`PointType`) @2, `attr` (`FormObjAttrType`)
/// @6, `fontID` u8 @8, `reserved` @9, `text` (`Char *`) @10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FormLabelType {
    pub id: u16,
    pub pos: PointType,
    pub attr: u16,
    pub font_id: u8,
    pub text: u32,
}

impl FormLabelType {
    pub const ID: u32 = 0;
    pub const POS: u32 = 2;
    pub const ATTR: u32 = 6;
    pub const FONT_ID: u32 = 8;
    pub const TEXT: u32 = 10;
    pub const LEN: u32 = 14;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        put16(&mut b, 0, self.id);
        put_point(&mut b, 2, &self.pos);
        put16(&mut b, 6, self.attr);
        b[8] = self.font_id;
        put32(&mut b, 10, self.text);
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self { id: be16(b, 0), pos: point_at(b, 2), attr: be16(b, 6), font_id: b[8], text: be32(b, 10) }
    }
}

/// `FormTitleType`: 12 bytes. `rect` @0, `text` (`Char *`) @8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FormTitleType {
    pub rect: RectangleType,
    pub text: u32,
}

impl FormTitleType {
    pub const RECT: u32 = 0;
    pub const TEXT: u32 = 8;
    pub const LEN: u32 = 12;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        put_rect(&mut b, 0, &self.rect);
        put32(&mut b, 8, self.text);
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self { rect: rect_at(b, 0), text: be32(b, 8) }
    }
}

/// `FormBitmapType`: 8 bytes. `attr` @0, `pos` @2, `rscID` (`Tbmp`) @6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FormBitmapType {
    pub attr: u16,
    pub pos: PointType,
    pub rsc_id: u16,
}

impl FormBitmapType {
    pub const ATTR: u32 = 0;
    pub const POS: u32 = 2;
    pub const RSC_ID: u32 = 6;
    pub const LEN: u32 = 8;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        put16(&mut b, 0, self.attr);
        put_point(&mut b, 2, &self.pos);
        put16(&mut b, 6, self.rsc_id);
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self { attr: be16(b, 0), pos: point_at(b, 2), rsc_id: be16(b, 6) }
    }
}

/// `FormLineType` (10 bytes: `attr` @0, `point1` @2, `point2` @6), `FormFrameType` (14
/// bytes: `id` @0, `attr` @2, `rect` @4, `frameType` @12), `FormRectangleType` (10 bytes:
/// `attr` @0, `rect` @2), `FormPopupType` (4 bytes: `controlID` @0, `listID` @2),
/// `FrmGraffitiStateType` (4 bytes: `pos` @0).
pub mod form_shapes {
    pub const LINE_ATTR: u32 = 0;
    pub const LINE_POINT1: u32 = 2;
    pub const LINE_POINT2: u32 = 6;
    pub const LINE_LEN: u32 = 10;
    pub const FRAME_ID: u32 = 0;
    pub const FRAME_ATTR: u32 = 2;
    pub const FRAME_RECT: u32 = 4;
    pub const FRAME_FRAME_TYPE: u32 = 12;
    pub const FRAME_LEN: u32 = 14;
    pub const RECTANGLE_ATTR: u32 = 0;
    pub const RECTANGLE_RECT: u32 = 2;
    pub const RECTANGLE_LEN: u32 = 10;
    pub const POPUP_CONTROL_ID: u32 = 0;
    pub const POPUP_LIST_ID: u32 = 2;
    pub const POPUP_LEN: u32 = 4;
    pub const GRAFFITI_STATE_POS: u32 = 0;
    pub const GRAFFITI_STATE_LEN: u32 = 4;
}

/// `FormGadgetAttrType` bits.
pub const GADGET_ATTR_USABLE: u16 = 0x8000;
pub const GADGET_ATTR_EXTENDED: u16 = 0x4000;
pub const GADGET_ATTR_VISIBLE: u16 = 0x2000;

/// `FormGadgetType`: 20 bytes. `id` @0, `attr` @2, `rect` @4, `data` @12, `handler` @16.
pub mod form_gadget {
    pub const ID: u32 = 0;
    pub const ATTR: u32 = 2;
    pub const RECT: u32 = 4;
    pub const DATA: u32 = 12;
    pub const HANDLER: u32 = 16;
    pub const LEN: u32 = 20;
}

/// `ScrollBarType`: 24 bytes. `bounds` @0, `id` @8, `attr` @10 (`usable` 0x8000, `visible`
/// 0x4000, `hilighted` 0x2000, `shown` 0x1000, `activeRegion` 0x0F00), `value` @12,
/// `minValue` @14, `maxValue` @16, `pageSize` @18, `penPosInCar` @20, `savePos` @22.
pub mod scroll_bar {
    pub const BOUNDS: u32 = 0;
    pub const ID: u32 = 8;
    pub const ATTR: u32 = 10;
    pub const VALUE: u32 = 12;
    pub const MIN_VALUE: u32 = 14;
    pub const MAX_VALUE: u32 = 16;
    pub const PAGE_SIZE: u32 = 18;
    pub const LEN: u32 = 24;
}

/// `TableType` header as PilRC writes it: `id` @0, `bounds` @2, then attributes, sizes and
/// pointers the Form Manager does not interpret (tables are not implemented).
pub mod table {
    pub const ID: u32 = 0;
    pub const BOUNDS: u32 = 2;
    /// The header up to and including its embedded `FieldType` (`currentField`).
    pub const MIN_LEN: u32 = 74;
}

/// `AlertType` (`alertTypes`).
pub const INFORMATION_ALERT: u16 = 0;
pub const CONFIRMATION_ALERT: u16 = 1;
pub const WARNING_ALERT: u16 = 2;
pub const ERROR_ALERT: u16 = 3;

/// `AlertTemplateType`: the 8-byte head of a `Talt` resource: `alertType` @0, `helpRscID`
/// @2, `numButtons` @4, `defaultButton` @6 (an index). In the resource it is followed by the
/// title, the message and `numButtons` button labels, each NUL-terminated, back to back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct AlertTemplateType {
    pub alert_type: u16,
    pub help_rsc_id: u16,
    pub num_buttons: u16,
    pub default_button: u16,
}

impl AlertTemplateType {
    pub const LEN: u32 = 8;
    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        put16(&mut b, 0, self.alert_type);
        put16(&mut b, 2, self.help_rsc_id);
        put16(&mut b, 4, self.num_buttons);
        put16(&mut b, 6, self.default_button);
        b
    }
    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self { alert_type: be16(b, 0), help_rsc_id: be16(b, 2), num_buttons: be16(b, 4), default_button: be16(b, 6) }
    }
}

/// Resource types of the UI (`DmResType`, four characters as a big-endian `UInt32`).
pub const FORM_RSC_TYPE: u32 = u32::from_be_bytes(*b"tFRM");
pub const ALERT_RSC_TYPE: u32 = u32::from_be_bytes(*b"Talt");
pub const STR_RSC_TYPE: u32 = u32::from_be_bytes(*b"tSTR");
pub const MENU_RSC_TYPE: u32 = u32::from_be_bytes(*b"MBAR");
pub const BITMAP_RSC_TYPE: u32 = u32::from_be_bytes(*b"Tbmp");

/// Key characters the Form Manager and fields interpret (Chars.h, SDK 3.5).
pub const CHR_BACKSPACE: u16 = 0x0008;
pub const CHR_HORIZONTAL_TABULATION: u16 = 0x0009;
pub const CHR_LINE_FEED: u16 = 0x000A;
pub const CHR_CARRIAGE_RETURN: u16 = 0x000D;
pub const CHR_LEFT_ARROW: u16 = 0x001C;
pub const CHR_RIGHT_ARROW: u16 = 0x001D;
pub const CHR_UP_ARROW: u16 = 0x001E;
pub const CHR_DOWN_ARROW: u16 = 0x001F;
pub const CHR_DELETE: u16 = 0x007F;
pub const VCHR_NEXT_FIELD: u16 = 0x0103;
pub const VCHR_MENU: u16 = 0x0105;
pub const VCHR_PREV_FIELD: u16 = 0x010C;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_round_trip_and_offsets() {
        let w = WindowType {
            display_width_v20: 160,
            display_height_v20: 160,
            display_addr_v20: 0x0040_0000,
            flags: WIN_FLAG_ENABLED | WIN_FLAG_VISIBLE,
            bounds: RectangleType::new(1, -2, 30, 40),
            clip: AbsRectType { left: 1, top: 0, right: 30, bottom: 37 },
            bitmap_p: 0x0012_3456,
            frame_type: 0x0401,
            draw_state_p: 0x0011_2233,
            next_window: 0x0044_5566,
        };
        let b = w.encode();
        assert_eq!(WindowType::decode(&b), w);
        assert_eq!(&b[WindowType::WINDOW_FLAGS as usize..][..2], &[0x0C, 0x00]);
        assert_eq!(&b[WindowType::WINDOW_BOUNDS as usize + 2..][..2], &[0xFF, 0xFE]);
        assert_eq!(&b[WindowType::BITMAP_P as usize..][..4], &[0x00, 0x12, 0x34, 0x56]);
        assert_eq!(&b[WindowType::NEXT_WINDOW as usize..][..4], &[0x00, 0x44, 0x55, 0x66]);
        assert_eq!(b.len(), 40);
    }

    #[test]
    fn event_round_trip_and_data_fields() {
        let mut e = EventType::new(KEY_DOWN_EVENT);
        e.pen_down = true;
        e.tap_count = 2;
        e.screen_x = -5;
        e.set_u16(event_data::key_down::CHR, 0x0041);
        e.set_u16(event_data::key_down::MODIFIERS, COMMAND_KEY_MASK);
        e.set_u32(event_data::frm_goto::MATCH_CUSTOM, 0xDEAD_BEEF);
        e.set_u16(2, 0xFFFF); // outside data: ignored
        let b = e.encode();
        assert_eq!(&b[..8], &[0, 4, 1, 2, 0xFF, 0xFB, 0, 0]);
        assert_eq!(&b[8..10], &[0, 0x41]);
        assert_eq!(&b[12..14], &[0, 8]);
        assert_eq!(&b[18..22], &[0xDE, 0xAD, 0xBE, 0xEF]);
        let d = EventType::decode(&b);
        assert_eq!(d, e);
        assert_eq!(d.u16_at(event_data::key_down::CHR), 0x41);
        assert_eq!(d.u32_at(22), 0, "runs past the end");
    }

    #[test]
    fn event_numbers_follow_the_sdk_enum() {
        assert_eq!(event_name(APP_STOP_EVENT), Some("appStopEvent"));
        assert_eq!(FRM_LOAD_EVENT, APP_STOP_EVENT + 1);
        assert_eq!(TSM_CONFIRM_EVENT, 35);
        for (i, a) in EVENT_NAMES.iter().enumerate() {
            assert!(EVENT_NAMES[i + 1..].iter().all(|b| b.0 != a.0), "{} is unique", a.1);
        }
    }

    #[test]
    fn form_structures_round_trip_at_their_offsets() {
        let form = FormType {
            window: WindowType { flags: WIN_FLAG_MODAL, bounds: RectangleType::new(2, 3, 4, 5), ..Default::default() },
            form_id: 1000,
            attr: FORM_ATTR_USABLE | FORM_ATTR_SAVE_BEHIND,
            bits_behind_form: 0x11,
            handler: 0x1000_0400,
            focus: NO_FOCUS,
            default_button: 7,
            help_rsc_id: 8,
            menu_rsc_id: 9,
            num_objects: 3,
            objects: 0x0010_0044,
        };
        let b = form.encode();
        assert_eq!(b.len(), 68);
        assert_eq!(&b[40..42], &[0x03, 0xE8]);
        assert_eq!(&b[42..46], &[0x88, 0, 0, 0]);
        assert_eq!(&b[50..54], &[0x10, 0, 0x04, 0]);
        assert_eq!(&b[62..68], &[0, 3, 0, 0x10, 0, 0x44]);
        assert_eq!(FormType::decode(&b), form);
        let entry = FormObjListType { object_type: FRM_LABEL_OBJ, object: 0x0102_0304 };
        assert_eq!(entry.encode(), [8, 0, 1, 2, 3, 4]);
        let c = ControlType { id: 1, bounds: RectangleType::new(1, 2, 3, 4), text: 0xAABB_CCDD, attr: CTL_ATTR_USABLE | CTL_ATTR_ON | 0x0100, style: PUSH_BUTTON_CTL, font: 1, group: 2 };
        let b = c.encode();
        assert_eq!(&b[10..20], &[0xAA, 0xBB, 0xCC, 0xDD, 0x91, 0x00, 1, 1, 2, 0]);
        assert_eq!((ControlType::decode(&b), c.frame()), (c, STANDARD_BUTTON_FRAME));
        let f = FieldType { id: 2, attr: FLD_ATTR_EDITABLE | 0x0040 | 0x0010, text: 5, text_handle: 6, text_len: 7, max_chars: 80, font_id: 2, ..Default::default() };
        let b = f.encode();
        assert_eq!(b.len(), 40);
        assert_eq!((&b[12..20], &b[24..26], &b[28..30], b[38]), (&[0, 0, 0, 5, 0, 0, 0, 6][..], &[0, 7][..], &[0, 80][..], 2));
        assert_eq!((FieldType::decode(&b), f.underlined(), f.justification()), (f, GRAY_UNDERLINE, CENTER_ALIGN));
        let l = ListType { id: 3, num_items: 4, current_item: NO_LIST_SELECTION, top_item: 1, font: 1, draw_items_callback: 9, ..Default::default() };
        let b = l.encode();
        assert_eq!((&b[16..24], &b[28..32]), (&[0, 4, 0xFF, 0xFF, 0, 1, 1, 0][..], &[0, 0, 0, 9][..]));
        assert_eq!(ListType::decode(&b), l);
        let label = FormLabelType { id: 4, pos: PointType::new(5, 6), attr: FORM_OBJ_ATTR_USABLE, font_id: 2, text: 0x20 };
        assert_eq!(label.encode(), [0, 4, 0, 5, 0, 6, 0x80, 0, 2, 0, 0, 0, 0, 0x20]);
        assert_eq!(FormLabelType::decode(&label.encode()), label);
        let title = FormTitleType { rect: RectangleType::new(0, 0, 160, 13), text: 7 };
        assert_eq!(FormTitleType::decode(&title.encode()), title);
        let bm = FormBitmapType { attr: FORM_OBJ_ATTR_USABLE, pos: PointType::new(1, 2), rsc_id: 1000 };
        assert_eq!(bm.encode(), [0x80, 0, 0, 1, 0, 2, 0x03, 0xE8]);
        let at = AlertTemplateType { alert_type: ERROR_ALERT, help_rsc_id: 1, num_buttons: 2, default_button: 1 };
        assert_eq!(AlertTemplateType::decode(&at.encode()), at);
        assert_eq!(FORM_RSC_TYPE.to_be_bytes(), *b"tFRM");
        assert_eq!(ALERT_RSC_TYPE.to_be_bytes(), *b"Talt");
    }

    #[test]
    fn small_structures() {
        let d = DrawStateType { transfer_mode: 3, pattern: 3, pattern_data: [1, 2, 3, 4, 5, 6, 7, 8], fore_color: 255, ..Default::default() };
        let b = d.encode();
        assert_eq!(b[DrawStateType::FORE_COLOR as usize], 255);
        assert_eq!(DrawStateType::decode(&b), d);
        let r = RectangleType::new(-1, 2, 3, -4);
        assert_eq!(RectangleType::decode(&r.encode()), r);
        let p = PointType::new(-7, 9);
        assert_eq!(PointType::decode(&p.encode()), p);
        assert_eq!(RgbColorType::decode(&[1, 2, 3, 4]).encode(), [1, 2, 3, 4]);
    }
}
