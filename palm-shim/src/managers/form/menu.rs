//! Menus: `'MBAR'` resources ([`MenuBarResource`]: parsing, writing, the host-side builder
//! for our own applications), the `MenuBarType` that `MenuInit` builds in the dynamic heap,
//! the active menu (an explicit `MenuSetActiveMenu`, else the active form's `menuRscId`), and
//! `MenuHandleEvent`.
//!
//! `MenuHandleEvent` opens the menu bar on the menu key (`vchrMenu`, with or without
//! `commandKeyMask`) or on a pen-down in the form's title area (where PalmOS's title tab sends
//! `vchrMenu`), draws the bar and the current menu over the screen (saved first), and from then
//! on consumes input itself, like a modal alert: a pen-down on a title switches menus, the pen
//! over an item highlights it, the pen coming up on an item chooses it, a tap outside or the
//! menu key again dismisses the menu, a key that is an item's shortcut letter chooses that item,
//! and an application event (`appStopEvent`, ...) dismisses it and stays queued. Until then the
//! trap **blocks** (`TrapOutcome::Block`, PC on the trap) and continues the same
//! [`MenuSession`] when it runs again. A chosen item restores the screen and queues
//! `menuEvent` with its ID; the trap returns true whenever it consumed the event.

use super::draw::{resource_data, screen_canvas, Canvas};
use super::{done, fatal, read_form, MAX_UI_TEXT};
use crate::dispatch::{HandlerResult, TrapCall, TrapOutcome};
use crate::graphics::{self as g, FontId, FrameType, Rect, TransferMode};
use crate::managers::event_mgr::Source;
use crate::managers::memory_mgr::DYNAMIC_HEAP_ID;
use crate::memory::{GuestMemory, MemError};
use crate::pdb::ResourceEntry;
use crate::Shim;
use palm_abi::menu_layout::*;
use palm_abi::ui_layout::*;

/// Most menus in a bar and items in a menu (bounds every walk over guest-written counts).
pub const MAX_MENUS: u16 = 16;
pub const MAX_ITEMS: u16 = 64;
/// Height of the menu bar (its bottom line included) and of one item.
pub const BAR_HEIGHT: i32 = 14;
const ITEM_HEIGHT: i32 = 11;
const SEPARATOR_HEIGHT: i32 = 5;
/// Space between titles in the bar, and around an item's text in a menu.
const TITLE_GAP: i32 = 10;
const ITEM_MARGIN: i32 = 6;

/// One menu item (`MenuItemType`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub id: u16,
    /// The shortcut letter (0 = none).
    pub command: u8,
    pub hidden: bool,
    pub text: Vec<u8>,
}

impl MenuItem {
    pub fn is_separator(&self) -> bool {
        self.text.first() == Some(&MENU_SEPARATOR_CHAR)
    }
}

/// One pull-down menu (`MenuPullDownType`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullDown {
    pub title: Vec<u8>,
    pub hidden: bool,
    pub items: Vec<MenuItem>,
}

/// A menu bar as an `'MBAR'` resource holds it (see `palm_abi::menu_layout`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MenuBarResource {
    pub menus: Vec<PullDown>,
}

/// Where menu structures are read from: a resource (pointers are offsets into it) or guest
/// memory (pointers are addresses).
trait MenuSource {
    fn u8_at(&self, at: u32) -> Result<u8, String>;
    fn u16_at(&self, at: u32) -> Result<u16, String> {
        Ok(u16::from_be_bytes([self.u8_at(at)?, self.u8_at(at.wrapping_add(1))?]))
    }
    fn u32_at(&self, at: u32) -> Result<u32, String> {
        Ok(((self.u16_at(at)? as u32) << 16) | self.u16_at(at.wrapping_add(2))? as u32)
    }
    fn cstr(&self, at: u32) -> Result<Vec<u8>, String>;
}

struct Bytes<'a>(&'a [u8]);

