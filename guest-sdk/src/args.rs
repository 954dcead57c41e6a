//! The arguments the host gave this run (`HostControl(HOST_GET_ARGS)`): a command line for
//! test programs, set with `Machine::set_program_args` (or the native host's shim).

use crate::mem::{copy_from_guest, scratch_area};
use crate::traps::HostControlBytes;
use alloc::vec;
use alloc::vec::Vec;
use palm_abi::host::HOST_GET_ARGS;

/// The program's arguments (empty when the host gave none).
pub fn program_args() -> Vec<u8> {
    let (buf, len) = scratch_area();
    let total = HostControlBytes(HOST_GET_ARGS, buf, len);
    if total <= len {
        let mut out = vec![0u8; total as usize];
        copy_from_guest(&mut out, buf);
        return out;
    }
    // Longer than the scratch area: fetch it in one go into a guest buffer of its size.
    let big = crate::traps::MemPtrNew(total);
    if big.is_null() {
        return Vec::new();
    }
    HostControlBytes(HOST_GET_ARGS, big, total);
    let mut out = vec![0u8; total as usize];
    copy_from_guest(&mut out, big);
    crate::traps::MemChunkFree(big);
    out
}
