//! Validation of a store before the first write of a resumption (`docs/store-format.md`,
//! section 11.3, phase A), and of the live heap after collections (`verify` option). The same
//! walker serves both: it reads every segment through *old* addresses (those the pointers in
//! the heap hold), which for a suspended store may differ from where the bytes are now. It
//! also computes the image digest, so `check` proves a store intact without writing to it.
//!
//! Every fault is a [`StoreFault`] naming the record, the offset and the value. Nothing here
//! writes to the store; resource locks taken while checking are released on refusal.

use crate::codes;
use crate::digest::Fnv;
use crate::heap::{HeapView, Heap};
use crate::layout::{self, class_descriptor as cd, info, kind, object_header as oh, segment_header as sh, store_header as hdr};
use crate::palm;
use alloc::vec::Vec;
use core::fmt;
use guest_sdk::GuestAddr;

/// Where a bad pointer was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Slot at byte `slot` of the object at `offset` in segment `segment`.
    Object { segment: u16, offset: u32, slot: u32 },
    /// A global of the header.
    Global(u32),
    /// A root of the header.
    Root(u32),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Location::Object { segment, offset, slot } => {
                write!(f, "'VMem' {segment} object at offset {offset:#x}, slot +{slot}")
            }
            Location::Global(i) => write!(f, "'STOR' global {i}"),
            Location::Root(i) => write!(f, "'STOR' root {i}"),
        }
    }
}

/// Why a store was refused (or the live heap found inconsistent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreFault {
    NoSuchStore,
    NotAStore,
    CannotOpen(u16),
    NoHeader,
    DuplicateHeader,
    HeaderTruncated { size: u32 },
    BadMagic(u32),
    BadVersion(u16),
    BadHeaderSize(u16),
    NotSuspended(u16),
    BadSegmentCapacity(u16),
    BadMaxSegments(u16),
    LastRecordIdOutOfRange(u16),
    SegmentTableDisagrees { last_record_id: u16, entry: u32, value: u32 },
    SegmentMissing(u16),
    ExtraSegment(u16),
    SegmentTruncated { segment: u16, record: u32, needed: u32 },
    BadBumpMarker { segment: u16, value: u16 },
    BumpFlagDisagrees { segment: u16, marker_says_bumped: bool },
    BadSegmentMagic { segment: u16, value: u32 },
    WrongRecordId { segment: u16, found: u16 },
    BadSegmentSize { segment: u16, size: u32 },
    BadSegmentAddress { segment: u16, address: u32, table: u32 },
    SegmentsOverlap { a: u16, b: u16 },
    BadTop { segment: u16, top: u32 },
    BadNext { segment: u16, next: u32, expected: u32 },
    BadObjectHeader { segment: u16, offset: u32, info: u32 },
    MarkBitSet { segment: u16, offset: u32 },
    BadClassPointer { segment: u16, offset: u32, value: u32 },
    SizeDisagrees { segment: u16, offset: u32, size: u32, expected: u64 },
    BadTag { segment: u16, offset: u32, slot: u32, tag: u8 },
    DanglingPointer { at: Location, value: u32 },
    PointerIntoObject { at: Location, value: u32 },
}

