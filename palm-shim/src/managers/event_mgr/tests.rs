//! Event Manager tests on the flat-memory rig: boot detection, timeouts and blocking, queue
//! order, pen strokes and taps, keys, unique events, window switches.

use super::super::test_support::{Arg::*, Rig};
use super::*;
use crate::dispatch::{StopRequest, TrapOutcome};
use crate::{GuestMemory, TrapError};
use palm_abi::traps as t;

const EV: u32 = 0x2000;
const OUT: u32 = 0x2100;

fn read_ev(r: &Rig) -> EventType {
    let mut b = [0u8; EventType::LEN as usize];
    r.mem.read(EV, &mut b).unwrap();
    EventType::decode(&b)
}

fn get(r: &mut Rig, timeout: i32) -> (TrapOutcome, EventType) {
    let out = r.call(t::EVT_GET_EVENT, &[L(EV), L(timeout as u32)]).unwrap();
    (out, read_ev(r))
}

/// A rig past the boot stop.
fn booted() -> Rig {
    let mut r = Rig::new();
    assert_eq!(get(&mut r, EVT_WAIT_FOREVER).0, TrapOutcome::Stop(StopRequest::Booted));
    r
}

fn next(r: &mut Rig) -> EventType {
    let (out, e) = get(r, EVT_NO_WAIT);
    assert_eq!(out, TrapOutcome::Continue);
    e
}

#[test]
fn first_call_boots_with_a_nil_event_and_keeps_the_queue() {
    let mut r = Rig::new();
    r.shim.post_app_stop();
    r.mem.fill(EV, EventType::LEN, 0xEE).unwrap();
    let (out, e) = get(&mut r, EVT_WAIT_FOREVER);
    assert_eq!(out, TrapOutcome::Stop(StopRequest::Booted));
    assert_eq!(e, EventType::new(NIL_EVENT));
    assert!(r.shim.booted());
    assert_eq!(r.regs.pc, 0x1000_2004, "the trap completed");
    assert_eq!(next(&mut r).e_type, APP_STOP_EVENT, "queued events wait for the next call");
    assert_eq!(next(&mut r).e_type, NIL_EVENT);
}

#[test]
fn without_stop_at_boot_the_first_call_is_ordinary() {
    let mut r = Rig::new();
    r.shim.config.stop_at_boot = false;
    r.shim.key(b'a' as u16, 0, 0);
    let (out, e) = get(&mut r, EVT_WAIT_FOREVER);
    assert_eq!((out, e.e_type), (TrapOutcome::Continue, KEY_DOWN_EVENT));
    assert!(r.shim.booted());
}

#[test]
fn timeouts_zero_positive_and_forever() {
    let mut r = booted();
    let t0 = r.shim.ticks();
    assert_eq!(next(&mut r).e_type, NIL_EVENT);
    assert!(r.shim.ticks() < t0 + 100, "evtNoWait does not advance time");
    let (out, e) = get(&mut r, 250);
    assert_eq!((out, e.e_type), (TrapOutcome::Continue, NIL_EVENT));
    assert!(r.shim.ticks() >= t0 + 250, "a timeout advances virtual time");
    // Forever with nothing queued: the trap blocks, PC stays on it, nothing is written.
    r.mem.fill(EV, EventType::LEN, 0xEE).unwrap();
    let (out, _) = get(&mut r, EVT_WAIT_FOREVER);
    assert_eq!(out, TrapOutcome::Block);
    assert_eq!(r.regs.pc, 0x1000_2000, "PC left on the trap");
    assert_eq!(r.mem.read_u32(EV).unwrap(), 0xEEEE_EEEE);
    let (out, _) = get(&mut r, -5);
    assert_eq!(out, TrapOutcome::Block, "any negative timeout waits forever");
    // Input arrives; the re-executed trap finds it.
    r.shim.pen_down(10, 20);
    r.shim.pen_up(10, 20);
    let (out, e) = get(&mut r, EVT_WAIT_FOREVER);
    assert_eq!((out, e.e_type), (TrapOutcome::Continue, PEN_DOWN_EVENT));
    assert_eq!(r.regs.pc, 0x1000_2004);
    assert_eq!(next(&mut r).e_type, PEN_UP_EVENT);
}

