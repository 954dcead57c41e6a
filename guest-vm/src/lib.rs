//! The persistent VM's store and heap (guest code): a Java-ready object heap that lives in
//! storage RAM, inside `'VMem'` resources of a PalmOS resource database (the *store*), with an
//! exact mark-sweep collector that compacts each segment using a break table, and the store's
//! lifecycle: creation, execution, suspension, resumption after the OS moved the records, and
//! destruction. The format and the protocols are specified in `docs/store-format.md`; every
//! byte layout is defined once, in [`layout`].
//!
//! Until the bytecode interpreter exists, [`mutator`] is the program: a deterministic
//! object-graph workload running as heap-resident threads (frames with tag stacks), so every
//! part of the store is exercised. [`driver`] is the test program built around it
//! (`target/guest/guest-vm.elf`): it reads a command with `guest_sdk::program_args()` and prints
//! a stable transcript. [`app`] is the same program as the PalmOS application `GuestVM.prc`
//! that resumes a store its Wrapper hands it, and suspends it on `appStopEvent`.
//!
//! Invariants: the heap is reached only through the SDK's accessors on real guest addresses,
//! never through Rust pointers; heap pointers are 68k addresses (so relocation matters); all
//! state that must survive suspension lives in the heap or the `'STOR'` header; output never
//! depends on addresses, so the native and 68k builds print the same transcript; a bad store is
//! refused with an error naming the fault and is not modified; nothing panics on bad data.
#![no_std]

extern crate alloc;
#[cfg(not(target_arch = "wasm32"))]
extern crate std;

pub mod app;
pub mod break_table;
pub mod check;
pub mod codes;
pub mod digest;
pub mod driver;
pub mod externals;
pub mod gc;
pub mod heap;
pub mod layout;
pub mod mutator;
pub mod palm;
pub mod store;
pub mod threads;
pub mod wrapper;

// A ROM run (launch parameters all zero) is the test driver; as `GuestVM.prc` the VM
// application (`app`).
guest_sdk::pilot_main!(app::pilot_main);
