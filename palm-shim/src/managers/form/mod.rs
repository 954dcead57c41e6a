//! The Form Manager and the objects forms hold: controls (`Ctl*`), fields (`Fld*`), lists
//! (`Lst*`), labels, titles and form bitmaps, alerts (`FrmAlert`, `FrmCustomAlert`), and the
//! event flow between them and an application's form event handlers (68k code, called
//! through `TrapOutcome::CallGuest`), and menus (`Menu*`, `'MBAR'`). `docs/forms.md` is the
//! reference.
//!
//! | module | owns |
//! |---|---|
//! | [`resource`] | `tFRM`, `Talt`, `tSTR` parsing and writing (host models) |
//! | [`builder`] | the host-side builder of those resources for our own applications |
//! | `traps` | `Frm*` traps: loading, drawing, object access, the form list, dispatching events to handlers |
//! | `events` | `FrmHandleEvent`: pen-downs become enter events, enter events are tracked, keys go to the focused field |
//! | `control`, `field`, `list` | `Ctl*`, `Fld*`, `Lst*` traps and their drawing and behaviour |
//! | `alert` | modal alerts that block the trap until a button is tapped |
//! | [`menu`] | `'MBAR'` resources, `MenuInit`, the active menu, `MenuHandleEvent` (blocks while the menu is open) |
//! | `draw` | drawing surfaces for form windows, titles, labels, form bitmaps |
//!
//! # Guest memory is the source of truth
//! A form is one dynamic-heap chunk: a copy of its `tFRM` resource with the offsets turned
//! into pointers (`FormType` first, so the form's address is also its `WinHandle`). Every
//! trap re-reads the structures it needs, so applications that poke `FormType`, `ControlType`
//! or `FieldType` fields directly are seen as they are. The host keeps only the list of forms
//! it loaded, the active form, label/title buffer sizes, and the state of a modal alert.
//!
//! # Misuse
//! What a debug PalmOS ROM reports with a fatal error (a NULL or unknown form, an object index
//! out of range, a missing or malformed form or alert resource) stops the run with
//! `StopRequest::ErrDisplay` naming the trap; nothing the guest passes panics the host.

pub mod alert;
pub mod builder;
mod control;
mod draw;
mod events;
mod field;
mod list;
pub mod menu;
pub mod resource;
mod traps;
#[cfg(test)]
mod tests;

pub use traps::install;

use crate::dispatch::{HandlerResult, StopRequest, TrapCall, TrapOutcome};
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::trap_names::trap_name;
use palm_abi::ui_layout::*;
use std::collections::BTreeMap;

/// Longest label, title, control or list-item text read from guest memory.
pub const MAX_UI_TEXT: u32 = 1024;
/// Most objects a form may have (bounds every walk over a guest-written object count).
pub const MAX_FORM_OBJECTS: u16 = 1024;

/// The Form Manager's host state (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct FormManager {
    /// Forms in memory (`FrmInitForm`, `FrmNewForm`), oldest first.
    pub(crate) forms: Vec<u32>,
    /// `FrmGetActiveForm`.
    pub(crate) active: u32,
    /// Label and title buffers loaded from resources: text address -> bytes available
    /// (NUL included), so `FrmCopyLabel`/`FrmCopyTitle` never write past them.
    pub(crate) text_capacity: BTreeMap<u32, u32>,
    /// The alert `FrmAlert`/`FrmCustomAlert` is showing while it blocks.
    pub(crate) alert: Option<alert::AlertSession>,
    /// A `FrmDispatchEvent` whose handler returned false and whose `FrmHandleEvent` then
    /// blocked (waiting for the pen to come up): the event pointer and contents. When the
    /// trap runs again for the same event, the handler is not called a second time.
    pub(crate) blocked_dispatch: Option<(u32, EventType)>,
    /// Bytes of each form's chunk in use (objects added by `FrmNewLabel`/`CtlNewControl` go
    /// after them).
    pub(crate) used: BTreeMap<u32, u32>,
    /// Where the pen was when a held repeating button last blocked (display coordinates).
    pub(crate) repeat_pen: Option<(i32, i32)>,
    /// Menus: the active menu bar and the menu on the screen.
    pub(crate) menu: menu::MenuState,
}

