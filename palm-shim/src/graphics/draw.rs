//! Drawing state and the PalmOS Window Manager primitives: pixels, lines, rectangles and
//! rectangle copies, each clipped to the state's clipping rectangle and to the surface.
//!
//! Coordinates are surface pixels (a window manager adds its window origin first). Every
//! function accepts any `i32` coordinates, including far outside the surface, never panics,
//! and never writes a pixel outside `clip ∩ surface`.
//!
//! Naming follows the PalmOS calls: `draw_*` uses the foreground colour with `winPaint`,
//! `erase_*` the background colour, `invert_*` complements pixels, `fill_*` uses the current
//! pattern (foreground for set bits, background for clear bits) and `paint_*` uses the pattern
//! *and* the state's transfer mode (the PalmOS 3.5 `WinPaint*` calls).

use super::font::FontId;
use super::geometry::Rect;
use super::surface::{Depth, RowSpan, Surface};
use super::transfer::{combine, SourceKind, SourcePixel, TransferMode};
use crate::memory::{GuestMemory, MemError};

/// An 8x8 fill pattern (`PatternType` + `CustomPatternType`); bit 7 of row 0 is the pixel at
/// surface `(0, 0)`, repeating every 8 pixels in both directions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Pattern {
    /// `blackPattern`: every bit set (foreground colour).
    #[default]
    Black,
    /// `whitePattern`: no bit set (background colour).
    White,
    /// `grayPattern`: a checkerboard, `0xAA, 0x55, ...` (set where `x + y` is even).
    Gray,
    /// `customPattern` with its 8 rows.
    Custom([u8; 8]),
}

impl Pattern {
    /// PalmOS `grayPattern` rows.
    pub const GRAY_ROWS: [u8; 8] = [0xAA, 0x55, 0xAA, 0x55, 0xAA, 0x55, 0xAA, 0x55];

    pub fn rows(&self) -> [u8; 8] {
        match self {
            Pattern::Black => [0xFF; 8],
            Pattern::White => [0; 8],
            Pattern::Gray => Pattern::GRAY_ROWS,
            Pattern::Custom(rows) => *rows,
        }
    }

    /// Whether the pattern bit at surface pixel `(x, y)` is set.
    pub fn bit(rows: &[u8; 8], x: i32, y: i32) -> bool {
        (rows[(y & 7) as usize] >> (7 - (x & 7))) & 1 != 0
    }
}

/// `UnderlineModeType`: how text is underlined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum UnderlineMode {
    #[default]
    None = 0,
    /// `grayUnderline`: every other pixel, in the foreground colour.
    Gray = 1,
    /// `solidUnderline`: a solid line in the foreground colour.
    Solid = 2,
    /// `colorUnderline`: solid, in the foreground colour (the UI colour is the caller's choice).
    Color = 3,
}

/// The PalmOS draw state (`DrawStateType`) plus the window's clipping rectangle. Colours are
/// pixel values (palette indices) of the surface drawn on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DrawState {
    pub mode: TransferMode,
    pub pattern: Pattern,
    pub underline: UnderlineMode,
    /// The current font (`FntSetFont`); the text functions take their font explicitly, so a
    /// window manager passes this one.
    pub font: FontId,
    pub fore: u8,
    pub back: u8,
    pub text: u8,
    /// Clipping rectangle in surface coordinates (intersected with the surface bounds at use).
    pub clip: Rect,
}

impl DrawState {
    /// The PalmOS defaults for a surface of `depth`: `winPaint`, black pattern, no underline,
    /// `stdFont`, black foreground and text on white background, no clipping.
    pub fn new(depth: Depth) -> Self {
        DrawState {
            mode: TransferMode::Paint,
            pattern: Pattern::Black,
            underline: UnderlineMode::None,
            font: FontId::Std,
            fore: depth.black(),
            back: depth.white(),
            text: depth.black(),
            clip: Rect::UNBOUNDED,
        }
    }

    /// The rectangle actually drawable on `s`: `clip ∩ bounds`.
    pub fn effective_clip(&self, s: &Surface) -> Rect {
        self.clip.intersect(&s.bounds())
    }
}

/// What a shape primitive does to each pixel it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ink {
    /// Set the pixel to a value (`winPaint` of a solid colour).
    Value(u8),
    /// Complement the pixel value.
    Invert,
    /// A pattern: set bits take `fore`, clear bits `back`, combined with `mode`.
    Pattern { rows: [u8; 8], fore: u8, back: u8, mode: TransferMode },
}

