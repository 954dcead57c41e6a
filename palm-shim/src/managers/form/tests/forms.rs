//! Forms: loading errors, drawing, object access, labels and titles, the form list and the
//! active form, deleting, `FrmGotoForm`/`FrmCloseAllForms`, `FrmDispatchEvent` with a 68k
//! handler (through the guest-call mechanism), save-behind, menus.

use super::super::builder::{AlertBuilder, FormBuilder};
use super::*;
use crate::managers::memory_mgr::DYNAMIC_HEAP_ID;
use palm_abi::host::HOST_CALLBACK_RETURN;

const HANDLER: u32 = 0x1000_5000;

/// The guest handler returns `d0`: the callback-return stub's trap.
fn return_from_handler(r: &mut Rig, d0: u32) -> TrapOutcome {
    let at = 0x7000;
    r.mem.write_u16(at, HOST_CALLBACK_RETURN).unwrap();
    r.regs.d[0] = d0;
    r.regs.a[7] = at;
    r.shim.dispatch(t::HOST_CONTROL, &mut r.regs, &mut r.mem, at).unwrap()
}

fn chunk_count(r: &Rig) -> usize {
    r.shim.memory().chunks(&r.mem, DYNAMIC_HEAP_ID).unwrap().len()
}

#[test]
fn missing_and_malformed_resources_and_bad_arguments_are_fatal() {
    let mut broken = FormBuilder::new(2000, "x", (0, 0, 10, 10)).build();
    broken.truncate(70);
    let mut r = rig(vec![ResourceEntry { kind: FORM_RSC_TYPE, id: 2000, data: broken }]);
    assert_fatal(r.call(t::FRM_INIT_FORM, &[W(1234)]).unwrap(), "no 'tFRM' resource 1234");
    assert_eq!(r.a0(), 0);
    assert_fatal(r.call(t::FRM_INIT_FORM, &[W(2000)]).unwrap(), "'tFRM' resource 2000");
    assert_fatal(r.call(t::FRM_DRAW_FORM, &[L(0)]).unwrap(), "NULL form");
    assert_fatal(r.call(t::FRM_GET_FORM_ID, &[L(0x0012_3456)]).unwrap(), "is not a form");
    let form = init_form(&mut r, FORM_ID);
    assert_fatal(r.call(t::FRM_GET_OBJECT_PTR, &[L(form), W(10)]).unwrap(), "object index 10 out of range");
    assert_fatal(r.call(t::FRM_GET_OBJECT_ID, &[L(form), W(0xFFFF)]).unwrap(), "out of range");
    assert_fatal(r.call(t::FRM_GET_CONTROL_VALUE, &[L(form), W(1)]).unwrap(), "not a control");
    assert_fatal(r.call(t::FRM_COPY_LABEL, &[L(form), W(4242), L(0)]).unwrap(), "no label 4242");
    assert_fatal(r.call(t::CTL_GET_VALUE, &[L(0)]).unwrap(), "NULL control");
    assert_fatal(r.call(t::FLD_GET_TEXT_PTR, &[L(0)]).unwrap(), "NULL field");
    assert_fatal(r.call(t::LST_GET_SELECTION, &[L(0)]).unwrap(), "NULL list");
    // Harmless NULLs.
    call(&mut r, t::FRM_SET_ACTIVE_FORM, &[L(0)]);
    call(&mut r, t::FRM_VALIDATE_PTR, &[L(0)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::FRM_DISPATCH_EVENT, &[L(0)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(0)]);
    assert_eq!(r.d0(), 0);
    // An event pointer the host cannot reach is a guest-memory trap error.
    assert!(matches!(r.call(t::FRM_HANDLE_EVENT, &[L(form), L(0xFFFF_FFF0)]), Err(crate::TrapError::GuestMemory { .. })));
}

#[test]
fn draw_form_title_label_controls_field_list() {
    let mut r = rig(vec![]);
    let blank = screen_hash(&r);
    let form = init_form(&mut r, FORM_ID);
    assert_eq!(screen_hash(&r), blank, "FrmInitForm draws nothing");
    call(&mut r, t::FRM_DRAW_FORM, &[L(form)]);
    assert_ne!(read_form(&r, form).attr & FORM_ATTR_VISIBLE, 0);
    // Title: a black tab with the title in white, a line across the form.
    assert_eq!(px(&r, 3, 5), BLACK);
    assert!((4..40).any(|x| px(&r, x, 4) == WHITE), "white title text in the tab");
    assert_eq!((px(&r, 100, 11), px(&r, 159, 11), px(&r, 100, 12)), (BLACK, BLACK, WHITE));
    // Label: text ink near (10, 20).
    assert!(any_black(&r, 10, 20, 30, 11));
    // Button: rounded frame just outside its bounds (10, 140, 36, 12), label inside.
    assert_eq!((px(&r, 28, 139), px(&r, 9, 146), px(&r, 46, 146), px(&r, 28, 152)), (BLACK, BLACK, BLACK, BLACK));
    assert_eq!(px(&r, 9, 139), WHITE, "rounded corner");
    assert!(any_black(&r, 11, 141, 34, 10), "label");
    // Push buttons: square frames; the check box's box.
    assert_eq!(px(&r, 59, 139), BLACK);
    assert_eq!((px(&r, 100, 141), px(&r, 109, 150)), (BLACK, BLACK));
    // Field: gray underline on the last row of its line (y = 20 + 11 - 1).
    let underline: Vec<u8> = (50..56).map(|x| px(&r, x, 30)).collect();
    assert_eq!(underline, [BLACK, WHITE, BLACK, WHITE, BLACK, WHITE]);
    // List: frame, "One" (nothing selected).
    assert_eq!((px(&r, 9, 49), px(&r, 70, 60)), (BLACK, BLACK));
    assert!(any_black(&r, 12, 50, 20, 11));
    assert_eq!(px(&r, 68, 52), WHITE, "no selection");
    // Every control, field and list is visible now.
    for id in [BUTTON, PUSH_A, CHECK] {
        let p = object_ptr(&mut r, form, id);
        assert_ne!(read_control(&r, p).attr & CTL_ATTR_VISIBLE, 0);
    }
    let hash = screen_hash(&r);
    call(&mut r, t::FRM_DRAW_FORM, &[L(form)]);
    assert_eq!(screen_hash(&r), hash, "drawing again changes nothing");
    call(&mut r, t::FRM_ERASE_FORM, &[L(form)]);
    assert_eq!(screen_hash(&r), blank, "erased to white");
    assert_eq!(read_form(&r, form).attr & FORM_ATTR_VISIBLE, 0);
    call(&mut r, t::FRM_VISIBLE, &[L(form)]);
    assert_eq!(r.d0(), 0);
}

#[test]
fn object_access() {
    let mut r = rig(vec![]);
    let form = init_form(&mut r, FORM_ID);
    call(&mut r, t::FRM_GET_NUMBER_OF_OBJECTS, &[L(form)]);
    assert_eq!(r.d0(), 10);
    call(&mut r, t::FRM_GET_OBJECT_INDEX, &[L(form), W(BUTTON)]);
    assert_eq!(r.d0(), 3);
    call(&mut r, t::FRM_GET_OBJECT_INDEX, &[L(form), W(4321)]);
    assert_eq!(r.d0() as u16, FRM_INVALID_OBJECT_ID);
    call(&mut r, t::FRM_GET_OBJECT_ID, &[L(form), W(3)]);
    assert_eq!(r.d0() as u16, BUTTON);
    call(&mut r, t::FRM_GET_OBJECT_ID, &[L(form), W(0)]);
    assert_eq!(r.d0() as u16, FRM_INVALID_OBJECT_ID, "titles have no ID");
    call(&mut r, t::FRM_GET_OBJECT_TYPE, &[L(form), W(3)]);
    assert_eq!(r.d0() as u8, FRM_CONTROL_OBJ);
    call(&mut r, t::FRM_GET_OBJECT_TYPE, &[L(form), W(7)]);
    assert_eq!(r.d0() as u8, FRM_LIST_OBJ);
    let button = object_ptr(&mut r, form, BUTTON);
    call(&mut r, t::FRM_GET_OBJECT_INDEX_FROM_PTR, &[L(form), L(button)]);
    assert_eq!(r.d0(), 3);
    // Bounds: controls directly, labels from their text.
    call(&mut r, t::FRM_GET_OBJECT_BOUNDS, &[L(form), W(3), L(OUT)]);
    assert_eq!(super::super::read_rect_at(&r.mem, OUT).unwrap(), RectangleType::new(10, 140, 36, 12));
    call(&mut r, t::FRM_GET_OBJECT_BOUNDS, &[L(form), W(1), L(OUT)]);
    let label = super::super::read_rect_at(&r.mem, OUT).unwrap();
    assert_eq!((label.x, label.y, label.height), (10, 20, 11));
    assert_eq!(label.width as i32, crate::graphics::font(crate::graphics::FontId::Std).chars_width(b"Count:"));
    // Position.
    call(&mut r, t::FRM_SET_OBJECT_POSITION, &[L(form), W(3), W(20), W(130)]);
    call(&mut r, t::FRM_GET_OBJECT_POSITION, &[L(form), W(3), L(OUT), L(OUT + 2)]);
    assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap()), (20, 130));
    r.mem.write(OUT, &RectangleType::new(1, 2, 3, 4).encode()).unwrap();
    call(&mut r, t::FRM_SET_OBJECT_BOUNDS, &[L(form), W(3), L(OUT)]);
    assert_eq!(read_control(&r, button).bounds, RectangleType::new(1, 2, 3, 4));
    // The form and the form list.
    call(&mut r, t::FRM_GET_FORM_ID, &[L(form)]);
    assert_eq!(r.d0() as u16, FORM_ID);
    call(&mut r, t::FRM_GET_FORM_PTR, &[W(FORM_ID)]);
    assert_eq!(r.a0(), form);
    call(&mut r, t::FRM_GET_FORM_PTR, &[W(999)]);
    assert_eq!(r.a0(), 0);
    call(&mut r, t::FRM_GET_FIRST_FORM, &[]);
    assert_eq!(r.a0(), form);
    call(&mut r, t::FRM_GET_WINDOW_HANDLE, &[L(form)]);
    assert_eq!(r.a0(), form);
    call(&mut r, t::FRM_VALIDATE_PTR, &[L(form)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::FRM_GET_FORM_BOUNDS, &[L(form), L(OUT)]);
    assert_eq!(super::super::read_rect_at(&r.mem, OUT).unwrap(), RectangleType::new(0, 0, 160, 160));
    call(&mut r, t::FRM_GET_ACTIVE_FORM, &[]);
    assert_eq!(r.a0(), 0);
    call(&mut r, t::FRM_GET_ACTIVE_FORM_ID, &[]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::FRM_SET_ACTIVE_FORM, &[L(form)]);
    call(&mut r, t::FRM_GET_ACTIVE_FORM, &[]);
    assert_eq!(r.a0(), form);
    call(&mut r, t::FRM_GET_ACTIVE_FORM_ID, &[]);
    assert_eq!(r.d0() as u16, FORM_ID);
    assert_eq!(r.shim.ui().windows().draw_window(), form, "the active form is the draw window");
    // Gadget data, menu, user-modified state, point in title.
    let with_gadget = FormBuilder::new(3000, "G", (0, 0, 160, 160)).gadget(3001, (0, 20, 10, 10));
    let mut r2 = rig_with(vec![with_gadget.resource()]);
    let g = init_form(&mut r2, 3000);
    call(&mut r2, t::FRM_SET_GADGET_DATA, &[L(g), W(1), L(0xCAFE)]);
    call(&mut r2, t::FRM_GET_GADGET_DATA, &[L(g), W(1)]);
    assert_eq!(r2.a0(), 0xCAFE);
    call(&mut r2, t::FRM_SET_MENU, &[L(g), W(77)]);
    assert_eq!(read_form(&r2, g).menu_rsc_id, 77);
    call(&mut r2, t::FRM_POINT_IN_TITLE, &[L(g), W(2), W(2)]);
    assert_eq!(r2.d0(), 1);
    call(&mut r2, t::FRM_POINT_IN_TITLE, &[L(g), W(100), W(2)]);
    assert_eq!(r2.d0(), 0);
    r2.mem.write_u32(g + FormType::ATTR, read_form(&r2, g).attr | FORM_ATTR_DIRTY).unwrap();
    call(&mut r2, t::FRM_GET_USER_MODIFIED_STATE, &[L(g)]);
    assert_eq!(r2.d0(), 1);
    call(&mut r2, t::FRM_SET_NOT_USER_MODIFIED, &[L(g)]);
    call(&mut r2, t::FRM_GET_USER_MODIFIED_STATE, &[L(g)]);
    assert_eq!(r2.d0(), 0);
}

