//! PalmOS `BitmapType`: the layout (all versions, in one place), reading headers and bitmap
//! families from guest memory, decompression, and drawing (`WinDrawBitmap`,
//! `WinPaintBitmap`).
//!
//! # Layout
//! All fields big-endian, 16-bit aligned. Offsets in bytes from the start of the bitmap.
//!
//! | off | v0 | v1 | v2 | v3 |
//! |---|---|---|---|---|
//! | 0 | `width` i16 | same | same | same |
//! | 2 | `height` i16 | same | same | same |
//! | 4 | `rowBytes` u16 | same | same | same |
//! | 6 | `flags` u16 | same | same | same |
//! | 8 | reserved (0: 1 bpp) | `pixelSize` u8 | `pixelSize` u8 | `pixelSize` u8 |
//! | 9 | reserved | `version` u8 = 1 | `version` = 2 | `version` = 3 |
//! | 10 | reserved | `nextDepthOffset` u16 | `nextDepthOffset` u16 | `size` u8 (header bytes, 24), `pixelFormat` u8 @11 |
//! | 12 | reserved | reserved | `transparentIndex` u8, `compressionType` u8 @13 | unused u8, `compressionType` u8 @13 |
//! | 14 | reserved | reserved | reserved u16 | `density` u16 (72 = 160x160 screens) |
//! | 16 | data | data | data | `transparentValue` u32 |
//! | 20 | | | | `nextBitmapOffset` u32 |
//! | 24 | | | | data |
//!
//! `nextDepthOffset` counts 4-byte words from the start of this bitmap to the next member of
//! a *bitmap family* (0: last); v3's `nextBitmapOffset` counts bytes. A v1 header with
//! `pixelSize` 0xFF is a dummy that only links to the high-density (v3) members.
//!
//! `flags` bits: 0x8000 `compressed`, 0x4000 `hasColorTable`, 0x2000 `hasTransparency`,
//! 0x1000 `indirect` (a pointer to the bits follows instead of the bits), 0x0800
//! `forScreen`, 0x0400 `directColor` (16-bit RGB565), 0x0200 `indirectColorTable` (a pointer
//! to the colour table follows instead of the table), 0x0100 `noDither`.
//!
//! After the header, in order: the colour table if `hasColorTable` (`numEntries` u16, then
//! `numEntries` x `RGBColorType` {index, r, g, b}; entry *i* is the colour of pixel value
//! *i*); for v2 `directColor` bitmaps a `BitmapDirectInfoType` (redBits, greenBits, blueBits,
//! reserved, transparentColor {index, r, g, b}: 8 bytes); then, if `compressed`, the size of
//! the compressed data (u16, u32 in v3), then the (compressed) bits: `height` rows of
//! `rowBytes`, pixels packed big-endian as in [`Surface`].
//!
//! `compressionType` (v2/v3; v0/v1 compressed bitmaps are always scan-line): 0 scan-line
//! (per row, per 8-byte group: a mask byte whose bit 7..0 says which of the 8 bytes follow
//! literally; the others repeat the row above, zeros above the first row), 1 RLE (pairs
//! count, byte), 2 PackBits (control byte n: 0..=127 copy n+1 literal units, -1..=-127 repeat
//! the next unit 1-n times, -128 no-op; units are bytes, or 16-bit words at 16 bpp), 0xFF
//! none.
//!
//! # Drawing
//! From a family, the deepest low-density member not deeper than the destination is drawn
//! (the shallowest one if all are deeper). Pixels are colour-matched to the destination:
//! 1-bit bitmaps without a colour table expand to the foreground (1) and background (0)
//! colours, so `WinSetForeColor` tints them; other depths go through the bitmap's colour
//! table or the system palette of their depth. The transparent value is `transparentIndex`
//! / `transparentValue` / the direct-info colour when `hasTransparency` is set, and 0 (white,
//! 0xFFFF at 16 bpp) otherwise, for the modes that look at transparency (see
//! [`transfer`](super::transfer)).

use super::draw::{blit, DrawState};
use super::geometry::Rect;
use super::palette::{self, Rgb};
use super::surface::{Depth, Surface};
use super::transfer::{SourceKind, SourcePixel, TransferMode};
use crate::memory::{GuestMemory, MemError};
use thiserror::Error;

pub const OFF_WIDTH: u32 = 0;
pub const OFF_HEIGHT: u32 = 2;
pub const OFF_ROW_BYTES: u32 = 4;
pub const OFF_FLAGS: u32 = 6;
pub const OFF_PIXEL_SIZE: u32 = 8;
pub const OFF_VERSION: u32 = 9;
pub const OFF_NEXT_DEPTH_OFFSET: u32 = 10;
pub const OFF_V2_TRANSPARENT_INDEX: u32 = 12;
pub const OFF_COMPRESSION_TYPE: u32 = 13;
pub const OFF_V3_SIZE: u32 = 10;
pub const OFF_V3_PIXEL_FORMAT: u32 = 11;
pub const OFF_V3_DENSITY: u32 = 14;
pub const OFF_V3_TRANSPARENT_VALUE: u32 = 16;
pub const OFF_V3_NEXT_BITMAP_OFFSET: u32 = 20;
/// Header size of versions 0, 1 and 2.
pub const HEADER_SIZE_V2: u32 = 16;
/// Header size of version 3 (also stored in its `size` byte).
pub const HEADER_SIZE_V3: u32 = 24;
/// Size of `BitmapDirectInfoType` (v2 direct-colour bitmaps).
pub const DIRECT_INFO_SIZE: u32 = 8;

