//! Fields: focus from a tap, key input (insert, backspace, cursor keys, line feeds), text
//! storage (own handle, the application's handle, a plain string), the `Fld*` traps, and
//! focus traps.

use super::*;

fn text(r: &mut Rig, fld: u32) -> String {
    call(r, t::FLD_GET_TEXT_PTR, &[L(fld)]);
    if r.a0() == 0 {
        return String::new();
    }
    let p = r.a0();
    let len = read_field(r, fld).text_len as u32;
    String::from_utf8(r.mem.read_vec(p, len).unwrap()).unwrap()
}

fn keys(r: &mut Rig, s: &[u16]) {
    for &k in s {
        assert!(r.shim.key(k, 0, 0));
    }
}

#[test]
fn tap_focuses_and_keys_edit() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let fld = object_ptr(&mut r, form, FIELD);
    tap(&mut r, 60, 25);
    let events = pump(&mut r, form);
    assert_eq!(types(&events), [PEN_DOWN_EVENT, FLD_ENTER_EVENT, PEN_UP_EVENT]);
    assert_eq!(events[1].0.u32_at(event_data::fld_enter::P_FIELD), fld);
    call(&mut r, t::FRM_GET_FOCUS, &[L(form)]);
    assert_eq!(r.d0() as u16, object_index(&mut r, form, FIELD));
    assert_ne!(read_field(&r, fld).attr & FLD_ATTR_HAS_FOCUS, 0);
    call(&mut r, t::FRM_GET_ACTIVE_FIELD, &[L(0)]);
    assert_eq!(r.a0(), fld);
    // The insertion point is drawn at the start of the empty field.
    assert_eq!(px(&r, 50, 22), BLACK);
    keys(&mut r, &[b'a' as u16, b'b' as u16, b'c' as u16]);
    let events = pump(&mut r, form);
    assert_eq!(events.iter().map(|(_, h)| *h).collect::<Vec<_>>(), [true, true, true]);
    assert_eq!(text(&mut r, fld), "abc");
    assert!(any_black(&r, 50, 20, 20, 10), "text drawn");
    // Backspace, left arrow, insert in the middle, right arrow.
    keys(&mut r, &[CHR_BACKSPACE, CHR_LEFT_ARROW, b'X' as u16, CHR_RIGHT_ARROW, b'!' as u16]);
    pump(&mut r, form);
    assert_eq!(text(&mut r, fld), "aXb!");
    call(&mut r, t::FLD_GET_INS_PT_POSITION, &[L(fld)]);
    assert_eq!(r.d0(), 4);
    call(&mut r, t::FLD_GET_TEXT_LENGTH, &[L(fld)]);
    assert_eq!(r.d0(), 4);
    call(&mut r, t::FLD_DIRTY, &[L(fld)]);
    assert_eq!(r.d0(), 1);
    // The field's own handle, locked while attached.
    let h = read_field(&r, fld).text_handle;
    assert_ne!(h, 0);
    call(&mut r, t::FLD_GET_TEXT_HANDLE, &[L(fld)]);
    assert_eq!(r.a0(), h);
    assert_eq!(r.shim.memory().handle_info(&r.mem, h).unwrap().lock_count, 1);
    // A single-line field does not take a line feed; maxChars (10) bounds the text.
    keys(&mut r, &[CHR_LINE_FEED]);
    assert!(!pump(&mut r, form)[0].1);
    keys(&mut r, &[b'1' as u16; 8]);
    pump(&mut r, form);
    assert_eq!(text(&mut r, fld), "aXb!111111");
    // Tapping in the text moves the insertion point there.
    tap(&mut r, 51, 25);
    pump(&mut r, form);
    call(&mut r, t::FLD_GET_INS_PT_POSITION, &[L(fld)]);
    assert_eq!(r.d0(), 0);
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn multi_line_fields_wrap_and_take_line_feeds() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let memo = object_ptr(&mut r, form, MEMO);
    let idx = object_index(&mut r, form, MEMO);
    call(&mut r, t::FRM_SET_FOCUS, &[L(form), W(idx)]);
    keys(&mut r, &[b'h' as u16, b'i' as u16, CHR_LINE_FEED, b'y' as u16, b'o' as u16]);
    pump(&mut r, form);
    assert_eq!(text(&mut r, memo), "hi\nyo");
    assert!(any_black(&r, 80, 50, 10, 10) && any_black(&r, 80, 61, 10, 10), "two lines");
    // Up arrow goes to the first line, keeping the column.
    keys(&mut r, &[CHR_UP_ARROW, b'!' as u16]);
    pump(&mut r, form);
    assert_eq!(text(&mut r, memo), "hi!\nyo");
    // Long text wraps at the field's width.
    put_str(&mut r, TEXT, " and a rather long line of text");
    call(&mut r, t::FLD_INSERT, &[L(memo), L(TEXT), W(31)]);
    call(&mut r, t::FLD_GET_TEXT_HEIGHT, &[L(memo)]);
    assert_eq!(r.d0(), 33, "three visible lines used");
    call(&mut r, t::FLD_GET_VISIBLE_LINES, &[L(memo)]);
    assert_eq!(r.d0(), 3);
    // Tab between fields.
    keys(&mut r, &[]);
    assert!(r.shim.key(VCHR_NEXT_FIELD, 0, COMMAND_KEY_MASK));
    pump(&mut r, form);
    call(&mut r, t::FRM_GET_FOCUS, &[L(form)]);
    assert_eq!(r.d0() as u16, object_index(&mut r, form, FIELD));
    assert_eq!(read_field(&r, memo).attr & FLD_ATTR_HAS_FOCUS, 0);
}

