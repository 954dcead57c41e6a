//! The heap: segments of storage RAM (the `'VMem'` records), objects in them, and allocation.
//! Objects are reached only through the SDK accessors at real 68k addresses (`u32`); their
//! layouts are in [`crate::layout`]. Allocation bumps a segment's TOP; when nothing fits, the
//! collector ([`crate::gc`]) runs, and then a segment is appended through a
//! [`SegmentProvider`] (the Data Manager in a store, plain memory in unit tests).
//!
//! Rule for everything that allocates: an allocation may collect, and a collection moves
//! objects, so no object address held in a Rust variable survives an allocation. Objects that
//! must survive are kept in the heap (frame slots, fields, header roots) and re-read after.

use crate::layout::{self, class_descriptor as cd, info, kind, object_header as oh, segment_header as sh, store_header as hdr};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use guest_sdk::{guest_memset, read_u16, read_u32, read_u8, write_u16, write_u32, write_u8, GuestAddr};

/// Errors the VM's running code can meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VmError {
    /// No segment can hold the request, even after a collection and trying to append one.
    OutOfMemory { requested: u32 },
    /// The VM found its own heap inconsistent (a bug, or memory corrupted while running).
    Internal(String),
}

impl core::fmt::Display for VmError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            VmError::OutOfMemory { requested } => write!(f, "OutOfMemoryError ({requested} bytes)"),
            VmError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

/// Shorthand for an internal error.
pub fn internal(msg: impl Into<String>) -> VmError {
    VmError::Internal(msg.into())
}

// ---------------------------------------------------------------------------------------------
// Raw object access.

#[inline(always)]
pub fn r32(a: u32) -> u32 {
    read_u32(GuestAddr(a))
}
#[inline(always)]
pub fn r16(a: u32) -> u16 {
    read_u16(GuestAddr(a))
}
#[inline(always)]
pub fn r8(a: u32) -> u8 {
    read_u8(GuestAddr(a))
}
#[inline(always)]
pub fn w32(a: u32, v: u32) {
    write_u32(GuestAddr(a), v)
}
#[inline(always)]
pub fn w16(a: u32, v: u16) {
    write_u16(GuestAddr(a), v)
}
#[inline(always)]
pub fn w8(a: u32, v: u8) {
    write_u8(GuestAddr(a), v)
}

/// The INFO word of the object at `o`.
#[inline(always)]
pub fn obj_info(o: u32) -> u32 {
    r32(o + oh::INFO)
}
#[inline(always)]
pub fn obj_kind(o: u32) -> u32 {
    info::kind(obj_info(o))
}
#[inline(always)]
pub fn obj_size(o: u32) -> u32 {
    info::size(obj_info(o))
}
#[inline(always)]
pub fn obj_class(o: u32) -> u32 {
    r32(o + oh::CLASS)
}
#[inline(always)]
pub fn obj_id(o: u32) -> u32 {
    r32(o + oh::ID)
}
/// Address of field `i` of an instance.
#[inline(always)]
pub fn field(o: u32, i: u32) -> u32 {
    o + layout::instance::FIELDS + 4 * i
}
/// Field `i` of an instance.
#[inline(always)]
pub fn get_field(o: u32, i: u32) -> u32 {
    r32(field(o, i))
}
#[inline(always)]
pub fn set_field(o: u32, i: u32, v: u32) {
    w32(field(o, i), v)
}
/// Length of an array.
#[inline(always)]
pub fn array_len(o: u32) -> u32 {
    r32(o + layout::array::LENGTH)
}
/// Address of element `i` of a reference array (or of byte `i` of a primitive array's data).
#[inline(always)]
pub fn array_elem(o: u32, i: u32) -> u32 {
    o + layout::array::ELEMENTS + 4 * i
}

/// Read access to heap bytes at heap addresses: directly, or (while checking a store before
/// resuming it) through the old addresses of segments that may have moved.
pub trait HeapView {
    fn r32(&self, a: u32) -> u32;
    fn r16(&self, a: u32) -> u16;
    fn r8(&self, a: u32) -> u8;
}

/// The live heap: addresses are where the bytes are.
pub struct Direct;

