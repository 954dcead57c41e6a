//! Tests of the heap layer on flat memory: layout bytes, alignment, lock limits, master
//! pointer table growth, out-of-memory, compaction, resizing, relocation, bad handles and
//! pointers, corruption detection, re-attaching, and a seeded random-operation test that
//! checks every step against a host-side model.

use super::heap::{actual_size_for, read_header};
use super::*;
use crate::memory::{FlatMemory, GuestMemory};
use palm_abi::mem_layout::{master_pointer, HeapHeader, PTR_LOCK_COUNT};
use std::collections::BTreeMap;

const BASE: u32 = 0x1000;

fn heap(size: u32, entries: u16, growth: u16) -> (FlatMemory, Heap) {
    let mut mem = FlatMemory::new(0, (BASE + size + 0x100) as usize);
    let h = Heap::format(&mut mem, 7, BASE, size, entries, growth).unwrap();
    h.check(&mem).unwrap();
    (mem, h)
}

fn fill(mem: &mut dyn GuestMemory, data: u32, len: u32, tag: u32) -> Vec<u8> {
    let v: Vec<u8> = (0..len).map(|i| (tag.wrapping_mul(131).wrapping_add(i.wrapping_mul(7)) ^ (i >> 8)) as u8).collect();
    mem.write(data, &v).unwrap();
    v
}

fn data_of(mem: &dyn GuestMemory, h: &Heap, handle: u32) -> u32 {
    h.resolve_handle(mem, handle).unwrap().0 + 8
}

#[test]
fn format_writes_the_documented_layout() {
    let (mem, h) = heap(0x1000, 4, 8);
    let hdr = HeapHeader::decode(&mem.read_vec(BASE, 16).unwrap().try_into().unwrap());
    assert_eq!(hdr.flags, palm_abi::mem_layout::HEAP_FLAG_VERS4);
    assert_eq!(hdr.size, 0x1000);
    assert_eq!(hdr.first_table.num_entries, 4);
    assert_eq!(hdr.first_table.next_table, 0);
    let first_chunk = BASE + 16 + 16;
    assert_eq!(BASE + hdr.first_free_chunk * 2, first_chunk);
    // Entry 0 heads the free list at entry 1; entries chain 1 -> 2 -> 3 -> end.
    assert_eq!(mem.read_u32(BASE + 16).unwrap(), 4 | master_pointer::FIRST_ENTRY);
    assert_eq!(mem.read_u32(BASE + 20).unwrap(), 8 | 1);
    assert_eq!(mem.read_u32(BASE + 24).unwrap(), 12 | 1);
    assert_eq!(mem.read_u32(BASE + 28).unwrap(), 1);
    let free = read_header(&mem, first_chunk).unwrap();
    assert!(free.free);
    assert_eq!(free.size, 0x1000 - 32 - 4);
    assert_eq!(first_chunk as i64 + 2 * free.h_offset as i64, (BASE + 0x1000 - 4) as i64);
    assert_eq!(mem.read_u32(BASE + 0x1000 - 4).unwrap(), 0);
    assert_eq!(h.free_bytes(), FreeBytes { total: 0x1000 - 36 - 8, max: 0x1000 - 36 - 8 });
}

#[test]
fn handle_and_pointer_chunks_in_guest_memory() {
    let (mut mem, mut h) = heap(0x1000, 4, 8);
    let handle = h.alloc_movable(&mut mem, 5, 3).unwrap();
    assert_eq!(handle, BASE + 16 + 4, "first free entry is entry 1");
    let data = mem.read_u32(handle).unwrap();
    assert_eq!(data, BASE + 32 + 8, "movable chunks start at the low end");
    let hdr = read_header(&mem, data - 8).unwrap();
    assert_eq!(
        (hdr.free, hdr.size, hdr.size_adj, hdr.lock_count, hdr.owner),
        (false, 14, 1, 0, 3),
        "5 bytes round to 6, plus the header"
    );
    assert_eq!((data - 8) as i64 - 2 * hdr.h_offset as i64, handle as i64);
    // Entry 0 now points at entry 2.
    assert_eq!(mem.read_u32(BASE + 16).unwrap(), 8 | master_pointer::FIRST_ENTRY);

    let p = h.alloc_nonmovable(&mut mem, 10, 2).unwrap();
    assert_eq!(p + 10 + 8 - 8, BASE + 0x1000 - 4 - 8 + 8, "pointer chunks go to the high end");
    let ph = read_header(&mem, p - 8).unwrap();
    assert_eq!((ph.size, ph.lock_count, ph.h_offset, ph.owner), (18, PTR_LOCK_COUNT, 0, 2));
    h.check(&mem).unwrap();
}