#[test]
fn hide_and_show_objects() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    assert!(any_black(&r, 10, 140, 36, 12));
    let i = object_index(&mut r, form, BUTTON);
    call(&mut r, t::FRM_HIDE_OBJECT, &[L(form), W(i)]);
    assert!(all_white(&r, 9, 139, 38, 14), "button and frame erased");
    let p = object_ptr(&mut r, form, BUTTON);
    assert_eq!(read_control(&r, p).attr & (CTL_ATTR_USABLE | CTL_ATTR_VISIBLE), 0);
    // A hidden control does not take the pen.
    write_event(&mut r, &{ let mut e = EventType::new(PEN_DOWN_EVENT); e.screen_x = 20; e.screen_y = 145; e });
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(EV)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::FRM_SHOW_OBJECT, &[L(form), W(i)]);
    assert!(any_black(&r, 10, 140, 36, 12));
    let label = object_index(&mut r, form, LABEL);
    call(&mut r, t::FRM_HIDE_OBJECT, &[L(form), W(label)]);
    assert!(all_white(&r, 10, 20, 30, 11));
    call(&mut r, t::FRM_SHOW_OBJECT, &[L(form), W(label)]);
    assert!(any_black(&r, 10, 20, 30, 11));
}

#[test]
fn labels_and_titles() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    call(&mut r, t::FRM_GET_LABEL, &[L(form), W(LABEL)]);
    let label_text = r.a0();
    assert_eq!(cstr(&r, label_text), "Count:");
    put_str(&mut r, TEXT, "Sum:");
    call(&mut r, t::FRM_COPY_LABEL, &[L(form), W(LABEL), L(TEXT)]);
    assert_eq!(cstr(&r, label_text), "Sum:");
    // Longer than the buffer: cut to it, never past it.
    put_str(&mut r, TEXT, "A much longer label");
    let after = r.mem.read_u8(label_text + 7).unwrap();
    call(&mut r, t::FRM_COPY_LABEL, &[L(form), W(LABEL), L(TEXT)]);
    assert_eq!(cstr(&r, label_text), "A much");
    assert_eq!(r.mem.read_u8(label_text + 7).unwrap(), after, "the byte after the buffer is untouched");
    call(&mut r, t::FRM_GET_TITLE, &[L(form)]);
    let title = r.a0();
    assert_eq!(cstr(&r, title), "Counter");
    put_str(&mut r, TEXT, "Total");
    call(&mut r, t::FRM_COPY_TITLE, &[L(form), L(TEXT)]);
    assert_eq!(cstr(&r, title), "Total");
    let before = screen_hash(&r);
    put_str(&mut r, TEXT2, "A new, wider title");
    call(&mut r, t::FRM_SET_TITLE, &[L(form), L(TEXT2)]);
    call(&mut r, t::FRM_GET_TITLE, &[L(form)]);
    assert_eq!(r.a0(), TEXT2);
    assert_ne!(screen_hash(&r), before, "the title was redrawn");
    assert_eq!(px(&r, 70, 0), BLACK, "the wider tab");
}

