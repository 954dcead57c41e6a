//! Our own bitmap fonts for the PalmOS built-in font IDs, their metrics (the Font Manager's
//! `FntCharWidth`, `FntCharsWidth`, `FntLineHeight`, `FntBaseLine`, ...) and text drawing
//! (`WinDrawChars`, `WinDrawInvertedChars`, `WinEraseChars`, `WinInvertChars`,
//! `WinPaintChars`).
//!
//! The glyphs are original designs, drawn as ASCII art in `std_font.rs`, `bold_font.rs` and
//! `large_font.rs` (format: [`sheet`]) and parsed on first use. Each glyph is a cell of the
//! font's full height whose width is the character's advance, spacing included; `y` passed to
//! the drawing functions is the top of the cell and the baseline is `ascent` rows below it.
//!
//! | font | id | height | ascent | descent | cap height | x-height |
//! |---|---|---|---|---|---|---|
//! | `stdFont` | 0 | 11 | 9 | 2 | 7 | 5 |
//! | `boldFont` | 1 | 11 | 9 | 2 | 7 | 5 (strokes 2 px wide, advances +1) |
//! | `largeFont` | 2 | 14 | 11 | 3 | 9 | 6 |
//!
//! Characters are bytes in PalmOS's Windows-1252 encoding: printable ASCII 0x20..=0x7E in
//! every font plus a few Latin-1 letters and signs (`€ £ ° ß Ä Ö Ü É à ä ç è é ê ñ ö ü`);
//! anything else draws the font's box glyph.

pub mod sheet;
mod bold_font;
mod large_font;
mod std_font;

use super::draw::{blit, line, DrawState, Ink, Pattern, UnderlineMode};
use super::surface::Surface;
use super::transfer::{SourceKind, SourcePixel, TransferMode};
use crate::memory::{GuestMemory, MemError};
use sheet::{parse_sheet, Glyph, GlyphKey};
use std::sync::OnceLock;

/// PalmOS `FontID` of the fonts we provide (numbers as in the SDK).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum FontId {
    #[default]
    Std = 0,
    Bold = 1,
    Large = 2,
}

impl FontId {
    /// From a PalmOS `FontID`; `None` for fonts we do not have (symbol, LED, largeBold, app
    /// fonts), for which a font manager falls back to `Std`.
    pub fn from_u8(v: u8) -> Option<FontId> {
        match v {
            0 => Some(FontId::Std),
            1 => Some(FontId::Bold),
            2 => Some(FontId::Large),
            _ => None,
        }
    }
    /// The font's glyphs and metrics.
    pub fn font(self) -> &'static Font {
        font(self)
    }
}

/// A bitmap font: metrics plus one glyph per byte value (absent ones draw `missing`).
#[derive(Debug)]
pub struct Font {
    pub id: FontId,
    /// Cell height (`FntCharHeight`).
    pub height: i32,
    /// Rows above the baseline (`FntBaseLine`).
    pub ascent: i32,
    /// Rows below the baseline (`FntDescenderHeight`).
    pub descent: i32,
    glyphs: Vec<Option<Glyph>>,
    missing: Glyph,
}

impl Font {
    fn from_sheet(id: FontId, sheet: &str, height: i32, ascent: i32) -> Result<Font, String> {
        let mut glyphs: Vec<Option<Glyph>> = vec![None; 256];
        let mut missing = None;
        for (key, g) in parse_sheet(sheet, height as usize)? {
            match key {
                GlyphKey::Byte(b) => glyphs[b as usize] = Some(g),
                GlyphKey::Missing => missing = Some(g),
            }
        }
        let missing = missing.ok_or("sheet has no box glyph")?;
        Ok(Font { id, height, ascent, descent: height - ascent, glyphs, missing })
    }

    /// Whether the font has a glyph of its own for `ch`.
    pub fn has_glyph(&self, ch: u8) -> bool {
        self.glyphs[ch as usize].is_some()
    }