impl MenuSource for Bytes<'_> {
    fn u8_at(&self, at: u32) -> Result<u8, String> {
        self.0.get(at as usize).copied().ok_or_else(|| format!("offset {at} is past the end ({} bytes)", self.0.len()))
    }
    fn cstr(&self, at: u32) -> Result<Vec<u8>, String> {
        let rest = self.0.get(at as usize..).ok_or_else(|| format!("string offset {at} is past the end ({} bytes)", self.0.len()))?;
        let end = rest.iter().position(|&b| b == 0).ok_or_else(|| format!("string at offset {at} is not terminated"))?;
        Ok(rest[..end].to_vec())
    }
}

struct Guest<'a>(&'a dyn GuestMemory);

impl MenuSource for Guest<'_> {
    fn u8_at(&self, at: u32) -> Result<u8, String> {
        self.0.read_u8(at).map_err(|e| e.to_string())
    }
    fn cstr(&self, at: u32) -> Result<Vec<u8>, String> {
        if at == 0 {
            return Ok(Vec::new());
        }
        self.0.read_cstr(at, MAX_UI_TEXT).map_err(|e| e.to_string())
    }
}

impl MenuBarResource {
    /// A bar with no menus yet (see [`menu`](Self::menu), [`item`](Self::item)).
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a menu titled `title`.
    pub fn menu(mut self, title: &str) -> Self {
        self.menus.push(PullDown { title: title.as_bytes().to_vec(), hidden: false, items: Vec::new() });
        self
    }
    /// Adds an item to the last menu; `command` is its shortcut letter (0 = none).
    pub fn item(mut self, id: u16, text: &str, command: u8) -> Self {
        if let Some(m) = self.menus.last_mut() {
            m.items.push(MenuItem { id, command: command.to_ascii_uppercase(), hidden: false, text: text.as_bytes().to_vec() });
        }
        self
    }
    /// Adds a separator line to the last menu.
    pub fn separator(self) -> Self {
        self.item(0, "-", 0)
    }

    fn read(src: &dyn MenuSource, bar: u32) -> Result<Self, String> {
        let n = src.u16_at(bar + menu_bar::NUM_MENUS)?;
        if n > MAX_MENUS {
            return Err(format!("{n} menus (at most {MAX_MENUS})"));
        }
        let menus_at = src.u32_at(bar + menu_bar::MENUS)?;
        let mut menus = Vec::new();
        for i in 0..n as u32 {
            let m = menus_at.wrapping_add(i * pull_down::LEN);
            let attr = src.u16_at(m + pull_down::ATTR_NUM_ITEMS)?;
            let count = attr & pull_down::NUM_ITEMS_MASK;
            if count > MAX_ITEMS {
                return Err(format!("menu {i} has {count} items (at most {MAX_ITEMS})"));
            }
            let title = src.cstr(src.u32_at(m + pull_down::TITLE)?)?;
            let items_at = src.u32_at(m + pull_down::ITEMS)?;
            let mut items = Vec::new();
            for j in 0..count as u32 {
                let it = items_at.wrapping_add(j * menu_item::LEN);
                items.push(MenuItem {
                    id: src.u16_at(it + menu_item::ITEM_ID)?,
                    command: src.u8_at(it + menu_item::COMMAND)?,
                    hidden: src.u8_at(it + menu_item::ATTR)? & menu_item::HIDDEN != 0,
                    text: src.cstr(src.u32_at(it + menu_item::ITEM_STR)?)?,
                });
            }
            menus.push(PullDown { title, hidden: attr & pull_down::HIDDEN != 0, items });
        }
        Ok(Self { menus })
    }

