//! `FrmHandleEvent`: the Form Manager's default handling of an event for a form.
//!
//! | event | handling |
//! |---|---|
//! | `penDownEvent` | the first usable object under the pen (in object order) gets an enter event queued: enabled controls `ctlEnterEvent`, fields `fldEnterEvent`, usable lists `lstEnterEvent`; true if one was hit |
//! | `ctlEnterEvent`, `ctlRepeatEvent` | the control tracks the pen (`control`); may block until the pen is up |
//! | `lstEnterEvent` | the list tracks the pen (`list`); may block |
//! | `fldEnterEvent` | the field gets the focus; the insertion point goes where the pen is |
//! | `keyDownEvent` | `vchrNextField`/`vchrPrevField` move the focus between editable fields; other keys go to the focused field |
//! | `frmOpenEvent`, `frmUpdateEvent` | the form is drawn |
//! | `frmCloseEvent` | the form is erased and deleted |
//! | anything else | not handled (false) |
//!
//! Pen coordinates in events are relative to the draw window at delivery (as `EvtGetEvent`
//! makes them); they are turned into display and then form-window coordinates here.

use super::{control, field, list, objects, read_control, read_event, read_field, read_form, read_list, Obj};
use crate::graphics::Rect;
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::ui_layout::*;

/// What default handling did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handled {
    /// Finished; whether the event was handled.
    Done(bool),
    /// Waiting for input (the pen is still down): the trap must block.
    Block,
}

/// Where the pen stroke being tracked ended, or where the pen is while it is still down
/// (display coordinates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StrokeEnd {
    pub up: bool,
    pub x: i32,
    pub y: i32,
}

/// The end of the current stroke: the first queued `penUpEvent` (left in the queue); if a
/// pen-down of a later stroke comes first, the current stroke ended where it was entered
/// (`fallback`); with nothing queued, the pen's current state.
pub(crate) fn stroke_end(s: &Shim, fallback: (i32, i32)) -> StrokeEnd {
    for e in s.ui.events.queued() {
        match e.e_type {
            PEN_UP_EVENT => {
                return StrokeEnd {
                    up: true,
                    x: e.u16_at(event_data::pen_up::END_X) as i16 as i32,
                    y: e.u16_at(event_data::pen_up::END_Y) as i16 as i32,
                }
            }
            PEN_DOWN_EVENT => return StrokeEnd { up: true, x: fallback.0, y: fallback.1 },
            _ => {}
        }
    }
    let pen = s.ui.events.pen();
    StrokeEnd { up: !pen.down, x: pen.x as i32, y: pen.y as i32 }
}

/// An event's pen position in `form`'s window coordinates.
pub(crate) fn event_point_in_form(s: &Shim, mem: &dyn GuestMemory, form: u32, ev: &EventType) -> Result<(i32, i32), MemError> {
    let (dx, dy) = s.ui.windows.draw_origin(mem)?;
    let f = read_form(mem, form)?;
    Ok((ev.screen_x as i32 + dx as i32 - f.window.bounds.x as i32, ev.screen_y as i32 + dy as i32 - f.window.bounds.y as i32))
}

fn contains(r: &RectangleType, x: i32, y: i32) -> bool {
    Rect::from_palm(r.x, r.y, r.width, r.height).contains(x, y)
}

/// The first object under (`x`, `y`) (form coordinates) that takes the pen.
fn hit(mem: &dyn GuestMemory, form: u32, x: i32, y: i32) -> Result<Option<Obj>, MemError> {
    for o in objects(mem, form)? {
        if o.ptr == 0 {
            continue;
        }
        let taken = match o.kind {
            FRM_CONTROL_OBJ => {
                let c = read_control(mem, o.ptr)?;
                c.has_attr(CTL_ATTR_USABLE) && c.has_attr(CTL_ATTR_ENABLED) && contains(&c.bounds, x, y)
            }
            FRM_FIELD_OBJ => {
                let f = read_field(mem, o.ptr)?;
                f.has_attr(FLD_ATTR_USABLE) && contains(&f.rect, x, y)
            }
            FRM_LIST_OBJ => {
                let l = read_list(mem, o.ptr)?;
                l.has_attr(LST_ATTR_USABLE) && contains(&l.bounds, x, y)
            }
            _ => false,
        };
        if taken {
            return Ok(Some(o));
        }
    }
    Ok(None)
}

/// `FrmHandleEvent(form, event)` (see the module documentation).
pub(crate) fn handle_event(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32, event_p: u32) -> Result<Handled, MemError> {
    let ev = read_event(mem, event_p)?;
    let f = read_form(mem, form)?;
    match ev.e_type {
        PEN_DOWN_EVENT => {
            let (x, y) = event_point_in_form(s, mem, form, &ev)?;
            let Some(o) = hit(mem, form, x, y)? else { return Ok(Handled::Done(false)) };
            match o.kind {
                FRM_CONTROL_OBJ => {
                    let c = read_control(mem, o.ptr)?;
                    control::enter(s, &c, o.ptr, &ev);
                }
                FRM_FIELD_OBJ => {
                    let fld = read_field(mem, o.ptr)?;
                    field::enter(s, &fld, o.ptr, &ev);
                }
                _ => {
                    let l = read_list(mem, o.ptr)?;
                    list::enter(s, &l, o.ptr, &ev);
                }
            }
            Ok(Handled::Done(true))
        }
        CTL_ENTER_EVENT | CTL_REPEAT_EVENT => match ev.u32_at(event_data::ctl_enter::P_CONTROL) {
            0 => Ok(Handled::Done(false)),
            p => control::track(s, mem, p, &ev),
        },
        LST_ENTER_EVENT => match ev.u32_at(event_data::lst_select::P_LIST) {
            0 => Ok(Handled::Done(false)),
            p => list::track(s, mem, p, &ev),
        },
        FLD_ENTER_EVENT => {
            let p = ev.u32_at(event_data::fld_enter::P_FIELD);
            let Some(o) = objects(mem, form)?.into_iter().find(|o| o.ptr == p && p != 0) else { return Ok(Handled::Done(false)) };
            super::traps::set_focus(s, mem, form, o.index)?;
            let (x, y) = event_point_in_form(s, mem, form, &ev)?;
            field::place_insertion_point(s, mem, p, x, y)?;
            Ok(Handled::Done(true))
        }
        KEY_DOWN_EVENT => {
            let chr = ev.u16_at(event_data::key_down::CHR);
            let modifiers = ev.u16_at(event_data::key_down::MODIFIERS);
            if modifiers & COMMAND_KEY_MASK != 0 && matches!(chr, VCHR_NEXT_FIELD | VCHR_PREV_FIELD) {
                return Ok(Handled::Done(super::traps::move_focus(s, mem, form, chr == VCHR_NEXT_FIELD)?));
            }
            if f.focus == NO_FOCUS {
                return Ok(Handled::Done(false));
            }
            match super::object_at(mem, form, f.focus)? {
                Some(o) if o.kind == FRM_FIELD_OBJ && o.ptr != 0 => Ok(Handled::Done(field::handle_key(s, mem, o.ptr, chr, modifiers)?)),
                _ => Ok(Handled::Done(false)),
            }
        }
        FRM_OPEN_EVENT | FRM_UPDATE_EVENT => {
            super::draw::draw_form(s, mem, form)?;
            Ok(Handled::Done(true))
        }
        FRM_CLOSE_EVENT => {
            super::traps::close_form(s, mem, form)?;
            Ok(Handled::Done(true))
        }
        _ => Ok(Handled::Done(false)),
    }
}
