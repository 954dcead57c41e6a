//! Menus: the menu key or a tap on the form title opens the active form's menu bar,
//! `MenuHandleEvent` blocks while it is open, a tap on an item queues `menuEvent` with the
//! item's ID, a tap outside or the menu key again dismisses it, shortcut letters choose
//! items, the screen comes back, and `MenuInit` builds a real `MenuBarType`.

use super::super::menu::{MenuBarResource, BAR_HEIGHT};
use super::*;
use palm_abi::menu_layout::*;

const MENU_ID: u16 = 1000;
const NEW: u16 = 1101;
const DELETE: u16 = 1102;
const ABOUT: u16 = 1201;

fn menu() -> MenuBarResource {
    MenuBarResource::new().menu("Record").item(NEW, "New Memo", b'n').separator().item(DELETE, "Delete...", b'd').menu("Options").item(ABOUT, "About", 0)
}

fn menu_rig() -> (Rig, u32) {
    let mut r = rig(vec![menu().resource(MENU_ID)]);
    let form = shown_form(&mut r);
    call(&mut r, t::FRM_SET_MENU, &[L(form), W(MENU_ID)]);
    (r, form)
}

fn menu_key_event(r: &mut Rig) -> u32 {
    let mut e = EventType::new(KEY_DOWN_EVENT);
    e.set_u16(event_data::key_down::CHR, VCHR_MENU);
    e.set_u16(event_data::key_down::MODIFIERS, COMMAND_KEY_MASK);
    write_event(r, &e)
}

fn handle(r: &mut Rig, ev: u32) -> TrapOutcome {
    r.call(t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]).unwrap()
}

/// Events queued for the application now (drained).
fn queued_menu_events(r: &mut Rig) -> Vec<u16> {
    let mut ids = Vec::new();
    loop {
        let e = next_event(r);
        match e.e_type {
            NIL_EVENT => return ids,
            MENU_EVENT => ids.push(e.u16_at(event_data::menu::ITEM_ID)),
            _ => {}
        }
    }
}

