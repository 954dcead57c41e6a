//! PalmOS system calls from Rust. The argument widths of every trap the SDK knows are written
//! once, in the [`traps!`](crate::traps) table at the bottom of this file; the macro generates
//! the wrappers and [`TRAPS`] (name, word, [`Shape`]) from it.
//!
//! The 68k build packs the widths into a [`Shape`] and calls the wasm import
//! `env.palm_trap(word, shape, a0..a7)`. Its C/assembly side (`guest-sdk/c/palm_trap.S`)
//! pushes the arguments right to left with those widths (PalmOS ABI: 8-bit values in a 2-byte
//! slot, low byte significant; 16-bit = 2 bytes; 32-bit and pointers = 4 bytes) and JSRs to the
//! trap's stub through the dispatch table at `sysDispatchTableP` (0x122), then pops the
//! arguments. Natively the call goes to [`crate::native::Host::trap`] with the same shape.
//!
//! Wrappers are safe functions, like the accessors in [`crate::mem`]: pointer arguments are
//! [`GuestAddr`]s, never Rust pointers.

use crate::mem::GuestAddr;
use palm_abi::traps as w;

/// The stack width of one trap argument (2-bit code in a [`Shape`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ArgWidth {
    /// 8-bit value in a 2-byte slot (low byte significant).
    Byte = 1,
    /// 16-bit value, 2 bytes.
    Word = 2,
    /// 32-bit value or pointer, 4 bytes.
    Long = 3,
}

impl ArgWidth {
    /// Bytes the argument takes on the 68k stack.
    pub const fn stack_bytes(self) -> u32 {
        match self {
            ArgWidth::Byte | ArgWidth::Word => 2,
            ArgWidth::Long => 4,
        }
    }
}

/// The packed calling shape of a trap call: bits `2i..2i+1` give argument `i`'s [`ArgWidth`]
/// (0 = no such argument; arguments are contiguous from 0), bit 16 says the result is a
/// pointer returned in A0 instead of D0. Same encoding on both sides of the wasm import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape(pub u32);

impl Shape {
    /// Maximum number of arguments.
    pub const MAX_ARGS: usize = 8;
    /// Bit set when the result comes back in A0.
    pub const RESULT_IN_A0: u32 = 1 << 16;

    /// Builds a shape; panics (at compile time in const context) on more than 8 arguments.
    pub const fn new(widths: &[ArgWidth], result_in_a0: bool) -> Shape {
        assert!(
            widths.len() <= Self::MAX_ARGS,
            "a trap call takes at most 8 arguments"
        );
        let mut bits = if result_in_a0 { Self::RESULT_IN_A0 } else { 0 };
        let mut i = 0;
        while i < widths.len() {
            bits |= (widths[i] as u32) << (2 * i);
            i += 1;
        }
        Shape(bits)
    }
    /// Width of argument `i`, if present.
    pub const fn arg(self, i: usize) -> Option<ArgWidth> {
        if i >= Self::MAX_ARGS {
            return None;
        }
        match (self.0 >> (2 * i)) & 3 {
            1 => Some(ArgWidth::Byte),
            2 => Some(ArgWidth::Word),
            3 => Some(ArgWidth::Long),
            _ => None,
        }
    }
    /// Number of arguments.
    pub const fn arg_count(self) -> usize {
        let mut n = 0;
        while n < Self::MAX_ARGS && self.arg(n).is_some() {
            n += 1;
        }
        n
    }
    pub const fn result_in_a0(self) -> bool {
        self.0 & Self::RESULT_IN_A0 != 0
    }
    /// Bytes the arguments take on the 68k stack.
    pub const fn stack_bytes(self) -> u32 {
        let mut n = 0;
        let mut i = 0;
        while i < Self::MAX_ARGS {
            if let Some(wd) = self.arg(i) {
                n += wd.stack_bytes();
            }
            i += 1;
        }
        n
    }
    /// The argument block exactly as a 68k caller leaves it on the stack (first argument at
    /// offset 0, big-endian, 8-bit values in the low byte of their slot, high byte 0).
    /// Returns the number of bytes written to `out` (at most 32).
    pub fn stack_image(self, args: &[u32], out: &mut [u8; 32]) -> usize {
        let mut at = 0;
        for (i, &v) in args.iter().enumerate().take(self.arg_count()) {
            match self.arg(i) {
                Some(ArgWidth::Byte) => {
                    out[at] = 0;
                    out[at + 1] = v as u8;
                    at += 2;
                }
                Some(ArgWidth::Word) => {
                    out[at..at + 2].copy_from_slice(&(v as u16).to_be_bytes());
                    at += 2;
                }
                Some(ArgWidth::Long) => {
                    out[at..at + 4].copy_from_slice(&v.to_be_bytes());
                    at += 4;
                }
                None => break,
            }
        }
        at
    }
}

