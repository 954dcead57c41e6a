//! Break tables (Haddon and Waite, 1967): how pointers find the objects that moved.
//!
//! - [`CompactionTables`]: one table per segment, built by the compactor in the segment's own
//!   freed space. An entry is a u32, `(original offset / 4) << 16 | (displacement / 4)`, for
//!   the first object of each run of live objects that moved; the table is *rolled* above each
//!   run as the run slides down ([`move_run_below_table`]), then sorted in place
//!   ([`sort_entries`]). No memory outside the heap is needed, and no per-object forwarding slot.
//! - [`SegmentMoves`]: resumption's table, one entry (old base, old end, delta) per segment
//!   that moved while the store was suspended.
//!
//! Both implement [`Relocate`], which the single pointer-update phase (`gc::update_pointers`)
//! uses: compaction and resumption share it. See `docs/store-format.md`, section 10.

use crate::heap::{r32, w32};
use alloc::vec::Vec;
use guest_sdk::{guest_memmove, GuestAddr};

/// A range of old addresses `[lo, hi)` that all move by the same `delta` (wrapping): what a
/// break-table lookup returns, so the pointer-update phase can keep the last one in locals and
/// relocate the following pointers that fall in it without another lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub lo: u32,
    pub hi: u32,
    pub delta: u32,
}

/// Maps a pointer's old value to its new value.
pub trait Relocate {
    /// The span of `p`: `p + delta` is its new value (also when `p` is outside `[lo, hi)`,
    /// which only a span ending at the top of the address space allows).
    fn span(&self, p: u32) -> Span;
    #[inline(always)]
    fn relocate(&self, p: u32) -> u32 {
        p.wrapping_add(self.span(p).delta)
    }
}

/// Encodes a compaction entry.
pub const fn entry(offset: u32, displacement: u32) -> u32 {
    ((offset / 4) << 16) | (displacement / 4)
}

/// Exchanges the non-overlapping blocks `[x, x+n)` and `[y, y+n)` (n a multiple of 4).
fn swap_blocks(x: u32, y: u32, n: u32) {
    let mut i = 0;
    while i < n {
        let (a, b) = (r32(x + i), r32(y + i));
        w32(x + i, b);
        w32(y + i, a);
        i += 4;
    }
}

/// The block A = `[a, a + la)` (table entries, order irrelevant) is followed by B =
/// `[a + la, a + la + lb)` (a run of objects). Afterwards B's bytes are at `[a, a + lb)` in
/// order and A's entries fill `[a + lb, a + la + lb)` in some order. Cost O(lb + min(la, lb)).
fn exchange(mut a: u32, la: u32, mut lb: u32) {
    loop {
        if la == 0 || lb == 0 {
            return;
        }
        let b = a + la;
        if lb <= la {
            // [A1 A2][B] -> [B][A2][A1]: the entries stay contiguous, rotated.
            swap_blocks(a, b, lb);
            return;
        }
        // [A][B1 B2] with |B1| = |A| -> [B1][A][B2]; continue with [A][B2].
        swap_blocks(a, b, la);
        a += la;
        lb -= la;
    }
}

/// Haddon-Waite's "roll": the table is at `[c, c + 4k)`, a run of live objects at
/// `[s, s + len)` with `s >= c + 4k`. Moves the run to `c` and the table to
/// `[c + len, c + len + 4k)`. Cost O(len): the table is never copied as a whole per run.
pub fn move_run_below_table(c: u32, k: u32, s: u32, len: u32) {
    let t = 4 * k;
    debug_assert!(s >= c + t);
    if s > c + t {
        guest_memmove(GuestAddr(c + t), GuestAddr(s), len);
    }
    exchange(c, t, len);
}

/// Sorts `count` u32 entries at `addr` in place (heapsort: no extra memory).
pub fn sort_entries(addr: u32, count: u32) {
    let at = |i: u32| addr + 4 * i;
    let sift = |mut root: u32, end: u32| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && r32(at(child + 1)) > r32(at(child)) {
            child += 1;
        }
        let (rv, cv) = (r32(at(root)), r32(at(child)));
        if rv >= cv {
            return;
        }
        w32(at(root), cv);
        w32(at(child), rv);
        root = child;
    };
    if count < 2 {
        return;
    }
    let mut start = count / 2;
    while start > 0 {
        start -= 1;
        sift(start, count);
    }
    let mut end = count;
    while end > 1 {
        end -= 1;
        let (a, b) = (r32(at(0)), r32(at(end)));
        w32(at(0), b);
        w32(at(end), a);
        sift(0, end);
    }
}

