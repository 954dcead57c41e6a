//! The memory card on the host disk: the storage heap's databases persisted between emulator
//! runs, like battery-backed RAM. The format is documented in `docs/card-format.md`; in
//! short (all integers big-endian):
//!
//! ```text
//! 0   magic "PALMCARD"
//! 8   format version u16 (CARD_FORMAT_VERSION), reserved u16 = 0
//! 12  generation u64       incremented by every save
//! 20  database count u32
//! 24  header CRC-32 u32    of bytes 0..24
//! 28  databases, each: length u32, CRC-32 u32 of the image, the image (.prc/.pdb bytes)
//! ..  trailer: "CARDEND!" then CRC-32 u32 of every byte before the trailer
//! ```
//!
//! Saving is crash-safe: the new card is written to a temporary file in the same directory,
//! flushed to disk, renamed over the old one, and the directory is flushed. A reader after a
//! crash at any point therefore finds the complete old card or the complete new one. Loading
//! verifies every checksum and parses every database before returning anything.

use crate::pdb::{DatabaseFile, PdbError};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const CARD_MAGIC: &[u8; 8] = b"PALMCARD";
pub const CARD_TRAILER: &[u8; 8] = b"CARDEND!";
/// Current format version; older versions are listed in docs/card-format.md.
pub const CARD_FORMAT_VERSION: u16 = 1;
const HEADER_SIZE: usize = 28;

#[derive(Debug, Error)]
pub enum CardError {
    #[error("card file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("card file {path} is not a card (bad magic)")]
    BadMagic { path: PathBuf },
    #[error("card file {path} has format version {found}; this build reads up to {supported}")]
    UnsupportedVersion { path: PathBuf, found: u16, supported: u16 },
    #[error("card file {path} is truncated at byte {at} ({what})")]
    Truncated { path: PathBuf, at: usize, what: &'static str },
    #[error("card file {path}: checksum mismatch in {what}")]
    Checksum { path: PathBuf, what: String },
    #[error("card file {path}: database {index} is malformed: {source}")]
    Database { path: PathBuf, index: usize, source: PdbError },
    #[error("card file {path} has {extra} unexpected bytes after the trailer")]
    TrailingBytes { path: PathBuf, extra: usize },
}

/// The card's contents: every database, in catalog order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardImage {
    pub generation: u64,
    pub databases: Vec<DatabaseFile>,
}