impl fmt::Display for StoreFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StoreFault::*;
        match self {
            NoSuchStore => write!(f, "no such store"),
            NotAStore => write!(f, "not a store (database type/creator is not 'appl'/'SpSt')"),
            CannotOpen(e) => write!(f, "cannot open the database (error {e:#06x})"),
            NoHeader => write!(f, "no 'STOR' header resource"),
            DuplicateHeader => write!(f, "more than one 'STOR' header resource"),
            HeaderTruncated { size } => write!(f, "'STOR' header truncated: {size} bytes, {} needed", hdr::SIZE),
            BadMagic(m) => write!(f, "bad magic {m:#010x} in the 'STOR' header"),
            BadVersion(v) => write!(f, "bad format version {v} (this VM reads version {})", layout::FORMAT_VERSION),
            BadHeaderSize(s) => write!(f, "bad header size {s} (expected {})", hdr::SIZE),
            NotSuspended(s) => write!(f, "not suspended cleanly (header state {s})"),
            BadSegmentCapacity(c) => write!(f, "bad segment capacity {c}"),
            BadMaxSegments(m) => write!(f, "bad segment limit {m}"),
            LastRecordIdOutOfRange(n) => write!(f, "lastRecordId {n} out of range"),
            SegmentTableDisagrees { last_record_id, entry, value } => write!(
                f,
                "lastRecordId {last_record_id} disagrees with the segment table (entry {} = {value:#010x})",
                entry + 1
            ),
            SegmentMissing(i) => write!(f, "segment 'VMem' {i} missing"),
            ExtraSegment(i) => write!(f, "extra segment 'VMem' {i}"),
            SegmentTruncated { segment, record, needed } => {
                write!(f, "segment 'VMem' {segment} truncated: record of {record} bytes, {needed} needed")
            }
            BadBumpMarker { segment, value } => write!(f, "segment 'VMem' {segment}: bad bump marker {value:#06x}"),
            BumpFlagDisagrees { segment, marker_says_bumped } => write!(
                f,
                "segment 'VMem' {segment}: bump marker says {} but the header flag says otherwise",
                if *marker_says_bumped { "bumped" } else { "not bumped" }
            ),
            BadSegmentMagic { segment, value } => write!(f, "segment 'VMem' {segment}: bad magic {value:#010x}"),
            WrongRecordId { segment, found } => write!(f, "segment 'VMem' {segment}: header says record {found}"),
            BadSegmentSize { segment, size } => write!(f, "segment 'VMem' {segment}: bad size {size}"),
            BadSegmentAddress { segment, address, table } => {
                write!(f, "segment 'VMem' {segment}: address {address:#010x} disagrees with the segment table ({table:#010x})")
            }
            SegmentsOverlap { a, b } => write!(f, "segments 'VMem' {a} and {b} overlap"),
            BadTop { segment, top } => write!(f, "segment 'VMem' {segment}: bad top {top:#010x}"),
            BadNext { segment, next, expected } => {
                write!(f, "segment 'VMem' {segment}: next {next:#010x}, expected {expected:#010x}")
            }
            BadObjectHeader { segment, offset, info } => {
                write!(f, "'VMem' {segment} offset {offset:#x}: bad object header {info:#010x}")
            }
            MarkBitSet { segment, offset } => write!(f, "'VMem' {segment} offset {offset:#x}: mark bit set"),
            BadClassPointer { segment, offset, value } => {
                write!(f, "'VMem' {segment} offset {offset:#x}: bad class pointer {value:#010x}")
            }
            SizeDisagrees { segment, offset, size, expected } => {
                write!(f, "'VMem' {segment} offset {offset:#x}: size {size} disagrees with its class/length ({expected})")
            }
            BadTag { segment, offset, slot, tag } => {
                write!(f, "'VMem' {segment} offset {offset:#x}: frame slot {slot} has bad tag {tag}")
            }
            DanglingPointer { at, value } => write!(f, "{at}: pointer {value:#010x} lands in no segment"),
            PointerIntoObject { at, value } => write!(f, "{at}: pointer {value:#010x} does not point to an object"),
        }
    }
}

/// One segment as the walker sees it: its old range and where its bytes are now.
#[derive(Debug, Clone, Copy)]
pub struct SegmentView {
    pub id: u16,
    pub old_base: u32,
    pub size: u32,
    pub old_top: u32,
    /// Where the byte at `old_base` is now.
    pub content: u32,
}

/// Reads old addresses through the segments' present locations (0 outside every segment).
pub struct OldView<'a> {
    /// Sorted by `old_base`.
    segs: &'a [SegmentView],
    /// The segment found last (most reads stay in one segment).
    last: core::cell::Cell<usize>,
}

impl<'a> OldView<'a> {
    pub fn new(segs: &'a [SegmentView]) -> Self {
        Self { segs, last: core::cell::Cell::new(0) }
    }
    #[inline(always)]
    fn find(&self, a: u32) -> Option<&SegmentView> {
        if let Some(s) = self.segs.get(self.last.get()) {
            if a >= s.old_base && a < s.old_base + s.size {
                return Some(s);
            }
        }
        let i = self.segs.partition_point(|s| s.old_base <= a).checked_sub(1)?;
        let s = &self.segs[i];
        if a < s.old_base + s.size {
            self.last.set(i);
            Some(s)
        } else {
            None
        }
    }
    #[inline(always)]
    fn at(&self, a: u32) -> Option<u32> {
        self.find(a).map(|s| s.content + (a - s.old_base))
    }
}

impl HeapView for OldView<'_> {
    #[inline(always)]
    fn r32(&self, a: u32) -> u32 {
        self.at(a).map_or(0, crate::heap::r32)
    }
    #[inline(always)]
    fn r16(&self, a: u32) -> u16 {
        self.at(a).map_or(0, crate::heap::r16)
    }
    #[inline(always)]
    fn r8(&self, a: u32) -> u8 {
        self.at(a).map_or(0, crate::heap::r8)
    }
}

