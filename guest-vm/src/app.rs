//! The VM as a PalmOS application (`target/guest/apps/GuestVM.prc`, type `'appl'`, creator
//! [`codes::VM_CREATOR`], "Persistent VM"; item 7 and the `appStopEvent` trigger of item 5).
//! The same program is the ROM test program `guest-vm.elf`; [`pilot_main`] tells the runs
//! apart by their launch parameters:
//! - all zero (a ROM image is never launched): the test driver ([`driver::main`]), unchanged;
//! - [`codes::LAUNCH_CMD_RESUME_STORE`] from a store's Wrapper, with the parameter block
//!   [`codes::resume_params`]: resume that store exactly as the driver does, run
//!   [`RESUME_STEPS`] steps, show its status; every tap runs [`RUN_STEPS`] more; on
//!   `appStopEvent` (Home, another application, the window closing) suspend it in the four
//!   steps and return;
//! - a normal launch: the list of stores and "New store", which creates "Store N" (the
//!   Wrapper copied in, so the app manager lists and launches it), runs [`INITIAL_STEPS`]
//!   steps and suspends it; tapping a store's line launches it.
//!
//! Steps happen only on taps (never on time), so headless runs are repeatable; the console
//! gets the driver's transcript lines (`created`, `resumed`, `state`, `suspended`, reports),
//! so every state line can be compared with the native driver's run of the same steps.

use crate::codes;
use crate::digest;
use crate::driver;
use crate::palm;
use crate::store::{CreateOptions, Vm};
use crate::threads;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use palm_abi::app_layout::CMD_NORMAL_LAUNCH;
use palm_abi::ui_layout::{EventType, APP_STOP_EVENT, PEN_UP_EVENT};
use guest_sdk::{copy_to_guest, println, read_u16, read_u32, scratch_area, traps, write_u16, GuestAddr};

/// Steps run after each resumption from the app manager.
pub const RESUME_STEPS: u32 = 100;
/// Steps run per tap on the status screen.
pub const RUN_STEPS: u32 = 100;
/// Steps run when "New store" creates a store.
pub const INITIAL_STEPS: u32 = 200;

/// The screen: 160 x 160; one text line is 12 pixels.
const LINE: i16 = 12;
/// The button of both screens: x, y, width, height.
const BUTTON: (i16, i16, i16, i16) = (30, 136, 100, 14);
/// First line of the store list.
const LIST_TOP: i16 = 30;

/// The application's `PilotMain` (and the ROM program's entry).
pub fn pilot_main(cmd: u16, cmd_pbp: GuestAddr, flags: u16) -> u32 {
    if cmd == CMD_NORMAL_LAUNCH && cmd_pbp.is_null() && flags == 0 {
        return driver::main();
    }
    match cmd {
        codes::LAUNCH_CMD_RESUME_STORE => resume_store(cmd_pbp),
        CMD_NORMAL_LAUNCH => store_list(),
        _ => 0,
    }
}

// ---- Scratch memory: event, text and rectangle buffers past what `palm` uses ----------------

fn event_buf() -> GuestAddr {
    scratch_area().0.add(512)
}
fn text_buf() -> GuestAddr {
    scratch_area().0.add(1024)
}
fn rect_buf() -> GuestAddr {
    scratch_area().0.add(1536)
}

/// Waits for the next event the system does not take (`EvtGetEvent(evtWaitForever)`, then
/// `SysHandleEvent`, which turns Home into `appStopEvent`); returns its type and pen position.
fn next_event() -> (u16, i16, i16) {
    let ev = event_buf();
    loop {
        traps::EvtGetEvent(ev, -1);
        if traps::SysHandleEvent(ev) {
            continue;
        }
        let x = read_u16(ev.add(EventType::SCREEN_X)) as i16;
        let y = read_u16(ev.add(EventType::SCREEN_Y)) as i16;
        return (read_u16(ev.add(EventType::E_TYPE)), x, y);
    }
}

/// Waits until `appStopEvent`.
fn wait_for_stop() {
    while next_event().0 != APP_STOP_EVENT {}
}

fn text(s: &str, x: i16, y: i16) {
    let b = s.as_bytes();
    let n = b.len().min(200);
    copy_to_guest(text_buf(), &b[..n]);
    traps::WinDrawChars(text_buf(), n as i16, x, y);
}

