//! PalmOS rectangle frames (`FrameType`, `WinDrawRectangleFrame` and friends).
//!
//! A frame is drawn *outside* the rectangle it frames: the rectangle's own pixels are never
//! touched, which is why PalmOS has `WinGetFramesRectangle` ([`frame_bounds`]). The
//! `FrameType` word packs, from the most significant bit: `cornerDiam` (8 bits), 3 reserved
//! bits, `threeD` (1), `shadowWidth` (2), `width` (2).
//!
//! | name | value | corner diameter | width | shadow |
//! |---|---|---|---|---|
//! | `noFrame` | `0x0000` | 0 | 0 | 0 |
//! | `simpleFrame` / `rectangleFrame` | `0x0001` | 0 | 1 | 0 |
//! | `simple3DFrame` | `0x0012` | 0 | 2 (3-D flag, drawn flat) | 0 |
//! | `roundFrame` | `0x0401` | 4 | 1 | 0 |
//! | `boldRoundFrame` | `0x0702` | 7 | 2 | 0 |
//! | `popupFrame` / `menuFrame` | `0x0205` | 2 | 1 | 1 |
//! | `dialogFrame` | `0x0302` | 3 | 2 | 0 |
//!
//! The frame occupies the rectangle grown by `width`, with the corner diameter applied to that
//! outer edge (rounded corners are quarter circles sampled at pixel centres); the shadow is
//! the outer shape moved down and right by `shadowWidth`, where it sticks out of the frame.

use super::draw::{corner_insets, ink_span, rounded_row, DrawState, Ink, Pattern};
use super::geometry::Rect;
use super::surface::Surface;
use super::transfer::TransferMode;
use crate::memory::{GuestMemory, MemError};

/// A PalmOS `FrameType` word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct FrameType(pub u16);

impl FrameType {
    pub const NO_FRAME: FrameType = FrameType(0x0000);
    pub const SIMPLE: FrameType = FrameType(0x0001);
    pub const RECTANGLE: FrameType = FrameType::SIMPLE;
    pub const SIMPLE_3D: FrameType = FrameType(0x0012);
    pub const ROUND: FrameType = FrameType(0x0401);
    pub const BOLD_ROUND: FrameType = FrameType(0x0702);
    pub const POPUP: FrameType = FrameType(0x0205);
    pub const MENU: FrameType = FrameType::POPUP;
    pub const DIALOG: FrameType = FrameType(0x0302);

    pub const fn corner_diam(self) -> i32 {
        (self.0 >> 8) as i32
    }
    pub const fn three_d(self) -> bool {
        self.0 & 0x0010 != 0
    }
    pub const fn shadow_width(self) -> i32 {
        ((self.0 >> 2) & 3) as i32
    }
    pub const fn width(self) -> i32 {
        (self.0 & 3) as i32
    }
}

/// `WinGetFramesRectangle`: the area `frame` around `r` covers, frame and shadow included.
pub fn frame_bounds(frame: FrameType, r: &Rect) -> Rect {
    let outer = r.expand(frame.width());
    let sh = frame.shadow_width() as i64;
    Rect::from_edges(outer.left as i64, outer.top as i64, outer.right() + sh, outer.bottom() + sh)
}