impl Ink {
    fn apply(&self, span: &mut RowSpan, y: i32, x0: i32, x1: i32, depth: Depth) {
        let max = depth.max_value();
        match *self {
            Ink::Value(v) => span.fill(x0, x1, v),
            Ink::Invert => {
                for x in x0.max(span.x0)..x1.min(span.x1) {
                    let v = span.get(x);
                    span.set(x, v ^ max);
                }
            }
            Ink::Pattern { rows, fore, back, mode } => {
                for x in x0.max(span.x0)..x1.min(span.x1) {
                    let on = Pattern::bit(&rows, x, y);
                    let src = SourcePixel { value: if on { fore } else { back }, transparent: !on };
                    if let Some(v) = combine(mode, SourceKind::Pattern, span.get(x), src, fore, back, depth) {
                        span.set(x, v);
                    }
                }
            }
        }
    }
}

/// Applies `ink` to pixels `[x0, x1)` of row `y`, clipped to `clip` (already inside the surface).
pub(crate) fn ink_span(
    s: &Surface,
    mem: &mut dyn GuestMemory,
    clip: &Rect,
    y: i32,
    x0: i64,
    x1: i64,
    ink: Ink,
) -> Result<(), MemError> {
    if y < clip.top || y as i64 >= clip.bottom() {
        return Ok(());
    }
    let a = x0.max(clip.left as i64);
    let b = x1.min(clip.right());
    if a >= b {
        return Ok(());
    }
    let (a, b) = (a as i32, b as i32);
    let depth = s.depth;
    s.modify_span(mem, y, a, b, |span| ink.apply(span, y, a, b, depth))
}

// ---- pixels ---------------------------------------------------------------------------

fn pixel(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x: i32, y: i32, ink: Ink) -> Result<(), MemError> {
    ink_span(s, mem, &st.effective_clip(s), y, x as i64, x as i64 + 1, ink)
}

/// `WinDrawPixel`: the foreground colour.
pub fn draw_pixel(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x: i32, y: i32) -> Result<(), MemError> {
    pixel(s, mem, st, x, y, Ink::Value(st.fore))
}

/// `WinErasePixel`: the background colour.
pub fn erase_pixel(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x: i32, y: i32) -> Result<(), MemError> {
    pixel(s, mem, st, x, y, Ink::Value(st.back))
}

/// `WinInvertPixel`.
pub fn invert_pixel(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x: i32, y: i32) -> Result<(), MemError> {
    pixel(s, mem, st, x, y, Ink::Invert)
}

/// `WinPaintPixel`: the foreground colour through the state's transfer mode.
pub fn paint_pixel(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x: i32, y: i32) -> Result<(), MemError> {
    pixel(s, mem, st, x, y, solid_paint(st))
}

/// `WinGetPixel`: the value at `(x, y)`, 0 (white) outside the surface. (Reading ignores the
/// clipping rectangle, as PalmOS does.)
pub fn get_pixel(s: &Surface, mem: &dyn GuestMemory, x: i32, y: i32) -> Result<u8, MemError> {
    Ok(s.get_pixel(mem, x, y)?.unwrap_or(0))
}

fn solid_paint(st: &DrawState) -> Ink {
    Ink::Pattern { rows: Pattern::Black.rows(), fore: st.fore, back: st.back, mode: st.mode }
}

fn fill_ink(st: &DrawState) -> Ink {
    Ink::Pattern { rows: st.pattern.rows(), fore: st.fore, back: st.back, mode: TransferMode::Paint }
}

fn paint_ink(st: &DrawState) -> Ink {
    Ink::Pattern { rows: st.pattern.rows(), fore: st.fore, back: st.back, mode: st.mode }
}

fn gray_ink(st: &DrawState) -> Ink {
    Ink::Pattern { rows: Pattern::GRAY_ROWS, fore: st.fore, back: st.back, mode: TransferMode::Paint }
}

// ---- lines ----------------------------------------------------------------------------

/// The minor-axis offset at major-axis step `t` of a line with major extent `d_major > 0`
/// and signed minor extent `d_minor`: `floor((2 t d_minor + d_major) / (2 d_major))`, in
/// `i128` so no `i32` end points can overflow it.
fn minor_offset(t: i64, d_minor: i64, d_major: i64) -> i64 {
    let num = 2 * t as i128 * d_minor as i128 + d_major as i128;
    num.div_euclid(2 * d_major as i128) as i64
}

