//! The PalmOS calls the store makes, in one place: the SDK's trap wrappers plus a few Data
//! Manager traps the SDK does not wrap yet (called through `guest_sdk::traps::call` with their
//! exact argument widths), and guest-memory scratch buffers for names and output parameters.

use guest_sdk::traps::{self, call, ArgWidth, Shape};
use guest_sdk::{copy_to_guest, read_u16, read_u32, scratch_area, GuestAddr};
use palm_abi::traps as w;

/// `dmModeReadWrite`.
pub const DM_MODE_READ_WRITE: u16 = 0x0003;
/// `dmModeReadOnly`.
pub const DM_MODE_READ_ONLY: u16 = 0x0001;

/// Guest-memory scratch space for trap arguments: a NUL-terminated name and output slots.
struct Scratch {
    name: GuestAddr,
    out: GuestAddr,
}

fn scratch() -> Scratch {
    let (base, _len) = scratch_area();
    Scratch { name: base, out: base.add(64) }
}

/// Copies `name` (at most 31 bytes, as PalmOS allows) into guest memory with its NUL.
fn put_name(name: &[u8]) -> GuestAddr {
    let s = scratch();
    let n = name.len().min(31);
    copy_to_guest(s.name, &name[..n]);
    copy_to_guest(s.name.add(n as u32), &[0]);
    s.name
}

/// `DmFindDatabase(0, name)`: the dbID, or None.
pub fn find_database(name: &[u8]) -> Option<u32> {
    let id = traps::DmFindDatabase(0, put_name(name));
    (id != 0).then_some(id)
}

/// `DmCreateDatabase(0, name, creator, type, resDB)`.
pub fn create_database(name: &[u8], creator: u32, kind: u32, resource_db: bool) -> Result<(), u16> {
    match traps::DmCreateDatabase(0, put_name(name), creator, kind, resource_db as u8) {
        0 => Ok(()),
        e => Err(e),
    }
}

/// `dmHdrAttrBackup`: the database is copied by backups (HotSync).
pub const DM_HDR_ATTR_BACKUP: u16 = 0x0008;

/// Sets `attributes` bits of database `id` (`DmDatabaseInfo`, then `DmSetDatabaseInfo` with
/// only the attributes given).
pub fn set_database_attributes(id: u32, attributes: u16) -> Result<(), u16> {
    let attr_p = scratch().out;
    let z = GuestAddr(0);
    match traps::DmDatabaseInfo(0, id, z, attr_p, z, z, z, z, z, z, z, z, z) {
        0 => {}
        e => return Err(e),
    }
    guest_sdk::write_u16(attr_p, read_u16(attr_p) | attributes);
    match traps::DmSetDatabaseInfo(0, id, z, attr_p, z, z, z, z, z, z, z, z, z) {
        0 => Ok(()),
        e => Err(e),
    }
}

/// `DmOpenDatabase(0, id, mode)`.
pub fn open_database(id: u32, mode: u16) -> Result<GuestAddr, u16> {
    let db = traps::DmOpenDatabase(0, id, mode);
    if db.is_null() {
        Err(traps::DmGetLastErr())
    } else {
        Ok(db)
    }
}

/// `DmCloseDatabase`.
pub fn close_database(db: GuestAddr) -> Result<(), u16> {
    match traps::DmCloseDatabase(db) {
        0 => Ok(()),
        e => Err(e),
    }
}

/// `DmDeleteDatabase(0, id)`.
pub fn delete_database(id: u32) -> Result<(), u16> {
    match traps::DmDeleteDatabase(0, id) {
        0 => Ok(()),
        e => Err(e),
    }
}

/// True if database `id` has type `kind` and creator `creator` (searched with
/// `DmGetNextDatabaseByTypeCreator`: `DmDatabaseInfo` has 13 arguments, more than the SDK's
/// trap shapes carry).
pub fn has_type_creator(id: u32, kind: u32, creator: u32) -> bool {
    let o = scratch().out;
    let (state, card, found) = (o.add(16), o, o.add(4));
    let mut new_search = 1u8;
    loop {
        let err = traps::DmGetNextDatabaseByTypeCreator(new_search, state, kind, creator, 0, card, found);
        if err != 0 {
            return false;
        }
        if read_u32(found) == id {
            return true;
        }
        new_search = 0;
    }
}

/// `DmNumResources`.
pub fn num_resources(db: GuestAddr) -> u16 {
    traps::DmNumResources(db)
}

