//! The headless frontend and Gremlins through the `palmemu` command: the first app's screen
//! (`first-app.elf`) after boot (pixels and hash), taps and keys changing it where they
//! should, screenshots at a scale, `--print-hash` stability, an input script with every
//! command, script errors, the no-display fallback, and seeded Gremlins storms (no crash,
//! deterministic). No timed asserts. The window itself is tested under Xvfb in `window.rs`.

use emulator::guest_artifact;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The first app's ROM (a drawing pad: these tests check its pixels); the default ROM, the
/// app manager, is tested in tests/tests/launcher.rs and cli.rs.
fn rom() -> String {
    let p = guest_artifact("first-app.elf");
    assert!(p.exists(), "{} missing: run scripts/build-guest.sh", p.display());
    p.to_string_lossy().into_owned()
}

/// `palmemu` with the test ROM, no card writes and no display.
fn palmemu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_palmemu"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("PALMEMU_CARD", temp("unused-card"))
        .output()
        .expect("palmemu runs")
}

fn headless(extra: &[&str]) -> Output {
    let rom = rom();
    let mut args = vec!["--headless", "--no-save", "--rom", rom.as_str()];
    args.extend_from_slice(extra);
    let out = palmemu(&args);
    assert_eq!(out.status.code(), Some(0), "{args:?}\n{}", text(&out));
    out
}

