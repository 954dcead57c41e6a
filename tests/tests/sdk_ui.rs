//! The guest SDK's UI layer (`guest_sdk::ui`) natively against the real shim: a form with a
//! button loaded from a `tFRM` resource in a resource database on the card, a Rust event
//! handler installed with `set_form_event_handler` (the shim calls it as a guest callback
//! through the trampoline; `ShimHost` runs the Rust handler and returns like the ROM's
//! callback-return stub), a tap on the button -> `ctlSelectEvent` with the button's ID,
//! driven by `ui::run_event_loop`. Also a 13-argument trap (`DmDatabaseInfo`) through the
//! SDK wrapper and the shim.

use guest_sdk::native::with_host;
use guest_sdk::traps;
use guest_sdk::ui::{self, App, Event, FormEventHandler};
use guest_sdk::{read_u16, read_u32, scratch_area, GuestAddr};
use integration_tests::shim_host::ShimHost;
use palm_abi::ui_layout::*;
use palm_shim::forms::builder::FormBuilder;
use palm_shim::pdb::{DatabaseFile, Entries};
use std::cell::RefCell;

const FORM_ID: u16 = 1000;
const OTHER_FORM_ID: u16 = 1100;
const BUTTON: u16 = 1003;
const GOTO_BUTTON: u16 = 1004;
const BUTTON_BOUNDS: (i16, i16, i16, i16) = (10, 140, 36, 12);
const GOTO_BOUNDS: (i16, i16, i16, i16) = (60, 140, 36, 12);

thread_local! {
    /// What the handlers saw: (form ID, event type, control ID).
    static SEEN: RefCell<Vec<(u16, u16, u16)>> = const { RefCell::new(Vec::new()) };
}

fn record(form: u16, event: GuestAddr) -> Event {
    let e = Event::read(event);
    SEEN.with(|s| s.borrow_mut().push((form, e.e_type, e.control_id())));
    e
}

fn main_form_handler(event: GuestAddr) -> bool {
    let e = record(FORM_ID, event);
    match e.e_type {
        FRM_OPEN_EVENT => {
            traps::FrmDrawForm(traps::FrmGetActiveForm());
            true
        }
        CTL_SELECT_EVENT if e.control_id() == GOTO_BUTTON => {
            traps::FrmGotoForm(OTHER_FORM_ID);
            true
        }
        CTL_SELECT_EVENT => true,
        _ => false,
    }
}

fn other_form_handler(event: GuestAddr) -> bool {
    let e = record(OTHER_FORM_ID, event);
    if e.e_type == FRM_OPEN_EVENT {
        traps::FrmDrawForm(traps::FrmGetActiveForm());
        return true;
    }
    false
}

struct TestApp {
    loaded: Vec<u16>,
}

impl App for TestApp {
    fn form_handler(&mut self, form_id: u16) -> Option<FormEventHandler> {
        self.loaded.push(form_id);
        match form_id {
            FORM_ID => Some(main_form_handler),
            OTHER_FORM_ID => Some(other_form_handler),
            _ => None,
        }
    }
}

/// A host with formatted heaps and a resource database holding the two forms, open.
fn host_with_forms() -> ShimHost {
    let mut host = ShimHost::default();
    host.shim.init_memory(&mut host.ram).unwrap();
    let main = FormBuilder::new(FORM_ID, "Main", (0, 0, 160, 160))
        .label(1001, "Tap a button", 10, 20)
        .button(BUTTON, "Add", BUTTON_BOUNDS)
        .button(GOTO_BUTTON, "Next", GOTO_BOUNDS);
    let other = FormBuilder::new(OTHER_FORM_ID, "Other", (0, 0, 160, 160)).label(1101, "Second", 10, 20);
    let file = DatabaseFile::new(
        "SdkUiTest",
        u32::from_be_bytes(*b"appl"),
        u32::from_be_bytes(*b"SdkU"),
        Entries::Resources(vec![main.resource(), other.resource()]),
    )
    .unwrap();
    let (dm, mm) = host.shim.data_and_memory();
    let id = dm.install(mm, &mut host.ram, &file).unwrap();
    with_host(&mut host, || {
        let db = traps::DmOpenDatabase(0, id, 1 /* dmModeReadOnly */);
        assert_ne!(db.0, 0, "resource database opened");
    });
    host
}

fn centre((x, y, w, h): (i16, i16, i16, i16)) -> (i16, i16) {
    (x + w / 2, y + h / 2)
}

/// Feeds the taps, one per idle `EvtGetEvent`, then `appStopEvent`.
fn feed(host: &mut ShimHost, taps: Vec<(i16, i16)>) {
    let mut taps = taps.into_iter();
    let mut stopped = false;
    host.on_block = Some(Box::new(move |shim| match taps.next() {
        Some((x, y)) => {
            shim.pen_down(x, y);
            shim.pen_up(x, y);
            true
        }
        None if !stopped => {
            stopped = true;
            shim.post_app_stop();
            true
        }
        None => false,
    }));
}

fn seen() -> Vec<(u16, u16, u16)> {
    SEEN.with(|s| s.borrow().clone())
}