#[test]
fn pen_stroke_events() {
    let mut r = booted();
    r.shim.pen_move(1, 1); // hover: no event
    assert!(r.shim.queued_events().is_empty());
    r.shim.pen_down(30, 40);
    r.shim.pen_move(31, 41);
    r.shim.pen_move(32, 42);
    r.shim.pen_move(35, 45);
    let q = r.shim.queued_events();
    assert_eq!(q.iter().map(|e| e.e_type).collect::<Vec<_>>(), vec![PEN_DOWN_EVENT, PEN_MOVE_EVENT], "undelivered moves merge");
    let down = next(&mut r);
    assert!(down.pen_down);
    assert_eq!((down.screen_x, down.screen_y, down.tap_count), (30, 40, 1));
    let mv = next(&mut r);
    assert_eq!((mv.e_type, mv.screen_x, mv.screen_y, mv.pen_down), (PEN_MOVE_EVENT, 35, 45, true));
    r.shim.pen_move(36, 46);
    r.shim.pen_down(37, 47); // already down: a move
    r.shim.pen_up(38, 48);
    r.shim.pen_up(99, 99); // already up: ignored
    assert_eq!(next(&mut r).e_type, PEN_MOVE_EVENT);
    let up = next(&mut r);
    assert_eq!((up.e_type, up.pen_down, up.screen_x, up.screen_y), (PEN_UP_EVENT, false, 38, 48));
    assert_eq!(up.u16_at(event_data::pen_up::START_X), 30);
    assert_eq!(up.u16_at(event_data::pen_up::START_Y), 40);
    assert_eq!(up.u16_at(event_data::pen_up::END_X), 38);
    assert_eq!(up.u16_at(event_data::pen_up::END_Y), 48);
    assert_eq!(next(&mut r).e_type, NIL_EVENT);
    // EvtGetPen: up, at the last position.
    r.call(t::EVT_GET_PEN, &[L(OUT), L(OUT + 2), L(OUT + 4)]).unwrap();
    assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap(), r.mem.read_u8(OUT + 4).unwrap()), (38, 48, 0));
    r.call(t::EVT_GET_PEN, &[L(0), L(0), L(0)]).unwrap();
}

#[test]
fn tap_counts() {
    let mut m = EventManager::new();
    let taps = |m: &mut EventManager, x, tick| {
        m.pen_down(x, 10, tick);
        m.pen_up(x, 10, tick + 5);
        let q = m.queued();
        let n = q.last().unwrap().tap_count;
        while m.peek().is_some() {
            m.pop(Source::System);
        }
        n
    };
    assert_eq!(taps(&mut m, 10, 0), 1);
    assert_eq!(taps(&mut m, 11, 20), 2, "quick, close: a double tap");
    assert_eq!(taps(&mut m, 12, 40), 3);
    assert_eq!(taps(&mut m, 40, 60), 1, "too far");
    assert_eq!(taps(&mut m, 40, 60 + 5 + MULTI_TAP_TICKS + 1), 1, "too late");
}

#[test]
fn order_app_events_then_system_events() {
    let mut r = booted();
    r.shim.pen_down(5, 5);
    r.shim.key(b'x' as u16, 0, SHIFT_KEY_MASK);
    let mut load = EventType::new(FRM_LOAD_EVENT);
    load.set_u16(event_data::frm_load::FORM_ID, 1000);
    r.mem.write(OUT, &load.encode()).unwrap();
    r.call(t::EVT_ADD_EVENT_TO_QUEUE, &[L(OUT)]).unwrap();
    r.shim.post_app_stop();
    let e = next(&mut r);
    assert_eq!((e.e_type, e.u16_at(event_data::frm_load::FORM_ID)), (FRM_LOAD_EVENT, 1000));
    assert_eq!(next(&mut r).e_type, APP_STOP_EVENT);
    assert_eq!(next(&mut r).e_type, PEN_DOWN_EVENT);
    let k = next(&mut r);
    assert_eq!(k.e_type, KEY_DOWN_EVENT);
    assert_eq!(k.u16_at(event_data::key_down::CHR), b'x' as u16);
    assert_eq!(k.u16_at(event_data::key_down::MODIFIERS), SHIFT_KEY_MASK);
    assert!(k.pen_down, "key events carry the pen state");
    assert_eq!(next(&mut r).e_type, NIL_EVENT);
}