    /// Parses an `'MBAR'` resource; the error names the fault.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        if bytes.len() < menu_bar::LEN as usize {
            return Err(format!("{} bytes, shorter than a MenuBarType ({})", bytes.len(), menu_bar::LEN));
        }
        Self::read(&Bytes(bytes), 0)
    }

    /// The structures laid out at `base`: the resource for `base` = 0, `MenuInit`'s chunk
    /// otherwise.
    fn layout(&self, base: u32) -> Vec<u8> {
        let n_items: usize = self.menus.iter().map(|m| m.items.len()).sum();
        let menus_at = menu_bar::LEN;
        let items_at = menus_at + self.menus.len() as u32 * pull_down::LEN;
        let mut strings_at = items_at + n_items as u32 * menu_item::LEN;
        let mut out = vec![0u8; strings_at as usize];
        let mut strings = Vec::new();
        let put_u16 = |out: &mut Vec<u8>, at: u32, v: u16| out[at as usize..at as usize + 2].copy_from_slice(&v.to_be_bytes());
        let put_u32 = |out: &mut Vec<u8>, at: u32, v: u32| out[at as usize..at as usize + 4].copy_from_slice(&v.to_be_bytes());
        let mut add_string = |strings: &mut Vec<u8>, text: &[u8]| {
            let at = strings_at;
            strings.extend_from_slice(text);
            strings.push(0);
            strings_at += text.len() as u32 + 1;
            at
        };
        put_u16(&mut out, menu_bar::CUR_MENU, NO_MENU_SELECTION as u16);
        put_u16(&mut out, menu_bar::CUR_ITEM, NO_MENU_SELECTION as u16);
        put_u16(&mut out, menu_bar::NUM_MENUS, self.menus.len() as u16);
        put_u32(&mut out, menu_bar::MENUS, base + menus_at);
        let mut item = items_at;
        for (i, m) in self.menus.iter().enumerate() {
            let p = menus_at + i as u32 * pull_down::LEN;
            let title = add_string(&mut strings, &m.title);
            put_u32(&mut out, p + pull_down::TITLE, base + title);
            put_u16(&mut out, p + pull_down::ATTR_NUM_ITEMS, (m.items.len() as u16 & pull_down::NUM_ITEMS_MASK) | if m.hidden { pull_down::HIDDEN } else { 0 });
            put_u32(&mut out, p + pull_down::ITEMS, if m.items.is_empty() { 0 } else { base + item });
            for it in &m.items {
                put_u16(&mut out, item + menu_item::ITEM_ID, it.id);
                out[(item + menu_item::COMMAND) as usize] = it.command;
                out[(item + menu_item::ATTR) as usize] = if it.hidden { menu_item::HIDDEN } else { 0 };
                let text = add_string(&mut strings, &it.text);
                put_u32(&mut out, item + menu_item::ITEM_STR, base + text);
                item += menu_item::LEN;
            }
        }
        out.extend_from_slice(&strings);
        if out.len() % 2 == 1 {
            out.push(0);
        }
        out
    }

    /// The `'MBAR'` resource bytes.
    pub fn build(&self) -> Vec<u8> {
        self.layout(0)
    }

    /// The resource entry with ID `id`.
    pub fn resource(&self, id: u16) -> ResourceEntry {
        ResourceEntry { kind: MENU_RSC_TYPE, id, data: self.build() }
    }

    /// The item whose shortcut is `chr` (case-insensitive) in a visible menu.
    fn shortcut(&self, chr: u16) -> Option<u16> {
        let c = u8::try_from(chr).ok()?.to_ascii_uppercase();
        if c == 0 {
            return None;
        }
        self.menus.iter().filter(|m| !m.hidden).flat_map(|m| &m.items).find(|i| !i.hidden && !i.is_separator() && i.command.to_ascii_uppercase() == c).map(|i| i.id)
    }
}

/// Reads the `MenuBarType` at `bar` from guest memory.
fn read_bar(mem: &dyn GuestMemory, bar: u32) -> Result<MenuBarResource, String> {
    MenuBarResource::read(&Guest(mem), bar)
}

/// The Menu Manager's host state.
#[derive(Debug, Clone, Default)]
pub struct MenuState {
    /// `MenuSetActiveMenu`'s bar (0: the active form's menu).
    explicit: u32,
    /// The bar loaded for a form's `menuRscId`: (form, resource ID, bar).
    form_bar: Option<(u32, u16, u32)>,
    /// The menu on the screen, while `MenuHandleEvent` blocks.
    pub(crate) session: Option<MenuSession>,
}

impl MenuState {
    /// Whether a menu is on the screen, waiting for input.
    pub fn showing(&self) -> bool {
        self.session.is_some()
    }
}

/// A menu bar on the screen (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuSession {
    bar: u32,
    model: MenuBarResource,
    /// Each visible menu's index in the model and its title's rectangle in the bar.
    titles: Vec<(usize, Rect)>,
    /// Index into `titles`.
    current: usize,
    /// The current menu's frame interior and its items' rows (model index, rectangle).
    pull_down: Rect,
    rows: Vec<(usize, Rect)>,
    highlighted: Option<usize>,
    /// An off-screen window holding the whole screen as it was.
    saved: u32,
    /// The pen went down outside the bar and the menu: dismiss when it comes up.
    dismiss_on_up: bool,
}

