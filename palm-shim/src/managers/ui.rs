//! The UI managers' shared state, the one field `Shim::ui` holds: the Window Manager's
//! windows and draw state (`window`) and the Event Manager's queues and pen (`event_mgr`).
//! The Font Manager keeps no state of its own: the current font is part of the draw state.

use super::event_mgr::EventManager;
use super::window::WindowManager;

/// Window Manager + Event Manager state.
#[derive(Debug, Clone, Default)]
pub struct UiState {
    pub(crate) windows: WindowManager,
    pub(crate) events: EventManager,
}

impl UiState {
    pub fn new() -> Self {
        Self::default()
    }
    /// The Window Manager (windows, draw state, screen depth).
    pub fn windows(&self) -> &WindowManager {
        &self.windows
    }
    /// The Event Manager (queues, pen state).
    pub fn events(&self) -> &EventManager {
        &self.events
    }
}
