//! The glyph-sheet text format our fonts are drawn in, and its parser.
//!
//! A sheet is a series of *bands*. A band starts with a header line `: k1 k2 k3 ...` naming
//! its glyphs, followed by exactly `height` rows; each row holds one token per glyph,
//! separated by spaces, made of `#` (ink) and `.` (paper). A glyph's token length is its
//! advance width, spacing columns included, and must be the same in all its rows. Blank lines
//! and lines starting with `//` between bands are ignored.
//!
//! Keys: a single character (printable ASCII, or a Latin-1 character, or `€`, which is byte
//! 0x80 in PalmOS's Windows-1252 encoding), `0xNN` for any byte, or `box` for the glyph drawn
//! for characters the font lacks.
//!
//! ```text
//! : A      B     0x20
//!   ..#... ###.. ...
//!   .#.#.. #..#. ...
//! ```

/// One glyph: `width` columns by the font height; bit 31 of a row is the leftmost column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glyph {
    pub width: u8,
    pub rows: Vec<u32>,
}

impl Glyph {
    /// Whether the glyph has ink at `(x, y)` (false outside it).
    pub fn ink(&self, x: i32, y: i32) -> bool {
        if x < 0 || y < 0 || x >= self.width as i32 || y as usize >= self.rows.len() {
            return false;
        }
        self.rows[y as usize] & (0x8000_0000 >> x) != 0
    }
}

/// Which character a glyph is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlyphKey {
    Byte(u8),
    /// The fallback ("missing character") glyph.
    Missing,
}

fn parse_key(k: &str) -> Result<GlyphKey, String> {
    if k == "box" {
        return Ok(GlyphKey::Missing);
    }
    if let Some(hex) = k.strip_prefix("0x") {
        if hex.len() == 2 {
            return u8::from_str_radix(hex, 16).map(GlyphKey::Byte).map_err(|e| format!("bad key {k}: {e}"));
        }
    }
    let mut chars = k.chars();
    match (chars.next(), chars.next()) {
        (Some('€'), None) => Ok(GlyphKey::Byte(0x80)),
        (Some(c), None) if (c as u32) <= 0xFF && !c.is_whitespace() => Ok(GlyphKey::Byte(c as u32 as u8)),
        _ => Err(format!("bad key {k:?}")),
    }
}

/// Parses a sheet whose glyphs are `height` rows tall.
pub fn parse_sheet(sheet: &str, height: usize) -> Result<Vec<(GlyphKey, Glyph)>, String> {
    let mut out = Vec::new();
    let mut lines = sheet.lines().enumerate().filter(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with("//")
    });
    while let Some((n, header)) = lines.next() {
        let keys = header
            .trim()
            .strip_prefix(':')
            .ok_or_else(|| format!("line {}: expected a ': keys' header, got {header:?}", n + 1))?;
        let keys: Vec<GlyphKey> = keys.split_whitespace().map(parse_key).collect::<Result<_, _>>()?;
        let mut glyphs: Vec<Glyph> = vec![Glyph { width: 0, rows: Vec::with_capacity(height) }; keys.len()];
        for row in 0..height {
            let (n, line) = lines.next().ok_or_else(|| format!("band at line {}: missing row {row}", n + 1))?;
            let tokens: Vec<&str> = line.split_whitespace().collect();
            if tokens.len() != keys.len() {
                return Err(format!("line {}: {} tokens for {} glyphs", n + 1, tokens.len(), keys.len()));
            }
            for (g, tok) in glyphs.iter_mut().zip(tokens) {
                if tok.is_empty() || tok.len() > 32 || !tok.bytes().all(|b| b == b'#' || b == b'.') {
                    return Err(format!("line {}: bad token {tok:?}", n + 1));
                }
                if row == 0 {
                    g.width = tok.len() as u8;
                } else if g.width as usize != tok.len() {
                    return Err(format!("line {}: token {tok:?} is not {} wide", n + 1, g.width));
                }
                let bits = tok.bytes().enumerate().fold(0u32, |acc, (i, b)| acc | (((b == b'#') as u32) << (31 - i)));
                g.rows.push(bits);
            }
        }
        out.extend(keys.into_iter().zip(glyphs));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bands_and_keys() {
        let sheet = "// comment\n: A 0x20 box é €\n  #. ... # .# #\n  .# ... # #. #\n\n: B\n  ##\n  #.\n";
        let g = parse_sheet(sheet, 2).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g[0].0, GlyphKey::Byte(b'A'));
        assert_eq!(g[1].0, GlyphKey::Byte(0x20));
        assert_eq!(g[2].0, GlyphKey::Missing);
        assert_eq!(g[3].0, GlyphKey::Byte(0xE9));
        assert_eq!(g[4].0, GlyphKey::Byte(0x80));
        assert_eq!(g[0].1.width, 2);
        assert!(g[0].1.ink(0, 0) && !g[0].1.ink(1, 0) && g[0].1.ink(1, 1));
        assert!(!g[0].1.ink(-1, 0) && !g[0].1.ink(0, 2) && !g[0].1.ink(2, 1));
        assert_eq!(g[1].1.width, 3);
        assert_eq!(g[5].1.rows, vec![0xC000_0000, 0x8000_0000]);
    }

    #[test]
    fn rejects_malformed_sheets() {
        assert!(parse_sheet("A\n#\n", 1).is_err());
        assert!(parse_sheet(": A B\n  #\n", 1).is_err());
        assert!(parse_sheet(": A\n  #\n  ##\n", 2).is_err());
        assert!(parse_sheet(": A\n  #x\n", 1).is_err());
        assert!(parse_sheet(": A\n", 1).is_err());
        assert!(parse_sheet(": AB\n  #\n", 1).is_err());
    }
}
