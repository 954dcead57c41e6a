//! Launching applications (System Manager): `SysAppLaunch` builds an application's A5 world
//! from its `code` 0 and `data` 0 resources (see `app_image`), locks `code` 1 in place in the
//! storage heap and runs it as a guest call with its own A5; the start-up code asks
//! `SysAppStartup` for its `SysAppInfoType` and calls `PilotMain`. When the entry returns, the
//! launch finishes: result stored, globals freed, `code` 1 unlocked, database closed.
//! `SysAppExit`, `SysCurAppDatabase` and `SysGetAppInfo` answer from the stack of running
//! applications.

use crate::app_image::A5World;
use crate::data_mgr::{mode, ChunkStore, HeapKind};
use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::memory::GuestMemory;
use crate::Shim;
use palm_abi::app_layout::{app_info, flags, res};
use palm_abi::errors::*;
use palm_abi::traps;

/// One running application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppContext {
    pub db_id: u32,
    pub open_ref: u32,
    /// Its `SysAppInfoType` (dynamic heap).
    pub app_info: u32,
    /// Its globals chunk (dynamic heap), 0 if it has none.
    pub globals: u32,
    pub a5: u32,
    pub code1: u32,
    pub cmd: u16,
}

/// What the UI shell runs next when the current UI application returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextUiApp {
    /// An application on the card (`SysUIAppSwitch`).
    Card { db_id: u32, cmd: u16, cmd_pbp: u32 },
    /// The ROM's built-in application, the app manager (Home).
    BuiltIn,
}

/// Applications launched and not yet returned, outermost first, and the UI shell's state.
#[derive(Debug, Clone, Default)]
pub struct LaunchState {
    pub running: Vec<AppContext>,
    /// Set by `SysUIAppSwitch` and Home; taken when the current UI application returns.
    pub next_ui_app: Option<NextUiApp>,
    /// Entry of the ROM's built-in application (`guest_main`), to return to after a card
    /// application when nothing else is asked for.
    pub built_in_entry: Option<u32>,
    /// Applications that got `sysAppLaunchCmdSystemReset` since power-on.
    pub reset_sent: Vec<u32>,
    /// The card application the UI shell is running, if any.
    pub ui_app: Option<u32>,
}

pub fn install(t: &mut TrapTable) {
    t.register(traps::SYS_UI_APP_SWITCH, sys_ui_app_switch);
    t.register(traps::SYS_HANDLE_EVENT, sys_handle_event);
    t.register(traps::SYS_APP_LAUNCH, sys_app_launch);
    t.register(traps::SYS_APP_STARTUP, sys_app_startup);
    t.register(traps::SYS_APP_EXIT, sys_app_exit);
    t.register(traps::SYS_CUR_APP_DATABASE, sys_cur_app_database);
    t.register(traps::SYS_GET_APP_INFO, sys_get_app_info);
}

/// A resource's bytes from an open resource database.
fn resource_bytes(s: &mut Shim, mem: &dyn GuestMemory, open_ref: u32, kind: u32, id: u16) -> Option<Vec<u8>> {
    let h = s.dm.resources(open_ref).ok()?.iter().find(|r| r.kind == kind && r.id == id)?.handle?;
    let size = s.memory.handle_size(mem, h).ok()?;
    let p = s.memory.deref(mem, h).ok()?;
    mem.read_vec(p, size).ok()
}

/// Everything a launch allocated, released on failure or when the application returns.
fn release(s: &mut Shim, mem: &mut dyn GuestMemory, ctx: &AppContext) {
    if ctx.app_info != 0 {
        let _ = s.memory.free_chunk(mem, ctx.app_info);
    }
    if ctx.globals != 0 {
        let _ = s.memory.free_chunk(mem, ctx.globals);
    }
    if ctx.code1 != 0 {
        let _ = s.memory.unlock_handle(mem, ctx.code1);
    }
    let _ = s.dm.close(&mut s.memory, mem, ctx.open_ref);
}

