//! The Wrapper (item 7 of the persistent store; `docs/store-format.md` sections 2, 3 and 11.1):
//! the application code at the start of every store. It is packaged as
//! `target/guest/apps/StoreWrapper.prc`, a *template* database of type `'wrap'` and creator
//! `'SpWr'` that the app manager does not list; creating a store copies all its resources into
//! the store (guest-vm's `wrapper::copy_into`), whose type is `'appl'`. So when the user taps
//! a store in the app manager, this code runs from inside the store:
//! 1. it finds the VM application by type and creator (`'appl'`/`'SpVM'`,
//!    `DmGetNextDatabaseByTypeCreator`);
//! 2. it gets its own database with `SysCurAppDatabase`: that database is the store;
//! 3. it switches to the VM with `SysUIAppSwitch` and the custom launch code
//!    `LAUNCH_CMD_RESUME_STORE` (0x8001), whose parameter block `{ UInt16 cardNo; LocalID
//!    dbID; }` is a dynamic-heap chunk given to the system (`MemPtrSetOwner(p, 0)`) so it
//!    outlives this launch;
//! 4. it waits for the `appStopEvent` the switch posts and returns; the UI shell then runs the
//!    VM, which resumes the store.
//!
//! If the VM is not installed it says so (console and screen) and returns on the next tap, key
//! or `appStopEvent`. Other launch codes (`sysAppLaunchCmdSystemReset`, ...) are ignored.
//! The codes below must equal `guest_vm::codes` (tests/tests/store_launch.rs checks the
//! packaged database against them).
#![no_std]

extern crate alloc;

use guest_sdk::traps::{self, call, ArgWidth, Shape};
use guest_sdk::{copy_to_guest, println, read_u16, read_u32, scratch_area, write_u16, write_u32, GuestAddr};
use palm_abi::ui_layout::{EventType, APP_STOP_EVENT, KEY_DOWN_EVENT, PEN_UP_EVENT};

guest_sdk::pilot_main!(pilot_main);

const fn fourcc(s: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*s)
}

/// The VM application: type and creator (`guest_vm::codes::VM_DB_TYPE`, `VM_CREATOR`).
pub const VM_DB_TYPE: u32 = fourcc(b"appl");
pub const VM_CREATOR: u32 = fourcc(b"SpVM");
/// `guest_vm::codes::LAUNCH_CMD_RESUME_STORE`.
pub const LAUNCH_CMD_RESUME_STORE: u16 = 0x8001;
/// `guest_vm::codes::resume_params`: cardNo at 0, dbID at 2, 6 bytes.
pub const RESUME_PARAMS_SIZE: u32 = 6;

/// Exit codes: 0 switched to the VM; these otherwise.
pub const EXIT_NO_VM: u32 = 1;
pub const EXIT_NO_STORE: u32 = 2;
pub const EXIT_NO_MEMORY: u32 = 3;
pub const EXIT_SWITCH_FAILED: u32 = 4;

/// `Err MemPtrSetOwner(MemPtr p, UInt16 owner)` (not wrapped by the SDK).
fn mem_ptr_set_owner(p: GuestAddr, owner: u16) -> u16 {
    const SHAPE: Shape = Shape::new(&[ArgWidth::Long, ArgWidth::Word], false);
    call(palm_abi::traps::MEM_PTR_SET_OWNER, SHAPE, &[p.0, owner as u32]) as u16
}

/// The LocalID of the VM application, if installed.
fn find_vm() -> Option<u32> {
    let (base, _) = scratch_area();
    let (card, id, state) = (base, base.add(4), base.add(16));
    let err = traps::DmGetNextDatabaseByTypeCreator(1, state, VM_DB_TYPE, VM_CREATOR, 1, card, id);
    (err == 0).then(|| read_u32(id))
}

/// This application's database (the store it lives in).
fn own_database() -> Option<(u16, u32)> {
    let (base, _) = scratch_area();
    let (card, id) = (base.add(64), base.add(68));
    (traps::SysCurAppDatabase(card, id) == 0).then(|| (read_u16(card), read_u32(id)))
}

/// Waits for an event the system does not take; returns its type.
fn next_event() -> u16 {
    let ev = scratch_area().0.add(256);
    loop {
        traps::EvtGetEvent(ev, -1);
        if !traps::SysHandleEvent(ev) {
            return read_u16(ev.add(EventType::E_TYPE));
        }
    }
}

/// Shows `lines` until a tap, a key or `appStopEvent`.
fn fail(lines: &[&str], code: u32) -> u32 {
    let buf = scratch_area().0.add(512);
    traps::WinEraseWindow();
    for (i, l) in lines.iter().enumerate() {
        println!("store wrapper: {l}");
        copy_to_guest(buf, l.as_bytes());
        traps::WinDrawChars(buf, l.len() as i16, 2, 2 + 12 * i as i16);
    }
    loop {
        let e = next_event();
        if e == APP_STOP_EVENT || e == PEN_UP_EVENT || e == KEY_DOWN_EVENT {
            return code;
        }
    }
}

/// The Wrapper's `PilotMain`.
pub fn pilot_main(cmd: u16, _pbp: GuestAddr, _flags: u16) -> u32 {
    if cmd != palm_abi::app_layout::CMD_NORMAL_LAUNCH {
        return 0;
    }
    let Some(vm) = find_vm() else {
        return fail(&["The Persistent VM application", "(type 'appl', creator 'SpVM')", "is not installed."], EXIT_NO_VM);
    };
    let Some((card, store)) = own_database() else {
        return fail(&["SysCurAppDatabase failed."], EXIT_NO_STORE);
    };
    let p = traps::MemPtrNew(RESUME_PARAMS_SIZE);
    if p.is_null() {
        return fail(&["Not enough memory."], EXIT_NO_MEMORY);
    }
    write_u16(p, card);
    write_u32(p.add(2), store);
    mem_ptr_set_owner(p, 0);
    let err = traps::SysUIAppSwitch(0, vm, LAUNCH_CMD_RESUME_STORE, p);
    if err != 0 {
        traps::MemChunkFree(p);
        return fail(&["Switching to the VM failed."], EXIT_SWITCH_FAILED);
    }
    // The switch posted appStopEvent: the VM runs when this launch returns.
    while next_event() != APP_STOP_EVENT {}
    0
}
