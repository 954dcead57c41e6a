//! The resource formats: builder output against hand-assembled PilRC bytes, round trips,
//! malformed resources, and what `FrmInitForm` makes of a resource in guest memory.

use super::super::builder::{AlertBuilder, FormBuilder};
use super::super::resource::*;
use super::*;

/// `FORM ID 1000 AT (0 0 160 160)` with `TITLE "T"` and `BUTTON "OK" ID 1001 AT (1 2 30 12)`,
/// laid out by hand from PilRC's structure pictures.
fn pilrc_bytes() -> Vec<u8> {
    let mut b = Vec::new();
    // WindowType: displayWidth/Height 0, displayAddr 0, flags focusable|dialog, bounds, clip 0,
    // bitmapP 0, frameType 0, drawStateP 0, nextWindow 0.
    b.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
    b.extend_from_slice(&[0x12, 0x00]);
    b.extend_from_slice(&[0, 0, 0, 0, 0, 160, 0, 160]);
    b.extend_from_slice(&[0; 8 + 4 + 2 + 4 + 4]);
    // FormType tail: formId, attr (usable), bitsBehind, handler, focus, defaultButton,
    // helpRscId, menuRscId, numObjects, objects.
    b.extend_from_slice(&[0x03, 0xE8, 0x80, 0, 0, 0]);
    b.extend_from_slice(&[0; 4 + 4 + 2 + 2 + 2 + 2]);
    b.extend_from_slice(&[0, 2, 0, 0, 0, 0]);
    assert_eq!(b.len(), 68);
    // Object list: title at 80, button at 94.
    b.extend_from_slice(&[FRM_TITLE_OBJ, 0, 0, 0, 0, 80, FRM_CONTROL_OBJ, 0, 0, 0, 0, 94]);
    // Title: rect 0, text pointer 0, "T".
    b.extend_from_slice(&[0; 12]);
    b.extend_from_slice(b"T\0");
    // Button: id, bounds, text 0, attr (usable, enabled, left anchor, standard frame),
    // style 0, font 0, group 0, reserved, "OK", padding.
    b.extend_from_slice(&[0x03, 0xE9, 0, 1, 0, 2, 0, 30, 0, 12, 0, 0, 0, 0, 0xC9, 0x00, 0, 0, 0, 0]);
    b.extend_from_slice(b"OK\0\0");
    b
}

#[test]
fn builder_writes_pilrc_layout() {
    let built = FormBuilder::new(1000, "T", (0, 0, 160, 160)).button(1001, "OK", (1, 2, 30, 12)).build();
    assert_eq!(built, pilrc_bytes());
    let parsed = parse_form(&built).unwrap();
    assert_eq!(parsed.objects_offset, 68);
    assert_eq!(parsed.layout[0], ObjectLayout { kind: FRM_TITLE_OBJ, offset: 80, text: Some(92), list_items: None });
    assert_eq!(parsed.layout[1].text, Some(114));
}

#[test]
fn every_object_round_trips() {
    let b = super::sample_form()
        .modal()
        .default_button(BUTTON)
        .help(2000)
        .menu(3000)
        .popup_trigger(1100, "Pick", (10, 100, 40, 12))
        .list_with(1101, (10, 100, 40, 33), &["x", "yy"], BOLD_FONT, false)
        .popup(1100, 1101)
        .selector_trigger(1102, "When", (60, 100, 40, 12))
        .graphic_button(1103, 5000, 5001, (100, 100, 16, 16))
        .bitmap(5000, 120, 20)
        .gadget(1104, (0, 120, 20, 20))
        .graffiti_state(150, 150)
        .label_with_font(1105, "two\nlines", 5, 120, LARGE_FONT)
        .object(FormObject::Line { attr: FORM_OBJ_ATTR_USABLE, point1: PointType::new(0, 99), point2: PointType::new(159, 99) })
        .object(FormObject::Frame { id: 1106, attr: FORM_OBJ_ATTR_USABLE, rect: RectangleType::new(1, 2, 3, 4), frame_type: 0x0401 })
        .object(FormObject::Rectangle { attr: 0, rect: RectangleType::new(5, 6, 7, 8) });
    let bytes = b.build();
    let form = FormResource::parse(&bytes).unwrap();
    assert_eq!(&form, b.model());
    assert_eq!(form.to_bytes(), bytes, "parse and write again: the same bytes");
    let parsed = parse_form(&bytes).unwrap();
    for l in &parsed.layout {
        assert_eq!(l.offset % 2, 0, "bodies at even offsets");
    }
    // A list body: the structure, numItems zero longs, then the strings back to back.
    let list = parsed.layout.iter().find(|l| l.kind == FRM_LIST_OBJ).unwrap();
    let (array, items) = list.list_items.clone().unwrap();
    assert_eq!(array, list.offset + ListType::LEN);
    assert_eq!(&bytes[array as usize..array as usize + 4 * 6], &[0; 24]);
    assert_eq!(items[0], array + 24);
    assert_eq!(&bytes[items[0] as usize..items[0] as usize + 8], b"One\0Two\0");
    // The modal form's window: modal flag and the dialog frame; save-behind.
    assert_eq!(form.window_flags & WIN_FLAG_MODAL, WIN_FLAG_MODAL);
    assert_eq!(form.frame_type, 0x0302);
    assert_ne!(form.attr & FORM_ATTR_SAVE_BEHIND, 0);
    // A slider kept raw.
    let mut raw = [0u8; slider_control::LEN as usize];
    raw[..2].copy_from_slice(&77u16.to_be_bytes());
    raw[ControlType::STYLE as usize] = SLIDER_CTL;
    raw[slider_control::MAX_VALUE as usize + 1] = 10;
    let with_slider = FormBuilder::new(1, "", (0, 0, 10, 10)).object(FormObject::Slider { raw });
    assert_eq!(FormResource::parse(&with_slider.build()).unwrap(), *with_slider.model());
}

