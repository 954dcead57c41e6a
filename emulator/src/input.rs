//! Frontend helpers on [`Machine`]: the screen as RGB pixels, a fingerprint or a PNG
//! screenshot, and input injection (pen, keys, `appStopEvent`). A frontend's loop is: run
//! until [`StopReason::Idle`](crate::StopReason::Idle) (the guest waits in `EvtGetEvent`),
//! show the screen, turn user input into these calls, run again. Pen coordinates are display
//! pixels (0..160); see `docs/ui-managers.md` for the events they become.

use crate::machine::Machine;
use palm_abi::ui_layout::EventType;
use palm_shim::graphics::png_out::PngError;
use palm_shim::graphics::{write_png, Surface};
use std::path::Path;

impl Machine {
    /// The display's pixels in guest memory (160x160 at the current screen depth).
    pub fn screen_surface(&self) -> Surface {
        self.shim().screen_surface()
    }

    /// The display as packed RGB888: 160 x 160 x 3 bytes, row-major, through the system
    /// palette of the current depth. (All white if the framebuffer could not be read, which
    /// cannot happen on a machine whose memory is mapped.)
    pub fn screen_rgb(&self) -> Vec<u8> {
        let s = self.screen_surface();
        s.to_rgb888(self.ram()).unwrap_or_else(|_| vec![0xFF; s.width as usize * s.height as usize * 3])
    }

    /// A stable fingerprint of what the display shows (`Surface::rgb_hash`: the same picture
    /// hashes the same at every depth).
    pub fn screen_hash(&self) -> u64 {
        let s = self.screen_surface();
        s.rgb_hash(self.ram()).unwrap_or(0)
    }

    /// Writes the display as an RGB PNG, `scale` (1..=4) times its size.
    pub fn save_screenshot(&self, path: impl AsRef<Path>, scale: u32) -> Result<(), PngError> {
        write_png(&self.screen_surface(), self.ram(), path, scale)
    }

    /// True while the guest holds `WinScreenLock` (the screen may be mid-update).
    pub fn screen_locked(&self) -> bool {
        self.shim().screen_locked()
    }

    /// The stylus touches the display at `(x, y)`: a `penDownEvent`.
    pub fn pen_down(&mut self, x: i16, y: i16) {
        self.shim_mut().pen_down(x, y);
    }

    /// The stylus moves to `(x, y)`: a `penMoveEvent` while it is down.
    pub fn pen_move(&mut self, x: i16, y: i16) {
        self.shim_mut().pen_move(x, y);
    }

    /// The stylus leaves the display at `(x, y)`: a `penUpEvent`.
    pub fn pen_up(&mut self, x: i16, y: i16) {
        self.shim_mut().pen_up(x, y);
    }

    /// A tap: pen down and up at `(x, y)`.
    pub fn tap(&mut self, x: i16, y: i16) {
        self.pen_down(x, y);
        self.pen_up(x, y);
    }

    /// A key press: a `keyDownEvent` (`chr`, `key_code`, `modifiers` as in
    /// `palm_abi::ui_layout`). `false` if the key queue is full.
    pub fn key(&mut self, chr: u16, key_code: u16, modifiers: u16) -> bool {
        self.shim_mut().key(chr, key_code, modifiers)
    }

    /// Asks the running application to quit: an `appStopEvent`.
    pub fn post_app_stop(&mut self) {
        self.shim_mut().post_app_stop();
    }

    /// The events waiting for the guest's next `EvtGetEvent` calls, in delivery order.
    pub fn queued_events(&self) -> Vec<EventType> {
        self.shim().queued_events()
    }
}
