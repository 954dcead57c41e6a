//! Real guest memory: [`GuestAddr`] and big-endian accessors. In the 68k build each accessor
//! is a wasm import implemented by a plain 68k load/store in C; natively it goes to the
//! thread's [`crate::native::Host`]. Rust data (in wasm linear memory) never has a guest
//! address: move bytes across with [`copy_to_guest`] / [`copy_from_guest`].
//!
//! The accessors are safe functions: a wrong address can corrupt guest state (as any PalmOS
//! call with a bad pointer can) or stop the run with a fault, but it cannot break Rust's own
//! memory, with one exception in the 68k build: the RAM arena holding the linear memory is
//! itself at guest addresses (`__linear_arena_start..__linear_arena_end`) and must not be
//! written through these accessors.

use core::cmp::Ordering;
use core::fmt;

/// An address in the emulated handheld's 32-bit address space (not a Rust pointer).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct GuestAddr(pub u32);

impl GuestAddr {
    pub const NULL: GuestAddr = GuestAddr(0);

    pub const fn new(addr: u32) -> Self {
        GuestAddr(addr)
    }
    pub const fn get(self) -> u32 {
        self.0
    }
    pub const fn is_null(self) -> bool {
        self.0 == 0
    }
    /// `self + off`, wrapping like the 68k address bus.
    pub const fn add(self, off: u32) -> Self {
        GuestAddr(self.0.wrapping_add(off))
    }
    /// Signed byte offset.
    pub const fn offset(self, off: i32) -> Self {
        GuestAddr(self.0.wrapping_add(off as u32))
    }
}

impl fmt::Debug for GuestAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GuestAddr({:#010X})", self.0)
    }
}

impl fmt::Display for GuestAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#010X}", self.0)
    }
}

impl From<u32> for GuestAddr {
    fn from(v: u32) -> Self {
        GuestAddr(v)
    }
}

impl From<GuestAddr> for u32 {
    fn from(a: GuestAddr) -> u32 {
        a.0
    }
}

// ---------------------------------------------------------------------------------------------
// 68k build: wasm imports.

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::GuestAddr;
    use crate::sys;

    #[inline]
    pub fn read_u8(a: GuestAddr) -> u8 {
        unsafe { sys::guest_read8(a.0) as u8 }
    }
    #[inline]
    pub fn read_u16(a: GuestAddr) -> u16 {
        unsafe { sys::guest_read16(a.0) as u16 }
    }
    #[inline]
    pub fn read_u32(a: GuestAddr) -> u32 {
        unsafe { sys::guest_read32(a.0) }
    }
    #[inline]
    pub fn write_u8(a: GuestAddr, v: u8) {
        unsafe { sys::guest_write8(a.0, v as u32) }
    }
    #[inline]
    pub fn write_u16(a: GuestAddr, v: u16) {
        unsafe { sys::guest_write16(a.0, v as u32) }
    }
    #[inline]
    pub fn write_u32(a: GuestAddr, v: u32) {
        unsafe { sys::guest_write32(a.0, v) }
    }
    pub fn copy_to_guest(dst: GuestAddr, src: &[u8]) {
        if !src.is_empty() {
            unsafe { sys::guest_copy_in(dst.0, src.as_ptr() as u32, src.len() as u32) }
        }
    }
    pub fn copy_from_guest(dst: &mut [u8], src: GuestAddr) {
        if !dst.is_empty() {
            unsafe { sys::guest_copy_out(dst.as_mut_ptr() as u32, src.0, dst.len() as u32) }
        }
    }
    pub fn guest_memcpy(dst: GuestAddr, src: GuestAddr, n: u32) {
        unsafe { sys::guest_memcpy(dst.0, src.0, n) }
    }
    pub fn guest_memmove(dst: GuestAddr, src: GuestAddr, n: u32) {
        unsafe { sys::guest_memmove(dst.0, src.0, n) }
    }
    pub fn guest_memset(dst: GuestAddr, value: u8, n: u32) {
        unsafe { sys::guest_memset(dst.0, value as u32, n) }
    }
    pub fn guest_memcmp_raw(a: GuestAddr, b: GuestAddr, n: u32) -> i32 {
        unsafe { sys::guest_memcmp(a.0, b.0, n) }
    }
    pub fn scratch_area() -> (GuestAddr, u32) {
        unsafe { (GuestAddr(sys::sdk_scratch_addr()), sys::sdk_scratch_len()) }
    }
}

