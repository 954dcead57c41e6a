//! The window frontend: a minifb window showing the 160x160 display scaled up, the mouse as
//! the pen and the keyboard as keys, with the machine on a thread of its own.
//!
//! Threads and messages (crossbeam channels): the window (the calling thread) turns mouse and
//! keyboard into [`Input`]s and sends them as [`ToMachine::Input`]; the machine thread runs
//! the guest until it waits for input (`StopReason::Idle`), sends the screen when it changed
//! ([`FromMachine::Frame`]) and [`FromMachine::Idle`], then blocks until input or
//! [`ToMachine::Quit`] arrives. A guest that polls instead of waiting is run in slices, with
//! input and frames exchanged between slices. Closing the window sends `Quit`: the machine
//! thread takes the final screenshot/hash, suspends the application the PalmOS way
//! (`appStopEvent`, run until the guest exits or waits again, bounded), saves the card and
//! reports [`FromMachine::Done`].
//!
//! Mouse: the left button is the pen, read once a frame (60 per second: minifb reports no
//! button events, so a click shorter than a frame can go unseen); a press must start on the
//! window, a drag may leave it (clamped to the edge).
//!
//! Keyboard (key events, so short presses and auto-repeat count): printable characters are typed as themselves (Latin-1); Backspace, Enter, Tab,
//! Left/Right are `chrBackspace`, `chrLineFeed`, `chrTab`, `chrLeftArrow`/`chrRightArrow`;
//! Up/Page Up and Down/Page Down are the scroll buttons (`vchrPageUp`/`vchrPageDown`); Home is
//! the Home button (`vchrLaunch`); F1-F4 the application buttons (`vchrHard1`-`4`); F5 and the
//! Menu key `vchrMenu`; F6 `vchrFind`; F7 `vchrCalc` (virtual characters carry
//! `commandKeyMask`).

use super::keys::{self, PalmKey};
use super::session::{is_final, rgb_to_0rgb, Input, Session, SCREEN_SIZE};
use crate::report::StopReason;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use minifb::{Key, MouseButton, MouseMode, Scale, Window, WindowOptions};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

/// How long the machine runs a busy (polling) guest before looking at input and the screen.
const SLICE: Duration = Duration::from_millis(30);

/// Messages to the machine thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToMachine {
    Input(Input),
    /// The window closed: suspend the application, save, finish.
    Quit,
}

/// Messages from the machine thread.
#[derive(Debug)]
pub enum FromMachine {
    /// The screen changed: packed RGB888, 160 x 160.
    Frame(Vec<u8>),
    /// The guest waits for input (the last frame sent is what it shows).
    Idle,
    /// The guest stopped for good (fault, exit, ...); the window stays open showing the last
    /// screen until it is closed.
    Stopped(StopReason),
    /// The machine thread has finished.
    Done(Outcome),
}

/// How a window run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Process exit code (`report::exit_code`).
    pub exit_code: i32,
    /// The summary line, or why the machine could not start.
    pub summary: String,
}

/// What the machine thread does besides running the guest.
#[derive(Debug, Clone)]
pub struct MachineOptions {
    /// Bound for suspending the application after the window closed.
    pub suspend_limit: Duration,
    /// Write the card back here at the end (`None`: do not save).
    pub card: Option<PathBuf>,
    /// Screenshot at the end (before the application is suspended), at `scale`.
    pub screenshot: Option<PathBuf>,
    pub scale: u32,
    /// Print the screen hash line at the end (before the application is suspended).
    pub print_hash: bool,
}

/// Why no window could be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    NoDisplay,
    CannotCreate(String),
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unavailable::NoDisplay => write!(f, "no display (DISPLAY and WAYLAND_DISPLAY are unset)"),
            Unavailable::CannotCreate(e) => write!(f, "cannot open a window ({e})"),
        }
    }
}

/// Keyboard input as minifb reports it, in order: typed characters and key presses
/// (auto-repeat included). Events, not polled state, so a press shorter than a frame counts.
enum Typed {
    Char(char),
    Press(Key),
}

/// Collects [`Typed`] events from minifb's callback.
struct TypedKeys(Rc<RefCell<Vec<Typed>>>);

