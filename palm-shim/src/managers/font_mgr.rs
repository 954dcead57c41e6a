//! Font Manager traps: the current font (`FntSetFont` / `FntGetFont`, part of the Window
//! Manager's draw state) and text metrics, wrapping, fitting and scrolling computed with the
//! fonts of `crate::graphics::font`. Font IDs we have no glyphs for (symbol, LED, largeBold,
//! application fonts) are remembered as set and measured as `stdFont`.
//!
//! Strings: `Char *` arguments with a length are read for exactly that many bytes (a length
//! <= 0 is an empty string); NUL-terminated ones (`FntCharsInWidth`, `FntWordWrap`, ...) are
//! read up to [`MAX_TEXT`] bytes. NULL strings are empty, NULL result pointers are not
//! written.

use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::graphics::{font, Font, FontId};
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::traps as t;
use palm_abi::ui_layout::FNT_TAB_CHR_WIDTH;

/// Longest string read from guest memory.
pub const MAX_TEXT: u32 = 0x7FFF;

pub fn install(tb: &mut TrapTable) {
    tb.register(t::FNT_GET_FONT, fnt_get_font);
    tb.register(t::FNT_SET_FONT, fnt_set_font);
    tb.register(t::FNT_BASE_LINE, fnt_base_line);
    tb.register(t::FNT_CHAR_HEIGHT, fnt_char_height);
    tb.register(t::FNT_LINE_HEIGHT, fnt_line_height);
    tb.register(t::FNT_DESCENDER_HEIGHT, fnt_descender_height);
    tb.register(t::FNT_AVERAGE_CHAR_WIDTH, fnt_average_char_width);
    tb.register(t::FNT_CHAR_WIDTH, fnt_char_width);
    tb.register(t::FNT_W_CHAR_WIDTH, fnt_wchar_width);
    tb.register(t::FNT_CHARS_WIDTH, fnt_chars_width);
    tb.register(t::FNT_LINE_WIDTH, fnt_line_width);
    tb.register(t::FNT_CHARS_IN_WIDTH, fnt_chars_in_width);
    tb.register(t::FNT_WIDTH_TO_OFFSET, fnt_width_to_offset);
    tb.register(t::FNT_WORD_WRAP, fnt_word_wrap);
    tb.register(t::FNT_WORD_WRAP_REVERSE_N_LINES, fnt_word_wrap_reverse_n_lines);
    tb.register(t::FNT_GET_SCROLL_VALUES, fnt_get_scroll_values);
}

fn current(s: &Shim) -> &'static Font {
    font(s.ui.windows.font())
}

fn ret_i16(c: &mut TrapCall<'_>, v: i32) -> HandlerResult {
    c.ret(v.clamp(i16::MIN as i32, i16::MAX as i32) as i16 as u16 as u32);
    Ok(TrapOutcome::Continue)
}

fn text(mem: &dyn GuestMemory, p: u32, len: i32) -> Result<Vec<u8>, MemError> {
    if p == 0 || len <= 0 {
        return Ok(Vec::new());
    }
    mem.read_vec(p, (len as u32).min(MAX_TEXT))
}

fn cstr(mem: &dyn GuestMemory, p: u32) -> Result<Vec<u8>, MemError> {
    if p == 0 {
        return Ok(Vec::new());
    }
    mem.read_cstr(p, MAX_TEXT)
}

/// `FontID FntGetFont(void)`
fn fnt_get_font(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(s.ui.windows.state().font_id as u32);
    Ok(TrapOutcome::Continue)
}

/// `FontID FntSetFont(FontID font)`: returns the previous font.
fn fnt_set_font(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u8()?;
    let st = s.ui.windows.state_mut();
    let old = std::mem::replace(&mut st.font_id, id);
    st.draw.font = FontId::from_u8(id).unwrap_or(FontId::Std);
    s.ui.windows.sync_draw_state(c.mem)?;
    c.ret(old as u32);
    Ok(TrapOutcome::Continue)
}

