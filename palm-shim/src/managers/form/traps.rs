//! `Frm*` traps (and `MenuHandleEvent`): loading forms from `tFRM` resources, the form list
//! and the active form, drawing and erasing, object access, focus, labels and titles, and
//! the event flow: `FrmDispatchEvent` calls the form's 68k event handler through
//! `TrapOutcome::CallGuest` and falls back to `FrmHandleEvent` when it returns false;
//! `FrmGotoForm` and `FrmCloseAllForms` send `frmCloseEvent` to each form's handler the same
//! way before deleting the forms.
//!
//! Every `FormType *` argument must be a form this Form Manager loaded (NULL and unknown
//! pointers are fatal errors, as `ErrFatalDisplay` in a debug ROM), except where PalmOS
//! accepts NULL (`FrmSetActiveForm`, `FrmValidatePtr`, `FrmGetActiveField`). Object
//! indexes out of range are fatal too. `FrmGetControlValue`/`FrmSetControlValue` take an
//! object index (despite the SDK's parameter name), `FrmSetControlGroupSelection` a control
//! ID.

use super::draw::{self, form_canvas, label_bounds, resource_data};
use super::events::{handle_event, Handled};
use super::resource::parse_form;
use super::{
    bad_form, bad_index, control, done, fatal, field, form_event, list, object_at, object_id, object_index, objects, post, rest, read_control, read_event, read_form, read_label, read_rect_at,
    read_text, read_title, Obj,
};
use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::graphics::{self as g, FrameType, Rect};
use crate::managers::memory_mgr::{DYNAMIC_HEAP_ID, STORAGE_HEAP_ID};
use crate::managers::window::rect_to_palm;
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::traps as t;
use palm_abi::ui_layout::*;

pub fn install(tb: &mut TrapTable) {
    tb.register(t::FRM_INIT_FORM, frm_init_form);
    tb.register(t::FRM_DELETE_FORM, frm_delete_form);
    tb.register(t::FRM_DRAW_FORM, frm_draw_form);
    tb.register(t::FRM_ERASE_FORM, frm_erase_form);
    tb.register(t::FRM_GET_ACTIVE_FORM, frm_get_active_form);
    tb.register(t::FRM_SET_ACTIVE_FORM, frm_set_active_form);
    tb.register(t::FRM_GET_ACTIVE_FORM_ID, frm_get_active_form_id);
    tb.register(t::FRM_GET_USER_MODIFIED_STATE, frm_get_user_modified_state);
    tb.register(t::FRM_SET_NOT_USER_MODIFIED, frm_set_not_user_modified);
    tb.register(t::FRM_GET_FOCUS, frm_get_focus);
    tb.register(t::FRM_SET_FOCUS, frm_set_focus);
    tb.register(t::FRM_HANDLE_EVENT, frm_handle_event);
    tb.register(t::FRM_GET_FORM_BOUNDS, frm_get_form_bounds);
    tb.register(t::FRM_GET_WINDOW_HANDLE, frm_get_window_handle);
    tb.register(t::FRM_GET_FORM_ID, frm_get_form_id);
    tb.register(t::FRM_GET_FORM_PTR, frm_get_form_ptr);
    tb.register(t::FRM_GET_FIRST_FORM, frm_get_first_form);
    tb.register(t::FRM_GET_NUMBER_OF_OBJECTS, frm_get_number_of_objects);
    tb.register(t::FRM_GET_OBJECT_INDEX, frm_get_object_index);
    tb.register(t::FRM_GET_OBJECT_INDEX_FROM_PTR, frm_get_object_index_from_ptr);
    tb.register(t::FRM_GET_OBJECT_ID, frm_get_object_id);
    tb.register(t::FRM_GET_OBJECT_TYPE, frm_get_object_type);
    tb.register(t::FRM_GET_OBJECT_PTR, frm_get_object_ptr);
    tb.register(t::FRM_HIDE_OBJECT, frm_hide_object);
    tb.register(t::FRM_SHOW_OBJECT, frm_show_object);
    tb.register(t::FRM_GET_OBJECT_POSITION, frm_get_object_position);
    tb.register(t::FRM_SET_OBJECT_POSITION, frm_set_object_position);
    tb.register(t::FRM_GET_OBJECT_BOUNDS, frm_get_object_bounds);
    tb.register(t::FRM_SET_OBJECT_BOUNDS, frm_set_object_bounds);
    tb.register(t::FRM_GET_CONTROL_VALUE, frm_get_control_value);
    tb.register(t::FRM_SET_CONTROL_VALUE, frm_set_control_value);
    tb.register(t::FRM_GET_CONTROL_GROUP_SELECTION, frm_get_control_group_selection);
    tb.register(t::FRM_SET_CONTROL_GROUP_SELECTION, frm_set_control_group_selection);
    tb.register(t::FRM_COPY_LABEL, frm_copy_label);
    tb.register(t::FRM_GET_LABEL, frm_get_label);
    tb.register(t::FRM_GET_TITLE, frm_get_title);
    tb.register(t::FRM_SET_TITLE, frm_set_title);
    tb.register(t::FRM_COPY_TITLE, frm_copy_title);
    tb.register(t::FRM_VISIBLE, frm_visible);
    tb.register(t::FRM_ALERT, super::alert::frm_alert);
    tb.register(t::FRM_CUSTOM_ALERT, super::alert::frm_custom_alert);
    tb.register(t::FRM_GOTO_FORM, frm_goto_form);
    tb.register(t::FRM_POPUP_FORM, frm_popup_form);
    tb.register(t::FRM_RETURN_TO_FORM, frm_return_to_form);
    tb.register(t::FRM_UPDATE_FORM, frm_update_form);
    tb.register(t::FRM_SET_EVENT_HANDLER, frm_set_event_handler);
    tb.register(t::FRM_DISPATCH_EVENT, frm_dispatch_event);
    tb.register(t::FRM_CLOSE_ALL_FORMS, frm_close_all_forms);
    tb.register(t::FRM_SAVE_ALL_FORMS, frm_save_all_forms);
    tb.register(t::FRM_GET_GADGET_DATA, frm_get_gadget_data);
    tb.register(t::FRM_SET_GADGET_DATA, frm_set_gadget_data);
    tb.register(t::FRM_POINT_IN_TITLE, frm_point_in_title);
    tb.register(t::FRM_SET_MENU, frm_set_menu);
    tb.register(t::FRM_VALIDATE_PTR, frm_validate_ptr);
    tb.register(t::FRM_GET_ACTIVE_FIELD, frm_get_active_field);
    tb.register(t::FRM_NEW_FORM, frm_new_form);
    tb.register(t::FRM_NEW_LABEL, frm_new_label);
    tb.register(t::MENU_HANDLE_EVENT, super::menu::menu_handle_event);
    tb.register(t::MENU_INIT, super::menu::menu_init);
    tb.register(t::MENU_DISPOSE, super::menu::menu_dispose);
    tb.register(t::MENU_GET_ACTIVE_MENU, super::menu::menu_get_active_menu);
    tb.register(t::MENU_SET_ACTIVE_MENU, super::menu::menu_set_active_menu);
    tb.register(t::MENU_SET_ACTIVE_MENU_RSC_ID, super::menu::menu_set_active_menu_rsc_id);
    tb.register(t::MENU_DRAW_MENU, super::menu::menu_nothing_to_draw);
    tb.register(t::MENU_ERASE_STATUS, super::menu::menu_nothing_to_draw);
    tb.register(t::MENU_ERASE_MENU, super::menu::menu_nothing_to_draw);
    control::install(tb);
    field::install(tb);
    list::install(tb);
}