impl HeapView for Direct {
    #[inline(always)]
    fn r32(&self, a: u32) -> u32 {
        r32(a)
    }
    #[inline(always)]
    fn r16(&self, a: u32) -> u16 {
        r16(a)
    }
    #[inline(always)]
    fn r8(&self, a: u32) -> u8 {
        r8(a)
    }
}

/// The reference slots of one object, in address order: its CLASS slot first, then the
/// kind's references (`docs/store-format.md`, section 6). Used as
/// `while let Some(slot) = it.next(v)`, so the inner loops of the collector, the pointer update
/// and the checker are plain loops (no closures, nothing in linear memory). For instances the
/// reference map is read from the class descriptor at `class_at(CLASS)` (during pointer update
/// a class may already have moved); the CLASS value is read before the first slot is returned,
/// so callers may update slots in place. Slots holding 0 are returned too.
pub struct RefSlots {
    o: u32,
    k: u32,
    /// Fixed slots left to return (bit i = fixed offset i of the kind).
    fixed: u32,
    first: u32,
    n: u32,
    i: u32,
    class: u32,
    tags: u32,
    word: u32,
}

/// Fixed reference offsets per kind (CLASS first).
const CLASS_FIXED: [u32; 3] = [oh::CLASS, cd::NAME, cd::SUPER];
const THREAD_FIXED: [u32; 5] = [oh::CLASS, layout::thread::NAME, layout::thread::TOP_FRAME, layout::thread::NEXT, layout::thread::RESULT];
const FRAME_FIXED: [u32; 2] = [oh::CLASS, layout::frame::CALLER];

impl RefSlots {
    #[inline(always)]
    pub fn new<V: HeapView>(v: &V, o: u32, class_at: impl Fn(u32) -> u32) -> Self {
        let k = info::kind(v.r32(o + oh::INFO));
        let class_value = v.r32(o + oh::CLASS);
        let (first, n, class, tags) = match k {
            kind::INSTANCE => {
                let class = class_at(class_value);
                (o + layout::instance::FIELDS, v.r16(class + cd::FIELD_COUNT) as u32, class, 0)
            }
            kind::REF_ARRAY => (o + layout::array::ELEMENTS, v.r32(o + layout::array::LENGTH), 0, 0),
            kind::FRAME => {
                let slots = v.r16(o + layout::frame::SLOT_COUNT) as u32;
                let sp = (v.r16(o + layout::frame::SP) as u32).min(slots);
                (o + layout::frame::SLOTS, sp, 0, o + layout::frame::SLOTS + 4 * slots)
            }
            _ => (0, 0, 0, 0),
        };
        let fixed = match k {
            kind::CLASS => 0b111,
            kind::THREAD => 0b11111,
            kind::FRAME => 0b11,
            _ => 0b1,
        };
        RefSlots { o, k, fixed, first, n, i: 0, class, tags, word: 0 }
    }

    /// The next reference slot's address.
    #[inline(always)]
    pub fn next<V: HeapView>(&mut self, v: &V) -> Option<u32> {
        if self.fixed != 0 {
            let j = self.fixed.trailing_zeros();
            self.fixed &= self.fixed - 1;
            let off = match self.k {
                kind::CLASS => CLASS_FIXED[j as usize & 3],
                kind::THREAD => THREAD_FIXED[j as usize & 7],
                kind::FRAME => FRAME_FIXED[j as usize & 1],
                _ => oh::CLASS,
            };
            return Some(self.o + off);
        }
        while self.i < self.n {
            let i = self.i;
            self.i += 1;
            let is_ref = match self.k {
                kind::INSTANCE => {
                    if i.is_multiple_of(32) {
                        self.word = v.r32(self.class + cd::REF_MAP + 4 * (i / 32));
                    }
                    self.word & (1 << (i % 32)) != 0
                }
                kind::FRAME => v.r8(self.tags + i) == 1,
                _ => true,
            };
            if is_ref {
                return Some(self.first + 4 * i);
            }
        }
        None
    }
}

