//! Launching an application from the card: `SysAppLaunch` builds its A5 world from `code` 0 and
//! `data` 0 (decompressed and relocated), runs `code` 1 in place with its own A5, and the
//! start-up code reaches its launch parameters through `SysAppStartup`. Hand-assembled 68k
//! code (mnemonics beside the words), so no guest toolchain is needed.

use emulator::{Machine, MachineConfig, RomImage, StopReason};
use palm_abi::memmap;
use palm_shim::pdb::{DatabaseFile, Entries, ResourceEntry};
use palm_shim::GuestMemory;

const CODE: u32 = memmap::ROM.base + 8;
const RESULT: u32 = 0x0000_2000; // system RAM
const APP_NAME_AT: u32 = CODE + 0x80;

fn words(w: &[u16]) -> Vec<u8> {
    w.iter().flat_map(|x| x.to_be_bytes()).collect()
}

fn code(s: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*s)
}

/// `code` 1 of the test application: SysAppStartup, then cmd + global(A5-16) + *global(A5-8),
/// SysAppExit, return the sum in D0. Position-independent: globals through A5 only.
fn app_code1() -> Vec<u8> {
    words(&[
        0x4E56, 0xFFF4, // link.w a6,#-12
        0x486E, 0xFFFC, // pea -4(a6)     globalsPtrP
        0x486E, 0xFFF8, // pea -8(a6)     prevGlobalsP
        0x486E, 0xFFF4, // pea -12(a6)    appInfoPP
        0x4E4F, 0xA08F, // trap #15: SysAppStartup
        0x4FEF, 0x000C, // lea 12(sp),sp
        0x206E, 0xFFF4, // movea.l -12(a6),a0   appInfoP
        0x7000, //         moveq #0,d0
        0x3010, //         move.w (a0),d0       cmd
        0xD0AD, 0xFFF0, // add.l -16(a5),d0     global initialised by data 0
        0x226D, 0xFFF8, // movea.l -8(a5),a1    pointer global, relocated by A5
        0xD091, //         add.l (a1),d0
        0x2F00, //         move.l d0,-(sp)
        0x2F2E, 0xFFFC, // move.l -4(a6),-(sp)
        0x2F2E, 0xFFF8, // move.l -8(a6),-(sp)
        0x2F2E, 0xFFF4, // move.l -12(a6),-(sp)
        0x4E4F, 0xA090, // trap #15: SysAppExit
        0x4FEF, 0x000C, // lea 12(sp),sp
        0x201F, //         move.l (sp)+,d0
        0x4E5E, //         unlk a6
        0x4E75, //         rts
    ])
}

/// `data` 0: block 0 writes 1000 at A5-16 and a pointer (-16, relocated by A5) at A5-8.
fn app_data0() -> Vec<u8> {
    let mut d = vec![0, 0, 0, 0];
    d.extend_from_slice(&(-16i32).to_be_bytes());
    d.extend_from_slice(&[0x83, 0x00, 0x00, 0x03, 0xE8, 0x43]); // literal 1000, then 4 zero bytes
    d.extend_from_slice(&[0x83, 0xFF, 0xFF, 0xFF, 0xF0, 0x43, 0x00]); // -16, 4 zero bytes; end
    for _ in 0..2 {
        d.extend_from_slice(&0i32.to_be_bytes());
        d.push(0); // empty blocks 1 and 2
    }
    d.extend_from_slice(&1u32.to_be_bytes());
    d.push(0x80 | ((-8i8 as u8 >> 1) & 0x7F)); // A5 chain: the site at A5-8
    d.extend_from_slice(&0u32.to_be_bytes()); // code 1 chain: empty
    d.extend_from_slice(&0u32.to_be_bytes()); // data chain: empty
    let end = d.len() as u32;
    d[..4].copy_from_slice(&end.to_be_bytes());
    d
}

fn app_prc() -> DatabaseFile {
    let code0: Vec<u8> = [8u32, 16, 8, 32].iter().flat_map(|v| v.to_be_bytes()).collect();
    DatabaseFile::new("LaunchTest", code(b"appl"), code(b"LnTs"), Entries::Resources(vec![
        ResourceEntry { kind: code(b"code"), id: 0, data: code0 },
        ResourceEntry { kind: code(b"code"), id: 1, data: app_code1() },
        ResourceEntry { kind: code(b"data"), id: 0, data: app_data0() },
        ResourceEntry { kind: code(b"pref"), id: 0, data: vec![0, 30, 0, 0, 0x10, 0, 0, 0, 0x10, 0] },
    ]))
    .unwrap()
}