    /// The glyph drawn for `ch` (the box glyph when the font lacks it).
    pub fn glyph(&self, ch: u8) -> &Glyph {
        self.glyphs[ch as usize].as_ref().unwrap_or(&self.missing)
    }

    /// `FntCharWidth`: the advance of `ch` in pixels.
    pub fn char_width(&self, ch: u8) -> i32 {
        self.glyph(ch).width as i32
    }

    /// `FntCharsWidth`: the sum of the advances of `text`.
    pub fn chars_width(&self, text: &[u8]) -> i32 {
        text.iter().map(|&c| self.char_width(c)).sum()
    }

    /// `FntLineHeight`: distance between successive lines (the cell height; no leading).
    pub fn line_height(&self) -> i32 {
        self.height
    }

    /// `FntBaseLine`: rows from the top of the cell to the baseline.
    pub fn baseline(&self) -> i32 {
        self.ascent
    }

    /// `FntCharsInWidth`-style fitting: how many leading bytes of `text` fit in `max_width`
    /// pixels, and their width.
    pub fn chars_in_width(&self, text: &[u8], max_width: i32) -> (usize, i32) {
        let mut w = 0;
        for (i, &c) in text.iter().enumerate() {
            let cw = self.char_width(c);
            if w + cw > max_width {
                return (i, w);
            }
            w += cw;
        }
        (text.len(), w)
    }

    /// `FntWordWrap`: the length in bytes of the first line of `text` wrapped at `max_width`
    /// pixels. A line ends after a newline, or after the last space or tab that fits; a word
    /// longer than the line is broken where it overflows (at least one byte is taken, so
    /// wrapping always progresses).
    pub fn word_wrap(&self, text: &[u8], max_width: i32) -> usize {
        let mut w = 0;
        let mut last_break = 0;
        for (i, &c) in text.iter().enumerate() {
            if c == b'\n' {
                return i + 1;
            }
            w += self.char_width(c);
            if w > max_width && c != b' ' && c != b'\t' {
                return if last_break > 0 { last_break } else { i.max(1) };
            }
            if c == b' ' || c == b'\t' {
                last_break = i + 1;
            }
        }
        text.len()
    }
}

static FONTS: OnceLock<[Font; 3]> = OnceLock::new();

fn build_fonts() -> [Font; 3] {
    let std = Font::from_sheet(FontId::Std, std_font::SHEET, std_font::HEIGHT, std_font::ASCENT).expect("stdFont sheet");
    let bold = bold_font::embolden(&std);
    let large = Font::from_sheet(FontId::Large, large_font::SHEET, large_font::HEIGHT, large_font::ASCENT).expect("largeFont sheet");
    [std, bold, large]
}

/// The font for `id` (built on first use).
pub fn font(id: FontId) -> &'static Font {
    &FONTS.get_or_init(build_fonts)[id as usize]
}

/// Draws `text` with ink value `on` for glyph pixels and `off` for the rest of each cell,
/// through `mode`; returns the advance. Transparent source pixels are the cell's paper.
#[allow(clippy::too_many_arguments)]
fn chars_with(
    s: &Surface,
    mem: &mut dyn GuestMemory,
    st: &DrawState,
    font_id: FontId,
    text: &[u8],
    x: i32,
    y: i32,
    (on, off): (u8, u8),
    mode: TransferMode,
    underline: bool,
) -> Result<i32, MemError> {
    let f = font(font_id);
    let clip = st.effective_clip(s);
    let total = f.chars_width(text);
    let mut pen = x as i64;
    let cell_visible = !clip.is_empty() && (y as i64) < clip.bottom() && y as i64 + f.height as i64 > clip.top as i64;
    if cell_visible {
        for &c in text {
            if pen >= clip.right() {
                break;
            }
            let g = f.glyph(c);
            let w = g.width as i64;
            if pen + w > clip.left as i64 {
                let dest = super::geometry::Rect::new(pen as i32, y, g.width as i32, f.height);
                let kind = SourceKind::Bitmap { has_transparency: false };
                blit(s, mem, &clip, &dest, mode, kind, st.fore, st.back, |sx, sy| {
                    let ink = g.ink(sx, sy);
                    SourcePixel { value: if ink { on } else { off }, transparent: !ink }
                })?;
            }
            pen += w;
        }
    }
    if underline && st.underline != UnderlineMode::None && total > 0 {
        let uy = y as i64 + f.height as i64 - 1;
        if uy >= i32::MIN as i64 && uy <= i32::MAX as i64 {
            let ink = match st.underline {
                UnderlineMode::Gray => Ink::Pattern { rows: Pattern::GRAY_ROWS, fore: st.fore, back: st.back, mode: TransferMode::Overlay },
                _ => Ink::Value(st.fore),
            };
            let end = (x as i64 + total as i64 - 1).min(i32::MAX as i64) as i32;
            line(s, mem, &clip, (x, uy as i32), (end, uy as i32), ink)?;
        }
    }
    Ok(total)
}

