//! Controls: taps through the real event loop (ctlEnter, ctlSelect / ctlExit), blocking while
//! the pen is held, push-button groups, check boxes, repeating buttons, and the `Ctl*` traps.

use super::*;

fn select_data(e: &EventType) -> (u16, u32, bool) {
    (e.u16_at(event_data::ctl_select::CONTROL_ID), e.u32_at(event_data::ctl_select::P_CONTROL), e.u8_at(event_data::ctl_select::ON) != 0)
}

#[test]
fn tapping_a_button_selects_it() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let button = object_ptr(&mut r, form, BUTTON);
    tap(&mut r, 20, 145);
    let events = pump(&mut r, form);
    assert_eq!(types(&events), [PEN_DOWN_EVENT, CTL_ENTER_EVENT, CTL_SELECT_EVENT, PEN_UP_EVENT]);
    assert_eq!(events.iter().map(|(_, h)| *h).collect::<Vec<_>>(), [true, true, false, false]);
    let (id, p, on) = select_data(&events[2].0);
    assert_eq!((id, p, on), (BUTTON, button, false));
    assert_eq!(events[1].0.u32_at(event_data::ctl_enter::P_CONTROL), button);
    assert!(all_white(&r, 11, 141, 3, 3), "not highlighted afterwards");
}

#[test]
fn lifting_the_pen_outside_exits() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    r.shim.pen_down(20, 145);
    r.shim.pen_move(20, 100);
    r.shim.pen_up(20, 100);
    let events = pump(&mut r, form);
    assert_eq!(types(&events), [PEN_DOWN_EVENT, CTL_ENTER_EVENT, CTL_EXIT_EVENT, PEN_MOVE_EVENT, PEN_UP_EVENT]);
    assert_eq!(events[2].0.u16_at(event_data::ctl_enter::CONTROL_ID), BUTTON);
}

#[test]
fn holding_the_pen_blocks_with_the_button_highlighted() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    r.shim.pen_down(20, 145);
    assert_eq!(next_event(&mut r).e_type, PEN_DOWN_EVENT);
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(EV)]);
    assert_eq!(next_event(&mut r).e_type, CTL_ENTER_EVENT);
    assert_eq!(r.call(t::FRM_HANDLE_EVENT, &[L(form), L(EV)]).unwrap(), TrapOutcome::Block);
    assert_eq!(px(&r, 12, 142), BLACK, "highlighted (inverted) while the pen is on it");
    // The pen slides off: no longer highlighted, still waiting.
    r.shim.pen_move(100, 100);
    assert_eq!(r.call(t::FRM_HANDLE_EVENT, &[L(form), L(EV)]).unwrap(), TrapOutcome::Block);
    assert_eq!(px(&r, 12, 142), WHITE);
    // Back on and up: selected.
    r.shim.pen_move(21, 146);
    r.shim.pen_up(21, 146);
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(EV)]);
    assert_eq!(r.d0(), 1);
    assert_eq!(px(&r, 12, 142), WHITE);
    let rest = pump(&mut r, form);
    assert_eq!(types(&rest), [CTL_SELECT_EVENT, PEN_MOVE_EVENT, PEN_UP_EVENT]);
}

#[test]
fn push_buttons_of_a_group_exclude_each_other() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let (a, b) = (object_ptr(&mut r, form, PUSH_A), object_ptr(&mut r, form, PUSH_B));
    let on = |r: &Rig, p| read_control(r, p).attr & CTL_ATTR_ON != 0;
    call(&mut r, t::FRM_GET_CONTROL_GROUP_SELECTION, &[L(form), B(1)]);
    assert_eq!(r.d0() as u16, FRM_NO_SELECTED_CONTROL);
    tap(&mut r, 65, 145);
    let events = pump(&mut r, form);
    assert_eq!(select_data(&events[2].0), (PUSH_A, a, true));
    assert!(on(&r, a) && !on(&r, b));
    assert_eq!(px(&r, 61, 141), BLACK, "selected push buttons are drawn inverted");
    tap(&mut r, 78, 145);
    let events = pump(&mut r, form);
    assert_eq!(select_data(&events[2].0), (PUSH_B, b, true));
    assert!(!on(&r, a) && on(&r, b));
    assert_eq!((px(&r, 61, 141), px(&r, 74, 141)), (WHITE, BLACK));
    call(&mut r, t::FRM_GET_CONTROL_GROUP_SELECTION, &[L(form), B(1)]);
    assert_eq!(r.d0() as u16, object_index(&mut r, form, PUSH_B));
    // Tapping the selected one keeps it selected (and still reports the tap).
    tap(&mut r, 78, 145);
    let events = pump(&mut r, form);
    assert_eq!(select_data(&events[2].0), (PUSH_B, b, true));
    assert!(on(&r, b));
    call(&mut r, t::FRM_SET_CONTROL_GROUP_SELECTION, &[L(form), B(1), W(PUSH_A)]);
    assert!(on(&r, a) && !on(&r, b));
}

#[test]
fn check_boxes_toggle() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let check = object_ptr(&mut r, form, CHECK);
    let index = object_index(&mut r, form, CHECK);
    tap(&mut r, 120, 145);
    let events = pump(&mut r, form);
    assert_eq!(select_data(&events[2].0), (CHECK, check, true));
    call(&mut r, t::FRM_GET_CONTROL_VALUE, &[L(form), W(index)]);
    assert_eq!(r.d0(), 1);
    assert!(any_black(&r, 102, 143, 6, 6), "check mark");
    tap(&mut r, 101, 146);
    let events = pump(&mut r, form);
    assert_eq!(select_data(&events[2].0), (CHECK, check, false));
    call(&mut r, t::CTL_GET_VALUE, &[L(check)]);
    assert_eq!(r.d0(), 0);
    assert!(all_white(&r, 102, 143, 6, 6));
}

