//! Drawing for the Form Manager: the [`Canvas`] of a form's window (its surface, origin and
//! clip, in the UI's colours), whole forms (save-behind, frame, objects, `FrmEraseForm`),
//! titles, labels, form bitmaps, lines, frames and rectangles. Controls, fields and lists
//! draw themselves (`control`, `field`, `list`).
//!
//! The UI draws black on white in the screen's depth and in the object's font, regardless of
//! the application's draw state; everything is clipped to the form window except the window
//! frame, which lies outside it.

use super::{control, field, list, objects, read_form, read_label, read_text, read_title, Obj};
use crate::graphics::{self as g, DrawState, FontId, FrameType, Rect, Surface, TransferMode};
use crate::managers::window::WindowManager;
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::ui_layout::*;

/// Height of a non-modal form's title tab and of a modal form's title bar.
pub const TITLE_HEIGHT: i32 = 12;

/// Where a form (or any window) draws: its bitmap's surface, the window origin on it, and the
/// window's clip (surface coordinates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Canvas {
    pub surface: Surface,
    pub origin: (i32, i32),
    pub clip: Rect,
    /// The window's bounds on the surface.
    pub bounds: Rect,
    pub frame: u16,
}

impl Canvas {
    /// The canvas of window `handle`; `None` for NULL or a window without a drawable bitmap.
    pub fn of_window(wm: &WindowManager, mem: &dyn GuestMemory, handle: u32) -> Result<Option<Canvas>, MemError> {
        let Some(v) = wm.view(mem, handle)? else { return Ok(None) };
        Ok(Some(Canvas { surface: v.surface, origin: v.origin(), clip: v.clip(), bounds: v.bounds(), frame: v.window.frame_type }))
    }
    /// Black on white at the surface's depth, clipped to the window.
    pub fn st(&self) -> DrawState {
        DrawState { clip: self.clip, ..DrawState::new(self.surface.depth) }
    }
    /// The same, clipped only to the surface (frames lie outside the window).
    pub fn unclipped(&self) -> DrawState {
        DrawState::new(self.surface.depth)
    }
    /// A window rectangle on the surface.
    pub fn rect(&self, r: &RectangleType) -> Rect {
        Rect::from_palm(r.x, r.y, r.width, r.height).offset(self.origin.0, self.origin.1)
    }
    /// A window point on the surface.
    pub fn point(&self, x: i16, y: i16) -> (i32, i32) {
        (x as i32 + self.origin.0, y as i32 + self.origin.1)
    }
    /// A surface (display) point in window coordinates.
    pub fn window_point(&self, x: i32, y: i32) -> (i32, i32) {
        (x - self.origin.0, y - self.origin.1)
    }
}

/// The font for a `FontID` (fonts we lack draw as `stdFont`).
pub(crate) fn font_of(id: u8) -> FontId {
    FontId::from_u8(id).unwrap_or(FontId::Std)
}

/// The canvas of the display window (created first if needed): where the UI that sits over
/// every form draws (alerts, menus).
pub(crate) fn screen_canvas(s: &mut Shim, mem: &mut dyn GuestMemory) -> Result<Option<Canvas>, MemError> {
    if !s.ui.windows.ensure_created(&mut s.memory, mem)? {
        return Ok(None);
    }
    let display = s.ui.windows.display_window();
    Canvas::of_window(&s.ui.windows, mem, display)
}

/// The canvas of form `form`'s window (creating the display window first if needed).
pub(crate) fn form_canvas(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32) -> Result<Option<Canvas>, MemError> {
    if !s.ui.windows.ensure_created(&mut s.memory, mem)? {
        return Ok(None);
    }
    Canvas::of_window(&s.ui.windows, mem, form)
}

/// Where an object at `ptr` draws: its form's window, or the draw window for an object in
/// no loaded form.
pub(crate) fn object_canvas(s: &mut Shim, mem: &mut dyn GuestMemory, ptr: u32) -> Result<Option<Canvas>, MemError> {
    if !s.ui.windows.ensure_created(&mut s.memory, mem)? {
        return Ok(None);
    }
    let window = match super::owner_of(s, mem, ptr)? {
        Some((form, _)) => form,
        None => s.ui.windows.draw_window(),
    };
    Canvas::of_window(&s.ui.windows, mem, window)
}

