//! Window Manager tests on the flat-memory rig: every trap through `Shim::dispatch`, results
//! checked as pixels of the framebuffer, against the drawing library, or as guest structures.

use super::super::test_support::{Arg::*, Rig};
use super::*;
use crate::graphics::{self as g, FrameType};
use crate::{FlatMemory, GuestMemory, TrapError, TrapOutcome};
use palm_abi::errors::SYS_ERR_PARAM_ERR;
use palm_abi::traps as t;

const RECT: u32 = 0x2000;
const OUT: u32 = 0x2100;
const TEXT: u32 = 0x2200;
const BMP: u32 = 0x3000;
const BLACK: u8 = 255;
const WHITE: u8 = 0;

fn px(r: &Rig, x: i32, y: i32) -> u8 {
    r.shim.screen_surface().get_pixel(&r.mem, x, y).unwrap().unwrap()
}

/// Writes a `RectangleType` into the scratch area and returns its address.
fn rect(r: &mut Rig, x: i16, y: i16, w: i16, h: i16) -> u32 {
    r.mem.write(RECT, &RectangleType::new(x, y, w, h).encode()).unwrap();
    RECT
}

fn read_rect_at(r: &Rig, p: u32) -> RectangleType {
    let mut b = [0u8; 8];
    r.mem.read(p, &mut b).unwrap();
    RectangleType::decode(&b)
}

fn call(r: &mut Rig, word: u16, args: &[crate::managers::test_support::Arg]) {
    assert_eq!(r.call(word, args).unwrap(), TrapOutcome::Continue, "{word:04X}");
}

fn display(r: &mut Rig) -> u32 {
    call(r, t::WIN_GET_DISPLAY_WINDOW, &[]);
    r.a0()
}

fn screen_hash(r: &Rig) -> u64 {
    r.shim.screen_surface().rgb_hash(&r.mem).unwrap()
}

/// A blank 8-bit screen drawn by the library directly, for comparison.
fn library_screen(draw: impl FnOnce(&g::Surface, &mut dyn GuestMemory)) -> u64 {
    let s = g::Surface::screen(g::Depth::Eight);
    let mut mem = FlatMemory::new(palm_abi::memmap::FRAMEBUFFER.base, palm_abi::memmap::FRAMEBUFFER.size as usize);
    draw(&s, &mut mem);
    s.rgb_hash(&mem).unwrap()
}

fn chunk_count(r: &Rig) -> usize {
    r.shim.memory().chunks(&r.mem, crate::managers::memory_mgr::DYNAMIC_HEAP_ID).unwrap().len()
}

#[test]
fn display_window_is_created_on_first_use() {
    let mut r = Rig::new();
    assert_eq!(chunk_count(&r), 0, "nothing allocated before the UI is used");
    let h = display(&mut r);
    assert_ne!(h, 0);
    assert_eq!(chunk_count(&r), 3, "window, screen bitmap, draw state");
    let w = read_window(&r.mem, h).unwrap();
    assert_eq!(w.bounds, RectangleType::new(0, 0, 160, 160));
    assert_eq!(w.clip, AbsRectType { left: 0, top: 0, right: 159, bottom: 159 });
    assert_eq!((w.display_width_v20, w.display_height_v20, w.display_addr_v20), (160, 160, palm_abi::memmap::FRAMEBUFFER.base));
    assert_eq!(w.next_window, 0);
    assert!(w.has_flag(WIN_FLAG_VISIBLE) && !w.has_flag(WIN_FLAG_OFFSCREEN));
    let header = BitmapHeader::read(&r.mem, w.bitmap_p).unwrap();
    assert_eq!(header.surface(&r.mem).unwrap(), Some(g::Surface::screen(g::Depth::Eight)));
    assert!(header.has_flag(bitmap::FLAG_FOR_SCREEN));
    let mut ds = [0u8; DrawStateType::LEN as usize];
    r.mem.read(w.draw_state_p, &mut ds).unwrap();
    let ds = DrawStateType::decode(&ds);
    assert_eq!((ds.fore_color, ds.back_color, ds.text_color, ds.transfer_mode, ds.font_id), (BLACK, WHITE, BLACK, 0, 0));
    call(&mut r, t::WIN_GET_DRAW_WINDOW, &[]);
    assert_eq!(r.a0(), h);
    call(&mut r, t::WIN_GET_ACTIVE_WINDOW, &[]);
    assert_eq!(r.a0(), 0);
    call(&mut r, t::WIN_GET_FIRST_WINDOW, &[]);
    assert_eq!(r.a0(), 0);
    call(&mut r, t::WIN_VALIDATE_HANDLE, &[L(h)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::WIN_VALIDATE_HANDLE, &[L(0x1234)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::WIN_GET_BITMAP, &[L(h)]);
    assert_eq!(r.a0(), w.bitmap_p);
    assert_eq!(chunk_count(&r), 3, "created once");
}

#[test]
fn rectangles_clip_to_the_window_and_the_clip() {
    let mut r = Rig::new();
    let p = rect(&mut r, -5, -5, 10, 10);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(0)]);
    assert_eq!((px(&r, 0, 0), px(&r, 4, 4), px(&r, 5, 5)), (BLACK, BLACK, WHITE));
    // A clip limits drawing; WinGetClip answers in window coordinates.
    let p = rect(&mut r, 20, 20, 10, 10);
    call(&mut r, t::WIN_SET_CLIP, &[L(p)]);
    let p = rect(&mut r, 15, 15, 30, 30);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(0)]);
    assert_eq!((px(&r, 19, 25), px(&r, 20, 20), px(&r, 29, 29), px(&r, 30, 30)), (WHITE, BLACK, BLACK, WHITE));
    call(&mut r, t::WIN_GET_CLIP, &[L(OUT)]);
    assert_eq!(read_rect_at(&r, OUT), RectangleType::new(20, 20, 10, 10));
    let p = rect(&mut r, 25, 25, 100, 100);
    call(&mut r, t::WIN_CLIP_RECTANGLE, &[L(p)]);
    assert_eq!(read_rect_at(&r, p), RectangleType::new(25, 25, 5, 5));
    let p = rect(&mut r, 100, 100, 5, 5);
    call(&mut r, t::WIN_CLIP_RECTANGLE, &[L(p)]);
    assert_eq!(read_rect_at(&r, p), RectangleType::new(100, 100, 0, 0), "outside the clip: empty");
    // A clip outside the window is empty; reset restores the whole window.
    let p = rect(&mut r, 200, 200, 10, 10);
    call(&mut r, t::WIN_SET_CLIP, &[L(p)]);
    let p = rect(&mut r, 0, 0, 160, 160);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(0)]);
    assert_eq!(px(&r, 100, 100), WHITE, "empty clip: nothing drawn");
    call(&mut r, t::WIN_RESET_CLIP, &[]);
    call(&mut r, t::WIN_GET_CLIP, &[L(OUT)]);
    assert_eq!(read_rect_at(&r, OUT), RectangleType::new(0, 0, 160, 160));
    // Erase, invert, fill with the gray pattern, paint through winInvert.
    let p = rect(&mut r, 0, 0, 3, 3);
    call(&mut r, t::WIN_ERASE_RECTANGLE, &[L(p), W(0)]);
    assert_eq!(px(&r, 1, 1), WHITE);
    call(&mut r, t::WIN_INVERT_RECTANGLE, &[L(p), W(0)]);
    assert_eq!(px(&r, 1, 1), BLACK);
    let p = rect(&mut r, 50, 50, 4, 2);
    call(&mut r, t::WIN_SET_PATTERN_TYPE, &[B(GRAY_PATTERN)]);
    call(&mut r, t::WIN_FILL_RECTANGLE, &[L(p), W(0)]);
    assert_eq!((px(&r, 50, 50), px(&r, 51, 50), px(&r, 50, 51), px(&r, 51, 51)), (BLACK, WHITE, WHITE, BLACK));
    call(&mut r, t::WIN_SET_PATTERN_TYPE, &[B(BLACK_PATTERN)]);
    call(&mut r, t::WIN_SET_DRAW_MODE, &[B(3)]);
    call(&mut r, t::WIN_PAINT_RECTANGLE, &[L(p), W(0)]);
    assert_eq!((px(&r, 50, 50), px(&r, 51, 50)), (WHITE, BLACK), "winInvert flips");
    // Rounded corners: the corner pixel stays.
    let p = rect(&mut r, 70, 70, 10, 10);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(4)]);
    assert_eq!((px(&r, 70, 70), px(&r, 75, 70)), (WHITE, BLACK));
    // NULL rectangle: nothing happens.
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(0), W(0)]);
}

