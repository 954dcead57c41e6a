//! SDK programs packaged as standard PalmOS applications (scripts/build-guest.sh section 6:
//! `target/guest/apps/<Name>.prc`, made by tools/prc-pack) run from the card: a small
//! "app manager" ROM (roms-stub/asm-tests/launch_app.S) finds the application by name and runs
//! it with SysAppLaunch, once per event it receives. Code 1 runs in place in the storage heap,
//! the globals are a fresh A5 world every launch, and the code keeps working after the storage
//! heap moved it (to an address that is 2 mod 4, too).

use emulator::card::read_database_file;
use emulator::{Machine, MachineConfig, StopReason};
use integration_tests::{guest_elf, machine_for, TEST_CLOCK};
use palm_shim::app_image::A5World;
use palm_shim::data_mgr::Content;
use palm_shim::managers::memory_mgr::DYNAMIC_HEAP_ID;
use palm_shim::pdb::{DatabaseFile, Entries};
use palm_shim::GuestMemory;
use std::time::Duration;

const CODE: u32 = u32::from_be_bytes(*b"code");

fn prc(name: &str) -> DatabaseFile {
    read_database_file(&guest_elf(&format!("apps/{name}.prc"))).unwrap_or_else(|e| panic!("{e}"))
}

/// The launcher ROM with one application installed, asked to launch it.
struct Launcher {
    m: Machine,
    app: &'static str,
    count_at: u32,
    log_at: u32,
}

impl Launcher {
    fn new(app: &'static str) -> Self {
        let config = MachineConfig { stop_at_boot: false, fixed_seconds: Some(TEST_CLOCK), ..Default::default() };
        let mut m = machine_for("asm-tests/launch_app.elf", &config);
        m.install_database(&prc(app)).unwrap();
        m.set_program_args(app.as_bytes());
        let rom = m.rom().unwrap();
        let (count_at, log_at) = (rom.symbol("launch_count").unwrap(), rom.symbol("launch_log").unwrap());
        Self { m, app, count_at, log_at }
    }

    /// Fills all free dynamic-heap memory with 0xA5, so a launch that does not zero-fill the
    /// globals it allocates hands the application garbage.
    fn dirty_free_dynamic_heap(&mut self) {
        let st = self.m.state_mut();
        let max = st.shim.memory().free_bytes(DYNAMIC_HEAP_ID).unwrap().max;
        let p = st.shim.memory_mut().alloc_ptr(&mut st.ram, DYNAMIC_HEAP_ID, max, 0).unwrap();
        st.ram.write(p, &vec![0xA5; max as usize]).unwrap();
        st.shim.memory_mut().free_chunk(&mut st.ram, p).unwrap();
    }

    /// Runs until the launcher waits for the next event; returns SysAppLaunch's error and the
    /// application's result of the latest launch.
    fn run(&mut self) -> (u32, u32) {
        let reason = self.m.run(Some(Duration::from_secs(120)));
        assert_eq!(reason, StopReason::Idle, "{reason}\nconsole:\n{}", self.m.console_text());
        let ram = self.m.ram();
        let n = ram.read_u32(self.count_at).unwrap();
        assert!(n >= 1);
        let at = self.log_at + 8 * (n - 1);
        (ram.read_u32(at).unwrap(), ram.read_u32(at + 4).unwrap())
    }

    /// Launches the application once more.
    fn again(&mut self) -> (u32, u32) {
        assert!(self.m.key(b' ' as u16, 0, 0), "key queued");
        self.run()
    }

    /// Ends the launcher: its exit code is the number of launches.
    fn finish(&mut self) -> StopReason {
        self.m.post_app_stop();
        self.m.run(Some(Duration::from_secs(10)))
    }

    /// Where the application's code 1 chunk is now.
    fn code1(&self) -> u32 {
        let dm = self.m.shim().data_manager();
        let db = &dm.databases()[dm.find_by_name(self.app.as_bytes()).unwrap()];
        let Content::Resources(r) = &db.content else { panic!("not a resource database") };
        let h = r.iter().find(|r| r.kind == CODE && r.id == 1).and_then(|r| r.handle).unwrap();
        self.m.shim().memory().deref_handle(self.m.ram(), h).unwrap()
    }