#[test]
fn delete_form_frees_everything() {
    let mut r = rig(vec![]);
    let before = chunk_count(&r);
    let form = shown_form(&mut r);
    // The field gets a text handle of its own by typing into it.
    let fld = object_ptr(&mut r, form, FIELD);
    let idx = object_index(&mut r, form, FIELD);
    call(&mut r, t::FRM_SET_FOCUS, &[L(form), W(idx)]);
    put_str(&mut r, TEXT, "hi");
    call(&mut r, t::FLD_INSERT, &[L(fld), L(TEXT), W(2)]);
    assert_ne!(read_field(&r, fld).text_handle, 0);
    call(&mut r, t::FRM_DELETE_FORM, &[L(form)]);
    assert!(r.shim.ui().forms().forms().is_empty());
    assert_eq!(r.shim.ui().forms().active_form(), 0);
    assert!(!r.shim.ui().windows().window_list().contains(&form));
    assert_eq!(r.shim.ui().windows().draw_window(), r.shim.ui().windows().display_window());
    // Display window, screen bitmap and draw state stay; the form and the field text are gone.
    assert_eq!(chunk_count(&r), before + 3);
    r.shim.memory().check(&r.mem).unwrap();
    assert_fatal(r.call(t::FRM_DRAW_FORM, &[L(form)]).unwrap(), "is not a form");
}

