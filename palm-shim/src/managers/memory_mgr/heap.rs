//! One heap in guest memory ([`Heap`]): formatting, the master pointer tables, the sorted
//! free-chunk list, allocation of movable and non-movable chunks, locking, resizing and
//! freeing. The authoritative state is the byte layout of `palm_abi::mem_layout` in guest
//! memory, kept consistent after every call; the host keeps only a cache of where chunks
//! start (for O(log n) pointer validation) and of the table chain. Compaction lives in
//! `compact.rs`, relocation in `relocate.rs`, validation and re-attaching in `check.rs`.

use super::MemErr;
use crate::memory::{GuestMemory, MemError};
use palm_abi::mem_layout::{
    master_pointer::{ENTRY_LEN, FIRST_ENTRY, FREE_ENTRY},
    ChunkHeader, HeapHeader, MasterPointerTableHeader, HEAP_FLAG_VERS4, HEAP_TERMINATOR_LEN,
    MAX_HANDLE_LOCK_COUNT, MAX_OWNER, OWNER_MASTER_POINTER_TABLE, PTR_LOCK_COUNT,
};
use std::collections::{BTreeMap, BTreeSet};

/// A heap ID as PalmOS numbers them: card 0's heaps are 0 (dynamic) and 1 (storage).
pub type HeapId = u16;

/// Largest heap a [`Heap`] manages: chunk sizes and handle offsets are 24-bit fields.
pub const MAX_HEAP_SIZE: u32 = 0x0100_0000;
/// Largest data size of one chunk (requested bytes). Real heaps are smaller anyway.
pub const MAX_CHUNK_DATA: u32 = ChunkHeader::MAX_SIZE - ChunkHeader::LEN - ChunkHeader::MAX_SIZE_ADJ as u32 - 1;

/// The actual chunk size (header included) for `data_size` requested bytes, before any slack.
pub(crate) const fn actual_size_for(data_size: u32) -> u32 {
    ChunkHeader::LEN + ((data_size + 1) & !1)
}

/// The smallest free chunk: just a header.
pub(crate) const MIN_FREE: u32 = ChunkHeader::LEN;

/// What kind of allocated chunk this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// Reached through a handle (the guest address of its master pointer); may move while
    /// its lock count is 0.
    Movable { handle: u32 },
    /// Allocated as a pointer (`MemPtrNew`, master pointer tables); never moves.
    NonMovable,
}

/// A snapshot of one allocated chunk, for host code and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkInfo {
    pub heap: HeapId,
    /// Guest address of the chunk header.
    pub header: u32,
    /// Guest address of the data (`header + 8`); what `*handle` holds for movable chunks.
    pub data: u32,
    /// The requested size (`MemHandleSize`).
    pub data_size: u32,
    /// The whole chunk, header and slack included.
    pub actual_size: u32,
    pub kind: ChunkKind,
    /// 0..=15; always 15 for non-movable chunks.
    pub lock_count: u8,
    pub owner: u8,
}

impl ChunkInfo {
    pub fn handle(&self) -> Option<u32> {
        match self.kind {
            ChunkKind::Movable { handle } => Some(handle),
            ChunkKind::NonMovable => None,
        }
    }
    /// True if compaction or relocation may move the chunk now.
    pub fn can_move(&self) -> bool {
        matches!(self.kind, ChunkKind::Movable { .. }) && self.lock_count == 0
    }
}

/// Free space of a heap, as `MemHeapFreeBytes` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FreeBytes {
    /// Sum of the data capacities of all free chunks (each free chunk's size minus its header).
    pub total: u32,
    /// Data capacity of the largest free chunk: the largest allocation that succeeds without
    /// compacting.
    pub max: u32,
}

/// Host view of one master pointer table (the guest holds the authoritative copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MasterPointerTable {
    /// Guest address of the table's [`MasterPointerTableHeader`].
    pub header: u32,
    pub num_entries: u32,
    /// Header address of the non-movable chunk holding the table; `None` for the first
    /// table, which is embedded in the heap header.
    pub chunk: Option<u32>,
}