#[test]
fn allocations_produce_both_alignments() {
    let (mut mem, mut h) = heap(0x4000, 64, 8);
    let mut seen = [false; 4];
    for size in 1..40 {
        let handle = h.alloc_movable(&mut mem, size, 0).unwrap();
        seen[(mem.read_u32(handle).unwrap() % 4) as usize] = true;
        let p = h.alloc_nonmovable(&mut mem, size, 0).unwrap();
        seen[(p % 4) as usize] = true;
    }
    assert_eq!(seen, [true, false, true, false]);
    h.check(&mem).unwrap();
}

#[test]
fn lock_count_limit_and_unlock_underflow() {
    let (mut mem, mut h) = heap(0x1000, 4, 8);
    let handle = h.alloc_movable(&mut mem, 8, 0).unwrap();
    for n in 1..=15u8 {
        let (a, hdr) = h.resolve_handle(&mem, handle).unwrap();
        h.lock_at(&mut mem, a, &hdr).unwrap();
        assert_eq!(read_header(&mem, a).unwrap().lock_count, n);
    }
    let (a, hdr) = h.resolve_handle(&mem, handle).unwrap();
    assert_eq!(h.lock_at(&mut mem, a, &hdr), Err(MemErr::LockOverflow));
    assert_eq!(read_header(&mem, a).unwrap().lock_count, 15);
    for _ in 0..15 {
        let (a, hdr) = h.resolve_handle(&mem, handle).unwrap();
        h.unlock_at(&mut mem, a, &hdr).unwrap();
    }
    let (a, hdr) = h.resolve_handle(&mem, handle).unwrap();
    assert_eq!(h.unlock_at(&mut mem, a, &hdr), Err(MemErr::ChunkNotLocked));
    assert_eq!(read_header(&mem, a).unwrap().lock_count, 0);
    h.check(&mem).unwrap();
}

#[test]
fn master_pointer_tables_grow_and_empty_ones_are_freed() {
    let (mut mem, mut h) = heap(0x2000, 4, 5);
    let handles: Vec<u32> = (0..20).map(|i| h.alloc_movable(&mut mem, 4 + i, 1).unwrap()).collect();
    // 3 handles in the first table, 4 in each added one.
    assert_eq!(h.table_count(), 1 + 5);
    let stats = h.check(&mem).unwrap();
    assert_eq!(stats.movable, 20);
    assert_eq!(stats.nonmovable, 5);
    for (i, &x) in handles.iter().enumerate() {
        assert_eq!(h.resolve_handle(&mem, x).unwrap().1.data_size(), 4 + i as u32);
    }
    for &x in &handles[3..] {
        let (a, hdr) = h.resolve_handle(&mem, x).unwrap();
        h.free_at(&mut mem, a, &hdr).unwrap();
        h.check(&mem).unwrap();
    }
    let report = h.compact(&mut mem).unwrap();
    assert_eq!(report.tables_freed, 5);
    assert_eq!(h.table_count(), 1);
    let stats = h.check(&mem).unwrap();
    assert_eq!((stats.movable, stats.nonmovable, stats.free_chunks), (3, 0, 1));
}

#[test]
fn out_of_memory_leaves_the_heap_intact() {
    let (mut mem, mut h) = heap(0x800, 8, 4);
    let mut n = 0;
    while h.alloc_movable(&mut mem, 100, 0).is_ok() {
        n += 1;
    }
    assert!(n > 5);
    let before = h.check(&mem).unwrap();
    assert_eq!(h.alloc_movable(&mut mem, 100, 0), Err(MemErr::NotEnoughSpace));
    assert_eq!(h.alloc_nonmovable(&mut mem, 0x1000, 0), Err(MemErr::NotEnoughSpace));
    assert_eq!(h.alloc_movable(&mut mem, MAX_CHUNK_DATA + 1, 0), Err(MemErr::NotEnoughSpace));
    assert_eq!(h.check(&mem).unwrap(), before);
    assert!(matches!(h.alloc_movable(&mut mem, 0, 0), Err(MemErr::InvalidParam(_))));
    assert!(matches!(h.alloc_nonmovable(&mut mem, 4, 16), Err(MemErr::InvalidParam(_))));
}

/// Builds a fragmented heap: handles of assorted sizes, some locked, some pointers, every
/// other handle freed. Returns (handle -> contents) of the surviving handles and the
/// (pointer -> contents) of the pointer chunks.
/// Chunk contents by handle or pointer.
type Contents = BTreeMap<u32, Vec<u8>>;

