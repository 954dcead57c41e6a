//! PalmOS key characters for the frontends: the `Chars.h` values host keys and script names
//! turn into (`keyDownEvent.chr` and its modifiers), and the parser for a script's or the
//! command line's key argument (`a`, `0x0108`, `pageup`, ...).
//!
//! Characters are PalmOS `WChar`s in the device's Latin-1 encoding. Virtual characters
//! (`vchr*`, from 0x0100, and the hard scroll buttons' `vchrPageUp`/`vchrPageDown`) are sent
//! with `commandKeyMask`, as the PalmOS key manager does; applications test it
//! (`EvtKeydownIsVirtual`).

use palm_abi::ui_layout::COMMAND_KEY_MASK;

/// `chrBackspace`.
pub const CHR_BACKSPACE: u16 = 0x0008;
/// `chrHorizontalTabulation` (`tabChr`).
pub const CHR_TAB: u16 = 0x0009;
/// `chrLineFeed` (what the Enter stroke produces).
pub const CHR_LINE_FEED: u16 = 0x000A;
/// `vchrPageUp` (`pageUpChr`; the up scroll button).
pub const VCHR_PAGE_UP: u16 = 0x000B;
/// `vchrPageDown` (`pageDownChr`; the down scroll button).
pub const VCHR_PAGE_DOWN: u16 = 0x000C;
/// `chrEscape`.
pub const CHR_ESCAPE: u16 = 0x001B;
/// `chrLeftArrow`, `chrRightArrow`, `chrUpArrow`, `chrDownArrow`.
pub const CHR_LEFT_ARROW: u16 = 0x001C;
pub const CHR_RIGHT_ARROW: u16 = 0x001D;
pub const CHR_UP_ARROW: u16 = 0x001E;
pub const CHR_DOWN_ARROW: u16 = 0x001F;
/// `vchrMenu` (the Menu silk-screen button).
pub const VCHR_MENU: u16 = 0x0105;
/// `vchrLaunch` (the Home silk-screen button: back to the launcher).
pub const VCHR_LAUNCH: u16 = 0x0108;
/// `vchrFind`, `vchrCalc`.
pub const VCHR_FIND: u16 = 0x010A;
pub const VCHR_CALC: u16 = 0x010B;
/// `vchrHard1`..`vchrHard4` (the four application buttons), `vchrHardPower`.
pub const VCHR_HARD1: u16 = 0x0204;
pub const VCHR_HARD2: u16 = 0x0205;
pub const VCHR_HARD3: u16 = 0x0206;
pub const VCHR_HARD4: u16 = 0x0207;
pub const VCHR_HARD_POWER: u16 = 0x0208;

/// One key press as the Event Manager queues it: `keyDownEvent`'s `chr`, `keyCode` and
/// `modifiers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PalmKey {
    pub chr: u16,
    pub key_code: u16,
    pub modifiers: u16,
}

impl PalmKey {
    /// A character as typed (no modifiers).
    pub const fn char(chr: u16) -> Self {
        Self { chr, key_code: 0, modifiers: 0 }
    }
    /// A virtual character (`commandKeyMask` set).
    pub const fn virtual_key(chr: u16) -> Self {
        Self { chr, key_code: 0, modifiers: COMMAND_KEY_MASK }
    }
    /// `chr` with the modifiers PalmOS gives it: virtual characters (from 0x0100) and the
    /// scroll buttons' page up/down get `commandKeyMask`, everything else none.
    pub const fn for_chr(chr: u16) -> Self {
        if chr >= 0x0100 || chr == VCHR_PAGE_UP || chr == VCHR_PAGE_DOWN {
            Self::virtual_key(chr)
        } else {
            Self::char(chr)
        }
    }
    /// The key a typed host character becomes: printable Latin-1 only (`None` for control
    /// characters, DEL and anything beyond U+00FF, which the device's encoding lacks).
    pub fn printable(c: char) -> Option<Self> {
        let v = c as u32;
        matches!(v, 0x20..=0x7E | 0xA0..=0xFF).then(|| Self::char(v as u16))
    }
}

