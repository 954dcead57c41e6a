//! Data Manager trap marshalling: decodes each `Dm*` trap's arguments, calls the behaviour in
//! `crate::data_mgr`, writes results to guest memory and registers, and records the error for
//! `DmGetLastErr`. Functions that return a handle or pointer return NULL on error.

use crate::data_mgr::{handle_local_id, DbInfo, PalmErr, Removal};
use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::errors::*;
use palm_abi::traps as t;

pub fn install(tb: &mut TrapTable) {
    tb.register(t::DM_CREATE_DATABASE, create_database);
    tb.register(t::DM_DELETE_DATABASE, delete_database);
    tb.register(t::DM_FIND_DATABASE, find_database);
    tb.register(t::DM_NUM_DATABASES, num_databases);
    tb.register(t::DM_GET_DATABASE, get_database);
    tb.register(t::DM_DATABASE_INFO, database_info);
    tb.register(t::DM_SET_DATABASE_INFO, set_database_info);
    tb.register(t::DM_DATABASE_SIZE, database_size);
    tb.register(t::DM_OPEN_DATABASE, open_database);
    tb.register(t::DM_OPEN_DATABASE_BY_TYPE_CREATOR, open_by_type_creator);
    tb.register(t::DM_CLOSE_DATABASE, close_database);
    tb.register(t::DM_OPEN_DATABASE_INFO, open_database_info);
    tb.register(t::DM_NEXT_OPEN_DATABASE, next_open_database);
    tb.register(t::DM_GET_LAST_ERR, get_last_err);
    tb.register(t::DM_GET_NEXT_DATABASE_BY_TYPE_CREATOR, get_next_by_type_creator);
    tb.register(t::DM_NUM_RECORDS, num_records);
    tb.register(t::DM_NEW_RECORD, new_record);
    tb.register(t::DM_GET_RECORD, get_record);
    tb.register(t::DM_QUERY_RECORD, query_record);
    tb.register(t::DM_RELEASE_RECORD, release_record);
    tb.register(t::DM_RESIZE_RECORD, resize_record);
    tb.register(t::DM_REMOVE_RECORD, remove_record);
    tb.register(t::DM_DELETE_RECORD, delete_record);
    tb.register(t::DM_ARCHIVE_RECORD, archive_record);
    tb.register(t::DM_ATTACH_RECORD, attach_record);
    tb.register(t::DM_DETACH_RECORD, detach_record);
    tb.register(t::DM_MOVE_RECORD, move_record);
    tb.register(t::DM_RECORD_INFO, record_info);
    tb.register(t::DM_SET_RECORD_INFO, set_record_info);
    tb.register(t::DM_FIND_RECORD_BY_ID, find_record_by_id);
    tb.register(t::DM_NEW_HANDLE, new_handle);
    tb.register(t::DM_WRITE, dm_write);
    tb.register(t::DM_SET, dm_set);
    tb.register(t::DM_STR_COPY, dm_str_copy);
    tb.register(t::DM_WRITE_CHECK, dm_write_check);
    tb.register(t::DM_NEW_RESOURCE, new_resource);
    tb.register(t::DM_GET_RESOURCE, get_resource);
    tb.register(t::DM_GET1_RESOURCE, get1_resource);
    tb.register(t::DM_RELEASE_RESOURCE, release_resource);
    tb.register(t::DM_RESIZE_RESOURCE, resize_resource);
    tb.register(t::DM_REMOVE_RESOURCE, remove_resource);
    tb.register(t::DM_FIND_RESOURCE, find_resource);
    tb.register(t::DM_FIND_RESOURCE_TYPE, find_resource_type);
    tb.register(t::DM_GET_RESOURCE_INDEX, get_resource_index);
    tb.register(t::DM_NUM_RESOURCES, num_resources);
    tb.register(t::DM_RESOURCE_INFO, resource_info);
    tb.register(t::DM_SET_RESOURCE_INFO, set_resource_info);
    tb.register(t::DM_ATTACH_RESOURCE, attach_resource);
    tb.register(t::DM_DETACH_RESOURCE, detach_resource);
    tb.register(t::DM_NUM_RECORDS_IN_CATEGORY, num_records_in_category);
    tb.register(t::DM_QUERY_NEXT_IN_CATEGORY, query_next_in_category);
}

fn ret_err(c: &mut TrapCall<'_>, r: Result<(), PalmErr>) -> HandlerResult {
    c.ret(r.err().unwrap_or(ERR_NONE) as u32);
    Ok(TrapOutcome::Continue)
}

fn ret_handle(c: &mut TrapCall<'_>, r: Result<u32, PalmErr>) -> HandlerResult {
    c.ret_ptr(r.unwrap_or(0));
    Ok(TrapOutcome::Continue)
}

/// Writes through an optional out-pointer (NULL = the caller doesn't want the value).
fn out32(mem: &mut dyn GuestMemory, p: u32, v: u32) -> Result<(), MemError> {
    if p != 0 { mem.write_u32(p, v) } else { Ok(()) }
}
fn out16(mem: &mut dyn GuestMemory, p: u32, v: u16) -> Result<(), MemError> {
    if p != 0 { mem.write_u16(p, v) } else { Ok(()) }
}

fn name_arg(c: &TrapCall<'_>, p: u32) -> Result<Vec<u8>, MemError> {
    // One byte more than a valid name so over-long names are seen as such.
    c.mem.read_cstr(p, crate::data_mgr::MAX_NAME_LEN as u32 + 1)
}

/// `Err DmCreateDatabase(UInt16 cardNo, const Char *nameP, UInt32 creator, UInt32 type, Boolean resDB)`
fn create_database(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (card, name_p, creator, kind, res) = { let mut a = c.args(); (a.u16()?, a.ptr()?, a.u32()?, a.u32()?, a.bool()?) };
    if card != 0 {
        s.dm.set_last_err(DM_ERR_INVALID_PARAM);
        return ret_err(c, Err(DM_ERR_INVALID_PARAM));
    }
    let name = name_arg(c, name_p)?;
    s.dm.now = s.seconds_now();
    let r = s.dm.create(&mut s.memory, c.mem, &name, creator, kind, res).map(|_| ());
    ret_err(c, r)
}

/// `Err DmDeleteDatabase(UInt16 cardNo, LocalID dbID)`
fn delete_database(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (_card, id) = { let mut a = c.args(); (a.u16()?, a.u32()?) };
    let r = s.dm.delete(&mut s.memory, c.mem, id);
    ret_err(c, r)
}

/// `LocalID DmFindDatabase(UInt16 cardNo, const Char *nameP)`
fn find_database(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (_card, name_p) = { let mut a = c.args(); (a.u16()?, a.ptr()?) };
    let name = name_arg(c, name_p)?;
    let id = match s.dm.find_by_name(&name) {
        Some(i) => {
            s.dm.set_last_err(ERR_NONE);
            s.dm.databases()[i].id()
        }
        None => {
            s.dm.set_last_err(DM_ERR_CANT_FIND);
            0
        }
    };
    c.ret(id);
    Ok(TrapOutcome::Continue)
}

/// `UInt16 DmNumDatabases(UInt16 cardNo)`
fn num_databases(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let card = c.args().u16()?;
    c.ret(if card == 0 { s.dm.databases().len() as u32 } else { 0 });
    Ok(TrapOutcome::Continue)
}