impl MenuSession {
    /// The item row (index into `rows`) containing display point (x, y).
    fn row_at(&self, x: i32, y: i32) -> Option<usize> {
        self.rows.iter().position(|(_, r)| r.contains(x, y))
    }
    fn title_at(&self, x: i32, y: i32) -> Option<usize> {
        self.titles.iter().position(|(_, r)| r.contains(x, y))
    }
    fn item(&self, row: usize) -> &MenuItem {
        let (m, _) = self.titles[self.current];
        &self.model.menus[m].items[self.rows[row].0]
    }
}

// ---- Loading ----------------------------------------------------------------------------------

/// Loads `'MBAR'` `id` into a new dynamic-heap chunk; its address, or an error naming the fault.
fn init_bar(s: &mut Shim, mem: &mut dyn GuestMemory, id: u16) -> Result<Result<u32, String>, MemError> {
    let Some((p, size)) = resource_data(s, mem, MENU_RSC_TYPE, id) else {
        return Ok(Err(format!("no 'MBAR' resource {id}")));
    };
    let bytes = mem.read_vec(p, size)?;
    let model = match MenuBarResource::parse(&bytes) {
        Ok(m) => m,
        Err(e) => return Ok(Err(format!("'MBAR' resource {id}: {e}"))),
    };
    let size = model.layout(0).len() as u32;
    let owner = s.memory.current_owner();
    let base = match s.memory.alloc_ptr(mem, DYNAMIC_HEAP_ID, size, owner) {
        Ok(b) => b,
        Err(e) => return Ok(Err(format!("no room for menu bar {id} ({size} bytes): {e}"))),
    };
    mem.write(base, &model.layout(base))?;
    Ok(Ok(base))
}

fn dispose_bar(s: &mut Shim, mem: &mut dyn GuestMemory, bar: u32) {
    if let Err(e) = s.memory.free_chunk(mem, bar) {
        log::warn!("MenuDispose: {bar:#010x}: {e}");
    }
}

/// The menu `MenuHandleEvent(NULL, ...)` works on: `MenuSetActiveMenu`'s, else the active
/// form's (loaded on first use, replaced when the active form or its `menuRscId` changes).
fn current_bar(s: &mut Shim, mem: &mut dyn GuestMemory) -> Result<Result<u32, String>, MemError> {
    if s.ui.forms.menu.explicit != 0 {
        return Ok(Ok(s.ui.forms.menu.explicit));
    }
    let form = s.ui.forms.active;
    let rsc = if s.ui.forms.is_form(form) { read_form(mem, form)?.menu_rsc_id } else { 0 };
    match s.ui.forms.menu.form_bar {
        Some((f, id, bar)) if f == form && id == rsc => return Ok(Ok(bar)),
        Some((_, _, bar)) => {
            s.ui.forms.menu.form_bar = None;
            dispose_bar(s, mem, bar);
        }
        None => {}
    }
    if rsc == 0 {
        return Ok(Ok(0));
    }
    let bar = match init_bar(s, mem, rsc)? {
        Ok(b) => b,
        Err(e) => return Ok(Err(e)),
    };
    s.ui.forms.menu.form_bar = Some((form, rsc, bar));
    Ok(Ok(bar))
}

/// The active form was deleted: drop the menu loaded for it.
pub(crate) fn form_deleted(s: &mut Shim, mem: &mut dyn GuestMemory, form: u32) {
    if let Some((f, _, bar)) = s.ui.forms.menu.form_bar {
        if f == form {
            s.ui.forms.menu.form_bar = None;
            dispose_bar(s, mem, bar);
        }
    }
}

// ---- Drawing ----------------------------------------------------------------------------------

