//! Controls (`ControlType`): drawing every style, values and groups, pen tracking, and the
//! `Ctl*` traps.
//!
//! Tracking follows PalmOS: `FrmHandleEvent` turns a pen-down on a usable, enabled control
//! into a queued `ctlEnterEvent`; handling that event (`CtlHandleEvent`) highlights the
//! control and waits for the pen to come up. The stroke's end is the first `penUpEvent`
//! still queued (it stays queued and is delivered after the control's event), or the pen's
//! state; while the pen is still down the trap **blocks** (`TrapOutcome::Block`), so a
//! frontend shows the highlighted control until more input arrives. Pen up inside the
//! bounds: the value changes (push buttons select themselves and deselect their group, check
//! boxes toggle) and a `ctlSelectEvent` is queued (`controlID`, `pControl`, `on` = the
//! control's new `on` attribute, `value` for sliders); outside: `ctlExitEvent`. Repeating
//! buttons queue a `ctlRepeatEvent` on entry and one more per input while held inside.

use super::draw::{centred_text, draw_bitmap_resource, font_of, object_canvas, Canvas};
use super::events::{stroke_end, Handled};
use super::{done, null_object, objects, owner_of, post, read_control, read_event, read_form, read_text};
use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::graphics::{self as g, FrameType, Rect};
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::traps as t;
use palm_abi::ui_layout::*;

const FILE: &str = "Control.c";
/// Side of a check box's square.
const CHECKBOX_SIZE: i32 = 10;
/// Where a check box's or popup trigger's label starts, from the control's left edge.
const LABEL_INDENT: i32 = 14;

pub fn install(tb: &mut TrapTable) {
    tb.register(t::CTL_DRAW_CONTROL, ctl_draw_control);
    tb.register(t::CTL_ERASE_CONTROL, ctl_erase_control);
    tb.register(t::CTL_HIDE_CONTROL, ctl_hide_control);
    tb.register(t::CTL_SHOW_CONTROL, ctl_show_control);
    tb.register(t::CTL_GET_VALUE, ctl_get_value);
    tb.register(t::CTL_SET_VALUE, ctl_set_value);
    tb.register(t::CTL_GET_LABEL, ctl_get_label);
    tb.register(t::CTL_SET_LABEL, ctl_set_label);
    tb.register(t::CTL_HANDLE_EVENT, ctl_handle_event);
    tb.register(t::CTL_HIT_CONTROL, ctl_hit_control);
    tb.register(t::CTL_SET_ENABLED, ctl_set_enabled);
    tb.register(t::CTL_SET_USABLE, ctl_set_usable);
    tb.register(t::CTL_ENABLED, ctl_enabled);
    tb.register(t::CTL_VALIDATE_POINTER, ctl_validate_pointer);
    tb.register(t::CTL_NEW_CONTROL, ctl_new_control);
}

// ---- Attributes and values ------------------------------------------------------------------

fn set_attr(mem: &mut dyn GuestMemory, p: u32, bit: u16, on: bool) -> Result<(), MemError> {
    let a = mem.read_u16(p.wrapping_add(ControlType::ATTR))?;
    mem.write_u16(p.wrapping_add(ControlType::ATTR), if on { a | bit } else { a & !bit })
}

fn is_slider(c: &ControlType) -> bool {
    super::resource::is_slider(c)
}

/// `CtlGetValue`: a slider's value, otherwise the `on` attribute (0 or 1).
pub(crate) fn value(mem: &dyn GuestMemory, p: u32) -> Result<i16, MemError> {
    let c = read_control(mem, p)?;
    if is_slider(&c) {
        return Ok(mem.read_u16(p.wrapping_add(slider_control::VALUE))? as i16);
    }
    Ok(c.has_attr(CTL_ATTR_ON) as i16)
}

