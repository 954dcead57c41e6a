//! Modal alerts: `FrmAlert(alertID)` and `FrmCustomAlert(alertID, s1, s2, s3)` from `Talt`
//! resources.
//!
//! The first execution of the trap loads the resource (a missing or malformed one is a
//! fatal error), replaces `^1`..`^3` in the message (`FrmCustomAlert`; NULL reads as an
//! empty string), saves the screen under the alert and draws it over everything: a dialog
//! frame, the title bar, an icon for the alert type, the word-wrapped message and the buttons
//! in a row at the bottom. Then it consumes input itself: pen events and keys from the
//! Event Manager's queue (a pen-down on a button highlights it, moving off un-highlights it,
//! the pen coming up on the same button chooses it) and application events other than
//! `appStopEvent`, which dismisses the alert with its default button and stays queued for
//! the application. Until a button is chosen the trap **blocks** (`TrapOutcome::Block`; PC
//! on the trap, the run stops `Idle`) and runs again when input has arrived, continuing the
//! same alert ([`AlertSession`]). When a button is chosen the screen is restored and its
//! index returned in D0.

use super::draw::{centred_text, resource_data, screen_canvas, Canvas};
use super::resource::{substitute, AlertResource};
use super::{done, fatal, MAX_UI_TEXT};
use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome};
use crate::graphics::{self as g, FontId, FrameType, Rect};
use crate::managers::event_mgr::Source;
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::ui_layout::*;

/// The alert's window: 156 pixels wide inside its 2-pixel frame, at the bottom of the screen.
pub const ALERT_WIDTH: i32 = 156;
pub const ALERT_LEFT: i32 = 2;
/// Where the message starts (right of the icon) and the icon's size.
const MESSAGE_LEFT: i32 = 34;
const ICON_SIZE: i32 = 22;
const TOP_MARGIN: i32 = 16;
const BUTTON_HEIGHT: i32 = 12;
const BUTTON_MIN_WIDTH: i32 = 36;
const BUTTON_GAP: i32 = 6;
const BUTTON_LEFT: i32 = 6;

/// An alert on the screen, waiting for a button (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSession {
    pub alert_id: u16,
    /// The alert window in display coordinates (inside its frame).
    pub bounds: Rect,
    /// The buttons in display coordinates.
    pub buttons: Vec<Rect>,
    labels: Vec<Vec<u8>>,
    pub default_button: u16,
    /// Off-screen window holding the screen under the alert and its frame.
    saved: u32,
    saved_at: (i32, i32),
    /// The button the pen went down on, while it is down.
    pressed: Option<usize>,
}

impl AlertSession {
    /// The button containing display point (`x`, `y`).
    pub fn button_at(&self, x: i32, y: i32) -> Option<usize> {
        self.buttons.iter().position(|b| b.contains(x, y))
    }
}

/// Word-wraps `text` to `width` pixels in `font`.
fn wrap(font: FontId, text: &[u8], width: i32) -> Vec<Vec<u8>> {
    let f = g::font(font);
    let mut lines = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let n = f.word_wrap(&text[at..], width).max(1);
        let line = &text[at..at + n];
        lines.push(line.strip_suffix(b"\n").unwrap_or(line).to_vec());
        at += n;
    }
    lines
}

fn icon_letter(alert_type: u16) -> &'static [u8] {
    match alert_type {
        CONFIRMATION_ALERT => b"?",
        WARNING_ALERT => b"!",
        ERROR_ALERT => b"X",
        _ => b"i",
    }
}

fn draw_button(cv: &Canvas, mem: &mut dyn GuestMemory, r: &Rect, label: &[u8], pressed: bool) -> Result<(), MemError> {
    let st = cv.unclipped();
    g::erase_rectangle(&cv.surface, mem, &st, r, 0)?;
    if pressed {
        g::draw_rectangle(&cv.surface, mem, &st, r, 2)?;
    }
    centred_text(cv, mem, &st, FontId::Std, label, r, pressed)?;
    g::draw_rectangle_frame(&cv.surface, mem, &st, FrameType::ROUND, r)
}