#[test]
fn alerts_and_strings_round_trip() {
    let a = AlertBuilder::new(CONFIRMATION_ALERT, "Delete", "Delete ^1?").button("OK").button("Cancel").default_button(1).help(7);
    let bytes = a.build();
    assert_eq!(&bytes[..8], &[0, 1, 0, 7, 0, 2, 0, 1]);
    assert_eq!(&bytes[8..], b"Delete\0Delete ^1?\0OK\0Cancel\0");
    assert_eq!(&AlertResource::parse(&bytes).unwrap(), a.model());
    assert_eq!(AlertResource::parse(&bytes[..bytes.len() - 1]), Err(ResourceError::UnterminatedText { what: "an alert button", offset: 29 }));
    let none = AlertBuilder::new(0, "t", "m").build();
    assert_eq!(AlertResource::parse(&none), Err(ResourceError::BadButtonCount(0)));
    let mut bad_default = AlertBuilder::new(0, "t", "m").button("x").build();
    bad_default[7] = 5;
    assert_eq!(AlertResource::parse(&bad_default).unwrap().default_button, 0);
    let s = super::super::builder::string_resource(9, "Help text");
    assert_eq!((s.kind, s.id, s.data.as_slice()), (STR_RSC_TYPE, 9, &b"Help text\0"[..]));
    assert_eq!(parse_string(&s.data), b"Help text");
    assert_eq!(parse_string(b"no nul"), b"no nul");
}

#[test]
fn custom_alert_substitution() {
    assert_eq!(substitute(b"^1 and ^2, not ^3^4 ^", [b"A", b"BB", b""]), b"A and BB, not ^4 ^");
    assert_eq!(substitute(b"^^1", [b"x", b"", b""]), b"^x");
}

#[test]
fn malformed_forms_are_errors_not_panics() {
    let bytes = super::sample_form().build();
    for n in 0..bytes.len() {
        assert!(FormResource::parse(&bytes[..n]).is_err(), "truncated to {n} bytes");
    }
    // Unknown kind, odd offset.
    let mut bad = bytes.clone();
    bad[68] = 99;
    assert_eq!(FormResource::parse(&bad), Err(ResourceError::UnknownObjectType { index: 0, kind: 99 }));
    let mut odd = bytes.clone();
    odd[73] |= 1;
    assert!(matches!(FormResource::parse(&odd), Err(ResourceError::OddOffset { index: 0, .. })));
    // Pseudo-random corruption anywhere: any result, never a panic.
    let mut seed = 0x1234_5678u32;
    for _ in 0..3000 {
        let mut b = bytes.clone();
        for _ in 0..4 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let i = (seed >> 8) as usize % b.len();
            b[i] = (seed >> 24) as u8;
        }
        let _ = FormResource::parse(&b);
        let _ = AlertResource::parse(&b);
    }
    // A huge object count with a short resource.
    let mut many = bytes[..68].to_vec();
    many[62] = 0xFF;
    many[63] = 0xFF;
    assert!(FormResource::parse(&many).is_err());
}

#[test]
fn init_form_turns_offsets_into_pointers() {
    let mut r = super::rig(vec![]);
    let form = init_form(&mut r, FORM_ID);
    let f = read_form(&r, form);
    assert_eq!(f.form_id, FORM_ID);
    assert_eq!(f.objects, form + 68);
    assert_eq!(f.num_objects, 10);
    assert_eq!((f.focus, f.handler, f.bits_behind_form), (NO_FOCUS, 0, 0));
    assert_eq!(f.attr & FORM_ATTR_VISIBLE, 0);
    // The window is an on-screen window over the screen bitmap, first in the window list.
    assert_eq!(f.window.bitmap_p, r.shim.ui().windows().screen_bitmap());
    assert_eq!(f.window.draw_state_p, r.shim.ui().windows().draw_state_ptr());
    assert_eq!(f.window.clip, AbsRectType { left: 0, top: 0, right: 159, bottom: 159 });
    assert_eq!(r.shim.ui().windows().first_window(), form);
    assert_eq!(r.shim.ui().forms().forms(), &[form]);
    // Object bodies and their texts are inside the chunk.
    let size = r.shim.memory().ptr_info(&r.mem, form).unwrap().data_size;
    assert_eq!(size as usize, super::sample_form().build().len());
    let title = crate::managers::form::object_at(&r.mem, form, 0).unwrap().unwrap();
    assert_eq!(title.kind, FRM_TITLE_OBJ);
    assert_eq!(cstr(&r, r.mem.read_u32(title.ptr + FormTitleType::TEXT).unwrap()), "Counter");
    let button = object_ptr(&mut r, form, BUTTON);
    assert!(button > form && button < form + size);
    let c = read_control(&r, button);
    assert_eq!((c.id, c.bounds, c.style), (BUTTON, RectangleType::new(10, 140, 36, 12), BUTTON_CTL));
    assert_eq!(c.text, button + ControlType::LEN);
    assert_eq!(cstr(&r, c.text), "Add");
    let lp = object_ptr(&mut r, form, LIST);
    let l = read_list(&r, lp);
    assert_eq!(l.num_items, 6);
    assert_eq!(cstr(&r, r.mem.read_u32(l.items_text + 8).unwrap()), "Three");
    let fp = object_ptr(&mut r, form, FIELD);
    let fld = read_field(&r, fp);
    assert_eq!((fld.text, fld.text_handle, fld.text_len, fld.max_chars), (0, 0, 0, 10));
    r.shim.memory().check(&r.mem).unwrap();
}
