//! The frontends of the `palmemu` command, on top of the machine's screen and input API
//! (`crate::input`): the session every frontend drives ([`session`]: run until the guest
//! waits for input, deliver input, suspend, screenshots, summary), PalmOS key characters
//! ([`keys`]), input scripts ([`script`]) and the headless runner that executes them
//! ([`headless`]), the Gremlins random-input storm ([`gremlins`]), and the minifb window with
//! the machine on its own thread ([`window`]); the default card a boot starts from when the
//! card file does not exist ([`default_card`]). The CLI (`src/bin/palmemu.rs`) only parses
//! options and picks one of them.

pub mod default_card;
pub mod gremlins;
pub mod headless;
pub mod keys;
pub mod script;
pub mod session;
pub mod window;

pub use keys::PalmKey;
pub use session::{Input, Session};