#[test]
fn save_behind_restores_the_screen() {
    let dialog = FormBuilder::new(2000, "Dialog", (10, 60, 140, 60)).modal().button(2001, "OK", (10, 40, 36, 12));
    let mut r = rig(vec![dialog.resource()]);
    let main = shown_form(&mut r);
    let under = screen_hash(&r);
    let d = init_form(&mut r, 2000);
    call(&mut r, t::FRM_DRAW_FORM, &[L(d)]);
    let f = read_form(&r, d);
    assert_ne!(f.bits_behind_form, 0, "bits saved");
    assert_ne!(screen_hash(&r), under);
    // Modal: dialog frame outside the bounds, title bar across the top.
    assert_eq!((px(&r, 8, 80), px(&r, 9, 80)), (BLACK, BLACK));
    assert_eq!((px(&r, 11, 61), px(&r, 148, 61)), (BLACK, BLACK));
    call(&mut r, t::FRM_ERASE_FORM, &[L(d)]);
    assert_eq!(screen_hash(&r), under, "the screen under the dialog is back");
    assert_eq!(read_form(&r, d).bits_behind_form, 0);
    call(&mut r, t::FRM_DELETE_FORM, &[L(d)]);
    call(&mut r, t::FRM_GET_FIRST_FORM, &[]);
    assert_eq!(r.a0(), main);
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn goto_form_closes_forms_and_queues_load_and_open() {
    let mut r = rig(vec![FormBuilder::new(2000, "Second", (0, 0, 160, 160)).resource()]);
    let form = shown_form(&mut r);
    call(&mut r, t::FRM_GOTO_FORM, &[W(2000)]);
    assert!(r.shim.ui().forms().forms().is_empty(), "no handler: closed by FrmHandleEvent");
    assert!(all_white(&r, 0, 0, 160, 160), "erased");
    let queued: Vec<(u16, u16)> = r.shim.queued_events().iter().map(|e| (e.e_type, e.u16_at(event_data::frm_load::FORM_ID))).collect();
    assert_eq!(queued, [(FRM_LOAD_EVENT, 2000), (FRM_OPEN_EVENT, 2000)]);
    // frmLoad: the application loads and activates; frmOpen reaches FrmHandleEvent: drawn.
    let e = next_event(&mut r);
    assert_eq!(e.e_type, FRM_LOAD_EVENT);
    let second = init_form(&mut r, 2000);
    call(&mut r, t::FRM_SET_ACTIVE_FORM, &[L(second)]);
    let e = next_event(&mut r);
    assert_eq!(e.e_type, WIN_ENTER_EVENT);
    let e = next_event(&mut r);
    assert_eq!(e.e_type, FRM_OPEN_EVENT);
    call(&mut r, t::FRM_DISPATCH_EVENT, &[L(EV)]);
    assert_eq!(r.d0(), 1);
    assert_ne!(read_form(&r, second).attr & FORM_ATTR_VISIBLE, 0);
    assert!(any_black(&r, 0, 0, 40, 12), "the new title");
    let _ = form;
    // frmUpdateEvent redraws; FrmUpdateForm queues it.
    call(&mut r, t::FRM_UPDATE_FORM, &[W(2000), W(FRM_REDRAW_UPDATE_CODE)]);
    let e = next_event(&mut r);
    assert_eq!((e.e_type, e.u16_at(event_data::frm_update::UPDATE_CODE)), (FRM_UPDATE_EVENT, FRM_REDRAW_UPDATE_CODE));
    call(&mut r, t::FRM_DISPATCH_EVENT, &[L(EV)]);
    assert_eq!(r.d0(), 1);
    // FrmPopupForm keeps the current form; FrmReturnToForm goes back.
    call(&mut r, t::FRM_POPUP_FORM, &[W(FORM_ID)]);
    assert_eq!(r.shim.ui().forms().forms(), &[second]);
    let popup = init_form(&mut r, FORM_ID);
    call(&mut r, t::FRM_SET_ACTIVE_FORM, &[L(popup)]);
    call(&mut r, t::FRM_RETURN_TO_FORM, &[W(2000)]);
    assert_eq!(r.shim.ui().forms().forms(), &[second]);
    assert_eq!(r.shim.ui().forms().active_form(), second);
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn dispatch_calls_the_handler_and_falls_back_to_frm_handle_event() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    call(&mut r, t::FRM_SET_EVENT_HANDLER, &[L(form), L(HANDLER)]);
    assert_eq!(read_form(&r, form).handler, HANDLER);
    let mut pen = EventType::new(PEN_DOWN_EVENT);
    pen.screen_x = 20;
    pen.screen_y = 145;
    write_event(&mut r, &pen);
    // The handler runs first, as 68k code with the event pointer as its argument.
    let out = r.call(t::FRM_DISPATCH_EVENT, &[L(EV)]).unwrap();
    assert_eq!(out, TrapOutcome::Redirected);
    assert_eq!(r.regs.pc, HANDLER);
    assert_eq!(r.mem.read_u32(r.regs.a[7] + 4).unwrap(), EV);
    assert_eq!(r.shim.pending_guest_calls(), 1);
    // It handles the event: FrmHandleEvent does not run (no ctlEnterEvent).
    return_from_handler(&mut r, 1);
    assert_eq!(r.shim.pending_guest_calls(), 0);
    assert_eq!(r.regs.d[0], 1);
    assert!(r.shim.queued_events().is_empty());
    // It declines (only the low byte counts): FrmHandleEvent queues ctlEnterEvent.
    assert_eq!(r.call(t::FRM_DISPATCH_EVENT, &[L(EV)]).unwrap(), TrapOutcome::Redirected);
    return_from_handler(&mut r, 0xFFFF_FF00);
    assert_eq!(r.regs.d[0], 1);
    let queued = r.shim.queued_events();
    assert_eq!(queued.len(), 1);
    assert_eq!((queued[0].e_type, queued[0].u16_at(event_data::ctl_enter::CONTROL_ID)), (CTL_ENTER_EVENT, BUTTON));
    // An event for no form: false, no call.
    let mut other = form_event_for(9999);
    other.e_type = FRM_OPEN_EVENT;
    call(&mut r, t::FRM_SET_ACTIVE_FORM, &[L(0)]);
    write_event(&mut r, &other);
    call(&mut r, t::FRM_DISPATCH_EVENT, &[L(EV)]);
    assert_eq!(r.d0(), 0);
}

fn form_event_for(id: u16) -> EventType {
    super::super::form_event(FRM_OPEN_EVENT, id)
}

#[test]
fn dispatch_remembers_a_declined_event_while_tracking_blocks() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    call(&mut r, t::FRM_SET_EVENT_HANDLER, &[L(form), L(HANDLER)]);
    r.shim.pen_down(20, 145);
    let down = next_event(&mut r);
    assert_eq!(down.e_type, PEN_DOWN_EVENT);
    assert_eq!(r.call(t::FRM_DISPATCH_EVENT, &[L(EV)]).unwrap(), TrapOutcome::Redirected);
    return_from_handler(&mut r, 0);
    let enter = next_event(&mut r);
    assert_eq!(enter.e_type, CTL_ENTER_EVENT);
    assert_eq!(r.call(t::FRM_DISPATCH_EVENT, &[L(EV)]).unwrap(), TrapOutcome::Redirected);
    // The handler declines, the pen is still down: the trap blocks (PC back on the trap).
    assert_eq!(return_from_handler(&mut r, 0), TrapOutcome::Block);
    assert_eq!(r.regs.pc, 0x1000_2000);
    // Running it again does not call the handler a second time.
    assert_eq!(r.call(t::FRM_DISPATCH_EVENT, &[L(EV)]).unwrap(), TrapOutcome::Block);
    r.shim.pen_up(20, 145);
    call(&mut r, t::FRM_DISPATCH_EVENT, &[L(EV)]);
    assert_eq!(r.d0(), 1);
    assert_eq!(next_event(&mut r).e_type, CTL_SELECT_EVENT);
}

