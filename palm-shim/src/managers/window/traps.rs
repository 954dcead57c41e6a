//! Window Manager trap marshalling: decodes each `Win*` trap's arguments with their exact
//! widths (`Coord` = `Int16`, `IndexedColorType`/`Boolean`/enums = 8-bit values in 2-byte
//! slots, `FrameType`/`UInt16` = 16 bits, pointers and handles = 32 bits), translates window
//! coordinates through [`WindowView`], calls the drawing library, and writes results.
//!
//! Conventions for every trap here: the display window and its structures are created on the
//! first `Win*` trap; a NULL rectangle, string or bitmap pointer makes a drawing trap do
//! nothing; NULL result pointers are not written; with no usable draw window (NULL, or a
//! bitmap that cannot be drawn into) drawing does nothing; guest memory the host cannot reach
//! is a `TrapError::GuestMemory`.

use super::{read_rect, read_window, rect_to_palm, underline_from_u8, write_rect, CreateError, WindowView, SUPPORTED_DEPTHS};
use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::graphics::bitmap::BitmapError;
use crate::graphics::surface::Depth;
use crate::graphics::{self as g, palette, DrawState, FontId, FrameType, Pattern, Rect, Rgb, ScrollDirection, TransferMode};
use crate::managers::memory_mgr::MemErr;
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::errors::{ERR_NONE, SYS_ERR_PARAM_ERR};
use palm_abi::memmap::{SCREEN_HEIGHT, SCREEN_WIDTH};
use palm_abi::traps as t;
use palm_abi::ui_layout::*;

/// Longest string a text trap reads (`Int16` lengths cap it anyway).
const MAX_TEXT: u32 = 0x7FFF;
/// The ellipsis `WinDrawTruncChars` appends (`chrEllipsis`, Windows-1252), and what it draws
/// instead when the font has no glyph for it.
const CHR_ELLIPSIS: u8 = 0x85;
const ELLIPSIS_FALLBACK: &[u8] = b"...";

pub fn install(tb: &mut TrapTable) {
    // Windows
    tb.register(t::WIN_CREATE_WINDOW, create_window);
    tb.register(t::WIN_CREATE_OFFSCREEN_WINDOW, create_offscreen_window);
    tb.register(t::WIN_CREATE_BITMAP_WINDOW, create_bitmap_window);
    tb.register(t::WIN_DELETE_WINDOW, delete_window);
    tb.register(t::WIN_INITIALIZE_WINDOW, initialize_window);
    tb.register(t::WIN_ADD_WINDOW, add_window);
    tb.register(t::WIN_REMOVE_WINDOW, remove_window);
    tb.register(t::WIN_SET_ACTIVE_WINDOW, set_active_window);
    tb.register(t::WIN_SET_DRAW_WINDOW, set_draw_window);
    tb.register(t::WIN_GET_DRAW_WINDOW, get_draw_window);
    tb.register(t::WIN_GET_ACTIVE_WINDOW, get_active_window);
    tb.register(t::WIN_GET_DISPLAY_WINDOW, get_display_window);
    tb.register(t::WIN_GET_FIRST_WINDOW, get_first_window);
    tb.register(t::WIN_ENABLE_WINDOW, enable_window);
    tb.register(t::WIN_DISABLE_WINDOW, disable_window);
    tb.register(t::WIN_VALIDATE_HANDLE, validate_handle);
    tb.register(t::WIN_MODAL, modal);
    tb.register(t::WIN_GET_BITMAP, get_bitmap);
    tb.register(t::WIN_GET_WINDOW_FRAME_RECT, get_window_frame_rect);
    tb.register(t::WIN_DRAW_WINDOW_FRAME, draw_window_frame);
    tb.register(t::WIN_ERASE_WINDOW, erase_window);
    tb.register(t::WIN_SAVE_BITS, save_bits);
    tb.register(t::WIN_RESTORE_BITS, restore_bits);
    tb.register(t::WIN_COPY_RECTANGLE, copy_rectangle);
    tb.register(t::WIN_SCROLL_RECTANGLE, scroll_rectangle);
    // Geometry and clipping
    tb.register(t::WIN_GET_DISPLAY_EXTENT, get_display_extent);
    tb.register(t::WIN_GET_WINDOW_EXTENT, get_window_extent);
    tb.register(t::WIN_DISPLAY_TO_WINDOW_PT, display_to_window_pt);
    tb.register(t::WIN_WINDOW_TO_DISPLAY_PT, window_to_display_pt);
    tb.register(t::WIN_GET_DRAW_WINDOW_BOUNDS, get_draw_window_bounds);
    tb.register(t::WIN_GET_BOUNDS, get_bounds);
    tb.register(t::WIN_SET_BOUNDS, set_bounds);
    tb.register(t::WIN_GET_CLIP, get_clip);
    tb.register(t::WIN_SET_CLIP, set_clip);
    tb.register(t::WIN_RESET_CLIP, reset_clip);
    tb.register(t::WIN_CLIP_RECTANGLE, clip_rectangle);
    // Pixels, lines, rectangles, frames
    tb.register(t::WIN_GET_PIXEL, get_pixel);
    tb.register(t::WIN_GET_PIXEL_RGB, get_pixel_rgb);
    tb.register(t::WIN_DRAW_PIXEL, draw_pixel);
    tb.register(t::WIN_ERASE_PIXEL, erase_pixel);
    tb.register(t::WIN_INVERT_PIXEL, invert_pixel);
    tb.register(t::WIN_PAINT_PIXEL, paint_pixel);
    tb.register(t::WIN_PAINT_PIXELS, paint_pixels);
    tb.register(t::WIN_DRAW_LINE, draw_line);
    tb.register(t::WIN_DRAW_GRAY_LINE, draw_gray_line);
    tb.register(t::WIN_ERASE_LINE, erase_line);
    tb.register(t::WIN_INVERT_LINE, invert_line);
    tb.register(t::WIN_FILL_LINE, fill_line);
    tb.register(t::WIN_PAINT_LINE, paint_line);
    tb.register(t::WIN_PAINT_LINES, paint_lines);
    tb.register(t::WIN_DRAW_RECTANGLE, draw_rectangle);
    tb.register(t::WIN_ERASE_RECTANGLE, erase_rectangle);
    tb.register(t::WIN_INVERT_RECTANGLE, invert_rectangle);
    tb.register(t::WIN_FILL_RECTANGLE, fill_rectangle);
    tb.register(t::WIN_PAINT_RECTANGLE, paint_rectangle);
    tb.register(t::WIN_DRAW_RECTANGLE_FRAME, draw_rectangle_frame);
    tb.register(t::WIN_ERASE_RECTANGLE_FRAME, erase_rectangle_frame);
    tb.register(t::WIN_INVERT_RECTANGLE_FRAME, invert_rectangle_frame);
    tb.register(t::WIN_DRAW_GRAY_RECTANGLE_FRAME, draw_gray_rectangle_frame);
    tb.register(t::WIN_PAINT_RECTANGLE_FRAME, paint_rectangle_frame);
    tb.register(t::WIN_GET_FRAMES_RECTANGLE, get_frames_rectangle);
    // Bitmaps and text
    tb.register(t::WIN_DRAW_BITMAP, draw_bitmap);
    tb.register(t::WIN_PAINT_BITMAP, paint_bitmap);
    tb.register(t::WIN_DRAW_CHARS, draw_chars);
    tb.register(t::WIN_DRAW_INVERTED_CHARS, draw_inverted_chars);
    tb.register(t::WIN_ERASE_CHARS, erase_chars);
    tb.register(t::WIN_INVERT_CHARS, invert_chars);
    tb.register(t::WIN_PAINT_CHARS, paint_chars);
    tb.register(t::WIN_DRAW_CHAR, draw_char);
    tb.register(t::WIN_PAINT_CHAR, paint_char);
    tb.register(t::WIN_DRAW_TRUNC_CHARS, draw_trunc_chars);
    // Draw state
    tb.register(t::WIN_PUSH_DRAW_STATE, push_draw_state);
    tb.register(t::WIN_POP_DRAW_STATE, pop_draw_state);
    tb.register(t::WIN_SET_DRAW_MODE, set_draw_mode);
    tb.register(t::WIN_SET_FORE_COLOR, set_fore_color);
    tb.register(t::WIN_SET_BACK_COLOR, set_back_color);
    tb.register(t::WIN_SET_TEXT_COLOR, set_text_color);
    tb.register(t::WIN_SET_FORE_COLOR_RGB, set_fore_color_rgb);
    tb.register(t::WIN_SET_BACK_COLOR_RGB, set_back_color_rgb);
    tb.register(t::WIN_SET_TEXT_COLOR_RGB, set_text_color_rgb);
    tb.register(t::WIN_SET_COLORS, set_colors);
    tb.register(t::WIN_SET_PATTERN, set_pattern);
    tb.register(t::WIN_GET_PATTERN, get_pattern);
    tb.register(t::WIN_SET_PATTERN_TYPE, set_pattern_type);
    tb.register(t::WIN_GET_PATTERN_TYPE, get_pattern_type);
    tb.register(t::WIN_SET_UNDERLINE_MODE, set_underline_mode);
    tb.register(t::WIN_INDEX_TO_RGB, index_to_rgb);
    tb.register(t::WIN_RGB_TO_INDEX, rgb_to_index);
    // Screen
    tb.register(t::WIN_SCREEN_MODE, screen_mode);
    tb.register(t::WIN_SCREEN_LOCK, screen_lock);
    tb.register(t::WIN_SCREEN_UNLOCK, screen_unlock);
}