#[test]
fn insert_delete_selection_and_limits() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let fld = object_ptr(&mut r, form, FIELD);
    put_str(&mut r, TEXT, "hello");
    call(&mut r, t::FLD_INSERT, &[L(fld), L(TEXT), W(5)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::FLD_SET_SELECTION, &[L(fld), W(1), W(3)]);
    call(&mut r, t::FLD_GET_SELECTION, &[L(fld), L(OUT), L(OUT + 2)]);
    assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap()), (1, 3));
    put_str(&mut r, TEXT, "EY");
    call(&mut r, t::FLD_INSERT, &[L(fld), L(TEXT), W(2)]);
    assert_eq!(text(&mut r, fld), "hEYlo", "the selection was replaced");
    call(&mut r, t::FLD_DELETE, &[L(fld), W(0), W(1)]);
    assert_eq!(text(&mut r, fld), "EYlo");
    put_str(&mut r, TEXT, "0123456789");
    call(&mut r, t::FLD_INSERT, &[L(fld), L(TEXT), W(10)]);
    assert_eq!(r.d0(), 0, "over maxChars");
    assert_eq!(text(&mut r, fld), "EYlo");
    call(&mut r, t::FLD_SET_MAX_CHARS, &[L(fld), W(20)]);
    call(&mut r, t::FLD_GET_MAX_CHARS, &[L(fld)]);
    assert_eq!(r.d0(), 20);
    call(&mut r, t::FLD_INSERT, &[L(fld), L(TEXT), W(10)]);
    assert_eq!(r.d0(), 1);
    assert_eq!(text(&mut r, fld), "0123456789EYlo", "inserted where FldDelete left the insertion point");
    let h = read_field(&r, fld).text_handle;
    assert!(r.shim.memory().handle_info(&r.mem, h).unwrap().data_size >= 15, "the handle grew");
    call(&mut r, t::FLD_GET_TEXT_ALLOCATED_SIZE, &[L(fld)]);
    assert!(r.d0() >= 15);
    // Non-editable and numeric fields.
    let a = read_field(&r, fld).attr;
    r.mem.write_u16(OUT, a & !FLD_ATTR_EDITABLE).unwrap();
    call(&mut r, t::FLD_SET_ATTRIBUTES, &[L(fld), L(OUT)]);
    let idx = object_index(&mut r, form, FIELD);
    call(&mut r, t::FRM_SET_FOCUS, &[L(form), W(idx)]);
    r.shim.key(b'z' as u16, 0, 0);
    assert!(!pump(&mut r, form)[0].1);
    r.mem.write_u16(OUT, a | FLD_ATTR_NUMERIC).unwrap();
    call(&mut r, t::FLD_SET_ATTRIBUTES, &[L(fld), L(OUT)]);
    call(&mut r, t::FLD_GET_ATTRIBUTES, &[L(fld), L(OUT + 2)]);
    assert_eq!(r.mem.read_u16(OUT + 2).unwrap(), a | FLD_ATTR_NUMERIC);
    call(&mut r, t::FLD_SET_INS_PT_POSITION, &[L(fld), W(0)]);
    keys(&mut r, &[b'z' as u16, b'7' as u16]);
    pump(&mut r, form);
    assert_eq!(text(&mut r, fld), "70123456789EYlo");
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn text_pointers_and_handles_from_the_application() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let fld = object_ptr(&mut r, form, FIELD);
    // A plain string: shown, not resized.
    put_str(&mut r, TEXT, "fixed");
    call(&mut r, t::FLD_SET_TEXT_PTR, &[L(fld), L(TEXT)]);
    assert_eq!((read_field(&r, fld).text, read_field(&r, fld).text_handle), (TEXT, 0));
    assert_eq!(text(&mut r, fld), "fixed");
    assert!(any_black(&r, 50, 20, 20, 10));
    call(&mut r, t::FLD_SET_INS_PT_POSITION, &[L(fld), W(5)]);
    put_str(&mut r, TEXT2, "!");
    call(&mut r, t::FLD_INSERT, &[L(fld), L(TEXT2), W(1)]);
    assert_eq!(r.d0(), 0, "a plain string cannot grow");
    // The application's handle: locked while attached, grown by editing, unlocked (not freed)
    // when replaced.
    call(&mut r, t::MEM_HANDLE_NEW, &[L(4)]);
    let h = r.a0();
    call(&mut r, t::MEM_HANDLE_LOCK, &[L(h)]);
    r.mem.write(r.a0(), b"abc\0").unwrap();
    call(&mut r, t::MEM_HANDLE_UNLOCK, &[L(h)]);
    call(&mut r, t::FLD_SET_TEXT_HANDLE, &[L(fld), L(h)]);
    assert_eq!(text(&mut r, fld), "abc");
    assert_eq!(r.shim.memory().handle_info(&r.mem, h).unwrap().lock_count, 1);
    call(&mut r, t::FLD_SET_INS_PT_POSITION, &[L(fld), W(3)]);
    put_str(&mut r, TEXT2, "defgh");
    call(&mut r, t::FLD_INSERT, &[L(fld), L(TEXT2), W(5)]);
    assert_eq!(r.d0(), 1);
    assert_eq!(text(&mut r, fld), "abcdefgh");
    call(&mut r, t::FLD_SET_TEXT_HANDLE, &[L(fld), L(0)]);
    assert_eq!(read_field(&r, fld).text, 0);
    let info = r.shim.memory().handle_info(&r.mem, h).unwrap();
    assert_eq!(info.lock_count, 0);
    assert_eq!(r.mem.read_cstr(info.data, 20).unwrap(), b"abcdefgh");
    // FldSetText: an offset into a handle.
    call(&mut r, t::FLD_SET_TEXT, &[L(fld), L(h), W(3), W(6)]);
    assert_eq!(text(&mut r, fld), "defgh");
    call(&mut r, t::FLD_FREE_MEMORY, &[L(fld)]);
    assert!(r.shim.memory().handle_info(&r.mem, h).is_err(), "freed");
    assert_eq!(text(&mut r, fld), "");
    r.shim.memory().check(&r.mem).unwrap();
}

