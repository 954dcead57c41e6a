//! Relocation: moves every unlocked movable chunk of a heap to a new address, chosen
//! deterministically from a seed, preferring the other 4-byte alignment (an address 0 mod 4
//! becomes 2 mod 4 and back). It exercises what PalmOS allows at any moment (unlocked chunks
//! may move) so tests and the card loader can prove that nothing depends on an address.
//!
//! Chunks are visited in a seeded shuffle. Each one goes either into a free chunk elsewhere
//! (disjoint from its old place, which is freed afterwards) or, when it sits next to free
//! space, slides within that space. A placement is an offset `o` into the target window:
//! the space before the chunk must be 0 or at least a free chunk header (8 bytes); space of
//! 2..6 bytes after it becomes slack of the chunk. Among the valid placements the seed picks
//! one that flips the alignment if any exists, otherwise any other; a chunk with no valid
//! placement (a full heap) stays and is counted as unmoved. A moved chunk never lands at its
//! old address.

use super::heap::{actual_size_for, offset_field, read_header, write_header, Heap, MIN_FREE};
use super::MemErr;
use crate::memory::GuestMemory;
use palm_abi::mem_layout::ChunkHeader;

/// Free chunks considered per moved chunk (a seeded sample when more fit).
const MAX_WINDOWS: usize = 16;
/// Free chunks a probe looks at before giving up.
const PROBE_SCAN: usize = 32;

/// What one relocation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RelocationReport {
    /// Unlocked movable chunks that got a new address.
    pub moved: u32,
    /// Of those, the ones whose address changed between 0 and 2 mod 4.
    pub flipped: u32,
    /// Unlocked movable chunks that could not move (no room anywhere).
    pub unmoved: u32,
}

/// A small deterministic generator (xorshift64*), seeded through splitmix64.
#[derive(Debug, Clone)]
pub struct SeededRng(u64);

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self(if z == 0 { 1 } else { z })
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// Where a chunk can go.
#[derive(Debug, Clone, Copy)]
enum Window {
    /// The free chunk at this address (disjoint from the chunk).
    Free(u32),
    /// The chunk's own place widened by its free neighbours: (start, end).
    Own(u32, u32),
}

#[derive(Debug, Clone, Copy)]
struct Placement {
    window: Window,
    start: u32,
    len: u32,
    offset: u32,
}

/// Valid offsets for a chunk of `need` bytes in a window of `len` bytes, a few candidates:
/// both ends, just past a minimal leading free chunk, and one seeded point in between.
fn candidate_offsets(len: u32, need: u32, rng: &mut SeededRng) -> Vec<u32> {
    if len < need {
        return Vec::new();
    }
    let room = len - need;
    let mut v = vec![0, MIN_FREE, MIN_FREE + 2, room, room.saturating_sub(2)];
    if room > MIN_FREE {
        v.push(MIN_FREE + 2 * rng.below(((room - MIN_FREE) / 2 + 1) as u64) as u32);
    }
    v.retain(|&o| o <= room && (o == 0 || o >= MIN_FREE));
    v.sort_unstable();
    v.dedup();
    v
}