// ---- Helpers ---------------------------------------------------------------------------

fn done() -> HandlerResult {
    Ok(TrapOutcome::Continue)
}

/// Creates the display window if needed; `false` if the heaps cannot hold it.
fn ready(s: &mut Shim, c: &mut TrapCall<'_>) -> Result<bool, MemError> {
    s.ui.windows.ensure_created(&mut s.memory, c.mem)
}

/// Runs `f` on the draw window with the draw state for it; a no-op without a usable draw
/// window.
fn on_draw_window(
    s: &mut Shim,
    c: &mut TrapCall<'_>,
    f: impl FnOnce(&WindowView, &DrawState, &mut dyn GuestMemory) -> Result<(), MemError>,
) -> HandlerResult {
    if !ready(s, c)? {
        return done();
    }
    let Some(v) = s.ui.windows.draw_view(c.mem)? else { return done() };
    let st = s.ui.windows.state_for(&v);
    f(&v, &st, c.mem)?;
    done()
}

fn out_u16(mem: &mut dyn GuestMemory, p: u32, v: u16) -> Result<(), MemError> {
    if p != 0 { mem.write_u16(p, v) } else { Ok(()) }
}
fn out_u32(mem: &mut dyn GuestMemory, p: u32, v: u32) -> Result<(), MemError> {
    if p != 0 { mem.write_u32(p, v) } else { Ok(()) }
}
fn out_bool(mem: &mut dyn GuestMemory, p: u32, v: bool) -> Result<(), MemError> {
    if p != 0 { mem.write_u8(p, v as u8) } else { Ok(()) }
}

fn read_rgb(mem: &dyn GuestMemory, p: u32) -> Result<Option<Rgb>, MemError> {
    if p == 0 {
        return Ok(None);
    }
    let mut b = [0u8; 4];
    mem.read(p, &mut b)?;
    let c = RgbColorType::decode(&b);
    Ok(Some(Rgb::new(c.r, c.g, c.b)))
}
fn write_rgb(mem: &mut dyn GuestMemory, p: u32, index: u8, c: Rgb) -> Result<(), MemError> {
    if p == 0 {
        return Ok(());
    }
    mem.write(p, &RgbColorType { index, r: c.r, g: c.g, b: c.b }.encode())
}

/// Reads `len` bytes of text (`None` for NULL or a length <= 0).
fn read_text(mem: &dyn GuestMemory, p: u32, len: i16) -> Result<Option<Vec<u8>>, MemError> {
    if p == 0 || len <= 0 {
        return Ok(None);
    }
    Ok(Some(mem.read_vec(p, (len as u32).min(MAX_TEXT))?))
}

/// The result of a window-creating call: the handle in A0, the error through `*error`.
fn created(c: &mut TrapCall<'_>, error_p: u32, r: Result<u32, CreateError>) -> HandlerResult {
    let (handle, err) = match r {
        Ok(h) => (h, ERR_NONE),
        Err(CreateError::Memory(MemErr::Guest(e))) => return Err(e.into()),
        Err(e) => (0, e.code()),
    };
    out_u16(c.mem, error_p, err)?;
    c.ret_ptr(handle);
    done()
}

// ---- Windows ---------------------------------------------------------------------------

/// `WinHandle WinCreateWindow(const RectangleType *bounds, FrameType frame, Boolean modal,
/// Boolean focusable, UInt16 *error)`
fn create_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (bounds_p, frame, modal, focusable, error_p) = { let mut a = c.args(); (a.ptr()?, a.u16()?, a.bool()?, a.bool()?, a.ptr()?) };
    if !ready(s, c)? {
        return created(c, error_p, Err(CreateError::Memory(MemErr::NotInitialised)));
    }
    let Some(bounds) = read_rect(c.mem, bounds_p)? else { return created(c, error_p, Err(CreateError::Param)) };
    let owner = s.memory.current_owner();
    let r = s.ui.windows.create_window(&mut s.memory, c.mem, bounds, frame, modal, focusable, owner);
    created(c, error_p, r)
}

