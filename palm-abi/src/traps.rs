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
