//! The card across emulator runs: databases survive save/load cycles byte for byte while their
//! records land at different addresses (fresh layout, seeded relocation with both 4-byte
//! alignments), and locked chunks never move.

use emulator::{Machine, MachineConfig};
use palm_shim::card::CardImage;
use palm_shim::managers::memory_mgr::STORAGE_HEAP_ID;
use palm_shim::pdb::{DatabaseFile, Entries, RecordEntry};

fn sample_db(name: &str, n: u32) -> DatabaseFile {
    let recs = (0..n)
        .map(|i| RecordEntry { attributes: (i % 16) as u8, unique_id: i + 1, data: (0..(i % 50) + 1).map(|b| (b ^ i) as u8).collect() })
        .collect();
    DatabaseFile::new(name, u32::from_be_bytes(*b"DATA"), u32::from_be_bytes(*b"relo"), Entries::Records(recs)).unwrap()
}

/// Data address of every record handle of database `name`.
fn record_addresses(m: &Machine, name: &str) -> Vec<u32> {
    let st = m.state();
    let dm = st.shim.data_manager();
    let db = &dm.databases()[dm.find_by_name(name.as_bytes()).unwrap()];
    let palm_shim::data_mgr::Content::Records(recs) = &db.content else { panic!() };
    recs.iter().map(|r| st.shim.memory().deref_handle(&st.ram, r.handle.unwrap()).unwrap()).collect()
}

#[test]
fn relocation_moves_records_flips_alignment_and_keeps_locked_chunks() {
    let mut m = Machine::new(&MachineConfig::default()).unwrap();
    m.install_database(&sample_db("Relocate", 300)).unwrap();
    let before = record_addresses(&m, "Relocate");
    // Lock record 10 the way an application would.
    let locked_handle = {
        let st = m.state_mut();
        let dm = st.shim.data_manager();
        let db = &dm.databases()[dm.find_by_name(b"Relocate").unwrap()];
        let palm_shim::data_mgr::Content::Records(recs) = &db.content else { panic!() };
        let h = recs[10].handle.unwrap();
        st.shim.memory_mut().lock_handle(&mut st.ram, h).unwrap();
        h
    };
    let report = m.relocate_storage(0xC0FFEE).unwrap();
    let after = record_addresses(&m, "Relocate");
    assert_eq!(after[10], before[10], "a locked record moved");
    let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    assert!(moved >= 290, "only {moved} of 300 records moved ({report:?})");
    let flipped = before.iter().zip(&after).filter(|(a, b)| (*a % 4) != (*b % 4)).count();
    assert!(flipped > 100, "alignment flipped for only {flipped} records");
    assert!(after.iter().any(|a| a % 4 == 2) && after.iter().any(|a| a % 4 == 0));
    assert_eq!(m.export_database("Relocate").unwrap().to_bytes(), sample_db("Relocate", 300).to_bytes());
    m.state().shim.memory().check(&m.state().ram).unwrap();
    let st = m.state_mut();
    st.shim.memory_mut().unlock_handle(&mut st.ram, locked_handle).unwrap();
}

#[test]
fn hundred_save_load_cycles_with_different_layouts() {
    let dir = std::env::temp_dir().join(format!("card-cycles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("card.palmcard");
    let dbs = [sample_db("CycleA", 120), sample_db("CycleB", 7)];
    {
        let mut m = Machine::new(&MachineConfig::default()).unwrap();
        for db in &dbs {
            m.install_database(db).unwrap();
        }
        m.save_card_file(&path).unwrap();
    }
    let mut layouts = std::collections::HashSet::new();
    for cycle in 0..100u64 {
        let mut m = Machine::new(&MachineConfig::default()).unwrap();
        assert_eq!(m.load_card_file(&path).unwrap(), 2);
        m.relocate_storage(cycle * 7919 + 1).unwrap();
        layouts.insert(record_addresses(&m, "CycleA"));
        for db in &dbs {
            let name = String::from_utf8_lossy(db.name()).into_owned();
            assert_eq!(m.export_database(&name).unwrap().to_bytes(), db.to_bytes(), "cycle {cycle}: {name} changed");
        }
        m.state().shim.memory().check(&m.state().ram).unwrap();
        m.save_card_file(&path).unwrap();
        assert_eq!(CardImage::load(&path).unwrap().generation, cycle + 2);
    }
    assert!(layouts.len() > 90, "only {} distinct layouts in 100 cycles", layouts.len());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = STORAGE_HEAP_ID;
}