impl MasterPointerTable {
    /// Address of entry 0.
    pub fn entries(&self) -> u32 {
        self.header + MasterPointerTableHeader::LEN
    }
    /// True if `off` (bytes from entry 0) names an entry that can be a handle.
    pub fn valid_offset(&self, off: u32) -> bool {
        off.is_multiple_of(ENTRY_LEN) && off >= ENTRY_LEN && off < self.num_entries * ENTRY_LEN
    }
    /// True if `addr` is an entry of this table that can be a handle (not entry 0).
    pub fn holds(&self, addr: u32) -> bool {
        addr.checked_sub(self.entries()).is_some_and(|off| self.valid_offset(off))
    }
}

/// Reads the chunk header at `addr`.
pub(crate) fn read_header(mem: &dyn GuestMemory, addr: u32) -> Result<ChunkHeader, MemError> {
    let mut b = [0u8; ChunkHeader::LEN as usize];
    mem.read(addr, &mut b)?;
    Ok(ChunkHeader::decode(&b))
}

pub(crate) fn write_header(mem: &mut dyn GuestMemory, addr: u32, h: &ChunkHeader) -> Result<(), MemError> {
    mem.write(addr, &h.encode())
}

/// The `h_offset` field value linking a chunk header at `chunk` to `target` (its master
/// pointer, or for free chunks the next free chunk).
pub(crate) fn offset_field(chunk: u32, target: u32) -> i32 {
    ((chunk as i64 - target as i64) / 2) as i32
}

/// One heap: a contiguous guest range formatted as a PalmOS version 4 heap.
#[derive(Debug, Clone)]
pub struct Heap {
    pub(super) id: HeapId,
    pub(super) base: u32,
    pub(super) size: u32,
    /// Address of the first chunk header (after the first master pointer table).
    pub(super) first_chunk: u32,
    /// Address of the 4-byte terminator (`base + size - 4`).
    pub(super) terminator: u32,
    /// Cache: header address -> actual size of every chunk, free ones included.
    pub(super) chunks: BTreeMap<u32, u32>,
    /// Cache: header addresses of the free chunks.
    pub(super) free: BTreeSet<u32>,
    /// Cache: the master pointer table chain, in chain order.
    pub(super) tables: Vec<MasterPointerTable>,
    /// Entries in each master pointer table added when the existing ones are full.
    pub(super) table_growth: u16,
}

impl Heap {
    /// Formats `[base, base + size)` as an empty heap with a first master pointer table of
    /// `entries` entries (entry 0 is the free-entry list head, so `entries - 1` handles fit
    /// before a table is added); further tables get `table_growth` entries. Nothing outside
    /// the range is touched; the previous contents are ignored.
    pub fn format(
        mem: &mut dyn GuestMemory,
        id: HeapId,
        base: u32,
        size: u32,
        entries: u16,
        table_growth: u16,
    ) -> Result<Heap, MemErr> {
        if !base.is_multiple_of(2) || !size.is_multiple_of(2) || size > MAX_HEAP_SIZE {
            return Err(MemErr::InvalidParam("heap base and size must be even, size at most 16 MB"));
        }
        if entries == 0 || table_growth < 2 {
            return Err(MemErr::InvalidParam("master pointer tables need entries"));
        }
        let first_chunk = base + HeapHeader::LEN + entries as u32 * ENTRY_LEN;
        let end = base.checked_add(size).ok_or(MemErr::InvalidParam("heap wraps the address space"))?;
        if first_chunk + MIN_FREE + HEAP_TERMINATOR_LEN > end {
            return Err(MemErr::InvalidParam("heap too small for its master pointer table"));
        }
        let terminator = end - HEAP_TERMINATOR_LEN;
        let header = HeapHeader {
            flags: HEAP_FLAG_VERS4,
            size,
            first_free_chunk: (first_chunk - base) / 2,
            first_table: MasterPointerTableHeader { num_entries: entries, next_table: 0 },
        };
        mem.write(base, &header.encode())?;
        let table = MasterPointerTable { header: base + HeapHeader::FIRST_TABLE, num_entries: entries as u32, chunk: None };
        write_fresh_entries(mem, &table, 1)?;
        let free_size = terminator - first_chunk;
        write_header(mem, first_chunk, &ChunkHeader::free_chunk(free_size, offset_field(terminator, first_chunk)))?;
        mem.write_u32(terminator, 0)?;
        Ok(Heap {
            id,
            base,
            size,
            first_chunk,
            terminator,
            chunks: BTreeMap::from([(first_chunk, free_size)]),
            free: BTreeSet::from([first_chunk]),
            tables: vec![table],
            table_growth,
        })
    }

