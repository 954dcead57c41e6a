//! The app manager (roms-stub/launcher), the ROM's built-in application (`rom.elf`), on the
//! real machine: it lists the card's applications sorted by name (console lines and names on
//! screen, checked against its own layout constants), a tap on an icon launches the
//! application through the UI shell and Home comes back, the cell under the pen is
//! highlighted (inverted) while the pen is on it, more applications than fit scroll a page at
//! a time (arrows and page keys) and the page is kept across a launch, an empty card says "No applications", the default
//! card (`target/guest/default-card/`) holds the bundled applications, unusable icons give way
//! to the default one, and Gremlins storms against it never crash the host. No timed asserts.

use emulator::card::read_database_file;
use emulator::frontend::default_card::{default_apps_dir, install_default_apps};
use emulator::frontend::{gremlins, Input, PalmKey, Session};
use emulator::{guest_artifact, MachineConfig, StopReason};
use integration_tests::{guest_elf, machine_for, TEST_CLOCK};
use launcher::{cell_origin, icon_centre, CELL_HEIGHT, CELL_WIDTH, NAME_TOP, PAGE, SCROLL_DOWN, SCROLL_UP};
use palm_shim::pdb::{DatabaseFile, Entries};
use std::time::Duration;

const TAIN: u32 = u32::from_be_bytes(*b"tAIN");
/// `vchrLaunch`, `vchrPageUp`, `vchrPageDown`.
const HOME: u16 = 0x0108;
const PAGE_UP: u16 = 0x000B;
const PAGE_DOWN: u16 = 0x000C;

fn prc(name: &str) -> DatabaseFile {
    read_database_file(&guest_elf(&format!("apps/{name}.prc"))).unwrap_or_else(|e| panic!("{e}"))
}

/// The app manager booted to its first wait for input with these databases on the card.
fn app_manager(dbs: &[DatabaseFile]) -> Session {
    let config = MachineConfig { fixed_seconds: Some(TEST_CLOCK), ..Default::default() };
    let mut m = machine_for("rom.elf", &config);
    for db in dbs {
        m.install_database(db).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut s = Session::new(m, Duration::from_secs(60));
    assert_eq!(s.boot(), StopReason::Booted, "console:\n{}", s.machine().console_text());
    s
}

fn console(s: &mut Session) -> String {
    String::from_utf8_lossy(&s.machine_mut().shim_mut().take_console()).into_owned()
}

/// The names the app manager listed, in order, from its console lines
/// ("launcher: app N: NAME (database ...").
fn listed(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("launcher: app "))
        .map(|l| {
            let (_, rest) = l.split_once(": ").unwrap();
            rest.split(" (database ").next().unwrap().to_string()
        })
        .collect()
}

fn input(s: &mut Session, i: Input) -> StopReason {
    s.deliver(&i);
    s.run_until_idle()
}

fn tap(s: &mut Session, (x, y): (i16, i16)) -> StopReason {
    input(s, Input::Tap { x, y })
}

fn key(s: &mut Session, chr: u16) -> StopReason {
    input(s, Input::Key(PalmKey::virtual_key(chr)))
}

/// Black pixels (index 255 at 8 bits) in the rectangle.
fn ink(s: &Session, x: i16, y: i16, w: i16, h: i16) -> usize {
    let m = s.machine();
    let surface = m.screen_surface();
    (y..y + h)
        .flat_map(|py| (x..x + w).map(move |px| (px, py)))
        .filter(|&(px, py)| surface.get_pixel(m.ram(), px as i32, py as i32).unwrap() == Some(255))
        .count()
}

/// Ink in the name line of the cell in `slot`.
fn name_ink(s: &Session, slot: usize) -> usize {
    let (x, y) = cell_origin(slot);
    ink(s, x, y + NAME_TOP, CELL_WIDTH, 11)
}

/// Ink in the icon area of the cell in `slot`.
fn icon_ink(s: &Session, slot: usize) -> usize {
    let (x, y) = cell_origin(slot);
    ink(s, x, y, CELL_WIDTH, NAME_TOP)
}