impl CardImage {
    /// Serialises the card (including the checksums).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(CARD_MAGIC);
        out.extend_from_slice(&CARD_FORMAT_VERSION.to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes());
        out.extend_from_slice(&self.generation.to_be_bytes());
        out.extend_from_slice(&(self.databases.len() as u32).to_be_bytes());
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        for db in &self.databases {
            let image = db.to_bytes();
            out.extend_from_slice(&(image.len() as u32).to_be_bytes());
            out.extend_from_slice(&crc32fast::hash(&image).to_be_bytes());
            out.extend_from_slice(&image);
        }
        let total = crc32fast::hash(&out);
        out.extend_from_slice(CARD_TRAILER);
        out.extend_from_slice(&total.to_be_bytes());
        out
    }

    /// Parses and verifies a card; `path` is only used in error messages.
    pub fn parse(path: &Path, b: &[u8]) -> Result<Self, CardError> {
        let p = || path.to_owned();
        let need = |at: usize, n: usize, what: &'static str| {
            if b.len() < at + n {
                Err(CardError::Truncated { path: p(), at: b.len(), what })
            } else {
                Ok(())
            }
        };
        need(0, 8, "magic")?;
        if &b[..8] != CARD_MAGIC {
            return Err(CardError::BadMagic { path: p() });
        }
        need(0, HEADER_SIZE, "header")?;
        let be32 = |at: usize| u32::from_be_bytes(b[at..at + 4].try_into().unwrap());
        let version = u16::from_be_bytes([b[8], b[9]]);
        if version == 0 || version > CARD_FORMAT_VERSION {
            return Err(CardError::UnsupportedVersion { path: p(), found: version, supported: CARD_FORMAT_VERSION });
        }
        if crc32fast::hash(&b[..24]) != be32(24) {
            return Err(CardError::Checksum { path: p(), what: "header".into() });
        }
        let generation = u64::from_be_bytes(b[12..20].try_into().unwrap());
        let count = be32(20) as usize;
        let mut at = HEADER_SIZE;
        let mut images = Vec::with_capacity(count.min(4096));
        for index in 0..count {
            need(at, 8, "database length and checksum")?;
            let (len, crc) = (be32(at) as usize, be32(at + 4));
            need(at + 8, len, "database image")?;
            let image = &b[at + 8..at + 8 + len];
            if crc32fast::hash(image) != crc {
                return Err(CardError::Checksum { path: p(), what: format!("database {index}") });
            }
            images.push(image);
            at += 8 + len;
        }
        need(at, 12, "trailer")?;
        if &b[at..at + 8] != CARD_TRAILER {
            return Err(CardError::Truncated { path: p(), at, what: "trailer" });
        }
        if crc32fast::hash(&b[..at]) != be32(at + 8) {
            return Err(CardError::Checksum { path: p(), what: "whole card".into() });
        }
        if b.len() != at + 12 {
            return Err(CardError::TrailingBytes { path: p(), extra: b.len() - at - 12 });
        }
        let databases = images
            .into_iter()
            .enumerate()
            .map(|(index, img)| DatabaseFile::parse(img).map_err(|source| CardError::Database { path: p(), index, source }))
            .collect::<Result<_, _>>()?;
        Ok(Self { generation, databases })
    }

    /// Loads and verifies a card file.
    pub fn load(path: &Path) -> Result<Self, CardError> {
        let bytes = fs::read(path).map_err(|source| CardError::Io { path: path.to_owned(), source })?;
        Self::parse(path, &bytes)
    }

    /// Saves crash-safely (write a temporary file, flush, rename over, flush the directory).
    pub fn save(&self, path: &Path) -> Result<(), CardError> {
        save_atomically(path, &self.to_bytes())
    }
}

/// Replaces `path` with `bytes` so that a crash at any point leaves either the old complete
/// file or the new complete file.
pub fn save_atomically(path: &Path, bytes: &[u8]) -> Result<(), CardError> {
    let io = |source| CardError::Io { path: path.to_owned(), source };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "card".into());
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdb::{Entries, RecordEntry};

    fn card(n: usize, generation: u64) -> CardImage {
        let databases = (0..n)
            .map(|i| {
                let recs = (0..i as u32 + 1)
                    .map(|r| RecordEntry { attributes: 0, unique_id: r + 1, data: vec![(i as u8) ^ (r as u8); 100 + r as usize] })
                    .collect();
                DatabaseFile::new(&format!("DB{i}"), u32::from_be_bytes(*b"DATA"), u32::from_be_bytes(*b"test"), Entries::Records(recs)).unwrap()
            })
            .collect();
        CardImage { generation, databases }
    }

    #[test]
    fn round_trip_through_a_file() {
        let dir = std::env::temp_dir().join(format!("card-rt-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("card.bin");
        let c = card(5, 7);
        c.save(&path).unwrap();
        assert_eq!(CardImage::load(&path).unwrap(), c);
        let c2 = card(2, 8);
        c2.save(&path).unwrap();
        assert_eq!(CardImage::load(&path).unwrap(), c2);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "no temporary files left behind");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_detected() {
        let bytes = card(3, 1).to_bytes();
        let path = Path::new("t");
        for len in 0..bytes.len() {
            assert!(CardImage::parse(path, &bytes[..len]).is_err(), "truncated at {len} accepted");
        }
        for i in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0x20;
            assert!(CardImage::parse(path, &b).is_err(), "flip at {i} accepted");
        }
        let mut b = bytes.clone();
        b.push(0);
        assert!(matches!(CardImage::parse(path, &b), Err(CardError::TrailingBytes { extra: 1, .. })));
        let mut b = bytes;
        b[9] = 9;
        assert!(matches!(CardImage::parse(path, &b), Err(CardError::UnsupportedVersion { found: 9, .. })));
    }
}
