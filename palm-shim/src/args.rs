//! Decoding trap arguments from the guest stack. The caller pushes C arguments right to left,
//! so the first argument is at the lowest address. Slots are 2 bytes for 8- and 16-bit values
//! (an 8-bit value is the low byte of its word, i.e. the byte at offset 1) and 4 bytes for
//! 32-bit values and pointers.

use crate::memory::{GuestMemory, MemError};

/// Reads successive arguments from a stack address.
pub struct ArgReader<'m> {
    mem: &'m dyn GuestMemory,
    cursor: u32,
}

impl<'m> ArgReader<'m> {
    /// `base` is the address of the first argument.
    pub fn new(mem: &'m dyn GuestMemory, base: u32) -> Self {
        Self { mem, cursor: base }
    }
    /// Address of the next unread argument.
    pub fn cursor(&self) -> u32 {
        self.cursor
    }
    fn take(&mut self, size: u32) -> u32 {
        let at = self.cursor;
        self.cursor = self.cursor.wrapping_add(size);
        at
    }
    /// An 8-bit argument (`UInt8`, `Boolean`, `Char`) in its 2-byte slot.
    pub fn u8(&mut self) -> Result<u8, MemError> {
        let at = self.take(2);
        self.mem.read_u8(at.wrapping_add(1))
    }
    pub fn i8(&mut self) -> Result<i8, MemError> {
        Ok(self.u8()? as i8)
    }
    pub fn bool(&mut self) -> Result<bool, MemError> {
        Ok(self.u8()? != 0)
    }
    pub fn u16(&mut self) -> Result<u16, MemError> {
        let at = self.take(2);
        self.mem.read_u16(at)
    }
    pub fn i16(&mut self) -> Result<i16, MemError> {
        Ok(self.u16()? as i16)
    }
    pub fn u32(&mut self) -> Result<u32, MemError> {
        let at = self.take(4);
        self.mem.read_u32(at)
    }
    pub fn i32(&mut self) -> Result<i32, MemError> {
        Ok(self.u32()? as i32)
    }
    /// A pointer argument (a guest address; 0 is NULL).
    pub fn ptr(&mut self) -> Result<u32, MemError> {
        self.u32()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::FlatMemory;

    #[test]
    fn mixed_widths_in_push_order() {
        // DmOpenDatabase(UInt16 cardNo, LocalID dbID, UInt16 mode) then a Boolean and a pointer,
        // laid out as a 68k caller pushes them (last argument pushed first, so highest).
        let mut m = FlatMemory::new(0x2000, 64);
        let sp = 0x2010;
        m.write(sp, &[0x00, 0x01]).unwrap(); // cardNo = 1
        m.write(sp + 2, &0x0001_2345u32.to_be_bytes()).unwrap(); // dbID
        m.write(sp + 6, &[0x00, 0x03]).unwrap(); // mode = dmModeReadWrite
        m.write(sp + 8, &[0xEE, 0x01]).unwrap(); // Boolean true; high byte is junk
        m.write(sp + 10, &0x0000_1FFEu32.to_be_bytes()).unwrap();
        m.write(sp + 14, &[0xFF, 0xFE]).unwrap(); // Int16 -2
        let mut a = ArgReader::new(&m, sp);
        assert_eq!(a.u16().unwrap(), 1);
        assert_eq!(a.u32().unwrap(), 0x0001_2345);
        assert_eq!(a.u16().unwrap(), 3);
        assert!(a.bool().unwrap());
        assert_eq!(a.ptr().unwrap(), 0x1FFE);
        assert_eq!(a.i16().unwrap(), -2);
        assert_eq!(a.cursor(), sp + 16);
    }

    #[test]
    fn reading_past_memory_is_an_error_not_a_panic() {
        let m = FlatMemory::new(0, 4);
        let mut a = ArgReader::new(&m, 2);
        assert!(a.u32().is_err());
    }
}