fn text(out: &Output) -> String {
    format!("stdout:\n{}\nstderr:\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// A fresh path in the temp directory, unique per test process and name.
fn temp(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("palmemu-frontends-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A decoded RGB screenshot.
struct Shot {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Shot {
    fn load(path: &Path) -> Shot {
        let file =
            std::io::BufReader::new(std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
        let mut reader = png::Decoder::new(file).read_info().expect("a valid PNG");
        let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut rgb).expect("PNG data");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        rgb.truncate(info.buffer_size());
        Shot { width: info.width, height: info.height, rgb }
    }
    /// True if display pixel (x, y) is black (scale 1 screenshots).
    fn black(&self, x: u32, y: u32) -> bool {
        let i = ((y * self.width + x) * 3) as usize;
        self.rgb[i..i + 3] == [0, 0, 0]
    }
    fn white(&self, x: u32, y: u32) -> bool {
        let i = ((y * self.width + x) * 3) as usize;
        self.rgb[i..i + 3] == [255, 255, 255]
    }
    /// Display pixels that differ between two scale-1 screenshots.
    fn diff(&self, other: &Shot) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for y in 0..self.height {
            for x in 0..self.width {
                let i = ((y * self.width + x) * 3) as usize;
                if self.rgb[i..i + 3] != other.rgb[i..i + 3] {
                    out.push((x, y));
                }
            }
        }
        out
    }
}

fn hash_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.starts_with("screen-hash ")).map(str::to_owned).collect()
}

fn boot_shot(name: &str, extra: &[&str]) -> Shot {
    let path = temp(name);
    let mut args = vec!["--screenshot", s(&path), "--scale", "1"];
    args.extend_from_slice(extra);
    headless(&args);
    let shot = Shot::load(&path);
    let _ = std::fs::remove_file(&path);
    shot
}

#[test]
fn boot_shows_the_first_app_screen() {
    let shot = boot_shot("boot.png", &[]);
    assert_eq!((shot.width, shot.height), (160, 160));
    // The title tab (black, with white lettering) and the line under it.
    assert!(shot.black(0, 5) && shot.black(1, 1));
    assert!((3..40).any(|x| shot.white(x, 5)), "title text");
    assert!((0..160).all(|x| shot.black(x, 11)), "the line under the title");
    // The pad's frame (drawn just outside the pad at 4,16 152x108) and its blank inside.
    assert!((16..124).all(|y| shot.black(3, y) && shot.black(156, y)), "pad frame sides");
    assert!((4..156).all(|x| shot.black(x, 15) && shot.black(x, 124)), "pad frame top and bottom");
    assert!((16..124).all(|y| (4..156).all(|x| shot.white(x, y))), "empty pad");
    // The hint under the pad, and the empty echo line's frame.
    assert!((127..139).any(|y| (4..156).any(|x| shot.black(x, y))), "hint text");
    assert!((4..156).all(|x| shot.black(x, 143) && shot.black(x, 156)), "echo frame");
    assert!((144..156).all(|y| (4..156).all(|x| shot.white(x, y))), "empty echo line");
}

#[test]
fn a_tap_marks_the_screen_where_it_lands() {
    let before = boot_shot("tap-before.png", &[]);
    let after = boot_shot("tap-after.png", &["--tap", "50,60", "--tap", "120,100"]);
    let changed = before.diff(&after);
    // Two 3x3 marks centred on the taps, nothing else.
    let mut expected: Vec<(u32, u32)> = Vec::new();
    for (cx, cy) in [(50, 60), (120, 100)] {
        for y in cy - 1..=cy + 1 {
            for x in cx - 1..=cx + 1 {
                expected.push((x, y));
            }
        }
    }
    expected.sort_by_key(|&(x, y)| (y, x));
    assert_eq!(changed, expected);
    assert!(expected.iter().all(|&(x, y)| after.black(x, y)));
    // A tap outside the pad (on the title) changes nothing.
    let outside = boot_shot("tap-outside.png", &["--tap", "150,5"]);
    assert!(before.diff(&outside).is_empty());
}

#[test]
fn keys_are_echoed_and_backspace_deletes() {
    let script = temp("keys.txt");
    std::fs::write(&script, "key W\nkey 0x0077\n").unwrap();
    let ww = boot_shot("keys-ww.png", &["--script", s(&script)]);
    std::fs::write(&script, "key W\nkey x\nkey backspace\nkey 0x77\n").unwrap();
    let ww_again = boot_shot("keys-ww-again.png", &["--script", s(&script)]);
    std::fs::write(&script, "key W\n").unwrap();
    let w = boot_shot("keys-w.png", &["--script", s(&script)]);
    let blank = boot_shot("keys-blank.png", &[]);
    let _ = std::fs::remove_file(&script);
    let changed = blank.diff(&ww);
    assert!(!changed.is_empty(), "the key changed the screen");
    assert!(
        changed.iter().all(|&(x, y)| (6..156).contains(&x) && (145..156).contains(&y)),
        "only the echo line: {changed:?}"
    );
    assert!(blank.diff(&w).len() < changed.len(), "two characters draw more than one");
    assert!(ww.diff(&ww_again).is_empty(), "backspace removed the x");
}

#[test]
fn screenshot_png_is_160_times_scale() {
    for scale in [1u32, 3] {
        let path = temp(&format!("scale{scale}.png"));
        headless(&["--screenshot", s(&path), "--scale", &scale.to_string()]);
        let shot = Shot::load(&path);
        assert_eq!((shot.width, shot.height), (160 * scale, 160 * scale));
        assert_eq!(shot.rgb.len() as u32, 160 * scale * 160 * scale * 3);
        let _ = std::fs::remove_file(&path);
    }
    let out = palmemu(&["--headless", "--no-save", "--rom", &rom(), "--scale", "9"]);
    assert_eq!(out.status.code(), Some(2), "scale out of range is a usage error");
}

#[test]
fn print_hash_is_stable_and_follows_the_screen() {
    let a = hash_lines(&headless(&["--print-hash"]));
    let b = hash_lines(&headless(&["--print-hash"]));
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].len(), "screen-hash ".len() + 16, "{a:?}");
    assert_eq!(a, b);
    let tapped = hash_lines(&headless(&["--print-hash", "--tap", "80,70"]));
    assert_ne!(a, tapped);
    assert_eq!(tapped, hash_lines(&headless(&["--print-hash", "--tap", "80,70"])));
}

