//! The hooks of the External protocol (seed `004_*.txt`), empty until the External issue:
//! at suspension step 1 every registered External internalizes its external state (newest
//! first); at resumption step 10 each one recreates it, in the order they were created. The
//! manager's own counters are module state (header block EXTERNALS) and the `ExternalManager`
//! object will be the EXTERNAL_MANAGER global, so both already persist.

use crate::heap::Heap;
use crate::layout::global;

/// The external manager's module variables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Externals {
    pub registered: u32,
    pub next_sequence: u32,
}

/// Suspension step 1: asks every External to internalize its state. Returns how many did
/// (always 0 until Externals exist: no manager object is ever created yet).
pub fn internalize_all(heap: &Heap, ext: &Externals) -> u32 {
    debug_assert_eq!(heap.global(global::EXTERNAL_MANAGER), 0);
    let _ = ext;
    0
}

/// Resumption step 10: recreates every External's state in creation order. Returns how many.
pub fn recreate_all(heap: &Heap, ext: &Externals) -> u32 {
    debug_assert_eq!(heap.global(global::EXTERNAL_MANAGER), 0);
    let _ = ext;
    0
}
