//! Event Manager behaviour: the application event queue (`EvtAddEventToQueue`), the system
//! queue of pen and key events that host input produces, the pen state and stroke tracking
//! (`tapCount`, `penUp` start/end points), and the wake-up / null-event-tick requests that end
//! a wait early. The `Evt*` trap marshalling, including `EvtGetEvent`'s timeout and blocking
//! rules, is in [`traps`].
//!
//! # Delivery order
//! `EvtGetEvent` returns, first to last: a pending `winExitEvent` / `winEnterEvent` (from
//! `WinSetActiveWindow`), then application events in the order they were added, then system
//! events (pen and keys) in the order they happened. Pen events are queued in display
//! coordinates and made relative to the draw window when delivered; `penUp`'s `start`/`end`
//! stay display coordinates.
//!
//! # Pen input
//! [`pen_down`](EventManager::pen_down), [`pen_move`](EventManager::pen_move) and
//! [`pen_up`](EventManager::pen_up) turn host input into the events PalmOS produces: one
//! `penDownEvent`, `penMoveEvent`s while the pen is down (consecutive moves not yet delivered
//! are merged into the latest position), and a `penUpEvent` with the stroke's start and end.
//! `tapCount` is 1 for a single tap and counts up for taps that start within
//! [`MULTI_TAP_TICKS`] of the previous pen-up and within [`MULTI_TAP_SLOP`] pixels of it.

pub mod traps;
#[cfg(test)]
mod tests;

pub use traps::install;

use palm_abi::ui_layout::*;
use std::collections::VecDeque;

/// Most application events queued at once; further `EvtAddEventToQueue` calls are dropped
/// (and logged). PalmOS's queue is smaller and treats overflow as a fatal error.
pub const APP_QUEUE_LIMIT: usize = 256;
/// Most pen and key events queued at once; `EvtEnqueueKey` then returns `evtErrQueueFull`.
pub const SYS_QUEUE_LIMIT: usize = 1024;
/// A pen-down this many ticks or less after the previous pen-up continues a multi-tap.
pub const MULTI_TAP_TICKS: u64 = 50;
/// ... if it is at most this many pixels (in x and in y) from the previous pen-up.
pub const MULTI_TAP_SLOP: i32 = 4;
/// `evtErrQueueFull` (`evtErrorClass | 2`, SysEvtMgr.h).
pub const EVT_ERR_QUEUE_FULL: u16 = palm_abi::errors::EVT_ERROR_CLASS | 2;

/// An application event and its `EvtAddUniqueEventToQueue` ID (0 for plain events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AppEvent {
    event: EventType,
    id: u32,
}

/// The pen as the Event Manager last saw it (display coordinates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PenState {
    pub down: bool,
    pub x: i16,
    pub y: i16,
    /// Where the current (or last) stroke started.
    pub start: (i16, i16),
    /// The current stroke's `tapCount`.
    pub tap_count: u8,
    /// Tick, position and tap count of the last pen-up.
    last_up: Option<(u64, i16, i16, u8)>,
}

/// Where the next event comes from, for committing it after it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    App,
    System,
}

/// The Event Manager's host state (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct EventManager {
    app: VecDeque<AppEvent>,
    system: VecDeque<EventType>,
    pen: PenState,
    wake: bool,
    null_event_tick: Option<u64>,
}

fn is_pen(e: &EventType) -> bool {
    matches!(e.e_type, PEN_DOWN_EVENT | PEN_MOVE_EVENT | PEN_UP_EVENT)
}

impl EventManager {
    pub fn new() -> Self {
        Self::default()
    }

    // ---- Host input ---------------------------------------------------------------------

    fn push_system(&mut self, e: EventType) -> bool {
        if self.system.len() >= SYS_QUEUE_LIMIT {
            log::warn!("Event Manager: system queue full, {} dropped", event_name(e.e_type).unwrap_or("event"));
            return false;
        }
        self.system.push_back(e);
        true
    }

