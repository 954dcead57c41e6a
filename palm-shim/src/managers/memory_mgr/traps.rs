//! Trap marshalling for the Memory Manager's heap traps: each handler decodes the stack
//! arguments, calls the [`MemoryManager`](super::MemoryManager) and sets the results.
//!
//! Result conventions: `Err` results go to D0. Pointer results go to A0 and, on success, to
//! D0 as well (`TrapCall::ret_ptr`); on failure A0 is NULL and D0 holds the PalmOS error.
//! `MemHandleLock` on a chunk already locked 15 times returns the (still valid) data address
//! in A0 with `memErrChunkLocked` in D0. Value results (sizes, lock counts, IDs) are 0 (or
//! `NO_HEAP_ID`) for a bad argument. Every PalmOS error is logged as a warning; a bad handle
//! or pointer never stops the run, only an unreachable output pointer does (as for every
//! other manager).

use super::{MemErr, DYNAMIC_HEAP_ID, NO_HEAP_ID, NUM_CARDS, STORAGE_HEAP_ID};
use crate::dispatch::{HandlerError, HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::Shim;
use palm_abi::mem_layout::{local_id, HeapHeader, MAX_OWNER};
use palm_abi::{errors, traps};

pub fn install(t: &mut TrapTable) {
    t.register(traps::MEM_HANDLE_NEW, mem_handle_new);
    t.register(traps::MEM_HANDLE_LOCK, mem_handle_lock);
    t.register(traps::MEM_HANDLE_UNLOCK, mem_handle_unlock);
    t.register(traps::MEM_HANDLE_FREE, mem_handle_free);
    t.register(traps::MEM_HANDLE_SIZE, mem_handle_size);
    t.register(traps::MEM_HANDLE_RESIZE, mem_handle_resize);
    t.register(traps::MEM_HANDLE_LOCK_COUNT, mem_handle_lock_count);
    t.register(traps::MEM_HANDLE_HEAP_ID, mem_handle_heap_id);
    t.register(traps::MEM_HANDLE_CARD_NO, mem_handle_card_no);
    t.register(traps::MEM_HANDLE_OWNER, mem_handle_owner);
    t.register(traps::MEM_HANDLE_SET_OWNER, mem_handle_set_owner);
    t.register(traps::MEM_HANDLE_RESET_LOCK, mem_handle_reset_lock);
    t.register(traps::MEM_HANDLE_DATA_STORAGE, mem_handle_data_storage);
    t.register(traps::MEM_HANDLE_TO_LOCAL_ID, mem_handle_to_local_id);
    t.register(traps::MEM_PTR_NEW, mem_ptr_new);
    t.register(traps::MEM_CHUNK_FREE, mem_chunk_free);
    t.register(traps::MEM_PTR_UNLOCK, mem_ptr_unlock);
    t.register(traps::MEM_PTR_RECOVER_HANDLE, mem_ptr_recover_handle);
    t.register(traps::MEM_PTR_SIZE, mem_ptr_size);
    t.register(traps::MEM_PTR_RESIZE, mem_ptr_resize);
    t.register(traps::MEM_PTR_HEAP_ID, mem_ptr_heap_id);
    t.register(traps::MEM_PTR_CARD_NO, mem_ptr_card_no);
    t.register(traps::MEM_PTR_OWNER, mem_ptr_owner);
    t.register(traps::MEM_PTR_SET_OWNER, mem_ptr_set_owner);
    t.register(traps::MEM_PTR_RESET_LOCK, mem_ptr_reset_lock);
    t.register(traps::MEM_PTR_DATA_STORAGE, mem_ptr_data_storage);
    t.register(traps::MEM_PTR_TO_LOCAL_ID, mem_ptr_to_local_id);
    t.register(traps::MEM_LOCAL_ID_TO_GLOBAL, mem_local_id_to_global);
    t.register(traps::MEM_LOCAL_ID_KIND, mem_local_id_kind);
    t.register(traps::MEM_LOCAL_ID_TO_PTR, mem_local_id_to_ptr);
    t.register(traps::MEM_LOCAL_ID_TO_LOCKED_PTR, mem_local_id_to_locked_ptr);
    t.register(traps::MEM_NUM_CARDS, mem_num_cards);
    t.register(traps::MEM_NUM_HEAPS, mem_num_heaps);
    t.register(traps::MEM_NUM_RAM_HEAPS, mem_num_heaps);
    t.register(traps::MEM_HEAP_ID, mem_heap_id);
    t.register(traps::MEM_HEAP_DYNAMIC, mem_heap_dynamic);
    t.register(traps::MEM_HEAP_SIZE, mem_heap_size);
    t.register(traps::MEM_HEAP_FLAGS, mem_heap_flags);
    t.register(traps::MEM_HEAP_FREE_BYTES, mem_heap_free_bytes);
    t.register(traps::MEM_HEAP_COMPACT, mem_heap_compact);
    t.register(traps::MEM_HEAP_CHECK, mem_heap_check);
    t.register(traps::MEM_HEAP_FREE_BY_OWNER_ID, mem_heap_free_by_owner_id);
    t.register(traps::MEM_SEMAPHORE_RESERVE, mem_semaphore_reserve);
    t.register(traps::MEM_SEMAPHORE_RELEASE, mem_semaphore_release);
}

const CONTINUE: HandlerResult = Ok(TrapOutcome::Continue);

/// The PalmOS code for a failed call, logged as a warning. A host fault reaching guest
/// memory stays a fault.
fn palm_code(c: &TrapCall<'_>, e: MemErr) -> Result<u32, HandlerError> {
    match e {
        MemErr::Guest(m) => Err(HandlerError::Memory(m)),
        e => {
            let name = palm_abi::trap_names::trap_name(c.word).unwrap_or("Mem?");
            log::warn!("{name} at PC {:08X}: {e} ({})", c.regs.pc(), errors::error_name(e.code()).unwrap_or("?"));
            Ok(e.code() as u32)
        }
    }
}

/// D0 = 0 or the error code.
fn ret_err(c: &mut TrapCall<'_>, r: Result<(), MemErr>) -> HandlerResult {
    let v = match r {
        Ok(()) => 0,
        Err(e) => palm_code(c, e)?,
    };
    c.ret(v);
    CONTINUE
}

/// A0 (and D0) = the pointer; on failure A0 = NULL and D0 = the error code.
fn ret_ptr(c: &mut TrapCall<'_>, r: Result<u32, MemErr>) -> HandlerResult {
    match r {
        Ok(p) => c.ret_ptr(p),
        Err(e) => {
            let code = palm_code(c, e)?;
            c.regs.set_a(0, 0);
            c.regs.set_d(0, code);
        }
    }
    CONTINUE
}

/// D0 = the value, or 0 on failure.
fn ret_value(c: &mut TrapCall<'_>, r: Result<u32, MemErr>) -> HandlerResult {
    let v = match r {
        Ok(v) => v,
        Err(e) => {
            palm_code(c, e)?;
            0
        }
    };
    c.ret(v);
    CONTINUE
}

/// A `UInt16 owner` argument as a 4-bit owner ID.
fn owner_arg(owner: u16) -> Result<u8, MemErr> {
    if owner > MAX_OWNER as u16 {
        return Err(MemErr::InvalidParam("owner ID above 15"));
    }
    Ok(owner as u8)
}

/// Only card 0 exists.
fn card_arg(card: u16) -> Result<(), MemErr> {
    if card != 0 {
        return Err(MemErr::InvalidParam("only card 0 exists"));
    }
    Ok(())
}

// ---- Handles ----------------------------------------------------------------------------

/// `MemHandle MemHandleNew(UInt32 size)`: a movable chunk in the dynamic heap.
fn mem_handle_new(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let size = c.args().u32()?;
    let owner = shim.memory.current_owner();
    let r = shim.memory.alloc_handle(&mut *c.mem, DYNAMIC_HEAP_ID, size, owner);
    ret_ptr(c, r)
}

/// `MemPtr MemHandleLock(MemHandle h)`
fn mem_handle_lock(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    match shim.memory.lock_handle(&mut *c.mem, h) {
        Err(MemErr::LockOverflow) => {
            let code = palm_code(c, MemErr::LockOverflow)?;
            let p = shim.memory.deref_handle(&*c.mem, h).unwrap_or(0);
            c.regs.set_a(0, p);
            c.regs.set_d(0, code);
            CONTINUE
        }
        r => ret_ptr(c, r),
    }
}

/// `Err MemHandleUnlock(MemHandle h)`
fn mem_handle_unlock(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.unlock_handle(&mut *c.mem, h);
    ret_err(c, r)
}

/// `Err MemHandleFree(MemHandle h)`: frees the chunk even if it is locked, as PalmOS does.
fn mem_handle_free(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.free_handle(&mut *c.mem, h);
    ret_err(c, r)
}

/// `UInt32 MemHandleSize(MemHandle h)`
fn mem_handle_size(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.handle_info(&*c.mem, h).map(|i| i.data_size);
    ret_value(c, r)
}

/// `Err MemHandleResize(MemHandle h, UInt32 newSize)`
fn mem_handle_resize(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (h, size) = {
        let mut a = c.args();
        (a.ptr()?, a.u32()?)
    };
    let r = shim.memory.resize_handle(&mut *c.mem, h, size);
    ret_err(c, r)
}

/// `UInt16 MemHandleLockCount(MemHandle h)`
fn mem_handle_lock_count(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.handle_info(&*c.mem, h).map(|i| i.lock_count as u32);
    ret_value(c, r)
}

/// `UInt16 MemHandleHeapID(MemHandle h)`: `NO_HEAP_ID` for a bad handle.
fn mem_handle_heap_id(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let id = match shim.memory.handle_info(&*c.mem, h) {
        Ok(i) => i.heap,
        Err(e) => {
            palm_code(c, e)?;
            NO_HEAP_ID
        }
    };
    c.ret(id as u32);
    CONTINUE
}

/// `UInt16 MemHandleCardNo(MemHandle h)`: always card 0.
fn mem_handle_card_no(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.handle_info(&*c.mem, h).map(|_| 0);
    ret_value(c, r)
}

/// `UInt16 MemHandleOwner(MemHandle h)`
fn mem_handle_owner(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.handle_info(&*c.mem, h).map(|i| i.owner as u32);
    ret_value(c, r)
}

/// `Err MemHandleSetOwner(MemHandle h, UInt16 owner)`
fn mem_handle_set_owner(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (h, owner) = {
        let mut a = c.args();
        (a.ptr()?, a.u16()?)
    };
    let r = owner_arg(owner).and_then(|o| shim.memory.set_handle_owner(&mut *c.mem, h, o));
    ret_err(c, r)
}

/// `Err MemHandleResetLock(MemHandle h)`
fn mem_handle_reset_lock(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.reset_lock_handle(&mut *c.mem, h);
    ret_err(c, r)
}

/// `Boolean MemHandleDataStorage(MemHandle h)`: true for storage-heap chunks.
fn mem_handle_data_storage(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.handle_info(&*c.mem, h).map(|i| (i.heap == STORAGE_HEAP_ID) as u32);
    ret_value(c, r)
}

/// `LocalID MemHandleToLocalID(MemHandle h)`: the handle with bit 0 set; 0 if invalid.
fn mem_handle_to_local_id(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let r = shim.memory.handle_info(&*c.mem, h).map(|_| (h - local_id::CARD0_BASE) | local_id::HANDLE_BIT);
    ret_value(c, r)
}

// ---- Pointers ---------------------------------------------------------------------------

/// `MemPtr MemPtrNew(UInt32 size)`: a non-movable chunk in the dynamic heap.
fn mem_ptr_new(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let size = c.args().u32()?;
    let owner = shim.memory.current_owner();
    let r = shim.memory.alloc_ptr(&mut *c.mem, DYNAMIC_HEAP_ID, size, owner);
    ret_ptr(c, r)
}

/// `Err MemChunkFree(MemPtr chunkDataP)` (`MemPtrFree` is a macro for it): frees a
/// non-movable chunk, or a movable chunk through its data pointer.
fn mem_chunk_free(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let r = shim.memory.free_chunk(&mut *c.mem, p);
    ret_err(c, r)
}

/// `Err MemPtrUnlock(MemPtr p)`
fn mem_ptr_unlock(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let r = shim.memory.unlock_ptr(&mut *c.mem, p);
    ret_err(c, r)
}

/// `MemHandle MemPtrRecoverHandle(MemPtr p)`: NULL for a non-movable chunk.
fn mem_ptr_recover_handle(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let r = shim.memory.recover_handle(&*c.mem, p);
    ret_ptr(c, r)
}

/// `UInt32 MemPtrSize(MemPtr p)`
fn mem_ptr_size(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let r = shim.memory.ptr_info(&*c.mem, p).map(|i| i.data_size);
    ret_value(c, r)
}

/// `Err MemPtrResize(MemPtr p, UInt32 newSize)`: in place only (a pointer cannot move).
fn mem_ptr_resize(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, size) = {
        let mut a = c.args();
        (a.ptr()?, a.u32()?)
    };
    let r = shim.memory.resize_ptr(&mut *c.mem, p, size);
    ret_err(c, r)
}

