//! The wasm imports (module `env`) of the 68k build. This list is the contract with the C
//! runtime (`guest-sdk/c/sdk_env.c`, `guest-sdk/c/palm_trap.S`); wasm2c names each import
//! `Z_envZ_<name>`. All values are wasm `i32`; addresses are real guest addresses unless a
//! parameter is called `wasm_*` (an address in this module's linear memory).

#[link(wasm_import_module = "env")]
unsafe extern "C" {
    /// Calls trap `word` with up to 14 arguments whose widths are packed in `shape`
    /// (see [`crate::traps::Shape`]); returns D0, or A0 if the shape says so.
    pub fn palm_trap(
        word: u32,
        shape: u32,
        a0: u32,
        a1: u32,
        a2: u32,
        a3: u32,
        a4: u32,
        a5: u32,
        a6: u32,
        a7: u32,
        a8: u32,
        a9: u32,
        a10: u32,
        a11: u32,
        a12: u32,
        a13: u32,
    ) -> u32;

    /// Big-endian loads and stores at real guest addresses (odd addresses are fine).
    pub fn guest_read8(addr: u32) -> u32;
    pub fn guest_read16(addr: u32) -> u32;
    pub fn guest_read32(addr: u32) -> u32;
    pub fn guest_write8(addr: u32, value: u32);
    pub fn guest_write16(addr: u32, value: u32);
    pub fn guest_write32(addr: u32, value: u32);

    /// Copies `len` bytes from linear memory to guest memory (traps if out of linear bounds).
    pub fn guest_copy_in(dst: u32, wasm_src: u32, len: u32);
    /// Copies `len` bytes from guest memory to linear memory (traps if out of linear bounds).
    pub fn guest_copy_out(wasm_dst: u32, src: u32, len: u32);

    /// The C runtime's own `memcpy`/`memmove`/`memset`/`memcmp` on guest addresses.
    pub fn guest_memcpy(dst: u32, src: u32, len: u32);
    pub fn guest_memmove(dst: u32, src: u32, len: u32);
    pub fn guest_memset(dst: u32, value: u32, len: u32);
    pub fn guest_memcmp(a: u32, b: u32, len: u32) -> i32;

    /// A guest-memory scratch buffer owned by the program (C `.bss`), for tests.
    pub fn sdk_scratch_addr() -> u32;
    pub fn sdk_scratch_len() -> u32;
    /// A guest-memory buffer the SDK uses for console and panic text.
    pub fn sdk_console_addr() -> u32;
    pub fn sdk_console_len() -> u32;
    /// How the program was launched: 0 = cmd, 1 = cmdPBP, 2 = launch flags (all zero in a ROM
    /// image; an application's start-up code sets them).
    pub fn sdk_launch_param(which: u32) -> u32;
    /// The guest address of the 68k form event handler trampoline
    /// (`sdk_form_event_trampoline` in sdk_env.c), which calls this module's export
    /// `sdk_form_event` (see [`crate::ui`]).
    pub fn sdk_form_trampoline_addr() -> u32;
}
