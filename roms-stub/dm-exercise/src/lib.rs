//! A 68k test application that drives the Data Manager (and the Memory Manager under it)
//! through real traps and checks every result: databases, records, resources, DmWrite bounds,
//! busy bits, unique IDs, attach/detach, and the PalmOS error of each misuse. It prints one
//! line per check group and exits with the number of failed checks (0 = all passed). The
//! integration test runs it on the emulator and inspects the card afterwards.
#![no_std]

use guest_sdk::traps::*;
use guest_sdk::{copy_from_guest, copy_to_guest, println, read_u16, read_u32, scratch_area, write_u16, GuestAddr};

guest_sdk::entry!(main);

const DM_MODE_READ_ONLY: u16 = 0x0001;
const DM_MODE_READ_WRITE: u16 = 0x0003;
const DM_MODE_EXCLUSIVE: u16 = 0x0008;
const DM_MAX_RECORD_INDEX: u16 = 0xFFFF;
const REC_BUSY: u16 = 0x20;
const REC_DIRTY: u16 = 0x40;
const REC_DELETE: u16 = 0x80;
// PalmOS error codes (DataMgr.h / MemoryMgr.h).
const DM_ERR_INDEX_OUT_OF_RANGE: u16 = 0x0202;
const DM_ERR_READ_ONLY: u16 = 0x0204;
const DM_ERR_DATABASE_OPEN: u16 = 0x0205;
const DM_ERR_CANT_FIND: u16 = 0x0207;
const DM_ERR_RECORD_DELETED: u16 = 0x020A;
const DM_ERR_NOT_RECORD_DB: u16 = 0x020C;
const DM_ERR_RECORD_BUSY: u16 = 0x020F;
const DM_ERR_RESOURCE_NOT_FOUND: u16 = 0x0210;
const DM_ERR_WRITE_OUT_OF_BOUNDS: u16 = 0x0214;
const DM_ERR_ALREADY_OPEN_FOR_WRITES: u16 = 0x0216;
const DM_ERR_UNIQUE_ID_NOT_FOUND: u16 = 0x0218;
const DM_ERR_ALREADY_EXISTS: u16 = 0x0219;
const MEM_ERR_CHUNK_NOT_LOCKED: u16 = 0x0104;

fn fourcc(s: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*s)
}

/// Counts failed checks and reports each one.
struct Checks {
    failed: u32,
    group: &'static str,
    n: u32,
}

impl Checks {
    fn check(&mut self, ok: bool, what: &str) {
        self.n += 1;
        if !ok {
            self.failed += 1;
            println!("FAIL {}: {what}", self.group);
        }
    }
    fn eq<T: PartialEq + core::fmt::Debug>(&mut self, got: T, want: T, what: &str) {
        if got != want {
            println!("FAIL {}: {what}: got {got:?}, want {want:?}", self.group);
            self.failed += 1;
        }
        self.n += 1;
    }
    fn group(&mut self, name: &'static str) {
        self.group = name;
    }
}

/// Guest scratch buffers.
struct Scratch {
    name: GuestAddr,
    out: GuestAddr,
    data: GuestAddr,
}

fn put_str(at: GuestAddr, s: &str) {
    copy_to_guest(at, s.as_bytes());
    copy_to_guest(at.add(s.len() as u32), &[0]);
}

