/* PalmOS ABI constants for the guest's C runtime, boot code and link script.
 * The values mirror palm-abi (memmap.rs, host.rs, traps.rs); a native test in guest-sdk
 * (tests/abi_header.rs) parses this file and checks every value against palm-abi.
 * Usable from C, from GNU as (.S) and from the preprocessed link script: plain #defines only. */
#ifndef PALM_ABI_H
#define PALM_ABI_H

/* memmap.rs */
#define PALM_LOW_MEMORY_BASE        0x00000000
#define PALM_SYSTEM_RAM_BASE        0x00001000
#define PALM_SYSTEM_RAM_SIZE        0x000FF000
#define PALM_SYSTEM_STACK_TOP       0x00100000
#define PALM_ROM_BASE               0x10000000
#define PALM_ROM_SIZE               0x00400000
#define PALM_SYS_DISPATCH_TABLE_P   0x122
#define PALM_DISPATCH_TABLE_ENTRIES 0x1000
#define PALM_TRAP_STUB_SIZE         6

/* host.rs: HostControl selectors */
#define PALM_HOST_CONSOLE_WRITE     0x7F01
#define PALM_HOST_GUEST_PANIC       0x7F02
#define PALM_HOST_EXIT              0x7F03
#define PALM_HOST_WASM_TRAP         0x7F04
#define PALM_HOST_CALLBACK_RETURN   0x7F05
#define PALM_HOST_UI_SHELL          0x7F06
#define PALM_HOST_GET_ARGS          0x7F07

/* traps.rs */
#define PALM_SYS_TRAP_BASE          0xA000
#define PALM_TRAP_HOST_CONTROL      0xA344

/* Not in palm-abi: guest-side conventions of the stub ROM. */
#define PALM_FEEDBEEF_ADDR          0x8          /* pre-OS 5 apps read 0xFEEDBEEF here */
#define PALM_FEEDBEEF               0xFEEDBEEF

#endif
