//! Event Manager trap marshalling, and `EvtGetEvent`'s rules for waiting.
//!
//! `void EvtGetEvent(EventType *event, Int32 timeout)`, timeout in ticks:
//! - the first call of the session marks the machine booted; with `config.stop_at_boot` it
//!   returns a `nilEvent` and stops the run with `StopRequest::Booted` (queued events stay
//!   queued for the next call);
//! - a queued event (window switch, application event, pen or key event, in that order) is
//!   returned at once;
//! - otherwise, after an `EvtWakeup`, or when the `EvtSetNullEventTick` tick has come, a
//!   `nilEvent`;
//! - otherwise by timeout: `0` (`evtNoWait`) returns a `nilEvent` at once; `> 0` returns a
//!   `nilEvent` after advancing the shim's virtual clock by the timeout (or to an earlier
//!   null-event tick) instead of sleeping; `< 0` (`evtWaitForever`) waits for a pending
//!   null-event tick the same way, and with none the trap **blocks**: it returns
//!   `TrapOutcome::Block`, the PC stays on the trap and the run stops as idle. When the
//!   frontend has injected input and runs the machine again, the trap executes again and
//!   finds the event.
//!
//! Every event's `penDown` and `screenX`/`screenY` describe the pen relative to the draw
//! window, except application events, which are returned exactly as they were queued.

use super::{is_pen, Source, EVT_ERR_QUEUE_FULL};
use crate::dispatch::{HandlerResult, StopRequest, TrapCall, TrapOutcome, TrapTable};
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::errors::ERR_NONE;
use palm_abi::traps as t;
use palm_abi::ui_layout::{EventType, NIL_EVENT};

pub fn install(tb: &mut TrapTable) {
    tb.register(t::EVT_GET_EVENT, evt_get_event);
    tb.register(t::EVT_ADD_EVENT_TO_QUEUE, evt_add_event_to_queue);
    tb.register(t::EVT_ADD_UNIQUE_EVENT_TO_QUEUE, evt_add_unique_event_to_queue);
    tb.register(t::EVT_COPY_EVENT, evt_copy_event);
    tb.register(t::EVT_EVENT_AVAIL, evt_event_avail);
    tb.register(t::EVT_SYS_EVENT_AVAIL, evt_sys_event_avail);
    tb.register(t::EVT_GET_PEN, evt_get_pen);
    tb.register(t::EVT_FLUSH_PEN_QUEUE, evt_flush_pen_queue);
    tb.register(t::EVT_FLUSH_NEXT_PEN_STROKE, evt_flush_next_pen_stroke);
    tb.register(t::EVT_FLUSH_KEY_QUEUE, evt_flush_key_queue);
    tb.register(t::EVT_ENQUEUE_KEY, evt_enqueue_key);
    tb.register(t::EVT_KEY_QUEUE_EMPTY, evt_key_queue_empty);
    tb.register(t::EVT_WAKEUP, evt_wakeup);
    tb.register(t::EVT_WAKEUP_WITHOUT_NIL_EVENT, evt_no_op_err);
    tb.register(t::EVT_RESET_AUTO_OFF_TIMER, evt_no_op_err);
    tb.register(t::EVT_SET_AUTO_OFF_TIMER, evt_no_op_err);
    tb.register(t::EVT_SET_NULL_EVENT_TICK, evt_set_null_event_tick);
    tb.register(t::EVT_ENABLE_GRAFFITI, evt_enable_graffiti);
}

fn read_event(mem: &dyn GuestMemory, p: u32) -> Result<EventType, MemError> {
    let mut b = [0u8; EventType::LEN as usize];
    mem.read(p, &mut b)?;
    Ok(EventType::decode(&b))
}

/// Writes an event result (not through NULL).
fn write_event(mem: &mut dyn GuestMemory, p: u32, e: &EventType) -> Result<(), MemError> {
    if p == 0 {
        return Ok(());
    }
    mem.write(p, &e.encode())
}

