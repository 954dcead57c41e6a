//! Prints the native self-test transcript (the reference the 68k `selftest.elf` must reproduce
//! byte for byte) and exits with the self-test's code:
//! `cargo run --release --example transcript` in guest-sdk/selftest.
use std::io::Write;

fn main() {
    let (code, text) = guest_selftest::native_transcript();
    std::io::stdout().write_all(text.as_bytes()).unwrap();
    std::process::exit(code as i32);
}
