//! Loading the stub ROM image from an ELF file (goblin). The ROM holds the reset vector at its
//! base (initial SSP, initial PC), boot code and trap stubs; the loader places each `PT_LOAD`
//! segment's file bytes at its physical (load) address, which must lie inside the ROM region.
//! `.data`/`.bss` have their run addresses in RAM; the boot code copies and clears them,
//! as a real ROM's start-up code does.

use goblin::elf::{program_header::PT_LOAD, Elf};
use palm_abi::memmap;
use std::path::{Path, PathBuf};

/// `e_machine` of Motorola 68000-family ELF files.
const EM_68K: u16 = 4;

/// A problem with a ROM image file.
#[derive(Debug, thiserror::Error)]
pub enum RomError {
    #[error("cannot read ROM image {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("ROM image {path} is not a valid ELF file: {reason}")]
    Parse { path: PathBuf, reason: String },
    #[error("ROM image {path} is not a 32-bit big-endian 68k ELF file")]
    NotM68k { path: PathBuf },
    #[error("ROM image {path}: segment {index} (load address {paddr:#010x}, {size} bytes) lies outside the ROM region {base:#010x}..{end:#010x}")]
    SegmentOutsideRom { path: PathBuf, index: usize, paddr: u64, size: u64, base: u32, end: u32 },
    #[error("ROM image {path}: segment {index} file range {offset:#x}+{size:#x} lies outside the file")]
    SegmentOutsideFile { path: PathBuf, index: usize, offset: u64, size: u64 },
    #[error("ROM image {path} has no loadable segment at the ROM base (no reset vector)")]
    NoResetVector { path: PathBuf },
}

/// A loaded ROM image: its bytes at ROM offsets, and the symbols the machine needs.
#[derive(Debug, Clone)]
pub struct RomImage {
    pub path: PathBuf,
    /// (ROM offset, bytes) of each loadable segment.
    pub segments: Vec<(u32, Vec<u8>)>,
    /// Guest address range of the trap stubs (`__trap_stubs_start..__trap_stubs_end`).
    pub trap_stubs: Option<(u32, u32)>,
    /// Every named symbol, for tests and reports.
    pub symbols: Vec<(String, u32)>,
}

impl RomImage {
    pub fn load(path: &Path) -> Result<Self, RomError> {
        let bytes = std::fs::read(path).map_err(|source| RomError::Io { path: path.to_owned(), source })?;
        Self::parse(path, &bytes)
    }

    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Self, RomError> {
        let p = || path.to_owned();
        let elf = Elf::parse(bytes).map_err(|e| RomError::Parse { path: p(), reason: e.to_string() })?;
        if elf.is_64 || elf.little_endian || elf.header.e_machine != EM_68K {
            return Err(RomError::NotM68k { path: p() });
        }
        let mut segments = Vec::new();
        for (index, ph) in elf.program_headers.iter().enumerate() {
            if ph.p_type != PT_LOAD || ph.p_filesz == 0 {
                continue;
            }
            let (paddr, size) = (ph.p_paddr, ph.p_filesz);
            let inside = paddr >= memmap::ROM.base as u64
                && paddr.checked_add(size).is_some_and(|e| e <= memmap::ROM.end() as u64);
            if !inside {
                return Err(RomError::SegmentOutsideRom {
                    path: p(), index, paddr, size, base: memmap::ROM.base, end: memmap::ROM.end(),
                });
            }
            let range = ph.file_range();
            let data = bytes.get(range.clone()).ok_or(RomError::SegmentOutsideFile {
                path: p(), index, offset: ph.p_offset, size,
            })?;
            segments.push(((paddr - memmap::ROM.base as u64) as u32, data.to_vec()));
        }
        if !segments.iter().any(|(off, data)| *off == 0 && data.len() >= 8) {
            return Err(RomError::NoResetVector { path: p() });
        }
        let symbols: Vec<(String, u32)> = elf
            .syms
            .iter()
            .filter_map(|s| {
                let name = elf.strtab.get_at(s.st_name)?;
                (!name.is_empty()).then(|| (name.to_owned(), s.st_value as u32))
            })
            .collect();
        let find = |n: &str| symbols.iter().find(|(s, _)| s == n).map(|(_, v)| *v);
        let trap_stubs = find("__trap_stubs_start").zip(find("__trap_stubs_end"));
        Ok(Self { path: path.to_owned(), segments, trap_stubs, symbols })
    }

    /// A ROM made from raw bytes placed at the ROM base (for tests of the machine itself).
    pub fn from_raw(bytes: Vec<u8>) -> Self {
        Self { path: PathBuf::from("<raw>"), segments: vec![(0, bytes)], trap_stubs: None, symbols: Vec::new() }
    }

    pub fn symbol(&self, name: &str) -> Option<u32> {
        self.symbols.iter().find(|(s, _)| s == name).map(|(_, v)| *v)
    }
}