/// The pen relative to the draw window: (down, x, y).
fn pen_in_window(s: &Shim, mem: &dyn GuestMemory) -> Result<(bool, i16, i16), MemError> {
    let pen = s.ui.events.pen();
    let (ox, oy) = s.ui.windows.draw_origin(mem)?;
    Ok((pen.down, pen.x.wrapping_sub(ox), pen.y.wrapping_sub(oy)))
}

/// An event with the current pen in its header.
fn with_pen(s: &Shim, mem: &dyn GuestMemory, mut e: EventType) -> Result<EventType, MemError> {
    let (down, x, y) = pen_in_window(s, mem)?;
    e.pen_down = down;
    e.screen_x = x;
    e.screen_y = y;
    Ok(e)
}

fn nil_event(s: &Shim, mem: &dyn GuestMemory) -> Result<EventType, MemError> {
    with_pen(s, mem, EventType::new(NIL_EVENT))
}

/// Writes the next queued event to `event_p` and removes it from its queue; `false` if
/// nothing is queued. An event is only removed once it was written.
fn deliver_queued(s: &mut Shim, mem: &mut dyn GuestMemory, event_p: u32) -> Result<bool, MemError> {
    if let Some(e) = s.ui.windows.next_window_event() {
        let e = with_pen(s, mem, e)?;
        write_event(mem, event_p, &e)?;
        s.ui.windows.commit_window_event();
        return Ok(true);
    }
    let Some((mut e, from)) = s.ui.events.peek() else { return Ok(false) };
    if from == Source::System {
        if is_pen(&e) {
            let (ox, oy) = s.ui.windows.draw_origin(mem)?;
            e.screen_x = e.screen_x.wrapping_sub(ox);
            e.screen_y = e.screen_y.wrapping_sub(oy);
        } else {
            e = with_pen(s, mem, e)?;
        }
    }
    write_event(mem, event_p, &e)?;
    s.ui.events.pop(from);
    Ok(true)
}

/// `void EvtGetEvent(EventType *event, Int32 timeout)`: see the module documentation.
fn evt_get_event(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (event_p, timeout) = { let mut a = c.args(); (a.ptr()?, a.i32()?) };
    let first = !s.booted;
    s.booted = true;
    if first && s.config.stop_at_boot {
        let nil = nil_event(s, c.mem)?;
        write_event(c.mem, event_p, &nil)?;
        return Ok(TrapOutcome::Stop(StopRequest::Booted));
    }
    if deliver_queued(s, c.mem, event_p)? {
        return Ok(TrapOutcome::Continue);
    }
    let now = s.ticks();
    let due = s.ui.events.null_event_tick();
    let wait_until = |s: &mut Shim, tick: u64| {
        s.tick_offset += tick.saturating_sub(now);
        if due.is_some_and(|d| d <= tick) {
            s.ui.events.clear_null_event_tick();
        }
    };
    if s.ui.events.take_wake() {
        // Woken up: a nilEvent now.
    } else if timeout == 0 {
        // evtNoWait.
    } else if timeout > 0 {
        let deadline = now + timeout as u64;
        wait_until(s, due.map_or(deadline, |d| d.min(deadline)));
    } else if let Some(d) = due {
        wait_until(s, d.max(now));
    } else {
        return Ok(TrapOutcome::Block);
    }
    let nil = nil_event(s, c.mem)?;
    write_event(c.mem, event_p, &nil)?;
    Ok(TrapOutcome::Continue)
}

/// `void EvtAddEventToQueue(const EventType *event)`
fn evt_add_event_to_queue(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    if p != 0 {
        let e = read_event(c.mem, p)?;
        s.ui.events.add(e);
    }
    Ok(TrapOutcome::Continue)
}

/// `void EvtAddUniqueEventToQueue(const EventType *eventP, UInt32 id, Boolean inPlace)`
fn evt_add_unique_event_to_queue(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, id, in_place) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.bool()?) };
    if p != 0 {
        let e = read_event(c.mem, p)?;
        s.ui.events.add_unique(e, id, in_place);
    }
    Ok(TrapOutcome::Continue)
}