/// Calls `f` with the address of every reference slot of object `o` ([`RefSlots`]).
#[inline]
pub fn for_each_ref_slot<V: HeapView, E>(
    v: &V,
    o: u32,
    class_at: impl Fn(u32) -> u32,
    mut f: impl FnMut(u32) -> Result<(), E>,
) -> Result<(), E> {
    let mut it = RefSlots::new(v, o, class_at);
    while let Some(slot) = it.next(v) {
        f(slot)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Segments.

/// One heap segment, as the running VM knows it (the persistent copy is its SegmentHeader).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Resource ID (1..=lastRecordId).
    pub id: u16,
    /// The record's handle (0 in unit tests without a Data Manager).
    pub handle: GuestAddr,
    /// The record's data address D (locked).
    pub data: u32,
    /// The segment base: D, or D + 2 when bumped.
    pub base: u32,
    /// Segment bytes from the base, header included.
    pub size: u32,
}

impl Segment {
    pub fn first_object(&self) -> u32 {
        self.base + sh::SIZE
    }
    pub fn end(&self) -> u32 {
        self.base + self.size
    }
    pub fn top(&self) -> u32 {
        r32(self.base + sh::TOP)
    }
    pub fn set_top(&self, top: u32) {
        w32(self.base + sh::TOP, top)
    }
    pub fn free(&self) -> u32 {
        self.end() - self.top()
    }
    pub fn bumped(&self) -> bool {
        self.base != self.data
    }
    pub fn contains(&self, a: u32) -> bool {
        a >= self.base && a < self.end()
    }
}

/// Where new segment records come from.
pub trait SegmentProvider {
    /// A new locked record of `record_size` bytes for segment `id`: (handle, data address).
    fn append(&mut self, id: u16, record_size: u32) -> Result<(GuestAddr, u32), u16>;
}

/// The base of a segment whose record data starts at `data`: the first 4-aligned address.
pub fn segment_base(data: u32) -> u32 {
    if data.is_multiple_of(4) {
        data
    } else {
        data + 2
    }
}

/// Writes a fresh segment header (empty segment) and the bump marker when bumped.
pub fn init_segment(id: u16, data: u32, size: u32) -> Segment {
    let base = segment_base(data);
    if base != data {
        w16(data, crate::codes::BUMP_MARKER);
    }
    w32(base + sh::MAGIC, crate::codes::SEGMENT_MAGIC);
    w16(base + sh::RECORD_ID, id);
    w16(base + sh::FLAGS, if base != data { layout::segment_flags::BUMPED } else { 0 });
    w32(base + sh::SEGMENT_SIZE, size);
    w32(base + sh::ADDRESS, base);
    w32(base + sh::TOP, base + sh::SIZE);
    w32(base + sh::NEXT, 0);
    w32(base + sh::LIVE_BYTES, 0);
    w32(base + sh::RESERVED, 0);
    Segment { id, handle: GuestAddr(0), data, base, size }
}

/// The collector's module variables (saved in the header's GC block at suspension).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GcStats {
    pub collections: u32,
    pub bytes_reclaimed: u32,
    pub segments_appended: u32,
    pub last_live_bytes: u32,
}

/// The heap of one store.
pub struct Heap {
    /// The locked header's data address.
    pub header: u32,
    /// Segments in record-ID order.
    pub segments: Vec<Segment>,
    pub provider: Box<dyn SegmentProvider>,
    // Allocator module variables.
    pub next_object_id: u32,
    pub cursor: u32,
    pub bytes_allocated: u32,
    pub objects_allocated: u32,
    pub gc: GcStats,
    /// Workload options (gc stress, verify).
    pub options: u32,
    /// Set while the class table is being built (verification would see half-made classes).
    pub bootstrapping: bool,
}