/// A Rust type usable as a trap argument.
pub trait TrapArg: Copy {
    const WIDTH: ArgWidth;
    /// The value as the low bits of a u32 (zero-extended from its width).
    fn raw(self) -> u32;
}

macro_rules! trap_arg {
    ($($t:ty => $w:ident, |$v:ident| $e:expr;)*) => {$(
        impl TrapArg for $t {
            const WIDTH: ArgWidth = ArgWidth::$w;
            #[inline]
            fn raw(self) -> u32 { let $v = self; $e }
        }
    )*};
}
trap_arg! {
    u8 => Byte, |v| v as u32;
    i8 => Byte, |v| v as u8 as u32;
    bool => Byte, |v| v as u32;
    u16 => Word, |v| v as u32;
    i16 => Word, |v| v as u16 as u32;
    u32 => Long, |v| v;
    i32 => Long, |v| v as u32;
    GuestAddr => Long, |v| v.0;
}

/// A Rust type usable as a trap result (decoded from D0, or from A0 for pointers).
pub trait TrapResult {
    const IN_A0: bool;
    fn from_raw(raw: u32) -> Self;
}

macro_rules! trap_result {
    ($($t:ty => $a0:expr, |$v:ident| $e:expr;)*) => {$(
        impl TrapResult for $t {
            const IN_A0: bool = $a0;
            #[inline]
            #[allow(clippy::unused_unit)]
            fn from_raw($v: u32) -> Self { $e }
        }
    )*};
}
trap_result! {
    () => false, |_v| ();
    u8 => false, |v| v as u8;
    bool => false, |v| v as u8 != 0;
    u16 => false, |v| v as u16;
    i16 => false, |v| v as u16 as i16;
    u32 => false, |v| v;
    i32 => false, |v| v as i32;
    GuestAddr => true, |v| GuestAddr(v);
}

/// Calls a trap with an explicit shape. `args.len()` must equal `shape.arg_count()`.
/// Prefer the generated wrappers; this is the escape hatch for generic dispatchers.
pub fn call(word: u16, shape: Shape, args: &[u32]) -> u32 {
    debug_assert_eq!(args.len(), shape.arg_count());
    imp_call(word, shape, args)
}