/// `Int16 FntBaseLine(void)`: rows from the top of a line to the baseline (the ascent).
fn fnt_base_line(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let v = current(s).baseline();
    ret_i16(c, v)
}

/// `Int16 FntCharHeight(void)`: ascent + descent.
fn fnt_char_height(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let f = current(s);
    ret_i16(c, f.ascent + f.descent)
}

/// `Int16 FntLineHeight(void)`: the character height plus leading (our fonts have none).
fn fnt_line_height(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let v = current(s).line_height();
    ret_i16(c, v)
}

/// `Int16 FntDescenderHeight(void)`
fn fnt_descender_height(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let v = current(s).descent;
    ret_i16(c, v)
}

/// The mean advance of the printable ASCII characters, rounded.
pub fn average_char_width(f: &Font) -> i32 {
    let printable = 0x20u8..=0x7E;
    let n = printable.clone().count() as i32;
    (f.chars_width(&printable.collect::<Vec<_>>()) + n / 2) / n
}

/// `Int16 FntAverageCharWidth(void)`: the mean advance of the printable ASCII characters.
fn fnt_average_char_width(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let v = average_char_width(current(s));
    ret_i16(c, v)
}

/// `Int16 FntCharWidth(Char ch)`
fn fnt_char_width(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let ch = c.args().u8()?;
    let v = current(s).char_width(ch);
    ret_i16(c, v)
}

/// `Int16 FntWCharWidth(WChar iChar)`: characters above 0xFF measure as the missing-
/// character box.
fn fnt_wchar_width(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let ch = c.args().u16()?;
    let v = current(s).char_width(if ch <= 0xFF { ch as u8 } else { 0x7F });
    ret_i16(c, v)
}

/// `Int16 FntCharsWidth(const Char *chars, Int16 len)`
fn fnt_chars_width(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, len) = { let mut a = c.args(); (a.ptr()?, a.i16()?) };
    let t = text(c.mem, p, len as i32)?;
    let v = current(s).chars_width(&t);
    ret_i16(c, v)
}

/// The width of a line with tabs advancing to the next multiple of `fntTabChrWidth`.
pub fn line_width(f: &Font, text: &[u8]) -> i32 {
    text.iter().fold(0, |x, &ch| if ch == b'\t' { (x / FNT_TAB_CHR_WIDTH + 1) * FNT_TAB_CHR_WIDTH } else { x + f.char_width(ch) })
}

/// `Int16 FntLineWidth(const Char *pChars, UInt16 length)`: tabs advance to the next tab stop.
fn fnt_line_width(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, len) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let t = text(c.mem, p, len as i32)?;
    let v = line_width(current(s), &t);
    ret_i16(c, v)
}

/// `FntCharsInWidth` on host data: how much of `text` (at most `max_len` bytes, stopping at a
/// newline) fits in `max_width` pixels, with trailing spaces dropped from what fits. Returns
/// (length, width, whether all of the text fitted).
pub fn chars_in_width(f: &Font, text: &[u8], max_width: i32, max_len: usize) -> (usize, i32, bool) {
    let text = &text[..text.len().min(max_len)];
    let line_end = text.iter().position(|&b| b == b'\n').unwrap_or(text.len());
    let (mut n, mut w) = f.chars_in_width(&text[..line_end], max_width);
    let fits = n == text.len();
    while n > 0 && text[n - 1] == b' ' {
        n -= 1;
        w -= f.char_width(b' ');
    }
    (n, w, fits)
}

/// `void FntCharsInWidth(const Char *string, Int16 *stringWidthP, Int16 *stringLengthP,
/// Boolean *fitWithinWidth)`: in, the available width and the string's length; out, the
/// width and length of what fits (up to a newline, trailing spaces dropped), and whether the
/// whole string fitted.
fn fnt_chars_in_width(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, width_p, len_p, fit_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    if width_p == 0 || len_p == 0 {
        return Ok(TrapOutcome::Continue);
    }
    let max_width = c.mem.read_u16(width_p)? as i16 as i32;
    let max_len = (c.mem.read_u16(len_p)? as i16).max(0) as usize;
    let t = cstr(c.mem, p)?;
    let (n, w, fits) = chars_in_width(current(s), &t, max_width, max_len);
    c.mem.write_u16(width_p, w as u16)?;
    c.mem.write_u16(len_p, n as u16)?;
    if fit_p != 0 {
        c.mem.write_u8(fit_p, fits as u8)?;
    }
    Ok(TrapOutcome::Continue)
}