// ---------------------------------------------------------------------------------------------
// Native build: the thread's Host.

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::GuestAddr;
    use crate::native::with_current;

    pub fn read_u8(a: GuestAddr) -> u8 {
        let mut b = [0u8; 1];
        with_current(|h| h.read(a, &mut b));
        b[0]
    }
    pub fn read_u16(a: GuestAddr) -> u16 {
        let mut b = [0u8; 2];
        with_current(|h| h.read(a, &mut b));
        u16::from_be_bytes(b)
    }
    pub fn read_u32(a: GuestAddr) -> u32 {
        let mut b = [0u8; 4];
        with_current(|h| h.read(a, &mut b));
        u32::from_be_bytes(b)
    }
    pub fn write_u8(a: GuestAddr, v: u8) {
        with_current(|h| h.write(a, &[v]))
    }
    pub fn write_u16(a: GuestAddr, v: u16) {
        with_current(|h| h.write(a, &v.to_be_bytes()))
    }
    pub fn write_u32(a: GuestAddr, v: u32) {
        with_current(|h| h.write(a, &v.to_be_bytes()))
    }
    pub fn copy_to_guest(dst: GuestAddr, src: &[u8]) {
        if !src.is_empty() {
            with_current(|h| h.write(dst, src))
        }
    }
    pub fn copy_from_guest(dst: &mut [u8], src: GuestAddr) {
        if !dst.is_empty() {
            with_current(|h| h.read(src, dst))
        }
    }
    pub fn guest_memcpy(dst: GuestAddr, src: GuestAddr, n: u32) {
        with_current(|h| h.memmove(dst, src, n))
    }
    pub fn guest_memmove(dst: GuestAddr, src: GuestAddr, n: u32) {
        with_current(|h| h.memmove(dst, src, n))
    }
    pub fn guest_memset(dst: GuestAddr, value: u8, n: u32) {
        with_current(|h| h.memset(dst, value, n))
    }
    pub fn guest_memcmp_raw(a: GuestAddr, b: GuestAddr, n: u32) -> i32 {
        with_current(|h| h.memcmp(a, b, n))
    }
    pub fn scratch_area() -> (GuestAddr, u32) {
        with_current(|h| h.scratch_area())
    }
}

/// Reads a byte of guest memory.
pub fn read_u8(addr: GuestAddr) -> u8 {
    imp::read_u8(addr)
}
/// Reads a big-endian 16-bit value (any alignment).
pub fn read_u16(addr: GuestAddr) -> u16 {
    imp::read_u16(addr)
}
/// Reads a big-endian 32-bit value (any alignment).
pub fn read_u32(addr: GuestAddr) -> u32 {
    imp::read_u32(addr)
}
/// Writes a byte of guest memory.
pub fn write_u8(addr: GuestAddr, value: u8) {
    imp::write_u8(addr, value)
}
/// Writes a big-endian 16-bit value (any alignment).
pub fn write_u16(addr: GuestAddr, value: u16) {
    imp::write_u16(addr, value)
}
/// Writes a big-endian 32-bit value (any alignment).
pub fn write_u32(addr: GuestAddr, value: u32) {
    imp::write_u32(addr, value)
}
/// Copies Rust bytes to guest memory at `dst`.
pub fn copy_to_guest(dst: GuestAddr, src: &[u8]) {
    imp::copy_to_guest(dst, src)
}
/// Copies guest memory at `src` into Rust bytes.
pub fn copy_from_guest(dst: &mut [u8], src: GuestAddr) {
    imp::copy_from_guest(dst, src)
}
/// `memcpy` on guest memory (the C runtime's routine in the 68k build). The ranges must not
/// overlap.
pub fn guest_memcpy(dst: GuestAddr, src: GuestAddr, n: u32) {
    imp::guest_memcpy(dst, src, n)
}
/// `memmove` on guest memory (overlap allowed).
pub fn guest_memmove(dst: GuestAddr, src: GuestAddr, n: u32) {
    imp::guest_memmove(dst, src, n)
}
/// `memset` on guest memory.
pub fn guest_memset(dst: GuestAddr, value: u8, n: u32) {
    imp::guest_memset(dst, value, n)
}
/// `memcmp` on guest memory, as an [`Ordering`] (the C value's magnitude is not portable).
pub fn guest_memcmp(a: GuestAddr, b: GuestAddr, n: u32) -> Ordering {
    imp::guest_memcmp_raw(a, b, n).cmp(&0)
}
/// A guest-memory scratch area owned by the program: `(address, length)`. In the 68k build a
/// static buffer in the C runtime's `.bss`; natively whatever the host provides.
pub fn scratch_area() -> (GuestAddr, u32) {
    imp::scratch_area()
}