/// The sorted break table of one compacted segment.
#[derive(Debug, Clone, Copy)]
pub struct SegmentTable {
    /// Segment base and end (compaction never moves segments).
    pub base: u32,
    pub end: u32,
    /// Address and number of entries (in the segment's free space).
    pub table: u32,
    pub count: u32,
}

impl SegmentTable {
    /// How many entries have an original offset at or below `p`'s (binary search of the
    /// sorted table): entry `result - 1`, if any, is the run `p` is in.
    #[inline(always)]
    fn entries_at_or_below(&self, p: u32) -> u32 {
        let off4 = (p - self.base) >> 2;
        let (mut lo, mut hi) = (0u32, self.count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if r32(self.table + 4 * mid) >> 16 <= off4 {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The span of a pointer into this segment: the run of objects (or the part below the
    /// first run that moved) that `p` is in.
    pub fn span(&self, p: u32) -> Span {
        let lo = self.entries_at_or_below(p);
        let stop = if lo < self.count { self.base + 4 * (r32(self.table + 4 * lo) >> 16) } else { self.end };
        if lo == 0 {
            return Span { lo: self.base, hi: stop, delta: 0 };
        }
        let e = r32(self.table + 4 * (lo - 1));
        Span { lo: self.base + 4 * (e >> 16), hi: stop, delta: (4 * (e & 0xFFFF)).wrapping_neg() }
    }

    /// The new address of a pointer into this segment.
    pub fn relocate(&self, p: u32) -> u32 {
        let lo = self.entries_at_or_below(p);
        if lo == 0 {
            return p;
        }
        let e = r32(self.table + 4 * (lo - 1));
        p - 4 * (e & 0xFFFF)
    }
}

/// The tables of one collection, one per segment in address order.
pub struct CompactionTables {
    pub segments: Vec<SegmentTable>,
}

impl CompactionTables {
    pub fn new(mut segments: Vec<SegmentTable>) -> Self {
        segments.sort_by_key(|s| s.base);
        Self { segments }
    }
}

impl Relocate for CompactionTables {
    fn span(&self, p: u32) -> Span {
        let i = self.segments.partition_point(|s| s.base <= p);
        let below = match i.checked_sub(1).map(|k| &self.segments[k]) {
            Some(s) if p < s.end => {
                return if s.count > 0 { s.span(p) } else { Span { lo: s.base, hi: s.end, delta: 0 } };
            }
            Some(s) => s.end,
            None => 0,
        };
        // Between segments: nothing moves.
        let above = self.segments.get(i).map_or(u32::MAX, |s| s.base);
        Span { lo: below, hi: above, delta: 0 }
    }
}

/// Resumption's break table: one (old base, old end, delta) per segment that moved.
#[derive(Debug, Default)]
pub struct SegmentMoves {
    entries: Vec<(u32, u32, i32)>,
}

impl SegmentMoves {
    pub fn new() -> Self {
        Self::default()
    }
    /// Appends the entry of a segment that moved from `[old_base, old_end)` by `delta`.
    pub fn append(&mut self, old_base: u32, old_end: u32, delta: i32) {
        self.entries.push((old_base, old_end, delta));
        // Kept sorted for the binary search (entries arrive in record order, not address order).
        let mut i = self.entries.len() - 1;
        while i > 0 && self.entries[i - 1].0 > self.entries[i].0 {
            self.entries.swap(i - 1, i);
            i -= 1;
        }
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Relocate for SegmentMoves {
    fn span(&self, p: u32) -> Span {
        let i = self.entries.partition_point(|e| e.0 <= p);
        let below = match i.checked_sub(1).map(|k| self.entries[k]) {
            Some((base, end, delta)) if p < end => return Span { lo: base, hi: end, delta: delta as u32 },
            Some((_, end, _)) => end,
            None => 0,
        };
        // Outside every segment that moved: the pointer stays.
        let above = self.entries.get(i).map_or(u32::MAX, |e| e.0);
        Span { lo: below, hi: above, delta: 0 }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use guest_sdk::native::{with_host, FlatHost};
    use std::vec;

    const BASE: u32 = 0x1000;

    #[test]
    fn rolling_keeps_the_run_in_order_and_the_table_as_a_set() {
        // Every combination of table size, gap and run length.
        for k in 0..6u32 {
            for gap in 0..4u32 {
                for len_words in 1..20u32 {
                    let mut h = FlatHost::new(BASE, 4096);
                    with_host(&mut h, || {
                        let c = BASE + 64;
                        for i in 0..k {
                            w32(c + 4 * i, 0xE000 + i);
                        }
                        let s = c + 4 * k + 4 * gap;
                        for i in 0..len_words {
                            w32(s + 4 * i, 0xA000 + i);
                        }
                        move_run_below_table(c, k, s, 4 * len_words);
                        for i in 0..len_words {
                            assert_eq!(r32(c + 4 * i), 0xA000 + i, "k={k} gap={gap} len={len_words}");
                        }
                        let t = c + 4 * len_words;
                        let mut got: std::vec::Vec<u32> = (0..k).map(|i| r32(t + 4 * i)).collect();
                        got.sort();
                        assert_eq!(got, (0..k).map(|i| 0xE000 + i).collect::<std::vec::Vec<_>>());
                    });
                }
            }
        }
    }

    #[test]
    fn heapsort_sorts_and_lookup_finds_the_largest_entry_below() {
        let mut h = FlatHost::new(BASE, 4096);
        with_host(&mut h, || {
            let vals = vec![entry(400, 40), entry(16, 12), entry(1000, 100), entry(200, 24), entry(800, 64)];
            for (i, v) in vals.iter().enumerate() {
                w32(BASE + 4 * i as u32, *v);
            }
            sort_entries(BASE, vals.len() as u32);
            let mut sorted = vals.clone();
            sorted.sort();
            for (i, v) in sorted.iter().enumerate() {
                assert_eq!(r32(BASE + 4 * i as u32), *v);
            }
            let seg = 0x2000;
            let t = SegmentTable { base: seg, end: seg + 2000, table: BASE, count: 5 };
            assert_eq!(t.relocate(seg + 8), seg + 8, "before the first hole");
            assert_eq!(t.relocate(seg + 16), seg + 4);
            assert_eq!(t.relocate(seg + 196), seg + 184);
            assert_eq!(t.relocate(seg + 200), seg + 176);
            assert_eq!(t.relocate(seg + 1000), seg + 900);
            assert_eq!(t.relocate(seg + 1996), seg + 1896);
            // Spans contain the pointer and agree with the lookup, also through the tables.
            let other = SegmentTable { base: seg + 0x1000, end: seg + 0x1800, table: BASE, count: 0 };
            let all = CompactionTables::new(vec![other, t]);
            for p in (seg - 64..seg + 0x1900).step_by(4) {
                let s = all.span(p);
                assert!(p >= s.lo && p < s.hi, "{p:#x} {s:?}");
                let want = if t.base <= p && p < t.end { t.relocate(p) } else { p };
                assert_eq!(p.wrapping_add(s.delta), want, "{p:#x}");
                if p >= t.base && p < t.end {
                    assert_eq!(t.span(p), s);
                }
            }
        });
    }

    #[test]
    fn segment_moves_apply_only_inside_old_ranges() {
        let mut m = SegmentMoves::new();
        m.append(0x3000, 0x4000, -0x1000);
        m.append(0x1000, 0x2000, 0x10002 - 0x2);
        assert_eq!(m.relocate(0x1004), 0x11004);
        assert_eq!(m.relocate(0x2000), 0x2000);
        assert_eq!(m.relocate(0x3FFC), 0x2FFC);
        assert_eq!(m.relocate(0x0FFC), 0x0FFC);
        assert_eq!(m.relocate(0x5000), 0x5000);
        for p in (0..0x6000).step_by(4) {
            let s = m.span(p);
            assert!(p >= s.lo && p < s.hi, "{p:#x} {s:?}");
            for q in [s.lo, s.hi - 4] {
                assert_eq!(m.span(q), s);
            }
        }
    }
}