#[test]
fn key_queue_traps() {
    let mut r = booted();
    r.call(t::EVT_KEY_QUEUE_EMPTY, &[]).unwrap();
    assert_eq!(r.d0(), 1);
    r.call(t::EVT_ENQUEUE_KEY, &[W(0x0108), W(0x0002), W(COMMAND_KEY_MASK)]).unwrap();
    assert_eq!(r.d0(), 0);
    r.call(t::EVT_KEY_QUEUE_EMPTY, &[]).unwrap();
    assert_eq!(r.d0(), 0);
    r.call(t::EVT_SYS_EVENT_AVAIL, &[B(0)]).unwrap();
    assert_eq!(r.d0(), 1);
    let k = next(&mut r);
    assert_eq!(
        (k.u16_at(event_data::key_down::CHR), k.u16_at(event_data::key_down::KEY_CODE), k.u16_at(event_data::key_down::MODIFIERS)),
        (0x0108, 0x0002, COMMAND_KEY_MASK)
    );
    r.call(t::EVT_ENQUEUE_KEY, &[W(b'a' as u16), W(0), W(0)]).unwrap();
    r.shim.pen_down(1, 1);
    r.call(t::EVT_FLUSH_KEY_QUEUE, &[]).unwrap();
    assert_eq!(r.d0(), 0);
    assert_eq!(r.shim.queued_events().iter().map(|e| e.e_type).collect::<Vec<_>>(), vec![PEN_DOWN_EVENT]);
    for _ in 0..SYS_QUEUE_LIMIT {
        r.shim.key(1, 0, 0);
    }
    r.call(t::EVT_ENQUEUE_KEY, &[W(b'a' as u16), W(0), W(0)]).unwrap();
    assert_eq!(r.d0(), EVT_ERR_QUEUE_FULL as u32);
}

#[test]
fn availability_and_pen_flushing() {
    let mut r = booted();
    r.call(t::EVT_EVENT_AVAIL, &[]).unwrap();
    assert_eq!(r.d0(), 0);
    r.shim.pen_down(1, 1);
    r.shim.pen_up(1, 1);
    r.call(t::EVT_EVENT_AVAIL, &[]).unwrap();
    assert_eq!(r.d0(), 1);
    assert_eq!(next(&mut r).e_type, PEN_DOWN_EVENT);
    r.call(t::EVT_SYS_EVENT_AVAIL, &[B(1)]).unwrap();
    assert_eq!(r.d0(), 0, "only a pen-up is left");
    r.call(t::EVT_SYS_EVENT_AVAIL, &[B(0)]).unwrap();
    assert_eq!(r.d0(), 1);
    // Two strokes and a key: flushing the next stroke leaves the key and the second stroke.
    r.shim.pen_down(2, 2);
    r.shim.key(b'k' as u16, 0, 0);
    r.shim.pen_up(2, 2);
    r.shim.pen_down(3, 3);
    r.call(t::EVT_FLUSH_NEXT_PEN_STROKE, &[]).unwrap();
    let kinds = |r: &Rig| r.shim.queued_events().iter().map(|e| e.e_type).collect::<Vec<_>>();
    assert_eq!(kinds(&r), vec![PEN_DOWN_EVENT, KEY_DOWN_EVENT, PEN_UP_EVENT, PEN_DOWN_EVENT], "the pen-up left over from the first stroke went first");
    r.call(t::EVT_FLUSH_NEXT_PEN_STROKE, &[]).unwrap();
    assert_eq!(kinds(&r), vec![KEY_DOWN_EVENT, PEN_DOWN_EVENT]);
    r.call(t::EVT_FLUSH_PEN_QUEUE, &[]).unwrap();
    assert_eq!(kinds(&r), vec![KEY_DOWN_EVENT]);
}