/// `FntWidthToOffset` on host data: the offset of the character at `pixel_width`, whether
/// the position is on its leading (left) half, and the width of the characters before it.
/// Past the end: (length, true, total width).
pub fn width_to_offset(f: &Font, text: &[u8], pixel_width: i32) -> (usize, bool, i32) {
    let mut x = 0;
    for (i, &ch) in text.iter().enumerate() {
        let w = f.char_width(ch);
        if pixel_width < x + w {
            return (i, pixel_width - x < (w + 1) / 2, x);
        }
        x += w;
    }
    (text.len(), true, x)
}

/// `Int16 FntWidthToOffset(const Char *pChars, UInt16 length, Int16 pixelWidth, Boolean
/// *leadingEdge, Int16 *truncWidth)`
fn fnt_width_to_offset(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, len, px, leading_p, trunc_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.i16()?, a.ptr()?, a.ptr()?) };
    let t = text(c.mem, p, len as i32)?;
    let (offset, leading, width) = width_to_offset(current(s), &t, px as i32);
    if leading_p != 0 {
        c.mem.write_u8(leading_p, leading as u8)?;
    }
    if trunc_p != 0 {
        c.mem.write_u16(trunc_p, width as u16)?;
    }
    ret_i16(c, offset as i32)
}

/// `UInt16 FntWordWrap(const Char *chars, UInt16 maxWidth)`: the length of the first line,
/// including the space or newline that ends it.
fn fnt_word_wrap(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, max_width) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let t = cstr(c.mem, p)?;
    let n = current(s).word_wrap(&t, max_width as i32);
    c.ret(n as u32);
    Ok(TrapOutcome::Continue)
}

/// The start offsets of the wrapped lines of `text` (the first is 0; an empty text has one
/// empty line).
pub fn line_starts(f: &Font, text: &[u8], max_width: i32) -> Vec<usize> {
    let mut starts = vec![0];
    let mut at = 0;
    while at < text.len() {
        let n = f.word_wrap(&text[at..], max_width).max(1);
        at += n;
        if at < text.len() {
            starts.push(at);
        }
    }
    starts
}

/// The line (index into `starts`) holding offset `pos`.
fn line_of(starts: &[usize], pos: usize) -> usize {
    starts.iter().rposition(|&s| s <= pos).unwrap_or(0)
}

/// `void FntWordWrapReverseNLines(const Char *chars, UInt16 maxWidth, UInt16
/// *linesToScrollP, UInt16 *scrollPosP)`: moves `*scrollPosP` back by `*linesToScrollP`
/// wrapped lines (to a line start); `*linesToScrollP` becomes the lines actually moved.
fn fnt_word_wrap_reverse_n_lines(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, max_width, lines_p, pos_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?, a.ptr()?) };
    if lines_p == 0 || pos_p == 0 {
        return Ok(TrapOutcome::Continue);
    }
    let lines = c.mem.read_u16(lines_p)? as usize;
    let pos = c.mem.read_u16(pos_p)? as usize;
    let t = cstr(c.mem, p)?;
    let starts = line_starts(current(s), &t, max_width as i32);
    let line = line_of(&starts, pos.min(t.len()));
    let target = line.saturating_sub(lines);
    c.mem.write_u16(pos_p, starts[target] as u16)?;
    c.mem.write_u16(lines_p, (line - target) as u16)?;
    Ok(TrapOutcome::Continue)
}

