//! A machine driven by a frontend: the run loop every frontend shares (run until the guest
//! waits for input, run for a while, deliver input, suspend the application), what it has
//! done so far (input events delivered, time spent running, the stop that ended it), and its
//! outputs (screenshots at any scale, the screen hash line, the summary line, the guest
//! console, the card).
//!
//! Stops fall in two kinds: resumable ones (`Booted`, `Idle`, `Timeout`: run again and the
//! guest continues) and final ones (exit, fault, trap failure, guest error, engine error).
//! After a final stop the session runs nothing more and keeps reporting that stop.

use super::keys::PalmKey;
use crate::machine::Machine;
use crate::report::StopReason;
use palm_shim::graphics::png_out::{encode_rgb888, scale_rgb888};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

/// Display size in pixels (both ways).
pub const SCREEN_SIZE: usize = 160;
/// Screenshot and window scales the frontends accept.
pub const SCALES: std::ops::RangeInclusive<u32> = 1..=8;

/// One user input, in display coordinates (0..160; the pen may be outside, e.g. on the
/// silk-screen area below the display).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    PenDown {
        x: i16,
        y: i16,
    },
    PenMove {
        x: i16,
        y: i16,
    },
    PenUp {
        x: i16,
        y: i16,
    },
    /// Pen down and up at the same place.
    Tap {
        x: i16,
        y: i16,
    },
    Key(PalmKey),
    /// `appStopEvent`: the application is asked to quit.
    AppStop,
}

impl Input {
    /// Hands the input to `machine`'s Event Manager; returns how many pen, key or
    /// application events that was (a tap is two; 0 if the key queue was full; a pen move
    /// while the pen is up counts although the Event Manager only records the position).
    pub fn deliver(&self, machine: &mut Machine) -> u64 {
        match *self {
            Input::PenDown { x, y } => machine.pen_down(x, y),
            Input::PenMove { x, y } => machine.pen_move(x, y),
            Input::PenUp { x, y } => machine.pen_up(x, y),
            Input::Tap { x, y } => {
                machine.tap(x, y);
                return 2;
            }
            Input::Key(k) => {
                if !machine.key(k.chr, k.key_code, k.modifiers) {
                    log::warn!("key queue full: {k:?} dropped");
                    return 0;
                }
            }
            Input::AppStop => machine.post_app_stop(),
        }
        1
    }
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::PenDown { x, y } => write!(f, "down {x} {y}"),
            Input::PenMove { x, y } => write!(f, "move {x} {y}"),
            Input::PenUp { x, y } => write!(f, "up {x} {y}"),
            Input::Tap { x, y } => write!(f, "tap {x} {y}"),
            Input::Key(k) if k.modifiers == 0 => write!(f, "key {:#06x}", k.chr),
            Input::Key(k) => write!(f, "key {:#06x} (modifiers {:#06x})", k.chr, k.modifiers),
            Input::AppStop => write!(f, "stop"),
        }
    }
}

/// True for stops after which the guest cannot continue.
pub fn is_final(reason: &StopReason) -> bool {
    !matches!(reason, StopReason::Booted | StopReason::Idle | StopReason::Timeout)
}

/// The line `hash` and `--print-hash` print: `screen-hash` and 16 hex digits.
pub fn hash_line(hash: u64) -> String {
    format!("screen-hash {hash:016x}")
}

/// A machine and its frontend's bookkeeping.
pub struct Session {
    machine: Machine,
    /// The longest a single wait for the guest may take (boot, each run until idle).
    pub step_limit: Duration,
    /// The latest stop that was not just "time's up" inside [`Session::run_for`].
    status: Option<StopReason>,
    /// The last run ended because its time was up while the guest was busy (not an error).
    busy: bool,
    events_delivered: u64,
    run_time: Duration,
}

impl Session {
    pub fn new(machine: Machine, step_limit: Duration) -> Self {
        Self { machine, step_limit, status: None, busy: false, events_delivered: 0, run_time: Duration::ZERO }
    }

    pub fn machine(&self) -> &Machine {
        &self.machine
    }
    pub fn machine_mut(&mut self) -> &mut Machine {
        &mut self.machine
    }
    /// The stop that decides the run's outcome so far (`None` before the first run).
    pub fn status(&self) -> Option<&StopReason> {
        self.status.as_ref()
    }
    /// The final stop, once there is one.
    pub fn finished(&self) -> Option<&StopReason> {
        self.status.as_ref().filter(|r| is_final(r))
    }
    /// Pen and key events queued so far.
    pub fn events_delivered(&self) -> u64 {
        self.events_delivered
    }
    /// Wall time spent inside `Machine::run`.
    pub fn run_time(&self) -> Duration {
        self.run_time
    }

    fn run_once(&mut self, limit: Duration) -> StopReason {
        let (reason, elapsed) = self.machine.run_timed(Some(limit));
        self.run_time += elapsed;
        reason
    }

    fn record(&mut self, reason: StopReason) -> StopReason {
        self.busy = false;
        self.status = Some(reason.clone());
        reason
    }

    /// The first run after power-on: to the boot stop (the first `EvtGetEvent`), or further
    /// if the machine does not stop at boot.
    pub fn boot(&mut self) -> StopReason {
        if let Some(r) = self.finished() {
            return r.clone();
        }
        let r = self.run_once(self.step_limit);
        self.record(r)
    }

    /// Runs until the guest waits for input (`Idle`), stops for good, or
    /// [`step_limit`](Self::step_limit) passes (`Timeout`). The boot stop is run through.
    pub fn run_until_idle(&mut self) -> StopReason {
        if let Some(r) = self.finished() {
            return r.clone();
        }
        let start = Instant::now();
        loop {
            let left = self.step_limit.saturating_sub(start.elapsed());
            if left.is_zero() {
                return self.record(StopReason::Timeout);
            }
            match self.run_once(left) {
                StopReason::Booted => continue,
                r => return self.record(r),
            }
        }
    }

