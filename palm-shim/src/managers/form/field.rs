//! Text fields (`FieldType`): their text storage, word-wrapped drawing with underlines, a
//! selection and the insertion point, key input, and the `Fld*` traps.
//!
//! # Text storage
//! A field shows `textLen` bytes at `text`. The text lives in one of:
//! - a handle the field allocated itself (the user typed into an empty field): a
//!   dynamic-heap chunk of the current application, kept locked while attached;
//! - a handle the application gave it (`FldSetTextHandle`, `FldSetText` with an offset and a
//!   size), locked while attached and unlocked when replaced (`FldSetTextHandle(NULL)`), never
//!   freed by replacing; `FldFreeMemory` and `FrmDeleteForm` free the attached handle;
//! - a plain string (`FldSetTextPtr`), which is never resized: editing is limited to its
//!   `textBlockSize` (its length + 1).
//!
//! Editing grows a handle (unlocking it for the resize, in steps of [`GROW_STEP`] bytes)
//! and keeps the text NUL-terminated; `maxChars` bounds the length (0 = no limit here).
//!
//! # Our conventions for the internal fields
//! `insPtXPos` holds the insertion point as a byte offset into the text and `insPtYPos` its
//! line; `selFirstPos`/`selLastPos` a selection (none when equal). Fields do not scroll: a
//! multi-line field shows its first lines, `FldGetScrollPosition` is 0 and `FldScrollable`
//! false.

use super::draw::{font_of, object_canvas, Canvas};
use super::{done, null_object, rest, post, read_event, read_field};
use crate::dispatch::{HandlerResult, TrapCall, TrapTable};
use crate::graphics::{self as g, Font, Rect};
use crate::managers::memory_mgr::DYNAMIC_HEAP_ID;
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::traps as t;
use palm_abi::ui_layout::*;

const FILE: &str = "Field.c";
/// Handles the field allocates or grows are sized in multiples of this.
pub const GROW_STEP: u32 = 16;

pub fn install(tb: &mut TrapTable) {
    tb.register(t::FLD_DRAW_FIELD, fld_draw_field);
    tb.register(t::FLD_ERASE_FIELD, fld_erase_field);
    tb.register(t::FLD_FREE_MEMORY, fld_free_memory);
    tb.register(t::FLD_GET_BOUNDS, fld_get_bounds);
    tb.register(t::FLD_SET_BOUNDS, fld_set_bounds);
    tb.register(t::FLD_GET_TEXT_PTR, fld_get_text_ptr);
    tb.register(t::FLD_GET_TEXT_HANDLE, fld_get_text_handle);
    tb.register(t::FLD_GET_TEXT_LENGTH, fld_get_text_length);
    tb.register(t::FLD_GET_TEXT_ALLOCATED_SIZE, fld_get_text_allocated_size);
    tb.register(t::FLD_SET_TEXT_PTR, fld_set_text_ptr);
    tb.register(t::FLD_SET_TEXT_HANDLE, fld_set_text_handle);
    tb.register(t::FLD_SET_TEXT, fld_set_text);
    tb.register(t::FLD_INSERT, fld_insert);
    tb.register(t::FLD_DELETE, fld_delete);
    tb.register(t::FLD_GET_SELECTION, fld_get_selection);
    tb.register(t::FLD_SET_SELECTION, fld_set_selection);
    tb.register(t::FLD_GET_INS_PT_POSITION, fld_get_ins_pt_position);
    tb.register(t::FLD_SET_INS_PT_POSITION, fld_set_ins_pt_position);
    tb.register(t::FLD_SET_INSERTION_POINT, fld_set_ins_pt_position);
    tb.register(t::FLD_GRAB_FOCUS, fld_grab_focus);
    tb.register(t::FLD_RELEASE_FOCUS, fld_release_focus);
    tb.register(t::FLD_HANDLE_EVENT, fld_handle_event);
    tb.register(t::FLD_GET_FONT, fld_get_font);
    tb.register(t::FLD_SET_FONT, fld_set_font);
    tb.register(t::FLD_GET_MAX_CHARS, fld_get_max_chars);
    tb.register(t::FLD_SET_MAX_CHARS, fld_set_max_chars);
    tb.register(t::FLD_DIRTY, fld_dirty);
    tb.register(t::FLD_SET_DIRTY, fld_set_dirty);
    tb.register(t::FLD_GET_ATTRIBUTES, fld_get_attributes);
    tb.register(t::FLD_SET_ATTRIBUTES, fld_set_attributes);
    tb.register(t::FLD_SET_USABLE, fld_set_usable);
    tb.register(t::FLD_RECALCULATE_FIELD, fld_recalculate_field);
    tb.register(t::FLD_GET_VISIBLE_LINES, fld_get_visible_lines);
    tb.register(t::FLD_GET_SCROLL_POSITION, fld_get_scroll_position);
    tb.register(t::FLD_SCROLLABLE, fld_scrollable);
    tb.register(t::FLD_GET_TEXT_HEIGHT, fld_get_text_height);
    tb.register(t::FLD_COMPACT_TEXT, fld_compact_text);
}