/// `count` copies of HelloApp with their own database names, creators and `tAIN` names
/// ("App 01", ...).
fn hello_copies(count: usize) -> Vec<DatabaseFile> {
    (1..=count)
        .map(|i| {
            let mut db = prc("HelloApp");
            db.name_field = [0; 32];
            let name = format!("HelloCopy{i:02}");
            db.name_field[..name.len()].copy_from_slice(name.as_bytes());
            db.creator = u32::from_be_bytes([b'H', b'C', b'0' + (i / 10) as u8, b'0' + (i % 10) as u8]);
            let Entries::Resources(r) = &mut db.entries else { unreachable!() };
            r.iter_mut().find(|e| e.kind == TAIN && e.id == 1000).unwrap().data = format!("App {i:02}\0").into_bytes();
            db
        })
        .collect()
}

#[test]
fn lists_the_cards_applications_sorted_by_name_with_icons_and_names() {
    // Installed in a different order than listed; HelloApp's name is its tAIN, "Hello".
    let mut s = app_manager(&[prc("Memos"), prc("HelloApp"), prc("Counter")]);
    let text = console(&mut s);
    assert!(text.contains("launcher: 3 application(s)"), "{text}");
    assert_eq!(listed(&text), ["Counter", "Hello", "Memos"], "{text}");
    assert!(text.contains("Hello (database HelloApp, creator HeLo,"), "{text}");
    assert!(text.contains("default icon)"), "HelloApp has no tAIB: {text}");
    assert!(text.lines().any(|l| l.starts_with("launcher: app 1: Counter") && l.ends_with(", icon)")), "{text}");
    // Three cells with an icon and a name; the fourth is empty.
    for slot in 0..3 {
        assert!(icon_ink(&s, slot) > 20, "icon in slot {slot}");
        assert!(name_ink(&s, slot) > 10, "name in slot {slot}");
    }
    assert_eq!(icon_ink(&s, 3) + name_ink(&s, 3), 0, "slot 3 is empty");
    // The title tab is black; no scroll arrows with one page.
    assert!(ink(&s, 0, 0, 40, 11) > 200);
    for r in [SCROLL_UP, SCROLL_DOWN] {
        assert_eq!(ink(&s, r.x, r.y, r.width, r.height), 0);
    }
    // The same card gives the same screen.
    let again = app_manager(&[prc("Counter"), prc("Memos"), prc("HelloApp")]);
    assert_eq!(s.machine().screen_hash(), again.machine().screen_hash());
}

#[test]
fn a_tap_launches_the_application_and_home_comes_back() {
    let mut s = app_manager(&[prc("HelloApp"), prc("Counter"), prc("Memos")]);
    let listing = console(&mut s);
    let home_screen = s.machine().screen_hash();
    let counter_id = s.machine().shim().data_manager().databases().iter().find(|d| d.info.name == b"Counter").unwrap().id();
    assert_eq!(s.machine().shim().current_ui_app(), None);

    // Counter is first (sorted): a tap on its icon switches to it.
    assert_eq!(tap(&mut s, icon_centre(0)), StopReason::Idle);
    let text = console(&mut s);
    assert!(text.contains(&format!("launcher: launch Counter (dbID {counter_id:#x}): err=0x0000")), "{text}");
    assert!(text.contains("launcher: appStopEvent"), "{text}");
    assert!(text.contains("counter: start"), "{text}");
    assert_eq!(s.machine().shim().current_ui_app(), Some(counter_id));
    assert_ne!(s.machine().screen_hash(), home_screen, "Counter's form is shown");

    // Home: Counter stops, the app manager lists the card again and draws the same screen.
    assert_eq!(key(&mut s, HOME), StopReason::Idle);
    let text = console(&mut s);
    assert_eq!(s.machine().shim().current_ui_app(), None, "{text}");
    assert_eq!(listed(&text), listed(&listing), "{text}");
    assert_eq!(s.machine().screen_hash(), home_screen);

    // HelloApp returns by itself (system reset first, then the normal launch): back again.
    assert_eq!(tap(&mut s, icon_centre(1)), StopReason::Idle);
    let text = console(&mut s);
    assert!(text.contains("launcher: launch Hello"), "{text}");
    assert!(text.contains("hello-app: cmd=0x0005"), "{text}");
    assert!(text.contains("hello-app: cmd=0x0000"), "{text}");
    assert_eq!(listed(&text), listed(&listing), "back in the app manager: {text}");
    assert_eq!(s.machine().shim().current_ui_app(), None);
    assert_eq!(s.machine().screen_hash(), home_screen);

    // Many round trips: the app manager is run again every time (its module is instantiated
    // once, so nothing runs out).
    for round in 0..30 {
        assert_eq!(tap(&mut s, icon_centre(2)), StopReason::Idle, "round {round}");
        assert!(s.machine().shim().current_ui_app().is_some(), "Memos runs (round {round})");
        assert_eq!(key(&mut s, HOME), StopReason::Idle, "round {round}");
        assert_eq!(s.machine().screen_hash(), home_screen, "round {round}");
    }
    let text = console(&mut s);
    assert_eq!(text.matches("memos: start").count(), 30, "{text}");

    // A tap that leaves the cell before the pen goes up launches nothing; nor does the pen
    // on an empty cell.
    let (x, y) = icon_centre(0);
    s.deliver(&Input::PenDown { x, y });
    s.deliver(&Input::PenMove { x: x + CELL_WIDTH, y });
    assert_eq!(input(&mut s, Input::PenUp { x: x + CELL_WIDTH, y }), StopReason::Idle);
    assert_eq!(tap(&mut s, icon_centre(3)), StopReason::Idle);
    assert_eq!(s.machine().shim().current_ui_app(), None);
    assert!(!console(&mut s).contains("launch"));
}

