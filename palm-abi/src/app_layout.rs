//! Application launching facts: launch codes and flags (SystemMgr.h), the `SysAppInfoType`
//! layout (60 bytes, palmos.md §4), and the resource types an application is made of.

/// `sysAppLaunchCmdNormalLaunch`
pub const CMD_NORMAL_LAUNCH: u16 = 0;
/// `sysAppLaunchCmdSystemReset`: sent to applications when the system resets.
pub const CMD_SYSTEM_RESET: u16 = 5;
/// First custom launch code (`sysAppLaunchCmdCustomBase`): stores hand themselves to the VM
/// with codes from here.
pub const CMD_CUSTOM_BASE: u16 = 0x8000;

/// `vchrLaunch`: the Home (app manager) virtual character, sent with `commandKeyMask`.
pub const VCHR_LAUNCH: u16 = 0x0108;

/// `sysAppLaunchFlag*`
pub mod flags {
    pub const NEW_THREAD: u16 = 0x0001;
    pub const NEW_STACK: u16 = 0x0002;
    pub const NEW_GLOBALS: u16 = 0x0004;
    pub const UI_APP: u16 = 0x0008;
    pub const SUB_CALL: u16 = 0x0010;
    /// The OS applied `data` 0's relocations itself.
    pub const DATA_RELOCATED: u16 = 0x0080;
}

/// `SysAppInfoType`: byte offsets of its fields.
pub mod app_info {
    pub const SIZE: u32 = 60;
    /// Int16 launch code.
    pub const CMD: u32 = 0;
    /// MemPtr launch parameter block.
    pub const CMD_PBP: u32 = 2;
    /// UInt16 launch flags.
    pub const LAUNCH_FLAGS: u32 = 6;
    pub const TASK_ID: u32 = 8;
    /// MemHandle of `code` 1.
    pub const CODE_H: u32 = 12;
    /// DmOpenRef of the application's database.
    pub const DB_P: u32 = 16;
    pub const STACK_P: u32 = 20;
    /// MemPtr of the globals chunk.
    pub const GLOBALS_CHUNK_P: u32 = 24;
    /// UInt16 memory owner ID.
    pub const MEM_OWNER_ID: u32 = 28;
    pub const DM_ACCESS_P: u32 = 30;
    pub const DM_LAST_ERR: u32 = 34;
    pub const ERR_EXCEPTION_P: u32 = 36;
    /// The application's A5.
    pub const A5_PTR: u32 = 40;
    pub const STACK_END_P: u32 = 44;
    pub const GLOBAL_END_P: u32 = 48;
    pub const ROOT_P: u32 = 52;
    pub const EXTRA_P: u32 = 56;
}

/// Resource types of an application database.
pub mod res {
    pub const CODE: u32 = u32::from_be_bytes(*b"code");
    pub const DATA: u32 = u32::from_be_bytes(*b"data");
    pub const PREF: u32 = u32::from_be_bytes(*b"pref");
    /// Database type of applications.
    pub const APPL: u32 = u32::from_be_bytes(*b"appl");
}
