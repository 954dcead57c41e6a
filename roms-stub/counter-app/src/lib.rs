//! Counter, a demo PalmOS application (`target/guest/apps/Counter.prc`, creator 'DCnt'): one
//! form with a large count, "+1", "-1" and "Reset" buttons and a "Step 10" check box. Reset
//! asks first (`FrmAlert` on a Yes/No alert; the returned button index decides). The count
//! and the check box live in record 0 of the application's own database ('data', created on
//! the first run) and are written with `DmWrite` on every change, so they survive relaunches
//! and card save/load.
//!
//! A classic PalmOS application: the canonical event loop (`guest_sdk::ui::run_event_loop`:
//! `EvtGetEvent`, `SysHandleEvent`, `MenuHandleEvent`, `frmLoadEvent`, `FrmDispatchEvent`)
//! and a form event handler written in Rust, made a real 68k handler by the SDK's trampoline
//! (`guest_sdk::ui::set_form_event_handler`). The resources (form, alert, help string, icon)
//! come from tools/app-resources, built from [`ids`].
#![no_std]

extern crate alloc;

pub mod ids;
pub mod logic;

use guest_sdk::palm_abi::ui_layout::{
    event_data, CTL_SELECT_EVENT, FRM_OPEN_EVENT, FRM_UPDATE_EVENT,
};
use guest_sdk::traps::*;
use guest_sdk::ui::{run_event_loop, FormEventHandler};
use guest_sdk::{copy_from_guest, copy_to_guest, println, read_u16, read_u8, GuestAddr};
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering::Relaxed};
use logic::State;

guest_sdk::pilot_main!(pilot_main);

const DATA_TYPE: u32 = u32::from_be_bytes(*b"data");
const DM_MODE_READ_WRITE: u16 = 0x0003;
const DM_MAX_RECORD_INDEX: u16 = 0xFFFF;

/// The application's globals (its A5 world: fresh every launch).
static COUNT: AtomicI32 = AtomicI32::new(0);
static STEP10: AtomicBool = AtomicBool::new(false);
/// The open data database (`DmOpenRef`).
static DB: AtomicU32 = AtomicU32::new(0);
/// A small guest buffer (dynamic heap) for strings and record bytes.
static BUF: AtomicU32 = AtomicU32::new(0);
const BUF_SIZE: u32 = 64;

fn buf() -> GuestAddr {
    GuestAddr(BUF.load(Relaxed))
}

/// `PilotMain`: the UI for a normal launch; every other launch code (e.g. the
/// `sysAppLaunchCmdSystemReset` the UI shell sends once per power-on) is ignored.
pub fn pilot_main(cmd: u16, _cmd_pbp: GuestAddr, _flags: u16) -> u32 {
    if cmd != guest_sdk::launch::CMD_NORMAL_LAUNCH {
        return 0;
    }
    let b = MemPtrNew(BUF_SIZE);
    if b.is_null() {
        return 1;
    }
    BUF.store(b.0, Relaxed);
    let err = match open_database() {
        Ok(db) => {
            DB.store(db.0, Relaxed);
            let st = load(db);
            COUNT.store(st.count, Relaxed);
            STEP10.store(st.step10, Relaxed);
            println!("counter: start, count {}, step {}", st.count, logic::step(st.step10));
            FrmGotoForm(ids::MAIN_FORM);
            run_event_loop(&mut Forms);
            DmCloseDatabase(db);
            0
        }
        Err(e) => {
            println!("counter: cannot open its database: error {e:#06x}");
            e as u32
        }
    };
    MemChunkFree(b);
    err
}

/// Opens the data database, creating it with one zeroed record on the first run.
fn open_database() -> Result<GuestAddr, u16> {
    let creator = u32::from_be_bytes(ids::CREATOR);
    let db = DmOpenDatabaseByTypeCreator(DATA_TYPE, creator, DM_MODE_READ_WRITE);
    if !db.is_null() {
        if DmNumRecords(db) > 0 {
            return Ok(db);
        }
        DmCloseDatabase(db);
    } else {
        put_str(buf(), ids::DB_NAME);
        let e = DmCreateDatabase(0, buf(), creator, DATA_TYPE, 0);
        if e != 0 {
            return Err(e);
        }
    }
    let db = DmOpenDatabaseByTypeCreator(DATA_TYPE, creator, DM_MODE_READ_WRITE);
    if db.is_null() {
        return Err(DmGetLastErr());
    }
    guest_sdk::write_u16(buf(), DM_MAX_RECORD_INDEX);
    let h = DmNewRecord(db, buf(), State::RECORD_SIZE as u32);
    if h.is_null() {
        let e = DmGetLastErr();
        DmCloseDatabase(db);
        return Err(e);
    }
    let at = read_u16(buf());
    write_record(h, &State::default().encode());
    DmReleaseRecord(db, at, 1);
    Ok(db)
}