/// `UInt16 MemPtrHeapID(MemPtr p)`: `NO_HEAP_ID` for a bad pointer.
fn mem_ptr_heap_id(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let id = match shim.memory.ptr_info(&*c.mem, p) {
        Ok(i) => i.heap,
        Err(e) => {
            palm_code(c, e)?;
            NO_HEAP_ID
        }
    };
    c.ret(id as u32);
    CONTINUE
}

/// `UInt16 MemPtrCardNo(MemPtr p)`: always card 0.
fn mem_ptr_card_no(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let r = shim.memory.ptr_info(&*c.mem, p).map(|_| 0);
    ret_value(c, r)
}

/// `UInt16 MemPtrOwner(MemPtr p)`
fn mem_ptr_owner(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let r = shim.memory.ptr_info(&*c.mem, p).map(|i| i.owner as u32);
    ret_value(c, r)
}

/// `Err MemPtrSetOwner(MemPtr p, UInt16 owner)`
fn mem_ptr_set_owner(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, owner) = {
        let mut a = c.args();
        (a.ptr()?, a.u16()?)
    };
    let r = owner_arg(owner).and_then(|o| shim.memory.set_ptr_owner(&mut *c.mem, p, o));
    ret_err(c, r)
}

/// `Err MemPtrResetLock(MemPtr p)`
fn mem_ptr_reset_lock(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let r = shim.memory.reset_lock_ptr(&mut *c.mem, p);
    ret_err(c, r)
}

