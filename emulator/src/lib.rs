//! The emulated Palm handheld: a 68020 on Unicorn ([`cpu`], the only module that imports the
//! engine), guest memory backed by host buffers ([`ram`]), the stub ROM loader ([`rom`]), the
//! machine that ties them to the PalmOS shim ([`machine`]), the memory card ([`card`]), the
//! frontend helpers for the screen and input ([`input`]), stop reasons and fault reports
//! ([`report`]), and the frontends themselves ([`frontend`]: headless runner, input scripts,
//! Gremlins, the window). The `palmemu` binary stays thin.

pub mod card;
pub mod cpu;
pub mod frontend;
pub mod input;
pub mod machine;
pub mod ram;
pub mod report;
pub mod rom;

pub use machine::{Machine, MachineConfig, MachineError};
pub use report::{FaultKind, FaultReport, StopReason, TrapFailure};
pub use rom::{RomError, RomImage};

/// Where the guest build puts its artefacts (`scripts/build-guest.sh`), relative to the
/// workspace root.
pub const GUEST_BUILD_DIR: &str = "target/guest";

/// The workspace root as seen at compile time (for locating default artefacts).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("emulator/ has a parent").to_path_buf()
}

/// The path of a guest artefact, e.g. `guest_artifact("rom.elf")`.
pub fn guest_artifact(name: &str) -> std::path::PathBuf {
    workspace_root().join(GUEST_BUILD_DIR).join(name)
}