#[test]
fn text_matches_the_drawing_library() {
    let mut r = Rig::new();
    r.mem.write(TEXT, b"Hello, Palm!").unwrap();
    call(&mut r, t::FNT_SET_FONT, &[B(BOLD_FONT)]);
    call(&mut r, t::WIN_DRAW_CHARS, &[L(TEXT), W(12), W(-3i16 as u16), W(20)]);
    call(&mut r, t::WIN_SET_UNDERLINE_MODE, &[B(SOLID_UNDERLINE)]);
    call(&mut r, t::WIN_DRAW_CHARS, &[L(TEXT), W(5), W(10), W(40)]);
    call(&mut r, t::WIN_DRAW_CHAR, &[W(b'Q' as u16), W(100), W(40)]);
    call(&mut r, t::WIN_DRAW_INVERTED_CHARS, &[L(TEXT), W(4), W(10), W(60)]);
    let expected = library_screen(|s, mem| {
        let mut st = g::DrawState::new(g::Depth::Eight);
        g::draw_chars(s, mem, &st, g::FontId::Bold, b"Hello, Palm!", -3, 20).unwrap();
        st.underline = g::UnderlineMode::Solid;
        g::draw_chars(s, mem, &st, g::FontId::Bold, b"Hello", 10, 40).unwrap();
        g::draw_chars(s, mem, &st, g::FontId::Bold, b"Q", 100, 40).unwrap();
        g::draw_inverted_chars(s, mem, &st, g::FontId::Bold, b"Hell", 10, 60).unwrap();
    });
    assert_eq!(screen_hash(&r), expected);
    // Erase and invert restore white.
    call(&mut r, t::WIN_INVERT_CHARS, &[L(TEXT), W(4), W(10), W(60)]);
    call(&mut r, t::WIN_INVERT_CHARS, &[L(TEXT), W(4), W(10), W(60)]);
    call(&mut r, t::WIN_ERASE_CHARS, &[L(TEXT), W(12), W(-3i16 as u16), W(20)]);
    assert!((0..11).all(|y| (0..60).all(|x| px(&r, x, 20 + y) == WHITE)), "erased");
    // Zero and negative lengths, NULL text: nothing.
    let before = screen_hash(&r);
    call(&mut r, t::WIN_DRAW_CHARS, &[L(TEXT), W(0), W(0), W(100)]);
    call(&mut r, t::WIN_DRAW_CHARS, &[L(TEXT), W(-1i16 as u16), W(0), W(100)]);
    call(&mut r, t::WIN_DRAW_CHARS, &[L(0), W(5), W(0), W(100)]);
    assert_eq!(screen_hash(&r), before);
}

#[test]
fn truncated_text_stays_within_its_width() {
    let mut r = Rig::new();
    r.mem.write(TEXT, b"A long line of text").unwrap();
    call(&mut r, t::WIN_DRAW_TRUNC_CHARS, &[L(TEXT), W(19), W(0), W(0), W(40)]);
    assert!((0..11).all(|y| (40..160).all(|x| px(&r, x, y) == WHITE)), "nothing past maxWidth");
    assert!((0..11).any(|y| (30..40).any(|x| px(&r, x, y) == BLACK)), "the ellipsis is drawn");
    call(&mut r, t::WIN_DRAW_TRUNC_CHARS, &[L(TEXT), W(1), W(0), W(20), W(40)]);
    let expected_a = library_screen(|s, mem| {
        g::draw_chars(s, mem, &g::DrawState::new(g::Depth::Eight), g::FontId::Std, b"A", 0, 20).unwrap();
    });
    let s = r.shim.screen_surface();
    let mut fb = FlatMemory::new(palm_abi::memmap::FRAMEBUFFER.base, palm_abi::memmap::FRAMEBUFFER.size as usize);
    for y in 20..31 {
        for x in 0..160 {
            s.set_pixel(&mut fb, x, y, px(&r, x, y)).unwrap();
        }
    }
    assert_eq!(s.rgb_hash(&fb).unwrap(), expected_a, "a short text is drawn whole");
}