/// `WinHandle WinCreateOffscreenWindow(Coord width, Coord height, WindowFormatType format,
/// UInt16 *error)`
fn create_offscreen_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (width, height, format, error_p) = { let mut a = c.args(); (a.i16()?, a.i16()?, a.u8()?, a.ptr()?) };
    if !ready(s, c)? {
        return created(c, error_p, Err(CreateError::Memory(MemErr::NotInitialised)));
    }
    let owner = s.memory.current_owner();
    let r = s.ui.windows.create_offscreen_window(&mut s.memory, c.mem, width, height, format, owner);
    created(c, error_p, r)
}

/// `WinHandle WinCreateBitmapWindow(BitmapType *bitmapP, UInt16 *error)`
fn create_bitmap_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (bitmap_p, error_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    if !ready(s, c)? {
        return created(c, error_p, Err(CreateError::Memory(MemErr::NotInitialised)));
    }
    let owner = s.memory.current_owner();
    let r = s.ui.windows.create_bitmap_window(&mut s.memory, c.mem, bitmap_p, owner);
    created(c, error_p, r)
}

/// `void WinDeleteWindow(WinHandle winHandle, Boolean eraseIt)`
fn delete_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (handle, erase) = { let mut a = c.args(); (a.ptr()?, a.bool()?) };
    if ready(s, c)? {
        s.ui.windows.delete_window(&mut s.memory, c.mem, handle, erase)?;
    }
    done()
}

/// `void WinInitializeWindow(WinHandle winHandle)`
fn initialize_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    if ready(s, c)? {
        s.ui.windows.initialize_window(c.mem, handle)?;
    }
    done()
}

/// `void WinAddWindow(WinHandle winHandle)`
fn add_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    if ready(s, c)? {
        s.ui.windows.add_window(c.mem, handle)?;
    }
    done()
}

/// `void WinRemoveWindow(WinHandle winHandle)`
fn remove_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    if ready(s, c)? {
        s.ui.windows.remove_window(c.mem, handle)?;
    }
    done()
}

/// `void WinSetActiveWindow(WinHandle winHandle)`: takes effect through the `winExitEvent`
/// / `winEnterEvent` that the next `EvtGetEvent` calls return.
fn set_active_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    ready(s, c)?;
    s.ui.windows.set_active_window(handle);
    done()
}

/// `WinHandle WinSetDrawWindow(WinHandle winHandle)`: returns the previous draw window.
fn set_draw_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    ready(s, c)?;
    let old = s.ui.windows.set_draw_window(handle);
    c.ret_ptr(old);
    done()
}

/// `WinHandle WinGetDrawWindow(void)`
fn get_draw_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    ready(s, c)?;
    c.ret_ptr(s.ui.windows.draw_window());
    done()
}

/// `WinHandle WinGetActiveWindow(void)`
fn get_active_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    ready(s, c)?;
    c.ret_ptr(s.ui.windows.active_window());
    done()
}

/// `WinHandle WinGetDisplayWindow(void)`
fn get_display_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    ready(s, c)?;
    c.ret_ptr(s.ui.windows.display_window());
    done()
}

/// `WinHandle WinGetFirstWindow(void)`: the front window of the window list.
fn get_first_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    ready(s, c)?;
    c.ret_ptr(s.ui.windows.first_window());
    done()
}

fn set_flag(c: &mut TrapCall<'_>, handle: u32, flag: u16, on: bool) -> HandlerResult {
    if handle != 0 {
        let at = handle.wrapping_add(WindowType::WINDOW_FLAGS);
        let flags = c.mem.read_u16(at)?;
        c.mem.write_u16(at, if on { flags | flag } else { flags & !flag })?;
    }
    done()
}

/// `void WinEnableWindow(WinHandle winHandle)`
fn enable_window(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    set_flag(c, handle, WIN_FLAG_ENABLED, true)
}

/// `void WinDisableWindow(WinHandle winHandle)`
fn disable_window(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    set_flag(c, handle, WIN_FLAG_ENABLED, false)
}

/// `Boolean WinValidateHandle(WinHandle winHandle)`: the display window, windows in the
/// window list and windows the Window Manager created.
fn validate_handle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    ready(s, c)?;
    c.ret(s.ui.windows.is_known(handle) as u32);
    done()
}

/// `Boolean WinModal(WinHandle winHandle)`
fn modal(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    let m = handle != 0 && read_window(c.mem, handle)?.has_flag(WIN_FLAG_MODAL);
    c.ret(m as u32);
    done()
}

/// `BitmapType *WinGetBitmap(WinHandle winHandle)`
fn get_bitmap(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let handle = c.args().ptr()?;
    ready(s, c)?;
    let b = if handle == 0 { 0 } else { read_window(c.mem, handle)?.bitmap_p };
    c.ret_ptr(b);
    done()
}

