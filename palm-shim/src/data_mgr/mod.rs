//! Data Manager behaviour: the catalog of databases on card 0, their records and resources,
//! open databases, and the PalmOS error for each misuse. Records, resources, appInfo blocks
//! and database headers are chunks in the storage heap, reached through the [`ChunkStore`]
//! seam (the Memory Manager); this module owns only the catalog. Trap marshalling lives in
//! `managers::data_mgr_traps`; card and file import/export in [`transfer`].
//!
//! Identity: a database's `LocalID` (dbID) is the LocalID of its header chunk in the storage
//! heap (card 0's base is address 0, so a handle's LocalID is its master pointer's address
//! with bit 0 set). A `DmOpenRef` is the address of a small pointer chunk in the dynamic heap.

mod chunk_store;
pub mod transfer;

use crate::memory::GuestMemory;
use palm_abi::errors::*;

/// A PalmOS error code (`Err`), never 0 in an `Err(..)`.
pub type PalmErr = u16;

/// Which heap a chunk lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeapKind {
    Dynamic,
    Storage,
}

/// What the Data Manager needs from the Memory Manager.
pub trait ChunkStore {
    /// A new movable chunk; returns its handle (the master pointer's address).
    fn alloc_handle(&mut self, mem: &mut dyn GuestMemory, heap: HeapKind, size: u32) -> Result<u32, PalmErr>;
    /// A new non-movable chunk; returns its data address.
    fn alloc_ptr(&mut self, mem: &mut dyn GuestMemory, heap: HeapKind, size: u32) -> Result<u32, PalmErr>;
    fn free_handle(&mut self, mem: &mut dyn GuestMemory, h: u32) -> Result<(), PalmErr>;
    fn free_ptr(&mut self, mem: &mut dyn GuestMemory, p: u32) -> Result<(), PalmErr>;
    fn resize_handle(&mut self, mem: &mut dyn GuestMemory, h: u32, size: u32) -> Result<(), PalmErr>;
    fn handle_size(&self, mem: &dyn GuestMemory, h: u32) -> Result<u32, PalmErr>;
    /// The chunk's current data address (`*h`).
    fn deref(&self, mem: &dyn GuestMemory, h: u32) -> Result<u32, PalmErr>;
    fn lock_count(&self, mem: &dyn GuestMemory, h: u32) -> Result<u8, PalmErr>;
    /// True if `h` is a live handle in `heap`.
    fn is_handle_in(&self, mem: &dyn GuestMemory, h: u32, heap: HeapKind) -> bool;
    /// The live storage-heap chunk whose data starts exactly at `p`, as (handle or 0, size).
    fn storage_chunk_at(&self, mem: &dyn GuestMemory, p: u32) -> Option<(u32, u32)>;
}

/// `dmHdrAttr*` database attributes.
pub mod db_attr {
    pub const RES_DB: u16 = 0x0001;
    pub const READ_ONLY: u16 = 0x0002;
    pub const APP_INFO_DIRTY: u16 = 0x0004;
    pub const BACKUP: u16 = 0x0008;
    pub const OK_TO_INSTALL_NEWER: u16 = 0x0010;
    pub const RESET_AFTER_INSTALL: u16 = 0x0020;
    pub const COPY_PREVENTION: u16 = 0x0040;
    pub const STREAM: u16 = 0x0080;
    pub const HIDDEN: u16 = 0x0100;
    pub const LAUNCHABLE_DATA: u16 = 0x0200;
    pub const RECYCLABLE: u16 = 0x0400;
    pub const BUNDLE: u16 = 0x0800;
    pub const OPEN: u16 = 0x8000;
}

/// `dmRecAttr*` record attributes.
pub mod rec_attr {
    pub const DELETE: u8 = 0x80;
    pub const DIRTY: u8 = 0x40;
    pub const BUSY: u8 = 0x20;
    pub const SECRET: u8 = 0x10;
    pub const CATEGORY_MASK: u8 = 0x0F;
}

/// `dmMode*` open modes.
pub mod mode {
    pub const READ_ONLY: u16 = 0x0001;
    pub const WRITE: u16 = 0x0002;
    pub const READ_WRITE: u16 = 0x0003;
    pub const LEAVE_OPEN: u16 = 0x0004;
    pub const EXCLUSIVE: u16 = 0x0008;
    pub const SHOW_SECRET: u16 = 0x0010;
}

/// `dmMaxRecordIndex`: "append" when given as an insertion index.
pub const MAX_RECORD_INDEX: u16 = 0xFFFF;
/// Longest database name, without the NUL.
pub const MAX_NAME_LEN: usize = 31;
/// Bytes of the DmOpenRef chunk: dbID u32, mode u16, reserved.
const OPEN_REF_SIZE: u32 = 8;
/// Bytes of a database's header chunk: the 78-byte file header image.
const HEADER_CHUNK_SIZE: u32 = crate::pdb::HEADER_SIZE as u32;

