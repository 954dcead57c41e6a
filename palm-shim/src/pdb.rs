//! PalmOS database files: `.prc` (resource databases) and `.pdb` (record databases), parsed
//! into a [`DatabaseFile`] and written back byte for byte. Layout (all big-endian):
//!
//! ```text
//! 0   name[32]            NUL-terminated (bytes after the NUL are kept as they are)
//! 32  attributes u16      dmHdrAttrResDB = 0x0001 marks a resource database
//! 34  version u16
//! 36  creationDate u32    seconds since 1904-01-01
//! 40  modificationDate u32
//! 44  lastBackupDate u32
//! 48  modificationNumber u32
//! 52  appInfoID u32       file offset of the appInfo block, 0 if none
//! 56  sortInfoID u32      file offset of the sortInfo block, 0 if none
//! 60  type u32
//! 64  creator u32
//! 68  uniqueIDSeed u32
//! 72  nextRecordListID u32  must be 0 (chained record lists are not used in files)
//! 76  numRecords u16
//! 78  entries: records 8 bytes each (offset u32, attributes u8, uniqueID u24),
//!              resources 10 bytes each (type u32, id u16, offset u32)
//!     gap (conventionally 2 zero bytes), then appInfo, sortInfo and the entries' data in
//!     that order; entry i runs to entry i+1's offset, the last to the end of the file.
//! ```
//!
//! Parsing checks everything before building anything, and each fault has its own error.
//! Every file this parser accepts is written back identically (`to_bytes(parse(f)) == f`).

use thiserror::Error;

pub const HEADER_SIZE: usize = 78;
pub const RECORD_ENTRY_SIZE: usize = 8;
pub const RESOURCE_ENTRY_SIZE: usize = 10;
pub const NAME_SIZE: usize = 32;
/// `dmHdrAttrResDB`
pub const ATTR_RESOURCE_DB: u16 = 0x0001;
/// The gap PalmOS writes between the entry list and the first data block.
pub const STANDARD_GAP: [u8; 2] = [0, 0];

/// What is wrong with a database file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PdbError {
    #[error("file is {len} bytes, shorter than the 78-byte database header")]
    TruncatedHeader { len: usize },
    #[error("database name is not NUL-terminated within 32 bytes")]
    UnterminatedName,
    #[error("database name is empty")]
    EmptyName,
    #[error("database name contains a non-printable byte {byte:#04x} at position {pos}")]
    UnprintableName { byte: u8, pos: usize },
    #[error("chained record lists (nextRecordListID = {0:#x}) are not supported")]
    ChainedRecordList(u32),
    #[error("the entry list ({count} entries of {entry_size} bytes) runs past the end of the {len}-byte file")]
    TruncatedEntryList { count: usize, entry_size: usize, len: usize },
    #[error("{what} offset {offset:#x} lies outside the file ({len} bytes) or inside the header and entry list (ends at {data_start:#x})")]
    OffsetOutOfRange { what: String, offset: u32, len: usize, data_start: usize },
    #[error("{what} at offset {offset:#x} overlaps the preceding block, which starts at {previous:#x}")]
    Overlap { what: String, offset: u32, previous: u32 },
    #[error("resource {kind} {id} appears twice (entries {first} and {second})")]
    DuplicateResource { kind: String, id: u16, first: usize, second: usize },
}

/// One record of a record database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEntry {
    /// Record attributes (delete, dirty, busy, secret bits and the category).
    pub attributes: u8,
    /// 24-bit unique ID.
    pub unique_id: u32,
    pub data: Vec<u8>,
}

/// One resource of a resource database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceEntry {
    pub kind: u32,
    pub id: u16,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entries {
    Records(Vec<RecordEntry>),
    Resources(Vec<ResourceEntry>),
}