/// `Boolean MemPtrDataStorage(MemPtr p)`: true for storage-heap chunks.
fn mem_ptr_data_storage(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let r = shim.memory.ptr_info(&*c.mem, p).map(|i| (i.heap == STORAGE_HEAP_ID) as u32);
    ret_value(c, r)
}

// ---- LocalIDs ---------------------------------------------------------------------------

/// `LocalID MemPtrToLocalID(MemPtr p)`: card 0's base is 0, so the address itself (PalmOS
/// does not validate the pointer either).
fn mem_ptr_to_local_id(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    c.ret(p - local_id::CARD0_BASE);
    CONTINUE
}

/// `MemPtr MemLocalIDToGlobal(LocalID local, UInt16 cardNo)`: the pointer, or the handle
/// for a handle LocalID (bit 0 cleared).
fn mem_local_id_to_global(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (local, card) = {
        let mut a = c.args();
        (a.u32()?, a.u16()?)
    };
    let r = card_arg(card).and_then(|_| match local {
        0 => Err(MemErr::InvalidParam("LocalID 0")),
        l => Ok((l & !local_id::HANDLE_BIT) + local_id::CARD0_BASE),
    });
    ret_ptr(c, r)
}

/// `LocalIDKind MemLocalIDKind(LocalID local)`: `memIDHandle` if bit 0 is set.
fn mem_local_id_kind(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let local = c.args().u32()?;
    let kind = if local & local_id::HANDLE_BIT != 0 { local_id::KIND_HANDLE } else { local_id::KIND_PTR };
    c.ret(kind as u32);
    CONTINUE
}

/// `MemPtr MemLocalIDToPtr(LocalID local, UInt16 cardNo)`: a handle LocalID gives `*h`
/// (locked or not, as PalmOS); a pointer LocalID gives the pointer.
fn mem_local_id_to_ptr(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (local, card) = {
        let mut a = c.args();
        (a.u32()?, a.u16()?)
    };
    let r = card_arg(card).and_then(|_| match local {
        0 => Err(MemErr::InvalidParam("LocalID 0")),
        l if l & local_id::HANDLE_BIT != 0 => shim.memory.deref_handle(&*c.mem, l & !local_id::HANDLE_BIT),
        l => Ok(l + local_id::CARD0_BASE),
    });
    ret_ptr(c, r)
}

/// `MemPtr MemLocalIDToLockedPtr(LocalID local, UInt16 cardNo)`: locks a handle LocalID.
fn mem_local_id_to_locked_ptr(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (local, card) = {
        let mut a = c.args();
        (a.u32()?, a.u16()?)
    };
    let r = card_arg(card).and_then(|_| match local {
        0 => Err(MemErr::InvalidParam("LocalID 0")),
        l if l & local_id::HANDLE_BIT != 0 => shim.memory.lock_handle(&mut *c.mem, l & !local_id::HANDLE_BIT),
        l => Ok(l + local_id::CARD0_BASE),
    });
    ret_ptr(c, r)
}

