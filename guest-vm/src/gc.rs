//! The garbage collector: exact mark-sweep with sliding compaction inside each segment, using
//! a break table built in the freed space (Haddon-Waite), and the pointer-update phase that
//! compaction and resumption share (`docs/store-format.md`, section 10).

use crate::break_table::{entry, move_run_below_table, sort_entries, CompactionTables, Relocate, SegmentTable};
use crate::heap::{internal, r32, w32, Direct, Heap, RefSlots, Segment, VmError};
use crate::layout::{info, object_header as oh, segment_header as sh};
use alloc::format;
use alloc::vec::Vec;

/// Entries of the bounded mark stack; beyond it, marking falls back to rescanning the heap.
pub const MARK_STACK_CAPACITY: usize = 2048;

/// What a mark phase found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkResult {
    pub objects: u32,
    pub bytes: u32,
    /// Times the mark stack overflowed (each costs a heap rescan).
    pub overflows: u32,
}

struct Marker {
    stack: Vec<u32>,
    overflow: bool,
    result: MarkResult,
}

impl Marker {
    #[inline(always)]
    fn visit(&mut self, p: u32) {
        if p == 0 {
            return;
        }
        let inf = r32(p + oh::INFO);
        if inf & info::MARK != 0 {
            return;
        }
        w32(p + oh::INFO, inf | info::MARK);
        self.result.objects += 1;
        self.result.bytes += info::size(inf);
        if self.stack.len() < MARK_STACK_CAPACITY {
            self.stack.push(p);
        } else {
            self.overflow = true;
        }
    }

    fn scan(&mut self, o: u32) {
        let mut it = RefSlots::new(&Direct, o, |c| c);
        while let Some(slot) = it.next(&Direct) {
            self.visit(r32(slot));
        }
    }

    fn drain(&mut self) {
        while let Some(o) = self.stack.pop() {
            self.scan(o);
        }
    }
}

/// Marks every object reachable from the header's globals and roots (MARK bit in INFO).
pub fn mark(heap: &Heap) -> MarkResult {
    let mut m = Marker { stack: Vec::with_capacity(64), overflow: false, result: MarkResult::default() };
    for slot in heap.header_pointer_slots() {
        m.visit(r32(slot));
        m.drain();
    }
    while m.overflow {
        m.overflow = false;
        m.result.overflows += 1;
        for seg in &heap.segments {
            let (mut o, top) = (seg.first_object(), seg.top());
            while o < top {
                let inf = r32(o + oh::INFO);
                if inf & info::MARK != 0 {
                    m.scan(o);
                    m.drain();
                }
                o += info::size(inf).max(oh::SIZE);
            }
        }
    }
    m.result
}

/// Clears every MARK bit (after a mark phase that was only for counting or hashing).
pub fn clear_marks(heap: &Heap) {
    for seg in &heap.segments {
        let (mut o, top) = (seg.first_object(), seg.top());
        while o < top {
            let inf = r32(o + oh::INFO);
            if inf & info::MARK != 0 {
                w32(o + oh::INFO, inf & !info::MARK);
            }
            o += info::size(inf).max(oh::SIZE);
        }
    }
}

/// Slides the marked objects of `seg` down, clearing their marks, and leaves the segment's
/// sorted break table right above the new TOP. Returns the table.
fn compact_segment(seg: &Segment) -> Result<SegmentTable, VmError> {
    let (first, top) = (seg.first_object(), seg.top());
    let (mut c, mut k, mut off, mut scan) = (first, 0u32, 0u32, first);
    while scan < top {
        let inf = r32(scan + oh::INFO);
        let size = info::size(inf);
        if size < oh::SIZE || !size.is_multiple_of(4) || scan + size > top {
            return Err(internal(format!("segment {}: bad object at {scan:#x} (info {inf:#010x})", seg.id)));
        }
        if inf & info::MARK == 0 {
            off += size;
            scan += size;
            continue;
        }
        // A run of live objects [s, scan).
        let s = scan;
        while scan < top {
            let inf = r32(scan + oh::INFO);
            if inf & info::MARK == 0 {
                break;
            }
            w32(scan + oh::INFO, inf & !info::MARK);
            scan += info::size(inf);
        }
        let len = scan - s;
        if off == 0 {
            c += len;
            continue;
        }
        w32(c + 4 * k, entry(s - seg.base, off));
        k += 1;
        move_run_below_table(c, k, s, len);
        c += len;
    }
    seg.set_top(c);
    w32(seg.base + sh::LIVE_BYTES, c - first);
    sort_entries(c, k);
    Ok(SegmentTable { base: seg.base, end: seg.end(), table: c, count: k })
}

/// The last break-table span the pointer update found (kept in locals: the struct is
/// scalarised once `delta` is inlined). A pointer p is inside iff p - lo < len (wrapping).
#[derive(Clone, Copy, Default)]
struct SpanCache {
    lo: u32,
    len: u32,
    delta: u32,
}