impl Entries {
    pub fn len(&self) -> usize {
        match self {
            Entries::Records(r) => r.len(),
            Entries::Resources(r) => r.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn data(&self, i: usize) -> &[u8] {
        match self {
            Entries::Records(r) => &r[i].data,
            Entries::Resources(r) => &r[i].data,
        }
    }
}

/// A whole database file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseFile {
    /// The 32-byte name field as stored (NUL-terminated; see [`DatabaseFile::name`]).
    pub name_field: [u8; NAME_SIZE],
    pub attributes: u16,
    pub version: u16,
    pub creation_date: u32,
    pub modification_date: u32,
    pub backup_date: u32,
    pub modification_number: u32,
    pub db_type: u32,
    pub creator: u32,
    pub unique_id_seed: u32,
    pub app_info: Option<Vec<u8>>,
    pub sort_info: Option<Vec<u8>>,
    pub entries: Entries,
    /// Bytes between the entry list and the first data block (normally two zero bytes).
    pub gap: Vec<u8>,
}

/// Renders a four-character code like 'appl' for messages.
pub fn fourcc(v: u32) -> String {
    v.to_be_bytes().iter().map(|&b| if (0x20..0x7F).contains(&b) { b as char } else { '?' }).collect()
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}
fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Checks a database name as PalmOS stores it: 1..=31 printable bytes, then a NUL.
pub fn validate_name_field(field: &[u8]) -> Result<usize, PdbError> {
    let len = field.iter().position(|&b| b == 0).ok_or(PdbError::UnterminatedName)?;
    if len == 0 {
        return Err(PdbError::EmptyName);
    }
    if let Some(pos) = field[..len].iter().position(|&b| b < 0x20 || b == 0x7F) {
        return Err(PdbError::UnprintableName { byte: field[pos], pos });
    }
    Ok(len)
}

impl DatabaseFile {
    /// The database name (bytes before the NUL).
    pub fn name(&self) -> &[u8] {
        let len = self.name_field.iter().position(|&b| b == 0).unwrap_or(NAME_SIZE);
        &self.name_field[..len]
    }
    pub fn is_resource_db(&self) -> bool {
        matches!(self.entries, Entries::Resources(_))
    }

    /// Parses and validates a file.
    pub fn parse(b: &[u8]) -> Result<Self, PdbError> {
        let len = b.len();
        if len < HEADER_SIZE {
            return Err(PdbError::TruncatedHeader { len });
        }
        let mut name_field = [0u8; NAME_SIZE];
        name_field.copy_from_slice(&b[..NAME_SIZE]);
        validate_name_field(&name_field)?;
        let attributes = be16(b, 32);
        let next_list = be32(b, 72);
        if next_list != 0 {
            return Err(PdbError::ChainedRecordList(next_list));
        }
        let count = be16(b, 76) as usize;
        let resource = attributes & ATTR_RESOURCE_DB != 0;
        let entry_size = if resource { RESOURCE_ENTRY_SIZE } else { RECORD_ENTRY_SIZE };
        let data_start = HEADER_SIZE + count * entry_size;
        if data_start > len {
            return Err(PdbError::TruncatedEntryList { count, entry_size, len });
        }

        // Collect every data block's start in file order: appInfo, sortInfo, entries.
        let mut blocks: Vec<(String, u32)> = Vec::with_capacity(count + 2);
        let app_info_id = be32(b, 52);
        let sort_info_id = be32(b, 56);
        if app_info_id != 0 {
            blocks.push(("appInfo block".into(), app_info_id));
        }
        if sort_info_id != 0 {
            blocks.push(("sortInfo block".into(), sort_info_id));
        }
        let entry_at = |i: usize| HEADER_SIZE + i * entry_size;
        for i in 0..count {
            let e = entry_at(i);
            let off = if resource { be32(b, e + 6) } else { be32(b, e) };
            blocks.push((format!("entry {i}"), off));
        }
        let mut previous: Option<u32> = None;
        for (what, off) in &blocks {
            if (*off as usize) < data_start || *off as usize > len {
                return Err(PdbError::OffsetOutOfRange { what: what.clone(), offset: *off, len, data_start });
            }
            if let Some(p) = previous {
                if *off < p {
                    return Err(PdbError::Overlap { what: what.clone(), offset: *off, previous: p });
                }
            }
            previous = Some(*off);
        }
        let end_of = |k: usize| blocks.get(k + 1).map_or(len, |(_, o)| *o as usize);
        let first_data = blocks.first().map_or(len, |(_, o)| *o as usize);
        let gap = b[data_start..first_data].to_vec();

        let mut k = 0;
        let mut take_block = |present: bool| {
            present.then(|| {
                let block = b[blocks[k].1 as usize..end_of(k)].to_vec();
                k += 1;
                block
            })
        };
        let app_info = take_block(app_info_id != 0);
        let sort_info = take_block(sort_info_id != 0);
        let first_entry_block = k;
        let entries = if resource {
            let mut v: Vec<ResourceEntry> = Vec::with_capacity(count);
            for i in 0..count {
                let e = entry_at(i);
                let (kind, id) = (be32(b, e), be16(b, e + 4));
                if let Some(first) = v.iter().position(|r| r.kind == kind && r.id == id) {
                    return Err(PdbError::DuplicateResource { kind: fourcc(kind), id, first, second: i });
                }
                let blk = first_entry_block + i;
                v.push(ResourceEntry { kind, id, data: b[blocks[blk].1 as usize..end_of(blk)].to_vec() });
            }
            Entries::Resources(v)
        } else {
            Entries::Records(
                (0..count)
                    .map(|i| {
                        let e = entry_at(i);
                        let blk = first_entry_block + i;
                        RecordEntry {
                            attributes: b[e + 4],
                            unique_id: u32::from_be_bytes([0, b[e + 5], b[e + 6], b[e + 7]]),
                            data: b[blocks[blk].1 as usize..end_of(blk)].to_vec(),
                        }
                    })
                    .collect(),
            )
        };
        Ok(Self {
            name_field,
            attributes,
            version: be16(b, 34),
            creation_date: be32(b, 36),
            modification_date: be32(b, 40),
            backup_date: be32(b, 44),
            modification_number: be32(b, 48),
            db_type: be32(b, 60),
            creator: be32(b, 64),
            unique_id_seed: be32(b, 68),
            app_info,
            sort_info,
            entries,
            gap,
        })
    }