/// `void WinGetWindowFrameRect(WinHandle winHandle, RectangleType *r)`: the window's bounds
/// grown by its frame (and shadow).
fn get_window_frame_rect(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (handle, r_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    if handle == 0 {
        return done();
    }
    let w = read_window(c.mem, handle)?;
    let b = Rect::from_palm(w.bounds.x, w.bounds.y, w.bounds.width, w.bounds.height);
    write_rect(c.mem, r_p, &rect_to_palm(&g::frame_bounds(FrameType(w.frame_type), &b)))?;
    done()
}

/// `void WinDrawWindowFrame(void)`: the draw window's frame, outside its bounds (so not
/// limited by its clip).
fn draw_window_frame(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    on_draw_window(s, c, |v, st, mem| {
        let st = DrawState { clip: Rect::UNBOUNDED, ..*st };
        g::draw_rectangle_frame(&v.surface, mem, &st, FrameType(v.window.frame_type), &v.bounds())
    })
}

/// `void WinEraseWindow(void)`: the draw window's contents (not its frame), within its clip.
fn erase_window(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    on_draw_window(s, c, |v, st, mem| g::erase_rectangle(&v.surface, mem, st, &v.bounds(), 0))
}

/// `WinHandle WinSaveBits(const RectangleType *source, UInt16 *error)`: an off-screen window
/// holding a copy of `source` of the draw window.
fn save_bits(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (source_p, error_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    if !ready(s, c)? {
        return created(c, error_p, Err(CreateError::Memory(MemErr::NotInitialised)));
    }
    let (Some(r), Some(src)) = (read_rect(c.mem, source_p)?, s.ui.windows.draw_view(c.mem)?) else {
        return created(c, error_p, Err(CreateError::Param));
    };
    let owner = s.memory.current_owner();
    let saved = match s.ui.windows.create_offscreen_window(&mut s.memory, c.mem, r.width, r.height, SCREEN_FORMAT, owner) {
        Ok(h) => h,
        Err(e) => return created(c, error_p, Err(e)),
    };
    if let Some(dst) = s.ui.windows.view(c.mem, saved)? {
        let st = s.ui.windows.state_for(&dst);
        g::copy_rectangle(&src.surface, &dst.surface, c.mem, &st, &src.rect(&r), 0, 0, TransferMode::Paint)?;
    }
    created(c, error_p, Ok(saved))
}

/// `void WinRestoreBits(WinHandle winHandle, Coord destX, Coord destY)`: copies a
/// `WinSaveBits` window back into the draw window and deletes it.
fn restore_bits(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (handle, x, y) = { let mut a = c.args(); (a.ptr()?, a.i16()?, a.i16()?) };
    if handle == 0 || !ready(s, c)? {
        return done();
    }
    if let (Some(src), Some(dst)) = (s.ui.windows.view(c.mem, handle)?, s.ui.windows.draw_view(c.mem)?) {
        let st = s.ui.windows.state_for(&dst);
        let (dx, dy) = dst.point(x, y);
        g::copy_rectangle(&src.surface, &dst.surface, c.mem, &st, &src.bounds(), dx, dy, TransferMode::Paint)?;
    }
    s.ui.windows.delete_window(&mut s.memory, c.mem, handle, false)?;
    done()
}

/// `void WinCopyRectangle(WinHandle srcWin, WinHandle dstWin, const RectangleType *srcRect,
/// Coord destX, Coord destY, WinDrawOperation mode)`: a NULL window means the draw window;
/// the destination is clipped to the destination window's clip.
fn copy_rectangle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (src_h, dst_h, rect_p, x, y, mode) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.ptr()?, a.i16()?, a.i16()?, a.u8()?) };
    if !ready(s, c)? {
        return done();
    }
    let draw = s.ui.windows.draw_window();
    let src_h = if src_h == 0 { draw } else { src_h };
    let dst_h = if dst_h == 0 { draw } else { dst_h };
    let Some(r) = read_rect(c.mem, rect_p)? else { return done() };
    let Some(mode) = TransferMode::from_u8(mode) else {
        log::warn!("WinCopyRectangle: unknown transfer mode {mode}");
        return done();
    };
    if let (Some(src), Some(dst)) = (s.ui.windows.view(c.mem, src_h)?, s.ui.windows.view(c.mem, dst_h)?) {
        let st = s.ui.windows.state_for(&dst);
        let (dx, dy) = dst.point(x, y);
        g::copy_rectangle(&src.surface, &dst.surface, c.mem, &st, &src.rect(&r), dx, dy, mode)?;
    }
    done()
}

/// `void WinScrollRectangle(const RectangleType *rP, WinDirectionType direction, Coord
/// distance, RectangleType *vacatedP)`
fn scroll_rectangle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (rect_p, direction, distance, vacated_p) = { let mut a = c.args(); (a.ptr()?, a.u8()?, a.i16()?, a.ptr()?) };
    let dir = match direction {
        WIN_UP => ScrollDirection::Up,
        WIN_DOWN => ScrollDirection::Down,
        WIN_LEFT => ScrollDirection::Left,
        WIN_RIGHT => ScrollDirection::Right,
        _ => return done(),
    };
    let Some(r) = read_rect(c.mem, rect_p)? else { return done() };
    let mut vacated = RectangleType::default();
    on_draw_window(s, c, |v, st, mem| {
        let gone = g::scroll_rectangle(&v.surface, mem, st, &v.rect(&r), dir, distance as i32)?;
        if !gone.is_empty() {
            vacated = rect_to_palm(&v.to_window(&gone));
        }
        Ok(())
    })?;
    write_rect(c.mem, vacated_p, &vacated)?;
    done()
}

// ---- Geometry and clipping -------------------------------------------------------------