/// The ROM: find "LaunchTest", SysAppLaunch it with cmd 0x8001, exit with D0 (the launch's
/// error) in the high word and the result's low word.
fn rom() -> RomImage {
    let mut w: Vec<u16> = vec![
        0x2A7C, 0x1234, 0x5678, // movea.l #0x12345678,a5  (the caller's A5 must survive)
        0x4879, (APP_NAME_AT >> 16) as u16, APP_NAME_AT as u16, // pea name
        0x4267, //         clr.w -(sp)          cardNo
        0x4E4F, 0xA045, // trap #15: DmFindDatabase
        0x5C8F, //         addq.l #6,sp
        0x4879, (RESULT >> 16) as u16, RESULT as u16, // pea RESULT
        0x42A7, //         clr.l -(sp)          cmdPBP
        0x3F3C, 0x8001, // move.w #0x8001,-(sp) cmd
        0x3F3C, 0x0000, // move.w #0,-(sp)      launchFlags
        0x2F00, //         move.l d0,-(sp)      dbID
        0x4267, //         clr.w -(sp)          cardNo
        0x4E4F, 0xA08E, // trap #15: SysAppLaunch
        0x4FEF, 0x0012, // lea 18(sp),sp
        0xBBFC, 0x1234, 0x5678, // cmpa.l #0x12345678,a5
        0x6702, //         beq.s +2
        0x4AFC, //         illegal (A5 not restored)
        0x4840, //         swap d0
        0x3039, (RESULT >> 16) as u16, (RESULT + 2) as u16, // move.w RESULT+2,d0
        0x2F00, //         move.l d0,-(sp)
        0x3F3C, 0x7F03, // move.w #HOST_EXIT,-(sp)
        0x4E4F, 0xA344, // trap #15: HostControl
    ];
    w.resize(0x80 / 2, 0x4E71);
    let mut code = words(&w);
    code.extend_from_slice(b"LaunchTest\0\0");
    code.resize(0xC0, 0);
    let stub = CODE + 0xC0;
    code.extend_from_slice(&words(&[0x3F3C, 0x7F05, 0x4E4F, 0xA344])); // callback-return stub
    let mut bytes = memmap::SYSTEM_STACK_TOP.to_be_bytes().to_vec();
    bytes.extend_from_slice(&CODE.to_be_bytes());
    bytes.extend_from_slice(&code);
    let mut rom = RomImage::from_raw(bytes);
    rom.symbols.push(("__callback_return_stub".into(), stub));
    rom
}

#[test]
fn sys_app_launch_runs_code1_with_its_own_relocated_globals() {
    let config = MachineConfig { stop_at_boot: false, ..Default::default() };
    let mut m = Machine::new(&config).unwrap();
    m.install_database(&app_prc()).unwrap();
    m.load_rom(rom()).unwrap();
    let free_before = m.shim().memory().free_bytes(0).unwrap();
    let reason = m.run(None);
    // D0 = errNone (high word), result = 0x8001 + 1000 + 1000 (low word).
    assert_eq!(reason, StopReason::Exit(0x8001 + 2000), "{reason}");
    assert_eq!(m.ram().read_u32(RESULT).unwrap(), 0x8001 + 2000);
    // Everything the launch allocated was released, the database closed, code 1 unlocked.
    assert_eq!(m.shim().memory().free_bytes(0).unwrap(), free_before);
    assert!(m.shim().data_manager().open_databases().is_empty());
    m.shim().memory().check(m.ram()).unwrap();
}

