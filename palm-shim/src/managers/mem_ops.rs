//! Memory Manager, block operations: `MemMove`, `MemSet`, `MemCmp` on guest memory. (The heap
//! half of the Memory Manager, handles and chunks, is a separate module.)
//!
//! The host writes guest memory directly, past the page protection the CPU sees, so these
//! traps check what a real device's hardware would refuse: a write into the storage heap while
//! it is write-protected (no `MemSemaphoreReserve(true)`: applications must use `DmWrite`) or
//! into the ROM ends the run the way a debug ROM's fatal alert does, and writes nothing.

use crate::dispatch::{HandlerResult, StopRequest, TrapCall, TrapOutcome, TrapTable};
use crate::Shim;
use palm_abi::memmap::{ROM, STORAGE_HEAP};
use palm_abi::traps;

pub fn install(t: &mut TrapTable) {
    t.register(traps::MEM_MOVE, mem_move);
    t.register(traps::MEM_SET, mem_set);
    t.register(traps::MEM_CMP, mem_cmp);
}

/// Whether `[dst, dst + n)` touches memory the guest may not write now: the storage heap while
/// it is write-protected, or the ROM. Its description, for the fatal alert.
fn protected_target(s: &Shim, dst: u32, n: u32) -> Option<String> {
    let end = dst.saturating_add(n);
    let overlaps = |base: u32, size: u32| dst < base.saturating_add(size) && end > base;
    if overlaps(STORAGE_HEAP.base, STORAGE_HEAP.size) && !s.storage_writable() {
        return Some(format!("write of {n} bytes to write-protected storage RAM at {dst:#010x} (use DmWrite, or MemSemaphoreReserve(true))"));
    }
    if overlaps(ROM.base, ROM.size) {
        return Some(format!("write of {n} bytes to the ROM at {dst:#010x}"));
    }
    None
}

fn refuse(c: &mut TrapCall<'_>, what: String) -> HandlerResult {
    let trap = palm_abi::trap_names::trap_name(c.word).unwrap_or("?");
    log::warn!("{trap}: {what}");
    c.ret(0);
    Ok(TrapOutcome::Stop(StopRequest::ErrDisplay { file: "MemoryMgr.c".into(), line: 0, message: format!("{trap}: {what}") }))
}

/// `Err MemMove(void *dst, const void *src, Int32 numBytes)`: overlapping ranges are fine.
fn mem_move(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (dst, src, n) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.i32()?) };
    if n > 0 {
        if let Some(what) = protected_target(s, dst, n as u32) {
            return refuse(c, what);
        }
        c.mem.copy_within(dst, src, n as u32)?;
    }
    c.ret(0);
    Ok(TrapOutcome::Continue)
}

/// `Err MemSet(void *dst, Int32 numBytes, UInt8 value)`
fn mem_set(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (dst, n, value) = { let mut a = c.args(); (a.ptr()?, a.i32()?, a.u8()?) };
    if n > 0 {
        if let Some(what) = protected_target(s, dst, n as u32) {
            return refuse(c, what);
        }
        c.mem.fill(dst, n as u32, value)?;
    }
    c.ret(0);
    Ok(TrapOutcome::Continue)
}

/// `Int16 MemCmp(const void *s1, const void *s2, Int32 numBytes)`: the difference of the first
/// differing bytes (unsigned), or 0.
fn mem_cmp(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (s1, s2, n) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.i32()?) };
    let n = n.max(0) as u32;
    let a = c.mem.read_vec(s1, n)?;
    let b = c.mem.read_vec(s2, n)?;
    let diff = a.iter().zip(&b).find(|(x, y)| x != y).map_or(0, |(x, y)| *x as i32 - *y as i32);
    c.ret(diff as i16 as u16 as u32);
    Ok(TrapOutcome::Continue)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Arg::*, Rig};
    use crate::GuestMemory;
    use palm_abi::traps::*;

    #[test]
    fn set_reads_byte_from_low_half_of_its_slot() {
        let mut r = Rig::new();
        r.call(MEM_SET, &[L(0x101), L(5), B(0x3C)]).unwrap();
        assert_eq!(r.mem.read_vec(0x100, 7).unwrap(), [0, 0x3C, 0x3C, 0x3C, 0x3C, 0x3C, 0]);
        assert_eq!(r.d0(), 0);
    }

    #[test]
    fn move_overlapping_and_compare() {
        let mut r = Rig::new();
        r.mem.write(0x100, b"0123456789").unwrap();
        r.call(MEM_MOVE, &[L(0x102), L(0x100), L(6)]).unwrap();
        assert_eq!(r.mem.read_vec(0x100, 10).unwrap(), b"0101234589");
        r.call(MEM_CMP, &[L(0x100), L(0x102), L(4)]).unwrap();
        assert_eq!(r.d0() as u16 as i16, b'0' as i16 - b'2' as i16);
        r.call(MEM_CMP, &[L(0x100), L(0x100), L(10)]).unwrap();
        assert_eq!(r.d0(), 0);
        // Negative and zero lengths do nothing.
        r.call(MEM_SET, &[L(0x100), L(-4i32 as u32), B(0)]).unwrap();
        assert_eq!(r.mem.read_u8(0x100).unwrap(), b'0');
    }

    #[test]
    fn writes_to_protected_storage_or_rom_are_fatal_and_write_nothing() {
        use crate::{StopRequest, TrapOutcome};
        let mut r = Rig::new();
        r.mem.write(0x100, b"abcd").unwrap();
        let storage = palm_abi::memmap::STORAGE_HEAP.end() - 0x100;
        let before = r.mem.read_vec(storage, 4).unwrap();
        let fatal = |out: TrapOutcome, what: &str| match out {
            TrapOutcome::Stop(StopRequest::ErrDisplay { message, .. }) => assert!(message.contains(what), "{message}"),
            other => panic!("expected a fatal alert, got {other:?}"),
        };
        fatal(r.call(MEM_MOVE, &[L(storage), L(0x100), L(4)]).unwrap(), "MemMove: write of 4 bytes to write-protected storage RAM");
        fatal(r.call(MEM_SET, &[L(storage - 2), L(4), B(0)]).unwrap(), "MemSet: write of 4 bytes to write-protected storage RAM");
        fatal(r.call(MEM_MOVE, &[L(palm_abi::memmap::ROM.base), L(0x100), L(4)]).unwrap(), "to the ROM");
        assert_eq!(r.mem.read_vec(storage, 4).unwrap(), before, "nothing written");
        // Ending just below the storage heap is fine; under the semaphore storage is writable.
        let below = palm_abi::memmap::STORAGE_HEAP.base - 4;
        assert_eq!(r.call(MEM_MOVE, &[L(below), L(0x100), L(4)]).unwrap(), TrapOutcome::Continue);
        r.call(MEM_SEMAPHORE_RESERVE, &[B(1)]).unwrap();
        assert_eq!(r.call(MEM_MOVE, &[L(storage), L(0x100), L(4)]).unwrap(), TrapOutcome::Continue);
        assert_eq!(r.mem.read_vec(storage, 4).unwrap(), b"abcd");
        r.call(MEM_SEMAPHORE_RELEASE, &[B(1)]).unwrap();
        fatal(r.call(MEM_SET, &[L(storage), L(1), B(0)]).unwrap(), "storage");
    }
}