#[test]
fn a_rust_handler_sees_the_button_tap() {
    let mut host = host_with_forms();
    feed(&mut host, vec![centre(BUTTON_BOUNDS)]);
    let mut app = TestApp { loaded: Vec::new() };
    with_host(&mut host, || {
        ui::clear_form_event_handlers();
        traps::FrmGotoForm(FORM_ID);
        ui::run_event_loop(&mut app);
    });
    assert_eq!(app.loaded, [FORM_ID]);
    let seen = seen();
    let selects: Vec<_> = seen.iter().filter(|s| s.1 == CTL_SELECT_EVENT).collect();
    assert_eq!(selects, [&(FORM_ID, CTL_SELECT_EVENT, BUTTON)], "all events: {seen:?}");
    // winEnterEvent, frmOpenEvent (the handler drew the form), ..., frmCloseEvent from
    // FrmCloseAllForms last.
    let types: Vec<u16> = seen.iter().map(|s| s.1).collect();
    assert_eq!(types[..2], [WIN_ENTER_EVENT, FRM_OPEN_EVENT], "{seen:?}");
    assert_eq!(seen.last().map(|s| (s.0, s.1)), Some((FORM_ID, FRM_CLOSE_EVENT)), "{seen:?}");
    assert!(seen.iter().any(|s| s.1 == PEN_DOWN_EVENT), "the handler gets the pen events first: {seen:?}");
    assert!(host.callbacks as usize >= seen.len(), "every handler call was a guest callback");
    assert!(host.stops.is_empty(), "{:?}", host.stops);
    assert_eq!(host.shim.pending_guest_calls(), 0);
}

#[test]
fn handlers_follow_frm_goto_form_and_broadcasts() {
    let mut host = host_with_forms();
    feed(&mut host, vec![centre(GOTO_BOUNDS)]);
    let mut app = TestApp { loaded: Vec::new() };
    with_host(&mut host, || {
        ui::clear_form_event_handlers();
        traps::FrmGotoForm(FORM_ID);
        ui::run_event_loop(&mut app);
    });
    assert_eq!(app.loaded, [FORM_ID, OTHER_FORM_ID]);
    let seen = seen();
    let forms: Vec<(u16, u16)> = seen.iter().filter(|s| s.1 != NIL_EVENT).map(|s| (s.0, s.1)).collect();
    let at = |what: (u16, u16)| forms.iter().position(|&f| f == what).unwrap_or_else(|| panic!("{what:?} in {forms:?}"));
    // The goto button: the main form closes (through its own handler, found by form ID),
    // then the other form opens and later closes.
    assert!(at((FORM_ID, CTL_SELECT_EVENT)) < at((FORM_ID, FRM_CLOSE_EVENT)));
    assert!(at((FORM_ID, FRM_CLOSE_EVENT)) < at((OTHER_FORM_ID, FRM_OPEN_EVENT)));
    assert_eq!(forms.last(), Some(&(OTHER_FORM_ID, FRM_CLOSE_EVENT)));
    assert!(!forms.iter().any(|&(f, t)| f == OTHER_FORM_ID && t == CTL_SELECT_EVENT));
}

#[test]
fn thirteen_argument_trap_through_the_wrapper() {
    let mut host = host_with_forms();
    with_host(&mut host, || {
        let (buf, _) = scratch_area();
        let name = buf;
        let p = |i: u32| buf.add(64 + 4 * i);
        let id = traps::DmFindDatabase(0, {
            guest_sdk::copy_to_guest(buf, b"SdkUiTest\0");
            buf
        });
        assert_ne!(id, 0);
        guest_sdk::guest_memset(buf, 0, 256);
        let err = traps::DmDatabaseInfo(0, id, name, p(0), p(1), p(2), p(3), p(4), p(5), p(6), p(7), p(8), p(9));
        assert_eq!(err, 0);
        let mut got = [0u8; 10];
        guest_sdk::copy_from_guest(&mut got, name);
        assert_eq!(&got, b"SdkUiTest\0");
        assert_eq!(read_u16(p(0)) & 0x0001, 0x0001, "dmHdrAttrResDB");
        assert_eq!(read_u32(p(8)), u32::from_be_bytes(*b"appl"));
        assert_eq!(read_u32(p(9)), u32::from_be_bytes(*b"SdkU"));
        // DmSetDatabaseInfo: a new version, everything else unchanged (NULL pointers).
        guest_sdk::write_u16(p(1), 7);
        let z = GuestAddr(0);
        assert_eq!(traps::DmSetDatabaseInfo(0, id, z, z, p(1), z, z, z, z, z, z, z, z), 0);
        guest_sdk::write_u16(p(1), 0);
        assert_eq!(traps::DmDatabaseInfo(0, id, z, z, p(1), z, z, z, z, z, z, z, p(9)), 0);
        assert_eq!(read_u16(p(1)), 7);
        assert_eq!(read_u32(p(9)), u32::from_be_bytes(*b"SdkU"));
    });
}

/// The same UI check (guest-sdk/selftest's `ui_check`: FrmNewForm, a Rust handler through the
/// trampoline, FrmDispatchEvent, the frmCloseEvent broadcast) natively and as 68k code
/// (selftest.elf with the program argument `ui`): identical transcripts.
#[test]
fn ui_check_native_and_68k_agree() {
    let mut host = ShimHost::default();
    host.shim.init_memory(&mut host.ram).unwrap();
    let code = with_host(&mut host, guest_selftest::ui_check);
    let native = host.console_text();
    assert_eq!(code, 0, "{native}");
    assert!(native.contains("ui: handler: ctlSelectEvent control 4242"), "{native}");
    assert!(native.contains("ui: handler: frmCloseEvent control 4200"), "{native}");
    assert!(host.callbacks >= 3, "{native}");

    let config = emulator::MachineConfig { stop_at_boot: false, fixed_seconds: Some(integration_tests::TEST_CLOCK), ..Default::default() };
    let mut m = integration_tests::machine_for("selftest.elf", &config);
    m.set_program_args(b"ui");
    let reason = m.run(Some(std::time::Duration::from_secs(60)));
    let guest = m.console_text();
    assert_eq!(reason, emulator::StopReason::Exit(0), "{guest}");
    assert_eq!(guest, native);
}