// ---- Text and layout --------------------------------------------------------------------------

fn write_field(mem: &mut dyn GuestMemory, p: u32, f: &FieldType) -> Result<(), MemError> {
    mem.write(p, &f.encode())
}

/// The field's text (`textLen` bytes at `text`; empty without text).
pub(crate) fn text_of(mem: &dyn GuestMemory, f: &FieldType) -> Result<Vec<u8>, MemError> {
    if f.text == 0 || f.text_len == 0 {
        return Ok(Vec::new());
    }
    mem.read_vec(f.text, f.text_len.min(MAX_FIELD_TEXT_LEN) as u32)
}

/// One displayed line: where it starts and how many bytes it takes (its line end included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Line {
    start: usize,
    len: usize,
}

impl Line {
    /// The bytes drawn (without a trailing newline).
    fn shown<'a>(&self, text: &'a [u8]) -> &'a [u8] {
        let l = &text[self.start..self.start + self.len];
        l.strip_suffix(b"\n").unwrap_or(l)
    }
}

/// The lines of `text` in a field `width` pixels wide: a single-line field has one line; a
/// multi-line one wraps words, and text ending in a newline has an empty last line.
fn layout(font: &Font, text: &[u8], width: i32, single_line: bool) -> Vec<Line> {
    if single_line {
        return vec![Line { start: 0, len: text.len() }];
    }
    let mut lines = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let n = font.word_wrap(&text[at..], width.max(1)).max(1);
        lines.push(Line { start: at, len: n });
        at += n;
    }
    if lines.is_empty() || text.last() == Some(&b'\n') {
        lines.push(Line { start: text.len(), len: 0 });
    }
    lines
}

/// The line holding byte offset `pos`, and `pos`'s x offset in it.
fn locate(font: &Font, text: &[u8], lines: &[Line], pos: usize) -> (usize, i32) {
    let mut line = 0;
    for (i, l) in lines.iter().enumerate() {
        if pos >= l.start {
            line = i;
        }
    }
    let l = lines[line];
    let end = pos.min(l.start + l.shown(text).len()).max(l.start);
    (line, font.chars_width(&text[l.start..end]))
}

/// The byte offset nearest to x offset `x` on line `line`.
fn offset_at(font: &Font, text: &[u8], lines: &[Line], line: usize, x: i32) -> usize {
    let l = lines[line.min(lines.len() - 1)];
    let shown = l.shown(text);
    let mut acc = 0;
    for (i, &c) in shown.iter().enumerate() {
        let w = font.char_width(c);
        if x < acc + w / 2 {
            return l.start + i;
        }
        acc += w;
    }
    l.start + shown.len()
}

struct Geometry {
    font: g::FontId,
    lines: Vec<Line>,
    visible: usize,
}

fn geometry(f: &FieldType, text: &[u8]) -> Geometry {
    let font = font_of(f.font_id);
    let fnt = g::font(font);
    let lines = layout(fnt, text, f.rect.width as i32, f.has_attr(FLD_ATTR_SINGLE_LINE));
    let visible = ((f.rect.height as i32) / fnt.line_height()).max(1) as usize;
    Geometry { font, lines, visible }
}

// ---- Drawing ------------------------------------------------------------------------------

