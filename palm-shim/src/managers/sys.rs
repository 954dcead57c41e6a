//! System Manager, Time Manager and Error Manager traps that need no other manager:
//! random numbers, ticks and seconds, task delay, trap addresses, shared-library lookup,
//! fatal alerts.

use crate::dispatch::{HandlerResult, StopRequest, TrapCall, TrapOutcome, TrapTable};
use crate::Shim;
use palm_abi::{errors, memmap, traps};

/// `sysTicksPerSecond` on DragonBall devices.
pub const TICKS_PER_SECOND: u32 = 100;
/// Seconds from 1904-01-01 (the PalmOS epoch) to 1970-01-01.
pub const PALM_EPOCH_OFFSET: u64 = 2_082_844_800;

pub fn install(t: &mut TrapTable) {
    t.register(traps::SYS_RANDOM, sys_random);
    t.register(traps::SYS_TICKS_PER_SECOND, sys_ticks_per_second);
    t.register(traps::TIM_GET_TICKS, tim_get_ticks);
    t.register(traps::TIM_GET_SECONDS, tim_get_seconds);
    t.register(traps::SYS_TASK_DELAY, sys_task_delay);
    t.register(traps::SYS_GET_TRAP_ADDRESS, sys_get_trap_address);
    t.register(traps::SYS_LIB_FIND, sys_lib_find);
    t.register(traps::SYS_FATAL_ALERT, sys_fatal_alert);
    t.register(traps::ERR_DISPLAY_FILE_LINE_MSG, err_display_file_line_msg);
}

/// `Int16 SysRandom(Int32 newSeed)`: a nonzero seed reseeds; returns 0..=0x7FFF
/// (`sysRandomMax`) from a 32-bit linear congruential generator.
fn sys_random(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let seed = c.args().u32()?;
    if seed != 0 {
        shim.random_seed = seed;
    }
    shim.random_seed = shim.random_seed.wrapping_mul(0x41C6_4E6D).wrapping_add(0x3039);
    c.ret((shim.random_seed >> 16) & 0x7FFF);
    Ok(TrapOutcome::Continue)
}

/// `UInt16 SysTicksPerSecond(void)`
fn sys_ticks_per_second(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(TICKS_PER_SECOND);
    Ok(TrapOutcome::Continue)
}

/// `UInt32 TimGetTicks(void)`
fn tim_get_ticks(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(shim.ticks() as u32);
    Ok(TrapOutcome::Continue)
}

/// `UInt32 TimGetSeconds(void)`: seconds since 1904-01-01.
fn tim_get_seconds(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(shim.seconds_now());
    Ok(TrapOutcome::Continue)
}

/// `Err SysTaskDelay(Int32 delay)`: advances virtual time by `delay` ticks without sleeping.
fn sys_task_delay(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let delay = c.args().i32()?;
    shim.tick_offset += delay.max(0) as u64;
    c.ret(errors::ERR_NONE as u32);
    Ok(TrapOutcome::Continue)
}

/// `void *SysGetTrapAddress(UInt16 trapNum)`: the ROM stub that performs the trap, so the
/// result is callable; NULL when the ROM has no stubs or the number is out of range.
fn sys_get_trap_address(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let n = traps::normalize(c.args().u16()?);
    let index = (n - traps::SYS_TRAP_BASE) as u32;
    let addr = match shim.config.trap_stub_base {
        Some(base) if index < memmap::DISPATCH_TABLE_ENTRIES => base + index * memmap::TRAP_STUB_SIZE,
        _ => 0,
    };
    c.ret_ptr(addr);
    Ok(TrapOutcome::Continue)
}

/// `Err SysLibFind(const Char *nameP, UInt16 *refNumP)`: no shared libraries are installed.
fn sys_lib_find(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let name_p = c.args().ptr()?;
    let name = c.mem.read_cstr(name_p, 32)?;
    log::debug!("SysLibFind({:?}): not installed", String::from_utf8_lossy(&name));
    c.ret(errors::SYS_ERR_LIB_NOT_FOUND as u32);
    Ok(TrapOutcome::Continue)
}

/// `UInt16 SysFatalAlert(const Char *msg)`: on a device this shows a Reset dialog; here the
/// run stops with the message.
fn sys_fatal_alert(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let msg = c.args().ptr()?;
    let text = String::from_utf8_lossy(&c.mem.read_cstr(msg, 256)?).into_owned();
    c.ret(0);
    Ok(TrapOutcome::Stop(StopRequest::FatalAlert(text)))
}

/// `void ErrDisplayFileLineMsg(const Char *filename, UInt16 lineNo, const Char *msg)`
fn err_display_file_line_msg(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (file_p, line, msg_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?) };
    let file = String::from_utf8_lossy(&c.mem.read_cstr(file_p, 256)?).into_owned();
    let message = String::from_utf8_lossy(&c.mem.read_cstr(msg_p, 256)?).into_owned();
    Ok(TrapOutcome::Stop(StopRequest::ErrDisplay { file, line, message }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Arg::*, Rig};
    use super::*;
    use crate::GuestMemory;

    #[test]
    fn random_is_seeded_and_bounded() {
        let mut r = Rig::new();
        r.call(traps::SYS_RANDOM, &[L(1)]).unwrap();
        let first = r.d0();
        r.call(traps::SYS_RANDOM, &[L(0)]).unwrap();
        let second = r.d0();
        r.call(traps::SYS_RANDOM, &[L(1)]).unwrap();
        assert_eq!(r.d0(), first, "reseeding repeats the sequence");
        assert!(first <= 0x7FFF && second <= 0x7FFF);
        assert_ne!(first, second);
    }

    #[test]
    fn delay_advances_ticks_and_seconds_are_palm_epoch() {
        let mut r = Rig::new();
        r.call(traps::TIM_GET_TICKS, &[]).unwrap();
        let t0 = r.d0();
        r.call(traps::SYS_TASK_DELAY, &[L(250)]).unwrap();
        r.call(traps::TIM_GET_TICKS, &[]).unwrap();
        assert!(r.d0() >= t0 + 250);
        r.call(traps::TIM_GET_SECONDS, &[]).unwrap();
        assert!(r.d0() >= 3_000_000_002);
    }

    #[test]
    fn trap_address_points_at_the_stub() {
        let mut r = Rig::new();
        r.call(traps::SYS_GET_TRAP_ADDRESS, &[W(traps::MEM_SET)]).unwrap();
        assert_eq!(r.a0(), 0x1000_0400 + 0x27 * 6);
    }

    #[test]
    fn fatal_alert_and_err_display_stop_with_text() {
        let mut r = Rig::new();
        r.mem.write(0x100, b"boom\0").unwrap();
        r.mem.write(0x120, b"app.c\0").unwrap();
        let out = r.call(traps::SYS_FATAL_ALERT, &[L(0x100)]).unwrap();
        assert_eq!(out, TrapOutcome::Stop(StopRequest::FatalAlert("boom".into())));
        let out = r.call(traps::ERR_DISPLAY_FILE_LINE_MSG, &[L(0x120), W(42), L(0x100)]).unwrap();
        assert_eq!(out, TrapOutcome::Stop(StopRequest::ErrDisplay { file: "app.c".into(), line: 42, message: "boom".into() }));
    }

    #[test]
    fn lib_find_reports_not_found() {
        let mut r = Rig::new();
        r.mem.write(0x100, b"Net.lib\0").unwrap();
        r.call(traps::SYS_LIB_FIND, &[L(0x100), L(0x200)]).unwrap();
        assert_eq!(r.d0(), errors::SYS_ERR_LIB_NOT_FOUND as u32);
    }
}