pub const FLAG_COMPRESSED: u16 = 0x8000;
pub const FLAG_HAS_COLOR_TABLE: u16 = 0x4000;
pub const FLAG_HAS_TRANSPARENCY: u16 = 0x2000;
pub const FLAG_INDIRECT: u16 = 0x1000;
pub const FLAG_FOR_SCREEN: u16 = 0x0800;
pub const FLAG_DIRECT_COLOR: u16 = 0x0400;
pub const FLAG_INDIRECT_COLOR_TABLE: u16 = 0x0200;
pub const FLAG_NO_DITHER: u16 = 0x0100;

/// `pixelSize` of the v1 dummy that links to high-density members.
pub const PIXEL_SIZE_FAMILY_DUMMY: u8 = 0xFF;
/// `density` of 160x160 ("low density", 72 dpi) bitmaps.
pub const DENSITY_LOW: u16 = 72;
/// v3 `pixelFormat` values.
pub const PIXEL_FORMAT_INDEXED: u8 = 0;
pub const PIXEL_FORMAT_RGB565_BE: u8 = 1;
pub const PIXEL_FORMAT_RGB565_LE: u8 = 2;

/// Largest decoded bitmap we accept (guards against garbage headers).
const MAX_DATA_BYTES: u32 = 4 << 20;
/// Most family members followed (guards against offset loops).
const MAX_FAMILY: usize = 16;

/// `BitmapCompressionType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compression {
    ScanLine = 0,
    Rle = 1,
    PackBits = 2,
}

/// Why a bitmap could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BitmapError {
    #[error(transparent)]
    Mem(#[from] MemError),
    #[error("bitmap at {addr:#010x}: {reason}")]
    Invalid { addr: u32, reason: &'static str },
}

fn invalid(addr: u32, reason: &'static str) -> BitmapError {
    BitmapError::Invalid { addr, reason }
}

/// A decoded `BitmapType` header (one member of a family).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BitmapHeader {
    pub addr: u32,
    pub width: u16,
    pub height: u16,
    pub row_bytes: u16,
    pub flags: u16,
    /// Bits per pixel (v0's 0 reads as 1); [`PIXEL_SIZE_FAMILY_DUMMY`] for the dummy.
    pub pixel_size: u8,
    pub version: u8,
    /// Bytes from `addr` to the next family member, 0 for none.
    pub next_offset: u32,
    /// v2 `transparentIndex` / v3 `transparentValue` (v2 direct colour: read later).
    pub transparent_value: u32,
    /// `None` when the `compressed` flag is clear.
    pub compression: Option<Compression>,
    /// v3 `density`; 72 for older versions.
    pub density: u16,
    /// v3 `pixelFormat`; [`PIXEL_FORMAT_INDEXED`] or RGB565 big-endian for older versions.
    pub pixel_format: u8,
    pub header_size: u32,
}

impl BitmapHeader {
    /// Reads and validates the header at `addr`.
    pub fn read(mem: &dyn GuestMemory, addr: u32) -> Result<Self, BitmapError> {
        let mut h = [0u8; HEADER_SIZE_V2 as usize];
        mem.read(addr, &mut h)?;
        let be16 = |o: u32| u16::from_be_bytes([h[o as usize], h[o as usize + 1]]);
        let width = be16(OFF_WIDTH);
        let height = be16(OFF_HEIGHT);
        if (width as i16) < 0 || (height as i16) < 0 {
            return Err(invalid(addr, "negative size"));
        }
        let row_bytes = be16(OFF_ROW_BYTES);
        let flags = be16(OFF_FLAGS);
        let version = h[OFF_VERSION as usize];
        let mut pixel_size = h[OFF_PIXEL_SIZE as usize];
        let (mut next_offset, mut transparent_value, mut density) = (0, 0, DENSITY_LOW);
        let mut header_size = HEADER_SIZE_V2;
        let mut compression_byte = None;
        let mut pixel_format = PIXEL_FORMAT_INDEXED;
        match version {
            0 => {
                // Version 0 bitmaps are always 1 bpp (the byte is reserved).
                pixel_size = 1;
                if flags & FLAG_COMPRESSED != 0 {
                    compression_byte = Some(0);
                }
            }
            1 | 2 => {
                next_offset = be16(OFF_NEXT_DEPTH_OFFSET) as u32 * 4;
                if version == 2 {
                    transparent_value = h[OFF_V2_TRANSPARENT_INDEX as usize] as u32;
                }
                if flags & FLAG_COMPRESSED != 0 {
                    compression_byte = Some(if version == 2 { h[OFF_COMPRESSION_TYPE as usize] } else { 0 });
                }
            }
            3 => {
                let mut ext = [0u8; 8];
                mem.read(addr.wrapping_add(HEADER_SIZE_V2), &mut ext)?;
                header_size = (h[OFF_V3_SIZE as usize] as u32).max(HEADER_SIZE_V3);
                pixel_format = h[OFF_V3_PIXEL_FORMAT as usize];
                density = be16(OFF_V3_DENSITY);
                transparent_value = u32::from_be_bytes([ext[0], ext[1], ext[2], ext[3]]);
                next_offset = u32::from_be_bytes([ext[4], ext[5], ext[6], ext[7]]);
                if flags & FLAG_COMPRESSED != 0 {
                    compression_byte = Some(h[OFF_COMPRESSION_TYPE as usize]);
                }
            }
            _ => return Err(invalid(addr, "unknown version")),
        }
        if version != 3 && flags & FLAG_DIRECT_COLOR != 0 {
            pixel_format = PIXEL_FORMAT_RGB565_BE;
        }
        let compression = match compression_byte {
            None | Some(0xFF) => None,
            Some(0) => Some(Compression::ScanLine),
            Some(1) => Some(Compression::Rle),
            Some(2) => Some(Compression::PackBits),
            Some(_) => return Err(invalid(addr, "unknown compression type")),
        };
        let hdr = BitmapHeader {
            addr,
            width,
            height,
            row_bytes,
            flags,
            pixel_size,
            version,
            next_offset,
            transparent_value,
            compression,
            density,
            pixel_format,
            header_size,
        };
        if !hdr.is_family_dummy() {
            if !matches!(pixel_size, 1 | 2 | 4 | 8 | 16) {
                return Err(invalid(addr, "unsupported pixelSize"));
            }
            if (row_bytes as u32) * 8 < width as u32 * pixel_size as u32 {
                return Err(invalid(addr, "rowBytes too small for width"));
            }
            if hdr.data_len() > MAX_DATA_BYTES {
                return Err(invalid(addr, "bitmap too large"));
            }
        }
        Ok(hdr)
    }

