//! Counter's pure logic, plain Rust (unit-tested natively): the count arithmetic, its display
//! text and the record that stores it.

use alloc::string::String;

/// The count stays within what the count label shows (6 characters).
pub const MAX_COUNT: i32 = 99_999;
pub const MIN_COUNT: i32 = -99_999;

/// What one tap on "+1"/"-1" adds or takes away.
pub fn step(step10: bool) -> i32 {
    if step10 {
        10
    } else {
        1
    }
}

/// `count` changed by `delta`, held within [`MIN_COUNT`]..=[`MAX_COUNT`].
pub fn apply(count: i32, delta: i32) -> i32 {
    count.saturating_add(delta).clamp(MIN_COUNT, MAX_COUNT)
}

/// The count as the label shows it.
pub fn format_count(count: i32) -> String {
    alloc::format!("{}", count.clamp(MIN_COUNT, MAX_COUNT))
}

/// The application's state as stored in record 0 of its database:
/// count (Int32, big-endian), then flags (UInt16: bit 0 = "Step 10").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct State {
    pub count: i32,
    pub step10: bool,
}

impl State {
    pub const RECORD_SIZE: usize = 6;

    pub fn encode(&self) -> [u8; Self::RECORD_SIZE] {
        let mut b = [0u8; Self::RECORD_SIZE];
        b[..4].copy_from_slice(&self.count.to_be_bytes());
        b[4..].copy_from_slice(&(self.step10 as u16).to_be_bytes());
        b
    }

    /// A record of another size (or garbage) reads as what it can: a short record as zero.
    pub fn decode(b: &[u8]) -> State {
        if b.len() < Self::RECORD_SIZE {
            return State::default();
        }
        let count = i32::from_be_bytes([b[0], b[1], b[2], b[3]]).clamp(MIN_COUNT, MAX_COUNT);
        State { count, step10: u16::from_be_bytes([b[4], b[5]]) & 1 != 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_arithmetic() {
        assert_eq!(step(false), 1);
        assert_eq!(step(true), 10);
        assert_eq!(apply(0, 1), 1);
        assert_eq!(apply(5, -10), -5);
        assert_eq!(apply(MAX_COUNT - 3, 10), MAX_COUNT);
        assert_eq!(apply(MIN_COUNT, -1), MIN_COUNT);
        assert_eq!(apply(i32::MAX, i32::MAX), MAX_COUNT);
        assert_eq!((0..3).fold(0, |c, _| apply(c, step(false))), 3);
    }

    #[test]
    fn display_text_fits_the_label() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(-42), "-42");
        assert_eq!(format_count(i32::MIN), "-99999");
        assert!(format_count(i32::MAX).len() <= 6);
    }

    #[test]
    fn record_round_trip() {
        for s in [State { count: 3, step10: false }, State { count: -99_999, step10: true }, State::default()] {
            assert_eq!(State::decode(&s.encode()), s);
        }
        assert_eq!(State { count: 3, step10: true }.encode(), [0, 0, 0, 3, 0, 1]);
        assert_eq!(State::decode(&[1, 2]), State::default());
        assert_eq!(State::decode(&[0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]), State { count: MAX_COUNT, step10: false });
    }
}