    /// Moves the storage heap (the application is not running, so code 1 is unlocked) with
    /// seeds until code 1 lands at an address that is 2 mod 4; returns the new address.
    fn move_code1_to_2_mod_4(&mut self) -> u32 {
        let before = self.code1();
        for seed in 1..200 {
            self.m.relocate_storage(seed).unwrap();
            let now = self.code1();
            if now != before && now % 4 == 2 {
                return now;
            }
        }
        panic!("no seed moved code 1 to an address 2 mod 4");
    }

    /// Like [`Self::move_code1_to_2_mod_4`], but onto bytes where code 1 was before (shifted,
    /// overlapping its old place): translated code the CPU cached for the old place is stale.
    fn move_code1_onto_itself(&mut self) -> (u32, u32) {
        let before = self.code1();
        let Entries::Resources(r) = prc(self.app).entries else { unreachable!() };
        let len = r.iter().find(|e| e.kind == CODE && e.id == 1).unwrap().data.len() as u32;
        for seed in 1..2000 {
            self.m.relocate_storage(seed).unwrap();
            let now = self.code1();
            if now != before && now % 4 == 2 && now.abs_diff(before) < len / 2 {
                return (before, now);
            }
        }
        panic!("no seed moved code 1 onto its old place");
    }

    fn console(&self) -> String {
        self.m.console_text()
    }
}

fn dynamic_free(m: &Machine) -> u32 {
    m.shim().memory().free_bytes(DYNAMIC_HEAP_ID).unwrap().total
}

#[test]
fn packaged_resources_are_a_standard_application() {
    for name in ["HelloApp", "DmExerciseApp", "SelfTestApp"] {
        let db = prc(name);
        assert_eq!(db.db_type, u32::from_be_bytes(*b"appl"));
        assert!(db.is_resource_db());
        let Entries::Resources(r) = &db.entries else { unreachable!() };
        let get = |kind: &[u8; 4], id: u16| {
            r.iter().find(|e| e.kind == u32::from_be_bytes(*kind) && e.id == id).map(|e| e.data.clone())
        };
        let code0 = get(b"code", 0).expect("code 0");
        let code1 = get(b"code", 1).expect("code 1");
        let data0 = get(b"data", 0).expect("data 0");
        let pref = get(b"pref", 0).expect("pref 0");
        let (title, stack) = match name {
            "HelloApp" => (&b"Hello\0"[..], 0x8000),
            "DmExerciseApp" => (&b"DM Exercise\0"[..], 0x8000),
            _ => (&b"Self-test\0"[..], 0x18000),
        };
        assert_eq!(get(b"tAIN", 1000).expect("tAIN"), title);
        assert_eq!(&pref[..2], &[0, 30], "priority 30");
        assert_eq!(u32::from_be_bytes(pref[2..6].try_into().unwrap()), stack, "stack size from __app_stack_size");
        // The entry point, app_start.S, is code 1's first byte: link.w a6,#-12.
        assert_eq!(&code1[..4], &[0x4E, 0x56, 0xFF, 0xF4]);
        // Jump table: 8 bytes after the GOT.
        assert_eq!(u32::from_be_bytes(code0[8..12].try_into().unwrap()), 8);
        assert_eq!(&code0[16..], &[0x00, 0x00, 0x3F, 0x3C, 0x00, 0x01, 0xA9, 0xF0]);
        let world = A5World::build(&code0, Some(&data0)).unwrap();
        assert!(!world.code1_relocations.is_empty() && !world.a5_relocations.is_empty());
        eprintln!(
            "{name}: code 1 {} bytes, data 0 {} bytes, A5 world {} bytes ({} below A5, {} above), {} A5 + {} code relocations",
            code1.len(), data0.len(), world.bytes.len(), world.code0.below_a5, world.code0.above_a5,
            world.a5_relocations.len(), world.code1_relocations.len()
        );
    }
}

