//! PalmOS transfer modes (`WinDrawOperation`) and the per-pixel rule each applies.
//!
//! A source pixel reaches [`combine`] already colour-matched to the destination depth, with
//! a flag saying whether it is the source's *transparent* colour: a bitmap's transparent
//! index when it has one, otherwise the "off" value 0 (white / clear bit), which is how
//! PalmOS treats 1-bit sources. The rules (PalmOS 3.5+ reference semantics):
//!
//! | mode | destination becomes |
//! |---|---|
//! | `winPaint` (0) | the source pixel; a source *with* transparency skips its transparent pixels |
//! | `winErase` (1) | `backColor` where the source pixel is transparent, else unchanged |
//! | `winMask` (2) | `backColor` where the source pixel is not transparent, else unchanged |
//! | `winInvert` (3) | destination XOR source (indices; transparency ignored) |
//! | `winOverlay` (4) | the source pixel where it is not transparent, else unchanged |
//! | `winPaintInverse` (5) | the inverted source pixel (like `winPaint` otherwise) |
//! | `winSwap` (6) | pattern sources: `backColor` <-> `foreColor` swapped in the destination; bitmap sources: as `winPaint` |
//!
//! On 1-bit surfaces with white background these reduce to the classic copy, AND, AND-NOT,
//! XOR, OR and NOT-copy raster operations. "Inverting" a value is a bitwise complement of the
//! index (`v ^ max`): exact for the gray palettes, and white <-> black in 8 bpp.

use super::surface::Depth;

/// `WinDrawOperation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum TransferMode {
    #[default]
    Paint = 0,
    Erase = 1,
    Mask = 2,
    Invert = 3,
    Overlay = 4,
    PaintInverse = 5,
    Swap = 6,
}

impl TransferMode {
    /// From the PalmOS numeric value; `None` for anything else.
    pub fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            0 => TransferMode::Paint,
            1 => TransferMode::Erase,
            2 => TransferMode::Mask,
            3 => TransferMode::Invert,
            4 => TransferMode::Overlay,
            5 => TransferMode::PaintInverse,
            6 => TransferMode::Swap,
            _ => return None,
        })
    }
}

/// Where source pixels come from, which decides `winSwap` and whether `winPaint` honours
/// transparency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A fill pattern (WinPaintRectangle, WinPaintLine, ...): `winSwap` swaps colours.
    Pattern,
    /// A bitmap, window or glyph; `has_transparency`: `winPaint` skips transparent pixels
    /// (the bitmap's `hasTransparency` flag).
    Bitmap { has_transparency: bool },
}

/// One colour-matched source pixel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourcePixel {
    pub value: u8,
    pub transparent: bool,
}

/// The value the destination pixel `dst` takes, or `None` to leave it unchanged.
pub fn combine(
    mode: TransferMode,
    kind: SourceKind,
    dst: u8,
    src: SourcePixel,
    fore: u8,
    back: u8,
    depth: Depth,
) -> Option<u8> {
    let max = depth.max_value();
    let skip_transparent = matches!(kind, SourceKind::Bitmap { has_transparency: true }) && src.transparent;
    let v = match mode {
        TransferMode::Paint => (!skip_transparent).then_some(src.value),
        TransferMode::Erase => src.transparent.then_some(back),
        TransferMode::Mask => (!src.transparent).then_some(back),
        TransferMode::Invert => Some(dst ^ src.value),
        TransferMode::Overlay => (!src.transparent).then_some(src.value),
        TransferMode::PaintInverse => (!skip_transparent).then_some(src.value ^ max),
        TransferMode::Swap => match kind {
            SourceKind::Pattern => {
                if dst == back & max {
                    Some(fore)
                } else if dst == fore & max {
                    Some(back)
                } else {
                    None
                }
            }
            SourceKind::Bitmap { .. } => (!skip_transparent).then_some(src.value),
        },
    };
    v.map(|v| v & max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TransferMode::*;

    /// The 1-bit truth tables: rows are (dst, src) in {00, 01, 10, 11}; with back = white (0)
    /// and "transparent" = src bit off.
    #[test]
    fn one_bit_truth_tables() {
        let bm = SourceKind::Bitmap { has_transparency: false };
        let table = |mode| -> [u8; 4] {
            let mut out = [0; 4];
            for (i, (d, s)) in [(0u8, 0u8), (0, 1), (1, 0), (1, 1)].into_iter().enumerate() {
                let px = SourcePixel { value: s, transparent: s == 0 };
                out[i] = combine(mode, bm, d, px, 1, 0, Depth::One).unwrap_or(d);
            }
            out
        };
        assert_eq!(table(Paint), [0, 1, 0, 1]); // copy
        assert_eq!(table(Erase), [0, 0, 0, 1]); // AND
        assert_eq!(table(Mask), [0, 0, 1, 0]); // AND NOT
        assert_eq!(table(Invert), [0, 1, 1, 0]); // XOR
        assert_eq!(table(Overlay), [0, 1, 1, 1]); // OR
        assert_eq!(table(PaintInverse), [1, 0, 1, 0]); // NOT copy
        assert_eq!(table(Swap), [0, 1, 0, 1]); // bitmap: copy
    }

    #[test]
    fn swap_and_transparency_in_8bpp() {
        let px = SourcePixel { value: 7, transparent: false };
        let pat = SourceKind::Pattern;
        assert_eq!(combine(Swap, pat, 0, px, 125, 0, Depth::Eight), Some(125));
        assert_eq!(combine(Swap, pat, 125, px, 125, 0, Depth::Eight), Some(0));
        assert_eq!(combine(Swap, pat, 9, px, 125, 0, Depth::Eight), None);
        let tr = SourcePixel { value: 7, transparent: true };
        let with = SourceKind::Bitmap { has_transparency: true };
        let without = SourceKind::Bitmap { has_transparency: false };
        assert_eq!(combine(Paint, with, 3, tr, 255, 0, Depth::Eight), None);
        assert_eq!(combine(Paint, without, 3, tr, 255, 0, Depth::Eight), Some(7));
        assert_eq!(combine(PaintInverse, without, 3, px, 255, 0, Depth::Eight), Some(0xF8));
        assert_eq!(combine(Invert, with, 0xF0, tr, 255, 0, Depth::Eight), Some(0xF7));
        assert_eq!(combine(Mask, with, 3, px, 255, 42, Depth::Eight), Some(42));
        assert_eq!(combine(Erase, with, 3, tr, 255, 42, Depth::Eight), Some(42));
        for v in 0..=6 {
            assert_eq!(TransferMode::from_u8(v).unwrap() as u8, v);
        }
        assert_eq!(TransferMode::from_u8(7), None);
    }
}