/// Lays out menu `current` (an index into `titles`) of the session.
fn layout_pull_down(m: &mut MenuSession) {
    let (index, title) = m.titles[m.current];
    let std = g::font(FontId::Std);
    let menu = &m.model.menus[index];
    let shortcut_width = std.chars_width(b"/M") + ITEM_MARGIN;
    let width = menu
        .items
        .iter()
        .filter(|i| !i.hidden)
        .map(|i| std.chars_width(&i.text) + if i.command != 0 { shortcut_width } else { 0 })
        .max()
        .unwrap_or(0)
        + 2 * ITEM_MARGIN;
    let width = width.clamp(40, 156);
    let left = title.left.min(158 - width).max(2);
    let mut y = BAR_HEIGHT + 1;
    m.rows.clear();
    for (i, it) in menu.items.iter().enumerate().filter(|(_, i)| !i.hidden) {
        let h = if it.is_separator() { SEPARATOR_HEIGHT } else { ITEM_HEIGHT };
        m.rows.push((i, Rect::new(left, y, width, h)));
        y += h;
    }
    m.pull_down = Rect::new(left, BAR_HEIGHT + 1, width, (y - BAR_HEIGHT - 1).max(ITEM_HEIGHT));
    m.highlighted = None;
}

fn draw_row(cv: &Canvas, mem: &mut dyn GuestMemory, m: &MenuSession, row: usize, highlighted: bool) -> Result<(), MemError> {
    let st = cv.unclipped();
    let (_, r) = m.rows[row];
    let it = m.item(row);
    g::erase_rectangle(&cv.surface, mem, &st, &r, 0)?;
    if it.is_separator() {
        return g::draw_gray_line(&cv.surface, mem, &st, r.left, r.top + r.height / 2, r.left + r.width - 1, r.top + r.height / 2);
    }
    let std = g::font(FontId::Std);
    g::draw_chars(&cv.surface, mem, &st, FontId::Std, &it.text, r.left + ITEM_MARGIN, r.top)?;
    if it.command != 0 {
        let shortcut = [b'/', it.command];
        g::draw_chars(&cv.surface, mem, &st, FontId::Std, &shortcut, r.left + r.width - ITEM_MARGIN - std.chars_width(&shortcut), r.top)?;
    }
    if highlighted {
        g::invert_rectangle(&cv.surface, mem, &st, &r, 0)?;
    }
    Ok(())
}

/// Draws the bar and the current menu over the saved screen.
fn draw(s: &mut Shim, mem: &mut dyn GuestMemory, m: &MenuSession) -> Result<(), MemError> {
    let Some(cv) = screen_canvas(s, mem)? else { return Ok(()) };
    if let Some(saved) = Canvas::of_window(&s.ui.windows, mem, m.saved)? {
        g::copy_rectangle(&saved.surface, &cv.surface, mem, &cv.unclipped(), &saved.surface.bounds(), 0, 0, TransferMode::Paint)?;
    }
    let st = cv.unclipped();
    let width = cv.surface.bounds().width;
    g::erase_rectangle(&cv.surface, mem, &st, &Rect::new(0, 0, width, BAR_HEIGHT), 0)?;
    g::draw_line(&cv.surface, mem, &st, 0, BAR_HEIGHT - 1, width - 1, BAR_HEIGHT - 1)?;
    for (i, (index, r)) in m.titles.iter().enumerate() {
        let title = &m.model.menus[*index].title;
        if i == m.current {
            g::draw_rectangle(&cv.surface, mem, &st, r, 0)?;
            g::draw_inverted_chars(&cv.surface, mem, &st, FontId::Bold, title, r.left + TITLE_GAP / 2, r.top + 1)?;
        } else {
            g::draw_chars(&cv.surface, mem, &st, FontId::Bold, title, r.left + TITLE_GAP / 2, r.top + 1)?;
        }
    }
    g::erase_rectangle(&cv.surface, mem, &st, &m.pull_down, 0)?;
    g::draw_rectangle_frame(&cv.surface, mem, &st, FrameType::MENU, &m.pull_down)?;
    for row in 0..m.rows.len() {
        draw_row(&cv, mem, m, row, m.highlighted == Some(row))?;
    }
    Ok(())
}

