//! Window Manager behaviour: the display window and the windows applications create, the draw
//! window and active window, the window list, the current draw state and its push/pop stack,
//! clipping, the screen depth (`WinScreenMode`), and the translation from window coordinates
//! to the pixel surfaces `crate::graphics` draws on. The `Win*` trap marshalling is in
//! [`traps`].
//!
//! # Guest structures
//! Windows are `WindowType`s in guest memory (`palm_abi::ui_layout::WindowType`), and guest
//! memory is their source of truth: every call re-reads the 40 bytes, so a form that embeds
//! its window, or an application that pokes `windowBounds`, is seen as it is. The host keeps
//! only which window is the draw / active / display window, the on-screen window list (and
//! rewrites the `nextWindow` links), and which window chunks it allocated.
//!
//! The display window, its screen `BitmapType` (v2, `indirect` + `forScreen`, bits at
//! `FRAMEBUFFER.base`) and the guest image of the current `DrawStateType` are allocated in the
//! dynamic heap (owner 0) the first time a Window Manager trap runs or
//! [`WindowManager::create`] is called, not when the heaps are formatted: until the guest
//! uses the UI the dynamic heap is exactly as the Memory Manager formatted it.
//!
//! # Coordinates
//! Drawing coordinates are relative to the draw window: a point `(x, y)` lands on its bitmap
//! at `(x + bounds.x, y + bounds.y)` (on-screen windows have display bounds and the screen
//! bitmap; off-screen windows have origin `(0, 0)` and their own bitmap). `clippingBounds`
//! is kept in bitmap coordinates with inclusive edges, always inside the window's bounds.
//!
//! # Draw state
//! One current state (transfer mode, pattern, underline mode, font, fore/back/text colours)
//! shared by all windows, as in PalmOS 3.5, plus a stack for `WinPushDrawState` /
//! `WinPopDrawState`. Colours are indices in the palette of the *screen* depth; drawing into a
//! bitmap of another depth colour-matches them.

pub mod traps;
#[cfg(test)]
mod tests;

pub use traps::install;

use crate::graphics::bitmap::{self, BitmapError, BitmapHeader};
use crate::graphics::{palette, DrawState, FontId, Pattern, Rect, Surface, UnderlineMode};
use crate::graphics::surface::Depth;
use crate::managers::memory_mgr::{MemErr, MemoryManager, DYNAMIC_HEAP_ID};
use crate::memory::{GuestMemory, MemError};
use palm_abi::memmap::{FRAMEBUFFER, SCREEN_HEIGHT, SCREEN_WIDTH};
use palm_abi::ui_layout::*;
use std::collections::BTreeMap;

/// Owner ID of the chunks the Window Manager allocates for itself (the system's).
pub const SYSTEM_OWNER: u8 = 0;
/// The screen depth at power-on and after `winScreenModeSetToDefaults`.
pub const DEFAULT_DEPTH: Depth = Depth::Eight;
/// `winScreenModeGetSupportedDepths`: bit `n - 1` set for each supported depth `n` (1, 2, 4, 8).
pub const SUPPORTED_DEPTHS: u32 = 0x0000_008B;
/// Most entries `WinPushDrawState` keeps. PalmOS has room for [`DRAW_STATE_STACK_SIZE`] (5);
/// we allow more so unbalanced but harmless code keeps working; further pushes are dropped.
pub const DRAW_STATE_STACK_LIMIT: usize = 16;
/// Size of the screen `BitmapType` image: a v2 header and the pointer to the bits.
const SCREEN_BITMAP_LEN: u32 = bitmap::HEADER_SIZE_V2 + 4;

/// The current drawing state: the graphics library's [`DrawState`] (whose `clip` is unused
/// here: clips belong to windows) plus what PalmOS remembers beyond it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WinDrawState {
    pub draw: DrawState,
    /// The `FontID` as the application set it (fonts we do not have draw as `stdFont`).
    pub font_id: u8,
    /// The last `WinSetPattern` data, used when the pattern type is `customPattern`.
    pub custom_pattern: [u8; 8],
}