    pub fn id(&self) -> HeapId {
        self.id
    }
    /// Guest address of the heap header.
    pub fn base(&self) -> u32 {
        self.base
    }
    pub fn size(&self) -> u32 {
        self.size
    }
    /// True if `addr` lies inside the heap's range.
    pub fn contains(&self, addr: u32) -> bool {
        addr >= self.base && addr - self.base < self.size
    }
    /// Number of master pointer tables in the chain.
    pub fn table_count(&self) -> usize {
        self.tables.len()
    }

    /// Free space from the cache.
    pub fn free_bytes(&self) -> FreeBytes {
        let mut f = FreeBytes::default();
        for a in &self.free {
            let cap = self.chunks[a] - ChunkHeader::LEN;
            f.total += cap;
            f.max = f.max.max(cap);
        }
        f
    }

    // ---- Free-chunk list -------------------------------------------------------------

    /// Makes the free-list link that starts at `from` (a free chunk, or the heap header when
    /// `None`) point at `to` (a free chunk or the terminator).
    fn link_free(&self, mem: &mut dyn GuestMemory, from: Option<u32>, to: u32) -> Result<(), MemError> {
        match from {
            None => mem.write_u32(self.base + HeapHeader::FIRST_FREE_CHUNK, (to - self.base) / 2),
            Some(f) => write_header(mem, f, &ChunkHeader::free_chunk(self.chunks[&f], offset_field(to, f))),
        }
    }

    /// Removes the free chunk at `addr` from the free list (guest and cache); it stays in
    /// `chunks` for the caller to reuse. Returns its size.
    pub(super) fn take_free(&mut self, mem: &mut dyn GuestMemory, addr: u32) -> Result<u32, MemError> {
        let size = self.chunks[&addr];
        self.free.remove(&addr);
        let prev = self.free.range(..addr).next_back().copied();
        let next = self.free.range(addr..).next().copied().unwrap_or(self.terminator);
        self.link_free(mem, prev, next)?;
        Ok(size)
    }

    /// Turns `[addr, addr + len)`, which no chunk occupies, into a free chunk, merging it
    /// with free neighbours, and links it into the sorted free list.
    pub(super) fn insert_free(&mut self, mem: &mut dyn GuestMemory, addr: u32, len: u32) -> Result<(), MemError> {
        debug_assert!(len >= MIN_FREE && len.is_multiple_of(2), "free piece of {len} bytes at {addr:#x}");
        let mut start = addr;
        let mut len = len;
        if let Some((&p, &ps)) = self.chunks.range(..addr).next_back() {
            if p + ps == addr && self.free.contains(&p) {
                self.chunks.remove(&p);
                self.free.remove(&p);
                start = p;
                len += ps;
            }
        }
        let end = start + len;
        if let Some(&ns) = self.chunks.get(&end) {
            if self.free.contains(&end) {
                self.chunks.remove(&end);
                self.free.remove(&end);
                len += ns;
            }
        }
        self.chunks.insert(start, len);
        self.free.insert(start);
        let prev = self.free.range(..start).next_back().copied();
        let next = self.free.range(start + 1..).next().copied().unwrap_or(self.terminator);
        write_header(mem, start, &ChunkHeader::free_chunk(len, offset_field(next, start)))?;
        self.link_free(mem, prev, start)
    }

