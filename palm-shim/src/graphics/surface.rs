//! Pixel surfaces in guest memory: the 160x160 screen and offscreen windows.
//!
//! A [`Surface`] only describes memory (base address, size, row stride, depth); pixels live in
//! guest memory and are read and written through [`GuestMemory`]. Pixels are packed
//! big-endian: at depths below 8 the leftmost pixel of a byte is in its most significant
//! bits, as on the DragonBall LCD controller and in PalmOS `BitmapType` data. Rows start
//! `row_bytes` apart; PalmOS keeps `row_bytes` even.
//!
//! Nothing here writes outside `[base, base + row_bytes * height)`, and within each row
//! nothing past the last byte that holds a pixel of the row (row padding stays untouched).

use super::geometry::Rect;
use super::palette::{self, Rgb};
use crate::memory::{GuestMemory, MemError};
use palm_abi::memmap::{FRAMEBUFFER, SCREEN_HEIGHT, SCREEN_WIDTH};
use thiserror::Error;

/// Bits per pixel of an indexed surface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Depth {
    One = 1,
    Two = 2,
    Four = 4,
    Eight = 8,
}

impl Depth {
    /// From a bits-per-pixel count (1, 2, 4 or 8).
    pub fn from_bits(bits: u8) -> Option<Depth> {
        match bits {
            1 => Some(Depth::One),
            2 => Some(Depth::Two),
            4 => Some(Depth::Four),
            8 => Some(Depth::Eight),
            _ => None,
        }
    }
    pub const fn bits(self) -> u32 {
        self as u32
    }
    /// The largest pixel value, which is also black in the system palette.
    pub const fn max_value(self) -> u8 {
        ((1u32 << self as u32) - 1) as u8
    }
    /// The white pixel value (0 at every depth).
    pub const fn white(self) -> u8 {
        0
    }
    /// The black pixel value.
    pub const fn black(self) -> u8 {
        self.max_value()
    }
}

/// Why a surface description was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SurfaceError {
    #[error("row_bytes {row_bytes} is too small for {width} pixels at {depth} bpp")]
    RowBytesTooSmall { width: u16, depth: u32, row_bytes: u16 },
    #[error("surface at {base:#010x} ({len} bytes) wraps around the address space")]
    AddressOverflow { base: u32, len: u32 },
}

/// A pixel surface in guest memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Surface {
    pub base: u32,
    pub width: u16,
    pub height: u16,
    pub row_bytes: u16,
    pub depth: Depth,
}

impl Surface {
    /// Bytes needed for one row of `width` pixels, rounded up to an even count as PalmOS does.
    pub const fn min_row_bytes(width: u16, depth: Depth) -> u16 {
        let bytes = (width as u32 * depth as u32).div_ceil(8);
        (bytes.div_ceil(2) * 2) as u16
    }

    /// A checked surface description.
    pub fn new(base: u32, width: u16, height: u16, row_bytes: u16, depth: Depth) -> Result<Self, SurfaceError> {
        let needed = (width as u32 * depth.bits()).div_ceil(8);
        if (row_bytes as u32) < needed {
            return Err(SurfaceError::RowBytesTooSmall { width, depth: depth.bits(), row_bytes });
        }
        let s = Surface { base, width, height, row_bytes, depth };
        if base.checked_add(s.byte_len()).is_none() {
            return Err(SurfaceError::AddressOverflow { base, len: s.byte_len() });
        }
        Ok(s)
    }

    /// A surface with the minimal even `row_bytes` for its width.
    pub fn packed(base: u32, width: u16, height: u16, depth: Depth) -> Result<Self, SurfaceError> {
        Surface::new(base, width, height, Surface::min_row_bytes(width, depth), depth)
    }

    /// The 160x160 screen at the start of the framebuffer region (where LSSA points).
    pub fn screen(depth: Depth) -> Self {
        let (w, h) = (SCREEN_WIDTH as u16, SCREEN_HEIGHT as u16);
        Surface { base: FRAMEBUFFER.base, width: w, height: h, row_bytes: Surface::min_row_bytes(w, depth), depth }
    }

    /// Total bytes the surface spans (`row_bytes * height`).
    pub const fn byte_len(&self) -> u32 {
        self.row_bytes as u32 * self.height as u32
    }

    /// `(0, 0, width, height)`; the width is capped at what `row_bytes` can hold, so even a
    /// hand-built, inconsistent description never reaches past its rows.
    pub const fn bounds(&self) -> Rect {
        Rect::new(0, 0, self.pixel_width(), self.height as i32)
    }