impl minifb::InputCallback for TypedKeys {
    fn add_char(&mut self, uni_char: u32) {
        if let Some(c) = char::from_u32(uni_char) {
            self.0.borrow_mut().push(Typed::Char(c));
        }
    }
    fn set_key_state(&mut self, key: Key, state: bool) {
        if state {
            self.0.borrow_mut().push(Typed::Press(key));
        }
    }
}

/// An open window showing the display `scale` times its size.
pub struct DisplayWindow {
    window: Window,
    typed: Rc<RefCell<Vec<Typed>>>,
    scale: usize,
    buffer: Vec<u32>,
}

/// True when a display server is advertised in the environment.
pub fn display_available() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

impl DisplayWindow {
    /// Opens the window (Wayland first, then X11, as minifb does). Fails without a display
    /// or when the client libraries cannot be loaded; never panics.
    pub fn open(title: &str, scale: u32) -> Result<Self, Unavailable> {
        if !display_available() {
            return Err(Unavailable::NoDisplay);
        }
        let scale = scale.max(1) as usize;
        let side = SCREEN_SIZE * scale;
        let options = WindowOptions { scale: Scale::X1, ..WindowOptions::default() };
        // minifb panics on some missing libraries (e.g. libxkbcommon for Wayland): keep the
        // panic quiet and report it as a failure to open.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let created = std::panic::catch_unwind(|| Window::new(title, side, side, options));
        std::panic::set_hook(hook);
        let mut window = match created {
            Ok(Ok(w)) => w,
            Ok(Err(e)) => return Err(Unavailable::CannotCreate(e.to_string())),
            Err(p) => {
                let msg =
                    p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned());
                return Err(Unavailable::CannotCreate(msg.unwrap_or_else(|| "the window library panicked".into())));
            }
        };
        window.set_target_fps(60);
        let typed = Rc::new(RefCell::new(Vec::new()));
        window.set_input_callback(Box::new(TypedKeys(typed.clone())));
        Ok(Self { window, typed, scale, buffer: vec![0x00FF_FFFF; side * side] })
    }

    fn side(&self) -> usize {
        SCREEN_SIZE * self.scale
    }

    fn show(&mut self, rgb: &[u8]) {
        self.buffer = rgb_to_0rgb(rgb, self.scale);
    }

    /// The pen position in display coordinates while the mouse is over the window (clamped
    /// to the window while a button is held).
    fn pen_position(&self, mode: MouseMode) -> Option<(i16, i16)> {
        let (x, y) = self.window.get_mouse_pos(mode)?;
        let s = self.scale as f32;
        let clamp = |v: f32| ((v / s).floor() as i32).clamp(0, SCREEN_SIZE as i32 - 1) as i16;
        Some((clamp(x), clamp(y)))
    }
}

/// The PalmOS key for a host key that is not a typed character.
pub fn special_key(key: Key) -> Option<PalmKey> {
    use keys::*;
    Some(match key {
        Key::Backspace => PalmKey::char(CHR_BACKSPACE),
        Key::Enter | Key::NumPadEnter => PalmKey::char(CHR_LINE_FEED),
        Key::Tab => PalmKey::char(CHR_TAB),
        Key::Left => PalmKey::char(CHR_LEFT_ARROW),
        Key::Right => PalmKey::char(CHR_RIGHT_ARROW),
        Key::Up | Key::PageUp => PalmKey::virtual_key(VCHR_PAGE_UP),
        Key::Down | Key::PageDown => PalmKey::virtual_key(VCHR_PAGE_DOWN),
        Key::Home => PalmKey::virtual_key(VCHR_LAUNCH),
        Key::F1 => PalmKey::virtual_key(VCHR_HARD1),
        Key::F2 => PalmKey::virtual_key(VCHR_HARD2),
        Key::F3 => PalmKey::virtual_key(VCHR_HARD3),
        Key::F4 => PalmKey::virtual_key(VCHR_HARD4),
        Key::F5 | Key::Menu => PalmKey::virtual_key(VCHR_MENU),
        Key::F6 => PalmKey::virtual_key(VCHR_FIND),
        Key::F7 => PalmKey::virtual_key(VCHR_CALC),
        _ => return None,
    })
}

