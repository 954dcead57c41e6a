//! The drawing library under the PalmOS Window Manager and Font Manager: pixel surfaces in
//! guest memory, the system palettes, PalmOS drawing primitives with transfer modes and
//! clipping, `BitmapType` decoding, our own bitmap fonts, and PNG output.
//!
//! It knows nothing about traps, windows or the draw-window stack: a window manager keeps
//! `WindowType`s, translates window coordinates to surface coordinates, and calls in here
//! with a [`Surface`] and a [`DrawState`]. Everything goes through
//! [`GuestMemory`](crate::GuestMemory), so it is testable on [`FlatMemory`](crate::FlatMemory), and no
//! guest input (coordinates, sizes, bitmap headers) can make it panic or write outside the
//! surface it was given. See `docs/graphics.md`.
//!
//! | module | owns |
//! |---|---|
//! | [`geometry`] | [`Rect`] and clipping arithmetic |
//! | [`surface`] | [`Surface`], [`Depth`], pixel access, RGB conversion, framebuffer hash |
//! | [`palette`] | the 1/2/4/8-bit system palettes, colour matching |
//! | [`transfer`] | [`TransferMode`] (`WinDrawOperation`) rules |
//! | [`draw`] | [`DrawState`], pixels, lines, rectangles, copies, scrolling |
//! | [`frame`] | [`FrameType`] rectangle frames |
//! | [`bitmap`] | the `BitmapType` layout, families, decompression, `WinDrawBitmap` |
//! | [`font`](mod@font) | [`FontId`], metrics, glyph sheets, `WinDrawChars` and variants |
//! | [`png_out`] | [`write_png`] |

pub mod bitmap;
pub mod draw;
pub mod font;
pub mod frame;
pub mod geometry;
pub mod palette;
pub mod png_out;
pub mod surface;
pub mod transfer;

