//! Launching a persistent store like an application (item 7 of the store, and the
//! `appStopEvent` trigger of item 5; `docs/store-format.md` section 11): on a card with
//! `GuestVM.prc` (the VM application, 'appl'/'SpVM') and `StoreWrapper.prc` (the Wrapper
//! template, 'wrap'/'SpWr'), the VM application creates a store with the Wrapper copied in;
//! launching the store through the UI shell runs the Wrapper from inside the store, which
//! switches to the VM with `LAUNCH_CMD_RESUME_STORE`; the VM resumes it, runs, and suspends it
//! on Home or `appStopEvent`; the card is saved, reloaded and relocated, and the store continues
//! from the saved step. Every `state` line equals the native driver's line for the same step.
//!
//! The ROM is `asm-tests/ui_launch.elf`, a minimal built-in application: its first run switches
//! to the database named by the program arguments; later runs wait for an event (any event
//! switches to the named database again, `appStopEvent` ends the run).

use emulator::card::read_database_file;
use emulator::{Machine, MachineConfig, StopReason};
use guest_sdk::native::with_host;
use guest_vm::codes;
use integration_tests::shim_host::ShimHost;
use integration_tests::{guest_elf, machine_for, TEST_CLOCK};
use palm_abi::app_layout::VCHR_LAUNCH;
use palm_abi::ui_layout::COMMAND_KEY_MASK;
use palm_shim::data_mgr::Content;
use palm_shim::pdb::{fourcc, DatabaseFile, Entries};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn prc(name: &str) -> DatabaseFile {
    read_database_file(&guest_elf(&format!("apps/{name}.prc"))).unwrap_or_else(|e| panic!("{e}"))
}

fn config() -> MachineConfig {
    MachineConfig { stop_at_boot: false, fixed_seconds: Some(TEST_CLOCK), check_odd_pc: false }
}

/// The UI-shell ROM with `dbs` installed (or a saved card loaded), set to launch `name`.
fn machine(dbs: &[&str], card: Option<&palm_shim::card::CardImage>, name: &str) -> Machine {
    let mut m = machine_for("asm-tests/ui_launch.elf", &config());
    if let Some(c) = card {
        m.load_card_image(c).unwrap();
    }
    for d in dbs {
        m.install_database(&prc(d)).unwrap();
    }
    m.set_program_args(name.as_bytes());
    m
}

/// Runs until the machine waits for an event; returns the console output of this run and how
/// long it took.
fn run_idle(m: &mut Machine, what: &str) -> (String, Duration) {
    let _ = m.shim_mut().take_console();
    let t = Instant::now();
    let reason = m.run(Some(Duration::from_secs(300)));
    let took = t.elapsed();
    let out = m.console_text();
    assert_eq!(reason, StopReason::Idle, "{what}: {reason}\nconsole:\n{out}");
    (out, took)
}

fn home(m: &mut Machine) {
    assert!(m.key(VCHR_LAUNCH, 0, COMMAND_KEY_MASK), "key queued");
}

/// The `state step=N` lines of a transcript, by step.
fn states(out: &str) -> BTreeMap<u32, String> {
    out.lines()
        .filter(|l| l.starts_with("state step="))
        .map(|l| (l["state step=".len()..].split(' ').next().unwrap().parse().unwrap(), l.to_string()))
        .collect()
}

/// The native driver's uninterrupted run: `create` with `seed` for `steps` steps, a state line
/// every `every` steps.
fn native_states(seed: u32, steps: u32, every: u32) -> BTreeMap<u32, String> {
    let mut host = ShimHost::default();
    host.shim.init_memory(&mut host.ram).unwrap();
    host.shim.set_program_args(format!("create Reference {seed} {steps} every={every}").as_bytes());
    let code = with_host(&mut host, guest_vm::driver::main);
    let out = host.console_text();
    assert_eq!(code, 0, "{out}");
    states(&out)
}

/// (type, id) of every resource of database `name`, in the database's order.
fn resource_list(m: &Machine, name: &str) -> Vec<(u32, u16)> {
    let dm = m.shim().data_manager();
    let db = &dm.databases()[dm.find_by_name(name.as_bytes()).unwrap_or_else(|| panic!("no database {name}"))];
    let Content::Resources(r) = &db.content else { panic!("{name} is not a resource database") };
    r.iter().map(|r| (r.kind, r.id)).collect()
}

fn assert_clean(m: &Machine) {
    m.shim().memory().check(m.ram()).unwrap();
    assert!(m.shim().data_manager().open_databases().is_empty(), "a database was left open");
    assert!(!m.storage_writable(), "the storage semaphore was left reserved");
}