/// `void WinGetDisplayExtent(Coord *extentX, Coord *extentY)`
fn get_display_extent(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (x_p, y_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    out_u16(c.mem, x_p, SCREEN_WIDTH as u16)?;
    out_u16(c.mem, y_p, SCREEN_HEIGHT as u16)?;
    done()
}

/// `void WinGetWindowExtent(Coord *extentX, Coord *extentY)`: the draw window's size.
fn get_window_extent(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (x_p, y_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    ready(s, c)?;
    let b = draw_bounds(s, c)?;
    out_u16(c.mem, x_p, b.width as u16)?;
    out_u16(c.mem, y_p, b.height as u16)?;
    done()
}

fn draw_bounds(s: &Shim, c: &TrapCall<'_>) -> Result<RectangleType, MemError> {
    let h = s.ui.windows.draw_window();
    Ok(if h == 0 { RectangleType::default() } else { read_window(c.mem, h)?.bounds })
}

fn convert_point(s: &mut Shim, c: &mut TrapCall<'_>, sign: i16) -> HandlerResult {
    let (x_p, y_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    ready(s, c)?;
    let (ox, oy) = s.ui.windows.draw_origin(c.mem)?;
    if x_p != 0 {
        let x = c.mem.read_u16(x_p)? as i16;
        c.mem.write_u16(x_p, x.wrapping_add(sign.wrapping_mul(ox)) as u16)?;
    }
    if y_p != 0 {
        let y = c.mem.read_u16(y_p)? as i16;
        c.mem.write_u16(y_p, y.wrapping_add(sign.wrapping_mul(oy)) as u16)?;
    }
    done()
}

/// `void WinDisplayToWindowPt(Coord *extentX, Coord *extentY)`
fn display_to_window_pt(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    convert_point(s, c, -1)
}

/// `void WinWindowToDisplayPt(Coord *extentX, Coord *extentY)`
fn window_to_display_pt(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    convert_point(s, c, 1)
}

/// `void WinGetDrawWindowBounds(RectangleType *rP)` (`WinGetWindowBounds` before SDK 4)
fn get_draw_window_bounds(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let r_p = c.args().ptr()?;
    ready(s, c)?;
    let b = draw_bounds(s, c)?;
    write_rect(c.mem, r_p, &b)?;
    done()
}

/// `void WinGetBounds(WinHandle winH, RectangleType *rP)`
fn get_bounds(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (handle, r_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    if handle != 0 {
        let b = read_window(c.mem, handle)?.bounds;
        write_rect(c.mem, r_p, &b)?;
    }
    done()
}

/// `void WinSetBounds(WinHandle winHandle, const RectangleType *rP)` (`WinSetWindowBounds`
/// before SDK 4): also resets the window's clip to the new bounds.
fn set_bounds(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (handle, r_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    ready(s, c)?;
    if let Some(r) = read_rect(c.mem, r_p)? {
        s.ui.windows.set_bounds(c.mem, handle, r)?;
    }
    done()
}

/// `void WinGetClip(RectangleType *rP)`: the draw window's clip, in window coordinates.
fn get_clip(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let r_p = c.args().ptr()?;
    if !ready(s, c)? {
        return done();
    }
    if let Some(v) = s.ui.windows.draw_view(c.mem)? {
        write_rect(c.mem, r_p, &rect_to_palm(&v.to_window(&v.clip())))?;
    }
    done()
}

/// `void WinSetClip(const RectangleType *rP)`: the draw window's clip becomes `rP` (window
/// coordinates) within the window.
fn set_clip(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let r_p = c.args().ptr()?;
    if !ready(s, c)? {
        return done();
    }
    let Some(r) = read_rect(c.mem, r_p)? else { return done() };
    let h = s.ui.windows.draw_window();
    s.ui.windows.set_clip(c.mem, h, Some(&r))?;
    done()
}

/// `void WinResetClip(void)`: the draw window's clip becomes the whole window.
fn reset_clip(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    if ready(s, c)? {
        let h = s.ui.windows.draw_window();
        s.ui.windows.reset_clip(c.mem, h)?;
    }
    done()
}

/// `void WinClipRectangle(RectangleType *rP)`: intersects `*rP` with the draw window's clip.
fn clip_rectangle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let r_p = c.args().ptr()?;
    if !ready(s, c)? {
        return done();
    }
    let Some(r) = read_rect(c.mem, r_p)? else { return done() };
    if let Some(v) = s.ui.windows.draw_view(c.mem)? {
        let clipped = v.rect(&r).intersect(&v.clip());
        let out = if clipped.is_empty() { RectangleType::new(r.x, r.y, 0, 0) } else { rect_to_palm(&v.to_window(&clipped)) };
        write_rect(c.mem, r_p, &out)?;
    }
    done()
}

// ---- Pixels, lines, rectangles, frames -------------------------------------------------

/// `IndexedColorType WinGetPixel(Coord x, Coord y)`: 0 outside the window's bitmap.
fn get_pixel(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (x, y) = { let mut a = c.args(); (a.i16()?, a.i16()?) };
    let mut value = 0;
    if ready(s, c)? {
        if let Some(v) = s.ui.windows.draw_view(c.mem)? {
            let (px, py) = v.point(x, y);
            value = s.ui.windows.to_screen_colour(&v, g::get_pixel(&v.surface, c.mem, px, py)?);
        }
    }
    c.ret(value as u32);
    done()
}

/// `Err WinGetPixelRGB(Coord x, Coord y, RGBColorType *rgbP)`
fn get_pixel_rgb(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (x, y, rgb_p) = { let mut a = c.args(); (a.i16()?, a.i16()?, a.ptr()?) };
    let mut colour = Rgb::WHITE;
    let mut index = 0;
    if ready(s, c)? {
        if let Some(v) = s.ui.windows.draw_view(c.mem)? {
            let (px, py) = v.point(x, y);
            let raw = g::get_pixel(&v.surface, c.mem, px, py)?;
            colour = palette::to_rgb(v.surface.depth, raw);
            index = s.ui.windows.to_screen_colour(&v, raw);
        }
    }
    write_rgb(c.mem, rgb_p, index, colour)?;
    c.ret(ERR_NONE as u32);
    done()
}

type PixelFn = fn(&g::Surface, &mut dyn GuestMemory, &DrawState, i32, i32) -> Result<(), MemError>;

fn pixel_trap(s: &mut Shim, c: &mut TrapCall<'_>, f: PixelFn) -> HandlerResult {
    let (x, y) = { let mut a = c.args(); (a.i16()?, a.i16()?) };
    on_draw_window(s, c, |v, st, mem| {
        let (px, py) = v.point(x, y);
        f(&v.surface, mem, st, px, py)
    })
}

/// `void WinDrawPixel(Coord x, Coord y)`
fn draw_pixel(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    pixel_trap(s, c, g::draw_pixel)
}
/// `void WinErasePixel(Coord x, Coord y)`
fn erase_pixel(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    pixel_trap(s, c, g::erase_pixel)
}
/// `void WinInvertPixel(Coord x, Coord y)`
fn invert_pixel(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    pixel_trap(s, c, g::invert_pixel)
}
/// `void WinPaintPixel(Coord x, Coord y)`
fn paint_pixel(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    pixel_trap(s, c, g::paint_pixel)
}

/// `void WinPaintPixels(UInt16 numPoints, PointType pts[])`
fn paint_pixels(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (n, pts_p) = { let mut a = c.args(); (a.u16()?, a.ptr()?) };
    if pts_p == 0 || n == 0 {
        return done();
    }
    let raw = c.mem.read_vec(pts_p, n as u32 * PointType::LEN)?;
    on_draw_window(s, c, |v, st, mem| {
        for p in raw.chunks_exact(PointType::LEN as usize) {
            let pt = PointType::decode(&[p[0], p[1], p[2], p[3]]);
            let (px, py) = v.point(pt.x, pt.y);
            g::paint_pixel(&v.surface, mem, st, px, py)?;
        }
        Ok(())
    })
}

type LineFn = fn(&g::Surface, &mut dyn GuestMemory, &DrawState, i32, i32, i32, i32) -> Result<(), MemError>;

fn line_trap(s: &mut Shim, c: &mut TrapCall<'_>, f: LineFn) -> HandlerResult {
    let (x1, y1, x2, y2) = { let mut a = c.args(); (a.i16()?, a.i16()?, a.i16()?, a.i16()?) };
    on_draw_window(s, c, |v, st, mem| {
        let ((ax, ay), (bx, by)) = (v.point(x1, y1), v.point(x2, y2));
        f(&v.surface, mem, st, ax, ay, bx, by)
    })
}

/// `void WinDrawLine(Coord x1, Coord y1, Coord x2, Coord y2)`
fn draw_line(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    line_trap(s, c, g::draw_line)
}
/// `void WinDrawGrayLine(Coord x1, Coord y1, Coord x2, Coord y2)`
fn draw_gray_line(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    line_trap(s, c, g::draw_gray_line)
}
/// `void WinEraseLine(Coord x1, Coord y1, Coord x2, Coord y2)`
fn erase_line(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    line_trap(s, c, g::erase_line)
}
/// `void WinInvertLine(Coord x1, Coord y1, Coord x2, Coord y2)`
fn invert_line(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    line_trap(s, c, g::invert_line)
}
/// `void WinFillLine(Coord x1, Coord y1, Coord x2, Coord y2)`
fn fill_line(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    line_trap(s, c, g::fill_line)
}
/// `void WinPaintLine(Coord x1, Coord y1, Coord x2, Coord y2)`
fn paint_line(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    line_trap(s, c, g::paint_line)
}

/// `void WinPaintLines(UInt16 numLines, WinLineType lines[])`
fn paint_lines(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (n, lines_p) = { let mut a = c.args(); (a.u16()?, a.ptr()?) };
    if lines_p == 0 || n == 0 {
        return done();
    }
    let raw = c.mem.read_vec(lines_p, n as u32 * WIN_LINE_TYPE_LEN)?;
    on_draw_window(s, c, |v, st, mem| {
        for l in raw.chunks_exact(WIN_LINE_TYPE_LEN as usize) {
            let r = RectangleType::decode(&[l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7]]);
            let ((ax, ay), (bx, by)) = (v.point(r.x, r.y), v.point(r.width, r.height));
            g::paint_line(&v.surface, mem, st, ax, ay, bx, by)?;
        }
        Ok(())
    })
}

type RectFn = fn(&g::Surface, &mut dyn GuestMemory, &DrawState, &Rect, i32) -> Result<(), MemError>;

fn rect_trap(s: &mut Shim, c: &mut TrapCall<'_>, f: RectFn) -> HandlerResult {
    let (r_p, corner) = { let mut a = c.args(); (a.ptr()?, a.u16()?) };
    let Some(r) = read_rect(c.mem, r_p)? else { return done() };
    on_draw_window(s, c, |v, st, mem| f(&v.surface, mem, st, &v.rect(&r), corner as i32))
}

/// `void WinDrawRectangle(const RectangleType *rP, UInt16 cornerDiam)`
fn draw_rectangle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    rect_trap(s, c, g::draw_rectangle)
}
/// `void WinEraseRectangle(const RectangleType *rP, UInt16 cornerDiam)`
fn erase_rectangle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    rect_trap(s, c, g::erase_rectangle)
}
/// `void WinInvertRectangle(const RectangleType *rP, UInt16 cornerDiam)`
fn invert_rectangle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    rect_trap(s, c, g::invert_rectangle)
}
/// `void WinFillRectangle(const RectangleType *rP, UInt16 cornerDiam)`
fn fill_rectangle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    rect_trap(s, c, g::fill_rectangle)
}
/// `void WinPaintRectangle(const RectangleType *rP, UInt16 cornerDiam)`
fn paint_rectangle(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    rect_trap(s, c, g::paint_rectangle)
}