#[test]
fn close_all_forms_sends_frm_close_event_to_each_handler() {
    let mut r = rig(vec![FormBuilder::new(2000, "Second", (0, 0, 160, 160)).resource()]);
    let first = init_form(&mut r, FORM_ID);
    let second = init_form(&mut r, 2000);
    call(&mut r, t::FRM_SET_EVENT_HANDLER, &[L(first), L(HANDLER)]);
    call(&mut r, t::FRM_SET_EVENT_HANDLER, &[L(second), L(HANDLER + 0x100)]);
    let chunks = chunk_count(&r);
    // The newest form first: its handler gets frmCloseEvent with its form ID.
    assert_eq!(r.call(t::FRM_CLOSE_ALL_FORMS, &[]).unwrap(), TrapOutcome::Redirected);
    assert_eq!(r.regs.pc, HANDLER + 0x100);
    let ev = read_event(&r, r.mem.read_u32(r.regs.a[7] + 4).unwrap());
    assert_eq!((ev.e_type, ev.u16_at(event_data::frm_load::FORM_ID)), (FRM_CLOSE_EVENT, 2000));
    // It handles it (and does not delete the form): deleted anyway, then the next form.
    assert_eq!(return_from_handler(&mut r, 1), TrapOutcome::Redirected);
    assert_eq!(r.shim.ui().forms().forms(), &[first]);
    assert_eq!(r.regs.pc, HANDLER);
    // Declined: FrmHandleEvent closes it.
    return_from_handler(&mut r, 0);
    assert!(r.shim.ui().forms().forms().is_empty());
    assert_eq!(r.shim.pending_guest_calls(), 0);
    assert_eq!(r.regs.pc, 0x1000_2000 + 4, "the trap completed");
    assert!(chunk_count(&r) < chunks);
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn save_all_forms_and_menu_handle_event() {
    let mut r = rig(vec![]);
    let form = init_form(&mut r, FORM_ID);
    call(&mut r, t::FRM_SET_EVENT_HANDLER, &[L(form), L(HANDLER)]);
    assert_eq!(r.call(t::FRM_SAVE_ALL_FORMS, &[]).unwrap(), TrapOutcome::Redirected);
    let ev = read_event(&r, r.mem.read_u32(r.regs.a[7] + 4).unwrap());
    assert_eq!(ev.e_type, FRM_SAVE_EVENT);
    return_from_handler(&mut r, 0);
    assert_eq!(r.shim.ui().forms().forms(), &[form], "saving closes nothing");
    r.mem.write_u16(OUT, 0xFFFF).unwrap();
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(EV), L(OUT)]);
    assert_eq!((r.d0(), r.mem.read_u16(OUT).unwrap()), (0, 0));
    let _ = AlertBuilder::new(0, "", "");
}