/// The New store button of the VM application's list screen.
const NEW_STORE: (i16, i16) = (80, 143);

/// A machine on which the VM application created "Store 1" (200 steps) and returned to the
/// built-in application, which waits for an event.
fn card_with_store() -> (Machine, String) {
    let mut m = machine(&["GuestVM", "StoreWrapper"], None, "GuestVM");
    let (out, _) = run_idle(&mut m, "VM application, normal launch");
    assert_eq!(out, "", "the store list prints nothing");
    m.tap(NEW_STORE.0, NEW_STORE.1);
    let (created, _) = run_idle(&mut m, "New store");
    assert!(created.starts_with("created \"Store 1\": seed=1 "), "{created}");
    assert!(created.contains("\nstate step=200 "), "{created}");
    assert!(created.contains("\nsuspended \"Store 1\": "), "{created}");
    home(&mut m);
    run_idle(&mut m, "Home from the store list");
    assert_clean(&m);
    (m, created)
}

#[test]
fn the_packaged_vm_and_wrapper_carry_the_codes_of_guest_vm() {
    let vm = prc("GuestVM");
    assert_eq!((vm.db_type, vm.creator), (codes::VM_DB_TYPE, codes::VM_CREATOR));
    let w = prc("StoreWrapper");
    assert_eq!((w.db_type, w.creator), (codes::WRAPPER_DB_TYPE, codes::WRAPPER_CREATOR));
    assert_ne!(w.db_type, u32::from_be_bytes(*b"appl"), "the app manager must not list the template");
    assert_eq!(codes::LAUNCH_CMD_RESUME_STORE, 0x8001);
    for d in [&vm, &w] {
        let Entries::Resources(r) = &d.entries else { panic!("not a resource database") };
        for (kind, id) in [(b"code", 0), (b"code", 1), (b"data", 0), (b"pref", 0)] {
            assert!(r.iter().any(|e| e.kind == u32::from_be_bytes(*kind) && e.id == id), "{:?}: no {} {id}", d.name(), fourcc(u32::from_be_bytes(*kind)));
        }
    }
}

