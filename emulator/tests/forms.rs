//! The Form Manager on the real machine: a hand-assembled 68k application (mnemonics beside
//! the words) loads a form built with the host-side form builder, installs a 68k event
//! handler and runs a standard event loop (`EvtGetEvent`, `FrmDispatchEvent`).
//! `FrmDispatchEvent` calls the handler through the guest-call mechanism; what the handler
//! returns decides whether `FrmHandleEvent` runs; control tracking blocks the dispatch while
//! the pen is held, and the handler is not called again when the trap repeats.

use emulator::{Machine, MachineConfig, RomImage, StopReason};
use palm_abi::host::{HOST_CALLBACK_RETURN, HOST_EXIT};
use palm_abi::memmap;
use palm_abi::traps as t;
use palm_abi::ui_layout::*;
use palm_shim::forms::builder::FormBuilder;
use palm_shim::pdb::{DatabaseFile, Entries};
use palm_shim::GuestMemory;
use std::time::Duration;

const CODE: u32 = memmap::ROM.base + 8;
const HANDLER: u32 = CODE + 0x100;
const STUB: u32 = CODE + 0x180;
// Data in system RAM.
const EV: u32 = 0x2000;
const COUNT: u32 = 0x2100;
const LOG: u32 = 0x2200;

const FORM: u16 = 1000;
const BUTTON1: u16 = 1001;
const BUTTON2: u16 = 1002;

fn hi(a: u32) -> u16 {
    (a >> 16) as u16
}
fn lo(a: u32) -> u16 {
    a as u16
}

/// Appends a short branch (`op` = 0x60 bra, 0x66 bne, 0x67 beq, 0x6C bge) to `target`
/// (a word index); returns the branch's index for patching forward targets.
fn branch(code: &mut Vec<u16>, op: u16, target: Option<usize>) -> usize {
    let at = code.len();
    let disp = target.map_or(0, |t| ((t as i32 - (at as i32 + 1)) * 2) as u8 as u16);
    code.push(op << 8 | disp);
    at
}

fn patch(code: &mut [u16], at: usize, target: usize) {
    let disp = ((target as i32 - (at as i32 + 1)) * 2) as u8 as u16;
    code[at] = (code[at] & 0xFF00) | disp;
}

/// The application: form 1000 with a handler, drawn, then the event loop until
/// `appStopEvent`; exits with the number of events the handler saw.
fn main_program() -> (Vec<u16>, usize) {
    let mut c = vec![
        0x3F3C, FORM, // move.w #1000,-(sp)
        0x4E4F, t::FRM_INIT_FORM, // trap #15
        0x548F, // addq.l #2,sp
        0x2448, // movea.l a0,a2
        0x4879, hi(HANDLER), lo(HANDLER), // pea HANDLER
        0x2F0A, // move.l a2,-(sp)
        0x4E4F, t::FRM_SET_EVENT_HANDLER,
        0x508F, // addq.l #8,sp
        0x2F0A, // move.l a2,-(sp)
        0x4E4F, t::FRM_SET_ACTIVE_FORM,
        0x4E4F, t::FRM_DRAW_FORM, // (same argument)
        0x588F, // addq.l #4,sp
    ];
    let event_loop = c.len();
    c.extend_from_slice(&[
        0x70FF, // moveq #-1,d0: evtWaitForever
        0x2F00, // move.l d0,-(sp)
        0x4879, hi(EV), lo(EV), // pea EV
        0x4E4F, t::EVT_GET_EVENT,
        0x508F, // addq.l #8,sp
        0x0C79, APP_STOP_EVENT, hi(EV), lo(EV), // cmpi.w #appStopEvent,(EV).l
    ]);
    let to_exit = branch(&mut c, 0x67, None); // beq.s exit
    c.extend_from_slice(&[0x4879, hi(EV), lo(EV)]); // pea EV
    let dispatch = c.len();
    c.extend_from_slice(&[
        0x4E4F, t::FRM_DISPATCH_EVENT,
        0x588F, // addq.l #4,sp
    ]);
    branch(&mut c, 0x60, Some(event_loop)); // bra.s loop
    let exit = c.len();
    patch(&mut c, to_exit, exit);
    c.extend_from_slice(&[
        0x3039, hi(COUNT), lo(COUNT), // move.w (COUNT).l,d0
        0x48C0, // ext.l d0
        0x2F00, // move.l d0,-(sp)
        0x3F3C, HOST_EXIT, // move.w #HOST_EXIT,-(sp)
        0x4E4F, t::HOST_CONTROL,
        0x4AFC, // illegal
    ]);
    (c, dispatch)
}