/// Leaves pictures of the sample form (with a selection, text and a pressed button) and of
/// an alert over it in `target/forms/` for people to look at.
#[test]
fn pictures_for_people() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/forms");
    std::fs::create_dir_all(&dir).unwrap();
    let mut r = rig(vec![AlertBuilder::new(WARNING_ALERT, "Careful", "This deletes every record in the database. Go on?").button("OK").button("Cancel").resource(3000)]);
    let form = shown_form(&mut r);
    let fld = object_ptr(&mut r, form, FIELD);
    let idx = object_index(&mut r, form, FIELD);
    call(&mut r, t::FRM_SET_FOCUS, &[L(form), W(idx)]);
    put_str(&mut r, TEXT, "42");
    call(&mut r, t::FLD_INSERT, &[L(fld), L(TEXT), W(2)]);
    let memo = object_ptr(&mut r, form, MEMO);
    put_str(&mut r, TEXT, "Multi-line fields wrap their words.");
    call(&mut r, t::FLD_INSERT, &[L(memo), L(TEXT), W(35)]);
    let list = object_ptr(&mut r, form, LIST);
    call(&mut r, t::LST_SET_SELECTION, &[L(list), W(1)]);
    let push = object_ptr(&mut r, form, PUSH_B);
    call(&mut r, t::CTL_SET_VALUE, &[L(push), W(1)]);
    let check = object_ptr(&mut r, form, CHECK);
    call(&mut r, t::CTL_SET_VALUE, &[L(check), W(1)]);
    crate::graphics::write_png(&r.shim.screen_surface(), &r.mem, dir.join("form.png"), 3).unwrap();
    assert_eq!(r.call(t::FRM_ALERT, &[W(3000)]).unwrap(), TrapOutcome::Block);
    crate::graphics::write_png(&r.shim.screen_surface(), &r.mem, dir.join("alert.png"), 3).unwrap();
}

