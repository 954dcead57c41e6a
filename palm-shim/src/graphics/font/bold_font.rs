//! `boldFont` (FontID 1): `stdFont` with every vertical stroke doubled (each glyph gains one
//! column: ink is smeared one pixel to the right), plus hand-drawn glyphs for the
//! characters where smearing closes counters or merges strokes (`m`, `w`, `M`, `W`, ...).
//! Metrics are those of `stdFont`: height 11, ascent 9.

use super::sheet::{parse_sheet, Glyph, GlyphKey};
use super::{Font, FontId};

/// Glyphs drawn by hand instead of derived (format: [`super::sheet`], 11 rows).
#[rustfmt::skip]
const OVERRIDES: &str = r##"
: m        w        M        W        N       Q       #        %       @       &
  ........ ........ ........ ........ ....... ....... ........ ....... ....... .......
  ........ ........ ........ ........ ....... ....... ........ ....... ....... .......
  ........ ........ ##...##. ##...##. ##..##. .####.. .##.##.. ##..... .####.. .###...
  ........ ........ ###.###. ##...##. ###.##. ##..##. .##.##.. ##..##. ##...#. ##.##..
  ######.. ##...##. ##.#.##. ##...##. ###.##. ##..##. #######. ...##.. ##.###. ##.#...
  ##.#.##. ##...##. ##.#.##. ##.#.##. ##.###. ##..##. .##.##.. ..##... ##.#.#. .##....
  ##.#.##. ##.#.##. ##...##. ##.#.##. ##.###. ##..##. #######. .##.... ##.###. ##.#.#.
  ##.#.##. ##.#.##. ##...##. ##.#.##. ##..##. ##.##.. .##.##.. ##..##. ##..... ##..#..
  ##.#.##. .##.##.. ##...##. .##.##.. ##..##. .##.##. .##.##.. ....##. .####.. .###.#.
  ........ ........ ........ ........ ....... ....... ........ ....... ....... .......
  ........ ........ ........ ........ ....... ....... ........ ....... ....... .......

: €       Ä       Ö       °
  ....... .##.##. .##.##. .....
  ....... ....... ....... .....
  ..####. ..##... .####.. .##..
  .##.... .####.. ##..##. #..#.
  #####.. ##..##. ##..##. #..#.
  .##.... ##..##. ##..##. .##..
  #####.. ######. ##..##. .....
  .##.... ##..##. ##..##. .....
  ..####. ##..##. .####.. .....
  ....... ....... ....... .....
  ....... ....... ....... .....
"##;

/// A glyph one column wider with each ink pixel also set one pixel to its right.
fn smear(g: &Glyph) -> Glyph {
    Glyph { width: g.width + 1, rows: g.rows.iter().map(|r| r | (r >> 1)).collect() }
}

/// Builds `boldFont` from `stdFont`.
pub(super) fn embolden(std: &Font) -> Font {
    let mut glyphs: Vec<Option<Glyph>> = std.glyphs.iter().map(|g| g.as_ref().map(smear)).collect();
    let mut missing = smear(&std.missing);
    for (key, g) in parse_sheet(OVERRIDES, std.height as usize).expect("boldFont override sheet") {
        match key {
            GlyphKey::Byte(b) => glyphs[b as usize] = Some(g),
            GlyphKey::Missing => missing = g,
        }
    }
    // The space stays as wide as in stdFont plus one, like every other glyph.
    Font { id: FontId::Bold, height: std.height, ascent: std.ascent, descent: std.descent, glyphs, missing }
}