/// Lays out, saves the screen under and draws an alert.
fn open(s: &mut Shim, mem: &mut dyn GuestMemory, alert_id: u16, alert: &AlertResource, message: &[u8]) -> Result<Option<AlertSession>, MemError> {
    let Some(cv) = screen_canvas(s, mem)? else { return Ok(None) };
    let std = g::font(FontId::Std);
    let mut lines = wrap(FontId::Std, message, ALERT_WIDTH - MESSAGE_LEFT - BUTTON_LEFT);
    // Keep the buttons on the screen: drop what does not fit.
    let max_lines = ((160 - 4 - TOP_MARGIN - 8 - BUTTON_HEIGHT - 6) / std.line_height()) as usize;
    lines.truncate(max_lines);
    let text_height = (lines.len() as i32 * std.line_height()).max(ICON_SIZE);
    let buttons_top = TOP_MARGIN + text_height + 8;
    let height = buttons_top + BUTTON_HEIGHT + 6;
    let top = (160 - 2 - height).max(2);
    let bounds = Rect::new(ALERT_LEFT, top, ALERT_WIDTH, height);
    let frame = FrameType::DIALOG;
    let area = g::frame_bounds(frame, &bounds);
    let saved = super::draw::save_bits(s, mem, &cv, &area)?;
    let st = cv.unclipped();
    let surface = &cv.surface;
    g::erase_rectangle(surface, mem, &st, &bounds, 0)?;
    g::draw_rectangle_frame(surface, mem, &st, frame, &bounds)?;
    // Title bar.
    let bar = Rect::new(bounds.left, bounds.top, bounds.width, super::draw::TITLE_HEIGHT - 1);
    g::draw_rectangle(surface, mem, &st, &bar, 0)?;
    centred_text(&cv, mem, &st, FontId::Bold, &alert.title, &bar, true)?;
    // Icon: a circle with the type's letter.
    let icon = Rect::new(bounds.left + 6, bounds.top + TOP_MARGIN, ICON_SIZE, ICON_SIZE);
    g::draw_rectangle(surface, mem, &st, &icon, ICON_SIZE)?;
    centred_text(&cv, mem, &st, FontId::Bold, icon_letter(alert.alert_type), &icon, true)?;
    // Message.
    for (i, line) in lines.iter().enumerate() {
        g::draw_chars(surface, mem, &st, FontId::Std, line, bounds.left + MESSAGE_LEFT, bounds.top + TOP_MARGIN + i as i32 * std.line_height())?;
    }
    // Buttons.
    let mut x = bounds.left + BUTTON_LEFT;
    let mut rects = Vec::new();
    for label in &alert.buttons {
        let w = (std.chars_width(label) + 10).max(BUTTON_MIN_WIDTH);
        let r = Rect::new(x, bounds.top + buttons_top, w, BUTTON_HEIGHT);
        draw_button(&cv, mem, &r, label, false)?;
        rects.push(r);
        x += w + BUTTON_GAP;
    }
    Ok(Some(AlertSession {
        alert_id,
        bounds,
        buttons: rects,
        labels: alert.buttons.clone(),
        default_button: alert.default_button,
        saved,
        saved_at: (area.left, area.top),
        pressed: None,
    }))
}

/// Restores the screen under an alert.
fn close(s: &mut Shim, mem: &mut dyn GuestMemory, a: &AlertSession) -> Result<(), MemError> {
    if a.saved != 0 {
        if let Some(cv) = screen_canvas(s, mem)? {
            super::draw::restore_bits(s, mem, &cv, a.saved, a.saved_at.0, a.saved_at.1)?;
        }
    }
    Ok(())
}