    /// The v1 placeholder that links a low-density family to its high-density members.
    pub fn is_family_dummy(&self) -> bool {
        self.version == 1 && self.pixel_size == PIXEL_SIZE_FAMILY_DUMMY
    }

    pub fn has_flag(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// Uncompressed size of the bits: `rowBytes * height`.
    pub fn data_len(&self) -> u32 {
        self.row_bytes as u32 * self.height as u32
    }

    /// The system-palette depth of an indexed bitmap (`None` at 16 bpp).
    pub fn depth(&self) -> Option<Depth> {
        Depth::from_bits(self.pixel_size)
    }

    /// The surface over this bitmap's bits, for bitmaps a window can draw into directly
    /// (uncompressed, indexed, with inline or indirect bits).
    pub fn surface(&self, mem: &dyn GuestMemory) -> Result<Option<Surface>, BitmapError> {
        let Some(depth) = self.depth() else { return Ok(None) };
        if self.compression.is_some() || self.is_family_dummy() {
            return Ok(None);
        }
        let layout = self.layout(mem)?;
        Ok(Surface::new(layout.bits, self.width, self.height, self.row_bytes, depth).ok())
    }

    /// Where the colour table and bits are.
    fn layout(&self, mem: &dyn GuestMemory) -> Result<Layout, BitmapError> {
        let mut at = self.addr.wrapping_add(self.header_size);
        let mut color_table = None;
        if self.has_flag(FLAG_HAS_COLOR_TABLE) {
            let table_addr = if self.has_flag(FLAG_INDIRECT_COLOR_TABLE) {
                let p = mem.read_u32(at)?;
                at = at.wrapping_add(4);
                p
            } else {
                let n = mem.read_u16(at)? as u32;
                let here = at;
                at = at.wrapping_add(2 + 4 * n);
                here
            };
            let n = mem.read_u16(table_addr)?;
            if n > 256 {
                return Err(invalid(self.addr, "colour table larger than 256 entries"));
            }
            let raw = mem.read_vec(table_addr.wrapping_add(2), 4 * n as u32)?;
            color_table = Some(raw.chunks(4).map(|e| Rgb::new(e[1], e[2], e[3])).collect());
        }
        let mut direct_transparent = None;
        if self.version == 2 && self.has_flag(FLAG_DIRECT_COLOR) {
            let info = mem.read_vec(at, DIRECT_INFO_SIZE)?;
            direct_transparent = Some(Rgb::new(info[5], info[6], info[7]));
            at = at.wrapping_add(DIRECT_INFO_SIZE);
        }
        if self.has_flag(FLAG_INDIRECT) {
            at = mem.read_u32(at)?;
        }
        Ok(Layout { color_table, direct_transparent, bits: at })
    }
}

struct Layout {
    color_table: Option<Vec<Rgb>>,
    direct_transparent: Option<Rgb>,
    /// Address of the bits (of the compressed-size field when compressed).
    bits: u32,
}

/// The members of the bitmap family starting at `addr`, in chain order (the v1 dummy
/// included). Stops at the last member, at an offset loop, after 16 members, or at the first
/// member after the first that cannot be read.
pub fn family(mem: &dyn GuestMemory, addr: u32) -> Result<Vec<BitmapHeader>, BitmapError> {
    let mut out = vec![BitmapHeader::read(mem, addr)?];
    while out.len() < MAX_FAMILY {
        let last = out[out.len() - 1];
        if last.next_offset == 0 {
            break;
        }
        let next = last.addr.wrapping_add(last.next_offset);
        if out.iter().any(|h| h.addr == next) {
            break;
        }
        match BitmapHeader::read(mem, next) {
            Ok(h) => out.push(h),
            Err(_) => break,
        }
    }
    Ok(out)
}

/// The family member to draw on a surface of `depth`: low density, the deepest not deeper
/// than `depth`, else the shallowest. `None` if the family has no drawable member.
pub fn select_member(members: &[BitmapHeader], depth: Depth) -> Option<BitmapHeader> {
    let usable: Vec<&BitmapHeader> = members.iter().filter(|h| !h.is_family_dummy()).collect();
    let low: Vec<&BitmapHeader> = usable.iter().copied().filter(|h| h.density == DENSITY_LOW).collect();
    let pool = if low.is_empty() { usable } else { low };
    let fitting = pool.iter().filter(|h| h.pixel_size as u32 <= depth.bits()).max_by_key(|h| h.pixel_size);
    fitting.or_else(|| pool.iter().min_by_key(|h| h.pixel_size)).map(|h| **h)
}

/// A bitmap with its bits decompressed into host memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedBitmap {
    pub header: BitmapHeader,
    /// `rowBytes * height` bytes.
    pub data: Vec<u8>,
    pub color_table: Option<Vec<Rgb>>,
    /// The transparent pixel value, when `hasTransparency` is set (RGB565 at 16 bpp).
    pub transparent: Option<u32>,
}