impl FormManager {
    pub fn new() -> Self {
        Self::default()
    }
    /// The forms in memory, oldest first.
    pub fn forms(&self) -> &[u32] {
        &self.forms
    }
    /// The active form (0 if none).
    pub fn active_form(&self) -> u32 {
        self.active
    }
    /// Whether `p` is a form the Form Manager loaded and has not deleted.
    pub fn is_form(&self, p: u32) -> bool {
        p != 0 && self.forms.contains(&p)
    }
    /// Whether a modal alert is on the screen, waiting for a tap.
    pub fn alert_showing(&self) -> bool {
        self.alert.is_some()
    }
    /// Whether a menu is on the screen, waiting for a tap.
    pub fn menu_showing(&self) -> bool {
        self.menu.showing()
    }
}

// ---- Reading guest structures -------------------------------------------------------------

/// One entry of a form's object list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Obj {
    pub index: u16,
    pub kind: u8,
    pub ptr: u32,
}

fn read_array<const N: usize>(mem: &dyn GuestMemory, p: u32) -> Result<[u8; N], MemError> {
    let mut b = [0u8; N];
    mem.read(p, &mut b)?;
    Ok(b)
}

pub(crate) fn read_form(mem: &dyn GuestMemory, form: u32) -> Result<FormType, MemError> {
    Ok(FormType::decode(&read_array(mem, form)?))
}
pub(crate) fn read_control(mem: &dyn GuestMemory, p: u32) -> Result<ControlType, MemError> {
    Ok(ControlType::decode(&read_array(mem, p)?))
}
pub(crate) fn read_field(mem: &dyn GuestMemory, p: u32) -> Result<FieldType, MemError> {
    Ok(FieldType::decode(&read_array(mem, p)?))
}
pub(crate) fn read_list(mem: &dyn GuestMemory, p: u32) -> Result<ListType, MemError> {
    Ok(ListType::decode(&read_array(mem, p)?))
}
pub(crate) fn read_label(mem: &dyn GuestMemory, p: u32) -> Result<FormLabelType, MemError> {
    Ok(FormLabelType::decode(&read_array(mem, p)?))
}
pub(crate) fn read_title(mem: &dyn GuestMemory, p: u32) -> Result<FormTitleType, MemError> {
    Ok(FormTitleType::decode(&read_array(mem, p)?))
}
pub(crate) fn read_event(mem: &dyn GuestMemory, p: u32) -> Result<EventType, MemError> {
    Ok(EventType::decode(&read_array(mem, p)?))
}
pub(crate) fn read_rect_at(mem: &dyn GuestMemory, p: u32) -> Result<RectangleType, MemError> {
    Ok(RectangleType::decode(&read_array(mem, p)?))
}

/// A NUL-terminated string (empty for NULL), at most [`MAX_UI_TEXT`] bytes.
pub(crate) fn read_text(mem: &dyn GuestMemory, p: u32) -> Result<Vec<u8>, MemError> {
    if p == 0 {
        return Ok(Vec::new());
    }
    mem.read_cstr(p, MAX_UI_TEXT)
}

/// The number of objects, bounded by [`MAX_FORM_OBJECTS`].
fn object_count(f: &FormType) -> u16 {
    f.num_objects.min(MAX_FORM_OBJECTS)
}

/// The object at `index`, `None` when the form has fewer objects.
pub(crate) fn object_at(mem: &dyn GuestMemory, form: u32, index: u16) -> Result<Option<Obj>, MemError> {
    let f = read_form(mem, form)?;
    if index >= object_count(&f) {
        return Ok(None);
    }
    let entry = FormObjListType::decode(&read_array(mem, f.objects.wrapping_add(index as u32 * FormObjListType::LEN))?);
    Ok(Some(Obj { index, kind: entry.object_type, ptr: entry.object }))
}

/// Every object of a form, in order.
pub(crate) fn objects(mem: &dyn GuestMemory, form: u32) -> Result<Vec<Obj>, MemError> {
    let f = read_form(mem, form)?;
    let n = object_count(&f);
    let mut out = Vec::with_capacity(n as usize);
    for index in 0..n {
        let entry = FormObjListType::decode(&read_array(mem, f.objects.wrapping_add(index as u32 * FormObjListType::LEN))?);
        out.push(Obj { index, kind: entry.object_type, ptr: entry.object });
    }
    Ok(out)
}