impl Heap {
    /// Address of global `i` in the header.
    pub fn global_addr(&self, i: u32) -> u32 {
        self.header + hdr::GLOBALS + 4 * i
    }
    pub fn global(&self, i: u32) -> u32 {
        r32(self.global_addr(i))
    }
    pub fn set_global(&self, i: u32, v: u32) {
        w32(self.global_addr(i), v)
    }
    /// Address of root `i` in the header.
    pub fn root_addr(&self, i: u32) -> u32 {
        self.header + hdr::ROOTS + 4 * i
    }
    pub fn root(&self, i: u32) -> u32 {
        r32(self.root_addr(i))
    }
    pub fn set_root(&self, i: u32, v: u32) {
        w32(self.root_addr(i), v)
    }
    /// Addresses of every pointer the header holds into the heap (globals and roots).
    pub fn header_pointer_slots(&self) -> impl Iterator<Item = u32> + '_ {
        (0..layout::GLOBAL_COUNT).map(|i| self.global_addr(i)).chain((0..layout::ROOT_COUNT).map(|i| self.root_addr(i)))
    }
    pub fn max_segments(&self) -> u32 {
        r16(self.header + hdr::MAX_SEGMENTS) as u32
    }
    pub fn default_segment_size(&self) -> u32 {
        r32(self.header + hdr::DEFAULT_SEGMENT_SIZE)
    }
    /// Total segment bytes.
    pub fn total_bytes(&self) -> u32 {
        self.segments.iter().map(|s| s.size).sum()
    }
    /// Free bytes over all segments.
    pub fn free_bytes(&self) -> u32 {
        self.segments.iter().map(|s| s.free()).sum()
    }
    /// The segment holding address `a`.
    pub fn segment_of(&self, a: u32) -> Option<&Segment> {
        self.segments.iter().find(|s| s.contains(a))
    }
    /// The largest object a new segment can hold.
    pub fn max_object_size() -> u32 {
        layout::MAX_SEGMENT_SIZE - sh::SIZE
    }

    /// Room for `size` bytes (a multiple of 4): the address of the first byte. Collects and
    /// appends segments as needed; the returned space is uninitialised.
    pub fn alloc_space(&mut self, size: u32) -> Result<u32, VmError> {
        debug_assert!(size.is_multiple_of(4) && size >= oh::SIZE);
        if size > Self::max_object_size() {
            return Err(VmError::OutOfMemory { requested: size });
        }
        if self.options & layout::workload_options::GC_STRESS != 0 && !self.bootstrapping {
            crate::gc::collect(self)?;
        }
        if let Some(a) = self.bump(size) {
            return Ok(a);
        }
        crate::gc::collect(self)?;
        let total = self.total_bytes();
        let tight = self.free_bytes() < total / 4;
        if let Some(a) = self.bump(size) {
            if tight {
                // Keep a quarter of the heap free so collections do not come back-to-back;
                // failing to grow here is not an error (the request was satisfied).
                let _ = self.append_segment(self.default_segment_size());
            }
            return Ok(a);
        }
        let want = self.default_segment_size().max(size + sh::SIZE);
        self.append_segment(want).map_err(|_| VmError::OutOfMemory { requested: size })?;
        self.bump(size).ok_or(VmError::OutOfMemory { requested: size })
    }

    /// Bump allocation in the first segment with room, starting at the cursor.
    fn bump(&mut self, size: u32) -> Option<u32> {
        let n = self.segments.len() as u32;
        for k in 0..n {
            let i = (self.cursor + k) % n;
            let s = self.segments[i as usize];
            let top = s.top();
            if s.end() - top >= size {
                s.set_top(top + size);
                self.cursor = i;
                self.bytes_allocated = self.bytes_allocated.wrapping_add(size);
                return Some(top);
            }
        }
        None
    }

    /// Appends segment N+1 of `size` bytes (rounded up to 4, within the limits).
    pub fn append_segment(&mut self, size: u32) -> Result<(), u16> {
        let size = layout::round4(size).clamp(layout::MIN_SEGMENT_SIZE, layout::MAX_SEGMENT_SIZE);
        let n = self.segments.len() as u32;
        if n >= self.max_segments().min(layout::SEGMENT_CAPACITY) {
            return Err(palm_abi::errors::DM_ERR_MEM_ERROR);
        }
        let id = n as u16 + 1;
        let (handle, data) = self.provider.append(id, size + layout::BUMP_BYTES)?;
        let mut seg = init_segment(id, data, size);
        seg.handle = handle;
        if let Some(prev) = self.segments.last() {
            w32(prev.base + sh::NEXT, seg.base);
        }
        w32(self.header + hdr::SEGMENT_TABLE + 4 * n, seg.base);
        w16(self.header + hdr::LAST_RECORD_ID, id);
        self.segments.push(seg);
        if n > 0 {
            self.gc.segments_appended += 1;
        }
        Ok(())
    }

    /// Writes an object header at `a`.
    pub fn init_object(&mut self, a: u32, k: u32, class: u32, size: u32) {
        w32(a + oh::INFO, info::new(k, size));
        w32(a + oh::CLASS, class);
        w32(a + oh::ID, self.next_object_id);
        self.next_object_id = self.next_object_id.wrapping_add(1);
        self.objects_allocated = self.objects_allocated.wrapping_add(1);
    }

    /// The class descriptor of well-known class `index` (`crate::heap::class`).
    pub fn class(&self, index: u32) -> u32 {
        let table = self.global(layout::global::CLASS_TABLE);
        r32(array_elem(table, index))
    }

    /// A new object of well-known class `class_index`: `size` bytes, body zeroed.
    pub fn new_object(&mut self, k: u32, class_index: u32, size: u32) -> Result<u32, VmError> {
        let a = self.alloc_space(size)?;
        let class = self.class(class_index);
        self.init_object(a, k, class, size);
        guest_memset(GuestAddr(a + oh::SIZE), 0, size - oh::SIZE);
        Ok(a)
    }

    /// A new instance of `class_index` (fields zero).
    pub fn new_instance(&mut self, class_index: u32) -> Result<u32, VmError> {
        let class = self.class(class_index);
        let size = r32(class + cd::INSTANCE_SIZE);
        self.new_object(kind::INSTANCE, class_index, size)
    }

    /// A new `Object[]` of `len` null elements.
    pub fn new_ref_array(&mut self, len: u32) -> Result<u32, VmError> {
        let a = self.new_object(kind::REF_ARRAY, class::OBJECT_ARRAY, layout::ref_array_size(len))?;
        w32(a + layout::array::LENGTH, len);
        Ok(a)
    }

    /// A new primitive array of class `class_index` (`[C`, `[B` or `[I`), zeroed.
    pub fn new_prim_array(&mut self, class_index: u32, len: u32) -> Result<u32, VmError> {
        let elem = r8(self.class(class_index) + cd::ELEMENT_SIZE) as u32;
        let a = self.new_object(kind::PRIM_ARRAY, class_index, layout::prim_array_size(len, elem))?;
        w32(a + layout::array::LENGTH, len);
        Ok(a)
    }

    /// A new `String` with the given (Latin-1) characters: the instance and its `char[]` come
    /// from one allocation, so no collection can happen between them.
    pub fn new_string(&mut self, text: &[u8]) -> Result<u32, VmError> {
        let len = text.len() as u32;
        let s_size = layout::instance_size(3);
        let c_size = layout::prim_array_size(len, 2);
        let a = self.alloc_space(s_size + c_size)?;
        let chars = a + s_size;
        let (sc, cc) = (self.class(class::STRING), self.class(class::CHAR_ARRAY));
        self.init_object(a, kind::INSTANCE, sc, s_size);
        self.init_object(chars, kind::PRIM_ARRAY, cc, c_size);
        w32(chars + layout::array::LENGTH, len);
        let mut hash: u32 = 0;
        for (i, &ch) in text.iter().enumerate() {
            w16(array_elem(chars, 0) + 2 * i as u32, ch as u16);
            hash = hash.wrapping_mul(31).wrapping_add(ch as u32);
        }
        if len % 2 == 1 {
            w16(array_elem(chars, 0) + 2 * len, 0);
        }
        set_field(a, layout::string_fields::VALUE, chars);
        set_field(a, layout::string_fields::COUNT, len);
        set_field(a, layout::string_fields::HASH, hash);
        Ok(a)
    }
}

