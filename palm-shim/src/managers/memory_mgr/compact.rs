//! Heap compaction: slides unlocked movable chunks toward the start of the heap and updates
//! their master pointers; locked chunks and non-movable chunks never move. Also frees master
//! pointer tables (other than the first) that no longer hold a handle.
//!
//! The plan is computed first, on the host, without touching guest memory: the fixed chunks
//! split the heap into gaps; every movable chunk, in address order, goes to the lowest gap
//! (its own or an earlier one) with room for it, at that gap's fill cursor. Every chunk
//! therefore moves down or stays, and applying the moves in ascending address order with
//! overlap-safe copies never overwrites data not yet moved. Moved chunks lose their slack
//! (their size becomes header + requested size rounded up to even); a leftover of 2..6 bytes
//! at the end of a gap becomes slack of the gap's last chunk. The free list is then rebuilt
//! from the holes.

use super::heap::{actual_size_for, offset_field, read_header, write_header, Heap, MIN_FREE};
use super::MemErr;
use crate::memory::GuestMemory;
use palm_abi::mem_layout::{ChunkHeader, HeapHeader, MasterPointerTableHeader};

/// What one compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompactionReport {
    /// Chunks that changed address.
    pub moved: u32,
    /// Data bytes copied.
    pub bytes_moved: u32,
    /// Empty master pointer tables freed.
    pub tables_freed: u32,
}

struct Gap {
    end: u32,
    cursor: u32,
    /// Index (in the movable list) of the last chunk placed in this gap.
    last: Option<usize>,
}

struct Movable {
    old: u32,
    old_size: u32,
    hdr: ChunkHeader,
    master_pointer: u32,
    /// Index of the gap the chunk sits in now.
    gap: usize,
    new: u32,
    new_size: u32,
}

impl Heap {
    /// Compacts the heap (see the module documentation).
    pub fn compact(&mut self, mem: &mut dyn GuestMemory) -> Result<CompactionReport, MemErr> {
        let mut report = CompactionReport { tables_freed: self.free_empty_tables(mem)?, ..Default::default() };

        // Plan.
        let mut gaps = Vec::new();
        let mut movables = Vec::new();
        let mut gap_start = self.first_chunk;
        for (&addr, &size) in &self.chunks {
            if self.free.contains(&addr) {
                continue;
            }
            let hdr = read_header(mem, addr)?;
            if hdr.free || hdr.size != size {
                return Err(MemErr::Corrupt(addr));
            }
            if hdr.h_offset != 0 && hdr.lock_count == 0 {
                let master_pointer = self.master_pointer_of(addr, &hdr)?;
                movables.push(Movable { old: addr, old_size: size, hdr, master_pointer, gap: gaps.len(), new: 0, new_size: 0 });
            } else {
                gaps.push(Gap { end: addr, cursor: gap_start, last: None });
                gap_start = addr + size;
            }
        }
        gaps.push(Gap { end: self.terminator, cursor: gap_start, last: None });

        for (i, m) in movables.iter_mut().enumerate() {
            let need = actual_size_for(m.hdr.data_size());
            let gap = gaps[..=m.gap]
                .iter_mut()
                .find(|g| g.end - g.cursor >= need)
                .ok_or(MemErr::Corrupt(m.old))?;
            m.new = gap.cursor;
            let room = gap.end - gap.cursor;
            if room - need < MIN_FREE && room != need {
                // Too little left for a free chunk: it becomes this chunk's slack.
                m.new_size = room;
            } else {
                m.new_size = need;
            }
            gap.cursor += m.new_size;
            gap.last = Some(i);
        }
        for g in &gaps {
            let tail = g.end - g.cursor;
            if tail > 0 && tail < MIN_FREE {
                let i = g.last.ok_or(MemErr::Corrupt(g.cursor))?;
                movables[i].new_size += tail;
            }
        }

        // Apply, lowest address first: every chunk moves down (or stays).
        for a in std::mem::take(&mut self.free) {
            self.chunks.remove(&a);
        }
        for m in &movables {
            if m.new == m.old && m.new_size == m.old_size {
                continue;
            }
            self.chunks.remove(&m.old);
            let data_size = m.hdr.data_size();
            if m.new != m.old {
                mem.copy_within(m.new + ChunkHeader::LEN, m.old + ChunkHeader::LEN, data_size)?;
                report.moved += 1;
                report.bytes_moved += data_size;
            }
            let hdr = ChunkHeader {
                size: m.new_size,
                size_adj: (m.new_size - ChunkHeader::LEN - data_size) as u8,
                h_offset: offset_field(m.new, m.master_pointer),
                moved: false,
                ..m.hdr
            };
            write_header(mem, m.new, &hdr)?;
            mem.write_u32(m.master_pointer, m.new + ChunkHeader::LEN)?;
            self.chunks.insert(m.new, m.new_size);
        }
        self.rebuild_free_list(mem)?;
        Ok(report)
    }

    /// Frees every master pointer table but the first whose entries are all free.
    fn free_empty_tables(&mut self, mem: &mut dyn GuestMemory) -> Result<u32, MemErr> {
        let mut freed = 0;
        let mut i = 1;
        while i < self.tables.len() {
            let t = self.tables[i];
            if !self.table_is_empty(mem, &t)? {
                i += 1;
                continue;
            }
            let next = mem.read_u32(t.header + MasterPointerTableHeader::NEXT_TABLE)?;
            let prev = self.tables[i - 1];
            mem.write_u32(prev.header + MasterPointerTableHeader::NEXT_TABLE, next)?;
            self.tables.remove(i);
            let chunk = t.chunk.ok_or(MemErr::Corrupt(t.header))?;
            let size = self.chunks.remove(&chunk).ok_or(MemErr::Corrupt(chunk))?;
            self.insert_free(mem, chunk, size)?;
            freed += 1;
        }
        Ok(freed)
    }

    /// Makes every hole between allocated chunks a free chunk and relinks the free list.
    /// `chunks` must hold only allocated chunks when called.
    pub(super) fn rebuild_free_list(&mut self, mem: &mut dyn GuestMemory) -> Result<(), MemErr> {
        let mut holes = Vec::new();
        let mut cursor = self.first_chunk;
        for (&a, &s) in &self.chunks {
            if a > cursor {
                holes.push((cursor, a - cursor));
            }
            cursor = a + s;
        }
        if cursor < self.terminator {
            holes.push((cursor, self.terminator - cursor));
        }
        for (i, &(a, s)) in holes.iter().enumerate() {
            if s < MIN_FREE {
                return Err(MemErr::Corrupt(a));
            }
            let next = holes.get(i + 1).map_or(self.terminator, |h| h.0);
            write_header(mem, a, &ChunkHeader::free_chunk(s, offset_field(next, a)))?;
            self.chunks.insert(a, s);
            self.free.insert(a);
        }
        let first = holes.first().map_or(self.terminator, |h| h.0);
        mem.write_u32(self.base + HeapHeader::FIRST_FREE_CHUNK, (first - self.base) / 2)?;
        Ok(())
    }
}
