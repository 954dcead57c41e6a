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
/// Creator of the VM application (type `'appl'`) that the Wrapper looks for (item 7).
pub const VM_CREATOR: u32 = fourcc(b"SpVM");
/// Creator of the Wrapper application whose code resources start every store (item 7).
pub const WRAPPER_CREATOR: u32 = fourcc(b"SpWr");
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