    /// Takes `need` bytes at `offset` inside the free chunk at `free_addr` (`offset` is 0 or
    /// at least 8; a remainder under 8 bytes is added to the new chunk as slack). Registers
    /// the new chunk in the cache and returns (header address, actual size); the caller
    /// writes its header before returning to the guest.
    pub(super) fn carve(
        &mut self,
        mem: &mut dyn GuestMemory,
        free_addr: u32,
        offset: u32,
        need: u32,
    ) -> Result<(u32, u32), MemError> {
        let fsize = self.take_free(mem, free_addr)?;
        debug_assert!(offset == 0 || offset >= MIN_FREE);
        debug_assert!(offset + need <= fsize);
        self.chunks.remove(&free_addr);
        let addr = free_addr + offset;
        let tail = fsize - offset - need;
        let actual = if tail >= MIN_FREE { need } else { need + tail };
        self.chunks.insert(addr, actual);
        if offset > 0 {
            self.insert_free(mem, free_addr, offset)?;
        }
        if tail >= MIN_FREE {
            self.insert_free(mem, addr + actual, tail)?;
        }
        Ok((addr, actual))
    }

    /// The lowest free chunk of at least `need` bytes.
    pub(super) fn first_fit(&self, need: u32) -> Option<u32> {
        self.free.iter().copied().find(|a| self.chunks[a] >= need)
    }
    /// The highest free chunk of at least `need` bytes.
    pub(super) fn last_fit(&self, need: u32) -> Option<u32> {
        self.free.iter().rev().copied().find(|a| self.chunks[a] >= need)
    }

    // ---- Master pointer tables -----------------------------------------------------

    /// The table holding handle `h`, if `h` is an entry that can be a handle.
    pub(super) fn table_of(&self, h: u32) -> Option<&MasterPointerTable> {
        self.tables.iter().find(|t| t.holds(h))
    }

    /// Takes a free master pointer entry (adding a table if all are full) and marks it
    /// reserved (0) until the caller stores the chunk's data address in it.
    pub(super) fn take_master_pointer(&mut self, mem: &mut dyn GuestMemory) -> Result<u32, MemErr> {
        for t in &self.tables {
            let e0 = t.entries();
            let head = mem.read_u32(e0)?;
            let off = head & !FIRST_ENTRY;
            if head & FIRST_ENTRY != FIRST_ENTRY || (off != 0 && !t.valid_offset(off)) {
                return Err(MemErr::Corrupt(e0));
            }
            if off == 0 {
                continue;
            }
            let e = e0 + off;
            let v = mem.read_u32(e)?;
            let next = v & !FREE_ENTRY;
            if v & FREE_ENTRY == 0 || (next != 0 && !t.valid_offset(next)) {
                return Err(MemErr::Corrupt(e));
            }
            mem.write_u32(e0, next | FIRST_ENTRY)?;
            mem.write_u32(e, 0)?;
            return Ok(e);
        }
        self.add_master_pointer_table(mem)
    }

    /// Allocates a new table as a non-movable chunk, links it at the end of the chain and
    /// returns its entry 1, reserved.
    fn add_master_pointer_table(&mut self, mem: &mut dyn GuestMemory) -> Result<u32, MemErr> {
        let n = self.table_growth as u32;
        let data = self.alloc_nonmovable(mem, MasterPointerTableHeader::LEN + n * ENTRY_LEN, OWNER_MASTER_POINTER_TABLE)?;
        let table = MasterPointerTable { header: data, num_entries: n, chunk: Some(data - ChunkHeader::LEN) };
        let header = MasterPointerTableHeader { num_entries: self.table_growth, next_table: 0 };
        mem.write(data, &header.encode())?;
        write_fresh_entries(mem, &table, 2)?;
        let e = table.entries() + ENTRY_LEN;
        mem.write_u32(e, 0)?;
        let last = *self.tables.last().expect("the first table always exists");
        mem.write_u32(last.header + MasterPointerTableHeader::NEXT_TABLE, data - self.base)?;
        self.tables.push(table);
        Ok(e)
    }