#[test]
fn launching_something_that_is_not_an_application_fails_cleanly() {
    let config = MachineConfig { stop_at_boot: false, ..Default::default() };
    let mut m = Machine::new(&config).unwrap();
    let mut not_app = app_prc();
    let Entries::Resources(r) = &mut not_app.entries else { unreachable!() };
    r.retain(|e| !(e.kind == code(b"code") && e.id == 1));
    m.install_database(&not_app).unwrap();
    m.load_rom(rom()).unwrap();
    let reason = m.run(None);
    let StopReason::Exit(v) = reason else { panic!("{reason}") };
    assert_eq!(v >> 16, palm_abi::errors::DM_ERR_RESOURCE_NOT_FOUND as u32, "SysAppLaunch's error");
    assert!(m.shim().data_manager().open_databases().is_empty());
}

/// A ROM whose built-in application (guest_main) switches to "LaunchTest" with
/// SysUIAppSwitch on its first run and exits with 77 on its second.
fn shell_rom() -> RomImage {
    const GM: u32 = CODE + 0x20;
    const COUNTER: u32 = 0x0000_2004;
    let mut w: Vec<u16> = vec![
        0x4EB9, (GM >> 16) as u16, GM as u16, // jsr guest_main
        0x2F00, //         move.l d0,-(sp)
        0x3F3C, 0x7F06, // move.w #HOST_UI_SHELL,-(sp)
        0x4E4F, 0xA344, // trap #15: HostControl
        0x4AFC, //         illegal
    ];
    w.resize(0x20 / 2, 0x4E71);
    w.extend_from_slice(&[
        0x52B9, (COUNTER >> 16) as u16, COUNTER as u16, // addq.l #1,COUNTER
        0x0CB9, 0x0000, 0x0001, (COUNTER >> 16) as u16, COUNTER as u16, // cmpi.l #1,COUNTER
        0x6624, //         bne.s second (+0x24: the 18 words below)
        0x4879, (APP_NAME_AT >> 16) as u16, APP_NAME_AT as u16, // pea name
        0x4267, //         clr.w -(sp)
        0x4E4F, 0xA045, // trap #15: DmFindDatabase
        0x5C8F, //         addq.l #6,sp
        0x42A7, //         clr.l -(sp)          cmdPBP
        0x3F3C, 0x8001, // move.w #0x8001,-(sp) cmd
        0x2F00, //         move.l d0,-(sp)      dbID
        0x4267, //         clr.w -(sp)          cardNo
        0x4E4F, 0xA0A7, // trap #15: SysUIAppSwitch
        0x4FEF, 0x000C, // lea 12(sp),sp
        0x7000, 0x4E75, // moveq #0,d0; rts
        // second:
        0x704D, 0x4E75, // moveq #77,d0; rts
    ]);
    w.resize(0x80 / 2, 0x4E71);
    let mut code = words(&w);
    code.extend_from_slice(b"LaunchTest\0\0");
    code.resize(0xC0, 0);
    let stub = CODE + 0xC0;
    code.extend_from_slice(&words(&[0x3F3C, 0x7F05, 0x4E4F, 0xA344]));
    let mut bytes = memmap::SYSTEM_STACK_TOP.to_be_bytes().to_vec();
    bytes.extend_from_slice(&CODE.to_be_bytes());
    bytes.extend_from_slice(&code);
    let mut rom = RomImage::from_raw(bytes);
    rom.symbols.push(("__callback_return_stub".into(), stub));
    rom.symbols.push(("guest_main".into(), GM));
    rom
}

#[test]
fn ui_shell_switches_to_a_card_app_with_system_reset_first_then_back_to_the_built_in_one() {
    let config = MachineConfig { stop_at_boot: false, ..Default::default() };
    let mut m = Machine::new(&config).unwrap();
    m.install_database(&app_prc()).unwrap();
    m.load_rom(shell_rom()).unwrap();
    let reason = m.run(None);
    let history: Vec<String> = m.shim().recent_traps().map(|t| t.to_string()).collect();
    assert_eq!(reason, StopReason::Exit(77), "{reason}; traps: {history:#?}");
    let counts = m.shim().trap_counts();
    assert_eq!(counts.get(&0xA0A7), Some(&1), "SysUIAppSwitch once");
    assert_eq!(counts.get(&0xA08F), Some(&2), "SysAppStartup: the system-reset launch and the normal one");
    assert!(m.shim().data_manager().open_databases().is_empty());
    assert_eq!(m.shim().current_ui_app(), None);
    m.shim().memory().check(m.ram()).unwrap();
}
