//! The guest SDK: what a Rust program needs to run as 68k code on the emulated handheld.
//!
//! The same crate builds two ways, chosen by `cfg(target_arch = "wasm32")`:
//! - **wasm32** (the 68k product): Rust -> wasm32 -> `wasm2c` -> GCC m68k. Everything that
//!   touches the machine goes through wasm imports of module `env`, implemented by the C runtime
//!   in `guest-sdk/c/` (see `docs/guest-toolchain.md`). This build also provides the global
//!   allocator ([`heap`]) and the panic handler.
//! - **native** (the test oracle): the same API is served by a [`native::Host`] installed on the
//!   current thread; [`native::FlatHost`] is a ready one (flat RAM + console capture).
//!
//! Invariants: the wasm linear memory is *not* guest memory (it is byte-reversed inside a RAM
//! arena), so no Rust pointer is ever handed to PalmOS; everything PalmOS sees lives at real
//! guest addresses ([`GuestAddr`]) reached through the accessors in [`mem`]. Output never
//! depends on addresses or pointer widths, so the native and 68k builds print the same thing.
#![no_std]

extern crate alloc;
#[cfg(not(target_arch = "wasm32"))]
extern crate std;

pub mod args;
pub mod console;
pub mod heap;
pub mod launch;
pub mod mem;
pub mod traps;
pub mod ui;

#[cfg(not(target_arch = "wasm32"))]
pub mod native;

#[cfg(target_arch = "wasm32")]
mod sys;
#[cfg(target_arch = "wasm32")]
mod wasm_rt;

pub use mem::{
    copy_from_guest, copy_to_guest, guest_memcmp, guest_memcpy, guest_memmove, guest_memset,
    read_u16, read_u32, read_u8, scratch_area, write_u16, write_u32, write_u8, GuestAddr,
};
pub use args::program_args;
pub use palm_abi;

/// Declares the program's entry point. In the wasm32 build this exports `guest_main`, which the
/// C runtime's `guest_main` calls after instantiating the module (boot.S reports the returned
/// value as the exit code). In the native build it does nothing: tests call the function directly.
///
/// ```ignore
/// fn main() -> u32 { guest_sdk::println!("hi"); 0 }
/// guest_sdk::entry!(main);
/// ```
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[cfg(target_arch = "wasm32")]
        #[unsafe(no_mangle)]
        pub extern "C" fn guest_main() -> u32 {
            $main()
        }
        $crate::__sdk_exports!();
    };
}

/// Declares the entry point of a program that cares how it was launched, PalmOS style:
/// `fn(cmd: u16, cmd_pbp: GuestAddr, launch_flags: u16) -> u32` (`PilotMain`). Packaged as a
/// PalmOS application (.prc) it receives its `SysAppInfoType`'s launch code, parameter block
/// and flags; in a ROM image a normal launch (all zero). Like [`entry!`], it exports
/// `guest_main` in the wasm32 build and does nothing natively (tests call the function, see
/// [`launch::set_native`]).
///
/// ```ignore
/// fn pilot_main(cmd: u16, pbp: guest_sdk::GuestAddr, flags: u16) -> u32 { 0 }
/// guest_sdk::pilot_main!(pilot_main);
/// ```
#[macro_export]
macro_rules! pilot_main {
    ($main:path) => {
        #[cfg(target_arch = "wasm32")]
        #[unsafe(no_mangle)]
        pub extern "C" fn guest_main() -> u32 {
            let p = $crate::launch::params();
            $main(p.cmd, p.cmd_pbp, p.flags)
        }
        $crate::__sdk_exports!();
    };
}

/// The wasm exports the C runtime calls besides `guest_main` (part of [`entry!`] and
/// [`pilot_main!`]; a program that defines `guest_main` itself must invoke this too):
/// `sdk_form_event`, which the 68k form event handler trampoline calls (see [`ui`]).
/// Exports must be defined in the program's own crate: a `#[no_mangle]` function in this
/// library does not reach the cdylib's export list.
#[doc(hidden)]
#[macro_export]
macro_rules! __sdk_exports {
    () => {
        #[cfg(target_arch = "wasm32")]
        #[unsafe(no_mangle)]
        pub extern "C" fn sdk_form_event(event: u32) -> u32 {
            $crate::ui::dispatch_form_event($crate::GuestAddr(event)) as u32
        }
    };
}
