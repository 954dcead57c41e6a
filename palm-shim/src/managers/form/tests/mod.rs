//! Form Manager tests on the flat-memory rig: resources built with the builder and installed
//! in an open resource database, every trap through `Shim::dispatch`, event flows pumped
//! through the real `EvtGetEvent`, results checked as guest structures, queued events and
//! framebuffer pixels.

mod alerts;
mod controls;
mod fields;
mod forms;
mod lists;
mod menus;
mod resources;
mod robustness;

use super::builder::{FieldOptions, FormBuilder};
use crate::managers::test_support::{Arg, Arg::*, Rig};
use crate::pdb::{DatabaseFile, Entries, ResourceEntry};
use crate::{GuestMemory, StopRequest, TrapOutcome};
use palm_abi::traps as t;
use palm_abi::ui_layout::*;

/// Scratch areas in low memory (below the rig's stack at 0x8000).
pub const EV: u32 = 0x2400;
pub const OUT: u32 = 0x2500;
pub const TEXT: u32 = 0x2600;
pub const TEXT2: u32 = 0x2700;

pub const FORM_ID: u16 = 1000;
pub const LABEL: u16 = 1001;
pub const FIELD: u16 = 1002;
pub const BUTTON: u16 = 1003;
pub const PUSH_A: u16 = 1004;
pub const PUSH_B: u16 = 1005;
pub const CHECK: u16 = 1006;
pub const LIST: u16 = 1007;
pub const MEMO: u16 = 1008;
pub const REPEAT: u16 = 1009;

pub const BLACK: u8 = 255;
pub const WHITE: u8 = 0;

/// The test form: a title, a label, a single-line field, a button, a group of two push
/// buttons, a check box, a list, a multi-line field and a repeating button.
pub fn sample_form() -> FormBuilder {
    FormBuilder::new(FORM_ID, "Counter", (0, 0, 160, 160))
        .label(LABEL, "Count:", 10, 20)
        .field(FIELD, (50, 20, 60, 12), FieldOptions { max_chars: 10, ..FieldOptions::default() })
        .button(BUTTON, "Add", (10, 140, 36, 12))
        .push_button(PUSH_A, "A", (60, 140, 12, 12), 1)
        .push_button(PUSH_B, "B", (73, 140, 12, 12), 1)
        .checkbox(CHECK, "Loud", (100, 140, 50, 12), false)
        .list(LIST, (10, 50, 60, 44), &["One", "Two", "Three", "Four", "Five", "Six"])
        .field(MEMO, (80, 50, 70, 33), FieldOptions::multi_line(100))
        .repeat_button(REPEAT, "+", (130, 20, 12, 12))
}

/// A rig with `resources` installed in a resource database that is open.
pub fn rig_with(resources: Vec<ResourceEntry>) -> Rig {
    let mut r = Rig::new();
    let file = DatabaseFile::new("FormTests", u32::from_be_bytes(*b"appl"), u32::from_be_bytes(*b"test"), Entries::Resources(resources)).unwrap();
    let (dm, mm) = r.shim.data_and_memory();
    let id = dm.install(mm, &mut r.mem, &file).unwrap();
    r.call(t::DM_OPEN_DATABASE, &[W(0), L(id), W(crate::data_mgr::mode::READ_ONLY)]).unwrap();
    assert_ne!(r.a0(), 0, "database opened");
    r
}

/// A rig with the sample form (and `extra` resources).
pub fn rig(extra: Vec<ResourceEntry>) -> Rig {
    let mut res = vec![sample_form().resource()];
    res.extend(extra);
    rig_with(res)
}

/// Runs a trap that must complete.
pub fn call(r: &mut Rig, word: u16, args: &[Arg]) {
    let out = r.call(word, args).unwrap_or_else(|e| panic!("{word:04X}: {e}"));
    assert_eq!(out, TrapOutcome::Continue, "{word:04X} ({})", palm_abi::trap_names::trap_name(word).unwrap_or("?"));
}

/// Asserts a fatal `ErrDisplay` stop whose message contains `what`.
pub fn assert_fatal(out: TrapOutcome, what: &str) {
    match out {
        TrapOutcome::Stop(StopRequest::ErrDisplay { message, .. }) => assert!(message.contains(what), "message {message:?} mentions {what:?}"),
        other => panic!("expected a fatal error about {what:?}, got {other:?}"),
    }
}

/// `FrmInitForm(id)`, checked.
pub fn init_form(r: &mut Rig, id: u16) -> u32 {
    call(r, t::FRM_INIT_FORM, &[W(id)]);
    assert_ne!(r.a0(), 0);
    r.a0()
}