impl SpanCache {
    /// How far `p` moves, looking its span up only when `p` is outside the cached one.
    #[inline(always)]
    fn delta<R: Relocate>(&mut self, r: &R, p: u32) -> u32 {
        if p.wrapping_sub(self.lo) >= self.len {
            let s = r.span(p);
            *self = SpanCache { lo: s.lo, len: s.hi.wrapping_sub(s.lo), delta: s.delta };
        }
        self.delta
    }
}

/// The pointer-update phase: every pointer in the heap (CLASS and reference slots of every
/// object), every segment's NEXT, and the header's globals and roots become `r.relocate(p)`.
/// Used after compaction (objects slid inside their segments) and at resumption (whole
/// segments moved); objects must already be at their new addresses.
///
/// The slots visited are those of [`RefSlots`], written out per kind so that the whole state
/// stays in locals (on the 68k every Rust-side memory access goes through wasm2c's checked,
/// byte-reversed linear memory): the last break-table span found for CLASS pointers and the one
/// for other pointers (a lookup only when a pointer leaves it), and the field count and first
/// reference-map word of the last instance class; frame tags are read four at a time.
pub fn update_pointers<R: Relocate>(heap: &Heap, r: &R) {
    use crate::layout::{array, class_descriptor as cd, frame, kind, thread};
    let (mut refs, mut classes) = (SpanCache::default(), SpanCache::default());
    // The last instance class (new address), its field count and first reference-map word.
    let (mut last_class, mut last_fields, mut last_map0) = (1u32, 0u32, 0u32);
    macro_rules! fix {
        ($slot:expr) => {{
            let slot = $slot;
            let v = r32(slot);
            if v != 0 {
                let d = refs.delta(r, v);
                if d != 0 {
                    w32(slot, v.wrapping_add(d));
                }
            }
        }};
    }
    for seg in &heap.segments {
        let (mut o, top) = (seg.first_object(), seg.top());
        while o < top {
            let inf = r32(o + oh::INFO);
            let c = r32(o + oh::CLASS);
            let mut nc = c;
            if c != 0 {
                let d = classes.delta(r, c);
                if d != 0 {
                    nc = c.wrapping_add(d);
                    w32(o + oh::CLASS, nc);
                }
            }
            match info::kind(inf) {
                kind::INSTANCE => {
                    if nc != last_class {
                        last_class = nc;
                        last_fields = crate::heap::r16(nc + cd::FIELD_COUNT) as u32;
                        last_map0 = if last_fields > 0 { r32(nc + cd::REF_MAP) } else { 0 };
                    }
                    let n = last_fields;
                    let mut map = last_map0;
                    let mut w = 0u32;
                    loop {
                        let left = n - 32 * w;
                        if left < 32 {
                            map &= (1u32 << left) - 1;
                        }
                        let base = o + crate::layout::instance::FIELDS + 128 * w;
                        while map != 0 {
                            let j = map.trailing_zeros();
                            map &= map - 1;
                            fix!(base + 4 * j);
                        }
                        w += 1;
                        if 32 * w >= n {
                            break;
                        }
                        map = r32(nc + cd::REF_MAP + 4 * w);
                    }
                }
                kind::REF_ARRAY => {
                    let len = r32(o + array::LENGTH);
                    let (mut a, end) = (o + array::ELEMENTS, o + array::ELEMENTS + 4 * len);
                    while a < end {
                        fix!(a);
                        a += 4;
                    }
                }
                kind::FRAME => {
                    fix!(o + frame::CALLER);
                    let slots = crate::heap::r16(o + frame::SLOT_COUNT) as u32;
                    let sp = (crate::heap::r16(o + frame::SP) as u32).min(slots);
                    let tags = o + frame::SLOTS + 4 * slots;
                    let mut word = 0;
                    for i in 0..sp {
                        if i % 4 == 0 {
                            word = r32(tags + i);
                        }
                        if (word >> (24 - 8 * (i % 4))) & 0xFF == 1 {
                            fix!(o + frame::SLOTS + 4 * i);
                        }
                    }
                }
                kind::CLASS => {
                    fix!(o + cd::NAME);
                    fix!(o + cd::SUPER);
                }
                kind::THREAD => {
                    fix!(o + thread::NAME);
                    fix!(o + thread::TOP_FRAME);
                    fix!(o + thread::NEXT);
                    fix!(o + thread::RESULT);
                }
                _ => {}
            }
            o += info::size(inf).max(oh::SIZE);
        }
        fix!(seg.base + sh::NEXT);
    }
    for slot in heap.header_pointer_slots() {
        fix!(slot);
    }
}

/// Bytes of objects in all segments.
pub fn used_bytes(heap: &Heap) -> u32 {
    heap.segments.iter().map(|s| s.top() - s.first_object()).sum()
}

