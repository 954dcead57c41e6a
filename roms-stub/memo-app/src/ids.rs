// Memos' resource IDs, object IDs and object bounds: the one definition shared by the
// application (`memo_app::ids`), the resource tool (tools/app-resources `include!`s this
// file, so it holds plain constants only, no inner doc comments) and the tests.

/// Creator code of the application and of its data database.
pub const CREATOR: [u8; 4] = *b"DMem";
/// The data database (type 'data'): one record per memo, the text NUL-terminated.
pub const DB_NAME: &str = "MemosDB";

/// The list form: memo titles and a "New" button.
pub const LIST_FORM: u16 = 2000;
pub const MEMO_LIST: u16 = 2001;
pub const NEW_BUTTON: u16 = 2002;
/// The edit form: a multi-line field, "Done" and "Delete".
pub const EDIT_FORM: u16 = 2100;
pub const MEMO_FIELD: u16 = 2101;
pub const DONE_BUTTON: u16 = 2102;
pub const DELETE_BUTTON: u16 = 2103;
/// Longest memo in bytes (the field's `maxChars`).
pub const MEMO_MAX_CHARS: u16 = 1000;

/// Delete confirmation (`Talt`): "Yes" (index 0), "No" (index 1, the default).
pub const DELETE_ALERT: u16 = 2200;
pub const DELETE_ALERT_YES: u16 = 0;
/// The About box (`Talt`): one "OK" button.
pub const ABOUT_ALERT: u16 = 2201;
/// Menu bars (`MBAR`): the list form's (Record: New Memo /N; Options: About Memos) and the
/// edit form's (Record: Delete Memo... /D; Options: About Memos).
pub const LIST_MENU: u16 = 2400;
pub const EDIT_MENU: u16 = 2410;
pub const NEW_MEMO_ITEM: u16 = 2401;
pub const DELETE_MEMO_ITEM: u16 = 2411;
pub const ABOUT_ITEM: u16 = 2420;
/// Help texts (`tSTR`).
pub const LIST_HELP: u16 = 2300;
pub const EDIT_HELP: u16 = 2301;
/// The launcher icon (`tAIB`).
pub const ICON: u16 = 1000;

/// Bounds `(x, y, width, height)` on the 160x160 display.
pub const LIST_BOUNDS: (i16, i16, i16, i16) = (0, 16, 160, 121);
/// Height of one list line (stdFont).
pub const LIST_LINE_HEIGHT: i16 = 11;
pub const NEW_BOUNDS: (i16, i16, i16, i16) = (4, 145, 36, 12);
pub const FIELD_BOUNDS: (i16, i16, i16, i16) = (2, 18, 156, 121);
pub const DONE_BOUNDS: (i16, i16, i16, i16) = (4, 145, 36, 12);
pub const DELETE_BOUNDS: (i16, i16, i16, i16) = (46, 145, 40, 12);