#[test]
fn a_script_with_every_command() {
    let shot = temp("script-shot.png");
    let script = temp("every.txt");
    std::fs::write(
        &script,
        format!(
            "# every command of the script language\n\
             hash\n\
             tap 30 30        # a mark\n\
             down 40 40\n\
             move 60 40\n\
             move 60 60\n\
             up 60 60\n\
             key a\n\
             key 0x0062\n\
             key enter\n\
             key Z\n\
             key pagedown     # virtual: ignored by the app\n\
             wait 20\n\
             idle\n\
             screenshot {}\n\
             hash\n\
             stop\n\
             hash\n",
            s(&shot)
        ),
    )
    .unwrap();
    let out = headless(&["--script", s(&script), "--scale", "1"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let hashes = hash_lines(&out);
    assert_eq!(hashes.len(), 3, "{stdout}");
    assert_ne!(hashes[0], hashes[1], "the input changed the screen");
    assert_eq!(hashes[1], hashes[2], "stop does not draw");
    assert!(stdout.contains("first-app: appStopEvent, bye"), "{stdout}");
    let summary = stdout.lines().last().unwrap();
    assert!(summary.starts_with("palmemu: exited with code 0 after 12 input events in "), "{summary}");
    let pic = Shot::load(&shot);
    assert!(pic.black(30, 30), "tap mark");
    assert!((40..=60).all(|x| pic.black(x, 40)) && (40..=60).all(|y| pic.black(60, y)), "the stroke");
    // "ab", linefeed clears, then "Z": the echo line shows one character.
    let blank = boot_shot("script-blank.png", &[]);
    let echo: Vec<_> = blank.diff(&pic).into_iter().filter(|&(_, y)| y >= 144).collect();
    assert!(!echo.is_empty() && echo.iter().all(|&(x, _)| x < 14), "only Z is left: {echo:?}");
    for f in [shot, script] {
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn script_errors_and_a_stopped_guest() {
    let script = temp("bad.txt");
    std::fs::write(&script, "tap 1 2\n\njump 3 4\n").unwrap();
    let out = palmemu(&["--headless", "--no-save", "--rom", &rom(), "--script", s(&script)]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:3: unknown command \"jump\"", s(&script))), "{err}");
    let out = palmemu(&["--headless", "--no-save", "--rom", &rom(), "--script", "/nonexistent/script.txt"]);
    assert_eq!(out.status.code(), Some(3));
    // After the app exits, input is skipped (said once), screenshots and hashes still work.
    std::fs::write(&script, "stop\ntap 5 5\nkey a\nhash\n").unwrap();
    let out = headless(&["--script", s(&script)]);
    assert_eq!(hash_lines(&out).len(), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("the rest of the input is skipped").count(), 1, "{err}");
    let _ = std::fs::remove_file(&script);
    // A guest that faults before it waits: the input is skipped, the fault is the exit code.
    let fault = guest_artifact("asm-tests/fault_illegal.elf");
    let out = palmemu(&["--headless", "--no-save", "--rom", s(&fault), "--tap", "1,1", "--print-hash"]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--tap #1: the guest stopped at boot") && err.contains("illegal instruction"), "{err}");
    assert_eq!(hash_lines(&out).len(), 1);
}

#[test]
fn without_a_display_it_says_so_once_and_runs_headless() {
    let out = palmemu(&["--no-save", "--rom", &rom(), "--exit-when-idle", "--print-hash"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines, ["palmemu: no display (DISPLAY and WAYLAND_DISPLAY are unset); running headless"]);
    assert_eq!(hash_lines(&out).len(), 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("palmemu: idle in "), "{}", text(&out));
    // --headless: no such line.
    let out = headless(&[]);
    assert!(out.stderr.is_empty(), "{}", text(&out));
}

#[test]
fn no_stop_at_boot_runs_until_the_app_waits() {
    let out = headless(&["--no-stop-at-boot"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("first-app: SysTicksPerSecond=100"), "{stdout}");
    assert!(stdout.lines().last().unwrap().starts_with("palmemu: idle in "), "{stdout}");
    let out = headless(&["--wait-idle"]);
    assert!(String::from_utf8_lossy(&out.stdout).lines().last().unwrap().starts_with("palmemu: idle in "));
}

/// `gremlins: seed S: N of N actions (E pen/key events) delivered, T traps, screen H, X s`
/// without the time.
fn gremlins(seed: u64, events: u64) -> String {
    let out = palmemu(&["gremlins", "--seed", &seed.to_string(), "--events", &events.to_string(), "--rom", &rom()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find(|l| l.starts_with("gremlins: ")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains(&format!("{events} of {events} actions")), "{line}");
    line.rsplit_once(", ").unwrap().0.to_owned()
}

#[test]
fn gremlins_storms_are_deterministic_and_never_crash() {
    let a = gremlins(1, 2000);
    let b = gremlins(2, 2000);
    assert_eq!(a, gremlins(1, 2000), "same seed, same traps and screen");
    assert_eq!(b, gremlins(2, 2000));
    assert_ne!(a, b);
    let traps = |l: &str| -> u64 { l.split(", ").find_map(|p| p.strip_suffix(" traps")).unwrap().parse().unwrap() };
    assert!(traps(&a) > 4000, "{a}");
    // A bad ROM is a bad input file, not a crash.
    let out = palmemu(&["gremlins", "--rom", "/nonexistent/rom.elf"]);
    assert_eq!(out.status.code(), Some(3));
}
