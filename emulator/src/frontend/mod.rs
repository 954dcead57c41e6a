//! The frontends of the `palmemu` command, on top of the machine's screen and input API
//! (`crate::input`): the session every frontend drives ([`session`]: run until the guest
//! waits for input, deliver input, suspend, screenshots, summary), PalmOS key characters
//! ([`keys`]), input scripts ([`script`]) and the headless runner that executes them
//! ([`headless`]), the Gremlins random-input storm ([`gremlins`]), and the minifb window with
//! the machine on its own thread ([`window`]). The CLI (`src/bin/palmemu.rs`) only parses
//! options and picks one of them.

pub mod gremlins;
pub mod headless;
pub mod keys;
pub mod script;
pub mod session;
pub mod window;

pub use keys::PalmKey;
pub use session::{Input, Session};