    /// `width`, capped at the pixels `row_bytes` holds.
    const fn pixel_width(&self) -> i32 {
        let fit = self.row_bytes as u32 * 8 / self.depth.bits();
        if (self.width as u32) < fit {
            self.width as i32
        } else {
            fit as i32
        }
    }

    /// Address of the byte holding pixel `(x, y)` (which must be inside the surface).
    fn byte_addr(&self, x: u32, y: u32) -> u32 {
        self.base.wrapping_add(y * self.row_bytes as u32 + x * self.depth.bits() / 8)
    }

    /// Shift of pixel `x` inside its byte.
    fn shift(&self, x: u32) -> u32 {
        let bits = self.depth.bits();
        8 - bits - (x * bits) % 8
    }

    /// The value of pixel `(x, y)`, or `None` outside the surface (PalmOS `WinGetPixel`
    /// returns 0 there; callers decide).
    pub fn get_pixel(&self, mem: &dyn GuestMemory, x: i32, y: i32) -> Result<Option<u8>, MemError> {
        if !self.bounds().contains(x, y) {
            return Ok(None);
        }
        let (x, y) = (x as u32, y as u32);
        let byte = mem.read_u8(self.byte_addr(x, y))?;
        Ok(Some((byte >> self.shift(x)) & self.depth.max_value()))
    }

    /// Sets pixel `(x, y)`; does nothing outside the surface.
    pub fn set_pixel(&self, mem: &mut dyn GuestMemory, x: i32, y: i32, value: u8) -> Result<(), MemError> {
        if !self.bounds().contains(x, y) {
            return Ok(());
        }
        let (x, y) = (x as u32, y as u32);
        let addr = self.byte_addr(x, y);
        let shift = self.shift(x);
        let mask = self.depth.max_value() << shift;
        let old = mem.read_u8(addr)?;
        mem.write_u8(addr, (old & !mask) | ((value << shift) & mask))
    }

    /// Reads the pixels `[x0, x1)` of row `y` for modification. The range is clipped to the
    /// surface; `None` if nothing of it is inside.
    pub fn read_span(&self, mem: &dyn GuestMemory, y: i32, x0: i32, x1: i32) -> Result<Option<RowSpan>, MemError> {
        if y < 0 || y >= self.height as i32 {
            return Ok(None);
        }
        let x0 = x0.max(0);
        let x1 = x1.min(self.pixel_width());
        if x0 >= x1 {
            return Ok(None);
        }
        let bits = self.depth.bits();
        let first_byte = x0 as u32 * bits / 8;
        let last_byte = ((x1 as u32) * bits - 1) / 8;
        let addr = self.base.wrapping_add(y as u32 * self.row_bytes as u32 + first_byte);
        let bytes = mem.read_vec(addr, last_byte - first_byte + 1)?;
        let per_byte = 8 / bits as i32;
        Ok(Some(RowSpan { addr, x0, x1, byte_origin_x: (x0 / per_byte) * per_byte, depth: self.depth, bytes }))
    }

    /// Writes a span read by [`read_span`](Self::read_span) back.
    pub fn write_span(&self, mem: &mut dyn GuestMemory, span: &RowSpan) -> Result<(), MemError> {
        mem.write(span.addr, &span.bytes)
    }

    /// Reads, modifies and writes back pixels `[x0, x1)` of row `y` (clipped to the surface):
    /// `f(span)` sees absolute x coordinates.
    pub fn modify_span(
        &self,
        mem: &mut dyn GuestMemory,
        y: i32,
        x0: i32,
        x1: i32,
        f: impl FnOnce(&mut RowSpan),
    ) -> Result<(), MemError> {
        if let Some(mut span) = self.read_span(&*mem, y, x0, x1)? {
            f(&mut span);
            self.write_span(mem, &span)?;
        }
        Ok(())
    }

    /// Sets every pixel to `value` (row padding untouched).
    pub fn fill(&self, mem: &mut dyn GuestMemory, value: u8) -> Result<(), MemError> {
        for y in 0..self.height as i32 {
            self.modify_span(mem, y, 0, self.width as i32, |s| s.fill(s.x0, s.x1, value))?;
        }
        Ok(())
    }

    /// All pixel values, row-major, one byte per pixel.
    pub fn read_pixels(&self, mem: &dyn GuestMemory) -> Result<Vec<u8>, MemError> {
        let mut out = Vec::with_capacity(self.width as usize * self.height as usize);
        for y in 0..self.height as i32 {
            if let Some(span) = self.read_span(mem, y, 0, self.width as i32)? {
                out.extend((0..self.width as i32).map(|x| span.get(x)));
            }
        }
        Ok(out)
    }

