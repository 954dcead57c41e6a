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

/// Applications launched and not yet returned, outermost first.
#[derive(Debug, Clone, Default)]
pub struct LaunchState {
    pub running: Vec<AppContext>,
}

pub fn install(t: &mut TrapTable) {
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

/// `Err SysAppLaunch(UInt16 cardNo, LocalID dbID, UInt16 launchFlags, UInt16 cmd,
/// MemPtr cmdPBP, UInt32 *resultP)`: runs the application's start-up code with its own
/// globals as a sub-launch on the caller's stack and returns when it does.
fn sys_app_launch(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (_card, db_id, launch_flags, cmd, cmd_pbp, result_p) =
        { let mut a = c.args(); (a.u16()?, a.u32()?, a.u16()?, a.u16()?, a.ptr()?, a.ptr()?) };
    let (ctx, entry) = match prepare(s, c, db_id, launch_flags, cmd, cmd_pbp) {
        Ok(v) => v,
        Err(e) => {
            c.ret(e as u32);
            return Ok(TrapOutcome::Continue);
        }
    };
    log::debug!("SysAppLaunch dbID {db_id:#x} cmd {cmd:#06x}: entry {entry:#010x}, A5 {:#010x}", ctx.a5);
    if ctx.a5 != 0 {
        s.set_callee_a5(ctx.a5);
    }
    s.launch.running.push(ctx);
    Ok(TrapOutcome::CallGuest {
        target: entry,
        args: Vec::new(),
        resume: Box::new(move |s, c, result| {
            let Some(ctx) = s.launch.running.pop() else {
                c.ret(SYS_ERR_PARAM_ERR as u32);
                return Ok(TrapOutcome::Continue);
            };
            release(s, c.mem, &ctx);
            if result_p != 0 {
                c.mem.write_u32(result_p, result)?;
            }
            c.ret(ERR_NONE as u32);
            Ok(TrapOutcome::Continue)
        }),
    })
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
