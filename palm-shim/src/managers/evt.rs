//! Event Manager. For now: `EvtGetEvent`, whose first call marks the machine as booted
//! (the UI application is waiting for input), answering `nilEvent` while no input exists.

use crate::dispatch::{HandlerResult, StopRequest, TrapCall, TrapOutcome, TrapTable};
use crate::Shim;
use palm_abi::traps;

/// `EventType` is 24 bytes: eType u16 @0, penDown u8 @2, tapCount u8 @3, screenX i16 @4,
/// screenY i16 @6, data (16 bytes) @8.
pub const EVENT_SIZE: u32 = 24;
/// `nilEvent`
pub const NIL_EVENT: u16 = 0;
/// `appStopEvent`
pub const APP_STOP_EVENT: u16 = 22;

pub fn install(t: &mut TrapTable) {
    t.register(traps::EVT_GET_EVENT, evt_get_event);
}

/// `void EvtGetEvent(EventType *event, Int32 timeout)`
fn evt_get_event(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (event_p, _timeout) = { let mut a = c.args(); (a.ptr()?, a.i32()?) };
    let mut ev = [0u8; EVENT_SIZE as usize];
    ev[..2].copy_from_slice(&NIL_EVENT.to_be_bytes());
    c.mem.write(event_p, &ev)?;
    let first = !shim.booted;
    shim.booted = true;
    if first && shim.config.stop_at_boot {
        return Ok(TrapOutcome::Stop(StopRequest::Booted));
    }
    Ok(TrapOutcome::Continue)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Arg::*, Rig};
    use super::*;
    use crate::GuestMemory;

    #[test]
    fn first_call_boots_then_nil_events() {
        let mut r = Rig::new();
        r.mem.fill(0x100, EVENT_SIZE, 0xEE).unwrap();
        let out = r.call(traps::EVT_GET_EVENT, &[L(0x100), L(-1i32 as u32)]).unwrap();
        assert_eq!(out, TrapOutcome::Stop(StopRequest::Booted));
        assert_eq!(r.mem.read_u16(0x100).unwrap(), NIL_EVENT);
        assert!(r.shim.booted());
        let out = r.call(traps::EVT_GET_EVENT, &[L(0x100), L(0)]).unwrap();
        assert_eq!(out, TrapOutcome::Continue);
    }
}
