//! Memos, a demo PalmOS application (`target/guest/apps/Memos.prc`, creator 'DMem'): a list
//! form with the memos' titles (a List object filled with `LstSetListChoices`) and a "New"
//! button; the edit form has a multi-line text field (typed into through the Form Manager's
//! field editing) and "Done" and "Delete" buttons. Tapping a title opens that memo. Each memo
//! is one record of the application's own database ('data', created on the first run), its
//! text NUL-terminated. The edit form saves when it closes (Done, or the application quitting);
//! an empty memo is not kept; Delete asks first (`FrmAlert`, Yes/No).
//!
//! Same structure as Counter (roms-stub/counter-app): `guest_sdk::ui::run_event_loop` and
//! form event handlers in Rust (`guest_sdk::ui::set_form_event_handler`); resources from
//! tools/app-resources, built from [`ids`].
#![no_std]

extern crate alloc;

pub mod ids;
pub mod logic;

use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering::Relaxed};
use guest_sdk::palm_abi::ui_layout::{
    event_data, CTL_SELECT_EVENT, MENU_EVENT, FRM_CLOSE_EVENT, FRM_OPEN_EVENT, FRM_UPDATE_EVENT, LST_SELECT_EVENT,
};
use guest_sdk::traps::*;
use guest_sdk::ui::{run_event_loop, FormEventHandler};
use guest_sdk::{copy_from_guest, copy_to_guest, println, read_u16, write_u16, write_u32, GuestAddr};

guest_sdk::pilot_main!(pilot_main);

const DATA_TYPE: u32 = u32::from_be_bytes(*b"data");
const DM_MODE_READ_WRITE: u16 = 0x0003;
const DM_MAX_RECORD_INDEX: u16 = 0xFFFF;

/// The open data database (`DmOpenRef`).
static DB: AtomicU32 = AtomicU32::new(0);
/// A small guest buffer (dynamic heap) for names and indexes.
static BUF: AtomicU32 = AtomicU32::new(0);
const BUF_SIZE: u32 = 32;
/// The list's item array and strings (one dynamic-heap chunk), 0 if none.
static CHOICES: AtomicU32 = AtomicU32::new(0);
/// The memo the edit form shows: a record index, or -1 for a new memo.
static CURRENT: AtomicI32 = AtomicI32::new(-1);
/// Set by Delete: the closing edit form saves nothing.
static DISCARD: AtomicBool = AtomicBool::new(false);

fn buf() -> GuestAddr {
    GuestAddr(BUF.load(Relaxed))
}
fn db() -> GuestAddr {
    GuestAddr(DB.load(Relaxed))
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
    let result = match open_database() {
        Ok(db) => {
            DB.store(db.0, Relaxed);
            println!("memos: start, {} memos", DmNumRecords(db));
            FrmGotoForm(ids::LIST_FORM);
            run_event_loop(&mut Forms);
            free_choices();
            DmCloseDatabase(db);
            0
        }
        Err(e) => {
            println!("memos: cannot open its database: error {e:#06x}");
            e as u32
        }
    };
    MemChunkFree(b);
    result
}

/// Opens the data database, creating it (empty) on the first run.
fn open_database() -> Result<GuestAddr, u16> {
    let creator = u32::from_be_bytes(ids::CREATOR);
    let db = DmOpenDatabaseByTypeCreator(DATA_TYPE, creator, DM_MODE_READ_WRITE);
    if !db.is_null() {
        return Ok(db);
    }
    put_str(buf(), ids::DB_NAME);
    let e = DmCreateDatabase(0, buf(), creator, DATA_TYPE, 0);
    if e != 0 {
        return Err(e);
    }
    let db = DmOpenDatabaseByTypeCreator(DATA_TYPE, creator, DM_MODE_READ_WRITE);
    if db.is_null() {
        return Err(DmGetLastErr());
    }
    Ok(db)
}

fn put_str(at: GuestAddr, s: &str) {
    copy_to_guest(at, s.as_bytes());
    copy_to_guest(at.add(s.len() as u32), &[0]);
}