/// Prepares everything for running an application; on error nothing stays allocated.
fn prepare(s: &mut Shim, c: &mut TrapCall<'_>, db_id: u32, launch_flags: u16, cmd: u16, cmd_pbp: u32) -> Result<(AppContext, u32), u16> {
    let open_ref = s.dm.open(&mut s.memory, c.mem, db_id, mode::READ_ONLY)?;
    let mut ctx = AppContext { db_id, open_ref, app_info: 0, globals: 0, a5: 0, code1: 0, cmd };
    let result = (|| {
        let code1 = s
            .dm
            .resources(open_ref)
            .ok()
            .and_then(|r| r.iter().find(|r| r.kind == res::CODE && r.id == 1).and_then(|r| r.handle))
            .ok_or(DM_ERR_RESOURCE_NOT_FOUND)?;
        let code0 = resource_bytes(s, &*c.mem, open_ref, res::CODE, 0);
        let data0 = resource_bytes(s, &*c.mem, open_ref, res::DATA, 0);
        let mut world = match &code0 {
            Some(code0) => Some(A5World::build(code0, data0.as_deref()).map_err(|e| {
                log::warn!("SysAppLaunch: bad code 0 / data 0: {e}");
                SYS_ERR_PARAM_ERR
            })?),
            None => None,
        };
        let entry = s.memory.lock_handle(c.mem, code1).map_err(|e| e.code())?;
        ctx.code1 = code1;
        if let Some(w) = &mut world {
            let size = w.code0.world_size().max(4);
            ctx.globals = ChunkStore::alloc_ptr(&mut s.memory, c.mem, HeapKind::Dynamic, size)?;
            ctx.a5 = ctx.globals + w.code0.below_a5;
            w.relocate(ctx.a5, entry);
            c.mem.write(ctx.globals, &w.bytes).map_err(|_| MEM_ERR_INVALID_PARAM)?;
        }
        ctx.app_info = ChunkStore::alloc_ptr(&mut s.memory, c.mem, HeapKind::Dynamic, app_info::SIZE)?;
        let ai = ctx.app_info;
        let mut image = [0u8; app_info::SIZE as usize];
        let put = |img: &mut [u8], at: u32, bytes: &[u8]| img[at as usize..at as usize + bytes.len()].copy_from_slice(bytes);
        put(&mut image, app_info::CMD, &cmd.to_be_bytes());
        put(&mut image, app_info::CMD_PBP, &cmd_pbp.to_be_bytes());
        let launched_flags = launch_flags | flags::NEW_GLOBALS | flags::DATA_RELOCATED;
        put(&mut image, app_info::LAUNCH_FLAGS, &launched_flags.to_be_bytes());
        put(&mut image, app_info::CODE_H, &code1.to_be_bytes());
        put(&mut image, app_info::DB_P, &open_ref.to_be_bytes());
        put(&mut image, app_info::GLOBALS_CHUNK_P, &ctx.globals.to_be_bytes());
        put(&mut image, app_info::A5_PTR, &ctx.a5.to_be_bytes());
        c.mem.write(ai, &image).map_err(|_| MEM_ERR_INVALID_PARAM)?;
        Ok(entry)
    })();
    match result {
        Ok(entry) => Ok((ctx, entry)),
        Err(e) => {
            release(s, c.mem, &ctx);
            Err(e)
        }
    }
}