#[test]
fn offscreen_window_and_copy_back() {
    let mut r = Rig::new();
    let disp = display(&mut r);
    let before = chunk_count(&r);
    call(&mut r, t::WIN_CREATE_OFFSCREEN_WINDOW, &[W(40), W(30), B(SCREEN_FORMAT), L(OUT)]);
    let off = r.a0();
    assert_ne!(off, 0);
    assert_eq!(r.mem.read_u16(OUT).unwrap(), 0);
    assert_eq!(chunk_count(&r), before + 2, "window and bitmap");
    let w = read_window(&r.mem, off).unwrap();
    assert!(w.has_flag(WIN_FLAG_OFFSCREEN) && w.has_flag(WIN_FLAG_FREE_BITMAP));
    assert_eq!(w.bounds, RectangleType::new(0, 0, 40, 30));
    call(&mut r, t::WIN_SET_DRAW_WINDOW, &[L(off)]);
    assert_eq!(r.a0(), disp, "returns the old draw window");
    let blank = screen_hash(&r);
    let p = rect(&mut r, 0, 0, 10, 10);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(0)]);
    call(&mut r, t::WIN_GET_PIXEL, &[W(5), W(5)]);
    assert_eq!(r.d0(), BLACK as u32);
    call(&mut r, t::WIN_GET_WINDOW_EXTENT, &[L(OUT), L(OUT + 2)]);
    assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap()), (40, 30));
    assert_eq!(screen_hash(&r), blank, "the screen is untouched");
    let p = rect(&mut r, 0, 0, 40, 30);
    call(&mut r, t::WIN_COPY_RECTANGLE, &[L(off), L(disp), L(p), W(100), W(100), B(0)]);
    assert_eq!((px(&r, 100, 100), px(&r, 109, 109), px(&r, 110, 110), px(&r, 99, 99)), (BLACK, BLACK, WHITE, WHITE));
    // NULL source = the draw window (the off-screen one): copy to the screen again, shifted.
    call(&mut r, t::WIN_COPY_RECTANGLE, &[L(0), L(disp), L(p), W(-5i16 as u16), W(0), B(0)]);
    assert_eq!((px(&r, 0, 0), px(&r, 4, 9), px(&r, 5, 0)), (BLACK, BLACK, WHITE));
    // Deleting the draw window: the display becomes the draw window, chunks are freed.
    call(&mut r, t::WIN_DELETE_WINDOW, &[L(off), B(0)]);
    assert_eq!(chunk_count(&r), before);
    call(&mut r, t::WIN_GET_DRAW_WINDOW, &[]);
    assert_eq!(r.a0(), disp);
    // Bad sizes.
    call(&mut r, t::WIN_CREATE_OFFSCREEN_WINDOW, &[W(-1i16 as u16), W(30), B(GENERIC_FORMAT), L(OUT)]);
    assert_eq!((r.a0(), r.mem.read_u16(OUT).unwrap()), (0, SYS_ERR_PARAM_ERR));
    call(&mut r, t::WIN_CREATE_OFFSCREEN_WINDOW, &[W(4000), W(4000), B(GENERIC_FORMAT), L(0)]);
    assert_eq!(r.a0(), 0, "too big for the heap");
    assert_eq!(chunk_count(&r), before);
}