#[test]
fn repeating_buttons_repeat() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    tap(&mut r, 135, 25);
    let events = pump(&mut r, form);
    assert_eq!(types(&events), [PEN_DOWN_EVENT, CTL_ENTER_EVENT, CTL_REPEAT_EVENT, PEN_UP_EVENT]);
    assert_eq!(events[2].0.u16_at(event_data::ctl_repeat::CONTROL_ID), REPEAT);
    // Held: each handled repeat waits for the pen to move, then queues the next one.
    r.shim.pen_down(135, 25);
    assert_eq!(next_event(&mut r).e_type, PEN_DOWN_EVENT);
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(EV)]);
    assert_eq!(next_event(&mut r).e_type, CTL_ENTER_EVENT);
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(EV)]);
    assert_eq!(next_event(&mut r).e_type, CTL_REPEAT_EVENT);
    assert_eq!(r.call(t::FRM_HANDLE_EVENT, &[L(form), L(EV)]).unwrap(), TrapOutcome::Block);
    assert_eq!(r.call(t::FRM_HANDLE_EVENT, &[L(form), L(EV)]).unwrap(), TrapOutcome::Block, "no input, no repeat");
    r.shim.pen_move(136, 26);
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(EV)]);
    r.shim.pen_up(136, 26);
    let rest = pump(&mut r, form);
    assert_eq!(types(&rest), [CTL_REPEAT_EVENT, PEN_MOVE_EVENT, PEN_UP_EVENT]);
}

#[test]
fn control_traps() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let button = object_ptr(&mut r, form, BUTTON);
    let check = object_ptr(&mut r, form, CHECK);
    call(&mut r, t::CTL_GET_LABEL, &[L(button)]);
    assert_eq!(cstr(&r, r.a0()), "Add");
    put_str(&mut r, TEXT, "Subtract");
    call(&mut r, t::CTL_SET_LABEL, &[L(button), L(TEXT)]);
    call(&mut r, t::CTL_GET_LABEL, &[L(button)]);
    assert_eq!(r.a0(), TEXT);
    call(&mut r, t::CTL_SET_VALUE, &[L(check), W(1)]);
    call(&mut r, t::CTL_GET_VALUE, &[L(check)]);
    assert_eq!(r.d0(), 1);
    assert!(any_black(&r, 102, 143, 6, 6), "redrawn checked");
    let idx = object_index(&mut r, form, CHECK);
    call(&mut r, t::FRM_SET_CONTROL_VALUE, &[L(form), W(idx), W(0)]);
    assert_eq!(read_control(&r, check).attr & CTL_ATTR_ON, 0);
    // Disabled controls do not take the pen.
    call(&mut r, t::CTL_ENABLED, &[L(button)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::CTL_SET_ENABLED, &[L(button), B(0)]);
    call(&mut r, t::CTL_ENABLED, &[L(button)]);
    assert_eq!(r.d0(), 0);
    tap(&mut r, 20, 145);
    assert_eq!(types(&pump(&mut r, form)), [PEN_DOWN_EVENT, PEN_UP_EVENT]);
    call(&mut r, t::CTL_SET_ENABLED, &[L(button), B(1)]);
    // Hide, show, erase, draw.
    call(&mut r, t::CTL_HIDE_CONTROL, &[L(button)]);
    assert!(all_white(&r, 9, 139, 38, 14));
    assert_eq!(read_control(&r, button).attr & CTL_ATTR_USABLE, 0);
    call(&mut r, t::CTL_SHOW_CONTROL, &[L(button)]);
    assert!(any_black(&r, 9, 139, 38, 14));
    call(&mut r, t::CTL_ERASE_CONTROL, &[L(button)]);
    assert!(all_white(&r, 9, 139, 38, 14));
    call(&mut r, t::CTL_DRAW_CONTROL, &[L(button)]);
    assert!(any_black(&r, 9, 139, 38, 14));
    call(&mut r, t::CTL_SET_USABLE, &[L(button), B(0)]);
    assert_eq!(read_control(&r, button).attr & CTL_ATTR_USABLE, 0);
    call(&mut r, t::CTL_SET_USABLE, &[L(button), B(1)]);
    // CtlHitControl: as if tapped.
    call(&mut r, t::CTL_HIT_CONTROL, &[L(check)]);
    let e = next_event(&mut r);
    assert_eq!((e.e_type, select_data(&e)), (CTL_SELECT_EVENT, (CHECK, check, true)));
    // CtlHandleEvent directly.
    let mut pen = EventType::new(PEN_DOWN_EVENT);
    pen.screen_x = 20;
    pen.screen_y = 145;
    write_event(&mut r, &pen);
    call(&mut r, t::CTL_HANDLE_EVENT, &[L(button), L(EV)]);
    assert_eq!(r.d0(), 1);
    assert_eq!(next_event(&mut r).e_type, CTL_ENTER_EVENT);
    call(&mut r, t::CTL_HANDLE_EVENT, &[L(check), L(EV)]);
    assert_eq!(r.d0(), 0, "the enter event is for another control");
    call(&mut r, t::CTL_VALIDATE_POINTER, &[L(button)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::CTL_VALIDATE_POINTER, &[L(form)]);
    assert_eq!(r.d0(), 0);
}
