//! How the program was launched: the PalmOS launch code (`cmd`), its parameter block
//! (`cmdPBP`) and the launch flags. A program packaged as a PalmOS application (.prc, see
//! docs/guest-toolchain.md) gets them from its `SysAppInfoType` (the start-up code in
//! `guest-sdk/c/app_rt.c` keeps them for the wasm import `sdk_launch_param`); a program in a
//! ROM image is never launched and sees a normal launch (all zero). [`crate::pilot_main!`]
//! passes them to the program's entry.
//!
//! Natively there is no launch: [`params`] returns what [`set_native`] last stored on this
//! thread (a normal launch by default).

use crate::mem::GuestAddr;

/// `sysAppLaunchCmdNormalLaunch`
pub const CMD_NORMAL_LAUNCH: u16 = 0;

/// The launch parameters of this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LaunchParams {
    /// The launch code (`sysAppLaunchCmd*`, custom codes from 0x8000).
    pub cmd: u16,
    /// The launch code's parameter block (a real guest address, possibly null).
    pub cmd_pbp: GuestAddr,
    /// `sysAppLaunchFlag*`.
    pub flags: u16,
}

/// The launch parameters of this run.
#[cfg(target_arch = "wasm32")]
pub fn params() -> LaunchParams {
    // SAFETY: plain wasm imports without memory effects.
    unsafe {
        LaunchParams {
            cmd: crate::sys::sdk_launch_param(0) as u16,
            cmd_pbp: GuestAddr(crate::sys::sdk_launch_param(1)),
            flags: crate::sys::sdk_launch_param(2) as u16,
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
std::thread_local! {
    static NATIVE: core::cell::Cell<LaunchParams> = const { core::cell::Cell::new(LaunchParams { cmd: 0, cmd_pbp: GuestAddr(0), flags: 0 }) };
}

/// The launch parameters of this run.
#[cfg(not(target_arch = "wasm32"))]
pub fn params() -> LaunchParams {
    NATIVE.with(|p| p.get())
}

/// Native builds: what [`params`] returns on this thread from now on.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_native(p: LaunchParams) {
    NATIVE.with(|c| c.set(p));
}