    /// Serialises the database in file order: header, entry list, gap, appInfo, sortInfo,
    /// entry data.
    pub fn to_bytes(&self) -> Vec<u8> {
        let resource = self.is_resource_db();
        let count = self.entries.len();
        let entry_size = if resource { RESOURCE_ENTRY_SIZE } else { RECORD_ENTRY_SIZE };
        let mut offset = (HEADER_SIZE + count * entry_size + self.gap.len()) as u32;
        let mut next = |block: Option<&Vec<u8>>| {
            block.map_or(0, |b| {
                let at = offset;
                offset += b.len() as u32;
                at
            })
        };
        let app_info_id = next(self.app_info.as_ref());
        let sort_info_id = next(self.sort_info.as_ref());
        let mut out = Vec::with_capacity(offset as usize + 1024);
        out.extend_from_slice(&self.name_field);
        let attributes = if resource { self.attributes | ATTR_RESOURCE_DB } else { self.attributes & !ATTR_RESOURCE_DB };
        out.extend_from_slice(&attributes.to_be_bytes());
        out.extend_from_slice(&self.version.to_be_bytes());
        for v in [
            self.creation_date, self.modification_date, self.backup_date, self.modification_number,
            app_info_id, sort_info_id, self.db_type, self.creator, self.unique_id_seed, 0,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&(count as u16).to_be_bytes());
        for i in 0..count {
            let at = offset;
            offset += self.entries.data(i).len() as u32;
            match &self.entries {
                Entries::Records(r) => {
                    out.extend_from_slice(&at.to_be_bytes());
                    out.push(r[i].attributes);
                    out.extend_from_slice(&r[i].unique_id.to_be_bytes()[1..]);
                }
                Entries::Resources(r) => {
                    out.extend_from_slice(&r[i].kind.to_be_bytes());
                    out.extend_from_slice(&r[i].id.to_be_bytes());
                    out.extend_from_slice(&at.to_be_bytes());
                }
            }
        }
        out.extend_from_slice(&self.gap);
        for block in [&self.app_info, &self.sort_info].into_iter().flatten() {
            out.extend_from_slice(block);
        }
        for i in 0..count {
            out.extend_from_slice(self.entries.data(i));
        }
        out
    }