impl WinDrawState {
    /// PalmOS defaults at `depth`: `winPaint`, black pattern, no underline, `stdFont`, black
    /// foreground and text on white.
    pub fn new(depth: Depth) -> Self {
        Self { draw: DrawState::new(depth), font_id: STD_FONT, custom_pattern: [0; 8] }
    }
    /// The `PatternType` number of the current pattern.
    pub fn pattern_type(&self) -> u8 {
        match self.draw.pattern {
            Pattern::Black => BLACK_PATTERN,
            Pattern::White => WHITE_PATTERN,
            Pattern::Gray => GRAY_PATTERN,
            Pattern::Custom(_) => CUSTOM_PATTERN,
        }
    }
    /// The guest image (`DrawStateType`).
    pub fn to_guest(&self) -> DrawStateType {
        DrawStateType {
            transfer_mode: self.draw.mode as u8,
            pattern: self.pattern_type(),
            underline_mode: self.draw.underline as u8,
            font_id: self.font_id,
            font_p: 0,
            pattern_data: self.custom_pattern,
            fore_color: self.draw.fore,
            back_color: self.draw.back,
            text_color: self.draw.text,
        }
    }
    /// Re-expresses the colours for a screen of another depth.
    fn convert_colours(&mut self, from: Depth, to: Depth) {
        self.draw.fore = palette::convert(self.draw.fore, from, to);
        self.draw.back = palette::convert(self.draw.back, from, to);
        self.draw.text = palette::convert(self.draw.text, from, to);
    }
}

/// `UnderlineModeType` from its number (`None` for unknown values).
pub fn underline_from_u8(v: u8) -> Option<UnderlineMode> {
    Some(match v {
        NO_UNDERLINE => UnderlineMode::None,
        GRAY_UNDERLINE => UnderlineMode::Gray,
        SOLID_UNDERLINE => UnderlineMode::Solid,
        COLOR_UNDERLINE => UnderlineMode::Color,
        _ => return None,
    })
}

/// A window as one call sees it: its guest structure and the surface of its bitmap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowView {
    pub handle: u32,
    pub window: WindowType,
    pub surface: Surface,
}

impl WindowView {
    /// Where window coordinate (0, 0) is on the bitmap.
    pub fn origin(&self) -> (i32, i32) {
        (self.window.bounds.x as i32, self.window.bounds.y as i32)
    }
    /// A window point on the bitmap.
    pub fn point(&self, x: i16, y: i16) -> (i32, i32) {
        let (ox, oy) = self.origin();
        (x as i32 + ox, y as i32 + oy)
    }
    /// A window rectangle on the bitmap.
    pub fn rect(&self, r: &RectangleType) -> Rect {
        let (ox, oy) = self.origin();
        Rect::from_palm(r.x, r.y, r.width, r.height).offset(ox, oy)
    }
    /// A bitmap rectangle in window coordinates.
    pub fn to_window(&self, r: &Rect) -> Rect {
        let (ox, oy) = self.origin();
        r.offset(-ox, -oy)
    }
    /// `windowBounds` on the bitmap.
    pub fn bounds(&self) -> Rect {
        let b = self.window.bounds;
        Rect::from_palm(b.x, b.y, b.width, b.height)
    }
    /// `clippingBounds` as a rectangle on the bitmap.
    pub fn clip(&self) -> Rect {
        abs_to_rect(&self.window.clip)
    }
}

/// An inclusive `AbsRectType` as a rectangle (empty when `right < left` or `bottom < top`).
pub fn abs_to_rect(a: &AbsRectType) -> Rect {
    Rect::from_edges(a.left as i64, a.top as i64, a.right as i64 + 1, a.bottom as i64 + 1)
}

/// A rectangle as an inclusive `AbsRectType`, clamped to `Int16`; an empty rectangle becomes
/// one with `right = left - 1`.
pub fn rect_to_abs(r: &Rect) -> AbsRectType {
    let c = |v: i64| v.clamp(i16::MIN as i64 + 1, i16::MAX as i64) as i16;
    if r.is_empty() {
        let (l, t) = (c(r.left as i64), c(r.top as i64));
        return AbsRectType { left: l, top: t, right: l - 1, bottom: t - 1 };
    }
    AbsRectType { left: c(r.left as i64), top: c(r.top as i64), right: c(r.right() - 1), bottom: c(r.bottom() - 1) }
}

/// A rectangle as a `RectangleType`, clamped to `Int16`.
pub fn rect_to_palm(r: &Rect) -> RectangleType {
    let c = |v: i64| v.clamp(i16::MIN as i64, i16::MAX as i64) as i16;
    if r.is_empty() {
        return RectangleType::new(c(r.left as i64), c(r.top as i64), 0, 0);
    }
    RectangleType::new(c(r.left as i64), c(r.top as i64), c(r.width as i64), c(r.height as i64))
}

/// Reads a `RectangleType` argument; `None` for NULL.
pub fn read_rect(mem: &dyn GuestMemory, p: u32) -> Result<Option<RectangleType>, MemError> {
    if p == 0 {
        return Ok(None);
    }
    let mut b = [0u8; RectangleType::LEN as usize];
    mem.read(p, &mut b)?;
    Ok(Some(RectangleType::decode(&b)))
}