/// `LocalID DmGetDatabase(UInt16 cardNo, UInt16 index)`
fn get_database(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (card, index) = { let mut a = c.args(); (a.u16()?, a.u16()?) };
    let id = if card == 0 { s.dm.database_at(index as usize).map_or(0, |d| d.id()) } else { 0 };
    s.dm.set_last_err(if id == 0 { DM_ERR_INDEX_OUT_OF_RANGE } else { ERR_NONE });
    c.ret(id);
    Ok(TrapOutcome::Continue)
}

/// `Err DmDatabaseInfo(UInt16 cardNo, LocalID dbID, Char *nameP, UInt16 *attributesP,
/// UInt16 *versionP, UInt32 *crDateP, UInt32 *modDateP, UInt32 *bckUpDateP, UInt32 *modNumP,
/// LocalID *appInfoIDP, LocalID *sortInfoIDP, UInt32 *typeP, UInt32 *creatorP)`
fn database_info(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let mut a = c.args();
    let (_card, id) = (a.u16()?, a.u32()?);
    let p: Vec<u32> = (0..11).map(|_| a.ptr()).collect::<Result<_, _>>()?;
    let (info, app, sort) = match s.dm.info(id) {
        Ok(v) => v,
        Err(e) => return ret_err(c, Err(e)),
    };
    if p[0] != 0 {
        let mut name = info.name.clone();
        name.push(0);
        c.mem.write(p[0], &name)?;
    }
    out16(c.mem, p[1], info.attributes)?;
    out16(c.mem, p[2], info.version)?;
    for (ptr, v) in [(p[3], info.creation_date), (p[4], info.modification_date), (p[5], info.backup_date),
        (p[6], info.modification_number), (p[7], app), (p[8], sort), (p[9], info.db_type), (p[10], info.creator)] {
        out32(c.mem, ptr, v)?;
    }
    ret_err(c, Ok(()))
}

/// `Err DmSetDatabaseInfo(...)`: same arguments as `DmDatabaseInfo`, pointers to new values.
fn set_database_info(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let mut a = c.args();
    let (_card, id) = (a.u16()?, a.u32()?);
    let p: Vec<u32> = (0..11).map(|_| a.ptr()).collect::<Result<_, _>>()?;
    let (cur, _, _) = match s.dm.info(id) {
        Ok(v) => v,
        Err(e) => return ret_err(c, Err(e)),
    };
    let opt16 = |m: &dyn GuestMemory, ptr: u32, d: u16| if ptr != 0 { m.read_u16(ptr) } else { Ok(d) };
    let opt32 = |m: &dyn GuestMemory, ptr: u32, d: u32| if ptr != 0 { m.read_u32(ptr) } else { Ok(d) };
    let new = DbInfo {
        name: if p[0] != 0 { name_arg(c, p[0])? } else { cur.name.clone() },
        attributes: opt16(&*c.mem, p[1], cur.attributes)?,
        version: opt16(&*c.mem, p[2], cur.version)?,
        creation_date: opt32(&*c.mem, p[3], cur.creation_date)?,
        modification_date: opt32(&*c.mem, p[4], cur.modification_date)?,
        backup_date: opt32(&*c.mem, p[5], cur.backup_date)?,
        modification_number: opt32(&*c.mem, p[6], cur.modification_number)?,
        db_type: opt32(&*c.mem, p[9], cur.db_type)?,
        creator: opt32(&*c.mem, p[10], cur.creator)?,
        unique_id_seed: cur.unique_id_seed,
    };
    let app = if p[7] != 0 { Some(Some(c.mem.read_u32(p[7])?).filter(|&v| v != 0)) } else { None };
    let sort = if p[8] != 0 { Some(Some(c.mem.read_u32(p[8])?).filter(|&v| v != 0)) } else { None };
    let r = s.dm.set_info(&s.memory, c.mem, id, new, app, sort);
    ret_err(c, r)
}

/// `Err DmDatabaseSize(UInt16 cardNo, LocalID dbID, UInt32 *numRecordsP, UInt32 *totalBytesP, UInt32 *dataBytesP)`
fn database_size(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (_card, id, n_p, total_p, data_p) = { let mut a = c.args(); (a.u16()?, a.u32()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    let Some(db) = s.dm.database(id) else { s.dm.set_last_err(DM_ERR_CANT_FIND); return ret_err(c, Err(DM_ERR_CANT_FIND)) };
    let handles: Vec<u32> = match &db.content {
        crate::data_mgr::Content::Records(r) => r.iter().filter_map(|r| r.handle).collect(),
        crate::data_mgr::Content::Resources(r) => r.iter().filter_map(|r| r.handle).collect(),
    };
    let n = db.entry_count() as u32;
    let data: u32 = handles.iter().map(|&h| s.memory.handle_size_of(&*c.mem, h)).sum();
    let entry = if db.is_resource_db() { 10 } else { 8 };
    out32(c.mem, n_p, n)?;
    out32(c.mem, total_p, data + crate::pdb::HEADER_SIZE as u32 + n * entry)?;
    out32(c.mem, data_p, data)?;
    ret_err(c, Ok(()))
}

/// `DmOpenRef DmOpenDatabase(UInt16 cardNo, LocalID dbID, UInt16 mode)`
fn open_database(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (_card, id, mode) = { let mut a = c.args(); (a.u16()?, a.u32()?, a.u16()?) };
    let r = s.dm.open(&mut s.memory, c.mem, id, mode);
    ret_handle(c, r)
}

/// `DmOpenRef DmOpenDatabaseByTypeCreator(UInt32 type, UInt32 creator, UInt16 mode)`
fn open_by_type_creator(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (kind, creator, mode) = { let mut a = c.args(); (a.u32()?, a.u32()?, a.u16()?) };
    let r = match s.dm.find_by_type_creator(kind, creator) {
        Some(id) => s.dm.open(&mut s.memory, c.mem, id, mode),
        None => {
            s.dm.set_last_err(DM_ERR_CANT_FIND);
            Err(DM_ERR_CANT_FIND)
        }
    };
    ret_handle(c, r)
}

/// `Err DmCloseDatabase(DmOpenRef dbP)`
fn close_database(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let r = c.args().ptr()?;
    let r = s.dm.close(&mut s.memory, c.mem, r);
    ret_err(c, r)
}

/// `Err DmOpenDatabaseInfo(DmOpenRef dbP, LocalID *dbIDP, UInt16 *openCountP, UInt16 *modeP,
/// UInt16 *cardNoP, Boolean *resDBP)`
fn open_database_info(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, id_p, count_p, mode_p, card_p, res_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.ptr()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    let (i, mode) = match s.dm.opened(r) {
        Ok(v) => v,
        Err(e) => return ret_err(c, Err(e)),
    };
    let db = &s.dm.databases()[i];
    let id = db.id();
    let res = db.is_resource_db();
    let count = s.dm.open_databases().iter().filter(|o| o.db_id == id).count() as u16;
    out32(c.mem, id_p, id)?;
    out16(c.mem, count_p, count)?;
    out16(c.mem, mode_p, mode)?;
    out16(c.mem, card_p, 0)?;
    if res_p != 0 {
        c.mem.write_u8(res_p, res as u8)?;
    }
    ret_err(c, Ok(()))
}

/// `DmOpenRef DmNextOpenDatabase(DmOpenRef currentP)`: newest first; NULL starts.
fn next_open_database(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let cur = c.args().ptr()?;
    let refs: Vec<u32> = s.dm.open_databases().iter().rev().map(|o| o.open_ref).collect();
    let next = if cur == 0 { refs.first().copied() } else { refs.iter().position(|&r| r == cur).and_then(|k| refs.get(k + 1).copied()) };
    c.ret_ptr(next.unwrap_or(0));
    Ok(TrapOutcome::Continue)
}

/// `Err DmGetLastErr(void)`
fn get_last_err(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(s.dm.last_err() as u32);
    Ok(TrapOutcome::Continue)
}

/// `Err DmGetNextDatabaseByTypeCreator(Boolean newSearch, DmSearchStatePtr stateInfoP,
/// UInt32 type, UInt32 creator, Boolean onlyLatestVers, UInt16 *cardNoP, LocalID *dbIDP)`.
/// The search state (32 bytes in PalmOS) holds the next catalog index in its first long.
fn get_next_by_type_creator(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (new_search, state_p, kind, creator, latest, card_p, id_p) =
        { let mut a = c.args(); (a.bool()?, a.ptr()?, a.u32()?, a.u32()?, a.bool()?, a.ptr()?, a.ptr()?) };
    if state_p == 0 {
        s.dm.set_last_err(DM_ERR_INVALID_PARAM);
        return ret_err(c, Err(DM_ERR_INVALID_PARAM));
    }
    let start = if new_search { 0 } else { c.mem.read_u32(state_p)? as usize };
    let dbs = s.dm.databases();
    let matches = |d: &crate::data_mgr::Database| (kind == 0 || d.info.db_type == kind) && (creator == 0 || d.info.creator == creator);
    let found = (start..dbs.len()).find(|&i| {
        let d = &dbs[i];
        matches(d)
            && (!latest
                || !dbs.iter().any(|o| matches(o) && o.info.db_type == d.info.db_type && o.info.creator == d.info.creator
                    && (o.info.version > d.info.version)))
    });
    match found {
        Some(i) => {
            let id = dbs[i].id();
            c.mem.write_u32(state_p, i as u32 + 1)?;
            out16(c.mem, card_p, 0)?;
            out32(c.mem, id_p, id)?;
            s.dm.set_last_err(ERR_NONE);
            ret_err(c, Ok(()))
        }
        None => {
            c.mem.write_u32(state_p, dbs.len() as u32)?;
            s.dm.set_last_err(DM_ERR_CANT_FIND);
            ret_err(c, Err(DM_ERR_CANT_FIND))
        }
    }
}

/// `UInt16 DmNumRecords(DmOpenRef dbP)`
fn num_records(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let r = c.args().ptr()?;
    c.ret(s.dm.num_entries(r).unwrap_or(0) as u32);
    Ok(TrapOutcome::Continue)
}

/// `MemHandle DmNewRecord(DmOpenRef dbP, UInt16 *atP, UInt32 size)`
fn new_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, at_p, size) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.u32()?) };
    if at_p == 0 {
        s.dm.set_last_err(DM_ERR_INVALID_PARAM);
        return ret_handle(c, Err(DM_ERR_INVALID_PARAM));
    }
    let at = c.mem.read_u16(at_p)?;
    s.dm.now = s.seconds_now();
    let res = s.dm.new_record(&mut s.memory, c.mem, r, at, size);
    if let Ok((_, index)) = res {
        c.mem.write_u16(at_p, index)?;
    }
    ret_handle(c, res.map(|(h, _)| h))
}

