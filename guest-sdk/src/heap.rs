//! The guest's memory allocator: [`FreeListHeap`], a first-fit allocator over an
//! address-ordered free list that coalesces neighbours on free and grows/shrinks in place on
//! realloc when it can. In the wasm32 build it is the `#[global_allocator]`, managing the
//! linear memory from `__heap_base` up; when nothing fits it asks for more pages with
//! `memory.grow` (the C runtime grows linear memory inside its RAM arena; see
//! `docs/guest-toolchain.md`). Natively std's allocator is used and this type is unit-tested
//! on plain buffers.
//!
//! Layout (all sizes and block starts are multiples of [`UNIT`] = two machine words):
//! - a free block starts with `[size, next]` (next = the following free block, or null);
//! - a used block starts with `[size, MAGIC]` and its payload follows at `start + UNIT`.
//!
//! Large alignments are served by splitting the padding in front off as a free block, so a
//! used block always starts exactly `UNIT` bytes below its payload.

use core::alloc::Layout;
use core::ptr;

/// Allocation granularity and header size.
pub const UNIT: usize = 2 * core::mem::size_of::<usize>();
const MAGIC: usize = 0xA110_C8ED;

#[repr(C)]
struct FreeBlock {
    size: usize,
    next: *mut FreeBlock,
}

#[repr(C)]
struct UsedTag {
    size: usize,
    magic: usize,
}

const fn align_up(x: usize, a: usize) -> Option<usize> {
    match x.checked_add(a - 1) {
        Some(v) => Some(v & !(a - 1)),
        None => None,
    }
}

/// Heap occupancy, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct HeapStats {
    /// Bytes handed to the heap with [`FreeListHeap::add_region`].
    pub total: usize,
    /// Bytes on the free list.
    pub free: usize,
    /// Number of blocks on the free list.
    pub free_blocks: usize,
}

/// A first-fit, coalescing free-list allocator over caller-provided regions.
pub struct FreeListHeap {
    head: *mut FreeBlock,
    total: usize,
    free: usize,
}

// The heap only holds addresses of memory it was given; moving it between threads is fine.
unsafe impl Send for FreeListHeap {}

impl FreeListHeap {
    pub const fn new() -> Self {
        FreeListHeap {
            head: ptr::null_mut(),
            total: 0,
            free: 0,
        }
    }

    /// Adds `[start, start + len)` to the heap (trimmed to [`UNIT`] alignment). Adjacent
    /// regions coalesce, so growing the underlying memory and adding the new tail works.
    ///
    /// # Safety
    /// The region must be valid for reads and writes, not used by anything else, and must
    /// not overlap memory already given to the heap.
    pub unsafe fn add_region(&mut self, start: *mut u8, len: usize) {
        let s = start as usize;
        let Some(a) = align_up(s, UNIT) else { return };
        let Some(end) = s.checked_add(len) else {
            return;
        };
        if end <= a {
            return;
        }
        let size = (end - a) & !(UNIT - 1);
        if size < UNIT {
            return;
        }
        self.total += size;
        self.insert_free(a, size);
    }

    /// Puts `[start, start + size)` on the free list, merging with its neighbours.
    unsafe fn insert_free(&mut self, start: usize, size: usize) {
        let mut prev: *mut FreeBlock = ptr::null_mut();
        let mut cur = self.head;
        while !cur.is_null() && (cur as usize) < start {
            prev = cur;
            cur = (*cur).next;
        }
        let blk = start as *mut FreeBlock;
        (*blk).size = size;
        (*blk).next = cur;
        if !cur.is_null() && start + size == cur as usize {
            (*blk).size += (*cur).size;
            (*blk).next = (*cur).next;
        }
        if prev.is_null() {
            self.head = blk;
        } else if prev as usize + (*prev).size == start {
            (*prev).size += (*blk).size;
            (*prev).next = (*blk).next;
        } else {
            (*prev).next = blk;
        }
        self.free += size;
    }