/// Writes a `RectangleType` result unless the pointer is NULL.
pub fn write_rect(mem: &mut dyn GuestMemory, p: u32, r: &RectangleType) -> Result<(), MemError> {
    if p == 0 {
        return Ok(());
    }
    mem.write(p, &r.encode())
}

/// Reads the `WindowType` at `handle`.
pub fn read_window(mem: &dyn GuestMemory, handle: u32) -> Result<WindowType, MemError> {
    let mut b = [0u8; WindowType::LEN as usize];
    mem.read(handle, &mut b)?;
    Ok(WindowType::decode(&b))
}

fn write_window(mem: &mut dyn GuestMemory, handle: u32, w: &WindowType) -> Result<(), MemError> {
    mem.write(handle, &w.encode())
}

/// A window-switch `WinSetActiveWindow` asked for; `EvtGetEvent` delivers it as a
/// `winExitEvent` (if a window was active) and a `winEnterEvent`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct WindowSwitch {
    enter: u32,
    exit: u32,
    exit_delivered: bool,
}

/// Why a window could not be created: the PalmOS error code to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateError {
    /// The dynamic heap is full or not formatted (`memErrNotEnoughSpace` & co.).
    Memory(MemErr),
    /// A bad size or bitmap (`sysErrParamErr`).
    Param,
}

impl CreateError {
    pub fn code(&self) -> u16 {
        match self {
            CreateError::Memory(e) => e.code(),
            CreateError::Param => palm_abi::errors::SYS_ERR_PARAM_ERR,
        }
    }
}

impl From<MemErr> for CreateError {
    fn from(e: MemErr) -> Self {
        CreateError::Memory(e)
    }
}

impl From<MemError> for CreateError {
    fn from(e: MemError) -> Self {
        CreateError::Memory(MemErr::Guest(e))
    }
}

/// What the host allocated for a window, freed by `WinDeleteWindow`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Owned {
    /// The bitmap chunk, if the window has its own.
    bitmap: Option<u32>,
}

/// The Window Manager's host state (see the module documentation).
#[derive(Debug, Clone)]
pub struct WindowManager {
    created: bool,
    display: u32,
    screen_bitmap: u32,
    draw_state_p: u32,
    depth: Depth,
    draw_window: u32,
    active_window: u32,
    switch: Option<WindowSwitch>,
    /// On-screen windows, front first (the display window is not in the list).
    list: Vec<u32>,
    owned: BTreeMap<u32, Owned>,
    state: WinDrawState,
    stack: Vec<WinDrawState>,
    screen_locks: u32,
}

impl Default for WindowManager {
    fn default() -> Self {
        Self::new()
    }
}

impl WindowManager {
    pub fn new() -> Self {
        Self {
            created: false,
            display: 0,
            screen_bitmap: 0,
            draw_state_p: 0,
            depth: DEFAULT_DEPTH,
            draw_window: 0,
            active_window: 0,
            switch: None,
            list: Vec::new(),
            owned: BTreeMap::new(),
            state: WinDrawState::new(DEFAULT_DEPTH),
            stack: Vec::new(),
            screen_locks: 0,
        }
    }

    // ---- Creation ------------------------------------------------------------------------

    /// True once the display window exists in guest memory.
    pub fn is_created(&self) -> bool {
        self.created
    }

    /// Allocates the screen bitmap, the draw-state image and the display window in the
    /// dynamic heap, and makes the display window the draw window. Does nothing if they exist.
    pub fn create(&mut self, mm: &mut MemoryManager, mem: &mut dyn GuestMemory) -> Result<(), MemErr> {
        if self.created {
            return Ok(());
        }
        let screen_bitmap = mm.alloc_ptr(mem, DYNAMIC_HEAP_ID, SCREEN_BITMAP_LEN, SYSTEM_OWNER)?;
        let draw_state_p = match mm.alloc_ptr(mem, DYNAMIC_HEAP_ID, DrawStateType::LEN, SYSTEM_OWNER) {
            Ok(p) => p,
            Err(e) => {
                let _ = mm.free_chunk(mem, screen_bitmap);
                return Err(e);
            }
        };
        let display = match mm.alloc_ptr(mem, DYNAMIC_HEAP_ID, WindowType::LEN, SYSTEM_OWNER) {
            Ok(p) => p,
            Err(e) => {
                let _ = mm.free_chunk(mem, screen_bitmap);
                let _ = mm.free_chunk(mem, draw_state_p);
                return Err(e);
            }
        };
        self.screen_bitmap = screen_bitmap;
        self.draw_state_p = draw_state_p;
        self.display = display;
        self.write_screen_bitmap(mem)?;
        self.sync_draw_state(mem)?;
        let screen = Rect::new(0, 0, SCREEN_WIDTH as i32, SCREEN_HEIGHT as i32);
        let w = WindowType {
            flags: WIN_FLAG_FOCUSABLE | WIN_FLAG_ENABLED | WIN_FLAG_VISIBLE,
            bounds: rect_to_palm(&screen),
            clip: rect_to_abs(&screen),
            ..self.onscreen_template()
        };
        write_window(mem, display, &w)?;
        self.draw_window = display;
        self.created = true;
        Ok(())
    }