/// Well-known classes: indices into the CLASS_TABLE global (`docs/store-format.md`, section 8).
pub mod class {
    pub const CLASS: u32 = 0;
    pub const OBJECT: u32 = 1;
    pub const STRING: u32 = 2;
    pub const CHAR_ARRAY: u32 = 3;
    pub const BYTE_ARRAY: u32 = 4;
    pub const INT_ARRAY: u32 = 5;
    pub const OBJECT_ARRAY: u32 = 6;
    pub const THREAD: u32 = 7;
    pub const FRAME: u32 = 8;
    pub const NODE: u32 = 9;
    pub const PAIR: u32 = 10;
    pub const BOX: u32 = 11;
    pub const WIDE: u32 = 12;
    pub const COUNT: u32 = 13;

    use crate::layout::kind;

    /// One well-known class: name, instance kind, element size, field count, reference fields.
    pub struct ClassSpec {
        pub name: &'static str,
        pub kind: u32,
        pub element_size: u8,
        pub fields: u16,
        pub refs: &'static [u16],
    }

    pub const SPECS: [ClassSpec; COUNT as usize] = [
        ClassSpec { name: "Class", kind: kind::CLASS, element_size: 0, fields: 0, refs: &[] },
        ClassSpec { name: "java/lang/Object", kind: kind::INSTANCE, element_size: 0, fields: 0, refs: &[] },
        ClassSpec { name: "java/lang/String", kind: kind::INSTANCE, element_size: 0, fields: 3, refs: &[0] },
        ClassSpec { name: "[C", kind: kind::PRIM_ARRAY, element_size: 2, fields: 0, refs: &[] },
        ClassSpec { name: "[B", kind: kind::PRIM_ARRAY, element_size: 1, fields: 0, refs: &[] },
        ClassSpec { name: "[I", kind: kind::PRIM_ARRAY, element_size: 4, fields: 0, refs: &[] },
        ClassSpec { name: "[Ljava/lang/Object;", kind: kind::REF_ARRAY, element_size: 0, fields: 0, refs: &[] },
        ClassSpec { name: "java/lang/Thread", kind: kind::THREAD, element_size: 0, fields: 0, refs: &[] },
        ClassSpec { name: "Frame", kind: kind::FRAME, element_size: 0, fields: 0, refs: &[] },
        ClassSpec { name: "Node", kind: kind::INSTANCE, element_size: 0, fields: 5, refs: &[0, 1, 2, 4] },
        ClassSpec { name: "Pair", kind: kind::INSTANCE, element_size: 0, fields: 3, refs: &[0, 2] },
        ClassSpec { name: "Box", kind: kind::INSTANCE, element_size: 0, fields: 7, refs: &[2, 6] },
        ClassSpec { name: "Wide", kind: kind::INSTANCE, element_size: 0, fields: 40, refs: &[0, 31, 32, 39] },
    ];

