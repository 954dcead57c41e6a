//! The PalmOS system palettes (1, 2, 4 and 8 bits per pixel) and colour matching between them.
//!
//! Pixel values are palette indices. In every depth index 0 is white and the highest index is
//! black, as on PalmOS:
//!
//! | depth | palette |
//! |---|---|
//! | 1 bpp | 0 white, 1 black |
//! | 2 bpp | 0 `FFFFFF`, 1 `AAAAAA`, 2 `555555`, 3 black (evenly spaced grays) |
//! | 4 bpp | 16 evenly spaced grays, `FF - 0x11*i` (0 white, 15 black) |
//! | 8 bpp | the PalmOS 3.5+ system colour table, below |
//!
//! The 8-bit system palette (as shipped in PalmOS 4 ROMs and as written by pilrc):
//! - indices 0..=214: the 6x6x6 "web-safe" cube without black, levels `FF CC 99 66 33 00`.
//!   The order is: blue in two halves (`FF CC 99`, then `66 33 00`); inside a half, red
//!   descending; inside a red level, blue of the half descending; inside that, green
//!   descending. So index = half*108 + red*18 + blue*6 + green (level positions 0..5), and
//!   the would-be index 215 (black) is replaced by the next group;
//! - 215..=224: the ten grays not in the cube: `11 22 44 55 77 88 AA BB DD EE`;
//! - 225: silver `C0C0C0`; 226: maroon `800000`; 227: purple `800080`; 228: green `008000`;
//!   229: teal `008080`;
//! - 230..=255: black (230..=254 are "unspecified" and may be redefined by applications; 255
//!   is the documented black).
//!
//! Colour matching picks the nearest entry by squared RGB distance (ties: lowest index); in
//! 8 bpp only the specified entries 0..=229 and 255 are candidates, so black matches 255. Gray
//! depths match by luminance.

use super::surface::Depth;

/// A 24-bit colour (PalmOS `RGBColorType` without its index byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const WHITE: Rgb = Rgb::new(0xFF, 0xFF, 0xFF);
    pub const BLACK: Rgb = Rgb::new(0, 0, 0);

    pub const fn new(r: u8, g: u8, b: u8) -> Self {
        Rgb { r, g, b }
    }
    pub const fn gray(level: u8) -> Self {
        Rgb { r: level, g: level, b: level }
    }
    /// From a big-endian RGB565 value (PalmOS 16-bit direct colour).
    pub const fn from_rgb565(v: u16) -> Self {
        let r = ((v >> 11) & 0x1F) as u8;
        let g = ((v >> 5) & 0x3F) as u8;
        let b = (v & 0x1F) as u8;
        Rgb { r: (r << 3) | (r >> 2), g: (g << 2) | (g >> 4), b: (b << 3) | (b >> 2) }
    }
    /// Perceived brightness 0..=255 (ITU-R BT.601 weights).
    pub const fn luminance(&self) -> u8 {
        ((self.r as u32 * 299 + self.g as u32 * 587 + self.b as u32 * 114 + 500) / 1000) as u8
    }
    fn distance2(&self, o: &Rgb) -> u32 {
        let d = |a: u8, b: u8| (a as i32 - b as i32).pow(2) as u32;
        d(self.r, o.r) + d(self.g, o.g) + d(self.b, o.b)
    }
}

/// 1-bit system palette.
pub const PALETTE_1BPP: [Rgb; 2] = [Rgb::WHITE, Rgb::BLACK];

/// 2-bit system palette (evenly spaced grays).
pub const PALETTE_2BPP: [Rgb; 4] = [Rgb::gray(0xFF), Rgb::gray(0xAA), Rgb::gray(0x55), Rgb::gray(0x00)];

/// 4-bit system palette: 16 grays from white to black.
pub const PALETTE_4BPP: [Rgb; 16] = {
    let mut p = [Rgb::WHITE; 16];
    let mut i = 0;
    while i < 16 {
        p[i] = Rgb::gray(0xFF - 0x11 * i as u8);
        i += 1;
    }
    p
};

/// Number of specified entries at the start of the 8-bit palette (0..=229); 255 is black.
pub const PALETTE_8BPP_SPECIFIED: usize = 230;

/// The PalmOS 8-bit system palette (see the module documentation for its construction).
pub const PALETTE_8BPP: [Rgb; 256] = {
    const LEVELS: [u8; 6] = [0xFF, 0xCC, 0x99, 0x66, 0x33, 0x00];
    const EXTRA_GRAYS: [u8; 10] = [0x11, 0x22, 0x44, 0x55, 0x77, 0x88, 0xAA, 0xBB, 0xDD, 0xEE];
    let mut p = [Rgb::BLACK; 256];
    let mut i = 0;
    while i < 215 {
        let half = i / 108;
        let red = (i % 108) / 18;
        let blue = (i % 18) / 6;
        let green = i % 6;
        p[i] = Rgb::new(LEVELS[red], LEVELS[green], LEVELS[half * 3 + blue]);
        i += 1;
    }
    let mut g = 0;
    while g < 10 {
        p[215 + g] = Rgb::gray(EXTRA_GRAYS[g]);
        g += 1;
    }
    p[225] = Rgb::new(0xC0, 0xC0, 0xC0);
    p[226] = Rgb::new(0x80, 0x00, 0x00);
    p[227] = Rgb::new(0x80, 0x00, 0x80);
    p[228] = Rgb::new(0x00, 0x80, 0x00);
    p[229] = Rgb::new(0x00, 0x80, 0x80);
    p
};

