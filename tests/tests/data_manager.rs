//! The Data Manager driven by a 68k application through real traps
//! (roms-stub/dm-exercise), and the same program built natively against the same shim:
//! both must pass every check, print the same transcript and leave byte-identical heaps.

use emulator::StopReason;
use guest_sdk::native::with_host;
use integration_tests::run_program;
use integration_tests::shim_host::ShimHost;
use palm_abi::memmap;

#[test]
fn dm_exercise_passes_on_the_68k_and_natively_with_identical_heaps() {
    let (m, reason) = run_program("dm-exercise.elf");
    let guest = m.console_text();
    assert_eq!(reason, StopReason::Exit(0), "68k dm-exercise failed:\n{guest}");
    assert!(guest.contains(" checks, 0 failed"), "{guest}");

    let mut host = ShimHost::default();
    host.shim.init_memory(&mut host.ram).unwrap();
    let failed = with_host(&mut host, dm_exercise::main);
    let native = host.console_text();
    assert_eq!(failed, 0, "native dm-exercise failed:\n{native}");
    assert_eq!(native, guest, "transcripts differ");

    // The database the program left behind is on the card, with its records.
    let db = m.export_database("DmExercise").expect("DmExercise is on the card");
    assert_eq!(db.entries.len(), 9);
    assert!(m.export_database("DmExerciseRes").is_err(), "the resource database was deleted");

    // Same allocations in the same order: the storage heaps match byte for byte.
    let storage = |ram: &emulator::ram::GuestRam| ram.slice(memmap::STORAGE_HEAP.base, memmap::STORAGE_HEAP.size).unwrap().to_vec();
    let (a, b) = (storage(m.ram()), storage(&host.ram));
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    assert!(diffs.is_empty(), "storage heaps differ between the 68k and native builds at {} bytes, first at {:#x}: {:02x?} vs {:02x?}",
        diffs.len(), memmap::STORAGE_HEAP.base as usize + diffs[0], &a[diffs[0]..diffs[0] + 16], &b[diffs[0]..diffs[0] + 16]);
    m.shim().memory().check(m.ram()).unwrap();
}