/// `DmResourceInfo(db, index, &type, &id, NULL)`: (type, id).
pub fn resource_info(db: GuestAddr, index: u16) -> Result<(u32, u16), u16> {
    let o = scratch().out;
    const SHAPE: Shape = Shape::new(&[ArgWidth::Long, ArgWidth::Word, ArgWidth::Long, ArgWidth::Long, ArgWidth::Long], false);
    let err = call(w::DM_RESOURCE_INFO, SHAPE, &[db.0, index as u32, o.0, o.0 + 4, 0]) as u16;
    if err != 0 {
        return Err(err);
    }
    Ok((read_u32(o), read_u16(o.add(4))))
}

/// `DmGetResourceIndex(db, index)`: the resource's handle, or None.
pub fn resource_handle(db: GuestAddr, index: u16) -> Option<GuestAddr> {
    const SHAPE: Shape = Shape::new(&[ArgWidth::Long, ArgWidth::Word], true);
    let h = GuestAddr(call(w::DM_GET_RESOURCE_INDEX, SHAPE, &[db.0, index as u32]));
    (!h.is_null()).then_some(h)
}

/// `DmNewResource(db, type, id, size)`: the new handle.
pub fn new_resource(db: GuestAddr, kind: u32, id: u16, size: u32) -> Result<GuestAddr, u16> {
    let h = traps::DmNewResource(db, kind, id, size);
    if h.is_null() {
        Err(traps::DmGetLastErr())
    } else {
        Ok(h)
    }
}

/// `MemHandleLock`: the data address.
pub fn lock(h: GuestAddr) -> GuestAddr {
    traps::MemHandleLock(h)
}

/// `MemHandleUnlock`.
pub fn unlock(h: GuestAddr) -> Result<(), u16> {
    match traps::MemHandleUnlock(h) {
        0 => Ok(()),
        e => Err(e),
    }
}

/// `MemHandleSize`.
pub fn handle_size(h: GuestAddr) -> u32 {
    traps::MemHandleSize(h)
}

/// `MemHandleLockCount`.
pub fn lock_count(h: GuestAddr) -> u16 {
    traps::MemHandleLockCount(h)
}

/// `MemSemaphoreReserve(true)`: storage RAM becomes writable.
pub fn reserve_storage() {
    traps::MemSemaphoreReserve(1);
}

/// `MemSemaphoreRelease(true)`.
pub fn release_storage() {
    traps::MemSemaphoreRelease(1);
}

/// `DmOpenDatabaseByTypeCreator(type, creator, mode)`: the open database, or None.
pub fn open_by_type_creator(kind: u32, creator: u32, mode: u16) -> Option<GuestAddr> {
    let db = traps::DmOpenDatabaseByTypeCreator(kind, creator, mode);
    (!db.is_null()).then_some(db)
}

/// `DmWrite(dst, offset, src, bytes)`.
pub fn dm_write(dst: GuestAddr, offset: u32, src: GuestAddr, bytes: u32) -> Result<(), u16> {
    match traps::DmWrite(dst, offset, src, bytes) {
        0 => Ok(()),
        e => Err(e),
    }
}

/// Copies `bytes` into the record or resource at `dst` with `DmWrite` (through the scratch
/// area, at most 256 bytes at a time).
pub fn dm_write_bytes(dst: GuestAddr, bytes: &[u8]) -> Result<(), u16> {
    let buf = scratch().out.add(64);
    for (i, chunk) in bytes.chunks(256).enumerate() {
        copy_to_guest(buf, chunk);
        dm_write(dst, (i * 256) as u32, buf, chunk.len() as u32)?;
    }
    Ok(())
}

/// The name of database `id` (`DmDatabaseInfo`), or None if there is no such database.
pub fn database_name(id: u32) -> Option<alloc::vec::Vec<u8>> {
    let name = scratch().name;
    let z = GuestAddr(0);
    if traps::DmDatabaseInfo(0, id, name, z, z, z, z, z, z, z, z, z, z) != 0 {
        return None;
    }
    let mut out = alloc::vec::Vec::new();
    for i in 0..32 {
        match guest_sdk::read_u8(name.add(i)) {
            0 => break,
            b => out.push(b),
        }
    }
    Some(out)
}

/// Every database of type `kind` and creator `creator` (`DmGetNextDatabaseByTypeCreator`,
/// only the latest version of each), in the Data Manager's order.
pub fn databases_by_type_creator(kind: u32, creator: u32) -> alloc::vec::Vec<u32> {
    let o = scratch().out;
    let (state, card, found) = (o.add(16), o, o.add(4));
    let mut ids = alloc::vec::Vec::new();
    let mut new_search = 1u8;
    while traps::DmGetNextDatabaseByTypeCreator(new_search, state, kind, creator, 1, card, found) == 0 {
        ids.push(read_u32(found));
        new_search = 0;
    }
    ids
}
