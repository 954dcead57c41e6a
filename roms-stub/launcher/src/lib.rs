//! The app manager: the stub ROM's built-in application (`target/guest/rom.elf` = boot code +
//! this crate), what the machine runs after boot and after every card application.
//!
//! It lists every database of type `appl` on the card (`DmGetNextDatabaseByTypeCreator`, any
//! creator, latest versions), sorted by name (case-insensitively), as a grid of
//! [`COLUMNS`] x [`ROWS`] cells under the title "Applications": each cell holds the
//! application's icon (its `tAIB` 1000 bitmap drawn with `WinDrawBitmap`, or a built-in
//! default icon) and its name (its `tAIN` 1000 resource, else the database name). More
//! applications than fit scroll a page at a time: the arrows at the bottom right (pen down on
//! them) or the scroll keys (`vchrPageUp`/`vchrPageDown`, and the up/down arrow characters).
//! A pen-down and pen-up in the same cell launches the application with
//! `SysUIAppSwitch(0, dbID, sysAppLaunchCmdNormalLaunch, NULL)`; the UI shell then stops this
//! program with `appStopEvent`, runs the application, and runs this program again when it
//! returns (or on Home). With no application it says "No applications".
//!
//! The console gets one line per listed application and one per launch (tests read it).
//! Nothing is kept between runs: every run scans the card afresh.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use guest_sdk::palm_abi::ui_layout::{
    event_data, EventType, RectangleType, APP_STOP_EVENT, BOLD_FONT, COMMAND_KEY_MASK, EVT_WAIT_FOREVER,
    KEY_DOWN_EVENT, PEN_DOWN_EVENT, PEN_UP_EVENT, STD_FONT,
};
use guest_sdk::traps::{
    DmCloseDatabase, DmDatabaseInfo, DmGet1Resource, DmGetNextDatabaseByTypeCreator, DmOpenDatabase,
    DmReleaseResource, EvtGetEvent, FntCharsWidth, FntSetFont, MemHandleLock, MemHandleSize,
    MemHandleUnlock, SysUIAppSwitch, WinDrawBitmap, WinDrawChars, WinDrawInvertedChars, WinDrawLine, WinDrawRectangle, WinEraseWindow,
    WinResetClip, WinSetClip,
};
use guest_sdk::{copy_from_guest, copy_to_guest, println, read_u16, read_u32, scratch_area, GuestAddr};

/// The title, drawn inverted in bold on a black tab as PalmOS form titles are.
pub const TITLE: &[u8] = b"Applications";
/// Shown instead of the grid when the card holds no application.
pub const NO_APPS: &[u8] = b"No applications";
/// Height of the title tab and the y of the line under it.
pub const TITLE_HEIGHT: i16 = 12;
/// The grid: [`COLUMNS`] x [`ROWS`] cells of [`CELL_WIDTH`] x [`CELL_HEIGHT`] from
/// ([`GRID_LEFT`], [`GRID_TOP`]); a page shows [`PAGE`] applications.
pub const COLUMNS: usize = 4;
pub const ROWS: usize = 3;
pub const PAGE: usize = COLUMNS * ROWS;
pub const GRID_LEFT: i16 = 0;
pub const GRID_TOP: i16 = 14;
pub const CELL_WIDTH: i16 = 40;
pub const CELL_HEIGHT: i16 = 42;
/// Icons are 32 x 22 (larger bitmaps are clipped to the cell); the icon's top is
/// [`ICON_TOP`] below the cell's, the name's top [`NAME_TOP`] below it.
pub const ICON_WIDTH: i16 = 32;
pub const ICON_HEIGHT: i16 = 22;
pub const ICON_TOP: i16 = 2;
pub const NAME_TOP: i16 = 26;
/// The scroll arrows (bottom right): pen down inside scrolls a page.
pub const SCROLL_UP: RectangleType = RectangleType::new(130, 146, 13, 12);
pub const SCROLL_DOWN: RectangleType = RectangleType::new(145, 146, 13, 12);
/// The position line at the bottom left ("1-12 of 20").
pub const STATUS_X: i16 = 2;
pub const STATUS_Y: i16 = 147;
/// At most this many applications are listed.
pub const MAX_APPS: usize = 256;

