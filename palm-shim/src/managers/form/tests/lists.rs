//! Lists: drawing with a selection, taps selecting items (lstSelectEvent) or missing them
//! (lstExitEvent), scrolling, and the `Lst*` traps.

use super::*;

#[test]
fn tapping_an_item_selects_it() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let list = object_ptr(&mut r, form, LIST);
    call(&mut r, t::LST_GET_SELECTION, &[L(list)]);
    assert_eq!(r.d0() as u16 as i16, NO_LIST_SELECTION);
    // The third row (y = 50 + 2 * 11).
    tap(&mut r, 30, 75);
    let events = pump(&mut r, form);
    assert_eq!(types(&events), [PEN_DOWN_EVENT, LST_ENTER_EVENT, LST_SELECT_EVENT, PEN_UP_EVENT]);
    let e = &events[2].0;
    assert_eq!(
        (e.u16_at(event_data::lst_select::LIST_ID), e.u32_at(event_data::lst_select::P_LIST), e.u16_at(event_data::lst_select::SELECTION)),
        (LIST, list, 2)
    );
    call(&mut r, t::LST_GET_SELECTION, &[L(list)]);
    assert_eq!(r.d0(), 2);
    call(&mut r, t::LST_GET_SELECTION_TEXT, &[L(list), W(2)]);
    assert_eq!(cstr(&r, r.a0()), "Three");
    // The selected row is drawn inverted, the others are not.
    assert_eq!((px(&r, 68, 73), px(&r, 68, 62)), (BLACK, WHITE));
    // Held on an item: it is highlighted, the trap waits; released outside the list: exit.
    r.shim.pen_down(30, 53);
    assert_eq!(next_event(&mut r).e_type, PEN_DOWN_EVENT);
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(EV)]);
    assert_eq!(next_event(&mut r).e_type, LST_ENTER_EVENT);
    assert_eq!(r.call(t::FRM_HANDLE_EVENT, &[L(form), L(EV)]).unwrap(), TrapOutcome::Block);
    assert_eq!((px(&r, 68, 52), px(&r, 68, 73)), (BLACK, WHITE));
    r.shim.pen_move(120, 120);
    r.shim.pen_up(120, 120);
    call(&mut r, t::FRM_HANDLE_EVENT, &[L(form), L(EV)]);
    let rest = pump(&mut r, form);
    assert_eq!(types(&rest), [LST_EXIT_EVENT, PEN_MOVE_EVENT, PEN_UP_EVENT]);
    call(&mut r, t::LST_GET_SELECTION, &[L(list)]);
    assert_eq!(r.d0(), 2, "unchanged");
    assert_eq!((px(&r, 68, 52), px(&r, 68, 73)), (WHITE, BLACK));
}

#[test]
fn list_traps() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let list = object_ptr(&mut r, form, LIST);
    call(&mut r, t::LST_GET_NUMBER_OF_ITEMS, &[L(list)]);
    assert_eq!(r.d0(), 6);
    call(&mut r, t::LST_GET_VISIBLE_ITEMS, &[L(list)]);
    assert_eq!(r.d0(), 4);
    // Selecting an item below the visible ones scrolls it into view.
    call(&mut r, t::LST_SET_SELECTION, &[L(list), W(5)]);
    call(&mut r, t::LST_GET_TOP_ITEM, &[L(list)]);
    assert_eq!(r.d0(), 2);
    assert_eq!(px(&r, 68, 84), BLACK, "the last row shows the selection");
    call(&mut r, t::LST_SET_SELECTION, &[L(list), W(99)]);
    call(&mut r, t::LST_GET_SELECTION, &[L(list)]);
    assert_eq!(r.d0() as u16 as i16, NO_LIST_SELECTION);
    call(&mut r, t::LST_SCROLL_LIST, &[L(list), B(WIN_UP), W(1)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::LST_GET_TOP_ITEM, &[L(list)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::LST_SCROLL_LIST, &[L(list), B(WIN_DOWN), W(10)]);
    call(&mut r, t::LST_GET_TOP_ITEM, &[L(list)]);
    assert_eq!(r.d0(), 2, "no further than the last page");
    call(&mut r, t::LST_SCROLL_LIST, &[L(list), B(WIN_DOWN), W(1)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::LST_SET_TOP_ITEM, &[L(list), W(0)]);
    call(&mut r, t::LST_MAKE_ITEM_VISIBLE, &[L(list), W(4)]);
    call(&mut r, t::LST_GET_TOP_ITEM, &[L(list)]);
    assert_eq!(r.d0(), 1);
    // New choices from the application.
    let (a, b) = (put_str(&mut r, TEXT, "Red"), put_str(&mut r, TEXT + 8, "Green"));
    r.mem.write_u32(OUT, a).unwrap();
    r.mem.write_u32(OUT + 4, b).unwrap();
    call(&mut r, t::LST_SET_LIST_CHOICES, &[L(list), L(OUT), W(2)]);
    call(&mut r, t::LST_GET_NUMBER_OF_ITEMS, &[L(list)]);
    assert_eq!(r.d0(), 2);
    call(&mut r, t::LST_GET_SELECTION_TEXT, &[L(list), W(1)]);
    assert_eq!(r.a0(), b);
    call(&mut r, t::LST_GET_SELECTION_TEXT, &[L(list), W(2)]);
    assert_eq!(r.a0(), 0);
    call(&mut r, t::LST_DRAW_LIST, &[L(list)]);
    assert!(any_black(&r, 12, 61, 30, 11), "Green");
    assert!(all_white(&r, 12, 73, 50, 20), "no third item");
    // Erase, height, position, draw function.
    call(&mut r, t::LST_ERASE_LIST, &[L(list)]);
    assert!(all_white(&r, 9, 49, 62, 46));
    call(&mut r, t::LST_SET_HEIGHT, &[L(list), W(2)]);
    assert_eq!(read_list(&r, list).bounds.height, 22);
    call(&mut r, t::LST_SET_POSITION, &[L(list), W(20), W(60)]);
    let b = read_list(&r, list).bounds;
    assert_eq!((b.x, b.y), (20, 60));
    call(&mut r, t::LST_SET_DRAW_FUNCTION, &[L(list), L(0x1000_7000)]);
    assert_eq!(read_list(&r, list).draw_items_callback, 0x1000_7000);
    // LstHandleEvent directly.
    let mut pen = EventType::new(PEN_DOWN_EVENT);
    pen.screen_x = 25;
    pen.screen_y = 62;
    write_event(&mut r, &pen);
    call(&mut r, t::LST_HANDLE_EVENT, &[L(list), L(EV)]);
    assert_eq!(r.d0(), 1);
    assert_eq!(next_event(&mut r).e_type, LST_ENTER_EVENT);
}
