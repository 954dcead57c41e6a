//! Every type, creator, resource and magic code of the store, in one place
//! (`docs/store-format.md`, section 2).

/// A four-character code as PalmOS stores it (big-endian).
pub const fn fourcc(s: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*s)
}

/// Database type of a store: an application, so the app manager lists it.
pub const STORE_DB_TYPE: u32 = fourcc(b"appl");
/// Creator of every store database.
pub const STORE_CREATOR: u32 = fourcc(b"SpSt");
/// Database type of the VM application (`GuestVM.prc`, "Persistent VM").
pub const VM_DB_TYPE: u32 = fourcc(b"appl");
/// Creator of the VM application that the Wrapper looks for (item 7).
pub const VM_CREATOR: u32 = fourcc(b"SpVM");
/// Database type of the Wrapper template (`StoreWrapper.prc`): not `'appl'`, so the app
/// manager does not list the template itself; its resources become an application only
/// inside a store (which is `'appl'`).
pub const WRAPPER_DB_TYPE: u32 = fourcc(b"wrap");
/// Creator of the Wrapper template whose resources start every store (item 7).
pub const WRAPPER_CREATOR: u32 = fourcc(b"SpWr");
/// Resource type of an application's launcher name; a store's is the store's name.
pub const APP_NAME_RESOURCE_TYPE: u32 = fourcc(b"tAIN");
/// Resource ID of the launcher name.
pub const APP_NAME_RESOURCE_ID: u16 = 1000;
/// Resource type of the store header; exactly one, with ID [`HEADER_RESOURCE_ID`].
pub const HEADER_RESOURCE_TYPE: u32 = fourcc(b"STOR");
/// Resource ID of the store header.
pub const HEADER_RESOURCE_ID: u16 = 0;
/// Resource type of heap segments, IDs 1..=lastRecordId.
pub const SEGMENT_RESOURCE_TYPE: u32 = fourcc(b"VMem");
/// `StoreHeader.MAGIC`.
pub const STORE_MAGIC: u32 = fourcc(b"SpSH");
/// `SegmentHeader.MAGIC`; its first half (0x5370) is what an unbumped record starts with.
pub const SEGMENT_MAGIC: u32 = fourcc(b"SpSG");
/// The first two bytes of a bumped segment record.
pub const BUMP_MARKER: u16 = 0xFFFF;
/// The first two bytes of an unbumped segment record (the segment magic's first half).
pub const UNBUMPED_MARKER: u16 = (SEGMENT_MAGIC >> 16) as u16;
/// `sysAppLaunchCmdCustomBase`.
pub const LAUNCH_CMD_CUSTOM_BASE: u16 = 0x8000;
/// Custom launch code with which the Wrapper hands its store to the VM (item 7).
pub const LAUNCH_CMD_RESUME_STORE: u16 = LAUNCH_CMD_CUSTOM_BASE + 1;

/// The parameter block of [`LAUNCH_CMD_RESUME_STORE`]: `{ UInt16 cardNo; LocalID dbID; }`
/// (68k packing: no padding), a dynamic-heap chunk the Wrapper allocates and gives to the
/// system (`MemPtrSetOwner(p, 0)`), since it must outlive the Wrapper's launch.
pub mod resume_params {
    /// `UInt16 cardNo`.
    pub const CARD_NO: u32 = 0;
    /// `LocalID dbID` of the store.
    pub const DB_ID: u32 = 2;
    /// Size of the block.
    pub const SIZE: u32 = 6;
}