/// The view from inside one segment: its own addresses are translated with a fixed offset,
/// everything else through the full view (whose cache then keeps the other segment, typically
/// the one holding the classes).
struct LocalView<'a, 'b> {
    lo: u32,
    hi: u32,
    delta: u32,
    all: &'a OldView<'b>,
}

impl HeapView for LocalView<'_, '_> {
    #[inline(always)]
    fn r32(&self, a: u32) -> u32 {
        if a >= self.lo && a < self.hi {
            crate::heap::r32(a.wrapping_add(self.delta))
        } else {
            self.all.r32(a)
        }
    }
    #[inline(always)]
    fn r16(&self, a: u32) -> u16 {
        if a >= self.lo && a < self.hi {
            crate::heap::r16(a.wrapping_add(self.delta))
        } else {
            self.all.r16(a)
        }
    }
    #[inline(always)]
    fn r8(&self, a: u32) -> u8 {
        if a >= self.lo && a < self.hi {
            crate::heap::r8(a.wrapping_add(self.delta))
        } else {
            self.all.r8(a)
        }
    }
}

/// Counts from a walk of every object (reachable or not).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkSummary {
    pub objects: u32,
    pub bytes: u32,
    pub by_kind: [u32; 7],
    /// The image digest (0 if not asked for).
    pub image: u64,
}

/// What is wrong with a pointer (0 = nothing): a small code, so the hot path of the walk
/// builds no fault until there is one.
const POINTER_OK: u32 = 0;
const POINTER_DANGLING: u32 = 1;
const POINTER_INTO_OBJECT: u32 = 2;

/// Checks a pointer value: 0, or the start of an object inside some segment (`here`, the
/// segment being walked, is tried first).
#[inline(always)]
fn pointer_code(view: &OldView<'_>, here: Option<&SegmentView>, p: u32) -> u32 {
    if p == 0 {
        return POINTER_OK;
    }
    let s = match here {
        Some(h) if p >= h.old_base && p < h.old_base + h.size => h,
        _ => match view.find(p) {
            Some(s) => s,
            None => return POINTER_DANGLING,
        },
    };
    if p < s.old_base + sh::SIZE || p >= s.old_top {
        return POINTER_DANGLING;
    }
    let inf = crate::heap::r32(s.content + (p - s.old_base) + oh::INFO);
    let size = info::size(inf);
    if !p.is_multiple_of(4) || inf & info::RESERVED_MASK != 0 || !kind::is_valid(info::kind(inf)) || size < oh::SIZE || size > s.old_top - p {
        return POINTER_INTO_OBJECT;
    }
    POINTER_OK
}

/// A segment's old range, old TOP and present location, held in locals by the walk.
#[derive(Clone, Copy)]
struct Range {
    base: u32,
    end: u32,
    top: u32,
    content: u32,
}

impl Range {
    const NONE: Range = Range { base: 0, end: 0, top: 0, content: 0 };
    #[inline(always)]
    fn of(s: &SegmentView) -> Range {
        Range { base: s.old_base, end: s.old_base + s.size, top: s.old_top, content: s.content }
    }
    #[inline(always)]
    fn has(&self, p: u32) -> bool {
        p >= self.base && p < self.end
    }
    /// [`pointer_code`] for a pointer inside this segment.
    #[inline(always)]
    fn code(&self, p: u32) -> u32 {
        if p < self.base + sh::SIZE || p >= self.top {
            return POINTER_DANGLING;
        }
        let inf = crate::heap::r32(self.content + (p - self.base) + oh::INFO);
        let size = info::size(inf);
        if !p.is_multiple_of(4) || inf & info::RESERVED_MASK != 0 || !kind::is_valid(info::kind(inf)) || size < oh::SIZE || size > self.top - p {
            return POINTER_INTO_OBJECT;
        }
        POINTER_OK
    }
}

fn pointer_fault(code: u32, at: Location, value: u32) -> StoreFault {
    if code == POINTER_DANGLING {
        StoreFault::DanglingPointer { at, value }
    } else {
        StoreFault::PointerIntoObject { at, value }
    }
}

/// [`pointer_code`] as a fault at `at`.
fn check_pointer(view: &OldView<'_>, here: Option<&SegmentView>, at: Location, p: u32) -> Result<(), StoreFault> {
    match pointer_code(view, here, p) {
        POINTER_OK => Ok(()),
        code => Err(pointer_fault(code, at, p)),
    }
}