    /// Runs for at most `time` or until the guest waits for input or stops. Returns
    /// `Timeout` when the time ran out with the guest still busy, which is not recorded as
    /// the session's status (a guest that polls is not failing).
    pub fn run_for(&mut self, time: Duration) -> StopReason {
        if let Some(r) = self.finished() {
            return r.clone();
        }
        let start = Instant::now();
        loop {
            let left = time.saturating_sub(start.elapsed());
            if left.is_zero() {
                self.busy = true;
                return StopReason::Timeout;
            }
            match self.run_once(left) {
                StopReason::Booted => continue,
                StopReason::Timeout => {
                    self.busy = true;
                    return StopReason::Timeout;
                }
                r => return self.record(r),
            }
        }
    }

    /// Queues an input's events (nothing runs).
    pub fn deliver(&mut self, input: &Input) {
        self.events_delivered += input.deliver(&mut self.machine);
    }

    /// Suspends the application the PalmOS way: posts `appStopEvent` and runs until the guest
    /// exits, waits for input again, or `limit` passes (each). When a card application
    /// returns, the UI shell runs the built-in one (the app manager) again; it gets
    /// `appStopEvent` too, so the machine ends as a device switched off (`Exit`), and `Idle`
    /// means an application ignored the event.
    pub fn suspend(&mut self, limit: Duration) -> StopReason {
        if let Some(r) = self.finished() {
            return r.clone();
        }
        let saved = std::mem::replace(&mut self.step_limit, limit);
        let card_app = self.machine.shim().current_ui_app().is_some();
        self.deliver(&Input::AppStop);
        let mut r = self.run_until_idle();
        if r == StopReason::Idle && card_app && self.machine.shim().current_ui_app().is_none() {
            self.deliver(&Input::AppStop);
            r = self.run_until_idle();
        }
        self.step_limit = saved;
        r
    }

    /// The process exit code for the run so far (see `report::exit_code`).
    pub fn exit_code(&self) -> i32 {
        self.status.as_ref().map_or(crate::report::exit_code::SUCCESS, StopReason::exit_code)
    }

    /// The screen hash line ([`hash_line`]).
    pub fn hash_line(&self) -> String {
        hash_line(self.machine.screen_hash())
    }

    /// Writes the display as an RGB PNG `scale` times its size (any of [`SCALES`]).
    pub fn save_screenshot(&self, path: &Path, scale: u32) -> Result<(), String> {
        save_png(&self.machine.screen_rgb(), path, scale)
    }

    /// Writes what the guest printed since the last call to stdout.
    pub fn print_console(&mut self) {
        let out = self.machine.shim_mut().take_console();
        if out.is_empty() {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(&out);
        if !out.ends_with(b"\n") {
            let _ = stdout.write_all(b"\n");
        }
        let _ = stdout.flush();
    }

    /// Saves the storage heap to the card file.
    pub fn save_card(&mut self, path: &Path) -> Result<(), String> {
        self.machine.save_card_file(path).map_err(|e| e.to_string())
    }

    /// The one-line summary: what the run ended with, time, input events, traps.
    pub fn summary(&self) -> String {
        let what = match (&self.status, self.busy) {
            (_, true) => "running".to_string(),
            (None, false) => "not started".to_string(),
            (Some(StopReason::Booted), false) => "booted".to_string(),
            (Some(StopReason::Idle), false) => "idle".to_string(),
            (Some(StopReason::Exit(c)), false) => format!("exited with code {c}"),
            (Some(StopReason::Timeout), false) => "time limit reached".to_string(),
            (Some(_), false) => "stopped".to_string(),
        };
        let inputs = match self.events_delivered {
            0 => String::new(),
            n => format!(" after {n} input events"),
        };
        let shim = self.machine.shim();
        format!(
            "{what}{inputs} in {:.1} ms: {} traps ({} distinct), {} trap handlers installed",
            self.run_time.as_secs_f64() * 1000.0,
            shim.total_traps(),
            shim.trap_counts().len(),
            shim.table().implemented_count(),
        )
    }
}

/// Converts the display's packed RGB888 (160 x 160) to the `0RGB` words a window shows,
/// `scale` times its size.
pub fn rgb_to_0rgb(rgb: &[u8], scale: usize) -> Vec<u32> {
    let scaled = scale_rgb888(rgb, SCREEN_SIZE, SCREEN_SIZE, scale.max(1));
    scaled.chunks_exact(3).map(|p| (p[0] as u32) << 16 | (p[1] as u32) << 8 | p[2] as u32).collect()
}

/// Writes the display's packed RGB888 (160 x 160) as a PNG `scale` times its size.
pub fn save_png(rgb: &[u8], path: &Path, scale: u32) -> Result<(), String> {
    if !SCALES.contains(&scale) {
        return Err(format!("scale {scale} is outside {}..={}", SCALES.start(), SCALES.end()));
    }
    let scaled = scale_rgb888(rgb, SCREEN_SIZE, SCREEN_SIZE, scale as usize);
    let side = SCREEN_SIZE as u32 * scale;
    let write = || -> Result<(), String> {
        let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
        let mut w = std::io::BufWriter::new(file);
        encode_rgb888(&mut w, &scaled, side, side).map_err(|e| e.to_string())?;
        w.flush().map_err(|e| e.to_string())
    };
    write().map_err(|e| format!("cannot write the screenshot {}: {e}", path.display()))
}