// ---- Loading and deleting -------------------------------------------------------------------

/// `FrmInitForm`'s work: [`load_form_bytes`] on `tFRM` `id`. `Ok(Err(message))` for a
/// missing or malformed resource or a full heap.
pub(crate) fn load_form(s: &mut Shim, mem: &mut dyn GuestMemory, id: u16) -> Result<Result<u32, String>, MemError> {
    let Some((p, size)) = resource_data(s, mem, FORM_RSC_TYPE, id) else { return Ok(Err(format!("no 'tFRM' resource {id}"))) };
    let bytes = mem.read_vec(p, size)?;
    load_form_bytes(s, mem, &bytes, 0, &format!("'tFRM' resource {id}"))
}

/// Copies a form resource into a new dynamic-heap chunk owned by the current application
/// (with `room` spare bytes for objects added later), turns its offsets into pointers,
/// initialises its window and puts it at the front of the window list.
pub(crate) fn load_form_bytes(s: &mut Shim, mem: &mut dyn GuestMemory, bytes: &[u8], room: u32, what: &str) -> Result<Result<u32, String>, MemError> {
    let parsed = match parse_form(bytes) {
        Ok(p) => p,
        Err(e) => return Ok(Err(format!("{what}: {e}"))),
    };
    if !s.ui.windows.ensure_created(&mut s.memory, mem)? {
        return Ok(Err("the display window cannot be created".into()));
    }
    let owner = s.memory.current_owner();
    let used = bytes.len() as u32;
    let base = match s.memory.alloc_ptr(mem, DYNAMIC_HEAP_ID, used + room, owner) {
        Ok(b) => b,
        Err(e) => return Ok(Err(format!("no room for {what} ({} bytes): {e}", used + room))),
    };
    mem.write(base, bytes)?;
    s.ui.forms.used.insert(base, used);
    let at = |off: u32| base.wrapping_add(off);
    mem.write_u32(at(FormType::BITS_BEHIND_FORM), 0)?;
    mem.write_u32(at(FormType::HANDLER), 0)?;
    mem.write_u16(at(FormType::FOCUS), NO_FOCUS)?;
    let attr = mem.read_u32(at(FormType::ATTR))?;
    mem.write_u32(at(FormType::ATTR), attr & !FORM_ATTR_VISIBLE)?;
    mem.write_u32(at(FormType::OBJECTS), at(parsed.objects_offset))?;
    for (i, lay) in parsed.layout.iter().enumerate() {
        let obj = at(lay.offset);
        mem.write_u32(at(parsed.objects_offset + i as u32 * FormObjListType::LEN + FormObjListType::OBJECT), obj)?;
        if let Some(text) = lay.text {
            let field_off = match lay.kind {
                FRM_CONTROL_OBJ => ControlType::TEXT,
                FRM_LABEL_OBJ => FormLabelType::TEXT,
                _ => FormTitleType::TEXT,
            };
            mem.write_u32(obj.wrapping_add(field_off), at(text))?;
            let len = mem.read_cstr(at(text), super::resource::MAX_RESOURCE_TEXT as u32)?.len() as u32;
            s.ui.forms.text_capacity.insert(at(text), len + 1);
        }
        if let Some((array, items)) = &lay.list_items {
            mem.write_u32(obj.wrapping_add(ListType::ITEMS_TEXT), if items.is_empty() { 0 } else { at(*array) })?;
            for (k, item) in items.iter().enumerate() {
                mem.write_u32(at(array + 4 * k as u32), at(*item))?;
            }
            mem.write_u32(obj.wrapping_add(ListType::POPUP_WIN), 0)?;
            mem.write_u32(obj.wrapping_add(ListType::DRAW_ITEMS_CALLBACK), 0)?;
        }
        match lay.kind {
            FRM_FIELD_OBJ => {
                let mut f = FieldType::decode(&super::read_array(mem, obj)?);
                f.text = 0;
                f.text_handle = 0;
                f.lines = 0;
                f.text_len = 0;
                f.text_block_size = 0;
                f.sel_first_pos = 0;
                f.sel_last_pos = 0;
                f.ins_pt_x_pos = 0;
                f.ins_pt_y_pos = 0;
                f.attr &= !(FLD_ATTR_VISIBLE | FLD_ATTR_HAS_FOCUS | FLD_ATTR_DIRTY);
                mem.write(obj, &f.encode())?;
            }
            FRM_CONTROL_OBJ | FRM_LIST_OBJ => draw::set_object_visible(mem, &Obj { index: i as u16, kind: lay.kind, ptr: obj }, false)?,
            _ => {}
        }
    }
    s.ui.windows.initialize_window(mem, base)?;
    s.ui.windows.add_window(mem, base)?;
    s.ui.forms.forms.push(base);
    Ok(Ok(base))
}

/// `FrmDeleteForm`'s work: frees the text handles of its fields (dynamic-heap ones; a
/// storage-heap handle, a database record the application forgot to detach, is only
/// unlocked), the saved screen bits, its window and its chunk. It stops being the active
/// form.
pub(crate) fn delete_form(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32) -> Result<(), MemError> {
    super::menu::form_deleted(s, mem, form);
    for o in objects(mem, form)? {
        if o.kind != FRM_FIELD_OBJ || o.ptr == 0 {
            continue;
        }
        let h = mem.read_u32(o.ptr.wrapping_add(FieldType::TEXT_HANDLE))?;
        if h != 0 && s.memory.heap_id_of(h) == Some(STORAGE_HEAP_ID) {
            log::warn!("FrmDeleteForm: field {:#010x} still holds storage handle {h:#010x}; unlocked, not freed", o.ptr);
            let _ = s.memory.unlock_handle(mem, h);
            mem.write_u32(o.ptr.wrapping_add(FieldType::TEXT_HANDLE), 0)?;
            mem.write_u32(o.ptr.wrapping_add(FieldType::TEXT), 0)?;
        } else {
            field::free_memory(s, mem, o.ptr)?;
        }
    }
    let f = read_form(mem, form)?;
    if f.bits_behind_form != 0 {
        s.ui.windows.delete_window(&mut s.memory, mem, f.bits_behind_form, false)?;
    }
    s.ui.windows.delete_window(&mut s.memory, mem, form, false)?;
    let size = s.memory.ptr_info(mem, form).map_or(0, |i| i.data_size);
    s.ui.forms.text_capacity.retain(|&a, _| !(a >= form && a < form.wrapping_add(size)));
    s.ui.forms.used.remove(&form);
    s.ui.forms.forms.retain(|&x| x != form);
    if s.ui.forms.active == form {
        s.ui.forms.active = 0;
    }
    if let Err(e) = s.memory.free_chunk(mem, form) {
        log::warn!("FrmDeleteForm: cannot free form {form:#010x}: {e}");
    }
    Ok(())
}