#[test]
fn onscreen_window_coordinates_frames_and_list() {
    let mut r = Rig::new();
    let disp = display(&mut r);
    let p = rect(&mut r, 20, 30, 50, 40);
    call(&mut r, t::WIN_CREATE_WINDOW, &[L(p), W(FrameType::SIMPLE.0), B(1), B(0), L(OUT)]);
    let w = r.a0();
    assert_eq!(r.mem.read_u16(OUT).unwrap(), 0);
    call(&mut r, t::WIN_GET_FIRST_WINDOW, &[]);
    assert_eq!(r.a0(), w);
    call(&mut r, t::WIN_MODAL, &[L(w)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::WIN_ENABLE_WINDOW, &[L(w)]);
    assert!(read_window(&r.mem, w).unwrap().has_flag(WIN_FLAG_ENABLED));
    call(&mut r, t::WIN_DISABLE_WINDOW, &[L(w)]);
    assert!(!read_window(&r.mem, w).unwrap().has_flag(WIN_FLAG_ENABLED));
    call(&mut r, t::WIN_SET_DRAW_WINDOW, &[L(w)]);
    call(&mut r, t::WIN_DRAW_PIXEL, &[W(0), W(0)]);
    assert_eq!(px(&r, 20, 30), BLACK, "window coordinates");
    let p = rect(&mut r, -10, -10, 100, 100);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(0)]);
    assert_eq!((px(&r, 19, 29), px(&r, 20, 30), px(&r, 69, 69), px(&r, 70, 70)), (WHITE, BLACK, BLACK, WHITE), "clipped to the window");
    call(&mut r, t::WIN_GET_WINDOW_EXTENT, &[L(OUT), L(OUT + 2)]);
    assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap()), (50, 40));
    call(&mut r, t::WIN_GET_DRAW_WINDOW_BOUNDS, &[L(OUT)]);
    assert_eq!(read_rect_at(&r, OUT), RectangleType::new(20, 30, 50, 40));
    call(&mut r, t::WIN_GET_BOUNDS, &[L(w), L(OUT)]);
    assert_eq!(read_rect_at(&r, OUT), RectangleType::new(20, 30, 50, 40));
    r.mem.write_u16(OUT, 25).unwrap();
    r.mem.write_u16(OUT + 2, 35).unwrap();
    call(&mut r, t::WIN_DISPLAY_TO_WINDOW_PT, &[L(OUT), L(OUT + 2)]);
    assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap()), (5, 5));
    call(&mut r, t::WIN_WINDOW_TO_DISPLAY_PT, &[L(OUT), L(0)]);
    assert_eq!(r.mem.read_u16(OUT).unwrap(), 25);
    call(&mut r, t::WIN_GET_DISPLAY_EXTENT, &[L(OUT), L(OUT + 2)]);
    assert_eq!((r.mem.read_u16(OUT).unwrap(), r.mem.read_u16(OUT + 2).unwrap()), (160, 160));
    // The frame lies outside the bounds; erasing the window leaves it.
    call(&mut r, t::WIN_DRAW_WINDOW_FRAME, &[]);
    assert_eq!((px(&r, 19, 29), px(&r, 70, 70), px(&r, 71, 71)), (BLACK, BLACK, WHITE));
    call(&mut r, t::WIN_GET_WINDOW_FRAME_RECT, &[L(w), L(OUT)]);
    assert_eq!(read_rect_at(&r, OUT), RectangleType::new(19, 29, 52, 42));
    call(&mut r, t::WIN_ERASE_WINDOW, &[]);
    assert_eq!((px(&r, 20, 30), px(&r, 19, 29)), (WHITE, BLACK));
    // A second window goes to the front; the links follow the list.
    let p = rect(&mut r, 0, 0, 10, 10);
    call(&mut r, t::WIN_CREATE_WINDOW, &[L(p), W(0), B(0), B(1), L(0)]);
    let w2 = r.a0();
    assert_eq!(r.shim.ui().windows().window_list(), &[w2, w]);
    assert_eq!(read_window(&r.mem, w2).unwrap().next_window, w);
    call(&mut r, t::WIN_REMOVE_WINDOW, &[L(w2)]);
    assert_eq!(r.shim.ui().windows().window_list(), &[w]);
    assert_eq!(read_window(&r.mem, w2).unwrap().next_window, 0);
    call(&mut r, t::WIN_ADD_WINDOW, &[L(w2)]);
    call(&mut r, t::WIN_DELETE_WINDOW, &[L(w2), B(0)]);
    // New bounds reset the clip.
    let p = rect(&mut r, 20, 30, 60, 60);
    call(&mut r, t::WIN_SET_BOUNDS, &[L(w), L(p)]);
    call(&mut r, t::WIN_GET_CLIP, &[L(OUT)]);
    assert_eq!(read_rect_at(&r, OUT), RectangleType::new(0, 0, 60, 60));
    // Deleting with erase clears the window and its frame.
    let p = rect(&mut r, 20, 30, 50, 40);
    call(&mut r, t::WIN_SET_BOUNDS, &[L(w), L(p)]);
    let p = rect(&mut r, 0, 0, 50, 40);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(0)]);
    call(&mut r, t::WIN_DELETE_WINDOW, &[L(w), B(1)]);
    assert_eq!((px(&r, 19, 29), px(&r, 40, 40), px(&r, 70, 70)), (WHITE, WHITE, WHITE));
    call(&mut r, t::WIN_GET_FIRST_WINDOW, &[]);
    assert_eq!(r.a0(), 0);
    call(&mut r, t::WIN_GET_DRAW_WINDOW, &[]);
    assert_eq!(r.a0(), disp);
    call(&mut r, t::WIN_DELETE_WINDOW, &[L(disp), B(1)]);
    assert_eq!(display(&mut r), disp, "the display window stays");
    call(&mut r, t::WIN_CREATE_WINDOW, &[L(0), W(0), B(0), B(0), L(OUT)]);
    assert_eq!((r.a0(), r.mem.read_u16(OUT).unwrap()), (0, SYS_ERR_PARAM_ERR), "NULL bounds");
}

#[test]
fn a_guest_built_window_is_initialised_and_listed() {
    let mut r = Rig::new();
    display(&mut r);
    call(&mut r, t::MEM_PTR_NEW, &[L(WindowType::LEN)]);
    let w = r.a0();
    let raw = WindowType { bounds: RectangleType::new(0, 80, 160, 80), ..Default::default() };
    r.mem.write(w, &raw.encode()).unwrap();
    call(&mut r, t::WIN_INITIALIZE_WINDOW, &[L(w)]);
    call(&mut r, t::WIN_ADD_WINDOW, &[L(w)]);
    let got = read_window(&r.mem, w).unwrap();
    assert_eq!(got.bitmap_p, r.shim.ui().windows().screen_bitmap());
    assert_eq!(got.clip, AbsRectType { left: 0, top: 80, right: 159, bottom: 159 });
    call(&mut r, t::WIN_VALIDATE_HANDLE, &[L(w)]);
    assert_eq!(r.d0(), 1);
    call(&mut r, t::WIN_SET_DRAW_WINDOW, &[L(w)]);
    call(&mut r, t::WIN_DRAW_PIXEL, &[W(1), W(1)]);
    assert_eq!(px(&r, 1, 81), BLACK);
    // Deleting it unlists it but leaves the guest's chunk alone.
    let chunks = chunk_count(&r);
    call(&mut r, t::WIN_DELETE_WINDOW, &[L(w), B(0)]);
    assert_eq!(chunk_count(&r), chunks);
    call(&mut r, t::WIN_GET_FIRST_WINDOW, &[]);
    assert_eq!(r.a0(), 0);
}

