//! The demo applications of the default card (scripts/build-guest.sh section 6:
//! `target/guest/apps/Counter.prc` and `Memos.prc`, resources from tools/app-resources) on the
//! real machine: launched through the UI shell (`SysUIAppSwitch`, by
//! roms-stub/asm-tests/ui_launch.S, or by a tap on the icon in the app manager, rom.elf),
//! driven by taps and keys, checked on the screen (text drawn in the form's font where the
//! form puts it, the alert's appearance and the screen restored after it) and in their
//! databases (read from the Data Manager after the run), across relaunches and a card
//! save/load; then Gremlins storms that must never end in a guest fault or a host panic.

use counter_app::ids as counter;
use emulator::card::read_database_file;
use emulator::frontend::gremlins;
use emulator::frontend::session::Session;
use emulator::{Machine, MachineConfig, StopReason};
use integration_tests::{guest_elf, machine_for, TEST_CLOCK};
use memo_app::ids as memo;
use palm_abi::ui_layout::CHR_LINE_FEED;
use palm_shim::graphics::{draw_chars, DrawState, FontId, Surface};
use palm_shim::pdb::{DatabaseFile, Entries};
use palm_shim::FlatMemory;
use std::time::{Duration, Instant};

type Bounds = (i16, i16, i16, i16);

fn prc(name: &str) -> DatabaseFile {
    read_database_file(&guest_elf(&format!("apps/{name}.prc"))).unwrap_or_else(|e| panic!("{e}"))
}

fn config() -> MachineConfig {
    MachineConfig { stop_at_boot: false, fixed_seconds: Some(TEST_CLOCK), ..Default::default() }
}

/// Runs until the guest waits for input.
fn settle(m: &mut Machine) {
    let r = m.run(Some(Duration::from_secs(60)));
    assert_eq!(r, StopReason::Idle, "{r}\nconsole:\n{}", m.console_text());
}

/// The UI-shell launcher ROM (asm-tests/ui_launch.S) with `apps` installed, switched to
/// `app`, run until the application waits for input.
fn launch(apps: &[&str], app: &str) -> Machine {
    let mut m = machine_for("asm-tests/ui_launch.elf", &config());
    for a in apps {
        m.install_database(&prc(a)).unwrap();
    }
    m.set_program_args(app.as_bytes());
    settle(&mut m);
    assert!(m.shim().current_ui_app().is_some(), "{app} is running\n{}", m.console_text());
    m
}

/// Quits the running application (appStopEvent): the launcher runs again and waits.
fn quit(m: &mut Machine) {
    m.post_app_stop();
    settle(m);
    assert!(m.shim().current_ui_app().is_none(), "the application returned");
}

/// Relaunches the application the launcher was given (any event makes it switch again).
fn relaunch(m: &mut Machine) {
    assert!(m.key(b' ' as u16, 0, 0));
    settle(m);
    assert!(m.shim().current_ui_app().is_some());
}

fn tap(m: &mut Machine, (x, y, w, h): Bounds) {
    m.tap(x + w / 2, y + h / 2);
    settle(m);
}

fn type_text(m: &mut Machine, text: &str) {
    for b in text.bytes() {
        let chr = if b == b'\n' { CHR_LINE_FEED } else { b as u16 };
        assert!(m.key(chr, 0, 0));
        settle(m);
    }
}

/// Whether the screen shows exactly `text` in `font` with its top left at (`x`, `y`): every
/// pixel of the text's cell (and of `clear_after` more pixels to the right) is black where
/// the font's glyphs are and white elsewhere.
fn shows_text(m: &Machine, font: FontId, text: &str, x: i32, y: i32, clear_after: i32) -> bool {
    check_text(m, font, text, x, y, clear_after, false, 0)
}

/// Whether line 0 of a field shows `text` at (`x`, `y`) (the row of the underline not compared).
fn shows_field_line(m: &Machine, text: &str, x: i32, y: i32) -> bool {
    check_text(m, FontId::Std, text, x, y, 0, false, 1)
}

/// Whether the form's title tab shows `title` (white bold text on black at 4, 0).
fn shows_title(m: &Machine, title: &str) -> bool {
    check_text(m, FontId::Bold, title, 4, 0, 0, true, 0)
}