/// `frmCloseEvent`'s default handling: erase, then delete.
pub(crate) fn close_form(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32) -> Result<(), MemError> {
    draw::erase_form(s, mem, form)?;
    delete_form(s, mem, form)
}

/// The newest loaded form with `form_id`.
fn form_by_id(s: &Shim, mem: &dyn GuestMemory, form_id: u16) -> Result<Option<u32>, MemError> {
    for &f in s.ui.forms.forms.iter().rev() {
        if read_form(mem, f)?.form_id == form_id {
            return Ok(Some(f));
        }
    }
    Ok(None)
}

// ---- Focus ----------------------------------------------------------------------------------

/// `FrmSetFocus`: the old focus field releases the focus, object `index` (a field) takes it;
/// `noFocus` clears it.
pub(crate) fn set_focus(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32, index: u16) -> Result<(), MemError> {
    let f = read_form(mem, form)?;
    if f.focus != NO_FOCUS && f.focus != index {
        if let Some(o) = object_at(mem, form, f.focus)? {
            if o.kind == FRM_FIELD_OBJ && o.ptr != 0 {
                field::set_focus(s, mem, o.ptr, false)?;
            }
        }
    }
    mem.write_u16(form.wrapping_add(FormType::FOCUS), index)?;
    if let Some(o) = object_at(mem, form, index)? {
        if o.kind == FRM_FIELD_OBJ && o.ptr != 0 {
            field::set_focus(s, mem, o.ptr, true)?;
        }
    }
    Ok(())
}

/// `vchrNextField` / `vchrPrevField`: the focus moves to the next (previous) usable,
/// editable field, wrapping around. False if the form has none.
pub(crate) fn move_focus(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32, forward: bool) -> Result<bool, MemError> {
    let mut fields = Vec::new();
    for o in objects(mem, form)? {
        if o.kind == FRM_FIELD_OBJ && o.ptr != 0 {
            let f = super::read_field(mem, o.ptr)?;
            if f.has_attr(FLD_ATTR_USABLE) && f.has_attr(FLD_ATTR_EDITABLE) {
                fields.push(o.index);
            }
        }
    }
    if fields.is_empty() {
        return Ok(false);
    }
    let focus = read_form(mem, form)?.focus;
    let n = fields.len();
    let next = match fields.iter().position(|&i| i == focus) {
        Some(k) if forward => fields[(k + 1) % n],
        Some(k) => fields[(k + n - 1) % n],
        None if forward => fields[0],
        None => fields[n - 1],
    };
    set_focus(s, mem, form, next)?;
    Ok(true)
}

// ---- Argument helpers -----------------------------------------------------------------------

/// Reads the form argument at the start of the stack; `Err` holds the fatal outcome for a
/// NULL or unknown form.
fn form_arg(s: &Shim, c: &mut TrapCall<'_>) -> Result<Result<u32, HandlerResult>, MemError> {
    let form = c.args().ptr()?;
    Ok(if s.ui.forms.is_form(form) { Ok(form) } else { Err(bad_form(c, form)) })
}

macro_rules! form_or_fail {
    ($s:expr, $c:expr) => {
        match form_arg($s, $c)? {
            Ok(f) => f,
            Err(r) => return r,
        }
    };
}


/// Object `index` of `form`; `Err` holds the fatal outcome for an index out of range.
fn object_or_fail(c: &mut TrapCall<'_>, form: u32, index: u16) -> Result<Result<Obj, HandlerResult>, MemError> {
    Ok(match object_at(c.mem, form, index)? {
        Some(o) => Ok(o),
        None => Err(bad_index(c, index)),
    })
}

macro_rules! object_or_fail {
    ($c:expr, $form:expr, $index:expr) => {
        match object_or_fail($c, $form, $index)? {
            Ok(o) => o,
            Err(r) => return r,
        }
    };
}

fn ret_u16(c: &mut TrapCall<'_>, v: u16) -> HandlerResult {
    c.ret(v as u32);
    done()
}

fn ret_ptr(c: &mut TrapCall<'_>, v: u32) -> HandlerResult {
    c.ret_ptr(v);
    done()
}

// ---- Forms ----------------------------------------------------------------------------------

/// `FormType *FrmInitForm(UInt16 rscID)`
fn frm_init_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    match load_form(s, c.mem, id)? {
        Ok(form) => ret_ptr(c, form),
        Err(message) => fatal(c, "Form.c", message),
    }
}

/// `void FrmDeleteForm(FormType *formP)`
fn frm_delete_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    delete_form(s, c.mem, form)?;
    done()
}

/// `void FrmDrawForm(FormType *formP)`
fn frm_draw_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    draw::draw_form(s, c.mem, form)?;
    done()
}

/// `void FrmEraseForm(FormType *formP)`
fn frm_erase_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    draw::erase_form(s, c.mem, form)?;
    done()
}

/// `FormType *FrmGetActiveForm(void)`
fn frm_get_active_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    ret_ptr(c, s.ui.forms.active)
}

/// `void FrmSetActiveForm(FormType *formP)`: the form receives input and becomes the active
/// window (`winEnterEvent` follows) and, at once, the draw window. NULL: no active form.
fn frm_set_active_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = c.args().ptr()?;
    if form != 0 && !s.ui.forms.is_form(form) {
        return bad_form(c, form);
    }
    s.ui.forms.active = form;
    if form != 0 {
        s.ui.windows.set_active_window(form);
        s.ui.windows.set_draw_window(form);
    }
    done()
}

/// `UInt16 FrmGetActiveFormID(void)`: 0 without an active form.
fn frm_get_active_form_id(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = match s.ui.forms.active {
        0 => 0,
        f => read_form(c.mem, f)?.form_id,
    };
    ret_u16(c, id)
}

/// `Boolean FrmGetUserModifiedState(const FormType *formP)`
fn frm_get_user_modified_state(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let dirty = read_form(c.mem, form)?.attr & FORM_ATTR_DIRTY != 0;
    ret_u16(c, dirty as u16)
}

/// `void FrmSetNotUserModified(FormType *formP)`
fn frm_set_not_user_modified(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let attr = read_form(c.mem, form)?.attr;
    c.mem.write_u32(form.wrapping_add(FormType::ATTR), attr & !FORM_ATTR_DIRTY)?;
    done()
}

/// `UInt16 FrmGetFocus(const FormType *formP)`: the focused object's index or `noFocus`.
fn frm_get_focus(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let focus = read_form(c.mem, form)?.focus;
    ret_u16(c, focus)
}

/// `void FrmSetFocus(FormType *formP, UInt16 fieldIndex)`
fn frm_set_focus(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let index = rest(c).u16()?;
    if index != NO_FOCUS {
        object_or_fail!(c, form, index);
    }
    set_focus(s, c.mem, form, index)?;
    done()
}

/// `FieldType *FrmGetActiveField(const FormType *formP)`: the focused field of the form (the
/// active form for NULL), or NULL.
fn frm_get_active_field(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let mut form = c.args().ptr()?;
    if form == 0 {
        form = s.ui.forms.active;
    }
    if !s.ui.forms.is_form(form) {
        return ret_ptr(c, 0);
    }
    let focus = read_form(c.mem, form)?.focus;
    let p = match object_at(c.mem, form, focus)? {
        Some(o) if o.kind == FRM_FIELD_OBJ => o.ptr,
        _ => 0,
    };
    ret_ptr(c, p)
}