#[test]
fn unique_events_replace_in_place_or_move_to_the_end() {
    let mut r = booted();
    let ev = |kind: u16, tag: u16| {
        let mut e = EventType::new(kind);
        e.set_u16(event_data::frm_update::UPDATE_CODE, tag);
        e
    };
    r.shim.post_event(ev(FRM_UPDATE_EVENT, 1));
    r.shim.post_event(ev(FIRST_USER_EVENT, 2));
    r.mem.write(OUT, &ev(FRM_UPDATE_EVENT, 3).encode()).unwrap();
    r.call(t::EVT_ADD_UNIQUE_EVENT_TO_QUEUE, &[L(OUT), L(0), B(1)]).unwrap();
    let tags = |r: &Rig| r.shim.queued_events().iter().map(|e| e.u16_at(event_data::frm_update::UPDATE_CODE)).collect::<Vec<_>>();
    assert_eq!(tags(&r), vec![3, 2], "replaced in place");
    r.mem.write(OUT, &ev(FRM_UPDATE_EVENT, 4).encode()).unwrap();
    r.call(t::EVT_ADD_UNIQUE_EVENT_TO_QUEUE, &[L(OUT), L(0), B(0)]).unwrap();
    assert_eq!(tags(&r), vec![2, 4], "removed and appended");
    r.mem.write(OUT, &ev(FIRST_USER_EVENT, 5).encode()).unwrap();
    r.call(t::EVT_ADD_UNIQUE_EVENT_TO_QUEUE, &[L(OUT), L(77), B(1)]).unwrap();
    assert_eq!(tags(&r), vec![2, 4, 5], "different id: added");
    r.mem.write(OUT, &ev(FIRST_USER_EVENT, 6).encode()).unwrap();
    r.call(t::EVT_ADD_UNIQUE_EVENT_TO_QUEUE, &[L(OUT), L(77), B(1)]).unwrap();
    assert_eq!(tags(&r), vec![2, 4, 6]);
    // EvtCopyEvent.
    r.call(t::EVT_COPY_EVENT, &[L(OUT), L(EV)]).unwrap();
    assert_eq!(read_ev(&r), ev(FIRST_USER_EVENT, 6));
}

#[test]
fn wakeup_and_null_event_tick_end_a_wait() {
    let mut r = booted();
    r.call(t::EVT_WAKEUP, &[]).unwrap();
    assert_eq!(r.d0(), 0);
    assert_eq!(get(&mut r, EVT_WAIT_FOREVER), (TrapOutcome::Continue, EventType::new(NIL_EVENT)));
    assert_eq!(get(&mut r, EVT_WAIT_FOREVER).0, TrapOutcome::Block, "one wake-up, one nilEvent");
    let due = r.shim.ticks() + 500;
    r.call(t::EVT_SET_NULL_EVENT_TICK, &[L(due as u32)]).unwrap();
    assert_eq!(r.d0(), 1);
    r.call(t::EVT_SET_NULL_EVENT_TICK, &[L(due as u32 + 10)]).unwrap();
    assert_eq!(r.d0(), 0, "only an earlier tick replaces it");
    assert_eq!(get(&mut r, EVT_WAIT_FOREVER).1.e_type, NIL_EVENT);
    assert!(r.shim.ticks() >= due);
    assert_eq!(get(&mut r, EVT_WAIT_FOREVER).0, TrapOutcome::Block);
    for word in [t::EVT_RESET_AUTO_OFF_TIMER, t::EVT_WAKEUP_WITHOUT_NIL_EVENT] {
        r.call(word, &[]).unwrap();
        assert_eq!(r.d0(), 0);
    }
    r.call(t::EVT_SET_AUTO_OFF_TIMER, &[B(4), W(60)]).unwrap();
    r.call(t::EVT_ENABLE_GRAFFITI, &[B(1)]).unwrap();
}