/// `MemHandle DmGetRecord(DmOpenRef dbP, UInt16 index)`
fn get_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let res = s.dm.get_record(r, i);
    ret_handle(c, res)
}

/// `MemHandle DmQueryRecord(DmOpenRef dbP, UInt16 index)`
fn query_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let res = s.dm.query_record(r, i);
    ret_handle(c, res)
}

/// `Err DmReleaseRecord(DmOpenRef dbP, UInt16 index, Boolean dirty)`
fn release_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i, dirty) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.bool()?) };
    s.dm.now = s.seconds_now();
    let res = s.dm.release_record(r, i, dirty);
    ret_err(c, res)
}

/// `MemHandle DmResizeRecord(DmOpenRef dbP, UInt16 index, UInt32 newSize)`
fn resize_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i, size) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.u32()?) };
    let res = s.dm.resize_record(&mut s.memory, c.mem, r, i, size);
    ret_handle(c, res)
}

fn removal(s: &mut Shim, c: &mut TrapCall<'_>, how: Removal) -> HandlerResult {
    let (r, i) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let res = s.dm.remove_record(&mut s.memory, c.mem, r, i, how);
    ret_err(c, res)
}
/// `Err DmRemoveRecord(DmOpenRef dbP, UInt16 index)`
fn remove_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    removal(s, c, Removal::Remove)
}
/// `Err DmDeleteRecord(DmOpenRef dbP, UInt16 index)`
fn delete_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    removal(s, c, Removal::Delete)
}
/// `Err DmArchiveRecord(DmOpenRef dbP, UInt16 index)`
fn archive_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    removal(s, c, Removal::Archive)
}

/// `Err DmAttachRecord(DmOpenRef dbP, UInt16 *atP, MemHandle newH, MemHandle *oldHP)`
fn attach_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, at_p, new_h, old_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    if at_p == 0 {
        return ret_err(c, Err(DM_ERR_INVALID_PARAM));
    }
    let at = c.mem.read_u16(at_p)?;
    match s.dm.attach_record(&s.memory, c.mem, r, at, new_h, old_p != 0) {
        Ok((index, old)) => {
            c.mem.write_u16(at_p, index)?;
            out32(c.mem, old_p, old.unwrap_or(0))?;
            ret_err(c, Ok(()))
        }
        Err(e) => ret_err(c, Err(e)),
    }
}

/// `Err DmDetachRecord(DmOpenRef dbP, UInt16 index, MemHandle *oldHP)`
fn detach_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i, old_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?) };
    match s.dm.detach_record(&s.memory, c.mem, r, i) {
        Ok(h) => {
            out32(c.mem, old_p, h)?;
            ret_err(c, Ok(()))
        }
        Err(e) => ret_err(c, Err(e)),
    }
}

/// `Err DmMoveRecord(DmOpenRef dbP, UInt16 from, UInt16 to)`
fn move_record(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, from, to) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.u16()?) };
    let res = s.dm.move_record(r, from, to);
    ret_err(c, res)
}

/// `Err DmRecordInfo(DmOpenRef dbP, UInt16 index, UInt16 *attrP, UInt32 *uniqueIDP, LocalID *chunkIDP)`
fn record_info(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i, attr_p, uid_p, chunk_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    match s.dm.record_info(r, i) {
        Ok((attr, uid, chunk)) => {
            out16(c.mem, attr_p, attr as u16)?;
            out32(c.mem, uid_p, uid)?;
            out32(c.mem, chunk_p, chunk)?;
            ret_err(c, Ok(()))
        }
        Err(e) => ret_err(c, Err(e)),
    }
}

/// `Err DmSetRecordInfo(DmOpenRef dbP, UInt16 index, UInt16 *attrP, UInt32 *uniqueIDP)`
fn set_record_info(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i, attr_p, uid_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?, a.ptr()?) };
    let attr = if attr_p != 0 { Some(c.mem.read_u16(attr_p)? as u8) } else { None };
    let uid = if uid_p != 0 { Some(c.mem.read_u32(uid_p)?) } else { None };
    let res = s.dm.set_record_info(r, i, attr, uid);
    ret_err(c, res)
}

/// `Err DmFindRecordByID(DmOpenRef dbP, UInt32 uniqueID, UInt16 *indexP)`
fn find_record_by_id(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, uid, index_p) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.ptr()?) };
    match s.dm.find_record_by_id(r, uid) {
        Ok(i) => {
            out16(c.mem, index_p, i)?;
            ret_err(c, Ok(()))
        }
        Err(e) => ret_err(c, Err(e)),
    }
}