pub use bitmap::{draw_bitmap, paint_bitmap, BitmapError, BitmapHeader, DecodedBitmap};
pub use draw::{
    copy_rectangle, draw_gray_line, draw_line, draw_pixel, draw_rectangle, erase_line, erase_pixel, erase_rectangle,
    fill_line, fill_rectangle, get_pixel, invert_line, invert_pixel, invert_rectangle, paint_line, paint_pixel,
    paint_rectangle, scroll_rectangle, DrawState, Pattern, ScrollDirection, UnderlineMode,
};
pub use font::{draw_chars, draw_inverted_chars, erase_chars, font, invert_chars, paint_chars, Font, FontId};
pub use frame::{
    draw_gray_rectangle_frame, draw_rectangle_frame, erase_rectangle_frame, frame_bounds, invert_rectangle_frame,
    paint_rectangle_frame, FrameType,
};
pub use geometry::Rect;
pub use palette::Rgb;
pub use png_out::{write_png, write_png_to, PngError};
pub use surface::{Depth, Fnv1a64, RowSpan, Surface, SurfaceError};
pub use transfer::TransferMode;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FlatMemory, GuestMemory};
    use palm_abi::memmap::FRAMEBUFFER;
    use std::path::PathBuf;

    /// Where tests leave PNGs for people to look at: `target/graphics/`.
    fn artefact_dir() -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/graphics");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn screen_memory() -> FlatMemory {
        FlatMemory::new(FRAMEBUFFER.base, FRAMEBUFFER.size as usize)
    }

    /// A fixed screen: a title bar, text in all fonts, frames, lines, patterns and a bitmap.
    /// Colours are only black and white, so it looks the same at every depth.
    fn sample_scene(s: &Surface, mem: &mut dyn GuestMemory) {
        let mut st = DrawState::new(s.depth);
        s.fill(mem, 0).unwrap();
        // Title bar: inverted bold title on a black rounded tab, and the underline.
        let title = b"Graphics";
        let tw = font::font(FontId::Bold).chars_width(title);
        draw_rectangle(s, mem, &st, &Rect::new(0, 0, tw + 6, 13), 5).unwrap();
        draw_inverted_chars(s, mem, &st, FontId::Bold, title, 3, 1).unwrap();
        draw_line(s, mem, &st, 0, 12, 159, 12).unwrap();
        // Text in each font.
        draw_chars(s, mem, &st, FontId::Std, b"The quick brown fox jumps", 2, 16).unwrap();
        draw_chars(s, mem, &st, FontId::Bold, b"over the lazy dog: 0123", 2, 28).unwrap();
        draw_chars(s, mem, &st, FontId::Large, b"Palm OS 42", 2, 40).unwrap();
        // A button (roundFrame) with a centred label, and a bold dialog-style box.
        let b = Rect::new(4, 60, 36, 12);
        draw_rectangle_frame(s, mem, &st, FrameType::ROUND, &b).unwrap();
        let lw = font::font(FontId::Std).chars_width(b"OK");
        draw_chars(s, mem, &st, FontId::Std, b"OK", b.left + (b.width - lw) / 2, b.top).unwrap();
        let d = Rect::new(50, 60, 50, 24);
        draw_rectangle_frame(s, mem, &st, FrameType::DIALOG, &d).unwrap();
        draw_chars(s, mem, &st, FontId::Std, b"Dialog", 54, 66).unwrap();
        draw_rectangle_frame(s, mem, &st, FrameType::POPUP, &Rect::new(108, 60, 44, 24)).unwrap();
        draw_rectangle_frame(s, mem, &st, FrameType::BOLD_ROUND, &Rect::new(8, 80, 28, 10)).unwrap();
        // Lines, a gray frame, patterns and inversion.
        for i in 0..8 {
            draw_line(s, mem, &st, 2, 96, 2 + i * 8, 126).unwrap();
        }
        draw_gray_rectangle_frame(s, mem, &st, FrameType::SIMPLE, &Rect::new(70, 96, 30, 30)).unwrap();
        st.pattern = Pattern::Gray;
        fill_rectangle(s, mem, &st, &Rect::new(74, 100, 22, 22), 0).unwrap();
        st.pattern = Pattern::Custom([0x81, 0x42, 0x24, 0x18, 0x18, 0x24, 0x42, 0x81]);
        fill_rectangle(s, mem, &st, &Rect::new(108, 96, 44, 30), 9).unwrap();
        st.pattern = Pattern::Black;
        invert_rectangle(s, mem, &st, &Rect::new(120, 104, 20, 14), 0).unwrap();
        // A 1-bit bitmap (a small check box) in guest memory, drawn twice.
        let bmp = FRAMEBUFFER.base + 0xF000;
        let rows: [u16; 8] = [0xFF00, 0x8100, 0x8300, 0xC500, 0xA900, 0x9100, 0x8100, 0xFF00];
        let mut bytes = vec![0, 8, 0, 8, 0, 2, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0];
        for r in rows {
            bytes.extend_from_slice(&r.to_be_bytes());
        }
        mem.write(bmp, &bytes).unwrap();
        draw_bitmap(s, mem, &st, bmp, 4, 132).unwrap();
        draw_chars(s, mem, &st, FontId::Std, b"Done", 15, 130).unwrap();
        st.mode = TransferMode::Invert;
        paint_bitmap(s, mem, &st, bmp, 44, 132).unwrap();
        // Clipped text at the bottom right edge.
        st.clip = Rect::new(100, 140, 60, 20);
        draw_chars(s, mem, &st, FontId::Large, b"Clipped text", 96, 146).unwrap();
    }

    /// The golden fingerprint of `sample_scene`. If a change to drawing or fonts is
    /// intended, look at `target/graphics/scene.png` and update this value.
    const SCENE_HASH: u64 = 0x48d7_eaf6_0e84_39e5;

    #[test]
    fn golden_scene_hash_is_stable_across_depths() {
        let mut hashes = Vec::new();
        for depth in [Depth::One, Depth::Two, Depth::Four, Depth::Eight] {
            let s = Surface::screen(depth);
            let mut mem = screen_memory();
            sample_scene(&s, &mut mem);
            hashes.push(s.rgb_hash(&mem).unwrap());
            if depth == Depth::Eight {
                write_png(&s, &mem, artefact_dir().join("scene.png"), 3).unwrap();
            }
        }
        assert!(hashes.windows(2).all(|w| w[0] == w[1]), "depths differ: {hashes:x?}");
        assert_eq!(hashes[0], SCENE_HASH, "scene changed: {:#018x}; see target/graphics/scene.png", hashes[0]);
    }

    /// Every glyph of every font, for looking at.
    fn font_sample(s: &Surface, mem: &mut dyn GuestMemory) {
        let st = DrawState::new(s.depth);
        s.fill(mem, 0).unwrap();
        let mut y = 1;
        let printable: Vec<u8> = (0x20..=0x7Eu8).collect();
        let extra: Vec<u8> = "€£°ßÄÖÜÉàäçèéêñöü".chars().map(|c| if c == '€' { 0x80 } else { c as u32 as u8 }).collect();
        for id in [FontId::Std, FontId::Bold, FontId::Large] {
            let f = font::font(id);
            let mut x = 2;
            let mut rows = Vec::new();
            let mut line = Vec::new();
            for &c in printable.iter().chain(extra.iter()).chain([0x01u8].iter()) {
                if x + f.char_width(c) > s.width as i32 - 2 {
                    rows.push(std::mem::take(&mut line));
                    x = 2;
                }
                line.push(c);
                x += f.char_width(c);
            }
            rows.push(line);
            for r in rows {
                draw_chars(s, mem, &st, id, &r, 2, y).unwrap();
                y += f.line_height();
            }
            y += 2;
        }
        draw_chars(s, mem, &st, FontId::Std, b"Hello, Palm! Memo pad: 12:45 pm", 2, y).unwrap();
        y += 11;
        draw_chars(s, mem, &st, FontId::Bold, b"Address Book - Quit (Esc)", 2, y).unwrap();
        y += 11;
        draw_chars(s, mem, &st, FontId::Large, b"Welcome, Java VM", 2, y).unwrap();
    }

    #[test]
    fn font_sample_png() {
        let s = Surface::packed(0x1000, 240, 152, Depth::One).unwrap();
        let mut mem = FlatMemory::new(0x1000, s.byte_len() as usize);
        font_sample(&s, &mut mem);
        write_png(&s, &mem, artefact_dir().join("fonts.png"), 4).unwrap();
    }

    /// Regenerates `docs/images/fonts.png` (3x): `cargo test -p palm-shim graphics -- --ignored`.
    #[test]
    #[ignore]
    fn write_docs_font_png() {
        let s = Surface::packed(0x1000, 240, 152, Depth::One).unwrap();
        let mut mem = FlatMemory::new(0x1000, s.byte_len() as usize);
        font_sample(&s, &mut mem);
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/images/fonts.png");
        write_png(&s, &mem, path, 3).unwrap();
    }
}
