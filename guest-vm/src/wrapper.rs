//! Creation step 2 (`docs/store-format.md` section 11.1): copying the Wrapper into a new store.
//! The Wrapper (item 7, `roms-stub/store-wrapper`, installed as `StoreWrapper.prc`) is a small
//! application packaged as a *template* database of type [`codes::WRAPPER_DB_TYPE`] and creator
//! [`codes::WRAPPER_CREATOR`] (not `'appl'`, so the app manager does not list the template).
//! Every resource of the template (`code` 0/1, `data` 0, `pref` 0, `tver`, ...) is copied into
//! the store before `'STOR'` and the segments; its `tAIN` (the launcher's name) is replaced by
//! the store's own name. The store is an `'appl'` database, so the app manager lists it; when it
//! is launched, the Wrapper's code runs from inside the store, finds the VM application by
//! type/creator and hands it the store (`LAUNCH_CMD_RESUME_STORE`).
//!
//! Without a Wrapper on the card (the ROM test program's cards), nothing is copied and the
//! store is simply not launchable; the resumption check ignores every resource type other than
//! `'STOR'` and `'VMem'`, so both kinds of store have the same format.

use crate::codes;
use crate::palm;
use guest_sdk::GuestAddr;

/// Copies the Wrapper template's resources into the open store `db` named `name`; returns how
/// many resources the store got (0 if no Wrapper is installed).
pub fn copy_into(db: GuestAddr, name: &[u8]) -> Result<u32, u16> {
    let Some(template) = palm::open_by_type_creator(codes::WRAPPER_DB_TYPE, codes::WRAPPER_CREATOR, palm::DM_MODE_READ_ONLY) else {
        return Ok(0);
    };
    let r = copy_from(template, db, name);
    let _ = palm::close_database(template);
    r
}

fn copy_from(template: GuestAddr, db: GuestAddr, name: &[u8]) -> Result<u32, u16> {
    let mut copied = 0;
    let mut named = false;
    for i in 0..palm::num_resources(template) {
        let (kind, id) = palm::resource_info(template, i)?;
        if kind == codes::HEADER_RESOURCE_TYPE || kind == codes::SEGMENT_RESOURCE_TYPE {
            continue; // never in a Wrapper; the store's own resources come after these
        }
        if kind == codes::APP_NAME_RESOURCE_TYPE && id == codes::APP_NAME_RESOURCE_ID {
            add_name(db, name)?;
            named = true;
        } else {
            let src_h = palm::resource_handle(template, i).ok_or(palm_abi::errors::DM_ERR_RESOURCE_NOT_FOUND)?;
            let size = palm::handle_size(src_h);
            let dst_h = palm::new_resource(db, kind, id, size)?;
            let src = palm::lock(src_h);
            let dst = palm::lock(dst_h);
            let r = palm::dm_write(dst, 0, src, size);
            let _ = palm::unlock(dst_h);
            let _ = palm::unlock(src_h);
            r?;
        }
        copied += 1;
    }
    if !named {
        add_name(db, name)?;
        copied += 1;
    }
    Ok(copied)
}

/// `tAIN` 1000 = the store's name and its NUL.
fn add_name(db: GuestAddr, name: &[u8]) -> Result<(), u16> {
    let n = name.len().min(31);
    let h = palm::new_resource(db, codes::APP_NAME_RESOURCE_TYPE, codes::APP_NAME_RESOURCE_ID, n as u32 + 1)?;
    let p = palm::lock(h);
    let mut bytes = alloc::vec::Vec::with_capacity(n + 1);
    bytes.extend_from_slice(&name[..n]);
    bytes.push(0);
    let r = palm::dm_write_bytes(p, &bytes);
    let _ = palm::unlock(h);
    r
}