/// `Boolean FrmHandleEvent(FormType *formP, EventType *eventP)` (see `events`); blocks while
/// an object tracks a pen that is still down.
fn frm_handle_event(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let event_p = rest(c).ptr()?;
    if event_p == 0 {
        return ret_u16(c, 0);
    }
    match handle_event(s, c.mem, form, event_p)? {
        Handled::Done(b) => ret_u16(c, b as u16),
        Handled::Block => Ok(TrapOutcome::Block),
    }
}

/// `void FrmGetFormBounds(const FormType *formP, RectangleType *rP)`: the window's bounds
/// with its frame.
fn frm_get_form_bounds(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let r_p = rest(c).ptr()?;
    let f = read_form(c.mem, form)?;
    let b = f.window.bounds;
    let r = g::frame_bounds(FrameType(f.window.frame_type), &Rect::from_palm(b.x, b.y, b.width, b.height));
    if r_p != 0 {
        c.mem.write(r_p, &rect_to_palm(&r).encode())?;
    }
    done()
}

/// `WinHandle FrmGetWindowHandle(const FormType *formP)`: the form's own address.
fn frm_get_window_handle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    ret_ptr(c, form)
}

/// `UInt16 FrmGetFormId(const FormType *formP)`
fn frm_get_form_id(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let id = read_form(c.mem, form)?.form_id;
    ret_u16(c, id)
}

/// `FormType *FrmGetFormPtr(UInt16 formId)`: the loaded form with that ID, or NULL.
fn frm_get_form_ptr(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    let form = form_by_id(s, c.mem, id)?.unwrap_or(0);
    ret_ptr(c, form)
}

/// `FormType *FrmGetFirstForm(void)`: the most recently loaded form, or NULL.
fn frm_get_first_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = s.ui.forms.forms.last().copied().unwrap_or(0);
    ret_ptr(c, form)
}

/// `Boolean FrmVisible(const FormType *formP)`
fn frm_visible(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let v = read_form(c.mem, form)?.attr & FORM_ATTR_VISIBLE != 0;
    ret_u16(c, v as u16)
}

/// `void FrmSetEventHandler(FormType *formP, FormEventHandlerType *handler)`
fn frm_set_event_handler(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let handler = rest(c).ptr()?;
    c.mem.write_u32(form.wrapping_add(FormType::HANDLER), handler)?;
    done()
}

/// `Boolean FrmValidatePtr(const FormType *formP)`
fn frm_validate_ptr(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = c.args().ptr()?;
    let ok = s.ui.forms.is_form(form);
    ret_u16(c, ok as u16)
}

/// `void FrmSetMenu(FormType *formP, UInt16 menuRscID)`
fn frm_set_menu(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let id = rest(c).u16()?;
    c.mem.write_u16(form.wrapping_add(FormType::MENU_RSC_ID), id)?;
    done()
}

// ---- Objects --------------------------------------------------------------------------------

/// `UInt16 FrmGetNumberOfObjects(const FormType *formP)`
fn frm_get_number_of_objects(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let n = objects(c.mem, form)?.len() as u16;
    ret_u16(c, n)
}

/// `UInt16 FrmGetObjectIndex(const FormType *formP, UInt16 objID)`: `frmInvalidObjectId`
/// for an ID the form does not have.
fn frm_get_object_index(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let id = rest(c).u16()?;
    let index = object_index(c.mem, form, id)?.map_or(FRM_INVALID_OBJECT_ID, |o| o.index);
    ret_u16(c, index)
}

/// `UInt16 FrmGetObjectIndexFromPtr(const FormType *formP, void *objP)`
fn frm_get_object_index_from_ptr(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let p = rest(c).ptr()?;
    let index = objects(c.mem, form)?.into_iter().find(|o| o.ptr == p && p != 0).map_or(FRM_INVALID_OBJECT_ID, |o| o.index);
    ret_u16(c, index)
}

/// `UInt16 FrmGetObjectId(const FormType *formP, UInt16 objIndex)`
fn frm_get_object_id(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let index = rest(c).u16()?;
    let o = object_or_fail!(c, form, index);
    let id = object_id(c.mem, &o)?;
    ret_u16(c, id)
}

/// `FormObjectKind FrmGetObjectType(const FormType *formP, UInt16 objIndex)`
fn frm_get_object_type(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let index = rest(c).u16()?;
    let o = object_or_fail!(c, form, index);
    ret_u16(c, o.kind as u16)
}

/// `void *FrmGetObjectPtr(const FormType *formP, UInt16 objIndex)`
fn frm_get_object_ptr(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let index = rest(c).u16()?;
    let o = object_or_fail!(c, form, index);
    ret_ptr(c, o.ptr)
}

/// Sets or clears an object's `usable` attribute (controls, fields, lists, labels, form
/// bitmaps, lines, frames, rectangles, gadgets, scroll bars).
fn set_usable(mem: &mut dyn GuestMemory, o: &Obj, on: bool) -> Result<(), MemError> {
    let (off, bit) = match o.kind {
        FRM_CONTROL_OBJ => (ControlType::ATTR, CTL_ATTR_USABLE),
        FRM_FIELD_OBJ => (FieldType::ATTR, FLD_ATTR_USABLE),
        FRM_LIST_OBJ => (ListType::ATTR, LST_ATTR_USABLE),
        FRM_LABEL_OBJ => (FormLabelType::ATTR, FORM_OBJ_ATTR_USABLE),
        FRM_BITMAP_OBJ => (FormBitmapType::ATTR, FORM_OBJ_ATTR_USABLE),
        FRM_LINE_OBJ => (form_shapes::LINE_ATTR, FORM_OBJ_ATTR_USABLE),
        FRM_FRAME_OBJ => (form_shapes::FRAME_ATTR, FORM_OBJ_ATTR_USABLE),
        FRM_RECTANGLE_OBJ => (form_shapes::RECTANGLE_ATTR, FORM_OBJ_ATTR_USABLE),
        FRM_GADGET_OBJ => (form_gadget::ATTR, GADGET_ATTR_USABLE),
        FRM_SCROLL_BAR_OBJ => (scroll_bar::ATTR, 0x8000),
        _ => return Ok(()),
    };
    if o.ptr == 0 {
        return Ok(());
    }
    let a = mem.read_u16(o.ptr.wrapping_add(off))?;
    mem.write_u16(o.ptr.wrapping_add(off), if on { a | bit } else { a & !bit })
}

