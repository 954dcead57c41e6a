//! PalmOS ABI facts shared by the host (emulator, palm-shim) and the guest (SDK, VM):
//! the guest memory map, trap words and their SDK names, error codes, the emulator's
//! `HostControl` selectors and guest-visible structure layouts. Each fact lives here once.
#![no_std]

pub mod app_layout;
pub mod errors;
pub mod host;
pub mod mem_layout;
pub mod memmap;
pub mod menu_layout;
pub mod traps;
pub mod trap_names;
pub mod ui_layout;
