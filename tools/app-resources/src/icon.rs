//! Icons from ASCII art: one string per row, `#` a black pixel, `.` a white one. The result
//! is a 1-bit `BitmapType` version 1 (16-byte header, no colour table, uncompressed rows padded
//! to 16 bits), as the launcher's `tAIB` icon resource holds it.

/// A bitmap from `rows` (all the same width). Panics on an empty picture, rows of different
/// widths or characters other than `#` and `.` (the art is in this crate's source).
pub fn bitmap_from_ascii(rows: &[&str]) -> Vec<u8> {
    assert!(!rows.is_empty(), "empty icon");
    let width = rows[0].len();
    assert!(width > 0, "empty icon row");
    let row_bytes = width.div_ceil(16) * 2;
    let mut out = Vec::with_capacity(16 + row_bytes * rows.len());
    out.extend_from_slice(&(width as u16).to_be_bytes()); // width
    out.extend_from_slice(&(rows.len() as u16).to_be_bytes()); // height
    out.extend_from_slice(&(row_bytes as u16).to_be_bytes()); // rowBytes
    out.extend_from_slice(&0u16.to_be_bytes()); // flags
    out.push(1); // pixelSize
    out.push(1); // version
    out.extend_from_slice(&0u16.to_be_bytes()); // nextDepthOffset
    out.extend_from_slice(&[0; 4]); // reserved
    for (y, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), width, "icon row {y} is {} pixels wide, row 0 is {width}: {row:?}", row.len());
        let mut bits = vec![0u8; row_bytes];
        for (x, c) in row.bytes().enumerate() {
            match c {
                b'#' => bits[x / 8] |= 0x80 >> (x % 8),
                b'.' => {}
                _ => panic!("icon row {y}, column {x}: {:?} is neither '#' nor '.'", c as char),
            }
        }
        out.extend_from_slice(&bits);
    }
    out
}