/// `'appl'`, `'tAIN'`, `'tAIB'`.
const APPL: u32 = u32::from_be_bytes(*b"appl");
const TAIN: u32 = u32::from_be_bytes(*b"tAIN");
const TAIB: u32 = u32::from_be_bytes(*b"tAIB");
const APP_RES_ID: u16 = 1000;
const DM_MODE_READ_ONLY: u16 = 0x0001;
/// Names longer than this are cut (PalmOS database names have 31 characters).
const NAME_CAP: usize = 31;
/// `vchrPageUp`, `vchrPageDown` (with `commandKeyMask`), `chrUpArrow`, `chrDownArrow`.
const VCHR_PAGE_UP: u16 = 0x000B;
const VCHR_PAGE_DOWN: u16 = 0x000C;
const CHR_UP_ARROW: u16 = 0x001E;
const CHR_DOWN_ARROW: u16 = 0x001F;

guest_sdk::entry!(app_main);

/// The top left corner of the cell in `slot` (0..[`PAGE`]) of the page.
pub const fn cell_origin(slot: usize) -> (i16, i16) {
    (GRID_LEFT + (slot % COLUMNS) as i16 * CELL_WIDTH, GRID_TOP + (slot / COLUMNS) as i16 * CELL_HEIGHT)
}

/// The centre of the icon in `slot` (where a tap launches the application).
pub const fn icon_centre(slot: usize) -> (i16, i16) {
    let (x, y) = cell_origin(slot);
    (x + CELL_WIDTH / 2, y + ICON_TOP + ICON_HEIGHT / 2)
}

/// One listed application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppEntry {
    pub db_id: u32,
    /// What is shown: `tAIN` 1000, else the database name.
    pub name: Vec<u8>,
    /// The database's own name (empty if unknown).
    pub db_name: Vec<u8>,
    pub creator: u32,
    pub has_icon: bool,
}

/// Guest buffers, all in the program's scratch area (real guest memory).
struct Buffers {
    event: GuestAddr,
    rect: GuestAddr,
    text: GuestAddr,
    /// `DmSearchStateType` (8 bytes), then the card number (2, padded to 4) and dbID (4).
    search: GuestAddr,
    card_no: GuestAddr,
    db_id: GuestAddr,
    /// `DmDatabaseInfo`'s creator output (4 bytes).
    creator: GuestAddr,
    /// The default icon, a 1-bit `BitmapType`.
    default_icon: GuestAddr,
}

const TEXT_LEN: u32 = 64;

fn buffers() -> Buffers {
    let (base, len) = scratch_area();
    let event = base;
    let rect = event.add(EventType::LEN);
    let text = rect.add(RectangleType::LEN);
    let search = text.add(TEXT_LEN);
    let card_no = search.add(8);
    let db_id = card_no.add(4);
    let creator = db_id.add(4);
    let default_icon = creator.add(4);
    assert!(default_icon.add(DEFAULT_ICON_BYTES as u32).0 <= base.0 + len, "scratch area too small");
    Buffers { event, rect, text, search, card_no, db_id, creator, default_icon }
}

/// The default icon: 32 x 22, 1 bit per pixel, a version 1 `BitmapType` (16-byte header).
const DEFAULT_ICON_ROW_BYTES: usize = 4;
const DEFAULT_ICON_BYTES: usize = 16 + DEFAULT_ICON_ROW_BYTES * ICON_HEIGHT as usize;

