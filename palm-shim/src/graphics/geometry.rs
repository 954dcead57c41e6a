//! Rectangles in surface pixel coordinates and the clipping arithmetic every primitive uses.
//!
//! PalmOS passes `RectangleType` (`topLeft.x, topLeft.y, extent.x, extent.y`, all `Int16`);
//! [`Rect`] holds the same four numbers as `i32` so that offsets, frame widths and huge or
//! negative guest values never overflow. Edges are computed in `i64`, and every intersection
//! lies inside both operands, so clipped rectangles always fit the surface.

/// An axis-aligned rectangle: `left`/`top` inclusive, `width`/`height` in pixels. A rectangle
/// with a width or height `<= 0` is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct Rect {
    pub left: i32,
    pub top: i32,
    pub width: i32,
    pub height: i32,
}

impl Rect {
    /// A rectangle covering about ±2^30 in both directions, far beyond any surface: the
    /// "no clipping" clip (clips are always intersected with the surface bounds).
    pub const UNBOUNDED: Rect = Rect { left: i32::MIN / 2, top: i32::MIN / 2, width: i32::MAX, height: i32::MAX };

    pub const fn new(left: i32, top: i32, width: i32, height: i32) -> Self {
        Rect { left, top, width, height }
    }

    /// From a PalmOS `RectangleType` (`topLeft`, `extent`).
    pub const fn from_palm(x: i16, y: i16, extent_x: i16, extent_y: i16) -> Self {
        Rect { left: x as i32, top: y as i32, width: extent_x as i32, height: extent_y as i32 }
    }

    /// From inclusive-left/top and exclusive-right/bottom edges, clamped into `i32`.
    pub fn from_edges(left: i64, top: i64, right: i64, bottom: i64) -> Self {
        let clamp = |v: i64| v.clamp(i32::MIN as i64, i32::MAX as i64);
        let (l, t) = (clamp(left), clamp(top));
        Rect { left: l as i32, top: t as i32, width: clamp((right - l).max(0)) as i32, height: clamp((bottom - t).max(0)) as i32 }
    }

    /// Exclusive right edge.
    pub const fn right(&self) -> i64 {
        self.left as i64 + self.width as i64
    }

    /// Exclusive bottom edge.
    pub const fn bottom(&self) -> i64 {
        self.top as i64 + self.height as i64
    }

    pub const fn is_empty(&self) -> bool {
        self.width <= 0 || self.height <= 0
    }

    pub fn contains(&self, x: i32, y: i32) -> bool {
        !self.is_empty()
            && x >= self.left
            && (x as i64) < self.right()
            && y >= self.top
            && (y as i64) < self.bottom()
    }

    /// The overlap of two rectangles (empty, at the origin, if they do not overlap).
    pub fn intersect(&self, other: &Rect) -> Rect {
        if self.is_empty() || other.is_empty() {
            return Rect::default();
        }
        let l = (self.left as i64).max(other.left as i64);
        let t = (self.top as i64).max(other.top as i64);
        let r = self.right().min(other.right());
        let b = self.bottom().min(other.bottom());
        if r <= l || b <= t {
            return Rect::default();
        }
        Rect::from_edges(l, t, r, b)
    }

    /// Grows the rectangle by `d` pixels on every side (shrinks for negative `d`), saturating.
    pub fn expand(&self, d: i32) -> Rect {
        let d = d as i64;
        Rect::from_edges(self.left as i64 - d, self.top as i64 - d, self.right() + d, self.bottom() + d)
    }

    /// Moves the rectangle by `(dx, dy)`, saturating.
    pub fn offset(&self, dx: i32, dy: i32) -> Rect {
        Rect::from_edges(
            self.left as i64 + dx as i64,
            self.top as i64 + dy as i64,
            self.right() + dx as i64,
            self.bottom() + dy as i64,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersect_and_contains() {
        let a = Rect::new(0, 0, 10, 10);
        let b = Rect::new(5, -3, 10, 5);
        assert_eq!(a.intersect(&b), Rect::new(5, 0, 5, 2));
        assert!(a.intersect(&Rect::new(10, 0, 5, 5)).is_empty());
        assert!(a.contains(9, 9) && !a.contains(10, 9) && !a.contains(-1, 0));
        assert_eq!(Rect::UNBOUNDED.intersect(&a), a);
    }

    #[test]
    fn extreme_values_saturate() {
        let r = Rect::new(i32::MAX, i32::MAX, i32::MAX, i32::MAX);
        assert!(r.intersect(&Rect::new(0, 0, 160, 160)).is_empty());
        let big = Rect::new(i32::MIN, i32::MIN, i32::MAX, i32::MAX).expand(i32::MAX);
        assert_eq!(big.left, i32::MIN);
        let s = Rect::from_palm(i16::MIN, i16::MIN, i16::MAX, i16::MAX);
        assert_eq!(s.right(), -1);
        assert!(Rect::new(3, 3, -5, 2).is_empty());
        assert_eq!(Rect::new(1, 1, 2, 2).offset(-1, 2), Rect::new(0, 3, 2, 2));
    }
}
