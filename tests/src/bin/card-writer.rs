//! Test helper for the card crash-safety test: saves a card of generation N (contents derived
//! from N) to the given path, then exits. The test kills it at random moments.

use palm_shim::card::CardImage;
use palm_shim::pdb::{DatabaseFile, Entries, RecordEntry};

/// The card of generation `n`, about `kib` KiB: deterministic so the test can recognise it.
pub fn card_for_generation(n: u64, kib: usize) -> CardImage {
    let records = (0..kib / 4)
        .map(|r| RecordEntry { attributes: 0, unique_id: r as u32 + 1, data: vec![(n as u8).wrapping_add(r as u8); 4096] })
        .collect();
    let db = DatabaseFile::new("CrashTest", u32::from_be_bytes(*b"DATA"), u32::from_be_bytes(*b"crsh"), Entries::Records(records)).unwrap();
    CardImage { generation: n, databases: vec![db] }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (path, n, kib) = (&args[1], args[2].parse().unwrap(), args[3].parse().unwrap());
    card_for_generation(n, kib).save(std::path::Path::new(path)).expect("save");
}