#[allow(clippy::too_many_arguments)]
fn check_text(m: &Machine, font: FontId, text: &str, x: i32, y: i32, clear_after: i32, inverted: bool, trim: i32) -> bool {
    let (rows, diff) = text_diff(m, font, text, x, y, clear_after, inverted, trim);
    if diff != 0 {
        eprintln!("screen vs {text:?} at {x},{y}: {diff} pixels differ\n{rows}");
    }
    diff == 0
}

/// The differing pixels between the screen and `text` drawn alone (and a picture of them).
#[allow(clippy::too_many_arguments)]
fn text_diff(m: &Machine, font: FontId, text: &str, x: i32, y: i32, clear_after: i32, inverted: bool, trim: i32) -> (String, usize) {
    let screen = m.screen_rgb();
    let surface = Surface::packed(0x1000, 160, 160, palm_shim::graphics::Depth::Eight).unwrap();
    let mut mem = FlatMemory::new(0x1000, 160 * 160);
    surface.fill(&mut mem, 0).unwrap();
    let st = DrawState::new(palm_shim::graphics::Depth::Eight);
    let width = draw_chars(&surface, &mut mem, &st, font, text.as_bytes(), x, y).unwrap() - x;
    let want = surface.to_rgb888(&mem).unwrap();
    let height = palm_shim::graphics::font(font).line_height() - trim;
    let (mut rows, mut diff) = (String::new(), 0);
    for py in y..y + height {
        for px in x..(x + width + clear_after).min(160) {
            let i = (py as usize * 160 + px as usize) * 3;
            let (s, w) = (screen[i] < 128, (want[i] < 128) != inverted);
            diff += (s != w) as usize;
            rows.push(match (s, w) {
                (true, true) => '#',
                (false, false) => '.',
                (true, false) => '+',
                (false, true) => '-',
            });
        }
        rows.push('\n');
    }
    (rows, diff)
}

/// The records of database `name`.
fn records(m: &Machine, name: &str) -> Vec<Vec<u8>> {
    let db = m.export_database(name).unwrap_or_else(|e| panic!("{e}"));
    let Entries::Records(r) = db.entries else { panic!("{name} is not a record database") };
    r.into_iter().map(|r| r.data).collect()
}

fn stored_count(m: &Machine) -> counter_app::logic::State {
    let r = records(m, counter::DB_NAME);
    assert_eq!(r.len(), 1, "Counter keeps one record");
    counter_app::logic::State::decode(&r[0])
}

fn shows_count(m: &Machine, n: i32) -> bool {
    // The label is left-aligned at COUNT_POS in the large font; nothing of a longer old
    // count may remain to its right.
    shows_text(m, FontId::Large, &n.to_string(), counter::COUNT_POS.0 as i32, counter::COUNT_POS.1 as i32, 20)
}

/// The alert's buttons: laid out by the Form Manager at the bottom of the screen (see
/// palm-shim's form/alert.rs: 156 pixels wide from x = 2, buttons from x + 6, at least 36
/// wide, 6 apart, 12 high, 6 above the bottom; a message of one or two lines).
const ALERT_YES: Bounds = (8, 140, 36, 12);
const ALERT_NO: Bounds = (50, 140, 36, 12);

fn alert_showing(m: &Machine) -> bool {
    m.shim().ui().forms().alert_showing()
}