type FrameFn = fn(&g::Surface, &mut dyn GuestMemory, &DrawState, FrameType, &Rect) -> Result<(), MemError>;

fn frame_trap(s: &mut Shim, c: &mut TrapCall<'_>, f: FrameFn) -> HandlerResult {
    let (frame, r_p) = { let mut a = c.args(); (a.u16()?, a.ptr()?) };
    let Some(r) = read_rect(c.mem, r_p)? else { return done() };
    on_draw_window(s, c, |v, st, mem| f(&v.surface, mem, st, FrameType(frame), &v.rect(&r)))
}

/// `void WinDrawRectangleFrame(FrameType frame, const RectangleType *rP)`
fn draw_rectangle_frame(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    frame_trap(s, c, g::draw_rectangle_frame)
}
/// `void WinEraseRectangleFrame(FrameType frame, const RectangleType *rP)`
fn erase_rectangle_frame(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    frame_trap(s, c, g::erase_rectangle_frame)
}
/// `void WinInvertRectangleFrame(FrameType frame, const RectangleType *rP)`
fn invert_rectangle_frame(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    frame_trap(s, c, g::invert_rectangle_frame)
}
/// `void WinDrawGrayRectangleFrame(FrameType frame, const RectangleType *rP)`
fn draw_gray_rectangle_frame(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    frame_trap(s, c, g::draw_gray_rectangle_frame)
}
/// `void WinPaintRectangleFrame(FrameType frame, const RectangleType *rP)`
fn paint_rectangle_frame(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    frame_trap(s, c, g::paint_rectangle_frame)
}

/// `void WinGetFramesRectangle(FrameType frame, const RectangleType *rP, RectangleType
/// *obscuredRect)`: the area the frame (with its shadow) around `*rP` covers.
fn get_frames_rectangle(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (frame, r_p, out_p) = { let mut a = c.args(); (a.u16()?, a.ptr()?, a.ptr()?) };
    let Some(r) = read_rect(c.mem, r_p)? else { return done() };
    let covered = g::frame_bounds(FrameType(frame), &Rect::from_palm(r.x, r.y, r.width, r.height));
    write_rect(c.mem, out_p, &rect_to_palm(&covered))?;
    done()
}

// ---- Bitmaps and text ------------------------------------------------------------------

fn bitmap_trap(s: &mut Shim, c: &mut TrapCall<'_>, paint: bool) -> HandlerResult {
    let (bmp, x, y) = { let mut a = c.args(); (a.ptr()?, a.i16()?, a.i16()?) };
    if bmp == 0 {
        return done();
    }
    let mut failure = None;
    on_draw_window(s, c, |v, st, mem| {
        let (px, py) = v.point(x, y);
        let r = if paint { g::paint_bitmap(&v.surface, mem, st, bmp, px, py) } else { g::draw_bitmap(&v.surface, mem, st, bmp, px, py) };
        match r {
            Ok(()) => Ok(()),
            Err(BitmapError::Mem(e)) => Err(e),
            Err(e) => {
                failure = Some(e);
                Ok(())
            }
        }
    })?;
    if let Some(e) = failure {
        log::warn!("{}: bitmap at {bmp:#010x} not drawn: {e}", if paint { "WinPaintBitmap" } else { "WinDrawBitmap" });
    }
    done()
}

/// `void WinDrawBitmap(BitmapPtr bitmapP, Coord x, Coord y)`: a malformed bitmap is not
/// drawn (and logged).
fn draw_bitmap(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    bitmap_trap(s, c, false)
}
/// `void WinPaintBitmap(BitmapType *bitmapP, Coord x, Coord y)`
fn paint_bitmap(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    bitmap_trap(s, c, true)
}

type TextFn = fn(&g::Surface, &mut dyn GuestMemory, &DrawState, FontId, &[u8], i32, i32) -> Result<i32, MemError>;

fn draw_text(s: &mut Shim, c: &mut TrapCall<'_>, text: &[u8], x: i16, y: i16, f: TextFn) -> HandlerResult {
    let font = s.ui.windows.font();
    on_draw_window(s, c, |v, st, mem| {
        let (px, py) = v.point(x, y);
        f(&v.surface, mem, st, font, text, px, py).map(|_| ())
    })
}

fn chars_trap(s: &mut Shim, c: &mut TrapCall<'_>, f: TextFn) -> HandlerResult {
    let (p, len, x, y) = { let mut a = c.args(); (a.ptr()?, a.i16()?, a.i16()?, a.i16()?) };
    let Some(text) = read_text(c.mem, p, len)? else { return done() };
    draw_text(s, c, &text, x, y, f)
}