#[test]
fn draw_state_setters_and_stack() {
    let mut r = Rig::new();
    let ds = |r: &mut Rig| {
        let p = r.shim.ui().windows().draw_state_ptr();
        let mut b = [0u8; DrawStateType::LEN as usize];
        r.mem.read(p, &mut b).unwrap();
        DrawStateType::decode(&b)
    };
    call(&mut r, t::WIN_SET_FORE_COLOR, &[B(125)]);
    assert_eq!(r.d0(), BLACK as u32);
    call(&mut r, t::WIN_SET_BACK_COLOR, &[B(10)]);
    assert_eq!(r.d0(), WHITE as u32);
    call(&mut r, t::WIN_SET_TEXT_COLOR, &[B(20)]);
    assert_eq!(r.d0(), BLACK as u32);
    assert_eq!((ds(&mut r).fore_color, ds(&mut r).back_color, ds(&mut r).text_color), (125, 10, 20), "mirrored to the guest");
    call(&mut r, t::WIN_PUSH_DRAW_STATE, &[]);
    assert_eq!(r.shim.ui().windows().stack_depth(), 1);
    assert_eq!(ds(&mut r).fore_color, 125, "pushing keeps the current state");
    call(&mut r, t::WIN_SET_FORE_COLOR, &[B(1)]);
    assert_eq!(r.d0(), 125);
    call(&mut r, t::WIN_SET_DRAW_MODE, &[B(4)]);
    assert_eq!(r.d0(), 0);
    call(&mut r, t::WIN_SET_DRAW_MODE, &[B(99)]);
    assert_eq!(r.d0(), 4, "unknown mode ignored");
    call(&mut r, t::WIN_SET_UNDERLINE_MODE, &[B(GRAY_UNDERLINE)]);
    assert_eq!(r.d0(), NO_UNDERLINE as u32);
    call(&mut r, t::FNT_SET_FONT, &[B(LARGE_FONT)]);
    let rows = [0x81u8, 0x42, 0x24, 0x18, 0x18, 0x24, 0x42, 0x81];
    r.mem.write(OUT, &rows).unwrap();
    call(&mut r, t::WIN_SET_PATTERN, &[L(OUT)]);
    call(&mut r, t::WIN_GET_PATTERN_TYPE, &[]);
    assert_eq!(r.d0(), CUSTOM_PATTERN as u32);
    let d = ds(&mut r);
    assert_eq!((d.transfer_mode, d.pattern, d.underline_mode, d.font_id, d.pattern_data), (4, CUSTOM_PATTERN, GRAY_UNDERLINE, LARGE_FONT, rows));
    call(&mut r, t::WIN_SET_PATTERN_TYPE, &[B(GRAY_PATTERN)]);
    call(&mut r, t::WIN_GET_PATTERN, &[L(OUT + 8)]);
    assert_eq!(r.mem.read_vec(OUT + 8, 8).unwrap(), g::Pattern::GRAY_ROWS);
    call(&mut r, t::WIN_SET_PATTERN_TYPE, &[B(CUSTOM_PATTERN)]);
    call(&mut r, t::WIN_GET_PATTERN, &[L(OUT + 8)]);
    assert_eq!(r.mem.read_vec(OUT + 8, 8).unwrap(), rows, "customPattern brings the rows back");
    call(&mut r, t::WIN_SET_PATTERN_TYPE, &[B(9)]);
    call(&mut r, t::WIN_GET_PATTERN_TYPE, &[]);
    assert_eq!(r.d0(), CUSTOM_PATTERN as u32, "unknown pattern type ignored");
    // Pop restores everything, font included.
    call(&mut r, t::WIN_POP_DRAW_STATE, &[]);
    let d = ds(&mut r);
    assert_eq!((d.fore_color, d.transfer_mode, d.pattern, d.underline_mode, d.font_id), (125, 0, BLACK_PATTERN, NO_UNDERLINE, STD_FONT));
    call(&mut r, t::FNT_GET_FONT, &[]);
    assert_eq!(r.d0(), STD_FONT as u32);
    call(&mut r, t::WIN_POP_DRAW_STATE, &[]);
    assert_eq!(ds(&mut r).fore_color, 125, "popping an empty stack changes nothing");
    for _ in 0..DRAW_STATE_STACK_LIMIT + 3 {
        call(&mut r, t::WIN_PUSH_DRAW_STATE, &[]);
    }
    assert_eq!(r.shim.ui().windows().stack_depth(), DRAW_STATE_STACK_LIMIT);
}

#[test]
fn pixels_and_lines() {
    let mut r = Rig::new();
    call(&mut r, t::WIN_DRAW_PIXEL, &[W(3), W(4)]);
    call(&mut r, t::WIN_GET_PIXEL, &[W(3), W(4)]);
    assert_eq!(r.d0(), BLACK as u32);
    call(&mut r, t::WIN_INVERT_PIXEL, &[W(3), W(4)]);
    assert_eq!(px(&r, 3, 4), WHITE);
    call(&mut r, t::WIN_PAINT_PIXEL, &[W(3), W(4)]);
    call(&mut r, t::WIN_ERASE_PIXEL, &[W(3), W(4)]);
    assert_eq!(px(&r, 3, 4), WHITE);
    call(&mut r, t::WIN_GET_PIXEL, &[W(-1i16 as u16), W(500)]);
    assert_eq!(r.d0(), 0, "outside: 0");
    call(&mut r, t::WIN_DRAW_PIXEL, &[W(i16::MIN as u16), W(i16::MAX as u16)]);
    call(&mut r, t::WIN_DRAW_LINE, &[W(-10i16 as u16), W(10), W(9), W(10)]);
    assert!((0..10).all(|x| px(&r, x, 10) == BLACK) && px(&r, 10, 10) == WHITE);
    call(&mut r, t::WIN_ERASE_LINE, &[W(0), W(10), W(4), W(10)]);
    assert_eq!((px(&r, 4, 10), px(&r, 5, 10)), (WHITE, BLACK));
    call(&mut r, t::WIN_INVERT_LINE, &[W(0), W(10), W(9), W(10)]);
    assert_eq!((px(&r, 0, 10), px(&r, 9, 10)), (BLACK, WHITE));
    call(&mut r, t::WIN_DRAW_GRAY_LINE, &[W(0), W(20), W(5), W(20)]);
    assert_eq!((px(&r, 0, 20), px(&r, 1, 20), px(&r, 2, 20)), (BLACK, WHITE, BLACK));
    call(&mut r, t::WIN_FILL_LINE, &[W(0), W(30), W(3), W(30)]);
    call(&mut r, t::WIN_PAINT_LINE, &[W(0), W(31), W(3), W(31)]);
    assert_eq!((px(&r, 3, 30), px(&r, 3, 31)), (BLACK, BLACK));
    // Many pixels and lines at once.
    let pts: Vec<u8> = [PointType::new(50, 50), PointType::new(52, 53)].iter().flat_map(|p| p.encode()).collect();
    r.mem.write(OUT, &pts).unwrap();
    call(&mut r, t::WIN_PAINT_PIXELS, &[W(2), L(OUT)]);
    assert_eq!((px(&r, 50, 50), px(&r, 52, 53), px(&r, 51, 50)), (BLACK, BLACK, WHITE));
    r.mem.write(OUT, &RectangleType::new(60, 60, 60, 64).encode()).unwrap();
    call(&mut r, t::WIN_PAINT_LINES, &[W(1), L(OUT)]);
    assert_eq!((px(&r, 60, 60), px(&r, 60, 64)), (BLACK, BLACK));
    call(&mut r, t::WIN_PAINT_LINES, &[W(0), L(0)]);
    // RGB pixel read.
    call(&mut r, t::WIN_GET_PIXEL_RGB, &[W(60), W(60), L(OUT)]);
    assert_eq!((r.d0(), r.mem.read_u32(OUT).unwrap()), (0, 0xFF00_0000));
}

