//! Named trap words for the traps this project implements or calls by name, plus trap-word
//! helpers. The complete SDK name table lives in `trap_names`; a test checks that every
//! constant here agrees with it.

/// `sysTrapBase`: the first system trap word.
pub const SYS_TRAP_BASE: u16 = 0xA000;
/// First library trap word (`sysLibTrapName`); library traps take the refNum as first argument.
pub const SYS_LIB_TRAP_BASE: u16 = 0xA800;
/// Highest library trap (`sysLibTrapCustom`); custom library functions follow it.
pub const SYS_LIB_TRAP_CUSTOM: u16 = 0xA805;

/// Normalises a trap word the way PalmOS does: some tools omit the `A` nibble.
pub const fn normalize(word: u16) -> u16 {
    (word & 0x0FFF) | 0xA000
}

/// True for library traps (0xA800 and above after normalisation).
pub const fn is_library_trap(word: u16) -> bool {
    normalize(word) >= SYS_LIB_TRAP_BASE
}

macro_rules! named_traps {
    ($($konst:ident = $word:literal, $name:literal;)*) => {
        $(pub const $konst: u16 = $word;)*
        /// (word, SDK name) of every constant above, for the consistency test.
        pub const NAMED: &[(u16, &str)] = &[$(($word, $name)),*];
    };
}