/// Normalised pointer for the image digest: (segment ID, offset).
fn normalize(view: &OldView<'_>, p: u32) -> u32 {
    match view.find(p) {
        Some(s) if p != 0 => ((s.id as u32) << 24) | (p - s.old_base),
        _ => p,
    }
}

/// Entries of the walker's cache of checked classes (a power of two).
const CLASS_CACHE: usize = 32;

/// Walks the header pointers and every object of every segment, checking everything in
/// section 11.3 step 5; with `digest`, also computes the image digest (the header's persistent
/// fields are hashed by the caller into the same hasher first).
pub fn walk(
    view: &OldView<'_>,
    by_id: &[SegmentView],
    header: u32,
    mut digest: Option<&mut Fnv>,
    allow_marks: bool,
) -> Result<WalkSummary, StoreFault> {
    let mut sum = WalkSummary::default();
    // Header globals, roots, and the segment table.
    for i in 0..layout::GLOBAL_COUNT {
        let p = crate::heap::r32(header + hdr::GLOBALS + 4 * i);
        check_pointer(view, None, Location::Global(i), p)?;
        if let Some(d) = digest.as_deref_mut() {
            d.word(normalize(view, p));
        }
    }
    for i in 0..layout::ROOT_COUNT {
        let p = crate::heap::r32(header + hdr::ROOTS + 4 * i);
        check_pointer(view, None, Location::Root(i), p)?;
        if let Some(d) = digest.as_deref_mut() {
            d.word(normalize(view, p));
        }
    }
    let mut refs: Vec<u32> = Vec::new();
    // Classes already checked: (address, field count, instance kind, element size).
    let mut classes: [Option<(u32, u32, u32, u64)>; CLASS_CACHE] = [None; CLASS_CACHE];
    for s in by_id {
        if let Some(d) = digest.as_deref_mut() {
            d.word(s.id as u32);
            d.word(s.size);
            d.word(s.old_top - s.old_base);
            let next = view.r32(s.old_base + sh::NEXT);
            d.word(normalize(view, next));
            d.word(view.r32(s.old_base + sh::LIVE_BYTES));
        }
        let local = LocalView { lo: s.old_base, hi: s.old_base + s.size, delta: s.content.wrapping_sub(s.old_base), all: view };
        // This segment, and the other segment pointers went to last, in locals.
        let here = Range::of(s);
        let mut other = Range::NONE;
        // Per kind, the last class checked: (address, field count, element size, first
        // reference-map word of an instance class).
        let (mut ci, mut ci_fields, mut ci_map0) = (0u32, 0u32, 0u32);
        let (mut cr, mut cp, mut cp_elem) = (0u32, 0u32, 0u64);
        let mut o = s.old_base + sh::SIZE;
        while o < s.old_top {
            let offset = o - s.old_base;
            let seg = s.id;
            let inf = local.r32(o + oh::INFO);
            let size = info::size(inf);
            let k = info::kind(inf);
            if inf & info::RESERVED_MASK != 0 || !kind::is_valid(k) || size < oh::SIZE || !size.is_multiple_of(4) || o as u64 + size as u64 > s.old_top as u64 {
                return Err(StoreFault::BadObjectHeader { segment: seg, offset, info: inf });
            }
            if inf & info::MARK != 0 && !allow_marks {
                return Err(StoreFault::MarkBitSet { segment: seg, offset });
            }
            // The class: a CLASS object whose own layout is sane (checked once per class).
            let class = local.r32(o + oh::CLASS);
            let hit = class != 0
                && match k {
                    kind::INSTANCE => class == ci,
                    kind::REF_ARRAY => class == cr,
                    kind::PRIM_ARRAY => class == cp,
                    _ => false,
                };
            let (fields, elem) = if hit {
                (ci_fields, cp_elem)
            } else {
                let slot = ((class >> 2) & (CLASS_CACHE as u32 - 1)) as usize;
                let (fields, instance_kind, elem) = match classes[slot] {
                    Some((c, f, ik, e)) if c == class => (f, ik, e),
                    _ => {
                        let at = Location::Object { segment: seg, offset, slot: oh::CLASS };
                        check_pointer(view, None, at, class)?;
                        let cinf = local.r32(class + oh::INFO);
                        if class == 0 || info::kind(cinf) != kind::CLASS {
                            return Err(StoreFault::BadClassPointer { segment: seg, offset, value: class });
                        }
                        let fields = local.r16(class + cd::FIELD_COUNT) as u32;
                        if info::size(cinf) != layout::class_descriptor_size(fields) {
                            return Err(StoreFault::BadClassPointer { segment: seg, offset, value: class });
                        }
                        let v = (fields, local.r8(class + cd::INSTANCE_KIND) as u32, local.r8(class + cd::ELEMENT_SIZE) as u64);
                        classes[slot] = Some((class, v.0, v.1, v.2));
                        v
                    }
                };
                if instance_kind != k {
                    return Err(StoreFault::BadClassPointer { segment: seg, offset, value: class });
                }
                match k {
                    kind::INSTANCE => {
                        ci = class;
                        ci_fields = fields;
                        ci_map0 = if fields > 0 { local.r32(class + cd::REF_MAP) } else { 0 };
                    }
                    kind::REF_ARRAY => cr = class,
                    kind::PRIM_ARRAY => {
                        if matches!(elem, 1 | 2 | 4) {
                            cp = class;
                            cp_elem = elem;
                        }
                    }
                    _ => {}
                }
                (fields, elem)
            };
            let len = local.r32(o + layout::array::LENGTH) as u64;
            let expected: u64 = match k {
                kind::INSTANCE => layout::instance_size(fields) as u64,
                kind::REF_ARRAY => layout::array::SIZE as u64 + 4 * len,
                kind::PRIM_ARRAY => {
                    if !matches!(elem, 1 | 2 | 4) {
                        return Err(StoreFault::BadClassPointer { segment: seg, offset, value: class });
                    }
                    layout::array::SIZE as u64 + ((len * elem + 3) & !3)
                }
                kind::CLASS => layout::class_descriptor_size(local.r16(o + cd::FIELD_COUNT) as u32) as u64,
                kind::THREAD => layout::thread::SIZE as u64,
                _ => {
                    let n = local.r16(o + layout::frame::SLOT_COUNT) as u32;
                    let sp = local.r16(o + layout::frame::SP) as u32;
                    let locals = local.r16(o + layout::frame::LOCALS) as u32;
                    if sp > n || locals > n {
                        return Err(StoreFault::SizeDisagrees { segment: seg, offset, size, expected: layout::frame_size(n) as u64 });
                    }
                    let tags = o + layout::frame::SLOTS + 4 * n;
                    if layout::frame_size(n) == size {
                        for i in 0..n {
                            let t = local.r8(tags + i);
                            if t > 1 {
                                return Err(StoreFault::BadTag { segment: seg, offset, slot: i, tag: t });
                            }
                        }
                    }
                    layout::frame_size(n) as u64
                }
            };
            if expected != size as u64 {
                return Err(StoreFault::SizeDisagrees { segment: seg, offset, size, expected });
            }
            // Every reference, in the order of `RefSlots` (the CLASS slot was checked above).
            refs.clear();
            let keep = digest.is_some();
            if keep {
                refs.push(o + oh::CLASS);
            }
            macro_rules! check_slot {
                ($slot:expr) => {{
                    let slot = $slot;
                    let p = local.r32(slot);
                    if p != 0 {
                        let code = if here.has(p) {
                            here.code(p)
                        } else if other.has(p) {
                            other.code(p)
                        } else {
                            match view.find(p) {
                                Some(f) => {
                                    other = Range::of(f);
                                    other.code(p)
                                }
                                None => POINTER_DANGLING,
                            }
                        };
                        if code != POINTER_OK {
                            return Err(pointer_fault(code, Location::Object { segment: seg, offset, slot: slot - o }, p));
                        }
                    }
                    if keep {
                        refs.push(slot);
                    }
                }};
            }
            match k {
                kind::INSTANCE => {
                    // The class is `ci` (checked or just cached above).
                    let mut map = ci_map0;
                    let mut w = 0u32;
                    loop {
                        let left = fields - 32 * w;
                        if left < 32 {
                            map &= (1u32 << left) - 1;
                        }
                        let base = o + layout::instance::FIELDS + 128 * w;
                        while map != 0 {
                            let j = map.trailing_zeros();
                            map &= map - 1;
                            check_slot!(base + 4 * j);
                        }
                        w += 1;
                        if 32 * w >= fields {
                            break;
                        }
                        map = local.r32(class + cd::REF_MAP + 4 * w);
                    }
                }
                kind::REF_ARRAY => {
                    let (mut a, end) = (o + layout::array::ELEMENTS, o + size);
                    while a < end {
                        check_slot!(a);
                        a += 4;
                    }
                }
                kind::CLASS => {
                    check_slot!(o + cd::NAME);
                    check_slot!(o + cd::SUPER);
                }
                kind::THREAD => {
                    check_slot!(o + layout::thread::NAME);
                    check_slot!(o + layout::thread::TOP_FRAME);
                    check_slot!(o + layout::thread::NEXT);
                    check_slot!(o + layout::thread::RESULT);
                }
                kind::FRAME => {
                    check_slot!(o + layout::frame::CALLER);
                    let n = local.r16(o + layout::frame::SLOT_COUNT) as u32;
                    let sp = local.r16(o + layout::frame::SP) as u32;
                    let tags = o + layout::frame::SLOTS + 4 * n;
                    for i in 0..sp {
                        if local.r8(tags + i) == 1 {
                            check_slot!(o + layout::frame::SLOTS + 4 * i);
                        }
                    }
                }
                _ => {}
            }
            if let Some(d) = digest.as_deref_mut() {
                let mut r = 0;
                let mut a = o;
                d.word(inf & !info::MARK);
                a += 4;
                while a < o + size {
                    let v = local.r32(a);
                    if r < refs.len() && refs[r] == a {
                        d.word(normalize(view, v));
                        r += 1;
                    } else {
                        d.word(v);
                    }
                    a += 4;
                }
            }
            sum.objects += 1;
            sum.bytes += size;
            sum.by_kind[k as usize] += 1;
            o += size;
        }
    }
    if let Some(d) = digest {
        sum.image = d.finish();
    }
    Ok(sum)
}