    /// [`create`](Self::create) for trap handlers: `Ok(false)` when the heaps cannot hold
    /// the structures (not formatted, or full), so the trap becomes a no-op; guest memory
    /// the host cannot reach is an error.
    pub fn ensure_created(&mut self, mm: &mut MemoryManager, mem: &mut dyn GuestMemory) -> Result<bool, MemError> {
        match self.create(mm, mem) {
            Ok(()) => Ok(true),
            Err(MemErr::Guest(e)) => Err(e),
            Err(e) => {
                log::warn!("Window Manager: cannot create the display window: {e}");
                Ok(false)
            }
        }
    }

    /// The fields every on-screen window shares (the V2.0 display fields, the screen bitmap,
    /// the draw state).
    fn onscreen_template(&self) -> WindowType {
        WindowType {
            display_width_v20: SCREEN_WIDTH as i16,
            display_height_v20: SCREEN_HEIGHT as i16,
            display_addr_v20: FRAMEBUFFER.base,
            bitmap_p: self.screen_bitmap,
            draw_state_p: self.draw_state_p,
            ..Default::default()
        }
    }

    /// Writes the screen `BitmapType` for the current depth.
    fn write_screen_bitmap(&self, mem: &mut dyn GuestMemory) -> Result<(), MemError> {
        let s = Surface::screen(self.depth);
        let mut h = [0u8; SCREEN_BITMAP_LEN as usize];
        h[0..2].copy_from_slice(&s.width.to_be_bytes());
        h[2..4].copy_from_slice(&s.height.to_be_bytes());
        h[4..6].copy_from_slice(&s.row_bytes.to_be_bytes());
        h[6..8].copy_from_slice(&(bitmap::FLAG_INDIRECT | bitmap::FLAG_FOR_SCREEN).to_be_bytes());
        h[bitmap::OFF_PIXEL_SIZE as usize] = self.depth.bits() as u8;
        h[bitmap::OFF_VERSION as usize] = 2;
        h[bitmap::OFF_COMPRESSION_TYPE as usize] = 0xFF;
        h[16..20].copy_from_slice(&FRAMEBUFFER.base.to_be_bytes());
        mem.write(self.screen_bitmap, &h)
    }

    /// Writes the current draw state to its guest image (no-op before creation).
    pub fn sync_draw_state(&self, mem: &mut dyn GuestMemory) -> Result<(), MemError> {
        if self.draw_state_p == 0 {
            return Ok(());
        }
        mem.write(self.draw_state_p, &self.state.to_guest().encode())
    }

    // ---- Queries -------------------------------------------------------------------------

    /// The display window (0 before creation).
    pub fn display_window(&self) -> u32 {
        self.display
    }
    pub fn draw_window(&self) -> u32 {
        self.draw_window
    }
    pub fn active_window(&self) -> u32 {
        self.active_window
    }
    /// The front window of the on-screen window list (0 if the list is empty).
    pub fn first_window(&self) -> u32 {
        self.list.first().copied().unwrap_or(0)
    }
    /// The on-screen window list, front first.
    pub fn window_list(&self) -> &[u32] {
        &self.list
    }
    /// The address of the screen `BitmapType` (0 before creation).
    pub fn screen_bitmap(&self) -> u32 {
        self.screen_bitmap
    }
    /// The guest `DrawStateType` image every window points to (0 before creation).
    pub fn draw_state_ptr(&self) -> u32 {
        self.draw_state_p
    }
    /// The current screen depth.
    pub fn depth(&self) -> Depth {
        self.depth
    }
    /// The display's pixels: 160x160 at the current depth, at `FRAMEBUFFER.base`.
    pub fn screen_surface(&self) -> Surface {
        Surface::screen(self.depth)
    }
    /// True while the guest holds `WinScreenLock`.
    pub fn screen_locked(&self) -> bool {
        self.screen_locks > 0
    }
    /// The current draw state.
    pub fn state(&self) -> &WinDrawState {
        &self.state
    }
    pub(crate) fn state_mut(&mut self) -> &mut WinDrawState {
        &mut self.state
    }
    /// The font text is drawn and measured in.
    pub fn font(&self) -> FontId {
        self.state.draw.font
    }
    /// Entries on the draw-state stack.
    pub fn stack_depth(&self) -> usize {
        self.stack.len()
    }
    /// True for the windows `WinValidateHandle` accepts: the display window, windows in the
    /// window list and windows the Window Manager allocated.
    pub fn is_known(&self, handle: u32) -> bool {
        handle != 0 && (handle == self.display || self.list.contains(&handle) || self.owned.contains_key(&handle))
    }

