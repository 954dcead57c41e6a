//! The `palmemu` command line: headless boot, documented exit codes, --help for every command.

use emulator::guest_artifact;
use std::process::Command;

fn palmemu(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_palmemu")).args(args).output().expect("palmemu runs")
}

fn need(name: &str) -> String {
    let p = guest_artifact(name);
    assert!(p.exists(), "{} missing: run scripts/build-guest.sh", p.display());
    p.to_string_lossy().into_owned()
}

#[test]
fn headless_boot_exits_zero_with_a_summary_line() {
    let rom = need("rom.elf");
    let out = palmemu(&["--headless", "--rom", &rom]);
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
    let out = palmemu(&["--headless", "--rom", "/nonexistent/rom.elf"]);
    assert_eq!(out.status.code(), Some(3));
    let not_elf = std::env::temp_dir().join("palmemu-not-an-elf.bin");
    std::fs::write(&not_elf, b"this is not an ELF file").unwrap();
    let out = palmemu(&["--headless", "--rom", not_elf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid ELF"));
    let out = palmemu(&["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_for_every_command() {
    for args in [&["--help"][..], &["boot", "--help"], &["run", "--help"]] {
        let out = palmemu(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"), "{args:?}");
    }
}
