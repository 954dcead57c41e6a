//! PalmOS error codes (`Err` values) with their SDK names: the error classes and the
//! complete error lists of the Memory, Data, System (with the Notification and Power
//! Manager codes that SystemMgr.h also defines) and Feature Managers.
//!
//! Source of the facts: the Palm OS 5 SDK (68K) R4 headers `ErrorBase.h`, `MemoryMgr.h`,
//! `DataMgr.h`, `SystemMgr.h` and `FeatureMgr.h`, as mirrored in the GitHub repository
//! `jichu4n/palm-os-sdk` (`sdk-5r4/include/Core/System/`). The SDK defines each code as
//! `class | n` with `n` in decimal; the values below are those sums. The Data Manager
//! values are identical in every SDK from 1.0 to 5 R4.

/// `errNone`: success.
pub const ERR_NONE: u16 = 0x0000;

/// Declares the error-class constants and the `ERROR_CLASSES` table.
macro_rules! error_classes {
    ($($(#[$doc:meta])* $konst:ident = $value:literal, $name:literal;)*) => {
        $($(#[$doc])* pub const $konst: u16 = $value;)*
        /// (class base, SDK name) of every error class in ErrorBase.h, in header order.
        pub const ERROR_CLASSES: &[(u16, &str)] = &[$(($konst, $name)),*];
    };
}

/// Declares a manager's error constants and a `(code, SDK name)` table of them.
macro_rules! error_list {
    ($table:ident; $($konst:ident = $value:literal, $name:literal;)*) => {
        $(#[doc = concat!("`", $name, "`")] pub const $konst: u16 = $value;)*
        const $table: &[(u16, &str)] = &[$(($konst, $name)),*];
    };
}

// ---- Error classes (ErrorBase.h). The high byte of a code names the manager that
// returned it; `flpErrorClass` is the exception, occupying 0x0680..=0x06FF.
error_classes! {
    /// Memory Manager.
    MEM_ERROR_CLASS = 0x0100, "memErrorClass";
    /// Data Manager.
    DM_ERROR_CLASS = 0x0200, "dmErrorClass";
    /// Serial Manager.
    SER_ERROR_CLASS = 0x0300, "serErrorClass";
    /// Serial Link Manager.
    SLK_ERROR_CLASS = 0x0400, "slkErrorClass";
    /// System Manager.
    SYS_ERROR_CLASS = 0x0500, "sysErrorClass";
    /// Floating Point Library.
    FPL_ERROR_CLASS = 0x0600, "fplErrorClass";
    /// New Floating Point Library.
    FLP_ERROR_CLASS = 0x0680, "flpErrorClass";
    /// System Event Manager.
    EVT_ERROR_CLASS = 0x0700, "evtErrorClass";
    /// Sound Manager.
    SND_ERROR_CLASS = 0x0800, "sndErrorClass";
    /// Alarm Manager.
    ALM_ERROR_CLASS = 0x0900, "almErrorClass";
    /// Time Manager.
    TIM_ERROR_CLASS = 0x0A00, "timErrorClass";
    /// Pen Manager.
    PEN_ERROR_CLASS = 0x0B00, "penErrorClass";
    /// Feature Manager.
    FTR_ERROR_CLASS = 0x0C00, "ftrErrorClass";
    /// Connection Manager (HotSync).
    CMP_ERROR_CLASS = 0x0D00, "cmpErrorClass";
    /// Desktop Link Manager.
    DLK_ERROR_CLASS = 0x0E00, "dlkErrorClass";
    /// PAD Manager.
    PAD_ERROR_CLASS = 0x0F00, "padErrorClass";
    /// Graffiti Manager.
    GRF_ERROR_CLASS = 0x1000, "grfErrorClass";
    /// Modem Manager.
    MDM_ERROR_CLASS = 0x1100, "mdmErrorClass";
    /// Net Library.
    NET_ERROR_CLASS = 0x1200, "netErrorClass";
    /// HTAL Library.
    HTAL_ERROR_CLASS = 0x1300, "htalErrorClass";
    /// INet Library.
    INET_ERROR_CLASS = 0x1400, "inetErrorClass";
    /// Exg Manager.
    EXG_ERROR_CLASS = 0x1500, "exgErrorClass";
    /// File Stream Manager.
    FILE_ERROR_CLASS = 0x1600, "fileErrorClass";
    /// RFUT Library.
    RFUT_ERROR_CLASS = 0x1700, "rfutErrorClass";
    /// Text Manager.
    TXT_ERROR_CLASS = 0x1800, "txtErrorClass";
    /// Text Services Library.
    TSM_ERROR_CLASS = 0x1900, "tsmErrorClass";
    /// Web Library.
    WEB_ERROR_CLASS = 0x1A00, "webErrorClass";
    /// Security Library.
    SEC_ERROR_CLASS = 0x1B00, "secErrorClass";
    /// Emulator Control Manager.
    EMU_ERROR_CLASS = 0x1C00, "emuErrorClass";
    /// Flash Manager.
    FLSH_ERROR_CLASS = 0x1D00, "flshErrorClass";
    /// Power Manager.
    PWR_ERROR_CLASS = 0x1E00, "pwrErrorClass";
    /// Connection Manager (Serial Communication).
    CNC_ERROR_CLASS = 0x1F00, "cncErrorClass";
    /// Activation application.
    ACTV_ERROR_CLASS = 0x2000, "actvErrorClass";
    /// Radio Manager (Library).
    RADIO_ERROR_CLASS = 0x2100, "radioErrorClass";
    /// Display Driver Errors.
    DISP_ERROR_CLASS = 0x2200, "dispErrorClass";
    /// Blitter Driver Errors.
    BLT_ERROR_CLASS = 0x2300, "bltErrorClass";
    /// Window manager.
    WIN_ERROR_CLASS = 0x2400, "winErrorClass";
    /// Overlay Manager.
    OM_ERROR_CLASS = 0x2500, "omErrorClass";
    /// Menu Manager.
    MENU_ERROR_CLASS = 0x2600, "menuErrorClass";
    /// Lz77 Library.
    LZ77_ERROR_CLASS = 0x2700, "lz77ErrorClass";
    /// Sms Library.
    SMS_ERROR_CLASS = 0x2800, "smsErrorClass";
    /// Expansion Manager and Slot Driver Library.
    EXP_ERROR_CLASS = 0x2900, "expErrorClass";
    /// Virtual Filesystem Manager and Filesystem library.
    VFS_ERROR_CLASS = 0x2A00, "vfsErrorClass";
    /// Locale Manager.
    LM_ERROR_CLASS = 0x2B00, "lmErrorClass";
    /// International Manager.
    INTL_ERROR_CLASS = 0x2C00, "intlErrorClass";
    /// PDI Library.
    PDI_ERROR_CLASS = 0x2D00, "pdiErrorClass";
    /// Attention Manager.
    ATTN_ERROR_CLASS = 0x2E00, "attnErrorClass";
    /// Telephony Manager.
    TEL_ERROR_CLASS = 0x2F00, "telErrorClass";
    /// Hardware Manager (HAL).
    HWR_ERROR_CLASS = 0x3000, "hwrErrorClass";
    /// Bluetooth Library Error Class.
    BLTH_ERROR_CLASS = 0x3100, "blthErrorClass";
    /// UDA Manager Error Class.
    UDA_ERROR_CLASS = 0x3200, "udaErrorClass";
    /// Crypto Manager.
    CPM_ERROR_CLASS = 0x3800, "cpmErrorClass";
    /// SSL (from RSA).
    SSL_ERROR_CLASS = 0x3900, "sslErrorClass";
    /// UI Library (Forms, Controls, etc).
    UILIB_ERROR_CLASS = 0x3A00, "uilibErrorClass";
    /// Certificate Manager.
    CERT_ERROR_CLASS = 0x4800, "certErrorClass";
    /// Pen Input Manager.
    PINS_ERROR_CLASS = 0x5000, "pinsErrorClass";
    /// Status Bar Manager.
    STAT_ERROR_CLASS = 0x5100, "statErrorClass";
    /// OEM/licensee errors (0x7000..=0x7EFF, shared by all licensees).
    OEM_ERROR_CLASS = 0x7000, "oemErrorClass";
    /// Informational messages without an error code.
    ERR_INFO_CLASS = 0x7F00, "errInfoClass";
    /// Application-defined errors.
    APP_ERROR_CLASS = 0x8000, "appErrorClass";
}

// ---- Memory Manager errors (MemoryMgr.h).
error_list! {
    MEMORY_ERRORS;
    MEM_ERR_CHUNK_LOCKED = 0x0101, "memErrChunkLocked";
    MEM_ERR_NOT_ENOUGH_SPACE = 0x0102, "memErrNotEnoughSpace";
    MEM_ERR_INVALID_PARAM = 0x0103, "memErrInvalidParam";
    MEM_ERR_CHUNK_NOT_LOCKED = 0x0104, "memErrChunkNotLocked";
    MEM_ERR_CARD_NOT_PRESENT = 0x0105, "memErrCardNotPresent";
    MEM_ERR_NO_CARD_HEADER = 0x0106, "memErrNoCardHeader";
    MEM_ERR_INVALID_STORE_HEADER = 0x0107, "memErrInvalidStoreHeader";
    MEM_ERR_RAM_ONLY_CARD = 0x0108, "memErrRAMOnlyCard";
    MEM_ERR_WRITE_PROTECT = 0x0109, "memErrWriteProtect";
    MEM_ERR_NO_RAM_ON_CARD = 0x010A, "memErrNoRAMOnCard";
    MEM_ERR_NO_STORE = 0x010B, "memErrNoStore";
    MEM_ERR_ROM_ONLY_CARD = 0x010C, "memErrROMOnlyCard";
}

// ---- Data Manager errors (DataMgr.h).
error_list! {
    DATA_ERRORS;
    DM_ERR_MEM_ERROR = 0x0201, "dmErrMemError";
    DM_ERR_INDEX_OUT_OF_RANGE = 0x0202, "dmErrIndexOutOfRange";
    DM_ERR_INVALID_PARAM = 0x0203, "dmErrInvalidParam";
    DM_ERR_READ_ONLY = 0x0204, "dmErrReadOnly";
    DM_ERR_DATABASE_OPEN = 0x0205, "dmErrDatabaseOpen";
    DM_ERR_CANT_OPEN = 0x0206, "dmErrCantOpen";
    DM_ERR_CANT_FIND = 0x0207, "dmErrCantFind";
    DM_ERR_RECORD_IN_WRONG_CARD = 0x0208, "dmErrRecordInWrongCard";
    DM_ERR_CORRUPT_DATABASE = 0x0209, "dmErrCorruptDatabase";
    DM_ERR_RECORD_DELETED = 0x020A, "dmErrRecordDeleted";
    DM_ERR_RECORD_ARCHIVED = 0x020B, "dmErrRecordArchived";
    DM_ERR_NOT_RECORD_DB = 0x020C, "dmErrNotRecordDB";
    DM_ERR_NOT_RESOURCE_DB = 0x020D, "dmErrNotResourceDB";
    DM_ERR_ROM_BASED = 0x020E, "dmErrROMBased";
    DM_ERR_RECORD_BUSY = 0x020F, "dmErrRecordBusy";
    DM_ERR_RESOURCE_NOT_FOUND = 0x0210, "dmErrResourceNotFound";
    DM_ERR_NO_OPEN_DATABASE = 0x0211, "dmErrNoOpenDatabase";
    DM_ERR_INVALID_CATEGORY = 0x0212, "dmErrInvalidCategory";
    DM_ERR_NOT_VALID_RECORD = 0x0213, "dmErrNotValidRecord";
    DM_ERR_WRITE_OUT_OF_BOUNDS = 0x0214, "dmErrWriteOutOfBounds";
    DM_ERR_SEEK_FAILED = 0x0215, "dmErrSeekFailed";
    DM_ERR_ALREADY_OPEN_FOR_WRITES = 0x0216, "dmErrAlreadyOpenForWrites";
    DM_ERR_OPENED_BY_ANOTHER_TASK = 0x0217, "dmErrOpenedByAnotherTask";
    DM_ERR_UNIQUE_ID_NOT_FOUND = 0x0218, "dmErrUniqueIDNotFound";
    DM_ERR_ALREADY_EXISTS = 0x0219, "dmErrAlreadyExists";
    DM_ERR_INVALID_DATABASE_NAME = 0x021A, "dmErrInvalidDatabaseName";
    DM_ERR_DATABASE_PROTECTED = 0x021B, "dmErrDatabaseProtected";
    DM_ERR_DATABASE_NOT_PROTECTED = 0x021C, "dmErrDatabaseNotProtected";
}

// ---- System Manager errors (SystemMgr.h). There is no code 0x050F or 0x0512;
// 0x0510.. are Notification Manager codes, then Power Manager codes in their own class.
error_list! {
    SYSTEM_ERRORS;
    SYS_ERR_TIMEOUT = 0x0501, "sysErrTimeout";
    SYS_ERR_PARAM_ERR = 0x0502, "sysErrParamErr";
    SYS_ERR_NO_FREE_RESOURCE = 0x0503, "sysErrNoFreeResource";
    SYS_ERR_NO_FREE_RAM = 0x0504, "sysErrNoFreeRAM";
    SYS_ERR_NOT_ALLOWED = 0x0505, "sysErrNotAllowed";
    SYS_ERR_SEM_IN_USE = 0x0506, "sysErrSemInUse";
    SYS_ERR_INVALID_ID = 0x0507, "sysErrInvalidID";
    SYS_ERR_OUT_OF_OWNER_IDS = 0x0508, "sysErrOutOfOwnerIDs";
    SYS_ERR_NO_FREE_LIB_SLOTS = 0x0509, "sysErrNoFreeLibSlots";
    SYS_ERR_LIB_NOT_FOUND = 0x050A, "sysErrLibNotFound";
    SYS_ERR_DELAY_WAKENED = 0x050B, "sysErrDelayWakened";
    SYS_ERR_ROM_INCOMPATIBLE = 0x050C, "sysErrRomIncompatible";
    SYS_ERR_BUF_TOO_SMALL = 0x050D, "sysErrBufTooSmall";
    SYS_ERR_PREF_NOT_FOUND = 0x050E, "sysErrPrefNotFound";
    SYS_NOTIFY_ERR_ENTRY_NOT_FOUND = 0x0510, "sysNotifyErrEntryNotFound";
    SYS_NOTIFY_ERR_DUPLICATE_ENTRY = 0x0511, "sysNotifyErrDuplicateEntry";
    SYS_NOTIFY_ERR_BROADCAST_BUSY = 0x0513, "sysNotifyErrBroadcastBusy";
    SYS_NOTIFY_ERR_BROADCAST_CANCELLED = 0x0514, "sysNotifyErrBroadcastCancelled";
    SYS_ERR_MB_ID = 0x0515, "sysErrMbId";
    SYS_ERR_MB_NONE = 0x0516, "sysErrMbNone";
    SYS_ERR_MB_BUSY = 0x0517, "sysErrMbBusy";
    SYS_ERR_MB_FULL = 0x0518, "sysErrMbFull";
    SYS_ERR_MB_DEPTH = 0x0519, "sysErrMbDepth";
    SYS_ERR_MB_ENV = 0x051A, "sysErrMbEnv";
    SYS_NOTIFY_ERR_QUEUE_FULL = 0x051B, "sysNotifyErrQueueFull";
    SYS_NOTIFY_ERR_QUEUE_EMPTY = 0x051C, "sysNotifyErrQueueEmpty";
    SYS_NOTIFY_ERR_NO_STACK_SPACE = 0x051D, "sysNotifyErrNoStackSpace";
    SYS_ERR_NOT_INITIALIZED = 0x051E, "sysErrNotInitialized";
    SYS_ERR_NOT_ASLEEP = 0x051F, "sysErrNotAsleep";
    SYS_ERR_NOT_ASLEEP_N = 0x0520, "sysErrNotAsleepN";
    PWR_ERR_NONE = 0x1E00, "pwrErrNone";
    PWR_ERR_BACKLIGHT = 0x1E01, "pwrErrBacklight";
    PWR_ERR_RADIO = 0x1E02, "pwrErrRadio";
    PWR_ERR_BEAM = 0x1E03, "pwrErrBeam";
    PWR_ERR_GENERIC = 0x1E04, "pwrErrGeneric";
}

// ---- Feature Manager errors (FeatureMgr.h).
error_list! {
    FEATURE_ERRORS;
    FTR_ERR_INVALID_PARAM = 0x0C01, "ftrErrInvalidParam";
    FTR_ERR_NO_SUCH_FEATURE = 0x0C02, "ftrErrNoSuchFeature";
    FTR_ERR_ALREADY_EXISTS = 0x0C03, "ftrErrAlreadyExists";
    FTR_ERR_ROM_BASED = 0x0C04, "ftrErrROMBased";
    FTR_ERR_INTERNAL_ERR = 0x0C05, "ftrErrInternalErr";
}

/// Every per-manager table, searched by [`error_name`].
const ERROR_TABLES: &[&[(u16, &str)]] =
    &[MEMORY_ERRORS, DATA_ERRORS, SYSTEM_ERRORS, FEATURE_ERRORS];

/// The SDK name of an error code (e.g. `0x0102` -> `"memErrNotEnoughSpace"`), for the
/// codes this module lists; `0` is `"errNone"`.
pub fn error_name(code: u16) -> Option<&'static str> {
    if code == ERR_NONE {
        return Some("errNone");
    }
    ERROR_TABLES
        .iter()
        .flat_map(|table| table.iter())
        .find(|(value, _)| *value == code)
        .map(|(_, name)| *name)
}

/// The SDK name of the error class a code belongs to (e.g. `0x2A05` -> `"vfsErrorClass"`),
/// useful for codes [`error_name`] does not know. `None` for `errNone` and unassigned classes.
pub fn error_class_name(code: u16) -> Option<&'static str> {
    let class = match code {
        ERR_NONE => return None,
        APP_ERROR_CLASS..=0xFFFF => APP_ERROR_CLASS,
        OEM_ERROR_CLASS..=0x7EFF => OEM_ERROR_CLASS,
        FLP_ERROR_CLASS..=0x06FF => FLP_ERROR_CLASS,
        _ => code & 0xFF00,
    };
    ERROR_CLASSES
        .iter()
        .find(|(value, _)| *value == class)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_codes() {
        for &(code, name) in &[
            (0x0101, "memErrChunkLocked"),
            (0x0102, "memErrNotEnoughSpace"),
            (0x0103, "memErrInvalidParam"),
            (0x0104, "memErrChunkNotLocked"),
            (0x0201, "dmErrMemError"),
            (0x0202, "dmErrIndexOutOfRange"),
            (0x0203, "dmErrInvalidParam"),
            (0x0204, "dmErrReadOnly"),
            (0x0205, "dmErrDatabaseOpen"),
            (0x0206, "dmErrCantOpen"),
            (0x0207, "dmErrCantFind"),
            (0x020F, "dmErrRecordBusy"),
            // DataMgr.h: dmErrorClass | 20 (decimal) in every SDK release, so 0x0214;
            // 0x0216 is dmErrAlreadyOpenForWrites.
            (0x0214, "dmErrWriteOutOfBounds"),
            (0x0216, "dmErrAlreadyOpenForWrites"),
            (0x021C, "dmErrDatabaseNotProtected"),
            (0x0501, "sysErrTimeout"),
            (0x0502, "sysErrParamErr"),
            (0x0505, "sysErrNotAllowed"),
            (0x050A, "sysErrLibNotFound"),
            (0x0520, "sysErrNotAsleepN"),
            (0x0C01, "ftrErrInvalidParam"),
            (0x0C02, "ftrErrNoSuchFeature"),
            (0x0C05, "ftrErrInternalErr"),
        ] {
            assert_eq!(error_name(code), Some(name), "error_name({code:#06X})");
        }
        assert_eq!(MEM_ERR_NOT_ENOUGH_SPACE, 0x0102);
        assert_eq!(DM_ERR_WRITE_OUT_OF_BOUNDS, 0x0214);
        assert_eq!(SYS_ERR_OUT_OF_OWNER_IDS, 0x0508);
        assert_eq!(FTR_ERR_ROM_BASED, 0x0C04);
        assert_eq!(error_name(ERR_NONE), Some("errNone"));
        assert_eq!(error_name(0x050F), None);
        assert_eq!(error_name(0x0100), None);
    }

    #[test]
    fn classes() {
        assert_eq!(MEM_ERROR_CLASS, 0x0100);
        assert_eq!(DM_ERROR_CLASS, 0x0200);
        assert_eq!(SER_ERROR_CLASS, 0x0300);
        assert_eq!(SYS_ERROR_CLASS, 0x0500);
        assert_eq!(EVT_ERROR_CLASS, 0x0700);
        assert_eq!(FTR_ERROR_CLASS, 0x0C00);
        assert_eq!(VFS_ERROR_CLASS, 0x2A00);
        assert_eq!(error_class_name(0x0102), Some("memErrorClass"));
        assert_eq!(error_class_name(0x2A05), Some("vfsErrorClass"));
        assert_eq!(error_class_name(0x0601), Some("fplErrorClass"));
        assert_eq!(error_class_name(0x0681), Some("flpErrorClass"));
        assert_eq!(error_class_name(0x7E12), Some("oemErrorClass"));
        assert_eq!(error_class_name(0x7F00), Some("errInfoClass"));
        assert_eq!(error_class_name(0x9001), Some("appErrorClass"));
        assert_eq!(error_class_name(0x3300), None);
        assert_eq!(error_class_name(ERR_NONE), None);
    }

    #[test]
    fn codes_sit_in_their_class_and_are_unique() {
        let prefixes = [
            ("mem", MEM_ERROR_CLASS),
            ("dm", DM_ERROR_CLASS),
            ("sys", SYS_ERROR_CLASS),
            ("pwr", PWR_ERROR_CLASS),
            ("ftr", FTR_ERROR_CLASS),
        ];
        let all = || ERROR_TABLES.iter().flat_map(|t| t.iter());
        for (i, &(code, name)) in all().enumerate() {
            let class = prefixes
                .iter()
                .find(|(p, _)| name.starts_with(p))
                .expect(name)
                .1;
            assert_eq!(code & 0xFF00, class, "{name}");
            assert_eq!(
                error_name(code),
                Some(name),
                "{name} shadowed by an equal code"
            );
            assert!(
                all().skip(i + 1).all(|&(_, other)| other != name),
                "{name} twice"
            );
        }
    }

    #[test]
    fn class_table_is_sorted_and_unique() {
        for pair in ERROR_CLASSES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} / {}", pair[0].1, pair[1].1);
        }
    }
}