/// An object's bounds in form-window coordinates (`FrmGetObjectBounds`).
fn object_bounds(s: &mut Shim, mem: &dyn GuestMemory, form: u32, o: &Obj) -> Result<RectangleType, MemError> {
    if o.ptr == 0 {
        return Ok(RectangleType::default());
    }
    let rect_at = |off: u32| read_rect_at(mem, o.ptr.wrapping_add(off));
    Ok(match o.kind {
        FRM_CONTROL_OBJ => rect_at(ControlType::BOUNDS)?,
        FRM_FIELD_OBJ => rect_at(FieldType::RECT)?,
        FRM_LIST_OBJ => rect_at(ListType::BOUNDS)?,
        FRM_TABLE_OBJ => rect_at(table::BOUNDS)?,
        FRM_GADGET_OBJ => rect_at(form_gadget::RECT)?,
        FRM_FRAME_OBJ => rect_at(form_shapes::FRAME_RECT)?,
        FRM_RECTANGLE_OBJ => rect_at(form_shapes::RECTANGLE_RECT)?,
        FRM_SCROLL_BAR_OBJ => rect_at(scroll_bar::BOUNDS)?,
        FRM_LABEL_OBJ => label_bounds(mem, o.ptr)?,
        FRM_BITMAP_OBJ => {
            let b = FormBitmapType::decode(&super::read_array(mem, o.ptr)?);
            let (w, h) = match resource_data(s, mem, BITMAP_RSC_TYPE, b.rsc_id) {
                Some((p, _)) => (mem.read_u16(p)? as i16, mem.read_u16(p.wrapping_add(2))? as i16),
                None => (0, 0),
            };
            RectangleType::new(b.pos.x, b.pos.y, w, h)
        }
        FRM_LINE_OBJ => {
            let a = PointType::decode(&super::read_array(mem, o.ptr.wrapping_add(form_shapes::LINE_POINT1))?);
            let b = PointType::decode(&super::read_array(mem, o.ptr.wrapping_add(form_shapes::LINE_POINT2))?);
            let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
            let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
            RectangleType::new(x0, y0, x1.wrapping_sub(x0).wrapping_add(1), y1.wrapping_sub(y0).wrapping_add(1))
        }
        FRM_TITLE_OBJ => title_bounds(mem, form, o.ptr)?,
        FRM_GRAFFITI_STATE_OBJ => {
            let p = PointType::decode(&super::read_array(mem, o.ptr)?);
            RectangleType::new(p.x, p.y, 10, 10)
        }
        _ => RectangleType::default(),
    })
}

/// The title's area in form coordinates: the tab (or the bar of a modal form).
fn title_bounds(mem: &dyn GuestMemory, form: u32, title_p: u32) -> Result<RectangleType, MemError> {
    let f = read_form(mem, form)?;
    let text = read_text(mem, read_title(mem, title_p)?.text)?;
    let w = if f.window.has_flag(WIN_FLAG_MODAL) { f.window.bounds.width as i32 } else { g::font(g::FontId::Bold).chars_width(&text) + 8 };
    Ok(RectangleType::new(0, 0, w.min(i16::MAX as i32) as i16, draw::TITLE_HEIGHT as i16))
}

/// Erases what an object covers (hiding it).
fn erase_object(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32, o: &Obj) -> Result<(), MemError> {
    match o.kind {
        FRM_CONTROL_OBJ => control::erase(s, mem, o.ptr),
        FRM_FIELD_OBJ => field::erase(s, mem, o.ptr),
        FRM_LIST_OBJ => list::erase(s, mem, o.ptr),
        _ => {
            let r = object_bounds(s, mem, form, o)?;
            if let Some(cv) = form_canvas(s, mem, form)? {
                draw::erase(&cv, mem, &r)?;
            }
            Ok(())
        }
    }
}

/// `void FrmHideObject(FormType *formP, UInt16 objIndex)`: not usable; erased if the form is
/// visible (a focused field loses the focus).
fn frm_hide_object(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let index = rest(c).u16()?;
    let o = object_or_fail!(c, form, index);
    let f = read_form(c.mem, form)?;
    if f.focus == index {
        set_focus(s, c.mem, form, NO_FOCUS)?;
    }
    if f.attr & FORM_ATTR_VISIBLE != 0 && o.ptr != 0 {
        erase_object(s, c.mem, form, &o)?;
    }
    set_usable(c.mem, &o, false)?;
    done()
}

/// `void FrmShowObject(FormType *formP, UInt16 objIndex)`: usable; drawn if the form is
/// visible.
fn frm_show_object(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let index = rest(c).u16()?;
    let o = object_or_fail!(c, form, index);
    set_usable(c.mem, &o, true)?;
    let f = read_form(c.mem, form)?;
    if f.attr & FORM_ATTR_VISIBLE != 0 {
        if let Some(cv) = form_canvas(s, c.mem, form)? {
            draw::draw_object(s, c.mem, &cv, &f, &o)?;
        }
    }
    done()
}

/// Where an object's position (its bounds' or point's top left) is stored.
fn position_offset(kind: u8) -> Option<u32> {
    Some(match kind {
        FRM_CONTROL_OBJ => ControlType::BOUNDS,
        FRM_FIELD_OBJ => FieldType::RECT,
        FRM_LIST_OBJ => ListType::BOUNDS,
        FRM_TABLE_OBJ => table::BOUNDS,
        FRM_GADGET_OBJ => form_gadget::RECT,
        FRM_FRAME_OBJ => form_shapes::FRAME_RECT,
        FRM_RECTANGLE_OBJ => form_shapes::RECTANGLE_RECT,
        FRM_SCROLL_BAR_OBJ => scroll_bar::BOUNDS,
        FRM_LABEL_OBJ => FormLabelType::POS,
        FRM_BITMAP_OBJ => FormBitmapType::POS,
        FRM_GRAFFITI_STATE_OBJ => form_shapes::GRAFFITI_STATE_POS,
        _ => return None,
    })
}

/// `void FrmGetObjectPosition(const FormType *formP, UInt16 objIndex, Coord *x, Coord *y)`
fn frm_get_object_position(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (index, x_p, y_p) = { let mut a = rest(c); (a.u16()?, a.ptr()?, a.ptr()?) };
    let o = object_or_fail!(c, form, index);
    let r = object_bounds(s, c.mem, form, &o)?;
    if x_p != 0 {
        c.mem.write_u16(x_p, r.x as u16)?;
    }
    if y_p != 0 {
        c.mem.write_u16(y_p, r.y as u16)?;
    }
    done()
}

/// `void FrmSetObjectPosition(FormType *formP, UInt16 objIndex, Coord x, Coord y)`: moves
/// the object (no redraw).
fn frm_set_object_position(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (index, x, y) = { let mut a = rest(c); (a.u16()?, a.u16()?, a.u16()?) };
    let o = object_or_fail!(c, form, index);
    if let (Some(off), true) = (position_offset(o.kind), o.ptr != 0) {
        c.mem.write_u16(o.ptr.wrapping_add(off), x)?;
        c.mem.write_u16(o.ptr.wrapping_add(off + 2), y)?;
    }
    done()
}

/// `void FrmGetObjectBounds(const FormType *formP, UInt16 objIndex, RectangleType *rP)`
fn frm_get_object_bounds(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (index, r_p) = { let mut a = rest(c); (a.u16()?, a.ptr()?) };
    let o = object_or_fail!(c, form, index);
    let r = object_bounds(s, c.mem, form, &o)?;
    if r_p != 0 {
        c.mem.write(r_p, &r.encode())?;
    }
    done()
}