/// Starts a prepared application as a guest call; `then` runs when its entry returns, after
/// the launch's resources are released, with the entry's D0.
fn call_app(
    s: &mut Shim,
    ctx: AppContext,
    entry: u32,
    then: Box<dyn FnOnce(&mut Shim, &mut TrapCall<'_>, u32) -> HandlerResult>,
) -> HandlerResult {
    log::debug!("launching dbID {:#x} cmd {:#06x}: entry {entry:#010x}, A5 {:#010x}", ctx.db_id, ctx.cmd, ctx.a5);
    if ctx.a5 != 0 {
        s.set_callee_a5(ctx.a5);
    }
    s.launch.running.push(ctx);
    Ok(TrapOutcome::CallGuest {
        target: entry,
        args: Vec::new(),
        resume: Box::new(move |s, c, result| {
            if let Some(ctx) = s.launch.running.pop() {
                release(s, c.mem, &ctx);
            }
            then(s, c, result)
        }),
    })
}

/// The UI shell: the current UI application returned with `code`; run what comes next. A
/// card application first gets `sysAppLaunchCmdSystemReset` once per power-on, then its
/// launch; after a card application the built-in one runs again. With nothing to run the
/// machine stops with `code`.
pub(crate) fn run_next_ui_app(s: &mut Shim, c: &mut TrapCall<'_>, code: u32) -> HandlerResult {
    s.launch.ui_app = None;
    match s.launch.next_ui_app.take() {
        None => Ok(TrapOutcome::Stop(crate::StopRequest::Exit(code))),
        Some(NextUiApp::BuiltIn) => match s.launch.built_in_entry {
            Some(entry) => Ok(TrapOutcome::CallGuest {
                target: entry,
                args: Vec::new(),
                resume: Box::new(run_next_ui_app),
            }),
            None => Ok(TrapOutcome::Stop(crate::StopRequest::Exit(code))),
        },
        Some(NextUiApp::Card { db_id, cmd, cmd_pbp }) => {
            if !s.launch.reset_sent.contains(&db_id) {
                s.launch.reset_sent.push(db_id);
                // First run since power-on: sysAppLaunchCmdSystemReset, then the real launch.
                let (ctx, entry) = match prepare(s, c, db_id, flags::SUB_CALL, palm_abi::app_layout::CMD_SYSTEM_RESET, 0) {
                    Ok(v) => v,
                    Err(e) => return launch_failed(s, c, db_id, e),
                };
                s.launch.next_ui_app = Some(NextUiApp::Card { db_id, cmd, cmd_pbp });
                return call_app(s, ctx, entry, Box::new(|s, c, _| run_next_ui_app(s, c, 0)));
            }
            let (ctx, entry) = match prepare(s, c, db_id, flags::UI_APP, cmd, cmd_pbp) {
                Ok(v) => v,
                Err(e) => {
                    free_param_block(s, c.mem, cmd_pbp);
                    return launch_failed(s, c, db_id, e);
                }
            };
            s.launch.ui_app = Some(db_id);
            call_app(s, ctx, entry, Box::new(move |s, c, result| {
                free_param_block(s, c.mem, cmd_pbp);
                if s.launch.next_ui_app.is_none() {
                    s.launch.next_ui_app = Some(NextUiApp::BuiltIn);
                }
                run_next_ui_app(s, c, result)
            }))
        }
    }
}

/// The parameter block `SysUIAppSwitch` handed over belongs to the system (its owner is 0)
/// and is freed once the application it was for has returned (or could not start).
fn free_param_block(s: &mut Shim, mem: &mut dyn crate::memory::GuestMemory, p: u32) {
    if p != 0 {
        if let Err(e) = s.memory.free_chunk(mem, p) {
            log::debug!("SysUIAppSwitch parameter block {p:#010x} not freed: {e}");
        }
    }
}

/// A UI application could not be started: log it and go back to the app manager.
fn launch_failed(s: &mut Shim, c: &mut TrapCall<'_>, db_id: u32, e: u16) -> HandlerResult {
    log::warn!("cannot launch dbID {db_id:#x}: {}", palm_abi::errors::error_name(e).unwrap_or("error"));
    s.launch.next_ui_app = Some(NextUiApp::BuiltIn);
    run_next_ui_app(s, c, e as u32)
}

/// `Err SysUIAppSwitch(UInt16 cardNo, LocalID dbID, UInt16 cmd, MemPtr cmdPBP)`: the current
/// UI application gets `appStopEvent`; when it returns, the UI shell starts the new one.
fn sys_ui_app_switch(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (_card, db_id, cmd, cmd_pbp) = { let mut a = c.args(); (a.u16()?, a.u32()?, a.u16()?, a.ptr()?) };
    if s.dm.database(db_id).is_none_or(|d| !d.is_resource_db()) {
        c.ret(DM_ERR_CANT_FIND as u32);
        return Ok(TrapOutcome::Continue);
    }
    // A switch asked for earlier and not started yet is replaced: its block goes.
    if let Some(NextUiApp::Card { cmd_pbp: old, .. }) = s.launch.next_ui_app {
        if old != cmd_pbp {
            free_param_block(s, c.mem, old);
        }
    }
    s.launch.next_ui_app = Some(NextUiApp::Card { db_id, cmd, cmd_pbp });
    s.post_app_stop();
    c.ret(ERR_NONE as u32);
    Ok(TrapOutcome::Continue)
}

/// `Boolean SysHandleEvent(EventType *eventP)`: system-wide keys. Home (`vchrLaunch`) quits
/// the current application for the app manager; everything else is left to the application.
fn sys_handle_event(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    use palm_abi::ui_layout::{event_data, EventType, COMMAND_KEY_MASK, KEY_DOWN_EVENT};
    let p = c.args().ptr()?;
    let mut raw = [0u8; EventType::LEN as usize];
    c.mem.read(p, &mut raw)?;
    let e = EventType::decode(&raw);
    let home = e.e_type == KEY_DOWN_EVENT
        && e.u16_at(event_data::key_down::CHR) == palm_abi::app_layout::VCHR_LAUNCH
        && e.u16_at(event_data::key_down::MODIFIERS) & COMMAND_KEY_MASK != 0;
    if home && s.launch.ui_app.is_some() {
        s.launch.next_ui_app = Some(NextUiApp::BuiltIn);
        s.post_app_stop();
    }
    c.ret(home as u32);
    Ok(TrapOutcome::Continue)
}

/// `Err SysAppLaunch(UInt16 cardNo, LocalID dbID, UInt16 launchFlags, UInt16 cmd,
/// MemPtr cmdPBP, UInt32 *resultP)`: runs the application's start-up code with its own
/// globals as a sub-launch on the caller's stack and returns when it does.
fn sys_app_launch(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (_card, db_id, launch_flags, cmd, cmd_pbp, result_p) =
        { let mut a = c.args(); (a.u16()?, a.u32()?, a.u16()?, a.u16()?, a.ptr()?, a.ptr()?) };
    let (ctx, entry) = match prepare(s, c, db_id, launch_flags | flags::SUB_CALL, cmd, cmd_pbp) {
        Ok(v) => v,
        Err(e) => {
            c.ret(e as u32);
            return Ok(TrapOutcome::Continue);
        }
    };
    call_app(s, ctx, entry, Box::new(move |_, c, result| {
        if result_p != 0 {
            c.mem.write_u32(result_p, result)?;
        }
        c.ret(ERR_NONE as u32);
        Ok(TrapOutcome::Continue)
    }))
}

/// `Err SysAppStartup(SysAppInfoPtr *appInfoPP, MemPtr *prevGlobalsPtrP, MemPtr *globalsPtrP)`
fn sys_app_startup(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (info_pp, prev_p, globals_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.ptr()?) };
    let Some(ctx) = s.launch.running.last().cloned() else {
        c.ret(SYS_ERR_PARAM_ERR as u32);
        return Ok(TrapOutcome::Continue);
    };
    for (p, v) in [(info_pp, ctx.app_info), (prev_p, 0), (globals_p, ctx.globals)] {
        if p != 0 {
            c.mem.write_u32(p, v)?;
        }
    }
    c.ret(ERR_NONE as u32);
    Ok(TrapOutcome::Continue)
}