/// `void WinDrawChars(const Char *chars, Int16 len, Coord x, Coord y)`: `y` is the top of
/// the text cell.
fn draw_chars(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    chars_trap(s, c, g::draw_chars)
}
/// `void WinDrawInvertedChars(const Char *chars, Int16 len, Coord x, Coord y)`
fn draw_inverted_chars(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    chars_trap(s, c, g::draw_inverted_chars)
}
/// `void WinEraseChars(const Char *chars, Int16 len, Coord x, Coord y)`
fn erase_chars(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    chars_trap(s, c, g::erase_chars)
}
/// `void WinInvertChars(const Char *chars, Int16 len, Coord x, Coord y)`
fn invert_chars(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    chars_trap(s, c, g::invert_chars)
}
/// `void WinPaintChars(const Char *chars, Int16 len, Coord x, Coord y)`
fn paint_chars(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    chars_trap(s, c, g::paint_chars)
}

/// A `WChar` as the single byte our fonts index (characters above 0xFF draw the missing-
/// character box).
fn wchar_byte(ch: u16) -> u8 {
    if ch <= 0xFF { ch as u8 } else { 0x7F }
}

/// `void WinDrawChar(WChar theChar, Coord x, Coord y)`
fn draw_char(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (ch, x, y) = { let mut a = c.args(); (a.u16()?, a.i16()?, a.i16()?) };
    draw_text(s, c, &[wchar_byte(ch)], x, y, g::draw_chars)
}
/// `void WinPaintChar(WChar theChar, Coord x, Coord y)`
fn paint_char(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (ch, x, y) = { let mut a = c.args(); (a.u16()?, a.i16()?, a.i16()?) };
    draw_text(s, c, &[wchar_byte(ch)], x, y, g::paint_chars)
}

/// `void WinDrawTruncChars(const Char *chars, Int16 len, Coord x, Coord y, Coord maxWidth)`:
/// text that does not fit in `maxWidth` is cut and ends in an ellipsis.
fn draw_trunc_chars(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (p, len, x, y, max_width) = { let mut a = c.args(); (a.ptr()?, a.i16()?, a.i16()?, a.i16()?, a.i16()?) };
    let Some(text) = read_text(c.mem, p, len)? else { return done() };
    let font = g::font(s.ui.windows.font());
    let max = max_width as i32;
    let shown = if font.chars_width(&text) <= max {
        text
    } else {
        let ellipsis: &[u8] = if font.has_glyph(CHR_ELLIPSIS) { &[CHR_ELLIPSIS] } else { ELLIPSIS_FALLBACK };
        let (n, _) = font.chars_in_width(&text, (max - font.chars_width(ellipsis)).max(0));
        let mut t = text[..n].to_vec();
        t.extend_from_slice(ellipsis);
        t
    };
    draw_text(s, c, &shown, x, y, g::draw_chars)
}

// ---- Draw state ------------------------------------------------------------------------

/// Applies a change to the current draw state and mirrors it to the guest image.
fn change_state(s: &mut Shim, c: &mut TrapCall<'_>, f: impl FnOnce(&mut super::WinDrawState)) -> Result<(), MemError> {
    ready(s, c)?;
    f(s.ui.windows.state_mut());
    s.ui.windows.sync_draw_state(c.mem)
}

/// `void WinPushDrawState(void)`
fn push_draw_state(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    ready(s, c)?;
    s.ui.windows.push_state();
    done()
}

/// `void WinPopDrawState(void)`
fn pop_draw_state(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    ready(s, c)?;
    s.ui.windows.pop_state();
    s.ui.windows.sync_draw_state(c.mem)?;
    done()
}

/// `WinDrawOperation WinSetDrawMode(WinDrawOperation newMode)`: an unknown mode is ignored.
fn set_draw_mode(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let mode = c.args().u8()?;
    let old = s.ui.windows.state().draw.mode as u32;
    if let Some(m) = TransferMode::from_u8(mode) {
        change_state(s, c, |st| st.draw.mode = m)?;
    }
    c.ret(old);
    done()
}

#[derive(Clone, Copy)]
enum Colour {
    Fore,
    Back,
    Text,
}

fn colour_slot(st: &mut super::WinDrawState, which: Colour) -> &mut u8 {
    match which {
        Colour::Fore => &mut st.draw.fore,
        Colour::Back => &mut st.draw.back,
        Colour::Text => &mut st.draw.text,
    }
}

fn set_colour(s: &mut Shim, c: &mut TrapCall<'_>, which: Colour) -> HandlerResult {
    let new = c.args().u8()?;
    let max = s.ui.windows.depth().max_value();
    let mut old = 0;
    change_state(s, c, |st| old = std::mem::replace(colour_slot(st, which), new & max))?;
    c.ret(old as u32);
    done()
}

/// `IndexedColorType WinSetForeColor(IndexedColorType foreColor)`: returns the old colour.
fn set_fore_color(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    set_colour(s, c, Colour::Fore)
}
/// `IndexedColorType WinSetBackColor(IndexedColorType backColor)`
fn set_back_color(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    set_colour(s, c, Colour::Back)
}
/// `IndexedColorType WinSetTextColor(IndexedColorType textColor)`
fn set_text_color(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    set_colour(s, c, Colour::Text)
}

/// Reports the old colour of `which` through `prev_p` and sets it to the palette entry
/// nearest `new_p` (each pointer may be NULL).
fn swap_rgb(s: &mut Shim, c: &mut TrapCall<'_>, which: Colour, new_p: u32, prev_p: u32) -> Result<(), MemError> {
    let depth = s.ui.windows.depth();
    let mut st = *s.ui.windows.state();
    let old = *colour_slot(&mut st, which);
    write_rgb(c.mem, prev_p, old, palette::to_rgb(depth, old))?;
    if let Some(rgb) = read_rgb(c.mem, new_p)? {
        let index = palette::nearest(depth, rgb);
        change_state(s, c, |st| *colour_slot(st, which) = index)?;
    }
    Ok(())
}

fn set_colour_rgb(s: &mut Shim, c: &mut TrapCall<'_>, which: Colour) -> HandlerResult {
    let (new_p, prev_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?) };
    swap_rgb(s, c, which, new_p, prev_p)?;
    done()
}

/// `void WinSetForeColorRGB(const RGBColorType *newRgbP, RGBColorType *prevRgbP)`
fn set_fore_color_rgb(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    set_colour_rgb(s, c, Colour::Fore)
}
/// `void WinSetBackColorRGB(const RGBColorType *newRgbP, RGBColorType *prevRgbP)`
fn set_back_color_rgb(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    set_colour_rgb(s, c, Colour::Back)
}
/// `void WinSetTextColorRGB(const RGBColorType *newRgbP, RGBColorType *prevRgbP)`
fn set_text_color_rgb(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    set_colour_rgb(s, c, Colour::Text)
}