/// `WinDrawChars`: text colour on the background colour (whole cells painted), underlined
/// per the draw state. `y` is the top of the cell. Returns the advance width.
pub fn draw_chars(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, font: FontId, text: &[u8], x: i32, y: i32) -> Result<i32, MemError> {
    chars_with(s, mem, st, font, text, x, y, (st.text, st.back), TransferMode::Paint, true)
}

/// `WinDrawInvertedChars`: background colour on the text colour (e.g. white on black).
pub fn draw_inverted_chars(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, font: FontId, text: &[u8], x: i32, y: i32) -> Result<i32, MemError> {
    chars_with(s, mem, st, font, text, x, y, (st.back, st.text), TransferMode::Paint, false)
}

/// `WinEraseChars`: the glyphs' ink pixels are set to the background colour (`winMask`);
/// the rest of the cells is untouched.
pub fn erase_chars(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, font: FontId, text: &[u8], x: i32, y: i32) -> Result<i32, MemError> {
    chars_with(s, mem, st, font, text, x, y, (st.text, st.back), TransferMode::Mask, false)
}

/// `WinInvertChars`: the glyphs' ink pixels are complemented; the rest is untouched.
pub fn invert_chars(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, font: FontId, text: &[u8], x: i32, y: i32) -> Result<i32, MemError> {
    let max = s.depth.max_value();
    chars_with(s, mem, st, font, text, x, y, (max, 0), TransferMode::Invert, false)
}