/// `Boolean handler(EventType *eventP)`: logs eType at LOG[COUNT++]; handles (returns true)
/// `ctlSelectEvent` and pen-downs at x >= 90; declines everything else.
fn handler() -> Vec<u16> {
    let mut c = vec![
        0x206F, 0x0004, // movea.l 4(sp),a0
        0x3210, // move.w (a0),d1: eType
        0x3039, hi(COUNT), lo(COUNT), // move.w (COUNT).l,d0
        0xD040, // add.w d0,d0
        0x43F9, hi(LOG), lo(LOG), // lea (LOG).l,a1
        0x3381, 0x0000, // move.w d1,(0,a1,d0.w)
        0x5279, hi(COUNT), lo(COUNT), // addq.w #1,(COUNT).l
        0x7001, // moveq #1,d0
        0x0C41, CTL_SELECT_EVENT, // cmpi.w #ctlSelectEvent,d1
    ];
    let to_ret = branch(&mut c, 0x67, None); // beq.s ret
    c.extend_from_slice(&[0x0C41, PEN_DOWN_EVENT]); // cmpi.w #penDownEvent,d1
    let to_false = branch(&mut c, 0x66, None); // bne.s false
    c.extend_from_slice(&[0x0C68, 90, 0x0004]); // cmpi.w #90,4(a0): screenX
    let to_ret2 = branch(&mut c, 0x6C, None); // bge.s ret
    let false_ = c.len();
    c.push(0x7000); // moveq #0,d0
    let ret = c.len();
    c.push(0x4E75); // rts
    patch(&mut c, to_ret, ret);
    patch(&mut c, to_ret2, ret);
    patch(&mut c, to_false, false_);
    c
}

fn machine() -> (Machine, u32) {
    let (main, dispatch) = main_program();
    let mut words = main;
    assert!(words.len() * 2 <= 0x100);
    words.resize(0x100 / 2, 0x4AFC);
    words.extend(handler());
    assert!(words.len() * 2 <= 0x180);
    words.resize(0x180 / 2, 0x4AFC);
    words.extend_from_slice(&[0x3F3C, HOST_CALLBACK_RETURN, 0x4E4F, t::HOST_CONTROL]); // the callback-return stub
    let mut rom = Vec::new();
    rom.extend_from_slice(&memmap::SYSTEM_STACK_TOP.to_be_bytes());
    rom.extend_from_slice(&CODE.to_be_bytes());
    rom.extend(words.iter().flat_map(|w| w.to_be_bytes()));
    let mut m = Machine::with_rom(&MachineConfig::default(), RomImage::from_raw(rom)).unwrap();
    m.shim_mut().config.callback_return_stub = Some(STUB);
    // The application's resources: the form, built on the host.
    let form = FormBuilder::new(FORM, "Forms", (0, 0, 160, 160)).button(BUTTON1, "One", (10, 140, 36, 12)).button(BUTTON2, "Two", (90, 140, 40, 12));
    let code = |s: &[u8; 4]| u32::from_be_bytes(*s);
    let file = DatabaseFile::new("FormsTest", code(b"appl"), code(b"test"), Entries::Resources(vec![form.resource()])).unwrap();
    let st = m.state_mut();
    let (dm, mm) = st.shim.data_and_memory();
    let id = dm.install(mm, &mut st.ram, &file).unwrap();
    dm.open(mm, &mut st.ram, id, 0x0001).unwrap();
    (m, CODE + 2 * dispatch as u32)
}

fn log(m: &Machine) -> Vec<u16> {
    let n = m.ram().read_u16(COUNT).unwrap();
    (0..n as u32).map(|i| m.ram().read_u16(LOG + 2 * i).unwrap()).collect()
}

fn px(m: &Machine, x: i32, y: i32) -> u8 {
    m.screen_surface().get_pixel(m.ram(), x, y).unwrap().unwrap()
}

#[test]
fn dispatch_calls_the_68k_handler_and_its_answer_decides() {
    let (mut m, dispatch_pc) = machine();
    let run = |m: &mut Machine| m.run(Some(Duration::from_secs(5)));
    assert_eq!(run(&mut m), StopReason::Booted);
    assert_eq!(px(&m, 28, 139), 255, "the form is drawn: button frame");
    assert_eq!(px(&m, 12, 142), 0);

    // The pen goes down on button 1 and stays: the handler declines penDownEvent, so
    // FrmHandleEvent queues ctlEnterEvent; the handler declines that too, and tracking blocks
    // the dispatch with the button highlighted.
    m.pen_down(20, 145);
    assert_eq!(run(&mut m), StopReason::Idle);
    assert_eq!(log(&m), [NIL_EVENT, WIN_ENTER_EVENT, PEN_DOWN_EVENT, CTL_ENTER_EVENT]);
    assert_eq!(m.registers().pc, dispatch_pc, "waiting on FrmDispatchEvent");
    assert_eq!(m.shim().pending_guest_calls(), 0);
    assert_eq!(px(&m, 12, 142), 255, "highlighted");
    assert_eq!(run(&mut m), StopReason::Idle, "nothing new: still waiting");
    assert_eq!(log(&m).len(), 4, "the handler is not called again while the trap repeats");

    // Pen up on the button: ctlSelectEvent, which the handler handles; then penUpEvent.
    m.pen_up(20, 145);
    assert_eq!(run(&mut m), StopReason::Idle);
    assert_eq!(log(&m)[4..], [CTL_SELECT_EVENT, PEN_UP_EVENT]);
    assert_eq!(px(&m, 12, 142), 0, "no longer highlighted");
    assert!(m.queued_events().is_empty());

    // A tap on button 2: the handler handles the pen-down itself, so FrmHandleEvent never
    // sees it and no ctlEnterEvent follows.
    m.tap(100, 145);
    assert_eq!(run(&mut m), StopReason::Idle);
    assert_eq!(log(&m)[6..], [PEN_DOWN_EVENT, PEN_UP_EVENT]);
    assert!(m.queued_events().is_empty());

    m.post_app_stop();
    assert_eq!(run(&mut m), StopReason::Exit(8));
    assert_eq!(m.shim().ui().forms().forms().len(), 1, "the application never closed its form");
}