fn load(db: GuestAddr) -> State {
    let h = DmQueryRecord(db, 0);
    if h.is_null() {
        return State::default();
    }
    let n = (MemHandleSize(h) as usize).min(State::RECORD_SIZE);
    let mut bytes = [0u8; State::RECORD_SIZE];
    let p = MemHandleLock(h);
    copy_from_guest(&mut bytes[..n], p);
    MemHandleUnlock(h);
    State::decode(&bytes[..n])
}

/// Writes `bytes` at the start of the record `h` (`DmWrite` from the guest buffer).
fn write_record(h: GuestAddr, bytes: &[u8]) {
    let p = MemHandleLock(h);
    copy_to_guest(buf(), bytes);
    DmWrite(p, 0, buf(), bytes.len() as u32);
    MemHandleUnlock(h);
}

fn save() {
    let db = GuestAddr(DB.load(Relaxed));
    let st = State { count: COUNT.load(Relaxed), step10: STEP10.load(Relaxed) };
    let h = DmGetRecord(db, 0);
    if h.is_null() {
        println!("counter: record 0 unavailable: error {:#06x}", DmGetLastErr());
        return;
    }
    write_record(h, &st.encode());
    DmReleaseRecord(db, 0, 1);
}

fn put_str(at: GuestAddr, s: &str) {
    copy_to_guest(at, s.as_bytes());
    copy_to_guest(at.add(s.len() as u32), &[0]);
}

/// The application for `guest_sdk::ui::run_event_loop`: which Rust handler each form gets.
struct Forms;

impl guest_sdk::ui::App for Forms {
    fn form_handler(&mut self, form_id: u16) -> Option<FormEventHandler> {
        match form_id {
        ids::MAIN_FORM => Some(main_form_handler),
            _ => None,
        }
    }
}

fn object<T>(form: GuestAddr, id: u16, f: impl FnOnce(GuestAddr, u16) -> T) -> T {
    let index = FrmGetObjectIndex(form, id);
    f(FrmGetObjectPtr(form, index), index)
}

/// Shows the count in the count label (drawn at once if the form is visible).
fn show_count(form: GuestAddr) {
    put_str(buf(), &logic::format_count(COUNT.load(Relaxed)));
    FrmCopyLabel(form, ids::COUNT_LABEL, buf());
}

fn set_count(form: GuestAddr, count: i32) {
    COUNT.store(count, Relaxed);
    show_count(form);
    save();
}

/// The main form's event handler (68k code calls it through the SDK's trampoline).
fn main_form_handler(ev: GuestAddr) -> bool {
    let form = FrmGetActiveForm();
    match read_u16(ev) {
        FRM_OPEN_EVENT => {
            show_count(form);
            let step10 = STEP10.load(Relaxed);
            object(form, ids::STEP_CHECKBOX, |ctl, _| CtlSetValue(ctl, step10 as i16));
            FrmDrawForm(form);
            true
        }
        FRM_UPDATE_EVENT => {
            FrmDrawForm(form);
            true
        }
        CTL_SELECT_EVENT => {
            let count = COUNT.load(Relaxed);
            let step = logic::step(STEP10.load(Relaxed));
            match read_u16(ev.add(event_data::ctl_select::CONTROL_ID)) {
                ids::PLUS_BUTTON => set_count(form, logic::apply(count, step)),
                ids::MINUS_BUTTON => set_count(form, logic::apply(count, -step)),
                ids::RESET_BUTTON => {
                    let button = FrmAlert(ids::RESET_ALERT);
                    println!("counter: reset alert answered {button}");
                    if button == ids::RESET_ALERT_YES {
                        set_count(form, 0);
                    }
                }
                ids::STEP_CHECKBOX => {
                    STEP10.store(read_u8(ev.add(event_data::ctl_select::ON)) != 0, Relaxed);
                    save();
                }
                _ => return false,
            }
            true
        }
        _ => false,
    }
}