/// `void FntGetScrollValues(const Char *chars, UInt16 width, UInt16 scrollPos, UInt16
/// *linesP, UInt16 *topLine)`: the number of wrapped lines and the line holding `scrollPos`.
fn fnt_get_scroll_values(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, width, pos, lines_p, top_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.u16()?, a.ptr()?, a.ptr()?) };
    let t = cstr(c.mem, p)?;
    let starts = line_starts(current(s), &t, width as i32);
    if lines_p != 0 {
        c.mem.write_u16(lines_p, starts.len() as u16)?;
    }
    if top_p != 0 {
        c.mem.write_u16(top_p, line_of(&starts, (pos as usize).min(t.len())) as u16)?;
    }
    Ok(TrapOutcome::Continue)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Arg::*, Rig};
    use super::*;
    use palm_abi::ui_layout::{BOLD_FONT, LARGE_FONT, LED_FONT, STD_FONT};

    const TEXT: u32 = 0x1000;
    const OUT: u32 = 0x1800;

    fn d0_i16(r: &Rig) -> i16 {
        r.d0() as u16 as i16
    }

    #[test]
    fn set_font_returns_the_old_one_and_metrics_follow() {
        let mut r = Rig::new();
        r.call(t::FNT_GET_FONT, &[]).unwrap();
        assert_eq!(r.d0(), STD_FONT as u32);
        r.call(t::FNT_SET_FONT, &[B(LARGE_FONT)]).unwrap();
        assert_eq!(r.d0(), STD_FONT as u32);
        let large = font(FontId::Large);
        r.call(t::FNT_LINE_HEIGHT, &[]).unwrap();
        assert_eq!(d0_i16(&r) as i32, large.line_height());
        r.call(t::FNT_BASE_LINE, &[]).unwrap();
        assert_eq!(d0_i16(&r) as i32, large.ascent);
        r.call(t::FNT_CHAR_HEIGHT, &[]).unwrap();
        assert_eq!(d0_i16(&r) as i32, large.ascent + large.descent);
        r.call(t::FNT_DESCENDER_HEIGHT, &[]).unwrap();
        assert_eq!(d0_i16(&r) as i32, large.descent);
        r.call(t::FNT_SET_FONT, &[B(LED_FONT)]).unwrap();
        assert_eq!(r.d0(), LARGE_FONT as u32);
        r.call(t::FNT_GET_FONT, &[]).unwrap();
        assert_eq!(r.d0(), LED_FONT as u32, "unknown fonts are remembered as set");
        r.call(t::FNT_LINE_HEIGHT, &[]).unwrap();
        assert_eq!(d0_i16(&r) as i32, font(FontId::Std).line_height(), "and measured as stdFont");
    }

    #[test]
    fn widths_through_traps() {
        let mut r = Rig::new();
        r.call(t::FNT_SET_FONT, &[B(BOLD_FONT)]).unwrap();
        let bold = font(FontId::Bold);
        r.mem.write(TEXT, b"Hello, Palm\0").unwrap();
        r.call(t::FNT_CHARS_WIDTH, &[L(TEXT), W(5)]).unwrap();
        assert_eq!(d0_i16(&r) as i32, bold.chars_width(b"Hello"));
        r.call(t::FNT_CHARS_WIDTH, &[L(TEXT), W(-3i16 as u16)]).unwrap();
        assert_eq!(r.d0(), 0, "negative length is empty");
        r.call(t::FNT_CHARS_WIDTH, &[L(0), W(40)]).unwrap();
        assert_eq!(r.d0(), 0, "NULL is empty");
        r.call(t::FNT_CHAR_WIDTH, &[B(b'W')]).unwrap();
        assert_eq!(d0_i16(&r) as i32, bold.char_width(b'W'));
        r.call(t::FNT_W_CHAR_WIDTH, &[W(0x3042)]).unwrap();
        assert_eq!(d0_i16(&r) as i32, bold.char_width(0x7F));
        r.call(t::FNT_AVERAGE_CHAR_WIDTH, &[]).unwrap();
        let avg = d0_i16(&r) as i32;
        assert!(avg > 2 && avg < 8, "{avg}");
        r.mem.write(TEXT, b"a\tb").unwrap();
        r.call(t::FNT_LINE_WIDTH, &[L(TEXT), W(3)]).unwrap();
        assert_eq!(d0_i16(&r) as i32, FNT_TAB_CHR_WIDTH + bold.char_width(b'b'));
    }

    #[test]
    fn chars_in_width_and_width_to_offset() {
        let mut r = Rig::new();
        let std = font(FontId::Std);
        r.mem.write(TEXT, b"one two three\0").unwrap();
        let avail = std.chars_width(b"one two") + 2;
        r.mem.write_u16(OUT, avail as u16).unwrap();
        r.mem.write_u16(OUT + 2, 13).unwrap();
        r.call(t::FNT_CHARS_IN_WIDTH, &[L(TEXT), L(OUT), L(OUT + 2), L(OUT + 4)]).unwrap();
        assert_eq!(r.mem.read_u16(OUT + 2).unwrap(), 7, "'one two' fits; the next space is dropped");
        assert_eq!(r.mem.read_u16(OUT).unwrap() as i32, std.chars_width(b"one two"));
        assert_eq!(r.mem.read_u8(OUT + 4).unwrap(), 0);
        r.mem.write_u16(OUT, 1000).unwrap();
        r.mem.write_u16(OUT + 2, 3).unwrap();
        r.call(t::FNT_CHARS_IN_WIDTH, &[L(TEXT), L(OUT), L(OUT + 2), L(OUT + 4)]).unwrap();
        assert_eq!((r.mem.read_u16(OUT + 2).unwrap(), r.mem.read_u8(OUT + 4).unwrap()), (3, 1));
        // Pixel position -> offset.
        let w_o = std.char_width(b'o');
        r.call(t::FNT_WIDTH_TO_OFFSET, &[L(TEXT), W(3), W((w_o + 1) as u16), L(OUT), L(OUT + 2)]).unwrap();
        assert_eq!(r.d0(), 1);
        assert_eq!(r.mem.read_u16(OUT + 2).unwrap() as i32, w_o);
        assert_eq!(r.mem.read_u8(OUT).unwrap(), 1, "left half of 'n'");
        r.call(t::FNT_WIDTH_TO_OFFSET, &[L(TEXT), W(3), W(500), L(0), L(0)]).unwrap();
        assert_eq!(r.d0(), 3, "past the end");
    }

    #[test]
    fn word_wrap_and_reverse() {
        let mut r = Rig::new();
        let std = font(FontId::Std);
        let text = b"alpha beta gamma\0";
        r.mem.write(TEXT, text).unwrap();
        let width = std.chars_width(b"alpha beta ") as u16;
        r.call(t::FNT_WORD_WRAP, &[L(TEXT), W(width)]).unwrap();
        assert_eq!(r.d0(), 11, "'alpha beta ' including the space");
        let starts = line_starts(std, &text[..text.len() - 1], width as i32);
        assert_eq!(starts, vec![0, 11]);
        // Scroll back one line from the start of the second line.
        r.mem.write_u16(OUT, 5).unwrap();
        r.mem.write_u16(OUT + 2, 13).unwrap();
        r.call(t::FNT_WORD_WRAP_REVERSE_N_LINES, &[L(TEXT), W(width), L(OUT), L(OUT + 2)]).unwrap();
        assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap()), (1, 0));
        r.call(t::FNT_GET_SCROLL_VALUES, &[L(TEXT), W(width), W(13), L(OUT), L(OUT + 2)]).unwrap();
        assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap()), (2, 1));
        // NULL text and bad pointers.
        r.call(t::FNT_WORD_WRAP, &[L(0), W(10)]).unwrap();
        assert_eq!(r.d0(), 0);
        let e = r.call(t::FNT_WORD_WRAP, &[L(0x0FFF_0000), W(10)]).unwrap_err();
        assert!(matches!(e, crate::TrapError::GuestMemory { .. }), "{e}");
    }
}