fn frame_with(s: &Surface, mem: &mut dyn GuestMemory, clip: &Rect, frame: FrameType, r: &Rect, ink: Ink) -> Result<(), MemError> {
    let w = frame.width();
    let outer = r.expand(w);
    let area = frame_bounds(frame, r).intersect(clip);
    if area.is_empty() {
        return Ok(());
    }
    if w > 0 {
        let insets = corner_insets(frame.corner_diam(), outer.width as i64, outer.height as i64);
        for y in area.top as i64..area.bottom() {
            let Some((a, b)) = rounded_row(&outer, &insets, y) else { continue };
            if !r.is_empty() && y >= r.top as i64 && y < r.bottom() {
                ink_span(s, mem, clip, y as i32, a, r.left as i64, ink)?;
                ink_span(s, mem, clip, y as i32, r.right(), b, ink)?;
            } else {
                ink_span(s, mem, clip, y as i32, a, b, ink)?;
            }
        }
    }
    let sh = frame.shadow_width() as i64;
    if sh > 0 && !outer.is_empty() {
        // The outer shape moved down-right by the shadow width, minus the outer shape itself.
        let insets = corner_insets(frame.corner_diam(), outer.width as i64, outer.height as i64);
        for y in (outer.top as i64 + sh).max(area.top as i64)..(outer.bottom() + sh).min(area.bottom()) {
            let Some((a, b)) = rounded_row(&outer, &insets, y - sh) else { continue };
            let (a, b) = (a + sh, b + sh);
            match rounded_row(&outer, &insets, y) {
                Some((oa, ob)) => {
                    ink_span(s, mem, clip, y as i32, a, b.min(oa), ink)?;
                    ink_span(s, mem, clip, y as i32, a.max(ob), b, ink)?;
                }
                None => ink_span(s, mem, clip, y as i32, a, b, ink)?,
            }
        }
    }
    Ok(())
}

/// `WinDrawRectangleFrame`: the foreground colour.
pub fn draw_rectangle_frame(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, frame: FrameType, r: &Rect) -> Result<(), MemError> {
    frame_with(s, mem, &st.effective_clip(s), frame, r, Ink::Value(st.fore))
}

/// `WinEraseRectangleFrame`: the background colour.
pub fn erase_rectangle_frame(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, frame: FrameType, r: &Rect) -> Result<(), MemError> {
    frame_with(s, mem, &st.effective_clip(s), frame, r, Ink::Value(st.back))
}

/// `WinInvertRectangleFrame`.
pub fn invert_rectangle_frame(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, frame: FrameType, r: &Rect) -> Result<(), MemError> {
    frame_with(s, mem, &st.effective_clip(s), frame, r, Ink::Invert)
}

/// `WinDrawGrayRectangleFrame`: the gray pattern.
pub fn draw_gray_rectangle_frame(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, frame: FrameType, r: &Rect) -> Result<(), MemError> {
    let ink = Ink::Pattern { rows: Pattern::GRAY_ROWS, fore: st.fore, back: st.back, mode: TransferMode::Paint };
    frame_with(s, mem, &st.effective_clip(s), frame, r, ink)
}

