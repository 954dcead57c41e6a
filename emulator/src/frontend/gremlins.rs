//! Gremlins: a seeded random storm of taps, drags and keys against the running application,
//! as PalmOS's own Gremlins tool did. The same seed gives the same actions (a SplitMix64
//! generator of our own; nothing depends on time), and the machine runs until the guest waits
//! for input after every pen or key event, so a deterministic guest ends with the same screen
//! and the same trap count. The first guest failure (fault, unimplemented trap, guest error,
//! exit, or a guest that stops coming back to `EvtGetEvent`) ends the storm and is reported
//! with the seed and the action number that reproduce it; a host panic is caught and reported
//! the same way.

use super::keys::{
    PalmKey, CHR_BACKSPACE, CHR_LEFT_ARROW, CHR_LINE_FEED, CHR_RIGHT_ARROW, CHR_TAB, VCHR_CALC, VCHR_FIND, VCHR_MENU,
    VCHR_PAGE_DOWN, VCHR_PAGE_UP,
};
use super::session::{is_final, Input, Session, SCREEN_SIZE};
use crate::report::StopReason;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Prng(u64);

impl Prng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n` > 0), by multiply-shift.
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * n as u64) >> 32) as u32
    }
    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + self.below((hi - lo) as u32) as i32
    }
}

/// One gremlin action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Tap {
        x: i16,
        y: i16,
    },
    /// Pen down at the first point, moves through the middle ones, up at the last.
    Drag(Vec<(i16, i16)>),
    Key(PalmKey),
}

impl Action {
    /// The inputs the action is made of, in order.
    pub fn inputs(&self) -> Vec<Input> {
        match self {
            &Action::Tap { x, y } => vec![Input::PenDown { x, y }, Input::PenUp { x, y }],
            Action::Drag(points) => {
                let last = points.len() - 1;
                points
                    .iter()
                    .enumerate()
                    .map(|(i, &(x, y))| match i {
                        0 => Input::PenDown { x, y },
                        i if i == last => Input::PenUp { x, y },
                        _ => Input::PenMove { x, y },
                    })
                    .collect()
            }
            &Action::Key(k) => vec![Input::Key(k)],
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Tap { x, y } => write!(f, "tap {x} {y}"),
            Action::Drag(p) => {
                write!(f, "drag")?;
                for (x, y) in p {
                    write!(f, " {x},{y}")?;
                }
                Ok(())
            }
            Action::Key(k) => write!(f, "key {:#06x} (modifiers {:#06x})", k.chr, k.modifiers),
        }
    }
}

/// Special keys gremlins press (never `vchrLaunch` or power: like PalmOS's Gremlins, the
/// storm stays in the application).
const SPECIAL_KEYS: [PalmKey; 10] = [
    PalmKey::char(CHR_BACKSPACE),
    PalmKey::char(CHR_LINE_FEED),
    PalmKey::char(CHR_TAB),
    PalmKey::char(CHR_LEFT_ARROW),
    PalmKey::char(CHR_RIGHT_ARROW),
    PalmKey::virtual_key(VCHR_PAGE_UP),
    PalmKey::virtual_key(VCHR_PAGE_DOWN),
    PalmKey::virtual_key(VCHR_MENU),
    PalmKey::virtual_key(VCHR_FIND),
    PalmKey::virtual_key(VCHR_CALC),
];

/// The deterministic action sequence of a seed.
pub struct Actions(Prng);

impl Actions {
    pub fn new(seed: u64) -> Self {
        Self(Prng::new(seed))
    }

    /// A pen position: mostly on the display, sometimes on the silk-screen area below it,
    /// rarely off the digitizer altogether.
    fn point(&mut self) -> (i16, i16) {
        let r = &mut self.0;
        let side = SCREEN_SIZE as i32;
        match r.below(16) {
            0 => (r.range(-20, side + 20) as i16, r.range(-20, 240) as i16),
            1 | 2 => (r.range(0, side) as i16, r.range(side, 220) as i16),
            _ => (r.range(0, side) as i16, r.range(0, side) as i16),
        }
    }
}

impl Iterator for Actions {
    type Item = Action;
    fn next(&mut self) -> Option<Action> {
        let kind = self.0.below(100);
        Some(match kind {
            0..=44 => {
                let (x, y) = self.point();
                Action::Tap { x, y }
            }
            45..=64 => {
                let n = 2 + self.0.below(7) as usize;
                let mut points = vec![self.point()];
                for _ in 1..n {
                    let (x, y) = *points.last().unwrap();
                    let (dx, dy) = (self.0.range(-24, 25), self.0.range(-24, 25));
                    points.push(((x as i32 + dx) as i16, (y as i32 + dy) as i16));
                }
                Action::Drag(points)
            }
            65..=89 => Action::Key(PalmKey::char(self.0.range(0x20, 0x7F) as u16)),
            90..=93 => Action::Key(PalmKey::char(self.0.range(0xA0, 0x100) as u16)),
            _ => Action::Key(SPECIAL_KEYS[self.0.below(SPECIAL_KEYS.len() as u32) as usize]),
        })
    }
}

/// What ended a storm early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The guest stopped for good, or did not return to waiting for input in time
    /// (`StopReason::Timeout`).
    Guest(StopReason),
    /// The host panicked (a bug in the emulator): the panic message.
    HostPanic(String),
}

/// A storm's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub seed: u64,
    /// Actions asked for.
    pub requested: u64,
    /// Actions whose every event was delivered and processed.
    pub completed: u64,
    /// Pen and key events queued.
    pub events: u64,
    /// Traps the guest called, boot included.
    pub traps: u64,
    pub screen_hash: u64,
    pub elapsed: Duration,
    /// The failure, with the number (1-based; 0 = during boot) and description of the action
    /// it happened in.
    pub failure: Option<(u64, String, Failure)>,
}

impl Report {
    /// The one-line summary.
    pub fn summary(&self) -> String {
        format!(
            "gremlins: seed {}: {} of {} actions ({} pen/key events) delivered, {} traps, screen {:016x}, {:.1} s",
            self.seed,
            self.completed,
            self.requested,
            self.events,
            self.traps,
            self.screen_hash,
            self.elapsed.as_secs_f64()
        )
    }
}

/// Boots the session's guest to its first wait for input, then runs `count` actions of
/// `seed`, running the guest after every event.
pub fn run(session: &mut Session, seed: u64, count: u64) -> Report {
    let start = Instant::now();
    let mut completed = 0;
    let failure = run_storm(session, seed, count, &mut completed);
    let m = session.machine();
    Report {
        seed,
        requested: count,
        completed,
        events: session.events_delivered(),
        traps: m.shim().total_traps(),
        screen_hash: m.screen_hash(),
        elapsed: start.elapsed(),
        failure,
    }
}

fn run_storm(session: &mut Session, seed: u64, count: u64, completed: &mut u64) -> Option<(u64, String, Failure)> {
    let settle = |session: &mut Session| -> Result<(), Failure> {
        match catch_unwind(AssertUnwindSafe(|| session.run_until_idle())) {
            Ok(StopReason::Idle) => Ok(()),
            Ok(r) if r == StopReason::Timeout || is_final(&r) => Err(Failure::Guest(r)),
            Ok(_) => Ok(()),
            Err(panic) => Err(Failure::HostPanic(panic_message(panic.as_ref()))),
        }
    };
    if let Err(f) = settle(session) {
        return Some((0, "boot".into(), f));
    }
    for (i, action) in Actions::new(seed).take(count as usize).enumerate() {
        for input in action.inputs() {
            let delivered = catch_unwind(AssertUnwindSafe(|| session.deliver(&input)));
            let result = match delivered {
                Ok(()) => settle(session),
                Err(panic) => Err(Failure::HostPanic(panic_message(panic.as_ref()))),
            };
            if let Err(f) = result {
                return Some((i as u64 + 1, action.to_string(), f));
            }
        }
        *completed += 1;
    }
    None
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_actions_different_seed_different_actions() {
        let a: Vec<Action> = Actions::new(7).take(500).collect();
        let b: Vec<Action> = Actions::new(7).take(500).collect();
        let c: Vec<Action> = Actions::new(8).take(500).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        // Every kind shows up, and drags have 2..=8 points.
        assert!(a.iter().any(|x| matches!(x, Action::Tap { .. })));
        assert!(a.iter().any(|x| matches!(x, Action::Key(k) if k.modifiers != 0)));
        assert!(a.iter().any(|x| matches!(x, Action::Key(k) if (0x20..0x7F).contains(&k.chr))));
        for x in &a {
            if let Action::Drag(p) = x {
                assert!((2..=8).contains(&p.len()));
            }
        }
        assert!(a.iter().all(|x| !matches!(x, Action::Key(k) if k.chr == 0x0108)), "never vchrLaunch");
    }

    #[test]
    fn prng_is_splitmix64() {
        // SplitMix64 reference values for seed 0.
        let mut r = Prng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let mut r = Prng::new(1);
        assert!((0..10_000).all(|_| r.below(7) < 7));
    }

    #[test]
    fn drag_inputs_are_down_moves_up() {
        let a = Action::Drag(vec![(1, 1), (2, 2), (3, 3)]);
        assert_eq!(
            a.inputs(),
            [Input::PenDown { x: 1, y: 1 }, Input::PenMove { x: 2, y: 2 }, Input::PenUp { x: 3, y: 3 }]
        );
        assert_eq!(Action::Tap { x: 5, y: 6 }.inputs().len(), 2);
    }
}