fn fragmented(mem: &mut FlatMemory, h: &mut Heap) -> (Contents, Contents, Vec<u32>) {
    let mut handles = BTreeMap::new();
    let mut ptrs = BTreeMap::new();
    let mut locked = Vec::new();
    for i in 0..60u32 {
        let size = 1 + (i * 37) % 90;
        let x = h.alloc_movable(mem, size, 1).unwrap();
        let d = data_of(mem, h, x);
        handles.insert(x, fill(mem, d, size, i));
        if i % 9 == 4 {
            let p = h.alloc_nonmovable(mem, size, 2).unwrap();
            ptrs.insert(p, fill(mem, p, size, 1000 + i));
        }
    }
    let all: Vec<u32> = handles.keys().copied().collect();
    for (i, &x) in all.iter().enumerate() {
        if i % 2 == 0 {
            let (a, hdr) = h.resolve_handle(mem, x).unwrap();
            h.free_at(mem, a, &hdr).unwrap();
            handles.remove(&x);
        } else if i % 7 == 3 {
            let (a, hdr) = h.resolve_handle(mem, x).unwrap();
            h.lock_at(mem, a, &hdr).unwrap();
            locked.push(x);
        }
    }
    h.check(mem).unwrap();
    (handles, ptrs, locked)
}

fn assert_contents(mem: &FlatMemory, h: &Heap, handles: &Contents, ptrs: &Contents) {
    for (&x, v) in handles {
        let (a, hdr) = h.resolve_handle(mem, x).unwrap();
        assert_eq!(hdr.data_size(), v.len() as u32);
        assert_eq!(&mem.read_vec(a + 8, v.len() as u32).unwrap(), v, "handle {x:#x}");
    }
    for (&p, v) in ptrs {
        assert_eq!(&mem.read_vec(p, v.len() as u32).unwrap(), v, "pointer {p:#x}");
    }
}

#[test]
fn compaction_slides_unlocked_chunks_and_keeps_everything_else() {
    let (mut mem, mut h) = heap(0x4000, 16, 8);
    let (handles, ptrs, locked) = fragmented(&mut mem, &mut h);
    let locked_at: Vec<u32> = locked.iter().map(|&x| mem.read_u32(x).unwrap()).collect();
    let free_before = h.check(&mem).unwrap().free_chunks;
    let before: BTreeMap<u32, u32> = handles.keys().map(|&x| (x, mem.read_u32(x).unwrap())).collect();
    let report = h.compact(&mut mem).unwrap();
    let stats = h.check(&mem).unwrap();
    assert!(report.moved > 10, "{report:?}");
    assert!(stats.free_chunks < free_before);
    for (x, at) in locked.iter().zip(&locked_at) {
        assert_eq!(mem.read_u32(*x).unwrap(), *at, "locked chunk moved");
    }
    for (x, old) in before {
        assert!(mem.read_u32(x).unwrap() <= old, "compaction moved a chunk up");
    }
    assert_contents(&mem, &h, &handles, &ptrs);
    // A second compaction has nothing left to do.
    assert_eq!(h.compact(&mut mem).unwrap().moved, 0);
}

#[test]
fn allocation_compacts_when_no_free_chunk_fits() {
    let (mut mem, mut h) = heap(0x1000, 40, 8);
    let mut xs = Vec::new();
    while let Ok(x) = h.alloc_movable(&mut mem, 60, 0) {
        xs.push(x);
    }
    for x in xs.iter().step_by(2) {
        let (a, hdr) = h.resolve_handle(&mem, *x).unwrap();
        h.free_at(&mut mem, a, &hdr).unwrap();
    }
    let f = h.free_bytes();
    assert!(f.max < 200 && f.total > 400, "{f:?}");
    let big = h.alloc_movable(&mut mem, 300, 0).unwrap();
    assert_eq!(h.resolve_handle(&mem, big).unwrap().1.data_size(), 300);
    h.check(&mem).unwrap();
}

