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
//! While the pen is down on an application's cell the cell is highlighted (inverted), moving
//! off un-highlights it, and pen-up in the same cell launches the application with
//! `SysUIAppSwitch(0, dbID, sysAppLaunchCmdNormalLaunch, NULL)`; the UI shell then stops this
//! program with `appStopEvent`, runs the application, and runs this program again when it
//! returns (or on Home). With no application it says "No applications".
//!
//! The console gets one line per listed application and one per launch (tests read it).
//! Every run scans the card afresh; only the page shown is kept between runs (the program's
//! statics persist: `guest_main` instantiates the module once), so an application returns
//! to the page it was launched from.
//!
//! The pure logic (layout, name order, paging, hit-testing, pen tracking) is in [`logic`],
//! unit-tested natively.
#![no_std]

extern crate alloc;

pub mod logic;

use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use guest_sdk::palm_abi::ui_layout::{
    event_data, EventType, RectangleType, APP_STOP_EVENT, BOLD_FONT, COMMAND_KEY_MASK, EVT_WAIT_FOREVER,
    KEY_DOWN_EVENT, PEN_DOWN_EVENT, PEN_MOVE_EVENT, PEN_UP_EVENT, STD_FONT,
};
use guest_sdk::traps::{
    DmCloseDatabase, DmDatabaseInfo, DmGet1Resource, DmGetNextDatabaseByTypeCreator, DmOpenDatabase,
    DmReleaseResource, EvtGetEvent, FntCharsWidth, FntSetFont, MemHandleLock, MemHandleSize,
    MemHandleUnlock, SysUIAppSwitch, WinDrawBitmap, WinDrawChars, WinDrawInvertedChars, WinDrawLine, WinDrawRectangle, WinEraseWindow, WinInvertRectangle,
    WinResetClip, WinSetClip,
};
use guest_sdk::{copy_from_guest, copy_to_guest, println, read_u16, read_u32, scratch_area, GuestAddr};

pub use logic::*;

/// The page start shown last (kept between runs; clamped to the card's applications).
static FIRST: AtomicUsize = AtomicUsize::new(0);

/// `'appl'`, `'tAIN'`, `'tAIB'`.
const APPL: u32 = u32::from_be_bytes(*b"appl");
const TAIN: u32 = u32::from_be_bytes(*b"tAIN");
const TAIB: u32 = u32::from_be_bytes(*b"tAIB");
const APP_RES_ID: u16 = 1000;
const DM_MODE_READ_ONLY: u16 = 0x0001;
/// Names longer than this are cut (PalmOS database names have 31 characters).
const NAME_CAP: usize = 31;

guest_sdk::entry!(app_main);

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
    sort_by_name(&mut apps, |e: &AppEntry| (&e.name[..], e.db_id));
    apps
}

fn fourcc(v: u32) -> [char; 4] {
    v.to_be_bytes().map(|c| if (0x20..0x7F).contains(&c) { c as char } else { '?' })
}

fn text_of(s: &[u8]) -> &str {
    core::str::from_utf8(s).unwrap_or("?")
}

struct App {
    b: Buffers,
    apps: Vec<AppEntry>,
    /// Index of the first application on the page (a multiple of [`PAGE`]).
    first: usize,
    /// The pen between pen-down and pen-up (the highlighted cell).
    pen: PenTracker,
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
    let first = page_start(FIRST.load(Relaxed), apps.len());
    FIRST.store(first, Relaxed);
    let mut app = App { b, apps, first, pen: PenTracker::default(), switching: false };
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
        can_scroll_up(self.first)
    }

    fn can_scroll_down(&self) -> bool {
        can_scroll_down(self.first, self.apps.len())
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
        let last = page_end(self.first, self.apps.len());
        for i in self.first..last {
            self.draw_cell(i - self.first, i);
        }
        let mut status = status_text(self.first, self.apps.len());
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
        hit(x, y, self.first, self.apps.len())
    }

    fn scroll(&mut self, down: bool) {
        let before = self.first;
        self.first = scroll(self.first, self.apps.len(), down);
        if self.first != before {
            FIRST.store(self.first, Relaxed);
            // The redraw clears any highlight: the press is forgotten.
            self.pen = PenTracker::default();
            println!("launcher: page {}-{}", self.first + 1, page_end(self.first, self.apps.len()));
            self.draw();
        }
    }

    /// Inverts the cell of application `index` if it is on the page.
    fn invert(&self, index: usize) {
        if (self.first..page_end(self.first, self.apps.len())).contains(&index) {
            WinInvertRectangle(self.set_rect(cell_rect(index - self.first)), 0);
        }
    }

    fn act(&mut self, actions: Vec<Action>) {
        for a in actions {
            match a {
                Action::Invert(i) => self.invert(i),
                Action::Scroll { down } => self.scroll(down),
                Action::Launch(i) => self.launch(i),
            }
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
            PEN_DOWN_EVENT | PEN_MOVE_EVENT | PEN_UP_EVENT => {
                let hit = self.hit(at(EventType::SCREEN_X), at(EventType::SCREEN_Y));
                let actions = match e_type {
                    PEN_DOWN_EVENT => self.pen.pen_down(hit),
                    PEN_MOVE_EVENT => self.pen.pen_move(hit),
                    _ => self.pen.pen_up(hit),
                };
                self.act(actions);
            }
            KEY_DOWN_EVENT => {
                let chr = read_u16(ev.add(event_data::key_down::CHR));
                let command = read_u16(ev.add(event_data::key_down::MODIFIERS)) & COMMAND_KEY_MASK != 0;
                if let Some(down) = key_scroll(chr, command) {
                    self.scroll(down);
                }
            }
            _ => {}
        }
        true
    }
}