    /// Returns handle `h` to its table's free-entry list.
    pub(super) fn release_master_pointer(&mut self, mem: &mut dyn GuestMemory, h: u32) -> Result<(), MemErr> {
        let t = *self.table_of(h).ok_or(MemErr::Corrupt(h))?;
        let e0 = t.entries();
        let head = mem.read_u32(e0)?;
        mem.write_u32(h, (head & !FIRST_ENTRY) | FREE_ENTRY)?;
        mem.write_u32(e0, (h - e0) | FIRST_ENTRY)?;
        Ok(())
    }

    /// True if no entry of table `t` is in use.
    pub(super) fn table_is_empty(&self, mem: &dyn GuestMemory, t: &MasterPointerTable) -> Result<bool, MemError> {
        let bytes = mem.read_vec(t.entries() + ENTRY_LEN, (t.num_entries - 1) * ENTRY_LEN)?;
        Ok(bytes.chunks_exact(4).all(|e| e[3] & FREE_ENTRY as u8 != 0))
    }

    // ---- Resolving handles and pointers ----------------------------------------------

    /// The master pointer a movable chunk's header names, if it lies inside the heap.
    pub(super) fn master_pointer_of(&self, chunk: u32, hdr: &ChunkHeader) -> Result<u32, MemErr> {
        let mp = chunk as i64 - 2 * hdr.h_offset as i64;
        if mp < self.base as i64 || mp >= (self.base + self.size) as i64 {
            return Err(MemErr::Corrupt(chunk));
        }
        Ok(mp as u32)
    }

    /// Validates handle `h` and returns its chunk's header address and header.
    pub(super) fn resolve_handle(&self, mem: &dyn GuestMemory, h: u32) -> Result<(u32, ChunkHeader), MemErr> {
        if self.table_of(h).is_none() {
            return Err(MemErr::InvalidParam("not a master pointer"));
        }
        let p = mem.read_u32(h)?;
        if p == 0 || p & FREE_ENTRY != 0 {
            return Err(MemErr::InvalidParam("free master pointer"));
        }
        let addr = p.wrapping_sub(ChunkHeader::LEN);
        let Some(&size) = self.chunks.get(&addr) else { return Err(MemErr::Corrupt(h)) };
        if self.free.contains(&addr) {
            return Err(MemErr::Corrupt(h));
        }
        let hdr = read_header(mem, addr)?;
        if hdr.free || hdr.size != size || hdr.h_offset == 0 || self.master_pointer_of(addr, &hdr)? != h {
            return Err(MemErr::Corrupt(addr));
        }
        Ok((addr, hdr))
    }

    /// Validates chunk data pointer `p` (of a movable or non-movable chunk) and returns its
    /// chunk's header address and header.
    pub(super) fn resolve_ptr(&self, mem: &dyn GuestMemory, p: u32) -> Result<(u32, ChunkHeader), MemErr> {
        if p & 1 != 0 || p < ChunkHeader::LEN {
            return Err(MemErr::InvalidParam("not a chunk pointer"));
        }
        let addr = p - ChunkHeader::LEN;
        let Some(&size) = self.chunks.get(&addr) else { return Err(MemErr::InvalidParam("not a chunk pointer")) };
        if self.free.contains(&addr) {
            return Err(MemErr::InvalidParam("pointer to a free chunk"));
        }
        let hdr = read_header(mem, addr)?;
        if hdr.free || hdr.size != size {
            return Err(MemErr::Corrupt(addr));
        }
        if hdr.h_offset != 0 {
            let mp = self.master_pointer_of(addr, &hdr)?;
            if self.table_of(mp).is_none() || mem.read_u32(mp)? != p {
                return Err(MemErr::Corrupt(addr));
            }
        } else if hdr.lock_count != PTR_LOCK_COUNT {
            return Err(MemErr::Corrupt(addr));
        }
        Ok((addr, hdr))
    }