/// `void FrmSetObjectBounds(FormType *formP, UInt16 objIndex, const RectangleType *bounds)`:
/// objects with a rectangle take it; labels and form bitmaps move to its top left.
fn frm_set_object_bounds(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (index, r_p) = { let mut a = rest(c); (a.u16()?, a.ptr()?) };
    let o = object_or_fail!(c, form, index);
    if r_p == 0 || o.ptr == 0 {
        return done();
    }
    let r = read_rect_at(c.mem, r_p)?;
    if let Some(off) = position_offset(o.kind) {
        match o.kind {
            FRM_LABEL_OBJ | FRM_BITMAP_OBJ | FRM_GRAFFITI_STATE_OBJ => c.mem.write(o.ptr.wrapping_add(off), &PointType::new(r.x, r.y).encode())?,
            _ => c.mem.write(o.ptr.wrapping_add(off), &r.encode())?,
        }
    }
    done()
}

/// `void *FrmGetGadgetData(const FormType *formP, UInt16 objIndex)`
fn frm_get_gadget_data(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let index = rest(c).u16()?;
    let o = object_or_fail!(c, form, index);
    let data = if o.kind == FRM_GADGET_OBJ && o.ptr != 0 { c.mem.read_u32(o.ptr.wrapping_add(form_gadget::DATA))? } else { 0 };
    ret_ptr(c, data)
}

/// `void FrmSetGadgetData(FormType *formP, UInt16 objIndex, const void *data)`
fn frm_set_gadget_data(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (index, data) = { let mut a = rest(c); (a.u16()?, a.ptr()?) };
    let o = object_or_fail!(c, form, index);
    if o.kind == FRM_GADGET_OBJ && o.ptr != 0 {
        c.mem.write_u32(o.ptr.wrapping_add(form_gadget::DATA), data)?;
    }
    done()
}

/// `Boolean FrmPointInTitle(const FormType *formP, Coord x, Coord y)`: (x, y) in window
/// coordinates.
fn frm_point_in_title(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (x, y) = { let mut a = rest(c); (a.i16()?, a.i16()?) };
    let mut inside = false;
    for o in objects(c.mem, form)? {
        if o.kind == FRM_TITLE_OBJ && o.ptr != 0 {
            let r = title_bounds(c.mem, form, o.ptr)?;
            inside |= Rect::from_palm(r.x, r.y, r.width, r.height).contains(x as i32, y as i32);
        }
    }
    ret_u16(c, inside as u16)
}

// ---- Controls through the form --------------------------------------------------------------

/// `Int16 FrmGetControlValue(const FormType *formP, UInt16 objIndex)`
fn frm_get_control_value(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let index = rest(c).u16()?;
    let o = object_or_fail!(c, form, index);
    if o.kind != FRM_CONTROL_OBJ || o.ptr == 0 {
        return fatal(c, "Form.c", format!("object {index} is not a control"));
    }
    let v = control::value(c.mem, o.ptr)?;
    ret_u16(c, v as u16)
}

/// `void FrmSetControlValue(const FormType *formP, UInt16 objIndex, Int16 newValue)`
fn frm_set_control_value(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (index, v) = { let mut a = rest(c); (a.u16()?, a.i16()?) };
    let o = object_or_fail!(c, form, index);
    if o.kind != FRM_CONTROL_OBJ || o.ptr == 0 {
        return fatal(c, "Form.c", format!("object {index} is not a control"));
    }
    control::set_value(s, c.mem, o.ptr, v)?;
    done()
}

/// `UInt16 FrmGetControlGroupSelection(const FormType *formP, UInt8 groupNum)`: the index
/// of the group's control that is on, or `frmNoSelectedControl`.
fn frm_get_control_group_selection(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let group = rest(c).u8()?;
    for o in objects(c.mem, form)? {
        if o.kind == FRM_CONTROL_OBJ && o.ptr != 0 {
            let ctl = read_control(c.mem, o.ptr)?;
            if ctl.group == group && ctl.has_attr(CTL_ATTR_ON) {
                return ret_u16(c, o.index);
            }
        }
    }
    ret_u16(c, FRM_NO_SELECTED_CONTROL)
}

/// `void FrmSetControlGroupSelection(const FormType *formP, UInt8 groupNum, UInt16
/// controlID)`: turns the control with that ID on and the group's others off.
fn frm_set_control_group_selection(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (group, id) = { let mut a = rest(c); (a.u8()?, a.u16()?) };
    for o in objects(c.mem, form)? {
        if o.kind == FRM_CONTROL_OBJ && o.ptr != 0 {
            let ctl = read_control(c.mem, o.ptr)?;
            if ctl.group == group {
                control::set_value(s, c.mem, o.ptr, (ctl.id == id) as i16)?;
            }
        }
    }
    done()
}

// ---- Labels and titles ----------------------------------------------------------------------

/// Copies `new` into the buffer at `dst` (bounded by its known capacity, NUL included).
fn copy_into(s: &Shim, mem: &mut dyn GuestMemory, dst: u32, new: &[u8]) -> Result<(), MemError> {
    let cap = s.ui.forms.text_capacity.get(&dst).copied().unwrap_or(new.len() as u32 + 1);
    let n = (new.len() as u32).min(cap.saturating_sub(1)) as usize;
    if n < new.len() {
        log::warn!("text of {} bytes truncated to its buffer's {n}", new.len());
    }
    mem.write(dst, &new[..n])?;
    mem.write_u8(dst.wrapping_add(n as u32), 0)
}

/// `void FrmCopyLabel(FormType *formP, UInt16 labelID, const Char *newLabel)`: copies into
/// the label's buffer (never past it); a visible form shows the new label.
fn frm_copy_label(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let (id, new_p) = { let mut a = rest(c); (a.u16()?, a.ptr()?) };
    let Some(o) = object_index(c.mem, form, id)?.filter(|o| o.kind == FRM_LABEL_OBJ && o.ptr != 0) else {
        return fatal(c, "Form.c", format!("no label {id}"));
    };
    let new = read_text(c.mem, new_p)?;
    let label = read_label(c.mem, o.ptr)?;
    let visible = read_form(c.mem, form)?.attr & FORM_ATTR_VISIBLE != 0 && label.attr & FORM_OBJ_ATTR_USABLE != 0;
    let cv = form_canvas(s, c.mem, form)?;
    if let (true, Some(cv)) = (visible, &cv) {
        let old = label_bounds(c.mem, o.ptr)?;
        draw::erase(cv, c.mem, &old)?;
    }
    if label.text != 0 {
        copy_into(s, c.mem, label.text, &new)?;
    }
    if let (true, Some(cv)) = (visible, &cv) {
        draw::draw_label(cv, c.mem, o.ptr)?;
    }
    done()
}

/// `const Char *FrmGetLabel(const FormType *formP, UInt16 labelID)`
fn frm_get_label(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let id = rest(c).u16()?;
    let Some(o) = object_index(c.mem, form, id)?.filter(|o| o.kind == FRM_LABEL_OBJ && o.ptr != 0) else {
        return fatal(c, "Form.c", format!("no label {id}"));
    };
    let text = read_label(c.mem, o.ptr)?.text;
    ret_ptr(c, text)
}

fn title_object(mem: &dyn GuestMemory, form: u32) -> Result<Option<Obj>, MemError> {
    Ok(objects(mem, form)?.into_iter().find(|o| o.kind == FRM_TITLE_OBJ && o.ptr != 0))
}