/// `FrmGetObjectId`: the object's ID (a form bitmap's is its resource ID); objects without
/// one (titles, lines, rectangles, popups, Graffiti indicators) answer
/// `frmInvalidObjectId`.
pub(crate) fn object_id(mem: &dyn GuestMemory, o: &Obj) -> Result<u16, MemError> {
    if o.ptr == 0 {
        return Ok(FRM_INVALID_OBJECT_ID);
    }
    Ok(match o.kind {
        FRM_FIELD_OBJ | FRM_CONTROL_OBJ | FRM_LIST_OBJ | FRM_TABLE_OBJ | FRM_LABEL_OBJ | FRM_GADGET_OBJ | FRM_FRAME_OBJ => mem.read_u16(o.ptr)?,
        FRM_BITMAP_OBJ => mem.read_u16(o.ptr.wrapping_add(FormBitmapType::RSC_ID))?,
        FRM_SCROLL_BAR_OBJ => mem.read_u16(o.ptr.wrapping_add(scroll_bar::ID))?,
        _ => FRM_INVALID_OBJECT_ID,
    })
}

/// `FrmGetObjectIndex`: the index of the first object with `id`.
pub(crate) fn object_index(mem: &dyn GuestMemory, form: u32, id: u16) -> Result<Option<Obj>, MemError> {
    for o in objects(mem, form)? {
        if object_id(mem, &o)? == id {
            return Ok(Some(o));
        }
    }
    Ok(None)
}

/// The form (among those loaded) holding the object at `ptr`, and the object.
pub(crate) fn owner_of(s: &Shim, mem: &dyn GuestMemory, ptr: u32) -> Result<Option<(u32, Obj)>, MemError> {
    if ptr == 0 {
        return Ok(None);
    }
    for &form in s.ui.forms.forms.iter().rev() {
        if let Some(o) = objects(mem, form)?.into_iter().find(|o| o.ptr == ptr) {
            return Ok(Some((form, o)));
        }
    }
    Ok(None)
}

// ---- Events -------------------------------------------------------------------------------

/// Appends an event to the application queue (`EvtAddEventToQueue`).
pub(crate) fn post(s: &mut Shim, e: EventType) {
    s.ui.events.add(e);
}

/// A form event (`frmLoadEvent`, `frmOpenEvent`, `frmCloseEvent`, ...) for `form_id`.
pub(crate) fn form_event(e_type: u16, form_id: u16) -> EventType {
    let mut e = EventType::new(e_type);
    e.set_u16(event_data::frm_load::FORM_ID, form_id);
    e
}

// ---- Fatal errors -------------------------------------------------------------------------

/// Ends the trap the way a debug ROM's `ErrFatalDisplay` does: D0/A0 cleared, the run stops
/// with `StopRequest::ErrDisplay` (`file` is the PalmOS source the check lives in).
pub(crate) fn fatal(c: &mut TrapCall<'_>, file: &str, message: String) -> HandlerResult {
    let trap = trap_name(c.word).unwrap_or("?");
    let message = format!("{trap}: {message}");
    log::warn!("{file}: {message}");
    c.ret_ptr(0);
    Ok(TrapOutcome::Stop(StopRequest::ErrDisplay { file: file.into(), line: 0, message }))
}

/// A NULL or unknown `FormType *`.
pub(crate) fn bad_form(c: &mut TrapCall<'_>, form: u32) -> HandlerResult {
    let what = if form == 0 { "NULL form".to_string() } else { format!("{form:#010x} is not a form") };
    fatal(c, "Form.c", what)
}

/// An object index the form does not have.
pub(crate) fn bad_index(c: &mut TrapCall<'_>, index: u16) -> HandlerResult {
    fatal(c, "Form.c", format!("object index {index} out of range"))
}

/// A NULL object pointer (`what`: "control", "field", "list").
pub(crate) fn null_object(c: &mut TrapCall<'_>, file: &str, what: &str) -> HandlerResult {
    fatal(c, file, format!("NULL {what}"))
}

/// The arguments after the first (a pointer: the form, control, field or list).
pub(crate) fn rest<'c>(c: &'c TrapCall<'_>) -> crate::ArgReader<'c> {
    crate::ArgReader::new(&*c.mem, c.args_base.wrapping_add(4))
}

pub(crate) fn done() -> HandlerResult {
    Ok(TrapOutcome::Continue)
}
