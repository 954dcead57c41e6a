//! An application's A5 world, built from its `code` 0 and `data` 0 resources the way PalmOS
//! builds it at launch (palmos.md §4): the globals block (`belowA5` bytes of globals below
//! A5, `aboveA5` bytes above it: the jump table and parameters), filled by decompressing the
//! three `data` 0 blocks and fixed up by its relocation chains. Pure functions over byte
//! buffers; the launcher places the result in guest memory.
//!
//! `data` 0 layout (all big-endian):
//! ```text
//! u32 offset of the code-1 relocation section (from the start of the resource)
//! 3 x { i32 A5-relative destination, compressed stream ended by a 0x00 byte }
//! 3 x data relocation chains { u32 count, count deltas }, bases: A5, code 1, this block
//! code-1 relocation chains (at the offset above)
//! ```
//! Stream opcodes: `1xxxxxxx` x+1 literal bytes; `01xxxxxx` x+1 zero bytes; `001xxxxx yy`
//! x+2 copies of yy; `0001xxxx` x+1 0xFF bytes; `01 b1 b2` -> `00000000 FFFF b1 b2`;
//! `02 b1 b2 b3` -> `00000000 FF b1 b2 b3`; `03 b1 b2 b3` -> `A9F0 0000 b1 b2 00 b3`;
//! `04 b1 b2 b3 b4` -> `A9F0 00 b1 b2 b3 00 b4`.
//! Relocation deltas (the running offset starts at 0): a byte with bit 7 set adds
//! `(i8)(b << 1)`; `01xxxxxx yy` adds `((i16)((b << 8 | yy) << 2)) >> 1`; otherwise 4 bytes
//! give `((i32)v << 2) >> 1`. At each site the chain's base is added to the u32 there.

use thiserror::Error;

/// `code` 0: the sizes of the A5 world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code0 {
    pub above_a5: u32,
    pub below_a5: u32,
    pub jump_table_size: u32,
    pub jump_table_a5_offset: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AppImageError {
    #[error("code 0 resource is {0} bytes, shorter than its 16-byte header")]
    Code0Truncated(usize),
    #[error("A5 world of {0} bytes is too large")]
    GlobalsTooLarge(u64),
    #[error("data 0 resource is truncated at byte {0}")]
    Data0Truncated(usize),
    #[error("data 0 block {block} writes {len} bytes at A5{dest:+} outside the globals (-{below}..+{above})")]
    BlockOutOfRange { block: usize, dest: i64, len: usize, below: u32, above: u32 },
    #[error("data 0 relocation at A5{offset:+} lies outside the globals")]
    RelocationOutOfRange { offset: i64 },
    #[error("data 0 code-1 relocation section offset {0:#x} lies outside the resource")]
    BadRelocationOffset(u32),
}

/// Largest A5 world accepted (the dynamic heap is smaller anyway).
pub const MAX_GLOBALS: u64 = 0x0010_0000;

impl Code0 {
    pub fn parse(b: &[u8]) -> Result<Self, AppImageError> {
        if b.len() < 16 {
            return Err(AppImageError::Code0Truncated(b.len()));
        }
        let r = |i: usize| u32::from_be_bytes(b[i..i + 4].try_into().unwrap());
        let c = Code0 { above_a5: r(0), below_a5: r(4), jump_table_size: r(8), jump_table_a5_offset: r(12) };
        let total = c.above_a5 as u64 + c.below_a5 as u64;
        if total > MAX_GLOBALS {
            return Err(AppImageError::GlobalsTooLarge(total));
        }
        Ok(c)
    }
    /// Bytes of the whole A5 world.
    pub fn world_size(&self) -> u32 {
        self.above_a5 + self.below_a5
    }
}

/// A cursor over `data` 0 that reports truncation instead of panicking.
struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn u8(&mut self) -> Result<u8, AppImageError> {
        let v = *self.b.get(self.at).ok_or(AppImageError::Data0Truncated(self.at))?;
        self.at += 1;
        Ok(v)
    }
    fn u32(&mut self) -> Result<u32, AppImageError> {
        let mut v = 0u32;
        for _ in 0..4 {
            v = v << 8 | self.u8()? as u32;
        }
        Ok(v)
    }
}