    /// A window and its bitmap's surface. `None` for NULL, and for a window without a
    /// drawable bitmap (NULL, compressed, unreadable header); unreachable guest memory is an
    /// error.
    pub fn view(&self, mem: &dyn GuestMemory, handle: u32) -> Result<Option<WindowView>, MemError> {
        if handle == 0 {
            return Ok(None);
        }
        let window = read_window(mem, handle)?;
        let surface = if window.bitmap_p == 0 {
            return Ok(None);
        } else if window.bitmap_p == self.screen_bitmap {
            self.screen_surface()
        } else {
            let header = match BitmapHeader::read(mem, window.bitmap_p) {
                Ok(h) => h,
                Err(BitmapError::Mem(e)) => return Err(e),
                Err(BitmapError::Invalid { .. }) => return Ok(None),
            };
            match header.surface(mem) {
                Ok(Some(s)) => s,
                Ok(None) | Err(BitmapError::Invalid { .. }) => return Ok(None),
                Err(BitmapError::Mem(e)) => return Err(e),
            }
        };
        Ok(Some(WindowView { handle, window, surface }))
    }

    /// The draw window's view.
    pub fn draw_view(&self, mem: &dyn GuestMemory) -> Result<Option<WindowView>, MemError> {
        self.view(mem, self.draw_window)
    }

    /// Where the draw window's origin is on the display (what `WinDisplayToWindowPt`
    /// subtracts); `(0, 0)` without a draw window.
    pub fn draw_origin(&self, mem: &dyn GuestMemory) -> Result<(i16, i16), MemError> {
        if self.draw_window == 0 {
            return Ok((0, 0));
        }
        let w = read_window(mem, self.draw_window)?;
        Ok((w.bounds.x, w.bounds.y))
    }

    /// The draw state for drawing on `v`: the current state with `v`'s clip and the colours
    /// matched to `v`'s depth.
    pub fn state_for(&self, v: &WindowView) -> DrawState {
        let mut st = self.state.draw;
        st.clip = v.clip();
        if v.surface.depth != self.depth {
            st.fore = palette::convert(st.fore, self.depth, v.surface.depth);
            st.back = palette::convert(st.back, self.depth, v.surface.depth);
            st.text = palette::convert(st.text, self.depth, v.surface.depth);
        }
        st
    }

    /// A pixel value read from `v`, expressed in the screen depth's palette.
    pub fn to_screen_colour(&self, v: &WindowView, value: u8) -> u8 {
        palette::convert(value, v.surface.depth, self.depth)
    }

    // ---- Draw window, active window, window list ---------------------------------------

    /// `WinSetDrawWindow`: returns the previous draw window.
    pub fn set_draw_window(&mut self, handle: u32) -> u32 {
        std::mem::replace(&mut self.draw_window, handle)
    }

    /// `WinSetActiveWindow`: the switch happens when `EvtGetEvent` delivers its
    /// `winExitEvent` / `winEnterEvent` (see [`next_window_event`](Self::next_window_event)).
    pub fn set_active_window(&mut self, handle: u32) {
        let current = self.switch.map_or(self.active_window, |s| s.enter);
        if handle == current {
            return;
        }
        let exit = self.active_window;
        self.switch = Some(WindowSwitch { enter: handle, exit, exit_delivered: exit == 0 });
    }

    /// The window event `EvtGetEvent` would deliver next, if a switch is pending.
    pub fn next_window_event(&self) -> Option<EventType> {
        let sw = self.switch?;
        let e_type = if sw.exit_delivered {
            if sw.enter == 0 {
                return None;
            }
            WIN_ENTER_EVENT
        } else {
            WIN_EXIT_EVENT
        };
        let mut ev = EventType::new(e_type);
        ev.set_u32(event_data::win_enter::ENTER_WINDOW, sw.enter);
        ev.set_u32(event_data::win_enter::EXIT_WINDOW, sw.exit);
        Some(ev)
    }

    /// The pending switch's event was delivered: after `winExitEvent` no window is active;
    /// after `winEnterEvent` the entered window is the active and the draw window.
    pub fn commit_window_event(&mut self) {
        let Some(mut sw) = self.switch else { return };
        if !sw.exit_delivered {
            sw.exit_delivered = true;
            self.active_window = 0;
            self.switch = (sw.enter != 0).then_some(sw);
        } else {
            self.switch = None;
            self.active_window = sw.enter;
            self.draw_window = sw.enter;
        }
    }