/// Database header fields (those of the file format, minus the entry list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbInfo {
    pub name: Vec<u8>,
    pub attributes: u16,
    pub version: u16,
    pub creation_date: u32,
    pub modification_date: u32,
    pub backup_date: u32,
    pub modification_number: u32,
    pub db_type: u32,
    pub creator: u32,
    pub unique_id_seed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub attributes: u8,
    pub unique_id: u32,
    /// `None` once the record was deleted (its data freed, the entry kept for sync), or for
    /// an empty (zero-length) record installed from a file: chunks have at least one byte.
    pub handle: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub kind: u32,
    pub id: u16,
    /// `None` for an empty (zero-length) resource: chunks have at least one byte.
    pub handle: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Records(Vec<Record>),
    Resources(Vec<Resource>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Database {
    pub info: DbInfo,
    /// The header chunk's handle; the dbID is its LocalID.
    pub header_handle: u32,
    pub app_info: Option<u32>,
    pub sort_info: Option<u32>,
    pub content: Content,
}

impl Database {
    pub fn id(&self) -> u32 {
        handle_local_id(self.header_handle)
    }
    pub fn is_resource_db(&self) -> bool {
        matches!(self.content, Content::Resources(_))
    }
    pub fn entry_count(&self) -> usize {
        match &self.content {
            Content::Records(r) => r.len(),
            Content::Resources(r) => r.len(),
        }
    }
    fn all_handles(&self) -> Vec<u32> {
        let mut v = vec![self.header_handle];
        v.extend(self.app_info);
        v.extend(self.sort_info);
        match &self.content {
            Content::Records(r) => v.extend(r.iter().filter_map(|r| r.handle)),
            Content::Resources(r) => v.extend(r.iter().filter_map(|r| r.handle)),
        }
        v
    }
}

/// The LocalID of a handle on card 0: its offset from the card base with the handle bit set
/// (the Memory Manager's convention, `palm_abi::mem_layout::local_id`).
pub fn handle_local_id(h: u32) -> u32 {
    use palm_abi::mem_layout::local_id::{CARD0_BASE, HANDLE_BIT};
    (h - CARD0_BASE) | HANDLE_BIT
}

/// An open database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDb {
    /// The `DmOpenRef` handed to the guest (a dynamic-heap pointer chunk).
    pub open_ref: u32,
    pub db_id: u32,
    pub mode: u16,
}

/// The Data Manager's state.
#[derive(Debug, Default)]
pub struct DataManager {
    databases: Vec<Database>,
    /// Open databases, oldest first (searches go newest first).
    open: Vec<OpenDb>,
    last_err: PalmErr,
    /// Seconds since 1904 used for new dates (set by the shim from its clock).
    pub now: u32,
}

/// Shorthand: set the last error and return it.
macro_rules! fail {
    ($dm:expr, $e:expr) => {{
        $dm.last_err = $e;
        return Err($e);
    }};
}

impl DataManager {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn last_err(&self) -> PalmErr {
        self.last_err
    }
    pub fn set_last_err(&mut self, e: PalmErr) {
        self.last_err = e;
    }
    pub fn databases(&self) -> &[Database] {
        &self.databases
    }
    pub fn open_databases(&self) -> &[OpenDb] {
        &self.open
    }

    /// The catalog index of a dbID.
    pub fn find_by_id(&self, db_id: u32) -> Option<usize> {
        self.databases.iter().position(|d| d.id() == db_id)
    }
    pub fn find_by_name(&self, name: &[u8]) -> Option<usize> {
        self.databases.iter().position(|d| d.info.name == name)
    }
    pub fn database(&self, db_id: u32) -> Option<&Database> {
        self.find_by_id(db_id).map(|i| &self.databases[i])
    }
    fn is_open(&self, db_id: u32) -> bool {
        self.open.iter().any(|o| o.db_id == db_id)
    }

    fn validate_name(name: &[u8]) -> Result<(), PalmErr> {
        if name.is_empty() || name.len() > MAX_NAME_LEN || name.iter().any(|&b| b < 0x20 || b == 0x7F) {
            Err(DM_ERR_INVALID_DATABASE_NAME)
        } else {
            Ok(())
        }
    }

    /// Writes the header chunk's image (the 78-byte file header, entry count included) so
    /// the dbID's chunk holds what a device's header would.
    fn sync_header(&self, idx: usize, store: &dyn ChunkStore, mem: &mut dyn GuestMemory) {
        let db = &self.databases[idx];
        let Ok(addr) = store.deref(&*mem, db.header_handle) else { return };
        let mut h = [0u8; HEADER_CHUNK_SIZE as usize];
        h[..db.info.name.len()].copy_from_slice(&db.info.name);
        let put32 = |h: &mut [u8], at: usize, v: u32| h[at..at + 4].copy_from_slice(&v.to_be_bytes());
        h[32..34].copy_from_slice(&db.info.attributes.to_be_bytes());
        h[34..36].copy_from_slice(&db.info.version.to_be_bytes());
        put32(&mut h, 36, db.info.creation_date);
        put32(&mut h, 40, db.info.modification_date);
        put32(&mut h, 44, db.info.backup_date);
        put32(&mut h, 48, db.info.modification_number);
        put32(&mut h, 52, db.app_info.map_or(0, handle_local_id));
        put32(&mut h, 56, db.sort_info.map_or(0, handle_local_id));
        put32(&mut h, 60, db.info.db_type);
        put32(&mut h, 64, db.info.creator);
        put32(&mut h, 68, db.info.unique_id_seed);
        h[76..78].copy_from_slice(&(db.entry_count() as u16).to_be_bytes());
        let _ = mem.write(addr, &h);
    }

