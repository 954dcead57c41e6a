//! The smallest SDK program packaged as a PalmOS application (`target/guest/apps/HelloApp.prc`,
//! see docs/guest-toolchain.md, "Applications as .prc"). It receives its launch parameters
//! through `pilot_main!`, prints them, checks that its globals are fresh (a Rust static starts
//! at its initial value and the C runtime's zero-filled scratch buffer is still zero, then both
//! are dirtied for the next launch to catch), and does a little work through dynamic dispatch
//! (function pointers that data 0's relocation chains fixed up). The result is
//! `cmd + 1000` when everything held, `0xBAD` otherwise.
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use guest_sdk::{guest_memset, println, read_u8, scratch_area, GuestAddr};

guest_sdk::pilot_main!(pilot_main);

/// Starts at 1 in every launch if the globals are re-created.
static GENERATION: AtomicU32 = AtomicU32::new(1);

/// Up to 31 bytes of the NUL-terminated string at `p`.
fn guest_str(p: GuestAddr) -> alloc::string::String {
    let mut s = alloc::string::String::new();
    if p.is_null() {
        return s;
    }
    for i in 0..31 {
        let b = read_u8(p.add(i));
        if b == 0 {
            break;
        }
        s.push(b as char);
    }
    s
}

trait Shape {
    fn area(&self) -> u32;
}
struct Square(u32);
struct Rect(u32, u32);
impl Shape for Square {
    fn area(&self) -> u32 {
        self.0 * self.0
    }
}
impl Shape for Rect {
    fn area(&self) -> u32 {
        self.0 * self.1
    }
}

/// The application's `PilotMain`.
pub fn pilot_main(cmd: u16, cmd_pbp: GuestAddr, flags: u16) -> u32 {
    let generation = GENERATION.fetch_add(1, Ordering::Relaxed);
    let (scratch, len) = scratch_area();
    let dirty = (0..len).filter(|&i| read_u8(scratch.add(i)) != 0).count();
    guest_memset(scratch, 0xEE, len);

    println!(
        "hello-app: cmd={cmd:#06x} pbp={:?} flags={flags:#06x} generation={generation} dirty-scratch-bytes={dirty}",
        guest_str(cmd_pbp)
    );
    let shapes: Vec<alloc::boxed::Box<dyn Shape>> =
        (1..=20u32).map(|i| if i % 2 == 0 { alloc::boxed::Box::new(Square(i)) as alloc::boxed::Box<dyn Shape> } else { alloc::boxed::Box::new(Rect(i, i + 1)) }).collect();
    let mut areas: Vec<u32> = shapes.iter().map(|s| s.area()).collect();
    areas.sort_unstable_by(|a, b| b.cmp(a));
    println!("hello-app: largest areas {:?}, total {}", &areas[..3], areas.iter().sum::<u32>());
    if generation == 1 && dirty == 0 {
        cmd as u32 + 1000
    } else {
        0xBAD
    }
}