/// `void EvtCopyEvent(const EventType *source, EventType *dest)`
fn evt_copy_event(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (src, dst) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    if src != 0 && dst != 0 {
        let e = read_event(c.mem, src)?;
        write_event(c.mem, dst, &e)?;
    }
    Ok(TrapOutcome::Continue)
}

/// `Boolean EvtEventAvail(void)`
fn evt_event_avail(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let any = s.ui.windows.next_window_event().is_some() || s.ui.events.any_queued();
    c.ret(any as u32);
    Ok(TrapOutcome::Continue)
}

/// `Boolean EvtSysEventAvail(Boolean ignorePenUps)`: a pen or key event is queued.
fn evt_sys_event_avail(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let ignore_pen_ups = c.args().bool()?;
    c.ret(s.ui.events.system_event_available(ignore_pen_ups) as u32);
    Ok(TrapOutcome::Continue)
}

/// `void EvtGetPen(Int16 *pScreenX, Int16 *pScreenY, Boolean *pPenDown)`: the pen now,
/// relative to the draw window.
fn evt_get_pen(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (x_p, y_p, down_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.ptr()?) };
    let (down, x, y) = pen_in_window(s, c.mem)?;
    if x_p != 0 {
        c.mem.write_u16(x_p, x as u16)?;
    }
    if y_p != 0 {
        c.mem.write_u16(y_p, y as u16)?;
    }
    if down_p != 0 {
        c.mem.write_u8(down_p, down as u8)?;
    }
    Ok(TrapOutcome::Continue)
}

fn ret_none(c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(ERR_NONE as u32);
    Ok(TrapOutcome::Continue)
}

/// `Err EvtFlushPenQueue(void)`
fn evt_flush_pen_queue(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    s.ui.events.flush_pen();
    ret_none(c)
}

/// `Err EvtFlushNextPenStroke(void)`
fn evt_flush_next_pen_stroke(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    s.ui.events.flush_next_stroke();
    ret_none(c)
}

/// `Err EvtFlushKeyQueue(void)`
fn evt_flush_key_queue(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    s.ui.events.flush_keys();
    ret_none(c)
}

/// `Err EvtEnqueueKey(WChar ascii, UInt16 keycode, UInt16 modifiers)`: `evtErrQueueFull`
/// when the queue is full.
fn evt_enqueue_key(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (chr, code, modifiers) = { let mut a = c.args(); (a.u16()?, a.u16()?, a.u16()?) };
    let err = if s.ui.events.key(chr, code, modifiers) { ERR_NONE } else { EVT_ERR_QUEUE_FULL };
    c.ret(err as u32);
    Ok(TrapOutcome::Continue)
}

/// `Boolean EvtKeyQueueEmpty(void)`
fn evt_key_queue_empty(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(s.ui.events.key_queue_empty() as u32);
    Ok(TrapOutcome::Continue)
}

/// `Err EvtWakeup(void)`: the next `EvtGetEvent` that would wait returns a `nilEvent`.
fn evt_wakeup(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    s.ui.events.wake();
    ret_none(c)
}

/// `Err EvtResetAutoOffTimer(void)`, `Err EvtSetAutoOffTimer(EvtSetAutoOffCmd, UInt16)`,
/// `Err EvtWakeupWithoutNilEvent(void)`: the emulated device never sleeps.
fn evt_no_op_err(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    ret_none(c)
}

/// `Boolean EvtSetNullEventTick(UInt32 tick)`: a `nilEvent` is due at `tick` at the latest;
/// true if that moved the due tick (only an earlier tick does).
fn evt_set_null_event_tick(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let tick = c.args().u32()?;
    let changed = s.ui.events.set_null_event_tick(tick as u64);
    c.ret(changed as u32);
    Ok(TrapOutcome::Continue)
}

/// `void EvtEnableGraffiti(Boolean enable)`: there is no Graffiti area.
fn evt_enable_graffiti(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.args().bool()?;
    Ok(TrapOutcome::Continue)
}