/// Hashes the header's persistent fields (not STATE nor the suspend/resume counts) with the
/// segment table normalised: the first part of the image digest.
pub fn hash_header(view: &OldView<'_>, header: u32, d: &mut Fnv) {
    use crate::heap::{r16, r32};
    d.word(r32(header + hdr::MAGIC));
    d.word(r16(header + hdr::VERSION) as u32);
    d.word(r16(header + hdr::HEADER_SIZE) as u32);
    d.word(r16(header + hdr::FLAGS) as u32);
    d.word(r16(header + hdr::LAST_RECORD_ID) as u32);
    d.word(r16(header + hdr::SEGMENT_CAPACITY) as u32);
    d.word(r32(header + hdr::DEFAULT_SEGMENT_SIZE));
    d.word(r16(header + hdr::MAX_SEGMENTS) as u32);
    let mut a = header + hdr::ALLOCATOR;
    while a < header + hdr::GLOBALS {
        d.word(r32(a));
        a += 4;
    }
    for i in 0..layout::SEGMENT_CAPACITY {
        d.word(normalize(view, r32(header + hdr::SEGMENT_TABLE + 4 * i)));
    }
}

/// Segment views of the live heap (old = present addresses).
pub fn live_views(heap: &Heap) -> Vec<SegmentView> {
    heap.segments
        .iter()
        .map(|s| SegmentView { id: s.id, old_base: s.base, size: s.size, old_top: s.top(), content: s.base })
        .collect()
}