/// `MemHandle DmNewHandle(DmOpenRef dbP, UInt32 size)`: a storage chunk not yet attached.
fn new_handle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, size) = { let mut a = c.args(); (a.ptr()?, a.u32()?) };
    let res = s.dm.opened(r).and_then(|_| {
        s.memory.alloc_storage_handle(c.mem, size).map_err(|_| DM_ERR_MEM_ERROR)
    });
    if let Err(e) = res {
        s.dm.set_last_err(e);
    }
    ret_handle(c, res)
}

/// `Err DmWrite(void *recordP, UInt32 offset, const void *srcP, UInt32 bytes)`
fn dm_write(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (rec, off, src, n) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.ptr()?, a.u32()?) };
    let res = s.dm.check_write(&s.memory, &*c.mem, rec, off, n);
    if let Ok(dst) = res {
        c.mem.copy_within(dst, src, n)?;
    }
    ret_err(c, res.map(|_| ()))
}

/// `Err DmSet(void *recordP, UInt32 offset, UInt32 bytes, UInt8 value)`
fn dm_set(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (rec, off, n, v) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.u32()?, a.u8()?) };
    let res = s.dm.check_write(&s.memory, &*c.mem, rec, off, n);
    if let Ok(dst) = res {
        c.mem.fill(dst, n, v)?;
    }
    ret_err(c, res.map(|_| ()))
}

/// `Err DmStrCopy(void *recordP, UInt32 offset, const Char *srcP)`: copies the NUL too.
fn dm_str_copy(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (rec, off, src) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.ptr()?) };
    let mut text = c.mem.read_cstr(src, super::string::MAX_STRING)?;
    text.push(0);
    let res = s.dm.check_write(&s.memory, &*c.mem, rec, off, text.len() as u32);
    if let Ok(dst) = res {
        c.mem.write(dst, &text)?;
    }
    ret_err(c, res.map(|_| ()))
}

/// `Err DmWriteCheck(void *recordP, UInt32 offset, UInt32 bytes)`
fn dm_write_check(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (rec, off, n) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.u32()?) };
    let res = s.dm.check_write(&s.memory, &*c.mem, rec, off, n);
    ret_err(c, res.map(|_| ()))
}

/// `MemHandle DmNewResource(DmOpenRef dbP, DmResType resType, DmResID resID, UInt32 size)`
fn new_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, kind, id, size) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.u16()?, a.u32()?) };
    s.dm.now = s.seconds_now();
    let res = s.dm.new_resource(&mut s.memory, c.mem, r, kind, id, size);
    ret_handle(c, res.map(|h| h.unwrap_or(0)))
}

/// `MemHandle DmGetResource(DmResType type, DmResID resID)`
fn get_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (kind, id) = { let mut a = c.args(); (a.u32()?, a.u16()?) };
    let res = s.dm.get_resource(kind, id, false);
    ret_handle(c, res)
}

/// `MemHandle DmGet1Resource(DmResType type, DmResID resID)`
fn get1_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (kind, id) = { let mut a = c.args(); (a.u32()?, a.u16()?) };
    let res = s.dm.get_resource(kind, id, true);
    ret_handle(c, res)
}

/// `Err DmReleaseResource(MemHandle resourceH)`: resources are not busy-marked, so this only
/// checks the handle.
fn release_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let h = c.args().ptr()?;
    let res = if s.dm.owner_of_handle(h).is_some() { Ok(()) } else { Err(DM_ERR_INVALID_PARAM) };
    ret_err(c, res)
}

/// `MemHandle DmResizeResource(MemHandle resourceH, UInt32 newSize)`
fn resize_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (h, size) = { let mut a = c.args(); (a.ptr()?, a.u32()?) };
    s.dm.now = s.seconds_now();
    let res = s.dm.resize_resource(&mut s.memory, c.mem, h, size);
    ret_handle(c, res)
}

/// `Err DmRemoveResource(DmOpenRef dbP, UInt16 index)`
fn remove_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let res = s.dm.remove_resource(&mut s.memory, c.mem, r, i);
    ret_err(c, res)
}

/// `UInt16 DmFindResource(DmOpenRef dbP, DmResType resType, DmResID resID, MemHandle resH)`:
/// the index, or 0xFFFF (-1) when not found.
fn find_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, kind, id, h) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.u16()?, a.ptr()?) };
    let i = s.dm.find_resource(r, kind, id, h).ok().flatten();
    c.ret(i.map_or(0xFFFF, u32::from));
    Ok(TrapOutcome::Continue)
}

/// `UInt16 DmFindResourceType(DmOpenRef dbP, DmResType resType, UInt16 typeIndex)`: the index
/// of the `typeIndex`-th resource of that type, or 0xFFFF.
fn find_resource_type(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, kind, nth) = { let mut a = c.args(); (a.ptr()?, a.u32()?, a.u16()?) };
    let i = s.dm.resources(r).ok().and_then(|res| {
        res.iter().enumerate().filter(|(_, x)| x.kind == kind).nth(nth as usize).map(|(k, _)| k as u32)
    });
    c.ret(i.unwrap_or(0xFFFF));
    Ok(TrapOutcome::Continue)
}

/// `MemHandle DmGetResourceIndex(DmOpenRef dbP, UInt16 index)`
fn get_resource_index(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let res = s.dm.resources(r).and_then(|res| res.get(i as usize).map(|x| x.handle.unwrap_or(0)).ok_or(DM_ERR_INDEX_OUT_OF_RANGE));
    if let Err(e) = res {
        s.dm.set_last_err(e);
    }
    ret_handle(c, res)
}

/// `UInt16 DmNumResources(DmOpenRef dbP)`
fn num_resources(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let r = c.args().ptr()?;
    c.ret(s.dm.resources(r).map_or(0, |res| res.len() as u32));
    Ok(TrapOutcome::Continue)
}

/// `Err DmResourceInfo(DmOpenRef dbP, UInt16 index, DmResType *resTypeP, DmResID *resIDP, LocalID *chunkLocalIDP)`
fn resource_info(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i, kind_p, id_p, chunk_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    let res = s.dm.resources(r).and_then(|res| res.get(i as usize).cloned().ok_or(DM_ERR_INDEX_OUT_OF_RANGE));
    match res {
        Ok(x) => {
            out32(c.mem, kind_p, x.kind)?;
            out16(c.mem, id_p, x.id)?;
            out32(c.mem, chunk_p, x.handle.map_or(0, handle_local_id))?;
            ret_err(c, Ok(()))
        }
        Err(e) => {
            s.dm.set_last_err(e);
            ret_err(c, Err(e))
        }
    }
}

/// `Err DmSetResourceInfo(DmOpenRef dbP, UInt16 index, DmResType *resTypeP, DmResID *resIDP)`
fn set_resource_info(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i, kind_p, id_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?, a.ptr()?) };
    let kind = if kind_p != 0 { Some(c.mem.read_u32(kind_p)?) } else { None };
    let id = if id_p != 0 { Some(c.mem.read_u16(id_p)?) } else { None };
    let res = s.dm.set_resource_info(r, i, kind, id);
    ret_err(c, res)
}

/// `Err DmAttachResource(DmOpenRef dbP, MemHandle newH, DmResType resType, DmResID resID)`
fn attach_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, h, kind, id) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.u32()?, a.u16()?) };
    let res = s.dm.attach_resource(&s.memory, c.mem, r, h, kind, id);
    ret_err(c, res)
}