/// Saves the screen and draws the bar with its first (or last used) menu.
fn open(s: &mut Shim, mem: &mut dyn GuestMemory, bar: u32, model: MenuBarResource) -> Result<Option<MenuSession>, MemError> {
    let Some(cv) = screen_canvas(s, mem)? else { return Ok(None) };
    let bold = g::font(FontId::Bold);
    let mut titles = Vec::new();
    let mut x = 2;
    for (i, m) in model.menus.iter().enumerate().filter(|(_, m)| !m.hidden) {
        let w = bold.chars_width(&m.title) + TITLE_GAP;
        titles.push((i, Rect::new(x, 0, w, BAR_HEIGHT - 1)));
        x += w;
    }
    if titles.is_empty() {
        return Ok(None);
    }
    let screen = cv.surface.bounds();
    let saved = super::draw::save_bits(s, mem, &cv, &screen)?;
    let last = mem.read_u16(bar + menu_bar::CUR_MENU)? as i16;
    let current = titles.iter().position(|(i, _)| *i as i16 == last).unwrap_or(0);
    let mut m = MenuSession {
        bar,
        model,
        titles,
        current,
        pull_down: Rect::new(0, 0, 0, 0),
        rows: Vec::new(),
        highlighted: None,
        saved,
        dismiss_on_up: false,
    };
    layout_pull_down(&mut m);
    mem.write_u16(bar + menu_bar::ATTR, menu_bar::ATTR_VISIBLE)?;
    draw(s, mem, &m)?;
    Ok(Some(m))
}

/// Restores the screen; records the menu last used and the item chosen in the bar.
fn close(s: &mut Shim, mem: &mut dyn GuestMemory, m: &MenuSession, chosen: Option<usize>) -> Result<(), MemError> {
    if m.saved != 0 {
        if let Some(cv) = screen_canvas(s, mem)? {
            super::draw::restore_bits(s, mem, &cv, m.saved, 0, 0)?;
        }
    }
    mem.write_u16(m.bar + menu_bar::ATTR, 0)?;
    mem.write_u16(m.bar + menu_bar::CUR_MENU, m.titles[m.current].0 as u16)?;
    let item = chosen.map_or(NO_MENU_SELECTION as u16, |row| m.rows[row].0 as u16);
    mem.write_u16(m.bar + menu_bar::CUR_ITEM, item)?;
    Ok(())
}

// ---- Input ------------------------------------------------------------------------------------

/// What the menu made of the queued input.
enum Outcome {
    Waiting,
    Dismissed,
    Chosen(u16, Option<usize>),
}

fn is_menu_key(e: &EventType) -> bool {
    e.e_type == KEY_DOWN_EVENT && e.u16_at(event_data::key_down::CHR) == VCHR_MENU
}

/// Consumes queued input for the open menu.
fn consume_input(s: &mut Shim, mem: &mut dyn GuestMemory, m: &mut MenuSession) -> Result<Outcome, MemError> {
    while let Some((e, from)) = s.ui.events.peek() {
        if from == Source::App {
            // Leave it for the application.
            return Ok(Outcome::Dismissed);
        }
        s.ui.events.pop(from);
        let (x, y) = (e.screen_x as i32, e.screen_y as i32);
        match e.e_type {
            PEN_DOWN_EVENT | PEN_MOVE_EVENT => {
                if e.e_type == PEN_DOWN_EVENT {
                    m.dismiss_on_up = false;
                    if let Some(t) = m.title_at(x, y) {
                        if t != m.current {
                            m.current = t;
                            layout_pull_down(m);
                            draw(s, mem, m)?;
                        }
                        continue;
                    }
                    if !m.pull_down.contains(x, y) {
                        m.dismiss_on_up = true;
                        continue;
                    }
                }
                let row = m.row_at(x, y).filter(|&r| !m.item(r).is_separator());
                if row != m.highlighted {
                    if let Some(cv) = screen_canvas(s, mem)? {
                        if let Some(old) = m.highlighted {
                            draw_row(&cv, mem, m, old, false)?;
                        }
                        if let Some(new) = row {
                            draw_row(&cv, mem, m, new, true)?;
                        }
                    }
                    m.highlighted = row;
                }
            }
            PEN_UP_EVENT => {
                let (ex, ey) = (e.u16_at(event_data::pen_up::END_X) as i16 as i32, e.u16_at(event_data::pen_up::END_Y) as i16 as i32);
                if m.dismiss_on_up {
                    return Ok(Outcome::Dismissed);
                }
                if let Some(row) = m.row_at(ex, ey).filter(|&r| !m.item(r).is_separator()) {
                    return Ok(Outcome::Chosen(m.item(row).id, Some(row)));
                }
            }
            KEY_DOWN_EVENT => {
                if is_menu_key(&e) {
                    return Ok(Outcome::Dismissed);
                }
                if let Some(id) = m.model.shortcut(e.u16_at(event_data::key_down::CHR)) {
                    return Ok(Outcome::Chosen(id, None));
                }
            }
            _ => {}
        }
    }
    Ok(Outcome::Waiting)
}