/// A full collection: mark, compact every segment, update pointers.
pub fn collect(heap: &mut Heap) -> Result<(), VmError> {
    let before = used_bytes(heap);
    let marked = mark(heap);
    let mut tables = Vec::with_capacity(heap.segments.len());
    for seg in &heap.segments {
        tables.push(compact_segment(seg)?);
    }
    // Nothing moved (no segment has a hole below a live object): no pointer changes.
    if tables.iter().any(|t| t.count > 0) {
        update_pointers(heap, &CompactionTables::new(tables));
    }
    let after = used_bytes(heap);
    if after != marked.bytes {
        return Err(internal(format!("collection kept {after} bytes but marked {}", marked.bytes)));
    }
    heap.gc.collections += 1;
    heap.gc.bytes_reclaimed = heap.gc.bytes_reclaimed.wrapping_add(before - after);
    heap.gc.last_live_bytes = after;
    heap.cursor = 0;
    if heap.options & crate::layout::workload_options::VERIFY != 0 && !heap.bootstrapping {
        crate::check::verify_live_heap(heap).map_err(|f| internal(format!("heap inconsistent after collection {}: {f}", heap.gc.collections)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::heap::test_support::*;
    use crate::heap::{class, get_field, obj_id, set_field};
    use guest_sdk::native::with_host;

    /// A reachable list of `n` nodes in root 0 with garbage between them.
    fn build(h: &mut Heap, n: u32) {
        for i in 0..n {
            let _garbage = h.new_ref_array(i % 7).unwrap();
            let node = h.new_instance(class::NODE).unwrap();
            set_field(node, class::node::VALUE, i);
            set_field(node, class::node::NEXT, h.root(0));
            h.set_root(0, node);
            if i % 5 == 0 {
                let s = h.new_string(b"label").unwrap();
                set_field(h.root(0), class::node::LABEL, s);
            }
        }
    }

    fn list(h: &Heap) -> std::vec::Vec<(u32, u32)> {
        let mut v = std::vec::Vec::new();
        let mut p = h.root(0);
        while p != 0 {
            v.push((obj_id(p), get_field(p, class::node::VALUE)));
            p = get_field(p, class::node::NEXT);
        }
        v
    }

    #[test]
    fn collection_keeps_the_graph_and_frees_the_garbage() {
        let mut host = host();
        with_host(&mut host, || {
            let mut h = heap(8192, 4, crate::layout::workload_options::VERIFY);
            build(&mut h, 200);
            let before = list(&h);
            let used = used_bytes(&h);
            collect(&mut h).unwrap();
            assert_eq!(list(&h), before);
            assert!(used_bytes(&h) < used, "nothing reclaimed");
            // Strings survived and point at their chars.
            let mut p = h.root(0);
            while p != 0 {
                let s = get_field(p, class::node::LABEL);
                if s != 0 {
                    assert_eq!(get_field(s, crate::layout::string_fields::COUNT), 5);
                }
                p = get_field(p, class::node::NEXT);
            }
            crate::check::verify_live_heap(&h).unwrap();
        });
    }

    #[test]
    fn gc_stress_and_segment_growth() {
        let mut host = host();
        with_host(&mut host, || {
            let mut h = heap(2048, 16, crate::layout::workload_options::VERIFY | crate::layout::workload_options::GC_STRESS);
            build(&mut h, 150);
            assert!(h.segments.len() > 1, "the list outgrew one segment");
            assert_eq!(list(&h).len(), 150);
            assert!(h.gc.collections >= 150);
        });
    }

    #[test]
    fn deep_structures_overflow_the_mark_stack_and_still_mark_everything() {
        let mut host = host();
        with_host(&mut host, || {
            let mut h = heap(256 * 1024, 4, 0);
            // A wide array of 3000 nodes: more children than the mark stack holds.
            let arr = h.new_ref_array(3000).unwrap();
            h.set_root(1, arr);
            for i in 0..3000 {
                let n = h.new_instance(class::NODE).unwrap();
                crate::heap::w32(crate::heap::array_elem(h.root(1), i), n);
            }
            let m = mark(&h);
            assert!(m.overflows > 0);
            assert_eq!(m.objects, 3000 + 1 + 1 + 2 * class::COUNT + class::COUNT);
            clear_marks(&h);
            collect(&mut h).unwrap();
        });
    }

    #[test]
    fn exhausting_segments_is_an_out_of_memory_error() {
        let mut host = host();
        with_host(&mut host, || {
            let mut h = heap(4096, 2, 0);
            let mut err = None;
            for _ in 0..1000 {
                match h.new_instance(class::NODE) {
                    Ok(n) => {
                        set_field(n, class::node::NEXT, h.root(0));
                        h.set_root(0, n);
                    }
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            assert!(matches!(err, Some(VmError::OutOfMemory { .. })), "{err:?}");
            assert_eq!(h.segments.len(), 2);
        });
    }
}