    /// Allocates; returns null when no free block fits (the caller may add memory and retry).
    ///
    /// # Safety
    /// The heap's regions must still be valid.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let size = layout.size().max(1);
        let align = layout.align().max(UNIT);
        let mut prev: *mut FreeBlock = ptr::null_mut();
        let mut cur = self.head;
        while !cur.is_null() {
            let b = cur as usize;
            let s = (*cur).size;
            let next = (*cur).next;
            if let Some(p) = align_up(b + UNIT, align) {
                if let Some(end) = p.checked_add(size).and_then(|e| align_up(e, UNIT)) {
                    if end <= b + s {
                        let front = p - UNIT - b;
                        let rest = b + s - end;
                        // The node that will precede whatever follows the used block.
                        let before = if front > 0 {
                            (*cur).size = front;
                            cur
                        } else {
                            prev
                        };
                        let after = if rest >= UNIT {
                            let r = end as *mut FreeBlock;
                            (*r).size = rest;
                            (*r).next = next;
                            r
                        } else {
                            next
                        };
                        if before.is_null() {
                            self.head = after;
                        } else {
                            (*before).next = after;
                        }
                        let used_end = if rest >= UNIT { end } else { b + s };
                        let used_start = p - UNIT;
                        let tag = used_start as *mut UsedTag;
                        (*tag).size = used_end - used_start;
                        (*tag).magic = MAGIC;
                        self.free -= used_end - used_start;
                        return p as *mut u8;
                    }
                }
            }
            prev = cur;
            cur = next;
        }
        ptr::null_mut()
    }

    unsafe fn tag_of(p: *mut u8) -> *mut UsedTag {
        let tag = (p as usize - UNIT) as *mut UsedTag;
        if (*tag).magic != MAGIC {
            panic!("heap: free/realloc of a pointer that is not a live allocation");
        }
        tag
    }

    /// Frees a block returned by [`alloc`](Self::alloc) or [`realloc`](Self::realloc).
    ///
    /// # Safety
    /// `p` must be a live allocation of this heap.
    pub unsafe fn dealloc(&mut self, p: *mut u8) {
        let tag = Self::tag_of(p);
        let size = (*tag).size;
        (*tag).magic = 0;
        self.insert_free(p as usize - UNIT, size);
    }

    /// Resizes in place when possible (shrinking, or growing into an adjacent free block),
    /// otherwise allocates, copies and frees. Returns null (leaving `p` intact) on failure.
    ///
    /// # Safety
    /// `p` must be a live allocation of this heap made with `layout`.
    pub unsafe fn realloc(&mut self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let tag = Self::tag_of(p);
        let start = p as usize - UNIT;
        let block_end = start + (*tag).size;
        let Some(need_end) = (p as usize)
            .checked_add(new_size.max(1))
            .and_then(|e| align_up(e, UNIT))
        else {
            return ptr::null_mut();
        };
        if need_end <= block_end {
            if block_end - need_end >= UNIT {
                (*tag).size = need_end - start;
                self.insert_free(need_end, block_end - need_end);
            }
            return p;
        }
        // Grow into the free block that starts right at block_end, if any.
        let mut prev: *mut FreeBlock = ptr::null_mut();
        let mut cur = self.head;
        while !cur.is_null() && (cur as usize) < block_end {
            prev = cur;
            cur = (*cur).next;
        }
        if !cur.is_null() && cur as usize == block_end && block_end + (*cur).size >= need_end {
            let avail_end = block_end + (*cur).size;
            let next = (*cur).next;
            let rest = avail_end - need_end;
            let (after, new_end) = if rest >= UNIT {
                let r = need_end as *mut FreeBlock;
                (*r).size = rest;
                (*r).next = next;
                (r, need_end)
            } else {
                (next, avail_end)
            };
            if prev.is_null() {
                self.head = after;
            } else {
                (*prev).next = after;
            }
            self.free -= new_end - block_end;
            (*tag).size = new_end - start;
            return p;
        }
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return ptr::null_mut();
        };
        let q = self.alloc(new_layout);
        if !q.is_null() {
            ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
            self.dealloc(p);
        }
        q
    }

    /// Current occupancy.
    pub fn stats(&self) -> HeapStats {
        let mut n = 0;
        let mut cur = self.head;
        while !cur.is_null() {
            n += 1;
            cur = unsafe { (*cur).next };
        }
        HeapStats {
            total: self.total,
            free: self.free,
            free_blocks: n,
        }
    }

    /// Checks the free list's invariants (ordered, disjoint, fully coalesced, sizes add up).
    pub fn check(&self) -> Result<(), &'static str> {
        let mut sum = 0;
        let mut last_end = 0usize;
        let mut cur = self.head;
        while !cur.is_null() {
            let b = cur as usize;
            let s = unsafe { (*cur).size };
            if !b.is_multiple_of(UNIT) || !s.is_multiple_of(UNIT) || s == 0 {
                return Err("misaligned free block");
            }
            if last_end != 0 && b <= last_end {
                return Err(if b == last_end {
                    "uncoalesced neighbours"
                } else {
                    "free list out of order"
                });
            }
            sum += s;
            last_end = b + s;
            cur = unsafe { (*cur).next };
        }
        if sum != self.free {
            return Err("free byte count mismatch");
        }
        if self.free > self.total {
            return Err("more free than total");
        }
        Ok(())
    }
}