/// The resource data of (`kind`, `id`) in the open resource databases, if any.
pub(crate) fn resource_data(s: &mut Shim, mem: &dyn GuestMemory, kind: u32, id: u16) -> Option<(u32, u32)> {
    let h = s.dm.get_resource(kind, id, false).ok()?;
    let info = s.memory.handle_info(mem, h).ok()?;
    Some((info.data, info.data_size))
}

/// `text` drawn in `font` centred in `r` (surface coordinates), normal or inverted.
pub(crate) fn centred_text(cv: &Canvas, mem: &mut dyn GuestMemory, st: &DrawState, font: FontId, text: &[u8], r: &Rect, inverted: bool) -> Result<(), MemError> {
    let f = g::font(font);
    let x = r.left + (r.width - f.chars_width(text)) / 2;
    let y = r.top + (r.height - f.line_height()) / 2;
    if inverted {
        g::draw_inverted_chars(&cv.surface, mem, st, font, text, x, y)?;
    } else {
        g::draw_chars(&cv.surface, mem, st, font, text, x, y)?;
    }
    Ok(())
}

/// Draws a `Tbmp` resource at a surface point (missing or malformed bitmaps are skipped).
pub(crate) fn draw_bitmap_resource(s: &mut Shim, cv: &Canvas, mem: &mut dyn GuestMemory, rsc_id: u16, x: i32, y: i32) -> Result<(), MemError> {
    let Some((p, _)) = resource_data(s, mem, BITMAP_RSC_TYPE, rsc_id) else {
        log::debug!("form bitmap {rsc_id}: no 'Tbmp' resource");
        return Ok(());
    };
    match g::draw_bitmap(&cv.surface, mem, &cv.st(), p, x, y) {
        Ok(()) => Ok(()),
        Err(g::BitmapError::Mem(e)) => Err(e),
        Err(e) => {
            log::warn!("form bitmap {rsc_id} not drawn: {e}");
            Ok(())
        }
    }
}

/// The title: for a modal form a bar across the top with the title centred, otherwise a
/// black tab at the top left holding the title and a line across the form under it (bold,
/// white on black).
pub(crate) fn draw_title(cv: &Canvas, mem: &mut dyn GuestMemory, form: &FormType, title_p: u32) -> Result<(), MemError> {
    let t = read_title(mem, title_p)?;
    let text = read_text(mem, t.text)?;
    let st = cv.st();
    let b = cv.bounds;
    let f = g::font(FontId::Bold);
    if form.window.has_flag(WIN_FLAG_MODAL) {
        let bar = Rect::new(b.left, b.top, b.width, TITLE_HEIGHT - 1);
        g::draw_rectangle(&cv.surface, mem, &st, &bar, 0)?;
        centred_text(cv, mem, &st, FontId::Bold, &text, &bar, true)?;
    } else {
        let tab = Rect::new(b.left, b.top, f.chars_width(&text) + 8, TITLE_HEIGHT);
        g::draw_rectangle(&cv.surface, mem, &st, &tab, 0)?;
        // Round the tab's top corners.
        for (dx, dy) in [(0, 0), (1, 0), (0, 1)] {
            g::erase_pixel(&cv.surface, mem, &st, tab.left + dx, tab.top + dy)?;
            g::erase_pixel(&cv.surface, mem, &st, tab.left + tab.width - 1 - dx, tab.top + dy)?;
        }
        g::draw_line(&cv.surface, mem, &st, b.left, b.top + TITLE_HEIGHT - 1, b.left + b.width - 1, b.top + TITLE_HEIGHT - 1)?;
        g::draw_inverted_chars(&cv.surface, mem, &st, FontId::Bold, &text, tab.left + 4, tab.top)?;
    }
    Ok(())
}

/// A label: its text in its font at its position; `\n` starts a new line.
pub(crate) fn draw_label(cv: &Canvas, mem: &mut dyn GuestMemory, label_p: u32) -> Result<(), MemError> {
    let l = read_label(mem, label_p)?;
    let text = read_text(mem, l.text)?;
    let font = font_of(l.font_id);
    let lh = g::font(font).line_height();
    let (x, y) = cv.point(l.pos.x, l.pos.y);
    for (i, line) in text.split(|&c| c == b'\n').enumerate() {
        g::draw_chars(&cv.surface, mem, &cv.st(), font, line, x, y + i as i32 * lh)?;
    }
    Ok(())
}

