//! The machine's memory card: loading a card file into the storage heap at power-on (laid out
//! afresh, optionally relocated with a seed so addresses differ from run to run), installing
//! and exporting `.prc`/`.pdb` files, and saving the storage heap back to the card file
//! crash-safely.

use crate::machine::{Machine, MachineError};
use palm_abi::memmap;
use palm_shim::card::{CardError, CardImage};
use palm_shim::data_mgr::transfer::InstallError;
use palm_shim::managers::memory_mgr::{RelocationReport, STORAGE_HEAP_ID};
use palm_shim::pdb::DatabaseFile;
use std::path::{Path, PathBuf};

/// Errors of card operations.
#[derive(Debug, thiserror::Error)]
pub enum CardOpError {
    #[error(transparent)]
    Card(#[from] CardError),
    #[error("cannot install {file}: {source}")]
    Install { file: String, source: InstallError },
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a valid PalmOS database: {source}")]
    BadFile { path: PathBuf, source: palm_shim::pdb::PdbError },
    #[error("no database named {0:?} on the card")]
    NoSuchDatabase(String),
    #[error("database {name:?} is open and cannot be deleted")]
    Busy { name: String },
    #[error(transparent)]
    Machine(#[from] MachineError),
    #[error("relocating the storage heap failed: {0}")]
    Relocation(String),
}

/// The default card file: `$PALMEMU_CARD`, else `$XDG_DATA_HOME/palmemu/card.palmcard`, else
/// `~/.local/share/palmemu/card.palmcard`.
pub fn default_card_path() -> PathBuf {
    if let Some(p) = std::env::var_os("PALMEMU_CARD") {
        return PathBuf::from(p);
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("palmemu").join("card.palmcard")
}

/// Reads and validates a `.prc`/`.pdb` file.
pub fn read_database_file(path: &Path) -> Result<DatabaseFile, CardOpError> {
    let bytes = std::fs::read(path).map_err(|source| CardOpError::Io { path: path.to_owned(), source })?;
    DatabaseFile::parse(&bytes).map_err(|source| CardOpError::BadFile { path: path.to_owned(), source })
}

impl Machine {
    /// Installs every database of a card into the (empty) storage heap.
    pub fn load_card_image(&mut self, card: &CardImage) -> Result<(), CardOpError> {
        let st = self.state_mut();
        let (dm, mm) = st.shim.data_and_memory();
        dm.load_card(mm, &mut st.ram, card).map_err(|source| CardOpError::Install { file: "card".into(), source })?;
        self.storage_rewritten()?;
        self.card_generation = card.generation;
        Ok(())
    }

    /// Loads a card file if it exists (a missing file is an empty card).
    pub fn load_card_file(&mut self, path: &Path) -> Result<usize, CardOpError> {
        if !path.exists() {
            return Ok(0);
        }
        let card = CardImage::load(path)?;
        self.load_card_image(&card)?;
        Ok(card.databases.len())
    }

    /// The storage heap's databases as a card image (next generation).
    pub fn card_image(&self) -> CardImage {
        let st = self.state();
        st.shim.data_manager().to_card(st.shim.memory(), &st.ram, self.card_generation + 1)
    }

    /// Saves the storage heap to a card file (crash-safe replace).
    pub fn save_card_file(&mut self, path: &Path) -> Result<(), CardOpError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| CardOpError::Io { path: dir.to_owned(), source })?;
        }
        let card = self.card_image();
        card.save(path)?;
        self.card_generation = card.generation;
        Ok(())
    }

    /// Installs a database; returns its dbID.
    pub fn install_database(&mut self, file: &DatabaseFile) -> Result<u32, CardOpError> {
        let st = self.state_mut();
        let (dm, mm) = st.shim.data_and_memory();
        let id = dm
            .install(mm, &mut st.ram, file)
            .map_err(|source| CardOpError::Install { file: String::from_utf8_lossy(file.name()).into_owned(), source })?;
        self.storage_rewritten()?;
        Ok(id)
    }

    /// The database named `name` as a file image.
    pub fn export_database(&self, name: &str) -> Result<DatabaseFile, CardOpError> {
        let st = self.state();
        let dm = st.shim.data_manager();
        let i = dm.find_by_name(name.as_bytes()).ok_or_else(|| CardOpError::NoSuchDatabase(name.into()))?;
        let id = dm.databases()[i].id();
        dm.export(st.shim.memory(), &st.ram, id).ok_or_else(|| CardOpError::NoSuchDatabase(name.into()))
    }

    /// Deletes the database named `name`.
    pub fn delete_database(&mut self, name: &str) -> Result<(), CardOpError> {
        let st = self.state_mut();
        let (dm, mm) = st.shim.data_and_memory();
        let i = dm.find_by_name(name.as_bytes()).ok_or_else(|| CardOpError::NoSuchDatabase(name.into()))?;
        let id = dm.databases()[i].id();
        dm.delete(mm, &mut st.ram, id).map_err(|_| CardOpError::Busy { name: name.into() })?;
        self.storage_rewritten()?;
        Ok(())
    }

    /// Moves every unlocked chunk of the storage heap to new addresses chosen by `seed`
    /// (flipping 4-byte alignment where it can), then rewrites the database headers.
    pub fn relocate_storage(&mut self, seed: u64) -> Result<RelocationReport, CardOpError> {
        let st = self.state_mut();
        let (dm, mm) = st.shim.data_and_memory();
        let report = mm.relocate_unlocked(&mut st.ram, STORAGE_HEAP_ID, seed).map_err(|e| CardOpError::Relocation(e.to_string()))?;
        dm.sync_all_headers(mm, &mut st.ram);
        self.storage_rewritten()?;
        Ok(report)
    }

    /// The host rewrote storage-heap bytes (installed, deleted or moved chunks): drop the CPU's
    /// translations of code it ran there before (an application's `code` 1 runs in place), or
    /// a launch at an address where other code used to be would run the stale translation.
    fn storage_rewritten(&mut self) -> Result<(), MachineError> {
        self.invalidate_code(memmap::STORAGE_HEAP.base, memmap::STORAGE_HEAP.size)
    }
}
