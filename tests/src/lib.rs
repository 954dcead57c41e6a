//! Shared helpers for the integration tests and the benchmark binary: locating guest
//! artefacts built by `scripts/build-guest.sh` and running them on a fresh machine.

pub mod shim_host;

use emulator::{guest_artifact, Machine, MachineConfig, RomImage, StopReason};
use std::path::PathBuf;
use std::time::Duration;

/// The path of a guest artefact; panics with the command to run when it is missing (tests
/// need the guest build, which the README's test command performs first).
pub fn guest_elf(name: &str) -> PathBuf {
    let p = guest_artifact(name);
    assert!(p.exists(), "{} is missing: run scripts/build-guest.sh (the README's test command does)", p.display());
    p
}

/// A machine with the given guest ELF loaded.
pub fn machine_for(name: &str, config: &MachineConfig) -> Machine {
    let rom = RomImage::load(&guest_elf(name)).unwrap_or_else(|e| panic!("{e}"));
    Machine::with_rom(config, rom).unwrap_or_else(|e| panic!("{e}"))
}

/// Seconds since 1904 that tests pin the clock to (also `ShimHost::default()`'s), so database
/// dates agree between runs.
pub const TEST_CLOCK: u32 = 3_000_000_000;

/// Runs a guest program to its end (no stop at boot) with a generous time limit.
pub fn run_program(name: &str) -> (Machine, StopReason) {
    let config = MachineConfig { stop_at_boot: false, fixed_seconds: Some(TEST_CLOCK), ..Default::default() };
    let mut m = machine_for(name, &config);
    let r = m.run(Some(Duration::from_secs(120)));
    (m, r)
}
