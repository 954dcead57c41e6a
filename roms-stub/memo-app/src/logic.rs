//! Memos' pure logic, plain Rust (unit-tested natively): a memo's text in its record and the
//! title the list shows for it.

use alloc::string::String;
use alloc::vec::Vec;

/// Longest title in characters (the list is 160 pixels wide; stdFont letters are 4-6 wide).
pub const TITLE_MAX: usize = 26;
/// The title of a memo without any visible character.
pub const EMPTY_TITLE: &str = "(empty)";

/// A record's text: everything before the first NUL (all of it without one).
pub fn record_text(record: &[u8]) -> &[u8] {
    let end = record.iter().position(|&b| b == 0).unwrap_or(record.len());
    &record[..end]
}

/// A record for `text`: the text and its terminating NUL.
pub fn record_for(text: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(text.len() + 1);
    v.extend_from_slice(record_text(text));
    v.push(0);
    v
}

/// The list title of a memo: its first line with visible characters, spaces and tabs trimmed
/// at both ends, cut to [`TITLE_MAX`] characters (with "..." when cut); [`EMPTY_TITLE`] if
/// there is none. Bytes are PalmOS Latin-1 characters; control characters become spaces.
pub fn title(text: &[u8]) -> String {
    let text = record_text(text);
    let line = text
        .split(|&b| b == b'\n' || b == b'\r')
        .map(|l| trim(l))
        .find(|l| !l.is_empty())
        .unwrap_or(&[]);
    if line.is_empty() {
        return String::from(EMPTY_TITLE);
    }
    let chars = |bytes: &[u8]| -> String { bytes.iter().map(|&b| if b < 0x20 || b == 0x7F { ' ' } else { b as char }).collect() };
    if line.len() <= TITLE_MAX {
        chars(line)
    } else {
        let mut s = chars(trim(&line[..TITLE_MAX - 3]));
        s.push_str("...");
        s
    }
}

fn trim(l: &[u8]) -> &[u8] {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = l.iter().position(|b| !blank(b)).unwrap_or(l.len());
    let end = l.iter().rposition(|b| !blank(b)).map_or(start, |e| e + 1);
    &l[start..end]
}

/// The title as PalmOS bytes (Latin-1), NUL-terminated, for a list's item array.
pub fn title_bytes(text: &[u8]) -> Vec<u8> {
    let mut v: Vec<u8> = title(text).chars().map(|c| c as u32 as u8).collect();
    v.push(0);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_visible_line() {
        assert_eq!(title(b"Shopping\nmilk\neggs\0junk"), "Shopping");
        assert_eq!(title(b"\n\n   \n  Call Bob  \nlater"), "Call Bob");
        assert_eq!(title(b""), EMPTY_TITLE);
        assert_eq!(title(b" \t\n\r\n\0hidden"), EMPTY_TITLE);
        assert_eq!(title(b"a\tb"), "a b");
        assert_eq!(title(b"caf\xE9"), "caf\u{e9}");
        assert_eq!(title_bytes(b"caf\xE9"), b"caf\xE9\0");
    }

    #[test]
    fn long_titles_are_cut() {
        let t = title(b"The quick brown fox jumps over the lazy dog");
        assert_eq!(t, "The quick brown fox jum...");
        assert_eq!(t.chars().count(), TITLE_MAX);
        assert_eq!(title(&[b'x'; TITLE_MAX]).len(), TITLE_MAX);
    }

    #[test]
    fn records_hold_the_text_and_a_nul() {
        assert_eq!(record_for(b"hi"), b"hi\0");
        assert_eq!(record_for(b"hi\0there"), b"hi\0");
        assert_eq!(record_text(b"hi\0\0\0"), b"hi");
        assert_eq!(record_text(b"no nul"), b"no nul");
    }
}
