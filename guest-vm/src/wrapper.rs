//! The hook that copies the Wrapper application's code resources into a new store (creation
//! step 2, `docs/store-format.md` section 11.1). The Wrapper (item 7) is a small application
//! (type `'appl'`, creator [`crate::codes::WRAPPER_CREATOR`]) whose only job is to find the VM
//! by type/creator and hand it its own database with the custom launch code
//! [`crate::codes::LAUNCH_CMD_RESUME_STORE`]. Copying its `'code'`/`'data'`/`'pref'`/... resources
//! first is what makes a store launchable from the app manager. Until the SDK can package
//! applications with their own A5 globals, nothing is copied; the resource check of a resumption
//! ignores every resource type other than `'STOR'` and `'VMem'`, so stores made now and stores
//! with a Wrapper have the same format.

use guest_sdk::GuestAddr;

/// Copies the Wrapper's resources into the open store `db`; returns how many were copied.
pub fn copy_into(db: GuestAddr) -> Result<u32, u16> {
    let _ = db;
    Ok(0)
}
