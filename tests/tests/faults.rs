//! Guest faults and unimplemented traps, from assembly programs in roms-stub/asm-tests: each
//! run must stop with a report naming the fault, the PC, registers and instruction bytes, and
//! the host must not panic.

use emulator::{FaultKind, StopReason};
use integration_tests::run_program;
use palm_shim::TrapError;

fn fault(name: &str) -> emulator::FaultReport {
    let (m, reason) = run_program(&format!("asm-tests/{name}.elf"));
    match reason {
        StopReason::Fault(r) => {
            let text = r.to_string();
            assert!(text.contains(&format!("PC {:08X}", r.pc)), "{text}");
            assert!(text.contains("instruction bytes:"), "{text}");
            assert!(text.contains("A7="), "{text}");
            assert!(!r.instruction.is_empty());
            assert_eq!(reason_code(&StopReason::Fault(r.clone())), 5);
            drop(m);
            *r
        }
        other => panic!("{name}: expected a fault, got: {other}"),
    }
}

fn reason_code(r: &StopReason) -> i32 {
    r.exit_code()
}

/// The guest address of a symbol of an asm test.
fn sym(name: &str, symbol: &str) -> u32 {
    let rom = emulator::RomImage::load(&integration_tests::guest_elf(&format!("asm-tests/{name}.elf"))).unwrap();
    rom.symbol(symbol).unwrap_or_else(|| panic!("{symbol} not in {name}"))
}

#[test]
fn illegal_instruction() {
    let r = fault("fault_illegal");
    assert_eq!(r.kind, FaultKind::IllegalInstruction);
    assert_eq!(&r.instruction[..2], &[0x4A, 0xFC]);
    assert_eq!(r.pc, sym("fault_illegal", "guest_main"));
}

#[test]
fn stray_a_line() {
    let r = fault("fault_aline");
    assert_eq!(r.kind, FaultKind::StrayALine(0xA123));
}

#[test]
fn f_line() {
    let r = fault("fault_fline");
    assert_eq!(r.kind, FaultKind::FLine(0xFE00));
}

#[test]
fn divide_by_zero() {
    let r = fault("fault_divzero");
    assert_eq!(r.kind, FaultKind::DivideByZero);
    assert_eq!(r.registers.d[0], 100);
    assert_eq!(r.pc, sym("fault_divzero", "guest_main") + 4);
}

#[test]
fn unmapped_read_and_write() {
    let r = fault("fault_unmapped_read");
    assert_eq!(r.kind, FaultKind::UnmappedRead { addr: 0x5000_0000, size: 4 });
    let r = fault("fault_unmapped_write");
    assert_eq!(r.kind, FaultKind::UnmappedWrite { addr: 0x5000_0010, size: 4 });
    assert_eq!(r.pc, sym("fault_unmapped_write", "guest_main"));
}

#[test]
fn write_to_protected_storage() {
    let r = fault("fault_storage_write");
    assert_eq!(r.kind, FaultKind::StorageWrite { addr: 0x0100_0100, size: 4, value: 0xDEAD_BEEF });
    assert!(r.to_string().contains("write-protected storage RAM"));
}

#[test]
fn write_to_rom() {
    let r = fault("fault_rom_write");
    assert_eq!(r.kind, FaultKind::RomWrite { addr: 0x1000_0100, size: 2, value: 0x4E71 });
}

#[test]
fn jump_to_odd_address() {
    let r = fault("fault_odd_jump");
    assert_eq!(r.kind, FaultKind::OddAddressJump { target: sym("fault_odd_jump", "odd_target") + 1 });
}

#[test]
fn unimplemented_trap_is_reported_with_name_pc_and_history() {
    let (_m, reason) = run_program("asm-tests/unimplemented_trap.elf");
    let StopReason::TrapFailure(f) = reason else { panic!("expected a trap failure, got {reason}") };
    assert_eq!(f.error, TrapError::Unimplemented { word: 0xA2AD, name: Some("SndPlaySmf") });
    assert_eq!(f.pc, sym("unimplemented_trap", "guest_main") + 2);
    assert_eq!(f.recent_traps.last().map(|t| t.word), Some(0xA2AD));
    let text = f.to_string();
    assert!(text.contains("A2AD") && text.contains("SndPlaySmf") && text.contains(&format!("{:08X}", f.pc)), "{text}");
    assert_eq!(StopReason::TrapFailure(f).exit_code(), 4);
}

#[test]
fn unimplemented_library_trap_names_the_refnum() {
    let (_m, reason) = run_program("asm-tests/unimplemented_library_trap.elf");
    let StopReason::TrapFailure(f) = reason else { panic!("expected a trap failure, got {reason}") };
    assert_eq!(f.error, TrapError::UnimplementedLibrary { word: 0xA805, ref_num: 7, name: Some("SysLibTrapCustom") });
}

#[test]
fn memsemaphore_lifts_and_restores_storage_protection() {
    let (m, reason) = run_program("asm-tests/storage_semaphore.elf");
    let StopReason::Fault(r) = reason else { panic!("expected the second write to fault, got {reason}") };
    assert_eq!(r.kind, FaultKind::StorageWrite { addr: 0x0180_0004, size: 4, value: 0xBAD0_BAD0 });
    assert_eq!(r.pc, sym("storage_semaphore", "second_write"));
    use palm_shim::GuestMemory;
    assert_eq!(m.ram().read_u32(0x0180_0000).unwrap(), 0xC0FF_EE00, "the write under the semaphore landed");
    assert!(!m.storage_writable());
}