#[test]
fn packaged_demo_apps_carry_their_resources() {
    for (name, creator, forms, alerts) in
        [("Counter", b"DCnt", &[counter::MAIN_FORM][..], &[counter::RESET_ALERT][..]), ("Memos", b"DMem", &[memo::LIST_FORM, memo::EDIT_FORM][..], &[memo::DELETE_ALERT][..])]
    {
        let db = prc(name);
        assert_eq!(db.creator, u32::from_be_bytes(*creator));
        let Entries::Resources(r) = &db.entries else { panic!("not a resource database") };
        let has = |kind: &[u8; 4], id: u16| r.iter().any(|e| e.kind == u32::from_be_bytes(*kind) && e.id == id);
        for &f in forms {
            assert!(has(b"tFRM", f), "{name}: tFRM {f}");
        }
        for &a in alerts {
            assert!(has(b"Talt", a), "{name}: Talt {a}");
        }
        assert!(has(b"tAIB", 1000) && has(b"tAIN", 1000) && has(b"code", 1), "{name}");
        let keys: Vec<(u32, u16)> = r.iter().map(|e| (e.kind, e.id)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{name}: resources sorted by type and ID");
        // The same bytes tools/app-resources builds.
        let want = if name == "Counter" { app_resources::counter() } else { app_resources::memos() };
        for w in want {
            let got = r.iter().find(|e| e.kind == w.kind && e.id == w.id).unwrap();
            assert_eq!(got.data, w.data, "{name}: {}", app_resources::file_name(&w));
        }
    }
}

#[test]
fn counter_counts_asks_before_reset_and_keeps_its_count() {
    let mut m = launch(&["Counter"], "Counter");
    // The form: title, caption, count 0, the buttons' labels.
    assert!(shows_count(&m, 0));
    assert!(shows_text(&m, FontId::Std, "Count:", counter::CAPTION_POS.0 as i32, counter::CAPTION_POS.1 as i32, 0));
    assert!(shows_title(&m, "Counter"));
    assert_eq!(stored_count(&m), Default::default(), "the database was created with a zero record");

    for i in 1..=3 {
        tap(&mut m, counter::PLUS_BOUNDS);
        assert!(shows_count(&m, i), "after +1 x {i}");
    }
    assert_eq!(stored_count(&m).count, 3, "DmWrite on every change");

    // Step 10, then -1 takes 10 away.
    tap(&mut m, counter::STEP_CHECKBOX_BOUNDS);
    tap(&mut m, counter::MINUS_BOUNDS);
    assert!(shows_count(&m, -7));
    assert_eq!(stored_count(&m), counter_app::logic::State { count: -7, step10: true });
    tap(&mut m, counter::STEP_CHECKBOX_BOUNDS);
    for _ in 0..10 {
        tap(&mut m, counter::PLUS_BOUNDS);
    }
    assert!(shows_count(&m, 3));

    // Reset asks; "No" keeps the count and the screen comes back as it was.
    let before = m.screen_hash();
    tap(&mut m, counter::RESET_BOUNDS);
    assert!(alert_showing(&m), "FrmAlert is waiting for a button");
    assert_ne!(m.screen_hash(), before);
    tap(&mut m, ALERT_NO);
    assert!(!alert_showing(&m));
    assert_eq!(m.screen_hash(), before, "the screen under the alert is restored");
    assert!(shows_count(&m, 3));
    assert_eq!(stored_count(&m).count, 3);
    assert!(m.console_text().contains("counter: reset alert answered 1\n"), "{}", m.console_text());

    // Relaunch: the count comes back from the database.
    quit(&mut m);
    relaunch(&mut m);
    assert!(shows_count(&m, 3), "kept across a relaunch");
    assert_eq!(m.screen_hash(), before, "same picture as before");

    // Card save and load into a new machine.
    let dir = std::env::temp_dir().join(format!("demo-apps-counter-{}", std::process::id()));
    let card = dir.join("card.pcard");
    quit(&mut m);
    m.save_card_file(&card).unwrap();
    let mut m2 = machine_for("asm-tests/ui_launch.elf", &config());
    assert!(m2.load_card_file(&card).unwrap() >= 2);
    m2.set_program_args(b"Counter");
    settle(&mut m2);
    assert!(shows_count(&m2, 3), "kept across a card save/load");
    assert_eq!(stored_count(&m2).count, 3);

    // "Yes" zeroes it (FrmAlert returned the tapped button).
    tap(&mut m2, counter::RESET_BOUNDS);
    assert!(alert_showing(&m2));
    tap(&mut m2, ALERT_YES);
    assert!(!alert_showing(&m2));
    assert!(shows_count(&m2, 0));
    assert_eq!(stored_count(&m2).count, 0);
    assert!(m2.console_text().contains("counter: reset alert answered 0\n"));
    quit(&mut m2);
    m2.shim().memory().check(m2.ram()).unwrap();
    assert!(m2.shim().data_manager().open_databases().is_empty(), "everything closed");
    std::fs::remove_dir_all(&dir).ok();
}

/// The list line `i` of the memo list (items at x + 2, one line each).
fn list_item(i: i16) -> Bounds {
    let (x, y, w, _) = memo::LIST_BOUNDS;
    (x, y + i * memo::LIST_LINE_HEIGHT, w, memo::LIST_LINE_HEIGHT)
}

fn shows_list_title(m: &Machine, i: i16, title: &str) -> bool {
    let (x, y, _, _) = list_item(i);
    shows_text(m, FontId::Std, title, x as i32 + 2, y as i32, 4)
}

/// The menu key, then a tap on a menu item (row `row` of the current menu: rows are 11 pixels
/// from y = 15, see palm-shim's form/menu.rs).
fn choose_menu_item(m: &mut Machine, row: i16) {
    assert!(m.key(palm_abi::ui_layout::VCHR_MENU, 0, palm_abi::ui_layout::COMMAND_KEY_MASK));
    settle(m);
    assert!(m.shim().ui().forms().menu_showing(), "the menu is open");
    m.tap(12, 15 + 11 * row + 5);
    settle(m);
    assert!(!m.shim().ui().forms().menu_showing());
}

#[test]
fn memos_menus_make_and_delete_memos_and_show_the_about_box() {
    let mut m = launch(&["Memos"], "Memos");
    let list = m.screen_hash();
    // Record > New Memo opens the editor.
    choose_menu_item(&mut m, 0);
    assert!(shows_title(&m, "Memo"), "the edit form");
    type_text(&mut m, "From the menu");
    tap(&mut m, memo::DONE_BOUNDS);
    assert_eq!(records(&m, memo::DB_NAME), [b"From the menu\0".to_vec()]);
    // The shortcut: menu key, then the letter.
    assert!(m.key(palm_abi::ui_layout::VCHR_MENU, 0, palm_abi::ui_layout::COMMAND_KEY_MASK));
    settle(&mut m);
    assert!(m.key(b'n' as u16, 0, 0));
    settle(&mut m);
    assert!(shows_title(&m, "Memo"), "the edit form from /N");
    tap(&mut m, memo::DONE_BOUNDS);
    assert_eq!(records(&m, memo::DB_NAME).len(), 1, "an empty memo is not kept");
    // Record > Delete Memo... asks first; Yes deletes.
    tap(&mut m, list_item(0));
    choose_menu_item(&mut m, 0);
    assert!(alert_showing(&m), "the delete confirmation");
    tap(&mut m, ALERT_YES);
    assert!(records(&m, memo::DB_NAME).is_empty());
    assert!(shows_title(&m, "Memos"));
    assert_eq!(m.screen_hash(), list, "back to the empty list");
    // Options > About Memos: an alert; OK closes it and the list is as it was.
    assert!(m.key(palm_abi::ui_layout::VCHR_MENU, 0, palm_abi::ui_layout::COMMAND_KEY_MASK));
    settle(&mut m);
    let options_x = 2 + palm_shim::graphics::font(FontId::Bold).chars_width(b"Record") + 10 + 5;
    m.tap(options_x as i16, 5);
    settle(&mut m);
    // The Options menu hangs below its title.
    m.tap(options_x as i16 + 5, 15 + 5);
    settle(&mut m);
    assert!(alert_showing(&m), "the About box");
    tap(&mut m, (8, 140, 36, 12));
    assert!(!alert_showing(&m));
    assert_eq!(m.screen_hash(), list);
    quit(&mut m);
}

#[test]
fn memos_are_written_listed_edited_deleted_and_kept() {
    let mut m = launch(&["Memos"], "Memos");
    assert!(shows_title(&m, "Memos"));
    assert!(records(&m, memo::DB_NAME).is_empty());

    // New memo, typed, Done.
    tap(&mut m, memo::NEW_BOUNDS);
    assert!(shows_title(&m, "Memo"), "the edit form");
    type_text(&mut m, "Shopping\nmilk, eggs");
    tap(&mut m, memo::DONE_BOUNDS);
    assert_eq!(records(&m, memo::DB_NAME), [b"Shopping\nmilk, eggs\0".to_vec()]);
    assert!(shows_list_title(&m, 0, "Shopping"), "the list shows the title");

    // A second memo.
    tap(&mut m, memo::NEW_BOUNDS);
    type_text(&mut m, "  Call Bob about the boat");
    tap(&mut m, memo::DONE_BOUNDS);
    assert!(shows_list_title(&m, 1, "Call Bob about the boat"));

    // Open the first one, add a line at the end (the insertion point is there), Done.
    tap(&mut m, list_item(0));
    type_text(&mut m, "\nbread");
    tap(&mut m, memo::DONE_BOUNDS);
    let want = [b"Shopping\nmilk, eggs\nbread\0".to_vec(), b"  Call Bob about the boat\0".to_vec()];
    assert_eq!(records(&m, memo::DB_NAME), want);
    assert!(shows_list_title(&m, 0, "Shopping"));

    // Kept across a relaunch and a card save/load; the edit form shows the text.
    quit(&mut m);
    let card = m.card_image();
    let mut m2 = machine_for("asm-tests/ui_launch.elf", &config());
    m2.load_card_image(&card).unwrap();
    m2.set_program_args(b"Memos");
    settle(&mut m2);
    assert!(shows_list_title(&m2, 0, "Shopping") && shows_list_title(&m2, 1, "Call Bob about the boat"));
    assert_eq!(records(&m2, memo::DB_NAME), want);
    tap(&mut m2, list_item(1));
    let (fx, fy, _, _) = memo::FIELD_BOUNDS;
    assert!(shows_field_line(&m2, "  Call Bob about the boat", fx as i32, fy as i32), "the field shows the memo");

    // Delete asks; "No" stays in the memo, "Yes" removes it.
    tap(&mut m2, memo::DELETE_BOUNDS);
    assert!(alert_showing(&m2));
    tap(&mut m2, ALERT_NO);
    assert!(!alert_showing(&m2));
    assert_eq!(records(&m2, memo::DB_NAME).len(), 2);
    tap(&mut m2, memo::DELETE_BOUNDS);
    tap(&mut m2, ALERT_YES);
    assert_eq!(records(&m2, memo::DB_NAME), want[..1]);
    assert!(shows_list_title(&m2, 0, "Shopping"));

    // A memo emptied in the editor is removed; quitting from the editor saves.
    tap(&mut m2, memo::NEW_BOUNDS);
    type_text(&mut m2, "Unsaved until quit");
    quit(&mut m2);
    assert_eq!(records(&m2, memo::DB_NAME)[1], b"Unsaved until quit\0");
    relaunch(&mut m2);
    tap(&mut m2, list_item(1));
    for _ in 0.."Unsaved until quit".len() {
        assert!(m2.key(palm_abi::ui_layout::CHR_BACKSPACE, 0, 0));
        settle(&mut m2);
    }
    tap(&mut m2, memo::DONE_BOUNDS);
    assert_eq!(records(&m2, memo::DB_NAME), want[..1]);
    quit(&mut m2);
    m2.shim().memory().check(m2.ram()).unwrap();
    assert!(m2.shim().data_manager().open_databases().is_empty());
}

/// Gremlins against one application: `count` random taps, drags and keys per seed; any guest
/// fault, trap failure, exit or hang, or a host panic fails the test with the seed.
fn storm(app: &str, seeds: &[u64], count: u64) {
    for &seed in seeds {
        let mut m = machine_for("asm-tests/ui_launch.elf", &config());
        m.install_database(&prc(app)).unwrap();
        m.set_program_args(app.as_bytes());
        let mut s = Session::new(m, Duration::from_secs(30));
        let start = Instant::now();
        let report = gremlins::run(&mut s, seed, count);
        let secs = start.elapsed().as_secs_f64();
        eprintln!("{app}: {} ({:.0} events/s)", report.summary(), report.events as f64 / secs);
        assert!(report.failure.is_none(), "{app}: gremlins seed {seed} failed: {:?}\nconsole:\n{}", report.failure, s.machine().console_text());
        assert_eq!(report.completed, count);
        let m = s.machine_mut();
        // Still the application, still answering; then it quits cleanly.
        assert!(m.shim().current_ui_app().is_some(), "{app} still running after seed {seed}");
        m.post_app_stop();
        let r = m.run(Some(Duration::from_secs(30)));
        assert_eq!(r, StopReason::Idle, "{app} quits after seed {seed}: {r}\n{}", m.console_text());
        m.shim().memory().check(m.ram()).unwrap();
        assert!(m.shim().data_manager().open_databases().is_empty());
        // Whatever the storm did, the data is well-formed.
        if app == "Counter" {
            let st = stored_count(m);
            assert!(st.count.abs() <= counter_app::logic::MAX_COUNT);
            eprintln!("Counter after seed {seed}: {st:?}");
        } else {
            let memos = records(m, memo::DB_NAME);
            for r in &memos {
                assert!(r.len() >= 2 && r.ends_with(&[0]) && !r[..r.len() - 1].contains(&0), "{r:?}");
            }
            eprintln!("Memos after seed {seed}: {} memos", memos.len());
        }
    }
}

#[test]
fn gremlins_never_crash_counter() {
    storm("Counter", &[1, 2], 2000);
}

#[test]
fn gremlins_never_crash_memos() {
    storm("Memos", &[1, 2], 2000);
}

/// Whether the screen shows an icon's ASCII art with its top left at (`x`, `y`).
fn shows_icon(m: &Machine, art: &[&str], x: usize, y: usize) -> bool {
    let screen = m.screen_rgb();
    let mut diff = 0;
    for (dy, row) in art.iter().enumerate() {
        for (dx, c) in row.bytes().enumerate() {
            let i = ((y + dy) * 160 + x + dx) * 3;
            diff += ((screen[i] < 128) != (c == b'#')) as usize;
        }
    }
    diff == 0
}

#[test]
fn the_app_manager_shows_the_icons_and_launches_the_demo_apps_by_a_tap() {
    let mut m = machine_for("rom.elf", &config());
    for a in ["Memos", "Counter"] {
        m.install_database(&prc(a)).unwrap();
    }
    settle(&mut m);
    assert!(m.shim().current_ui_app().is_none(), "the app manager");
    // Sorted by name: Counter in slot 0, Memos in slot 1; their tAIB icons centred in the cells.
    for (slot, art) in [(0, &app_resources::COUNTER_ICON), (1, &app_resources::MEMOS_ICON)] {
        let (cx, cy) = launcher::cell_origin(slot);
        let x = cx + (launcher::CELL_WIDTH - launcher::ICON_WIDTH) / 2;
        assert!(shows_icon(&m, &art[..], x as usize, (cy + launcher::ICON_TOP) as usize), "icon in slot {slot}");
    }
    let home = |m: &mut Machine| {
        assert!(m.key(palm_abi::app_layout::VCHR_LAUNCH, 0, palm_abi::ui_layout::COMMAND_KEY_MASK));
        settle(m);
        assert!(m.shim().current_ui_app().is_none(), "back in the app manager");
    };
    let (x, y) = launcher::icon_centre(0);
    m.tap(x, y);
    settle(&mut m);
    assert!(shows_title(&m, "Counter") && shows_count(&m, 0), "{}", m.console_text());
    tap(&mut m, counter::PLUS_BOUNDS);
    assert!(shows_count(&m, 1));
    home(&mut m);
    let (x, y) = launcher::icon_centre(1);
    m.tap(x, y);
    settle(&mut m);
    assert!(shows_title(&m, "Memos"), "{}", m.console_text());
    home(&mut m);
    let (x, y) = launcher::icon_centre(0);
    m.tap(x, y);
    settle(&mut m);
    assert!(shows_count(&m, 1), "the count survived Home");
    assert_eq!(stored_count(&m).count, 1);
}

#[test]
fn app_logic_natively() {
    use counter_app::logic::{apply, step};
    assert_eq!((0..3).fold(0, |c, _| apply(c, step(false))), 3);
    assert_eq!(memo_app::logic::title(b"\n  Shopping \nmilk"), "Shopping");
}