    /// A new, empty database with the standard gap.
    pub fn new(name: &str, db_type: u32, creator: u32, entries: Entries) -> Result<Self, PdbError> {
        let mut name_field = [0u8; NAME_SIZE];
        let bytes = name.as_bytes();
        if bytes.len() >= NAME_SIZE {
            return Err(PdbError::UnterminatedName);
        }
        name_field[..bytes.len()].copy_from_slice(bytes);
        validate_name_field(&name_field)?;
        let attributes = if matches!(entries, Entries::Resources(_)) { ATTR_RESOURCE_DB } else { 0 };
        Ok(Self {
            name_field,
            attributes,
            version: 1,
            creation_date: 0,
            modification_date: 0,
            backup_date: 0,
            modification_number: 0,
            db_type,
            creator,
            unique_id_seed: 0,
            app_info: None,
            sort_info: None,
            entries,
            gap: STANDARD_GAP.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &[u8; 4]) -> u32 {
        u32::from_be_bytes(*s)
    }

    fn sample_prc() -> DatabaseFile {
        let mut db = DatabaseFile::new(
            "Hello",
            code(b"appl"),
            code(b"HeLo"),
            Entries::Resources(vec![
                ResourceEntry { kind: code(b"code"), id: 0, data: vec![0; 24] },
                ResourceEntry { kind: code(b"code"), id: 1, data: vec![0x4E, 0x75] },
                ResourceEntry { kind: code(b"tFRM"), id: 1000, data: (0..200u8).collect() },
                ResourceEntry { kind: code(b"tAIN"), id: 1000, data: vec![] },
            ]),
        )
        .unwrap();
        db.creation_date = 0xBA5E_BA11;
        db
    }

    fn sample_pdb() -> DatabaseFile {
        let mut db = DatabaseFile::new(
            "MemoDB",
            code(b"DATA"),
            code(b"memo"),
            Entries::Records(
                (0..5u32).map(|i| RecordEntry { attributes: 0x40 | i as u8, unique_id: 0x00AB_CD00 + i, data: vec![i as u8; i as usize * 7] }).collect(),
            ),
        )
        .unwrap();
        db.app_info = Some(b"categories".to_vec());
        db.sort_info = Some(vec![1, 2, 3]);
        db
    }

    #[test]
    fn round_trips() {
        for db in [sample_prc(), sample_pdb()] {
            let bytes = db.to_bytes();
            let back = DatabaseFile::parse(&bytes).unwrap();
            assert_eq!(back, db);
            assert_eq!(back.to_bytes(), bytes);
        }
    }

    #[test]
    fn header_fields_are_where_the_format_says() {
        let bytes = sample_prc().to_bytes();
        assert_eq!(&bytes[..6], b"Hello\0");
        assert_eq!(be16(&bytes, 32), ATTR_RESOURCE_DB);
        assert_eq!(be32(&bytes, 36), 0xBA5E_BA11);
        assert_eq!(&bytes[60..64], b"appl");
        assert_eq!(&bytes[64..68], b"HeLo");
        assert_eq!(be16(&bytes, 76), 4);
        assert_eq!(&bytes[78..82], b"code");
        assert_eq!(be32(&bytes, 78 + 6), (78 + 40 + 2) as u32, "first data after entries and the 2-byte gap");
        let pdb = sample_pdb().to_bytes();
        assert_eq!(be32(&pdb, 52), (78 + 40 + 2) as u32, "appInfo right after the gap");
        assert_eq!(pdb[78 + 4], 0x40);
        assert_eq!(&pdb[78 + 5..78 + 8], &[0xAB, 0xCD, 0x00]);
    }

    #[test]
    fn nonstandard_gap_and_trailing_name_bytes_are_preserved() {
        let mut db = sample_pdb();
        db.gap = vec![];
        db.name_field[20] = b'x';
        let bytes = db.to_bytes();
        assert_eq!(DatabaseFile::parse(&bytes).unwrap().to_bytes(), bytes);
    }

    #[test]
    fn malformed_files_get_named_errors() {
        let good = sample_pdb().to_bytes();
        assert_eq!(DatabaseFile::parse(&good[..50]), Err(PdbError::TruncatedHeader { len: 50 }));

        let mut b = good.clone();
        b[..32].fill(b'A');
        assert_eq!(DatabaseFile::parse(&b), Err(PdbError::UnterminatedName));

        let mut b = good.clone();
        b[2] = 0x07;
        assert_eq!(DatabaseFile::parse(&b), Err(PdbError::UnprintableName { byte: 7, pos: 2 }));

        let mut b = good.clone();
        b[76..78].copy_from_slice(&0xFFFFu16.to_be_bytes());
        assert!(matches!(DatabaseFile::parse(&b), Err(PdbError::TruncatedEntryList { count: 65535, .. })));

        let mut b = good.clone();
        b[78..82].copy_from_slice(&0x00FF_FFFFu32.to_be_bytes());
        assert!(matches!(DatabaseFile::parse(&b), Err(PdbError::OffsetOutOfRange { ref what, .. }) if what == "entry 0"));

        let mut b = good.clone();
        let second = be32(&b, 78 + 8 * 2);
        b[78 + 8 * 3..78 + 8 * 3 + 4].copy_from_slice(&(second - 1).to_be_bytes());
        assert!(matches!(DatabaseFile::parse(&b), Err(PdbError::Overlap { ref what, .. }) if what == "entry 3"));

        let mut b = good.clone();
        b[72..76].copy_from_slice(&1u32.to_be_bytes());
        assert_eq!(DatabaseFile::parse(&b), Err(PdbError::ChainedRecordList(1)));

        let mut b = sample_prc().to_bytes();
        let first = b[78..84].to_vec();
        b[78 + 10..78 + 16].copy_from_slice(&first);
        assert!(matches!(DatabaseFile::parse(&b), Err(PdbError::DuplicateResource { id: 0, .. })));

        // Offsets into the header are refused.
        let mut b = good;
        b[52..56].copy_from_slice(&10u32.to_be_bytes());
        assert!(matches!(DatabaseFile::parse(&b), Err(PdbError::OffsetOutOfRange { offset: 10, .. })));
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let base = sample_pdb().to_bytes();
        for round in 0..20_000 {
            let mut b = base.clone();
            for _ in 0..1 + round % 8 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let i = (x as usize) % b.len();
                b[i] = (x >> 32) as u8;
            }
            if round % 5 == 0 {
                b.truncate((x >> 40) as usize % (b.len() + 1));
            }
            if let Ok(db) = DatabaseFile::parse(&b) {
                assert_eq!(db.to_bytes(), b, "accepted files round-trip");
            }
        }
    }
}
