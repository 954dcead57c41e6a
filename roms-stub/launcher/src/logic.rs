//! The app manager's pure logic, plain Rust (unit-tested natively): the layout constants, the
//! order of the names, paging, hit-testing cells and arrows, and the pen tracking that
//! highlights a cell while the pen is down on it and launches on pen-up in the same cell.

use alloc::vec::Vec;
use core::cmp::Ordering;
use guest_sdk::palm_abi::ui_layout::RectangleType;

/// The title, drawn inverted in bold on a black tab as PalmOS form titles are.
pub const TITLE: &[u8] = b"Applications";
/// Shown instead of the grid when the card holds no application.
pub const NO_APPS: &[u8] = b"No applications";
/// Height of the title tab and the y of the line under it.
pub const TITLE_HEIGHT: i16 = 12;
/// The grid: [`COLUMNS`] x [`ROWS`] cells of [`CELL_WIDTH`] x [`CELL_HEIGHT`] from
/// ([`GRID_LEFT`], [`GRID_TOP`]); a page shows [`PAGE`] applications.
pub const COLUMNS: usize = 4;
pub const ROWS: usize = 3;
pub const PAGE: usize = COLUMNS * ROWS;
pub const GRID_LEFT: i16 = 0;
pub const GRID_TOP: i16 = 14;
pub const CELL_WIDTH: i16 = 40;
pub const CELL_HEIGHT: i16 = 42;
/// Icons are 32 x 22 (larger bitmaps are clipped to the cell); the icon's top is
/// [`ICON_TOP`] below the cell's, the name's top [`NAME_TOP`] below it.
pub const ICON_WIDTH: i16 = 32;
pub const ICON_HEIGHT: i16 = 22;
pub const ICON_TOP: i16 = 2;
pub const NAME_TOP: i16 = 26;
/// The scroll arrows (bottom right): pen down inside scrolls a page.
pub const SCROLL_UP: RectangleType = RectangleType::new(130, 146, 13, 12);
pub const SCROLL_DOWN: RectangleType = RectangleType::new(145, 146, 13, 12);
/// The position line at the bottom left ("1-12 of 20").
pub const STATUS_X: i16 = 2;
pub const STATUS_Y: i16 = 147;
/// At most this many applications are listed.
pub const MAX_APPS: usize = 256;

/// `vchrPageUp`, `vchrPageDown` (with `commandKeyMask`), `chrUpArrow`, `chrDownArrow`.
pub const VCHR_PAGE_UP: u16 = 0x000B;
pub const VCHR_PAGE_DOWN: u16 = 0x000C;
pub const CHR_UP_ARROW: u16 = 0x001E;
pub const CHR_DOWN_ARROW: u16 = 0x001F;

/// The top left corner of the cell in `slot` (0..[`PAGE`]) of the page.
pub const fn cell_origin(slot: usize) -> (i16, i16) {
    (GRID_LEFT + (slot % COLUMNS) as i16 * CELL_WIDTH, GRID_TOP + (slot / COLUMNS) as i16 * CELL_HEIGHT)
}

/// The whole cell in `slot` (what is inverted while the pen is down on it).
pub const fn cell_rect(slot: usize) -> RectangleType {
    let (x, y) = cell_origin(slot);
    RectangleType::new(x, y, CELL_WIDTH, CELL_HEIGHT)
}

/// The centre of the icon in `slot` (where a tap launches the application).
pub const fn icon_centre(slot: usize) -> (i16, i16) {
    let (x, y) = cell_origin(slot);
    (x + CELL_WIDTH / 2, y + ICON_TOP + ICON_HEIGHT / 2)
}

/// Case-insensitive (ASCII) order of `(name, dbID)`, then dbID for equal names.
pub fn by_name(a: (&[u8], u32), b: (&[u8], u32)) -> Ordering {
    let lower = |s: &[u8]| s.iter().map(|c| c.to_ascii_lowercase()).collect::<Vec<u8>>();
    lower(a.0).cmp(&lower(b.0)).then(a.1.cmp(&b.1))
}

/// Sorts `items` by [`by_name`] of what `key` gives.
pub fn sort_by_name<T>(items: &mut [T], key: impl Fn(&T) -> (&[u8], u32)) {
    items.sort_by(|a, b| by_name(key(a), key(b)));
}

