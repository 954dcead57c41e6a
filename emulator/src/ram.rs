//! Guest memory backed by host buffers. Each bank is one host allocation mapped into the CPU
//! at a fixed guest address, so host code reads and writes guest memory in place, with no
//! copies and no engine calls. Banks follow `palm_abi::memmap`: main RAM (low memory, system
//! RAM, dynamic heap and framebuffer, which are contiguous), storage RAM, ROM and the hardware
//! register page.

use palm_abi::memmap::{self, Region};
use palm_shim::{GuestMemory, MemError};

/// One host-backed range of guest memory.
pub struct Bank {
    pub region: Region,
    bytes: Box<[u8]>,
}

impl Bank {
    fn new(name: &'static str, base: u32, size: u32) -> Self {
        Self { region: Region { name, base, size }, bytes: vec![0u8; size as usize].into_boxed_slice() }
    }
    /// The host buffer's address, for mapping it into the CPU. Stable: the boxed slice never
    /// moves or changes size.
    pub fn host_ptr(&mut self) -> *mut u8 {
        self.bytes.as_mut_ptr()
    }
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }
}

/// Index of each bank in [`GuestRam::banks`].
pub mod bank {
    pub const MAIN: usize = 0;
    pub const STORAGE: usize = 1;
    pub const ROM: usize = 2;
    pub const HW: usize = 3;
}

/// All guest memory.
pub struct GuestRam {
    banks: Vec<Bank>,
    /// The storage-heap bytes the host wrote since [`take_storage_writes`](Self::take_storage_writes)
    /// (one covering range). Code runs in place from storage (code resources), and the CPU's
    /// translated code does not see host writes, so the machine drops translations there.
    storage_writes: Option<(u32, u32)>,
}

impl Default for GuestRam {
    fn default() -> Self {
        Self::new()
    }
}

impl GuestRam {
    pub fn new() -> Self {
        let main_end = memmap::FRAMEBUFFER.end();
        debug_assert_eq!(memmap::LOW_MEMORY.end(), memmap::SYSTEM_RAM.base);
        debug_assert_eq!(memmap::SYSTEM_RAM.end(), memmap::DYNAMIC_HEAP.base);
        debug_assert_eq!(memmap::DYNAMIC_HEAP.end(), memmap::FRAMEBUFFER.base);
        let banks = vec![
            Bank::new("main RAM", memmap::LOW_MEMORY.base, main_end - memmap::LOW_MEMORY.base),
            Bank::new(memmap::STORAGE_HEAP.name, memmap::STORAGE_HEAP.base, memmap::STORAGE_HEAP.size),
            Bank::new(memmap::ROM.name, memmap::ROM.base, memmap::ROM.size),
            Bank::new(memmap::HW_REGISTERS.name, memmap::HW_REGISTERS.base, memmap::HW_REGISTERS.size),
        ];
        Self { banks, storage_writes: None }
    }

    pub fn banks(&self) -> &[Bank] {
        &self.banks
    }
    pub fn banks_mut(&mut self) -> &mut [Bank] {
        &mut self.banks
    }

    /// The bank and offset holding `[addr, addr + len)`, if one bank holds all of it.
    fn locate(&self, addr: u32, len: usize) -> Result<(usize, usize), MemError> {
        let err = MemError { addr, len: len as u32 };
        let len32 = u32::try_from(len).map_err(|_| err)?;
        self.banks
            .iter()
            .position(|b| b.region.contains_range(addr, len32))
            .map(|i| (i, (addr - self.banks[i].region.base) as usize))
            .ok_or(err)
    }

    /// Guest bytes in place, read-only.
    pub fn slice(&self, addr: u32, len: u32) -> Result<&[u8], MemError> {
        let (b, off) = self.locate(addr, len as usize)?;
        Ok(&self.banks[b].bytes[off..off + len as usize])
    }

    /// Guest bytes in place, writable by the host.
    pub fn slice_mut(&mut self, addr: u32, len: u32) -> Result<&mut [u8], MemError> {
        let (b, off) = self.locate(addr, len as usize)?;
        if b == bank::STORAGE && len > 0 {
            self.note_storage_write(addr, addr + len);
        }
        Ok(&mut self.banks[b].bytes[off..off + len as usize])
    }

    fn note_storage_write(&mut self, start: u32, end: u32) {
        self.storage_writes = Some(match self.storage_writes {
            Some((s, e)) => (s.min(start), e.max(end)),
            None => (start, end),
        });
    }

    /// The range of storage RAM the host wrote since the last call, and forgets it.
    pub fn take_storage_writes(&mut self) -> Option<(u32, u32)> {
        self.storage_writes.take()
    }
}

impl GuestMemory for GuestRam {
    fn read(&self, addr: u32, buf: &mut [u8]) -> Result<(), MemError> {
        buf.copy_from_slice(self.slice(addr, buf.len() as u32)?);
        Ok(())
    }
    fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), MemError> {
        self.slice_mut(addr, data.len() as u32)?.copy_from_slice(data);
        Ok(())
    }
    fn copy_within(&mut self, dst: u32, src: u32, len: u32) -> Result<(), MemError> {
        let (sb, soff) = self.locate(src, len as usize)?;
        let (db, doff) = self.locate(dst, len as usize)?;
        if sb == db {
            if db == bank::STORAGE && len > 0 {
                self.note_storage_write(dst, dst + len);
            }
            self.banks[sb].bytes.copy_within(soff..soff + len as usize, doff);
            Ok(())
        } else {
            let data = self.read_vec(src, len)?;
            self.write(dst, &data)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banks_cover_the_memory_map() {
        let ram = GuestRam::new();
        for r in memmap::REGIONS {
            assert!(ram.slice(r.base, r.size).is_ok(), "{} not backed", r.name);
        }
        assert!(ram.slice(memmap::FRAMEBUFFER.end(), 1).is_err());
        assert!(ram.slice(0x5000_0000, 4).is_err());
    }

    #[test]
    fn access_across_banks_is_refused() {
        let mut ram = GuestRam::new();
        let edge = memmap::ROM.end() - 2;
        assert!(ram.write_u32(edge, 1).is_err());
        ram.write_u32(edge - 2, 0xCAFEBABE).unwrap();
        assert_eq!(ram.read_u16(edge).unwrap(), 0xBABE);
        assert!(ram.write_u32(0xFFFF_FFFE, 0).is_err(), "wrap-around must not panic");
    }
}