/// `Err SysAppExit(SysAppInfoPtr appInfoP, MemPtr prevGlobalsP, MemPtr globalsP)`: the launch
/// releases everything when the entry returns, so this only checks the argument.
fn sys_app_exit(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let info = c.args().ptr()?;
    let known = s.launch.running.iter().any(|a| a.app_info == info);
    c.ret(if known { ERR_NONE } else { SYS_ERR_PARAM_ERR } as u32);
    Ok(TrapOutcome::Continue)
}

/// `Err SysCurAppDatabase(UInt16 *cardNoP, LocalID *dbIDP)`
fn sys_cur_app_database(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (card_p, id_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    let Some(ctx) = s.launch.running.last() else {
        c.ret(SYS_ERR_PARAM_ERR as u32);
        return Ok(TrapOutcome::Continue);
    };
    let id = ctx.db_id;
    if card_p != 0 {
        c.mem.write_u16(card_p, 0)?;
    }
    if id_p != 0 {
        c.mem.write_u32(id_p, id)?;
    }
    c.ret(ERR_NONE as u32);
    Ok(TrapOutcome::Continue)
}

/// `SysAppInfoPtr SysGetAppInfo(SysAppInfoPtr *uiAppPP, SysAppInfoPtr *actionCodeAppPP)`: the
/// current application's info; the outermost running application counts as the UI app.
fn sys_get_app_info(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (ui_pp, action_pp) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    let ui = s.launch.running.first().map_or(0, |a| a.app_info);
    let current = s.launch.running.last().map_or(0, |a| a.app_info);
    if ui_pp != 0 {
        c.mem.write_u32(ui_pp, ui)?;
    }
    if action_pp != 0 {
        c.mem.write_u32(action_pp, current)?;
    }
    c.ret_ptr(current);
    Ok(TrapOutcome::Continue)
}
