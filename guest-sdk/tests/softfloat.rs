//! Compiles the guest runtime's soft-float helpers (`c/softfloat.c`, pure C) for the host and
//! runs `c/tests/softfloat_test.c`, which compares every routine with the host's hardware
//! conversions and libm on edge values and random bit patterns. Skipped (with a message) when no
//! host C compiler is installed.

use std::path::Path;
use std::process::Command;

#[test]
fn softfloat_matches_host_ieee() {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    if Command::new(&cc).arg("--version").output().is_err() {
        eprintln!("skipped: no host C compiler ({cc})");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("c");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("softfloat_test");
    let rename = dir.join("tests/softfloat_rename.h");
    let obj = out.with_extension("o");
    let status = Command::new(&cc)
        .args([
            "-O2",
            "-std=c99",
            "-fno-builtin",
            "-ffp-contract=off",
            "-include",
        ])
        .arg(&rename)
        .arg("-c")
        .arg(dir.join("softfloat.c"))
        .arg("-o")
        .arg(&obj)
        .status()
        .unwrap();
    assert!(status.success(), "compiling softfloat.c failed");
    let status = Command::new(&cc)
        .args(["-O2", "-std=gnu99", "-ffp-contract=off", "-I"])
        .arg(dir.join("tests"))
        .arg(dir.join("tests/softfloat_test.c"))
        .arg(&obj)
        .args(["-lm", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success(), "compiling softfloat_test.c failed");
    let run = Command::new(&out).output().unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    print!("{text}");
    assert!(run.status.success(), "soft-float mismatches:\n{text}");
}