#[test]
fn resize_in_place_by_moving_and_refused_when_locked() {
    let (mut mem, mut h) = heap(0x2000, 16, 8);
    let a = h.alloc_movable(&mut mem, 20, 0).unwrap();
    let b = h.alloc_movable(&mut mem, 20, 0).unwrap();
    let da = data_of(&mem, &h, a);
    let va = fill(&mut mem, da, 20, 1);
    // Shrink in place, then grow back into the freed tail.
    let (ca, _) = h.resolve_handle(&mem, a).unwrap();
    assert_eq!(h.resize_at(&mut mem, ca, 6).unwrap(), ca);
    h.check(&mem).unwrap();
    assert_eq!(h.resize_at(&mut mem, ca, 20).unwrap(), ca);
    assert_eq!(&mem.read_vec(da, 6).unwrap(), &va[..6]);
    // Growing past b moves a (unlocked) and keeps its contents.
    let va = fill(&mut mem, da, 20, 2);
    let moved_to = h.resize_at(&mut mem, ca, 100).unwrap();
    assert_ne!(moved_to, ca);
    assert_eq!(mem.read_u32(a).unwrap(), moved_to + 8);
    assert_eq!(&mem.read_vec(moved_to + 8, 20).unwrap(), &va);
    h.check(&mem).unwrap();
    // b locked, next chunk not free: refused, nothing changes.
    let (cb, hb) = h.resolve_handle(&mem, b).unwrap();
    h.lock_at(&mut mem, cb, &hb).unwrap();
    // c fills a's old place; the chunk after b is a, so b cannot grow in place.
    h.alloc_movable(&mut mem, 20, 0).unwrap();
    assert!(!h.free.contains(&(cb + read_header(&mem, cb).unwrap().size)));
    assert_eq!(h.resize_at(&mut mem, cb, 200), Err(MemErr::ChunkLocked));
    assert_eq!(h.resolve_handle(&mem, b).unwrap().1.data_size(), 20);
    // Pointer chunks cannot move either; resize to 0 is allowed.
    let p = h.alloc_nonmovable(&mut mem, 30, 0).unwrap();
    assert_eq!(h.resize_at(&mut mem, p - 8, 0).unwrap(), p - 8);
    assert_eq!(read_header(&mem, p - 8).unwrap().data_size(), 0);
    h.check(&mem).unwrap();
}

#[test]
fn relocation_moves_every_unlocked_chunk_and_flips_alignment() {
    for seed in 0..40 {
        let mut mem = FlatMemory::new(0, 0x20000);
        let mut h = Heap::format(&mut mem, 1, BASE, 0x10000, 16, 8).unwrap();
        let (handles, ptrs, locked) = fragmented(&mut mem, &mut h);
        let before: BTreeMap<u32, u32> = handles.keys().map(|&x| (x, mem.read_u32(x).unwrap())).collect();
        let report = h.relocate_unlocked(&mut mem, seed).unwrap();
        h.check(&mem).unwrap();
        let unlocked = handles.len() - locked.len();
        assert_eq!(report.moved as usize, unlocked, "seed {seed}: {report:?}");
        assert_eq!(report.flipped, report.moved, "seed {seed}: plenty of room, every chunk flips");
        for (x, old) in &before {
            let now = mem.read_u32(*x).unwrap();
            if locked.contains(x) {
                assert_eq!(now, *old);
            } else {
                assert_ne!(now % 4, old % 4, "seed {seed}");
            }
        }
        assert_contents(&mem, &h, &handles, &ptrs);
    }
}