/// A window with a title band and a diamond inside: black pixels are 1.
fn default_icon() -> [u8; DEFAULT_ICON_BYTES] {
    let mut b = [0u8; DEFAULT_ICON_BYTES];
    b[0..2].copy_from_slice(&ICON_WIDTH.to_be_bytes());
    b[2..4].copy_from_slice(&ICON_HEIGHT.to_be_bytes());
    b[4..6].copy_from_slice(&(DEFAULT_ICON_ROW_BYTES as u16).to_be_bytes());
    b[8] = 1; // pixelSize
    b[9] = 1; // version
    let (left, right, top, bottom) = (5i32, 26i32, 1i32, 20i32);
    for y in 0..ICON_HEIGHT as i32 {
        for x in 0..ICON_WIDTH as i32 {
            let inside = (left..=right).contains(&x) && (top..=bottom).contains(&y);
            let frame = inside && (x == left || x == right || y == top || y == bottom);
            let band = inside && y <= top + 3;
            let (cx, cy) = ((left + right) / 2, (top + 4 + bottom) / 2 + 1);
            let diamond = (x - cx).abs() + (y - cy).abs() <= 5 && (x - cx).abs() + (y - cy).abs() >= 3;
            if frame || band || diamond {
                b[16 + y as usize * DEFAULT_ICON_ROW_BYTES + x as usize / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    b
}

/// The database's name and creator (`DmDatabaseInfo`), if it can be read.
fn database_name(b: &Buffers, db_id: u32) -> Option<(Vec<u8>, u32)> {
    let (name, creator) = (b.text, b.creator);
    let err = DmDatabaseInfo(0, db_id, name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, creator);
    (err == 0).then(|| (guest_cstr(name, 32), read_u32(creator)))
}

const NULL: GuestAddr = GuestAddr(0);

/// Up to [`NAME_CAP`] bytes of the NUL-terminated string at `p` (at most `len` bytes).
fn guest_cstr(p: GuestAddr, len: u32) -> Vec<u8> {
    let n = len.min(NAME_CAP as u32 + 1) as usize;
    let mut buf = [0u8; NAME_CAP + 1];
    copy_from_guest(&mut buf[..n], p);
    let end = buf[..n].iter().position(|&c| c == 0).unwrap_or(n).min(NAME_CAP);
    buf[..end].to_vec()
}

/// Reads what the list shows of one application database.
fn read_entry(b: &Buffers, db_id: u32) -> AppEntry {
    let (db_name, creator) = database_name(b, db_id).unwrap_or_default();
    let mut entry = AppEntry { db_id, name: Vec::new(), db_name, creator, has_icon: false };
    let db = DmOpenDatabase(0, db_id, DM_MODE_READ_ONLY);
    if !db.is_null() {
        let h = DmGet1Resource(TAIN, APP_RES_ID);
        if !h.is_null() {
            let p = MemHandleLock(h);
            if !p.is_null() {
                entry.name = guest_cstr(p, MemHandleSize(h));
                MemHandleUnlock(h);
            }
            DmReleaseResource(h);
        }
        let h = DmGet1Resource(TAIB, APP_RES_ID);
        if !h.is_null() {
            entry.has_icon = true;
            DmReleaseResource(h);
        }
        DmCloseDatabase(db);
    }
    if entry.name.is_empty() {
        entry.name = if entry.db_name.is_empty() { b"?".to_vec() } else { entry.db_name.clone() };
    }
    entry
}

/// Whether the `BitmapType` at `p` (a resource of `size` bytes) looks drawable: a known
/// version, 1..=160 pixels each way, and, uncompressed, its rows inside the resource. Other
/// icons are replaced by the default one.
fn plausible_bitmap(p: GuestAddr, size: u32) -> bool {
    if size < 16 {
        return false;
    }
    let (width, height, row_bytes, flags) = (read_u16(p), read_u16(p.add(2)), read_u16(p.add(4)), read_u16(p.add(6)));
    let version = guest_sdk::read_u8(p.add(9));
    let compressed = flags & 0x8000 != 0;
    (1..=160).contains(&width)
        && (1..=160).contains(&height)
        && version <= 3
        && (compressed || 16 + row_bytes as u32 * height as u32 <= size)
}

/// Case-insensitive (ASCII) name order, then dbID for equal names.
fn by_name(a: &AppEntry, b: &AppEntry) -> core::cmp::Ordering {
    let key = |e: &AppEntry| e.name.iter().map(|c| c.to_ascii_lowercase()).collect::<Vec<u8>>();
    key(a).cmp(&key(b)).then(a.db_id.cmp(&b.db_id))
}

/// Every application on the card, sorted by name.
fn find_apps(b: &Buffers) -> Vec<AppEntry> {
    let mut apps = Vec::new();
    let mut new_search = 1;
    while apps.len() < MAX_APPS {
        let err = DmGetNextDatabaseByTypeCreator(new_search, b.search, APPL, 0, 1, b.card_no, b.db_id);
        new_search = 0;
        if err != 0 {
            break;
        }
        apps.push(read_entry(b, read_u32(b.db_id)));
    }
    apps.sort_by(by_name);
    apps
}

fn fourcc(v: u32) -> [char; 4] {
    v.to_be_bytes().map(|c| if (0x20..0x7F).contains(&c) { c as char } else { '?' })
}

fn text_of(s: &[u8]) -> &str {
    core::str::from_utf8(s).unwrap_or("?")
}

/// What a pen position hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hit {
    App(usize),
    ScrollUp,
    ScrollDown,
    Nothing,
}

fn contains(r: &RectangleType, x: i16, y: i16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}

struct App {
    b: Buffers,
    apps: Vec<AppEntry>,
    /// Index of the first application on the page (a multiple of [`PAGE`]).
    first: usize,
    /// What the pen went down on.
    pressed: Hit,
    /// `SysUIAppSwitch` succeeded: waiting for `appStopEvent`, input is ignored.
    switching: bool,
}

/// The application's main function; returns the exit code (0).
pub fn app_main() -> u32 {
    let b = buffers();
    copy_to_guest(b.default_icon, &default_icon());
    let apps = find_apps(&b);
    println!("launcher: {} application(s)", apps.len());
    for (i, a) in apps.iter().enumerate() {
        println!(
            "launcher: app {}: {} (database {}, creator {}, dbID {:#x}, {})",
            i + 1,
            text_of(&a.name),
            text_of(&a.db_name),
            fourcc(a.creator).iter().collect::<alloc::string::String>(),
            a.db_id,
            if a.has_icon { "icon" } else { "default icon" }
        );
    }
    let mut app = App { b, apps, first: 0, pressed: Hit::Nothing, switching: false };
    app.draw();
    loop {
        EvtGetEvent(app.b.event, EVT_WAIT_FOREVER);
        if !app.handle_event() {
            break;
        }
    }
    println!("launcher: appStopEvent");
    0
}

impl App {
    fn set_rect(&self, r: RectangleType) -> GuestAddr {
        copy_to_guest(self.b.rect, &r.encode());
        self.b.rect
    }

    fn text(&self, s: &[u8]) -> (GuestAddr, i16) {
        let n = s.len().min(TEXT_LEN as usize);
        copy_to_guest(self.b.text, &s[..n]);
        (self.b.text, n as i16)
    }

    fn can_scroll_up(&self) -> bool {
        self.first > 0
    }

    fn can_scroll_down(&self) -> bool {
        self.first + PAGE < self.apps.len()
    }

    /// The whole screen.
    fn draw(&mut self) {
        WinEraseWindow();
        FntSetFont(BOLD_FONT);
        let (title, len) = self.text(TITLE);
        let width = FntCharsWidth(title, len);
        WinDrawRectangle(self.set_rect(RectangleType::new(0, 0, width + 6, TITLE_HEIGHT)), 3);
        WinDrawInvertedChars(title, len, 3, 0);
        WinDrawLine(0, TITLE_HEIGHT - 1, 159, TITLE_HEIGHT - 1);
        FntSetFont(STD_FONT);
        if self.apps.is_empty() {
            let (t, len) = self.text(NO_APPS);
            let width = FntCharsWidth(t, len);
            WinDrawChars(t, len, (160 - width) / 2, 70);
            return;
        }
        let last = (self.first + PAGE).min(self.apps.len());
        for i in self.first..last {
            self.draw_cell(i - self.first, i);
        }
        let mut status = alloc::format!("{}-{} of {}", self.first + 1, last, self.apps.len()).into_bytes();
        status.truncate(TEXT_LEN as usize);
        let (t, len) = self.text(&status);
        WinDrawChars(t, len, STATUS_X, STATUS_Y);
        if self.can_scroll_up() {
            self.draw_arrow(SCROLL_UP, true);
        }
        if self.can_scroll_down() {
            self.draw_arrow(SCROLL_DOWN, false);
        }
    }

    /// A filled triangle in `r` pointing up or down.
    fn draw_arrow(&self, r: RectangleType, up: bool) {
        let cx = r.x + r.width / 2;
        let rows = (r.width / 2 + 1).min(r.height);
        let top = r.y + (r.height - rows) / 2;
        for i in 0..rows {
            let half = if up { i } else { rows - 1 - i };
            WinDrawLine(cx - half, top + i, cx + half, top + i);
        }
    }

    fn draw_cell(&mut self, slot: usize, index: usize) {
        let (x, y) = cell_origin(slot);
        WinSetClip(self.set_rect(RectangleType::new(x, y, CELL_WIDTH, CELL_HEIGHT)));
        if !(self.apps[index].has_icon && self.draw_app_icon(index, x, y)) {
            WinDrawBitmap(self.b.default_icon, x + (CELL_WIDTH - ICON_WIDTH) / 2, y + ICON_TOP);
        }
        // The name, centred, cut to the cell's width.
        let name = self.apps[index].name.clone();
        let (t, mut len) = self.text(&name);
        while len > 1 && FntCharsWidth(t, len) > CELL_WIDTH - 2 {
            len -= 1;
        }
        let width = FntCharsWidth(t, len);
        WinDrawChars(t, len, x + (CELL_WIDTH - width) / 2, y + NAME_TOP);
        WinResetClip();
    }

    /// Draws the application's `tAIB` 1000 centred in the cell; false if it cannot.
    fn draw_app_icon(&self, index: usize, x: i16, y: i16) -> bool {
        let db = DmOpenDatabase(0, self.apps[index].db_id, DM_MODE_READ_ONLY);
        if db.is_null() {
            return false;
        }
        let h = DmGet1Resource(TAIB, APP_RES_ID);
        let mut drawn = false;
        if !h.is_null() {
            let p = MemHandleLock(h);
            if !p.is_null() && plausible_bitmap(p, MemHandleSize(h)) {
                let width = (read_u16(p) as i16).clamp(0, CELL_WIDTH);
                let height = (read_u16(p.add(2)) as i16).clamp(0, ICON_HEIGHT);
                let ix = x + (CELL_WIDTH - width) / 2;
                let iy = y + ICON_TOP + (ICON_HEIGHT - height) / 2;
                WinDrawBitmap(p, ix, iy);
                drawn = true;
            }
            if !p.is_null() {
                MemHandleUnlock(h);
            }
            DmReleaseResource(h);
        }
        DmCloseDatabase(db);
        drawn
    }

    fn hit(&self, x: i16, y: i16) -> Hit {
        if contains(&SCROLL_UP, x, y) {
            return Hit::ScrollUp;
        }
        if contains(&SCROLL_DOWN, x, y) {
            return Hit::ScrollDown;
        }
        if x < GRID_LEFT || y < GRID_TOP {
            return Hit::Nothing;
        }
        let (col, row) = (((x - GRID_LEFT) / CELL_WIDTH) as usize, ((y - GRID_TOP) / CELL_HEIGHT) as usize);
        if col >= COLUMNS || row >= ROWS {
            return Hit::Nothing;
        }
        let index = self.first + row * COLUMNS + col;
        if index < self.apps.len() {
            Hit::App(index)
        } else {
            Hit::Nothing
        }
    }

    fn scroll(&mut self, down: bool) {
        let before = self.first;
        if down && self.can_scroll_down() {
            self.first += PAGE;
        } else if !down && self.can_scroll_up() {
            self.first -= PAGE;
        }
        if self.first != before {
            println!("launcher: page {}-{}", self.first + 1, (self.first + PAGE).min(self.apps.len()));
            self.draw();
        }
    }

    fn launch(&mut self, index: usize) {
        let a = &self.apps[index];
        let err = SysUIAppSwitch(0, a.db_id, 0, NULL);
        println!("launcher: launch {} (dbID {:#x}): err={err:#06x}", text_of(&a.name), a.db_id);
        if err == 0 {
            self.switching = true;
        }
    }

    /// Handles the event in the event buffer; `false` on `appStopEvent`.
    fn handle_event(&mut self) -> bool {
        let ev = self.b.event;
        let at = |off: u32| read_u16(ev.add(off)) as i16;
        let e_type = read_u16(ev);
        if e_type == APP_STOP_EVENT {
            return false;
        }
        if self.switching {
            return true;
        }
        match e_type {
            PEN_DOWN_EVENT => {
                self.pressed = self.hit(at(EventType::SCREEN_X), at(EventType::SCREEN_Y));
                match self.pressed {
                    Hit::ScrollUp => self.scroll(false),
                    Hit::ScrollDown => self.scroll(true),
                    _ => {}
                }
            }
            PEN_UP_EVENT => {
                let pressed = core::mem::replace(&mut self.pressed, Hit::Nothing);
                if let Hit::App(i) = pressed {
                    if self.hit(at(EventType::SCREEN_X), at(EventType::SCREEN_Y)) == pressed {
                        self.launch(i);
                    }
                }
            }
            KEY_DOWN_EVENT => {
                let chr = read_u16(ev.add(event_data::key_down::CHR));
                let command = read_u16(ev.add(event_data::key_down::MODIFIERS)) & COMMAND_KEY_MASK != 0;
                match (chr, command) {
                    (VCHR_PAGE_UP, true) | (CHR_UP_ARROW, _) => self.scroll(false),
                    (VCHR_PAGE_DOWN, true) | (CHR_DOWN_ARROW, _) => self.scroll(true),
                    _ => {}
                }
            }
            _ => {}
        }
        true
    }
}
