//! Validation of a heap's structure in guest memory ([`Heap::check`]), and re-attaching to a
//! heap that is already in guest memory ([`Heap::open`], for a restored RAM image). The check
//! trusts nothing it reads: every offset is range-checked, every walk is bounded, and any
//! inconsistency is a [`HeapCheckError`] naming the address, never a panic.

use super::heap::{read_header, Heap, HeapId, MasterPointerTable, MIN_FREE};
use crate::memory::{GuestMemory, MemError};
use palm_abi::mem_layout::{
    master_pointer::{ENTRY_LEN, FIRST_ENTRY, FREE_ENTRY},
    ChunkHeader, HeapHeader, MasterPointerTableHeader, HEAP_FLAG_VERS4, HEAP_TERMINATOR_LEN,
    MAX_HANDLE_LOCK_COUNT, OWNER_MASTER_POINTER_TABLE, PTR_LOCK_COUNT,
};
use std::collections::{BTreeMap, BTreeSet};
use thiserror::Error;

/// A structural fault found in a heap.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("heap {heap}: {what} at {addr:#010x}")]
pub struct HeapCheckError {
    pub heap: HeapId,
    pub addr: u32,
    pub what: String,
}

/// Counts from a successful check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeapStats {
    pub movable: u32,
    pub nonmovable: u32,
    pub locked_movable: u32,
    pub free_chunks: u32,
    /// Sum of free chunk sizes (headers included).
    pub free_bytes: u32,
    pub largest_free: u32,
    pub tables: u32,
    pub free_master_pointers: u32,
}

impl Heap {
    fn fault(&self, addr: u32, what: impl Into<String>) -> HeapCheckError {
        HeapCheckError { heap: self.id, addr, what: what.into() }
    }

    fn read_fault(&self, e: MemError) -> HeapCheckError {
        self.fault(e.addr, "unreadable guest memory")
    }