/// The bytes of record `index` (empty if it cannot be read).
fn read_record(index: u16) -> Vec<u8> {
    let h = DmQueryRecord(db(), index);
    if h.is_null() {
        return Vec::new();
    }
    let mut v = alloc::vec![0u8; MemHandleSize(h) as usize];
    let p = MemHandleLock(h);
    copy_from_guest(&mut v, p);
    MemHandleUnlock(h);
    v
}

/// The application for `guest_sdk::ui::run_event_loop`: which Rust handler each form gets.
struct Forms;

impl guest_sdk::ui::App for Forms {
    fn form_handler(&mut self, form_id: u16) -> Option<FormEventHandler> {
        match form_id {
        ids::LIST_FORM => Some(list_form_handler),
        ids::EDIT_FORM => Some(edit_form_handler),
            _ => None,
        }
    }
}

fn object_ptr(form: GuestAddr, id: u16) -> GuestAddr {
    FrmGetObjectPtr(form, FrmGetObjectIndex(form, id))
}

fn free_choices() {
    let p = CHOICES.swap(0, Relaxed);
    if p != 0 {
        MemChunkFree(GuestAddr(p));
    }
}

/// Gives the list one item per memo: its title (`LstSetListChoices` with an item array and
/// the strings in one dynamic-heap chunk, kept until the list form closes).
fn fill_list(form: GuestAddr) {
    free_choices();
    let n = DmNumRecords(db());
    let titles: Vec<Vec<u8>> = (0..n).map(|i| logic::title_bytes(&read_record(i))).collect();
    let list = object_ptr(form, ids::MEMO_LIST);
    if titles.is_empty() {
        LstSetListChoices(list, GuestAddr(0), 0);
        return;
    }
    let strings_at = 4 * titles.len() as u32;
    let size = strings_at + titles.iter().map(|t| t.len() as u32).sum::<u32>();
    let chunk = MemPtrNew(size);
    if chunk.is_null() {
        LstSetListChoices(list, GuestAddr(0), 0);
        return;
    }
    CHOICES.store(chunk.0, Relaxed);
    let mut at = chunk.add(strings_at);
    for (i, t) in titles.iter().enumerate() {
        write_u32(chunk.add(4 * i as u32), at.0);
        copy_to_guest(at, t);
        at = at.add(t.len() as u32);
    }
    LstSetListChoices(list, chunk, titles.len() as i16);
}

fn list_form_handler(ev: GuestAddr) -> bool {
    let form = FrmGetActiveForm();
    match read_u16(ev) {
        FRM_OPEN_EVENT => {
            fill_list(form);
            FrmDrawForm(form);
            true
        }
        FRM_UPDATE_EVENT => {
            FrmDrawForm(form);
            true
        }
        LST_SELECT_EVENT => {
            let sel = read_u16(ev.add(event_data::lst_select::SELECTION)) as i16;
            if sel >= 0 && (sel as u16) < DmNumRecords(db()) {
                CURRENT.store(sel as i32, Relaxed);
                FrmGotoForm(ids::EDIT_FORM);
            }
            true
        }
        CTL_SELECT_EVENT if read_u16(ev.add(event_data::ctl_select::CONTROL_ID)) == ids::NEW_BUTTON => {
            new_memo();
            true
        }
        MENU_EVENT => match read_u16(ev.add(event_data::menu::ITEM_ID)) {
            ids::NEW_MEMO_ITEM => {
                new_memo();
                true
            }
            ids::ABOUT_ITEM => {
                about();
                true
            }
            _ => false,
        },
        FRM_CLOSE_EVENT => {
            free_choices();
            false
        }
        _ => false,
    }
}