    /// Fields of `Node`.
    pub mod node {
        pub const NEXT: u32 = 0;
        pub const LEFT: u32 = 1;
        pub const RIGHT: u32 = 2;
        pub const VALUE: u32 = 3;
        pub const LABEL: u32 = 4;
    }
    /// Fields of `Pair`.
    pub mod pair {
        pub const FIRST: u32 = 0;
        pub const COUNT: u32 = 1;
        pub const SECOND: u32 = 2;
    }
}

/// Builds the class table and the well-known classes in a fresh heap (store creation). Every
/// object is reachable from the CLASS_TABLE global as soon as it exists.
pub fn bootstrap_classes(heap: &mut Heap) -> Result<(), VmError> {
    heap.bootstrapping = true;
    let table_size = layout::ref_array_size(class::COUNT);
    let table = heap.alloc_space(table_size)?;
    heap.init_object(table, kind::REF_ARRAY, 0, table_size);
    w32(table + layout::array::LENGTH, class::COUNT);
    for i in 0..class::COUNT {
        w32(array_elem(table, i), 0);
    }
    heap.set_global(layout::global::CLASS_TABLE, table);
    for (i, spec) in class::SPECS.iter().enumerate() {
        let fields = spec.fields as u32;
        let size = layout::class_descriptor_size(fields);
        let c = heap.alloc_space(size)?;
        let meta = if i == 0 { c } else { heap.class(class::CLASS) };
        heap.init_object(c, kind::CLASS, meta, size);
        w32(c + cd::NAME, 0);
        w32(c + cd::SUPER, 0);
        w8(c + cd::INSTANCE_KIND, spec.kind as u8);
        w8(c + cd::ELEMENT_SIZE, spec.element_size);
        w16(c + cd::FIELD_COUNT, spec.fields);
        w32(c + cd::INSTANCE_SIZE, if spec.kind == kind::INSTANCE { layout::instance_size(fields) } else { 0 });
        for wd in 0..layout::ref_map_words(fields) {
            let mut bits = 0u32;
            for &r in spec.refs {
                if r as u32 / 32 == wd {
                    bits |= 1 << (r % 32);
                }
            }
            w32(c + cd::REF_MAP + 4 * wd, bits);
        }
        let table = heap.global(layout::global::CLASS_TABLE);
        w32(array_elem(table, i as u32), c);
    }
    // The table's own class exists now.
    let table = heap.global(layout::global::CLASS_TABLE);
    w32(table + oh::CLASS, heap.class(class::OBJECT_ARRAY));
    // Superclasses and names.
    for (i, spec) in class::SPECS.iter().enumerate() {
        let name = heap.new_string(spec.name.as_bytes())?;
        let c = heap.class(i as u32);
        w32(c + cd::NAME, name);
        if spec.kind == kind::INSTANCE && i as u32 != class::OBJECT {
            w32(c + cd::SUPER, heap.class(class::OBJECT));
        }
    }
    heap.bootstrapping = false;
    Ok(())
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A heap in plain memory (FlatHost), with segments from a bump area that alternates
    //! between 4-aligned and 2-mod-4 records.
    use super::*;
    use guest_sdk::native::FlatHost;

    pub const RAM_BASE: u32 = 0x0100_0000;
    pub const RAM_SIZE: u32 = 8 << 20;

    pub struct FlatSegments {
        pub next: u32,
        pub limit: u32,
    }

    impl SegmentProvider for FlatSegments {
        fn append(&mut self, _id: u16, record_size: u32) -> Result<(GuestAddr, u32), u16> {
            // Alternate alignments: records start at 0 or 2 mod 4.
            let data = self.next;
            if data + record_size > self.limit {
                return Err(palm_abi::errors::DM_ERR_MEM_ERROR);
            }
            self.next = (data + record_size + 64 + 1) & !1;
            if (self.next / 2) % 2 == (data / 2) % 2 {
                self.next += 2;
            }
            Ok((GuestAddr(0), data))
        }
    }

    pub fn host() -> FlatHost {
        FlatHost::new(RAM_BASE, RAM_SIZE)
    }

    /// A heap with its header at the start of RAM and one segment of `seg_size` bytes.
    pub fn heap(seg_size: u32, max_segments: u16, options: u32) -> Heap {
        let header = RAM_BASE;
        guest_memset(GuestAddr(header), 0, hdr::SIZE);
        w16(header + hdr::MAX_SEGMENTS, max_segments);
        w32(header + hdr::DEFAULT_SEGMENT_SIZE, seg_size);
        let provider = FlatSegments { next: RAM_BASE + 0x1002, limit: RAM_BASE + RAM_SIZE - 0x10000 };
        let mut h = Heap {
            header,
            segments: Vec::new(),
            provider: Box::new(provider),
            next_object_id: 1,
            cursor: 0,
            bytes_allocated: 0,
            objects_allocated: 0,
            gc: GcStats::default(),
            options,
            bootstrapping: false,
        };
        h.append_segment(seg_size).unwrap();
        bootstrap_classes(&mut h).unwrap();
        h
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use guest_sdk::native::with_host;

    #[test]
    fn bootstrap_makes_named_classes_and_bumped_segments_are_aligned() {
        let mut host = host();
        with_host(&mut host, || {
            let mut h = heap(4096, 8, 0);
            let s = h.segments[0];
            assert!(s.bumped() && s.base.is_multiple_of(4));
            assert_eq!(r16(s.data), crate::codes::BUMP_MARKER);
            for i in 0..class::COUNT {
                let c = h.class(i);
                assert_eq!(obj_kind(c), kind::CLASS);
                assert_eq!(obj_class(c), h.class(class::CLASS));
                let name = r32(c + cd::NAME);
                assert_eq!(get_field(name, layout::string_fields::COUNT) as usize, class::SPECS[i as usize].name.len());
            }
            // A second segment has the other alignment.
            h.append_segment(2048).unwrap();
            assert!(!h.segments[1].bumped());
            assert_eq!(r32(h.segments[0].base + sh::NEXT), h.segments[1].base);
        });
    }
}