/// Decompresses one stream (until its 0x00 terminator).
fn decompress(c: &mut Cursor<'_>, out: &mut Vec<u8>) -> Result<(), AppImageError> {
    loop {
        let op = c.u8()?;
        match op {
            0x00 => return Ok(()),
            0x80..=0xFF => {
                for _ in 0..(op & 0x7F) as usize + 1 {
                    out.push(c.u8()?);
                }
            }
            0x40..=0x7F => out.extend(std::iter::repeat_n(0u8, (op & 0x3F) as usize + 1)),
            0x20..=0x3F => {
                let v = c.u8()?;
                out.extend(std::iter::repeat_n(v, (op & 0x1F) as usize + 2));
            }
            0x10..=0x1F => out.extend(std::iter::repeat_n(0xFFu8, (op & 0x0F) as usize + 1)),
            0x01 => {
                let (b1, b2) = (c.u8()?, c.u8()?);
                out.extend_from_slice(&[0, 0, 0, 0, 0xFF, 0xFF, b1, b2]);
            }
            0x02 => {
                let (b1, b2, b3) = (c.u8()?, c.u8()?, c.u8()?);
                out.extend_from_slice(&[0, 0, 0, 0, 0xFF, b1, b2, b3]);
            }
            0x03 => {
                let (b1, b2, b3) = (c.u8()?, c.u8()?, c.u8()?);
                out.extend_from_slice(&[0xA9, 0xF0, 0, 0, b1, b2, 0, b3]);
            }
            0x04 => {
                let (b1, b2, b3, b4) = (c.u8()?, c.u8()?, c.u8()?, c.u8()?);
                out.extend_from_slice(&[0xA9, 0xF0, 0, b1, b2, b3, 0, b4]);
            }
            // 0x05..=0x0F are unused opcodes: treat the stream as malformed.
            _ => return Err(AppImageError::Data0Truncated(c.at - 1)),
        }
    }
}

/// Reads one relocation chain: the A5-relative offsets of its sites.
fn relocation_chain(c: &mut Cursor<'_>) -> Result<Vec<i64>, AppImageError> {
    let count = c.u32()? as usize;
    // Each delta takes at least one byte: a count beyond the remaining bytes is corrupt.
    if count > c.b.len().saturating_sub(c.at) {
        return Err(AppImageError::Data0Truncated(c.b.len()));
    }
    let mut offset: i64 = 0;
    let mut sites = Vec::with_capacity(count);
    for _ in 0..count {
        let b = c.u8()?;
        let delta: i64 = if b & 0x80 != 0 {
            ((b << 1) as i8) as i64
        } else if b & 0x40 != 0 {
            let yy = c.u8()?;
            ((((b as u16) << 8 | yy as u16) << 2) as i16 >> 1) as i64
        } else {
            let v = u32::from_be_bytes([b, c.u8()?, c.u8()?, c.u8()?]);
            ((v << 2) as i32 >> 1) as i64
        };
        offset += delta;
        sites.push(offset);
    }
    Ok(sites)
}

/// The initialised A5 world: `bytes[0]` is at A5 - belowA5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct A5World {
    pub code0: Code0,
    pub bytes: Vec<u8>,
    /// A5-relative sites whose u32 gets A5 added (data chain 0).
    pub a5_relocations: Vec<i64>,
    /// A5-relative sites whose u32 gets the code 1 address added (data chain 1).
    pub code1_relocations: Vec<i64>,
}

impl A5World {
    /// Builds the globals from `code` 0 and `data` 0 (without applying relocations, which
    /// need the final addresses: see [`A5World::relocate`]).
    pub fn build(code0: &[u8], data0: Option<&[u8]>) -> Result<Self, AppImageError> {
        let code0 = Code0::parse(code0)?;
        let mut bytes = vec![0u8; code0.world_size() as usize];
        let mut a5_relocations = Vec::new();
        let mut code1_relocations = Vec::new();
        if let Some(d) = data0 {
            let mut c = Cursor { b: d, at: 0 };
            let code_reloc_at = c.u32()?;
            if code_reloc_at as usize > d.len() {
                return Err(AppImageError::BadRelocationOffset(code_reloc_at));
            }
            for block in 0..3 {
                let dest = c.u32()? as i32 as i64;
                let mut out = Vec::new();
                decompress(&mut c, &mut out)?;
                let start = code0.below_a5 as i64 + dest;
                if start < 0 || start as usize + out.len() > bytes.len() {
                    return Err(AppImageError::BlockOutOfRange {
                        block, dest, len: out.len(), below: code0.below_a5, above: code0.above_a5,
                    });
                }
                bytes[start as usize..start as usize + out.len()].copy_from_slice(&out);
            }
            // Data relocation chains: base A5, base code 1, base "this block" (the A5 world).
            a5_relocations = relocation_chain(&mut c)?;
            code1_relocations = relocation_chain(&mut c)?;
            a5_relocations.extend(relocation_chain(&mut c)?);
            for &off in a5_relocations.iter().chain(&code1_relocations) {
                let at = code0.below_a5 as i64 + off;
                if at < 0 || at as usize + 4 > bytes.len() {
                    return Err(AppImageError::RelocationOutOfRange { offset: off });
                }
            }
        }
        Ok(Self { code0, bytes, a5_relocations, code1_relocations })
    }

