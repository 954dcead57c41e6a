//! The guest-memory view the shim works on: big-endian 68k memory addressed by 32-bit guest
//! addresses. The emulator implements it over its host-backed RAM (no copies beyond the
//! bytes asked for); tests use [`FlatMemory`]. The host side is privileged: writes through
//! this view are not subject to the guest's storage-RAM write protection.

use thiserror::Error;

/// A guest address range the host could not access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("guest memory access at {addr:#010x} (+{len} bytes) is outside mapped memory")]
pub struct MemError {
    pub addr: u32,
    pub len: u32,
}

/// Host access to guest memory.
pub trait GuestMemory {
    /// Reads `buf.len()` bytes starting at `addr`.
    fn read(&self, addr: u32, buf: &mut [u8]) -> Result<(), MemError>;
    /// Writes `data` starting at `addr`.
    fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), MemError>;

    fn read_u8(&self, addr: u32) -> Result<u8, MemError> {
        let mut b = [0u8; 1];
        self.read(addr, &mut b)?;
        Ok(b[0])
    }
    fn read_u16(&self, addr: u32) -> Result<u16, MemError> {
        let mut b = [0u8; 2];
        self.read(addr, &mut b)?;
        Ok(u16::from_be_bytes(b))
    }
    fn read_u32(&self, addr: u32) -> Result<u32, MemError> {
        let mut b = [0u8; 4];
        self.read(addr, &mut b)?;
        Ok(u32::from_be_bytes(b))
    }
    fn write_u8(&mut self, addr: u32, v: u8) -> Result<(), MemError> {
        self.write(addr, &[v])
    }
    fn write_u16(&mut self, addr: u32, v: u16) -> Result<(), MemError> {
        self.write(addr, &v.to_be_bytes())
    }
    fn write_u32(&mut self, addr: u32, v: u32) -> Result<(), MemError> {
        self.write(addr, &v.to_be_bytes())
    }
    /// Reads `len` bytes into a new vector.
    fn read_vec(&self, addr: u32, len: u32) -> Result<Vec<u8>, MemError> {
        let mut v = vec![0u8; len as usize];
        self.read(addr, &mut v)?;
        Ok(v)
    }
    /// Reads a NUL-terminated string of at most `max` bytes (without the NUL). A string
    /// with no NUL within `max` bytes is returned truncated at `max`.
    fn read_cstr(&self, addr: u32, max: u32) -> Result<Vec<u8>, MemError> {
        let mut out = Vec::new();
        let mut a = addr;
        while (out.len() as u32) < max {
            let b = self.read_u8(a)?;
            if b == 0 {
                break;
            }
            out.push(b);
            a = a.wrapping_add(1);
        }
        Ok(out)
    }
    /// Fills `len` bytes at `addr` with `value`.
    fn fill(&mut self, addr: u32, len: u32, value: u8) -> Result<(), MemError> {
        const CHUNK: usize = 4096;
        let block = [value; CHUNK];
        let mut done = 0u32;
        while done < len {
            let n = (len - done).min(CHUNK as u32);
            self.write(addr.wrapping_add(done), &block[..n as usize])?;
            done += n;
        }
        Ok(())
    }
    /// Copies `len` bytes from `src` to `dst`; overlapping ranges behave like `memmove`.
    fn copy_within(&mut self, dst: u32, src: u32, len: u32) -> Result<(), MemError> {
        let data = self.read_vec(src, len)?;
        self.write(dst, &data)
    }
}

/// A flat, zero-initialised guest memory covering `[base, base + size)`; the unit-test fake.
#[derive(Debug, Clone)]
pub struct FlatMemory {
    base: u32,
    bytes: Vec<u8>,
}

impl FlatMemory {
    pub fn new(base: u32, size: usize) -> Self {
        Self { base, bytes: vec![0; size] }
    }
    pub fn base(&self) -> u32 {
        self.base
    }
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    fn range(&self, addr: u32, len: usize) -> Result<std::ops::Range<usize>, MemError> {
        let err = MemError { addr, len: len as u32 };
        let off = addr.checked_sub(self.base).ok_or(err)? as usize;
        let end = off.checked_add(len).ok_or(err)?;
        if end > self.bytes.len() {
            return Err(err);
        }
        Ok(off..end)
    }
}

impl GuestMemory for FlatMemory {
    fn read(&self, addr: u32, buf: &mut [u8]) -> Result<(), MemError> {
        let r = self.range(addr, buf.len())?;
        buf.copy_from_slice(&self.bytes[r]);
        Ok(())
    }
    fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), MemError> {
        let r = self.range(addr, data.len())?;
        self.bytes[r].copy_from_slice(data);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_endian_accessors_and_bounds() {
        let mut m = FlatMemory::new(0x1000, 16);
        m.write_u32(0x1001, 0x1122_3344).unwrap();
        assert_eq!(m.read_u8(0x1001).unwrap(), 0x11);
        assert_eq!(m.read_u16(0x1003).unwrap(), 0x3344);
        assert!(m.read_u32(0x100D).is_err());
        assert!(m.read_u8(0x0FFF).is_err());
        assert_eq!(m.read_u8(0x100F).unwrap(), 0);
        assert!(m.write(0xFFFF_FFFF, &[1, 2]).is_err());
    }

    #[test]
    fn cstr_fill_and_overlapping_copy() {
        let mut m = FlatMemory::new(0, 32);
        m.write(4, b"hello\0").unwrap();
        assert_eq!(m.read_cstr(4, 100).unwrap(), b"hello");
        assert_eq!(m.read_cstr(4, 3).unwrap(), b"hel");
        m.copy_within(5, 4, 5).unwrap();
        assert_eq!(m.read_cstr(4, 100).unwrap(), b"hhello");
        m.fill(0, 4, 0xAA).unwrap();
        assert_eq!(m.read_u32(0).unwrap(), 0xAAAA_AAAA);
    }
}
