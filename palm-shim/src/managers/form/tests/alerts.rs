//! Alerts: `FrmAlert` blocks until a button is tapped and returns its index, the screen
//! under the alert comes back, `FrmCustomAlert` substitutes its strings, `appStopEvent`
//! answers the default button, missing resources are fatal.

use super::super::builder::AlertBuilder;
use super::*;

const ALERT: u16 = 3000;
const CUSTOM: u16 = 3001;

fn alert_rig() -> Rig {
    rig(vec![
        AlertBuilder::new(CONFIRMATION_ALERT, "Delete", "Delete the record?").button("OK").button("Cancel").default_button(1).resource(ALERT),
        AlertBuilder::new(INFORMATION_ALERT, "Hello", "Hello ^1, ^2^3!").button("OK").resource(CUSTOM),
    ])
}

fn session(r: &Rig) -> &crate::managers::form::alert::AlertSession {
    r.shim.ui.forms.alert.as_ref().expect("an alert is showing")
}

#[test]
fn alert_blocks_until_a_button_is_tapped() {
    let mut r = alert_rig();
    shown_form(&mut r);
    let before = screen_hash(&r);
    assert_eq!(r.call(t::FRM_ALERT, &[W(ALERT)]).unwrap(), TrapOutcome::Block);
    assert!(r.shim.ui().forms().alert_showing());
    assert_ne!(screen_hash(&r), before, "the alert is drawn");
    let s = session(&r).clone();
    assert_eq!(s.buttons.len(), 2);
    assert_eq!((s.bounds.left, s.bounds.width, s.bounds.top + s.bounds.height), (2, 156, 158), "at the bottom of the screen");
    // Its title bar and dialog frame.
    assert_eq!((px(&r, 3, s.bounds.top + 1), px(&r, 0, s.bounds.top + 5)), (BLACK, BLACK));
    // Nothing happened yet: still blocking.
    assert_eq!(r.call(t::FRM_ALERT, &[W(ALERT)]).unwrap(), TrapOutcome::Block);
    // A tap outside the buttons and keys are consumed by the alert.
    tap(&mut r, 80, (s.bounds.top + 20) as i16);
    r.shim.key(b'x' as u16, 0, 0);
    assert_eq!(r.call(t::FRM_ALERT, &[W(ALERT)]).unwrap(), TrapOutcome::Block);
    assert!(r.shim.queued_events().is_empty());
    // Pen down on OK, slide to Cancel, lift: nothing chosen.
    let (ok, cancel) = (s.buttons[0], s.buttons[1]);
    let (okx, oky) = ((ok.left + 5) as i16, (ok.top + 5) as i16);
    let (cx, cy) = ((cancel.left + 5) as i16, (cancel.top + 5) as i16);
    r.shim.pen_down(okx, oky);
    assert_eq!(r.call(t::FRM_ALERT, &[W(ALERT)]).unwrap(), TrapOutcome::Block);
    assert_eq!(px(&r, ok.left + 2, ok.top + 2), BLACK, "OK highlighted while pressed");
    r.shim.pen_move(cx, cy);
    r.shim.pen_up(cx, cy);
    assert_eq!(r.call(t::FRM_ALERT, &[W(ALERT)]).unwrap(), TrapOutcome::Block);
    assert_eq!(px(&r, ok.left + 2, ok.top + 2), WHITE);
    // A tap on Cancel: index 1, the screen restored.
    tap(&mut r, cx, cy);
    call(&mut r, t::FRM_ALERT, &[W(ALERT)]);
    assert_eq!(r.d0(), 1);
    assert!(!r.shim.ui().forms().alert_showing());
    assert_eq!(screen_hash(&r), before, "the screen under the alert is back");
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn custom_alert_substitutes_and_app_stop_answers_the_default() {
    let mut r = alert_rig();
    shown_form(&mut r);
    put_str(&mut r, TEXT, "World");
    put_str(&mut r, TEXT2, "again");
    assert_eq!(r.call(t::FRM_CUSTOM_ALERT, &[W(CUSTOM), L(TEXT), L(TEXT2), L(0)]).unwrap(), TrapOutcome::Block);
    let drawn = screen_hash(&r);
    let s = session(&r).clone();
    let ok = s.buttons[0];
    tap(&mut r, (ok.left + 3) as i16, (ok.top + 3) as i16);
    call(&mut r, t::FRM_CUSTOM_ALERT, &[W(CUSTOM), L(TEXT), L(TEXT2), L(0)]);
    assert_eq!(r.d0(), 0);
    // Another string: another picture (the message is substituted).
    put_str(&mut r, TEXT, "Earth");
    assert_eq!(r.call(t::FRM_CUSTOM_ALERT, &[W(CUSTOM), L(TEXT), L(TEXT2), L(0)]).unwrap(), TrapOutcome::Block);
    assert_ne!(screen_hash(&r), drawn);
    // The application is asked to stop: the default button, and appStopEvent stays queued.
    r.shim.post_app_stop();
    call(&mut r, t::FRM_CUSTOM_ALERT, &[W(CUSTOM), L(TEXT), L(TEXT2), L(0)]);
    assert_eq!(r.d0(), 0);
    assert_eq!(r.shim.queued_events()[0].e_type, APP_STOP_EVENT);
    r.shim.post_app_stop();
    assert_eq!(r.call(t::FRM_ALERT, &[W(ALERT)]).unwrap(), TrapOutcome::Continue);
    assert_eq!(r.d0(), 1, "the default button of ALERT is Cancel");
}

#[test]
fn missing_or_malformed_alerts_are_fatal() {
    let mut r = rig(vec![ResourceEntry { kind: ALERT_RSC_TYPE, id: 3002, data: vec![0, 0, 0, 0, 0, 1, 0, 0, b'x'] }]);
    assert_fatal(r.call(t::FRM_ALERT, &[W(4444)]).unwrap(), "no 'Talt' resource 4444");
    assert_fatal(r.call(t::FRM_ALERT, &[W(3002)]).unwrap(), "'Talt' resource 3002");
    assert!(!r.shim.ui().forms().alert_showing());
}
