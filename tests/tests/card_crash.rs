//! Crash safety of the card file: a writer process is killed (SIGKILL) at random moments while
//! saving, hundreds of times; after every kill the card must load, complete and verified, as
//! either the old generation or the new one.

use palm_shim::card::CardImage;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../src/bin/card-writer.rs"]
#[allow(dead_code)]
mod writer;

#[test]
fn killed_writer_leaves_old_or_new_card() {
    let dir = std::env::temp_dir().join(format!("card-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("card.bin");
    let kib = 1024;
    writer::card_for_generation(0, kib).save(&path).unwrap();
    let exe = env!("CARGO_BIN_EXE_card-writer");

    // How long one uninterrupted save takes, to spread the kills over it.
    let t = Instant::now();
    assert!(Command::new(exe).args([path.to_str().unwrap(), "1", &kib.to_string()]).status().unwrap().success());
    let full = t.elapsed().max(Duration::from_millis(1));
    let mut current = 1u64;

    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let (mut kept_old, mut got_new) = (0, 0);
    const KILLS: u64 = 300;
    for round in 0..KILLS {
        let next = current + 1;
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % (full.as_micros() as u64 * 12 / 10 + 1));
        let mut child = Command::new(exe).args([path.to_str().unwrap(), &next.to_string(), &kib.to_string()]).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let card = CardImage::load(&path).unwrap_or_else(|e| panic!("round {round}: card unreadable after kill: {e}"));
        if card.generation == next {
            assert_eq!(card, writer::card_for_generation(next, kib), "round {round}: new generation with wrong contents");
            got_new += 1;
            current = next;
        } else {
            assert_eq!(card.generation, current, "round {round}: neither old nor new");
            assert_eq!(card, writer::card_for_generation(current, kib), "round {round}: old generation with wrong contents");
            kept_old += 1;
        }
    }
    eprintln!("{KILLS} kills over a {:.1} ms save: {kept_old} left the old card, {got_new} the new one", full.as_secs_f64() * 1e3);
    assert!(kept_old > 0 && got_new > 0, "kills should land both before and after the commit point");
    // Killed writers may leave temporary files, never a damaged card.
    std::fs::remove_dir_all(&dir).unwrap();
}
