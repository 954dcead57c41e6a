//! Guest-visible byte layouts of the Memory Manager's heaps: the heap header, master pointer
//! tables and chunk headers, plus the LocalID convention. Guest code may read these (a handle
//! is the address of a master pointer, so `*(void **)h` is the chunk's data), and the host
//! Memory Manager (`palm-shim/src/managers/memory_mgr`) writes them; this module is the one
//! definition of each. The layouts follow PalmOS 3.5/4's "version 4" heaps; every
//! multi-byte field is big-endian. `docs/memory-manager.md` draws them byte by byte.
//!
//! ```text
//! heap base ┌──────────────────────────────┐
//!      +0   │ HeapHeader (16 bytes)        │ flags, size, first free chunk,
//!           │   embeds the first           │ first master pointer table header
//!           │   MasterPointerTableHeader   │
//!     +16   │ master pointer entries       │ 4 bytes each (entry 0 = free-entry list head)
//!           ├──────────────────────────────┤ first chunk
//!           │ ChunkHeader (8) │ data ...   │ chunks, 2-byte aligned, back to back
//!           │ ...                          │ (free, movable, non-movable)
//! size - 4  │ terminator: u32 0            │
//!           └──────────────────────────────┘
//! ```

/// The heap header at the start of every heap (PalmOS `MemHeapHeaderType`, version 4).
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | `flags` ([`HEAP_FLAG_VERS4`], [`HEAP_FLAG_READ_ONLY`]) |
/// | 2 | 4 | `size`: bytes in the heap, header and terminator included |
/// | 6 | 4 | `first_free_chunk`: (first free chunk - heap base) / 2; points at the terminator when there is no free chunk |
/// | 10 | 6 | the first [`MasterPointerTableHeader`] (its entries follow at offset 16) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeapHeader {
    pub flags: u16,
    pub size: u32,
    /// Offset from the heap base to the first free chunk, in 2-byte units.
    pub first_free_chunk: u32,
    pub first_table: MasterPointerTableHeader,
}

impl HeapHeader {
    pub const FLAGS: u32 = 0;
    pub const SIZE: u32 = 2;
    pub const FIRST_FREE_CHUNK: u32 = 6;
    /// Offset of the embedded first master pointer table header.
    pub const FIRST_TABLE: u32 = 10;
    /// Bytes in the header; the first table's entries start here.
    pub const LEN: u32 = Self::FIRST_TABLE + MasterPointerTableHeader::LEN;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        b[0..2].copy_from_slice(&self.flags.to_be_bytes());
        b[2..6].copy_from_slice(&self.size.to_be_bytes());
        b[6..10].copy_from_slice(&self.first_free_chunk.to_be_bytes());
        b[10..16].copy_from_slice(&self.first_table.encode());
        b
    }

    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        let mut t = [0u8; MasterPointerTableHeader::LEN as usize];
        t.copy_from_slice(&b[10..16]);
        Self {
            flags: u16::from_be_bytes([b[0], b[1]]),
            size: u32::from_be_bytes([b[2], b[3], b[4], b[5]]),
            first_free_chunk: u32::from_be_bytes([b[6], b[7], b[8], b[9]]),
            first_table: MasterPointerTableHeader::decode(&t),
        }
    }
}

/// `memHeapFlagReadOnly`: a ROM heap (never set on the heaps this project creates).
pub const HEAP_FLAG_READ_ONLY: u16 = 0x0001;
/// `memHeapFlagVers4`: chunk headers of 8 bytes, a sorted free-chunk list and free lists of
/// master pointer entries. Set on every heap the Memory Manager formats.
pub const HEAP_FLAG_VERS4: u16 = 0x2000;

/// The heap terminator: a 4-byte zero (a chunk "size" of 0) in the last 4 bytes of the heap.
pub const HEAP_TERMINATOR_LEN: u32 = 4;

/// Header of a master pointer table (PalmOS `MemMstrPtrTableType`). The first table is
/// embedded in the [`HeapHeader`]; further tables are the data of non-movable chunks owned by
/// [`OWNER_MASTER_POINTER_TABLE`], chained through `next_table`.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | `num_entries` |
/// | 2 | 4 | `next_table`: offset from the heap base to the next table header, 0 = last |
/// | 6 | 4 × `num_entries` | entries (see [`master_pointer`]) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MasterPointerTableHeader {
    pub num_entries: u16,
    pub next_table: u32,
}

