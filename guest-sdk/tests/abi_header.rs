//! The C runtime, boot code and link script take their PalmOS constants from
//! `guest-sdk/c/include/palm_abi.h`; this test keeps every value there equal to palm-abi's.

use palm_abi::{host, memmap, traps};
mod header;


#[test]
fn palm_abi_header_matches_palm_abi() {
    let d = header::header_defines("palm_abi.h");
    let expect: &[(&str, u64)] = &[
        ("PALM_LOW_MEMORY_BASE", memmap::LOW_MEMORY.base as u64),
        ("PALM_SYSTEM_RAM_BASE", memmap::SYSTEM_RAM.base as u64),
        ("PALM_SYSTEM_RAM_SIZE", memmap::SYSTEM_RAM.size as u64),
        ("PALM_SYSTEM_STACK_TOP", memmap::SYSTEM_STACK_TOP as u64),
        ("PALM_ROM_BASE", memmap::ROM.base as u64),
        ("PALM_ROM_SIZE", memmap::ROM.size as u64),
        (
            "PALM_SYS_DISPATCH_TABLE_P",
            memmap::SYS_DISPATCH_TABLE_P as u64,
        ),
        (
            "PALM_DISPATCH_TABLE_ENTRIES",
            memmap::DISPATCH_TABLE_ENTRIES as u64,
        ),
        ("PALM_TRAP_STUB_SIZE", memmap::TRAP_STUB_SIZE as u64),
        ("PALM_HOST_CONSOLE_WRITE", host::HOST_CONSOLE_WRITE as u64),
        ("PALM_HOST_GUEST_PANIC", host::HOST_GUEST_PANIC as u64),
        ("PALM_HOST_EXIT", host::HOST_EXIT as u64),
        ("PALM_HOST_WASM_TRAP", host::HOST_WASM_TRAP as u64),
        ("PALM_HOST_CALLBACK_RETURN", host::HOST_CALLBACK_RETURN as u64),
        ("PALM_HOST_UI_SHELL", host::HOST_UI_SHELL as u64),
        ("PALM_HOST_GET_ARGS", host::HOST_GET_ARGS as u64),
        ("PALM_SYS_TRAP_BASE", traps::SYS_TRAP_BASE as u64),
        ("PALM_TRAP_HOST_CONTROL", traps::HOST_CONTROL as u64),
    ];
    for &(name, want) in expect {
        assert_eq!(d.get(name).copied(), Some(want), "{name} in palm_abi.h");
    }
    // Every PALM_ define must be checked above, except the documented guest-side conventions.
    let local = ["PALM_FEEDBEEF_ADDR", "PALM_FEEDBEEF"];
    for name in d.keys().filter(|n| n.starts_with("PALM_")) {
        assert!(
            expect.iter().any(|(n, _)| n == name) || local.contains(&name.as_str()),
            "{name} in palm_abi.h is not checked against palm-abi"
        );
    }
}
