//! String Manager: the `Str*` traps over NUL-terminated strings in guest memory.

use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::Shim;
use palm_abi::traps;

/// Longest string the shim will walk before treating it as unterminated (whole address space
/// scans would hang the host on a corrupt pointer).
pub const MAX_STRING: u32 = 0x10000;

pub fn install(t: &mut TrapTable) {
    t.register(traps::STR_COPY, str_copy);
    t.register(traps::STR_N_COPY, str_n_copy);
    t.register(traps::STR_CAT, str_cat);
    t.register(traps::STR_LEN, str_len);
    t.register(traps::STR_COMPARE, str_compare);
    t.register(traps::STR_N_COMPARE, str_n_compare);
    t.register(traps::STR_I_TO_A, str_i_to_a);
}

/// `Char *StrCopy(Char *dst, const Char *src)`
fn str_copy(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (dst, src) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    let mut s = c.mem.read_cstr(src, MAX_STRING)?;
    s.push(0);
    c.mem.write(dst, &s)?;
    c.ret_ptr(dst);
    Ok(TrapOutcome::Continue)
}

/// `Char *StrNCopy(Char *dst, const Char *src, Int16 n)`: copies at most `n` bytes and pads
/// the rest of the `n` with NULs, like C's `strncpy`.
fn str_n_copy(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (dst, src, n) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.i16()?) };
    let n = n.max(0) as u32;
    let mut s = c.mem.read_cstr(src, n)?;
    s.resize(n as usize, 0);
    c.mem.write(dst, &s)?;
    c.ret_ptr(dst);
    Ok(TrapOutcome::Continue)
}

/// `Char *StrCat(Char *dst, const Char *src)`
fn str_cat(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (dst, src) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    let end = dst + c.mem.read_cstr(dst, MAX_STRING)?.len() as u32;
    let mut s = c.mem.read_cstr(src, MAX_STRING)?;
    s.push(0);
    c.mem.write(end, &s)?;
    c.ret_ptr(dst);
    Ok(TrapOutcome::Continue)
}

/// `UInt16 StrLen(const Char *src)`
fn str_len(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let src = c.args().ptr()?;
    let n = c.mem.read_cstr(src, MAX_STRING)?.len() as u32;
    c.ret(n);
    Ok(TrapOutcome::Continue)
}

fn sign(o: std::cmp::Ordering) -> u32 {
    match o {
        std::cmp::Ordering::Less => (-1i32) as u32,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

/// `Int16 StrCompare(const Char *s1, const Char *s2)`: byte-wise; negative, 0 or positive.
fn str_compare(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (s1, s2) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    let a = c.mem.read_cstr(s1, MAX_STRING)?;
    let b = c.mem.read_cstr(s2, MAX_STRING)?;
    c.ret(sign(a.cmp(&b)));
    Ok(TrapOutcome::Continue)
}

/// `Int16 StrNCompare(const Char *s1, const Char *s2, Int32 n)`
fn str_n_compare(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (s1, s2, n) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.i32()?) };
    let n = n.max(0) as u32;
    let a = c.mem.read_cstr(s1, n)?;
    let b = c.mem.read_cstr(s2, n)?;
    c.ret(sign(a.cmp(&b)));
    Ok(TrapOutcome::Continue)
}

/// `Char *StrIToA(Char *s, Int32 i)`: decimal, with a leading '-' for negatives.
fn str_i_to_a(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (s, i) = { let mut a = c.args(); (a.ptr()?, a.i32()?) };
    let mut text = i.to_string().into_bytes();
    text.push(0);
    c.mem.write(s, &text)?;
    c.ret_ptr(s);
    Ok(TrapOutcome::Continue)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Arg::*, Rig};
    use crate::GuestMemory;
    use palm_abi::traps::*;

    #[test]
    fn copy_cat_len_compare() {
        let mut r = Rig::new();
        r.mem.write(0x100, b"Palm\0").unwrap();
        r.call(STR_COPY, &[L(0x200), L(0x100)]).unwrap();
        assert_eq!(r.a0(), 0x200);
        r.mem.write(0x120, b"OS\0").unwrap();
        r.call(STR_CAT, &[L(0x200), L(0x120)]).unwrap();
        assert_eq!(r.mem.read_cstr(0x200, 99).unwrap(), b"PalmOS");
        r.call(STR_LEN, &[L(0x200)]).unwrap();
        assert_eq!(r.d0(), 6);
        r.call(STR_COMPARE, &[L(0x100), L(0x200)]).unwrap();
        assert_eq!(r.d0() as i32, -1);
        r.call(STR_N_COMPARE, &[L(0x100), L(0x200), L(4)]).unwrap();
        assert_eq!(r.d0(), 0);
    }

    #[test]
    fn n_copy_pads_and_truncates() {
        let mut r = Rig::new();
        r.mem.write(0x100, b"abcdef\0").unwrap();
        r.mem.fill(0x300, 8, 0xEE).unwrap();
        r.call(STR_N_COPY, &[L(0x300), L(0x100), W(3)]).unwrap();
        assert_eq!(r.mem.read_vec(0x300, 4).unwrap(), b"abc\xEE");
        r.call(STR_N_COPY, &[L(0x300), L(0x100), W(8)]).unwrap();
        assert_eq!(r.mem.read_vec(0x300, 8).unwrap(), b"abcdef\0\0");
    }

    #[test]
    fn int_to_ascii_edges() {
        let mut r = Rig::new();
        for (v, s) in [(0i32, "0"), (-1, "-1"), (i32::MIN, "-2147483648"), (i32::MAX, "2147483647")] {
            r.call(STR_I_TO_A, &[L(0x400), L(v as u32)]).unwrap();
            assert_eq!(r.mem.read_cstr(0x400, 99).unwrap(), s.as_bytes());
        }
    }

    #[test]
    fn bad_pointer_is_a_typed_error() {
        let mut r = Rig::new();
        let e = r.call(STR_LEN, &[L(0x0FFF_0000)]).unwrap_err();
        assert!(matches!(e, crate::TrapError::GuestMemory { word: STR_LEN, .. }), "{e}");
    }
}