impl DecodedBitmap {
    /// Reads and decompresses the single bitmap at `header`.
    pub fn read(mem: &dyn GuestMemory, header: &BitmapHeader) -> Result<Self, BitmapError> {
        if header.is_family_dummy() {
            return Err(invalid(header.addr, "family placeholder has no bits"));
        }
        let layout = header.layout(mem)?;
        let len = header.data_len();
        let data = match header.compression {
            None => mem.read_vec(layout.bits, len)?,
            Some(kind) => {
                let (size, start) = if header.version >= 3 {
                    (mem.read_u32(layout.bits)?, layout.bits.wrapping_add(4))
                } else {
                    (mem.read_u16(layout.bits)? as u32, layout.bits.wrapping_add(2))
                };
                // The size may or may not count its own field; read generously but never
                // more than any encoding of `len` bytes can need.
                let cap = len.saturating_mul(2).saturating_add(2 * header.height as u32 + 64);
                let want = size.min(cap);
                let src = match mem.read_vec(start, want) {
                    Ok(v) => v,
                    Err(e) if want >= 2 => mem.read_vec(start, want - 2).map_err(|_| e)?,
                    Err(e) => return Err(e.into()),
                };
                let unit = if header.pixel_size == 16 { 2 } else { 1 };
                decompress(kind, &src, header.row_bytes as usize, header.height as usize, unit)
                    .ok_or(invalid(header.addr, "corrupt compressed data"))?
            }
        };
        let transparent = header.has_flag(FLAG_HAS_TRANSPARENCY).then(|| match layout.direct_transparent {
            Some(c) => rgb_to_565(c) as u32,
            None => header.transparent_value,
        });
        Ok(DecodedBitmap { header: *header, data, color_table: layout.color_table, transparent })
    }

    /// The raw value of pixel `(x, y)` (index, or RGB565 at 16 bpp); 0 outside.
    pub fn pixel(&self, x: i32, y: i32) -> u32 {
        let h = &self.header;
        if x < 0 || y < 0 || x >= h.width as i32 || y >= h.height as i32 {
            return 0;
        }
        let row = y as usize * h.row_bytes as usize;
        let bits = h.pixel_size as usize;
        if bits == 16 {
            let i = row + x as usize * 2;
            let (a, b) = (self.data[i], self.data[i + 1]);
            return if h.pixel_format == PIXEL_FORMAT_RGB565_LE { u16::from_le_bytes([a, b]) } else { u16::from_be_bytes([a, b]) } as u32;
        }
        let bit = x as usize * bits;
        let byte = self.data[row + bit / 8];
        ((byte >> (8 - bits - bit % 8)) & ((1u16 << bits) - 1) as u8) as u32
    }

    /// The colour of a raw pixel value.
    pub fn color_of(&self, value: u32) -> Rgb {
        match (self.header.pixel_size, &self.color_table) {
            (16, _) => Rgb::from_rgb565(value as u16),
            (_, Some(table)) => table.get(value as usize).copied().unwrap_or(Rgb::BLACK),
            (bits, None) => palette::to_rgb(Depth::from_bits(bits).unwrap_or(Depth::One), value as u8),
        }
    }
}

fn rgb_to_565(c: Rgb) -> u16 {
    ((c.r as u16 >> 3) << 11) | ((c.g as u16 >> 2) << 5) | (c.b as u16 >> 3)
}

