//! Menu structures (`Menu.h`): the `MenuBarType` that `MenuInit` builds in the dynamic heap,
//! its pull-down menus and their items, and the `'MBAR'` resource they are loaded from.
//!
//! An `'MBAR'` resource holds the same three structures back to back — the bar, then
//! `numMenus` pull-downs, then each menu's items, then the strings — with every pointer field
//! (`menus`, `title`, `items`, `itemStr`) holding an offset from the start of the resource.
//! `MenuInit` copies it into a chunk and turns the offsets into addresses. Window handles and
//! bounds are zero in the resource and filled in when the menu is drawn.

// The resource type is `ui_layout::MENU_RSC_TYPE` ('MBAR').
/// An item whose text starts with this character is a separator line.
pub const MENU_SEPARATOR_CHAR: u8 = b'-';
/// `noMenuSelection` / `noMenuItemSelection`.
pub const NO_MENU_SELECTION: i16 = -1;

/// `MenuBarType`, 32 bytes.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | `barWin` |
/// | 4 | 4 | `bitsBehind` |
/// | 8 | 4 | `savedActiveWin` |
/// | 12 | 4 | `bitsBehindStatus` |
/// | 16 | 2 | `attr` (`visible` 0x8000, `commandPending` 0x4000, `insPtEnabled` 0x2000) |
/// | 18 | 2 | `curMenu` (-1 = none) |
/// | 20 | 2 | `curItem` (-1 = none) |
/// | 22 | 4 | `commandTick` |
/// | 26 | 2 | `numMenus` |
/// | 28 | 4 | `menus` (`MenuPullDownType *`) |
pub mod menu_bar {
    pub const BAR_WIN: u32 = 0;
    pub const BITS_BEHIND: u32 = 4;
    pub const SAVED_ACTIVE_WIN: u32 = 8;
    pub const BITS_BEHIND_STATUS: u32 = 12;
    pub const ATTR: u32 = 16;
    pub const CUR_MENU: u32 = 18;
    pub const CUR_ITEM: u32 = 20;
    pub const COMMAND_TICK: u32 = 22;
    pub const NUM_MENUS: u32 = 26;
    pub const MENUS: u32 = 28;
    pub const LEN: u32 = 32;
    /// `attr` bits.
    pub const ATTR_VISIBLE: u16 = 0x8000;
    pub const ATTR_COMMAND_PENDING: u16 = 0x4000;
}

/// `MenuPullDownType`, 34 bytes.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | `menuWin` |
/// | 4 | 8 | `bounds` (`RectangleType`) |
/// | 12 | 4 | `bitsBehind` |
/// | 20 | 8 | `titleBounds` (at 16: `RectangleType`) |
/// | 24 | 4 | `title` (`Char *`) |
/// | 28 | 2 | `hidden:1` (0x8000), `numItems:15` |
/// | 30 | 4 | `items` (`MenuItemType *`) |
pub mod pull_down {
    pub const MENU_WIN: u32 = 0;
    pub const BOUNDS: u32 = 4;
    pub const BITS_BEHIND: u32 = 12;
    pub const TITLE_BOUNDS: u32 = 16;
    pub const TITLE: u32 = 24;
    pub const ATTR_NUM_ITEMS: u32 = 28;
    pub const ITEMS: u32 = 30;
    pub const LEN: u32 = 34;
    pub const HIDDEN: u16 = 0x8000;
    pub const NUM_ITEMS_MASK: u16 = 0x7FFF;
}

/// `MenuItemType`, 8 bytes.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 2 | `itemId` |
/// | 2 | 1 | `command` (the shortcut letter, 0 = none) |
/// | 3 | 1 | `hidden:1` (0x80), reserved |
/// | 4 | 4 | `itemStr` (`Char *`) |
pub mod menu_item {
    pub const ITEM_ID: u32 = 0;
    pub const COMMAND: u32 = 2;
    pub const ATTR: u32 = 3;
    pub const ITEM_STR: u32 = 4;
    pub const LEN: u32 = 8;
    pub const HIDDEN: u8 = 0x80;
}