/// `Err DmDetachResource(DmOpenRef dbP, UInt16 index, MemHandle *oldHP)`
fn detach_resource(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, i, old_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.ptr()?) };
    match s.dm.detach_resource(&s.memory, c.mem, r, i) {
        Ok(h) => {
            out32(c.mem, old_p, h)?;
            ret_err(c, Ok(()))
        }
        Err(e) => ret_err(c, Err(e)),
    }
}

/// `UInt16 DmNumRecordsInCategory(DmOpenRef dbP, UInt16 category)`: live records (not
/// deleted) in a category, `dmAllCategories` (0xFF) for all.
fn num_records_in_category(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, cat) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let n = s.dm.records_in_category(r, cat as u8).map_or(0, |v| v.len());
    c.ret(n as u32);
    Ok(TrapOutcome::Continue)
}

/// `MemHandle DmQueryNextInCategory(DmOpenRef dbP, UInt16 *indexP, UInt16 category)`
fn query_next_in_category(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (r, index_p, cat) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.u16()?) };
    if index_p == 0 {
        return ret_handle(c, Err(DM_ERR_INVALID_PARAM));
    }
    let from = c.mem.read_u16(index_p)?;
    let next = s.dm.records_in_category(r, cat as u8).ok().and_then(|v| v.into_iter().find(|&(i, _)| i >= from));
    match next {
        Some((i, h)) => {
            c.mem.write_u16(index_p, i)?;
            ret_handle(c, Ok(h))
        }
        None => {
            s.dm.set_last_err(DM_ERR_SEEK_FAILED);
            ret_handle(c, Err(DM_ERR_SEEK_FAILED))
        }
    }
}

#[cfg(test)]
mod tests {
    //! Every Data Manager trap through its marshalling, with its PalmOS errors, on a flat
    //! memory with real heaps.
    use super::super::test_support::{Arg::*, Rig};
    use crate::data_mgr::{mode, rec_attr};
    use crate::GuestMemory;
    use palm_abi::errors::*;
    use palm_abi::traps::*;

    const NAME: u32 = 0x2000; // scratch strings
    const OUT: u32 = 0x2100; // out-parameters
    const BUF: u32 = 0x2200;
    fn code(s: &[u8; 4]) -> u32 {
        u32::from_be_bytes(*s)
    }

    fn create(r: &mut Rig, name: &str, res: bool) -> u32 {
        r.mem.write(NAME, format!("{name}\0").as_bytes()).unwrap();
        r.call(DM_CREATE_DATABASE, &[W(0), L(NAME), L(code(b"test")), L(code(b"DATA")), B(res as u8)]).unwrap();
        assert_eq!(r.d0(), 0, "DmCreateDatabase({name})");
        r.call(DM_FIND_DATABASE, &[W(0), L(NAME)]).unwrap();
        assert_ne!(r.d0(), 0);
        r.d0()
    }

    fn open(r: &mut Rig, id: u32, m: u16) -> u32 {
        r.call(DM_OPEN_DATABASE, &[W(0), L(id), W(m)]).unwrap();
        r.a0()
    }

    fn last_err(r: &mut Rig) -> u32 {
        r.call(DM_GET_LAST_ERR, &[]).unwrap();
        r.d0()
    }

    fn new_record(r: &mut Rig, db: u32, at: u16, size: u32) -> (u32, u16) {
        r.mem.write_u16(OUT, at).unwrap();
        r.call(DM_NEW_RECORD, &[L(db), L(OUT), L(size)]).unwrap();
        (r.a0(), r.mem.read_u16(OUT).unwrap())
    }

    fn lock(r: &mut Rig, h: u32) -> u32 {
        r.call(MEM_HANDLE_LOCK, &[L(h)]).unwrap();
        r.a0()
    }