/// The first index of a page showing `first` (a remembered page start) among `count`
/// applications: a multiple of [`PAGE`], on the last page at most (0 with none).
pub fn page_start(first: usize, count: usize) -> usize {
    let last_page = count.saturating_sub(1) / PAGE * PAGE;
    (first / PAGE * PAGE).min(last_page)
}

/// One past the last index shown on the page starting at `first`.
pub fn page_end(first: usize, count: usize) -> usize {
    (first + PAGE).min(count)
}

pub fn can_scroll_up(first: usize) -> bool {
    first > 0
}

pub fn can_scroll_down(first: usize, count: usize) -> bool {
    first + PAGE < count
}

/// The page start after scrolling a page down or up (unchanged at either end).
pub fn scroll(first: usize, count: usize, down: bool) -> usize {
    if down && can_scroll_down(first, count) {
        first + PAGE
    } else if !down && can_scroll_up(first) {
        first - PAGE
    } else {
        first
    }
}

/// The position line: "1-12 of 20".
pub fn status_text(first: usize, count: usize) -> Vec<u8> {
    alloc::format!("{}-{} of {}", first + 1, page_end(first, count), count).into_bytes()
}

/// What a key scrolls: `Some(true)` down, `Some(false)` up.
pub fn key_scroll(chr: u16, command: bool) -> Option<bool> {
    match (chr, command) {
        (VCHR_PAGE_UP, true) | (CHR_UP_ARROW, _) => Some(false),
        (VCHR_PAGE_DOWN, true) | (CHR_DOWN_ARROW, _) => Some(true),
        _ => None,
    }
}

/// What a pen position hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// The application with this index (in the whole list).
    App(usize),
    ScrollUp,
    ScrollDown,
    Nothing,
}

pub fn contains(r: &RectangleType, x: i16, y: i16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}

/// What `(x, y)` hits on the page starting at `first` among `count` applications. The arrows
/// are hit whether drawn or not (scrolling past either end does nothing).
pub fn hit(x: i16, y: i16, first: usize, count: usize) -> Hit {
    if contains(&SCROLL_UP, x, y) {
        return Hit::ScrollUp;
    }
    if contains(&SCROLL_DOWN, x, y) {
        return Hit::ScrollDown;
    }
    if x < GRID_LEFT || y < GRID_TOP {
        return Hit::Nothing;
    }
    let (col, row) = (((x - GRID_LEFT) / CELL_WIDTH) as usize, ((y - GRID_TOP) / CELL_HEIGHT) as usize);
    if col >= COLUMNS || row >= ROWS {
        return Hit::Nothing;
    }
    let index = first + row * COLUMNS + col;
    if index < count {
        Hit::App(index)
    } else {
        Hit::Nothing
    }
}

/// What the app manager does in answer to the pen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Invert the cell of this application (it is highlighted or un-highlighted).
    Invert(usize),
    Scroll { down: bool },
    Launch(usize),
}

/// The pen between pen-down and pen-up: a cell is highlighted while the pen is on the cell it
/// went down on, and pen-up there launches its application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PenTracker {
    pressed: Hit,
    highlighted: bool,
}

impl Default for PenTracker {
    fn default() -> Self {
        PenTracker { pressed: Hit::Nothing, highlighted: false }
    }
}

impl PenTracker {
    /// The application whose cell is highlighted now.
    pub fn highlighted(&self) -> Option<usize> {
        match self.pressed {
            Hit::App(i) if self.highlighted => Some(i),
            _ => None,
        }
    }

    /// Pen down on `hit`. (A pen-down without the previous pen-up first ends that press.)
    pub fn pen_down(&mut self, hit: Hit) -> Vec<Action> {
        let mut actions = self.cancel();
        self.pressed = hit;
        match hit {
            Hit::App(i) => {
                self.highlighted = true;
                actions.push(Action::Invert(i));
            }
            Hit::ScrollUp => actions.push(Action::Scroll { down: false }),
            Hit::ScrollDown => actions.push(Action::Scroll { down: true }),
            Hit::Nothing => {}
        }
        actions
    }

    /// The pen moved (still down) onto `hit`.
    pub fn pen_move(&mut self, hit: Hit) -> Vec<Action> {
        let mut actions = Vec::new();
        if let Hit::App(i) = self.pressed {
            let on = hit == self.pressed;
            if on != self.highlighted {
                self.highlighted = on;
                actions.push(Action::Invert(i));
            }
        }
        actions
    }