/// The system palette of a depth (2, 4, 16 or 256 entries).
pub fn system_palette(depth: Depth) -> &'static [Rgb] {
    match depth {
        Depth::One => &PALETTE_1BPP,
        Depth::Two => &PALETTE_2BPP,
        Depth::Four => &PALETTE_4BPP,
        Depth::Eight => &PALETTE_8BPP,
    }
}

/// The colour of a pixel value in the system palette of `depth` (the value is masked to the
/// depth's bits).
pub fn to_rgb(depth: Depth, value: u8) -> Rgb {
    system_palette(depth)[(value & depth.max_value()) as usize]
}

/// The system-palette index of `depth` nearest to `rgb`.
pub fn nearest(depth: Depth, rgb: Rgb) -> u8 {
    match depth {
        Depth::Eight => {
            let candidates = (0..PALETTE_8BPP_SPECIFIED).chain(std::iter::once(255));
            let mut best = (u32::MAX, 0u8);
            for i in candidates {
                let d = PALETTE_8BPP[i].distance2(&rgb);
                if d < best.0 {
                    best = (d, i as u8);
                }
            }
            best.1
        }
        gray => {
            // Grays are evenly spaced from white (index 0) to black (max index).
            let max = gray.max_value() as u32;
            let dark = 255 - rgb.luminance() as u32;
            ((dark * max + 127) / 255) as u8
        }
    }
}

/// The index in an arbitrary colour table nearest to `rgb` (ties: lowest index); 0 for an
/// empty table.
pub fn nearest_in(table: &[Rgb], rgb: Rgb) -> u8 {
    let mut best = (u32::MAX, 0u8);
    for (i, c) in table.iter().enumerate().take(256) {
        let d = c.distance2(&rgb);
        if d < best.0 {
            best = (d, i as u8);
        }
    }
    best.1
}

/// Converts a pixel value between system palettes (identity when the depths are equal).
pub fn convert(value: u8, from: Depth, to: Depth) -> u8 {
    if from == to {
        value & to.max_value()
    } else {
        nearest(to, to_rgb(from, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_8bpp_landmarks() {
        assert_eq!(PALETTE_8BPP[0], Rgb::WHITE);
        assert_eq!(PALETTE_8BPP[1], Rgb::new(0xFF, 0xCC, 0xFF));
        assert_eq!(PALETTE_8BPP[6], Rgb::new(0xFF, 0xFF, 0xCC));
        assert_eq!(PALETTE_8BPP[18], Rgb::new(0xCC, 0xFF, 0xFF));
        assert_eq!(PALETTE_8BPP[108], Rgb::new(0xFF, 0xFF, 0x66));
        assert_eq!(PALETTE_8BPP[125], Rgb::new(0xFF, 0x00, 0x00));
        assert_eq!(PALETTE_8BPP[214], Rgb::new(0x00, 0x33, 0x00));
        assert_eq!(PALETTE_8BPP[215], Rgb::gray(0x11));
        assert_eq!(PALETTE_8BPP[224], Rgb::gray(0xEE));
        assert_eq!(PALETTE_8BPP[225], Rgb::gray(0xC0));
        assert_eq!(PALETTE_8BPP[229], Rgb::new(0, 0x80, 0x80));
        assert!(PALETTE_8BPP[230..].iter().all(|c| *c == Rgb::BLACK));
        // The cube part holds every web-safe colour except black exactly once.
        let mut cube: Vec<_> = PALETTE_8BPP[..215].to_vec();
        cube.sort_by_key(|c| (c.r, c.g, c.b));
        cube.dedup();
        assert_eq!(cube.len(), 215);
        assert!(!cube.contains(&Rgb::BLACK));
    }

    #[test]
    fn matching() {
        assert_eq!(nearest(Depth::Eight, Rgb::BLACK), 255);
        assert_eq!(nearest(Depth::Eight, Rgb::WHITE), 0);
        assert_eq!(nearest(Depth::Eight, Rgb::new(0xFE, 0x01, 0x02)), 125);
        for i in (0..PALETTE_8BPP_SPECIFIED).chain([255]) {
            assert_eq!(nearest(Depth::Eight, PALETTE_8BPP[i]) as usize, i, "index {i}");
        }
        for d in [Depth::One, Depth::Two, Depth::Four] {
            for v in 0..=d.max_value() {
                assert_eq!(nearest(d, to_rgb(d, v)), v);
            }
        }
        assert_eq!(convert(1, Depth::One, Depth::Eight), 255);
        assert_eq!(convert(255, Depth::Eight, Depth::Two), 3);
        assert_eq!(convert(1, Depth::Two, Depth::Four), 5);
        assert_eq!(convert(224, Depth::Eight, Depth::Four), 1);
        assert_eq!(Rgb::from_rgb565(0xFFFF), Rgb::WHITE);
        assert_eq!(Rgb::from_rgb565(0xF800), Rgb::new(0xFF, 0, 0));
        assert_eq!(nearest_in(&[Rgb::BLACK, Rgb::WHITE], Rgb::gray(0xF0)), 1);
    }
}