#[test]
fn screen_mode_reformats_the_framebuffer() {
    let mut r = Rig::new();
    call(&mut r, t::WIN_SCREEN_MODE, &[B(WIN_SCREEN_MODE_GET_DEFAULTS), L(OUT), L(OUT + 4), L(OUT + 8), L(OUT + 12)]);
    assert_eq!(r.d0(), 0);
    assert_eq!((r.mem.read_u32(OUT).unwrap(), r.mem.read_u32(OUT + 4).unwrap(), r.mem.read_u32(OUT + 8).unwrap(), r.mem.read_u8(OUT + 12).unwrap()), (160, 160, 8, 1));
    call(&mut r, t::WIN_SCREEN_MODE, &[B(WIN_SCREEN_MODE_GET_SUPPORTED_DEPTHS), L(0), L(0), L(OUT), L(0)]);
    assert_eq!(r.mem.read_u32(OUT).unwrap(), 0x8B);
    call(&mut r, t::WIN_SCREEN_MODE, &[B(WIN_SCREEN_MODE_GET_SUPPORTS_COLOR), L(0), L(0), L(0), L(OUT)]);
    assert_eq!(r.mem.read_u8(OUT).unwrap(), 1);
    // A black and white picture survives depth changes.
    let p = rect(&mut r, 10, 10, 20, 20);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(0)]);
    r.mem.write(TEXT, b"Depth").unwrap();
    call(&mut r, t::WIN_DRAW_CHARS, &[L(TEXT), W(5), W(40), W(40)]);
    let picture = screen_hash(&r);
    r.mem.write_u32(OUT, 1).unwrap();
    call(&mut r, t::WIN_SCREEN_MODE, &[B(WIN_SCREEN_MODE_SET), L(0), L(0), L(OUT), L(0)]);
    assert_eq!(r.d0(), 0);
    assert_eq!(r.shim.screen_surface().depth, g::Depth::One);
    assert_eq!(screen_hash(&r), picture);
    let bmp = r.shim.ui().windows().screen_bitmap();
    let h = BitmapHeader::read(&r.mem, bmp).unwrap();
    assert_eq!((h.pixel_size, h.row_bytes), (1, 20));
    call(&mut r, t::WIN_GET_PIXEL, &[W(10), W(10)]);
    assert_eq!(r.d0(), 1, "black is 1 at 1 bpp");
    call(&mut r, t::WIN_SET_FORE_COLOR, &[B(1)]);
    assert_eq!(r.d0(), 1, "colours were converted");
    call(&mut r, t::WIN_SCREEN_MODE, &[B(WIN_SCREEN_MODE_GET), L(0), L(0), L(OUT), L(OUT + 4)]);
    assert_eq!((r.mem.read_u32(OUT).unwrap(), r.mem.read_u8(OUT + 4).unwrap()), (1, 0));
    // Invalid requests.
    for (w, d, color) in [(160u32, 3u32, 0u8), (320, 8, 0), (160, 2, 1), (160, 0x108, 0)] {
        r.mem.write_u32(OUT, w).unwrap();
        r.mem.write_u32(OUT + 4, d).unwrap();
        r.mem.write_u8(OUT + 8, color).unwrap();
        call(&mut r, t::WIN_SCREEN_MODE, &[B(WIN_SCREEN_MODE_SET), L(OUT), L(0), L(OUT + 4), L(OUT + 8)]);
        assert_eq!(r.d0(), SYS_ERR_PARAM_ERR as u32, "{w} x {d}, colour {color}");
    }
    call(&mut r, t::WIN_SCREEN_MODE, &[B(42), L(0), L(0), L(0), L(0)]);
    assert_eq!(r.d0(), SYS_ERR_PARAM_ERR as u32);
    assert_eq!(r.shim.screen_surface().depth, g::Depth::One, "unchanged");
    r.mem.write_u32(OUT, 2).unwrap();
    call(&mut r, t::WIN_SCREEN_MODE, &[B(WIN_SCREEN_MODE_SET), L(0), L(0), L(OUT), L(0)]);
    assert_eq!(screen_hash(&r), picture);
    call(&mut r, t::WIN_SCREEN_MODE, &[B(WIN_SCREEN_MODE_SET_TO_DEFAULTS), L(0), L(0), L(0), L(0)]);
    assert_eq!(r.shim.screen_surface().depth, g::Depth::Eight);
    assert_eq!(screen_hash(&r), picture);
    assert_eq!(px(&r, 10, 10), BLACK);
}

#[test]
fn save_and_restore_bits() {
    let mut r = Rig::new();
    r.mem.write(TEXT, b"Save").unwrap();
    call(&mut r, t::WIN_DRAW_CHARS, &[L(TEXT), W(4), W(12), W(12)]);
    let p = rect(&mut r, 10, 10, 3, 3);
    call(&mut r, t::WIN_DRAW_RECTANGLE, &[L(p), W(0)]);
    let picture = screen_hash(&r);
    let chunks = chunk_count(&r);
    let p = rect(&mut r, 10, 10, 30, 15);
    call(&mut r, t::WIN_SAVE_BITS, &[L(p), L(OUT)]);
    let saved = r.a0();
    assert_ne!(saved, 0);
    assert_eq!(r.mem.read_u16(OUT).unwrap(), 0);
    let p = rect(&mut r, 0, 0, 160, 160);
    call(&mut r, t::WIN_ERASE_RECTANGLE, &[L(p), W(0)]);
    assert_ne!(screen_hash(&r), picture);
    call(&mut r, t::WIN_RESTORE_BITS, &[L(saved), W(10), W(10)]);
    assert_eq!(screen_hash(&r), picture);
    assert_eq!(chunk_count(&r), chunks, "the saved window is gone");
    call(&mut r, t::WIN_RESTORE_BITS, &[L(0), W(0), W(0)]);
    call(&mut r, t::WIN_SAVE_BITS, &[L(0), L(OUT)]);
    assert_eq!((r.a0(), r.mem.read_u16(OUT).unwrap()), (0, SYS_ERR_PARAM_ERR));
}