/// `WinPaintRectangleFrame`: the foreground colour through the state's transfer mode.
pub fn paint_rectangle_frame(s: &Surface, mem: &mut dyn GuestMemory, st: &DrawState, frame: FrameType, r: &Rect) -> Result<(), MemError> {
    let ink = Ink::Pattern { rows: Pattern::Black.rows(), fore: st.fore, back: st.back, mode: st.mode };
    frame_with(s, mem, &st.effective_clip(s), frame, r, ink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphics::draw::tests::{grid, guards_intact, picture, rig};
    use crate::graphics::surface::Depth;

    #[test]
    fn frame_type_fields() {
        assert_eq!((FrameType::ROUND.corner_diam(), FrameType::ROUND.width()), (4, 1));
        assert_eq!((FrameType::BOLD_ROUND.corner_diam(), FrameType::BOLD_ROUND.width()), (7, 2));
        assert_eq!((FrameType::POPUP.corner_diam(), FrameType::POPUP.width(), FrameType::POPUP.shadow_width()), (2, 1, 1));
        assert_eq!((FrameType::DIALOG.corner_diam(), FrameType::DIALOG.width()), (3, 2));
        assert!(FrameType::SIMPLE_3D.three_d() && FrameType::SIMPLE_3D.width() == 2);
        assert_eq!(frame_bounds(FrameType::POPUP, &Rect::new(5, 5, 10, 4)), Rect::new(4, 4, 13, 7));
    }

    #[test]
    fn simple_frame_is_outside() {
        let (s, mut mem) = rig(6, 5, Depth::One);
        let st = DrawState::new(Depth::One);
        draw_rectangle_frame(&s, &mut mem, &st, FrameType::SIMPLE, &Rect::new(1, 1, 4, 3)).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["######", "#....#", "#....#", "#....#", "######"]));
    }

    #[test]
    fn round_bold_dialog_and_popup_frames() {
        let st = DrawState::new(Depth::One);
        let (s, mut mem) = rig(8, 5, Depth::One);
        draw_rectangle_frame(&s, &mut mem, &st, FrameType::ROUND, &Rect::new(1, 1, 6, 3)).unwrap();
        assert_eq!(picture(&s, &mem), grid(&[".######.", "#......#", "#......#", "#......#", ".######."]));

        let (s, mut mem) = rig(10, 8, Depth::One);
        draw_rectangle_frame(&s, &mut mem, &st, FrameType::BOLD_ROUND, &Rect::new(2, 2, 6, 4)).unwrap();
        assert_eq!(
            picture(&s, &mem),
            grid(&["..######..", ".########.", "##......##", "##......##", "##......##", "##......##", ".########.", "..######.."])
        );

        let (s, mut mem) = rig(8, 7, Depth::One);
        draw_rectangle_frame(&s, &mut mem, &st, FrameType::DIALOG, &Rect::new(2, 2, 4, 3)).unwrap();
        assert_eq!(
            picture(&s, &mem),
            grid(&[".######.", "########", "##....##", "##....##", "##....##", "########", ".######."])
        );

        let (s, mut mem) = rig(7, 6, Depth::One);
        draw_rectangle_frame(&s, &mut mem, &st, FrameType::POPUP, &Rect::new(1, 1, 4, 3)).unwrap();
        assert_eq!(picture(&s, &mem), grid(&[".####..", "#....#.", "#....##", "#....##", ".######", "..####."]));
        assert!(guards_intact(&s, &mem));
    }

    #[test]
    fn erase_invert_gray_frames() {
        let (s, mut mem) = rig(5, 4, Depth::One);
        let mut st = DrawState::new(Depth::One);
        s.fill(&mut mem, 1).unwrap();
        erase_rectangle_frame(&s, &mut mem, &st, FrameType::SIMPLE, &Rect::new(1, 1, 3, 2)).unwrap();
        assert_eq!(picture(&s, &mem), grid(&[".....", ".###.", ".###.", "....."]));
        invert_rectangle_frame(&s, &mut mem, &st, FrameType::SIMPLE, &Rect::new(1, 1, 3, 2)).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["#####", "#####", "#####", "#####"]));
        s.fill(&mut mem, 0).unwrap();
        draw_gray_rectangle_frame(&s, &mut mem, &st, FrameType::SIMPLE, &Rect::new(1, 1, 3, 2)).unwrap();
        assert_eq!(picture(&s, &mem), grid(&["#.#.#", ".....", "#...#", ".#.#."]));
        st.mode = TransferMode::Invert;
        paint_rectangle_frame(&s, &mut mem, &st, FrameType::SIMPLE, &Rect::new(1, 1, 3, 2)).unwrap();
        assert_eq!(picture(&s, &mem), grid(&[".#.#.", "#...#", ".....", "#.#.#"]));
    }

    #[test]
    fn frames_at_extremes() {
        let (s, mut mem) = rig(16, 16, Depth::Four);
        let st = DrawState::new(Depth::Four);
        for v in [i32::MIN, i16::MIN as i32, -3, 0, 15, i16::MAX as i32, i32::MAX] {
            for f in [FrameType::SIMPLE, FrameType::ROUND, FrameType::BOLD_ROUND, FrameType::POPUP, FrameType::DIALOG, FrameType(0xFFFF)] {
                draw_rectangle_frame(&s, &mut mem, &st, f, &Rect::new(v, -v, v, v)).unwrap();
                draw_rectangle_frame(&s, &mut mem, &st, f, &Rect::new(v, 3, 20, v)).unwrap();
                invert_rectangle_frame(&s, &mut mem, &st, f, &Rect::new(-v, v, i32::MAX, 4)).unwrap();
            }
        }
        assert!(guards_intact(&s, &mem));
    }
}
