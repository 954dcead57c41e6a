//! wasm32-only runtime pieces: the panic handler. (The global allocator is in [`crate::heap`].)

use crate::console::FixedBuf;
use crate::mem::{copy_to_guest, GuestAddr};
use crate::sys;
use crate::traps::HostControlBytes;
use core::fmt::Write;
use palm_abi::host::HOST_GUEST_PANIC;

/// Formats the panic message (no allocation) into the guest console buffer and reports it with
/// `HostControl(HOST_GUEST_PANIC, addr, len)`, which does not return.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut msg = FixedBuf::<256>::new();
    let _ = write!(msg, "{info}");
    let (addr, cap) = unsafe {
        (
            GuestAddr(sys::sdk_console_addr()),
            sys::sdk_console_len() as usize,
        )
    };
    let bytes = &msg.as_bytes()[..msg.len.min(cap)];
    copy_to_guest(addr, bytes);
    HostControlBytes(HOST_GUEST_PANIC, addr, bytes.len() as u32);
    core::arch::wasm32::unreachable()
}