/// `CtlSetValue`: sets a slider's value (clamped to its range) or the `on` attribute, and
/// redraws a visible control.
pub(crate) fn set_value(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, v: i16) -> Result<(), MemError> {
    let c = read_control(mem, p)?;
    if is_slider(&c) {
        let min = mem.read_u16(p.wrapping_add(slider_control::MIN_VALUE))? as i16;
        let max = mem.read_u16(p.wrapping_add(slider_control::MAX_VALUE))? as i16;
        let v = if min <= max { v.clamp(min, max) } else { v };
        mem.write_u16(p.wrapping_add(slider_control::VALUE), v as u16)?;
    } else {
        set_attr(mem, p, CTL_ATTR_ON, v != 0)?;
    }
    redraw_if_visible(s, mem, p)
}

fn redraw_if_visible(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemError> {
    if read_control(mem, p)?.has_attr(CTL_ATTR_VISIBLE) {
        if let Some(cv) = object_canvas(s, mem, p)? {
            draw(s, mem, &cv, p, false)?;
        }
    }
    Ok(())
}

/// Turns on control `p` of `form` and turns off the other push buttons and check boxes of
/// its group (redrawing the visible ones).
pub(crate) fn select_in_group(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32, p: u32) -> Result<(), MemError> {
    let c = read_control(mem, p)?;
    if c.group != 0 {
        for o in objects(mem, form)? {
            if o.kind != FRM_CONTROL_OBJ || o.ptr == p || o.ptr == 0 {
                continue;
            }
            let other = read_control(mem, o.ptr)?;
            if other.group == c.group && other.has_attr(CTL_ATTR_ON) && matches!(other.style, PUSH_BUTTON_CTL | CHECKBOX_CTL) {
                set_value(s, mem, o.ptr, 0)?;
            }
        }
    }
    set_value(s, mem, p, 1)
}

// ---- Drawing --------------------------------------------------------------------------------

/// The frame a button-like control draws around its bounds.
fn frame_of(c: &ControlType) -> FrameType {
    match (c.style, c.frame()) {
        (_, NO_BUTTON_FRAME) => FrameType::NO_FRAME,
        (PUSH_BUTTON_CTL, _) | (_, RECTANGLE_BUTTON_FRAME) => FrameType::RECTANGLE,
        (_, BOLD_BUTTON_FRAME) => FrameType::BOLD_ROUND,
        _ => FrameType::ROUND,
    }
}

/// Everything a control covers: its bounds and its frame.
pub(crate) fn covered(c: &ControlType) -> RectangleType {
    let r = Rect::from_palm(c.bounds.x, c.bounds.y, c.bounds.width, c.bounds.height);
    let f = if c.style == SELECTOR_TRIGGER_CTL { FrameType::RECTANGLE } else { frame_of(c) };
    crate::managers::window::rect_to_palm(&g::frame_bounds(f, &r))
}

/// Draws a usable control, `pressed` (highlighted while the pen is on it) or as its value
/// says, and marks it visible.
pub(crate) fn draw(s: &mut Shim, mem: &mut dyn GuestMemory, cv: &Canvas, p: u32, pressed: bool) -> Result<(), MemError> {
    let c = read_control(mem, p)?;
    if !c.has_attr(CTL_ATTR_USABLE) {
        return Ok(());
    }
    set_attr(mem, p, CTL_ATTR_VISIBLE, true)?;
    let r = cv.rect(&c.bounds);
    let st = cv.st();
    let surface = &cv.surface;
    let on = c.has_attr(CTL_ATTR_ON);
    if is_slider(&c) {
        return draw_slider(cv, mem, p, &r);
    }
    if c.has_attr(CTL_ATTR_GRAPHICAL) {
        let (bitmap, selected) = ((c.text >> 16) as u16, c.text as u16);
        let id = if (pressed || on) && selected != 0 { selected } else { bitmap };
        g::erase_rectangle(surface, mem, &st, &r, 0)?;
        draw_bitmap_resource(s, cv, mem, id, r.left, r.top)?;
        if (pressed || on) && selected == 0 {
            g::invert_rectangle(surface, mem, &st, &r, 0)?;
        }
        return g::draw_rectangle_frame(surface, mem, &st, frame_of(&c), &r);
    }
    let text = read_text(mem, c.text)?;
    let font = font_of(c.font);
    let lh = g::font(font).line_height();
    match c.style {
        CHECKBOX_CTL => {
            g::erase_rectangle(surface, mem, &st, &r, 0)?;
            let bx = r.left;
            let by = r.top + (r.height - CHECKBOX_SIZE) / 2;
            let inner = Rect::new(bx + 1, by + 1, CHECKBOX_SIZE - 2, CHECKBOX_SIZE - 2);
            g::draw_rectangle_frame(surface, mem, &st, FrameType::RECTANGLE, &inner)?;
            if on {
                // A check mark, two pixels thick.
                for d in 0..2 {
                    g::draw_line(surface, mem, &st, bx + 2, by + 4 + d, bx + 4, by + 6 + d)?;
                    g::draw_line(surface, mem, &st, bx + 4, by + 6 + d, bx + 7, by + 2 + d)?;
                }
            }
            if pressed {
                g::invert_rectangle(surface, mem, &st, &inner, 0)?;
            }
            g::draw_chars(surface, mem, &st, font, &text, r.left + LABEL_INDENT, r.top + (r.height - lh) / 2)?;
        }
        POPUP_TRIGGER_CTL => {
            g::erase_rectangle(surface, mem, &st, &r, 0)?;
            // A downward triangle, 7 pixels wide, then the label.
            let ty = r.top + (r.height - 4) / 2;
            for row in 0..4 {
                g::draw_line(surface, mem, &st, r.left + 1 + row, ty + row, r.left + 7 - row, ty + row)?;
            }
            g::draw_chars(surface, mem, &st, font, &text, r.left + LABEL_INDENT - 3, r.top + (r.height - lh) / 2)?;
            if pressed {
                g::invert_rectangle(surface, mem, &st, &r, 0)?;
            }
        }
        _ => {
            // Buttons, push buttons, repeating buttons, selector triggers.
            let frame = frame_of(&c);
            let corner = (frame.corner_diam() - 2 * frame.width()).max(0);
            let selected = pressed || (on && c.style != SELECTOR_TRIGGER_CTL);
            g::erase_rectangle(surface, mem, &st, &r, 0)?;
            if selected {
                g::draw_rectangle(surface, mem, &st, &r, corner)?;
            }
            centred_text(cv, mem, &st, font, &text, &r, selected)?;
            if c.style == SELECTOR_TRIGGER_CTL {
                g::draw_gray_rectangle_frame(surface, mem, &st, FrameType::RECTANGLE, &r)?;
            } else {
                g::draw_rectangle_frame(surface, mem, &st, frame, &r)?;
            }
        }
    }
    Ok(())
}

fn draw_slider(cv: &Canvas, mem: &mut dyn GuestMemory, p: u32, r: &Rect) -> Result<(), MemError> {
    let st = cv.st();
    let rd = |off| -> Result<i32, MemError> { Ok(mem.read_u16(p.wrapping_add(off))? as i16 as i32) };
    let (min, max, value) = (rd(slider_control::MIN_VALUE)?, rd(slider_control::MAX_VALUE)?, rd(slider_control::VALUE)?);
    g::erase_rectangle(&cv.surface, mem, &st, r, 0)?;
    let mid = r.top + r.height / 2;
    g::draw_line(&cv.surface, mem, &st, r.left, mid, r.left + r.width - 1, mid)?;
    let span = (max - min).max(1) as i64;
    let thumb_w = 6;
    let x = r.left as i64 + ((value - min).min(max - min).max(0) as i64 * (r.width - thumb_w).max(0) as i64) / span;
    g::draw_rectangle(&cv.surface, mem, &st, &Rect::new(x as i32, r.top, thumb_w, r.height), 0)
}

/// Erases a control and its frame and marks it not visible.
pub(crate) fn erase(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemError> {
    let c = read_control(mem, p)?;
    if let Some(cv) = object_canvas(s, mem, p)? {
        super::draw::erase(&cv, mem, &covered(&c))?;
    }
    set_attr(mem, p, CTL_ATTR_VISIBLE, false)
}

// ---- Tracking -------------------------------------------------------------------------------

fn control_event(e_type: u16, c: &ControlType, p: u32, from: &EventType) -> EventType {
    let mut e = EventType::new(e_type);
    e.screen_x = from.screen_x;
    e.screen_y = from.screen_y;
    e.set_u16(event_data::ctl_select::CONTROL_ID, c.id);
    e.set_u32(event_data::ctl_select::P_CONTROL, p);
    e
}

/// The pen-down event on a control becomes a queued `ctlEnterEvent`.
pub(crate) fn enter(s: &mut Shim, c: &ControlType, p: u32, pen: &EventType) {
    let mut e = control_event(CTL_ENTER_EVENT, c, p, pen);
    e.pen_down = true;
    post(s, e);
}

/// Handles `ctlEnterEvent` / `ctlRepeatEvent` for control `p` (see the module documentation).
pub(crate) fn track(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, ev: &EventType) -> Result<Handled, MemError> {
    let c = read_control(mem, p)?;
    if !c.has_attr(CTL_ATTR_USABLE) || !c.has_attr(CTL_ATTR_ENABLED) {
        return Ok(Handled::Done(false));
    }
    let Some(cv) = object_canvas(s, mem, p)? else { return Ok(Handled::Done(false)) };
    let (dox, doy) = s.ui.windows.draw_origin(mem)?;
    let fallback = (ev.screen_x as i32 + dox as i32, ev.screen_y as i32 + doy as i32);
    let end = stroke_end(s, fallback);
    let (wx, wy) = cv.window_point(end.x, end.y);
    let b = c.bounds;
    let inside = Rect::from_palm(b.x, b.y, b.width, b.height).contains(wx, wy);
    if c.style == REPEATING_BUTTON_CTL {
        return track_repeating(s, mem, &cv, p, &c, ev, end.up, inside, (end.x, end.y));
    }
    if !end.up {
        draw(s, mem, &cv, p, inside)?;
        return Ok(Handled::Block);
    }
    if !inside {
        draw(s, mem, &cv, p, false)?;
        post(s, control_event(CTL_EXIT_EVENT, &c, p, ev));
        return Ok(Handled::Done(true));
    }
    let mut slider_value = None;
    match c.style {
        PUSH_BUTTON_CTL | CHECKBOX_CTL => {
            let on = c.has_attr(CTL_ATTR_ON);
            let owner = owner_of(s, mem, p)?;
            match owner {
                Some((form, _)) if c.group != 0 && !on => select_in_group(s, mem, form, p)?,
                // A selected push button of a group stays selected.
                _ if c.group != 0 && on && c.style == PUSH_BUTTON_CTL => {}
                _ => set_attr(mem, p, CTL_ATTR_ON, !on)?,
            }
        }
        SLIDER_CTL | FEEDBACK_SLIDER_CTL => {
            let rd = |mem: &dyn GuestMemory, off| -> Result<i32, MemError> { Ok(mem.read_u16(p.wrapping_add(off))? as i16 as i32) };
            let (min, max) = (rd(mem, slider_control::MIN_VALUE)?, rd(mem, slider_control::MAX_VALUE)?);
            let w = (b.width as i32).max(1);
            let v = min + ((wx - b.x as i32).clamp(0, w) as i64 * (max - min) as i64 / w as i64) as i32;
            set_value(s, mem, p, v as i16)?;
            slider_value = Some(v as i16);
        }
        _ => {}
    }
    draw(s, mem, &cv, p, false)?;
    let c = read_control(mem, p)?;
    let mut e = control_event(CTL_SELECT_EVENT, &c, p, ev);
    e.set_u8(event_data::ctl_select::ON, c.has_attr(CTL_ATTR_ON) as u8);
    if let Some(v) = slider_value {
        e.set_u16(event_data::ctl_select::VALUE, v as u16);
    }
    post(s, e);
    Ok(Handled::Done(true))
}

/// A repeating button: `ctlEnterEvent` queues the first `ctlRepeatEvent`; each
/// `ctlRepeatEvent` handled while the pen is held inside blocks until the pen moves, then
/// queues the next one (virtual time never passes by itself, so holding still repeats only
/// when input arrives); the pen coming up ends the sequence.
#[allow(clippy::too_many_arguments)]
fn track_repeating(s: &mut Shim, mem: &mut dyn GuestMemory, cv: &Canvas, p: u32, c: &ControlType, ev: &EventType, up: bool, inside: bool, pen: (i32, i32)) -> Result<Handled, MemError> {
    let repeat = |s: &mut Shim| {
        let mut e = control_event(CTL_REPEAT_EVENT, c, p, ev);
        e.set_u32(event_data::ctl_repeat::TIME, s.ticks() as u32);
        post(s, e);
    };
    if ev.e_type == CTL_ENTER_EVENT {
        s.ui.forms.repeat_pen = None;
        draw(s, mem, cv, p, inside && !up)?;
        repeat(s);
        return Ok(Handled::Done(true));
    }
    if up {
        s.ui.forms.repeat_pen = None;
        draw(s, mem, cv, p, false)?;
        return Ok(Handled::Done(true));
    }
    draw(s, mem, cv, p, inside)?;
    match s.ui.forms.repeat_pen {
        Some(at) if at != pen && inside => {
            s.ui.forms.repeat_pen = None;
            repeat(s);
            Ok(Handled::Done(true))
        }
        _ => {
            s.ui.forms.repeat_pen = Some(pen);
            Ok(Handled::Block)
        }
    }
}

/// `CtlHandleEvent` for control `p`: pen-downs inside it queue `ctlEnterEvent`; enter and
/// repeat events for it are tracked.
pub(crate) fn handle_event(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, ev: &EventType) -> Result<Handled, MemError> {
    let c = read_control(mem, p)?;
    match ev.e_type {
        PEN_DOWN_EVENT => {
            if !c.has_attr(CTL_ATTR_USABLE) || !c.has_attr(CTL_ATTR_ENABLED) {
                return Ok(Handled::Done(false));
            }
            let Some(cv) = object_canvas(s, mem, p)? else { return Ok(Handled::Done(false)) };
            let (dox, doy) = s.ui.windows.draw_origin(mem)?;
            let (wx, wy) = cv.window_point(ev.screen_x as i32 + dox as i32, ev.screen_y as i32 + doy as i32);
            if Rect::from_palm(c.bounds.x, c.bounds.y, c.bounds.width, c.bounds.height).contains(wx, wy) {
                enter(s, &c, p, ev);
                return Ok(Handled::Done(true));
            }
            Ok(Handled::Done(false))
        }
        CTL_ENTER_EVENT | CTL_REPEAT_EVENT if ev.u32_at(event_data::ctl_enter::P_CONTROL) == p || ev.u16_at(event_data::ctl_enter::CONTROL_ID) == c.id => {
            track(s, mem, p, ev)
        }
        _ => Ok(Handled::Done(false)),
    }
}

// ---- Traps ----------------------------------------------------------------------------------

/// Reads the control argument; NULL is a fatal error.
fn control_arg(c: &mut TrapCall<'_>) -> Result<Result<u32, HandlerResult>, MemError> {
    let p = c.args().ptr()?;
    Ok(if p == 0 { Err(null_object(c, FILE, "control")) } else { Ok(p) })
}

macro_rules! control_or_fail {
    ($c:expr) => {
        match control_arg($c)? {
            Ok(p) => p,
            Err(r) => return r,
        }
    };
}

/// `void CtlDrawControl(ControlType *controlP)`
fn ctl_draw_control(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    if let Some(cv) = object_canvas(s, c.mem, p)? {
        draw(s, c.mem, &cv, p, false)?;
    }
    done()
}

/// `void CtlEraseControl(ControlType *controlP)`
fn ctl_erase_control(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    erase(s, c.mem, p)?;
    done()
}

/// `void CtlHideControl(ControlType *controlP)`: not usable, erased.
fn ctl_hide_control(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    if read_control(c.mem, p)?.has_attr(CTL_ATTR_VISIBLE) {
        erase(s, c.mem, p)?;
    }
    set_attr(c.mem, p, CTL_ATTR_USABLE, false)?;
    done()
}

/// `void CtlShowControl(ControlType *controlP)`: usable, drawn if its form is visible (or it
/// belongs to no form).
fn ctl_show_control(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    set_attr(c.mem, p, CTL_ATTR_USABLE, true)?;
    let visible_form = match owner_of(s, c.mem, p)? {
        Some((form, _)) => read_form(c.mem, form)?.attr & FORM_ATTR_VISIBLE != 0,
        None => true,
    };
    if visible_form {
        if let Some(cv) = object_canvas(s, c.mem, p)? {
            draw(s, c.mem, &cv, p, false)?;
        }
    }
    done()
}

/// `Int16 CtlGetValue(const ControlType *controlP)`
fn ctl_get_value(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let v = value(c.mem, p)?;
    c.ret(v as u16 as u32);
    done()
}

/// `void CtlSetValue(ControlType *controlP, Int16 newValue)`
fn ctl_set_value(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let v = { let mut a = c.args(); a.ptr()?; a.i16()? };
    set_value(s, c.mem, p, v)?;
    done()
}

/// `const Char *CtlGetLabel(const ControlType *controlP)`
fn ctl_get_label(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let ctl = read_control(c.mem, p)?;
    let label = if ctl.has_attr(CTL_ATTR_GRAPHICAL) || is_slider(&ctl) { 0 } else { ctl.text };
    c.ret_ptr(label);
    done()
}

/// `void CtlSetLabel(ControlType *controlP, const Char *newLabel)`: the control now shows
/// the caller's string (which must stay valid); a visible control is redrawn.
fn ctl_set_label(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let label = { let mut a = c.args(); a.ptr()?; a.ptr()? };
    let visible = read_control(c.mem, p)?.has_attr(CTL_ATTR_VISIBLE);
    if visible {
        erase(s, c.mem, p)?;
    }
    c.mem.write_u32(p.wrapping_add(ControlType::TEXT), label)?;
    if visible {
        if let Some(cv) = object_canvas(s, c.mem, p)? {
            draw(s, c.mem, &cv, p, false)?;
        }
    }
    done()
}

/// `Boolean CtlHandleEvent(ControlType *controlP, EventType *pEvent)`
fn ctl_handle_event(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let ev_p = { let mut a = c.args(); a.ptr()?; a.ptr()? };
    if ev_p == 0 {
        c.ret(0);
        return done();
    }
    let ev = read_event(c.mem, ev_p)?;
    match handle_event(s, c.mem, p, &ev)? {
        Handled::Done(b) => {
            c.ret(b as u32);
            done()
        }
        Handled::Block => Ok(TrapOutcome::Block),
    }
}

/// `void CtlHitControl(const ControlType *controlP)`: as if the control was tapped: its value
/// changes as a tap changes it and a `ctlSelectEvent` is queued.
fn ctl_hit_control(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let ctl = read_control(c.mem, p)?;
    match ctl.style {
        PUSH_BUTTON_CTL | CHECKBOX_CTL => match owner_of(s, c.mem, p)? {
            Some((form, _)) if ctl.group != 0 => select_in_group(s, c.mem, form, p)?,
            _ => set_value(s, c.mem, p, !ctl.has_attr(CTL_ATTR_ON) as i16)?,
        },
        _ => {}
    }
    let ctl = read_control(c.mem, p)?;
    let mut e = control_event(CTL_SELECT_EVENT, &ctl, p, &EventType::new(NIL_EVENT));
    e.set_u8(event_data::ctl_select::ON, ctl.has_attr(CTL_ATTR_ON) as u8);
    if is_slider(&ctl) {
        e.set_u16(event_data::ctl_select::VALUE, value(c.mem, p)? as u16);
    }
    post(s, e);
    done()
}

/// `void CtlSetEnabled(ControlType *controlP, Boolean usable)`
fn ctl_set_enabled(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let on = { let mut a = c.args(); a.ptr()?; a.bool()? };
    set_attr(c.mem, p, CTL_ATTR_ENABLED, on)?;
    done()
}

/// `void CtlSetUsable(ControlType *controlP, Boolean usable)`: the attribute only (no
/// drawing, as in PalmOS).
fn ctl_set_usable(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let on = { let mut a = c.args(); a.ptr()?; a.bool()? };
    set_attr(c.mem, p, CTL_ATTR_USABLE, on)?;
    done()
}

/// `Boolean CtlEnabled(const ControlType *controlP)`
fn ctl_enabled(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = control_or_fail!(c);
    let on = read_control(c.mem, p)?.has_attr(CTL_ATTR_ENABLED);
    c.ret(on as u32);
    done()
}

/// `Boolean CtlValidatePointer(const ControlType *controlP)`: whether it is a control of a
/// loaded form.
fn ctl_validate_pointer(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    let ok = matches!(owner_of(s, c.mem, p)?, Some((_, o)) if o.kind == FRM_CONTROL_OBJ);
    c.ret(ok as u32);
    done()
}

/// `ControlType *CtlNewControl(void **formPP, UInt16 ID, ControlStyleType style, const Char
/// *textP, Coord x, Coord y, Coord width, Coord height, FontID font, UInt8 group, Boolean
/// leftAnchor)`: a usable, enabled control with the style's usual frame (the label copied
/// into the form); the form does not move. NULL when the form has no room.
fn ctl_new_control(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (form_pp, id, style, text_p, x, y, w, h, font, group, left_anchor) = {
        let mut a = c.args();
        (a.ptr()?, a.u16()?, a.u8()?, a.ptr()?, a.i16()?, a.i16()?, a.i16()?, a.i16()?, a.u8()?, a.u8()?, a.bool()?)
    };
    let form = if form_pp == 0 { 0 } else { c.mem.read_u32(form_pp)? };
    if !s.ui.forms.is_form(form) {
        return super::bad_form(c, form);
    }
    if style > FEEDBACK_SLIDER_CTL || matches!(style, SLIDER_CTL | FEEDBACK_SLIDER_CTL) {
        return super::fatal(c, FILE, format!("style {style} needs CtlNewSliderControl"));
    }
    let frame = match style {
        CHECKBOX_CTL | POPUP_TRIGGER_CTL => NO_BUTTON_FRAME,
        _ => STANDARD_BUTTON_FRAME,
    };
    let mut attr = CTL_ATTR_USABLE | CTL_ATTR_ENABLED | ((frame as u16) << CTL_ATTR_FRAME_SHIFT);
    if left_anchor {
        attr |= CTL_ATTR_LEFT_ANCHOR;
    }
    let ctl = ControlType { id, bounds: RectangleType::new(x, y, w, h), text: 0, attr, style, font, group };
    let mut body = ctl.encode().to_vec();
    body.extend_from_slice(&read_text(c.mem, text_p)?);
    body.push(0);
    let p = super::traps::append_object(s, c.mem, form, FRM_CONTROL_OBJ, &body, Some((ControlType::LEN, ControlType::TEXT)))?;
    c.ret_ptr(p.unwrap_or(0));
    done()
}
