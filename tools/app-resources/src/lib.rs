//! The UI resources of the demo applications, in readable Rust: forms and alerts through
//! palm-shim's [`FormBuilder`]/[`AlertBuilder`] (the bytes PilRC would write), help strings,
//! and launcher icons drawn as ASCII art ([`icon`]). Resource and object IDs and the objects'
//! bounds come from each application's `src/ids.rs`, `include!`d here, so the application and
//! its resources cannot disagree.
//!
//! No menus: the shim's Form Manager has no menu bar yet (`MenuHandleEvent` never handles an
//! event), so the applications have no `MBAR`/`MENU` resources.

pub mod icon;

use palm_abi::ui_layout::{CONFIRMATION_ALERT, INFORMATION_ALERT, LARGE_FONT};
use palm_shim::forms::builder::{string_resource, AlertBuilder, FieldOptions, FormBuilder};
use palm_shim::forms::menu::MenuBarResource;
use palm_shim::pdb::ResourceEntry;

/// `roms-stub/counter-app/src/ids.rs`.
pub mod counter_ids {
    include!("../../../roms-stub/counter-app/src/ids.rs");
}
/// `roms-stub/memo-app/src/ids.rs`.
pub mod memo_ids {
    include!("../../../roms-stub/memo-app/src/ids.rs");
}

/// `tAIB`: the launcher's icon bitmap type.
pub const ICON_TYPE: u32 = u32::from_be_bytes(*b"tAIB");

/// One application's resources, by the name of its `.prc` (`target/guest/apps/<name>.prc`).
pub struct AppResources {
    pub app: &'static str,
    pub resources: Vec<ResourceEntry>,
}

/// Every bundled application's resources: the demo apps', and the icons of the persistent VM
/// and of the Wrapper template (copied into every store, so the app manager shows stores with
/// it).
pub fn all() -> Vec<AppResources> {
    vec![
        AppResources { app: "Counter", resources: counter() },
        AppResources { app: "Memos", resources: memos() },
        AppResources { app: "GuestVM", resources: vec![ResourceEntry { kind: ICON_TYPE, id: 1000, data: icon::bitmap_from_ascii(&VM_ICON) }] },
        AppResources { app: "StoreWrapper", resources: vec![ResourceEntry { kind: ICON_TYPE, id: 1000, data: icon::bitmap_from_ascii(&STORE_ICON) }] },
    ]
}

/// The 32x22 Persistent VM icon: a steaming cup.
pub const VM_ICON: [&str; 22] = [
    "................................",
    "...........#....#....#..........",
    "............#....#....#.........",
    "...........#....#....#..........",
    "............#....#....#.........",
    "................................",
    "......##################........",
    "......#................#####....",
    "......#................#...#....",
    "......#................#...#....",
    "......#................#...#....",
    "......#................#####....",
    "......#................#........",
    ".......#..............#.........",
    "........#............#..........",
    ".........############...........",
    "....########################....",
    ".....######################.....",
    "................................",
    "................................",
    "................................",
    "................................",
];

/// The 32x22 store icon (the Wrapper's, so every store's): a chest with a pause sign.
pub const STORE_ICON: [&str; 22] = [
    "................................",
    "......####################......",
    "......#..................#......",
    "......#..................#......",
    "......#.....###..###.....#......",
    "......#.....###..###.....#......",
    "......#.....###..###.....#......",
    "......#.....###..###.....#......",
    "......#.....###..###.....#......",
    "......#.....###..###.....#......",
    "......#..................#......",
    "......#..................#......",
    "......####################......",
    "......#..................#......",
    "......#.......####.......#......",
    "......#..................#......",
    "......####################......",
    "................................",
    "................................",
    "................................",
    "................................",
    "................................",
];


/// The 32x22 Counter icon: "+1" on a tally display.
pub const COUNTER_ICON: [&str; 22] = [
    "................................",
    "................................",
    "...##########################...",
    "..#..........................#..",
    "..#......................##..#..",
    "..#.........##..........###..#..",
    "..#.........##.........####..#..",
    "..#.........##........##.##..#..",
    "..#.........##...........##..#..",
    "..#....##########........##..#..",
    "..#....##########........##..#..",
    "..#.........##...........##..#..",
    "..#.........##...........##..#..",
    "..#.........##...........##..#..",
    "..#.........##.........######.#.",
    "..#..........................#..",
    "...##########################...",
    "........#..............#........",
    ".......###............###.......",
    "......#####..........#####......",
    "................................",
    "................................",
];