#[test]
fn window_switches_and_window_relative_pen() {
    let mut r = booted();
    r.mem.write(OUT, &RectangleType::new(20, 30, 100, 80).encode()).unwrap();
    r.call(t::WIN_CREATE_WINDOW, &[L(OUT), W(0x0001), B(1), B(1), L(0)]).unwrap();
    let win = r.a0();
    r.call(t::WIN_GET_DISPLAY_WINDOW, &[]).unwrap();
    let display = r.a0();
    r.call(t::WIN_SET_ACTIVE_WINDOW, &[L(win)]).unwrap();
    r.call(t::EVT_EVENT_AVAIL, &[]).unwrap();
    assert_eq!(r.d0(), 1, "a window event is pending");
    r.shim.pen_down(25, 35);
    let enter = next(&mut r);
    assert_eq!(enter.e_type, WIN_ENTER_EVENT, "no window was active: no winExitEvent");
    assert_eq!(enter.u32_at(event_data::win_enter::ENTER_WINDOW), win);
    assert_eq!(enter.u32_at(event_data::win_enter::EXIT_WINDOW), 0);
    r.call(t::WIN_GET_ACTIVE_WINDOW, &[]).unwrap();
    assert_eq!(r.a0(), win);
    r.call(t::WIN_GET_DRAW_WINDOW, &[]).unwrap();
    assert_eq!(r.a0(), win, "the entered window is drawn into");
    let down = next(&mut r);
    assert_eq!((down.e_type, down.screen_x, down.screen_y), (PEN_DOWN_EVENT, 5, 5), "relative to the draw window");
    r.call(t::EVT_GET_PEN, &[L(OUT), L(OUT + 2), L(OUT + 4)]).unwrap();
    assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap(), r.mem.read_u8(OUT + 4).unwrap()), (5, 5, 1));
    // Back to the display window: exit, then enter.
    r.call(t::WIN_SET_ACTIVE_WINDOW, &[L(display)]).unwrap();
    let exit = next(&mut r);
    assert_eq!((exit.e_type, exit.u32_at(event_data::win_enter::ENTER_WINDOW), exit.u32_at(event_data::win_enter::EXIT_WINDOW)), (WIN_EXIT_EVENT, display, win));
    r.call(t::WIN_GET_ACTIVE_WINDOW, &[]).unwrap();
    assert_eq!(r.a0(), 0, "between exit and enter no window is active");
    let enter = next(&mut r);
    assert_eq!((enter.e_type, enter.u32_at(event_data::win_enter::EXIT_WINDOW)), (WIN_ENTER_EVENT, win));
    r.call(t::WIN_GET_ACTIVE_WINDOW, &[]).unwrap();
    assert_eq!(r.a0(), display);
    assert_eq!(next(&mut r).e_type, NIL_EVENT);
}

#[test]
fn an_unreachable_event_pointer_is_an_error_and_the_event_stays() {
    let mut r = booted();
    r.shim.key(b'q' as u16, 0, 0);
    let e = r.call(t::EVT_GET_EVENT, &[L(0x0FFF_0000), L(0)]).unwrap_err();
    assert!(matches!(e, TrapError::GuestMemory { word: t::EVT_GET_EVENT, .. }), "{e}");
    assert_eq!(next(&mut r).e_type, KEY_DOWN_EVENT);
    let e = r.call(t::EVT_ADD_EVENT_TO_QUEUE, &[L(0x0FFF_0000)]).unwrap_err();
    assert!(matches!(e, TrapError::GuestMemory { .. }), "{e}");
    r.call(t::EVT_ADD_EVENT_TO_QUEUE, &[L(0)]).unwrap();
    assert!(r.shim.queued_events().is_empty(), "NULL adds nothing");
}

#[test]
fn app_queue_limit() {
    let mut m = EventManager::new();
    for _ in 0..APP_QUEUE_LIMIT {
        assert!(m.add(EventType::new(FIRST_USER_EVENT)));
    }
    assert!(!m.add(EventType::new(FIRST_USER_EVENT)));
    assert_eq!(m.queued().len(), APP_QUEUE_LIMIT);
}