    /// Describes the allocated chunk whose header is at `addr` (already validated).
    pub(super) fn info(&self, addr: u32, hdr: &ChunkHeader) -> Result<ChunkInfo, MemErr> {
        let kind = if hdr.h_offset == 0 {
            ChunkKind::NonMovable
        } else {
            ChunkKind::Movable { handle: self.master_pointer_of(addr, hdr)? }
        };
        Ok(ChunkInfo {
            heap: self.id,
            header: addr,
            data: addr + ChunkHeader::LEN,
            data_size: hdr.data_size(),
            actual_size: hdr.size,
            kind,
            lock_count: hdr.lock_count,
            owner: hdr.owner,
        })
    }

    /// Every allocated chunk, in address order.
    pub fn chunks(&self, mem: &dyn GuestMemory) -> Result<Vec<ChunkInfo>, MemErr> {
        let mut out = Vec::new();
        for (&addr, &size) in &self.chunks {
            if self.free.contains(&addr) {
                continue;
            }
            let hdr = read_header(mem, addr)?;
            if hdr.free || hdr.size != size {
                return Err(MemErr::Corrupt(addr));
            }
            out.push(self.info(addr, &hdr)?);
        }
        Ok(out)
    }

    /// (header address, size) of every free chunk, in address order.
    pub fn free_chunks(&self) -> Vec<(u32, u32)> {
        self.free.iter().map(|a| (*a, self.chunks[a])).collect()
    }

    // ---- Allocation ----------------------------------------------------------------

    fn check_request(size: u32, owner: u8) -> Result<(), MemErr> {
        if size == 0 {
            return Err(MemErr::InvalidParam("zero-size chunk"));
        }
        if owner > MAX_OWNER {
            return Err(MemErr::InvalidParam("owner ID above 15"));
        }
        if size > MAX_CHUNK_DATA {
            return Err(MemErr::NotEnoughSpace);
        }
        Ok(())
    }

    /// Allocates a movable chunk of `size` bytes (contents undefined), compacting the heap
    /// if no free chunk is big enough. Returns its handle.
    pub fn alloc_movable(&mut self, mem: &mut dyn GuestMemory, size: u32, owner: u8) -> Result<u32, MemErr> {
        Self::check_request(size, owner)?;
        let need = actual_size_for(size);
        let mp = self.take_master_pointer(mem)?;
        let f = match self.first_fit(need) {
            Some(f) => f,
            None => {
                self.compact(mem)?;
                match self.first_fit(need) {
                    Some(f) => f,
                    None => {
                        self.release_master_pointer(mem, mp)?;
                        return Err(MemErr::NotEnoughSpace);
                    }
                }
            }
        };
        let (addr, actual) = self.carve(mem, f, 0, need)?;
        let hdr = ChunkHeader {
            size: actual,
            size_adj: (actual - ChunkHeader::LEN - size) as u8,
            lock_count: 0,
            owner,
            h_offset: offset_field(addr, mp),
            ..Default::default()
        };
        write_header(mem, addr, &hdr)?;
        mem.write_u32(mp, addr + ChunkHeader::LEN)?;
        Ok(mp)
    }

    /// Allocates a non-movable chunk of `size` bytes at the high end of the heap (contents
    /// undefined), compacting if needed. Returns its data address.
    pub fn alloc_nonmovable(&mut self, mem: &mut dyn GuestMemory, size: u32, owner: u8) -> Result<u32, MemErr> {
        Self::check_request(size, owner)?;
        let need = actual_size_for(size);
        let f = match self.last_fit(need) {
            Some(f) => f,
            None => {
                self.compact(mem)?;
                self.last_fit(need).ok_or(MemErr::NotEnoughSpace)?
            }
        };
        let fsize = self.chunks[&f];
        let offset = if fsize - need >= MIN_FREE { fsize - need } else { 0 };
        let (addr, actual) = self.carve(mem, f, offset, need)?;
        let hdr = ChunkHeader {
            size: actual,
            size_adj: (actual - ChunkHeader::LEN - size) as u8,
            lock_count: PTR_LOCK_COUNT,
            owner,
            h_offset: 0,
            ..Default::default()
        };
        write_header(mem, addr, &hdr)?;
        Ok(addr + ChunkHeader::LEN)
    }