/// The 32x22 Memos icon: a note with a folded corner and lines of text.
pub const MEMOS_ICON: [&str; 22] = [
    "................................",
    ".......################.........",
    ".......#..............##........",
    ".......#..............#.#.......",
    ".......#..............#..#......",
    ".......#..............####......",
    ".......#..##########.....#......",
    ".......#.................#......",
    ".......#..############...#......",
    ".......#.................#......",
    ".......#..###########....#......",
    ".......#.................#......",
    ".......#..#############..#......",
    ".......#.................#......",
    ".......#..#######........#......",
    ".......#.................#......",
    ".......#.................#......",
    ".......###################......",
    "................................",
    "................................",
    "................................",
    "................................",
];

/// Counter: the main form, the Reset confirmation, a help string and the icon.
pub fn counter() -> Vec<ResourceEntry> {
    use counter_ids::*;
    let form = FormBuilder::new(MAIN_FORM, "Counter", (0, 0, 160, 160))
        .help(HELP_STRING)
        .label(CAPTION_LABEL, "Count:", CAPTION_POS.0, CAPTION_POS.1)
        .label_with_font(COUNT_LABEL, COUNT_PLACEHOLDER, COUNT_POS.0, COUNT_POS.1, LARGE_FONT)
        .checkbox(STEP_CHECKBOX, "Step 10", STEP_CHECKBOX_BOUNDS, false)
        .button(PLUS_BUTTON, "+1", PLUS_BOUNDS)
        .button(MINUS_BUTTON, "-1", MINUS_BOUNDS)
        .button(RESET_BUTTON, "Reset", RESET_BOUNDS);
    let alert = AlertBuilder::new(CONFIRMATION_ALERT, "Reset", "Reset the count to zero?")
        .button("Yes")
        .button("No")
        .default_button(RESET_ALERT_NO);
    vec![
        form.resource(),
        alert.resource(RESET_ALERT),
        string_resource(HELP_STRING, "+1 and -1 change the count (by 10 with Step 10). Reset sets it to zero. The count is kept when you leave."),
        ResourceEntry { kind: ICON_TYPE, id: ICON, data: icon::bitmap_from_ascii(&COUNTER_ICON) },
    ]
}

/// Memos: the list form, the edit form, the Delete confirmation, help strings and the icon.
pub fn memos() -> Vec<ResourceEntry> {
    use memo_ids::*;
    let list = FormBuilder::new(LIST_FORM, "Memos", (0, 0, 160, 160))
        .help(LIST_HELP)
        .menu(LIST_MENU)
        .list(MEMO_LIST, LIST_BOUNDS, &[])
        .button(NEW_BUTTON, "New", NEW_BOUNDS);
    let edit = FormBuilder::new(EDIT_FORM, "Memo", (0, 0, 160, 160))
        .help(EDIT_HELP)
        .menu(EDIT_MENU)
        .field(MEMO_FIELD, FIELD_BOUNDS, FieldOptions::multi_line(MEMO_MAX_CHARS))
        .button(DONE_BUTTON, "Done", DONE_BOUNDS)
        .button(DELETE_BUTTON, "Delete", DELETE_BOUNDS);
    let alert = AlertBuilder::new(CONFIRMATION_ALERT, "Delete Memo", "Delete this memo?")
        .button("Yes")
        .button("No")
        .default_button(1);
    let about = AlertBuilder::new(INFORMATION_ALERT, "About Memos", "Memos: a demo application of palmemu, written in Rust with the guest SDK.").button("OK");
    let list_menu = MenuBarResource::new().menu("Record").item(NEW_MEMO_ITEM, "New Memo", b'N').menu("Options").item(ABOUT_ITEM, "About Memos", 0);
    let edit_menu = MenuBarResource::new().menu("Record").item(DELETE_MEMO_ITEM, "Delete Memo...", b'D').menu("Options").item(ABOUT_ITEM, "About Memos", 0);
    vec![
        list.resource(),
        edit.resource(),
        alert.resource(DELETE_ALERT),
        about.resource(ABOUT_ALERT),
        list_menu.resource(LIST_MENU),
        edit_menu.resource(EDIT_MENU),
        string_resource(LIST_HELP, "Tap a memo to edit it, or New to write one."),
        string_resource(EDIT_HELP, "Write the memo; its first line is its title. Done keeps it, Delete throws it away."),
        ResourceEntry { kind: ICON_TYPE, id: ICON, data: icon::bitmap_from_ascii(&MEMOS_ICON) },
    ]
}