/// Whether `e` opens the menu: the menu key, or a pen-down in the active form's title.
fn opens_menu(s: &Shim, mem: &dyn GuestMemory, e: &EventType) -> Result<bool, MemError> {
    if is_menu_key(e) {
        return Ok(true);
    }
    if e.e_type != PEN_DOWN_EVENT {
        return Ok(false);
    }
    let form = s.ui.forms.active;
    if !s.ui.forms.is_form(form) {
        return Ok(false);
    }
    let f = read_form(mem, form)?;
    let b = f.window.bounds;
    // The event is in the form's window coordinates.
    Ok(f.window.flags & WIN_FLAG_MODAL == 0 && e.screen_y >= 0 && (e.screen_y as i32) < super::draw::TITLE_HEIGHT && e.screen_x >= 0 && e.screen_x < b.width)
}

// ---- Traps ------------------------------------------------------------------------------------

/// `Boolean MenuHandleEvent(MenuBarType *menuP, EventType *event, UInt16 *error)` (see the
/// module documentation). `menuP` NULL means the current menu.
pub(crate) fn menu_handle_event(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let (menu_p, event_p, error_p) = { let mut a = c.args(); (a.ptr()?, a.ptr()?, a.ptr()?) };
    if error_p != 0 {
        c.mem.write_u16(error_p, 0)?;
    }
    let mut session = match s.ui.forms.menu.session.take() {
        Some(m) => m,
        None => {
            if event_p == 0 {
                c.ret(0);
                return done();
            }
            let e = super::read_event(c.mem, event_p)?;
            if !opens_menu(s, c.mem, &e)? {
                c.ret(0);
                return done();
            }
            let bar = if menu_p != 0 {
                menu_p
            } else {
                match current_bar(s, c.mem)? {
                    Ok(b) => b,
                    Err(msg) => return fatal(c, "Menu.c", msg),
                }
            };
            if bar == 0 {
                c.ret(0);
                return done();
            }
            let model = match read_bar(c.mem, bar) {
                Ok(m) => m,
                Err(msg) => return fatal(c, "Menu.c", format!("menu bar {bar:#010x}: {msg}")),
            };
            match open(s, c.mem, bar, model)? {
                Some(m) => m,
                None => {
                    c.ret(0);
                    return done();
                }
            }
        }
    };
    match consume_input(s, c.mem, &mut session)? {
        Outcome::Waiting => {
            s.ui.forms.menu.session = Some(session);
            Ok(TrapOutcome::Block)
        }
        Outcome::Dismissed => {
            close(s, c.mem, &session, None)?;
            c.ret(1);
            done()
        }
        Outcome::Chosen(id, row) => {
            close(s, c.mem, &session, row)?;
            let mut e = EventType::new(MENU_EVENT);
            e.set_u16(event_data::menu::ITEM_ID, id);
            super::post(s, e);
            c.ret(1);
            done()
        }
    }
}

/// `MenuBarType *MenuInit(UInt16 resourceId)`: a missing or malformed resource is fatal.
pub(crate) fn menu_init(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    match init_bar(s, c.mem, id)? {
        Ok(bar) => {
            c.ret_ptr(bar);
            done()
        }
        Err(msg) => fatal(c, "Menu.c", msg),
    }
}