#[test]
fn scroll_rectangle_reports_the_vacated_area() {
    let mut r = Rig::new();
    call(&mut r, t::WIN_DRAW_LINE, &[W(0), W(10), W(39), W(10)]);
    let p = rect(&mut r, 0, 0, 40, 40);
    call(&mut r, t::WIN_SCROLL_RECTANGLE, &[L(p), B(WIN_UP), W(5), L(OUT)]);
    assert_eq!((px(&r, 0, 5), px(&r, 39, 5)), (BLACK, BLACK));
    assert_eq!(read_rect_at(&r, OUT), RectangleType::new(0, 35, 40, 5));
    let p = rect(&mut r, 0, 0, 40, 40);
    call(&mut r, t::WIN_SCROLL_RECTANGLE, &[L(p), B(WIN_RIGHT), W(0), L(OUT)]);
    assert_eq!(read_rect_at(&r, OUT), RectangleType::default(), "nothing moved");
    let p = rect(&mut r, 0, 0, 40, 40);
    call(&mut r, t::WIN_SCROLL_RECTANGLE, &[L(p), B(7), W(3), L(OUT)]);
}

#[test]
fn frames() {
    let mut r = Rig::new();
    let p = rect(&mut r, 10, 10, 20, 20);
    call(&mut r, t::WIN_DRAW_RECTANGLE_FRAME, &[W(FrameType::SIMPLE.0), L(p)]);
    assert_eq!((px(&r, 9, 9), px(&r, 10, 10), px(&r, 30, 30), px(&r, 31, 31)), (BLACK, WHITE, BLACK, WHITE));
    let p = rect(&mut r, 10, 10, 20, 20);
    call(&mut r, t::WIN_INVERT_RECTANGLE_FRAME, &[W(FrameType::SIMPLE.0), L(p)]);
    assert_eq!(px(&r, 9, 9), WHITE);
    let p = rect(&mut r, 10, 10, 20, 20);
    call(&mut r, t::WIN_PAINT_RECTANGLE_FRAME, &[W(FrameType::SIMPLE.0), L(p)]);
    let p = rect(&mut r, 10, 10, 20, 20);
    call(&mut r, t::WIN_ERASE_RECTANGLE_FRAME, &[W(FrameType::SIMPLE.0), L(p)]);
    assert_eq!(px(&r, 9, 9), WHITE);
    let p = rect(&mut r, 10, 10, 20, 20);
    call(&mut r, t::WIN_DRAW_GRAY_RECTANGLE_FRAME, &[W(FrameType::SIMPLE.0), L(p)]);
    let p = rect(&mut r, 10, 10, 20, 20);
    call(&mut r, t::WIN_GET_FRAMES_RECTANGLE, &[W(FrameType::POPUP.0), L(p), L(OUT)]);
    assert_eq!(read_rect_at(&r, OUT), RectangleType::new(9, 9, 23, 23), "frame and shadow");
}

#[test]
fn bitmaps_in_window_coordinates() {
    let mut r = Rig::new();
    // A 1-bit 8x2 bitmap: a full row and an empty row.
    r.mem.write(BMP, &[0, 8, 0, 2, 0, 2, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0xFF, 0, 0x00, 0]).unwrap();
    let p = rect(&mut r, 40, 40, 20, 20);
    call(&mut r, t::WIN_CREATE_WINDOW, &[L(p), W(0), B(0), B(0), L(0)]);
    let w = r.a0();
    call(&mut r, t::WIN_SET_DRAW_WINDOW, &[L(w)]);
    call(&mut r, t::WIN_DRAW_BITMAP, &[L(BMP), W(2), W(3)]);
    assert_eq!((px(&r, 42, 43), px(&r, 49, 43), px(&r, 50, 43), px(&r, 42, 44)), (BLACK, BLACK, WHITE, WHITE));
    call(&mut r, t::WIN_SET_DRAW_MODE, &[B(3)]);
    call(&mut r, t::WIN_PAINT_BITMAP, &[L(BMP), W(2), W(3)]);
    assert_eq!(px(&r, 42, 43), WHITE, "winInvert");
    // Malformed and NULL bitmaps draw nothing; unreachable ones are errors.
    r.mem.write_u8(BMP + 9, 9).unwrap();
    let before = screen_hash(&r);
    call(&mut r, t::WIN_DRAW_BITMAP, &[L(BMP), W(2), W(3)]);
    call(&mut r, t::WIN_DRAW_BITMAP, &[L(0), W(2), W(3)]);
    assert_eq!(screen_hash(&r), before);
    let e = r.call(t::WIN_DRAW_BITMAP, &[L(0x0FFF_0000), W(0), W(0)]).unwrap_err();
    assert!(matches!(e, TrapError::GuestMemory { word: t::WIN_DRAW_BITMAP, .. }), "{e}");
}

#[test]
fn bitmap_window_draws_in_its_own_depth() {
    let mut r = Rig::new();
    display(&mut r);
    let s = bitmap::write_header_v2(&mut r.mem, BMP, 16, 8, g::Depth::Four).unwrap();
    s.fill(&mut r.mem, 0).unwrap();
    call(&mut r, t::WIN_CREATE_BITMAP_WINDOW, &[L(BMP), L(OUT)]);
    let w = r.a0();
    assert_eq!(r.mem.read_u16(OUT).unwrap(), 0);
    call(&mut r, t::WIN_GET_BITMAP, &[L(w)]);
    assert_eq!(r.a0(), BMP);
    call(&mut r, t::WIN_SET_DRAW_WINDOW, &[L(w)]);
    call(&mut r, t::WIN_DRAW_PIXEL, &[W(1), W(1)]);
    assert_eq!(s.get_pixel(&r.mem, 1, 1).unwrap(), Some(15), "black at 4 bpp");
    call(&mut r, t::WIN_GET_PIXEL, &[W(1), W(1)]);
    assert_eq!(r.d0(), BLACK as u32, "reported in the screen's palette");
    let chunks = chunk_count(&r);
    call(&mut r, t::WIN_DELETE_WINDOW, &[L(w), B(0)]);
    assert_eq!(chunk_count(&r), chunks - 1, "only the window; the bitmap is the guest's");
    r.mem.write_u8(BMP + 9, 9).unwrap();
    call(&mut r, t::WIN_CREATE_BITMAP_WINDOW, &[L(BMP), L(OUT)]);
    assert_eq!((r.a0(), r.mem.read_u16(OUT).unwrap()), (0, SYS_ERR_PARAM_ERR));
}