    /// Rewrites the `nextWindow` links of the window list.
    fn relink(&self, mem: &mut dyn GuestMemory) -> Result<(), MemError> {
        for (i, &w) in self.list.iter().enumerate() {
            let next = self.list.get(i + 1).copied().unwrap_or(0);
            mem.write_u32(w.wrapping_add(WindowType::NEXT_WINDOW), next)?;
        }
        Ok(())
    }

    /// `WinAddWindow`: puts a window at the front of the window list.
    pub fn add_window(&mut self, mem: &mut dyn GuestMemory, handle: u32) -> Result<(), MemError> {
        if handle == 0 || handle == self.display {
            return Ok(());
        }
        read_window(mem, handle)?;
        self.list.retain(|&w| w != handle);
        self.list.insert(0, handle);
        self.relink(mem)
    }

    /// `WinRemoveWindow`: takes a window out of the window list.
    pub fn remove_window(&mut self, mem: &mut dyn GuestMemory, handle: u32) -> Result<(), MemError> {
        if !self.list.contains(&handle) {
            return Ok(());
        }
        self.list.retain(|&w| w != handle);
        mem.write_u32(handle.wrapping_add(WindowType::NEXT_WINDOW), 0)?;
        self.relink(mem)
    }

    /// `WinInitializeWindow`: fills in the system fields of a guest-built `WindowType` (the
    /// display fields, the screen bitmap unless it is off-screen, the draw state) and resets
    /// its clip to its bounds.
    pub fn initialize_window(&self, mem: &mut dyn GuestMemory, handle: u32) -> Result<(), MemError> {
        if handle == 0 {
            return Ok(());
        }
        let mut w = read_window(mem, handle)?;
        let t = self.onscreen_template();
        w.display_width_v20 = t.display_width_v20;
        w.display_height_v20 = t.display_height_v20;
        w.display_addr_v20 = t.display_addr_v20;
        w.draw_state_p = t.draw_state_p;
        if !w.has_flag(WIN_FLAG_OFFSCREEN) {
            w.bitmap_p = t.bitmap_p;
        }
        write_window(mem, handle, &w)?;
        self.reset_clip(mem, handle)
    }

    // ---- Creating and deleting windows ---------------------------------------------------

    fn alloc_window(&mut self, mm: &mut MemoryManager, mem: &mut dyn GuestMemory, w: &WindowType, owner: u8, bitmap: Option<u32>) -> Result<u32, MemErr> {
        let handle = mm.alloc_ptr(mem, DYNAMIC_HEAP_ID, WindowType::LEN, owner)?;
        write_window(mem, handle, w)?;
        self.owned.insert(handle, Owned { bitmap });
        Ok(handle)
    }

    /// `WinCreateWindow`: an on-screen window over the screen bitmap, at the front of the
    /// window list. Its clip is its bounds (within the display); it starts disabled and
    /// invisible.
    #[allow(clippy::too_many_arguments)]
    pub fn create_window(
        &mut self,
        mm: &mut MemoryManager,
        mem: &mut dyn GuestMemory,
        bounds: RectangleType,
        frame: u16,
        modal: bool,
        focusable: bool,
        owner: u8,
    ) -> Result<u32, CreateError> {
        let mut flags = 0;
        if modal {
            flags |= WIN_FLAG_MODAL;
        }
        if focusable {
            flags |= WIN_FLAG_FOCUSABLE;
        }
        let b = Rect::from_palm(bounds.x, bounds.y, bounds.width, bounds.height);
        let clip = b.intersect(&self.screen_surface().bounds());
        let w = WindowType { flags, bounds, clip: rect_to_abs(&clip), frame_type: frame, ..self.onscreen_template() };
        let handle = self.alloc_window(mm, mem, &w, owner, None)?;
        self.add_window(mem, handle)?;
        Ok(handle)
    }