    /// The surface as packed RGB888 (3 bytes per pixel, row-major, no padding) through the
    /// system palette of its depth.
    pub fn to_rgb888(&self, mem: &dyn GuestMemory) -> Result<Vec<u8>, MemError> {
        self.to_rgb888_with(mem, palette::system_palette(self.depth))
    }

    /// Like [`to_rgb888`](Self::to_rgb888) with a custom colour table (e.g. after
    /// `WinPalette`); values past the table's end are black.
    pub fn to_rgb888_with(&self, mem: &dyn GuestMemory, table: &[Rgb]) -> Result<Vec<u8>, MemError> {
        let pixels = self.read_pixels(mem)?;
        let mut out = Vec::with_capacity(pixels.len() * 3);
        for p in pixels {
            let c = table.get(p as usize).copied().unwrap_or(Rgb::BLACK);
            out.extend_from_slice(&[c.r, c.g, c.b]);
        }
        Ok(out)
    }

    /// A stable hash of what the surface shows: FNV-1a 64 over the width and height (u16
    /// big-endian each) followed by the RGB888 bytes. Equal pictures hash equal whatever
    /// their depth or row padding.
    pub fn rgb_hash(&self, mem: &dyn GuestMemory) -> Result<u64, MemError> {
        let mut h = Fnv1a64::new();
        h.update(&self.width.to_be_bytes());
        h.update(&self.height.to_be_bytes());
        h.update(&self.to_rgb888(mem)?);
        Ok(h.finish())
    }
}

/// FNV-1a, 64-bit: a tiny, stable, dependency-free hash for framebuffer fingerprints.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a64(u64);

impl Fnv1a64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    pub fn new() -> Self {
        Fnv1a64(Self::OFFSET)
    }
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(Self::PRIME);
        }
    }
    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a64 {
    fn default() -> Self {
        Self::new()
    }
}

/// A copy of the bytes holding pixels `[x0, x1)` of one row, for read-modify-write.
/// `get`/`set` take absolute x coordinates; `set` outside `[x0, x1)` is ignored, so a span
/// never changes pixels it was not asked for.
#[derive(Clone, Debug)]
pub struct RowSpan {
    addr: u32,
    /// First pixel of the span (inclusive).
    pub x0: i32,
    /// End of the span (exclusive).
    pub x1: i32,
    byte_origin_x: i32,
    depth: Depth,
    bytes: Vec<u8>,
}

impl RowSpan {
    fn locate(&self, x: i32) -> (usize, u32) {
        let bits = self.depth.bits();
        let rel = (x - self.byte_origin_x) as u32 * bits;
        ((rel / 8) as usize, 8 - bits - rel % 8)
    }

    /// The pixel value at `x` (0 outside the span).
    pub fn get(&self, x: i32) -> u8 {
        if x < self.x0 || x >= self.x1 {
            return 0;
        }
        if self.depth == Depth::Eight {
            return self.bytes[(x - self.byte_origin_x) as usize];
        }
        let (i, shift) = self.locate(x);
        (self.bytes[i] >> shift) & self.depth.max_value()
    }

    /// Sets the pixel at `x` (ignored outside the span).
    pub fn set(&mut self, x: i32, value: u8) {
        if x < self.x0 || x >= self.x1 {
            return;
        }
        if self.depth == Depth::Eight {
            self.bytes[(x - self.byte_origin_x) as usize] = value;
            return;
        }
        let (i, shift) = self.locate(x);
        let mask = self.depth.max_value() << shift;
        self.bytes[i] = (self.bytes[i] & !mask) | ((value << shift) & mask);
    }