named_traps! {
    MEM_CHUNK_FREE = 0xA012, "MemChunkFree";
    MEM_PTR_NEW = 0xA013, "MemPtrNew";
    MEM_MOVE = 0xA026, "MemMove";
    // Memory Manager: heaps, chunks, handles, LocalIDs, the semaphore.
    MEM_NUM_HEAPS = 0xA007, "MemNumHeaps";
    MEM_NUM_RAM_HEAPS = 0xA008, "MemNumRAMHeaps";
    MEM_HEAP_ID = 0xA009, "MemHeapID";
    MEM_HEAP_FREE_BYTES = 0xA00B, "MemHeapFreeBytes";
    MEM_HEAP_SIZE = 0xA00C, "MemHeapSize";
    MEM_HEAP_FLAGS = 0xA00D, "MemHeapFlags";
    MEM_HEAP_COMPACT = 0xA00E, "MemHeapCompact";
    MEM_HEAP_FREE_BY_OWNER_ID = 0xA010, "MemHeapFreeByOwnerID";
    MEM_PTR_RECOVER_HANDLE = 0xA014, "MemPtrRecoverHandle";
    MEM_PTR_SIZE = 0xA016, "MemPtrSize";
    MEM_PTR_OWNER = 0xA017, "MemPtrOwner";
    MEM_PTR_HEAP_ID = 0xA018, "MemPtrHeapID";
    MEM_PTR_CARD_NO = 0xA019, "MemPtrCardNo";
    MEM_PTR_TO_LOCAL_ID = 0xA01A, "MemPtrToLocalID";
    MEM_PTR_SET_OWNER = 0xA01B, "MemPtrSetOwner";
    MEM_PTR_RESIZE = 0xA01C, "MemPtrResize";
    MEM_PTR_RESET_LOCK = 0xA01D, "MemPtrResetLock";
    MEM_HANDLE_NEW = 0xA01E, "MemHandleNew";
    MEM_HANDLE_LOCK_COUNT = 0xA01F, "MemHandleLockCount";
    MEM_HANDLE_TO_LOCAL_ID = 0xA020, "MemHandleToLocalID";
    MEM_HANDLE_LOCK = 0xA021, "MemHandleLock";
    MEM_HANDLE_UNLOCK = 0xA022, "MemHandleUnlock";
    MEM_LOCAL_ID_TO_GLOBAL = 0xA023, "MemLocalIDToGlobal";
    MEM_LOCAL_ID_KIND = 0xA024, "MemLocalIDKind";
    MEM_LOCAL_ID_TO_PTR = 0xA025, "MemLocalIDToPtr";
    MEM_HANDLE_FREE = 0xA02B, "MemHandleFree";
    MEM_HANDLE_SIZE = 0xA02D, "MemHandleSize";
    MEM_HANDLE_OWNER = 0xA02E, "MemHandleOwner";
    MEM_HANDLE_HEAP_ID = 0xA02F, "MemHandleHeapID";
    MEM_HANDLE_DATA_STORAGE = 0xA030, "MemHandleDataStorage";
    MEM_HANDLE_CARD_NO = 0xA031, "MemHandleCardNo";
    MEM_HANDLE_SET_OWNER = 0xA032, "MemHandleSetOwner";
    MEM_HANDLE_RESIZE = 0xA033, "MemHandleResize";
    MEM_HANDLE_RESET_LOCK = 0xA034, "MemHandleResetLock";
    MEM_PTR_UNLOCK = 0xA035, "MemPtrUnlock";
    MEM_LOCAL_ID_TO_LOCKED_PTR = 0xA036, "MemLocalIDToLockedPtr";
    MEM_HEAP_CHECK = 0xA039, "MemHeapCheck";
    MEM_NUM_CARDS = 0xA03A, "MemNumCards";
    MEM_SEMAPHORE_RESERVE = 0xA03C, "MemSemaphoreReserve";
    MEM_SEMAPHORE_RELEASE = 0xA03D, "MemSemaphoreRelease";
    MEM_HEAP_DYNAMIC = 0xA03E, "MemHeapDynamic";
    MEM_PTR_DATA_STORAGE = 0xA36F, "MemPtrDataStorage";
    MEM_SET = 0xA027, "MemSet";
    MEM_CMP = 0xA2D7, "MemCmp";
    ERR_DISPLAY_FILE_LINE_MSG = 0xA084, "ErrDisplayFileLineMsg";
    SYS_LIB_FIND = 0xA0BA, "SysLibFind";
    SYS_RANDOM = 0xA0C2, "SysRandom";
    SYS_FATAL_ALERT = 0xA0AD, "SysFatalAlert";
    SYS_TASK_DELAY = 0xA0A0, "SysTaskDelay";
    STR_COPY = 0xA0C5, "StrCopy";
    STR_CAT = 0xA0C6, "StrCat";
    STR_LEN = 0xA0C7, "StrLen";
    STR_COMPARE = 0xA0C8, "StrCompare";
    STR_I_TO_A = 0xA0C9, "StrIToA";
    TIM_GET_SECONDS = 0xA0F5, "TimGetSeconds";
    TIM_GET_TICKS = 0xA0F7, "TimGetTicks";
    EVT_GET_EVENT = 0xA11D, "EvtGetEvent";
    FTR_GET = 0xA27B, "FtrGet";
    SYS_TICKS_PER_SECOND = 0xA2E9, "SysTicksPerSecond";
    STR_N_COMPARE = 0xA2ED, "StrNCompare";
    STR_N_COPY = 0xA2CE, "StrNCopy";
    SYS_GET_TRAP_ADDRESS = 0xA093, "SysGetTrapAddress";
    HOST_CONTROL = 0xA344, "HostControl";
    // Data Manager
    DM_CREATE_DATABASE = 0xA041, "DmCreateDatabase";
    DM_DELETE_DATABASE = 0xA042, "DmDeleteDatabase";
    DM_FIND_DATABASE = 0xA045, "DmFindDatabase";
    DM_NUM_DATABASES = 0xA043, "DmNumDatabases";
    DM_GET_DATABASE = 0xA044, "DmGetDatabase";
    DM_DATABASE_INFO = 0xA046, "DmDatabaseInfo";
    DM_SET_DATABASE_INFO = 0xA047, "DmSetDatabaseInfo";
    DM_DATABASE_SIZE = 0xA048, "DmDatabaseSize";
    DM_OPEN_DATABASE = 0xA049, "DmOpenDatabase";
    DM_OPEN_DATABASE_BY_TYPE_CREATOR = 0xA075, "DmOpenDatabaseByTypeCreator";
    DM_CLOSE_DATABASE = 0xA04A, "DmCloseDatabase";
    DM_OPEN_DATABASE_INFO = 0xA04C, "DmOpenDatabaseInfo";
    DM_NEXT_OPEN_DATABASE = 0xA04B, "DmNextOpenDatabase";
    DM_GET_LAST_ERR = 0xA04E, "DmGetLastErr";
    DM_GET_NEXT_DATABASE_BY_TYPE_CREATOR = 0xA078, "DmGetNextDatabaseByTypeCreator";
    DM_NUM_RECORDS = 0xA04F, "DmNumRecords";
    DM_NEW_RECORD = 0xA055, "DmNewRecord";
    DM_GET_RECORD = 0xA05C, "DmGetRecord";
    DM_QUERY_RECORD = 0xA05B, "DmQueryRecord";
    DM_RELEASE_RECORD = 0xA05E, "DmReleaseRecord";
    DM_RESIZE_RECORD = 0xA05D, "DmResizeRecord";
    DM_REMOVE_RECORD = 0xA056, "DmRemoveRecord";
    DM_DELETE_RECORD = 0xA057, "DmDeleteRecord";
    DM_ARCHIVE_RECORD = 0xA058, "DmArchiveRecord";
    DM_ATTACH_RECORD = 0xA052, "DmAttachRecord";
    DM_DETACH_RECORD = 0xA053, "DmDetachRecord";
    DM_MOVE_RECORD = 0xA054, "DmMoveRecord";
    DM_RECORD_INFO = 0xA050, "DmRecordInfo";
    DM_SET_RECORD_INFO = 0xA051, "DmSetRecordInfo";
    DM_FIND_RECORD_BY_ID = 0xA07B, "DmFindRecordByID";
    DM_NEW_HANDLE = 0xA059, "DmNewHandle";
    DM_WRITE = 0xA076, "DmWrite";
    DM_SET = 0xA07E, "DmSet";
    DM_STR_COPY = 0xA077, "DmStrCopy";
    DM_WRITE_CHECK = 0xA079, "DmWriteCheck";
    DM_NEW_RESOURCE = 0xA06C, "DmNewResource";
    DM_GET_RESOURCE = 0xA05F, "DmGetResource";
    DM_GET1_RESOURCE = 0xA060, "DmGet1Resource";
    DM_RELEASE_RESOURCE = 0xA061, "DmReleaseResource";
    DM_RESIZE_RESOURCE = 0xA062, "DmResizeResource";
    DM_REMOVE_RESOURCE = 0xA06D, "DmRemoveResource";
    DM_FIND_RESOURCE = 0xA065, "DmFindResource";
    DM_FIND_RESOURCE_TYPE = 0xA064, "DmFindResourceType";
    DM_GET_RESOURCE_INDEX = 0xA06E, "DmGetResourceIndex";
    DM_NUM_RESOURCES = 0xA067, "DmNumResources";
    DM_RESOURCE_INFO = 0xA068, "DmResourceInfo";
    DM_SET_RESOURCE_INFO = 0xA069, "DmSetResourceInfo";
    DM_ATTACH_RESOURCE = 0xA06A, "DmAttachResource";
    DM_DETACH_RESOURCE = 0xA06B, "DmDetachResource";
    DM_NUM_RECORDS_IN_CATEGORY = 0xA071, "DmNumRecordsInCategory";
    DM_QUERY_NEXT_IN_CATEGORY = 0xA070, "DmQueryNextInCategory";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trap_names::trap_name;

    #[test]
    fn named_constants_agree_with_the_sdk_table() {
        for &(word, name) in NAMED {
            assert_eq!(trap_name(word), Some(name), "constant for {name} has word {word:#06X}");
        }
    }

    #[test]
    fn normalisation_and_library_range() {
        assert_eq!(normalize(0x0027), MEM_SET);
        assert_eq!(normalize(0xA027), MEM_SET);
        assert!(is_library_trap(0xA800));
        assert!(!is_library_trap(0xA7FF));
    }
}