#[test]
fn forms_and_objects_made_at_run_time() {
    let mut r = rig(vec![]);
    boot(&mut r);
    put_str(&mut r, TEXT, "Made");
    call(&mut r, t::FRM_NEW_FORM, &[W(4000), L(TEXT), W(0), W(0), W(160), W(160), B(0), W(0), W(0), W(0)]);
    let form = r.a0();
    assert!(r.shim.ui().forms().is_form(form));
    r.mem.write_u32(OUT, form).unwrap();
    put_str(&mut r, TEXT2, "Hello");
    call(&mut r, t::FRM_NEW_LABEL, &[L(OUT), W(4001), L(TEXT2), W(10), W(30), B(STD_FONT)]);
    let label = r.a0();
    assert_ne!(label, 0);
    assert_eq!(r.mem.read_u32(OUT).unwrap(), form, "the form did not move");
    call(&mut r, t::CTL_NEW_CONTROL, &[L(OUT), W(4002), B(BUTTON_CTL), L(TEXT2), W(10), W(140), W(40), W(12), B(STD_FONT), B(0), B(1)]);
    let button = r.a0();
    assert_ne!(button, 0);
    call(&mut r, t::FRM_GET_NUMBER_OF_OBJECTS, &[L(form)]);
    assert_eq!(r.d0(), 3, "title, label, button");
    assert_eq!(object_ptr(&mut r, form, 4002), button);
    assert_eq!(object_ptr(&mut r, form, 4001), label);
    assert_eq!(cstr(&r, read_control(&r, button).text), "Hello");
    put_str(&mut r, TEXT2, "Changed");
    assert_eq!(cstr(&r, read_control(&r, button).text), "Hello", "the label was copied");
    call(&mut r, t::FRM_SET_ACTIVE_FORM, &[L(form)]);
    call(&mut r, t::FRM_DRAW_FORM, &[L(form)]);
    while next_event(&mut r).e_type != NIL_EVENT {}
    assert!(any_black(&r, 10, 30, 25, 11), "the label");
    assert_eq!(px(&r, 30, 139), BLACK, "the button's frame");
    tap(&mut r, 20, 145);
    let events = pump(&mut r, form);
    assert_eq!(types(&events), [PEN_DOWN_EVENT, CTL_ENTER_EVENT, CTL_SELECT_EVENT, PEN_UP_EVENT]);
    assert_eq!(events[2].0.u16_at(event_data::ctl_select::CONTROL_ID), 4002);
    // Adding until the room runs out ends in NULL, not in damage.
    let mut added = 0;
    loop {
        call(&mut r, t::FRM_NEW_LABEL, &[L(OUT), W(5000 + added), L(TEXT2), W(0), W(0), B(0)]);
        if r.a0() == 0 {
            break;
        }
        added += 1;
        assert!(added < 1000);
    }
    assert!(added > 10);
    call(&mut r, t::FRM_GET_NUMBER_OF_OBJECTS, &[L(form)]);
    assert_eq!(r.d0(), 3 + added as u32);
    r.shim.memory().check(&r.mem).unwrap();
    // Bad form pointers.
    r.mem.write_u32(OUT + 4, 0x1234).unwrap();
    assert_fatal(r.call(t::FRM_NEW_LABEL, &[L(OUT + 4), W(1), L(TEXT2), W(0), W(0), B(0)]).unwrap(), "is not a form");
    assert_fatal(r.call(t::CTL_NEW_CONTROL, &[L(0), W(1), B(0), L(TEXT2), W(0), W(0), W(1), W(1), B(0), B(0), B(0)]).unwrap(), "NULL form");
    call(&mut r, t::FRM_DELETE_FORM, &[L(form)]);
    r.shim.memory().check(&r.mem).unwrap();
}
