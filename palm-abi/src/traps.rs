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
    // Launching
    SYS_APP_LAUNCH = 0xA08E, "SysAppLaunch";
    SYS_APP_STARTUP = 0xA08F, "SysAppStartup";
    SYS_APP_EXIT = 0xA090, "SysAppExit";
    SYS_CUR_APP_DATABASE = 0xA0AC, "SysCurAppDatabase";
    SYS_GET_APP_INFO = 0xA33C, "SysGetAppInfo";
    SYS_UI_APP_SWITCH = 0xA0A7, "SysUIAppSwitch";
    SYS_HANDLE_EVENT = 0xA0A9, "SysHandleEvent";
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
    // Window Manager
    WIN_CREATE_WINDOW = 0xA1F6, "WinCreateWindow";
    WIN_CREATE_OFFSCREEN_WINDOW = 0xA1F7, "WinCreateOffscreenWindow";
    WIN_DELETE_WINDOW = 0xA1F8, "WinDeleteWindow";
    WIN_INITIALIZE_WINDOW = 0xA1F9, "WinInitializeWindow";
    WIN_ADD_WINDOW = 0xA1FA, "WinAddWindow";
    WIN_REMOVE_WINDOW = 0xA1FB, "WinRemoveWindow";
    WIN_SET_ACTIVE_WINDOW = 0xA1FC, "WinSetActiveWindow";
    WIN_SET_DRAW_WINDOW = 0xA1FD, "WinSetDrawWindow";
    WIN_GET_DRAW_WINDOW = 0xA1FE, "WinGetDrawWindow";
    WIN_GET_ACTIVE_WINDOW = 0xA1FF, "WinGetActiveWindow";
    WIN_GET_DISPLAY_WINDOW = 0xA200, "WinGetDisplayWindow";
    WIN_GET_FIRST_WINDOW = 0xA201, "WinGetFirstWindow";
    WIN_ENABLE_WINDOW = 0xA202, "WinEnableWindow";
    WIN_DISABLE_WINDOW = 0xA203, "WinDisableWindow";
    WIN_GET_WINDOW_FRAME_RECT = 0xA204, "WinGetWindowFrameRect";
    WIN_DRAW_WINDOW_FRAME = 0xA205, "WinDrawWindowFrame";
    WIN_ERASE_WINDOW = 0xA206, "WinEraseWindow";
    WIN_SAVE_BITS = 0xA207, "WinSaveBits";
    WIN_RESTORE_BITS = 0xA208, "WinRestoreBits";
    WIN_COPY_RECTANGLE = 0xA209, "WinCopyRectangle";
    WIN_SCROLL_RECTANGLE = 0xA20A, "WinScrollRectangle";
    WIN_GET_DISPLAY_EXTENT = 0xA20B, "WinGetDisplayExtent";
    WIN_GET_WINDOW_EXTENT = 0xA20C, "WinGetWindowExtent";
    WIN_DISPLAY_TO_WINDOW_PT = 0xA20D, "WinDisplayToWindowPt";
    WIN_WINDOW_TO_DISPLAY_PT = 0xA20E, "WinWindowToDisplayPt";
    WIN_GET_CLIP = 0xA20F, "WinGetClip";
    WIN_SET_CLIP = 0xA210, "WinSetClip";
    WIN_RESET_CLIP = 0xA211, "WinResetClip";
    WIN_CLIP_RECTANGLE = 0xA212, "WinClipRectangle";
    WIN_DRAW_LINE = 0xA213, "WinDrawLine";
    WIN_DRAW_GRAY_LINE = 0xA214, "WinDrawGrayLine";
    WIN_ERASE_LINE = 0xA215, "WinEraseLine";
    WIN_INVERT_LINE = 0xA216, "WinInvertLine";
    WIN_FILL_LINE = 0xA217, "WinFillLine";
    WIN_DRAW_RECTANGLE = 0xA218, "WinDrawRectangle";
    WIN_ERASE_RECTANGLE = 0xA219, "WinEraseRectangle";
    WIN_INVERT_RECTANGLE = 0xA21A, "WinInvertRectangle";
    WIN_DRAW_RECTANGLE_FRAME = 0xA21B, "WinDrawRectangleFrame";
    WIN_DRAW_GRAY_RECTANGLE_FRAME = 0xA21C, "WinDrawGrayRectangleFrame";
    WIN_ERASE_RECTANGLE_FRAME = 0xA21D, "WinEraseRectangleFrame";
    WIN_INVERT_RECTANGLE_FRAME = 0xA21E, "WinInvertRectangleFrame";
    WIN_GET_FRAMES_RECTANGLE = 0xA21F, "WinGetFramesRectangle";
    WIN_DRAW_CHARS = 0xA220, "WinDrawChars";
    WIN_ERASE_CHARS = 0xA221, "WinEraseChars";
    WIN_INVERT_CHARS = 0xA222, "WinInvertChars";
    WIN_GET_PATTERN = 0xA223, "WinGetPattern";
    WIN_SET_PATTERN = 0xA224, "WinSetPattern";
    WIN_SET_UNDERLINE_MODE = 0xA225, "WinSetUnderlineMode";
    WIN_DRAW_BITMAP = 0xA226, "WinDrawBitmap";
    WIN_MODAL = 0xA227, "WinModal";
    WIN_GET_DRAW_WINDOW_BOUNDS = 0xA228, "WinGetDrawWindowBounds";
    WIN_FILL_RECTANGLE = 0xA229, "WinFillRectangle";
    WIN_DRAW_INVERTED_CHARS = 0xA22A, "WinDrawInvertedChars";
    WIN_SET_BOUNDS = 0xA300, "WinSetBounds";
    WIN_SET_COLORS = 0xA304, "WinSetColors";
    WIN_VALIDATE_HANDLE = 0xA326, "WinValidateHandle";
    WIN_SCREEN_MODE = 0xA33E, "WinScreenMode";
    WIN_DRAW_CHAR = 0xA350, "WinDrawChar";
    WIN_DRAW_TRUNC_CHARS = 0xA351, "WinDrawTruncChars";
    WIN_PAINT_CHAR = 0xA37E, "WinPaintChar";
    WIN_PAINT_CHARS = 0xA37F, "WinPaintChars";
    WIN_PAINT_BITMAP = 0xA380, "WinPaintBitmap";
    WIN_GET_PIXEL = 0xA381, "WinGetPixel";
    WIN_PAINT_PIXEL = 0xA382, "WinPaintPixel";
    WIN_DRAW_PIXEL = 0xA383, "WinDrawPixel";
    WIN_ERASE_PIXEL = 0xA384, "WinErasePixel";
    WIN_INVERT_PIXEL = 0xA385, "WinInvertPixel";
    WIN_PAINT_PIXELS = 0xA386, "WinPaintPixels";
    WIN_PAINT_LINES = 0xA387, "WinPaintLines";
    WIN_PAINT_LINE = 0xA388, "WinPaintLine";
    WIN_PAINT_RECTANGLE = 0xA389, "WinPaintRectangle";
    WIN_PAINT_RECTANGLE_FRAME = 0xA38A, "WinPaintRectangleFrame";
    WIN_PUSH_DRAW_STATE = 0xA395, "WinPushDrawState";
    WIN_POP_DRAW_STATE = 0xA396, "WinPopDrawState";
    WIN_SET_DRAW_MODE = 0xA397, "WinSetDrawMode";
    WIN_SET_FORE_COLOR = 0xA398, "WinSetForeColor";
    WIN_SET_BACK_COLOR = 0xA399, "WinSetBackColor";
    WIN_SET_TEXT_COLOR = 0xA39A, "WinSetTextColor";
    WIN_GET_PATTERN_TYPE = 0xA39B, "WinGetPatternType";
    WIN_SET_PATTERN_TYPE = 0xA39C, "WinSetPatternType";
    WIN_RGB_TO_INDEX = 0xA39E, "WinRGBToIndex";
    WIN_INDEX_TO_RGB = 0xA39F, "WinIndexToRGB";
    WIN_SCREEN_LOCK = 0xA3A0, "WinScreenLock";
    WIN_SCREEN_UNLOCK = 0xA3A1, "WinScreenUnlock";
    WIN_GET_BITMAP = 0xA3A2, "WinGetBitmap";
    WIN_CREATE_BITMAP_WINDOW = 0xA3E4, "WinCreateBitmapWindow";
    WIN_SET_FORE_COLOR_RGB = 0xA3E8, "WinSetForeColorRGB";
    WIN_SET_BACK_COLOR_RGB = 0xA3E9, "WinSetBackColorRGB";
    WIN_SET_TEXT_COLOR_RGB = 0xA3EA, "WinSetTextColorRGB";
    WIN_GET_PIXEL_RGB = 0xA3EB, "WinGetPixelRGB";
    WIN_GET_BOUNDS = 0xA456, "WinGetBounds";
    // Font Manager
    FNT_GET_FONT = 0xA163, "FntGetFont";
    FNT_SET_FONT = 0xA164, "FntSetFont";
    FNT_BASE_LINE = 0xA166, "FntBaseLine";
    FNT_CHAR_HEIGHT = 0xA167, "FntCharHeight";
    FNT_LINE_HEIGHT = 0xA168, "FntLineHeight";
    FNT_AVERAGE_CHAR_WIDTH = 0xA169, "FntAverageCharWidth";
    FNT_CHAR_WIDTH = 0xA16A, "FntCharWidth";
    FNT_CHARS_WIDTH = 0xA16B, "FntCharsWidth";
    FNT_DESCENDER_HEIGHT = 0xA16C, "FntDescenderHeight";
    FNT_CHARS_IN_WIDTH = 0xA16D, "FntCharsInWidth";
    FNT_LINE_WIDTH = 0xA16E, "FntLineWidth";
    FNT_WORD_WRAP = 0xA2D9, "FntWordWrap";
    FNT_WORD_WRAP_REVERSE_N_LINES = 0xA2E3, "FntWordWrapReverseNLines";
    FNT_GET_SCROLL_VALUES = 0xA2E4, "FntGetScrollValues";
    FNT_WIDTH_TO_OFFSET = 0xA34E, "FntWidthToOffset";
    FNT_W_CHAR_WIDTH = 0xA40C, "FntWCharWidth";
    // Event Manager (EVT_GET_EVENT is above)
    EVT_ADD_EVENT_TO_QUEUE = 0xA11B, "EvtAddEventToQueue";
    EVT_COPY_EVENT = 0xA11C, "EvtCopyEvent";
    EVT_GET_PEN = 0xA11E, "EvtGetPen";
    EVT_FLUSH_PEN_QUEUE = 0xA125, "EvtFlushPenQueue";
    EVT_FLUSH_NEXT_PEN_STROKE = 0xA129, "EvtFlushNextPenStroke";
    EVT_FLUSH_KEY_QUEUE = 0xA12C, "EvtFlushKeyQueue";
    EVT_ENQUEUE_KEY = 0xA12D, "EvtEnqueueKey";
    EVT_WAKEUP = 0xA12F, "EvtWakeup";
    EVT_RESET_AUTO_OFF_TIMER = 0xA130, "EvtResetAutoOffTimer";
    EVT_KEY_QUEUE_EMPTY = 0xA131, "EvtKeyQueueEmpty";
    EVT_ENABLE_GRAFFITI = 0xA132, "EvtEnableGraffiti";
    EVT_EVENT_AVAIL = 0xA2CC, "EvtEventAvail";
    EVT_SYS_EVENT_AVAIL = 0xA2CD, "EvtSysEventAvail";
    EVT_ADD_UNIQUE_EVENT_TO_QUEUE = 0xA2F6, "EvtAddUniqueEventToQueue";
    EVT_SET_AUTO_OFF_TIMER = 0xA3AD, "EvtSetAutoOffTimer";
    EVT_SET_NULL_EVENT_TICK = 0xA3E5, "EvtSetNullEventTick";
    EVT_WAKEUP_WITHOUT_NIL_EVENT = 0xA3F2, "EvtWakeupWithoutNilEvent";
    // Form Manager
    FRM_INIT_FORM = 0xA16F, "FrmInitForm";
    FRM_DELETE_FORM = 0xA170, "FrmDeleteForm";
    FRM_DRAW_FORM = 0xA171, "FrmDrawForm";
    FRM_ERASE_FORM = 0xA172, "FrmEraseForm";
    FRM_GET_ACTIVE_FORM = 0xA173, "FrmGetActiveForm";
    FRM_SET_ACTIVE_FORM = 0xA174, "FrmSetActiveForm";
    FRM_GET_ACTIVE_FORM_ID = 0xA175, "FrmGetActiveFormID";
    FRM_GET_USER_MODIFIED_STATE = 0xA176, "FrmGetUserModifiedState";
    FRM_SET_NOT_USER_MODIFIED = 0xA177, "FrmSetNotUserModified";
    FRM_GET_FOCUS = 0xA178, "FrmGetFocus";
    FRM_SET_FOCUS = 0xA179, "FrmSetFocus";
    FRM_HANDLE_EVENT = 0xA17A, "FrmHandleEvent";
    FRM_GET_FORM_BOUNDS = 0xA17B, "FrmGetFormBounds";
    FRM_GET_WINDOW_HANDLE = 0xA17C, "FrmGetWindowHandle";
    FRM_GET_FORM_ID = 0xA17D, "FrmGetFormId";
    FRM_GET_FORM_PTR = 0xA17E, "FrmGetFormPtr";
    FRM_GET_NUMBER_OF_OBJECTS = 0xA17F, "FrmGetNumberOfObjects";
    FRM_GET_OBJECT_INDEX = 0xA180, "FrmGetObjectIndex";
    FRM_GET_OBJECT_ID = 0xA181, "FrmGetObjectId";
    FRM_GET_OBJECT_TYPE = 0xA182, "FrmGetObjectType";
    FRM_GET_OBJECT_PTR = 0xA183, "FrmGetObjectPtr";
    FRM_HIDE_OBJECT = 0xA184, "FrmHideObject";
    FRM_SHOW_OBJECT = 0xA185, "FrmShowObject";
    FRM_GET_OBJECT_POSITION = 0xA186, "FrmGetObjectPosition";
    FRM_SET_OBJECT_POSITION = 0xA187, "FrmSetObjectPosition";
    FRM_GET_CONTROL_VALUE = 0xA188, "FrmGetControlValue";
    FRM_SET_CONTROL_VALUE = 0xA189, "FrmSetControlValue";
    FRM_GET_CONTROL_GROUP_SELECTION = 0xA18A, "FrmGetControlGroupSelection";
    FRM_SET_CONTROL_GROUP_SELECTION = 0xA18B, "FrmSetControlGroupSelection";
    FRM_COPY_LABEL = 0xA18C, "FrmCopyLabel";
    FRM_GET_LABEL = 0xA18E, "FrmGetLabel";
    FRM_GET_TITLE = 0xA190, "FrmGetTitle";
    FRM_SET_TITLE = 0xA191, "FrmSetTitle";
    FRM_ALERT = 0xA192, "FrmAlert";
    FRM_CUSTOM_ALERT = 0xA194, "FrmCustomAlert";
    FRM_GET_FIRST_FORM = 0xA197, "FrmGetFirstForm";
    FRM_VISIBLE = 0xA198, "FrmVisible";
    FRM_GET_OBJECT_BOUNDS = 0xA199, "FrmGetObjectBounds";
    FRM_COPY_TITLE = 0xA19A, "FrmCopyTitle";
    FRM_GOTO_FORM = 0xA19B, "FrmGotoForm";
    FRM_POPUP_FORM = 0xA19C, "FrmPopupForm";
    FRM_UPDATE_FORM = 0xA19D, "FrmUpdateForm";
    FRM_RETURN_TO_FORM = 0xA19E, "FrmReturnToForm";
    FRM_SET_EVENT_HANDLER = 0xA19F, "FrmSetEventHandler";
    FRM_DISPATCH_EVENT = 0xA1A0, "FrmDispatchEvent";
    FRM_CLOSE_ALL_FORMS = 0xA1A1, "FrmCloseAllForms";
    FRM_SAVE_ALL_FORMS = 0xA1A2, "FrmSaveAllForms";
    FRM_GET_GADGET_DATA = 0xA1A3, "FrmGetGadgetData";
    FRM_SET_GADGET_DATA = 0xA1A4, "FrmSetGadgetData";
    FRM_POINT_IN_TITLE = 0xA2D5, "FrmPointInTitle";
    FRM_SET_MENU = 0xA2F0, "FrmSetMenu";
    FRM_SET_OBJECT_BOUNDS = 0xA303, "FrmSetObjectBounds";
    FRM_VALIDATE_PTR = 0xA327, "FrmValidatePtr";
    FRM_NEW_FORM = 0xA32B, "FrmNewForm";
    FRM_NEW_LABEL = 0xA32F, "FrmNewLabel";
    FRM_GET_OBJECT_INDEX_FROM_PTR = 0xA454, "FrmGetObjectIndexFromPtr";
    FRM_GET_ACTIVE_FIELD = 0xA445, "FrmGetActiveField";
    // Controls
    CTL_DRAW_CONTROL = 0xA10D, "CtlDrawControl";
    CTL_ERASE_CONTROL = 0xA10E, "CtlEraseControl";
    CTL_HIDE_CONTROL = 0xA10F, "CtlHideControl";
    CTL_SHOW_CONTROL = 0xA110, "CtlShowControl";
    CTL_GET_VALUE = 0xA111, "CtlGetValue";
    CTL_SET_VALUE = 0xA112, "CtlSetValue";
    CTL_GET_LABEL = 0xA113, "CtlGetLabel";
    CTL_SET_LABEL = 0xA114, "CtlSetLabel";
    CTL_HANDLE_EVENT = 0xA115, "CtlHandleEvent";
    CTL_HIT_CONTROL = 0xA116, "CtlHitControl";
    CTL_SET_ENABLED = 0xA117, "CtlSetEnabled";
    CTL_SET_USABLE = 0xA118, "CtlSetUsable";
    CTL_ENABLED = 0xA119, "CtlEnabled";
    CTL_VALIDATE_POINTER = 0xA328, "CtlValidatePointer";
    CTL_NEW_CONTROL = 0xA32C, "CtlNewControl";
    // Fields
    FLD_DRAW_FIELD = 0xA135, "FldDrawField";
    FLD_ERASE_FIELD = 0xA136, "FldEraseField";
    FLD_FREE_MEMORY = 0xA137, "FldFreeMemory";
    FLD_GET_BOUNDS = 0xA138, "FldGetBounds";
    FLD_GET_TEXT_PTR = 0xA139, "FldGetTextPtr";
    FLD_GET_SELECTION = 0xA13A, "FldGetSelection";
    FLD_HANDLE_EVENT = 0xA13B, "FldHandleEvent";
    FLD_RECALCULATE_FIELD = 0xA13D, "FldRecalculateField";
    FLD_SET_BOUNDS = 0xA13E, "FldSetBounds";
    FLD_SET_TEXT = 0xA13F, "FldSetText";
    FLD_GET_FONT = 0xA140, "FldGetFont";
    FLD_SET_FONT = 0xA141, "FldSetFont";
    FLD_SET_SELECTION = 0xA142, "FldSetSelection";
    FLD_GRAB_FOCUS = 0xA143, "FldGrabFocus";
    FLD_RELEASE_FOCUS = 0xA144, "FldReleaseFocus";
    FLD_GET_INS_PT_POSITION = 0xA145, "FldGetInsPtPosition";
    FLD_SET_INS_PT_POSITION = 0xA146, "FldSetInsPtPosition";
    FLD_GET_SCROLL_POSITION = 0xA148, "FldGetScrollPosition";
    FLD_GET_TEXT_HEIGHT = 0xA149, "FldGetTextHeight";
    FLD_GET_TEXT_ALLOCATED_SIZE = 0xA14A, "FldGetTextAllocatedSize";
    FLD_GET_TEXT_LENGTH = 0xA14B, "FldGetTextLength";
    FLD_SCROLLABLE = 0xA14D, "FldScrollable";
    FLD_GET_VISIBLE_LINES = 0xA14E, "FldGetVisibleLines";
    FLD_GET_ATTRIBUTES = 0xA14F, "FldGetAttributes";
    FLD_SET_ATTRIBUTES = 0xA150, "FldSetAttributes";
    FLD_GET_TEXT_HANDLE = 0xA153, "FldGetTextHandle";
    FLD_COMPACT_TEXT = 0xA154, "FldCompactText";
    FLD_DIRTY = 0xA155, "FldDirty";
    FLD_SET_TEXT_HANDLE = 0xA158, "FldSetTextHandle";
    FLD_SET_TEXT_PTR = 0xA159, "FldSetTextPtr";
    FLD_GET_MAX_CHARS = 0xA15A, "FldGetMaxChars";
    FLD_SET_MAX_CHARS = 0xA15B, "FldSetMaxChars";
    FLD_SET_USABLE = 0xA15C, "FldSetUsable";
    FLD_INSERT = 0xA15D, "FldInsert";
    FLD_DELETE = 0xA15E, "FldDelete";
    FLD_SET_DIRTY = 0xA160, "FldSetDirty";
    FLD_SET_INSERTION_POINT = 0xA302, "FldSetInsertionPoint";
    // Lists
    LST_SET_DRAW_FUNCTION = 0xA1B0, "LstSetDrawFunction";
    LST_DRAW_LIST = 0xA1B1, "LstDrawList";
    LST_ERASE_LIST = 0xA1B2, "LstEraseList";
    LST_GET_SELECTION = 0xA1B3, "LstGetSelection";
    LST_GET_SELECTION_TEXT = 0xA1B4, "LstGetSelectionText";
    LST_HANDLE_EVENT = 0xA1B5, "LstHandleEvent";
    LST_SET_HEIGHT = 0xA1B6, "LstSetHeight";
    LST_SET_SELECTION = 0xA1B7, "LstSetSelection";
    LST_SET_LIST_CHOICES = 0xA1B8, "LstSetListChoices";
    LST_MAKE_ITEM_VISIBLE = 0xA1B9, "LstMakeItemVisible";
    LST_GET_NUMBER_OF_ITEMS = 0xA1BA, "LstGetNumberOfItems";
    LST_SET_POSITION = 0xA1BC, "LstSetPosition";
    LST_SET_TOP_ITEM = 0xA2B5, "LstSetTopItem";
    LST_SCROLL_LIST = 0xA2FB, "LstScrollList";
    LST_GET_VISIBLE_ITEMS = 0xA2FF, "LstGetVisibleItems";
    LST_GET_TOP_ITEM = 0xA41B, "LstGetTopItem";
    // Menus
    MENU_HANDLE_EVENT = 0xA1BF, "MenuHandleEvent";
    MENU_INIT = 0xA1BD, "MenuInit";
    MENU_DISPOSE = 0xA1BE, "MenuDispose";
    MENU_DRAW_MENU = 0xA1C0, "MenuDrawMenu";
    MENU_ERASE_STATUS = 0xA1C1, "MenuEraseStatus";
    MENU_GET_ACTIVE_MENU = 0xA1C2, "MenuGetActiveMenu";
    MENU_SET_ACTIVE_MENU = 0xA1C3, "MenuSetActiveMenu";
    MENU_SET_ACTIVE_MENU_RSC_ID = 0xA2FA, "MenuSetActiveMenuRscID";
    MENU_ERASE_MENU = 0xA3C5, "MenuEraseMenu";
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
