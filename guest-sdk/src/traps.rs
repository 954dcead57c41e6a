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

/// The packed calling shape of a trap call: bits `2i..2i+1` (i < 14, so bits 0..27) give
/// argument `i`'s [`ArgWidth`] (0 = no such argument; arguments are contiguous from 0), bit 31
/// says the result is a pointer returned in A0 instead of D0. Same encoding on both sides of
/// the wasm import (`guest-sdk/c/palm_trap.S`). 14 arguments cover the widest SDK traps
/// (`DmDatabaseInfo` / `DmSetDatabaseInfo` take 13).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape(pub u32);

impl Shape {
    /// Maximum number of arguments.
    pub const MAX_ARGS: usize = 14;
    /// Most bytes the arguments can take on the 68k stack (all 32-bit).
    pub const MAX_STACK_BYTES: usize = 4 * Self::MAX_ARGS;
    /// Bit set when the result comes back in A0.
    pub const RESULT_IN_A0: u32 = 1 << 31;

    /// Builds a shape; panics (at compile time in const context) on more than
    /// [`MAX_ARGS`](Self::MAX_ARGS) arguments.
    pub const fn new(widths: &[ArgWidth], result_in_a0: bool) -> Shape {
        assert!(
            widths.len() <= Self::MAX_ARGS,
            "a trap call takes at most 14 arguments"
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
    /// Returns the number of bytes written to `out` (at most [`MAX_STACK_BYTES`](Self::MAX_STACK_BYTES)).
    pub fn stack_image(self, args: &[u32], out: &mut [u8; Self::MAX_STACK_BYTES]) -> usize {
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
    let mut a = [0u32; Shape::MAX_ARGS];
    let n = args.len().min(Shape::MAX_ARGS);
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
            a[8],
            a[9],
            a[10],
            a[11],
            a[12],
            a[13],
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
    // ---- Event Manager and system events ---------------------------------------------------
    /// `void EvtAddEventToQueue(const EventType *event)`
    fn EvtAddEventToQueue(event: GuestAddr) -> () = w::EVT_ADD_EVENT_TO_QUEUE;
    /// `void EvtAddUniqueEventToQueue(const EventType *eventP, UInt32 id, Boolean inPlace)`
    fn EvtAddUniqueEventToQueue(event: GuestAddr, id: u32, in_place: bool) -> () = w::EVT_ADD_UNIQUE_EVENT_TO_QUEUE;
    /// `Boolean EvtEventAvail(void)`
    fn EvtEventAvail() -> bool = w::EVT_EVENT_AVAIL;
    /// `void EvtGetPen(Int16 *pScreenX, Int16 *pScreenY, Boolean *pPenDown)`
    fn EvtGetPen(x_p: GuestAddr, y_p: GuestAddr, pen_down_p: GuestAddr) -> () = w::EVT_GET_PEN;
    /// `Err EvtEnqueueKey(WChar ascii, UInt16 keycode, UInt16 modifiers)`
    fn EvtEnqueueKey(ascii: u16, keycode: u16, modifiers: u16) -> u16 = w::EVT_ENQUEUE_KEY;
    /// `Boolean SysHandleEvent(EventType *eventP)`
    fn SysHandleEvent(event: GuestAddr) -> bool = w::SYS_HANDLE_EVENT;
    /// `Boolean MenuHandleEvent(MenuBarType *menuP, EventType *event, UInt16 *error)`
    fn MenuHandleEvent(menu: GuestAddr, event: GuestAddr, error_p: GuestAddr) -> bool = w::MENU_HANDLE_EVENT;
    // ---- Launching -------------------------------------------------------------------------
    /// `Err SysUIAppSwitch(UInt16 cardNo, LocalID dbID, UInt16 cmd, MemPtr cmdPBP)`
    fn SysUIAppSwitch(card_no: u16, db_id: u32, cmd: u16, cmd_pbp: GuestAddr) -> u16 = w::SYS_UI_APP_SWITCH;
    /// `Err SysAppLaunch(UInt16 cardNo, LocalID dbID, UInt16 launchFlags, UInt16 cmd, MemPtr cmdPBP, UInt32 *resultP)`
    fn SysAppLaunch(card_no: u16, db_id: u32, launch_flags: u16, cmd: u16, cmd_pbp: GuestAddr, result_p: GuestAddr) -> u16 = w::SYS_APP_LAUNCH;
    /// `Err SysCurAppDatabase(UInt16 *cardNoP, LocalID *dbIDP)`
    fn SysCurAppDatabase(card_no_p: GuestAddr, db_id_p: GuestAddr) -> u16 = w::SYS_CUR_APP_DATABASE;
    // ---- Data Manager: database information ------------------------------------------------
    /// `Err DmDatabaseInfo(UInt16 cardNo, LocalID dbID, Char *nameP, UInt16 *attributesP,
    /// UInt16 *versionP, UInt32 *crDateP, UInt32 *modDateP, UInt32 *bckUpDateP,
    /// UInt32 *modNumP, LocalID *appInfoIDP, LocalID *sortInfoIDP, UInt32 *typeP,
    /// UInt32 *creatorP)` (13 arguments; NULL pointers are skipped)
    fn DmDatabaseInfo(card_no: u16, db_id: u32, name_p: GuestAddr, attributes_p: GuestAddr, version_p: GuestAddr, cr_date_p: GuestAddr, mod_date_p: GuestAddr, bck_up_date_p: GuestAddr, mod_num_p: GuestAddr, app_info_id_p: GuestAddr, sort_info_id_p: GuestAddr, type_p: GuestAddr, creator_p: GuestAddr) -> u16 = w::DM_DATABASE_INFO;
    /// `Err DmSetDatabaseInfo(...)`: the arguments of `DmDatabaseInfo`, pointers to the new
    /// values (NULL = unchanged)
    fn DmSetDatabaseInfo(card_no: u16, db_id: u32, name_p: GuestAddr, attributes_p: GuestAddr, version_p: GuestAddr, cr_date_p: GuestAddr, mod_date_p: GuestAddr, bck_up_date_p: GuestAddr, mod_num_p: GuestAddr, app_info_id_p: GuestAddr, sort_info_id_p: GuestAddr, type_p: GuestAddr, creator_p: GuestAddr) -> u16 = w::DM_SET_DATABASE_INFO;
    /// `Err DmOpenDatabaseInfo(DmOpenRef dbP, LocalID *dbIDP, UInt16 *openCountP,
    /// UInt16 *modeP, UInt16 *cardNoP, Boolean *resDBP)`
    fn DmOpenDatabaseInfo(db: GuestAddr, db_id_p: GuestAddr, open_count_p: GuestAddr, mode_p: GuestAddr, card_no_p: GuestAddr, res_db_p: GuestAddr) -> u16 = w::DM_OPEN_DATABASE_INFO;
    /// `Err DmDatabaseSize(UInt16 cardNo, LocalID dbID, UInt32 *numRecordsP, UInt32 *totalBytesP, UInt32 *dataBytesP)`
    fn DmDatabaseSize(card_no: u16, db_id: u32, num_records_p: GuestAddr, total_bytes_p: GuestAddr, data_bytes_p: GuestAddr) -> u16 = w::DM_DATABASE_SIZE;
    // ---- Form Manager (FormType *, object indexes and IDs are UInt16) -----------------------
    /// `FormType *FrmInitForm(UInt16 rscID)`
    fn FrmInitForm(rsc_id: u16) -> GuestAddr = w::FRM_INIT_FORM;
    /// `FormType *FrmNewForm(UInt16 formID, const Char *titleStrP, Coord x, Coord y,
    /// Coord width, Coord height, Boolean modal, UInt16 defaultButton, UInt16 helpRscID,
    /// UInt16 menuRscID)` (10 arguments)
    fn FrmNewForm(form_id: u16, title: GuestAddr, x: i16, y: i16, width: i16, height: i16, modal: bool, default_button: u16, help_rsc_id: u16, menu_rsc_id: u16) -> GuestAddr = w::FRM_NEW_FORM;
    /// `void FrmDeleteForm(FormType *formP)`
    fn FrmDeleteForm(form: GuestAddr) -> () = w::FRM_DELETE_FORM;
    /// `void FrmDrawForm(FormType *formP)`
    fn FrmDrawForm(form: GuestAddr) -> () = w::FRM_DRAW_FORM;
    /// `void FrmEraseForm(FormType *formP)`
    fn FrmEraseForm(form: GuestAddr) -> () = w::FRM_ERASE_FORM;
    /// `FormType *FrmGetActiveForm(void)`
    fn FrmGetActiveForm() -> GuestAddr = w::FRM_GET_ACTIVE_FORM;
    /// `void FrmSetActiveForm(FormType *formP)`
    fn FrmSetActiveForm(form: GuestAddr) -> () = w::FRM_SET_ACTIVE_FORM;
    /// `UInt16 FrmGetActiveFormID(void)`
    fn FrmGetActiveFormID() -> u16 = w::FRM_GET_ACTIVE_FORM_ID;
    /// `UInt16 FrmGetFormId(const FormType *formP)`
    fn FrmGetFormId(form: GuestAddr) -> u16 = w::FRM_GET_FORM_ID;
    /// `FormType *FrmGetFormPtr(UInt16 formId)`
    fn FrmGetFormPtr(form_id: u16) -> GuestAddr = w::FRM_GET_FORM_PTR;
    /// `FormType *FrmGetFirstForm(void)`
    fn FrmGetFirstForm() -> GuestAddr = w::FRM_GET_FIRST_FORM;
    /// `void FrmGotoForm(UInt16 formId)`
    fn FrmGotoForm(form_id: u16) -> () = w::FRM_GOTO_FORM;
    /// `void FrmPopupForm(UInt16 formId)`
    fn FrmPopupForm(form_id: u16) -> () = w::FRM_POPUP_FORM;
    /// `void FrmReturnToForm(UInt16 formId)`
    fn FrmReturnToForm(form_id: u16) -> () = w::FRM_RETURN_TO_FORM;
    /// `void FrmUpdateForm(UInt16 formId, UInt16 updateCode)`
    fn FrmUpdateForm(form_id: u16, update_code: u16) -> () = w::FRM_UPDATE_FORM;
    /// `void FrmCloseAllForms(void)`
    fn FrmCloseAllForms() -> () = w::FRM_CLOSE_ALL_FORMS;
    /// `void FrmSaveAllForms(void)`
    fn FrmSaveAllForms() -> () = w::FRM_SAVE_ALL_FORMS;
    /// `void FrmSetEventHandler(FormType *formP, FormEventHandlerType *handler)`: `handler`
    /// is 68k code; for a Rust handler use `ui::set_form_event_handler`.
    fn FrmSetEventHandler(form: GuestAddr, handler: GuestAddr) -> () = w::FRM_SET_EVENT_HANDLER;
    /// `Boolean FrmDispatchEvent(EventType *eventP)`
    fn FrmDispatchEvent(event: GuestAddr) -> bool = w::FRM_DISPATCH_EVENT;
    /// `Boolean FrmHandleEvent(FormType *formP, EventType *eventP)`
    fn FrmHandleEvent(form: GuestAddr, event: GuestAddr) -> bool = w::FRM_HANDLE_EVENT;
    /// `Boolean FrmValidatePtr(const FormType *formP)`
    fn FrmValidatePtr(form: GuestAddr) -> bool = w::FRM_VALIDATE_PTR;
    /// `Boolean FrmVisible(const FormType *formP)`
    fn FrmVisible(form: GuestAddr) -> bool = w::FRM_VISIBLE;
    /// `void FrmSetMenu(FormType *formP, UInt16 menuRscID)`
    fn FrmSetMenu(form: GuestAddr, menu_rsc_id: u16) -> () = w::FRM_SET_MENU;
    /// `WinHandle FrmGetWindowHandle(const FormType *formP)`
    fn FrmGetWindowHandle(form: GuestAddr) -> GuestAddr = w::FRM_GET_WINDOW_HANDLE;
    /// `UInt16 FrmGetNumberOfObjects(const FormType *formP)`
    fn FrmGetNumberOfObjects(form: GuestAddr) -> u16 = w::FRM_GET_NUMBER_OF_OBJECTS;
    /// `UInt16 FrmGetObjectIndex(const FormType *formP, UInt16 objID)`
    fn FrmGetObjectIndex(form: GuestAddr, obj_id: u16) -> u16 = w::FRM_GET_OBJECT_INDEX;
    /// `void *FrmGetObjectPtr(const FormType *formP, UInt16 objIndex)`
    fn FrmGetObjectPtr(form: GuestAddr, obj_index: u16) -> GuestAddr = w::FRM_GET_OBJECT_PTR;
    /// `UInt16 FrmGetObjectId(const FormType *formP, UInt16 objIndex)`
    fn FrmGetObjectId(form: GuestAddr, obj_index: u16) -> u16 = w::FRM_GET_OBJECT_ID;
    /// `FormObjectKind FrmGetObjectType(const FormType *formP, UInt16 objIndex)` (a 1-byte enum)
    fn FrmGetObjectType(form: GuestAddr, obj_index: u16) -> u8 = w::FRM_GET_OBJECT_TYPE;
    /// `void FrmShowObject(FormType *formP, UInt16 objIndex)`
    fn FrmShowObject(form: GuestAddr, obj_index: u16) -> () = w::FRM_SHOW_OBJECT;
    /// `void FrmHideObject(FormType *formP, UInt16 objIndex)`
    fn FrmHideObject(form: GuestAddr, obj_index: u16) -> () = w::FRM_HIDE_OBJECT;
    /// `Int16 FrmGetControlValue(const FormType *formP, UInt16 objIndex)`
    fn FrmGetControlValue(form: GuestAddr, obj_index: u16) -> i16 = w::FRM_GET_CONTROL_VALUE;
    /// `void FrmSetControlValue(const FormType *formP, UInt16 objIndex, Int16 newValue)`
    fn FrmSetControlValue(form: GuestAddr, obj_index: u16, new_value: i16) -> () = w::FRM_SET_CONTROL_VALUE;
    /// `UInt16 FrmGetControlGroupSelection(const FormType *formP, UInt8 groupNum)`
    fn FrmGetControlGroupSelection(form: GuestAddr, group_num: u8) -> u16 = w::FRM_GET_CONTROL_GROUP_SELECTION;
    /// `void FrmSetControlGroupSelection(const FormType *formP, UInt8 groupNum, UInt16 controlID)`
    fn FrmSetControlGroupSelection(form: GuestAddr, group_num: u8, control_id: u16) -> () = w::FRM_SET_CONTROL_GROUP_SELECTION;
    /// `void FrmCopyLabel(FormType *formP, UInt16 labelID, const Char *newLabel)`
    fn FrmCopyLabel(form: GuestAddr, label_id: u16, new_label: GuestAddr) -> () = w::FRM_COPY_LABEL;
    /// `const Char *FrmGetLabel(const FormType *formP, UInt16 labelID)`
    fn FrmGetLabel(form: GuestAddr, label_id: u16) -> GuestAddr = w::FRM_GET_LABEL;
    /// `UInt16 FrmGetFocus(const FormType *formP)`
    fn FrmGetFocus(form: GuestAddr) -> u16 = w::FRM_GET_FOCUS;
    /// `void FrmSetFocus(FormType *formP, UInt16 fieldIndex)`
    fn FrmSetFocus(form: GuestAddr, field_index: u16) -> () = w::FRM_SET_FOCUS;
    /// `FieldType *FrmGetActiveField(const FormType *formP)`
    fn FrmGetActiveField(form: GuestAddr) -> GuestAddr = w::FRM_GET_ACTIVE_FIELD;
    /// `UInt16 FrmAlert(UInt16 alertId)`
    fn FrmAlert(alert_id: u16) -> u16 = w::FRM_ALERT;
    /// `UInt16 FrmCustomAlert(UInt16 alertId, const Char *s1, const Char *s2, const Char *s3)`
    fn FrmCustomAlert(alert_id: u16, s1: GuestAddr, s2: GuestAddr, s3: GuestAddr) -> u16 = w::FRM_CUSTOM_ALERT;
    /// `const Char *FrmGetTitle(const FormType *formP)`
    fn FrmGetTitle(form: GuestAddr) -> GuestAddr = w::FRM_GET_TITLE;
    /// `void FrmSetTitle(FormType *formP, Char *newTitle)` (the form keeps the pointer)
    fn FrmSetTitle(form: GuestAddr, new_title: GuestAddr) -> () = w::FRM_SET_TITLE;
    /// `void FrmCopyTitle(FormType *formP, const Char *newTitle)`
    fn FrmCopyTitle(form: GuestAddr, new_title: GuestAddr) -> () = w::FRM_COPY_TITLE;
    // ---- Controls (ControlType *) -----------------------------------------------------------
    /// `Int16 CtlGetValue(const ControlType *controlP)`
    fn CtlGetValue(control: GuestAddr) -> i16 = w::CTL_GET_VALUE;
    /// `void CtlSetValue(ControlType *controlP, Int16 newValue)`
    fn CtlSetValue(control: GuestAddr, new_value: i16) -> () = w::CTL_SET_VALUE;
    /// `const Char *CtlGetLabel(const ControlType *controlP)`
    fn CtlGetLabel(control: GuestAddr) -> GuestAddr = w::CTL_GET_LABEL;
    /// `void CtlSetLabel(ControlType *controlP, const Char *newLabel)` (the control keeps the pointer)
    fn CtlSetLabel(control: GuestAddr, new_label: GuestAddr) -> () = w::CTL_SET_LABEL;
    /// `void CtlDrawControl(ControlType *controlP)`
    fn CtlDrawControl(control: GuestAddr) -> () = w::CTL_DRAW_CONTROL;
    /// `void CtlEraseControl(ControlType *controlP)`
    fn CtlEraseControl(control: GuestAddr) -> () = w::CTL_ERASE_CONTROL;
    /// `void CtlHideControl(ControlType *controlP)`
    fn CtlHideControl(control: GuestAddr) -> () = w::CTL_HIDE_CONTROL;
    /// `void CtlShowControl(ControlType *controlP)`
    fn CtlShowControl(control: GuestAddr) -> () = w::CTL_SHOW_CONTROL;
    /// `void CtlSetUsable(ControlType *controlP, Boolean usable)`
    fn CtlSetUsable(control: GuestAddr, usable: bool) -> () = w::CTL_SET_USABLE;
    /// `void CtlSetEnabled(ControlType *controlP, Boolean usable)`
    fn CtlSetEnabled(control: GuestAddr, enabled: bool) -> () = w::CTL_SET_ENABLED;
    /// `Boolean CtlEnabled(const ControlType *controlP)`
    fn CtlEnabled(control: GuestAddr) -> bool = w::CTL_ENABLED;
    /// `void CtlHitControl(const ControlType *controlP)`
    fn CtlHitControl(control: GuestAddr) -> () = w::CTL_HIT_CONTROL;
    // ---- Fields (FieldType *) -----------------------------------------------------------------
    /// `Char *FldGetTextPtr(const FieldType *fldP)`
    fn FldGetTextPtr(field: GuestAddr) -> GuestAddr = w::FLD_GET_TEXT_PTR;
    /// `void FldSetTextPtr(FieldType *fldP, Char *textP)`
    fn FldSetTextPtr(field: GuestAddr, text: GuestAddr) -> () = w::FLD_SET_TEXT_PTR;
    /// `MemHandle FldGetTextHandle(const FieldType *fldP)`
    fn FldGetTextHandle(field: GuestAddr) -> GuestAddr = w::FLD_GET_TEXT_HANDLE;
    /// `void FldSetTextHandle(FieldType *fldP, MemHandle textHandle)`
    fn FldSetTextHandle(field: GuestAddr, text_handle: GuestAddr) -> () = w::FLD_SET_TEXT_HANDLE;
    /// `void FldSetText(FieldType *fldP, MemHandle textHandle, UInt16 offset, UInt16 size)`
    fn FldSetText(field: GuestAddr, text_handle: GuestAddr, offset: u16, size: u16) -> () = w::FLD_SET_TEXT;
    /// `UInt16 FldGetTextLength(const FieldType *fldP)`
    fn FldGetTextLength(field: GuestAddr) -> u16 = w::FLD_GET_TEXT_LENGTH;
    /// `Boolean FldInsert(FieldType *fldP, const Char *insertChars, UInt16 insertLen)`
    fn FldInsert(field: GuestAddr, insert_chars: GuestAddr, insert_len: u16) -> bool = w::FLD_INSERT;
    /// `void FldDelete(FieldType *fldP, UInt16 start, UInt16 end)`
    fn FldDelete(field: GuestAddr, start: u16, end: u16) -> () = w::FLD_DELETE;
    /// `void FldDrawField(FieldType *fldP)`
    fn FldDrawField(field: GuestAddr) -> () = w::FLD_DRAW_FIELD;
    /// `void FldEraseField(FieldType *fldP)`
    fn FldEraseField(field: GuestAddr) -> () = w::FLD_ERASE_FIELD;
    /// `void FldGetSelection(const FieldType *fldP, UInt16 *startPosition, UInt16 *endPosition)`
    fn FldGetSelection(field: GuestAddr, start_p: GuestAddr, end_p: GuestAddr) -> () = w::FLD_GET_SELECTION;
    /// `void FldSetSelection(FieldType *fldP, UInt16 startPosition, UInt16 endPosition)`
    fn FldSetSelection(field: GuestAddr, start: u16, end: u16) -> () = w::FLD_SET_SELECTION;
    /// `UInt16 FldGetInsPtPosition(const FieldType *fldP)`
    fn FldGetInsPtPosition(field: GuestAddr) -> u16 = w::FLD_GET_INS_PT_POSITION;
    /// `void FldSetInsPtPosition(FieldType *fldP, UInt16 pos)`
    fn FldSetInsPtPosition(field: GuestAddr, pos: u16) -> () = w::FLD_SET_INS_PT_POSITION;
    /// `void FldFreeMemory(FieldType *fldP)`
    fn FldFreeMemory(field: GuestAddr) -> () = w::FLD_FREE_MEMORY;
    /// `UInt16 FldGetMaxChars(const FieldType *fldP)`
    fn FldGetMaxChars(field: GuestAddr) -> u16 = w::FLD_GET_MAX_CHARS;
    /// `void FldSetMaxChars(FieldType *fldP, UInt16 maxChars)`
    fn FldSetMaxChars(field: GuestAddr, max_chars: u16) -> () = w::FLD_SET_MAX_CHARS;
    /// `void FldGrabFocus(FieldType *fldP)`
    fn FldGrabFocus(field: GuestAddr) -> () = w::FLD_GRAB_FOCUS;
    /// `void FldReleaseFocus(FieldType *fldP)`
    fn FldReleaseFocus(field: GuestAddr) -> () = w::FLD_RELEASE_FOCUS;
    /// `Boolean FldDirty(const FieldType *fldP)`
    fn FldDirty(field: GuestAddr) -> bool = w::FLD_DIRTY;
    /// `void FldSetDirty(FieldType *fldP, Boolean dirty)`
    fn FldSetDirty(field: GuestAddr, dirty: bool) -> () = w::FLD_SET_DIRTY;
    /// `void FldSetUsable(FieldType *fldP, Boolean usable)`
    fn FldSetUsable(field: GuestAddr, usable: bool) -> () = w::FLD_SET_USABLE;
    /// `void FldRecalculateField(FieldType *fldP, Boolean redraw)`
    fn FldRecalculateField(field: GuestAddr, redraw: bool) -> () = w::FLD_RECALCULATE_FIELD;
    // ---- Lists (ListType *; item numbers are Int16) ---------------------------------------------
    /// `Int16 LstGetSelection(const ListType *listP)`
    fn LstGetSelection(list: GuestAddr) -> i16 = w::LST_GET_SELECTION;
    /// `void LstSetSelection(ListType *listP, Int16 itemNum)`
    fn LstSetSelection(list: GuestAddr, item_num: i16) -> () = w::LST_SET_SELECTION;
    /// `void LstSetListChoices(ListType *listP, Char **itemsText, Int16 numItems)`
    fn LstSetListChoices(list: GuestAddr, items_text: GuestAddr, num_items: i16) -> () = w::LST_SET_LIST_CHOICES;
    /// `void LstDrawList(ListType *listP)`
    fn LstDrawList(list: GuestAddr) -> () = w::LST_DRAW_LIST;
    /// `void LstEraseList(ListType *listP)`
    fn LstEraseList(list: GuestAddr) -> () = w::LST_ERASE_LIST;
    /// `Int16 LstGetNumberOfItems(const ListType *listP)`
    fn LstGetNumberOfItems(list: GuestAddr) -> i16 = w::LST_GET_NUMBER_OF_ITEMS;
    /// `Int16 LstGetTopItem(const ListType *listP)`
    fn LstGetTopItem(list: GuestAddr) -> i16 = w::LST_GET_TOP_ITEM;
    /// `void LstSetTopItem(ListType *listP, Int16 itemNum)`
    fn LstSetTopItem(list: GuestAddr, item_num: i16) -> () = w::LST_SET_TOP_ITEM;
    /// `Char *LstGetSelectionText(const ListType *listP, Int16 itemNum)`
    fn LstGetSelectionText(list: GuestAddr, item_num: i16) -> GuestAddr = w::LST_GET_SELECTION_TEXT;
    /// `void LstSetHeight(ListType *listP, Int16 visibleItems)`
    fn LstSetHeight(list: GuestAddr, visible_items: i16) -> () = w::LST_SET_HEIGHT;
    /// `void LstMakeItemVisible(ListType *listP, Int16 itemNum)`
    fn LstMakeItemVisible(list: GuestAddr, item_num: i16) -> () = w::LST_MAKE_ITEM_VISIBLE;
    /// `Int16 LstGetVisibleItems(const ListType *listP)`
    fn LstGetVisibleItems(list: GuestAddr) -> i16 = w::LST_GET_VISIBLE_ITEMS;
    // ---- Window Manager: windows, bitmaps, more drawing ---------------------------------------
    /// `void WinDrawBitmap(BitmapPtr bitmapP, Coord x, Coord y)`
    fn WinDrawBitmap(bitmap: GuestAddr, x: i16, y: i16) -> () = w::WIN_DRAW_BITMAP;
    /// `void WinInvertRectangle(const RectangleType *rP, UInt16 cornerDiam)`
    fn WinInvertRectangle(rect: GuestAddr, corner_diam: u16) -> () = w::WIN_INVERT_RECTANGLE;
    /// `void WinFillRectangle(const RectangleType *rP, UInt16 cornerDiam)`
    fn WinFillRectangle(rect: GuestAddr, corner_diam: u16) -> () = w::WIN_FILL_RECTANGLE;
    /// `void WinDrawGrayLine(Coord x1, Coord y1, Coord x2, Coord y2)`
    fn WinDrawGrayLine(x1: i16, y1: i16, x2: i16, y2: i16) -> () = w::WIN_DRAW_GRAY_LINE;
    /// `void WinEraseLine(Coord x1, Coord y1, Coord x2, Coord y2)`
    fn WinEraseLine(x1: i16, y1: i16, x2: i16, y2: i16) -> () = w::WIN_ERASE_LINE;
    /// `void WinDrawChar(WChar theChar, Coord x, Coord y)`
    fn WinDrawChar(the_char: u16, x: i16, y: i16) -> () = w::WIN_DRAW_CHAR;
    /// `Err WinScreenMode(WinScreenModeOperation operation, UInt32 *widthP, UInt32 *heightP,
    /// UInt32 *depthP, Boolean *enableColorP)` (the operation is a 1-byte enum)
    fn WinScreenMode(operation: u8, width_p: GuestAddr, height_p: GuestAddr, depth_p: GuestAddr, enable_color_p: GuestAddr) -> u16 = w::WIN_SCREEN_MODE;
    /// `WinHandle WinSetDrawWindow(WinHandle winHandle)`: returns the previous draw window
    fn WinSetDrawWindow(win: GuestAddr) -> GuestAddr = w::WIN_SET_DRAW_WINDOW;
    /// `WinHandle WinGetDrawWindow(void)`
    fn WinGetDrawWindow() -> GuestAddr = w::WIN_GET_DRAW_WINDOW;
    /// `WinHandle WinGetDisplayWindow(void)`
    fn WinGetDisplayWindow() -> GuestAddr = w::WIN_GET_DISPLAY_WINDOW;
    /// `WinHandle WinCreateOffscreenWindow(Coord width, Coord height, WindowFormatType format,
    /// UInt16 *error)` (the format is a 1-byte enum)
    fn WinCreateOffscreenWindow(width: i16, height: i16, format: u8, error_p: GuestAddr) -> GuestAddr = w::WIN_CREATE_OFFSCREEN_WINDOW;
    /// `void WinDeleteWindow(WinHandle winHandle, Boolean eraseIt)`
    fn WinDeleteWindow(win: GuestAddr, erase_it: bool) -> () = w::WIN_DELETE_WINDOW;
    /// `void WinCopyRectangle(WinHandle srcWin, WinHandle dstWin, const RectangleType *srcRect,
    /// Coord destX, Coord destY, WinDrawOperation mode)` (the mode is a 1-byte enum)
    fn WinCopyRectangle(src_win: GuestAddr, dst_win: GuestAddr, src_rect: GuestAddr, dest_x: i16, dest_y: i16, mode: u8) -> () = w::WIN_COPY_RECTANGLE;
    /// `void WinGetDisplayExtent(Coord *extentX, Coord *extentY)`
    fn WinGetDisplayExtent(extent_x_p: GuestAddr, extent_y_p: GuestAddr) -> () = w::WIN_GET_DISPLAY_EXTENT;
    /// `void WinGetWindowExtent(Coord *extentX, Coord *extentY)`
    fn WinGetWindowExtent(extent_x_p: GuestAddr, extent_y_p: GuestAddr) -> () = w::WIN_GET_WINDOW_EXTENT;
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
        let mut out = [0u8; Shape::MAX_STACK_BYTES];
        let n = shape.stack_image(&[0x7073_7973, 1, 0x1234, 0x1FF], &mut out);
        assert_eq!(n, 12);
        assert_eq!(
            &out[..12],
            &[0x70, 0x73, 0x79, 0x73, 0, 1, 0, 0, 0x12, 0x34, 0, 0xFF]
        );
    }

    #[test]
    #[should_panic]
    fn more_than_fourteen_arguments_is_rejected() {
        let _ = Shape::new(&[ArgWidth::Long; 15], false);
    }

    #[test]
    fn fourteen_arguments_and_the_a0_flag_fit() {
        let s = Shape::new(&[ArgWidth::Word; 14], true);
        assert_eq!(s.arg_count(), 14);
        assert!(s.result_in_a0());
        assert_eq!(s.arg(13), Some(ArgWidth::Word));
        assert_eq!(s.arg(14), None);
        assert_eq!(s.stack_bytes(), 28);
        assert_eq!(s.0, (1 << 31) | 0x0AAA_AAAA);
        let l = Shape::new(&[ArgWidth::Long; 14], false);
        assert_eq!(l.stack_bytes() as usize, Shape::MAX_STACK_BYTES);
    }

    #[test]
    fn database_info_takes_thirteen_arguments() {
        // Err DmDatabaseInfo(UInt16 cardNo, LocalID dbID, 11 pointers): 2 + 4 + 11 * 4 bytes.
        for name in ["DmDatabaseInfo", "DmSetDatabaseInfo"] {
            let s = TRAPS.iter().find(|t| t.name == name).unwrap().shape;
            assert_eq!(s.arg_count(), 13, "{name}");
            assert_eq!(s.arg(0), Some(ArgWidth::Word));
            assert!((1..13).all(|i| s.arg(i) == Some(ArgWidth::Long)));
            assert_eq!(s.stack_bytes(), 50);
            assert!(!s.result_in_a0());
        }
        // The stack image of a 13-argument call, as a 68k caller leaves it.
        let s = TRAPS.iter().find(|t| t.name == "DmDatabaseInfo").unwrap().shape;
        let args: [u32; 13] = core::array::from_fn(|i| if i == 0 { 0x0001 } else { 0x0100_0000 + i as u32 });
        let mut out = [0xEEu8; Shape::MAX_STACK_BYTES];
        let n = s.stack_image(&args, &mut out);
        assert_eq!(n, 50);
        assert_eq!(&out[..10], &[0, 1, 1, 0, 0, 1, 1, 0, 0, 2]);
        assert_eq!(&out[46..50], &[1, 0, 0, 12]);
        assert_eq!(out[50], 0xEE, "nothing written past the arguments");
    }
}