impl MasterPointerTableHeader {
    pub const NUM_ENTRIES: u32 = 0;
    pub const NEXT_TABLE: u32 = 2;
    /// Bytes before the first entry.
    pub const LEN: u32 = 6;

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let mut b = [0u8; Self::LEN as usize];
        b[0..2].copy_from_slice(&self.num_entries.to_be_bytes());
        b[2..6].copy_from_slice(&self.next_table.to_be_bytes());
        b
    }

    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        Self {
            num_entries: u16::from_be_bytes([b[0], b[1]]),
            next_table: u32::from_be_bytes([b[2], b[3], b[4], b[5]]),
        }
    }
}

/// Master pointer entries (4 bytes each). A handle is the guest address of an entry `i >= 1`.
///
/// - Entry `i >= 1` in use: the data address of its chunk (even, nonzero).
/// - Entry `i >= 1` free: `(byte offset from entry 0 to the next free entry) | FREE_ENTRY`;
///   the last free entry holds `0 | FREE_ENTRY`.
/// - Entry 0 is never a handle: `(byte offset from entry 0 to the first free entry) |
///   FIRST_ENTRY`, offset 0 when the table is full.
pub mod master_pointer {
    /// Bytes per entry.
    pub const ENTRY_LEN: u32 = 4;
    /// Marks a free entry (chunk data is 2-byte aligned, so a live entry is even).
    pub const FREE_ENTRY: u32 = 0x0000_0001;
    /// Marks entry 0, the head of the table's free-entry list.
    pub const FIRST_ENTRY: u32 = 0x8000_0001;
}

/// The 8-byte header before every chunk's data (PalmOS `MemChunkHeaderType`, version 2
/// chunks, big-endian bit fields).
///
/// ```text
/// byte 0          byte 1..3               byte 4           byte 5..7
/// F M 0 0 adj(4)  size (24 bits)          lock(4) owner(4) hOffset (24 bits, signed)
/// ```
/// - `F` free, `M` moved (scratch bit, always 0 at rest), two unused bits (0).
/// - `size_adj`: actual size - 8 - requested size (0..=15).
/// - `size`: the actual chunk size, header included (even, >= 8).
/// - `lock_count`: 0..=15; 15 ([`PTR_LOCK_COUNT`]) on non-movable chunks.
/// - `owner`: 0..=15.
/// - `h_offset`: movable chunk: (chunk header address - master pointer address) / 2;
///   non-movable chunk: 0; free chunk: (next free chunk - this chunk) / 2, the last free
///   chunk pointing at the heap terminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChunkHeader {
    pub free: bool,
    pub moved: bool,
    /// The two unused flag bits (must be 0; kept so a check can see them).
    pub unused: u8,
    pub size_adj: u8,
    pub size: u32,
    pub lock_count: u8,
    pub owner: u8,
    pub h_offset: i32,
}

impl ChunkHeader {
    pub const LEN: u32 = 8;
    /// Largest `size` the 24-bit field holds (sizes are even).
    pub const MAX_SIZE: u32 = 0x00FF_FFFE;
    /// Range of the signed 24-bit `h_offset` field.
    pub const H_OFFSET_MIN: i32 = -0x0080_0000;
    pub const H_OFFSET_MAX: i32 = 0x007F_FFFF;
    /// Largest `size_adj`.
    pub const MAX_SIZE_ADJ: u8 = 15;

    /// The header of a free chunk of `size` bytes whose free-list link is `link` (2-byte units).
    pub const fn free_chunk(size: u32, link: i32) -> Self {
        Self { free: true, moved: false, unused: 0, size_adj: 0, size, lock_count: 0, owner: 0, h_offset: link }
    }

    /// The requested size of an allocated chunk (`size - 8 - size_adj`), saturating at 0.
    pub const fn data_size(&self) -> u32 {
        self.size.saturating_sub(Self::LEN + self.size_adj as u32)
    }

    pub fn encode(&self) -> [u8; Self::LEN as usize] {
        let w0 = (self.free as u32) << 31
            | (self.moved as u32) << 30
            | ((self.unused & 3) as u32) << 28
            | ((self.size_adj & 0xF) as u32) << 24
            | (self.size & 0x00FF_FFFF);
        let w1 = ((self.lock_count & 0xF) as u32) << 28
            | ((self.owner & 0xF) as u32) << 24
            | (self.h_offset as u32 & 0x00FF_FFFF);
        let mut b = [0u8; Self::LEN as usize];
        b[0..4].copy_from_slice(&w0.to_be_bytes());
        b[4..8].copy_from_slice(&w1.to_be_bytes());
        b
    }