    /// Frees the allocated chunk at `addr` (validated; locked or not), releasing its master
    /// pointer if it has one.
    pub(super) fn free_at(&mut self, mem: &mut dyn GuestMemory, addr: u32, hdr: &ChunkHeader) -> Result<(), MemErr> {
        if hdr.h_offset != 0 {
            let mp = self.master_pointer_of(addr, hdr)?;
            self.release_master_pointer(mem, mp)?;
        }
        let size = self.chunks.remove(&addr).ok_or(MemErr::Corrupt(addr))?;
        self.insert_free(mem, addr, size)?;
        Ok(())
    }

    /// Rewrites the lock-count/owner byte of the chunk at `addr`.
    fn write_lock_owner(mem: &mut dyn GuestMemory, addr: u32, lock_count: u8, owner: u8) -> Result<(), MemError> {
        mem.write_u8(addr + 4, (lock_count << 4) | (owner & 0xF))
    }

    /// Increments the lock count of a movable chunk; returns its data address.
    pub(super) fn lock_at(&mut self, mem: &mut dyn GuestMemory, addr: u32, hdr: &ChunkHeader) -> Result<u32, MemErr> {
        if hdr.h_offset == 0 {
            // PalmOS ignores locking a non-movable chunk.
            return Ok(addr + ChunkHeader::LEN);
        }
        if hdr.lock_count >= MAX_HANDLE_LOCK_COUNT {
            return Err(MemErr::LockOverflow);
        }
        Self::write_lock_owner(mem, addr, hdr.lock_count + 1, hdr.owner)?;
        Ok(addr + ChunkHeader::LEN)
    }

    /// Decrements the lock count of a movable chunk; non-movable chunks ignore it.
    pub(super) fn unlock_at(&mut self, mem: &mut dyn GuestMemory, addr: u32, hdr: &ChunkHeader) -> Result<(), MemErr> {
        if hdr.h_offset == 0 {
            return Ok(());
        }
        if hdr.lock_count == 0 {
            return Err(MemErr::ChunkNotLocked);
        }
        Self::write_lock_owner(mem, addr, hdr.lock_count - 1, hdr.owner)?;
        Ok(())
    }

    /// Sets the lock count of a movable chunk to 0 (`MemHandleResetLock`).
    pub(super) fn reset_lock_at(&mut self, mem: &mut dyn GuestMemory, addr: u32, hdr: &ChunkHeader) -> Result<(), MemErr> {
        if hdr.h_offset != 0 {
            Self::write_lock_owner(mem, addr, 0, hdr.owner)?;
        }
        Ok(())
    }

    /// Sets the owner ID of the chunk at `addr`.
    pub(super) fn set_owner_at(&mut self, mem: &mut dyn GuestMemory, addr: u32, hdr: &ChunkHeader, owner: u8) -> Result<(), MemErr> {
        if owner > MAX_OWNER {
            return Err(MemErr::InvalidParam("owner ID above 15"));
        }
        Self::write_lock_owner(mem, addr, hdr.lock_count, owner)?;
        Ok(())
    }

