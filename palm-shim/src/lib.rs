//! palm-shim: PalmOS implemented in host Rust (high-level emulation), reached by the guest
//! through `TRAP #15`. The shim sees the machine only through two narrow views, a
//! [`GuestMemory`] and a [`Registers`] set, so every manager is testable on plain byte
//! buffers; it never imports the CPU engine. The emulator owns the CPU and calls
//! [`Shim::dispatch`] for each trap.

pub mod app_image;
pub mod args;
pub mod card;
pub mod data_mgr;
pub mod dispatch;
pub mod graphics;
pub mod managers;
pub mod memory;
pub mod pdb;
pub mod regs;
mod shim;

/// The Form Manager's resource formats and the host-side form builder.
pub use managers::form as forms;
pub use args::ArgReader;
pub use dispatch::{StopRequest, TrapCall, TrapError, TrapOutcome, TrapRecord};
pub use memory::{FlatMemory, GuestMemory, MemError};
pub use regs::{Registers, RegisterFile};
pub use shim::{Shim, ShimConfig};
