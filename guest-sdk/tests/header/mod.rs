//! Shared by the header tests: reads the numeric `#define`s of a header in guest-sdk/c/include.

use std::collections::BTreeMap;

/// `NAME -> value` for every `#define NAME <decimal or 0x hex>` in `c/include/<file>`.
pub fn header_defines(file: &str) -> BTreeMap<String, u64> {
    let path = format!("{}/c/include/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#define") {
            continue;
        }
        let (Some(name), Some(value)) = (words.next(), words.next()) else { continue };
        let v = match value.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => value.parse(),
        };
        if let Ok(v) = v {
            out.insert(name.to_string(), v);
        }
    }
    out
}
