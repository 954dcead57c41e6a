//! Every byte layout of the store, defined once (`docs/store-format.md`, sections 4-9). The
//! [`layout!`] macro derives each field's offset from the previous field's offset and size, so
//! a layout is a list of (name, size) and nothing else; each module also gets `SIZE` (the
//! fixed part's length) and `FIELD_LIST` (name, offset, size), which a test compares with the
//! tables of the format document.

/// Declares a structure layout: `layout! { pub mod name { FIELD: size; ... } }` gives
/// `name::FIELD` (its offset), `name::SIZE` and `name::FIELD_LIST`.
macro_rules! layout {
    ($(#[$m:meta])* pub mod $name:ident { $($(#[$fm:meta])* $field:ident : $size:expr;)* }) => {
        $(#[$m])*
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;
            layout!(@offsets 0u32; $($(#[$fm])* $field : $size;)*);
            /// Every field as (name, offset, size), in order.
            pub const FIELD_LIST: &[(&str, u32, u32)] = &[$((stringify!($field), $field, $size)),*];
        }
    };
    (@offsets $off:expr; ) => {
        /// Bytes of the structure (its fixed part).
        pub const SIZE: u32 = $off;
    };
    (@offsets $off:expr; $(#[$fm:meta])* $field:ident : $size:expr; $($rest:tt)*) => {
        $(#[$fm])*
        pub const $field: u32 = $off;
        layout!(@offsets $field + $size; $($rest)*);
    };
}

/// Entries of the header's segment table (and the most segments a store can have).
pub const SEGMENT_CAPACITY: u32 = 64;
/// Number of global pointers in the header.
pub const GLOBAL_COUNT: u32 = 8;
/// Number of root pointers in the header.
pub const ROOT_COUNT: u32 = 16;
/// The largest segment: offsets / 4 must fit the 16-bit halves of a compaction break-table
/// entry.
pub const MAX_SEGMENT_SIZE: u32 = 0x3FFFC;
/// The smallest segment.
pub const MIN_SEGMENT_SIZE: u32 = 1024;
/// Extra bytes requested for every segment record (the bump).
pub const BUMP_BYTES: u32 = 2;
/// Format version written by this code (`docs/store-format.md`, section 16).
pub const FORMAT_VERSION: u16 = 1;

layout! {
    /// The `'STOR'` resource (section 4).
    pub mod store_header {
        MAGIC: 4;
        VERSION: 2;
        HEADER_SIZE: 2;
        STATE: 2;
        FLAGS: 2;
        LAST_RECORD_ID: 2;
        SEGMENT_CAPACITY: 2;
        DEFAULT_SEGMENT_SIZE: 4;
        MAX_SEGMENTS: 2;
        RESERVED0: 2;
        SUSPEND_COUNT: 4;
        RESUME_COUNT: 4;
        ALLOCATOR: allocator_state::SIZE;
        GC: gc_state::SIZE;
        SCHEDULER: scheduler_state::SIZE;
        WORKLOAD: workload_state::SIZE;
        EXTERNALS: externals_state::SIZE;
        GLOBALS: 4 * GLOBAL_COUNT;
        ROOTS: 4 * ROOT_COUNT;
        SEGMENT_TABLE: 4 * super::SEGMENT_CAPACITY;
    }
}

/// `StoreHeader.STATE` values.
pub mod store_state {
    /// Running or resuming: not safe to resume.
    pub const RUNNING: u16 = 1;
    /// Suspended cleanly.
    pub const SUSPENDED: u16 = 2;
}

layout! {
    /// Module state of the allocator (header block ALLOCATOR).
    pub mod allocator_state {
        NEXT_OBJECT_ID: 4;
        CURSOR: 4;
        BYTES_ALLOCATED: 4;
        OBJECTS_ALLOCATED: 4;
    }
}

layout! {
    /// Module state of the garbage collector (header block GC).
    pub mod gc_state {
        COLLECTIONS: 4;
        BYTES_RECLAIMED: 4;
        SEGMENTS_APPENDED: 4;
        LAST_LIVE_BYTES: 4;
    }
}

layout! {
    /// Module state of the scheduler (header block SCHEDULER).
    pub mod scheduler_state {
        STEPS: 4;
        QUANTUM_LEFT: 4;
        THREADS_STARTED: 4;
        THREADS_ENDED: 4;
    }
}

layout! {
    /// Module state of the workload (header block WORKLOAD).
    pub mod workload_state {
        SEED: 4;
        OPTIONS: 4;
        MAIN_LIFE: 4;
        EXIT_AT: 4;
        OOM_EVENTS: 4;
        RESERVED: 4;
    }
}

/// `workload_state::OPTIONS` bits.
pub mod workload_options {
    /// Collect before every allocation (tests: objects move all the time).
    pub const GC_STRESS: u32 = 1 << 0;
    /// Verify the whole heap after every collection.
    pub const VERIFY: u32 = 1 << 1;
    /// The first OutOfMemoryError is not caught (it destroys the store).
    pub const OOM_FATAL: u32 = 1 << 2;
}

layout! {
    /// Module state of the external manager (header block EXTERNALS).
    pub mod externals_state {
        REGISTERED: 4;
        NEXT_SEQUENCE: 4;
        RESERVED: 8;
    }
}

/// Indices of the header's global pointers (`store_header::GLOBALS + 4 * index`).
pub mod global {
    pub const CLASS_TABLE: u32 = 0;
    pub const THREAD_LIST: u32 = 1;
    pub const CURRENT_THREAD: u32 = 2;
    pub const EXTERNAL_MANAGER: u32 = 3;
}

layout! {
    /// At the base of every segment (section 5).
    pub mod segment_header {
        MAGIC: 4;
        RECORD_ID: 2;
        FLAGS: 2;
        SEGMENT_SIZE: 4;
        ADDRESS: 4;
        TOP: 4;
        NEXT: 4;
        LIVE_BYTES: 4;
        RESERVED: 4;
    }
}

/// `segment_header::FLAGS` bits.
pub mod segment_flags {
    pub const BUMPED: u16 = 1;
}

layout! {
    /// The 12-byte header of every object (section 6).
    pub mod object_header {
        INFO: 4;
        CLASS: 4;
        ID: 4;
    }
}

/// The INFO word of an object header.
pub mod info {
    pub const MARK: u32 = 1 << 31;
    /// Bits that must be zero.
    pub const RESERVED_MASK: u32 = 0x7 << 28;
    pub const KIND_SHIFT: u32 = 24;
    pub const KIND_MASK: u32 = 0xF;
    pub const SIZE_MASK: u32 = 0x00FF_FFFF;

    /// An INFO word for an unmarked object.
    pub const fn new(kind: u32, size: u32) -> u32 {
        (kind << KIND_SHIFT) | size
    }
    pub const fn kind(info: u32) -> u32 {
        (info >> KIND_SHIFT) & KIND_MASK
    }
    pub const fn size(info: u32) -> u32 {
        info & SIZE_MASK
    }
}

/// Object kinds (INFO bits 27..24).
pub mod kind {
    pub const INSTANCE: u32 = 1;
    pub const REF_ARRAY: u32 = 2;
    pub const PRIM_ARRAY: u32 = 3;
    pub const CLASS: u32 = 4;
    pub const THREAD: u32 = 5;
    pub const FRAME: u32 = 6;

    pub const fn is_valid(k: u32) -> bool {
        k >= INSTANCE && k <= FRAME
    }
    pub const fn name(k: u32) -> &'static str {
        match k {
            INSTANCE => "instance",
            REF_ARRAY => "ref-array",
            PRIM_ARRAY => "prim-array",
            CLASS => "class",
            THREAD => "thread",
            FRAME => "frame",
            _ => "?",
        }
    }
}

layout! {
    /// A class instance: the header, then 4-byte fields (section 7).
    pub mod instance {
        HEADER: object_header::SIZE;
        FIELDS: 0;
    }
}

layout! {
    /// Reference and primitive arrays (section 7).
    pub mod array {
        HEADER: object_header::SIZE;
        LENGTH: 4;
        ELEMENTS: 0;
    }
}

/// Fields of `java/lang/String` instances (indices).
pub mod string_fields {
    pub const VALUE: u32 = 0;
    pub const COUNT: u32 = 1;
    pub const HASH: u32 = 2;
}

layout! {
    /// A class descriptor (section 8); REF_MAP has ceil(FIELD_COUNT / 32) words.
    pub mod class_descriptor {
        HEADER: object_header::SIZE;
        NAME: 4;
        SUPER: 4;
        INSTANCE_KIND: 1;
        ELEMENT_SIZE: 1;
        FIELD_COUNT: 2;
        INSTANCE_SIZE: 4;
        REF_MAP: 0;
    }
}

layout! {
    /// A thread (section 9).
    pub mod thread {
        HEADER: object_header::SIZE;
        NAME: 4;
        TOP_FRAME: 4;
        NEXT: 4;
        RESULT: 4;
        THREAD_ID: 4;
        STATE: 4;
        RNG: 4;
        STEPS: 4;
        RESERVED: 4;
    }
}

/// `thread::STATE` values.
pub mod thread_state {
    pub const RUNNABLE: u32 = 1;
    pub const ENDED: u32 = 2;
}

layout! {
    /// A frame (section 9): SLOT_COUNT 4-byte slots, then one tag byte per slot (padded to 4).
    pub mod frame {
        HEADER: object_header::SIZE;
        CALLER: 4;
        METHOD: 2;
        SLOT_COUNT: 2;
        PC: 4;
        SP: 2;
        LOCALS: 2;
        SLOTS: 0;
    }
}

/// Rounds up to a multiple of 4.
pub const fn round4(n: u32) -> u32 {
    (n + 3) & !3
}

/// Byte size of a frame with `slots` slots.
pub const fn frame_size(slots: u32) -> u32 {
    frame::SIZE + 4 * slots + round4(slots)
}

/// Byte size of a reference array of `len` elements.
pub const fn ref_array_size(len: u32) -> u32 {
    array::SIZE + 4 * len
}

/// Byte size of a primitive array of `len` elements of `elem` bytes.
pub const fn prim_array_size(len: u32, elem: u32) -> u32 {
    array::SIZE + round4(len * elem)
}

/// Words of a class descriptor's reference map for `fields` fields.
pub const fn ref_map_words(fields: u32) -> u32 {
    fields.div_ceil(32)
}

/// Byte size of a class descriptor for `fields` fields.
pub const fn class_descriptor_size(fields: u32) -> u32 {
    class_descriptor::SIZE + 4 * ref_map_words(fields)
}

/// Byte size of an instance with `fields` fields.
pub const fn instance_size(fields: u32) -> u32 {
    instance::SIZE + 4 * fields
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::String;
    use std::vec::Vec;

    #[test]
    fn sizes_are_what_the_document_says() {
        assert_eq!(store_header::SIZE, 472);
        assert_eq!(store_header::SEGMENT_TABLE, 216);
        assert_eq!(segment_header::SIZE, 32);
        assert_eq!(object_header::SIZE, 12);
        assert_eq!(thread::SIZE, 48);
        assert_eq!(frame::SIZE, 28);
        assert_eq!(class_descriptor::SIZE, 28);
        assert_eq!(frame_size(5), 28 + 20 + 8);
        assert_eq!(MAX_SEGMENT_SIZE / 4, 0xFFFF);
        assert_eq!(info::size(info::new(kind::FRAME, 0x3FFFC) | info::MARK), 0x3FFFC);
        assert_eq!(info::kind(info::new(kind::FRAME, 0x3FFFC) | info::MARK), kind::FRAME);
    }

    /// The rows `| offset | size | FIELD | ...` of the first table after `heading`.
    fn doc_table(doc: &str, heading: &str) -> Vec<(u32, Option<u32>, String)> {
        let start = doc.find(heading).unwrap_or_else(|| panic!("heading {heading:?} not in the document"));
        let mut rows = Vec::new();
        let mut in_table = false;
        for line in doc[start..].lines().skip(1) {
            let line = line.trim();
            if !line.starts_with('|') {
                if in_table {
                    break;
                }
                continue;
            }
            in_table = true;
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let Ok(off) = cells[0].parse::<u32>() else { continue };
            rows.push((off, cells[1].parse::<u32>().ok(), String::from(cells[2])));
        }
        rows
    }

    fn check(doc: &str, heading: &str, fields: &[(&str, u32, u32)]) {
        let rows = doc_table(doc, heading);
        assert_eq!(rows.len(), fields.len(), "{heading}: {rows:?}");
        for ((off, size, name), &(fname, foff, fsize)) in rows.iter().zip(fields) {
            assert_eq!((name.as_str(), *off), (fname, foff), "{heading}");
            if let Some(s) = size {
                assert_eq!(*s, fsize, "{heading}: size of {fname}");
            }
        }
    }

    #[test]
    fn doc_tables_match_the_code() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/store-format.md")).unwrap();
        check(&doc, "## 4. StoreHeader", store_header::FIELD_LIST);
        check(&doc, "SegmentHeader, at the segment base", segment_header::FIELD_LIST);
        check(&doc, "## 6. Object header", object_header::FIELD_LIST);
        check(&doc, "## 8. ClassDescriptor", class_descriptor::FIELD_LIST);
        check(&doc, "Thread (KIND THREAD", thread::FIELD_LIST);
        check(&doc, "Frame (KIND FRAME", frame::FIELD_LIST);
        check(&doc, "INSTANCE (`layout::instance`)", instance::FIELD_LIST);
        check(&doc, "REF_ARRAY (`layout::array`)", array::FIELD_LIST);
        // Module-state blocks: | block | offset | size | field |.
        let start = doc.find("Module state blocks").unwrap();
        let mut seen = 0;
        for line in doc[start..].lines().filter(|l| l.starts_with("| ")) {
            let c: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let Ok(off) = c[1].parse::<u32>() else { continue };
            let table = match c[0] {
                "ALLOCATOR" => allocator_state::FIELD_LIST,
                "GC" => gc_state::FIELD_LIST,
                "SCHEDULER" => scheduler_state::FIELD_LIST,
                "WORKLOAD" => workload_state::FIELD_LIST,
                "EXTERNALS" => externals_state::FIELD_LIST,
                _ => break,
            };
            let f = table.iter().find(|f| f.0 == c[3]).unwrap_or_else(|| panic!("{line}"));
            assert_eq!((f.1, f.2), (off, c[2].parse().unwrap()), "{line}");
            seen += 1;
        }
        let total: usize = [allocator_state::FIELD_LIST, gc_state::FIELD_LIST, scheduler_state::FIELD_LIST, workload_state::FIELD_LIST, externals_state::FIELD_LIST]
            .iter()
            .map(|f| f.len())
            .sum();
        assert_eq!(seen, total);
    }
}