    /// Resizes the chunk at `addr` to `new_size` data bytes, keeping the first
    /// `min(old, new)` bytes. Grows in place when the next chunk is free; otherwise moves an
    /// unlocked movable chunk (compacting once if needed). A locked or non-movable chunk
    /// that cannot grow in place gives `ChunkLocked`. Returns the new header address.
    pub(super) fn resize_at(&mut self, mem: &mut dyn GuestMemory, mut addr: u32, new_size: u32) -> Result<u32, MemErr> {
        if new_size > MAX_CHUNK_DATA {
            return Err(MemErr::NotEnoughSpace);
        }
        let need = actual_size_for(new_size);
        let mut compacted = false;
        loop {
            let hdr = read_header(mem, addr)?;
            let old = hdr.size;
            let with_size = |size: u32| ChunkHeader { size, size_adj: (size - ChunkHeader::LEN - new_size) as u8, ..hdr };
            if need <= old {
                if old - need >= MIN_FREE {
                    self.chunks.insert(addr, need);
                    write_header(mem, addr, &with_size(need))?;
                    self.insert_free(mem, addr + need, old - need)?;
                } else {
                    write_header(mem, addr, &with_size(old))?;
                }
                return Ok(addr);
            }
            let next = addr + old;
            if self.free.contains(&next) && old + self.chunks[&next] >= need {
                let ns = self.take_free(mem, next)?;
                self.chunks.remove(&next);
                let rest = old + ns - need;
                let actual = if rest >= MIN_FREE { need } else { old + ns };
                self.chunks.insert(addr, actual);
                write_header(mem, addr, &with_size(actual))?;
                if rest >= MIN_FREE {
                    self.insert_free(mem, addr + actual, rest)?;
                }
                return Ok(addr);
            }
            if hdr.h_offset == 0 || hdr.lock_count != 0 {
                return Err(MemErr::ChunkLocked);
            }
            let mp = self.master_pointer_of(addr, &hdr)?;
            if let Some(f) = self.first_fit(need) {
                let (new, actual) = self.carve(mem, f, 0, need)?;
                mem.copy_within(new + ChunkHeader::LEN, addr + ChunkHeader::LEN, hdr.data_size().min(new_size))?;
                let moved = ChunkHeader { h_offset: offset_field(new, mp), ..with_size(actual) };
                write_header(mem, new, &moved)?;
                mem.write_u32(mp, new + ChunkHeader::LEN)?;
                let old_size = self.chunks.remove(&addr).ok_or(MemErr::Corrupt(addr))?;
                self.insert_free(mem, addr, old_size)?;
                return Ok(new);
            }
            if compacted {
                return Err(MemErr::NotEnoughSpace);
            }
            self.compact(mem)?;
            compacted = true;
            addr = mem.read_u32(mp)?.wrapping_sub(ChunkHeader::LEN);
        }
    }

    /// Frees every chunk owned by `owner` (except master pointer tables); returns how many.
    pub fn free_by_owner(&mut self, mem: &mut dyn GuestMemory, owner: u8) -> Result<u32, MemErr> {
        let table_chunks: BTreeSet<u32> = self.tables.iter().filter_map(|t| t.chunk).collect();
        let victims: Vec<ChunkInfo> = self
            .chunks(mem)?
            .into_iter()
            .filter(|c| c.owner == owner && !table_chunks.contains(&c.header))
            .collect();
        for c in &victims {
            let hdr = read_header(mem, c.header)?;
            self.free_at(mem, c.header, &hdr)?;
        }
        Ok(victims.len() as u32)
    }
}

/// Writes the entries of a fresh table: entries `first_free..n` free and chained in order,
/// entry 0 pointing at `first_free` (entries below it are left to the caller).
fn write_fresh_entries(mem: &mut dyn GuestMemory, t: &MasterPointerTable, first_free: u32) -> Result<(), MemError> {
    let n = t.num_entries;
    let head = if first_free < n { first_free * ENTRY_LEN } else { 0 };
    mem.write_u32(t.entries(), head | FIRST_ENTRY)?;
    if first_free >= n {
        return Ok(());
    }
    let mut bytes = Vec::with_capacity(((n - first_free) * ENTRY_LEN) as usize);
    for i in first_free..n {
        let next = if i + 1 < n { (i + 1) * ENTRY_LEN } else { 0 };
        bytes.extend_from_slice(&(next | FREE_ENTRY).to_be_bytes());
    }
    mem.write(t.entries() + first_free * ENTRY_LEN, &bytes)
}