/// `void MenuDispose(MenuBarType *menuP)`
pub(crate) fn menu_dispose(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let bar = c.args().ptr()?;
    if bar == 0 {
        return done();
    }
    if s.ui.forms.menu.explicit == bar {
        s.ui.forms.menu.explicit = 0;
    }
    if s.ui.forms.menu.form_bar.is_some_and(|(_, _, b)| b == bar) {
        s.ui.forms.menu.form_bar = None;
    }
    dispose_bar(s, c.mem, bar);
    done()
}

/// `MenuBarType *MenuGetActiveMenu(void)`
pub(crate) fn menu_get_active_menu(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let bar = match current_bar(s, c.mem)? {
        Ok(b) => b,
        Err(msg) => return fatal(c, "Menu.c", msg),
    };
    c.ret_ptr(bar);
    done()
}

/// `MenuBarType *MenuSetActiveMenu(MenuBarType *menuP)`: the previous explicit menu.
pub(crate) fn menu_set_active_menu(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let bar = c.args().ptr()?;
    let old = std::mem::replace(&mut s.ui.forms.menu.explicit, bar);
    c.ret_ptr(old);
    done()
}

/// `void MenuSetActiveMenuRscID(UInt16 resourceId)`: the active form's menu becomes it.
pub(crate) fn menu_set_active_menu_rsc_id(s: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let id = c.args().u16()?;
    let form = s.ui.forms.active;
    if s.ui.forms.is_form(form) {
        c.mem.write_u16(form.wrapping_add(FormType::MENU_RSC_ID), id)?;
    }
    s.ui.forms.menu.explicit = 0;
    done()
}

/// `void MenuDrawMenu(MenuBarType *menuP)`, `MenuEraseStatus`, `MenuEraseMenu`: the bar is
/// only ever drawn by `MenuHandleEvent` while it has the input, and gone when it returns, so
/// there is nothing to draw or erase between events.
pub(crate) fn menu_nothing_to_draw(_: &mut Shim, c: &mut TrapCall<'_>) -> HandlerResult {
    let _ = c;
    done()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> MenuBarResource {
        MenuBarResource::new()
            .menu("Record")
            .item(1001, "New", b'n')
            .item(1002, "Delete...", b'd')
            .separator()
            .item(1003, "Beam", 0)
            .menu("Options")
            .item(2001, "About", 0)
    }

    #[test]
    fn resources_round_trip_and_offsets_point_inside() {
        let m = sample();
        let bytes = m.build();
        assert_eq!(MenuBarResource::parse(&bytes).unwrap(), m);
        assert_eq!(u16::from_be_bytes([bytes[26], bytes[27]]), 2);
        assert_eq!(u32::from_be_bytes(bytes[28..32].try_into().unwrap()), menu_bar::LEN);
        // Relocated copies read back the same from "guest memory" at any base.
        for base in [0x1000u32, 0x0012_3456] {
            let laid = m.layout(base);
            assert_eq!(laid.len(), bytes.len());
            let first_items = u32::from_be_bytes(laid[(32 + pull_down::ITEMS) as usize..][..4].try_into().unwrap());
            assert_eq!(first_items, base + 32 + 2 * pull_down::LEN);
        }
        assert_eq!(m.shortcut(b'd' as u16), Some(1002));
        assert_eq!(m.shortcut(b'N' as u16), Some(1001));
        assert_eq!(m.shortcut(b'x' as u16), None);
        assert_eq!(m.shortcut(0x0105), None);
    }

    #[test]
    fn malformed_resources_are_refused_with_the_fault() {
        let bytes = sample().build();
        assert!(MenuBarResource::parse(&bytes[..20]).unwrap_err().contains("shorter"));
        assert!(MenuBarResource::parse(&bytes[..40]).is_err());
        let mut huge = bytes.clone();
        huge[26..28].copy_from_slice(&500u16.to_be_bytes());
        assert!(MenuBarResource::parse(&huge).unwrap_err().contains("500 menus"));
        let mut unterminated = bytes.clone();
        let n = unterminated.len();
        unterminated[n - 2..].fill(b'x');
        assert!(MenuBarResource::parse(&unterminated).unwrap_err().contains("not terminated"));
        let mut wild = bytes;
        wild[28..32].copy_from_slice(&0xFFFF_0000u32.to_be_bytes());
        assert!(MenuBarResource::parse(&wild).unwrap_err().contains("past the end"));
    }
}