/// Draws the line `(x1, y1)`-`(x2, y2)`, both end points included, with `ink`. The pixel on
/// the minor axis at major coordinate `t` is `round(t * d_minor / d_major)` (halves round
/// up), which is what Bresenham's algorithm produces, but computed directly so that only the
/// part of the line inside the clip is visited: cost is bounded by the clip size, whatever
/// the coordinates.
pub(crate) fn line(
    s: &Surface,
    mem: &mut dyn GuestMemory,
    clip: &Rect,
    (x1, y1): (i32, i32),
    (x2, y2): (i32, i32),
    ink: Ink,
) -> Result<(), MemError> {
    if clip.is_empty() {
        return Ok(());
    }
    let (x1, y1, x2, y2) = (x1 as i64, y1 as i64, x2 as i64, y2 as i64);
    let (dx, dy) = ((x2 - x1).abs(), (y2 - y1).abs());
    if dy == 0 {
        return ink_span(s, mem, clip, y1 as i32, x1.min(x2), x1.max(x2) + 1, ink);
    }
    if dx >= dy {
        // x-major: iterate x from the left end point; runs of equal y become spans.
        let (ax, ay, bx, by) = if x1 <= x2 { (x1, y1, x2, y2) } else { (x2, y2, x1, y1) };
        let sdy = by - ay;
        let lo = ax.max(clip.left as i64);
        let hi = bx.min(clip.right() - 1);
        let mut x = lo;
        while x <= hi {
            let y = ay + minor_offset(x - ax, sdy, dx);
            // Extend the run while y stays the same.
            let mut end = x + 1;
            while end <= hi && ay + minor_offset(end - ax, sdy, dx) == y {
                end += 1;
            }
            if y >= clip.top as i64 && y < clip.bottom() {
                ink_span(s, mem, clip, y as i32, x, end, ink)?;
            }
            x = end;
        }
    } else {
        // y-major: one pixel per row.
        let (ax, ay, bx, by) = if y1 <= y2 { (x1, y1, x2, y2) } else { (x2, y2, x1, y1) };
        let sdx = bx - ax;
        let lo = ay.max(clip.top as i64);
        let hi = by.min(clip.bottom() - 1);
        for y in lo..=hi {
            let x = ax + minor_offset(y - ay, sdx, dy);
            ink_span(s, mem, clip, y as i32, x, x + 1, ink)?;
        }
    }
    Ok(())
}

/// `WinDrawLine`: the foreground colour.
pub fn draw_line(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x1: i32, y1: i32, x2: i32, y2: i32) -> Result<(), MemError> {
    line(s, mem, &st.effective_clip(s), (x1, y1), (x2, y2), Ink::Value(st.fore))
}

/// `WinEraseLine`: the background colour.
pub fn erase_line(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x1: i32, y1: i32, x2: i32, y2: i32) -> Result<(), MemError> {
    line(s, mem, &st.effective_clip(s), (x1, y1), (x2, y2), Ink::Value(st.back))
}

/// `WinInvertLine`.
pub fn invert_line(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x1: i32, y1: i32, x2: i32, y2: i32) -> Result<(), MemError> {
    line(s, mem, &st.effective_clip(s), (x1, y1), (x2, y2), Ink::Invert)
}

/// `WinDrawGrayLine`: the gray pattern (foreground where `x + y` is even, background elsewhere).
pub fn draw_gray_line(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x1: i32, y1: i32, x2: i32, y2: i32) -> Result<(), MemError> {
    line(s, mem, &st.effective_clip(s), (x1, y1), (x2, y2), gray_ink(st))
}

/// `WinFillLine`: the current pattern.
pub fn fill_line(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x1: i32, y1: i32, x2: i32, y2: i32) -> Result<(), MemError> {
    line(s, mem, &st.effective_clip(s), (x1, y1), (x2, y2), fill_ink(st))
}

/// `WinPaintLine`: the foreground colour through the transfer mode.
pub fn paint_line(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, x1: i32, y1: i32, x2: i32, y2: i32) -> Result<(), MemError> {
    line(s, mem, &st.effective_clip(s), (x1, y1), (x2, y2), solid_paint(st))
}

// ---- rectangles -----------------------------------------------------------------------

/// Largest corner diameter honoured (PalmOS documents 38 as the practical maximum; anything
/// near the screen size is a full ellipse end anyway).
pub const MAX_CORNER_DIAM: i32 = 512;

/// Per-row horizontal insets of a rectangle with rounded corners of diameter `diam`: entry
/// `i` is the inset of the `i`-th row from the top (and from the bottom). Corners are quarter
/// circles of radius `diam / 2` sampled at pixel centres; any `diam >= 2` cuts at least the
/// corner pixel. The diameter is capped at the rectangle's smaller side and at
/// [`MAX_CORNER_DIAM`].
pub(crate) fn corner_insets(diam: i32, width: i64, height: i64) -> Vec<i64> {
    let d = (diam as i64).min(MAX_CORNER_DIAM as i64).min(width).min(height);
    if d < 2 {
        return Vec::new();
    }
    let r = d as f64 / 2.0;
    let rows = (r.ceil()) as usize;
    (0..rows)
        .map(|i| {
            let dy = r - i as f64 - 0.5;
            let inset = (r - (r * r - dy * dy).max(0.0).sqrt()).round() as i64;
            if i == 0 {
                inset.max(1)
            } else {
                inset
            }
        })
        .collect()
}