#[test]
fn field_traps() {
    let mut r = rig(vec![]);
    let form = shown_form(&mut r);
    let fld = object_ptr(&mut r, form, FIELD);
    call(&mut r, t::FLD_GET_BOUNDS, &[L(fld), L(OUT)]);
    assert_eq!(super::super::read_rect_at(&r.mem, OUT).unwrap(), RectangleType::new(50, 20, 60, 12));
    r.mem.write(OUT, &RectangleType::new(50, 20, 80, 12).encode()).unwrap();
    call(&mut r, t::FLD_SET_BOUNDS, &[L(fld), L(OUT)]);
    assert_eq!(read_field(&r, fld).rect.width, 80);
    call(&mut r, t::FLD_SET_FONT, &[L(fld), B(BOLD_FONT)]);
    call(&mut r, t::FLD_GET_FONT, &[L(fld)]);
    assert_eq!(r.d0(), BOLD_FONT as u32);
    call(&mut r, t::FLD_SET_DIRTY, &[L(fld), B(1)]);
    call(&mut r, t::FLD_DIRTY, &[L(fld)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::FLD_GRAB_FOCUS, &[L(fld)]);
    assert_ne!(read_field(&r, fld).attr & FLD_ATTR_HAS_FOCUS, 0);
    call(&mut r, t::FLD_RELEASE_FOCUS, &[L(fld)]);
    assert_eq!(read_field(&r, fld).attr & FLD_ATTR_HAS_FOCUS, 0);
    call(&mut r, t::FLD_ERASE_FIELD, &[L(fld)]);
    assert!(all_white(&r, 50, 20, 80, 12));
    call(&mut r, t::FLD_DRAW_FIELD, &[L(fld)]);
    assert!(any_black(&r, 50, 30, 80, 1), "underline on the line's last row");
    call(&mut r, t::FLD_SET_USABLE, &[L(fld), B(0)]);
    assert_eq!(read_field(&r, fld).attr & FLD_ATTR_USABLE, 0);
    call(&mut r, t::FLD_SET_USABLE, &[L(fld), B(1)]);
    call(&mut r, t::FLD_GET_SCROLL_POSITION, &[L(fld)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::FLD_SCROLLABLE, &[L(fld), B(WIN_DOWN)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::FLD_COMPACT_TEXT, &[L(fld)]);
    // The application changes the text in place and recalculates.
    put_str(&mut r, TEXT, "0123456789");
    call(&mut r, t::FLD_SET_TEXT_PTR, &[L(fld), L(TEXT)]);
    r.mem.write(TEXT, b"01\0").unwrap();
    call(&mut r, t::FLD_RECALCULATE_FIELD, &[L(fld), B(1)]);
    call(&mut r, t::FLD_GET_TEXT_LENGTH, &[L(fld)]);
    assert_eq!(r.d0(), 2);
    // FldHandleEvent with a key while not focused still edits (the application asked).
    call(&mut r, t::FLD_SET_TEXT_PTR, &[L(fld), L(0)]);
    let mut key = EventType::new(KEY_DOWN_EVENT);
    key.set_u16(event_data::key_down::CHR, b'q' as u16);
    write_event(&mut r, &key);
    call(&mut r, t::FLD_HANDLE_EVENT, &[L(fld), L(EV)]);
    assert_eq!(r.d0(), 1);
    assert_eq!(text(&mut r, fld), "q");
}
