//! Runs the self-test natively (the oracle side of the differential test) and checks that it
//! passes its own checks and is deterministic. The comparison with the 68k run is done by the
//! host workspace's integration tests.

#[test]
fn native_selftest_passes_and_is_deterministic() {
    let (code, text) = guest_selftest::native_transcript();
    print!("{text}");
    assert_eq!(code, 0, "self-checks failed:\n{text}");
    assert!(text.starts_with("selftest: begin"), "{text}");
    assert!(text.contains("selftest: end tests=15 failures=0"), "{text}");
    let (code2, text2) = guest_selftest::native_transcript();
    assert_eq!((code, &text), (code2, &text2));
}