    fn pen_event(&self, e_type: u16) -> EventType {
        let mut e = EventType::new(e_type);
        e.pen_down = self.pen.down;
        e.tap_count = self.pen.tap_count;
        e.screen_x = self.pen.x;
        e.screen_y = self.pen.y;
        e
    }

    /// The pen touches the screen at display `(x, y)` at `tick`: a `penDownEvent`. While the
    /// pen is already down this is a move.
    pub fn pen_down(&mut self, x: i16, y: i16, tick: u64) {
        if self.pen.down {
            return self.pen_move(x, y);
        }
        let continues = self.pen.last_up.is_some_and(|(t, ux, uy, _)| {
            tick.saturating_sub(t) <= MULTI_TAP_TICKS
                && (x as i32 - ux as i32).abs() <= MULTI_TAP_SLOP
                && (y as i32 - uy as i32).abs() <= MULTI_TAP_SLOP
        });
        let count = match self.pen.last_up {
            Some((_, _, _, n)) if continues => n.saturating_add(1),
            _ => 1,
        };
        self.pen = PenState { down: true, x, y, start: (x, y), tap_count: count, last_up: self.pen.last_up };
        self.push_system(self.pen_event(PEN_DOWN_EVENT));
    }

    /// The pen moves to display `(x, y)`: a `penMoveEvent` while it is down (merged with an
    /// undelivered move at the end of the queue); without the pen down only the position
    /// changes.
    pub fn pen_move(&mut self, x: i16, y: i16) {
        self.pen.x = x;
        self.pen.y = y;
        if !self.pen.down {
            return;
        }
        let e = self.pen_event(PEN_MOVE_EVENT);
        match self.system.back_mut() {
            Some(last) if last.e_type == PEN_MOVE_EVENT => *last = e,
            _ => {
                self.push_system(e);
            }
        }
    }

    /// The pen leaves the screen at display `(x, y)` at `tick`: a `penUpEvent` whose data
    /// holds the stroke's start and end points. Ignored while the pen is up.
    pub fn pen_up(&mut self, x: i16, y: i16, tick: u64) {
        if !self.pen.down {
            return;
        }
        self.pen.down = false;
        self.pen.x = x;
        self.pen.y = y;
        self.pen.last_up = Some((tick, x, y, self.pen.tap_count));
        let mut e = self.pen_event(PEN_UP_EVENT);
        e.set_u16(event_data::pen_up::START_X, self.pen.start.0 as u16);
        e.set_u16(event_data::pen_up::START_Y, self.pen.start.1 as u16);
        e.set_u16(event_data::pen_up::END_X, x as u16);
        e.set_u16(event_data::pen_up::END_Y, y as u16);
        self.push_system(e);
    }

    /// A key press (`EvtEnqueueKey`, or host keyboard input): a `keyDownEvent` with `chr`,
    /// `keyCode` and `modifiers`. `false` if the queue is full.
    pub fn key(&mut self, chr: u16, key_code: u16, modifiers: u16) -> bool {
        let mut e = EventType::new(KEY_DOWN_EVENT);
        e.set_u16(event_data::key_down::CHR, chr);
        e.set_u16(event_data::key_down::KEY_CODE, key_code);
        e.set_u16(event_data::key_down::MODIFIERS, modifiers);
        self.push_system(e)
    }

    /// `EvtAddEventToQueue`: appends an application event. `false` if the queue is full.
    pub fn add(&mut self, event: EventType) -> bool {
        if self.app.len() >= APP_QUEUE_LIMIT {
            log::warn!("EvtAddEventToQueue: queue full, {} dropped", event_name(event.e_type).unwrap_or("event"));
            return false;
        }
        self.app.push_back(AppEvent { event, id: 0 });
        true
    }

    /// `EvtAddUniqueEventToQueue`: if a queued application event has the same type (and the
    /// same `id`, unless `id` is 0), it is replaced in place (`in_place`) or removed and the
    /// new one appended; otherwise the event is appended.
    pub fn add_unique(&mut self, event: EventType, id: u32, in_place: bool) -> bool {
        let found = self.app.iter().position(|a| a.event.e_type == event.e_type && (id == 0 || a.id == id));
        match found {
            Some(i) if in_place => {
                self.app[i] = AppEvent { event, id };
                true
            }
            Some(i) => {
                self.app.remove(i);
                self.app.push_back(AppEvent { event, id });
                true
            }
            None => {
                let ok = self.add(event);
                if let Some(last) = self.app.back_mut() {
                    if ok {
                        last.id = id;
                    }
                }
                ok
            }
        }
    }