impl Default for FreeListHeap {
    fn default() -> Self {
        Self::new()
    }
}

// ---------------------------------------------------------------------------------------------
// The wasm32 global allocator.

#[cfg(target_arch = "wasm32")]
mod global {
    use super::{FreeListHeap, HeapStats, UNIT};
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::wasm32;
    use core::cell::UnsafeCell;

    const PAGE: usize = 65536;

    unsafe extern "C" {
        /// End of the static data and wasm stack, synthesised by wasm-ld.
        static __heap_base: u8;
    }

    struct State {
        heap: FreeListHeap,
        ready: bool,
    }

    pub struct GuestAllocator(UnsafeCell<State>);

    // wasm32-unknown-unknown here is single-threaded (and the 68k has no atomics).
    unsafe impl Sync for GuestAllocator {}

    #[global_allocator]
    static ALLOCATOR: GuestAllocator = GuestAllocator(UnsafeCell::new(State {
        heap: FreeListHeap::new(),
        ready: false,
    }));

    impl GuestAllocator {
        #[allow(clippy::mut_from_ref)]
        unsafe fn state(&self) -> &mut State {
            let st = &mut *self.0.get();
            if !st.ready {
                st.ready = true;
                let base = &raw const __heap_base as usize;
                let end = wasm32::memory_size(0) * PAGE;
                if end > base {
                    st.heap.add_region(base as *mut u8, end - base);
                }
            }
            st
        }

        /// Grows linear memory by enough pages for `layout`; false if the runtime refuses.
        unsafe fn grow(st: &mut State, bytes: usize) -> bool {
            let want = bytes.saturating_add(2 * UNIT);
            let pages = want.div_ceil(PAGE);
            let old = wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return false;
            }
            st.heap.add_region((old * PAGE) as *mut u8, pages * PAGE);
            true
        }
    }

    unsafe impl GlobalAlloc for GuestAllocator {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let st = self.state();
            let p = st.heap.alloc(layout);
            if !p.is_null() {
                return p;
            }
            if Self::grow(st, layout.size() + layout.align()) {
                st.heap.alloc(layout)
            } else {
                core::ptr::null_mut()
            }
        }
        unsafe fn dealloc(&self, p: *mut u8, _layout: Layout) {
            self.state().heap.dealloc(p)
        }
        unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let st = self.state();
            let q = st.heap.realloc(p, layout, new_size);
            if !q.is_null() {
                return q;
            }
            if Self::grow(st, new_size + layout.align()) {
                st.heap.realloc(p, layout, new_size)
            } else {
                core::ptr::null_mut()
            }
        }
    }

    pub fn stats() -> HeapStats {
        unsafe { ALLOCATOR.state().heap.stats() }
    }
}