#[test]
fn relocation_is_deterministic_in_the_seed() {
    let run = |seed| {
        let mut mem = FlatMemory::new(0, 0x20000);
        let mut h = Heap::format(&mut mem, 1, BASE, 0x10000, 16, 8).unwrap();
        let (handles, _, _) = fragmented(&mut mem, &mut h);
        h.relocate_unlocked(&mut mem, seed).unwrap();
        handles.keys().map(|&x| mem.read_u32(x).unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn relocation_in_a_full_heap_slides_or_reports_unmoved() {
    let (mut mem, mut h) = heap(0x400, 40, 8);
    let mut contents = BTreeMap::new();
    let mut i = 0;
    while let Ok(x) = h.alloc_movable(&mut mem, 10 + (i % 5) * 2, 0) {
        let d = data_of(&mem, &h, x);
        contents.insert(x, fill(&mut mem, d, 10 + (i % 5) * 2, i));
        i += 1;
    }
    let report = h.relocate_unlocked(&mut mem, 3).unwrap();
    assert_eq!((report.moved + report.unmoved) as usize, contents.len());
    h.check(&mem).unwrap();
    assert_contents(&mem, &h, &contents, &BTreeMap::new());
}

#[test]
fn bad_handles_and_pointers_are_invalid_params() {
    let (mut mem, mut h) = heap(0x1000, 4, 8);
    let x = h.alloc_movable(&mut mem, 16, 0).unwrap();
    let p = h.alloc_nonmovable(&mut mem, 16, 0).unwrap();
    let d = data_of(&mem, &h, x);
    let free_chunk = *h.free.iter().next().unwrap();
    for bad in [0, 1, x + 1, x + 2, BASE + 16, x + 4, d, p, BASE + 0x2000, 0xFFFF_FFF0] {
        assert!(matches!(h.resolve_handle(&mem, bad), Err(MemErr::InvalidParam(_))), "handle {bad:#x}");
    }
    for bad in [0, 1, d + 1, d + 2, p + 4, x, free_chunk + 8, free_chunk + 16, BASE + 0x2000, 4] {
        assert!(matches!(h.resolve_ptr(&mem, bad), Err(MemErr::InvalidParam(_))), "pointer {bad:#x}");
    }
    // A freed handle is no longer valid, and its entry went back to the free list.
    let (a, hdr) = h.resolve_handle(&mem, x).unwrap();
    h.free_at(&mut mem, a, &hdr).unwrap();
    assert!(matches!(h.resolve_handle(&mem, x), Err(MemErr::InvalidParam(_))));
    assert!(matches!(h.resolve_ptr(&mem, d), Err(MemErr::InvalidParam(_))));
    h.check(&mem).unwrap();
}

#[test]
fn corruption_is_detected_not_panicked_on() {
    let (mut mem, mut h) = heap(0x1000, 4, 8);
    let x = h.alloc_movable(&mut mem, 16, 0).unwrap();
    let _y = h.alloc_movable(&mut mem, 16, 0).unwrap();
    let d = data_of(&mem, &h, x);
    // Guest code scribbles over the chunk header.
    let saved = mem.read_vec(d - 8, 8).unwrap();
    mem.write(d - 8, &[0xFF; 8]).unwrap();
    assert!(h.check(&mem).is_err());
    assert!(matches!(h.resolve_handle(&mem, x), Err(MemErr::Corrupt(_))));
    assert!(h.compact(&mut mem).is_err());
    mem.write(d - 8, &saved).unwrap();
    h.check(&mem).unwrap();
    // A master pointer pointing elsewhere.
    mem.write_u32(x, d + 2).unwrap();
    assert!(h.check(&mem).is_err());
    assert!(h.resolve_handle(&mem, x).is_err());
    mem.write_u32(x, d).unwrap();
    // A broken free-list link.
    let f = *h.free.iter().next().unwrap();
    mem.write_u32(f + 4, 2).unwrap();
    let e = h.check(&mem).unwrap_err();
    assert!(e.to_string().contains("free list"), "{e}");
}

#[test]
fn open_rebuilds_the_host_cache_from_guest_memory() {
    let (mut mem, mut h) = heap(0x4000, 4, 6);
    let (handles, ptrs, _) = fragmented(&mut mem, &mut h);
    let opened = Heap::open(&mem, 7, BASE, 0x4000, 6).unwrap();
    assert_eq!(opened.chunks, h.chunks);
    assert_eq!(opened.free, h.free);
    assert_eq!(opened.tables, h.tables);
    assert_contents(&mem, &opened, &handles, &ptrs);
    assert!(Heap::open(&mem, 7, BASE, 0x2000, 6).is_err());
    assert!(Heap::open(&mem, 7, BASE + 2, 0x4000, 6).is_err());
}

#[test]
fn free_by_owner_keeps_tables_and_other_owners() {
    let (mut mem, mut h) = heap(0x2000, 4, 4);
    let mine: Vec<u32> = (0..8).map(|_| h.alloc_movable(&mut mem, 10, 5).unwrap()).collect();
    let other = h.alloc_movable(&mut mem, 10, 6).unwrap();
    let p = h.alloc_nonmovable(&mut mem, 10, 5).unwrap();
    assert_eq!(h.free_by_owner(&mut mem, 5).unwrap(), 9);
    h.check(&mem).unwrap();
    assert!(h.resolve_handle(&mem, mine[0]).is_err());
    assert!(h.resolve_ptr(&mem, p).is_err());
    assert!(h.resolve_handle(&mem, other).is_ok());
}

// ---- Seeded random operations against a model ---------------------------------------

#[derive(Debug, Clone)]
struct ModelChunk {
    /// Handle, or data address of a non-movable chunk.
    id: u32,
    movable: bool,
    data: Vec<u8>,
    lock: u8,
    owner: u8,
}

struct Run {
    mem: FlatMemory,
    heap: Heap,
    model: Vec<ModelChunk>,
    rng: SeededRng,
    tag: u32,
    aligned: [u64; 4],
    /// How often each outcome happened, to show the test reaches every path.
    outcomes: BTreeMap<&'static str, u64>,
}

impl Run {
    fn addr(&self, c: &ModelChunk) -> u32 {
        if c.movable {
            self.heap.resolve_handle(&self.mem, c.id).unwrap().0
        } else {
            c.id - 8
        }
    }

    fn verify(&mut self, step: &str) {
        let stats = self.heap.check(&self.mem).unwrap_or_else(|e| panic!("after {step}: {e}"));
        let tables = (self.heap.table_count() - 1) as u32;
        assert_eq!(stats.movable + stats.nonmovable - tables, self.model.len() as u32, "after {step}");
        for c in &self.model {
            let (a, hdr) = if c.movable {
                self.heap.resolve_handle(&self.mem, c.id).unwrap()
            } else {
                self.heap.resolve_ptr(&self.mem, c.id).unwrap()
            };
            assert_eq!(hdr.data_size(), c.data.len() as u32, "after {step}");
            assert_eq!((hdr.lock_count, hdr.owner), (if c.movable { c.lock } else { PTR_LOCK_COUNT }, c.owner));
            assert_eq!(self.mem.read_vec(a + 8, c.data.len() as u32).unwrap(), c.data, "contents after {step}");
            self.aligned[((a + 8) % 4) as usize] += 1;
        }
    }

    fn pick(&mut self) -> Option<usize> {
        (!self.model.is_empty()).then(|| self.rng.below(self.model.len() as u64) as usize)
    }

    fn size(&mut self) -> u32 {
        match self.rng.below(10) {
            0 => 1 + self.rng.below(1500) as u32,
            1 => self.rng.below(4) as u32,
            _ => 1 + self.rng.below(120) as u32,
        }
    }

    /// After a failed allocation the heap has been compacted: nothing big enough is free.
    fn assert_really_full(&self, need: u32, movable: bool) {
        let stats = self.heap.check(&self.mem).unwrap();
        let table_need = actual_size_for(6 + 4 * self.heap.table_growth as u32);
        let fits = |n: u32| stats.largest_free >= n;
        if movable && stats.free_master_pointers == 0 {
            assert!(!fits(table_need) || !fits(need), "a table or the chunk would fit");
        } else {
            assert!(!fits(need), "a free chunk of {} fits {need}", stats.largest_free);
        }
    }

    fn step(&mut self, n: usize) -> String {
        let op = self.rng.below(100);
        match op {
            0..=32 => {
                let movable = op <= 24;
                let size = self.size();
                let owner = self.rng.below(15) as u8;
                let r = if movable {
                    self.heap.alloc_movable(&mut self.mem, size, owner)
                } else {
                    self.heap.alloc_nonmovable(&mut self.mem, size, owner)
                };
                match r {
                    Ok(id) => {
                        let data = if movable { self.heap.resolve_handle(&self.mem, id).unwrap().0 + 8 } else { id };
                        self.tag += 1;
                        let v = fill(&mut self.mem, data, size, self.tag);
                        self.model.push(ModelChunk { id, movable, data: v, lock: 0, owner });
                    }
                    Err(MemErr::NotEnoughSpace) => {
                        self.assert_really_full(actual_size_for(size), movable);
                        *self.outcomes.entry("alloc: out of memory").or_default() += 1;
                    }
                    Err(MemErr::InvalidParam(_)) if size == 0 => {}
                    Err(e) => panic!("step {n}: alloc {size}: {e}"),
                }
                format!("alloc {} {size}", if movable { "handle" } else { "ptr" })
            }
            33..=44 => {
                let Some(i) = self.pick() else { return "lock (none)".into() };
                // Now and then lock one chunk past the limit.
                let times = if self.rng.below(8) == 0 { 16 } else { 1 };
                for _ in 0..times {
                    let c = self.model[i].clone();
                    let (a, hdr) = if c.movable {
                        self.heap.resolve_handle(&self.mem, c.id).unwrap()
                    } else {
                        self.heap.resolve_ptr(&self.mem, c.id).unwrap()
                    };
                    let r = self.heap.lock_at(&mut self.mem, a, &hdr);
                    match (c.movable, c.lock) {
                        (false, _) => assert!(r.is_ok()),
                        (true, 15) => {
                            assert_eq!(r, Err(MemErr::LockOverflow));
                            *self.outcomes.entry("lock: overflow").or_default() += 1;
                        }
                        (true, _) => {
                            r.unwrap();
                            self.model[i].lock += 1;
                        }
                    }
                }
                "lock".into()
            }
            45..=56 => {
                let Some(i) = self.pick() else { return "unlock (none)".into() };
                let c = self.model[i].clone();
                let (a, hdr) = if c.movable { self.heap.resolve_handle(&self.mem, c.id).unwrap() } else { self.heap.resolve_ptr(&self.mem, c.id).unwrap() };
                let r = self.heap.unlock_at(&mut self.mem, a, &hdr);
                match (c.movable, c.lock) {
                    (false, _) => assert!(r.is_ok()),
                    (true, 0) => {
                        assert_eq!(r, Err(MemErr::ChunkNotLocked));
                        *self.outcomes.entry("unlock: not locked").or_default() += 1;
                    }
                    (true, _) => {
                        r.unwrap();
                        self.model[i].lock -= 1;
                    }
                }
                "unlock".into()
            }
            57..=70 => {
                let Some(i) = self.pick() else { return "resize (none)".into() };
                let new_size = self.size();
                let c = self.model[i].clone();
                let a = if c.movable { self.heap.resolve_handle(&self.mem, c.id).unwrap().0 } else { c.id - 8 };
                let fixed: Vec<(u32, u32)> = self.fixed_addresses();
                match self.heap.resize_at(&mut self.mem, a, new_size) {
                    Ok(new) => {
                        if !c.movable || c.lock > 0 {
                            assert_eq!(new, a, "a locked or non-movable chunk moved in resize");
                        } else if new != a {
                            *self.outcomes.entry("resize: moved").or_default() += 1;
                        }
                        let keep = c.data.len().min(new_size as usize);
                        let mut v = c.data[..keep].to_vec();
                        self.tag += 1;
                        let tail = fill(&mut self.mem, new + 8 + keep as u32, new_size - keep as u32, self.tag);
                        v.extend(tail);
                        self.model[i].data = v;
                    }
                    Err(MemErr::ChunkLocked) => {
                        assert!(!c.movable || c.lock > 0);
                        *self.outcomes.entry("resize: chunk locked").or_default() += 1;
                    }
                    Err(MemErr::NotEnoughSpace) => {
                        assert!(new_size as usize > c.data.len());
                        *self.outcomes.entry("resize: out of memory").or_default() += 1;
                    }
                    Err(e) => panic!("step {n}: resize: {e}"),
                }
                self.assert_fixed_unmoved(&fixed, Some(c.id));
                format!("resize {} -> {new_size}", c.data.len())
            }
            71..=85 => {
                let Some(i) = self.pick() else { return "free (none)".into() };
                let c = self.model.swap_remove(i);
                let (a, hdr) = if c.movable { self.heap.resolve_handle(&self.mem, c.id).unwrap() } else { self.heap.resolve_ptr(&self.mem, c.id).unwrap() };
                self.heap.free_at(&mut self.mem, a, &hdr).unwrap();
                "free".into()
            }
            86..=90 => {
                let Some(i) = self.pick() else { return "write (none)".into() };
                let c = self.model[i].clone();
                let a = self.addr(&c);
                self.tag += 1;
                self.model[i].data = fill(&mut self.mem, a + 8, c.data.len() as u32, self.tag);
                "write".into()
            }
            91..=95 => {
                let fixed = self.fixed_addresses();
                let before: Vec<u32> = self.model.iter().map(|c| self.addr(c)).collect();
                let report = self.heap.compact(&mut self.mem).unwrap();
                *self.outcomes.entry("compact: chunks moved").or_default() += report.moved as u64;
                *self.outcomes.entry("compact: tables freed").or_default() += report.tables_freed as u64;
                self.assert_fixed_unmoved(&fixed, None);
                for (c, old) in self.model.iter().zip(before) {
                    assert!(self.addr(c) <= old, "compaction moved a chunk up");
                }
                "compact".into()
            }
            _ => {
                let fixed = self.fixed_addresses();
                let before: Vec<u32> = self.model.iter().map(|c| self.addr(c)).collect();
                let seed = self.rng.next_u64();
                let report = self.heap.relocate_unlocked(&mut self.mem, seed).unwrap();
                self.assert_fixed_unmoved(&fixed, None);
                let unlocked = self.model.iter().filter(|c| c.movable && c.lock == 0).count() as u32;
                assert_eq!(report.moved + report.unmoved, unlocked);
                let changed = self.model.iter().zip(&before).filter(|(c, old)| self.addr(c) != **old).count() as u32;
                assert_eq!(changed, report.moved, "step {n}: {report:?}");
                *self.outcomes.entry("relocate: moved").or_default() += report.moved as u64;
                *self.outcomes.entry("relocate: flipped").or_default() += report.flipped as u64;
                *self.outcomes.entry("relocate: unmoved").or_default() += report.unmoved as u64;
                "relocate".into()
            }
        }
    }

    /// (id, header address) of every chunk that must not move.
    fn fixed_addresses(&self) -> Vec<(u32, u32)> {
        self.model.iter().filter(|c| !c.movable || c.lock > 0).map(|c| (c.id, self.addr(c))).collect()
    }

    fn assert_fixed_unmoved(&self, fixed: &[(u32, u32)], except: Option<u32>) {
        for &(id, at) in fixed {
            if Some(id) == except {
                continue;
            }
            let c = self.model.iter().find(|c| c.id == id).unwrap();
            assert_eq!(self.addr(c), at, "a locked or non-movable chunk moved");
        }
    }
}

/// Random sequences of alloc/lock/unlock/resize/free/write/compact/relocate on small heaps
/// (so that out-of-memory, compaction and table growth happen often), checking the whole
/// heap structure and every chunk's size, lock count, owner and contents after each step.
#[test]
fn random_operations_match_the_model() {
    const SEEDS: u64 = 300;
    const STEPS: usize = 400;
    let started = std::time::Instant::now();
    let mut aligned = [0u64; 4];
    let mut relocations = 0;
    let mut max_tables = 0;
    let mut outcomes: BTreeMap<&'static str, u64> = BTreeMap::new();
    for seed in 0..SEEDS {
        let (size, entries, growth, base) = match seed % 3 {
            0 => (0x2000, 4, 3, BASE),
            1 => (0x8000, 16, 8, BASE + 2),
            _ => (0x1000, 2, 2, BASE),
        };
        let mut mem = FlatMemory::new(0, (base + size + 16) as usize);
        let heap = Heap::format(&mut mem, 0, base, size, entries, growth).unwrap();
        let mut run =
            Run { mem, heap, model: Vec::new(), rng: SeededRng::new(seed), tag: 0, aligned: [0; 4], outcomes: BTreeMap::new() };
        for n in 0..STEPS {
            let what = run.step(n);
            if what == "relocate" {
                relocations += 1;
            }
            run.verify(&format!("seed {seed} step {n}: {what}"));
            max_tables = max_tables.max(run.heap.table_count());
        }
        for (total, n) in aligned.iter_mut().zip(run.aligned) {
            *total += n;
        }
        for (k, v) in run.outcomes {
            *outcomes.entry(k).or_default() += v;
        }
    }
    for k in [
        "alloc: out of memory",
        "lock: overflow",
        "unlock: not locked",
        "resize: moved",
        "resize: chunk locked",
        "resize: out of memory",
        "compact: chunks moved",
        "compact: tables freed",
        "relocate: moved",
        "relocate: flipped",
    ] {
        assert!(outcomes.get(k).copied().unwrap_or(0) > 0, "never reached: {k} ({outcomes:?})");
    }
    assert!(max_tables > 3);
    assert!(aligned[0] > 1000 && aligned[2] > 1000, "{aligned:?}");
    assert_eq!(aligned[1] + aligned[3], 0);
    assert!(relocations > 1000);
    eprintln!(
        "random_operations_match_the_model: {SEEDS} seeds x {STEPS} steps = {} steps in {:?}; \
         data alignment 0/2 mod 4: {}/{}; {relocations} relocations; {outcomes:?}",
        SEEDS as usize * STEPS,
        started.elapsed(),
        aligned[0],
        aligned[2],
    );
}

/// The full-size storage heap with thousands of records: relocation, compaction and
/// allocation stay fast enough for a card load (timings printed with --nocapture).
#[test]
fn storage_heap_scale() {
    let mut mem = FlatMemory::new(0, palm_abi::memmap::STORAGE_HEAP.end() as usize);
    let mut mm = MemoryManager::new();
    mm.init(&mut mem).unwrap();
    let mut rng = SeededRng::new(99);
    let t = std::time::Instant::now();
    let mut records = Vec::new();
    for i in 0..5000u32 {
        let size = 1 + rng.below(2000) as u32;
        let h = mm.alloc_handle(&mut mem, STORAGE_HEAP_ID, size, 1).unwrap();
        let d = mm.deref_handle(&mem, h).unwrap();
        records.push((h, fill(&mut mem, d, size, i)));
    }
    let alloc_time = t.elapsed();
    for (i, (h, _)) in records.iter().enumerate() {
        if i % 3 == 0 {
            mm.free_handle(&mut mem, *h).unwrap();
        } else if i % 10 == 1 {
            mm.lock_handle(&mut mem, *h).unwrap();
        }
    }
    records = records.into_iter().enumerate().filter(|(i, _)| i % 3 != 0).map(|(_, r)| r).collect();
    let t = std::time::Instant::now();
    let report = mm.relocate_unlocked(&mut mem, STORAGE_HEAP_ID, 7).unwrap();
    let relocate_time = t.elapsed();
    let t = std::time::Instant::now();
    let compaction = mm.compact(&mut mem, STORAGE_HEAP_ID).unwrap();
    let compact_time = t.elapsed();
    let t = std::time::Instant::now();
    mm.check(&mem).unwrap();
    let check_time = t.elapsed();
    for (h, v) in &records {
        let d = mm.deref_handle(&mem, *h).unwrap();
        assert_eq!(&mem.read_vec(d, v.len() as u32).unwrap(), v);
    }
    assert_eq!(report.unmoved, 0);
    eprintln!(
        "storage_heap_scale: 5000 allocations {alloc_time:?}; relocate {} chunks ({} flipped) {relocate_time:?}; \
         compact ({} moved) {compact_time:?}; check {check_time:?}",
        report.moved, report.flipped, compaction.moved
    );
}