#[test]
fn more_applications_than_fit_scroll_a_page_at_a_time() {
    let mut s = app_manager(&hello_copies(20));
    let text = console(&mut s);
    let names: Vec<String> = (1..=20).map(|i| format!("App {i:02}")).collect();
    assert_eq!(listed(&text), names, "{text}");
    let first_page = s.machine().screen_hash();
    for slot in 0..PAGE {
        assert!(name_ink(&s, slot) > 10, "slot {slot}");
    }
    // Only the down arrow.
    assert_eq!(ink(&s, SCROLL_UP.x, SCROLL_UP.y, SCROLL_UP.width, SCROLL_UP.height), 0);
    assert!(ink(&s, SCROLL_DOWN.x, SCROLL_DOWN.y, SCROLL_DOWN.width, SCROLL_DOWN.height) > 10);

    // Page down: applications 13..20 in the first 8 cells, the rest empty, only the up arrow.
    assert_eq!(key(&mut s, PAGE_DOWN), StopReason::Idle);
    assert!(console(&mut s).contains("launcher: page 13-20"));
    let second_page = s.machine().screen_hash();
    assert_ne!(second_page, first_page);
    for slot in 0..PAGE {
        assert_eq!(name_ink(&s, slot) > 10, slot < 8, "slot {slot}");
    }
    assert!(ink(&s, SCROLL_UP.x, SCROLL_UP.y, SCROLL_UP.width, SCROLL_UP.height) > 10);
    assert_eq!(ink(&s, SCROLL_DOWN.x, SCROLL_DOWN.y, SCROLL_DOWN.width, SCROLL_DOWN.height), 0);
    // Further down does nothing.
    assert_eq!(key(&mut s, PAGE_DOWN), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), second_page);

    // The arrows with the pen: up, then down again.
    let centre = |r: palm_abi::ui_layout::RectangleType| (r.x + r.width / 2, r.y + r.height / 2);
    assert_eq!(tap(&mut s, centre(SCROLL_UP)), StopReason::Idle);
    assert!(console(&mut s).contains("launcher: page 1-12"));
    assert_eq!(s.machine().screen_hash(), first_page);
    assert_eq!(tap(&mut s, centre(SCROLL_DOWN)), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), second_page);
    assert_eq!(key(&mut s, PAGE_UP), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), first_page);
    assert_eq!(key(&mut s, PAGE_DOWN), StopReason::Idle);

    // A tap on the second page launches the application shown there ("App 15", slot 2).
    assert_eq!(tap(&mut s, icon_centre(2)), StopReason::Idle);
    let text = console(&mut s);
    assert!(text.contains("launcher: launch App 15 (dbID"), "{text}");
    assert!(text.contains("hello-app: cmd=0x0000"), "{text}");
    // HelloApp returned: the app manager again, on the page it was launched from.
    assert_eq!(listed(&text).len(), 20, "{text}");
    assert_eq!(s.machine().screen_hash(), second_page);
    assert_eq!(key(&mut s, PAGE_UP), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), first_page);
}