/// Loads, activates and draws the sample form; the session has booted (the first
/// `EvtGetEvent` is behind us) and the pending window switch is consumed.
pub fn shown_form(r: &mut Rig) -> u32 {
    let form = init_form(r, FORM_ID);
    call(r, t::FRM_SET_ACTIVE_FORM, &[L(form)]);
    call(r, t::FRM_DRAW_FORM, &[L(form)]);
    boot(r);
    while next_event(r).e_type != NIL_EVENT {}
    form
}

/// The session's first `EvtGetEvent` (which stops the run as booted).
pub fn boot(r: &mut Rig) {
    let out = r.call(t::EVT_GET_EVENT, &[L(EV), L(0)]).unwrap();
    assert_eq!(out, TrapOutcome::Stop(StopRequest::Booted));
}

/// `EvtGetEvent(&EV, evtNoWait)`.
pub fn next_event(r: &mut Rig) -> EventType {
    call(r, t::EVT_GET_EVENT, &[L(EV), L(0)]);
    read_event(r, EV)
}

pub fn read_event(r: &Rig, p: u32) -> EventType {
    let mut b = [0u8; EventType::LEN as usize];
    r.mem.read(p, &mut b).unwrap();
    EventType::decode(&b)
}

pub fn write_event(r: &mut Rig, e: &EventType) -> u32 {
    r.mem.write(EV, &e.encode()).unwrap();
    EV
}

/// `FrmGetObjectPtr(form, FrmGetObjectIndex(form, id))`.
pub fn object_ptr(r: &mut Rig, form: u32, id: u16) -> u32 {
    call(r, t::FRM_GET_OBJECT_INDEX, &[L(form), W(id)]);
    let index = r.d0() as u16;
    assert_ne!(index, FRM_INVALID_OBJECT_ID, "object {id}");
    call(r, t::FRM_GET_OBJECT_PTR, &[L(form), W(index)]);
    r.a0()
}

pub fn object_index(r: &mut Rig, form: u32, id: u16) -> u16 {
    call(r, t::FRM_GET_OBJECT_INDEX, &[L(form), W(id)]);
    r.d0() as u16
}

/// The event loop of an application without a handler: `EvtGetEvent(evtNoWait)` and
/// `FrmHandleEvent` until a `nilEvent`; the events seen, and what `FrmHandleEvent` answered.
pub fn pump(r: &mut Rig, form: u32) -> Vec<(EventType, bool)> {
    let mut seen = Vec::new();
    for _ in 0..100 {
        let e = next_event(r);
        if e.e_type == NIL_EVENT {
            return seen;
        }
        let out = r.call(t::FRM_HANDLE_EVENT, &[L(form), L(EV)]).unwrap();
        assert_eq!(out, TrapOutcome::Continue, "FrmHandleEvent({}) completes", event_name(e.e_type).unwrap_or("?"));
        seen.push((e, r.d0() != 0));
    }
    panic!("the event loop does not settle");
}

/// The types of `pump`'s events.
pub fn types(events: &[(EventType, bool)]) -> Vec<u16> {
    events.iter().map(|(e, _)| e.e_type).collect()
}

/// A screen pixel.
pub fn px(r: &Rig, x: i32, y: i32) -> u8 {
    r.shim.screen_surface().get_pixel(&r.mem, x, y).unwrap().unwrap()
}

/// Whether any pixel of the rectangle is black.
pub fn any_black(r: &Rig, x: i32, y: i32, w: i32, h: i32) -> bool {
    (y..y + h).any(|yy| (x..x + w).any(|xx| px(r, xx, yy) == BLACK))
}

/// Whether every pixel of the rectangle is white.
pub fn all_white(r: &Rig, x: i32, y: i32, w: i32, h: i32) -> bool {
    (y..y + h).all(|yy| (x..x + w).all(|xx| px(r, xx, yy) == WHITE))
}

pub fn screen_hash(r: &Rig) -> u64 {
    r.shim.screen_surface().rgb_hash(&r.mem).unwrap()
}

/// A tap on the display at (`x`, `y`).
pub fn tap(r: &mut Rig, x: i16, y: i16) {
    r.shim.pen_down(x, y);
    r.shim.pen_up(x, y);
}

/// A NUL-terminated string at `at`.
pub fn put_str(r: &mut Rig, at: u32, s: &str) -> u32 {
    r.mem.write(at, format!("{s}\0").as_bytes()).unwrap();
    at
}

pub fn cstr(r: &Rig, p: u32) -> String {
    String::from_utf8(r.mem.read_cstr(p, 1000).unwrap()).unwrap()
}

pub fn read_control(r: &Rig, p: u32) -> ControlType {
    super::read_control(&r.mem, p).unwrap()
}
pub fn read_field(r: &Rig, p: u32) -> FieldType {
    super::read_field(&r.mem, p).unwrap()
}
pub fn read_list(r: &Rig, p: u32) -> ListType {
    super::read_list(&r.mem, p).unwrap()
}
pub fn read_form(r: &Rig, p: u32) -> FormType {
    super::read_form(&r.mem, p).unwrap()
}