    pub fn decode(b: &[u8; Self::LEN as usize]) -> Self {
        let w0 = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        let w1 = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
        Self {
            free: w0 & 0x8000_0000 != 0,
            moved: w0 & 0x4000_0000 != 0,
            unused: ((w0 >> 28) & 3) as u8,
            size_adj: ((w0 >> 24) & 0xF) as u8,
            size: w0 & 0x00FF_FFFF,
            lock_count: (w1 >> 28) as u8,
            owner: ((w1 >> 24) & 0xF) as u8,
            // Sign-extend the 24-bit field.
            h_offset: ((w1 << 8) as i32) >> 8,
        }
    }
}

/// `memPtrLockCount`: the lock count a non-movable chunk carries.
pub const PTR_LOCK_COUNT: u8 = 15;
/// The largest lock count a movable chunk may reach in this implementation (PalmOS stops
/// at 14; see `docs/memory-manager.md`).
pub const MAX_HANDLE_LOCK_COUNT: u8 = 15;
/// `memOwnerMasterPtrTbl`: the owner ID of chunks holding master pointer tables.
pub const OWNER_MASTER_POINTER_TABLE: u8 = 15;
/// Largest owner ID (4 bits).
pub const MAX_OWNER: u8 = 15;

/// LocalIDs. Card 0's base is guest address 0, so the LocalID of a non-movable chunk is its
/// data address and the LocalID of a movable chunk is its handle (master pointer address)
/// with bit 0 set. 0 is never a valid LocalID.
pub mod local_id {
    /// Set in the LocalID of a handle.
    pub const HANDLE_BIT: u32 = 1;
    /// `memIDPtr`, a `LocalIDKind` value.
    pub const KIND_PTR: u8 = 0;
    /// `memIDHandle`, a `LocalIDKind` value.
    pub const KIND_HANDLE: u8 = 1;
    /// Guest address of card 0's base.
    pub const CARD0_BASE: u32 = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_header_bit_positions() {
        let h = ChunkHeader {
            free: true,
            moved: false,
            unused: 0,
            size_adj: 0xA,
            size: 0x12_3456,
            lock_count: 0xC,
            owner: 0x3,
            h_offset: 0x0A_BCDE,
        };
        assert_eq!(h.encode(), [0x8A, 0x12, 0x34, 0x56, 0xC3, 0x0A, 0xBC, 0xDE]);
        assert_eq!(ChunkHeader::decode(&h.encode()), h);
        let moved = ChunkHeader { moved: true, unused: 3, ..Default::default() };
        assert_eq!(moved.encode()[0], 0x70);
        assert_eq!(ChunkHeader::decode(&moved.encode()), moved);
    }

    #[test]
    fn negative_h_offset_sign_extends() {
        for off in [-1, -2, ChunkHeader::H_OFFSET_MIN, ChunkHeader::H_OFFSET_MAX, 0, 1] {
            let h = ChunkHeader { size: 16, lock_count: 1, owner: 2, h_offset: off, ..Default::default() };
            let b = h.encode();
            assert_eq!(ChunkHeader::decode(&b).h_offset, off, "{off}");
            assert_eq!(b[4], 0x12);
        }
        let h = ChunkHeader { h_offset: -1, ..Default::default() };
        assert_eq!(&h.encode()[5..8], &[0xFF, 0xFF, 0xFF]);
    }

    #[test]
    fn data_size_and_free_chunk() {
        let h = ChunkHeader { size: 24, size_adj: 3, ..Default::default() };
        assert_eq!(h.data_size(), 13);
        let f = ChunkHeader::free_chunk(0x100, 0x80);
        assert_eq!(f.encode(), [0x80, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80]);
    }

    #[test]
    fn heap_header_layout() {
        let h = HeapHeader {
            flags: HEAP_FLAG_VERS4,
            size: 0x0030_0000,
            first_free_chunk: 0x0000_0408,
            first_table: MasterPointerTableHeader { num_entries: 0x100, next_table: 0x0012_3456 },
        };
        let b = h.encode();
        assert_eq!(b.len() as u32, HeapHeader::LEN);
        assert_eq!(HeapHeader::LEN, 16);
        assert_eq!(&b[0..2], &[0x20, 0x00]);
        assert_eq!(&b[2..6], &[0x00, 0x30, 0x00, 0x00]);
        assert_eq!(&b[6..10], &[0x00, 0x00, 0x04, 0x08]);
        assert_eq!(&b[10..12], &[0x01, 0x00]);
        assert_eq!(&b[12..16], &[0x00, 0x12, 0x34, 0x56]);
        assert_eq!(HeapHeader::decode(&b), h);
        let t = MasterPointerTableHeader { num_entries: 7, next_table: 9 };
        assert_eq!(MasterPointerTableHeader::decode(&t.encode()), t);
    }
}