/// Runs the window until it is closed (or, with `exit_when_idle`, until it has shown the
/// guest's first wait for input), with the machine built by `build` on its own thread.
/// Returns the machine thread's outcome.
pub fn run<F>(mut win: DisplayWindow, build: F, options: MachineOptions, exit_when_idle: bool) -> Outcome
where
    F: FnOnce() -> Result<Session, Outcome> + Send + 'static,
{
    let (to_machine, machine_inbox) = crossbeam_channel::unbounded::<ToMachine>();
    let (machine_outbox, from_machine) = crossbeam_channel::unbounded::<FromMachine>();
    let suspend_limit = options.suspend_limit;
    let thread = std::thread::Builder::new()
        .name("palm-machine".into())
        .spawn(move || machine_thread(build, machine_inbox, machine_outbox, options));
    let thread = match thread {
        Ok(t) => t,
        Err(e) => {
            return Outcome {
                exit_code: crate::report::exit_code::INTERNAL,
                summary: format!("cannot start the machine thread: {e}"),
            }
        }
    };

    let mut pen: Option<(i16, i16)> = None;
    let mut stopped = false;
    let mut early: Option<Outcome> = None;
    let side = win.side();
    while win.window.is_open() {
        let mut idle = false;
        for msg in from_machine.try_iter() {
            match msg {
                FromMachine::Frame(rgb) => win.show(&rgb),
                FromMachine::Idle => idle = true,
                FromMachine::Stopped(reason) => {
                    stopped = true;
                    eprintln!("palmemu: {reason}");
                    win.window.set_title("palmemu (the application stopped; close the window)");
                }
                FromMachine::Done(outcome) => early = Some(outcome),
            }
        }
        if early.is_some() {
            break;
        }
        if !stopped {
            for input in read_input(&mut win, &mut pen) {
                let _ = to_machine.send(ToMachine::Input(input));
            }
        }
        if let Err(e) = win.window.update_with_buffer(&win.buffer, side, side) {
            eprintln!("palmemu: the window failed: {e}");
            break;
        }
        if exit_when_idle && (idle || stopped) {
            break;
        }
    }
    drop(win);
    let _ = to_machine.send(ToMachine::Quit);
    let outcome = early.unwrap_or_else(|| wait_done(&from_machine, suspend_limit + Duration::from_secs(30)));
    let _ = thread.join();
    outcome
}

/// Mouse and keyboard since the last call, as inputs.
fn read_input(win: &mut DisplayWindow, pen: &mut Option<(i16, i16)>) -> Vec<Input> {
    let mut inputs = Vec::new();
    let down = win.window.get_mouse_down(MouseButton::Left);
    match (*pen, down) {
        (None, true) => {
            // Only a press that starts on the window is a pen-down.
            if let Some((x, y)) = win.pen_position(MouseMode::Discard) {
                inputs.push(Input::PenDown { x, y });
                *pen = Some((x, y));
            }
        }
        (Some(last), true) => {
            if let Some((x, y)) = win.pen_position(MouseMode::Clamp).filter(|&p| p != last) {
                inputs.push(Input::PenMove { x, y });
                *pen = Some((x, y));
            }
        }
        (Some(_), false) => {
            let (x, y) = win.pen_position(MouseMode::Clamp).or(*pen).unwrap_or((0, 0));
            inputs.push(Input::PenUp { x, y });
            *pen = None;
        }
        (None, false) => {}
    }
    for typed in win.typed.borrow_mut().drain(..) {
        let key = match typed {
            Typed::Char(c) => PalmKey::printable(c),
            Typed::Press(k) => special_key(k),
        };
        inputs.extend(key.map(Input::Key));
    }
    inputs
}

fn wait_done(from_machine: &Receiver<FromMachine>, limit: Duration) -> Outcome {
    let deadline = std::time::Instant::now() + limit;
    loop {
        match from_machine.recv_deadline(deadline) {
            Ok(FromMachine::Done(outcome)) => return outcome,
            Ok(FromMachine::Stopped(reason)) => eprintln!("palmemu: {reason}"),
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout) => {
                return Outcome {
                    exit_code: crate::report::exit_code::TIMEOUT,
                    summary: "the machine did not finish after the window closed".into(),
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return Outcome {
                    exit_code: crate::report::exit_code::INTERNAL,
                    summary: "the machine thread ended without a result".into(),
                }
            }
        }
    }
}