    /// `DmCreateDatabase`: a new, empty database.
    pub fn create(
        &mut self,
        store: &mut dyn ChunkStore,
        mem: &mut dyn GuestMemory,
        name: &[u8],
        creator: u32,
        db_type: u32,
        resource: bool,
    ) -> Result<u32, PalmErr> {
        if let Err(e) = Self::validate_name(name) {
            fail!(self, e);
        }
        if self.find_by_name(name).is_some() {
            fail!(self, DM_ERR_ALREADY_EXISTS);
        }
        let header_handle = match store.alloc_handle(mem, HeapKind::Storage, HEADER_CHUNK_SIZE) {
            Ok(h) => h,
            Err(_) => fail!(self, DM_ERR_MEM_ERROR),
        };
        let info = DbInfo {
            name: name.to_vec(),
            attributes: if resource { db_attr::RES_DB } else { 0 },
            version: 0,
            creation_date: self.now,
            modification_date: self.now,
            backup_date: 0,
            modification_number: 0,
            db_type,
            creator,
            unique_id_seed: 0,
        };
        let content = if resource { Content::Resources(Vec::new()) } else { Content::Records(Vec::new()) };
        self.databases.push(Database { info, header_handle, app_info: None, sort_info: None, content });
        self.sync_header(self.databases.len() - 1, store, mem);
        self.last_err = ERR_NONE;
        Ok(self.databases.last().unwrap().id())
    }

    /// Adds a complete database (from a file or the card). Chunks are allocated afresh.
    pub fn insert_database(&mut self, db: Database, store: &dyn ChunkStore, mem: &mut dyn GuestMemory) -> u32 {
        self.databases.push(db);
        self.sync_header(self.databases.len() - 1, store, mem);
        self.databases.last().unwrap().id()
    }

