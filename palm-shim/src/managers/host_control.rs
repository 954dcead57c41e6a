//! `HostControl` (0xA344): the emulator's own services for guest programs, by selector
//! (`palm_abi::host`): console output, panic and wasm-trap reports, program exit.

use crate::dispatch::{HandlerResult, StopRequest, TrapCall, TrapError, TrapOutcome, TrapTable};
use crate::Shim;
use palm_abi::{host, traps};

/// Longest console write or panic message accepted in one call.
pub const MAX_MESSAGE: u32 = 64 * 1024;

pub fn install(t: &mut TrapTable) {
    t.register(traps::HOST_CONTROL, host_control);
}

/// `UInt32 HostControl(HostControlSelectorType selector, ...)`
fn host_control(shim: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let mut a = c.args();
    let selector = a.u16()?;
    match selector {
        host::HOST_CONSOLE_WRITE => {
            let (ptr, len) = (a.ptr()?, a.u32()?);
            let bytes = c.mem.read_vec(ptr, len.min(MAX_MESSAGE))?;
            shim.console_append(&bytes);
            c.ret(0);
            Ok(TrapOutcome::Continue)
        }
        host::HOST_GUEST_PANIC => {
            let (ptr, len) = (a.ptr()?, a.u32()?);
            let bytes = c.mem.read_vec(ptr, len.min(MAX_MESSAGE))?;
            Ok(TrapOutcome::Stop(StopRequest::GuestPanic(String::from_utf8_lossy(&bytes).into_owned())))
        }
        host::HOST_EXIT => {
            let code = a.u32()?;
            Ok(TrapOutcome::Stop(StopRequest::Exit(code)))
        }
        host::HOST_WASM_TRAP => {
            let kind = a.u32()?;
            Ok(TrapOutcome::Stop(StopRequest::WasmTrap(kind)))
        }
        host::HOST_GET_ARGS => {
            let (buf, max) = (a.ptr()?, a.u32()?);
            let args = shim.program_args().to_vec();
            let n = (args.len() as u32).min(max);
            c.mem.write(buf, &args[..n as usize])?;
            c.ret(args.len() as u32);
            Ok(TrapOutcome::Continue)
        }
        host::HOST_UI_SHELL => {
            let code = a.u32()?;
            super::launch::run_next_ui_app(shim, c, code)
        }
        // The waiting trap continues; it has set PC and A7 itself.
        host::HOST_CALLBACK_RETURN => shim.finish_guest_call(c).map_err(Into::into),
        _ => Err(TrapError::UnimplementedHostSelector { selector }.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{Arg::*, Rig};
    use super::*;
    use crate::GuestMemory;

    #[test]
    fn console_exit_panic_and_unknown_selector() {
        let mut r = Rig::new();
        r.mem.write(0x100, b"hello").unwrap();
        r.call(traps::HOST_CONTROL, &[W(host::HOST_CONSOLE_WRITE), L(0x100), L(5)]).unwrap();
        assert_eq!(r.shim.console(), b"hello");
        let out = r.call(traps::HOST_CONTROL, &[W(host::HOST_EXIT), L(7)]).unwrap();
        assert_eq!(out, TrapOutcome::Stop(StopRequest::Exit(7)));
        let out = r.call(traps::HOST_CONTROL, &[W(host::HOST_GUEST_PANIC), L(0x100), L(4)]).unwrap();
        assert_eq!(out, TrapOutcome::Stop(StopRequest::GuestPanic("hell".into())));
        r.shim.set_program_args(b"resume 42");
        r.call(traps::HOST_CONTROL, &[W(host::HOST_GET_ARGS), L(0x200), L(6)]).unwrap();
        assert_eq!(r.d0(), 9, "full length");
        assert_eq!(r.mem.read_vec(0x200, 7).unwrap(), b"resume\0");
        let e = r.call(traps::HOST_CONTROL, &[W(0x0100)]).unwrap_err();
        assert_eq!(e, TrapError::UnimplementedHostSelector { selector: 0x0100 });
    }
}
