//! Memory Manager, heaps and chunks: the dynamic heap and the storage heap formatted in guest
//! RAM exactly as PalmOS lays them out (heap header, master pointer tables, 8-byte chunk
//! headers, see `palm_abi::mem_layout` and `docs/memory-manager.md`), the `Mem*` traps on
//! them (in `traps`), and the host API the Data Manager, the card loader and tests use
//! ([`MemoryManager`]). Block operations (MemMove/MemSet/MemCmp) are in `mem_ops`.
//!
//! # Host API
//! Every call takes the guest memory it works on; the heaps' state lives there, with only a
//! cache of chunk positions on the host ([`Heap`]).
//! - Set-up: [`MemoryManager::init`] formats both heaps (what `Shim::init_memory` calls right
//!   after guest RAM is created); [`MemoryManager::attach`] re-reads heaps already in guest
//!   memory (a restored RAM image).
//! - Chunks: [`alloc_handle`](MemoryManager::alloc_handle), [`alloc_ptr`](MemoryManager::alloc_ptr),
//!   [`lock_handle`](MemoryManager::lock_handle), [`unlock_handle`](MemoryManager::unlock_handle),
//!   [`unlock_ptr`](MemoryManager::unlock_ptr), [`resize_handle`](MemoryManager::resize_handle),
//!   [`resize_ptr`](MemoryManager::resize_ptr), [`free_handle`](MemoryManager::free_handle),
//!   [`free_chunk`](MemoryManager::free_chunk), [`set_handle_owner`](MemoryManager::set_handle_owner).
//! - Queries: [`handle_info`](MemoryManager::handle_info), [`ptr_info`](MemoryManager::ptr_info),
//!   [`deref_handle`](MemoryManager::deref_handle), [`recover_handle`](MemoryManager::recover_handle),
//!   [`is_handle`](MemoryManager::is_handle), [`heap_id_of`](MemoryManager::heap_id_of),
//!   [`chunks`](MemoryManager::chunks), [`free_bytes`](MemoryManager::free_bytes).
//! - Whole heaps: [`compact`](MemoryManager::compact),
//!   [`relocate_unlocked`](MemoryManager::relocate_unlocked),
//!   [`free_by_owner`](MemoryManager::free_by_owner), [`check`](MemoryManager::check).
//! - Storage protection: [`reserve`](MemoryManager::reserve), [`release`](MemoryManager::release),
//!   [`storage_writable`](MemoryManager::storage_writable).
//!
//! Host writes bypass the guest's write protection of the storage heap, so host callers need
//! not reserve the semaphore. Errors are [`MemErr`]s; [`MemErr::code`] is the PalmOS `Err`.

mod check;
mod compact;
mod heap;
mod relocate;
#[cfg(test)]
mod tests;
mod traps;

pub use check::{HeapCheckError, HeapStats};
pub use compact::CompactionReport;
pub use heap::{ChunkInfo, ChunkKind, FreeBytes, Heap, HeapId, MAX_CHUNK_DATA, MAX_HEAP_SIZE};
pub use relocate::{RelocationReport, SeededRng};
pub use traps::install;

use crate::memory::{GuestMemory, MemError};
use palm_abi::{errors, memmap};
use thiserror::Error;

/// Heap ID of the dynamic heap (card 0, heap 0).
pub const DYNAMIC_HEAP_ID: HeapId = 0;
/// Heap ID of the storage heap (card 0, heap 1).
pub const STORAGE_HEAP_ID: HeapId = 1;
/// What heap-ID queries answer for something that is in no heap.
pub const NO_HEAP_ID: HeapId = 0xFFFF;
/// Master pointers in the dynamic heap's first table (PalmOS: 200).
pub const DYNAMIC_TABLE_ENTRIES: u16 = 256;
/// Master pointers in the storage heap's first table (PalmOS: 200).
pub const STORAGE_TABLE_ENTRIES: u16 = 1024;
/// Master pointers added per extra table (PalmOS: 50).
pub const TABLE_GROWTH: u16 = 64;
/// Memory cards: only card 0.
pub const NUM_CARDS: u16 = 1;