/// The horizontal extent `[left, right)` of row `y` of `r` with corner insets, or `None` if
/// the row is outside `r`.
pub(crate) fn rounded_row(r: &Rect, insets: &[i64], y: i64) -> Option<(i64, i64)> {
    if r.is_empty() || y < r.top as i64 || y >= r.bottom() {
        return None;
    }
    let from_edge = (y - r.top as i64).min(r.bottom() - 1 - y) as usize;
    let inset = insets.get(from_edge).copied().unwrap_or(0);
    Some((r.left as i64 + inset, r.right() - inset))
}

/// Fills `r` (with rounded corners of diameter `corner_diam`) with `ink`, clipped.
pub(crate) fn rect(s: &Surface, mem: &mut dyn GuestMemory, clip: &Rect, r: &Rect, corner_diam: i32, ink: Ink) -> Result<(), MemError> {
    let visible = r.intersect(clip);
    if visible.is_empty() {
        return Ok(());
    }
    let insets = corner_insets(corner_diam, r.width as i64, r.height as i64);
    for y in visible.top as i64..visible.bottom() {
        if let Some((a, b)) = rounded_row(r, &insets, y) {
            ink_span(s, mem, clip, y as i32, a, b, ink)?;
        }
    }
    Ok(())
}

/// `WinDrawRectangle`: filled with the foreground colour.
pub fn draw_rectangle(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, r: &Rect, corner_diam: i32) -> Result<(), MemError> {
    rect(s, mem, &st.effective_clip(s), r, corner_diam, Ink::Value(st.fore))
}

/// `WinEraseRectangle`: filled with the background colour.
pub fn erase_rectangle(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, r: &Rect, corner_diam: i32) -> Result<(), MemError> {
    rect(s, mem, &st.effective_clip(s), r, corner_diam, Ink::Value(st.back))
}

/// `WinInvertRectangle`.
pub fn invert_rectangle(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, r: &Rect, corner_diam: i32) -> Result<(), MemError> {
    rect(s, mem, &st.effective_clip(s), r, corner_diam, Ink::Invert)
}

/// `WinFillRectangle`: the current pattern.
pub fn fill_rectangle(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, r: &Rect, corner_diam: i32) -> Result<(), MemError> {
    rect(s, mem, &st.effective_clip(s), r, corner_diam, fill_ink(st))
}

/// `WinPaintRectangle`: the current pattern through the transfer mode.
pub fn paint_rectangle(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, r: &Rect, corner_diam: i32) -> Result<(), MemError> {
    rect(s, mem, &st.effective_clip(s), r, corner_diam, paint_ink(st))
}

// ---- blits -----------------------------------------------------------------------------

/// Draws a `dest.width` x `dest.height` source at `dest` through `mode`: `src(sx, sy)` gives
/// the colour-matched source pixel at offset `(sx, sy)` inside `dest`. Only pixels inside
/// `clip` (already within the surface) are visited. Used for glyphs and bitmaps.
#[allow(clippy::too_many_arguments)]
pub(crate) fn blit(
    dst: &Surface,
    mem: &mut dyn GuestMemory,
    clip: &Rect,
    dest: &Rect,
    mode: TransferMode,
    kind: SourceKind,
    fore: u8,
    back: u8,
    mut src: impl FnMut(i32, i32) -> SourcePixel,
) -> Result<(), MemError> {
    let visible = dest.intersect(clip);
    if visible.is_empty() {
        return Ok(());
    }
    let depth = dst.depth;
    for y in visible.top..visible.top + visible.height {
        let sy = (y as i64 - dest.top as i64) as i32;
        dst.modify_span(mem, y, visible.left, visible.left + visible.width, |span| {
            for x in span.x0..span.x1 {
                let px = src((x as i64 - dest.left as i64) as i32, sy);
                if let Some(v) = combine(mode, kind, span.get(x), px, fore, back, depth) {
                    span.set(x, v);
                }
            }
        })?;
    }
    Ok(())
}

// ---- copies ---------------------------------------------------------------------------