    /// Asks the application to quit: an `appStopEvent` in the application queue.
    pub fn post_app_stop(&mut self) {
        self.add(EventType::new(APP_STOP_EVENT));
    }

    // ---- Delivery ------------------------------------------------------------------------

    /// The next queued event and where it comes from, without removing it. System pen
    /// events are still in display coordinates.
    pub fn peek(&self) -> Option<(EventType, Source)> {
        if let Some(a) = self.app.front() {
            return Some((a.event, Source::App));
        }
        self.system.front().map(|e| (*e, Source::System))
    }

    /// Removes the event [`peek`](Self::peek) returned.
    pub fn pop(&mut self, from: Source) {
        match from {
            Source::App => {
                self.app.pop_front();
            }
            Source::System => {
                self.system.pop_front();
            }
        }
    }

    /// Every queued event in delivery order (application events, then pen and key events in
    /// display coordinates). Window switches pending in the Window Manager are not included.
    pub fn queued(&self) -> Vec<EventType> {
        self.app.iter().map(|a| a.event).chain(self.system.iter().copied()).collect()
    }

    /// `EvtEventAvail` (without the window events the Window Manager holds).
    pub fn any_queued(&self) -> bool {
        !self.app.is_empty() || !self.system.is_empty()
    }

    /// `EvtSysEventAvail`: a pen or key event is queued (pen-ups ignored on request).
    pub fn system_event_available(&self, ignore_pen_ups: bool) -> bool {
        self.system.iter().any(|e| !(ignore_pen_ups && e.e_type == PEN_UP_EVENT))
    }

    /// `EvtKeyQueueEmpty`.
    pub fn key_queue_empty(&self) -> bool {
        !self.system.iter().any(|e| e.e_type == KEY_DOWN_EVENT)
    }

    /// `EvtFlushKeyQueue`: drops the queued key events.
    pub fn flush_keys(&mut self) {
        self.system.retain(|e| e.e_type != KEY_DOWN_EVENT);
    }

    /// `EvtFlushPenQueue`: drops the queued pen events.
    pub fn flush_pen(&mut self) {
        self.system.retain(|e| !is_pen(e));
    }

    /// `EvtFlushNextPenStroke`: drops the queued pen events of the oldest stroke, up to and
    /// including its pen-up (all of them if the stroke has not ended yet).
    pub fn flush_next_stroke(&mut self) {
        let mut ended = false;
        self.system.retain(|e| {
            if ended || !is_pen(e) {
                return true;
            }
            ended = e.e_type == PEN_UP_EVENT;
            false
        });
    }

    /// The pen as last seen (display coordinates).
    pub fn pen(&self) -> PenState {
        self.pen
    }

    /// `EvtWakeup`: the next `EvtGetEvent` that would wait returns a `nilEvent` instead.
    pub fn wake(&mut self) {
        self.wake = true;
    }

    /// Consumes a pending wake-up.
    pub fn take_wake(&mut self) -> bool {
        std::mem::take(&mut self.wake)
    }

    /// `EvtSetNullEventTick`: a `nilEvent` is due at `tick` at the latest. Returns whether
    /// the due tick changed (only an earlier tick replaces a pending one).
    pub fn set_null_event_tick(&mut self, tick: u64) -> bool {
        match self.null_event_tick {
            Some(t) if t <= tick => false,
            _ => {
                self.null_event_tick = Some(tick);
                true
            }
        }
    }

    /// The pending null-event tick, if any.
    pub fn null_event_tick(&self) -> Option<u64> {
        self.null_event_tick
    }

    /// Clears the null-event tick (a `nilEvent` was delivered for it).
    pub fn clear_null_event_tick(&mut self) {
        self.null_event_tick = None;
    }
}
