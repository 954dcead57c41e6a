//! The `palmemu` command line: headless boot, documented exit codes, --help for every command.

use emulator::guest_artifact;
use std::process::Command;

fn palmemu(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_palmemu")).args(args).output().expect("palmemu runs")
}

/// A fresh path in the temp directory, unique per test process and name.
fn temp(name: &str) -> String {
    let p = std::env::temp_dir().join(format!("palmemu-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p.to_string_lossy().into_owned()
}

fn need(name: &str) -> String {
    let p = guest_artifact(name);
    assert!(p.exists(), "{} missing: run scripts/build-guest.sh", p.display());
    p.to_string_lossy().into_owned()
}

#[test]
fn headless_boot_exits_zero_with_a_summary_line() {
    let rom = need("rom.elf");
    let card = temp("boot-card");
    let out = palmemu(&["--headless", "--rom", &rom, "--card", &card]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr));
    let line = stdout.lines().find(|l| l.starts_with("palmemu: booted in ")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains(" ms: ") && line.contains(" traps ("), "{line}");
}

#[test]
fn exit_codes_for_fault_trap_and_bad_input() {
    let out = palmemu(&["run", &need("asm-tests/fault_illegal.elf")]);
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("illegal instruction"), "{err}");
    let out = palmemu(&["run", &need("asm-tests/unimplemented_trap.elf")]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SndPlaySmf"));
    let out = palmemu(&["--headless", "--no-save", "--rom", "/nonexistent/rom.elf"]);
    assert_eq!(out.status.code(), Some(3));
    let not_elf = std::env::temp_dir().join("palmemu-not-an-elf.bin");
    std::fs::write(&not_elf, b"this is not an ELF file").unwrap();
    let out = palmemu(&["--headless", "--no-save", "--rom", not_elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid ELF"));
    let out = palmemu(&["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_for_every_command() {
    for args in [&["--help"][..], &["boot", "--help"], &["run", "--help"], &["card", "--help"], &["card", "list", "--help"],
        &["card", "install", "--help"], &["card", "export", "--help"], &["card", "delete", "--help"], &["gremlins", "--help"]] {
        let out = palmemu(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"), "{args:?}");
    }
    // Every frontend option is documented where it is accepted.
    for (args, flags) in [
        (&["--help"][..], &["--headless", "--script", "--tap", "--wait-idle", "--exit-when-idle", "--screenshot", "--scale", "--print-hash", "--no-stop-at-boot", "--card", "--timeout"][..]),
        (&["boot", "--help"], &["--headless", "--script", "--tap", "--screenshot", "--print-hash"]),
        (&["gremlins", "--help"], &["--seed", "--events", "--rom", "--card", "--timeout", "--screenshot", "--scale", "--print-hash"]),
    ] {
        let help = String::from_utf8_lossy(&palmemu(args).stdout).into_owned();
        for flag in flags {
            assert!(help.contains(flag), "{args:?} lacks {flag}:\n{help}");
        }
    }
}

/// A small record database file: three records.
fn memo_pdb() -> Vec<u8> {
    use palm_shim::pdb::{DatabaseFile, Entries, RecordEntry};
    let recs = [&b"hello"[..], b"world", &[7u8; 300]]
        .iter()
        .enumerate()
        .map(|(i, d)| RecordEntry { attributes: 0x40, unique_id: i as u32 + 1, data: d.to_vec() })
        .collect();
    DatabaseFile::new("MemoDB", u32::from_be_bytes(*b"DATA"), u32::from_be_bytes(*b"memo"), Entries::Records(recs)).unwrap().to_bytes()
}

#[test]
fn card_install_list_export_delete() {
    let card = temp("card");
    let file = temp("memo.pdb");
    std::fs::write(&file, memo_pdb()).unwrap();
    let out = palmemu(&["card", "--card", &card, "install", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = palmemu(&["card", "--card", &card, "list"]);
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(listing.lines().any(|l| l.starts_with("MemoDB") && l.contains("DATA") && l.contains("memo") && l.contains(" 3 ")), "{listing}");
    // Installing the same name again is refused and leaves the card as it was.
    let before = std::fs::read(&card).unwrap();
    assert_eq!(palmemu(&["card", "--card", &card, "install", &file]).status.code(), Some(3));
    assert_eq!(std::fs::read(&card).unwrap(), before);
    // A malformed file is refused with the fault named, card unchanged.
    let bad = temp("bad.pdb");
    let mut b = memo_pdb();
    b.truncate(80);
    std::fs::write(&bad, &b).unwrap();
    let out = palmemu(&["card", "--card", &card, "install", &bad]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("entry list"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&card).unwrap(), before);
    // Export gives back the same bytes, also after a boot with a relocation seed.
    let rom = need("rom.elf");
    assert_eq!(palmemu(&["--headless", "--rom", &rom, "--card", &card, "--relocate-seed", "99"]).status.code(), Some(0));
    let out_file = temp("out.pdb");
    assert_eq!(palmemu(&["card", "--card", &card, "export", "MemoDB", &out_file]).status.code(), Some(0));
    assert_eq!(std::fs::read(&out_file).unwrap(), memo_pdb());
    assert_eq!(palmemu(&["card", "--card", &card, "delete", "MemoDB"]).status.code(), Some(0));
    assert_eq!(palmemu(&["card", "--card", &card, "delete", "MemoDB"]).status.code(), Some(3));
    for f in [card, file, bad, out_file] {
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn a_new_card_starts_as_the_default_card_with_the_bundled_applications() {
    let rom = need("rom.elf");
    let card = temp("default-card");
    // No card file: the default card (target/guest/default-card, next to the ROM).
    let out = palmemu(&["--headless", "--rom", &rom, "--card", &card]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("launcher: 4 application(s)"), "{stdout}");
    for (i, name) in ["Counter", "Hello", "Memos", "Persistent VM"].iter().enumerate() {
        assert!(stdout.contains(&format!("launcher: app {}: {name} (", i + 1)), "{stdout}");
    }
    // It was saved: the next boot loads it (same applications), `card list` shows them.
    let listing = String::from_utf8_lossy(&palmemu(&["card", "--card", &card, "list"]).stdout).into_owned();
    for name in ["Counter", "HelloApp", "Memos", "GuestVM"] {
        assert!(listing.lines().any(|l| l.starts_with(name) && l.contains("appl")), "{listing}");
    }
    assert!(listing.lines().any(|l| l.starts_with("StoreWrapper") && l.contains("wrap")), "{listing}");
    let out = palmemu(&["--headless", "--no-save", "--rom", &rom, "--card", &card, "--no-default-apps"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("launcher: 4 application(s)"));
    // --no-default-apps, or a directory without applications: an empty card (not saved here).
    let fresh = temp("empty-card");
    for extra in [&["--no-default-apps"][..], &["--default-apps", "/nonexistent"]] {
        let mut args = vec!["--headless", "--no-save", "--rom", &rom, "--card", &fresh];
        args.extend_from_slice(extra);
        let out = palmemu(&args);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("launcher: 0 application(s)"), "{extra:?}");
    }
    assert!(!std::path::Path::new(&fresh).exists());
    // A card saved empty counts as new: the next boot gets the default card.
    let out = palmemu(&["--headless", "--rom", &rom, "--card", &fresh, "--no-default-apps"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::path::Path::new(&fresh).exists());
    let out = palmemu(&["--headless", "--no-save", "--rom", &rom, "--card", &fresh]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("launcher: 4 application(s)"));
    let _ = std::fs::remove_file(&fresh);
    let help = String::from_utf8_lossy(&palmemu(&["--help"]).stdout).into_owned();
    assert!(help.contains("--default-apps") && help.contains("--no-default-apps") && help.contains("default card"), "{help}");
    let _ = std::fs::remove_file(card);
}

/// The persistence story through the command line, as a user lives it: on the default card,
/// tap the Persistent VM, make a store, go Home, tap the store (it resumes and runs), then stop
/// the emulator (as closing the window does: the store gets appStopEvent and suspends, the
/// card is saved). The next run of the emulator, with a relocation seed that moves every
/// record, resumes the store where it stopped.
#[test]
fn a_store_survives_closing_the_emulator() {
    let rom = need("rom.elf");
    let card = temp("store-card");
    let script = temp("store-script");
    // The app manager's grid: 4 columns of 40 x 42 from y = 14; Counter, Hello, Memos,
    // Persistent VM, then "Store 1" (sorted by name). The VM's New store button: (80, 143).
    let slot = |i: i32| format!("{} {}", i % 4 * 40 + 20, 14 + i / 4 * 42 + 13);
    std::fs::write(&script, format!("tap {}\ntap 80 143\nkey home\ntap {}\nstop\n", slot(3), slot(4))).unwrap();
    let out = palmemu(&["--headless", "--rom", &rom, "--card", &card, "--script", &script]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr));
    for want in ["created \"Store 1\"", "state step=200 ", "resumed \"Store 1\"", "state step=300 ", "suspended \"Store 1\""] {
        assert!(stdout.contains(want), "{want:?} in\n{stdout}");
    }
    std::fs::write(&script, format!("tap {}\nstop\n", slot(4))).unwrap();
    let out = palmemu(&["--headless", "--rom", &rom, "--card", &card, "--relocate-seed", "77", "--script", &script]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "stdout: {stdout}");
    assert!(stdout.contains("launcher: app 5: Store 1 ("), "the app manager lists the store:\n{stdout}");
    for want in ["resumed \"Store 1\"", "state step=400 ", "suspended \"Store 1\""] {
        assert!(stdout.contains(want), "{want:?} in\n{stdout}");
    }
    assert!(!stdout.contains("state step=200 "), "not created again:\n{stdout}");
    let _ = std::fs::remove_file(&card);
    let _ = std::fs::remove_file(&script);
}