/// Draws a usable field: its text, underlines, selection and (with the focus) the insertion
/// point; marks it visible.
pub(crate) fn draw(mem: &mut dyn GuestMemory, cv: &Canvas, p: u32) -> Result<(), MemError> {
    let mut f = read_field(mem, p)?;
    if !f.has_attr(FLD_ATTR_USABLE) {
        return Ok(());
    }
    f.attr |= FLD_ATTR_VISIBLE;
    let text = text_of(mem, &f)?;
    let geo = geometry(&f, &text);
    let fnt = g::font(geo.font);
    let lh = fnt.line_height();
    let r = cv.rect(&f.rect);
    let st = cv.st();
    let surface = &cv.surface;
    g::erase_rectangle(surface, mem, &st, &r, 0)?;
    for i in 0..geo.visible {
        let top = r.top + i as i32 * lh;
        if let Some(line) = geo.lines.get(i) {
            let shown = line.shown(&text);
            let w = fnt.chars_width(shown);
            let x = match (f.has_attr(FLD_ATTR_SINGLE_LINE), f.justification()) {
                (true, CENTER_ALIGN) => r.left + (r.width - w) / 2,
                (true, RIGHT_ALIGN) => r.left + r.width - w,
                _ => r.left,
            };
            g::draw_chars(surface, mem, &st, geo.font, shown, x, top)?;
            let (s0, s1) = (f.sel_first_pos as usize, f.sel_last_pos as usize);
            if s0 < s1 {
                let a = s0.clamp(line.start, line.start + shown.len());
                let b = s1.clamp(line.start, line.start + shown.len());
                if a < b {
                    let xa = x + fnt.chars_width(&text[line.start..a]);
                    let xb = x + fnt.chars_width(&text[line.start..b]);
                    g::invert_rectangle(surface, mem, &st, &Rect::new(xa, top, xb - xa, lh), 0)?;
                }
            }
        }
        let y = top + lh - 1;
        match f.underlined() {
            GRAY_UNDERLINE => g::draw_gray_line(surface, mem, &st, r.left, y, r.left + r.width - 1, y)?,
            SOLID_UNDERLINE | COLOR_UNDERLINE => g::draw_line(surface, mem, &st, r.left, y, r.left + r.width - 1, y)?,
            _ => {}
        }
    }
    let ins = (f.ins_pt_x_pos as usize).min(text.len());
    let (line, x) = locate(fnt, &text, &geo.lines, ins);
    f.ins_pt_y_pos = line as u16;
    let focused = f.has_attr(FLD_ATTR_HAS_FOCUS) && f.has_attr(FLD_ATTR_EDITABLE);
    if focused && f.sel_first_pos == f.sel_last_pos && line < geo.visible {
        let lx = match (f.has_attr(FLD_ATTR_SINGLE_LINE), f.justification()) {
            (true, CENTER_ALIGN) => r.left + (r.width - fnt.chars_width(geo.lines[0].shown(&text))) / 2,
            (true, RIGHT_ALIGN) => r.left + r.width - fnt.chars_width(geo.lines[0].shown(&text)),
            _ => r.left,
        };
        let cx = if x > 0 { lx + x - 1 } else { lx };
        let top = r.top + line as i32 * lh;
        g::draw_line(surface, mem, &st, cx, top, cx, top + fnt.height - 1)?;
    }
    write_field(mem, p, &f)
}

