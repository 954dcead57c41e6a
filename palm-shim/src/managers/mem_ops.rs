//! Memory Manager, block operations: `MemMove`, `MemSet`, `MemCmp` on guest memory. (The heap
//! half of the Memory Manager, handles and chunks, is a separate module.)

use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::Shim;
use palm_abi::traps;

pub fn install(t: &mut TrapTable) {
    t.register(traps::MEM_MOVE, mem_move);
    t.register(traps::MEM_SET, mem_set);
    t.register(traps::MEM_CMP, mem_cmp);
}

/// `Err MemMove(void *dst, const void *src, Int32 numBytes)`: overlapping ranges are fine.
fn mem_move(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (dst, src, n) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.i32()?) };
    if n > 0 {
        c.mem.copy_within(dst, src, n as u32)?;
    }
    c.ret(0);
    Ok(TrapOutcome::Continue)
}

/// `Err MemSet(void *dst, Int32 numBytes, UInt8 value)`
fn mem_set(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (dst, n, value) = { let mut a = c.args(); (a.ptr()?, a.i32()?, a.u8()?) };
    if n > 0 {
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
}