    /// Adds the final A5 and code 1 addresses at every relocation site.
    pub fn relocate(&mut self, a5: u32, code1: u32) {
        let below = self.code0.below_a5 as i64;
        let sites: Vec<(i64, u32)> = self
            .a5_relocations
            .iter()
            .map(|&o| (o, a5))
            .chain(self.code1_relocations.iter().map(|&o| (o, code1)))
            .collect();
        for (off, base) in sites {
            let at = (below + off) as usize;
            let v = u32::from_be_bytes(self.bytes[at..at + 4].try_into().unwrap());
            self.bytes[at..at + 4].copy_from_slice(&v.wrapping_add(base).to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code0(above: u32, below: u32) -> Vec<u8> {
        [above, below, 8, 32].iter().flat_map(|v| v.to_be_bytes()).collect()
    }

    #[test]
    fn decompression_opcodes() {
        let stream = [0x82, 1, 2, 3, 0x41, 0x21, 0x77, 0x11, 0x01, 0xAA, 0xBB, 0x02, 1, 2, 3, 0x03, 4, 5, 6, 0x04, 7, 8, 9, 10, 0];
        let mut out = Vec::new();
        decompress(&mut Cursor { b: &stream, at: 0 }, &mut out).unwrap();
        let expect: Vec<u8> = [
            &[1u8, 2, 3][..], &[0, 0], &[0x77, 0x77, 0x77], &[0xFF, 0xFF],
            &[0, 0, 0, 0, 0xFF, 0xFF, 0xAA, 0xBB], &[0, 0, 0, 0, 0xFF, 1, 2, 3],
            &[0xA9, 0xF0, 0, 0, 4, 5, 0, 6], &[0xA9, 0xF0, 0, 7, 8, 9, 0, 10],
        ].concat();
        assert_eq!(out, expect);
    }

    #[test]
    fn relocation_delta_encodings() {
        // +8 (short), +0x1000 (15-bit), -4 (short), +0x100000 (long)
        let long = ((0x10_0000u32 >> 1) & 0x3FFF_FFFF).to_be_bytes();
        let mut chain = 4u32.to_be_bytes().to_vec();
        chain.push(0x80 | 4);
        chain.extend_from_slice(&[0x40 | (0x800 >> 8) as u8, 0x00]);
        chain.push(0x80 | 0x7E);
        chain.extend_from_slice(&long);
        let sites = relocation_chain(&mut Cursor { b: &chain, at: 0 }).unwrap();
        assert_eq!(sites, vec![8, 8 + 0x1000, 8 + 0x1000 - 4, 8 + 0x1000 - 4 + 0x10_0000]);
    }

    #[test]
    fn world_from_data0_with_relocations() {
        // Globals: 16 bytes below A5, 8 above. Block 0 writes 4 literal bytes at A5-16 and a
        // pointer-to-global at A5-8; relocated with A5 in chain 0 and code 1 in chain 1.
        let mut d = vec![0, 0, 0, 0];
        d.extend_from_slice(&(-16i32).to_be_bytes());
        d.extend_from_slice(&[0x83, 0xDE, 0xAD, 0xBE, 0xEF, 0x43, 0]); // 4 bytes, then 4 zeros
        d.extend_from_slice(&(-8i32).to_be_bytes());
        d.extend_from_slice(&[0x87, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 0, 0x10, 0]); // -16 and +16
        d.extend_from_slice(&0i32.to_be_bytes());
        d.push(0); // empty block 2
        d.extend_from_slice(&1u32.to_be_bytes());
        d.push(0x80 | ((-8i8 as u8 >> 1) & 0x7F)); // A5 chain: site A5-8
        d.extend_from_slice(&1u32.to_be_bytes());
        d.push(0x80 | ((-4i8 as u8 >> 1) & 0x7F)); // code 1 chain: site A5-4
        d.extend_from_slice(&0u32.to_be_bytes());
        let end = d.len() as u32;
        d[..4].copy_from_slice(&end.to_be_bytes());
        let mut w = A5World::build(&code0(8, 16), Some(&d)).unwrap();
        assert_eq!(&w.bytes[..4], &[0xDE, 0xAD, 0xBE, 0xEF]);
        w.relocate(0x0012_0000, 0x0100_4000);
        assert_eq!(u32::from_be_bytes(w.bytes[8..12].try_into().unwrap()), 0x0012_0000 - 16);
        assert_eq!(u32::from_be_bytes(w.bytes[12..16].try_into().unwrap()), 0x0100_4000 + 16);
    }

    #[test]
    fn malformed_resources_are_errors() {
        assert_eq!(Code0::parse(&[0; 8]), Err(AppImageError::Code0Truncated(8)));
        assert!(matches!(Code0::parse(&code0(0x0100_0000, 0x0100_0000)), Err(AppImageError::GlobalsTooLarge(_))));
        let mut d = vec![0, 0, 0, 0];
        d.extend_from_slice(&(-100i32).to_be_bytes());
        d.extend_from_slice(&[0x80, 1, 0]);
        assert!(matches!(A5World::build(&code0(8, 16), Some(&d)), Err(AppImageError::BlockOutOfRange { .. })));
        // Every truncation of a valid resource is an error, never a panic.
        let mut good = vec![0, 0, 0, 0];
        for _ in 0..3 {
            good.extend_from_slice(&(-16i32).to_be_bytes());
            good.extend_from_slice(&[0x81, 1, 2, 0]);
        }
        for _ in 0..3 {
            good.extend_from_slice(&1u32.to_be_bytes());
            good.push(0x80 | ((-8i8 as u8 >> 1) & 0x7F));
        }
        A5World::build(&code0(8, 16), Some(&good)).unwrap();
        for n in 0..good.len() {
            assert!(A5World::build(&code0(8, 16), Some(&good[..n])).is_err(), "truncated at {n}");
        }
    }
}