/// The bounds of a label (every line's width, lines x line height), window coordinates.
pub(crate) fn label_bounds(mem: &dyn GuestMemory, label_p: u32) -> Result<RectangleType, MemError> {
    let l = read_label(mem, label_p)?;
    let text = read_text(mem, l.text)?;
    let f = g::font(font_of(l.font_id));
    let lines: Vec<&[u8]> = text.split(|&c| c == b'\n').collect();
    let w = lines.iter().map(|l| f.chars_width(l)).max().unwrap_or(0);
    let h = f.line_height() * lines.len() as i32;
    Ok(RectangleType::new(l.pos.x, l.pos.y, w.min(i16::MAX as i32) as i16, h.min(i16::MAX as i32) as i16))
}

/// Erases a window rectangle.
pub(crate) fn erase(cv: &Canvas, mem: &mut dyn GuestMemory, r: &RectangleType) -> Result<(), MemError> {
    g::erase_rectangle(&cv.surface, mem, &cv.st(), &cv.rect(r), 0)
}

/// Draws one object of a form (those that are usable).
pub(crate) fn draw_object(s: &mut Shim, mem: &mut dyn GuestMemory, cv: &Canvas, form: &FormType, o: &Obj) -> Result<(), MemError> {
    if o.ptr == 0 {
        return Ok(());
    }
    let usable16 = |mem: &dyn GuestMemory, off: u32| -> Result<bool, MemError> { Ok(mem.read_u16(o.ptr.wrapping_add(off))? & FORM_OBJ_ATTR_USABLE != 0) };
    match o.kind {
        FRM_TITLE_OBJ => draw_title(cv, mem, form, o.ptr),
        FRM_LABEL_OBJ if usable16(mem, FormLabelType::ATTR)? => draw_label(cv, mem, o.ptr),
        FRM_CONTROL_OBJ => control::draw(s, mem, cv, o.ptr, false),
        FRM_FIELD_OBJ => field::draw(mem, cv, o.ptr),
        FRM_LIST_OBJ => list::draw(mem, cv, o.ptr, None),
        FRM_BITMAP_OBJ if usable16(mem, FormBitmapType::ATTR)? => {
            let b = FormBitmapType::decode(&super::read_array(mem, o.ptr)?);
            let (x, y) = cv.point(b.pos.x, b.pos.y);
            draw_bitmap_resource(s, cv, mem, b.rsc_id, x, y)
        }
        FRM_LINE_OBJ if usable16(mem, form_shapes::LINE_ATTR)? => {
            let p = |off| -> Result<PointType, MemError> { Ok(PointType::decode(&super::read_array(mem, o.ptr.wrapping_add(off))?)) };
            let (a, b) = (p(form_shapes::LINE_POINT1)?, p(form_shapes::LINE_POINT2)?);
            let (x1, y1) = cv.point(a.x, a.y);
            let (x2, y2) = cv.point(b.x, b.y);
            g::draw_line(&cv.surface, mem, &cv.st(), x1, y1, x2, y2)
        }
        FRM_FRAME_OBJ if usable16(mem, form_shapes::FRAME_ATTR)? => {
            let r = super::read_rect_at(mem, o.ptr.wrapping_add(form_shapes::FRAME_RECT))?;
            let frame = mem.read_u16(o.ptr.wrapping_add(form_shapes::FRAME_FRAME_TYPE))?;
            g::draw_rectangle_frame(&cv.surface, mem, &cv.st(), FrameType(frame), &cv.rect(&r))
        }
        FRM_RECTANGLE_OBJ if usable16(mem, form_shapes::RECTANGLE_ATTR)? => {
            let r = super::read_rect_at(mem, o.ptr.wrapping_add(form_shapes::RECTANGLE_RECT))?;
            g::draw_rectangle_frame(&cv.surface, mem, &cv.st(), FrameType::RECTANGLE, &cv.rect(&r))
        }
        // Tables, gadgets (drawn by the application), popups, scroll bars and Graffiti
        // indicators draw nothing.
        _ => Ok(()),
    }
}