    #[test]
    fn create_find_info_and_duplicate_names() {
        let mut r = Rig::new();
        let id = create(&mut r, "Memos", false);
        assert_eq!(id & 1, 1, "a dbID is a handle LocalID");
        r.call(DM_CREATE_DATABASE, &[W(0), L(NAME), L(0), L(0), B(0)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_ALREADY_EXISTS as u32);
        r.mem.write(NAME, b"\0").unwrap();
        r.call(DM_CREATE_DATABASE, &[W(0), L(NAME), L(0), L(0), B(0)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_INVALID_DATABASE_NAME as u32);
        r.mem.write(NAME, &[b'x'; 40]).unwrap();
        r.mem.write_u8(NAME + 40, 0).unwrap();
        r.call(DM_CREATE_DATABASE, &[W(0), L(NAME), L(0), L(0), B(0)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_INVALID_DATABASE_NAME as u32);
        r.mem.write(NAME, b"Nope\0").unwrap();
        r.call(DM_FIND_DATABASE, &[W(0), L(NAME)]).unwrap();
        assert_eq!(r.d0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_CANT_FIND as u32);

        // DmDatabaseInfo with a mix of NULL and real out-pointers.
        let o = |k: u32| L(OUT + 4 * k);
        r.call(DM_DATABASE_INFO, &[W(0), L(id), L(BUF), o(0), L(0), o(1), L(0), L(0), o(2), L(0), L(0), o(3), o(4)]).unwrap();
        assert_eq!(r.d0(), 0);
        assert_eq!(r.mem.read_cstr(BUF, 32).unwrap(), b"Memos");
        assert_eq!(r.mem.read_u16(OUT).unwrap(), 0, "attributes: a record database, not open");
        assert_eq!(r.mem.read_u32(OUT + 4).unwrap(), 3_000_000_000, "creation date from the clock");
        assert_eq!(r.mem.read_u32(OUT + 12).unwrap(), code(b"DATA"));
        assert_eq!(r.mem.read_u32(OUT + 16).unwrap(), code(b"test"));
        r.call(DM_NUM_DATABASES, &[W(0)]).unwrap();
        assert_eq!(r.d0(), 1);
        r.call(DM_GET_DATABASE, &[W(0), W(0)]).unwrap();
        assert_eq!(r.d0(), id);

        // Rename through DmSetDatabaseInfo; the old name is gone.
        r.mem.write(BUF, b"Notes\0").unwrap();
        r.call(DM_SET_DATABASE_INFO, &[W(0), L(id), L(BUF), L(0), L(0), L(0), L(0), L(0), L(0), L(0), L(0), L(0), L(0)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.mem.write(NAME, b"Memos\0").unwrap();
        r.call(DM_FIND_DATABASE, &[W(0), L(NAME)]).unwrap();
        assert_eq!(r.d0(), 0);
    }

    #[test]
    fn open_modes_exclusive_and_read_only() {
        let mut r = Rig::new();
        let id = create(&mut r, "Excl", false);
        let a = open(&mut r, id, mode::READ_ONLY);
        assert_ne!(a, 0);
        assert_eq!(open(&mut r, id, mode::READ_WRITE | mode::EXCLUSIVE), 0);
        assert_eq!(last_err(&mut r), DM_ERR_ALREADY_OPEN_FOR_WRITES as u32);
        // Writes through a read-only open are refused.
        r.mem.write_u16(OUT, 0).unwrap();
        r.call(DM_NEW_RECORD, &[L(a), L(OUT), L(10)]).unwrap();
        assert_eq!(r.a0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_READ_ONLY as u32);
        // A database that is open cannot be deleted.
        r.call(DM_DELETE_DATABASE, &[W(0), L(id)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_DATABASE_OPEN as u32);
        r.call(DM_CLOSE_DATABASE, &[L(a)]).unwrap();
        assert_eq!(r.d0(), 0);
        let b = open(&mut r, id, mode::READ_WRITE | mode::EXCLUSIVE);
        assert_ne!(b, 0);
        assert_eq!(open(&mut r, id, mode::READ_ONLY), 0, "exclusive blocks every other open");
        r.call(DM_OPEN_DATABASE_INFO, &[L(b), L(OUT), L(OUT + 4), L(OUT + 6), L(0), L(OUT + 8)]).unwrap();
        assert_eq!(r.mem.read_u32(OUT).unwrap(), id);
        assert_eq!(r.mem.read_u16(OUT + 4).unwrap(), 1);
        assert_eq!(r.mem.read_u16(OUT + 6).unwrap(), mode::READ_WRITE | mode::EXCLUSIVE);
        r.call(DM_CLOSE_DATABASE, &[L(b)]).unwrap();
        r.call(DM_CLOSE_DATABASE, &[L(b)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_INVALID_PARAM as u32, "closing twice is an error, not a crash");
        r.call(DM_DELETE_DATABASE, &[W(0), L(id)]).unwrap();
        assert_eq!(r.d0(), 0);
        assert_eq!(open(&mut r, id, mode::READ_ONLY), 0);
        assert_eq!(last_err(&mut r), DM_ERR_CANT_FIND as u32);
    }

    #[test]
    fn records_new_write_busy_release_and_bounds() {
        let mut r = Rig::new();
        let id = create(&mut r, "Recs", false);
        let db = open(&mut r, id, mode::READ_WRITE);
        let (h0, i0) = new_record(&mut r, db, 0, 16);
        assert_ne!(h0, 0);
        assert_eq!(i0, 0);
        let (h1, i1) = new_record(&mut r, db, 0xFFFF, 8);
        assert_eq!(i1, 1, "dmMaxRecordIndex appends");
        let (_h2, i2) = new_record(&mut r, db, 1, 4);
        assert_eq!(i2, 1, "insert in the middle");
        r.call(DM_NUM_RECORDS, &[L(db)]).unwrap();
        assert_eq!(r.d0(), 3);

        // New records are busy and dirty; DmGetRecord on a busy record fails.
        r.call(DM_RECORD_INFO, &[L(db), W(0), L(OUT), L(OUT + 4), L(OUT + 8)]).unwrap();
        let attr = r.mem.read_u16(OUT).unwrap() as u8;
        assert_eq!(attr & (rec_attr::BUSY | rec_attr::DIRTY), rec_attr::BUSY | rec_attr::DIRTY);
        assert_eq!(r.mem.read_u32(OUT + 8).unwrap(), h0 | 1);
        r.call(DM_GET_RECORD, &[L(db), W(0)]).unwrap();
        assert_eq!(r.a0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_RECORD_BUSY as u32);
        r.call(DM_RELEASE_RECORD, &[L(db), W(0), B(1)]).unwrap();
        r.call(DM_GET_RECORD, &[L(db), W(0)]).unwrap();
        assert_eq!(r.a0(), h0);

        // DmWrite within bounds, then out of bounds writes nothing.
        let p = lock(&mut r, h0);
        assert!(palm_abi::memmap::STORAGE_HEAP.contains(p));
        r.mem.write(BUF, b"0123456789ABCDEFGHIJ").unwrap();
        r.call(DM_WRITE, &[L(p), L(2), L(BUF), L(10)]).unwrap();
        assert_eq!(r.d0(), 0);
        assert_eq!(r.mem.read_vec(p + 2, 10).unwrap(), b"0123456789");
        let before = r.mem.read_vec(p, 16).unwrap();
        r.call(DM_WRITE, &[L(p), L(10), L(BUF), L(7)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_WRITE_OUT_OF_BOUNDS as u32);
        r.call(DM_SET, &[L(p), L(0xFFFF_FFF0), L(0x20), B(0xEE)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_WRITE_OUT_OF_BOUNDS as u32, "offset+bytes overflow is out of bounds");
        assert_eq!(r.mem.read_vec(p, 16).unwrap(), before, "refused writes change nothing");
        r.call(DM_SET, &[L(p), L(12), L(4), B(0x5A)]).unwrap();
        assert_eq!(r.mem.read_u32(p + 12).unwrap(), 0x5A5A_5A5A);
        r.mem.write(NAME, b"abc\0").unwrap();
        r.call(DM_STR_COPY, &[L(p), L(12), L(NAME)]).unwrap();
        assert_eq!(r.mem.read_vec(p + 12, 4).unwrap(), b"abc\0");
        r.call(DM_STR_COPY, &[L(p), L(13), L(NAME)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_WRITE_OUT_OF_BOUNDS as u32);
        // DmWrite on something that is not a record's start.
        r.call(DM_WRITE, &[L(p + 2), L(0), L(BUF), L(1)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_NOT_VALID_RECORD as u32);
        r.call(DM_WRITE, &[L(BUF), L(0), L(BUF), L(1)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_NOT_VALID_RECORD as u32, "dynamic-heap memory is not a record");

        // Query does not mark busy; indices out of range are errors.
        r.call(DM_QUERY_RECORD, &[L(db), W(2)]).unwrap();
        assert_eq!(r.a0(), h1);
        r.call(DM_QUERY_RECORD, &[L(db), W(3)]).unwrap();
        assert_eq!(r.a0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_INDEX_OUT_OF_RANGE as u32);
        r.call(DM_RELEASE_RECORD, &[L(db), W(9), B(0)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_INDEX_OUT_OF_RANGE as u32);
    }

    #[test]
    fn remove_delete_archive_attach_detach_move_and_ids() {
        let mut r = Rig::new();
        let id = create(&mut r, "Ops", false);
        let db = open(&mut r, id, mode::READ_WRITE);
        let mut uids = Vec::new();
        for k in 0..5u16 {
            new_record(&mut r, db, 0xFFFF, 4 + k as u32);
            r.call(DM_RELEASE_RECORD, &[L(db), W(k), B(0)]).unwrap();
            r.call(DM_RECORD_INFO, &[L(db), W(k), L(0), L(OUT), L(0)]).unwrap();
            uids.push(r.mem.read_u32(OUT).unwrap());
        }
        let mut sorted = uids.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), 5, "unique IDs are unique: {uids:?}");
        r.call(DM_FIND_RECORD_BY_ID, &[L(db), L(uids[3]), L(OUT)]).unwrap();
        assert_eq!((r.d0(), r.mem.read_u16(OUT).unwrap()), (0, 3));
        r.call(DM_FIND_RECORD_BY_ID, &[L(db), L(0xABCDEF), L(OUT)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_UNIQUE_ID_NOT_FOUND as u32);

        // Move record 0 to the end: "to" counts with the record still in place.
        r.call(DM_MOVE_RECORD, &[L(db), W(0), W(5)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.call(DM_FIND_RECORD_BY_ID, &[L(db), L(uids[0]), L(OUT)]).unwrap();
        assert_eq!(r.mem.read_u16(OUT).unwrap(), 4);

        // Delete keeps the entry (delete bit, no data); remove drops it.
        r.call(DM_DELETE_RECORD, &[L(db), W(0)]).unwrap();
        r.call(DM_RECORD_INFO, &[L(db), W(0), L(OUT), L(0), L(OUT + 4)]).unwrap();
        assert_ne!(r.mem.read_u16(OUT).unwrap() as u8 & rec_attr::DELETE, 0);
        assert_eq!(r.mem.read_u32(OUT + 4).unwrap(), 0);
        r.call(DM_QUERY_RECORD, &[L(db), W(0)]).unwrap();
        assert_eq!(r.a0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_RECORD_DELETED as u32);
        r.call(DM_ARCHIVE_RECORD, &[L(db), W(1)]).unwrap();
        r.call(DM_QUERY_RECORD, &[L(db), W(1)]).unwrap();
        assert_ne!(r.a0(), 0, "archived records keep their data");
        r.call(DM_REMOVE_RECORD, &[L(db), W(0)]).unwrap();
        r.call(DM_NUM_RECORDS, &[L(db)]).unwrap();
        assert_eq!(r.d0(), 4);

        // Detach hands the chunk over; attach it back at the front.
        r.call(DM_DETACH_RECORD, &[L(db), W(3), L(OUT + 8)]).unwrap();
        let h = r.mem.read_u32(OUT + 8).unwrap();
        assert_ne!(h, 0);
        r.mem.write_u16(OUT, 0).unwrap();
        r.call(DM_ATTACH_RECORD, &[L(db), L(OUT), L(h), L(0)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.call(DM_QUERY_RECORD, &[L(db), W(0)]).unwrap();
        assert_eq!(r.a0(), h);
        // Attaching a handle that already belongs to a record, or a dynamic-heap handle, fails.
        r.call(DM_ATTACH_RECORD, &[L(db), L(OUT), L(h), L(0)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_INVALID_PARAM as u32);
        r.call(MEM_HANDLE_NEW, &[L(8)]).unwrap();
        let dyn_h = r.a0();
        r.call(DM_ATTACH_RECORD, &[L(db), L(OUT), L(dyn_h), L(0)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_INVALID_PARAM as u32);
        // DmNewHandle + attach with replace returns the old handle.
        r.call(DM_NEW_HANDLE, &[L(db), L(32)]).unwrap();
        let nh = r.a0();
        r.mem.write_u16(OUT, 0).unwrap();
        r.call(DM_ATTACH_RECORD, &[L(db), L(OUT), L(nh), L(OUT + 8)]).unwrap();
        assert_eq!(r.mem.read_u32(OUT + 8).unwrap(), h);

        // Set record info: category and secret bits change, busy does not.
        r.mem.write_u16(OUT, (rec_attr::SECRET | rec_attr::BUSY | 3) as u16).unwrap();
        r.call(DM_SET_RECORD_INFO, &[L(db), W(0), L(OUT), L(0)]).unwrap();
        r.call(DM_RECORD_INFO, &[L(db), W(0), L(OUT), L(0), L(0)]).unwrap();
        assert_eq!(r.mem.read_u16(OUT).unwrap() as u8 & !rec_attr::DIRTY, rec_attr::SECRET | 3);
        r.call(DM_NUM_RECORDS_IN_CATEGORY, &[L(db), W(3)]).unwrap();
        assert_eq!(r.d0(), 0, "secret records are hidden without dmModeShowSecret");
        // Heaps stay consistent through all of it.
        r.shim.memory().check(&r.mem).unwrap();
    }

    #[test]
    fn resources_new_get_find_resize_remove() {
        let mut r = Rig::new();
        let id = create(&mut r, "Res", true);
        let db = open(&mut r, id, mode::READ_WRITE);
        r.call(DM_NEW_RESOURCE, &[L(db), L(code(b"tSTR")), W(1000), L(12)]).unwrap();
        let h = r.a0();
        assert_ne!(h, 0);
        r.call(DM_NEW_RESOURCE, &[L(db), L(code(b"tSTR")), W(1000), L(12)]).unwrap();
        assert_eq!(r.a0(), 0, "duplicate (type, id)");
        r.call(DM_NEW_RESOURCE, &[L(db), L(code(b"tSTR")), W(1001), L(4)]).unwrap();
        r.call(DM_NEW_RESOURCE, &[L(db), L(code(b"Tbmp")), W(1000), L(40)]).unwrap();
        r.call(DM_GET_RESOURCE, &[L(code(b"tSTR")), W(1000)]).unwrap();
        assert_eq!(r.a0(), h);
        r.call(DM_GET1_RESOURCE, &[L(code(b"tSTR")), W(9)]).unwrap();
        assert_eq!(r.a0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_RESOURCE_NOT_FOUND as u32);
        r.call(DM_NUM_RESOURCES, &[L(db)]).unwrap();
        assert_eq!(r.d0(), 3);
        r.call(DM_FIND_RESOURCE, &[L(db), L(code(b"Tbmp")), W(1000), L(0)]).unwrap();
        assert_eq!(r.d0(), 2);
        r.call(DM_FIND_RESOURCE, &[L(db), L(0), W(0), L(h)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.call(DM_FIND_RESOURCE_TYPE, &[L(db), L(code(b"tSTR")), W(1)]).unwrap();
        assert_eq!(r.d0(), 1);
        r.call(DM_RESOURCE_INFO, &[L(db), W(1), L(OUT), L(OUT + 4), L(OUT + 8)]).unwrap();
        assert_eq!((r.mem.read_u32(OUT).unwrap(), r.mem.read_u16(OUT + 4).unwrap()), (code(b"tSTR"), 1001));
        r.call(DM_RESIZE_RESOURCE, &[L(h), L(300)]).unwrap();
        assert_eq!(r.a0(), h);
        r.call(MEM_HANDLE_SIZE, &[L(h)]).unwrap();
        assert_eq!(r.d0(), 300);
        r.call(DM_REMOVE_RESOURCE, &[L(db), W(0)]).unwrap();
        r.call(DM_GET_RESOURCE, &[L(code(b"tSTR")), W(1000)]).unwrap();
        assert_eq!(r.a0(), 0);
        // Record calls on a resource database are refused.
        r.mem.write_u16(OUT, 0).unwrap();
        r.call(DM_NEW_RECORD, &[L(db), L(OUT), L(4)]).unwrap();
        assert_eq!(last_err(&mut r), DM_ERR_NOT_RECORD_DB as u32);
        r.shim.memory().check(&r.mem).unwrap();
    }

    #[test]
    fn search_by_type_creator() {
        let mut r = Rig::new();
        let a = create(&mut r, "A", false);
        let _b = create(&mut r, "B", true);
        let c = create(&mut r, "C", false);
        let mut found = Vec::new();
        let state = BUF;
        let mut new_search = 1;
        loop {
            r.call(DM_GET_NEXT_DATABASE_BY_TYPE_CREATOR, &[B(new_search), L(state), L(code(b"DATA")), L(code(b"test")), B(0), L(OUT), L(OUT + 4)]).unwrap();
            if r.d0() != 0 {
                assert_eq!(r.d0(), DM_ERR_CANT_FIND as u32);
                break;
            }
            found.push(r.mem.read_u32(OUT + 4).unwrap());
            new_search = 0;
        }
        assert_eq!(found.len(), 3);
        assert_eq!((found[0], found[2]), (a, c));
        r.call(DM_OPEN_DATABASE_BY_TYPE_CREATOR, &[L(code(b"DATA")), L(code(b"test")), W(mode::READ_ONLY)]).unwrap();
        assert_ne!(r.a0(), 0);
        r.call(DM_OPEN_DATABASE_BY_TYPE_CREATOR, &[L(code(b"NONE")), L(0), W(mode::READ_ONLY)]).unwrap();
        assert_eq!(r.a0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_CANT_FIND as u32);
    }

    #[test]
    fn remaining_traps_sizes_categories_resource_info_and_write_check() {
        let mut r = Rig::new();
        let id = create(&mut r, "Misc", false);
        let db = open(&mut r, id, mode::READ_WRITE);
        for (k, cat) in [(0u16, 1u8), (1, 2), (2, 1)] {
            new_record(&mut r, db, 0xFFFF, 10 + k as u32);
            r.call(DM_RELEASE_RECORD, &[L(db), W(k), B(0)]).unwrap();
            r.mem.write_u16(OUT, cat as u16).unwrap();
            r.call(DM_SET_RECORD_INFO, &[L(db), W(k), L(OUT), L(0)]).unwrap();
            assert_eq!(r.d0(), 0);
        }
        r.call(DM_DATABASE_SIZE, &[W(0), L(id), L(OUT), L(OUT + 4), L(OUT + 8)]).unwrap();
        assert_eq!(r.mem.read_u32(OUT).unwrap(), 3);
        assert_eq!(r.mem.read_u32(OUT + 8).unwrap(), 10 + 11 + 12, "data bytes");
        assert!(r.mem.read_u32(OUT + 4).unwrap() > 33, "total includes the header");
        r.call(DM_NUM_RECORDS_IN_CATEGORY, &[L(db), W(1)]).unwrap();
        assert_eq!(r.d0(), 2);
        r.call(DM_NUM_RECORDS_IN_CATEGORY, &[L(db), W(0xFF)]).unwrap();
        assert_eq!(r.d0(), 3);
        r.mem.write_u16(OUT, 1).unwrap();
        r.call(DM_QUERY_NEXT_IN_CATEGORY, &[L(db), L(OUT), W(1)]).unwrap();
        assert_ne!(r.a0(), 0);
        assert_eq!(r.mem.read_u16(OUT).unwrap(), 2, "next record of category 1 from index 1");
        r.mem.write_u16(OUT, 3).unwrap();
        r.call(DM_QUERY_NEXT_IN_CATEGORY, &[L(db), L(OUT), W(1)]).unwrap();
        assert_eq!(r.a0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_SEEK_FAILED as u32);
        // DmWriteCheck agrees with DmWrite's bounds.
        let h = { r.call(DM_QUERY_RECORD, &[L(db), W(0)]).unwrap(); r.a0() };
        let p = lock(&mut r, h);
        r.call(DM_WRITE_CHECK, &[L(p), L(0), L(10)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.call(DM_WRITE_CHECK, &[L(p), L(1), L(10)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_WRITE_OUT_OF_BOUNDS as u32);
        // Open-database iteration, newest first.
        let db2 = open(&mut r, id, mode::READ_ONLY);
        r.call(DM_NEXT_OPEN_DATABASE, &[L(0)]).unwrap();
        assert_eq!(r.a0(), db2);
        r.call(DM_NEXT_OPEN_DATABASE, &[L(db2)]).unwrap();
        assert_eq!(r.a0(), db);
        r.call(DM_NEXT_OPEN_DATABASE, &[L(db)]).unwrap();
        assert_eq!(r.a0(), 0);

        // Resources: index access, info, set info, attach and detach.
        let rid = create(&mut r, "MiscRes", true);
        let rdb = open(&mut r, rid, mode::READ_WRITE);
        r.call(DM_NEW_RESOURCE, &[L(rdb), L(code(b"tSTR")), W(1), L(4)]).unwrap();
        let h1 = r.a0();
        r.call(DM_GET_RESOURCE_INDEX, &[L(rdb), W(0)]).unwrap();
        assert_eq!(r.a0(), h1);
        r.call(DM_GET_RESOURCE_INDEX, &[L(rdb), W(5)]).unwrap();
        assert_eq!(r.a0(), 0);
        assert_eq!(last_err(&mut r), DM_ERR_INDEX_OUT_OF_RANGE as u32);
        r.mem.write_u32(OUT, code(b"tAIB")).unwrap();
        r.mem.write_u16(OUT + 4, 7).unwrap();
        r.call(DM_SET_RESOURCE_INFO, &[L(rdb), W(0), L(OUT), L(OUT + 4)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.call(DM_RESOURCE_INFO, &[L(rdb), W(0), L(OUT + 8), L(OUT + 12), L(OUT + 16)]).unwrap();
        assert_eq!(r.mem.read_u32(OUT + 8).unwrap(), code(b"tAIB"));
        assert_eq!(r.mem.read_u16(OUT + 12).unwrap(), 7);
        assert_eq!(r.mem.read_u32(OUT + 16).unwrap(), h1 | 1);
        r.call(DM_DETACH_RESOURCE, &[L(rdb), W(0), L(OUT)]).unwrap();
        assert_eq!((r.d0(), r.mem.read_u32(OUT).unwrap()), (0, h1));
        r.call(DM_NUM_RESOURCES, &[L(rdb)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.call(DM_ATTACH_RESOURCE, &[L(rdb), L(h1), L(code(b"tSTR")), W(2)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.call(DM_ATTACH_RESOURCE, &[L(rdb), L(h1), L(code(b"tSTR")), W(3)]).unwrap();
        assert_eq!(r.d0(), DM_ERR_INVALID_PARAM as u32, "a handle can belong to one entry only");
        r.call(DM_FIND_RESOURCE, &[L(rdb), L(code(b"tSTR")), W(2), L(0)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.call(DM_FIND_RESOURCE, &[L(rdb), L(code(b"tSTR")), W(9), L(0)]).unwrap();
        assert_eq!(r.d0(), 0xFFFF);
        r.call(DM_RELEASE_RESOURCE, &[L(h1)]).unwrap();
        assert_eq!(r.d0(), 0);
        r.shim.memory().check(&r.mem).unwrap();
    }

    #[test]
    fn install_export_round_trip_survives_relocation() {
        use crate::pdb::{DatabaseFile, Entries, RecordEntry, ResourceEntry};
        let mut r = Rig::new();
        let pdb = DatabaseFile {
            app_info: Some(b"app info".to_vec()),
            ..DatabaseFile::new("Round", code(b"DATA"), code(b"rndt"), Entries::Records(
                (0..40u32).map(|i| RecordEntry { attributes: (i % 16) as u8, unique_id: 100 + i, data: (0..i * 3).map(|b| b as u8 ^ i as u8).collect() }).collect(),
            )).unwrap()
        };
        let prc = DatabaseFile::new("RoundApp", code(b"appl"), code(b"rndt"), Entries::Resources(vec![
            ResourceEntry { kind: code(b"code"), id: 0, data: vec![0; 24] },
            ResourceEntry { kind: code(b"code"), id: 1, data: vec![0x4E, 0x75] },
            ResourceEntry { kind: code(b"tAIN"), id: 1000, data: vec![] },
        ])).unwrap();
        let (dm, mm) = r.shim.data_and_memory();
        let id1 = dm.install(mm, &mut r.mem, &pdb).unwrap();
        let id2 = dm.install(mm, &mut r.mem, &prc).unwrap();
        assert!(matches!(dm.install(mm, &mut r.mem, &prc), Err(crate::data_mgr::transfer::InstallError::AlreadyExists(_))));
        for seed in 1..20 {
            mm.relocate_unlocked(&mut r.mem, crate::managers::memory_mgr::STORAGE_HEAP_ID, seed).unwrap();
            mm.check(&r.mem).unwrap();
            assert_eq!(dm.export(mm, &r.mem, id1).unwrap().to_bytes(), pdb.to_bytes(), "seed {seed}");
            assert_eq!(dm.export(mm, &r.mem, id2).unwrap().to_bytes(), prc.to_bytes(), "seed {seed}");
        }
    }
}