/// Redraws a visible field.
fn redraw(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemError> {
    if read_field(mem, p)?.has_attr(FLD_ATTR_VISIBLE) {
        if let Some(cv) = object_canvas(s, mem, p)? {
            draw(mem, &cv, p)?;
        }
    }
    Ok(())
}

/// Erases a field's rectangle; it is no longer visible.
pub(crate) fn erase(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemError> {
    let mut f = read_field(mem, p)?;
    if let Some(cv) = object_canvas(s, mem, p)? {
        super::draw::erase(&cv, mem, &f.rect)?;
    }
    f.attr &= !FLD_ATTR_VISIBLE;
    write_field(mem, p, &f)
}

// ---- Storage and editing --------------------------------------------------------------------

fn round_up(n: u32) -> u32 {
    n.div_ceil(GROW_STEP) * GROW_STEP
}

/// Makes room for `len` bytes of text plus its NUL; returns the updated field, or `None`
/// when the text cannot grow (a plain string, or the heap is full).
fn reserve(s: &mut Shim, mem: &mut dyn GuestMemory, mut f: FieldType, len: u32) -> Result<Option<FieldType>, MemError> {
    let need = len + 1;
    if f.text_handle != 0 {
        let Ok(info) = s.memory.handle_info(mem, f.text_handle) else { return Ok(None) };
        let offset = if f.text >= info.data && f.text < info.data + info.data_size.max(1) { f.text - info.data } else { 0 };
        let mut size = info.data_size;
        let mut base = info.data;
        if offset + need > size {
            let _ = s.memory.unlock_handle(mem, f.text_handle);
            let grown = s.memory.resize_handle(mem, f.text_handle, round_up(offset + need));
            base = match s.memory.lock_handle(mem, f.text_handle) {
                Ok(b) => b,
                Err(_) => return Ok(None),
            };
            if grown.is_err() {
                return Ok(None);
            }
            size = round_up(offset + need);
        }
        f.text = base + offset;
        f.text_block_size = (size - offset).min(u16::MAX as u32) as u16;
        return Ok(Some(f));
    }
    if f.text != 0 {
        return Ok((need <= f.text_block_size as u32).then_some(f));
    }
    let owner = s.memory.current_owner();
    let Ok(h) = s.memory.alloc_handle(mem, DYNAMIC_HEAP_ID, round_up(need), owner) else { return Ok(None) };
    let Ok(ptr) = s.memory.lock_handle(mem, h) else { return Ok(None) };
    f.text_handle = h;
    f.text = ptr;
    f.text_block_size = round_up(need).min(u16::MAX as u32) as u16;
    Ok(Some(f))
}

/// Replaces bytes `start..end` of the text with `insert`; the insertion point ends after the
/// inserted bytes and the selection is cleared. False (nothing changes) when the result
/// would exceed `maxChars` or the text cannot grow.
pub(crate) fn replace(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, start: usize, end: usize, insert: &[u8]) -> Result<bool, MemError> {
    let f = read_field(mem, p)?;
    let text = text_of(mem, &f)?;
    let (start, end) = (start.min(text.len()), end.min(text.len()));
    let (start, end) = (start.min(end), start.max(end));
    let mut new = Vec::with_capacity(text.len() - (end - start) + insert.len());
    new.extend_from_slice(&text[..start]);
    new.extend_from_slice(insert);
    new.extend_from_slice(&text[end..]);
    let max = if f.max_chars == 0 { MAX_FIELD_TEXT_LEN } else { f.max_chars.min(MAX_FIELD_TEXT_LEN) };
    if new.len() > max as usize && !insert.is_empty() {
        return Ok(false);
    }
    let Some(mut f) = reserve(s, mem, f, new.len() as u32)? else { return Ok(false) };
    mem.write(f.text, &new)?;
    mem.write_u8(f.text.wrapping_add(new.len() as u32), 0)?;
    f.text_len = new.len() as u16;
    let ins = (start + insert.len()) as u16;
    f.ins_pt_x_pos = ins;
    f.sel_first_pos = ins;
    f.sel_last_pos = ins;
    f.attr |= FLD_ATTR_DIRTY;
    write_field(mem, p, &f)?;
    redraw(s, mem, p)?;
    Ok(true)
}

/// The selection if there is one, else the insertion point twice.
fn selection_or_ins(f: &FieldType) -> (usize, usize) {
    if f.sel_first_pos < f.sel_last_pos {
        (f.sel_first_pos as usize, f.sel_last_pos as usize)
    } else {
        (f.ins_pt_x_pos as usize, f.ins_pt_x_pos as usize)
    }
}

/// Moves the insertion point (clearing the selection) and redraws.
fn set_ins(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, pos: usize) -> Result<(), MemError> {
    let mut f = read_field(mem, p)?;
    let pos = pos.min(f.text_len as usize) as u16;
    f.ins_pt_x_pos = pos;
    f.sel_first_pos = pos;
    f.sel_last_pos = pos;
    write_field(mem, p, &f)?;
    redraw(s, mem, p)
}

/// Detaches the text: unlocks an attached handle (not freed), clears the text fields.
fn detach(s: &mut Shim, mem: &mut dyn GuestMemory, f: &mut FieldType) {
    if f.text_handle != 0 {
        if let Err(e) = s.memory.unlock_handle(mem, f.text_handle) {
            log::debug!("field: unlocking text handle {:#010x}: {e}", f.text_handle);
        }
    }
    f.text = 0;
    f.text_handle = 0;
    f.text_len = 0;
    f.text_block_size = 0;
    f.ins_pt_x_pos = 0;
    f.ins_pt_y_pos = 0;
    f.sel_first_pos = 0;
    f.sel_last_pos = 0;
}

/// Attaches `h` with the text at `offset`, `size` bytes available (the rest of the chunk
/// when `size` is `None`); the handle is locked while attached.
fn attach(s: &mut Shim, mem: &mut dyn GuestMemory, f: &mut FieldType, h: u32, offset: u32, size: Option<u32>) -> Result<(), MemError> {
    let Ok(info) = s.memory.handle_info(mem, h) else {
        log::warn!("field: {h:#010x} is not a handle");
        return Ok(());
    };
    let Ok(base) = s.memory.lock_handle(mem, h) else { return Ok(()) };
    let offset = offset.min(info.data_size);
    let avail = size.unwrap_or(info.data_size - offset).min(info.data_size - offset);
    let text = mem.read_vec(base + offset, avail.min(MAX_FIELD_TEXT_LEN as u32 + 1))?;
    let len = text.iter().position(|&c| c == 0).unwrap_or(text.len()).min(MAX_FIELD_TEXT_LEN as usize);
    f.text_handle = h;
    f.text = base + offset;
    f.text_len = len as u16;
    f.text_block_size = avail.min(u16::MAX as u32) as u16;
    Ok(())
}

/// `FldFreeMemory`: frees an attached text handle and clears the text.
pub(crate) fn free_memory(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemError> {
    let mut f = read_field(mem, p)?;
    let h = f.text_handle;
    detach(s, mem, &mut f);
    if h != 0 {
        if let Err(e) = s.memory.free_handle(mem, h) {
            log::warn!("field: freeing text handle {h:#010x}: {e}");
        }
    }
    write_field(mem, p, &f)
}

/// Gives the field the focus (or takes it away) and redraws it.
pub(crate) fn set_focus(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, on: bool) -> Result<(), MemError> {
    let mut f = read_field(mem, p)?;
    if on { f.attr |= FLD_ATTR_HAS_FOCUS } else { f.attr &= !FLD_ATTR_HAS_FOCUS }
    write_field(mem, p, &f)?;
    redraw(s, mem, p)
}

/// Puts the insertion point where the pen is (`x`, `y` in the field's window coordinates).
pub(crate) fn place_insertion_point(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, x: i32, y: i32) -> Result<(), MemError> {
    let f = read_field(mem, p)?;
    let text = text_of(mem, &f)?;
    let geo = geometry(&f, &text);
    let fnt = g::font(geo.font);
    let line = ((y - f.rect.y as i32) / fnt.line_height()).clamp(0, geo.lines.len() as i32 - 1) as usize;
    let pos = offset_at(fnt, &text, &geo.lines, line, x - f.rect.x as i32);
    set_ins(s, mem, p, pos)
}

/// A key for the field: printable characters replace the selection (editable fields only;
/// numeric fields take digits and `.`), backspace deletes, the arrows move the insertion
/// point, a line feed is a character in multi-line fields. Returns whether it was handled.
pub(crate) fn handle_key(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, chr: u16, modifiers: u16) -> Result<bool, MemError> {
    let f = read_field(mem, p)?;
    if !f.has_attr(FLD_ATTR_USABLE) || modifiers & COMMAND_KEY_MASK != 0 {
        return Ok(false);
    }
    let editable = f.has_attr(FLD_ATTR_EDITABLE);
    let (a, b) = selection_or_ins(&f);
    let text = text_of(mem, &f)?;
    let geo = geometry(&f, &text);
    let fnt = g::font(geo.font);
    match chr {
        CHR_BACKSPACE => {
            if !editable {
                return Ok(false);
            }
            if a < b {
                replace(s, mem, p, a, b, b"")?;
            } else if a > 0 {
                replace(s, mem, p, a - 1, a, b"")?;
            }
            Ok(true)
        }
        CHR_LEFT_ARROW => {
            let pos = if a < b { a } else { a.saturating_sub(1) };
            set_ins(s, mem, p, pos)?;
            Ok(true)
        }
        CHR_RIGHT_ARROW => {
            let pos = if a < b { b } else { (b + 1).min(text.len()) };
            set_ins(s, mem, p, pos)?;
            Ok(true)
        }
        CHR_UP_ARROW | CHR_DOWN_ARROW => {
            let (line, x) = locate(fnt, &text, &geo.lines, a);
            let target = if chr == CHR_UP_ARROW { line.checked_sub(1) } else { Some(line + 1).filter(|&l| l < geo.lines.len()) };
            match target {
                Some(l) => {
                    set_ins(s, mem, p, offset_at(fnt, &text, &geo.lines, l, x))?;
                    Ok(true)
                }
                None => Ok(false),
            }
        }
        CHR_LINE_FEED | CHR_CARRIAGE_RETURN => {
            if !editable || f.has_attr(FLD_ATTR_SINGLE_LINE) {
                return Ok(false);
            }
            replace(s, mem, p, a, b, b"\n")?;
            Ok(true)
        }
        0x20..=0xFF if chr != CHR_DELETE => {
            if !editable {
                return Ok(false);
            }
            let c = chr as u8;
            if f.has_attr(FLD_ATTR_NUMERIC) && !(c.is_ascii_digit() || c == b'.') {
                return Ok(true);
            }
            replace(s, mem, p, a, b, &[c])?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// The pen-down event on a field becomes a queued `fldEnterEvent`.
pub(crate) fn enter(s: &mut Shim, f: &FieldType, p: u32, pen: &EventType) {
    let mut e = EventType::new(FLD_ENTER_EVENT);
    e.pen_down = true;
    e.screen_x = pen.screen_x;
    e.screen_y = pen.screen_y;
    e.set_u16(event_data::fld_enter::FIELD_ID, f.id);
    e.set_u32(event_data::fld_enter::P_FIELD, p);
    post(s, e);
}

// ---- Traps ----------------------------------------------------------------------------------

macro_rules! field_or_fail {
    ($c:expr) => {{
        let p = $c.args().ptr()?;
        if p == 0 {
            return null_object($c, FILE, "field");
        }
        p
    }};
}


fn ret_u16(c: &mut TrapCall<'_>, v: u16) -> HandlerResult {
    c.ret(v as u32);
    done()
}

/// `void FldDrawField(FieldType *fldP)`
fn fld_draw_field(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    if let Some(cv) = object_canvas(s, c.mem, p)? {
        draw(c.mem, &cv, p)?;
    }
    done()
}

/// `void FldEraseField(FieldType *fldP)`
fn fld_erase_field(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    erase(s, c.mem, p)?;
    done()
}

/// `void FldFreeMemory(FieldType *fldP)`
fn fld_free_memory(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    free_memory(s, c.mem, p)?;
    done()
}

/// `void FldGetBounds(const FieldType *fldP, RectanglePtr rect)`
fn fld_get_bounds(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let r_p = rest(c).ptr()?;
    let f = read_field(c.mem, p)?;
    if r_p != 0 {
        c.mem.write(r_p, &f.rect.encode())?;
    }
    done()
}

/// `void FldSetBounds(FieldType *fldP, const RectangleType *rP)`
fn fld_set_bounds(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let r_p = rest(c).ptr()?;
    if r_p != 0 {
        let r = super::read_rect_at(c.mem, r_p)?;
        let visible = read_field(c.mem, p)?.has_attr(FLD_ATTR_VISIBLE);
        if visible {
            erase(s, c.mem, p)?;
        }
        c.mem.write(p.wrapping_add(FieldType::RECT), &r.encode())?;
        if visible {
            if let Some(cv) = object_canvas(s, c.mem, p)? {
                draw(c.mem, &cv, p)?;
            }
        }
    }
    done()
}

/// `Char *FldGetTextPtr(const FieldType *fldP)`
fn fld_get_text_ptr(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    c.ret_ptr(f.text);
    done()
}

/// `MemHandle FldGetTextHandle(const FieldType *fldP)`
fn fld_get_text_handle(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    c.ret_ptr(f.text_handle);
    done()
}

/// `UInt16 FldGetTextLength(const FieldType *fldP)`
fn fld_get_text_length(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    ret_u16(c, f.text_len)
}

/// `UInt16 FldGetTextAllocatedSize(const FieldType *fldP)`
fn fld_get_text_allocated_size(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    ret_u16(c, f.text_block_size)
}

/// `void FldSetTextPtr(FieldType *fldP, Char *textP)`: shows the caller's string (not
/// resized by editing); a visible field is redrawn.
fn fld_set_text_ptr(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let text_p = rest(c).ptr()?;
    let mut f = read_field(c.mem, p)?;
    detach(s, c.mem, &mut f);
    if text_p != 0 {
        let len = c.mem.read_cstr(text_p, MAX_FIELD_TEXT_LEN as u32)?.len() as u16;
        f.text = text_p;
        f.text_len = len;
        f.text_block_size = len + 1;
    }
    write_field(c.mem, p, &f)?;
    redraw(s, c.mem, p)?;
    done()
}

/// `void FldSetTextHandle(FieldType *fldP, MemHandle textHandle)`: the field edits the
/// handle's text (from its start); the previous handle is unlocked, not freed. No redraw.
fn fld_set_text_handle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let h = rest(c).ptr()?;
    let mut f = read_field(c.mem, p)?;
    detach(s, c.mem, &mut f);
    if h != 0 {
        attach(s, c.mem, &mut f, h, 0, None)?;
    }
    write_field(c.mem, p, &f)?;
    done()
}

/// `void FldSetText(FieldType *fldP, MemHandle textHandle, UInt16 offset, UInt16 size)`
fn fld_set_text(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let (h, offset, size) = { let mut a = rest(c); (a.ptr()?, a.u16()?, a.u16()?) };
    let mut f = read_field(c.mem, p)?;
    detach(s, c.mem, &mut f);
    if h != 0 {
        attach(s, c.mem, &mut f, h, offset as u32, Some(size as u32))?;
    }
    write_field(c.mem, p, &f)?;
    done()
}

/// `Boolean FldInsert(FieldType *fldP, const Char *insertChars, UInt16 insertLen)`:
/// replaces the selection (or inserts at the insertion point).
fn fld_insert(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let (chars_p, len) = { let mut a = rest(c); (a.ptr()?, a.u16()?) };
    let bytes = if chars_p == 0 { Vec::new() } else { c.mem.read_vec(chars_p, len.min(MAX_FIELD_TEXT_LEN) as u32)? };
    let f = read_field(c.mem, p)?;
    let (a, b) = selection_or_ins(&f);
    let ok = replace(s, c.mem, p, a, b, &bytes)?;
    c.ret(ok as u32);
    done()
}

/// `void FldDelete(FieldType *fldP, UInt16 start, UInt16 end)`
fn fld_delete(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let (start, end) = { let mut a = rest(c); (a.u16()?, a.u16()?) };
    replace(s, c.mem, p, start as usize, end as usize, b"")?;
    done()
}

/// `void FldGetSelection(const FieldType *fldP, UInt16 *startPosition, UInt16 *endPosition)`
fn fld_get_selection(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let (a_p, b_p) = { let mut a = rest(c); (a.ptr()?, a.ptr()?) };
    let f = read_field(c.mem, p)?;
    let (a, b) = selection_or_ins(&f);
    if a_p != 0 {
        c.mem.write_u16(a_p, a as u16)?;
    }
    if b_p != 0 {
        c.mem.write_u16(b_p, b as u16)?;
    }
    done()
}

/// `void FldSetSelection(FieldType *fldP, UInt16 startPosition, UInt16 endPosition)`
fn fld_set_selection(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let (a, b) = { let mut r = rest(c); (r.u16()?, r.u16()?) };
    let mut f = read_field(c.mem, p)?;
    let (a, b) = (a.min(f.text_len), b.min(f.text_len));
    f.sel_first_pos = a.min(b);
    f.sel_last_pos = a.max(b);
    f.ins_pt_x_pos = a.max(b);
    write_field(c.mem, p, &f)?;
    redraw(s, c.mem, p)?;
    done()
}

/// `UInt16 FldGetInsPtPosition(const FieldType *fldP)`
fn fld_get_ins_pt_position(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    ret_u16(c, f.ins_pt_x_pos.min(f.text_len))
}

/// `void FldSetInsPtPosition(FieldType *fldP, UInt16 pos)` (also `FldSetInsertionPoint`).
fn fld_set_ins_pt_position(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let pos = rest(c).u16()?;
    set_ins(s, c.mem, p, pos as usize)?;
    done()
}

/// `void FldGrabFocus(FieldType *fldP)`
fn fld_grab_focus(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    set_focus(s, c.mem, p, true)?;
    done()
}

/// `void FldReleaseFocus(FieldType *fldP)`
fn fld_release_focus(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    set_focus(s, c.mem, p, false)?;
    done()
}

/// `Boolean FldHandleEvent(FieldType *fldP, EventType *eventP)`: keys (see [`handle_key`]),
/// `fldEnterEvent` (focus and insertion point), pen-downs inside the field (queue
/// `fldEnterEvent`).
fn fld_handle_event(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let ev_p = rest(c).ptr()?;
    if ev_p == 0 {
        c.ret(0);
        return done();
    }
    let ev = read_event(c.mem, ev_p)?;
    let f = read_field(c.mem, p)?;
    let handled = match ev.e_type {
        KEY_DOWN_EVENT => handle_key(s, c.mem, p, ev.u16_at(event_data::key_down::CHR), ev.u16_at(event_data::key_down::MODIFIERS))?,
        PEN_DOWN_EVENT | FLD_ENTER_EVENT => {
            let Some(cv) = object_canvas(s, c.mem, p)? else { return ret_u16(c, 0) };
            let (dx, dy) = s.ui.windows.draw_origin(c.mem)?;
            let (x, y) = cv.window_point(ev.screen_x as i32 + dx as i32, ev.screen_y as i32 + dy as i32);
            let inside = Rect::from_palm(f.rect.x, f.rect.y, f.rect.width, f.rect.height).contains(x, y);
            if ev.e_type == PEN_DOWN_EVENT {
                if inside && f.has_attr(FLD_ATTR_USABLE) {
                    enter(s, &f, p, &ev);
                }
                inside
            } else {
                set_focus(s, c.mem, p, true)?;
                place_insertion_point(s, c.mem, p, x, y)?;
                true
            }
        }
        _ => false,
    };
    c.ret(handled as u32);
    done()
}

/// `FontID FldGetFont(const FieldType *fldP)`
fn fld_get_font(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    ret_u16(c, f.font_id as u16)
}

/// `void FldSetFont(FieldType *fldP, FontID fontID)`
fn fld_set_font(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let font = rest(c).u8()?;
    c.mem.write_u8(p.wrapping_add(FieldType::FONT_ID), font)?;
    redraw(s, c.mem, p)?;
    done()
}

/// `UInt16 FldGetMaxChars(const FieldType *fldP)`
fn fld_get_max_chars(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    ret_u16(c, f.max_chars)
}

/// `void FldSetMaxChars(FieldType *fldP, UInt16 maxChars)`
fn fld_set_max_chars(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let n = rest(c).u16()?;
    c.mem.write_u16(p.wrapping_add(FieldType::MAX_CHARS), n.min(MAX_FIELD_TEXT_LEN))?;
    done()
}

fn set_attr_bit(mem: &mut dyn GuestMemory, p: u32, bit: u16, on: bool) -> Result<(), MemError> {
    let a = mem.read_u16(p.wrapping_add(FieldType::ATTR))?;
    mem.write_u16(p.wrapping_add(FieldType::ATTR), if on { a | bit } else { a & !bit })
}

/// `Boolean FldDirty(const FieldType *fldP)`
fn fld_dirty(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    ret_u16(c, f.has_attr(FLD_ATTR_DIRTY) as u16)
}

/// `void FldSetDirty(FieldType *fldP, Boolean dirty)`
fn fld_set_dirty(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let on = rest(c).bool()?;
    set_attr_bit(c.mem, p, FLD_ATTR_DIRTY, on)?;
    done()
}

/// `void FldGetAttributes(const FieldType *fldP, FieldAttrPtr attrP)`
fn fld_get_attributes(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let attr_p = rest(c).ptr()?;
    let f = read_field(c.mem, p)?;
    if attr_p != 0 {
        c.mem.write_u16(attr_p, f.attr)?;
    }
    done()
}

/// `void FldSetAttributes(FieldType *fldP, const FieldAttrType *attrP)`
fn fld_set_attributes(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let attr_p = rest(c).ptr()?;
    if attr_p != 0 {
        let a = c.mem.read_u16(attr_p)?;
        c.mem.write_u16(p.wrapping_add(FieldType::ATTR), a)?;
    }
    done()
}

/// `void FldSetUsable(FieldType *fldP, Boolean usable)`
fn fld_set_usable(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let on = rest(c).bool()?;
    set_attr_bit(c.mem, p, FLD_ATTR_USABLE, on)?;
    done()
}

/// `void FldRecalculateField(FieldType *fldP, Boolean redraw)`: re-reads the length of text
/// the application changed in place.
fn fld_recalculate_field(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let again = rest(c).bool()?;
    let mut f = read_field(c.mem, p)?;
    if f.text != 0 {
        let max = (f.text_block_size as u32).clamp(1, MAX_FIELD_TEXT_LEN as u32 + 1);
        f.text_len = read_text_len(c.mem, f.text, max)?;
        f.ins_pt_x_pos = f.ins_pt_x_pos.min(f.text_len);
        write_field(c.mem, p, &f)?;
    }
    if again {
        redraw(s, c.mem, p)?;
    }
    done()
}

fn read_text_len(mem: &dyn GuestMemory, p: u32, max: u32) -> Result<u16, MemError> {
    Ok(mem.read_cstr(p, max.saturating_sub(1))?.len() as u16)
}

/// `UInt16 FldGetVisibleLines(const FieldType *fldP)`
fn fld_get_visible_lines(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    let lh = g::font(font_of(f.font_id)).line_height();
    ret_u16(c, ((f.rect.height as i32) / lh).max(0) as u16)
}

/// `UInt16 FldGetScrollPosition(const FieldType *fldP)`: fields do not scroll (0).
fn fld_get_scroll_position(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let _ = field_or_fail!(c);
    ret_u16(c, 0)
}

/// `Boolean FldScrollable(const FieldType *fldP, WinDirectionType direction)`: false.
fn fld_scrollable(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let _ = field_or_fail!(c);
    ret_u16(c, 0)
}

/// `UInt16 FldGetTextHeight(const FieldType *fldP)`: the height of the visible lines holding
/// text.
fn fld_get_text_height(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = field_or_fail!(c);
    let f = read_field(c.mem, p)?;
    let text = text_of(c.mem, &f)?;
    let geo = geometry(&f, &text);
    let used = if text.is_empty() { 0 } else { geo.lines.len().min(geo.visible) };
    ret_u16(c, (used as i32 * g::font(geo.font).line_height()) as u16)
}

/// `void FldCompactText(FieldType *fldP)`: nothing to do.
fn fld_compact_text(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let _ = field_or_fail!(c);
    done()
}
