//! Lists (`ListType`): drawing (a one-pixel frame around the bounds, one item per line of
//! the list's font from `topItem`, the selection inverted), pen tracking, and the `Lst*`
//! traps.
//!
//! A pen-down on a usable list queues `lstEnterEvent`; handling it tracks the pen like a
//! control (see `control`): while the pen is down the item under it is highlighted and the
//! trap blocks; pen up on an item selects it (`currentItem`) and queues `lstSelectEvent`
//! (`listID`, `pList`, `selection`), pen up elsewhere queues `lstExitEvent`. Lists with a
//! draw callback (`LstSetDrawFunction`) draw only their frame and selection: calling 68k
//! drawing code from the Form Manager is not implemented.

use super::draw::{font_of, object_canvas, Canvas};
use super::events::{stroke_end, Handled};
use super::{done, null_object, rest, post, read_event, read_list, MAX_UI_TEXT};
use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome, TrapTable};
use crate::graphics::{self as g, FrameType, Rect};
use crate::memory::{GuestMemory, MemError};
use crate::Shim;
use palm_abi::traps as t;
use palm_abi::ui_layout::*;

const FILE: &str = "List.c";
/// Left margin of an item's text inside the list.
const TEXT_MARGIN: i32 = 2;

pub fn install(tb: &mut TrapTable) {
    tb.register(t::LST_DRAW_LIST, lst_draw_list);
    tb.register(t::LST_ERASE_LIST, lst_erase_list);
    tb.register(t::LST_GET_SELECTION, lst_get_selection);
    tb.register(t::LST_SET_SELECTION, lst_set_selection);
    tb.register(t::LST_GET_SELECTION_TEXT, lst_get_selection_text);
    tb.register(t::LST_SET_LIST_CHOICES, lst_set_list_choices);
    tb.register(t::LST_GET_NUMBER_OF_ITEMS, lst_get_number_of_items);
    tb.register(t::LST_HANDLE_EVENT, lst_handle_event);
    tb.register(t::LST_SET_HEIGHT, lst_set_height);
    tb.register(t::LST_SET_POSITION, lst_set_position);
    tb.register(t::LST_SET_TOP_ITEM, lst_set_top_item);
    tb.register(t::LST_GET_TOP_ITEM, lst_get_top_item);
    tb.register(t::LST_MAKE_ITEM_VISIBLE, lst_make_item_visible);
    tb.register(t::LST_GET_VISIBLE_ITEMS, lst_get_visible_items);
    tb.register(t::LST_SCROLL_LIST, lst_scroll_list);
    tb.register(t::LST_SET_DRAW_FUNCTION, lst_set_draw_function);
}

fn write_list(mem: &mut dyn GuestMemory, p: u32, l: &ListType) -> Result<(), MemError> {
    mem.write(p, &l.encode())
}

fn line_height(l: &ListType) -> i32 {
    g::font(font_of(l.font)).line_height()
}

/// Items that fit in the list's height (at least 1).
pub(crate) fn visible_items(l: &ListType) -> i16 {
    ((l.bounds.height as i32) / line_height(l)).clamp(1, i16::MAX as i32) as i16
}

/// The largest `topItem` that still fills the list.
fn last_top(l: &ListType) -> i16 {
    l.num_items.saturating_sub(visible_items(l)).max(0)
}

/// The address of item `i`'s text (0 when out of range or without texts).
pub(crate) fn item_ptr(mem: &dyn GuestMemory, l: &ListType, i: i16) -> Result<u32, MemError> {
    if i < 0 || i >= l.num_items || l.items_text == 0 {
        return Ok(0);
    }
    mem.read_u32(l.items_text.wrapping_add(4 * i as u32))
}

/// Item `i`'s text (empty when it has none).
pub(crate) fn item_text(mem: &dyn GuestMemory, l: &ListType, i: i16) -> Result<Vec<u8>, MemError> {
    match item_ptr(mem, l, i)? {
        0 => Ok(Vec::new()),
        p => mem.read_cstr(p, MAX_UI_TEXT),
    }
}