    /// Sets pixels `[a, b)` (clipped to the span) to `value`.
    pub fn fill(&mut self, a: i32, b: i32, value: u8) {
        for x in a.max(self.x0)..b.min(self.x1) {
            self.set(x, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FlatMemory;

    const GUARD: u32 = 64;

    fn rig(w: u16, h: u16, depth: Depth, pad: u16) -> (Surface, FlatMemory) {
        let rb = Surface::min_row_bytes(w, depth) + pad;
        let s = Surface::new(0x1000 + GUARD, w, h, rb, depth).unwrap();
        let mut mem = FlatMemory::new(0x1000, (GUARD * 2 + s.byte_len()) as usize);
        mem.fill(0x1000, GUARD * 2 + s.byte_len(), 0x5A).unwrap();
        (s, mem)
    }

    #[test]
    fn pixel_get_set_at_edges_every_depth() {
        for depth in [Depth::One, Depth::Two, Depth::Four, Depth::Eight] {
            for w in [1u16, 7, 8, 9, 16, 17] {
                let (s, mut mem) = rig(w, 3, depth, 2);
                s.fill(&mut mem, 0).unwrap();
                let max = depth.max_value();
                let corners = [(0, 0), (w as i32 - 1, 0), (0, 2), (w as i32 - 1, 2)];
                for (i, &(x, y)) in corners.iter().enumerate() {
                    let v = (i as u8 + 1) & max;
                    s.set_pixel(&mut mem, x, y, v).unwrap();
                    assert_eq!(s.get_pixel(&mem, x, y).unwrap(), Some(v), "{depth:?} w{w} ({x},{y})");
                }
                // Outside: ignored, None.
                for (x, y) in [(-1, 0), (w as i32, 0), (0, -1), (0, 3), (i32::MIN, i32::MAX)] {
                    s.set_pixel(&mut mem, x, y, max).unwrap();
                    assert_eq!(s.get_pixel(&mem, x, y).unwrap(), None);
                }
                // Guards and row padding untouched.
                let b = mem.bytes();
                assert!(b[..GUARD as usize].iter().all(|&v| v == 0x5A));
                assert!(b[(GUARD + s.byte_len()) as usize..].iter().all(|&v| v == 0x5A));
                for y in 0..3usize {
                    let row = GUARD as usize + y * s.row_bytes as usize;
                    let used = (w as usize * depth.bits() as usize).div_ceil(8);
                    assert!(b[row + used..row + s.row_bytes as usize].iter().all(|&v| v == 0x5A));
                }
            }
        }
    }

    #[test]
    fn big_endian_bit_order() {
        let (s, mut mem) = rig(8, 1, Depth::One, 0);
        s.fill(&mut mem, 0).unwrap();
        s.set_pixel(&mut mem, 0, 0, 1).unwrap();
        assert_eq!(mem.read_u8(s.base).unwrap(), 0x80);
        let (s, mut mem) = rig(4, 1, Depth::Two, 0);
        s.fill(&mut mem, 0).unwrap();
        s.set_pixel(&mut mem, 1, 0, 3).unwrap();
        assert_eq!(mem.read_u8(s.base).unwrap(), 0x30);
        let (s, mut mem) = rig(2, 1, Depth::Four, 0);
        s.fill(&mut mem, 0).unwrap();
        s.set_pixel(&mut mem, 0, 0, 0xA).unwrap();
        assert_eq!(mem.read_u8(s.base).unwrap(), 0xA0);
    }

    #[test]
    fn spans_and_rgb() {
        let (s, mut mem) = rig(10, 2, Depth::Two, 0);
        s.fill(&mut mem, 0).unwrap();
        s.modify_span(&mut mem, 1, 3, 7, |sp| {
            sp.fill(0, 100, 3);
            sp.set(2, 1); // outside the span: ignored
        })
        .unwrap();
        let px = s.read_pixels(&mem).unwrap();
        assert_eq!(&px[10..], &[0, 0, 0, 3, 3, 3, 3, 0, 0, 0]);
        let rgb = s.to_rgb888(&mem).unwrap();
        assert_eq!(rgb.len(), 60);
        assert_eq!(&rgb[39..42], &[0, 0, 0]);
        assert_eq!(&rgb[0..3], &[255, 255, 255]);
        // Same picture in another depth hashes the same.
        let (t, mut m2) = rig(10, 2, Depth::Eight, 4);
        t.fill(&mut m2, 0).unwrap();
        for x in 3..7 {
            t.set_pixel(&mut m2, x, 1, 255).unwrap();
        }
        assert_eq!(s.rgb_hash(&mem).unwrap(), t.rgb_hash(&m2).unwrap());
    }

    #[test]
    fn fnv_reference_values() {
        let mut h = Fnv1a64::new();
        assert_eq!(h.finish(), 0xcbf29ce484222325);
        h.update(b"a");
        assert_eq!(h.finish(), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn checked_construction() {
        assert!(Surface::new(0, 17, 1, 2, Depth::One).is_err());
        assert!(Surface::new(0, 16, 1, 2, Depth::One).is_ok());
        assert!(Surface::new(0xFFFF_FF00, 160, 160, 160, Depth::Eight).is_err());
        assert_eq!(Surface::min_row_bytes(160, Depth::One), 20);
        assert_eq!(Surface::min_row_bytes(9, Depth::One), 2);
        assert_eq!(Surface::min_row_bytes(3, Depth::Eight), 4);
        let scr = Surface::screen(Depth::Eight);
        assert_eq!((scr.base, scr.row_bytes, scr.byte_len()), (0x0040_0000, 160, 25600));
    }
}