/// The test program; returns the number of failed checks.
pub fn main() -> u32 {
    let (base, _len) = scratch_area();
    let s = Scratch { name: base, out: base.add(64), data: base.add(256) };
    let mut c = Checks { failed: 0, group: "", n: 0 };

    c.group("databases");
    put_str(s.name, "DmExercise");
    c.eq(DmCreateDatabase(0, s.name, fourcc(b"dmex"), fourcc(b"DATA"), 0), 0, "create");
    c.eq(DmCreateDatabase(0, s.name, fourcc(b"dmex"), fourcc(b"DATA"), 0), DM_ERR_ALREADY_EXISTS, "create twice");
    let id = DmFindDatabase(0, s.name);
    c.check(id != 0, "find");
    put_str(s.name, "NoSuchDatabase");
    c.eq(DmFindDatabase(0, s.name), 0, "find missing");
    c.eq(DmGetLastErr(), DM_ERR_CANT_FIND, "find missing: last error");
    let n_db = DmNumDatabases(0);
    c.check(n_db >= 1 && DmGetDatabase(0, n_db - 1) == id, "catalog lists the new database last");

    c.group("open");
    let ro = DmOpenDatabase(0, id, DM_MODE_READ_ONLY);
    c.check(!ro.is_null(), "open read-only");
    c.check(DmOpenDatabase(0, id, DM_MODE_READ_WRITE | DM_MODE_EXCLUSIVE).is_null(), "exclusive while open");
    c.eq(DmGetLastErr(), DM_ERR_ALREADY_OPEN_FOR_WRITES, "exclusive while open: error");
    write_u16(s.out, 0);
    c.check(DmNewRecord(ro, s.out, 8).is_null(), "new record read-only");
    c.eq(DmGetLastErr(), DM_ERR_READ_ONLY, "new record read-only: error");
    c.eq(DmDeleteDatabase(0, id), DM_ERR_DATABASE_OPEN, "delete while open");
    c.eq(DmCloseDatabase(ro), 0, "close");
    let db = DmOpenDatabaseByTypeCreator(fourcc(b"DATA"), fourcc(b"dmex"), DM_MODE_READ_WRITE);
    c.check(!db.is_null(), "open by type/creator");

    c.group("records");
    let text = b"Persistent records live in storage RAM.";
    for i in 0..10u16 {
        write_u16(s.out, DM_MAX_RECORD_INDEX);
        let h = DmNewRecord(db, s.out, 64 + i as u32);
        c.check(!h.is_null(), "new record");
        c.eq(read_u16(s.out), i, "appended index");
        let p = MemHandleLock(h);
        copy_to_guest(s.data, text);
        c.eq(DmWrite(p, 0, s.data, text.len() as u32), 0, "DmWrite");
        c.eq(DmSet(p, 50, 8 + i as u32, b'a' + i as u8), 0, "DmSet");
        c.eq(DmWrite(p, 60, s.data, 8 + i as u32), DM_ERR_WRITE_OUT_OF_BOUNDS, "DmWrite past the end");
        c.eq(MemHandleUnlock(h), 0, "unlock");
        c.eq(DmReleaseRecord(db, i, 1), 0, "release dirty");
    }
    c.eq(DmNumRecords(db), 10, "count");
    c.eq(MemHandleUnlock(DmQueryRecord(db, 3)), MEM_ERR_CHUNK_NOT_LOCKED, "unlock an unlocked record");
    let h = DmGetRecord(db, 4);
    c.check(!h.is_null(), "get record");
    c.check(DmGetRecord(db, 4).is_null(), "get busy record");
    c.eq(DmGetLastErr(), DM_ERR_RECORD_BUSY, "get busy record: error");
    c.eq(DmRecordInfo(db, 4, s.out, s.out.add(4), s.out.add(8)), 0, "record info");
    c.eq(read_u16(s.out) & (REC_BUSY | REC_DIRTY), REC_BUSY | REC_DIRTY, "busy and dirty bits");
    let uid4 = read_u32(s.out.add(4));
    c.eq(DmReleaseRecord(db, 4, 0), 0, "release");
    c.check(DmQueryRecord(db, 10).is_null(), "query past the end");
    c.eq(DmGetLastErr(), DM_ERR_INDEX_OUT_OF_RANGE, "query past the end: error");
    // Contents read back through a fresh lock.
    let p = MemHandleLock(DmQueryRecord(db, 7));
    let mut back = [0u8; 64];
    copy_from_guest(&mut back, p);
    c.check(&back[..text.len()] == text, "record text");
    c.check(back[50..58].iter().all(|&b| b == b'a' + 7), "DmSet bytes");
    MemHandleUnlock(DmQueryRecord(db, 7));
    // Resize keeps the data.
    let h = DmResizeRecord(db, 7, 4000);
    c.eq(MemHandleSize(h), 4000, "resized");
    let p = MemHandleLock(h);
    copy_from_guest(&mut back, p);
    c.check(&back[..text.len()] == text, "data survives resize");
    MemHandleUnlock(h);

    c.group("ids and moves");
    c.eq(DmFindRecordByID(db, uid4, s.out), 0, "find by id");
    c.eq(read_u16(s.out), 4, "found index");
    c.eq(DmFindRecordByID(db, 0x00FE_DCBA, s.out), DM_ERR_UNIQUE_ID_NOT_FOUND, "find missing id");
    c.eq(DmMoveRecord(db, 4, 0), 0, "move to front");
    c.eq(DmFindRecordByID(db, uid4, s.out), 0, "find moved");
    c.eq(read_u16(s.out), 0, "moved index");
    c.eq(DmDeleteRecord(db, 0), 0, "delete");
    c.eq(DmRecordInfo(db, 0, s.out, 0.into(), 0.into()), 0, "info of deleted");
    c.check(read_u16(s.out) & REC_DELETE != 0, "delete bit");
    c.check(DmQueryRecord(db, 0).is_null(), "query deleted");
    c.eq(DmGetLastErr(), DM_ERR_RECORD_DELETED, "query deleted: error");
    c.eq(DmRemoveRecord(db, 0), 0, "remove");
    c.eq(DmNumRecords(db), 9, "count after remove");
    let nh = DmNewHandle(db, 16);
    c.check(!nh.is_null(), "new handle");
    write_u16(s.out, 2);
    c.eq(DmAttachRecord(db, s.out, nh, 0.into()), 0, "attach");
    c.eq(DmQueryRecord(db, 2).0, nh.0, "attached at 2");
    c.eq(DmDetachRecord(db, 2, s.out.add(4)), 0, "detach");
    c.eq(read_u32(s.out.add(4)), nh.0, "detached handle");
    c.eq(MemHandleFree(nh), 0, "free detached");
    c.eq(DmCloseDatabase(db), 0, "close");

    c.group("resources");
    put_str(s.name, "DmExerciseRes");
    c.eq(DmCreateDatabase(0, s.name, fourcc(b"dmex"), fourcc(b"rsrc"), 1), 0, "create resource db");
    let rid = DmFindDatabase(0, s.name);
    let rdb = DmOpenDatabase(0, rid, DM_MODE_READ_WRITE);
    let r1 = DmNewResource(rdb, fourcc(b"tSTR"), 1000, 12);
    c.check(!r1.is_null(), "new resource");
    c.check(DmNewResource(rdb, fourcc(b"tSTR"), 1000, 12).is_null(), "duplicate resource");
    c.check(!DmNewResource(rdb, fourcc(b"Tbmp"), 1000, 100).is_null(), "second resource");
    c.eq(DmGetResource(fourcc(b"tSTR"), 1000).0, r1.0, "get resource");
    c.eq(DmGet1Resource(fourcc(b"Tbmp"), 1000).0 != 0, true, "get1 resource");
    c.check(DmGetResource(fourcc(b"tSTR"), 9999).is_null(), "missing resource");
    c.eq(DmGetLastErr(), DM_ERR_RESOURCE_NOT_FOUND, "missing resource: error");
    c.eq(DmFindResource(rdb, fourcc(b"Tbmp"), 1000, 0.into()), 1, "find resource");
    c.eq(DmNumResources(rdb), 2, "resource count");
    write_u16(s.out, 0);
    c.check(DmNewRecord(rdb, s.out, 4).is_null(), "record in a resource db");
    c.eq(DmGetLastErr(), DM_ERR_NOT_RECORD_DB, "record in a resource db: error");
    c.eq(DmRemoveResource(rdb, 0), 0, "remove resource");
    c.eq(DmNumResources(rdb), 1, "resource count after remove");
    c.eq(DmCloseDatabase(rdb), 0, "close");
    c.eq(DmDeleteDatabase(0, rid), 0, "delete resource db");

    c.group("storage protection");
    // The record database stays on the card for the host to inspect.
    c.eq(MemSemaphoreReserve(1), 0, "reserve");
    c.eq(MemSemaphoreRelease(1), 0, "release");

    println!("dm-exercise: {} checks, {} failed", c.n, c.failed);
    c.failed
}