    /// `WinCreateOffscreenWindow`: a `width` x `height` window at the screen depth with its own
    /// bitmap (header and bits in one dynamic-heap chunk, cleared to white). `format` is
    /// recorded in the flags (`genericFormat` sets the format bit); both draw alike.
    pub fn create_offscreen_window(
        &mut self,
        mm: &mut MemoryManager,
        mem: &mut dyn GuestMemory,
        width: i16,
        height: i16,
        format: u8,
        owner: u8,
    ) -> Result<u32, CreateError> {
        if width <= 0 || height <= 0 {
            return Err(CreateError::Param);
        }
        let (w16, h16) = (width as u16, height as u16);
        let row_bytes = Surface::min_row_bytes(w16, self.depth) as u32;
        let size = bitmap::HEADER_SIZE_V2 + row_bytes * h16 as u32;
        let bmp = mm.alloc_ptr(mem, DYNAMIC_HEAP_ID, size, owner)?;
        let surface = match bitmap::write_header_v2(mem, bmp, w16, h16, self.depth) {
            Ok(s) => s,
            Err(e) => {
                let _ = mm.free_chunk(mem, bmp);
                return Err(match e {
                    BitmapError::Mem(m) => CreateError::Memory(MemErr::Guest(m)),
                    BitmapError::Invalid { .. } => CreateError::Param,
                });
            }
        };
        mem.fill(surface.base, surface.byte_len(), 0).map_err(MemErr::Guest)?;
        let mut flags = WIN_FLAG_OFFSCREEN | WIN_FLAG_FREE_BITMAP;
        if format == GENERIC_FORMAT {
            flags |= WIN_FLAG_FORMAT;
        }
        let bounds = RectangleType::new(0, 0, width, height);
        let w = WindowType {
            flags,
            bounds,
            clip: rect_to_abs(&Rect::new(0, 0, width as i32, height as i32)),
            bitmap_p: bmp,
            ..self.onscreen_template()
        };
        match self.alloc_window(mm, mem, &w, owner, Some(bmp)) {
            Ok(h) => Ok(h),
            Err(e) => {
                let _ = mm.free_chunk(mem, bmp);
                Err(e.into())
            }
        }
    }

    /// `WinCreateBitmapWindow`: an off-screen window drawing into an existing, uncompressed
    /// bitmap (which is not freed with the window).
    pub fn create_bitmap_window(&mut self, mm: &mut MemoryManager, mem: &mut dyn GuestMemory, bitmap_p: u32, owner: u8) -> Result<u32, CreateError> {
        if bitmap_p == 0 {
            return Err(CreateError::Param);
        }
        let header = BitmapHeader::read(mem, bitmap_p).map_err(|e| match e {
            BitmapError::Mem(m) => CreateError::Memory(MemErr::Guest(m)),
            BitmapError::Invalid { .. } => CreateError::Param,
        })?;
        let surface = match header.surface(mem) {
            Ok(Some(s)) => s,
            Ok(None) | Err(BitmapError::Invalid { .. }) => return Err(CreateError::Param),
            Err(BitmapError::Mem(m)) => return Err(CreateError::Memory(MemErr::Guest(m))),
        };
        let bounds = RectangleType::new(0, 0, surface.width as i16, surface.height as i16);
        let w = WindowType {
            flags: WIN_FLAG_OFFSCREEN,
            bounds,
            clip: rect_to_abs(&surface.bounds()),
            bitmap_p,
            ..self.onscreen_template()
        };
        Ok(self.alloc_window(mm, mem, &w, owner, None)?)
    }

    /// `WinDeleteWindow`: optionally erases the window and its frame from the screen, takes it
    /// out of the window list, and frees what the Window Manager allocated for it (its
    /// `WindowType` and, with `freeBitmap`, its bitmap; a guest-allocated `WindowType`, such as
    /// a form's, is left to its owner). If it was the draw window, the display window becomes
    /// the draw window; if it was active, no window is active. The display window cannot be
    /// deleted.
    pub fn delete_window(&mut self, mm: &mut MemoryManager, mem: &mut dyn GuestMemory, handle: u32, erase: bool) -> Result<(), MemError> {
        if handle == 0 || handle == self.display {
            return Ok(());
        }
        let w = read_window(mem, handle)?;
        if erase && !w.has_flag(WIN_FLAG_OFFSCREEN) {
            if let Some(v) = self.view(mem, handle)? {
                let area = crate::graphics::frame_bounds(crate::graphics::FrameType(w.frame_type), &v.bounds());
                let mut st = self.state_for(&v);
                st.clip = Rect::UNBOUNDED;
                crate::graphics::erase_rectangle(&v.surface, mem, &st, &area, 0)?;
            }
        }
        self.remove_window(mem, handle)?;
        if self.draw_window == handle {
            self.draw_window = self.display;
        }
        if self.active_window == handle {
            self.active_window = 0;
        }
        if self.switch.is_some_and(|s| s.enter == handle || s.exit == handle) {
            self.switch = None;
        }
        if let Some(owned) = self.owned.remove(&handle) {
            if w.has_flag(WIN_FLAG_FREE_BITMAP) {
                if let Some(b) = owned.bitmap {
                    free_logged(mm, mem, b);
                }
            }
            free_logged(mm, mem, handle);
        }
        Ok(())
    }