#[test]
fn hello_app_gets_its_launch_parameters_and_fresh_zero_filled_globals_every_launch() {
    let mut l = Launcher::new("HelloApp");
    l.dirty_free_dynamic_heap();
    // sysAppLaunchFlagNewGlobals | DataRelocated, and SubCall (SysAppLaunch runs it on the
    // caller's stack).
    let line = |cmd: u32| {
        format!("hello-app: cmd={cmd:#06x} pbp=\"HelloApp\" flags=0x0094 generation=1 dirty-scratch-bytes=0\n")
    };
    let areas = "hello-app: largest areas [400, 380, 324], total 2970\n";

    let first_code1 = l.code1();
    assert_eq!(l.run(), (0, 0x8001 + 1000), "{}", l.console());
    let free_after_one = dynamic_free(&l.m);
    assert_eq!(l.console(), format!("{}{areas}", line(0x8001)));

    // Again: the application dirtied its C scratch buffer and its Rust static last time; a
    // new A5 world and a new linear memory start clean.
    assert_eq!(l.again(), (0, 0x8002 + 1000), "{}", l.console());
    assert_eq!(dynamic_free(&l.m), free_after_one, "nothing leaks per launch (globals, arena)");

    // Move code 1 and run it there.
    let moved = l.move_code1_to_2_mod_4();
    assert_ne!(moved, first_code1);
    assert_eq!(l.again(), (0, 0x8003 + 1000), "{}", l.console());
    assert_eq!(l.code1(), moved, "code 1 ran where it was (locked in place while running)");
    // And once more somewhere else (4-aligned or not).
    l.m.relocate_storage(0x5EED).unwrap();
    assert_eq!(l.again(), (0, 0x8004 + 1000), "{}", l.console());

    let want: String = (0x8001..=0x8004).map(|c| format!("{}{areas}", line(c))).collect();
    assert_eq!(l.console(), want);
    assert_eq!(l.finish(), StopReason::Exit(4));
    assert_eq!(dynamic_free(&l.m), free_after_one);
    assert!(l.m.shim().data_manager().open_databases().is_empty());
    l.m.shim().memory().check(l.m.ram()).unwrap();
    eprintln!("HelloApp ran with code 1 at {first_code1:#x}, then {moved:#x} (2 mod 4), then {:#x}", l.code1());
}

#[test]
fn dm_exercise_passes_every_check_as_a_prc_app_launched_repeatedly_and_moved() {
    let mut l = Launcher::new("DmExerciseApp");
    l.dirty_free_dynamic_heap();
    let summary = |console: &str| console.lines().filter(|s| s.starts_with("dm-exercise:")).map(str::to_owned).collect::<Vec<_>>();

    assert_eq!(l.run(), (0, 0), "SysAppLaunch ok, 0 failed checks:\n{}", l.console());
    let first = l.console();
    let s = summary(&first);
    assert_eq!(s.len(), 1, "{first}");
    assert!(s[0].ends_with(" checks, 0 failed"), "{first}");
    assert!(!first.contains("FAIL"), "{first}");

    // The program creates "DmExercise" and fails its first check if it exists: remove what
    // the last launch left, so every launch sees the same card.
    l.m.delete_database("DmExercise").unwrap();
    assert_eq!(l.again(), (0, 0), "{}", l.console());
    l.m.delete_database("DmExercise").unwrap();
    let moved = l.move_code1_to_2_mod_4();
    assert_eq!(l.again(), (0, 0), "{}", l.console());
    assert_eq!(l.code1(), moved);

    // Three identical transcripts.
    let all = l.console();
    assert_eq!(all, first.repeat(3));
    assert_eq!(l.finish(), StopReason::Exit(3));
    assert!(l.m.export_database("DmExercise").is_ok(), "the last launch's database is on the card");
    assert!(l.m.shim().data_manager().open_databases().is_empty());
    l.m.shim().memory().check(l.m.ram()).unwrap();
}

#[test]
fn code_1_moved_onto_its_old_place_runs_the_new_bytes_not_stale_translations() {
    let mut l = Launcher::new("HelloApp");
    assert_eq!(l.run(), (0, 0x8001 + 1000), "{}", l.console());
    let (before, now) = l.move_code1_onto_itself();
    assert_eq!(l.again(), (0, 0x8002 + 1000), "code 1 moved from {before:#x} to {now:#x}:\n{}", l.console());
    assert_eq!(l.finish(), StopReason::Exit(2));
}

#[test]
fn the_differential_self_test_as_a_prc_app_prints_the_native_transcript() {
    let mut l = Launcher::new("SelfTestApp");
    assert_eq!(l.run(), (0, 0), "{}", l.console());
    let (code, native) = guest_selftest::native_transcript();
    assert_eq!(code, 0);
    assert_eq!(l.console(), native, "the -msep-data build of the self-test differs from the native one");
    assert_eq!(l.finish(), StopReason::Exit(1));
}