/// Occupancy of the global heap (68k build). Natively std's allocator is in use and this
/// returns zeros. Never print these in differential tests: they differ between builds.
pub fn global_stats() -> HeapStats {
    #[cfg(target_arch = "wasm32")]
    {
        global::stats()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        HeapStats::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;
    use std::vec::Vec;

    /// A heap over a fresh, UNIT-aligned buffer.
    fn heap_with(bytes: usize) -> (FreeListHeap, Vec<u128>) {
        let mut buf = vec![0u128; bytes / 16];
        let mut h = FreeListHeap::new();
        unsafe { h.add_region(buf.as_mut_ptr() as *mut u8, bytes) };
        (h, buf)
    }

    fn l(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn alloc_free_coalesces_back_to_one_block() {
        let (mut h, _buf) = heap_with(4096);
        let total = h.stats().free;
        let ps: Vec<*mut u8> = (1..20).map(|i| unsafe { h.alloc(l(i * 7, 1)) }).collect();
        assert!(ps.iter().all(|p| !p.is_null()));
        h.check().unwrap();
        // Free every other one, then the rest.
        for p in ps.iter().step_by(2) {
            unsafe { h.dealloc(*p) };
            h.check().unwrap();
        }
        for p in ps.iter().skip(1).step_by(2) {
            unsafe { h.dealloc(*p) };
            h.check().unwrap();
        }
        let s = h.stats();
        assert_eq!(s.free, total);
        assert_eq!(s.free_blocks, 1);
    }

    #[test]
    fn allocations_do_not_overlap_and_keep_contents() {
        let (mut h, _buf) = heap_with(64 * 1024);
        let mut live: Vec<(*mut u8, usize, u8)> = Vec::new();
        let mut seed = 12345u32;
        let mut rnd = move || {
            seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
            seed >> 8
        };
        for round in 0..3000 {
            let r = rnd();
            if r % 3 != 0 || live.is_empty() {
                let size = (rnd() % 300) as usize;
                let align = 1 << (rnd() % 7);
                let p = unsafe { h.alloc(l(size, align)) };
                if p.is_null() {
                    continue;
                }
                assert_eq!(p as usize % align, 0);
                let fill = round as u8;
                unsafe { core::ptr::write_bytes(p, fill, size) };
                live.push((p, size, fill));
            } else {
                let i = (rnd() as usize) % live.len();
                let (p, size, fill) = live.swap_remove(i);
                for k in 0..size {
                    assert_eq!(unsafe { *p.add(k) }, fill, "block contents clobbered");
                }
                unsafe { h.dealloc(p) };
            }
            h.check().unwrap();
        }
        for (p, size, fill) in live.drain(..) {
            for k in 0..size {
                assert_eq!(unsafe { *p.add(k) }, fill);
            }
            unsafe { h.dealloc(p) };
        }
        h.check().unwrap();
        assert_eq!(h.stats().free_blocks, 1);
    }

    #[test]
    fn realloc_grows_in_place_and_moves_when_blocked() {
        let (mut h, _buf) = heap_with(4096);
        unsafe {
            let a = h.alloc(l(32, 4));
            for i in 0..32 {
                *a.add(i) = i as u8;
            }
            // Nothing after `a`: grows in place.
            let a2 = h.realloc(a, l(32, 4), 200);
            assert_eq!(a2, a);
            let b = h.alloc(l(16, 4));
            // Now blocked by `b`: must move and keep the bytes.
            let a3 = h.realloc(a2, l(200, 4), 400);
            assert_ne!(a3, a2);
            for i in 0..32 {
                assert_eq!(*a3.add(i), i as u8);
            }
            // Shrink in place.
            let a4 = h.realloc(a3, l(400, 4), 8);
            assert_eq!(a4, a3);
            h.check().unwrap();
            h.dealloc(a4);
            h.dealloc(b);
            h.check().unwrap();
            assert_eq!(h.stats().free_blocks, 1);
        }
    }

    #[test]
    fn exhaustion_returns_null_and_new_region_helps() {
        let (mut h, _buf) = heap_with(256);
        let p = unsafe { h.alloc(l(1000, 1)) };
        assert!(p.is_null());
        let mut more = vec![0u128; 128];
        unsafe { h.add_region(more.as_mut_ptr() as *mut u8, 2048) };
        let p = unsafe { h.alloc(l(1000, 1)) };
        assert!(!p.is_null());
        h.check().unwrap();
    }

    #[test]
    fn adjacent_regions_coalesce() {
        let mut buf = vec![0u128; 64];
        let base = buf.as_mut_ptr() as *mut u8;
        let mut h = FreeListHeap::new();
        unsafe {
            h.add_region(base, 512);
            h.add_region(base.add(512), 512);
        }
        h.check().unwrap();
        assert_eq!(h.stats().free_blocks, 1);
        assert_eq!(h.stats().total, 1024);
    }

    #[test]
    #[should_panic(expected = "not a live allocation")]
    fn double_free_is_detected() {
        let (mut h, _buf) = heap_with(1024);
        unsafe {
            let p = h.alloc(l(10, 1));
            h.dealloc(p);
            h.dealloc(p);
        }
    }
}