/// Copies `src_rect` of `src` to `dst` at `(dst_x, dst_y)` with `mode` (`WinCopyRectangle`).
/// The source rectangle is clipped to the source surface and the destination to
/// `st.clip ∩ dst`; source pixels are colour-matched to the destination depth (through the
/// system palettes). Transparent source pixels are those of value 0 (white); `winSwap`
/// behaves as `winPaint` (the source is not a pattern). `src` and `dst` may be the same
/// surface and overlap: the source is read completely before anything is written.
#[allow(clippy::too_many_arguments)]
pub fn copy_rectangle(
    src: &Surface,
    dst: &Surface,
    mem: &mut dyn GuestMemory,
    st: &DrawState,
    src_rect: &Rect,
    dst_x: i32,
    dst_y: i32,
    mode: TransferMode,
) -> Result<(), MemError> {
    let from = src_rect.intersect(&src.bounds());
    if from.is_empty() {
        return Ok(());
    }
    // Where the clipped source lands, then what of it is visible.
    let dx = dst_x as i64 + (from.left as i64 - src_rect.left as i64);
    let dy = dst_y as i64 + (from.top as i64 - src_rect.top as i64);
    let to = Rect::from_edges(dx, dy, dx + from.width as i64, dy + from.height as i64);
    let visible = to.intersect(&st.effective_clip(dst));
    if visible.is_empty() {
        return Ok(());
    }
    // Read the needed source pixels first (handles overlap on the same surface).
    let (sx0, sy0) = (from.left as i64 + (visible.left as i64 - to.left as i64), from.top as i64 + (visible.top as i64 - to.top as i64));
    let mut rows: Vec<Vec<u8>> = Vec::with_capacity(visible.height as usize);
    for row in 0..visible.height as i64 {
        let y = (sy0 + row) as i32;
        let span = src.read_span(&*mem, y, sx0 as i32, (sx0 + visible.width as i64) as i32)?;
        let vals = match span {
            Some(sp) => (0..visible.width as i64).map(|i| sp.get((sx0 + i) as i32)).collect(),
            None => vec![0; visible.width as usize],
        };
        rows.push(vals);
    }
    let lut: Vec<u8> = (0..=src.depth.max_value()).map(|v| super::palette::convert(v, src.depth, dst.depth)).collect();
    let kind = SourceKind::Bitmap { has_transparency: false };
    let depth = dst.depth;
    for (row, vals) in rows.iter().enumerate() {
        let y = visible.top + row as i32;
        dst.modify_span(mem, y, visible.left, (visible.right()) as i32, |span| {
            for (i, &v) in vals.iter().enumerate() {
                let x = visible.left + i as i32;
                let px = SourcePixel { value: lut[v as usize], transparent: v == 0 };
                if let Some(nv) = combine(mode, kind, span.get(x), px, st.fore, st.back, depth) {
                    span.set(x, nv);
                }
            }
        })?;
    }
    Ok(())
}

/// `WinDirectionType` for [`scroll_rectangle`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScrollDirection {
    Up = 0,
    Down = 1,
    Left = 2,
    Right = 3,
}