/// Why a Memory Manager call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MemErr {
    /// No free chunk is big enough, even after compaction (`memErrNotEnoughSpace`).
    #[error("not enough space")]
    NotEnoughSpace,
    /// A bad handle, pointer, heap ID, owner or size (`memErrInvalidParam`).
    #[error("invalid parameter: {0}")]
    InvalidParam(&'static str),
    /// The chunk would have to move but is locked or non-movable (`memErrChunkLocked`).
    #[error("chunk is locked or non-movable")]
    ChunkLocked,
    /// Locking a chunk whose lock count is already 15 (`memErrChunkLocked`).
    #[error("lock count would exceed 15")]
    LockOverflow,
    /// Unlocking a chunk whose lock count is 0 (`memErrChunkNotLocked`).
    #[error("chunk is not locked")]
    ChunkNotLocked,
    /// The heaps have not been formatted (`Shim::init_memory` was not called).
    #[error("heaps not initialised")]
    NotInitialised,
    /// The guest structures disagree with themselves or with the host cache (guest code
    /// overwrote a chunk header or master pointer). Reported as `memErrInvalidParam`.
    #[error("heap structure inconsistent at {0:#010x}")]
    Corrupt(u32),
    /// Host access to guest memory failed (the heaps are not mapped): a host bug.
    #[error(transparent)]
    Guest(#[from] MemError),
}

impl MemErr {
    /// The PalmOS `Err` code a trap returns for this error.
    pub fn code(&self) -> u16 {
        match self {
            MemErr::NotEnoughSpace => errors::MEM_ERR_NOT_ENOUGH_SPACE,
            MemErr::ChunkLocked | MemErr::LockOverflow => errors::MEM_ERR_CHUNK_LOCKED,
            MemErr::ChunkNotLocked => errors::MEM_ERR_CHUNK_NOT_LOCKED,
            MemErr::InvalidParam(_) | MemErr::NotInitialised | MemErr::Corrupt(_) | MemErr::Guest(_) => {
                errors::MEM_ERR_INVALID_PARAM
            }
        }
    }
}

/// The Memory Manager's state: the two heaps, the semaphore counts and the owner ID given
/// to chunks the guest allocates.
#[derive(Debug, Clone, Default)]
pub struct MemoryManager {
    /// Indexed by heap ID; empty until `init` or `attach`.
    heaps: Vec<Heap>,
    read_reservations: u32,
    write_reservations: u32,
    current_owner: u8,
}

impl MemoryManager {
    pub fn new() -> Self {
        Self::default()
    }

    /// Formats the dynamic heap over `memmap::DYNAMIC_HEAP` and the storage heap over
    /// `memmap::STORAGE_HEAP`, discarding whatever was there.
    pub fn init(&mut self, mem: &mut dyn GuestMemory) -> Result<(), MemErr> {
        let d = memmap::DYNAMIC_HEAP;
        let s = memmap::STORAGE_HEAP;
        let dynamic = Heap::format(mem, DYNAMIC_HEAP_ID, d.base, d.size, DYNAMIC_TABLE_ENTRIES, TABLE_GROWTH)?;
        let storage = Heap::format(mem, STORAGE_HEAP_ID, s.base, s.size, STORAGE_TABLE_ENTRIES, TABLE_GROWTH)?;
        self.heaps = vec![dynamic, storage];
        Ok(())
    }

    /// Re-reads both heaps from guest memory (already formatted, e.g. a restored RAM image)
    /// and validates them; on error nothing changes.
    pub fn attach(&mut self, mem: &dyn GuestMemory) -> Result<(), HeapCheckError> {
        let d = memmap::DYNAMIC_HEAP;
        let s = memmap::STORAGE_HEAP;
        let dynamic = Heap::open(mem, DYNAMIC_HEAP_ID, d.base, d.size, TABLE_GROWTH)?;
        let storage = Heap::open(mem, STORAGE_HEAP_ID, s.base, s.size, TABLE_GROWTH)?;
        self.heaps = vec![dynamic, storage];
        Ok(())
    }

    pub fn is_initialised(&self) -> bool {
        !self.heaps.is_empty()
    }
    /// Number of heaps on card 0 (0 before `init`).
    pub fn num_heaps(&self) -> u16 {
        self.heaps.len() as u16
    }
    pub fn heap(&self, id: HeapId) -> Option<&Heap> {
        self.heaps.get(id as usize)
    }
    /// Direct access to a heap, for callers that need `Heap`'s own API.
    pub fn heap_mut(&mut self, id: HeapId) -> Option<&mut Heap> {
        self.heaps.get_mut(id as usize)
    }
    fn heap_ref(&self, id: HeapId) -> Result<&Heap, MemErr> {
        if self.heaps.is_empty() {
            return Err(MemErr::NotInitialised);
        }
        self.heaps.get(id as usize).ok_or(MemErr::InvalidParam("no such heap"))
    }
    fn heap_ref_mut(&mut self, id: HeapId) -> Result<&mut Heap, MemErr> {
        if self.heaps.is_empty() {
            return Err(MemErr::NotInitialised);
        }
        self.heaps.get_mut(id as usize).ok_or(MemErr::InvalidParam("no such heap"))
    }
    /// The heap whose range contains `addr`.
    pub fn heap_id_of(&self, addr: u32) -> Option<HeapId> {
        self.heaps.iter().find(|h| h.contains(addr)).map(|h| h.id())
    }
    fn heap_at(&self, addr: u32) -> Result<&Heap, MemErr> {
        if self.heaps.is_empty() {
            return Err(MemErr::NotInitialised);
        }
        self.heaps.iter().find(|h| h.contains(addr)).ok_or(MemErr::InvalidParam("address in no heap"))
    }
    fn heap_at_mut(&mut self, addr: u32) -> Result<&mut Heap, MemErr> {
        if self.heaps.is_empty() {
            return Err(MemErr::NotInitialised);
        }
        self.heaps.iter_mut().find(|h| h.contains(addr)).ok_or(MemErr::InvalidParam("address in no heap"))
    }

    // ---- Chunks ----------------------------------------------------------------------

    /// A new movable chunk of `size` bytes (1..=[`MAX_CHUNK_DATA`], contents undefined) in
    /// `heap`, owned by `owner` (0..=15), lock count 0. Returns its handle.
    pub fn alloc_handle(&mut self, mem: &mut dyn GuestMemory, heap: HeapId, size: u32, owner: u8) -> Result<u32, MemErr> {
        self.heap_ref_mut(heap)?.alloc_movable(mem, size, owner)
    }

    /// A new non-movable chunk of `size` bytes (contents undefined). Returns its data address.
    pub fn alloc_ptr(&mut self, mem: &mut dyn GuestMemory, heap: HeapId, size: u32, owner: u8) -> Result<u32, MemErr> {
        self.heap_ref_mut(heap)?.alloc_nonmovable(mem, size, owner)
    }

    /// Locks a movable chunk (lock count + 1, at most 15) and returns its data address.
    pub fn lock_handle(&mut self, mem: &mut dyn GuestMemory, h: u32) -> Result<u32, MemErr> {
        let heap = self.heap_at_mut(h)?;
        let (addr, hdr) = heap.resolve_handle(mem, h)?;
        heap.lock_at(mem, addr, &hdr)
    }

    /// Unlocks a movable chunk; `ChunkNotLocked` if its lock count is 0.
    pub fn unlock_handle(&mut self, mem: &mut dyn GuestMemory, h: u32) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(h)?;
        let (addr, hdr) = heap.resolve_handle(mem, h)?;
        heap.unlock_at(mem, addr, &hdr)
    }

    /// Unlocks the chunk whose data is at `p` (`MemPtrUnlock`); a no-op for non-movable chunks.
    pub fn unlock_ptr(&mut self, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(p)?;
        let (addr, hdr) = heap.resolve_ptr(mem, p)?;
        heap.unlock_at(mem, addr, &hdr)
    }

    /// Sets a movable chunk's lock count to 0 (`MemHandleResetLock`).
    pub fn reset_lock_handle(&mut self, mem: &mut dyn GuestMemory, h: u32) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(h)?;
        let (addr, hdr) = heap.resolve_handle(mem, h)?;
        heap.reset_lock_at(mem, addr, &hdr)
    }

    /// `MemPtrResetLock`: resets the lock count of the movable chunk whose data is at `p`.
    pub fn reset_lock_ptr(&mut self, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(p)?;
        let (addr, hdr) = heap.resolve_ptr(mem, p)?;
        heap.reset_lock_at(mem, addr, &hdr)
    }

    /// Frees a movable chunk and its master pointer, locked or not (as PalmOS does).
    pub fn free_handle(&mut self, mem: &mut dyn GuestMemory, h: u32) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(h)?;
        let (addr, hdr) = heap.resolve_handle(mem, h)?;
        if hdr.lock_count > 0 {
            log::debug!("freeing handle {h:#010x} with lock count {}", hdr.lock_count);
        }
        heap.free_at(mem, addr, &hdr)
    }

    /// Frees the chunk whose data is at `p` (`MemChunkFree`/`MemPtrFree`): a non-movable
    /// chunk, or a movable one (usually locked) together with its master pointer.
    pub fn free_chunk(&mut self, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(p)?;
        let (addr, hdr) = heap.resolve_ptr(mem, p)?;
        heap.free_at(mem, addr, &hdr)
    }

    /// Resizes a movable chunk (0 allowed). It grows in place if it can; otherwise it moves
    /// if unlocked (`ChunkLocked` if locked). Read `*h` again afterwards.
    pub fn resize_handle(&mut self, mem: &mut dyn GuestMemory, h: u32, size: u32) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(h)?;
        let (addr, _) = heap.resolve_handle(mem, h)?;
        heap.resize_at(mem, addr, size).map(|_| ())
    }

    /// Resizes the chunk whose data is at `p` in place (`MemPtrResize`): `ChunkLocked` if it
    /// cannot grow where it is. A movable chunk is treated by its lock count, as by PalmOS.
    pub fn resize_ptr(&mut self, mem: &mut dyn GuestMemory, p: u32, size: u32) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(p)?;
        let (addr, _) = heap.resolve_ptr(mem, p)?;
        heap.resize_at(mem, addr, size).map(|_| ())
    }

    /// Sets the owner ID (0..=15) of a movable chunk.
    pub fn set_handle_owner(&mut self, mem: &mut dyn GuestMemory, h: u32, owner: u8) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(h)?;
        let (addr, hdr) = heap.resolve_handle(mem, h)?;
        heap.set_owner_at(mem, addr, &hdr, owner)
    }

    /// Sets the owner ID (0..=15) of the chunk whose data is at `p`.
    pub fn set_ptr_owner(&mut self, mem: &mut dyn GuestMemory, p: u32, owner: u8) -> Result<(), MemErr> {
        let heap = self.heap_at_mut(p)?;
        let (addr, hdr) = heap.resolve_ptr(mem, p)?;
        heap.set_owner_at(mem, addr, &hdr, owner)
    }

    // ---- Queries ---------------------------------------------------------------------

    /// The chunk behind handle `h`.
    pub fn handle_info(&self, mem: &dyn GuestMemory, h: u32) -> Result<ChunkInfo, MemErr> {
        let heap = self.heap_at(h)?;
        let (addr, hdr) = heap.resolve_handle(mem, h)?;
        heap.info(addr, &hdr)
    }

    /// The chunk whose data starts at `p`.
    pub fn ptr_info(&self, mem: &dyn GuestMemory, p: u32) -> Result<ChunkInfo, MemErr> {
        let heap = self.heap_at(p)?;
        let (addr, hdr) = heap.resolve_ptr(mem, p)?;
        heap.info(addr, &hdr)
    }

    /// The current data address of handle `h` (`*h`, validated).
    pub fn deref_handle(&self, mem: &dyn GuestMemory, h: u32) -> Result<u32, MemErr> {
        Ok(self.handle_info(mem, h)?.data)
    }

    /// The handle of the movable chunk whose data is at `p`; `InvalidParam` for a
    /// non-movable chunk.
    pub fn recover_handle(&self, mem: &dyn GuestMemory, p: u32) -> Result<u32, MemErr> {
        self.ptr_info(mem, p)?.handle().ok_or(MemErr::InvalidParam("not a movable chunk"))
    }

    /// True if `h` is a live handle (optionally: in heap `heap`).
    pub fn is_handle(&self, mem: &dyn GuestMemory, h: u32, heap: Option<HeapId>) -> bool {
        self.handle_info(mem, h).is_ok_and(|c| heap.is_none_or(|id| c.heap == id))
    }

    /// Every allocated chunk of `heap`, in address order.
    pub fn chunks(&self, mem: &dyn GuestMemory, heap: HeapId) -> Result<Vec<ChunkInfo>, MemErr> {
        self.heap_ref(heap)?.chunks(mem)
    }

    /// Free space of `heap` (see [`FreeBytes`]).
    pub fn free_bytes(&self, heap: HeapId) -> Result<FreeBytes, MemErr> {
        Ok(self.heap_ref(heap)?.free_bytes())
    }

    // ---- Whole heaps -----------------------------------------------------------------

    /// Slides unlocked movable chunks of `heap` down (see `compact.rs`).
    pub fn compact(&mut self, mem: &mut dyn GuestMemory, heap: HeapId) -> Result<CompactionReport, MemErr> {
        self.heap_ref_mut(heap)?.compact(mem)
    }

    /// Moves every unlocked movable chunk of `heap` to a new address chosen from `seed`,
    /// flipping 4-byte alignment where possible (see `relocate.rs`).
    pub fn relocate_unlocked(&mut self, mem: &mut dyn GuestMemory, heap: HeapId, seed: u64) -> Result<RelocationReport, MemErr> {
        self.heap_ref_mut(heap)?.relocate_unlocked(mem, seed)
    }

    /// Frees every chunk of `heap` owned by `owner`; returns how many.
    pub fn free_by_owner(&mut self, mem: &mut dyn GuestMemory, heap: HeapId, owner: u8) -> Result<u32, MemErr> {
        self.heap_ref_mut(heap)?.free_by_owner(mem, owner)
    }

    /// Validates every heap's structure in guest memory; returns each heap's counts.
    pub fn check(&self, mem: &dyn GuestMemory) -> Result<Vec<HeapStats>, HeapCheckError> {
        self.heaps.iter().map(|h| h.check(mem)).collect()
    }

    // ---- Semaphore and storage protection --------------------------------------------

    /// `MemSemaphoreReserve`: counts a reservation; with `write_access` the storage heap is
    /// writable by the guest until the matching release.
    pub fn reserve(&mut self, write_access: bool) {
        let n = if write_access { &mut self.write_reservations } else { &mut self.read_reservations };
        *n = n.saturating_add(1);
    }

    /// `MemSemaphoreRelease`: undoes one reservation of the same kind; releasing more than
    /// was reserved is `InvalidParam` and changes nothing.
    pub fn release(&mut self, write_access: bool) -> Result<(), MemErr> {
        let n = if write_access { &mut self.write_reservations } else { &mut self.read_reservations };
        if *n == 0 {
            return Err(MemErr::InvalidParam("semaphore released more often than reserved"));
        }
        *n -= 1;
        Ok(())
    }

    /// True while at least one write-access reservation is held: the guest may write to
    /// the storage heap. The emulator applies this to its page protection after each trap.
    pub fn storage_writable(&self) -> bool {
        self.write_reservations > 0
    }

    /// (read, write) reservations currently held.
    pub fn reservations(&self) -> (u32, u32) {
        (self.read_reservations, self.write_reservations)
    }

    /// Owner ID given to chunks the guest allocates with `MemHandleNew`/`MemPtrNew`.
    pub fn current_owner(&self) -> u8 {
        self.current_owner
    }
    /// Sets the owner ID for guest allocations (the System Manager will set it per app).
    pub fn set_current_owner(&mut self, owner: u8) {
        self.current_owner = owner & 0xF;
    }
}