fn button(label: &str) {
    let (x, y, w, h) = BUTTON;
    let r = rect_buf();
    for (i, v) in [x, y, w, h].into_iter().enumerate() {
        write_u16(r.add(2 * i as u32), v as u16);
    }
    traps::WinDrawRectangleFrame(1, r); // simpleFrame
    let tw = traps::FntCharsWidth({
        copy_to_guest(text_buf(), label.as_bytes());
        text_buf()
    }, label.len() as i16);
    text(label, x + (w - tw) / 2, y + 1);
}

fn in_button(x: i16, y: i16) -> bool {
    let (bx, by, w, h) = BUTTON;
    x >= bx && x < bx + w && y >= by && y < by + h
}

fn title(s: &str) {
    traps::WinEraseWindow();
    let old = traps::FntSetFont(1); // boldFont
    text(s, 2, 1);
    traps::FntSetFont(old);
    traps::WinDrawLine(0, 14, 159, 14);
}

/// A message screen (the store could not be resumed, or it ended), shown until the
/// application is asked to stop.
fn message_until_stop(lines: &[&str]) {
    title("Persistent VM");
    for (i, l) in lines.iter().enumerate() {
        text(l, 2, 20 + LINE * i as i16);
    }
    text("Home returns to the app manager", 2, 148);
    wait_for_stop();
}

// ---- LAUNCH_CMD_RESUME_STORE ------------------------------------------------------------------

fn draw_status(vm: &Vm) {
    vm.save_modules();
    let g = digest::graph(&vm.heap);
    title("Persistent VM");
    let name = driver::name_str(&vm.name);
    let (suspensions, resumptions) = vm.counters();
    let lines = [
        format!("Store: {name}"),
        format!("Steps: {}", vm.sched.steps),
        format!("Threads: {} alive, {} started", threads::thread_count(&vm.heap), vm.sched.threads_started),
        format!("Live objects: {} ({} bytes)", g.objects, g.bytes),
        format!("Segments: {} ({} bytes)", vm.heap.segments.len(), vm.heap.total_bytes()),
        format!("Collections: {}", vm.heap.gc.collections),
        format!("Suspended {suspensions}x, resumed {resumptions}x"),
    ];
    for (i, l) in lines.iter().enumerate() {
        text(l, 2, 20 + LINE * i as i16);
    }
    text("Tap to run more; Home suspends", 2, 108);
    button(&format!("Run {RUN_STEPS} steps"));
}

/// Resumes the store in the parameter block, runs it while the user taps, suspends it on
/// `appStopEvent`. Returns the driver's exit codes (0 suspended, 2 refused, 3 destroyed).
fn resume_store(pbp: GuestAddr) -> u32 {
    if pbp.is_null() {
        println!("vm: launch code {:#06x} without a parameter block", codes::LAUNCH_CMD_RESUME_STORE);
        message_until_stop(&["No store was given."]);
        return driver::EXIT_USAGE;
    }
    let _card = read_u16(pbp.add(codes::resume_params::CARD_NO));
    let id = read_u32(pbp.add(codes::resume_params::DB_ID));
    let name = palm::database_name(id).unwrap_or_else(|| Vec::from(&b"?"[..]));
    let vm = match driver::resume_verbose_id(id, &name) {
        Ok(vm) => vm,
        Err(code) => {
            let n = driver::name_str(&name);
            let what = if code == driver::EXIT_REFUSED { "was refused (see the console)." } else { "was destroyed (see the console)." };
            message_until_stop(&[&format!("Store \"{n}\""), what]);
            return code;
        }
    };
    if let Err(m) = driver::print_state(&vm) {
        println!("{}", vm.destroy(&format!("unrecoverable error: {m}")));
        message_until_stop(&["The store was destroyed."]);
        return driver::EXIT_DESTROYED;
    }
    let mut vm = match run_and_show(vm, RESUME_STEPS) {
        Ok(vm) => vm,
        Err(code) => return code,
    };
    loop {
        vm.pause();
        let (kind, _, _) = next_event();
        vm.unpause();
        match kind {
            APP_STOP_EVENT => return driver::finish(vm),
            PEN_UP_EVENT => {
                vm = match run_and_show(vm, RUN_STEPS) {
                    Ok(vm) => vm,
                    Err(code) => return code,
                }
            }
            _ => {}
        }
    }
}