/// `WinScrollRectangle`: moves the contents of `r` (clipped to the clip and surface) by
/// `distance` pixels in `direction` and returns the vacated rectangle, which is left as it
/// was for the caller to redraw (PalmOS leaves it too).
pub fn scroll_rectangle(
    s: &Surface,
    mem: &mut dyn GuestMemory,
    st: &DrawState,
    r: &Rect,
    direction: ScrollDirection,
    distance: i32,
) -> Result<Rect, MemError> {
    let area = r.intersect(&st.effective_clip(s));
    if area.is_empty() || distance <= 0 {
        return Ok(Rect::default());
    }
    let d = distance as i64;
    let (l, t, rr, b) = (area.left as i64, area.top as i64, area.right(), area.bottom());
    let (moved, dest, vacated) = match direction {
        ScrollDirection::Up => (Rect::from_edges(l, t + d, rr, b), (l, t), Rect::from_edges(l, (b - d).max(t), rr, b)),
        ScrollDirection::Down => (Rect::from_edges(l, t, rr, b - d), (l, t + d), Rect::from_edges(l, t, rr, (t + d).min(b))),
        ScrollDirection::Left => (Rect::from_edges(l + d, t, rr, b), (l, t), Rect::from_edges((rr - d).max(l), t, rr, b)),
        ScrollDirection::Right => (Rect::from_edges(l, t, rr - d, b), (l + d, t), Rect::from_edges(l, t, (l + d).min(rr), b)),
    };
    if !moved.is_empty() {
        let inner = DrawState { clip: area, ..*st };
        copy_rectangle(s, s, mem, &inner, &moved, dest.0 as i32, dest.1 as i32, TransferMode::Paint)?;
    }
    Ok(vacated)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::FlatMemory;

    pub(crate) const GUARD: u32 = 32;

    /// A `w`x`h` 1-bpp-or-deeper surface with guard bytes of 0x5A around it, cleared to white.
    pub(crate) fn rig(w: u16, h: u16, depth: Depth) -> (Surface, FlatMemory) {
        let s = Surface::packed(0x2000 + GUARD, w, h, depth).unwrap();
        let mut mem = FlatMemory::new(0x2000, (2 * GUARD + s.byte_len()) as usize);
        mem.fill(0x2000, 2 * GUARD + s.byte_len(), 0x5A).unwrap();
        s.fill(&mut mem, 0).unwrap();
        (s, mem)
    }

    pub(crate) fn guards_intact(s: &Surface, mem: &FlatMemory) -> bool {
        let b = mem.bytes();
        b[..GUARD as usize].iter().all(|&v| v == 0x5A) && b[(GUARD + s.byte_len()) as usize..].iter().all(|&v| v == 0x5A)
    }

    /// The surface as text, one line per row: '.' for 0, '#' for the max value, else a digit.
    pub(crate) fn picture(s: &Surface, mem: &FlatMemory) -> String {
        let px = s.read_pixels(mem).unwrap();
        let mut out = String::new();
        for row in px.chunks(s.width as usize) {
            for &v in row {
                out.push(if v == 0 {
                    '.'
                } else if v == s.depth.max_value() {
                    '#'
                } else {
                    char::from_digit((v % 10) as u32, 10).unwrap()
                });
            }
            out.push('\n');
        }
        out
    }

    pub(crate) fn grid(rows: &[&str]) -> String {
        rows.iter().map(|r| format!("{r}\n")).collect()
    }

    #[test]
    fn pixels_clip_and_read_back() {
        let (s, mut mem) = rig(4, 3, Depth::One);
        let mut st = DrawState::new(Depth::One);
        draw_pixel(&s, &mut mem, &st, 0, 0).unwrap();
        draw_pixel(&s, &mut mem, &st, 3, 2).unwrap();
        draw_pixel(&s, &mut mem, &st, 1, 1).unwrap();
        invert_pixel(&s, &mut mem, &st, 1, 1).unwrap();
        invert_pixel(&s, &mut mem, &st, 2, 1).unwrap();
        st.clip = Rect::new(0, 0, 2, 2);
        draw_pixel(&s, &mut mem, &st, 3, 0).unwrap(); // clipped
        erase_pixel(&s, &mut mem, &st, 3, 2).unwrap(); // clipped
        assert_eq!(picture(&s, &mem), grid(&["#...", "..#.", "...#"]));
        assert_eq!(get_pixel(&s, &mem, 2, 1).unwrap(), 1);
        assert_eq!(get_pixel(&s, &mem, -5, 1).unwrap(), 0);
        st.clip = Rect::UNBOUNDED;
        erase_pixel(&s, &mut mem, &st, 0, 0).unwrap();
        assert_eq!(get_pixel(&s, &mem, 0, 0).unwrap(), 0);
        st.mode = TransferMode::Invert;
        paint_pixel(&s, &mut mem, &st, 3, 2).unwrap();
        assert_eq!(get_pixel(&s, &mem, 3, 2).unwrap(), 0);
        assert!(guards_intact(&s, &mem));
    }

    #[test]
    fn lines_hand_computed() {
        let (s, mut mem) = rig(8, 6, Depth::One);
        let st = DrawState::new(Depth::One);
        draw_line(&s, &mut mem, &st, 0, 0, 7, 3).unwrap();
        assert_eq!(
            picture(&s, &mem),
            grid(&["##......", "..##....", "....##..", "......##", "........", "........"])
        );
        // Reversed end points give the same pixels.
        let (s2, mut mem2) = rig(8, 6, Depth::One);
        draw_line(&s2, &mut mem2, &st, 7, 3, 0, 0).unwrap();
        assert_eq!(picture(&s, &mem), picture(&s2, &mem2));
        let (s, mut mem) = rig(5, 5, Depth::One);
        draw_line(&s, &mut mem, &st, 1, 4, 1, 0).unwrap();
        draw_line(&s, &mut mem, &st, 0, 2, 4, 2).unwrap();
        draw_line(&s, &mut mem, &st, 4, 4, 4, 4).unwrap();
        assert_eq!(picture(&s, &mem), grid(&[".#...", ".#...", "#####", ".#...", ".#..#"]));
        let (s, mut mem) = rig(4, 4, Depth::One);
        draw_line(&s, &mut mem, &st, 0, 3, 3, 0).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["...#", "..#.", ".#..", "#..."]));
        let (s, mut mem) = rig(3, 7, Depth::One);
        draw_line(&s, &mut mem, &st, 0, 0, 2, 6).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["#..", "#..", ".#.", ".#.", ".#.", "..#", "..#"]));
    }

    #[test]
    fn gray_and_pattern_lines() {
        let (s, mut mem) = rig(6, 2, Depth::One);
        let mut st = DrawState::new(Depth::One);
        draw_gray_line(&s, &mut mem, &st, 0, 0, 5, 0).unwrap();
        draw_gray_line(&s, &mut mem, &st, 0, 1, 5, 1).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["#.#.#.", ".#.#.#"]));
        st.pattern = Pattern::Custom([0xF0; 8]);
        fill_line(&s, &mut mem, &st, 0, 0, 5, 0).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["####..", ".#.#.#"]));
        erase_line(&s, &mut mem, &st, 0, 1, 5, 1).unwrap();
        invert_line(&s, &mut mem, &st, 2, 0, 3, 0).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["##....", "......"]));
        st.mode = TransferMode::Overlay;
        paint_line(&s, &mut mem, &st, 0, 1, 2, 1).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["##....", "###..."]));
    }

    #[test]
    fn rectangles_hand_computed() {
        let (s, mut mem) = rig(8, 6, Depth::Two);
        let mut st = DrawState::new(Depth::Two);
        draw_rectangle(&s, &mut mem, &st, &Rect::new(1, 1, 5, 3), 0).unwrap();
        erase_rectangle(&s, &mut mem, &st, &Rect::new(2, 2, 1, 1), 0).unwrap();
        invert_rectangle(&s, &mut mem, &st, &Rect::new(4, 0, 4, 2), 0).unwrap();
        st.fore = 2;
        draw_rectangle(&s, &mut mem, &st, &Rect::new(0, 5, 3, 1), 0).unwrap();
        assert_eq!(
            picture(&s, &mem),
            grid(&["....####", ".###..##", ".#.###..", ".#####..", "........", "222....."])
        );
        assert!(guards_intact(&s, &mem));
    }

    #[test]
    fn rounded_rectangles() {
        let (s, mut mem) = rig(10, 8, Depth::One);
        let st = DrawState::new(Depth::One);
        draw_rectangle(&s, &mut mem, &st, &Rect::new(0, 0, 10, 8), 7).unwrap();
        assert_eq!(
            picture(&s, &mem),
            grid(&["..######..", ".########.", "##########", "##########", "##########", "##########", ".########.", "..######.."])
        );
        let (s, mut mem) = rig(6, 4, Depth::One);
        draw_rectangle(&s, &mut mem, &st, &Rect::new(0, 0, 6, 4), 4).unwrap();
        assert_eq!(picture(&s, &mem), grid(&[".####.", "######", "######", ".####."]));
        // A diameter larger than the rectangle is capped; 1-pixel rectangles survive.
        let (s, mut mem) = rig(3, 1, Depth::One);
        draw_rectangle(&s, &mut mem, &st, &Rect::new(0, 0, 3, 1), 40).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["###"]));
        // Huge diameters on huge rectangles stay cheap (capped) and clipped.
        let (s, mut mem) = rig(4, 4, Depth::One);
        draw_rectangle(&s, &mut mem, &st, &Rect::new(-1000, -1000, i32::MAX, i32::MAX), i32::MAX).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["####", "####", "####", "####"]));
    }

    #[test]
    fn fill_and_paint_rectangles_with_patterns() {
        let (s, mut mem) = rig(4, 2, Depth::One);
        let mut st = DrawState::new(Depth::One);
        st.pattern = Pattern::Gray;
        fill_rectangle(&s, &mut mem, &st, &s.bounds(), 0).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["#.#.", ".#.#"]));
        st.pattern = Pattern::Black;
        st.mode = TransferMode::Swap;
        paint_rectangle(&s, &mut mem, &st, &Rect::new(0, 0, 2, 2), 0).unwrap();
        assert_eq!(picture(&s, &mem), grid(&[".##.", "#..#"]));
        // winSwap in 8 bpp swaps only the two colours.
        let (s, mut mem) = rig(3, 1, Depth::Eight);
        let mut st = DrawState::new(Depth::Eight);
        st.fore = 125;
        st.back = 0;
        s.set_pixel(&mut mem, 1, 0, 125).unwrap();
        s.set_pixel(&mut mem, 2, 0, 77).unwrap();
        st.mode = TransferMode::Swap;
        paint_rectangle(&s, &mut mem, &st, &s.bounds(), 0).unwrap();
        assert_eq!(s.read_pixels(&mem).unwrap(), vec![125, 0, 77]);
    }

    #[test]
    fn extreme_coordinates_never_panic_or_escape() {
        let extremes = [i32::MIN, i16::MIN as i32, -1000, -1, 0, 7, 15, 16, 17, 1000, i16::MAX as i32, i32::MAX];
        for depth in [Depth::One, Depth::Two, Depth::Four, Depth::Eight] {
            let (s, mut mem) = rig(16, 16, depth);
            let mut st = DrawState::new(depth);
            for &a in &extremes {
                for &b in &extremes {
                    draw_line(&s, &mut mem, &st, a, b, b, a).unwrap();
                    draw_line(&s, &mut mem, &st, a, a, b, b).unwrap();
                    draw_line(&s, &mut mem, &st, a, 3, b, 3).unwrap();
                    draw_line(&s, &mut mem, &st, 5, a, 5, b).unwrap();
                    draw_pixel(&s, &mut mem, &st, a, b).unwrap();
                    let r = Rect::new(a, b, b, a);
                    draw_rectangle(&s, &mut mem, &st, &r, 5).unwrap();
                    invert_rectangle(&s, &mut mem, &st, &Rect::new(a, a, b, b), 0).unwrap();
                    copy_rectangle(&s, &s, &mut mem, &st, &Rect::new(a, b, 20, 20), b, a, TransferMode::Invert).unwrap();
                    scroll_rectangle(&s, &mut mem, &st, &Rect::new(a, b, b, a), ScrollDirection::Left, b).unwrap();
                }
            }
            assert!(guards_intact(&s, &mem), "{depth:?}");
            // A clip that excludes everything: nothing changes.
            s.fill(&mut mem, 0).unwrap();
            st.clip = Rect::new(4, 4, 0, 8);
            draw_rectangle(&s, &mut mem, &st, &s.bounds(), 0).unwrap();
            draw_line(&s, &mut mem, &st, 0, 0, 15, 15).unwrap();
            assert!(s.read_pixels(&mem).unwrap().iter().all(|&v| v == 0));
        }
    }

    #[test]
    fn clipped_line_matches_unclipped_pixels() {
        // The part of a long line inside a small clip equals the same line drawn unclipped.
        let (s, mut mem) = rig(16, 16, Depth::One);
        let (s2, mut mem2) = rig(16, 16, Depth::One);
        let mut st = DrawState::new(Depth::One);
        draw_line(&s, &mut mem, &st, -20, -7, 40, 25).unwrap();
        st.clip = Rect::new(3, 2, 9, 9);
        draw_line(&s2, &mut mem2, &st, -20, -7, 40, 25).unwrap();
        for y in 0..16 {
            for x in 0..16 {
                let full = s.get_pixel(&mem, x, y).unwrap().unwrap();
                let clipped = s2.get_pixel(&mem2, x, y).unwrap().unwrap();
                let inside = st.clip.contains(x, y);
                assert_eq!(clipped, if inside { full } else { 0 }, "({x},{y})");
            }
        }
    }

    #[test]
    fn copy_rectangle_modes_and_depth_matching() {
        // Source: 1 bpp "#.#." ; destination 1 bpp "##..": the truth table per mode.
        let cases = [
            (TransferMode::Paint, "#.#."),
            (TransferMode::Erase, "#..."),
            (TransferMode::Mask, ".#.."),
            (TransferMode::Invert, ".##."),
            (TransferMode::Overlay, "###."),
            (TransferMode::PaintInverse, ".#.#"),
            (TransferMode::Swap, "#.#."),
        ];
        for (mode, want) in cases {
            let (s, mut mem) = rig(4, 2, Depth::One);
            let st = DrawState::new(Depth::One);
            s.set_pixel(&mut mem, 0, 1, 1).unwrap();
            s.set_pixel(&mut mem, 2, 1, 1).unwrap();
            s.set_pixel(&mut mem, 0, 0, 1).unwrap();
            s.set_pixel(&mut mem, 1, 0, 1).unwrap();
            copy_rectangle(&s, &s, &mut mem, &st, &Rect::new(0, 1, 4, 1), 0, 0, mode).unwrap();
            assert_eq!(picture(&s, &mem).lines().next().unwrap(), want, "{mode:?}");
        }
        // 1 bpp -> 8 bpp: black becomes 255.
        let (src, mut mem) = rig(4, 1, Depth::One);
        src.set_pixel(&mut mem, 1, 0, 1).unwrap();
        let dst = Surface::packed(0x1000, 4, 1, Depth::Eight).unwrap();
        let mut big = FlatMemory::new(0x1000, 0x2000 + 64);
        big.write(0x2000, mem.bytes()).unwrap();
        let st = DrawState::new(Depth::Eight);
        copy_rectangle(&src, &dst, &mut big, &st, &src.bounds(), 0, 0, TransferMode::Paint).unwrap();
        assert_eq!(dst.read_pixels(&big).unwrap(), vec![0, 255, 0, 0]);
    }

    #[test]
    fn overlapping_copy_and_scroll() {
        let (s, mut mem) = rig(6, 1, Depth::Eight);
        for x in 0..6 {
            s.set_pixel(&mut mem, x, 0, x as u8 + 1).unwrap();
        }
        let st = DrawState::new(Depth::Eight);
        copy_rectangle(&s, &s, &mut mem, &st, &Rect::new(0, 0, 4, 1), 2, 0, TransferMode::Paint).unwrap();
        assert_eq!(s.read_pixels(&mem).unwrap(), vec![1, 2, 1, 2, 3, 4]);
        let (s, mut mem) = rig(2, 4, Depth::Eight);
        for y in 0..4 {
            s.set_pixel(&mut mem, 0, y, y as u8 + 1).unwrap();
        }
        let vac = scroll_rectangle(&s, &mut mem, &st, &Rect::new(0, 0, 1, 4), ScrollDirection::Up, 1).unwrap();
        assert_eq!(vac, Rect::new(0, 3, 1, 1));
        assert_eq!(s.read_pixels(&mem).unwrap(), vec![2, 0, 3, 0, 4, 0, 4, 0]);
    }
}