/// `const Char *FrmGetTitle(const FormType *formP)`: NULL without a title.
fn frm_get_title(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let text = match title_object(c.mem, form)? {
        Some(o) => read_title(c.mem, o.ptr)?.text,
        None => 0,
    };
    ret_ptr(c, text)
}

/// Redraws the title of a visible form.
fn redraw_title(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32, o: &Obj, old: RectangleType) -> Result<(), MemError> {
    let f = read_form(mem, form)?;
    if f.attr & FORM_ATTR_VISIBLE == 0 {
        return Ok(());
    }
    if let Some(cv) = form_canvas(s, mem, form)? {
        draw::erase(&cv, mem, &old)?;
        draw::draw_title(&cv, mem, &f, o.ptr)?;
    }
    Ok(())
}

/// `void FrmSetTitle(FormType *formP, Char *newTitle)`: the form shows the caller's string
/// (which must stay valid); redrawn if visible.
fn frm_set_title(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let new_p = rest(c).ptr()?;
    let Some(o) = title_object(c.mem, form)? else { return done() };
    let old = title_bounds(c.mem, form, o.ptr)?;
    c.mem.write_u32(o.ptr.wrapping_add(FormTitleType::TEXT), new_p)?;
    redraw_title(s, c.mem, form, &o, old)?;
    done()
}

/// `void FrmCopyTitle(FormType *formP, const Char *newTitle)`: copies into the title's
/// buffer (never past it); redrawn if visible.
fn frm_copy_title(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let form = form_or_fail!(s, c);
    let new_p = rest(c).ptr()?;
    let Some(o) = title_object(c.mem, form)? else { return done() };
    let new = read_text(c.mem, new_p)?;
    let old = title_bounds(c.mem, form, o.ptr)?;
    let text = read_title(c.mem, o.ptr)?.text;
    if text != 0 {
        copy_into(s, c.mem, text, &new)?;
    }
    redraw_title(s, c.mem, form, &o, old)?;
    done()
}

// ---- Events and form changes ----------------------------------------------------------------

/// The form an event is for: form events go to the form with their `formID` (if loaded),
/// everything else to the active form.
fn target_form(s: &Shim, mem: &dyn GuestMemory, ev: &EventType) -> Result<u32, MemError> {
    let by_id = matches!(
        ev.e_type,
        FRM_OPEN_EVENT
            | FRM_CLOSE_EVENT
            | FRM_UPDATE_EVENT
            | FRM_SAVE_EVENT
            | FRM_GOTO_EVENT
            | FRM_TITLE_ENTER_EVENT
            | FRM_TITLE_SELECT_EVENT
            | FRM_OBJECT_FOCUS_TAKE_EVENT
            | FRM_OBJECT_FOCUS_LOST_EVENT
    );
    if by_id {
        if let Some(f) = form_by_id(s, mem, ev.u16_at(event_data::frm_load::FORM_ID))? {
            return Ok(f);
        }
    }
    Ok(s.ui.forms.active)
}

/// `FrmHandleEvent` after the handler declined: blocks (remembering the event so the
/// handler is not called again when the trap repeats) or answers.
fn default_handling(s: &mut Shim, c: &mut TrapCall<'_>, form: u32, event_p: u32, after_handler: bool) -> HandlerResult {
    if !s.ui.forms.is_form(form) {
        return ret_u16(c, 0);
    }
    match handle_event(s, c.mem, form, event_p)? {
        Handled::Done(b) => ret_u16(c, b as u16),
        Handled::Block => {
            if after_handler {
                let ev = read_event(c.mem, event_p)?;
                s.ui.forms.blocked_dispatch = Some((event_p, ev));
            }
            Ok(TrapOutcome::Block)
        }
    }
}

/// `Boolean FrmDispatchEvent(EventType *eventP)`: the target form's handler (68k code) gets
/// the event first; if it returns false, `FrmHandleEvent`. False without a target form.
fn frm_dispatch_event(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let event_p = c.args().ptr()?;
    if event_p == 0 {
        return ret_u16(c, 0);
    }
    let ev = read_event(c.mem, event_p)?;
    let form = target_form(s, c.mem, &ev)?;
    if !s.ui.forms.is_form(form) {
        return ret_u16(c, 0);
    }
    // The same dispatch repeating after FrmHandleEvent blocked: the handler already declined.
    let repeated = s.ui.forms.blocked_dispatch.take().is_some_and(|(p, e)| p == event_p && e == ev);
    let handler = read_form(c.mem, form)?.handler;
    if handler == 0 || repeated {
        return default_handling(s, c, form, event_p, repeated);
    }
    Ok(TrapOutcome::CallGuest {
        target: handler,
        args: event_p.to_be_bytes().to_vec(),
        resume: Box::new(move |s, c, result| {
            if result & 0xFF != 0 {
                return ret_u16(c, 1);
            }
            default_handling(s, c, form, event_p, true)
        }),
    })
}

/// What a form event sent to every form is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Broadcast {
    /// `frmCloseEvent`: a handler that declines gets `FrmHandleEvent` (erase, delete); a form
    /// still there afterwards is deleted.
    Close,
    /// `frmSaveEvent`: handlers only.
    Save,
}

/// What follows the broadcast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    Nothing,
    /// `FrmGotoForm`: queue `frmLoadEvent` and `frmOpenEvent` for this form ID.
    Open(u16),
}

/// Sends a form event to each form of `forms` (the last first) through its handler, one
/// guest call at a time (each resumes the broadcast), then does `then`. Handlers get the
/// event in a 24-byte dynamic-heap chunk freed when they return.
fn broadcast(s: &mut Shim, c: &mut TrapCall<'_>, mut forms: Vec<u32>, what: Broadcast, then: Then) -> HandlerResult {
    while let Some(form) = forms.pop() {
        if !s.ui.forms.is_form(form) {
            continue;
        }
        let f = read_form(c.mem, form)?;
        let e_type = if what == Broadcast::Close { FRM_CLOSE_EVENT } else { FRM_SAVE_EVENT };
        if f.handler != 0 {
            match s.memory.alloc_ptr(c.mem, DYNAMIC_HEAP_ID, EventType::LEN, 0) {
                Ok(buf) => {
                    c.mem.write(buf, &form_event(e_type, f.form_id).encode())?;
                    return Ok(TrapOutcome::CallGuest {
                        target: f.handler,
                        args: buf.to_be_bytes().to_vec(),
                        resume: Box::new(move |s, c, result| {
                            if let Err(e) = s.memory.free_chunk(c.mem, buf) {
                                log::warn!("form event buffer {buf:#010x}: {e}");
                            }
                            after_broadcast(s, c.mem, form, what, result & 0xFF != 0)?;
                            broadcast(s, c, forms, what, then)
                        }),
                    });
                }
                Err(e) => log::warn!("no room for a form event ({e}); handler of form {} not called", f.form_id),
            }
        }
        after_broadcast(s, c.mem, form, what, false)?;
    }
    if let Then::Open(id) = then {
        post(s, form_event(FRM_LOAD_EVENT, id));
        post(s, form_event(FRM_OPEN_EVENT, id));
    }
    done()
}

fn after_broadcast(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32, what: Broadcast, handled: bool) -> Result<(), MemError> {
    if what == Broadcast::Close && s.ui.forms.is_form(form) {
        if !handled {
            close_form(s, mem, form)?;
        }
        if s.ui.forms.is_form(form) {
            delete_form(s, mem, form)?;
        }
    }
    Ok(())
}

