//! The headless frontend: runs input-script commands ([`super::script`]) against a booted
//! [`Session`], printing the guest's console, `hash` lines and what went wrong as it goes.
//!
//! Input commands deliver their events and then run the guest until it waits for input again;
//! a guest that does not come back within the session's step limit stops the script (exit
//! code 7), as does any final stop (exit, fault, unimplemented trap, ...), after which only
//! `screenshot` and `hash` still run. `wait` is the command for guests that poll.

use super::script::{Command, ScriptLine};
use super::session::{is_final, Session};
use crate::report::StopReason;
use std::io::Write;

/// Why running the commands failed on the host side (guest failures are the session's
/// status, not errors here).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct HeadlessError {
    pub origin: String,
    pub message: String,
}

/// Runs `commands` in order. Screenshots are written `scale` times the display's size; `hash`
/// lines go to `out`. After a final stop, or a guest that did not return to waiting for input,
/// the remaining commands that run the guest are skipped (said once on stderr); screenshots
/// and hashes still run.
pub fn run_commands(
    session: &mut Session,
    commands: &[ScriptLine],
    scale: u32,
    out: &mut dyn Write,
) -> Result<(), HeadlessError> {
    // Where the guest stopped for good (or stopped coming back): input after it is skipped.
    let mut stopped_at: Option<&str> = session.finished().map(|_| "boot");
    let mut skipping = false;
    for line in commands {
        let fail = |message: String| HeadlessError { origin: line.origin.clone(), message };
        if let (true, Some(origin)) = (line.command.runs_guest(), stopped_at) {
            if !skipping {
                eprintln!("palmemu: {}: the guest stopped at {origin}; the rest of the input is skipped", line.origin);
                skipping = true;
            }
            continue;
        }
        let reason = match &line.command {
            Command::Input(input) => {
                session.deliver(input);
                Some(session.run_until_idle())
            }
            Command::Idle => Some(session.run_until_idle()),
            Command::Wait(time) => match session.run_for(*time) {
                StopReason::Timeout => None, // still busy after the wait: fine
                r => Some(r),
            },
            Command::Screenshot(path) => {
                session.save_screenshot(path, scale).map_err(fail)?;
                None
            }
            Command::Hash => {
                writeln!(out, "{}", session.hash_line()).map_err(|e| fail(e.to_string()))?;
                let _ = out.flush();
                None
            }
        };
        session.print_console();
        match reason {
            Some(StopReason::Timeout) => {
                eprintln!(
                    "palmemu: {}: the guest did not wait for input within {:.1} s",
                    line.origin,
                    session.step_limit.as_secs_f64()
                );
                stopped_at = Some(&line.origin);
            }
            // Reported by the caller with the session's status.
            Some(r) if is_final(&r) => stopped_at = Some(&line.origin),
            _ => {}
        }
    }
    Ok(())
}