    /// Validates the whole heap in guest memory against the layout rules and against the
    /// host cache: header, chunk walk, terminator, sorted free list, no adjacent free chunks,
    /// chunk headers, handles and their back-references, master pointer tables and their
    /// free-entry lists.
    pub fn check(&self, mem: &dyn GuestMemory) -> Result<HeapStats, HeapCheckError> {
        let rd = |e: MemError| self.read_fault(e);
        let mut stats = HeapStats::default();

        // Header.
        let mut hb = [0u8; HeapHeader::LEN as usize];
        mem.read(self.base, &mut hb).map_err(rd)?;
        let header = HeapHeader::decode(&hb);
        if header.flags != HEAP_FLAG_VERS4 {
            return Err(self.fault(self.base, format!("heap flags {:#06x}", header.flags)));
        }
        if header.size != self.size {
            return Err(self.fault(self.base + HeapHeader::SIZE, format!("heap size {:#x}", header.size)));
        }
        let first_chunk = self.base + HeapHeader::LEN + header.first_table.num_entries as u32 * ENTRY_LEN;
        if first_chunk != self.first_chunk {
            return Err(self.fault(self.base + HeapHeader::FIRST_TABLE, "first table size changed"));
        }

        // Chunk walk.
        let mut walked = BTreeMap::new();
        let mut headers = BTreeMap::new();
        let mut addr = self.first_chunk;
        let mut prev_free = false;
        while addr < self.terminator {
            let h = read_header(mem, addr).map_err(rd)?;
            if h.size < ChunkHeader::LEN || h.size % 2 != 0 || h.size > self.terminator - addr {
                return Err(self.fault(addr, format!("chunk size {:#x}", h.size)));
            }
            if h.moved || h.unused != 0 {
                return Err(self.fault(addr, "reserved chunk flag set"));
            }
            if h.free && prev_free {
                return Err(self.fault(addr, "two adjacent free chunks"));
            }
            prev_free = h.free;
            walked.insert(addr, h.size);
            headers.insert(addr, h);
            addr += h.size;
        }
        if addr != self.terminator {
            return Err(self.fault(addr, "chunks overrun the terminator"));
        }
        if mem.read_u32(self.terminator).map_err(rd)? != 0 {
            return Err(self.fault(self.terminator, "terminator is not 0"));
        }
        if walked != self.chunks {
            let at = walked
                .iter()
                .zip(self.chunks.iter())
                .find(|(a, b)| a != b)
                .map_or(self.first_chunk, |(a, _)| *a.0);
            return Err(self.fault(at, "chunk walk disagrees with the host cache"));
        }
        let free_set: BTreeSet<u32> = headers.iter().filter(|(_, h)| h.free).map(|(a, _)| *a).collect();
        if free_set != self.free {
            return Err(self.fault(self.first_chunk, "free chunks disagree with the host cache"));
        }

        // Free list: sorted, complete, ends at the terminator.
        let mut at = self.base as u64 + 2 * header.first_free_chunk as u64;
        for &f in &self.free {
            if at != f as u64 {
                return Err(self.fault(f, format!("free list reaches {at:#x} instead")));
            }
            let h = &headers[&f];
            if h.lock_count != 0 || h.owner != 0 || h.size_adj != 0 {
                return Err(self.fault(f, "free chunk with lock, owner or size adjustment"));
            }
            if h.h_offset <= 0 {
                return Err(self.fault(f, "free list not ascending"));
            }
            at = f as u64 + 2 * h.h_offset as u64;
            stats.free_chunks += 1;
            stats.free_bytes += h.size;
            stats.largest_free = stats.largest_free.max(h.size);
        }
        if at != self.terminator as u64 {
            return Err(self.fault(self.terminator, format!("free list ends at {at:#x}")));
        }

        // Master pointer tables: the chain, then each table's free-entry list.
        let mut chain = vec![MasterPointerTable {
            header: self.base + HeapHeader::FIRST_TABLE,
            num_entries: header.first_table.num_entries as u32,
            chunk: None,
        }];
        let mut next = header.first_table.next_table;
        while next != 0 {
            if chain.len() > self.chunks.len() + 1 {
                return Err(self.fault(self.base, "master pointer table chain loops"));
            }
            let t_addr = self.base.wrapping_add(next);
            let chunk = t_addr.wrapping_sub(ChunkHeader::LEN);
            let Some(h) = headers.get(&chunk) else {
                return Err(self.fault(t_addr, "master pointer table is not a chunk's data"));
            };
            let mut tb = [0u8; MasterPointerTableHeader::LEN as usize];
            mem.read(t_addr, &mut tb).map_err(rd)?;
            let th = MasterPointerTableHeader::decode(&tb);
            let needed = MasterPointerTableHeader::LEN + th.num_entries as u32 * ENTRY_LEN;
            if h.free || h.h_offset != 0 || h.owner != OWNER_MASTER_POINTER_TABLE || h.data_size() < needed || th.num_entries < 2 {
                return Err(self.fault(chunk, "bad master pointer table chunk"));
            }
            chain.push(MasterPointerTable { header: t_addr, num_entries: th.num_entries as u32, chunk: Some(chunk) });
            next = th.next_table;
        }
        if chain != self.tables {
            return Err(self.fault(self.base, "master pointer table chain disagrees with the host cache"));
        }
        stats.tables = chain.len() as u32;

        let mut used_entries = BTreeMap::new();
        for t in &chain {
            let entries = mem.read_vec(t.entries(), t.num_entries * ENTRY_LEN).map_err(rd)?;
            let entry = |i: u32| u32::from_be_bytes(entries[(i * 4) as usize..(i * 4 + 4) as usize].try_into().unwrap());
            let head = entry(0);
            if head & FIRST_ENTRY != FIRST_ENTRY {
                return Err(self.fault(t.entries(), "entry 0 is not a free-list head"));
            }
            let mut on_list = BTreeSet::new();
            let mut off = head & !FIRST_ENTRY;
            while off != 0 {
                if !t.valid_offset(off) || !on_list.insert(off / 4) {
                    return Err(self.fault(t.entries(), format!("free master pointer list reaches offset {off:#x}")));
                }
                let v = entry(off / 4);
                if v & FREE_ENTRY == 0 {
                    return Err(self.fault(t.entries() + off, "master pointer on the free list is in use"));
                }
                off = v & !FREE_ENTRY;
            }
            stats.free_master_pointers += on_list.len() as u32;
            for i in 1..t.num_entries {
                let v = entry(i);
                let e = t.entries() + i * ENTRY_LEN;
                if on_list.contains(&i) {
                    continue;
                }
                if v & FREE_ENTRY != 0 || v == 0 {
                    return Err(self.fault(e, format!("master pointer {v:#x} neither in use nor on the free list")));
                }
                used_entries.insert(e, v);
            }
        }

        // Allocated chunks.
        for (&a, h) in headers.iter().filter(|(_, h)| !h.free) {
            if h.size_adj as u32 > h.size - ChunkHeader::LEN {
                return Err(self.fault(a, "size adjustment larger than the chunk"));
            }
            if h.h_offset == 0 {
                if h.lock_count != PTR_LOCK_COUNT {
                    return Err(self.fault(a, "non-movable chunk without lock count 15"));
                }
                stats.nonmovable += 1;
                continue;
            }
            if h.lock_count > MAX_HANDLE_LOCK_COUNT {
                return Err(self.fault(a, "lock count out of range"));
            }
            let mp = a as i64 - 2 * h.h_offset as i64;
            let Some(&v) = u32::try_from(mp).ok().and_then(|mp| used_entries.get(&mp)) else {
                return Err(self.fault(a, format!("movable chunk's master pointer {mp:#x} is not a used entry")));
            };
            if v != a + ChunkHeader::LEN {
                return Err(self.fault(mp as u32, format!("master pointer holds {v:#x}, chunk data is at {:#x}", a + 8)));
            }
            used_entries.remove(&(mp as u32));
            stats.movable += 1;
            if h.lock_count > 0 {
                stats.locked_movable += 1;
            }
        }
        if let Some((&e, &v)) = used_entries.iter().next() {
            return Err(self.fault(e, format!("master pointer {v:#x} does not belong to a chunk")));
        }
        Ok(stats)
    }