// ---- Heaps and cards --------------------------------------------------------------------

/// `UInt16 MemNumCards(void)`
fn mem_num_cards(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(NUM_CARDS as u32);
    CONTINUE
}

/// `UInt16 MemNumHeaps(UInt16 cardNo)` and `MemNumRAMHeaps` (every heap is a RAM heap).
fn mem_num_heaps(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let card = c.args().u16()?;
    let n = if card == 0 { shim.memory.num_heaps() } else { 0 };
    c.ret(n as u32);
    CONTINUE
}

/// `UInt16 MemHeapID(UInt16 cardNo, UInt16 heapIndex)`: `NO_HEAP_ID` if there is no such heap.
fn mem_heap_id(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (card, index) = {
        let mut a = c.args();
        (a.u16()?, a.u16()?)
    };
    let id = if card == 0 && index < shim.memory.num_heaps() {
        index
    } else {
        palm_code(c, MemErr::InvalidParam("no such heap"))?;
        NO_HEAP_ID
    };
    c.ret(id as u32);
    CONTINUE
}

/// `Boolean MemHeapDynamic(UInt16 heapID)`
fn mem_heap_dynamic(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    c.ret((id == DYNAMIC_HEAP_ID) as u32);
    CONTINUE
}

/// `UInt32 MemHeapSize(UInt16 heapID)`
fn mem_heap_size(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    let r = shim.memory.heap(id).map(|h| h.size()).ok_or(MemErr::InvalidParam("no such heap"));
    ret_value(c, r)
}

/// `UInt16 MemHeapFlags(UInt16 heapID)`: the flags word of the heap header.
fn mem_heap_flags(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    let r = match shim.memory.heap(id) {
        Some(h) => c.mem.read_u16(h.base() + HeapHeader::FLAGS).map(u32::from).map_err(MemErr::from),
        None => Err(MemErr::InvalidParam("no such heap")),
    };
    ret_value(c, r)
}

/// `Err MemHeapFreeBytes(UInt16 heapID, UInt32 *freeP, UInt32 *maxP)`: total data capacity
/// of the free chunks and that of the largest one.
fn mem_heap_free_bytes(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (id, free_p, max_p) = {
        let mut a = c.args();
        (a.u16()?, a.ptr()?, a.ptr()?)
    };
    let r = shim.memory.free_bytes(id);
    if let Ok(f) = r {
        if free_p != 0 {
            c.mem.write_u32(free_p, f.total)?;
        }
        if max_p != 0 {
            c.mem.write_u32(max_p, f.max)?;
        }
    }
    ret_err(c, r.map(|_| ()))
}

/// `Err MemHeapCompact(UInt16 heapID)`
fn mem_heap_compact(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    let r = shim.memory.compact(&mut *c.mem, id).map(|_| ());
    ret_err(c, r)
}

/// `Err MemHeapCheck(UInt16 heapID)`: validates the heap; a fault is logged as an error and
/// reported as `memErrInvalidParam`.
fn mem_heap_check(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    let r = match shim.memory.heap(id) {
        None => Err(MemErr::InvalidParam("no such heap")),
        Some(h) => h.check(&*c.mem).map(|_| ()).map_err(|e| {
            log::error!("MemHeapCheck: {e}");
            MemErr::Corrupt(e.addr)
        }),
    };
    ret_err(c, r)
}

/// `Err MemHeapFreeByOwnerID(UInt16 heapID, UInt16 ownerID)`
fn mem_heap_free_by_owner_id(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (id, owner) = {
        let mut a = c.args();
        (a.u16()?, a.u16()?)
    };
    let r = owner_arg(owner).and_then(|o| shim.memory.free_by_owner(&mut *c.mem, id, o)).map(|_| ());
    ret_err(c, r)
}

// ---- Semaphore --------------------------------------------------------------------------

/// `Err MemSemaphoreReserve(Boolean writeAccess)`: with write access, lifts the guest's
/// write protection of the storage heap (nesting counted; see `Shim::storage_writable`).
fn mem_semaphore_reserve(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let write = c.args().bool()?;
    shim.memory.reserve(write);
    c.ret(errors::ERR_NONE as u32);
    CONTINUE
}

/// `Err MemSemaphoreRelease(Boolean writeAccess)`: releasing more than was reserved is
/// `memErrInvalidParam`.
fn mem_semaphore_release(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let write = c.args().bool()?;
    let r = shim.memory.release(write);
    ret_err(c, r)
}

#[cfg(test)]
mod tests {
    use crate::managers::test_support::{Arg::*, Rig};
    use super::super::{MemoryManager, DYNAMIC_TABLE_ENTRIES};
    use crate::{GuestMemory, Shim, ShimConfig, TrapError};
    use palm_abi::errors::*;
    use palm_abi::mem_layout::local_id;
    use palm_abi::memmap::{DYNAMIC_HEAP, STORAGE_HEAP};
    use palm_abi::traps::*;

    /// Runs a trap and validates both heaps afterwards.
    fn call(r: &mut Rig, word: u16, args: &[crate::managers::test_support::Arg]) {
        r.call(word, args).unwrap_or_else(|e| panic!("{e}"));
        r.shim.memory().check(&r.mem).unwrap_or_else(|e| panic!("after {word:04X}: {e}"));
    }

    fn new_handle(r: &mut Rig, size: u32) -> u32 {
        call(r, MEM_HANDLE_NEW, &[L(size)]);
        assert_ne!(r.a0(), 0);
        r.a0()
    }