#[test]
fn a_store_made_by_the_vm_app_launches_through_its_wrapper_suspends_on_home_and_continues_after_reload() {
    let (mut m, created) = card_with_store();

    // The store: the Wrapper's resources (its tAIN replaced by the store's name), then 'STOR',
    // then 'VMem' 1..N.
    let list = resource_list(&m, "Store 1");
    let Entries::Resources(template) = prc("StoreWrapper").entries else { unreachable!() };
    let stor = list.iter().position(|&(k, _)| k == codes::HEADER_RESOURCE_TYPE).expect("'STOR'");
    assert_eq!(list[..stor].len(), template.len(), "{list:x?}");
    for (got, want) in list[..stor].iter().zip(&template) {
        assert_eq!(*got, (want.kind, want.id), "Wrapper resources copied in the template's order");
    }
    assert_eq!(list[stor].1, codes::HEADER_RESOURCE_ID);
    let segs: Vec<u16> = list[stor + 1..].iter().map(|&(k, id)| {
        assert_eq!(k, codes::SEGMENT_RESOURCE_TYPE);
        id
    }).collect();
    assert_eq!(segs, (1..=segs.len() as u16).collect::<Vec<_>>());
    let store = m.export_database("Store 1").unwrap();
    assert_eq!((store.db_type, store.creator), (codes::STORE_DB_TYPE, codes::STORE_CREATOR));
    let Entries::Resources(r) = &store.entries else { unreachable!() };
    let tain = r.iter().find(|e| e.kind == codes::APP_NAME_RESOURCE_TYPE && e.id == codes::APP_NAME_RESOURCE_ID).unwrap();
    assert_eq!(tain.data, b"Store 1\0", "the app manager shows the store's name");
    for e in r.iter().filter(|e| e.kind == u32::from_be_bytes(*b"code")) {
        let t = template.iter().find(|t| t.kind == e.kind && t.id == e.id).unwrap();
        assert!(t.data == e.data, "code {} copied byte for byte", e.id);
    }

    // Launch it: Wrapper -> SysUIAppSwitch(VM, 0x8001) -> resumed, 100 steps.
    m.set_program_args(b"Store 1");
    m.key(b' ' as u16, 0, 0);
    let (first, took) = run_idle(&mut m, "launching the store");
    eprintln!("launch -> Wrapper -> VM resumed and ran {} steps and drew: {took:?}", guest_vm::app::RESUME_STEPS);
    let mut lines = first.lines();
    let resumed = lines.next().unwrap();
    assert!(resumed.starts_with("resumed \"Store 1\": "), "{first}");
    assert!(resumed.contains(" suspensions=1 resumptions=1"), "{first}");
    let s = states(&first);
    assert_eq!(s.keys().copied().collect::<Vec<_>>(), vec![200, 300], "{first}");
    assert_eq!(s[&200], states(&created)[&200], "resumed in the suspended state");
    assert!(m.storage_writable() == false, "the semaphore is released while the VM waits for events");

    // A tap runs 100 more steps; Home suspends.
    m.tap(20, 60);
    let (tapped, _) = run_idle(&mut m, "tap");
    assert_eq!(states(&tapped).keys().copied().collect::<Vec<_>>(), vec![400], "{tapped}");
    home(&mut m);
    let (stopped, _) = run_idle(&mut m, "Home");
    assert!(stopped.contains("\nsuspended \"Store 1\": "), "{stopped}");
    assert_eq!(states(&stopped).keys().copied().collect::<Vec<_>>(), vec![400]);
    assert_clean(&m);
    let mut all = format!("{created}{first}{tapped}{stopped}");

    // Save the card file, start a new machine from it, relocate, launch again; this time
    // appStopEvent from the host (the window closing) suspends it.
    let dir = std::env::temp_dir().join(format!("store-launch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("card.palmcard");
    m.save_card_file(&path).unwrap();
    let mut fresh = machine_for("asm-tests/ui_launch.elf", &config());
    fresh.load_card_file(&path).unwrap();
    let card = fresh.card_image();
    let _ = std::fs::remove_dir_all(&dir);
    let mut m2 = machine(&[], Some(&card), "Store 1");
    m2.relocate_storage(0x5107E).unwrap();
    let (again, took) = run_idle(&mut m2, "launching the store after reload");
    eprintln!("after a card reload and relocation: resumed + {} steps in {took:?}", guest_vm::app::RESUME_STEPS);
    let resumed = again.lines().next().unwrap();
    assert!(resumed.starts_with("resumed \"Store 1\": ") && resumed.contains(" suspensions=2 resumptions=2"), "{again}");
    assert_eq!(states(&again).keys().copied().collect::<Vec<_>>(), vec![400, 500], "{again}");
    assert_eq!(states(&again)[&400], states(&stopped)[&400], "continues from the saved step");
    m2.post_app_stop();
    let (stopped2, _) = run_idle(&mut m2, "appStopEvent");
    assert!(stopped2.contains("\nsuspended \"Store 1\": "), "{stopped2}");
    assert_clean(&m2);
    all.push_str(&again);
    all.push_str(&stopped2);

    // The built-in application ends on appStopEvent with its number of runs.
    m2.post_app_stop();
    assert_eq!(m2.run(Some(Duration::from_secs(10))), StopReason::Exit(2));

    // Every state line equals the native driver's uninterrupted run at that step.
    let reference = native_states(1, 500, 100);
    let ours = states(&all);
    assert_eq!(ours.keys().copied().collect::<Vec<_>>(), vec![200, 300, 400, 500]);
    for (step, line) in &ours {
        assert_eq!(Some(line), reference.get(step), "step {step}: the VM application differs from the native driver");
    }
    // And every state line printed for the same step is the same (resumed = suspended).
    for l in all.lines().filter(|l| l.starts_with("state ")) {
        let step: u32 = l["state step=".len()..].split(' ').next().unwrap().parse().unwrap();
        assert_eq!(l, reference[&step]);
    }
}

#[test]
fn without_the_vm_the_wrapper_says_so_and_returns() {
    let (mut m, _) = card_with_store();
    m.delete_database("GuestVM").unwrap();
    m.set_program_args(b"Store 1");
    m.key(b' ' as u16, 0, 0);
    let (out, _) = run_idle(&mut m, "launching the store without the VM");
    assert!(out.contains("store wrapper: The Persistent VM application"), "{out}");
    assert!(out.contains("is not installed"), "{out}");
    // A tap dismisses the message; the built-in application waits again.
    m.tap(80, 80);
    let (out, _) = run_idle(&mut m, "dismissing the message");
    assert_eq!(out, "");
    assert_clean(&m);
    m.post_app_stop();
    assert_eq!(m.run(Some(Duration::from_secs(10))), StopReason::Exit(3));
    // The store is untouched: still suspended, still launchable once the VM is back.
    let check = guest_vm::layout::store_state::SUSPENDED;
    let store = m.export_database("Store 1").unwrap();
    let Entries::Resources(r) = &store.entries else { unreachable!() };
    let stor = r.iter().find(|e| e.kind == codes::HEADER_RESOURCE_TYPE).unwrap();
    let state = u16::from_be_bytes(stor.data[guest_vm::layout::store_header::STATE as usize..][..2].try_into().unwrap());
    assert_eq!(state, check);
}

#[test]
fn the_driver_copies_the_wrapper_too_and_stores_without_it_stay_valid() {
    // The ROM test program (guest-vm.elf) on a card with the Wrapper: the store gets it; on a
    // card without it (the persistence tests) the store has 'STOR' first.
    for with_wrapper in [true, false] {
        let mut m = machine_for("guest-vm.elf", &config());
        if with_wrapper {
            m.install_database(&prc("StoreWrapper")).unwrap();
        }
        m.set_program_args(b"create Driven 3 50");
        let reason = m.run(Some(Duration::from_secs(120)));
        assert_eq!(reason, StopReason::Exit(0), "{}", m.console_text());
        let list = resource_list(&m, "Driven");
        let stor = list.iter().position(|&(k, _)| k == codes::HEADER_RESOURCE_TYPE).unwrap();
        if with_wrapper {
            assert!(list[..stor].contains(&(u32::from_be_bytes(*b"code"), 1)), "{list:x?}");
            assert!(list[..stor].contains(&(codes::APP_NAME_RESOURCE_TYPE, codes::APP_NAME_RESOURCE_ID)));
        } else {
            assert_eq!(stor, 0);
        }
        m.reset().unwrap();
        m.relocate_storage(7).unwrap();
        m.set_program_args(b"resume Driven 10");
        let _ = m.shim_mut().take_console();
        assert_eq!(m.run(Some(Duration::from_secs(120))), StopReason::Exit(0), "{}", m.console_text());
        assert!(m.console_text().starts_with("resumed \"Driven\": "));
    }
}

/// The centre of the icon in slot `slot` of the app manager's grid (roms-stub/launcher: 4
/// columns of 40 x 42 pixels from y = 14, icons 22 pixels high from the cell's top + 2).
fn icon(slot: i16) -> (i16, i16) {
    (slot % 4 * 40 + 20, 14 + slot / 4 * 42 + 2 + 11)
}

#[test]
fn from_the_app_manager_a_store_is_listed_launched_and_suspended_by_home() {
    // rom.elf = boot + the app manager, which lists 'appl' databases sorted by their names
    // ("Persistent VM" before "Store 1"; the Wrapper template, type 'wrap', is not listed).
    let mut m = machine_for("rom.elf", &config());
    for d in ["GuestVM", "StoreWrapper"] {
        m.install_database(&prc(d)).unwrap();
    }
    run_idle(&mut m, "app manager");
    let (vm_x, vm_y) = icon(0);
    m.tap(vm_x, vm_y);
    run_idle(&mut m, "Persistent VM from the app manager");
    m.tap(NEW_STORE.0, NEW_STORE.1);
    let (created, _) = run_idle(&mut m, "New store");
    assert!(created.contains("\nsuspended \"Store 1\": "), "{created}");
    home(&mut m);
    run_idle(&mut m, "Home");

    let mut times = Vec::new();
    let mut chunks = Vec::new();
    let mut out = created.clone();
    for round in 0..3 {
        let (x, y) = icon(1);
        m.tap(x, y);
        let (ran, took) = run_idle(&mut m, "Store 1 from the app manager");
        // (The app manager logs its launches on the console too.)
        assert!(ran.lines().any(|l| l.starts_with("resumed \"Store 1\": ")), "round {round}: {ran}");
        times.push(took);
        home(&mut m);
        let (stopped, _) = run_idle(&mut m, "Home");
        assert!(stopped.contains("\nsuspended \"Store 1\": "), "{stopped}");
        assert_clean(&m);
        // Nothing a launch allocates outlives it (the Wrapper's parameter block is the
        // system's and goes when the VM returns).
        let dynamic = m.shim().memory().chunks(m.ram(), palm_shim::managers::memory_mgr::DYNAMIC_HEAP_ID).unwrap().len();
        chunks.push(dynamic);
        out.push_str(&ran);
        out.push_str(&stopped);
        // Between launches the OS may move the store's records.
        m.relocate_storage(round + 11).unwrap();
    }
    eprintln!("tap on the store in the app manager -> resumed, {} steps, status drawn: {times:?}", guest_vm::app::RESUME_STEPS);
    assert!(chunks.windows(2).all(|w| w[0] == w[1]), "dynamic-heap chunks after each round: {chunks:?}");
    let reference = native_states(1, 500, 100);
    let ours = states(&out);
    assert_eq!(ours.keys().copied().collect::<Vec<_>>(), vec![200, 300, 400, 500]);
    for (step, line) in &ours {
        assert_eq!(Some(line), reference.get(step), "step {step}");
    }
}

/// Gremlins against the whole system: the app manager with the VM and its Wrapper, storms of
/// random taps, drags and keys with Home between them, so stores are created, launched, run
/// and suspended at random moments. The host never fails, nothing is left open or locked, and
/// every store on the card passes the store check (everything a resumption verifies before
/// its first write) after a card reload.
#[test]
fn gremlins_through_the_app_manager_and_the_vm_leave_valid_stores() {
    use emulator::frontend::{gremlins, session::Session};
    for seed in [0x5EED_0001u64, 0x5EED_0002] {
        let mut m = machine_for("rom.elf", &config());
        for d in ["GuestVM", "StoreWrapper"] {
            m.install_database(&prc(d)).unwrap();
        }
        let mut s = Session::new(m, Duration::from_secs(120));
        let start = Instant::now();
        let mut launches = 0;
        for round in 0..8u64 {
            let r = gremlins::run(&mut s, seed ^ (round << 32), 60);
            assert!(r.failure.is_none(), "seed {seed:#x} round {round}: {}\nconsole:\n{}", r.summary(), s.machine().console_text());
            launches += s.machine().console_text().matches("resumed \"").count();
            let m = s.machine_mut();
            home(m);
            let _ = m.shim_mut().take_console();
            assert_eq!(m.run(Some(Duration::from_secs(120))), StopReason::Idle, "Home after round {round}");
            assert!(m.shim().current_ui_app().is_none(), "back in the app manager");
        }
        let m = s.machine_mut();
        assert_clean(m);
        let stores: Vec<Vec<u8>> = m
            .shim()
            .data_manager()
            .databases()
            .iter()
            .filter(|d| d.info.creator == codes::STORE_CREATOR)
            .map(|d| d.info.name.iter().copied().take_while(|&b| b != 0).collect())
            .collect();
        let card = m.card_image();
        let mut host = ShimHost::default();
        host.shim.init_memory(&mut host.ram).unwrap();
        let (dm, mm) = host.shim.data_and_memory();
        dm.load_card(mm, &mut host.ram, &card).unwrap();
        for name in &stores {
            let checked = with_host(&mut host, || guest_vm::check::check_store(name, false).map(|_| ()));
            assert_eq!(checked, Ok(()), "store {:?} after seed {seed:#x}", String::from_utf8_lossy(name));
        }
        eprintln!("gremlins seed {seed:#x}: 480 actions, {} stores, {launches} resumptions, {:.1} s", stores.len(), start.elapsed().as_secs_f64());
    }
}

/// Closing the window (`Session::suspend`) while a store runs: the VM gets `appStopEvent` and
/// suspends the store, then the app manager the UI shell returned to gets one too, and the
/// machine ends as a device switched off.
#[test]
fn closing_the_emulator_while_a_store_runs_suspends_it_and_ends_the_machine() {
    use emulator::frontend::session::Session;
    let mut m = machine_for("rom.elf", &config());
    for d in ["GuestVM", "StoreWrapper"] {
        m.install_database(&prc(d)).unwrap();
    }
    run_idle(&mut m, "app manager");
    let (x, y) = icon(0);
    m.tap(x, y);
    run_idle(&mut m, "Persistent VM");
    m.tap(NEW_STORE.0, NEW_STORE.1);
    run_idle(&mut m, "New store");
    home(&mut m);
    run_idle(&mut m, "Home");
    let (x, y) = icon(1);
    m.tap(x, y);
    let (resumed, _) = run_idle(&mut m, "Store 1");
    assert!(resumed.contains("resumed \"Store 1\""), "{resumed}");
    let _ = m.shim_mut().take_console();
    let mut s = Session::new(m, Duration::from_secs(60));
    assert_eq!(s.suspend(Duration::from_secs(60)), StopReason::Exit(0));
    let m = s.machine_mut();
    assert!(m.console_text().contains("suspended \"Store 1\""), "{}", m.console_text());
    assert_clean(m);
}