    /// The pen went up on `hit`: un-highlight, and launch if it is the cell it went down on.
    pub fn pen_up(&mut self, hit: Hit) -> Vec<Action> {
        let pressed = self.pressed;
        let mut actions = self.cancel();
        if let Hit::App(i) = pressed {
            if hit == pressed {
                actions.push(Action::Launch(i));
            }
        }
        actions
    }

    /// Forgets the press (the page is redrawn, say); un-highlights if needed.
    pub fn cancel(&mut self) -> Vec<Action> {
        let actions = self.highlighted().map(Action::Invert).into_iter().collect();
        *self = PenTracker::default();
        actions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn the_grid_geometry_is_unchanged() {
        assert_eq!(cell_origin(0), (0, 14));
        assert_eq!(cell_origin(3), (120, 14));
        assert_eq!(cell_origin(4), (0, 56));
        assert_eq!(cell_origin(11), (120, 98));
        assert_eq!(icon_centre(0), (20, 27));
        assert_eq!(icon_centre(5), (60, 69));
        assert_eq!(cell_rect(6), RectangleType::new(80, 56, 40, 42));
        // The grid stays above the status line and the arrows.
        let (x, y) = cell_origin(PAGE - 1);
        assert_eq!((x + CELL_WIDTH, y + CELL_HEIGHT), (160, 140));
        assert_eq!((SCROLL_UP.y, SCROLL_DOWN.y, STATUS_Y), (146, 146, 147));
    }

    #[test]
    fn names_sort_case_insensitively_then_by_id() {
        let mut v: Vec<(&[u8], u32)> = vec![(b"memos", 3), (b"Counter", 9), (b"apple", 7), (b"Memos", 1), (b"Zeta", 2)];
        sort_by_name(&mut v, |e| *e);
        assert_eq!(v, [(&b"apple"[..], 7), (b"Counter", 9), (b"Memos", 1), (b"memos", 3), (b"Zeta", 2)]);
        assert_eq!(by_name((b"B", 1), (b"a", 2)), Ordering::Greater);
        assert_eq!(by_name((b"ab", 1), (b"AB", 1)), Ordering::Equal);
        assert_eq!(by_name((b"a", 1), (b"ab", 0)), Ordering::Less);
    }

    #[test]
    fn paging() {
        assert_eq!(page_start(0, 0), 0);
        assert_eq!(page_start(12, 20), 12);
        assert_eq!(page_start(13, 20), 12);
        assert_eq!(page_start(24, 20), 12, "a remembered page past the end: the last page");
        assert_eq!(page_start(12, 12), 0);
        assert_eq!(page_start(12, 5), 0);
        assert_eq!(page_start(36, 40), 36);
        assert_eq!(page_end(0, 20), 12);
        assert_eq!(page_end(12, 20), 20);
        assert_eq!(page_end(0, 3), 3);
        assert!(!can_scroll_up(0) && can_scroll_up(12));
        assert!(can_scroll_down(0, 13) && !can_scroll_down(0, 12) && !can_scroll_down(12, 20));
        assert_eq!(scroll(0, 20, true), 12);
        assert_eq!(scroll(12, 20, true), 12);
        assert_eq!(scroll(12, 20, false), 0);
        assert_eq!(scroll(0, 20, false), 0);
        assert_eq!(scroll(0, 5, true), 0);
        assert_eq!(status_text(0, 20), b"1-12 of 20");
        assert_eq!(status_text(12, 20), b"13-20 of 20");
        assert_eq!(status_text(0, 1), b"1-1 of 1");
    }

    #[test]
    fn keys_scroll() {
        assert_eq!(key_scroll(VCHR_PAGE_DOWN, true), Some(true));
        assert_eq!(key_scroll(VCHR_PAGE_UP, true), Some(false));
        assert_eq!(key_scroll(VCHR_PAGE_DOWN, false), None, "0x0C without commandKeyMask is a form feed");
        assert_eq!(key_scroll(CHR_DOWN_ARROW, false), Some(true));
        assert_eq!(key_scroll(CHR_UP_ARROW, true), Some(false));
        assert_eq!(key_scroll(b'a' as u16, false), None);
        assert_eq!(key_scroll(0x0108, true), None, "vchrLaunch");
    }

    #[test]
    fn hit_testing_cells_and_arrows() {
        assert_eq!(hit(20, 27, 0, 3), Hit::App(0));
        assert_eq!(hit(0, 14, 0, 3), Hit::App(0));
        assert_eq!(hit(39, 55, 0, 3), Hit::App(0));
        assert_eq!(hit(40, 55, 0, 3), Hit::App(1));
        assert_eq!(hit(39, 56, 0, 20), Hit::App(4));
        assert_eq!(hit(159, 139, 0, 20), Hit::App(11));
        assert_eq!(hit(159, 139, 12, 20), Hit::Nothing, "beyond the last application");
        assert_eq!(hit(60, 69, 12, 20), Hit::App(17));
        assert_eq!(hit(140, 27, 0, 3), Hit::Nothing, "an empty cell");
        assert_eq!(hit(20, 13, 0, 3), Hit::Nothing, "the title");
        assert_eq!(hit(20, 140, 0, 20), Hit::Nothing, "below the grid");
        assert_eq!(hit(-1, 20, 0, 3), Hit::Nothing);
        assert_eq!(hit(130, 146, 0, 20), Hit::ScrollUp);
        assert_eq!(hit(142, 157, 0, 20), Hit::ScrollUp);
        assert_eq!(hit(143, 150, 0, 20), Hit::Nothing, "between the arrows");
        assert_eq!(hit(151, 152, 0, 20), Hit::ScrollDown);
        assert_eq!(hit(158, 152, 0, 20), Hit::Nothing);
        assert_eq!(hit(20, 27, 0, 0), Hit::Nothing, "no applications");
    }

    #[test]
    fn the_pen_highlights_while_on_its_cell_and_launches_on_pen_up_there() {
        let mut t = PenTracker::default();
        assert_eq!(t.pen_down(Hit::App(2)), [Action::Invert(2)]);
        assert_eq!(t.highlighted(), Some(2));
        assert_eq!(t.pen_move(Hit::App(2)), []);
        assert_eq!(t.pen_move(Hit::App(3)), [Action::Invert(2)], "off the cell: un-highlighted");
        assert_eq!(t.highlighted(), None);
        assert_eq!(t.pen_move(Hit::Nothing), []);
        assert_eq!(t.pen_move(Hit::App(2)), [Action::Invert(2)], "back on: highlighted again");
        assert_eq!(t.pen_up(Hit::App(2)), [Action::Invert(2), Action::Launch(2)]);
        assert_eq!(t, PenTracker::default());

        // Up elsewhere: no launch, and nothing to un-highlight.
        t.pen_down(Hit::App(0));
        t.pen_move(Hit::App(1));
        assert_eq!(t.pen_up(Hit::App(1)), []);
        // Up elsewhere straight from the cell (no move event): un-highlighted, no launch.
        t.pen_down(Hit::App(0));
        assert_eq!(t.pen_up(Hit::Nothing), [Action::Invert(0)]);
        // Moving onto the cell it did not go down on does nothing.
        t.pen_down(Hit::Nothing);
        assert_eq!(t.pen_move(Hit::App(0)), []);
        assert_eq!(t.pen_up(Hit::App(0)), []);
        // Pen-up without pen-down (it went down in the application before).
        assert_eq!(PenTracker::default().pen_up(Hit::App(4)), []);
    }

    #[test]
    fn the_arrows_scroll_on_pen_down() {
        let mut t = PenTracker::default();
        assert_eq!(t.pen_down(Hit::ScrollDown), [Action::Scroll { down: true }]);
        assert_eq!(t.pen_move(Hit::App(0)), []);
        assert_eq!(t.pen_up(Hit::ScrollDown), []);
        assert_eq!(t.pen_down(Hit::ScrollUp), [Action::Scroll { down: false }]);
        assert_eq!(t.pen_up(Hit::Nothing), []);
    }

    #[test]
    fn a_second_pen_down_or_a_cancel_ends_the_press() {
        let mut t = PenTracker::default();
        t.pen_down(Hit::App(1));
        assert_eq!(t.pen_down(Hit::App(5)), [Action::Invert(1), Action::Invert(5)]);
        assert_eq!(t.cancel(), [Action::Invert(5)]);
        assert_eq!(t.pen_up(Hit::App(5)), [], "cancelled: no launch");
        t.pen_down(Hit::App(1));
        t.pen_move(Hit::Nothing);
        assert_eq!(t.cancel(), [], "not highlighted");
    }
}