#[test]
fn the_menu_key_opens_the_menu_and_a_tap_chooses_an_item() {
    let (mut r, _form) = menu_rig();
    let before = screen_hash(&r);
    let ev = menu_key_event(&mut r);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    assert!(r.shim.ui().forms().menu_showing());
    assert_ne!(screen_hash(&r), before, "the bar is drawn");
    // The bar's bottom line and the first title, inverted (current menu).
    assert_eq!(px(&r, 150, BAR_HEIGHT - 1), BLACK);
    assert_eq!(px(&r, 3, 2), BLACK);
    // Rows: "New Memo" at y 15.., the separator (5 px), "Delete..." at y 31...
    let (x_item, y_new, y_delete) = (12i16, (BAR_HEIGHT + 4) as i16, (BAR_HEIGHT + 1 + 11 + 5 + 4) as i16);
    assert!(any_black(&r, 8, BAR_HEIGHT + 1, 40, 10), "the first item's text");
    // Pen down on New, slide to Delete: Delete is highlighted; lift there.
    r.shim.pen_down(x_item, y_new);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    r.shim.pen_move(x_item, y_delete);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    r.shim.pen_up(x_item, y_delete);
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert_eq!((r.d0(), r.mem.read_u16(OUT).unwrap()), (1, 0));
    assert!(!r.shim.ui().forms().menu_showing());
    assert_eq!(screen_hash(&r), before, "the screen under the menu is back");
    assert_eq!(queued_menu_events(&mut r), [DELETE]);
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn a_tap_on_the_title_opens_it_other_menus_shortcuts_and_dismissal() {
    let (mut r, _form) = menu_rig();
    let before = screen_hash(&r);
    // A pen-down in the form's title tab opens the menu; lifting the pen keeps it open.
    let mut down = EventType::new(PEN_DOWN_EVENT);
    down.pen_down = true;
    (down.screen_x, down.screen_y) = (10, 4);
    let ev = write_event(&mut r, &down);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    r.shim.pen_up(10, 4);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    // A tap on the second title switches menus; About is its only item.
    let x_options = 70;
    tap(&mut r, x_options, 5);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    let options_left = (2..160).find(|&x| px(&r, x, 2) == BLACK && x > 30).unwrap();
    tap(&mut r, options_left as i16 + 8, (BAR_HEIGHT + 4) as i16);
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert_eq!(r.d0(), 1);
    assert_eq!(queued_menu_events(&mut r), [ABOUT]);
    assert_eq!(screen_hash(&r), before);
    // The bar remembers the menu last used: the menu key opens Options again; a tap outside
    // dismisses it without a menuEvent.
    let bar = { call(&mut r, t::MENU_GET_ACTIVE_MENU, &[]); r.a0() };
    assert_eq!(r.mem.read_u16(bar + menu_bar::CUR_MENU).unwrap(), 1);
    assert_eq!(r.mem.read_u16(bar + menu_bar::CUR_ITEM).unwrap(), 0);
    let ev = menu_key_event(&mut r);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    tap(&mut r, 80, 120);
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert_eq!(r.d0(), 1, "the tap was the menu's");
    assert!(queued_menu_events(&mut r).is_empty());
    assert_eq!(screen_hash(&r), before);
    // A shortcut letter while the menu is open chooses its item from any menu.
    let ev = menu_key_event(&mut r);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    r.shim.key(b'n' as u16, 0, 0);
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert_eq!(queued_menu_events(&mut r), [NEW]);
    // The menu key again closes it.
    let ev = menu_key_event(&mut r);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    r.shim.key(VCHR_MENU, 0, COMMAND_KEY_MASK);
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert!(!r.shim.ui().forms().menu_showing());
    assert_eq!(screen_hash(&r), before);
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn other_events_and_forms_without_menus_are_not_handled() {
    let mut r = rig(vec![menu().resource(MENU_ID)]);
    let form = shown_form(&mut r);
    // No menuRscId: the menu key is not the menu's.
    let ev = menu_key_event(&mut r);
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::FRM_SET_MENU, &[L(form), W(MENU_ID)]);
    // A pen-down below the title, and other events, are not the menu's.
    let mut down = EventType::new(PEN_DOWN_EVENT);
    (down.screen_x, down.screen_y) = (10, 40);
    let ev = write_event(&mut r, &down);
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert_eq!(r.d0(), 0);
    let ev = write_event(&mut r, &EventType::new(NIL_EVENT));
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert_eq!(r.d0(), 0);
    // An application event while the menu is open dismisses it and stays queued.
    let ev = menu_key_event(&mut r);
    assert_eq!(handle(&mut r, ev), TrapOutcome::Block);
    r.shim.ui.events.add(EventType::new(APP_STOP_EVENT));
    call(&mut r, t::MENU_HANDLE_EVENT, &[L(0), L(ev), L(OUT)]);
    assert!(!r.shim.ui().forms().menu_showing());
    assert_eq!(next_event(&mut r).e_type, APP_STOP_EVENT);
}

#[test]
fn menu_init_builds_a_menu_bar_type_and_bad_resources_are_fatal() {
    let mut broken = menu().build();
    broken.truncate(40);
    let mut r = rig(vec![menu().resource(MENU_ID), ResourceEntry { kind: MENU_RSC_TYPE, id: 2000, data: broken }]);
    call(&mut r, t::MENU_INIT, &[W(MENU_ID)]);
    let bar = r.a0();
    assert_ne!(bar, 0);
    assert_eq!(r.mem.read_u16(bar + menu_bar::NUM_MENUS).unwrap(), 2);
    let menus = r.mem.read_u32(bar + menu_bar::MENUS).unwrap();
    let second = menus + pull_down::LEN;
    assert_eq!(r.mem.read_cstr(r.mem.read_u32(second + pull_down::TITLE).unwrap(), 32).unwrap(), b"Options");
    assert_eq!(r.mem.read_u16(menus + pull_down::ATTR_NUM_ITEMS).unwrap(), 3);
    let items = r.mem.read_u32(menus + pull_down::ITEMS).unwrap();
    assert_eq!(r.mem.read_u16(items + 2 * menu_item::LEN + menu_item::ITEM_ID).unwrap(), DELETE);
    assert_eq!(r.mem.read_u8(items + menu_item::COMMAND).unwrap(), b'N');
    // An explicit active menu takes precedence over the form's.
    call(&mut r, t::MENU_SET_ACTIVE_MENU, &[L(bar)]);
    assert_eq!(r.a0(), 0);
    call(&mut r, t::MENU_GET_ACTIVE_MENU, &[]);
    assert_eq!(r.a0(), bar);
    call(&mut r, t::MENU_DISPOSE, &[L(bar)]);
    call(&mut r, t::MENU_GET_ACTIVE_MENU, &[]);
    assert_eq!(r.a0(), 0, "no form, no menu");
    assert_fatal(r.call(t::MENU_INIT, &[W(2000)]).unwrap(), "'MBAR' resource 2000");
    assert_fatal(r.call(t::MENU_INIT, &[W(77)]).unwrap(), "no 'MBAR' resource 77");
    r.shim.memory().check(&r.mem).unwrap();
}