/// Named keys accepted by scripts (case-insensitive), with their characters.
pub const NAMED_KEYS: &[(&str, PalmKey)] = &[
    ("backspace", PalmKey::char(CHR_BACKSPACE)),
    ("tab", PalmKey::char(CHR_TAB)),
    ("enter", PalmKey::char(CHR_LINE_FEED)),
    ("linefeed", PalmKey::char(CHR_LINE_FEED)),
    ("space", PalmKey::char(0x20)),
    ("escape", PalmKey::char(CHR_ESCAPE)),
    ("left", PalmKey::char(CHR_LEFT_ARROW)),
    ("right", PalmKey::char(CHR_RIGHT_ARROW)),
    ("up", PalmKey::virtual_key(VCHR_PAGE_UP)),
    ("down", PalmKey::virtual_key(VCHR_PAGE_DOWN)),
    ("pageup", PalmKey::virtual_key(VCHR_PAGE_UP)),
    ("pagedown", PalmKey::virtual_key(VCHR_PAGE_DOWN)),
    ("menu", PalmKey::virtual_key(VCHR_MENU)),
    ("home", PalmKey::virtual_key(VCHR_LAUNCH)),
    ("launch", PalmKey::virtual_key(VCHR_LAUNCH)),
    ("find", PalmKey::virtual_key(VCHR_FIND)),
    ("calc", PalmKey::virtual_key(VCHR_CALC)),
    ("hard1", PalmKey::virtual_key(VCHR_HARD1)),
    ("hard2", PalmKey::virtual_key(VCHR_HARD2)),
    ("hard3", PalmKey::virtual_key(VCHR_HARD3)),
    ("hard4", PalmKey::virtual_key(VCHR_HARD4)),
    ("power", PalmKey::virtual_key(VCHR_HARD_POWER)),
];

/// Parses a key argument: a single character (`a`, `#`; Latin-1), a hexadecimal character
/// code `0xNNNN` (modifiers as [`PalmKey::for_chr`] gives them), or a name from
/// [`NAMED_KEYS`].
pub fn parse_key(arg: &str) -> Result<PalmKey, String> {
    let mut chars = arg.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return PalmKey::printable(c).ok_or_else(|| format!("{c:?} is not a printable Latin-1 character"));
    }
    if let Some(hex) = arg.strip_prefix("0x").or_else(|| arg.strip_prefix("0X")) {
        return u16::from_str_radix(hex, 16)
            .map(PalmKey::for_chr)
            .map_err(|_| format!("{arg:?} is not a 16-bit hexadecimal character code"));
    }
    NAMED_KEYS.iter().find(|(name, _)| name.eq_ignore_ascii_case(arg)).map(|(_, k)| *k).ok_or_else(|| {
        let names: Vec<&str> = NAMED_KEYS.iter().map(|(n, _)| *n).collect();
        format!("unknown key {arg:?} (a character, 0xNNNN, or one of: {})", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_codes_and_names() {
        assert_eq!(parse_key("a"), Ok(PalmKey::char(0x61)));
        assert_eq!(parse_key("#"), Ok(PalmKey::char(0x23)));
        assert_eq!(parse_key("é"), Ok(PalmKey::char(0xE9)));
        assert!(parse_key("€").is_err(), "beyond Latin-1");
        assert_eq!(parse_key("0x0041"), Ok(PalmKey::char(0x41)));
        assert_eq!(parse_key("0x0108"), Ok(PalmKey { chr: 0x0108, key_code: 0, modifiers: 0x0008 }));
        assert_eq!(parse_key("0x0B").unwrap().modifiers, COMMAND_KEY_MASK);
        assert_eq!(parse_key("0x08"), Ok(PalmKey::char(8)));
        assert_eq!(parse_key("PageDown"), Ok(PalmKey::virtual_key(0x000C)));
        assert_eq!(parse_key("home").unwrap().chr, 0x0108);
        assert_eq!(parse_key("enter"), Ok(PalmKey::char(0x0A)));
        assert!(parse_key("0x1FFFF").is_err());
        assert!(parse_key("nosuchkey").unwrap_err().contains("backspace"));
    }

    #[test]
    fn only_printable_latin1_is_typed() {
        assert_eq!(PalmKey::printable('A'), Some(PalmKey::char(0x41)));
        assert_eq!(PalmKey::printable('\u{FF}'), Some(PalmKey::char(0xFF)));
        for c in ['\r', '\n', '\u{8}', '\u{7F}', '\u{9F}', '\u{100}', '😀'] {
            assert_eq!(PalmKey::printable(c), None, "{c:?}");
        }
    }
}
