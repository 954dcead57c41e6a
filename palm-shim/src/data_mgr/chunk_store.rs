//! The Memory Manager as the Data Manager's [`ChunkStore`]: storage chunks belong to owner 0
//! (the system), dynamic-heap chunks (open-database references) to the current application.

use super::{ChunkStore, HeapKind, PalmErr};
use crate::managers::memory_mgr::{MemoryManager, DYNAMIC_HEAP_ID, STORAGE_HEAP_ID};
use crate::memory::GuestMemory;

/// Owner ID of Data Manager chunks in the storage heap.
const STORAGE_OWNER: u8 = 0;

fn heap_id(kind: HeapKind) -> u16 {
    match kind {
        HeapKind::Dynamic => DYNAMIC_HEAP_ID,
        HeapKind::Storage => STORAGE_HEAP_ID,
    }
}

impl MemoryManager {
    fn owner_for(&self, kind: HeapKind) -> u8 {
        match kind {
            HeapKind::Dynamic => self.current_owner(),
            HeapKind::Storage => STORAGE_OWNER,
        }
    }

    /// A storage-heap handle for `DmNewHandle`.
    pub fn alloc_storage_handle(&mut self, mem: &mut dyn GuestMemory, size: u32) -> Result<u32, PalmErr> {
        ChunkStore::alloc_handle(self, mem, HeapKind::Storage, size)
    }

    /// `MemHandleSize`, 0 for a bad handle (for totals).
    pub fn handle_size_of(&self, mem: &dyn GuestMemory, h: u32) -> u32 {
        self.handle_info(mem, h).map_or(0, |c| c.data_size)
    }
}

impl ChunkStore for MemoryManager {
    fn alloc_handle(&mut self, mem: &mut dyn GuestMemory, heap: HeapKind, size: u32) -> Result<u32, PalmErr> {
        let owner = self.owner_for(heap);
        MemoryManager::alloc_handle(self, mem, heap_id(heap), size, owner).map_err(|e| e.code())
    }
    fn alloc_ptr(&mut self, mem: &mut dyn GuestMemory, heap: HeapKind, size: u32) -> Result<u32, PalmErr> {
        let owner = self.owner_for(heap);
        MemoryManager::alloc_ptr(self, mem, heap_id(heap), size, owner).map_err(|e| e.code())
    }
    fn free_handle(&mut self, mem: &mut dyn GuestMemory, h: u32) -> Result<(), PalmErr> {
        MemoryManager::free_handle(self, mem, h).map_err(|e| e.code())
    }
    fn free_ptr(&mut self, mem: &mut dyn GuestMemory, p: u32) -> Result<(), PalmErr> {
        self.free_chunk(mem, p).map_err(|e| e.code())
    }
    fn resize_handle(&mut self, mem: &mut dyn GuestMemory, h: u32, size: u32) -> Result<(), PalmErr> {
        MemoryManager::resize_handle(self, mem, h, size).map_err(|e| e.code())
    }
    fn handle_size(&self, mem: &dyn GuestMemory, h: u32) -> Result<u32, PalmErr> {
        self.handle_info(mem, h).map(|c| c.data_size).map_err(|e| e.code())
    }
    fn deref(&self, mem: &dyn GuestMemory, h: u32) -> Result<u32, PalmErr> {
        self.deref_handle(mem, h).map_err(|e| e.code())
    }
    fn lock_count(&self, mem: &dyn GuestMemory, h: u32) -> Result<u8, PalmErr> {
        self.handle_info(mem, h).map(|c| c.lock_count).map_err(|e| e.code())
    }
    fn is_handle_in(&self, mem: &dyn GuestMemory, h: u32, heap: HeapKind) -> bool {
        self.is_handle(mem, h, Some(heap_id(heap)))
    }
    fn storage_chunk_at(&self, mem: &dyn GuestMemory, p: u32) -> Option<(u32, u32)> {
        let c = self.ptr_info(mem, p).ok()?;
        (c.heap == STORAGE_HEAP_ID).then(|| (c.handle().unwrap_or(0), c.data_size))
    }
}