#[cfg(target_arch = "wasm32")]
fn imp_call(word: u16, shape: Shape, args: &[u32]) -> u32 {
    let mut a = [0u32; 8];
    let n = args.len().min(8);
    a[..n].copy_from_slice(&args[..n]);
    unsafe {
        crate::sys::palm_trap(
            word as u32,
            shape.0,
            a[0],
            a[1],
            a[2],
            a[3],
            a[4],
            a[5],
            a[6],
            a[7],
        )
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn imp_call(word: u16, shape: Shape, args: &[u32]) -> u32 {
    crate::native::with_current(|h| h.trap(word, shape, args))
}

/// One entry of [`TRAPS`].
#[derive(Clone, Copy, Debug)]
pub struct TrapInfo {
    /// The wrapper's name in this module.
    pub name: &'static str,
    /// The SDK name of the trap (differs from `name` for typed variants of variadic traps).
    pub sdk_name: &'static str,
    pub word: u16,
    pub shape: Shape,
}

/// Declares trap wrappers: `fn Name(arg: Type, ...) -> Ret = WORD [, "SdkName"];`
macro_rules! traps {
    ($(
        $(#[$meta:meta])*
        fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty = $word:expr $(, $sdk:literal)? ;
    )*) => {
        $(
            $(#[$meta])*
            #[allow(non_snake_case, clippy::unused_unit)]
            #[inline]
            pub fn $name($($arg: $ty),*) -> $ret {
                const SHAPE: Shape =
                    Shape::new(&[$(<$ty as TrapArg>::WIDTH),*], <$ret as TrapResult>::IN_A0);
                let args: &[u32] = &[$(<$ty as TrapArg>::raw($arg)),*];
                <$ret as TrapResult>::from_raw(call($word, SHAPE, args))
            }
        )*

        /// Every wrapper of this module with its trap word and shape (the single source of
        /// truth for argument widths, e.g. for cross-checking the host shim's marshalling).
        pub const TRAPS: &[TrapInfo] = &[$(
            TrapInfo {
                name: stringify!($name),
                sdk_name: traps!(@sdk $name $($sdk)?),
                word: $word,
                shape: Shape::new(&[$(<$ty as TrapArg>::WIDTH),*], <$ret as TrapResult>::IN_A0),
            }
        ),*];
    };
    (@sdk $name:ident) => { stringify!($name) };
    (@sdk $name:ident $sdk:literal) => { $sdk };
}

traps! {
    /// `Err MemSet(void *dstP, Int32 numBytes, UInt8 value)`
    fn MemSet(dst: GuestAddr, num_bytes: i32, value: u8) -> u16 = w::MEM_SET;
    /// `Err MemMove(void *dstP, const void *sP, Int32 numBytes)`
    fn MemMove(dst: GuestAddr, src: GuestAddr, num_bytes: i32) -> u16 = w::MEM_MOVE;
    /// `Int16 MemCmp(const void *s1, const void *s2, Int32 numBytes)`
    fn MemCmp(s1: GuestAddr, s2: GuestAddr, num_bytes: i32) -> i16 = w::MEM_CMP;
    /// `UInt16 StrLen(const Char *src)`
    fn StrLen(src: GuestAddr) -> u16 = w::STR_LEN;
    /// `Char *StrCopy(Char *dst, const Char *src)`
    fn StrCopy(dst: GuestAddr, src: GuestAddr) -> GuestAddr = w::STR_COPY;
    /// `Char *StrNCopy(Char *dst, const Char *src, Int16 n)`
    fn StrNCopy(dst: GuestAddr, src: GuestAddr, n: i16) -> GuestAddr = w::STR_N_COPY;
    /// `Char *StrIToA(Char *s, Int32 i)`
    fn StrIToA(s: GuestAddr, i: i32) -> GuestAddr = w::STR_I_TO_A;
    /// `Err FtrGet(UInt32 creator, UInt16 featureNum, UInt32 *valueP)`
    fn FtrGet(creator: u32, feature_num: u16, value_p: GuestAddr) -> u16 = w::FTR_GET;
    /// `UInt16 SysTicksPerSecond(void)`
    fn SysTicksPerSecond() -> u16 = w::SYS_TICKS_PER_SECOND;
    /// `UInt32 TimGetTicks(void)`
    fn TimGetTicks() -> u32 = w::TIM_GET_TICKS;
    /// `UInt32 TimGetSeconds(void)`
    fn TimGetSeconds() -> u32 = w::TIM_GET_SECONDS;
    /// `Int16 SysRandom(Int32 newSeed)`
    fn SysRandom(new_seed: i32) -> i16 = w::SYS_RANDOM;
    /// `void EvtGetEvent(EventType *event, Int32 timeout)`
    fn EvtGetEvent(event: GuestAddr, timeout: i32) -> () = w::EVT_GET_EVENT;
    // ---- Memory Manager ------------------------------------------------------------------
    /// `MemHandle MemHandleNew(UInt32 size)`
    fn MemHandleNew(size: u32) -> GuestAddr = w::MEM_HANDLE_NEW;
    /// `MemPtr MemHandleLock(MemHandle h)`
    fn MemHandleLock(h: GuestAddr) -> GuestAddr = w::MEM_HANDLE_LOCK;
    /// `Err MemHandleUnlock(MemHandle h)`
    fn MemHandleUnlock(h: GuestAddr) -> u16 = w::MEM_HANDLE_UNLOCK;
    /// `Err MemHandleFree(MemHandle h)`
    fn MemHandleFree(h: GuestAddr) -> u16 = w::MEM_HANDLE_FREE;
    /// `UInt32 MemHandleSize(MemHandle h)`
    fn MemHandleSize(h: GuestAddr) -> u32 = w::MEM_HANDLE_SIZE;
    /// `Err MemHandleResize(MemHandle h, UInt32 newSize)`
    fn MemHandleResize(h: GuestAddr, new_size: u32) -> u16 = w::MEM_HANDLE_RESIZE;
    /// `UInt16 MemHandleLockCount(MemHandle h)`
    fn MemHandleLockCount(h: GuestAddr) -> u16 = w::MEM_HANDLE_LOCK_COUNT;
    /// `MemPtr MemPtrNew(UInt32 size)`
    fn MemPtrNew(size: u32) -> GuestAddr = w::MEM_PTR_NEW;
    /// `Err MemChunkFree(MemPtr p)` (`MemPtrFree`)
    fn MemChunkFree(p: GuestAddr) -> u16 = w::MEM_CHUNK_FREE;
    /// `Err MemPtrUnlock(MemPtr p)`
    fn MemPtrUnlock(p: GuestAddr) -> u16 = w::MEM_PTR_UNLOCK;
    /// `MemHandle MemPtrRecoverHandle(MemPtr p)`
    fn MemPtrRecoverHandle(p: GuestAddr) -> GuestAddr = w::MEM_PTR_RECOVER_HANDLE;
    /// `Err MemHeapFreeBytes(UInt16 heapID, UInt32 *freeP, UInt32 *maxP)`
    fn MemHeapFreeBytes(heap_id: u16, free_p: GuestAddr, max_p: GuestAddr) -> u16 = w::MEM_HEAP_FREE_BYTES;
    /// `Err MemHeapCompact(UInt16 heapID)`
    fn MemHeapCompact(heap_id: u16) -> u16 = w::MEM_HEAP_COMPACT;
    /// `Err MemSemaphoreReserve(Boolean writeAccess)`
    fn MemSemaphoreReserve(write_access: u8) -> u16 = w::MEM_SEMAPHORE_RESERVE;
    /// `Err MemSemaphoreRelease(Boolean writeAccess)`
    fn MemSemaphoreRelease(write_access: u8) -> u16 = w::MEM_SEMAPHORE_RELEASE;
    // ---- Data Manager --------------------------------------------------------------------
    /// `Err DmCreateDatabase(UInt16 cardNo, const Char *nameP, UInt32 creator, UInt32 type, Boolean resDB)`
    fn DmCreateDatabase(card_no: u16, name: GuestAddr, creator: u32, kind: u32, res_db: u8) -> u16 = w::DM_CREATE_DATABASE;
    /// `Err DmDeleteDatabase(UInt16 cardNo, LocalID dbID)`
    fn DmDeleteDatabase(card_no: u16, db_id: u32) -> u16 = w::DM_DELETE_DATABASE;
    /// `LocalID DmFindDatabase(UInt16 cardNo, const Char *nameP)`
    fn DmFindDatabase(card_no: u16, name: GuestAddr) -> u32 = w::DM_FIND_DATABASE;
    /// `UInt16 DmNumDatabases(UInt16 cardNo)`
    fn DmNumDatabases(card_no: u16) -> u16 = w::DM_NUM_DATABASES;
    /// `LocalID DmGetDatabase(UInt16 cardNo, UInt16 index)`
    fn DmGetDatabase(card_no: u16, index: u16) -> u32 = w::DM_GET_DATABASE;
    /// `DmOpenRef DmOpenDatabase(UInt16 cardNo, LocalID dbID, UInt16 mode)`
    fn DmOpenDatabase(card_no: u16, db_id: u32, mode: u16) -> GuestAddr = w::DM_OPEN_DATABASE;
    /// `DmOpenRef DmOpenDatabaseByTypeCreator(UInt32 type, UInt32 creator, UInt16 mode)`
    fn DmOpenDatabaseByTypeCreator(kind: u32, creator: u32, mode: u16) -> GuestAddr = w::DM_OPEN_DATABASE_BY_TYPE_CREATOR;
    /// `Err DmCloseDatabase(DmOpenRef dbP)`
    fn DmCloseDatabase(db: GuestAddr) -> u16 = w::DM_CLOSE_DATABASE;
    /// `Err DmGetLastErr(void)`
    fn DmGetLastErr() -> u16 = w::DM_GET_LAST_ERR;
    /// `Err DmGetNextDatabaseByTypeCreator(Boolean newSearch, DmSearchStatePtr stateInfoP,
    /// UInt32 type, UInt32 creator, Boolean onlyLatestVers, UInt16 *cardNoP, LocalID *dbIDP)`
    fn DmGetNextDatabaseByTypeCreator(new_search: u8, state: GuestAddr, kind: u32, creator: u32, only_latest: u8, card_no_p: GuestAddr, db_id_p: GuestAddr) -> u16 = w::DM_GET_NEXT_DATABASE_BY_TYPE_CREATOR;
    /// `UInt16 DmNumRecords(DmOpenRef dbP)`
    fn DmNumRecords(db: GuestAddr) -> u16 = w::DM_NUM_RECORDS;
    /// `MemHandle DmNewRecord(DmOpenRef dbP, UInt16 *atP, UInt32 size)`
    fn DmNewRecord(db: GuestAddr, at_p: GuestAddr, size: u32) -> GuestAddr = w::DM_NEW_RECORD;
    /// `MemHandle DmGetRecord(DmOpenRef dbP, UInt16 index)`
    fn DmGetRecord(db: GuestAddr, index: u16) -> GuestAddr = w::DM_GET_RECORD;
    /// `MemHandle DmQueryRecord(DmOpenRef dbP, UInt16 index)`
    fn DmQueryRecord(db: GuestAddr, index: u16) -> GuestAddr = w::DM_QUERY_RECORD;
    /// `Err DmReleaseRecord(DmOpenRef dbP, UInt16 index, Boolean dirty)`
    fn DmReleaseRecord(db: GuestAddr, index: u16, dirty: u8) -> u16 = w::DM_RELEASE_RECORD;
    /// `MemHandle DmResizeRecord(DmOpenRef dbP, UInt16 index, UInt32 newSize)`
    fn DmResizeRecord(db: GuestAddr, index: u16, new_size: u32) -> GuestAddr = w::DM_RESIZE_RECORD;
    /// `Err DmRemoveRecord(DmOpenRef dbP, UInt16 index)`
    fn DmRemoveRecord(db: GuestAddr, index: u16) -> u16 = w::DM_REMOVE_RECORD;
    /// `Err DmDeleteRecord(DmOpenRef dbP, UInt16 index)`
    fn DmDeleteRecord(db: GuestAddr, index: u16) -> u16 = w::DM_DELETE_RECORD;
    /// `Err DmMoveRecord(DmOpenRef dbP, UInt16 from, UInt16 to)`
    fn DmMoveRecord(db: GuestAddr, from: u16, to: u16) -> u16 = w::DM_MOVE_RECORD;
    /// `Err DmRecordInfo(DmOpenRef dbP, UInt16 index, UInt16 *attrP, UInt32 *uniqueIDP, LocalID *chunkIDP)`
    fn DmRecordInfo(db: GuestAddr, index: u16, attr_p: GuestAddr, unique_id_p: GuestAddr, chunk_id_p: GuestAddr) -> u16 = w::DM_RECORD_INFO;
    /// `Err DmSetRecordInfo(DmOpenRef dbP, UInt16 index, UInt16 *attrP, UInt32 *uniqueIDP)`
    fn DmSetRecordInfo(db: GuestAddr, index: u16, attr_p: GuestAddr, unique_id_p: GuestAddr) -> u16 = w::DM_SET_RECORD_INFO;
    /// `Err DmFindRecordByID(DmOpenRef dbP, UInt32 uniqueID, UInt16 *indexP)`
    fn DmFindRecordByID(db: GuestAddr, unique_id: u32, index_p: GuestAddr) -> u16 = w::DM_FIND_RECORD_BY_ID;
    /// `MemHandle DmNewHandle(DmOpenRef dbP, UInt32 size)`
    fn DmNewHandle(db: GuestAddr, size: u32) -> GuestAddr = w::DM_NEW_HANDLE;
    /// `Err DmAttachRecord(DmOpenRef dbP, UInt16 *atP, MemHandle newH, MemHandle *oldHP)`
    fn DmAttachRecord(db: GuestAddr, at_p: GuestAddr, new_h: GuestAddr, old_hp: GuestAddr) -> u16 = w::DM_ATTACH_RECORD;
    /// `Err DmDetachRecord(DmOpenRef dbP, UInt16 index, MemHandle *oldHP)`
    fn DmDetachRecord(db: GuestAddr, index: u16, old_hp: GuestAddr) -> u16 = w::DM_DETACH_RECORD;
    /// `Err DmWrite(void *recordP, UInt32 offset, const void *srcP, UInt32 bytes)`
    fn DmWrite(record: GuestAddr, offset: u32, src: GuestAddr, bytes: u32) -> u16 = w::DM_WRITE;
    /// `Err DmSet(void *recordP, UInt32 offset, UInt32 bytes, UInt8 value)`
    fn DmSet(record: GuestAddr, offset: u32, bytes: u32, value: u8) -> u16 = w::DM_SET;
    /// `Err DmStrCopy(void *recordP, UInt32 offset, const Char *srcP)`
    fn DmStrCopy(record: GuestAddr, offset: u32, src: GuestAddr) -> u16 = w::DM_STR_COPY;
    /// `MemHandle DmNewResource(DmOpenRef dbP, DmResType resType, DmResID resID, UInt32 size)`
    fn DmNewResource(db: GuestAddr, kind: u32, id: u16, size: u32) -> GuestAddr = w::DM_NEW_RESOURCE;
    /// `MemHandle DmGetResource(DmResType type, DmResID resID)`
    fn DmGetResource(kind: u32, id: u16) -> GuestAddr = w::DM_GET_RESOURCE;
    /// `MemHandle DmGet1Resource(DmResType type, DmResID resID)`
    fn DmGet1Resource(kind: u32, id: u16) -> GuestAddr = w::DM_GET1_RESOURCE;
    /// `Err DmReleaseResource(MemHandle resourceH)`
    fn DmReleaseResource(h: GuestAddr) -> u16 = w::DM_RELEASE_RESOURCE;
    /// `MemHandle DmResizeResource(MemHandle resourceH, UInt32 newSize)`
    fn DmResizeResource(h: GuestAddr, new_size: u32) -> GuestAddr = w::DM_RESIZE_RESOURCE;
    /// `Err DmRemoveResource(DmOpenRef dbP, UInt16 index)`
    fn DmRemoveResource(db: GuestAddr, index: u16) -> u16 = w::DM_REMOVE_RESOURCE;
    /// `UInt16 DmNumResources(DmOpenRef dbP)`
    fn DmNumResources(db: GuestAddr) -> u16 = w::DM_NUM_RESOURCES;
    /// `UInt16 DmFindResource(DmOpenRef dbP, DmResType resType, DmResID resID, MemHandle resH)`
    fn DmFindResource(db: GuestAddr, kind: u32, id: u16, h: GuestAddr) -> u16 = w::DM_FIND_RESOURCE;
    // ---- Window Manager (Coord = Int16; FrameType, cornerDiam = UInt16; IndexedColorType = UInt8) ----
    /// `void WinEraseWindow(void)`
    fn WinEraseWindow() -> () = w::WIN_ERASE_WINDOW;
    /// `void WinDrawChars(const Char *chars, Int16 len, Coord x, Coord y)` (`y` = top of the text)
    fn WinDrawChars(chars: GuestAddr, len: i16, x: i16, y: i16) -> () = w::WIN_DRAW_CHARS;
    /// `void WinDrawInvertedChars(const Char *chars, Int16 len, Coord x, Coord y)`
    fn WinDrawInvertedChars(chars: GuestAddr, len: i16, x: i16, y: i16) -> () = w::WIN_DRAW_INVERTED_CHARS;
    /// `void WinEraseChars(const Char *chars, Int16 len, Coord x, Coord y)`
    fn WinEraseChars(chars: GuestAddr, len: i16, x: i16, y: i16) -> () = w::WIN_ERASE_CHARS;
    /// `void WinDrawPixel(Coord x, Coord y)`
    fn WinDrawPixel(x: i16, y: i16) -> () = w::WIN_DRAW_PIXEL;
    /// `void WinDrawLine(Coord x1, Coord y1, Coord x2, Coord y2)`
    fn WinDrawLine(x1: i16, y1: i16, x2: i16, y2: i16) -> () = w::WIN_DRAW_LINE;
    /// `void WinDrawRectangle(const RectangleType *rP, UInt16 cornerDiam)`
    fn WinDrawRectangle(rect: GuestAddr, corner_diam: u16) -> () = w::WIN_DRAW_RECTANGLE;
    /// `void WinEraseRectangle(const RectangleType *rP, UInt16 cornerDiam)`
    fn WinEraseRectangle(rect: GuestAddr, corner_diam: u16) -> () = w::WIN_ERASE_RECTANGLE;
    /// `void WinDrawRectangleFrame(FrameType frame, const RectangleType *rP)`
    fn WinDrawRectangleFrame(frame: u16, rect: GuestAddr) -> () = w::WIN_DRAW_RECTANGLE_FRAME;
    /// `void WinSetClip(const RectangleType *rP)`
    fn WinSetClip(rect: GuestAddr) -> () = w::WIN_SET_CLIP;
    /// `void WinResetClip(void)`
    fn WinResetClip() -> () = w::WIN_RESET_CLIP;
    /// `IndexedColorType WinSetForeColor(IndexedColorType foreColor)`
    fn WinSetForeColor(fore_color: u8) -> u8 = w::WIN_SET_FORE_COLOR;
    /// `IndexedColorType WinSetTextColor(IndexedColorType textColor)`
    fn WinSetTextColor(text_color: u8) -> u8 = w::WIN_SET_TEXT_COLOR;
    // ---- Font Manager (FontID = UInt8 enum in a 2-byte slot) ------------------------------
    /// `FontID FntGetFont(void)`
    fn FntGetFont() -> u8 = w::FNT_GET_FONT;
    /// `FontID FntSetFont(FontID font)`
    fn FntSetFont(font: u8) -> u8 = w::FNT_SET_FONT;
    /// `Int16 FntCharsWidth(const Char *chars, Int16 len)`
    fn FntCharsWidth(chars: GuestAddr, len: i16) -> i16 = w::FNT_CHARS_WIDTH;
    /// `Int16 FntLineHeight(void)`
    fn FntLineHeight() -> i16 = w::FNT_LINE_HEIGHT;
    /// `Int16 FntBaseLine(void)`
    fn FntBaseLine() -> i16 = w::FNT_BASE_LINE;
    /// `HostControl(selector, const char *bytes, UInt32 len)`: console write / panic
    /// (`palm_abi::host::HOST_CONSOLE_WRITE`, `HOST_GUEST_PANIC`).
    fn HostControlBytes(selector: u16, bytes: GuestAddr, len: u32) -> u32 = w::HOST_CONTROL, "HostControl";
    /// `HostControl(selector, UInt32 value)`: exit / wasm trap (`HOST_EXIT`, `HOST_WASM_TRAP`).
    fn HostControlValue(selector: u16, value: u32) -> u32 = w::HOST_CONTROL, "HostControl";
}

/// Ends the program with `code` (HostControl exit). Does not return.
pub fn exit(code: u32) -> ! {
    HostControlValue(palm_abi::host::HOST_EXIT, code);
    // The host stops the run; should it return anyway, there is nothing sane left to do.
    #[allow(clippy::empty_loop)]
    loop {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrapper_names_the_right_trap() {
        for t in TRAPS {
            assert_eq!(
                palm_abi::trap_names::trap_name(t.word),
                Some(t.sdk_name),
                "{} uses word {:#06X}",
                t.name,
                t.word
            );
            assert_eq!(
                palm_abi::trap_names::trap_word(t.sdk_name),
                Some(t.word),
                "{}",
                t.name
            );
        }
    }

    #[test]
    fn shapes_pack_widths_in_order() {
        let s = TRAPS.iter().find(|t| t.name == "MemSet").unwrap().shape;
        assert_eq!(s.arg_count(), 3);
        assert_eq!(s.arg(0), Some(ArgWidth::Long));
        assert_eq!(s.arg(1), Some(ArgWidth::Long));
        assert_eq!(s.arg(2), Some(ArgWidth::Byte));
        assert_eq!(s.arg(3), None);
        assert!(!s.result_in_a0());
        assert_eq!(s.stack_bytes(), 10);
        assert_eq!(s.0, 0b01_11_11);
        let s = TRAPS.iter().find(|t| t.name == "StrNCopy").unwrap().shape;
        assert_eq!(s.0, Shape::RESULT_IN_A0 | 0b10_11_11);
        assert_eq!(s.stack_bytes(), 10);
        let s = TRAPS
            .iter()
            .find(|t| t.name == "TimGetTicks")
            .unwrap()
            .shape;
        assert_eq!(s, Shape(0));
    }

    #[test]
    fn window_and_font_widths_follow_the_sdk_headers() {
        let shape = |name: &str| TRAPS.iter().find(|t| t.name == name).unwrap().shape;
        // Coord x4: 8 bytes of Int16.
        assert_eq!(shape("WinDrawLine").0, 0b10_10_10_10);
        // const Char *, Int16 len, Coord x, Coord y.
        assert_eq!(shape("WinDrawChars").0, 0b10_10_10_11);
        assert_eq!(shape("WinDrawChars").stack_bytes(), 10);
        // FrameType (UInt16) first, then the RectangleType pointer.
        assert_eq!(shape("WinDrawRectangleFrame").0, 0b11_10);
        // RectangleType pointer, UInt16 cornerDiam.
        assert_eq!(shape("WinDrawRectangle").0, 0b10_11);
        // FontID and IndexedColorType: one byte in a 2-byte slot.
        assert_eq!(shape("FntSetFont").arg(0), Some(ArgWidth::Byte));
        assert_eq!(shape("FntSetFont").stack_bytes(), 2);
        assert_eq!(shape("WinSetForeColor").arg(0), Some(ArgWidth::Byte));
        assert_eq!(shape("FntCharsWidth").0, 0b10_11);
        assert_eq!(shape("WinEraseWindow"), Shape(0));
    }

    #[test]
    fn stack_image_matches_palmos_layout() {
        // FtrGet('psys', 1, 0x1234) then a Byte: as a 68k caller leaves them on the stack.
        let shape = Shape::new(
            &[
                ArgWidth::Long,
                ArgWidth::Word,
                ArgWidth::Long,
                ArgWidth::Byte,
            ],
            false,
        );
        let mut out = [0u8; 32];
        let n = shape.stack_image(&[0x7073_7973, 1, 0x1234, 0x1FF], &mut out);
        assert_eq!(n, 12);
        assert_eq!(
            &out[..12],
            &[0x70, 0x73, 0x79, 0x73, 0, 1, 0, 0, 0x12, 0x34, 0, 0xFF]
        );
    }

    #[test]
    #[should_panic]
    fn more_than_eight_arguments_is_rejected() {
        let _ = Shape::new(&[ArgWidth::Long; 9], false);
    }
}