    const NOT_ENOUGH: u32 = MEM_ERR_NOT_ENOUGH_SPACE as u32;
    const INVALID: u32 = MEM_ERR_INVALID_PARAM as u32;
    const LOCKED: u32 = MEM_ERR_CHUNK_LOCKED as u32;
    const NOT_LOCKED: u32 = MEM_ERR_CHUNK_NOT_LOCKED as u32;

    #[test]
    fn handle_lifecycle() {
        let mut r = Rig::new();
        let h = new_handle(&mut r, 100);
        assert_eq!(r.d0(), h, "pointer results also in D0");
        assert!(DYNAMIC_HEAP.contains(h));
        let first_entry = DYNAMIC_HEAP.base + 16 + 4;
        assert_eq!(h, first_entry);
        call(&mut r, MEM_HANDLE_SIZE, &[L(h)]);
        assert_eq!(r.d0(), 100);
        call(&mut r, MEM_HANDLE_LOCK, &[L(h)]);
        let p = r.a0();
        assert_eq!(p, r.mem.read_u32(h).unwrap(), "*h is the data");
        r.mem.write(p, b"hello").unwrap();
        call(&mut r, MEM_HANDLE_LOCK_COUNT, &[L(h)]);
        assert_eq!(r.d0(), 1);
        call(&mut r, MEM_PTR_RECOVER_HANDLE, &[L(p)]);
        assert_eq!(r.a0(), h);
        call(&mut r, MEM_PTR_SIZE, &[L(p)]);
        assert_eq!(r.d0(), 100);
        call(&mut r, MEM_HANDLE_UNLOCK, &[L(h)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_RESIZE, &[L(h), L(5000)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_SIZE, &[L(h)]);
        assert_eq!(r.d0(), 5000);
        let p = r.mem.read_u32(h).unwrap();
        assert_eq!(r.mem.read_vec(p, 5).unwrap(), b"hello");
        call(&mut r, MEM_HANDLE_FREE, &[L(h)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_SIZE, &[L(h)]);
        assert_eq!(r.d0(), 0, "freed handle");
        call(&mut r, MEM_HANDLE_FREE, &[L(h)]);
        assert_eq!(r.d0(), INVALID, "double free");
    }

    #[test]
    fn pointer_lifecycle() {
        let mut r = Rig::new();
        call(&mut r, MEM_PTR_NEW, &[L(33)]);
        let p = r.a0();
        assert!(DYNAMIC_HEAP.contains(p) && p > DYNAMIC_HEAP.base + DYNAMIC_HEAP.size / 2, "high end");
        call(&mut r, MEM_PTR_SIZE, &[L(p)]);
        assert_eq!(r.d0(), 33);
        call(&mut r, MEM_PTR_UNLOCK, &[L(p)]);
        assert_eq!(r.d0(), 0, "unlocking a pointer chunk is a no-op");
        call(&mut r, MEM_PTR_RECOVER_HANDLE, &[L(p)]);
        assert_eq!((r.a0(), r.d0()), (0, INVALID));
        call(&mut r, MEM_PTR_RESIZE, &[L(p), L(10)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_PTR_SIZE, &[L(p)]);
        assert_eq!(r.d0(), 10);
        // Growing in place needs free space after the chunk: there is none at the top.
        call(&mut r, MEM_PTR_RESIZE, &[L(p), L(100)]);
        assert_eq!(r.d0(), LOCKED);
        call(&mut r, MEM_CHUNK_FREE, &[L(p)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_CHUNK_FREE, &[L(p)]);
        assert_eq!(r.d0(), INVALID);
    }

    #[test]
    fn lock_overflow_and_unlock_underflow_are_errors() {
        let mut r = Rig::new();
        let h = new_handle(&mut r, 8);
        let p = r.mem.read_u32(h).unwrap();
        for n in 1..=15 {
            call(&mut r, MEM_HANDLE_LOCK, &[L(h)]);
            assert_eq!((r.a0(), r.d0()), (p, p), "lock {n}");
        }
        call(&mut r, MEM_HANDLE_LOCK, &[L(h)]);
        assert_eq!((r.a0(), r.d0()), (p, LOCKED), "16th lock: pointer still valid, error in D0");
        call(&mut r, MEM_HANDLE_LOCK_COUNT, &[L(h)]);
        assert_eq!(r.d0(), 15);
        for _ in 0..14 {
            call(&mut r, MEM_HANDLE_UNLOCK, &[L(h)]);
            assert_eq!(r.d0(), 0);
        }
        call(&mut r, MEM_PTR_UNLOCK, &[L(p)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_UNLOCK, &[L(h)]);
        assert_eq!(r.d0(), NOT_LOCKED);
        call(&mut r, MEM_PTR_UNLOCK, &[L(p)]);
        assert_eq!(r.d0(), NOT_LOCKED);
        // Reset.
        call(&mut r, MEM_HANDLE_LOCK, &[L(h)]);
        call(&mut r, MEM_HANDLE_LOCK, &[L(h)]);
        call(&mut r, MEM_HANDLE_RESET_LOCK, &[L(h)]);
        call(&mut r, MEM_HANDLE_LOCK_COUNT, &[L(h)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_LOCK, &[L(h)]);
        call(&mut r, MEM_PTR_RESET_LOCK, &[L(p)]);
        call(&mut r, MEM_HANDLE_LOCK_COUNT, &[L(h)]);
        assert_eq!(r.d0(), 0);
    }

    #[test]
    fn freeing_locked_chunks_is_allowed_as_in_palmos() {
        let mut r = Rig::new();
        let h = new_handle(&mut r, 40);
        call(&mut r, MEM_HANDLE_LOCK, &[L(h)]);
        call(&mut r, MEM_HANDLE_FREE, &[L(h)]);
        assert_eq!(r.d0(), 0);
        // MemPtrFree(MemHandleLock(h)) frees the chunk and its master pointer.
        let h2 = new_handle(&mut r, 40);
        assert_eq!(h2, h, "the master pointer was recycled");
        call(&mut r, MEM_HANDLE_LOCK, &[L(h2)]);
        let p = r.a0();
        call(&mut r, MEM_CHUNK_FREE, &[L(p)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_LOCK_COUNT, &[L(h2)]);
        assert_eq!(r.d0(), 0);
        let stats = r.shim.memory().check(&r.mem).unwrap();
        assert_eq!(stats[0].movable + stats[0].nonmovable, 0);
        assert_eq!(stats[0].free_master_pointers, DYNAMIC_TABLE_ENTRIES as u32 - 1);
    }

    #[test]
    fn out_of_memory_and_bad_sizes() {
        let mut r = Rig::new();
        call(&mut r, MEM_PTR_NEW, &[L(DYNAMIC_HEAP.size)]);
        assert_eq!((r.a0(), r.d0()), (0, NOT_ENOUGH));
        call(&mut r, MEM_HANDLE_NEW, &[L(0xFFFF_FFFF)]);
        assert_eq!((r.a0(), r.d0()), (0, NOT_ENOUGH));
        call(&mut r, MEM_HANDLE_NEW, &[L(0)]);
        assert_eq!((r.a0(), r.d0()), (0, INVALID));
        let h = new_handle(&mut r, 16);
        call(&mut r, MEM_HANDLE_RESIZE, &[L(h), L(DYNAMIC_HEAP.size)]);
        assert_eq!(r.d0(), NOT_ENOUGH);
        call(&mut r, MEM_HANDLE_SIZE, &[L(h)]);
        assert_eq!(r.d0(), 16, "failed resize changes nothing");
        // Fill the dynamic heap with 64 KB chunks until it is full.
        let mut n = 0;
        loop {
            r.call(MEM_PTR_NEW, &[L(0x10000)]).unwrap();
            if r.a0() == 0 {
                assert_eq!(r.d0(), NOT_ENOUGH);
                break;
            }
            n += 1;
        }
        assert_eq!(n, DYNAMIC_HEAP.size / 0x10000 - 1);
        r.shim.memory().check(&r.mem).unwrap();
    }

    #[test]
    fn bad_handles_and_pointers_never_stop_the_run() {
        let mut r = Rig::new();
        let h = new_handle(&mut r, 16);
        call(&mut r, MEM_PTR_NEW, &[L(16)]);
        let p = r.a0();
        let data = r.mem.read_u32(h).unwrap();
        let free_space = data + 0x1000;
        for bad in [0, 1, h + 1, h + 2, DYNAMIC_HEAP.base + 16, data, p, free_space, 0x0FFF_0000, 0xFFFF_FFFE] {
            for word in [MEM_HANDLE_LOCK, MEM_HANDLE_UNLOCK, MEM_HANDLE_FREE, MEM_HANDLE_RESIZE] {
                call(&mut r, word, &[L(bad), L(8)]);
                assert_eq!(r.d0(), INVALID, "{word:04X} on handle {bad:#x}");
            }
            for word in [MEM_HANDLE_SIZE, MEM_HANDLE_LOCK_COUNT, MEM_HANDLE_TO_LOCAL_ID, MEM_HANDLE_OWNER] {
                call(&mut r, word, &[L(bad)]);
                assert_eq!(r.d0(), 0, "{word:04X} on handle {bad:#x}");
            }
            call(&mut r, MEM_HANDLE_HEAP_ID, &[L(bad)]);
            assert_eq!(r.d0(), 0xFFFF);
        }
        for bad in [0, 1, data + 1, data + 2, h, free_space, p + 4, 0x0FFF_0000, STORAGE_HEAP.base + 0x100] {
            for word in [MEM_CHUNK_FREE, MEM_PTR_UNLOCK, MEM_PTR_RESIZE, MEM_PTR_SET_OWNER] {
                call(&mut r, word, &[L(bad), L(8)]);
                assert_eq!(r.d0(), INVALID, "{word:04X} on pointer {bad:#x}");
            }
            call(&mut r, MEM_PTR_SIZE, &[L(bad)]);
            assert_eq!(r.d0(), 0);
            call(&mut r, MEM_PTR_RECOVER_HANDLE, &[L(bad)]);
            assert_eq!(r.a0(), 0);
            call(&mut r, MEM_PTR_HEAP_ID, &[L(bad)]);
            assert_eq!(r.d0(), 0xFFFF);
        }
        // Everything still works.
        call(&mut r, MEM_HANDLE_SIZE, &[L(h)]);
        assert_eq!(r.d0(), 16);
        call(&mut r, MEM_PTR_SIZE, &[L(p)]);
        assert_eq!(r.d0(), 16);
    }

    #[test]
    fn an_unreachable_output_pointer_is_a_memory_fault() {
        let mut r = Rig::new();
        let e = r.call(MEM_HEAP_FREE_BYTES, &[W(0), L(0x0FFF_0000), L(0)]).unwrap_err();
        assert!(matches!(e, TrapError::GuestMemory { word: MEM_HEAP_FREE_BYTES, .. }), "{e}");
    }

    #[test]
    fn heaps_cards_and_ids() {
        let mut r = Rig::new();
        call(&mut r, MEM_NUM_CARDS, &[]);
        assert_eq!(r.d0(), 1);
        call(&mut r, MEM_NUM_HEAPS, &[W(0)]);
        assert_eq!(r.d0(), 2);
        call(&mut r, MEM_NUM_RAM_HEAPS, &[W(0)]);
        assert_eq!(r.d0(), 2);
        call(&mut r, MEM_NUM_HEAPS, &[W(1)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HEAP_ID, &[W(0), W(1)]);
        assert_eq!(r.d0(), 1);
        call(&mut r, MEM_HEAP_ID, &[W(0), W(2)]);
        assert_eq!(r.d0(), 0xFFFF);
        call(&mut r, MEM_HEAP_ID, &[W(1), W(0)]);
        assert_eq!(r.d0(), 0xFFFF);
        call(&mut r, MEM_HEAP_DYNAMIC, &[W(0)]);
        assert_eq!(r.d0(), 1);
        call(&mut r, MEM_HEAP_DYNAMIC, &[W(1)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HEAP_SIZE, &[W(1)]);
        assert_eq!(r.d0(), STORAGE_HEAP.size);
        call(&mut r, MEM_HEAP_SIZE, &[W(9)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HEAP_FLAGS, &[W(0)]);
        assert_eq!(r.d0(), palm_abi::mem_layout::HEAP_FLAG_VERS4 as u32);
        call(&mut r, MEM_HEAP_FREE_BYTES, &[W(0), L(0x100), L(0x104)]);
        assert_eq!(r.d0(), 0);
        let (free, max) = (r.mem.read_u32(0x100).unwrap(), r.mem.read_u32(0x104).unwrap());
        assert_eq!(free, max);
        assert_eq!(free, DYNAMIC_HEAP.size - 16 - 4 * DYNAMIC_TABLE_ENTRIES as u32 - 4 - 8);
        call(&mut r, MEM_PTR_NEW, &[L(1000)]);
        call(&mut r, MEM_HEAP_FREE_BYTES, &[W(0), L(0x100), L(0)]);
        assert_eq!(r.mem.read_u32(0x100).unwrap(), free - 1008);
        call(&mut r, MEM_HEAP_FREE_BYTES, &[W(5), L(0x100), L(0x104)]);
        assert_eq!(r.d0(), INVALID);
        for id in [0, 1] {
            call(&mut r, MEM_HEAP_COMPACT, &[W(id)]);
            assert_eq!(r.d0(), 0);
            call(&mut r, MEM_HEAP_CHECK, &[W(id)]);
            assert_eq!(r.d0(), 0);
        }
        call(&mut r, MEM_HEAP_COMPACT, &[W(2)]);
        assert_eq!(r.d0(), INVALID);
        call(&mut r, MEM_HEAP_CHECK, &[W(2)]);
        assert_eq!(r.d0(), INVALID);
    }

    #[test]
    fn chunk_queries_owner_and_heap_ids() {
        let mut r = Rig::new();
        r.shim.memory_mut().set_current_owner(3);
        let h = new_handle(&mut r, 10);
        call(&mut r, MEM_HANDLE_OWNER, &[L(h)]);
        assert_eq!(r.d0(), 3);
        call(&mut r, MEM_HANDLE_SET_OWNER, &[L(h), W(9)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_OWNER, &[L(h)]);
        assert_eq!(r.d0(), 9);
        call(&mut r, MEM_HANDLE_SET_OWNER, &[L(h), W(16)]);
        assert_eq!(r.d0(), INVALID);
        call(&mut r, MEM_HANDLE_HEAP_ID, &[L(h)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_CARD_NO, &[L(h)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_DATA_STORAGE, &[L(h)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_PTR_NEW, &[L(10)]);
        let p = r.a0();
        call(&mut r, MEM_PTR_SET_OWNER, &[L(p), W(4)]);
        call(&mut r, MEM_PTR_OWNER, &[L(p)]);
        assert_eq!(r.d0(), 4);
        call(&mut r, MEM_PTR_HEAP_ID, &[L(p)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_PTR_CARD_NO, &[L(p)]);
        assert_eq!(r.d0(), 0);
        // A storage-heap record made by the host (as the Data Manager will).
        let rec = r.shim.memory_mut().alloc_handle(&mut r.mem, 1, 20, 1).unwrap();
        assert!(STORAGE_HEAP.contains(rec));
        call(&mut r, MEM_HANDLE_HEAP_ID, &[L(rec)]);
        assert_eq!(r.d0(), 1);
        call(&mut r, MEM_HANDLE_DATA_STORAGE, &[L(rec)]);
        assert_eq!(r.d0(), 1);
        call(&mut r, MEM_HANDLE_LOCK, &[L(rec)]);
        let rp = r.a0();
        call(&mut r, MEM_PTR_DATA_STORAGE, &[L(rp)]);
        assert_eq!(r.d0(), 1);
        call(&mut r, MEM_HEAP_FREE_BY_OWNER_ID, &[W(0), W(9)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_HANDLE_SIZE, &[L(h)]);
        assert_eq!(r.d0(), 0, "freed by owner");
        call(&mut r, MEM_PTR_SIZE, &[L(p)]);
        assert_eq!(r.d0(), 10, "other owner kept");
    }

    #[test]
    fn local_ids() {
        let mut r = Rig::new();
        let rec = r.shim.memory_mut().alloc_handle(&mut r.mem, 1, 20, 1).unwrap();
        call(&mut r, MEM_HANDLE_TO_LOCAL_ID, &[L(rec)]);
        let lid = r.d0();
        assert_eq!(lid, rec | 1, "card 0's base is 0: handle | 1");
        call(&mut r, MEM_LOCAL_ID_KIND, &[L(lid)]);
        assert_eq!(r.d0(), local_id::KIND_HANDLE as u32);
        call(&mut r, MEM_LOCAL_ID_TO_GLOBAL, &[L(lid), W(0)]);
        assert_eq!(r.a0(), rec);
        call(&mut r, MEM_LOCAL_ID_TO_PTR, &[L(lid), W(0)]);
        let data = r.mem.read_u32(rec).unwrap();
        assert_eq!(r.a0(), data);
        call(&mut r, MEM_HANDLE_LOCK_COUNT, &[L(rec)]);
        assert_eq!(r.d0(), 0, "MemLocalIDToPtr does not lock");
        call(&mut r, MEM_LOCAL_ID_TO_LOCKED_PTR, &[L(lid), W(0)]);
        assert_eq!(r.a0(), data);
        call(&mut r, MEM_HANDLE_LOCK_COUNT, &[L(rec)]);
        assert_eq!(r.d0(), 1);
        // Pointer LocalIDs are addresses.
        call(&mut r, MEM_PTR_NEW, &[L(8)]);
        let p = r.a0();
        call(&mut r, MEM_PTR_TO_LOCAL_ID, &[L(p)]);
        assert_eq!(r.d0(), p);
        call(&mut r, MEM_LOCAL_ID_KIND, &[L(p)]);
        assert_eq!(r.d0(), local_id::KIND_PTR as u32);
        for word in [MEM_LOCAL_ID_TO_GLOBAL, MEM_LOCAL_ID_TO_PTR, MEM_LOCAL_ID_TO_LOCKED_PTR] {
            call(&mut r, word, &[L(p), W(0)]);
            assert_eq!(r.a0(), p);
            call(&mut r, word, &[L(p), W(1)]);
            assert_eq!((r.a0(), r.d0()), (0, INVALID), "card 1");
            call(&mut r, word, &[L(0), W(0)]);
            assert_eq!((r.a0(), r.d0()), (0, INVALID), "LocalID 0");
        }
        call(&mut r, MEM_LOCAL_ID_TO_PTR, &[L(p | 1), W(0)]);
        assert_eq!((r.a0(), r.d0()), (0, INVALID), "not a handle");
    }

    #[test]
    fn semaphore_controls_storage_writability() {
        let mut r = Rig::new();
        assert!(!r.shim.storage_writable());
        call(&mut r, MEM_SEMAPHORE_RESERVE, &[B(0)]);
        assert!(!r.shim.storage_writable(), "read reservation");
        call(&mut r, MEM_SEMAPHORE_RESERVE, &[B(1)]);
        call(&mut r, MEM_SEMAPHORE_RESERVE, &[B(1)]);
        assert!(r.shim.storage_writable());
        call(&mut r, MEM_SEMAPHORE_RELEASE, &[B(1)]);
        assert_eq!(r.d0(), 0);
        assert!(r.shim.storage_writable(), "nested");
        call(&mut r, MEM_SEMAPHORE_RELEASE, &[B(1)]);
        assert!(!r.shim.storage_writable());
        call(&mut r, MEM_SEMAPHORE_RELEASE, &[B(1)]);
        assert_eq!(r.d0(), INVALID, "released more than reserved");
        assert!(!r.shim.storage_writable());
        call(&mut r, MEM_SEMAPHORE_RELEASE, &[B(0)]);
        assert_eq!(r.d0(), 0);
        call(&mut r, MEM_SEMAPHORE_RELEASE, &[B(0)]);
        assert_eq!(r.d0(), INVALID);
        assert_eq!(r.shim.memory().reservations(), (0, 0));
    }

    #[test]
    fn handles_move_when_unlocked_and_alignment_varies() {
        let mut r = Rig::new();
        let hs: Vec<u32> = (1..=30).map(|i| new_handle(&mut r, i * 3)).collect();
        let before: Vec<u32> = hs.iter().map(|&h| r.mem.read_u32(h).unwrap()).collect();
        assert!(before.iter().any(|p| p % 4 == 0) && before.iter().any(|p| p % 4 == 2));
        call(&mut r, MEM_HANDLE_LOCK, &[L(hs[3])]);
        let report = r.shim.memory_mut().relocate_unlocked(&mut r.mem, 0, 42).unwrap();
        assert_eq!((report.moved, report.flipped, report.unmoved), (29, 29, 0));
        r.shim.memory().check(&r.mem).unwrap();
        for (i, &h) in hs.iter().enumerate() {
            let now = r.mem.read_u32(h).unwrap();
            if i == 3 {
                assert_eq!(now, before[i]);
            } else {
                assert_ne!(now % 4, before[i] % 4);
            }
            call(&mut r, MEM_HANDLE_SIZE, &[L(h)]);
            assert_eq!(r.d0(), (i as u32 + 1) * 3);
        }
    }

    #[test]
    fn traps_before_init_memory_fail_cleanly() {
        let mut shim = Shim::new(ShimConfig::default());
        let mut mem = crate::FlatMemory::new(0, 0x10000);
        let mut regs = crate::RegisterFile::default();
        mem.write_u32(0x8000, 16).unwrap();
        regs.a[7] = 0x8000;
        shim.dispatch(MEM_HANDLE_NEW, &mut regs, &mut mem, 0x8000).unwrap();
        assert_eq!((regs.a[0], regs.d[0]), (0, INVALID));
        shim.dispatch(MEM_HANDLE_LOCK, &mut regs, &mut mem, 0x8000).unwrap();
        assert_eq!((regs.a[0], regs.d[0]), (0, INVALID));
        assert!(!MemoryManager::new().is_initialised());
    }

    #[test]
    fn attach_reads_heaps_back_from_guest_memory() {
        let mut r = Rig::new();
        let h = new_handle(&mut r, 77);
        let rec = r.shim.memory_mut().alloc_handle(&mut r.mem, 1, 500, 2).unwrap();
        let mut again = MemoryManager::new();
        again.attach(&r.mem).unwrap();
        assert_eq!(again.handle_info(&r.mem, h).unwrap().data_size, 77);
        assert_eq!(again.handle_info(&r.mem, rec).unwrap(), r.shim.memory().handle_info(&r.mem, rec).unwrap());
        assert_eq!(again.free_bytes(1), r.shim.memory().free_bytes(1));
        // Garbage is refused.
        let mut junk = crate::FlatMemory::new(0, STORAGE_HEAP.end() as usize);
        assert!(MemoryManager::new().attach(&junk).is_err());
        junk.write_u32(DYNAMIC_HEAP.base, 0x2000_0030).unwrap();
        assert!(MemoryManager::new().attach(&junk).is_err());
    }
}