/// The file name of a resource: `<TYPE>_<ID>.bin` (e.g. `tFRM_1000.bin`).
pub fn file_name(r: &ResourceEntry) -> String {
    let t: String = r.kind.to_be_bytes().iter().map(|&b| b as char).collect();
    format!("{t}_{}.bin", r.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use palm_shim::forms::resource::{AlertResource, FormObject, FormResource};
    use palm_shim::graphics::bitmap::{BitmapHeader, DecodedBitmap};
    use palm_shim::FlatMemory;
    use palm_shim::GuestMemory;

    fn get(rs: &[ResourceEntry], kind: &[u8; 4], id: u16) -> Vec<u8> {
        rs.iter().find(|r| r.kind == u32::from_be_bytes(*kind) && r.id == id).unwrap_or_else(|| panic!("no {kind:?} {id}")).data.clone()
    }

    fn control_ids(form: &FormResource) -> Vec<u16> {
        form.objects.iter().filter_map(|o| if let FormObject::Control { control, .. } = o { Some(control.id) } else { None }).collect()
    }

    #[test]
    fn counter_form_and_alert_parse_with_the_ids_of_the_app() {
        use counter_ids::*;
        let rs = counter();
        let form = FormResource::parse(&get(&rs, b"tFRM", MAIN_FORM)).unwrap();
        assert_eq!(form.form_id, MAIN_FORM);
        assert_eq!(control_ids(&form), [STEP_CHECKBOX, PLUS_BUTTON, MINUS_BUTTON, RESET_BUTTON]);
        let alert = AlertResource::parse(&get(&rs, b"Talt", RESET_ALERT)).unwrap();
        assert_eq!(alert.buttons.len(), 2);
        assert_eq!(alert.buttons[RESET_ALERT_YES as usize], b"Yes");
        assert_eq!(alert.buttons[RESET_ALERT_NO as usize], b"No");
        assert!(get(&rs, b"tSTR", HELP_STRING).ends_with(b"leave.\0"));
    }

    #[test]
    fn memo_forms_parse_with_the_ids_of_the_app() {
        use memo_ids::*;
        let rs = memos();
        let list = FormResource::parse(&get(&rs, b"tFRM", LIST_FORM)).unwrap();
        assert_eq!(control_ids(&list), [NEW_BUTTON]);
        assert!(list.objects.iter().any(|o| matches!(o, FormObject::List { list, .. } if list.id == MEMO_LIST)));
        let edit = FormResource::parse(&get(&rs, b"tFRM", EDIT_FORM)).unwrap();
        assert_eq!(control_ids(&edit), [DONE_BUTTON, DELETE_BUTTON]);
        assert!(edit.objects.iter().any(|o| matches!(o, FormObject::Field(f) if f.id == MEMO_FIELD && f.max_chars == MEMO_MAX_CHARS)));
        assert_eq!(AlertResource::parse(&get(&rs, b"Talt", DELETE_ALERT)).unwrap().buttons[DELETE_ALERT_YES as usize], b"Yes");
    }

    #[test]
    fn icons_are_32x22_one_bit_bitmaps_that_decode_to_the_art() {
        let icons: Vec<_> = all().into_iter().skip(2).map(|a| a.resources).collect();
        for (rs, art) in [(counter(), &COUNTER_ICON), (memos(), &MEMOS_ICON), (icons[0].clone(), &VM_ICON), (icons[1].clone(), &STORE_ICON)] {
            let bytes = get(&rs, b"tAIB", 1000);
            assert_eq!(bytes.len(), 16 + 4 * 22);
            let mut mem = FlatMemory::new(0x1000, 0x1000);
            mem.write(0x1000, &bytes).unwrap();
            let h = BitmapHeader::read(&mem, 0x1000).unwrap();
            assert_eq!((h.width, h.height, h.row_bytes, h.pixel_size, h.version), (32, 22, 4, 1, 1));
            let d = DecodedBitmap::read(&mem, &h).unwrap();
            for (y, row) in art.iter().enumerate() {
                for (x, c) in row.bytes().enumerate() {
                    assert_eq!(d.pixel(x as i32, y as i32), (c == b'#') as u32, "pixel {x},{y}");
                }
            }
        }
    }

    #[test]
    #[should_panic(expected = "icon row 1 is 3 pixels wide")]
    fn ragged_art_is_refused() {
        icon::bitmap_from_ascii(&["....", "..."]);
    }

    #[test]
    fn file_names_are_type_and_id() {
        let r = ResourceEntry { kind: u32::from_be_bytes(*b"tFRM"), id: 1000, data: vec![1] };
        assert_eq!(file_name(&r), "tFRM_1000.bin");
    }
}