/// `WinPaintChars`: text colour on background colour through the state's transfer mode
/// (`winOverlay` draws only the ink), underlined per the draw state.
pub fn paint_chars(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, font: FontId, text: &[u8], x: i32, y: i32) -> Result<i32, MemError> {
    chars_with(s, mem, st, font, text, x, y, (st.text, st.back), st.mode, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphics::draw::tests::{grid, guards_intact, picture, rig};
    use crate::graphics::geometry::Rect;
    use crate::graphics::surface::Depth;

    const ALL: [FontId; 3] = [FontId::Std, FontId::Bold, FontId::Large];

    #[test]
    fn metrics_are_consistent() {
        for id in ALL {
            let f = font(id);
            assert_eq!(f.id, id);
            assert_eq!(f.ascent + f.descent, f.height);
            assert_eq!(f.line_height(), f.height);
            assert_eq!(f.baseline(), f.ascent);
            for c in 0..=255u8 {
                let g = f.glyph(c);
                assert_eq!(g.rows.len() as i32, f.height, "{id:?} {c:#x} height");
                assert!(g.width > 0, "{id:?} {c:#x} width");
                assert!(g.width <= 12, "{id:?} {c:#x} too wide");
            }
            for c in 0x20..=0x7Eu8 {
                assert!(f.has_glyph(c), "{id:?} lacks {:?}", c as char);
                let g = f.glyph(c);
                // Printable characters other than space have ink; nothing has ink in the
                // last column (the spacing column keeps letters apart).
                assert_eq!(g.rows.iter().any(|r| *r != 0), c != b' ', "{id:?} {:?} ink", c as char);
                let last = 0x8000_0000u32 >> (g.width - 1);
                if c != b' ' {
                    assert!(g.rows.iter().all(|r| r & last == 0), "{id:?} {:?} touches its spacing column", c as char);
                }
            }
            for c in "€£°ßÄÖÜÉàäçèéêñöü".chars() {
                let b = if c == '€' { 0x80 } else { c as u32 as u8 };
                assert!(f.has_glyph(b), "{id:?} lacks {c}");
            }
            assert!(!f.has_glyph(0x01) && f.char_width(0x01) == f.char_width(0x7F));
            let text = b"Hello, Palm! 0123";
            assert_eq!(f.chars_width(text), text.iter().map(|&c| f.char_width(c)).sum::<i32>());
            assert_eq!(f.chars_width(b""), 0);
        }
        let std = font(FontId::Std);
        assert_eq!((std.height, std.ascent, std.descent), (11, 9, 2));
        let large = font(FontId::Large);
        assert_eq!((large.height, large.ascent, large.descent), (14, 11, 3));
        // Digits are tabular in every font.
        for id in ALL {
            let f = font(id);
            let w0 = f.char_width(b'0');
            assert!((b'0'..=b'9').all(|d| f.char_width(d) == w0), "{id:?}");
        }
        // Bold is wider than plain.
        assert!(font(FontId::Bold).chars_width(b"Palm") > std.chars_width(b"Palm"));
    }

    #[test]
    fn fitting_and_wrapping() {
        let f = font(FontId::Std);
        let w = f.chars_width(b"abc");
        assert_eq!(f.chars_in_width(b"abcdef", w), (3, w));
        assert_eq!(f.chars_in_width(b"abc", 1000), (3, w));
        assert_eq!(f.chars_in_width(b"abc", 0), (0, 0));
        let line = b"hello world again";
        let n = f.word_wrap(line, f.chars_width(b"hello wor"));
        assert_eq!(&line[..n], b"hello ");
        assert_eq!(f.word_wrap(b"ab\ncd", 1000), 3);
        assert_eq!(f.word_wrap(b"abcdefgh", f.chars_width(b"abc")), 3);
        assert_eq!(f.word_wrap(b"abc", 0), 1);
    }

    #[test]
    fn draw_chars_paints_cells_and_returns_width() {
        let (s, mut mem) = rig(40, 14, Depth::One);
        let st = DrawState::new(Depth::One);
        s.fill(&mut mem, 1).unwrap();
        let w = draw_chars(&s, &mut mem, &st, FontId::Std, b"Hi", 1, 1).unwrap();
        let f = font(FontId::Std);
        assert_eq!(w, f.chars_width(b"Hi"));
        // The cell area is painted: glyph ink black, paper white; outside untouched (black).
        for y in 0..14 {
            for x in 0..40 {
                let v = s.get_pixel(&mem, x, y).unwrap().unwrap();
                let inside = x >= 1 && x < 1 + w && y >= 1 && y < 1 + f.height;
                if !inside {
                    assert_eq!(v, 1, "({x},{y}) outside the cells");
                } else {
                    let (gx, gy) = (x - 1, y - 1);
                    let hw = f.char_width(b'H');
                    let ink = if gx < hw { f.glyph(b'H').ink(gx, gy) } else { f.glyph(b'i').ink(gx - hw, gy) };
                    assert_eq!(v, ink as u8, "({x},{y})");
                }
            }
        }
        assert!(guards_intact(&s, &mem));
    }

    #[test]
    fn text_variants() {
        let f = font(FontId::Std);
        let g = f.glyph(b'l');
        assert_eq!(g.width, 2);
        let (s, mut mem) = rig(4, 11, Depth::One);
        let st = DrawState::new(Depth::One);
        // Inverted: paper black, ink white.
        draw_inverted_chars(&s, &mut mem, &st, FontId::Std, b"l", 0, 0).unwrap();
        let col0: Vec<u8> = (0..11).map(|y| s.get_pixel(&mem, 0, y).unwrap().unwrap()).collect();
        assert_eq!(col0, (0..11).map(|y| (!g.ink(0, y)) as u8).collect::<Vec<_>>());
        assert_eq!(s.get_pixel(&mem, 1, 0).unwrap(), Some(1));
        assert_eq!(s.get_pixel(&mem, 2, 0).unwrap(), Some(0));
        // Erase: only ink pixels go white.
        s.fill(&mut mem, 1).unwrap();
        erase_chars(&s, &mut mem, &st, FontId::Std, b"l", 0, 0).unwrap();
        for y in 0..11 {
            assert_eq!(s.get_pixel(&mem, 0, y).unwrap(), Some((!g.ink(0, y)) as u8));
            assert_eq!(s.get_pixel(&mem, 1, y).unwrap(), Some(1));
        }
        // Invert twice restores; overlay leaves paper alone.
        s.fill(&mut mem, 0).unwrap();
        s.set_pixel(&mut mem, 1, 5, 1).unwrap();
        invert_chars(&s, &mut mem, &st, FontId::Std, b"l", 0, 0).unwrap();
        invert_chars(&s, &mut mem, &st, FontId::Std, b"l", 0, 0).unwrap();
        assert_eq!(picture(&s, &mem).matches('#').count(), 1);
        let mut ov = st;
        ov.mode = TransferMode::Overlay;
        paint_chars(&s, &mut mem, &ov, FontId::Std, b"l", 0, 0).unwrap();
        assert_eq!(s.get_pixel(&mem, 1, 5).unwrap(), Some(1));
        assert_eq!(s.get_pixel(&mem, 0, 5).unwrap(), Some(g.ink(0, 5) as u8));
    }

    #[test]
    fn underline_modes() {
        let (s, mut mem) = rig(8, 11, Depth::One);
        let mut st = DrawState::new(Depth::One);
        st.underline = UnderlineMode::Solid;
        let w = draw_chars(&s, &mut mem, &st, FontId::Std, b"  ", 0, 0).unwrap();
        let last = picture(&s, &mem).lines().nth(10).unwrap().to_string();
        assert_eq!(last, format!("{}{}", "#".repeat(w as usize), ".".repeat(8 - w as usize)));
        s.fill(&mut mem, 0).unwrap();
        st.underline = UnderlineMode::Gray;
        draw_chars(&s, &mut mem, &st, FontId::Std, b"  ", 0, 0).unwrap();
        assert_eq!(picture(&s, &mem).lines().nth(10).unwrap(), "#.#.#...");
    }

    #[test]
    fn text_clipping_extremes() {
        let (s, mut mem) = rig(16, 16, Depth::Eight);
        let mut st = DrawState::new(Depth::Eight);
        let long: Vec<u8> = (0x20..=0x7E).collect();
        for &v in &[i32::MIN, i16::MIN as i32, -100, -3, 0, 5, 15, 16, i16::MAX as i32, i32::MAX] {
            for id in ALL {
                draw_chars(&s, &mut mem, &st, id, &long, v, 2).unwrap();
                draw_chars(&s, &mut mem, &st, id, b"Wg", 3, v).unwrap();
                draw_inverted_chars(&s, &mut mem, &st, id, &long, -v, v).unwrap();
                invert_chars(&s, &mut mem, &st, id, &long, v, -v).unwrap();
            }
        }
        assert!(guards_intact(&s, &mem));
        // Clipped text only changes pixels inside the clip.
        s.fill(&mut mem, 0).unwrap();
        st.clip = Rect::new(2, 3, 5, 4);
        draw_inverted_chars(&s, &mut mem, &st, FontId::Large, b"MMMM", -4, -2).unwrap();
        for y in 0..16 {
            for x in 0..16 {
                if !st.clip.contains(x, y) {
                    assert_eq!(s.get_pixel(&mem, x, y).unwrap(), Some(0));
                }
            }
        }
        let _ = grid(&[]);
    }
}