/// `FrmDrawForm`: saves the screen under the form (save-behind forms, once), erases the
/// window, draws its frame and every usable object, and marks the form visible.
pub(crate) fn draw_form(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32) -> Result<(), MemError> {
    let Some(cv) = form_canvas(s, mem, form)? else { return Ok(()) };
    let f = read_form(mem, form)?;
    let frame = FrameType(f.window.frame_type);
    let area = g::frame_bounds(frame, &cv.bounds);
    if f.attr & FORM_ATTR_SAVE_BEHIND != 0 && f.bits_behind_form == 0 {
        let saved = save_bits(s, mem, &cv, &area)?;
        mem.write_u32(form.wrapping_add(FormType::BITS_BEHIND_FORM), saved)?;
    }
    g::erase_rectangle(&cv.surface, mem, &cv.st(), &cv.bounds, 0)?;
    g::draw_rectangle_frame(&cv.surface, mem, &cv.unclipped(), frame, &cv.bounds)?;
    mem.write_u32(form.wrapping_add(FormType::ATTR), f.attr | FORM_ATTR_VISIBLE)?;
    for o in objects(mem, form)? {
        draw_object(s, mem, &cv, &f, &o)?;
    }
    Ok(())
}

/// `FrmEraseForm`: restores the saved screen bits (save-behind forms) or erases the window
/// and its frame; the form and its objects are no longer visible.
pub(crate) fn erase_form(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32) -> Result<(), MemError> {
    let f = read_form(mem, form)?;
    if let Some(cv) = form_canvas(s, mem, form)? {
        let area = g::frame_bounds(FrameType(f.window.frame_type), &cv.bounds);
        if f.bits_behind_form != 0 {
            restore_bits(s, mem, &cv, f.bits_behind_form, area.left, area.top)?;
            mem.write_u32(form.wrapping_add(FormType::BITS_BEHIND_FORM), 0)?;
        } else if f.attr & FORM_ATTR_VISIBLE != 0 {
            g::erase_rectangle(&cv.surface, mem, &cv.unclipped(), &area, 0)?;
        }
    }
    mem.write_u32(form.wrapping_add(FormType::ATTR), f.attr & !FORM_ATTR_VISIBLE)?;
    for o in objects(mem, form)? {
        set_object_visible(mem, &o, false)?;
    }
    Ok(())
}

/// Sets or clears the `visible` attribute of a control, field or list.
pub(crate) fn set_object_visible(mem: &mut dyn GuestMemory, o: &Obj, on: bool) -> Result<(), MemError> {
    let (off, bit) = match o.kind {
        FRM_CONTROL_OBJ => (ControlType::ATTR, CTL_ATTR_VISIBLE),
        FRM_FIELD_OBJ => (FieldType::ATTR, FLD_ATTR_VISIBLE),
        FRM_LIST_OBJ => (ListType::ATTR, LST_ATTR_VISIBLE),
        _ => return Ok(()),
    };
    if o.ptr == 0 {
        return Ok(());
    }
    let a = mem.read_u16(o.ptr.wrapping_add(off))?;
    mem.write_u16(o.ptr.wrapping_add(off), if on { a | bit } else { a & !bit })
}

/// Copies `area` (surface coordinates) of `cv`'s surface into a new off-screen window (the
/// Window Manager's `WinSaveBits`); 0 when it cannot be allocated.
pub(crate) fn save_bits(s: &mut Shim, mem: &mut dyn GuestMemory, cv: &Canvas, area: &Rect) -> Result<u32, MemError> {
    let area = area.intersect(&cv.surface.bounds());
    if area.is_empty() {
        return Ok(0);
    }
    let owner = s.memory.current_owner();
    let handle = match s.ui.windows.create_offscreen_window(&mut s.memory, mem, area.width as i16, area.height as i16, SCREEN_FORMAT, owner) {
        Ok(h) => h,
        Err(e) => {
            log::warn!("Form Manager: cannot save the screen under a form ({e:?})");
            return Ok(0);
        }
    };
    if let Some(dst) = Canvas::of_window(&s.ui.windows, mem, handle)? {
        g::copy_rectangle(&cv.surface, &dst.surface, mem, &dst.unclipped(), &area, 0, 0, TransferMode::Paint)?;
    }
    Ok(handle)
}

/// Copies a [`save_bits`] window back to (`x`, `y`) of `cv`'s surface and deletes it.
pub(crate) fn restore_bits(s: &mut Shim, mem: &mut dyn GuestMemory, cv: &Canvas, saved: u32, x: i32, y: i32) -> Result<(), MemError> {
    if let Some(src) = Canvas::of_window(&s.ui.windows, mem, saved)? {
        g::copy_rectangle(&src.surface, &cv.surface, mem, &cv.unclipped(), &src.surface.bounds(), x, y, TransferMode::Paint)?;
    }
    s.ui.windows.delete_window(&mut s.memory, mem, saved, false)
}
