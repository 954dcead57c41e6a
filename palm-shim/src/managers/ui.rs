//! The UI managers' shared state, the one field `Shim::ui` holds: the Window Manager's
//! windows and draw state (`window`), the Event Manager's queues and pen (`event_mgr`) and
//! the Form Manager's forms (`form`). The Font Manager keeps no state of its own: the current
//! font is part of the draw state.

use super::event_mgr::EventManager;
use super::form::FormManager;
use super::window::WindowManager;

/// Window Manager + Event Manager + Form Manager state.
#[derive(Debug, Clone, Default)]
pub struct UiState {
    pub(crate) windows: WindowManager,
    pub(crate) events: EventManager,
    pub(crate) forms: FormManager,
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
    /// The Form Manager (loaded forms, active form, a showing alert).
    pub fn forms(&self) -> &FormManager {
        &self.forms
    }
}
