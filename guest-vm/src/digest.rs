//! Digests of a heap that tests compare across runs (`docs/store-format.md`, section 12):
//! the **graph digest** (reachable objects by identity, independent of addresses and GC
//! timing) and the **image digest** (every byte of every segment with pointers written as
//! (segment, offset), computed by the checker's walk in [`crate::check`]).

use crate::gc;
use crate::heap::{for_each_ref_slot, obj_id, r32, Direct, Heap};
use crate::layout::{info, object_header as oh};

/// 64-bit FNV-1a over 32-bit words (each word fed as 4 big-endian bytes).
#[derive(Debug, Clone, Copy)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn word(&mut self, w: u32) {
        for b in w.to_be_bytes() {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    pub fn finish(self) -> u64 {
        self.0
    }
}

/// Counts and the graph digest of the reachable heap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GraphSummary {
    pub objects: u32,
    pub bytes: u32,
    /// Reachable objects per kind (index = kind).
    pub by_kind: [u32; 7],
    pub digest: u64,
}

/// The graph digest: marks from the roots, hashes each reachable object by identity (KIND, ID,
/// class ID, SIZE, non-reference words, referenced IDs), sums the hashes, clears the marks.
pub fn graph(heap: &Heap) -> GraphSummary {
    let m = gc::mark(heap);
    let mut s = GraphSummary { objects: m.objects, bytes: m.bytes, ..Default::default() };
    let mut refs: alloc::vec::Vec<u32> = alloc::vec::Vec::new();
    for seg in &heap.segments {
        let (mut o, top) = (seg.first_object(), seg.top());
        while o < top {
            let inf = r32(o + oh::INFO);
            let size = info::size(inf);
            if inf & info::MARK != 0 {
                crate::heap::w32(o + oh::INFO, inf & !info::MARK);
                let k = info::kind(inf);
                s.by_kind[k as usize & 7] += 1;
                refs.clear();
                let _ = for_each_ref_slot::<_, ()>(&Direct, o, |c| c, |slot| {
                    refs.push(slot);
                    Ok(())
                });
                let mut h = Fnv::default();
                h.word(k);
                h.word(size);
                h.word(obj_id(o));
                let mut r = 0;
                let mut a = o + oh::CLASS;
                while a < o + size {
                    if r < refs.len() && refs[r] == a {
                        let p = r32(a);
                        h.word(if p == 0 { 0 } else { obj_id(p) });
                        h.word(0xFEED_0000 | (r as u32 & 0xFFFF));
                        r += 1;
                    } else if a != o + oh::ID {
                        h.word(r32(a));
                    }
                    a += 4;
                }
                s.digest = s.digest.wrapping_add(h.finish());
            }
            o += size.max(oh::SIZE);
        }
    }
    s
}