/// Checks the running heap (after collections, with the `verify` option; and in tests).
pub fn verify_live_heap(heap: &Heap) -> Result<WalkSummary, StoreFault> {
    let by_id = live_views(heap);
    let mut sorted = by_id.clone();
    sorted.sort_by_key(|s| s.old_base);
    walk(&OldView::new(&sorted), &by_id, heap.header, None, false)
}

/// The image digest and object counts of the running heap (module state must have been saved
/// into the header first, as suspension step 2 does).
pub fn live_image(heap: &Heap) -> Result<WalkSummary, StoreFault> {
    let by_id = live_views(heap);
    let mut sorted = by_id.clone();
    sorted.sort_by_key(|s| s.old_base);
    let view = OldView::new(&sorted);
    let mut d = Fnv::default();
    hash_header(&view, heap.header, &mut d);
    walk(&view, &by_id, heap.header, Some(&mut d), false)
}

// ---------------------------------------------------------------------------------------------
// Phase A of resumption: the store as found, checked, with nothing written.

/// A segment found in a store that passed the check.
#[derive(Debug, Clone, Copy)]
pub struct FoundSegment {
    pub id: u16,
    pub handle: GuestAddr,
    /// The record's data address now (locked).
    pub data: u32,
    /// Bumped when suspended (from the marker).
    pub old_bumped: bool,
    /// The base when suspended (ADDRESS) and the segment size.
    pub old_base: u32,
    pub size: u32,
    pub old_top: u32,
}

impl FoundSegment {
    /// Where the segment's first byte is now, before any shift.
    pub fn content(&self) -> u32 {
        self.data + if self.old_bumped { layout::BUMP_BYTES } else { 0 }
    }
}

/// A store that passed phase A: open, its header and segments locked.
pub struct CheckedStore {
    pub db: GuestAddr,
    pub db_id: u32,
    pub header_handle: GuestAddr,
    pub header: u32,
    pub segments: Vec<FoundSegment>,
    pub summary: WalkSummary,
}

