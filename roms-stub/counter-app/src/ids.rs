// Counter's resource IDs, object IDs and object bounds: the one definition shared by the
// application (`counter_app::ids`), the resource tool (tools/app-resources `include!`s this
// file, so it holds plain constants only, no inner doc comments) and the tests.

/// Creator code of the application and of its data database.
pub const CREATOR: [u8; 4] = *b"DCnt";
/// The data database (type 'data'): one record, see `logic::State`.
pub const DB_NAME: &str = "CounterDB";

/// The main form (`tFRM`).
pub const MAIN_FORM: u16 = 1000;
/// The "Count:" caption and the count itself (a large-font label whose text the application
/// replaces with `FrmCopyLabel`).
pub const CAPTION_LABEL: u16 = 1001;
pub const COUNT_LABEL: u16 = 1002;
pub const PLUS_BUTTON: u16 = 1003;
pub const MINUS_BUTTON: u16 = 1004;
pub const RESET_BUTTON: u16 = 1005;
pub const STEP_CHECKBOX: u16 = 1006;

/// Reset confirmation (`Talt`): buttons "Yes" (index 0) and "No" (index 1, the default).
pub const RESET_ALERT: u16 = 1100;
pub const RESET_ALERT_YES: u16 = 0;
pub const RESET_ALERT_NO: u16 = 1;
/// The form's help text (`tSTR`).
pub const HELP_STRING: u16 = 1200;
/// The launcher icon (`tAIB`).
pub const ICON: u16 = 1000;

/// Bounds `(x, y, width, height)` and positions on the 160x160 display.
pub const CAPTION_POS: (i16, i16) = (8, 52);
pub const COUNT_POS: (i16, i16) = (56, 48);
/// The count label's initial text: it sets the label's buffer (6 characters: -99999..99999).
pub const COUNT_PLACEHOLDER: &str = "000000";
pub const STEP_CHECKBOX_BOUNDS: (i16, i16, i16, i16) = (8, 100, 70, 12);
pub const PLUS_BOUNDS: (i16, i16, i16, i16) = (8, 140, 40, 12);
pub const MINUS_BOUNDS: (i16, i16, i16, i16) = (58, 140, 40, 12);
pub const RESET_BOUNDS: (i16, i16, i16, i16) = (108, 140, 44, 12);