    // ---- Bounds and clipping -------------------------------------------------------------

    /// `WinSetBounds`: new bounds, clip reset to them.
    pub fn set_bounds(&self, mem: &mut dyn GuestMemory, handle: u32, bounds: RectangleType) -> Result<(), MemError> {
        if handle == 0 {
            return Ok(());
        }
        mem.write(handle.wrapping_add(WindowType::WINDOW_BOUNDS), &bounds.encode())?;
        self.reset_clip(mem, handle)
    }

    /// Sets a window's clip to `r` (window coordinates) within its bounds and bitmap; `None`
    /// resets it to the whole window (`WinResetClip`).
    pub fn set_clip(&self, mem: &mut dyn GuestMemory, handle: u32, r: Option<&RectangleType>) -> Result<(), MemError> {
        let Some(v) = self.view(mem, handle)? else { return Ok(()) };
        let mut clip = v.bounds().intersect(&v.surface.bounds());
        if let Some(r) = r {
            clip = clip.intersect(&v.rect(r));
        }
        mem.write(handle.wrapping_add(WindowType::CLIPPING_BOUNDS), &rect_to_abs(&clip).encode())
    }

    /// `WinResetClip` for any window.
    pub fn reset_clip(&self, mem: &mut dyn GuestMemory, handle: u32) -> Result<(), MemError> {
        self.set_clip(mem, handle, None)
    }

    // ---- Draw state ----------------------------------------------------------------------

    /// `WinPushDrawState`: saves the current state; the current state stays as it is.
    pub fn push_state(&mut self) {
        if self.stack.len() < DRAW_STATE_STACK_LIMIT {
            self.stack.push(self.state);
        } else {
            log::warn!("WinPushDrawState: stack full ({DRAW_STATE_STACK_LIMIT} entries), push ignored");
        }
    }

    /// `WinPopDrawState`: restores the last saved state (an empty stack changes nothing).
    pub fn pop_state(&mut self) {
        match self.stack.pop() {
            Some(s) => self.state = s,
            None => log::warn!("WinPopDrawState without WinPushDrawState: ignored"),
        }
    }

    // ---- Screen depth and locking --------------------------------------------------------

    /// `WinScreenMode(winScreenModeSet)`: reformats the framebuffer for `depth`, converting
    /// what it shows, updates the screen bitmap and re-expresses the draw state's colours
    /// (and those on the stack). The framebuffer base does not move.
    pub fn set_depth(&mut self, mem: &mut dyn GuestMemory, depth: Depth) -> Result<(), MemError> {
        let old = self.depth;
        if old == depth {
            return Ok(());
        }
        let (from, to) = (Surface::screen(old), Surface::screen(depth));
        let pixels = from.read_pixels(mem)?;
        mem.fill(FRAMEBUFFER.base, from.byte_len().max(to.byte_len()), 0)?;
        let lut: Vec<u8> = (0..=old.max_value()).map(|v| palette::convert(v, old, depth)).collect();
        for (i, &p) in pixels.iter().enumerate() {
            let v = lut[p as usize];
            if v != 0 {
                let (x, y) = ((i % from.width as usize) as i32, (i / from.width as usize) as i32);
                to.set_pixel(mem, x, y, v)?;
            }
        }
        self.depth = depth;
        self.state.convert_colours(old, depth);
        for s in &mut self.stack {
            s.convert_colours(old, depth);
        }
        if self.created {
            self.write_screen_bitmap(mem)?;
            self.sync_draw_state(mem)?;
        }
        Ok(())
    }

    /// `WinScreenLock`: counts the lock and returns the framebuffer address; drawing keeps
    /// going to the visible screen (frontends may check [`screen_locked`](Self::screen_locked)
    /// to skip showing intermediate frames). `winLockErase` erases the screen first.
    pub fn lock_screen(&mut self, mem: &mut dyn GuestMemory, init: u8) -> Result<u32, MemError> {
        if init == WIN_LOCK_ERASE {
            let s = self.screen_surface();
            s.fill(mem, 0)?;
        }
        self.screen_locks = self.screen_locks.saturating_add(1);
        Ok(FRAMEBUFFER.base)
    }

    /// `WinScreenUnlock`.
    pub fn unlock_screen(&mut self) {
        self.screen_locks = self.screen_locks.saturating_sub(1);
    }
}

fn free_logged(mm: &mut MemoryManager, mem: &mut dyn GuestMemory, p: u32) {
    if let Err(e) = mm.free_chunk(mem, p) {
        log::warn!("WinDeleteWindow: cannot free chunk {p:#010x}: {e}");
    }
}
