//! The default card: what a boot starts from when the card file does not exist yet, or holds
//! no database (a card saved empty, e.g. before the guest build made the default card). It
//! holds the bundled applications, every `.prc` (and `.pdb`) file in the default-apps
//! directory, which `scripts/build-guest.sh` fills (`target/guest/default-card/`: HelloApp,
//! Counter, Memos) next to the ROM. `palmemu --default-apps DIR` picks another directory,
//! `--no-default-apps` starts from an empty card. Once the run saves the card, the next boot
//! loads it instead.

use crate::card::{read_database_file, CardOpError};
use crate::Machine;
use std::path::{Path, PathBuf};

/// The name of the default-apps directory next to the ROM image.
pub const DEFAULT_APPS_DIR: &str = "default-card";

/// Where the bundled applications of a ROM are: `default-card/` beside the ROM file.
pub fn default_apps_dir(rom: &Path) -> PathBuf {
    rom.parent().unwrap_or(Path::new(".")).join(DEFAULT_APPS_DIR)
}

/// The `.prc`/`.pdb` files in `dir`, sorted by file name; none if `dir` does not exist.
pub fn default_app_files(dir: &Path) -> Result<Vec<PathBuf>, CardOpError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| CardOpError::Io { path: dir.to_owned(), source })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("prc") || e.eq_ignore_ascii_case("pdb"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Installs the default card's databases (every file of [`default_app_files`]) into the
/// machine's storage heap; returns their database names.
pub fn install_default_apps(m: &mut Machine, dir: &Path) -> Result<Vec<String>, CardOpError> {
    let mut names = Vec::new();
    for f in default_app_files(dir)? {
        let db = read_database_file(&f)?;
        m.install_database(&db)?;
        names.push(String::from_utf8_lossy(db.name()).into_owned());
    }
    Ok(names)
}