impl Heap {
    /// Moves every unlocked movable chunk (see the module documentation). Contents, sizes,
    /// lock counts and owners are kept; master pointers are updated.
    pub fn relocate_unlocked(&mut self, mem: &mut dyn GuestMemory, seed: u64) -> Result<RelocationReport, MemErr> {
        let mut rng = SeededRng::new(seed);
        let mut handles: Vec<u32> = self.chunks(mem)?.iter().filter(|c| c.can_move()).filter_map(|c| c.handle()).collect();
        for i in (1..handles.len()).rev() {
            handles.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let mut report = RelocationReport::default();
        for h in handles {
            let (addr, hdr) = self.resolve_handle(mem, h)?;
            match self.choose_placement(addr, &hdr, &mut rng) {
                Some(p) => {
                    let new = self.move_chunk(mem, addr, &hdr, h, p)?;
                    report.moved += 1;
                    if new % 4 != addr % 4 {
                        report.flipped += 1;
                    }
                }
                None => report.unmoved += 1,
            }
        }
        Ok(report)
    }

    fn choose_placement(&self, addr: u32, hdr: &ChunkHeader, rng: &mut SeededRng) -> Option<Placement> {
        let need = actual_size_for(hdr.data_size());
        let mut all = Vec::new();
        let fitting = self.sample_free_windows(need, rng);
        for (f, fsize) in fitting {
            for o in candidate_offsets(fsize, need, rng) {
                all.push(Placement { window: Window::Free(f), start: f, len: fsize, offset: o });
            }
        }
        let mut start = addr;
        let mut end = addr + hdr.size;
        if let Some((&p, &ps)) = self.chunks.range(..addr).next_back() {
            if p + ps == addr && self.free.contains(&p) {
                start = p;
            }
        }
        if self.free.contains(&end) {
            end += self.chunks[&end];
        }
        for o in candidate_offsets(end - start, need, rng) {
            if start + o != addr {
                all.push(Placement { window: Window::Own(start, end), start, len: end - start, offset: o });
            }
        }
        let flips: Vec<Placement> = all.iter().copied().filter(|p| (p.start + p.offset) % 4 != addr % 4).collect();
        let pool = if flips.is_empty() { &all } else { &flips };
        if pool.is_empty() {
            return None;
        }
        Some(pool[rng.below(pool.len() as u64) as usize])
    }

    /// Up to `MAX_WINDOWS` free chunks of at least `need` bytes, found from seeded probe
    /// addresses: each probe takes the first fitting free chunk from the one containing or
    /// following it, looking at no more than `PROBE_SCAN` free chunks, so the cost does not
    /// grow with the number of free chunks. When the probes find nothing, every free chunk
    /// is examined.
    fn sample_free_windows(&self, need: u32, rng: &mut SeededRng) -> Vec<(u32, u32)> {
        let mut found: Vec<(u32, u32)> = Vec::with_capacity(MAX_WINDOWS);
        let span = (self.terminator - self.first_chunk) as u64;
        for _ in 0..2 * MAX_WINDOWS {
            let probe = self.first_chunk + rng.below(span) as u32;
            // Start at the free chunk containing the probe, if any.
            let from = self.free.range(..=probe).next_back().copied().unwrap_or(probe);
            let hit = self
                .free
                .range(from..)
                .chain(self.free.range(..from))
                .take(PROBE_SCAN)
                .map(|&f| (f, self.chunks[&f]))
                .find(|&(_, size)| size >= need);
            if let Some(w) = hit {
                if !found.contains(&w) {
                    found.push(w);
                    if found.len() == MAX_WINDOWS {
                        break;
                    }
                }
            }
        }
        if found.is_empty() {
            found = self.free.iter().map(|&f| (f, self.chunks[&f])).filter(|&(_, size)| size >= need).take(MAX_WINDOWS).collect();
        }
        found
    }

    /// Performs a placement; returns the chunk's new header address.
    fn move_chunk(&mut self, mem: &mut dyn GuestMemory, addr: u32, hdr: &ChunkHeader, h: u32, p: Placement) -> Result<u32, MemErr> {
        let data_size = hdr.data_size();
        let need = actual_size_for(data_size);
        let new = p.start + p.offset;
        let tail = p.len - p.offset - need;
        let actual = if tail >= MIN_FREE { need } else { need + tail };
        match p.window {
            Window::Free(f) => {
                self.carve(mem, f, p.offset, need)?;
                mem.copy_within(new + ChunkHeader::LEN, addr + ChunkHeader::LEN, data_size)?;
            }
            Window::Own(start, end) => {
                // Take the chunk and its free neighbours out, slide, then free what is left.
                if start != addr {
                    self.take_free(mem, start)?;
                    self.chunks.remove(&start);
                }
                let old_end = addr + hdr.size;
                if end != old_end {
                    self.take_free(mem, old_end)?;
                    self.chunks.remove(&old_end);
                }
                self.chunks.remove(&addr);
                mem.copy_within(new + ChunkHeader::LEN, addr + ChunkHeader::LEN, data_size)?;
                self.chunks.insert(new, actual);
            }
        }
        let moved = ChunkHeader {
            size: actual,
            size_adj: (actual - ChunkHeader::LEN - data_size) as u8,
            h_offset: offset_field(new, h),
            ..*hdr
        };
        write_header(mem, new, &moved)?;
        mem.write_u32(h, new + ChunkHeader::LEN)?;
        match p.window {
            Window::Free(_) => {
                let old_size = self.chunks.remove(&addr).ok_or(MemErr::Corrupt(addr))?;
                self.insert_free(mem, addr, old_size)?;
            }
            Window::Own(start, end) => {
                if new > start {
                    self.insert_free(mem, start, new - start)?;
                }
                if new + actual < end {
                    self.insert_free(mem, new + actual, end - new - actual)?;
                }
            }
        }
        debug_assert_eq!(read_header(mem, new).map(|h| h.size).ok(), Some(actual));
        Ok(new)
    }
}