/// Runs `steps` steps, prints the state line and draws the status; if the program ended, the
/// store is destroyed (report printed) and the message shown until `appStopEvent`.
fn run_and_show(vm: Vm, steps: u32) -> Result<Vm, u32> {
    let vm = match driver::run_steps(vm, steps, 0) {
        Ok(vm) => vm,
        Err(code) => {
            message_until_stop(&["The program ended: the store", "was destroyed (see the console)."]);
            return Err(code);
        }
    };
    if let Err(m) = driver::print_state(&vm) {
        println!("{}", vm.destroy(&format!("unrecoverable error: {m}")));
        message_until_stop(&["The store was destroyed."]);
        return Err(driver::EXIT_DESTROYED);
    }
    draw_status(&vm);
    Ok(vm)
}

// ---- Normal launch: the stores and "New store" ----------------------------------------------

/// Every store on the card: (LocalID, name).
fn stores() -> Vec<(u32, Vec<u8>)> {
    palm::databases_by_type_creator(codes::STORE_DB_TYPE, codes::STORE_CREATOR)
        .into_iter()
        .filter_map(|id| palm::database_name(id).map(|n| (id, n)))
        .collect()
}

fn draw_list(list: &[(u32, Vec<u8>)], note: &str) {
    title("Persistent VM");
    text(if list.is_empty() { "No stores yet." } else { "Stores (tap one to run it):" }, 2, 17);
    for (i, (_, n)) in list.iter().enumerate().take(8) {
        text(&driver::name_str(n), 10, LIST_TOP + LINE * i as i16);
    }
    text(note, 2, 124);
    button("New store");
}

/// The first free name "Store N" and its number.
fn next_store_name() -> (Vec<u8>, u32) {
    let mut n = 1;
    loop {
        let name = format!("Store {n}").into_bytes();
        if palm::find_database(&name).is_none() {
            return (name, n);
        }
        n += 1;
    }
}

/// Creates the next store (seed = its number), runs [`INITIAL_STEPS`] steps, suspends it.
/// Returns a note for the screen.
fn new_store() -> String {
    let (name, n) = next_store_name();
    let o = CreateOptions { seed: n, ..Default::default() };
    let vm = match Vm::create(&name, &o) {
        Ok(vm) => vm,
        Err(m) => {
            println!("cannot create store \"{}\": {m}", driver::name_str(&name));
            return String::from("Creating a store failed.");
        }
    };
    driver::print_created(&name, &o, &vm);
    let launchable = palm::open_by_type_creator(codes::WRAPPER_DB_TYPE, codes::WRAPPER_CREATOR, palm::DM_MODE_READ_ONLY)
        .map(|db| {
            let _ = palm::close_database(db);
        })
        .is_some();
    if !launchable {
        println!("vm: no Wrapper installed: \"{}\" cannot be launched from the app manager", driver::name_str(&name));
    }
    match driver::run_steps(vm, INITIAL_STEPS, 0) {
        Ok(vm) => {
            driver::finish(vm);
            format!("Created \"{}\".", driver::name_str(&name))
        }
        Err(_) => String::from("The new store's program ended."),
    }
}

fn store_list() -> u32 {
    let mut note = String::new();
    loop {
        let list = stores();
        draw_list(&list, &note);
        let (kind, x, y) = next_event();
        match kind {
            APP_STOP_EVENT => return 0,
            PEN_UP_EVENT if in_button(x, y) => note = new_store(),
            PEN_UP_EVENT if y >= LIST_TOP && y < LIST_TOP + LINE * list.len().min(8) as i16 => {
                let (id, _) = list[((y - LIST_TOP) / LINE) as usize];
                let err = traps::SysUIAppSwitch(0, id, CMD_NORMAL_LAUNCH, GuestAddr(0));
                if err == 0 {
                    wait_for_stop();
                    return 0;
                }
                note = format!("Cannot launch it (error {err:#06x}).");
            }
            _ => {}
        }
    }
}