#[test]
fn the_app_manager_comes_back_on_the_page_it_was_on() {
    let mut cards = hello_copies(14);
    cards.push(prc("Counter"));
    let mut s = app_manager(&cards);
    let text = console(&mut s);
    // "App 01".."App 14", then "Counter": Counter is 15th, on page 2, slot 2.
    assert_eq!(listed(&text)[14], "Counter", "{text}");
    let first_page = s.machine().screen_hash();
    let centre = |r: palm_abi::ui_layout::RectangleType| (r.x + r.width / 2, r.y + r.height / 2);
    assert_eq!(tap(&mut s, centre(SCROLL_DOWN)), StopReason::Idle);
    assert!(console(&mut s).contains("launcher: page 13-15"));
    let second_page = s.machine().screen_hash();
    assert_ne!(second_page, first_page);

    // Counter from page 2, Home: page 2 again, and a tap there launches from page 2.
    assert_eq!(tap(&mut s, icon_centre(2)), StopReason::Idle);
    let text = console(&mut s);
    assert!(text.contains("launcher: launch Counter (dbID"), "{text}");
    assert!(s.machine().shim().current_ui_app().is_some());
    assert_eq!(key(&mut s, HOME), StopReason::Idle);
    let text = console(&mut s);
    assert_eq!(s.machine().shim().current_ui_app(), None, "{text}");
    assert_eq!(listed(&text).len(), 15, "the card is listed again: {text}");
    assert_eq!(s.machine().screen_hash(), second_page, "{text}");
    assert_eq!(tap(&mut s, icon_centre(0)), StopReason::Idle);
    assert!(console(&mut s).contains("launcher: launch App 13 (dbID"));
    assert_eq!(key(&mut s, HOME), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), second_page);

    // Back to page 1, launch and return: page 1.
    assert_eq!(key(&mut s, PAGE_UP), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), first_page);
    assert_eq!(tap(&mut s, icon_centre(0)), StopReason::Idle);
    assert!(console(&mut s).contains("launcher: launch App 01 (dbID"));
    assert_eq!(s.machine().screen_hash(), first_page, "HelloApp returns by itself");
}

/// Whether each pixel of the cell in `slot` is black.
fn cell_pixels(s: &Session, slot: usize) -> Vec<bool> {
    let (x, y) = cell_origin(slot);
    (0..CELL_HEIGHT).flat_map(|dy| (0..CELL_WIDTH).map(move |dx| (dx, dy))).map(|(dx, dy)| ink(s, x + dx, y + dy, 1, 1) == 1).collect()
}

