//! Argument decoding of mixed 8/16/32-bit arguments through real traps, inline and through
//! the dispatch table's ROM stubs (roms-stub/asm-tests/trap_args.S).

use emulator::StopReason;
use integration_tests::run_program;
use palm_shim::GuestMemory;

#[test]
fn mixed_width_arguments_through_real_traps() {
    let (m, reason) = run_program("asm-tests/trap_args.elf");
    assert_eq!(reason, StopReason::Exit(0), "guest-side check failed (number = failed step)");
    let rom = m.rom().unwrap();
    let buf1 = rom.symbol("buf1").unwrap();
    let buf2 = rom.symbol("buf2").unwrap();
    let dst = rom.symbol("dst").unwrap();
    assert_eq!(m.ram().read_vec(buf1, 7).unwrap(), [0, 0x3C, 0x3C, 0x3C, 0x3C, 0x3C, 0]);
    assert_eq!(m.ram().read_vec(buf2, 4).unwrap(), [0x77, 0x77, 0x77, 0]);
    assert_eq!(m.ram().read_cstr(dst, 16).unwrap(), b"-12345");
    // MemSet, StrNCopy, MemSet via stub, StrIToA, SysTicksPerSecond, HostControl(exit).
    let words: Vec<u16> = m.shim().recent_traps().map(|t| t.word).collect();
    assert_eq!(words, [0xA027, 0xA2CE, 0xA027, 0xA0C9, 0xA2E9, 0xA344]);
}