/// The machine thread: build, run, exchange messages, then finish (see the module docs).
fn machine_thread<F>(build: F, inbox: Receiver<ToMachine>, outbox: Sender<FromMachine>, options: MachineOptions)
where
    F: FnOnce() -> Result<Session, Outcome>,
{
    let mut session = match build() {
        Ok(s) => s,
        Err(outcome) => {
            let _ = outbox.send(FromMachine::Done(outcome));
            return;
        }
    };
    let mut shown: Option<u64> = None;
    let publish = |session: &Session, shown: &mut Option<u64>| {
        let m = session.machine();
        if m.screen_locked() {
            return; // mid-update: keep showing the last frame
        }
        let hash = m.screen_hash();
        if *shown != Some(hash) {
            *shown = Some(hash);
            let _ = outbox.send(FromMachine::Frame(m.screen_rgb()));
        }
    };
    let deliver = |session: &mut Session, msg: ToMachine| -> bool {
        match msg {
            ToMachine::Input(input) => {
                session.deliver(&input);
                true
            }
            ToMachine::Quit => false,
        }
    };
    session.boot();
    session.print_console();
    'run: loop {
        let reason = match session.status() {
            Some(r) if is_final(r) => r.clone(),
            _ => session.run_for(SLICE),
        };
        session.print_console();
        publish(&session, &mut shown);
        match reason {
            StopReason::Idle => {
                let _ = outbox.send(FromMachine::Idle);
                // Wait for input; take everything that is already queued.
                let Ok(first) = inbox.recv() else { break 'run };
                if !deliver(&mut session, first) {
                    break 'run;
                }
                for msg in inbox.try_iter() {
                    if !deliver(&mut session, msg) {
                        break 'run;
                    }
                }
            }
            StopReason::Booted | StopReason::Timeout => {
                for msg in inbox.try_iter() {
                    if !deliver(&mut session, msg) {
                        break 'run;
                    }
                }
            }
            final_stop => {
                let _ = outbox.send(FromMachine::Stopped(final_stop));
                // Hold the last screen until the window closes.
                while let Ok(ToMachine::Input(_)) = inbox.recv() {}
                break 'run;
            }
        }
    }
    let _ = outbox.send(FromMachine::Done(finish(&mut session, &options)));
}

/// After the window closed: final screenshot and hash, suspend, save.
fn finish(session: &mut Session, options: &MachineOptions) -> Outcome {
    use crate::report::exit_code;
    if let Some(path) = &options.screenshot {
        if let Err(e) = session.save_screenshot(path, options.scale) {
            return Outcome { exit_code: exit_code::BAD_INPUT, summary: e };
        }
    }
    if options.print_hash {
        println!("{}", session.hash_line());
    }
    if session.finished().is_none() {
        match session.suspend(options.suspend_limit) {
            StopReason::Idle => eprintln!("palmemu: the application did not exit on appStopEvent"),
            StopReason::Timeout => eprintln!(
                "palmemu: the application did not finish within {:.1} s of appStopEvent",
                options.suspend_limit.as_secs_f64()
            ),
            _ => {}
        }
        session.print_console();
    }
    if let Some(card) = &options.card {
        if !matches!(session.status(), Some(StopReason::EngineError(_))) {
            if let Err(e) = session.save_card(card) {
                return Outcome { exit_code: exit_code::BAD_INPUT, summary: e };
            }
        }
    }
    Outcome { exit_code: session.exit_code(), summary: session.summary() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_palm_characters() {
        assert_eq!(special_key(Key::Backspace), Some(PalmKey::char(0x08)));
        assert_eq!(special_key(Key::Enter), Some(PalmKey::char(0x0A)));
        assert_eq!(special_key(Key::PageUp), Some(PalmKey::virtual_key(0x0B)));
        assert_eq!(special_key(Key::Down), Some(PalmKey::virtual_key(0x0C)));
        assert_eq!(special_key(Key::Home), Some(PalmKey { chr: 0x0108, key_code: 0, modifiers: 0x0008 }));
        assert_eq!(special_key(Key::A), None, "typed characters come from the text callback");
    }

    #[test]
    fn no_display_no_window() {
        if display_available() {
            return;
        }
        assert_eq!(DisplayWindow::open("t", 2).err(), Some(Unavailable::NoDisplay));
    }
}