#[test]
fn the_cell_under_the_pen_is_highlighted_until_the_pen_leaves_or_goes_up() {
    let mut s = app_manager(&[prc("HelloApp"), prc("Counter"), prc("Memos")]);
    console(&mut s);
    let home_screen = s.machine().screen_hash();
    let cells: Vec<Vec<bool>> = (0..4).map(|slot| cell_pixels(&s, slot)).collect();
    let inverted = |c: &[bool]| c.iter().map(|b| !b).collect::<Vec<bool>>();
    let others_unchanged = |s: &Session, highlighted: Option<usize>| {
        for (slot, cell) in cells.iter().enumerate() {
            let want = if Some(slot) == highlighted { inverted(cell) } else { cell.clone() };
            assert_eq!(cell_pixels(s, slot), want, "slot {slot} (highlighted: {highlighted:?})");
        }
    };

    // Pen down on Memos (slot 2): its whole cell is inverted, the others are not.
    let (x, y) = icon_centre(2);
    assert_eq!(input(&mut s, Input::PenDown { x, y }), StopReason::Idle);
    others_unchanged(&s, Some(2));
    assert!(cell_pixels(&s, 2).iter().filter(|&&b| b).count() > (CELL_WIDTH * CELL_HEIGHT) as usize / 2);
    // Moving inside the cell keeps it highlighted; off it (onto Counter's) un-highlights it;
    // back on highlights it again.
    assert_eq!(input(&mut s, Input::PenMove { x: x + 5, y: y + 15 }), StopReason::Idle);
    others_unchanged(&s, Some(2));
    assert_eq!(input(&mut s, Input::PenMove { x: x - CELL_WIDTH, y }), StopReason::Idle);
    others_unchanged(&s, None);
    assert_eq!(s.machine().screen_hash(), home_screen);
    assert_eq!(input(&mut s, Input::PenMove { x: x - 3, y: y - 5 }), StopReason::Idle);
    others_unchanged(&s, Some(2));
    // Pen up elsewhere: nothing launched, nothing highlighted.
    assert_eq!(input(&mut s, Input::PenUp { x, y: 150 }), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), home_screen);
    assert!(!console(&mut s).contains("launch "));
    assert_eq!(s.machine().shim().current_ui_app(), None);

    // Pen down on an empty cell highlights nothing.
    let (ex, ey) = icon_centre(3);
    assert_eq!(input(&mut s, Input::PenDown { x: ex, y: ey }), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), home_screen);
    assert_eq!(input(&mut s, Input::PenUp { x: ex, y: ey }), StopReason::Idle);

    // Pen down on Counter (slot 0): highlighted; pen up on the same cell launches it.
    let (x, y) = icon_centre(0);
    assert_eq!(input(&mut s, Input::PenDown { x, y }), StopReason::Idle);
    others_unchanged(&s, Some(0));
    assert_eq!(s.machine().shim().current_ui_app(), None, "nothing launched while the pen is down");
    assert_eq!(input(&mut s, Input::PenUp { x: x + 10, y: y + 12 }), StopReason::Idle);
    let text = console(&mut s);
    assert!(text.contains("launcher: launch Counter (dbID"), "{text}");
    assert!(text.contains("counter: start"), "{text}");
    // Home: the app manager's screen without any highlight.
    assert_eq!(key(&mut s, HOME), StopReason::Idle);
    assert_eq!(s.machine().screen_hash(), home_screen);
}

#[test]
fn an_empty_card_says_no_applications() {
    let mut s = app_manager(&[]);
    let text = console(&mut s);
    assert!(text.contains("launcher: 0 application(s)"), "{text}");
    assert!(listed(&text).is_empty());
    // "No applications" in the middle of the screen, nothing in the grid's first cell.
    assert!(ink(&s, 20, 70, 120, 11) > 40);
    assert_eq!(icon_ink(&s, 0), 0);
    // Taps and keys do nothing harmful.
    for (x, y) in [(20, 27), (150, 150), (80, 75)] {
        assert_eq!(tap(&mut s, (x, y)), StopReason::Idle);
    }
    assert_eq!(key(&mut s, PAGE_DOWN), StopReason::Idle);
    assert_eq!(key(&mut s, HOME), StopReason::Idle);
    assert!(!console(&mut s).contains("launch "));
    // Databases that are not applications are not listed.
    let data = DatabaseFile::new("SomeData", u32::from_be_bytes(*b"DATA"), u32::from_be_bytes(*b"test"), Entries::Records(Vec::new())).unwrap();
    let mut s = app_manager(&[data]);
    assert!(console(&mut s).contains("launcher: 0 application(s)"));
}

#[test]
fn the_default_card_holds_the_bundled_applications() {
    let dir = default_apps_dir(&guest_artifact("rom.elf"));
    assert_eq!(dir, guest_artifact("default-card"));
    let config = MachineConfig { fixed_seconds: Some(TEST_CLOCK), ..Default::default() };
    let mut m = machine_for("rom.elf", &config);
    let names = install_default_apps(&mut m, &dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names, ["Counter", "GuestVM", "HelloApp", "Memos", "StoreWrapper"], "{}", dir.display());
    let mut s = Session::new(m, Duration::from_secs(60));
    assert_eq!(s.boot(), StopReason::Booted);
    let text = console(&mut s);
    assert_eq!(listed(&text), ["Counter", "Hello", "Memos", "Persistent VM"], "{text}");
    // A missing directory is an empty default card.
    let mut m = machine_for("rom.elf", &config);
    assert!(install_default_apps(&mut m, &dir.join("nonexistent")).unwrap().is_empty());
}

