//! The frontends' machinery in-process (`emulator::frontend`), on the real first app
//! (`first-app.elf`) and on hand-made guests: Gremlins storms (a few thousand actions, two
//! seeds, each twice: no host crash, same seed => same screen and trap count), scripted input
//! through the headless runner checked pixel by pixel against the app's own layout
//! constants, and the session's rules for guests that poll instead of waiting. The `palmemu`
//! command itself is tested in `emulator/tests/`. No timed asserts.

use emulator::frontend::headless::run_commands;
use emulator::frontend::script::parse_script;
use emulator::frontend::session::is_final;
use emulator::frontend::{gremlins, Input, PalmKey, Session};
use emulator::report::exit_code;
use emulator::{Machine, MachineConfig, RomImage, StopReason};
use integration_tests::machine_for;
use palm_abi::memmap;
use std::time::Duration;

fn first_app() -> Session {
    Session::new(machine_for("first-app.elf", &MachineConfig::default()), Duration::from_secs(60))
}

/// Whether display pixel (x, y) is black (index 255 at 8 bits, the default depth).
fn black(s: &Session, x: i32, y: i32) -> bool {
    let m = s.machine();
    m.screen_surface().get_pixel(m.ram(), x, y).unwrap() == Some(255)
}

#[test]
fn gremlins_are_deterministic_per_seed() {
    let storm = |seed| {
        let mut s = first_app();
        let r = gremlins::run(&mut s, seed, 3000);
        assert_eq!(r.failure, None, "{}", r.summary());
        assert_eq!(r.completed, 3000);
        assert!(r.events > 3000, "taps and drags are several events: {}", r.summary());
        (r.screen_hash, r.traps, r.events)
    };
    let blank = {
        let mut s = first_app();
        s.run_until_idle();
        s.machine().screen_hash()
    };
    for seed in [11, 12] {
        let first = storm(seed);
        assert_eq!(first, storm(seed), "seed {seed}");
        assert_ne!(first.0, blank, "seed {seed} drew something");
    }
    assert_ne!(storm(11), storm(12));
}

#[test]
fn scripted_input_draws_where_the_app_says() {
    let mut s = first_app();
    assert_eq!(s.boot(), StopReason::Booted);
    s.machine_mut().shim_mut().take_console();
    let pad = first_app::PAD;
    let (x, y) = (pad.x as i32 + 20, pad.y as i32 + 30);
    let script = format!("tap {x} {y}\nkey A\nkey 0x0108\nhash\n");
    let mut out = Vec::new();
    run_commands(&mut s, &parse_script(&script, "t").unwrap(), 1, &mut out).unwrap();
    assert_eq!(s.status(), Some(&StopReason::Idle));
    assert_eq!(s.events_delivered(), 4);
    // The mark: MARK_SIZE square centred on the tap.
    let half = first_app::MARK_SIZE as i32 / 2;
    for dy in -half..=half {
        for dx in -half..=half {
            assert!(black(&s, x + dx, y + dy), "mark pixel {},{}", x + dx, y + dy);
        }
    }
    assert!(!black(&s, x + half + 1, y) && !black(&s, x, y - half - 1), "only the mark");
    // "A" in the echo line.
    let e = first_app::ECHO;
    let ink = (e.y as i32..(e.y + e.height) as i32)
        .flat_map(|py| (e.x as i32..(e.x + e.width) as i32).map(move |px| (px, py)))
        .filter(|&(px, py)| black(&s, px, py))
        .count();
    assert!(ink > 5, "the echoed A");
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text, format!("screen-hash {:016x}\n", s.machine().screen_hash()));
    // The app quits on appStopEvent.
    assert_eq!(s.suspend(Duration::from_secs(60)), StopReason::Exit(0));
    assert!(s.finished().is_some());
    assert_eq!(s.exit_code(), exit_code::SUCCESS);
    // Nothing runs after a final stop.
    s.deliver(&Input::Key(PalmKey::char(0x41)));
    assert_eq!(s.run_until_idle(), StopReason::Exit(0));
}

/// A ROM whose code spins forever (`bra.s *`): a guest that never waits for input.
fn busy_guest() -> Session {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&memmap::SYSTEM_STACK_TOP.to_be_bytes());
    bytes.extend_from_slice(&(memmap::ROM.base + 8).to_be_bytes());
    bytes.extend_from_slice(&0x60FEu16.to_be_bytes());
    let m = Machine::with_rom(&MachineConfig::default(), RomImage::from_raw(bytes)).unwrap();
    Session::new(m, Duration::from_millis(50))
}

#[test]
fn a_busy_guest_is_fine_to_wait_for_but_never_idles() {
    let mut s = busy_guest();
    // `wait`: time's up with the guest still busy is not a failure.
    let mut out = Vec::new();
    run_commands(&mut s, &parse_script("wait 30\nhash\n", "busy").unwrap(), 1, &mut out).unwrap();
    assert_eq!(s.status(), None);
    assert_eq!(s.exit_code(), exit_code::SUCCESS);
    assert!(s.summary().starts_with("running in "), "{}", s.summary());
    // `idle` (and every input) must see it wait: a time-out.
    run_commands(&mut s, &parse_script("idle\ntap 1 1\nhash\n", "busy").unwrap(), 1, &mut out).unwrap();
    assert_eq!(s.status(), Some(&StopReason::Timeout));
    assert!(!is_final(&StopReason::Timeout));
    assert_eq!(s.exit_code(), exit_code::TIMEOUT);
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2, "both hashes printed");
}

#[test]
fn a_guest_fault_in_a_storm_names_the_action() {
    // The busy guest never reaches EvtGetEvent: the storm fails at boot with a time-out.
    let mut s = busy_guest();
    let r = gremlins::run(&mut s, 5, 10);
    let (number, what, failure) = r.failure.clone().expect("a failure");
    assert_eq!((number, what.as_str()), (0, "boot"));
    assert_eq!(failure, gremlins::Failure::Guest(StopReason::Timeout));
    assert_eq!(r.completed, 0);
}