/// `void FrmGotoForm(UInt16 formId)`: every form gets `frmCloseEvent` (through its handler)
/// and is deleted, then `frmLoadEvent` and `frmOpenEvent` for `formId` are queued.
fn frm_goto_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    let forms = s.ui.forms.forms.clone();
    broadcast(s, c, forms, Broadcast::Close, Then::Open(id))
}

/// `void FrmCloseAllForms(void)`
fn frm_close_all_forms(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let forms = s.ui.forms.forms.clone();
    broadcast(s, c, forms, Broadcast::Close, Then::Nothing)
}

/// `void FrmSaveAllForms(void)`: `frmSaveEvent` to every form's handler.
fn frm_save_all_forms(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let forms = s.ui.forms.forms.clone();
    broadcast(s, c, forms, Broadcast::Save, Then::Nothing)
}

/// `void FrmPopupForm(UInt16 formId)`: queues `frmLoadEvent` and `frmOpenEvent`; the current
/// form stays.
fn frm_popup_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    post(s, form_event(FRM_LOAD_EVENT, id));
    post(s, form_event(FRM_OPEN_EVENT, id));
    done()
}

/// `void FrmReturnToForm(UInt16 formId)`: erases and deletes the active form and makes the
/// form with `formId` (0: the most recent remaining form) active.
fn frm_return_to_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    let active = s.ui.forms.active;
    if s.ui.forms.is_form(active) {
        close_form(s, c.mem, active)?;
    }
    let next = if id == 0 { s.ui.forms.forms.last().copied() } else { form_by_id(s, c.mem, id)? };
    if let Some(form) = next {
        s.ui.forms.active = form;
        s.ui.windows.set_active_window(form);
        s.ui.windows.set_draw_window(form);
    }
    done()
}

/// `void FrmUpdateForm(UInt16 formId, UInt16 updateCode)`: queues `frmUpdateEvent`.
fn frm_update_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (id, code) = { let mut a = c.args(); (a.u16()?, a.u16()?) };
    let mut e = form_event(FRM_UPDATE_EVENT, id);
    e.set_u16(event_data::frm_update::UPDATE_CODE, code);
    post(s, e);
    done()
}

// ---- Forms and objects made at run time -----------------------------------------------------

/// Spare bytes `FrmNewForm` reserves in the form's chunk for objects added later.
pub const NEW_FORM_ROOM: u32 = 2048;

/// Adds an object to `form` without moving it: `body` (the structure with its text after it;
/// `text_at` = (offset of the text in `body`, offset of the structure's text pointer)) goes
/// after the bytes in use, followed by a new object list with one more entry. Uses the
/// chunk's spare room or grows it in place; `None` when neither works (the form stays as it
/// was).
pub(crate) fn append_object(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32, kind: u8, body: &[u8], text_at: Option<(u32, u32)>) -> Result<Option<u32>, MemError> {
    let f = read_form(mem, form)?;
    let old = objects(mem, form)?;
    let Some(&used) = s.ui.forms.used.get(&form) else { return Ok(None) };
    let obj_off = used + (used & 1);
    let list_off = obj_off + body.len() as u32 + (body.len() as u32 & 1);
    let total = list_off + (old.len() as u32 + 1) * FormObjListType::LEN;
    let capacity = s.memory.ptr_info(mem, form).map_or(0, |i| i.data_size);
    if total > capacity && s.memory.resize_ptr(mem, form, total).is_err() {
        log::warn!("form {}: no room to add an object in place", f.form_id);
        return Ok(None);
    }
    let obj = form.wrapping_add(obj_off);
    mem.write(obj, body)?;
    if let Some((text, pointer)) = text_at {
        mem.write_u32(obj.wrapping_add(pointer), obj.wrapping_add(text))?;
        let len = body.len() as u32 - text;
        s.ui.forms.text_capacity.insert(obj.wrapping_add(text), len);
    }
    let list = form.wrapping_add(list_off);
    for (i, o) in old.iter().chain(std::iter::once(&Obj { index: old.len() as u16, kind, ptr: obj })).enumerate() {
        mem.write(list.wrapping_add(i as u32 * FormObjListType::LEN), &FormObjListType { object_type: o.kind, object: o.ptr }.encode())?;
    }
    mem.write_u32(form.wrapping_add(FormType::OBJECTS), list)?;
    mem.write_u16(form.wrapping_add(FormType::NUM_OBJECTS), old.len() as u16 + 1)?;
    s.ui.forms.used.insert(form, total);
    Ok(Some(obj))
}

/// `FormType *FrmNewForm(UInt16 formID, const Char *titleStrP, Coord x, Coord y, Coord width,
/// Coord height, Boolean modal, UInt16 defaultButton, UInt16 helpRscID, UInt16 menuRscID)`:
/// a form built as the resource builder would, with room for objects added later (the title
/// is copied).
fn frm_new_form(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (id, title_p, x, y, w, h, modal, default_button, help, menu) = {
        let mut a = c.args();
        (a.u16()?, a.ptr()?, a.i16()?, a.i16()?, a.i16()?, a.i16()?, a.bool()?, a.u16()?, a.u16()?, a.u16()?)
    };
    let title = read_text(c.mem, title_p)?;
    let mut b = super::builder::FormBuilder::new(id, &String::from_utf8_lossy(&title), (x, y, w, h)).default_button(default_button).help(help).menu(menu);
    if modal {
        b = b.modal();
    }
    match load_form_bytes(s, c.mem, &b.build(), NEW_FORM_ROOM, "FrmNewForm")? {
        Ok(form) => ret_ptr(c, form),
        Err(message) => {
            log::warn!("FrmNewForm: {message}");
            ret_ptr(c, 0)
        }
    }
}

/// Reads `*formPP` and checks it is a form.
fn form_through(s: &Shim, c: &mut TrapCall<'_>, form_pp: u32) -> Result<Result<u32, HandlerResult>, MemError> {
    let form = if form_pp == 0 { 0 } else { c.mem.read_u32(form_pp)? };
    Ok(if s.ui.forms.is_form(form) { Ok(form) } else { Err(bad_form(c, form)) })
}

/// `FormLabelType *FrmNewLabel(FormType **formPP, UInt16 ID, const Char *textP, Coord x,
/// Coord y, FontID font)`: a usable label (the text copied into the form); the form does not
/// move. NULL when the form has no room.
fn frm_new_label(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (form_pp, id, text_p, x, y, font) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?, a.i16()?, a.i16()?, a.u8()?) };
    let form = match form_through(s, c, form_pp)? {
        Ok(f) => f,
        Err(r) => return r,
    };
    let text = read_text(c.mem, text_p)?;
    let mut body = FormLabelType { id, pos: PointType::new(x, y), attr: FORM_OBJ_ATTR_USABLE, font_id: font, text: 0 }.encode().to_vec();
    body.extend_from_slice(&text);
    body.push(0);
    let label = append_object(s, c.mem, form, FRM_LABEL_OBJ, &body, Some((FormLabelType::LEN, FormLabelType::TEXT)))?;
    ret_ptr(c, label.unwrap_or(0))
}