/// Decompresses `rows` rows of `row_bytes`; `None` if the data runs out or is malformed.
pub fn decompress(kind: Compression, src: &[u8], row_bytes: usize, rows: usize, unit: usize) -> Option<Vec<u8>> {
    let len = row_bytes * rows;
    let mut out = Vec::with_capacity(len);
    let mut i = 0usize;
    let mut next = || -> Option<u8> {
        let b = *src.get(i)?;
        i += 1;
        Some(b)
    };
    match kind {
        Compression::ScanLine => {
            for y in 0..rows {
                let mut x = 0;
                while x < row_bytes {
                    let mask = next()?;
                    for b in 0..(row_bytes - x).min(8) {
                        let v = if mask & (0x80 >> b) != 0 {
                            next()?
                        } else if y == 0 {
                            0
                        } else {
                            out[(y - 1) * row_bytes + x + b]
                        };
                        out.push(v);
                    }
                    x += 8;
                }
            }
        }
        Compression::Rle => {
            while out.len() < len {
                let count = next()? as usize;
                let v = next()?;
                out.extend(std::iter::repeat_n(v, count.min(len - out.len())));
            }
        }
        Compression::PackBits => {
            // Rows are encoded independently; a run never crosses a row end.
            for _ in 0..rows {
                let row_end = out.len() + row_bytes;
                while out.len() < row_end {
                    let n = next()? as i8;
                    if n == -128 {
                        continue;
                    }
                    if n >= 0 {
                        for _ in 0..(n as usize + 1) * unit {
                            let v = next()?;
                            if out.len() < row_end {
                                out.push(v);
                            }
                        }
                    } else {
                        let mut u = [0u8; 2];
                        for slot in u.iter_mut().take(unit) {
                            *slot = next()?;
                        }
                        for _ in 0..(1 - n as i32) as usize {
                            for &v in &u[..unit] {
                                if out.len() < row_end {
                                    out.push(v);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out.truncate(len);
    (out.len() == len).then_some(out)
}

/// Draws a decoded bitmap with its top-left corner at `(x, y)` through `mode`.
pub fn draw_decoded(
    s: &Surface,
    mem: &mut dyn GuestMemory,
    st: &DrawState,
    bmp: &DecodedBitmap,
    x: i32,
    y: i32,
    mode: TransferMode,
) -> Result<(), MemError> {
    let h = &bmp.header;
    let dest = Rect::new(x, y, h.width as i32, h.height as i32);
    let clip = st.effective_clip(s);
    if dest.intersect(&clip).is_empty() {
        return Ok(());
    }
    let transparent_value = bmp.transparent.unwrap_or(if h.pixel_size == 16 { 0xFFFF } else { 0 });
    let kind = SourceKind::Bitmap { has_transparency: bmp.transparent.is_some() };
    // Colour-match every possible indexed value once.
    let lut: Vec<u8> = if h.pixel_size <= 8 {
        (0..1u32 << h.pixel_size)
            .map(|v| {
                if h.pixel_size == 1 && bmp.color_table.is_none() {
                    if v == 1 {
                        st.fore
                    } else {
                        st.back
                    }
                } else if bmp.color_table.is_none() && h.pixel_size == s.depth.bits() as u8 {
                    v as u8
                } else {
                    palette::nearest(s.depth, bmp.color_of(v))
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    blit(s, mem, &clip, &dest, mode, kind, st.fore, st.back, |sx, sy| {
        let raw = bmp.pixel(sx, sy);
        let value = if h.pixel_size <= 8 { lut[raw as usize] } else { palette::nearest(s.depth, bmp.color_of(raw)) };
        SourcePixel { value, transparent: raw == transparent_value }
    })
}

/// Draws the best member of the bitmap family at `addr` at `(x, y)` through `mode`.
pub fn paint_bitmap_with(
    s: &Surface,
    mem: &mut dyn GuestMemory,
    st: &DrawState,
    addr: u32,
    x: i32,
    y: i32,
    mode: TransferMode,
) -> Result<(), BitmapError> {
    let members = family(&*mem, addr)?;
    let Some(best) = select_member(&members, s.depth) else {
        return Err(invalid(addr, "family has no drawable bitmap"));
    };
    let bmp = DecodedBitmap::read(&*mem, &best)?;
    Ok(draw_decoded(s, mem, st, &bmp, x, y, mode)?)
}

/// `WinDrawBitmap`: `winPaint` (transparent pixels skipped when the bitmap has transparency).
pub fn draw_bitmap(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, addr: u32, x: i32, y: i32) -> Result<(), BitmapError> {
    paint_bitmap_with(s, mem, st, addr, x, y, TransferMode::Paint)
}

/// `WinPaintBitmap`: the state's transfer mode.
pub fn paint_bitmap(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, addr: u32, x: i32, y: i32) -> Result<(), BitmapError> {
    paint_bitmap_with(s, mem, st, addr, x, y, st.mode)
}

/// Writes an uncompressed v2 `BitmapType` header (no colour table, no transparency, no
/// family link) for a `width` x `height` bitmap of `depth` at `addr`, and returns the surface
/// over its bits, which follow the header (`BmpCreate`, offscreen windows). The bits are not
/// cleared; `Surface::fill` them as needed.
pub fn write_header_v2(mem: &mut dyn GuestMemory, addr: u32, width: u16, height: u16, depth: Depth) -> Result<Surface, BitmapError> {
    let row_bytes = Surface::min_row_bytes(width, depth);
    let mut h = [0u8; HEADER_SIZE_V2 as usize];
    h[0..2].copy_from_slice(&width.to_be_bytes());
    h[2..4].copy_from_slice(&height.to_be_bytes());
    h[4..6].copy_from_slice(&row_bytes.to_be_bytes());
    h[OFF_PIXEL_SIZE as usize] = depth.bits() as u8;
    h[OFF_VERSION as usize] = 2;
    h[OFF_COMPRESSION_TYPE as usize] = 0xFF;
    mem.write(addr, &h)?;
    Surface::new(addr.wrapping_add(HEADER_SIZE_V2), width, height, row_bytes, depth).map_err(|_| invalid(addr, "bitmap does not fit the address space"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphics::draw::tests::{grid, guards_intact, picture, rig};
    use crate::FlatMemory;

    /// Builds a bitmap image: header fields, optional colour table, data.
    struct Build {
        version: u8,
        width: u16,
        height: u16,
        row_bytes: u16,
        flags: u16,
        pixel_size: u8,
        next_words: u16,
        transparent_index: u8,
        compression: u8,
        table: Vec<Rgb>,
        data: Vec<u8>,
    }

    impl Build {
        fn new(version: u8, width: u16, height: u16, pixel_size: u8, data: Vec<u8>) -> Self {
            let row_bytes = Surface::min_row_bytes(width, Depth::from_bits(pixel_size).unwrap_or(Depth::Eight)).max(if pixel_size == 16 { width * 2 } else { 0 });
            Build { version, width, height, row_bytes, flags: 0, pixel_size, next_words: 0, transparent_index: 0, compression: 0xFF, table: vec![], data }
        }
        fn bytes(&self) -> Vec<u8> {
            let mut b = Vec::new();
            b.extend_from_slice(&self.width.to_be_bytes());
            b.extend_from_slice(&self.height.to_be_bytes());
            b.extend_from_slice(&self.row_bytes.to_be_bytes());
            b.extend_from_slice(&self.flags.to_be_bytes());
            b.push(if self.version == 0 { 0 } else { self.pixel_size });
            b.push(self.version);
            b.extend_from_slice(&self.next_words.to_be_bytes());
            b.push(self.transparent_index);
            b.push(self.compression);
            b.extend_from_slice(&[0, 0]);
            if self.flags & FLAG_HAS_COLOR_TABLE != 0 {
                b.extend_from_slice(&(self.table.len() as u16).to_be_bytes());
                for (i, c) in self.table.iter().enumerate() {
                    b.extend_from_slice(&[i as u8, c.r, c.g, c.b]);
                }
            }
            if self.flags & FLAG_COMPRESSED != 0 {
                b.extend_from_slice(&(self.data.len() as u16 + 2).to_be_bytes());
            }
            b.extend_from_slice(&self.data);
            while b.len() % 4 != 0 {
                b.push(0);
            }
            b
        }
    }

    const BMP: u32 = 0x8000;

    fn with_bitmap(bytes: &[u8]) -> FlatMemory {
        let mut m = FlatMemory::new(0, 0x10000);
        m.write(BMP, bytes).unwrap();
        m
    }

    /// A 6x3 1-bpp arrow: rows "#.....", "######", "#.....".
    fn arrow_1bpp() -> Vec<u8> {
        vec![0x80, 0x00, 0xFC, 0x00, 0x80, 0x00]
    }

    fn draw_into(surface_depth: Depth, mem_with_bitmap: &FlatMemory, st_mod: impl Fn(&mut DrawState)) -> (Surface, FlatMemory) {
        let (s, mut m) = rig(8, 4, surface_depth);
        let mut big = mem_with_bitmap.clone();
        big.write(0x2000, m.bytes()).unwrap();
        let mut st = DrawState::new(surface_depth);
        st_mod(&mut st);
        draw_bitmap(&s, &mut big, &st, BMP, 1, 0).unwrap();
        m.write(0x2000, &big.bytes()[0x2000..0x2000 + m.bytes().len()]).unwrap();
        (s, m)
    }

    #[test]
    fn header_fields_per_version() {
        for v in [0u8, 1, 2] {
            let b = Build::new(v, 6, 3, 1, arrow_1bpp());
            let m = with_bitmap(&b.bytes());
            let h = BitmapHeader::read(&m, BMP).unwrap();
            assert_eq!((h.width, h.height, h.row_bytes, h.pixel_size, h.version), (6, 3, 2, 1, v));
            assert_eq!(h.compression, None);
            assert_eq!(h.header_size, 16);
        }
        let mut b = Build::new(2, 4, 2, 8, vec![0; 8]);
        b.flags = FLAG_HAS_TRANSPARENCY | FLAG_COMPRESSED;
        b.compression = 1;
        b.transparent_index = 0x7B;
        b.next_words = 5;
        let h = BitmapHeader::read(&with_bitmap(&b.bytes()), BMP).unwrap();
        assert_eq!((h.transparent_value, h.compression, h.next_offset), (0x7B, Some(Compression::Rle), 20));
        // Garbage is rejected, not trusted.
        let mut bad = Build::new(2, 100, 2, 8, vec![]);
        bad.row_bytes = 10;
        assert!(BitmapHeader::read(&with_bitmap(&bad.bytes()), BMP).is_err());
        let bad = Build::new(7, 1, 1, 1, vec![0, 0]);
        assert!(BitmapHeader::read(&with_bitmap(&bad.bytes()), BMP).is_err());
        let mut bad = Build::new(2, 1, 1, 3, vec![0, 0]);
        bad.row_bytes = 2;
        assert!(BitmapHeader::read(&with_bitmap(&bad.bytes()), BMP).is_err());
        assert!(BitmapHeader::read(&FlatMemory::new(0, 8), 0).is_err());
    }

    #[test]
    fn draws_1bpp_in_every_version_and_depth() {
        for v in [0u8, 1, 2] {
            let m = with_bitmap(&Build::new(v, 6, 3, 1, arrow_1bpp()).bytes());
            for depth in [Depth::One, Depth::Two, Depth::Eight] {
                let (s, out) = draw_into(depth, &m, |_| {});
                assert_eq!(picture(&s, &out), grid(&[".#......", ".######.", ".#......", "........"]), "v{v} {depth:?}");
                assert!(guards_intact(&s, &out));
            }
        }
        // 1-bit bitmaps take the foreground colour.
        let m = with_bitmap(&Build::new(1, 6, 3, 1, arrow_1bpp()).bytes());
        let (s, out) = draw_into(Depth::Eight, &m, |st| st.fore = 125);
        assert_eq!(s.get_pixel(&out, 1, 0).unwrap(), Some(125));
    }

    #[test]
    fn draws_8bpp_with_and_without_colour_table_and_transparency() {
        let data = vec![0, 125, 255, 7, 215, 0, 0, 0];
        let m = with_bitmap(&Build::new(2, 4, 2, 8, data.clone()).bytes());
        let (s, out) = draw_into(Depth::Eight, &m, |_| {});
        assert_eq!(&s.read_pixels(&out).unwrap()[..16], &[0, 0, 125, 255, 7, 0, 0, 0, 0, 215, 0, 0, 0, 0, 0, 0]);
        // Onto 1 bpp: matched by luminance (pure red is dark: black).
        let (s, out) = draw_into(Depth::One, &m, |_| {});
        assert_eq!(picture(&s, &out).lines().next().unwrap(), "..##....");
        // Own colour table: value 1 is pure green (index 204 in the system palette).
        let mut b = Build::new(2, 4, 2, 8, vec![1, 0, 0, 0, 0, 0, 0, 1]);
        b.flags = FLAG_HAS_COLOR_TABLE;
        b.table = vec![Rgb::WHITE, Rgb::new(0, 0xFF, 0)];
        let (s, out) = draw_into(Depth::Eight, &with_bitmap(&b.bytes()), |_| {});
        assert_eq!(s.get_pixel(&out, 1, 0).unwrap(), Some(palette::nearest(Depth::Eight, Rgb::new(0, 0xFF, 0))));
        assert_eq!(s.get_pixel(&out, 4, 1).unwrap(), Some(palette::nearest(Depth::Eight, Rgb::new(0, 0xFF, 0))));
        // hasTransparency: transparent index 125 is skipped under winPaint.
        let mut b = Build::new(2, 4, 2, 8, data);
        b.flags = FLAG_HAS_TRANSPARENCY;
        b.transparent_index = 125;
        let m = with_bitmap(&b.bytes());
        let (s, mut out) = rig(8, 4, Depth::Eight);
        let mut big = m.clone();
        s.fill(&mut big, 9).unwrap();
        draw_bitmap(&s, &mut big, &DrawState::new(Depth::Eight), BMP, 1, 0).unwrap();
        out.write(0x2000, &big.bytes()[0x2000..0x2000 + out.bytes().len()]).unwrap();
        assert_eq!(&s.read_pixels(&out).unwrap()[..5], &[9, 0, 9, 255, 7]);
    }

    #[test]
    fn compressed_bitmaps_decode_like_uncompressed() {
        // 8x2 at 8 bpp: rows 1..8 and 1..4,9,9,9,9.
        let raw: Vec<u8> = vec![1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 9, 9, 9, 9];
        let scan = vec![0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 0x0F, 9, 9, 9, 9];
        let rle = vec![1, 1, 1, 2, 1, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1, 1, 1, 2, 1, 3, 1, 4, 4, 9];
        let packbits = vec![7, 1, 2, 3, 4, 5, 6, 7, 8, 3, 1, 2, 3, 4, (-3i8) as u8, 9];
        for (kind, data) in [(0u8, scan), (1, rle), (2, packbits)] {
            let mut b = Build::new(2, 8, 2, 8, data);
            b.flags = FLAG_COMPRESSED;
            b.compression = kind;
            let m = with_bitmap(&b.bytes());
            let h = BitmapHeader::read(&m, BMP).unwrap();
            let d = DecodedBitmap::read(&m, &h).unwrap();
            assert_eq!(d.data, raw, "compression {kind}");
        }
        // v1 compressed = scan-line, at 1 bpp: "#.....", "######", "#....." (rows 2 bytes).
        let mut b = Build::new(1, 6, 3, 1, vec![0xC0, 0x80, 0x00, 0x80, 0xFC, 0x80, 0x80]);
        b.flags = FLAG_COMPRESSED;
        let m = with_bitmap(&b.bytes());
        let (s, out) = draw_into(Depth::One, &m, |_| {});
        assert_eq!(picture(&s, &out), grid(&[".#......", ".######.", ".#......", "........"]));
        // Truncated or corrupt data is an error, not a panic.
        assert_eq!(decompress(Compression::Rle, &[2, 1], 4, 1, 1), None);
        assert_eq!(decompress(Compression::ScanLine, &[0xFF, 1], 4, 1, 1), None);
        assert_eq!(decompress(Compression::PackBits, &[5, 1], 4, 1, 1), None);
        assert_eq!(decompress(Compression::PackBits, &[(-1i8) as u8, 0xAB, 0xCD], 4, 1, 2), Some(vec![0xAB, 0xCD, 0xAB, 0xCD]));
    }

    #[test]
    fn families_pick_the_best_depth() {
        // 1 bpp member linking to an 8 bpp member.
        let mut one = Build::new(1, 6, 3, 1, arrow_1bpp());
        let one_len = one.bytes().len() as u16;
        one.next_words = one_len / 4;
        let eight = Build::new(2, 2, 1, 8, vec![125, 125]);
        let mut bytes = one.bytes();
        bytes.extend(eight.bytes());
        let m = with_bitmap(&bytes);
        let members = family(&m, BMP).unwrap();
        assert_eq!(members.iter().map(|h| h.pixel_size).collect::<Vec<_>>(), vec![1, 8]);
        assert_eq!(select_member(&members, Depth::Eight).unwrap().pixel_size, 8);
        assert_eq!(select_member(&members, Depth::Four).unwrap().pixel_size, 1);
        assert_eq!(select_member(&members, Depth::One).unwrap().pixel_size, 1);
        let (s, out) = draw_into(Depth::Eight, &m, |_| {});
        assert_eq!(&s.read_pixels(&out).unwrap()[..4], &[0, 125, 125, 0]);
        // A chain that loops back (v3 offsets are 32-bit and wrap) terminates.
        let mut a = Build::new(1, 6, 3, 1, arrow_1bpp());
        let a_len = a.bytes().len() as u32;
        a.next_words = (a_len / 4) as u16;
        let mut v3 = vec![0, 2, 0, 1, 0, 2, 0, 0, 8, 3, 24, 0, 0, 0xFF, 0, 72, 0, 0, 0, 0];
        v3.extend_from_slice(&(a_len.wrapping_neg()).to_be_bytes());
        v3.extend_from_slice(&[9, 9, 0, 0]);
        let mut lb = a.bytes();
        lb.extend(v3);
        let members = family(&with_bitmap(&lb), BMP).unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!((members[1].version, members[1].density, members[1].header_size), (3, 72, 24));
        let d = DecodedBitmap::read(&with_bitmap(&lb), &members[1]).unwrap();
        assert_eq!(d.data, vec![9, 9]);
        // Only deeper members: the shallowest is used.
        let only8 = [BitmapHeader { pixel_size: 8, ..members[0] }, BitmapHeader { pixel_size: 16, ..members[0] }];
        assert_eq!(select_member(&only8, Depth::One).unwrap().pixel_size, 8);
    }

    #[test]
    fn paint_modes_and_clipping() {
        let m = with_bitmap(&Build::new(1, 6, 3, 1, arrow_1bpp()).bytes());
        let (s, mut out) = rig(8, 4, Depth::One);
        let mut big = m.clone();
        big.write(0x2000, out.bytes()).unwrap();
        s.fill(&mut big, 1).unwrap();
        let mut st = DrawState::new(Depth::One);
        st.mode = TransferMode::Mask;
        paint_bitmap(&s, &mut big, &st, BMP, 1, 0).unwrap();
        st.mode = TransferMode::Paint;
        for v in [i32::MIN, i16::MIN as i32, -5, 7, i16::MAX as i32, i32::MAX] {
            draw_bitmap(&s, &mut big, &st, BMP, v, v).unwrap();
            draw_bitmap(&s, &mut big, &st, BMP, v, 3).unwrap();
        }
        out.write(0x2000, &big.bytes()[0x2000..0x2000 + out.bytes().len()]).unwrap();
        assert_eq!(picture(&s, &out).lines().take(3).collect::<Vec<_>>(), ["#.######", "#......#", "#.######"]);
        assert!(guards_intact(&s, &out));
    }

    #[test]
    fn created_headers_round_trip() {
        let mut m = FlatMemory::new(0, 0x1000);
        let s = write_header_v2(&mut m, 0x100, 10, 3, Depth::Four).unwrap();
        assert_eq!((s.base, s.row_bytes), (0x110, 6));
        let h = BitmapHeader::read(&m, 0x100).unwrap();
        assert_eq!((h.width, h.height, h.pixel_size, h.version, h.compression), (10, 3, 4, 2, None));
        assert_eq!(h.surface(&m).unwrap(), Some(s));
    }

    #[test]
    fn direct_color_16bpp() {
        // 2x1 RGB565 big-endian: red, white; drawn onto 8 bpp.
        let mut b = Build::new(2, 2, 1, 16, vec![0xF8, 0x00, 0xFF, 0xFF]);
        b.row_bytes = 4;
        b.flags = FLAG_DIRECT_COLOR;
        let mut bytes = b.bytes();
        // Insert the 8-byte BitmapDirectInfoType after the header.
        bytes.splice(16..16, [5, 6, 5, 0, 0, 0, 0, 0]);
        let m = with_bitmap(&bytes);
        let (s, out) = draw_into(Depth::Eight, &m, |_| {});
        assert_eq!(&s.read_pixels(&out).unwrap()[..3], &[0, 125, 0]);
    }
}