/// Consumes queued input for the alert; the chosen button, if any.
fn consume_input(s: &mut Shim, mem: &mut dyn GuestMemory, a: &mut AlertSession) -> Result<Option<u16>, MemError> {
    let cv = screen_canvas(s, mem)?;
    while let Some((e, from)) = s.ui.events.peek() {
        if from == Source::App {
            if e.e_type == APP_STOP_EVENT {
                return Ok(Some(a.default_button));
            }
            s.ui.events.pop(from);
            continue;
        }
        s.ui.events.pop(from);
        let (x, y) = (e.screen_x as i32, e.screen_y as i32);
        let show = |mem: &mut dyn GuestMemory, a: &AlertSession, i: usize, pressed: bool| -> Result<(), MemError> {
            match &cv {
                Some(cv) => draw_button(cv, mem, &a.buttons[i], &a.labels[i], pressed),
                None => Ok(()),
            }
        };
        match e.e_type {
            PEN_DOWN_EVENT => {
                a.pressed = a.button_at(x, y);
                if let Some(i) = a.pressed {
                    show(mem, a, i, true)?;
                }
            }
            PEN_MOVE_EVENT => {
                if let Some(i) = a.pressed {
                    show(mem, a, i, a.buttons[i].contains(x, y))?;
                }
            }
            PEN_UP_EVENT => {
                let (ex, ey) = (e.u16_at(event_data::pen_up::END_X) as i16 as i32, e.u16_at(event_data::pen_up::END_Y) as i16 as i32);
                if let Some(i) = a.pressed.take() {
                    show(mem, a, i, false)?;
                    if a.buttons[i].contains(ex, ey) {
                        return Ok(Some(i as u16));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(None)
}

/// `FrmAlert` / `FrmCustomAlert` (see the module documentation).
fn run(s: &mut Shim, c: &mut TrapCall<'_>, alert_id: u16, args: Option<[u32; 3]>) -> HandlerResult {
    let mut session = match s.ui.forms.alert.take() {
        Some(a) if a.alert_id == alert_id => a,
        other => {
            if let Some(old) = other {
                close(s, c.mem, &old)?;
            }
            let Some((p, size)) = resource_data(s, c.mem, ALERT_RSC_TYPE, alert_id) else {
                return fatal(c, "Form.c", format!("no 'Talt' resource {alert_id}"));
            };
            let bytes = c.mem.read_vec(p, size)?;
            let alert = match AlertResource::parse(&bytes) {
                Ok(a) => a,
                Err(e) => return fatal(c, "Form.c", format!("'Talt' resource {alert_id}: {e}")),
            };
            let message = match args {
                Some(ptrs) => {
                    let mut texts: [Vec<u8>; 3] = Default::default();
                    for (t, p) in texts.iter_mut().zip(ptrs) {
                        if p != 0 {
                            *t = c.mem.read_cstr(p, MAX_UI_TEXT)?;
                        }
                    }
                    substitute(&alert.message, [&texts[0], &texts[1], &texts[2]])
                }
                None => alert.message.clone(),
            };
            match open(s, c.mem, alert_id, &alert, &message)? {
                Some(a) => a,
                None => {
                    // No display to draw on: answer the default button.
                    c.ret(alert.default_button as u32);
                    return done();
                }
            }
        }
    };
    match consume_input(s, c.mem, &mut session)? {
        Some(button) => {
            close(s, c.mem, &session)?;
            c.ret(button as u32);
            done()
        }
        None => {
            s.ui.forms.alert = Some(session);
            Ok(TrapOutcome::Block)
        }
    }
}

/// `UInt16 FrmAlert(UInt16 alertId)`
pub(crate) fn frm_alert(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    run(s, c, id, None)
}

/// `UInt16 FrmCustomAlert(UInt16 alertId, const Char *s1, const Char *s2, const Char *s3)`
pub(crate) fn frm_custom_alert(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (id, s1, s2, s3) = { let mut a = c.args(); (a.u16()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    run(s, c, id, Some([s1, s2, s3]))
}