    /// `DmDeleteDatabase`.
    pub fn delete(&mut self, store: &mut dyn ChunkStore, mem: &mut dyn GuestMemory, db_id: u32) -> Result<(), PalmErr> {
        let Some(idx) = self.find_by_id(db_id) else { fail!(self, DM_ERR_CANT_FIND) };
        if self.is_open(db_id) {
            fail!(self, DM_ERR_DATABASE_OPEN);
        }
        let db = self.databases.remove(idx);
        for h in db.all_handles() {
            let _ = store.free_handle(mem, h);
        }
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmDatabaseInfo` (the caller copies the fields out).
    pub fn info(&mut self, db_id: u32) -> Result<(DbInfo, u32, u32), PalmErr> {
        let Some(idx) = self.find_by_id(db_id) else { fail!(self, DM_ERR_CANT_FIND) };
        let db = &self.databases[idx];
        let mut info = db.info.clone();
        if self.is_open(db_id) {
            info.attributes |= db_attr::OPEN;
        }
        Ok((info, db.app_info.map_or(0, handle_local_id), db.sort_info.map_or(0, handle_local_id)))
    }

    /// `DmSetDatabaseInfo`: `f` edits a copy; the name is validated and kept unique, the
    /// resource-database bit and the open bit cannot change.
    pub fn set_info(
        &mut self,
        store: &dyn ChunkStore,
        mem: &mut dyn GuestMemory,
        db_id: u32,
        new: DbInfo,
        app_info: Option<Option<u32>>,
        sort_info: Option<Option<u32>>,
    ) -> Result<(), PalmErr> {
        let Some(idx) = self.find_by_id(db_id) else { fail!(self, DM_ERR_CANT_FIND) };
        if new.name != self.databases[idx].info.name {
            if let Err(e) = Self::validate_name(&new.name) {
                fail!(self, e);
            }
            if self.find_by_name(&new.name).is_some() {
                fail!(self, DM_ERR_ALREADY_EXISTS);
            }
        }
        for h in [app_info, sort_info].into_iter().flatten().flatten() {
            if !store.is_handle_in(&*mem, h & !1, HeapKind::Storage) {
                fail!(self, DM_ERR_INVALID_PARAM);
            }
        }
        let db = &mut self.databases[idx];
        let keep = db.info.attributes & db_attr::RES_DB;
        db.info = DbInfo { attributes: (new.attributes & !(db_attr::RES_DB | db_attr::OPEN)) | keep, ..new };
        if let Some(a) = app_info {
            db.app_info = a.map(|h| h & !1);
        }
        if let Some(s) = sort_info {
            db.sort_info = s.map(|h| h & !1);
        }
        self.sync_header(idx, store, mem);
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmOpenDatabase`: returns the new `DmOpenRef`.
    pub fn open(&mut self, store: &mut dyn ChunkStore, mem: &mut dyn GuestMemory, db_id: u32, mode: u16) -> Result<u32, PalmErr> {
        if mode & mode::READ_WRITE == 0 {
            fail!(self, DM_ERR_INVALID_PARAM);
        }
        let Some(idx) = self.find_by_id(db_id) else { fail!(self, DM_ERR_CANT_FIND) };
        let others: Vec<&OpenDb> = self.open.iter().filter(|o| o.db_id == db_id).collect();
        if others.iter().any(|o| o.mode & mode::EXCLUSIVE != 0) || (mode & mode::EXCLUSIVE != 0 && !others.is_empty()) {
            fail!(self, DM_ERR_ALREADY_OPEN_FOR_WRITES);
        }
        if mode & mode::WRITE != 0 && self.databases[idx].info.attributes & db_attr::READ_ONLY != 0 {
            fail!(self, DM_ERR_READ_ONLY);
        }
        let open_ref = match store.alloc_ptr(mem, HeapKind::Dynamic, OPEN_REF_SIZE) {
            Ok(p) => p,
            Err(_) => fail!(self, DM_ERR_MEM_ERROR),
        };
        let _ = mem.write_u32(open_ref, db_id);
        let _ = mem.write_u16(open_ref + 4, mode);
        self.open.push(OpenDb { open_ref, db_id, mode });
        self.last_err = ERR_NONE;
        Ok(open_ref)
    }

    /// `DmOpenDatabaseByTypeCreator`: the newest version among matches (0 = any).
    pub fn find_by_type_creator(&self, db_type: u32, creator: u32) -> Option<u32> {
        self.databases
            .iter()
            .filter(|d| (db_type == 0 || d.info.db_type == db_type) && (creator == 0 || d.info.creator == creator))
            .max_by_key(|d| d.info.version)
            .map(|d| d.id())
    }

    /// `DmCloseDatabase`.
    pub fn close(&mut self, store: &mut dyn ChunkStore, mem: &mut dyn GuestMemory, open_ref: u32) -> Result<(), PalmErr> {
        let Some(pos) = self.open.iter().position(|o| o.open_ref == open_ref) else { fail!(self, DM_ERR_INVALID_PARAM) };
        let o = self.open.remove(pos);
        if let Some(db) = self.database(o.db_id) {
            if let Content::Records(recs) = &db.content {
                let busy = recs.iter().filter(|r| r.attributes & rec_attr::BUSY != 0).count();
                if busy > 0 {
                    log::warn!("DmCloseDatabase: {busy} records left busy in {:?}", String::from_utf8_lossy(&db.info.name));
                }
            }
        }
        let _ = store.free_ptr(mem, open_ref);
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// The open database behind a `DmOpenRef`.
    pub fn opened(&mut self, open_ref: u32) -> Result<(usize, u16), PalmErr> {
        let Some(o) = self.open.iter().find(|o| o.open_ref == open_ref) else { fail!(self, DM_ERR_INVALID_PARAM) };
        let (db_id, mode) = (o.db_id, o.mode);
        match self.find_by_id(db_id) {
            Some(i) => Ok((i, mode)),
            None => fail!(self, DM_ERR_INVALID_PARAM),
        }
    }

    fn writable(&mut self, open_ref: u32) -> Result<usize, PalmErr> {
        let (i, mode) = self.opened(open_ref)?;
        if mode & mode::WRITE == 0 {
            fail!(self, DM_ERR_READ_ONLY);
        }
        Ok(i)
    }

    fn records_mut(&mut self, i: usize) -> Result<&mut Vec<Record>, PalmErr> {
        match &mut self.databases[i].content {
            Content::Records(r) => Ok(r),
            Content::Resources(_) => {
                self.last_err = DM_ERR_NOT_RECORD_DB;
                Err(DM_ERR_NOT_RECORD_DB)
            }
        }
    }

    fn resources_mut(&mut self, i: usize) -> Result<&mut Vec<Resource>, PalmErr> {
        match &mut self.databases[i].content {
            Content::Resources(r) => Ok(r),
            Content::Records(_) => {
                self.last_err = DM_ERR_NOT_RESOURCE_DB;
                Err(DM_ERR_NOT_RESOURCE_DB)
            }
        }
    }

    fn touch(&mut self, i: usize) {
        let now = self.now;
        let info = &mut self.databases[i].info;
        info.modification_number = info.modification_number.wrapping_add(1);
        info.modification_date = now;
    }

    /// Number of records (or resources) of an open database.
    pub fn num_entries(&mut self, open_ref: u32) -> Result<u16, PalmErr> {
        let (i, _) = self.opened(open_ref)?;
        Ok(self.databases[i].entry_count() as u16)
    }

    fn next_unique_id(&mut self, i: usize) -> u32 {
        let existing: Vec<u32> = match &self.databases[i].content {
            Content::Records(r) => r.iter().map(|r| r.unique_id).collect(),
            Content::Resources(_) => Vec::new(),
        };
        let info = &mut self.databases[i].info;
        loop {
            // PalmOS hands out 24-bit IDs from the database's seed; 0 is never used.
            info.unique_id_seed = (info.unique_id_seed + 1) & 0x00FF_FFFF;
            if info.unique_id_seed != 0 && !existing.contains(&info.unique_id_seed) {
                return info.unique_id_seed;
            }
        }
    }

    /// `DmNewRecord`: a busy, dirty record of `size` bytes inserted at `*at` (appended when
    /// `*at` is past the end); returns (handle, actual index).
    pub fn new_record(
        &mut self,
        store: &mut dyn ChunkStore,
        mem: &mut dyn GuestMemory,
        open_ref: u32,
        at: u16,
        size: u32,
    ) -> Result<(u32, u16), PalmErr> {
        let i = self.writable(open_ref)?;
        self.records_mut(i)?;
        if size == 0 {
            fail!(self, DM_ERR_INVALID_PARAM);
        }
        let h = match store.alloc_handle(mem, HeapKind::Storage, size) {
            Ok(h) => h,
            Err(_) => fail!(self, DM_ERR_MEM_ERROR),
        };
        let unique_id = self.next_unique_id(i);
        let recs = self.records_mut(i)?;
        let index = (at as usize).min(recs.len());
        recs.insert(index, Record { attributes: rec_attr::BUSY | rec_attr::DIRTY, unique_id, handle: Some(h) });
        self.touch(i);
        self.sync_header(i, store, mem);
        self.last_err = ERR_NONE;
        Ok((h, index as u16))
    }

    fn record_index(&mut self, i: usize, index: u16) -> Result<usize, PalmErr> {
        let n = self.records_mut(i)?.len();
        if index as usize >= n {
            fail!(self, DM_ERR_INDEX_OUT_OF_RANGE);
        }
        Ok(index as usize)
    }

    /// `DmQueryRecord`: the handle, without marking the record busy.
    pub fn query_record(&mut self, open_ref: u32, index: u16) -> Result<u32, PalmErr> {
        let (i, _) = self.opened(open_ref)?;
        let r = self.record_index(i, index)?;
        match self.records_mut(i)?[r].handle {
            Some(h) => Ok(h),
            None => fail!(self, DM_ERR_RECORD_DELETED),
        }
    }

    /// `DmGetRecord`: the handle, marking the record busy.
    pub fn get_record(&mut self, open_ref: u32, index: u16) -> Result<u32, PalmErr> {
        let i = self.writable(open_ref)?;
        let r = self.record_index(i, index)?;
        let rec = &self.records_mut(i)?[r];
        if rec.attributes & rec_attr::BUSY != 0 {
            fail!(self, DM_ERR_RECORD_BUSY);
        }
        let Some(h) = rec.handle else { fail!(self, DM_ERR_RECORD_DELETED) };
        self.records_mut(i)?[r].attributes |= rec_attr::BUSY;
        self.last_err = ERR_NONE;
        Ok(h)
    }

    /// `DmReleaseRecord`: clears busy; `dirty` marks the record dirty and bumps the
    /// modification number.
    pub fn release_record(&mut self, open_ref: u32, index: u16, dirty: bool) -> Result<(), PalmErr> {
        let (i, _) = self.opened(open_ref)?;
        let r = self.record_index(i, index)?;
        let rec = &mut self.records_mut(i)?[r];
        rec.attributes &= !rec_attr::BUSY;
        if dirty {
            rec.attributes |= rec_attr::DIRTY;
            self.touch(i);
        }
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmResizeRecord`: returns the (possibly moved) handle.
    pub fn resize_record(
        &mut self,
        store: &mut dyn ChunkStore,
        mem: &mut dyn GuestMemory,
        open_ref: u32,
        index: u16,
        size: u32,
    ) -> Result<u32, PalmErr> {
        let i = self.writable(open_ref)?;
        let r = self.record_index(i, index)?;
        let Some(h) = self.records_mut(i)?[r].handle else { fail!(self, DM_ERR_RECORD_DELETED) };
        if size == 0 {
            fail!(self, DM_ERR_INVALID_PARAM);
        }
        if let Err(e) = store.resize_handle(mem, h, size) {
            fail!(self, e);
        }
        self.records_mut(i)?[r].attributes |= rec_attr::DIRTY;
        self.touch(i);
        self.last_err = ERR_NONE;
        Ok(h)
    }

    /// `DmRemoveRecord` (entry and data gone), `DmDeleteRecord` (data freed, entry kept with
    /// the delete bit) or `DmArchiveRecord` (data kept, delete bit set).
    pub fn remove_record(
        &mut self,
        store: &mut dyn ChunkStore,
        mem: &mut dyn GuestMemory,
        open_ref: u32,
        index: u16,
        how: Removal,
    ) -> Result<(), PalmErr> {
        let i = self.writable(open_ref)?;
        let r = self.record_index(i, index)?;
        let rec = self.records_mut(i)?[r].clone();
        match how {
            Removal::Remove => {
                if let Some(h) = rec.handle {
                    let _ = store.free_handle(mem, h);
                }
                self.records_mut(i)?.remove(r);
            }
            Removal::Delete => {
                if let Some(h) = rec.handle {
                    let _ = store.free_handle(mem, h);
                }
                let e = &mut self.records_mut(i)?[r];
                e.handle = None;
                e.attributes = (e.attributes | rec_attr::DELETE | rec_attr::DIRTY) & !rec_attr::BUSY;
            }
            Removal::Archive => {
                let e = &mut self.records_mut(i)?[r];
                e.attributes = (e.attributes | rec_attr::DELETE | rec_attr::DIRTY) & !rec_attr::BUSY;
            }
        }
        self.touch(i);
        self.sync_header(i, store, mem);
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmAttachRecord`: inserts `new_h` at `*at`, or with `replace` swaps it for the record at
    /// `*at` and returns the old handle.
    pub fn attach_record(
        &mut self,
        store: &dyn ChunkStore,
        mem: &mut dyn GuestMemory,
        open_ref: u32,
        at: u16,
        new_h: u32,
        replace: bool,
    ) -> Result<(u16, Option<u32>), PalmErr> {
        let i = self.writable(open_ref)?;
        self.records_mut(i)?;
        if !store.is_handle_in(&*mem, new_h, HeapKind::Storage) || self.owner_of_handle(new_h).is_some() {
            fail!(self, DM_ERR_INVALID_PARAM);
        }
        let old = if replace {
            let r = self.record_index(i, at)?;
            let e = &mut self.records_mut(i)?[r];
            let old = e.handle.replace(new_h);
            e.attributes = (e.attributes | rec_attr::DIRTY) & !rec_attr::DELETE;
            (at, old)
        } else {
            let unique_id = self.next_unique_id(i);
            let recs = self.records_mut(i)?;
            let index = (at as usize).min(recs.len());
            recs.insert(index, Record { attributes: rec_attr::DIRTY, unique_id, handle: Some(new_h) });
            (index as u16, None)
        };
        self.touch(i);
        self.sync_header(i, store, mem);
        self.last_err = ERR_NONE;
        Ok(old)
    }

    /// `DmDetachRecord`: removes the entry, handing its handle to the caller.
    pub fn detach_record(&mut self, store: &dyn ChunkStore, mem: &mut dyn GuestMemory, open_ref: u32, index: u16) -> Result<u32, PalmErr> {
        let i = self.writable(open_ref)?;
        let r = self.record_index(i, index)?;
        let Some(h) = self.records_mut(i)?[r].handle else { fail!(self, DM_ERR_RECORD_DELETED) };
        self.records_mut(i)?.remove(r);
        self.touch(i);
        self.sync_header(i, store, mem);
        self.last_err = ERR_NONE;
        Ok(h)
    }

    /// `DmMoveRecord`: `to` is the index the record lands before, counted with the record
    /// still in place (so moving down by one is `to = from + 2`).
    pub fn move_record(&mut self, open_ref: u32, from: u16, to: u16) -> Result<(), PalmErr> {
        let i = self.writable(open_ref)?;
        let f = self.record_index(i, from)?;
        let recs = self.records_mut(i)?;
        let n = recs.len();
        if to as usize > n {
            fail!(self, DM_ERR_INDEX_OUT_OF_RANGE);
        }
        let rec = recs.remove(f);
        let dest = if (to as usize) > f { to as usize - 1 } else { to as usize };
        recs.insert(dest, rec);
        self.touch(i);
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmRecordInfo`: (attributes, unique ID, chunk LocalID or 0).
    pub fn record_info(&mut self, open_ref: u32, index: u16) -> Result<(u8, u32, u32), PalmErr> {
        let (i, _) = self.opened(open_ref)?;
        let r = self.record_index(i, index)?;
        let rec = &self.records_mut(i)?[r];
        Ok((rec.attributes, rec.unique_id, rec.handle.map_or(0, handle_local_id)))
    }

    /// `DmSetRecordInfo`: the busy bit is the Data Manager's own and cannot be set or cleared
    /// here.
    pub fn set_record_info(&mut self, open_ref: u32, index: u16, attributes: Option<u8>, unique_id: Option<u32>) -> Result<(), PalmErr> {
        let i = self.writable(open_ref)?;
        let r = self.record_index(i, index)?;
        if let Some(u) = unique_id {
            if u > 0x00FF_FFFF || self.records_mut(i)?.iter().enumerate().any(|(k, rec)| k != r && rec.unique_id == u) {
                fail!(self, DM_ERR_INVALID_PARAM);
            }
        }
        let rec = &mut self.records_mut(i)?[r];
        if let Some(a) = attributes {
            rec.attributes = (a & !rec_attr::BUSY) | (rec.attributes & rec_attr::BUSY);
        }
        if let Some(u) = unique_id {
            rec.unique_id = u;
        }
        self.touch(i);
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmFindRecordByID`.
    pub fn find_record_by_id(&mut self, open_ref: u32, unique_id: u32) -> Result<u16, PalmErr> {
        let (i, _) = self.opened(open_ref)?;
        match self.records_mut(i)?.iter().position(|r| r.unique_id == unique_id) {
            Some(k) => Ok(k as u16),
            None => fail!(self, DM_ERR_UNIQUE_ID_NOT_FOUND),
        }
    }

    /// The database and entry owning a handle, if any (records, resources, info blocks).
    pub fn owner_of_handle(&self, h: u32) -> Option<u32> {
        self.databases.iter().find(|d| d.all_handles().contains(&h)).map(|d| d.id())
    }

    /// `DmNewResource`.
    pub fn new_resource(
        &mut self,
        store: &mut dyn ChunkStore,
        mem: &mut dyn GuestMemory,
        open_ref: u32,
        kind: u32,
        id: u16,
        size: u32,
    ) -> Result<Option<u32>, PalmErr> {
        let i = self.writable(open_ref)?;
        if self.resources_mut(i)?.iter().any(|r| r.kind == kind && r.id == id) {
            fail!(self, DM_ERR_ALREADY_EXISTS);
        }
        let h = if size == 0 {
            None
        } else {
            match store.alloc_handle(mem, HeapKind::Storage, size) {
                Ok(h) => Some(h),
                Err(_) => fail!(self, DM_ERR_MEM_ERROR),
            }
        };
        self.resources_mut(i)?.push(Resource { kind, id, handle: h });
        self.touch(i);
        self.sync_header(i, store, mem);
        self.last_err = ERR_NONE;
        Ok(h)
    }

    /// `DmGetResource` / `DmGet1Resource`: searches open resource databases, newest first
    /// (`only_newest`: just the most recently opened one).
    pub fn get_resource(&mut self, kind: u32, id: u16, only_newest: bool) -> Result<u32, PalmErr> {
        let mut searched = 0;
        for o in self.open.iter().rev() {
            let Some(db) = self.database(o.db_id) else { continue };
            let Content::Resources(res) = &db.content else { continue };
            if let Some(r) = res.iter().find(|r| r.kind == kind && r.id == id) {
                match r.handle {
                    Some(h) => {
                        self.last_err = ERR_NONE;
                        return Ok(h);
                    }
                    None => fail!(self, DM_ERR_RESOURCE_NOT_FOUND),
                }
            }
            searched += 1;
            if only_newest && searched == 1 {
                break;
            }
        }
        fail!(self, DM_ERR_RESOURCE_NOT_FOUND)
    }

    /// Resources of an open resource database.
    pub fn resources(&mut self, open_ref: u32) -> Result<&[Resource], PalmErr> {
        let (i, _) = self.opened(open_ref)?;
        Ok(self.resources_mut(i)?)
    }

    /// `DmFindResource`: by type and ID, or by handle when `by_handle` is nonzero.
    pub fn find_resource(&mut self, open_ref: u32, kind: u32, id: u16, by_handle: u32) -> Result<Option<u16>, PalmErr> {
        let res = self.resources(open_ref)?;
        Ok(res
            .iter()
            .position(|r| if by_handle != 0 { r.handle == Some(by_handle) } else { r.kind == kind && r.id == id })
            .map(|k| k as u16))
    }

    /// `DmRemoveResource`.
    pub fn remove_resource(&mut self, store: &mut dyn ChunkStore, mem: &mut dyn GuestMemory, open_ref: u32, index: u16) -> Result<(), PalmErr> {
        let i = self.writable(open_ref)?;
        let res = self.resources_mut(i)?;
        if index as usize >= res.len() {
            fail!(self, DM_ERR_INDEX_OUT_OF_RANGE);
        }
        let r = res.remove(index as usize);
        if let Some(h) = r.handle {
            let _ = store.free_handle(mem, h);
        }
        self.touch(i);
        self.sync_header(i, store, mem);
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmResizeResource`: the handle stays the handle (the chunk may move).
    pub fn resize_resource(&mut self, store: &mut dyn ChunkStore, mem: &mut dyn GuestMemory, h: u32, size: u32) -> Result<u32, PalmErr> {
        let Some(db_id) = self.owner_of_handle(h) else { fail!(self, DM_ERR_INVALID_PARAM) };
        if let Err(e) = store.resize_handle(mem, h, size) {
            fail!(self, e);
        }
        let i = self.find_by_id(db_id).unwrap();
        self.touch(i);
        self.last_err = ERR_NONE;
        Ok(h)
    }

    /// `DmSetResourceInfo`.
    pub fn set_resource_info(&mut self, open_ref: u32, index: u16, kind: Option<u32>, id: Option<u16>) -> Result<(), PalmErr> {
        let i = self.writable(open_ref)?;
        let res = self.resources_mut(i)?;
        if index as usize >= res.len() {
            fail!(self, DM_ERR_INDEX_OUT_OF_RANGE);
        }
        let (k, d) = (kind.unwrap_or(res[index as usize].kind), id.unwrap_or(res[index as usize].id));
        if res.iter().enumerate().any(|(n, r)| n != index as usize && r.kind == k && r.id == d) {
            fail!(self, DM_ERR_ALREADY_EXISTS);
        }
        res[index as usize].kind = k;
        res[index as usize].id = d;
        self.touch(i);
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmAttachResource`: adds a storage chunk not owned by any database as a resource.
    pub fn attach_resource(&mut self, store: &dyn ChunkStore, mem: &mut dyn GuestMemory, open_ref: u32, h: u32, kind: u32, id: u16) -> Result<(), PalmErr> {
        let i = self.writable(open_ref)?;
        if !store.is_handle_in(&*mem, h, HeapKind::Storage) || self.owner_of_handle(h).is_some() {
            fail!(self, DM_ERR_INVALID_PARAM);
        }
        let res = self.resources_mut(i)?;
        if res.iter().any(|r| r.kind == kind && r.id == id) {
            fail!(self, DM_ERR_ALREADY_EXISTS);
        }
        res.push(Resource { kind, id, handle: Some(h) });
        self.touch(i);
        self.sync_header(i, store, mem);
        self.last_err = ERR_NONE;
        Ok(())
    }

    /// `DmDetachResource`: removes the entry, handing its handle to the caller.
    pub fn detach_resource(&mut self, store: &dyn ChunkStore, mem: &mut dyn GuestMemory, open_ref: u32, index: u16) -> Result<u32, PalmErr> {
        let i = self.writable(open_ref)?;
        let res = self.resources_mut(i)?;
        if index as usize >= res.len() {
            fail!(self, DM_ERR_INDEX_OUT_OF_RANGE);
        }
        let Some(h) = res[index as usize].handle else { fail!(self, DM_ERR_RESOURCE_NOT_FOUND) };
        res.remove(index as usize);
        self.touch(i);
        self.sync_header(i, store, mem);
        self.last_err = ERR_NONE;
        Ok(h)
    }

    /// (index, handle) of the live records in `category` (`0xFF` = all), secret records only
    /// when the database was opened with `dmModeShowSecret`.
    pub fn records_in_category(&mut self, open_ref: u32, category: u8) -> Result<Vec<(u16, u32)>, PalmErr> {
        let (i, mode) = self.opened(open_ref)?;
        let show_secret = mode & mode::SHOW_SECRET != 0;
        Ok(self
            .records_mut(i)?
            .iter()
            .enumerate()
            .filter(|(_, r)| r.attributes & rec_attr::DELETE == 0)
            .filter(|(_, r)| show_secret || r.attributes & rec_attr::SECRET == 0)
            .filter(|(_, r)| category == 0xFF || r.attributes & rec_attr::CATEGORY_MASK == category)
            .filter_map(|(k, r)| r.handle.map(|h| (k as u16, h)))
            .collect())
    }

    /// Checks a `DmWrite`-family access: `record_p` must be the start of a storage-heap chunk
    /// and `[offset, offset + bytes)` inside it.
    pub fn check_write(&mut self, store: &dyn ChunkStore, mem: &dyn GuestMemory, record_p: u32, offset: u32, bytes: u32) -> Result<u32, PalmErr> {
        let Some((_, size)) = store.storage_chunk_at(mem, record_p) else { fail!(self, DM_ERR_NOT_VALID_RECORD) };
        match offset.checked_add(bytes) {
            Some(end) if end <= size => Ok(record_p + offset),
            _ => fail!(self, DM_ERR_WRITE_OUT_OF_BOUNDS),
        }
    }

    /// Every chunk handle the catalog references, for heap consistency checks.
    pub fn referenced_handles(&self) -> Vec<u32> {
        self.databases.iter().flat_map(|d| d.all_handles()).collect()
    }

    /// Replaces the whole catalog (card load). Open databases are closed.
    pub fn replace_catalog(&mut self, databases: Vec<Database>) {
        self.databases = databases;
        self.open.clear();
    }

    /// The index-th database of the catalog (`DmGetDatabase`).
    pub fn database_at(&self, index: usize) -> Option<&Database> {
        self.databases.get(index)
    }

    /// Mutable access for the card loader and relocation.
    pub fn databases_mut(&mut self) -> &mut Vec<Database> {
        &mut self.databases
    }

    /// Rewrites every header chunk (after a relayout of the storage heap).
    pub fn sync_all_headers(&self, store: &dyn ChunkStore, mem: &mut dyn GuestMemory) {
        for i in 0..self.databases.len() {
            self.sync_header(i, store, mem);
        }
    }
}

/// How `DataManager::remove_record` treats the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Remove,
    Delete,
    Archive,
}
