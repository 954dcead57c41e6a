//! Booting the stub ROM: the app manager (rom.elf) and the first application
//! (first-app.elf) reach EvtGetEvent.

use emulator::{MachineConfig, StopReason};
use integration_tests::machine_for;
use std::time::Duration;

#[test]
fn stub_rom_boots_to_the_app_manager() {
    let mut m = machine_for("rom.elf", &MachineConfig::default());
    let reason = m.run(Some(Duration::from_secs(30)));
    assert_eq!(reason, StopReason::Booted, "console so far:\n{}", m.console_text());
    assert!(m.shim().booted());
    let counts = m.shim().trap_counts();
    for word in [0xA078 /* DmGetNextDatabaseByTypeCreator */, 0xA220 /* WinDrawChars */, 0xA11D /* EvtGetEvent */] {
        assert!(counts.contains_key(&word), "trap {word:04X} not called; called: {counts:04X?}");
    }
    assert_eq!(counts[&0xA11D], 1, "boot stops at the first EvtGetEvent");
    assert!(m.console_text().contains("launcher: 0 application(s)"), "{}", m.console_text());
}

#[test]
fn first_app_boots_to_first_evtgetevent() {
    let mut m = machine_for("first-app.elf", &MachineConfig::default());
    let reason = m.run(Some(Duration::from_secs(30)));
    assert_eq!(reason, StopReason::Booted, "console so far:\n{}", m.console_text());
    let counts = m.shim().trap_counts();
    for word in [0xA27B /* FtrGet */, 0xA2E9 /* SysTicksPerSecond */, 0xA11D /* EvtGetEvent */] {
        assert!(counts.contains_key(&word), "trap {word:04X} not called; called: {counts:04X?}");
    }
    assert_eq!(counts[&0xA11D], 1, "boot stops at the first EvtGetEvent");
}

#[test]
fn boot_sets_up_low_memory_and_the_dispatch_table() {
    use palm_abi::memmap;
    use palm_shim::GuestMemory;
    let mut m = machine_for("rom.elf", &MachineConfig::default());
    assert_eq!(m.run(Some(Duration::from_secs(30))), StopReason::Booted);
    let ram = m.ram();
    let table = ram.read_u32(memmap::SYS_DISPATCH_TABLE_P).unwrap();
    assert!(memmap::SYSTEM_RAM.contains_range(table, memmap::DISPATCH_TABLE_ENTRIES * 4), "table at {table:#x}");
    let (stubs, stubs_end) = m.rom().unwrap().trap_stubs.expect("ROM exports its trap stubs");
    assert_eq!(stubs_end - stubs, memmap::DISPATCH_TABLE_ENTRIES * memmap::TRAP_STUB_SIZE);
    for i in [0u32, 0x27, 0x11D, 0xFFF] {
        let stub = ram.read_u32(table + 4 * i).unwrap();
        assert_eq!(stub, stubs + i * memmap::TRAP_STUB_SIZE);
        assert_eq!(ram.read_vec(stub, 6).unwrap(), [0x4E, 0x4F, 0xA0 | (i >> 8) as u8, i as u8, 0x4E, 0x75]);
    }
    assert_eq!(ram.read_u32(8).unwrap(), 0xFEED_BEEF);
}
