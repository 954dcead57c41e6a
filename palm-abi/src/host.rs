//! The emulator's own `HostControl` (trap 0xA344) selectors. The first stack argument of
//! `HostControl` is a 16-bit selector; POSE uses selectors below 0x0600, so ours live in
//! 0x7F00.. to stay clear of them. The guest SDK uses these for console output, panics,
//! wasm runtime traps and program exit; test programs use them to report results.

/// `HostControl(HOST_CONSOLE_WRITE, const char *bytes, UInt32 len)`: append bytes to the
/// emulator's console. Returns 0 in D0.
pub const HOST_CONSOLE_WRITE: u16 = 0x7F01;
/// `HostControl(HOST_GUEST_PANIC, const char *msg, UInt32 len)`: the guest panicked; the run
/// stops with the message. Does not return.
pub const HOST_GUEST_PANIC: u16 = 0x7F02;
/// `HostControl(HOST_EXIT, UInt32 code)`: the guest program finished; the run stops with
/// the exit code. Does not return.
pub const HOST_EXIT: u16 = 0x7F03;
/// `HostControl(HOST_WASM_TRAP, UInt32 kind)`: the wasm2c runtime trapped (`wasm_rt_trap`);
/// `kind` is the `wasm_rt_trap_t` value. Does not return.
pub const HOST_WASM_TRAP: u16 = 0x7F04;

/// `HostControl(HOST_CALLBACK_RETURN)`: issued by the ROM's callback-return stub when 68k code
/// the shim called (a form event handler, a compare function) returns; D0 holds its result.
/// The stub is `MOVE.W #HOST_CALLBACK_RETURN,-(SP); TRAP #15; DC.W 0xA344`, exported by the
/// ROM as `__callback_return_stub`.
pub const HOST_CALLBACK_RETURN: u16 = 0x7F05;

/// `HostControl(HOST_UI_SHELL, UInt32 code)`: the ROM's boot code calls this when its built-in
/// application (the app manager) returns with `code`. The UI shell then starts the application
/// `SysUIAppSwitch` asked for, and the built-in one again when that one returns; with nothing
/// to switch to the run stops with `code` as the exit code (plain guest programs).
pub const HOST_UI_SHELL: u16 = 0x7F06;

/// `HostControl(HOST_GET_ARGS, void *buf, UInt32 max)`: copies up to `max` bytes of the
/// arguments the host gave this run (`Machine::set_program_args`: a command line for test
/// programs) to `buf`; returns their full length in D0.
pub const HOST_GET_ARGS: u16 = 0x7F07;

/// Names of the wasm2c runtime trap kinds (`wasm_rt_trap_t` in wasm-rt.h of wabt 1.0.32).
pub fn wasm_trap_name(kind: u32) -> &'static str {
    match kind {
        0 => "none",
        1 => "out of bounds memory access",
        2 => "integer overflow",
        3 => "integer divide by zero",
        4 => "invalid conversion",
        5 => "unreachable",
        6 => "call_indirect to a null or mismatched function",
        7 => "uncaught exception",
        8 => "call stack exhausted",
        _ => "unknown wasm trap",
    }
}