/// What phase A has locked so far, to undo on refusal.
struct Opened {
    db: GuestAddr,
    locked: Vec<GuestAddr>,
}

impl Opened {
    fn lock(&mut self, h: GuestAddr) -> u32 {
        self.locked.push(h);
        palm::lock(h).0
    }
    fn abandon(self) {
        for h in self.locked.iter().rev() {
            let _ = palm::unlock(*h);
        }
        let _ = palm::close_database(self.db);
    }
}

/// Phase A: finds store `name`, opens it, locks its header and segments and checks everything
/// (`docs/store-format.md`, section 11.3 steps 1-5); with `digest`, also computes the image
/// digest (for transcripts: it costs more than the check). Writes nothing. On a fault
/// everything is unlocked and closed again.
pub fn check_store(name: &[u8], digest: bool) -> Result<CheckedStore, StoreFault> {
    let db_id = palm::find_database(name).ok_or(StoreFault::NoSuchStore)?;
    check_store_id(db_id, digest)
}

/// [`check_store`] for the store with LocalID `db_id` (as the Wrapper hands it to the VM
/// application with `LAUNCH_CMD_RESUME_STORE`).
pub fn check_store_id(db_id: u32, digest: bool) -> Result<CheckedStore, StoreFault> {
    if !palm::has_type_creator(db_id, codes::STORE_DB_TYPE, codes::STORE_CREATOR) {
        return Err(StoreFault::NotAStore);
    }
    let db = palm::open_database(db_id, palm::DM_MODE_READ_WRITE).map_err(StoreFault::CannotOpen)?;
    let mut opened = Opened { db, locked: Vec::new() };
    match check_opened(&mut opened, db_id, digest) {
        Ok(c) => Ok(c),
        Err(f) => {
            opened.abandon();
            Err(f)
        }
    }
}