    /// Attaches to a heap already formatted in guest memory at `[base, base + size)` (for
    /// example a restored RAM image): rebuilds the host cache from the guest structures, then
    /// runs [`Heap::check`].
    pub fn open(mem: &dyn GuestMemory, id: HeapId, base: u32, size: u32, table_growth: u16) -> Result<Heap, HeapCheckError> {
        let fault = |addr: u32, what: &str| HeapCheckError { heap: id, addr, what: what.into() };
        let rd = |e: MemError| fault(e.addr, "unreadable guest memory");
        let mut hb = [0u8; HeapHeader::LEN as usize];
        mem.read(base, &mut hb).map_err(rd)?;
        let header = HeapHeader::decode(&hb);
        if header.flags != HEAP_FLAG_VERS4 || header.size != size || !size.is_multiple_of(2) || size > super::heap::MAX_HEAP_SIZE {
            return Err(fault(base, "not a formatted heap of this size"));
        }
        let first_chunk = base + HeapHeader::LEN + header.first_table.num_entries as u32 * ENTRY_LEN;
        let terminator = base + size - HEAP_TERMINATOR_LEN;
        if header.first_table.num_entries == 0 || first_chunk + MIN_FREE > terminator {
            return Err(fault(base, "bad first master pointer table"));
        }
        let mut chunks = BTreeMap::new();
        let mut free = BTreeSet::new();
        let mut addr = first_chunk;
        while addr < terminator {
            let h = read_header(mem, addr).map_err(rd)?;
            if h.size < ChunkHeader::LEN || h.size % 2 != 0 || h.size > terminator - addr {
                return Err(fault(addr, "bad chunk size"));
            }
            chunks.insert(addr, h.size);
            if h.free {
                free.insert(addr);
            }
            addr += h.size;
        }
        let mut tables = vec![MasterPointerTable {
            header: base + HeapHeader::FIRST_TABLE,
            num_entries: header.first_table.num_entries as u32,
            chunk: None,
        }];
        let mut next = header.first_table.next_table;
        while next != 0 {
            if tables.len() > chunks.len() + 1 {
                return Err(fault(base, "master pointer table chain loops"));
            }
            let t_addr = base.wrapping_add(next);
            if !chunks.contains_key(&t_addr.wrapping_sub(ChunkHeader::LEN)) {
                return Err(fault(t_addr, "master pointer table is not a chunk's data"));
            }
            let mut tb = [0u8; MasterPointerTableHeader::LEN as usize];
            mem.read(t_addr, &mut tb).map_err(rd)?;
            let th = MasterPointerTableHeader::decode(&tb);
            tables.push(MasterPointerTable {
                header: t_addr,
                num_entries: th.num_entries as u32,
                chunk: Some(t_addr - ChunkHeader::LEN),
            });
            next = th.next_table;
        }
        let heap = Heap { id, base, size, first_chunk, terminator, chunks, free, tables, table_growth: table_growth.max(2) };
        heap.check(mem)?;
        Ok(heap)
    }
}