/// Puts the current memo's text into the field (in a handle of its own, which the field
/// edits and frees with the form), draws the form and gives the field the focus.
fn open_editor(form: GuestAddr) {
    DISCARD.store(false, Relaxed);
    let field = object_ptr(form, ids::MEMO_FIELD);
    let current = CURRENT.load(Relaxed);
    let mut len = 0u16;
    if current >= 0 {
        let rec = read_record(current as u16);
        let text = logic::record_for(&rec);
        let h = MemHandleNew(text.len() as u32);
        if !h.is_null() {
            let p = MemHandleLock(h);
            copy_to_guest(p, &text);
            MemHandleUnlock(h);
            FldSetTextHandle(field, h);
            len = (text.len() - 1) as u16;
        }
    }
    FrmDrawForm(form);
    FrmSetFocus(form, FrmGetObjectIndex(form, ids::MEMO_FIELD));
    FldSetInsPtPosition(field, len);
}

/// Stores the field's text: a new record for a new memo, the memo's record resized and
/// rewritten otherwise; an empty memo is removed (or never created).
fn save_editor(form: GuestAddr) {
    if DISCARD.load(Relaxed) {
        return;
    }
    let field = object_ptr(form, ids::MEMO_FIELD);
    let text_p = FldGetTextPtr(field);
    let len = if text_p.is_null() { 0 } else { FldGetTextLength(field) as u32 };
    let current = CURRENT.load(Relaxed);
    let db = db();
    if len == 0 {
        if current >= 0 {
            DmRemoveRecord(db, current as u16);
        }
        return;
    }
    let (index, h) = if current >= 0 {
        let h = DmResizeRecord(db, current as u16, len + 1);
        if h.is_null() {
            println!("memos: cannot resize memo {current}: error {:#06x}", DmGetLastErr());
            return;
        }
        (current as u16, DmGetRecord(db, current as u16))
    } else {
        write_u16(buf(), DM_MAX_RECORD_INDEX);
        let h = DmNewRecord(db, buf(), len + 1);
        (read_u16(buf()), h)
    };
    if h.is_null() {
        println!("memos: cannot store the memo: error {:#06x}", DmGetLastErr());
        return;
    }
    let p = MemHandleLock(h);
    DmWrite(p, 0, text_p, len);
    DmSet(p, len, 1, 0);
    MemHandleUnlock(h);
    DmReleaseRecord(db, index, 1);
    CURRENT.store(index as i32, Relaxed);
}

/// New (button or menu): an empty editor.
fn new_memo() {
    CURRENT.store(-1, Relaxed);
    FrmGotoForm(ids::EDIT_FORM);
}

/// Options > About Memos, from either form.
fn about() {
    FrmAlert(ids::ABOUT_ALERT);
}

/// Delete (button or menu): asks first for a stored memo, then back to the list.
fn delete_current() {
    let current = CURRENT.load(Relaxed);
    if current < 0 || FrmAlert(ids::DELETE_ALERT) == ids::DELETE_ALERT_YES {
        if current >= 0 {
            DmRemoveRecord(db(), current as u16);
        }
        DISCARD.store(true, Relaxed);
        FrmGotoForm(ids::LIST_FORM);
    }
}

fn edit_form_handler(ev: GuestAddr) -> bool {
    let form = FrmGetActiveForm();
    match read_u16(ev) {
        FRM_OPEN_EVENT => {
            open_editor(form);
            true
        }
        FRM_UPDATE_EVENT => {
            FrmDrawForm(form);
            true
        }
        CTL_SELECT_EVENT => match read_u16(ev.add(event_data::ctl_select::CONTROL_ID)) {
            ids::DONE_BUTTON => {
                FrmGotoForm(ids::LIST_FORM);
                true
            }
            ids::DELETE_BUTTON => {
                delete_current();
                true
            }
            _ => false,
        },
        MENU_EVENT => match read_u16(ev.add(event_data::menu::ITEM_ID)) {
            ids::DELETE_MEMO_ITEM => {
                delete_current();
                true
            }
            ids::ABOUT_ITEM => {
                about();
                true
            }
            _ => false,
        },
        FRM_CLOSE_EVENT => {
            // The form handed in is the closing one (it may no longer be the active form).
            let closing = FrmGetFormPtr(ids::EDIT_FORM);
            if !closing.is_null() {
                save_editor(closing);
            }
            false
        }
        _ => false,
    }
}