/// Draws a usable list with `pressed` (the item under the pen) or its selection inverted;
/// marks it visible.
pub(crate) fn draw(mem: &mut dyn GuestMemory, cv: &Canvas, p: u32, pressed: Option<i16>) -> Result<(), MemError> {
    let mut l = read_list(mem, p)?;
    if !l.has_attr(LST_ATTR_USABLE) {
        return Ok(());
    }
    l.attr |= LST_ATTR_VISIBLE;
    write_list(mem, p, &l)?;
    let r = cv.rect(&l.bounds);
    let st = cv.st();
    let inside = g::DrawState { clip: st.clip.intersect(&r), ..st };
    let font = font_of(l.font);
    let lh = line_height(&l);
    g::erase_rectangle(&cv.surface, mem, &st, &r, 0)?;
    g::draw_rectangle_frame(&cv.surface, mem, &st, FrameType::RECTANGLE, &r)?;
    let top = l.top_item.clamp(0, l.num_items.max(0));
    let highlighted = pressed.unwrap_or(l.current_item);
    for row in 0..visible_items(&l) {
        let item = top.saturating_add(row);
        if item >= l.num_items {
            break;
        }
        let y = r.top + row as i32 * lh;
        if l.draw_items_callback == 0 {
            let text = item_text(mem, &l, item)?;
            g::draw_chars(&cv.surface, mem, &inside, font, &text, r.left + TEXT_MARGIN, y)?;
        }
        if item == highlighted {
            g::invert_rectangle(&cv.surface, mem, &inside, &Rect::new(r.left, y, r.width, lh), 0)?;
        }
    }
    Ok(())
}

