//! The window frontend under Xvfb: `palmemu --exit-when-idle` opens a real X11 window on a
//! private virtual display, shows the app manager (the default ROM) with the default card's
//! applications until it waits for input, then closes the window the way a person would,
//! which suspends the app (`appStopEvent`), takes the screenshot and saves the card. Xvfb comes from `scripts/setup.sh`; without it this test
//! fails saying so, unless `PALMEMU_SKIP_WINDOW_TEST=1`.

use emulator::guest_artifact;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A private Xvfb server, killed when dropped (also when the test fails).
struct Xvfb {
    child: Child,
    display: u32,
}

impl Drop for Xvfb {
    /// SIGTERM first, so the server removes its lock file and socket; SIGKILL (and remove
    /// them) if it has not gone within a few seconds.
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(format!("/tmp/.X{}-lock", self.display));
        let _ = std::fs::remove_file(format!("/tmp/.X11-unix/X{}", self.display));
    }
}

fn find_xvfb() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|d| d.join("Xvfb")).find(|p| p.is_file())
}

impl Xvfb {
    /// Starts Xvfb on a free display number derived from the process id, and waits (bounded)
    /// for its socket.
    fn start(binary: &Path) -> Xvfb {
        let base = 100 + std::process::id() % 400;
        for display in base..base + 50 {
            if Path::new(&format!("/tmp/.X{display}-lock")).exists()
                || Path::new(&format!("/tmp/.X11-unix/X{display}")).exists()
            {
                continue;
            }
            let child = Command::new(binary)
                .arg(format!(":{display}"))
                .args(["-screen", "0", "640x480x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
            let mut server = Xvfb { child, display };
            let socket = format!("/tmp/.X11-unix/X{display}");
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if Path::new(&socket).exists() {
                    return server;
                }
                if let Ok(Some(_)) = server.child.try_wait() {
                    break; // lost a race for this display number: try the next
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            drop(server);
        }
        panic!("could not start Xvfb on any display from :{base}");
    }
}

/// Runs `cmd` to its end, killing it if it has not finished after `limit` (a hang must fail
/// the test, not block it).
fn run_bounded(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("palmemu starts");
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                break;
            }
        }
    }
    child.wait_with_output().expect("palmemu output")
}

#[test]
fn window_under_xvfb_shows_the_app_then_suspends_it_on_close() {
    let Some(xvfb) = find_xvfb() else {
        if std::env::var_os("PALMEMU_SKIP_WINDOW_TEST").is_some_and(|v| v == "1") {
            eprintln!("Xvfb is not installed: window test skipped (PALMEMU_SKIP_WINDOW_TEST=1)");
            return;
        }
        panic!("Xvfb is not installed: run scripts/setup.sh (it installs xvfb), or set PALMEMU_SKIP_WINDOW_TEST=1");
    };
    let rom = guest_artifact("rom.elf");
    assert!(rom.exists(), "{} missing: run scripts/build-guest.sh", rom.display());
    let tmp = std::env::temp_dir();
    let shot = tmp.join(format!("palmemu-window-{}.png", std::process::id()));
    let card = tmp.join(format!("palmemu-window-{}.palmcard", std::process::id()));
    for f in [&shot, &card] {
        let _ = std::fs::remove_file(f);
    }
    let server = Xvfb::start(&xvfb);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_palmemu"));
    cmd.args(["--exit-when-idle", "--scale", "3", "--print-hash", "--rom"])
        .arg(&rom)
        .arg("--screenshot")
        .arg(&shot)
        .arg("--card")
        .arg(&card)
        .env("DISPLAY", format!(":{}", server.display))
        .env_remove("WAYLAND_DISPLAY");
    let out = run_bounded(cmd, Duration::from_secs(300));
    drop(server);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(!stderr.contains("running headless"), "the window opened: {stderr}");
    // The app booted, was shown, and was suspended properly when the window closed.
    assert!(stdout.contains("launcher: app 1: Counter"), "the default card's applications: {stdout}");
    assert!(stdout.contains("launcher: appStopEvent"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("palmemu: exited with code 0 ")), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with("screen-hash ")).count(), 1, "{stdout}");
    // The screenshot: a PNG of 480 x 480 pixels.
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("{}: {e}\n{stdout}\n{stderr}", shot.display()));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 480);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 480);
    assert!(card.exists(), "the card was saved");
    for f in [&shot, &card] {
        let _ = std::fs::remove_file(f);
    }
}
