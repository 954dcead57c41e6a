//! Moving whole databases in and out of the storage heap: installing a `.prc`/`.pdb` file,
//! exporting one, and converting the whole catalog to and from a [`CardImage`]. Installing
//! is all-or-nothing: on any failure every chunk allocated so far is freed and the catalog is
//! unchanged.

use super::{handle_local_id, ChunkStore, Content, DataManager, Database, DbInfo, HeapKind, PalmErr, Record, Resource};
use crate::card::CardImage;
use crate::memory::GuestMemory;
use crate::pdb::{DatabaseFile, Entries, RecordEntry, ResourceEntry};
use palm_abi::errors::*;

/// Why a database could not be installed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstallError {
    #[error("a database named {0:?} already exists on the card")]
    AlreadyExists(String),
    #[error("the storage heap has no room for {name:?} ({needed} bytes of data)")]
    NoSpace { name: String, needed: usize },
    #[error("database name {0:?} is not valid")]
    BadName(String),
}

/// Copies `data` into a new storage chunk (none for empty data: chunks have at least a byte).
fn chunk_with(store: &mut dyn ChunkStore, mem: &mut dyn GuestMemory, data: &[u8], allocated: &mut Vec<u32>) -> Result<Option<u32>, PalmErr> {
    if data.is_empty() {
        return Ok(None);
    }
    let h = store.alloc_handle(mem, HeapKind::Storage, data.len() as u32)?;
    allocated.push(h);
    let p = store.deref(&*mem, h)?;
    mem.write(p, data).map_err(|_| MEM_ERR_INVALID_PARAM)?;
    Ok(Some(h))
}

fn chunk_bytes(store: &dyn ChunkStore, mem: &dyn GuestMemory, h: u32) -> Vec<u8> {
    let size = store.handle_size(mem, h).unwrap_or(0);
    store.deref(mem, h).ok().and_then(|p| mem.read_vec(p, size).ok()).unwrap_or_default()
}

impl DataManager {
    /// Installs a database file; returns its new dbID.
    pub fn install(&mut self, store: &mut dyn ChunkStore, mem: &mut dyn GuestMemory, file: &DatabaseFile) -> Result<u32, InstallError> {
        let name = String::from_utf8_lossy(file.name()).into_owned();
        if Self::validate_name(file.name()).is_err() {
            return Err(InstallError::BadName(name));
        }
        if self.find_by_name(file.name()).is_some() {
            return Err(InstallError::AlreadyExists(name));
        }
        let mut allocated = Vec::new();
        let built = (|| -> Result<Database, PalmErr> {
            let header_handle = store.alloc_handle(mem, HeapKind::Storage, crate::pdb::HEADER_SIZE as u32)?;
            allocated.push(header_handle);
            // Empty info blocks cannot be chunks; they are dropped (an absent block reads the same).
            let app_info = file.app_info.as_ref().map(|b| chunk_with(store, mem, b, &mut allocated)).transpose()?.flatten();
            let sort_info = file.sort_info.as_ref().map(|b| chunk_with(store, mem, b, &mut allocated)).transpose()?.flatten();
            let content = match &file.entries {
                Entries::Records(recs) => Content::Records(
                    recs.iter()
                        .map(|r| {
                            Ok(Record {
                                attributes: r.attributes & !super::rec_attr::BUSY,
                                unique_id: r.unique_id,
                                handle: chunk_with(store, mem, &r.data, &mut allocated)?,
                            })
                        })
                        .collect::<Result<_, PalmErr>>()?,
                ),
                Entries::Resources(res) => Content::Resources(
                    res.iter()
                        .map(|r| Ok(Resource { kind: r.kind, id: r.id, handle: chunk_with(store, mem, &r.data, &mut allocated)? }))
                        .collect::<Result<_, PalmErr>>()?,
                ),
            };
            let info = DbInfo {
                name: file.name().to_vec(),
                attributes: file.attributes & !super::db_attr::OPEN,
                version: file.version,
                creation_date: file.creation_date,
                modification_date: file.modification_date,
                backup_date: file.backup_date,
                modification_number: file.modification_number,
                db_type: file.db_type,
                creator: file.creator,
                unique_id_seed: file.unique_id_seed,
            };
            Ok(Database { info, header_handle, app_info, sort_info, content })
        })();
        match built {
            Ok(db) => Ok(self.insert_database(db, store, mem)),
            Err(_) => {
                for h in allocated {
                    let _ = store.free_handle(mem, h);
                }
                let needed = file.app_info.as_ref().map_or(0, Vec::len) + file.sort_info.as_ref().map_or(0, Vec::len)
                    + match &file.entries {
                        Entries::Records(r) => r.iter().map(|e| e.data.len()).sum::<usize>(),
                        Entries::Resources(r) => r.iter().map(|e| e.data.len()).sum(),
                    };
                Err(InstallError::NoSpace { name, needed })
            }
        }
    }

    /// Exports a database as a file image (records keep attributes and unique IDs; the busy
    /// bit is not persistent and is cleared).
    pub fn export(&self, store: &dyn ChunkStore, mem: &dyn GuestMemory, db_id: u32) -> Option<DatabaseFile> {
        let db = self.database(db_id)?;
        let mut name_field = [0u8; crate::pdb::NAME_SIZE];
        name_field[..db.info.name.len()].copy_from_slice(&db.info.name);
        let entries = match &db.content {
            Content::Records(recs) => Entries::Records(
                recs.iter()
                    .map(|r| RecordEntry {
                        attributes: r.attributes & !super::rec_attr::BUSY,
                        unique_id: r.unique_id,
                        data: r.handle.map(|h| chunk_bytes(store, mem, h)).unwrap_or_default(),
                    })
                    .collect(),
            ),
            Content::Resources(res) => Entries::Resources(
                res.iter()
                    .map(|r| ResourceEntry { kind: r.kind, id: r.id, data: r.handle.map(|h| chunk_bytes(store, mem, h)).unwrap_or_default() })
                    .collect(),
            ),
        };
        Some(DatabaseFile {
            name_field,
            attributes: db.info.attributes & !super::db_attr::OPEN,
            version: db.info.version,
            creation_date: db.info.creation_date,
            modification_date: db.info.modification_date,
            backup_date: db.info.backup_date,
            modification_number: db.info.modification_number,
            db_type: db.info.db_type,
            creator: db.info.creator,
            unique_id_seed: db.info.unique_id_seed,
            app_info: db.app_info.map(|h| chunk_bytes(store, mem, h)),
            sort_info: db.sort_info.map(|h| chunk_bytes(store, mem, h)),
            entries,
            gap: crate::pdb::STANDARD_GAP.to_vec(),
        })
    }

    /// The whole catalog as a card image.
    pub fn to_card(&self, store: &dyn ChunkStore, mem: &dyn GuestMemory, generation: u64) -> CardImage {
        let databases = self.databases().iter().filter_map(|d| self.export(store, mem, d.id())).collect();
        CardImage { generation, databases }
    }

    /// Installs every database of a card (into an empty catalog). Stops at the first failure.
    pub fn load_card(&mut self, store: &mut dyn ChunkStore, mem: &mut dyn GuestMemory, card: &CardImage) -> Result<(), InstallError> {
        for db in &card.databases {
            self.install(store, mem, db)?;
        }
        Ok(())
    }

    /// The LocalID of a database's appInfo block, 0 if none.
    pub fn app_info_id(&self, db_id: u32) -> u32 {
        self.database(db_id).and_then(|d| d.app_info).map_or(0, handle_local_id)
    }
}