/// `void WinSetColors(const RGBColorType *newForeColorP, RGBColorType *oldForeColorP, const
/// RGBColorType *newBackColorP, RGBColorType *oldBackColorP)` (the pre-3.5 colour call)
fn set_colors(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (new_fore, old_fore, new_back, old_back) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    swap_rgb(s, c, Colour::Fore, new_fore, old_fore)?;
    swap_rgb(s, c, Colour::Back, new_back, old_back)?;
    done()
}

/// `void WinSetPattern(const CustomPatternType *patternP)`: a custom pattern.
fn set_pattern(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    if p == 0 {
        return done();
    }
    let mut rows = [0u8; 8];
    c.mem.read(p, &mut rows)?;
    change_state(s, c, |st| {
        st.custom_pattern = rows;
        st.draw.pattern = Pattern::Custom(rows);
    })?;
    done()
}

/// `void WinGetPattern(CustomPatternType *patternP)`: the rows of the current pattern.
fn get_pattern(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = c.args().ptr()?;
    if p != 0 {
        c.mem.write(p, &s.ui.windows.state().draw.pattern.rows())?;
    }
    done()
}

/// `void WinSetPatternType(PatternType newPattern)`: `customPattern` uses the last
/// `WinSetPattern` rows; unknown values are ignored.
fn set_pattern_type(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let kind = c.args().u8()?;
    let pattern = |custom: [u8; 8]| match kind {
        BLACK_PATTERN => Some(Pattern::Black),
        WHITE_PATTERN => Some(Pattern::White),
        GRAY_PATTERN => Some(Pattern::Gray),
        CUSTOM_PATTERN => Some(Pattern::Custom(custom)),
        _ => None,
    };
    if let Some(p) = pattern(s.ui.windows.state().custom_pattern) {
        change_state(s, c, |st| st.draw.pattern = p)?;
    }
    done()
}

/// `PatternType WinGetPatternType(void)`
fn get_pattern_type(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    c.ret(s.ui.windows.state().pattern_type() as u32);
    done()
}

/// `UnderlineModeType WinSetUnderlineMode(UnderlineModeType mode)`: returns the old mode;
/// unknown values are ignored.
fn set_underline_mode(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let mode = c.args().u8()?;
    let old = s.ui.windows.state().draw.underline as u32;
    if let Some(m) = underline_from_u8(mode) {
        change_state(s, c, |st| st.draw.underline = m)?;
    }
    c.ret(old);
    done()
}

/// `void WinIndexToRGB(IndexedColorType i, RGBColorType *rgbP)`: in the screen depth's
/// palette.
fn index_to_rgb(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (i, rgb_p) = { let mut a = c.args(); (a.u8()?, a.ptr()?) };
    let depth = s.ui.windows.depth();
    write_rgb(c.mem, rgb_p, i, palette::to_rgb(depth, i))?;
    done()
}

/// `IndexedColorType WinRGBToIndex(const RGBColorType *rgbP)`: the nearest entry of the
/// screen depth's palette.
fn rgb_to_index(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let rgb_p = c.args().ptr()?;
    let depth = s.ui.windows.depth();
    let i = read_rgb(c.mem, rgb_p)?.map_or(0, |rgb| palette::nearest(depth, rgb));
    c.ret(i as u32);
    done()
}

// ---- Screen ------------------------------------------------------------------------------

/// `Err WinScreenMode(WinScreenModeOperation operation, UInt32 *widthP, UInt32 *heightP,
/// UInt32 *depthP, Boolean *enableColorP)`: 160x160 at 1, 2, 4 or 8 bits per pixel (8 is the
/// default and the only colour depth). Setting a depth reformats the framebuffer in place;
/// another width or height, an unsupported depth, or colour below 8 bits is `sysErrParamErr`.
fn screen_mode(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (op, w_p, h_p, depth_p, color_p) = { let mut a = c.args(); (a.u8()?, a.ptr()?, a.ptr()?, a.ptr()?, a.ptr()?) };
    ready(s, c)?;
    let report = |c: &mut TrapCall<'_>, depth: Depth| -> Result<(), MemError> {
        out_u32(c.mem, w_p, SCREEN_WIDTH)?;
        out_u32(c.mem, h_p, SCREEN_HEIGHT)?;
        out_u32(c.mem, depth_p, depth.bits())?;
        out_bool(c.mem, color_p, depth == Depth::Eight)
    };
    let err = match op {
        WIN_SCREEN_MODE_GET_DEFAULTS => {
            report(c, super::DEFAULT_DEPTH)?;
            ERR_NONE
        }
        WIN_SCREEN_MODE_GET => {
            report(c, s.ui.windows.depth())?;
            ERR_NONE
        }
        WIN_SCREEN_MODE_SET_TO_DEFAULTS => {
            s.ui.windows.set_depth(c.mem, super::DEFAULT_DEPTH)?;
            ERR_NONE
        }
        WIN_SCREEN_MODE_SET => {
            let read_u32 = |c: &TrapCall<'_>, p: u32| -> Result<Option<u32>, MemError> { if p == 0 { Ok(None) } else { c.mem.read_u32(p).map(Some) } };
            let width = read_u32(c, w_p)?;
            let height = read_u32(c, h_p)?;
            let depth = match read_u32(c, depth_p)? {
                None => Some(s.ui.windows.depth()),
                Some(d) => u8::try_from(d).ok().and_then(Depth::from_bits),
            };
            let color = if color_p == 0 { None } else { Some(c.mem.read_u8(color_p)? != 0) };
            match depth {
                Some(d)
                    if width.is_none_or(|w| w == SCREEN_WIDTH)
                        && height.is_none_or(|h| h == SCREEN_HEIGHT)
                        && !(color == Some(true) && d != Depth::Eight) =>
                {
                    s.ui.windows.set_depth(c.mem, d)?;
                    ERR_NONE
                }
                _ => SYS_ERR_PARAM_ERR,
            }
        }
        WIN_SCREEN_MODE_GET_SUPPORTED_DEPTHS => {
            out_u32(c.mem, depth_p, SUPPORTED_DEPTHS)?;
            ERR_NONE
        }
        WIN_SCREEN_MODE_GET_SUPPORTS_COLOR => {
            out_bool(c.mem, color_p, true)?;
            ERR_NONE
        }
        _ => SYS_ERR_PARAM_ERR,
    };
    c.ret(err as u32);
    done()
}

/// `UInt8 *WinScreenLock(WinLockInitType initMode)`: returns the framebuffer (drawing stays
/// visible; see `WindowManager::lock_screen`).
fn screen_lock(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let init = c.args().u8()?;
    ready(s, c)?;
    let p = s.ui.windows.lock_screen(c.mem, init)?;
    c.ret_ptr(p);
    done()
}

/// `void WinScreenUnlock(void)`
fn screen_unlock(s: &mut Shim, _: &mut TrapCall<'_>) -> HandlerResult {
    s.ui.windows.unlock_screen();
    done()
}