fn check_opened(o: &mut Opened, db_id: u32, digest: bool) -> Result<CheckedStore, StoreFault> {
    use crate::heap::{r16, r32};
    // Step 2: the resources.
    let n = palm::num_resources(o.db);
    let mut header_index = None;
    let mut seg_index: Vec<(u16, u16)> = Vec::new();
    for i in 0..n {
        let Ok((t, id)) = palm::resource_info(o.db, i) else { continue };
        if t == codes::HEADER_RESOURCE_TYPE {
            if header_index.is_some() {
                return Err(StoreFault::DuplicateHeader);
            }
            header_index = Some(i);
        } else if t == codes::SEGMENT_RESOURCE_TYPE {
            seg_index.push((id, i));
        }
    }
    let header_index = header_index.ok_or(StoreFault::NoHeader)?;
    let header_handle = palm::resource_handle(o.db, header_index).ok_or(StoreFault::NoHeader)?;
    // Step 3: the header.
    let size = palm::handle_size(header_handle);
    if size < hdr::SIZE {
        return Err(StoreFault::HeaderTruncated { size });
    }
    let header = o.lock(header_handle);
    let magic = r32(header + hdr::MAGIC);
    if magic != codes::STORE_MAGIC {
        return Err(StoreFault::BadMagic(magic));
    }
    let version = r16(header + hdr::VERSION);
    if version != layout::FORMAT_VERSION {
        return Err(StoreFault::BadVersion(version));
    }
    let hsize = r16(header + hdr::HEADER_SIZE);
    if hsize as u32 != hdr::SIZE {
        return Err(StoreFault::BadHeaderSize(hsize));
    }
    let state = r16(header + hdr::STATE);
    if state != layout::store_state::SUSPENDED {
        return Err(StoreFault::NotSuspended(state));
    }
    let cap = r16(header + hdr::SEGMENT_CAPACITY);
    if cap as u32 != layout::SEGMENT_CAPACITY {
        return Err(StoreFault::BadSegmentCapacity(cap));
    }
    let max = r16(header + hdr::MAX_SEGMENTS);
    if max == 0 || max as u32 > layout::SEGMENT_CAPACITY {
        return Err(StoreFault::BadMaxSegments(max));
    }
    let last = r16(header + hdr::LAST_RECORD_ID);
    if last == 0 || last as u32 > layout::SEGMENT_CAPACITY {
        return Err(StoreFault::LastRecordIdOutOfRange(last));
    }
    let table = |i: u32| r32(header + hdr::SEGMENT_TABLE + 4 * i);
    for i in 0..layout::SEGMENT_CAPACITY {
        let v = table(i);
        let want_set = i < last as u32;
        if want_set != (v != 0) || v % 4 != 0 {
            return Err(StoreFault::SegmentTableDisagrees { last_record_id: last, entry: i, value: v });
        }
    }
    for id in 1..=last {
        if !seg_index.iter().any(|&(sid, _)| sid == id) {
            return Err(StoreFault::SegmentMissing(id));
        }
    }
    if let Some(&(id, _)) = seg_index.iter().find(|&&(sid, _)| sid == 0 || sid > last) {
        return Err(StoreFault::ExtraSegment(id));
    }
    // Step 4: every segment.
    let mut segs: Vec<FoundSegment> = Vec::with_capacity(last as usize);
    for id in 1..=last {
        let index = seg_index.iter().find(|&&(sid, _)| sid == id).map(|&(_, i)| i).unwrap_or(0);
        let handle = palm::resource_handle(o.db, index).ok_or(StoreFault::SegmentMissing(id))?;
        let record = palm::handle_size(handle);
        if record < layout::BUMP_BYTES + sh::SIZE {
            return Err(StoreFault::SegmentTruncated { segment: id, record, needed: layout::BUMP_BYTES + sh::SIZE });
        }
        let data = o.lock(handle);
        let marker = r16(data);
        let old_bumped = match marker {
            codes::BUMP_MARKER => true,
            codes::UNBUMPED_MARKER => false,
            value => return Err(StoreFault::BadBumpMarker { segment: id, value }),
        };
        let base = data + if old_bumped { layout::BUMP_BYTES } else { 0 };
        let magic = r32(base + sh::MAGIC);
        if magic != codes::SEGMENT_MAGIC {
            return Err(StoreFault::BadSegmentMagic { segment: id, value: magic });
        }
        let found = r16(base + sh::RECORD_ID);
        if found != id {
            return Err(StoreFault::WrongRecordId { segment: id, found });
        }
        let size = r32(base + sh::SEGMENT_SIZE);
        if !size.is_multiple_of(4) || !(layout::MIN_SEGMENT_SIZE..=layout::MAX_SEGMENT_SIZE).contains(&size) {
            return Err(StoreFault::BadSegmentSize { segment: id, size });
        }
        if record < size + layout::BUMP_BYTES {
            return Err(StoreFault::SegmentTruncated { segment: id, record, needed: size + layout::BUMP_BYTES });
        }
        let flag_bumped = r16(base + sh::FLAGS) & layout::segment_flags::BUMPED != 0;
        if flag_bumped != old_bumped {
            return Err(StoreFault::BumpFlagDisagrees { segment: id, marker_says_bumped: old_bumped });
        }
        let address = r32(base + sh::ADDRESS);
        let t = table(id as u32 - 1);
        if address != t || !address.is_multiple_of(4) || address.checked_add(size).is_none() {
            return Err(StoreFault::BadSegmentAddress { segment: id, address, table: t });
        }
        let top = r32(base + sh::TOP);
        if !top.is_multiple_of(4) || top < address + sh::SIZE || top > address + size {
            return Err(StoreFault::BadTop { segment: id, top });
        }
        let next = r32(base + sh::NEXT);
        let expected = if id < last { table(id as u32) } else { 0 };
        if next != expected {
            return Err(StoreFault::BadNext { segment: id, next, expected });
        }
        segs.push(FoundSegment { id, handle, data, old_bumped, old_base: address, size, old_top: top });
    }
    let mut views: Vec<SegmentView> = segs
        .iter()
        .map(|s| SegmentView { id: s.id, old_base: s.old_base, size: s.size, old_top: s.old_top, content: s.content() })
        .collect();
    let by_id = views.clone();
    views.sort_by_key(|s| s.old_base);
    for w in views.windows(2) {
        if w[0].old_base + w[0].size > w[1].old_base {
            return Err(StoreFault::SegmentsOverlap { a: w[0].id, b: w[1].id });
        }
    }
    // Step 5: every object and pointer, and the image digest.
    let view = OldView::new(&views);
    let mut d = Fnv::default();
    hash_header(&view, header, &mut d);
    let summary = walk(&view, &by_id, header, if digest { Some(&mut d) } else { None }, false)?;
    Ok(CheckedStore { db: o.db, db_id, header_handle, header, segments: segs, summary })
}

impl CheckedStore {
    /// Unlocks and closes (the `check` command, which only looks).
    pub fn release(self) {
        for s in self.segments.iter().rev() {
            let _ = palm::unlock(s.handle);
        }
        let _ = palm::unlock(self.header_handle);
        let _ = palm::close_database(self.db);
    }
}