/// Erases a list and its frame; it is no longer visible.
pub(crate) fn erase(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemError> {
    let mut l = read_list(mem, p)?;
    if let Some(cv) = object_canvas(s, mem, p)? {
        let r = g::frame_bounds(FrameType::RECTANGLE, &cv.rect(&l.bounds));
        g::erase_rectangle(&cv.surface, mem, &cv.st(), &r, 0)?;
    }
    l.attr &= !LST_ATTR_VISIBLE;
    write_list(mem, p, &l)
}

fn redraw(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32) -> Result<(), MemError> {
    if read_list(mem, p)?.has_attr(LST_ATTR_VISIBLE) {
        if let Some(cv) = object_canvas(s, mem, p)? {
            draw(mem, &cv, p, None)?;
        }
    }
    Ok(())
}

/// The item at window point (`x`, `y`), if the point is on one.
fn item_at(l: &ListType, x: i32, y: i32) -> Option<i16> {
    let b = l.bounds;
    if !Rect::from_palm(b.x, b.y, b.width, b.height).contains(x, y) {
        return None;
    }
    let item = l.top_item.max(0) as i32 + (y - b.y as i32) / line_height(l);
    (item < l.num_items as i32).then_some(item as i16)
}

/// `topItem` adjusted so that `item` is visible.
fn top_showing(l: &ListType, item: i16) -> i16 {
    let vis = visible_items(l);
    let top = if item < l.top_item { item } else if item >= l.top_item.saturating_add(vis) { item.saturating_sub(vis).saturating_add(1) } else { l.top_item };
    top.clamp(0, last_top(l))
}

/// The pen-down event on a list becomes a queued `lstEnterEvent`.
pub(crate) fn enter(s: &mut Shim, l: &ListType, p: u32, pen: &EventType) {
    let mut e = EventType::new(LST_ENTER_EVENT);
    e.pen_down = true;
    e.screen_x = pen.screen_x;
    e.screen_y = pen.screen_y;
    e.set_u16(event_data::lst_select::LIST_ID, l.id);
    e.set_u32(event_data::lst_select::P_LIST, p);
    e.set_u16(event_data::lst_select::SELECTION, l.current_item as u16);
    post(s, e);
}

/// Handles `lstEnterEvent` for list `p` (see the module documentation).
pub(crate) fn track(s: &mut Shim, mem: &mut dyn GuestMemory, p: u32, ev: &EventType) -> Result<Handled, MemError> {
    let l = read_list(mem, p)?;
    if !l.has_attr(LST_ATTR_USABLE) {
        return Ok(Handled::Done(false));
    }
    let Some(cv) = object_canvas(s, mem, p)? else { return Ok(Handled::Done(false)) };
    let (dx, dy) = s.ui.windows.draw_origin(mem)?;
    let end = stroke_end(s, (ev.screen_x as i32 + dx as i32, ev.screen_y as i32 + dy as i32));
    let (wx, wy) = cv.window_point(end.x, end.y);
    let item = item_at(&l, wx, wy);
    if !end.up {
        draw(mem, &cv, p, Some(item.unwrap_or(l.current_item)))?;
        return Ok(Handled::Block);
    }
    let mut e = EventType::new(LST_EXIT_EVENT);
    e.screen_x = ev.screen_x;
    e.screen_y = ev.screen_y;
    e.set_u16(event_data::lst_select::LIST_ID, l.id);
    e.set_u32(event_data::lst_select::P_LIST, p);
    if let Some(i) = item {
        mem.write_u16(p.wrapping_add(ListType::CURRENT_ITEM), i as u16)?;
        e.e_type = LST_SELECT_EVENT;
        e.set_u16(event_data::lst_select::SELECTION, i as u16);
    }
    draw(mem, &cv, p, None)?;
    post(s, e);
    Ok(Handled::Done(true))
}

// ---- Traps ----------------------------------------------------------------------------------

macro_rules! list_or_fail {
    ($c:expr) => {{
        let p = $c.args().ptr()?;
        if p == 0 {
            return null_object($c, FILE, "list");
        }
        p
    }};
}


fn ret_i16(c: &mut TrapCall<'_>, v: i16) -> HandlerResult {
    c.ret(v as u16 as u32);
    done()
}

/// `void LstDrawList(ListType *listP)`
fn lst_draw_list(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    if let Some(cv) = object_canvas(s, c.mem, p)? {
        draw(c.mem, &cv, p, None)?;
    }
    done()
}

/// `void LstEraseList(ListType *listP)`
fn lst_erase_list(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    erase(s, c.mem, p)?;
    done()
}

/// `Int16 LstGetSelection(const ListType *listP)`: the selected item or `noListSelection`.
fn lst_get_selection(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let l = read_list(c.mem, p)?;
    ret_i16(c, l.current_item)
}

/// `void LstSetSelection(ListType *listP, Int16 itemNum)`: selects an item (scrolling it
/// into view) or nothing (`noListSelection`, or out of range); a visible list is redrawn.
fn lst_set_selection(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let item = rest(c).i16()?;
    let mut l = read_list(c.mem, p)?;
    if item >= 0 && item < l.num_items {
        l.current_item = item;
        l.top_item = top_showing(&l, item);
    } else {
        l.current_item = NO_LIST_SELECTION;
    }
    write_list(c.mem, p, &l)?;
    redraw(s, c.mem, p)?;
    done()
}

/// `Char *LstGetSelectionText(const ListType *listP, Int16 itemNum)`: NULL out of range.
fn lst_get_selection_text(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let item = rest(c).i16()?;
    let l = read_list(c.mem, p)?;
    let text = item_ptr(c.mem, &l, item)?;
    c.ret_ptr(text);
    done()
}

/// `void LstSetListChoices(ListType *listP, Char **itemsText, Int16 numItems)`: the list
/// shows the caller's array (which must stay valid); scrolled to the top, a selection beyond
/// the new items dropped; not redrawn.
fn lst_set_list_choices(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let (items, n) = { let mut a = rest(c); (a.ptr()?, a.i16()?) };
    let mut l = read_list(c.mem, p)?;
    l.items_text = items;
    l.num_items = n.max(0);
    l.top_item = 0;
    if l.current_item >= l.num_items {
        l.current_item = NO_LIST_SELECTION;
    }
    write_list(c.mem, p, &l)?;
    done()
}

/// `Int16 LstGetNumberOfItems(const ListType *listP)`
fn lst_get_number_of_items(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let l = read_list(c.mem, p)?;
    ret_i16(c, l.num_items)
}

/// `Boolean LstHandleEvent(ListType *listP, const EventType *eventP)`: pen-downs inside the
/// list queue `lstEnterEvent`; `lstEnterEvent` for it is tracked (may block).
fn lst_handle_event(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let ev_p = rest(c).ptr()?;
    if ev_p == 0 {
        return ret_i16(c, 0);
    }
    let ev = read_event(c.mem, ev_p)?;
    let l = read_list(c.mem, p)?;
    let outcome = match ev.e_type {
        PEN_DOWN_EVENT => {
            let Some(cv) = object_canvas(s, c.mem, p)? else { return ret_i16(c, 0) };
            let (dx, dy) = s.ui.windows.draw_origin(c.mem)?;
            let (x, y) = cv.window_point(ev.screen_x as i32 + dx as i32, ev.screen_y as i32 + dy as i32);
            let b = l.bounds;
            let hit = l.has_attr(LST_ATTR_USABLE) && Rect::from_palm(b.x, b.y, b.width, b.height).contains(x, y);
            if hit {
                enter(s, &l, p, &ev);
            }
            Handled::Done(hit)
        }
        LST_ENTER_EVENT if ev.u32_at(event_data::lst_select::P_LIST) == p || ev.u16_at(event_data::lst_select::LIST_ID) == l.id => {
            track(s, c.mem, p, &ev)?
        }
        _ => Handled::Done(false),
    };
    match outcome {
        Handled::Done(b) => ret_i16(c, b as i16),
        Handled::Block => Ok(TrapOutcome::Block),
    }
}

/// `void LstSetHeight(ListType *listP, Int16 visibleItems)`
fn lst_set_height(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let n = rest(c).i16()?;
    let l = read_list(c.mem, p)?;
    let h = (n.max(0) as i32 * line_height(&l)).min(i16::MAX as i32) as u16;
    c.mem.write_u16(p.wrapping_add(ListType::BOUNDS + RectangleType::EXTENT_Y), h)?;
    done()
}

/// `void LstSetPosition(ListType *listP, Coord x, Coord y)`
fn lst_set_position(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let (x, y) = { let mut a = rest(c); (a.u16()?, a.u16()?) };
    c.mem.write_u16(p.wrapping_add(ListType::BOUNDS), x)?;
    c.mem.write_u16(p.wrapping_add(ListType::BOUNDS + 2), y)?;
    done()
}

/// `void LstSetTopItem(ListType *listP, Int16 itemNum)`
fn lst_set_top_item(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let item = rest(c).i16()?;
    let l = read_list(c.mem, p)?;
    let top = item.clamp(0, last_top(&l));
    c.mem.write_u16(p.wrapping_add(ListType::TOP_ITEM), top as u16)?;
    done()
}

/// `Int16 LstGetTopItem(const ListType *listP)`
fn lst_get_top_item(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let l = read_list(c.mem, p)?;
    ret_i16(c, l.top_item)
}

/// `void LstMakeItemVisible(ListType *listP, Int16 itemNum)`
fn lst_make_item_visible(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let item = rest(c).i16()?;
    let l = read_list(c.mem, p)?;
    if item >= 0 && item < l.num_items {
        c.mem.write_u16(p.wrapping_add(ListType::TOP_ITEM), top_showing(&l, item) as u16)?;
    }
    done()
}

/// `Int16 LstGetVisibleItems(const ListType *listP)`
fn lst_get_visible_items(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let l = read_list(c.mem, p)?;
    ret_i16(c, visible_items(&l))
}

/// `Boolean LstScrollList(ListType *listP, WinDirectionType direction, Int16 itemCount)`:
/// moves `topItem` up (`winUp`) or down; true if it moved. A visible list is redrawn.
fn lst_scroll_list(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let (dir, n) = { let mut a = rest(c); (a.u8()?, a.i16()?) };
    let l = read_list(c.mem, p)?;
    let max_top = last_top(&l);
    let top = match dir {
        WIN_UP => l.top_item.saturating_sub(n),
        WIN_DOWN => l.top_item.saturating_add(n),
        _ => l.top_item,
    }
    .clamp(0, max_top);
    let moved = top != l.top_item;
    if moved {
        c.mem.write_u16(p.wrapping_add(ListType::TOP_ITEM), top as u16)?;
        redraw(s, c.mem, p)?;
    }
    ret_i16(c, moved as i16)
}

/// `void LstSetDrawFunction(ListType *listP, ListDrawDataFuncPtr func)`: recorded; such lists
/// draw no item texts (see the module documentation).
fn lst_set_draw_function(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let p = list_or_fail!(c);
    let f = rest(c).ptr()?;
    c.mem.write_u32(p.wrapping_add(ListType::DRAW_ITEMS_CALLBACK), f)?;
    if f != 0 {
        log::warn!("LstSetDrawFunction: list draw callbacks are not called; items are drawn blank");
    }
    done()
}