#[test]
fn gremlins_against_the_app_manager_never_crash_the_host() {
    let storm = |seed| {
        let config = MachineConfig { fixed_seconds: Some(TEST_CLOCK), stop_at_boot: false, ..Default::default() };
        let mut m = machine_for("rom.elf", &config);
        for db in hello_copies(14).iter().chain([prc("Counter"), prc("Memos")].iter()) {
            m.install_database(db).unwrap();
        }
        let mut s = Session::new(m, Duration::from_secs(60));
        let r = gremlins::run(&mut s, seed, 2000);
        assert_eq!(r.failure, None, "{}\nconsole:\n{}", r.summary(), s.machine().console_text());
        assert_eq!(r.completed, 2000);
        let text = console(&mut s);
        (r.screen_hash, r.traps, text.matches("launcher: launch ").count())
    };
    let mut launches = 0;
    for seed in [21, 22] {
        let first = storm(seed);
        assert_eq!(first, storm(seed), "seed {seed} is deterministic");
        launches += first.2;
    }
    assert!(launches > 0, "the storms launched applications");
}

#[test]
fn an_unusable_icon_is_replaced_by_the_default_one() {
    use palm_shim::pdb::ResourceEntry;
    let with_icon = |name: &str, tain: &str, bitmap: Vec<u8>| {
        let mut db = prc("HelloApp");
        db.name_field = [0; 32];
        db.name_field[..name.len()].copy_from_slice(name.as_bytes());
        let Entries::Resources(r) = &mut db.entries else { unreachable!() };
        r.iter_mut().find(|e| e.kind == TAIN && e.id == 1000).unwrap().data = format!("{tain}\0").into_bytes();
        r.push(ResourceEntry { kind: u32::from_be_bytes(*b"tAIB"), id: 1000, data: bitmap });
        r.sort_by_key(|e| (e.kind, e.id));
        db
    };
    // 16-byte v1 headers: 5000 x 22; 32 x 22 with rows beyond the resource; version 9.
    let header = |w: u16, h: u16, row_bytes: u16, version: u8| {
        let mut b = Vec::new();
        for v in [w, h, row_bytes, 0] {
            b.extend_from_slice(&v.to_be_bytes());
        }
        b.extend_from_slice(&[1, version, 0, 0, 0, 0, 0, 0]);
        b
    };
    let mut truncated = header(32, 22, 4, 1);
    truncated.extend_from_slice(&[0xFF; 40]);
    let mut s = app_manager(&[
        with_icon("Wide", "A wide", header(5000, 22, 625, 1)),
        with_icon("Short", "B short", truncated),
        with_icon("Odd", "C odd", header(32, 22, 4, 9)),
        with_icon("Tiny", "D tiny", vec![0, 1]),
    ]);
    let text = console(&mut s);
    assert_eq!(listed(&text), ["A wide", "B short", "C odd", "D tiny"], "{text}");
    // Every cell shows the same (default) icon.
    let (x0, y0) = cell_origin(0);
    let reference: Vec<bool> = (0..launcher::ICON_HEIGHT)
        .flat_map(|dy| (0..CELL_WIDTH).map(move |dx| (dx, dy)))
        .map(|(dx, dy)| ink(&s, x0 + dx, y0 + launcher::ICON_TOP + dy, 1, 1) == 1)
        .collect();
    assert!(reference.iter().filter(|&&b| b).count() > 20, "the default icon");
    for slot in 1..4 {
        let (x, y) = cell_origin(slot);
        let icon: Vec<bool> = (0..launcher::ICON_HEIGHT)
            .flat_map(|dy| (0..CELL_WIDTH).map(move |dx| (dx, dy)))
            .map(|(dx, dy)| ink(&s, x + dx, y + launcher::ICON_TOP + dy, 1, 1) == 1)
            .collect();
        assert_eq!(icon, reference, "slot {slot}");
    }
}
