//! The differential self-test: one guest crate (guest-sdk/selftest) built natively and for the
//! 68k (Rust -> wasm32 -> wasm2c -> GCC m68k); both transcripts must be identical, byte for
//! byte. The native run goes through the real palm-shim (ShimHost), the 68k run through the
//! emulator. A toolchain built without WABT_BIG_ENDIAN must be caught.

use emulator::StopReason;
use guest_sdk::native::with_host;
use integration_tests::run_program;
use integration_tests::shim_host::ShimHost;

fn native() -> (u32, String) {
    let mut host = ShimHost::default();
    let code = with_host(&mut host, guest_selftest::run);
    (code, host.console_text())
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  native: {x}\n  68k:    {y}", i + 1);
        }
    }
    format!("lengths differ: {} vs {} lines", a.lines().count(), b.lines().count())
}

#[test]
fn native_and_68k_transcripts_are_identical() {
    let (code, native) = native();
    assert_eq!(code, 0, "native self-test failed:\n{native}");
    assert!(native.lines().count() >= 15, "transcript too short:\n{native}");
    // The SDK's own FlatHost oracle agrees with the real shim.
    assert_eq!(guest_selftest::native_transcript(), (0, native.clone()));
    for elf in ["selftest.elf", "selftest-unchecked.elf"] {
        let (m, reason) = run_program(elf);
        let guest = m.console_text();
        assert_eq!(reason, StopReason::Exit(0), "{elf}: {reason}\n{guest}");
        assert!(guest == native, "{elf} differs from native: {}", first_difference(&native, &guest));
    }
}

#[test]
fn a_broken_toolchain_is_caught() {
    // Same program compiled without -DWABT_BIG_ENDIAN=1: it must not pass as correct.
    let (_, native) = native();
    let (m, reason) = run_program("selftest-noendian.elf");
    let guest = m.console_text();
    let passed = reason == StopReason::Exit(0) && guest == native;
    assert!(!passed, "the self-test did not notice a toolchain without WABT_BIG_ENDIAN");
    eprintln!("without WABT_BIG_ENDIAN: {reason}; {} of {} lines match", 
        guest.lines().zip(native.lines()).filter(|(a, b)| a == b).count(), native.lines().count());
}