#[test]
fn rgb_colour_traps() {
    let mut r = Rig::new();
    call(&mut r, t::WIN_INDEX_TO_RGB, &[B(125), L(OUT)]);
    assert_eq!(r.mem.read_u32(OUT).unwrap(), 0x7DFF_0000);
    r.mem.write(OUT, &[0, 0, 0, 0]).unwrap();
    call(&mut r, t::WIN_RGB_TO_INDEX, &[L(OUT)]);
    assert_eq!(r.d0(), BLACK as u32);
    r.mem.write(OUT, &[0, 0xFE, 1, 2]).unwrap();
    call(&mut r, t::WIN_SET_FORE_COLOR_RGB, &[L(OUT), L(OUT + 4)]);
    assert_eq!(r.mem.read_u32(OUT + 4).unwrap(), 0xFF00_0000, "previous: black");
    call(&mut r, t::WIN_SET_FORE_COLOR, &[B(0)]);
    assert_eq!(r.d0(), 125, "nearest to red");
    call(&mut r, t::WIN_SET_BACK_COLOR_RGB, &[L(0), L(OUT + 4)]);
    assert_eq!(r.mem.read_u32(OUT + 4).unwrap(), 0x00FF_FFFF);
    call(&mut r, t::WIN_SET_TEXT_COLOR_RGB, &[L(OUT), L(0)]);
    call(&mut r, t::WIN_SET_TEXT_COLOR, &[B(0)]);
    assert_eq!(r.d0(), 125);
    r.mem.write(OUT, &[0, 0, 0, 0xFF]).unwrap();
    call(&mut r, t::WIN_SET_COLORS, &[L(OUT), L(OUT + 4), L(0), L(OUT + 8)]);
    assert_eq!(r.mem.read_u32(OUT + 8).unwrap(), 0x00FF_FFFF, "old back colour");
    call(&mut r, t::WIN_SET_FORE_COLOR, &[B(0)]);
    assert_eq!(palette::to_rgb(g::Depth::Eight, r.d0() as u8), g::Rgb::new(0, 0, 0xFF));
}

#[test]
fn bad_pointers_are_errors_and_null_draw_windows_do_nothing() {
    let mut r = Rig::new();
    let disp = display(&mut r);
    call(&mut r, t::WIN_SET_DRAW_WINDOW, &[L(0x0FFF_0000)]);
    let e = r.call(t::WIN_DRAW_LINE, &[W(0), W(0), W(5), W(5)]).unwrap_err();
    assert!(matches!(e, TrapError::GuestMemory { word: t::WIN_DRAW_LINE, .. }), "{e}");
    call(&mut r, t::WIN_SET_DRAW_WINDOW, &[L(0)]);
    call(&mut r, t::WIN_DRAW_LINE, &[W(0), W(0), W(5), W(5)]);
    call(&mut r, t::WIN_GET_CLIP, &[L(OUT)]);
    call(&mut r, t::WIN_GET_PIXEL, &[W(0), W(0)]);
    assert_eq!(r.d0(), 0);
    assert_eq!(px(&r, 0, 0), WHITE);
    call(&mut r, t::WIN_SET_DRAW_WINDOW, &[L(disp)]);
    let e = r.call(t::WIN_GET_CLIP, &[L(0x0FFF_0000)]).unwrap_err();
    assert!(matches!(e, TrapError::GuestMemory { .. }), "{e}");
    let e = r.call(t::WIN_DRAW_CHARS, &[L(0x0FFF_0000), W(3), W(0), W(0)]).unwrap_err();
    assert!(matches!(e, TrapError::GuestMemory { .. }), "{e}");
    let e = r.call(t::WIN_DRAW_RECTANGLE, &[L(0x0FFF_0000), W(0)]).unwrap_err();
    assert!(matches!(e, TrapError::GuestMemory { .. }), "{e}");
    let e = r.call(t::WIN_CREATE_WINDOW, &[L(RECT), W(0), B(0), B(0), L(0x0FFF_0000)]).unwrap_err();
    assert!(matches!(e, TrapError::GuestMemory { .. }), "{e}");
    // NULL results are simply not written.
    call(&mut r, t::WIN_GET_DISPLAY_EXTENT, &[L(0), L(0)]);
    call(&mut r, t::WIN_GET_BOUNDS, &[L(disp), L(0)]);
    call(&mut r, t::WIN_GET_BOUNDS, &[L(0), L(OUT)]);
    call(&mut r, t::WIN_INDEX_TO_RGB, &[B(1), L(0)]);
}

#[test]
fn screen_lock_is_counted() {
    let mut r = Rig::new();
    call(&mut r, t::WIN_DRAW_PIXEL, &[W(0), W(0)]);
    call(&mut r, t::WIN_SCREEN_LOCK, &[B(WIN_LOCK_COPY)]);
    assert_eq!(r.a0(), palm_abi::memmap::FRAMEBUFFER.base);
    assert!(r.shim.screen_locked());
    assert_eq!(px(&r, 0, 0), BLACK, "copy keeps the picture");
    call(&mut r, t::WIN_SCREEN_LOCK, &[B(WIN_LOCK_ERASE)]);
    assert_eq!(px(&r, 0, 0), WHITE);
    call(&mut r, t::WIN_SCREEN_UNLOCK, &[]);
    assert!(r.shim.screen_locked(), "locked twice");
    call(&mut r, t::WIN_SCREEN_UNLOCK, &[]);
    call(&mut r, t::WIN_SCREEN_UNLOCK, &[]);
    assert!(!r.shim.screen_locked());
}

#[test]
fn traps_before_the_heaps_exist_do_nothing() {
    let mut shim = crate::Shim::new(crate::ShimConfig::default());
    let mut mem = FlatMemory::new(0, 0x10000);
    let mut regs = crate::RegisterFile::default();
    mem.write(0x8000, &RectangleType::new(0, 0, 10, 10).encode()).unwrap();
    mem.write_u32(0x9000, 0x8000).unwrap();
    mem.write_u16(0x9004, 0).unwrap();
    regs.a[7] = 0x9000;
    let out = shim.dispatch(t::WIN_DRAW_RECTANGLE, &mut regs, &mut mem, 0x9000).unwrap();
    assert_eq!(out, TrapOutcome::Continue);
    shim.dispatch(t::WIN_GET_DISPLAY_WINDOW, &mut regs, &mut mem, 0x9000).unwrap();
    assert_eq!(regs.a[0], 0);
}
