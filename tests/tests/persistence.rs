//! The persistent store (guest-vm) in the style of CRIU's ZDTM suite: each scenario runs the
//! workload to a state, suspends the store, saves the card, reloads it with a relocation seed
//! (segments move, alignment flips between 0 and 2 mod 4), resumes, continues, and is checked
//! against an uninterrupted run of the same total steps. Most cycles run natively through the
//! real shim (ShimHost), relocating the storage heap in place or through a card image into a
//! fresh host; a smaller number run on the 68k (`target/guest/guest-vm.elf`), where the
//! transcripts and the exported store bytes must equal the native ones. Also: migration of an
//! exported `.prc` to a fresh card with another layout, every corruption of item 9 refused with
//! the store's bytes unchanged, and destruction (exit, last thread, unrecoverable error).

use emulator::{Machine, MachineConfig, StopReason};
use guest_sdk::native::{with_host, Host};
use guest_sdk::traps::Shape;
use guest_sdk::GuestAddr;
use integration_tests::shim_host::ShimHost;
use integration_tests::{machine_for, TEST_CLOCK};
use palm_abi::memmap;
use palm_shim::card::CardImage;
use palm_shim::managers::memory_mgr::STORAGE_HEAP_ID;
use palm_shim::pdb::{DatabaseFile, Entries};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Native runs: the guest crate against the real shim, with storage protection enforced.

/// ShimHost with the emulator's storage protection: a guest write to the storage heap without
/// `MemSemaphoreReserve(true)` panics, as the 68k run would fault.
struct Guarded<'a>(&'a mut ShimHost);

impl Host for Guarded<'_> {
    fn read(&mut self, addr: GuestAddr, buf: &mut [u8]) {
        self.0.read(addr, buf)
    }
    fn write(&mut self, addr: GuestAddr, data: &[u8]) {
        if memmap::STORAGE_HEAP.contains(addr.0) {
            if !self.0.shim.storage_writable() {
                panic!("guest wrote {} bytes at {addr} in the storage heap without MemSemaphoreReserve", data.len());
            }
        } else {
            // guest-vm writes nothing but its records and the scratch area.
            let (base, len) = integration_tests::shim_host::NATIVE_SCRATCH;
            assert!(addr.0 >= base && addr.0 + data.len() as u32 <= base + len, "guest wrote {} bytes at {addr}, outside the storage heap and the scratch area", data.len());
        }
        self.0.write(addr, data)
    }
    fn trap(&mut self, word: u16, shape: Shape, args: &[u32]) -> u32 {
        self.0.trap(word, shape, args)
    }
    fn console_write(&mut self, bytes: &[u8]) {
        self.0.console_write(bytes)
    }
    fn scratch_area(&mut self) -> (GuestAddr, u32) {
        self.0.scratch_area()
    }
}

/// A machine without a CPU running the native build of guest-vm's driver.
struct Native {
    host: ShimHost,
}

impl Native {
    fn new() -> Self {
        let mut host = ShimHost::default();
        host.shim.init_memory(&mut host.ram).unwrap();
        Self { host }
    }

    /// A fresh host with `card` loaded and the storage heap relocated with `seed`.
    fn from_card(card: &CardImage, seed: u64) -> Self {
        let mut n = Self::from_card_as_laid_out(card);
        n.relocate(seed);
        n
    }

    /// A fresh host with `card` loaded (a fresh layout, not relocated).
    fn from_card_as_laid_out(card: &CardImage) -> Self {
        let mut n = Self::new();
        let (dm, mm) = n.host.shim.data_and_memory();
        dm.load_card(mm, &mut n.host.ram, card).unwrap();
        n
    }

    /// Runs one driver command; returns the exit code and the transcript.
    fn run(&mut self, cmd: &str) -> (u32, String) {
        self.host.shim.set_program_args(cmd.as_bytes());
        let _ = self.host.shim.take_console();
        let code = with_host(&mut Guarded(&mut self.host), guest_vm::driver::main);
        (code, self.host.console_text())
    }

    /// Runs a command that must succeed.
    fn ok(&mut self, cmd: &str) -> String {
        let (code, out) = self.run(cmd);
        assert_eq!(code, 0, "native `{cmd}` exited with {code}:\n{out}");
        out
    }

    /// Moves every unlocked storage chunk (`Machine::relocate_storage` on this host).
    fn relocate(&mut self, seed: u64) {
        let (dm, mm) = self.host.shim.data_and_memory();
        mm.relocate_unlocked(&mut self.host.ram, STORAGE_HEAP_ID, seed).unwrap();
        dm.sync_all_headers(mm, &mut self.host.ram);
    }

    fn card(&self) -> CardImage {
        self.host.shim.data_manager().to_card(self.host.shim.memory(), &self.host.ram, 1)
    }

    fn export(&self, name: &str) -> Option<DatabaseFile> {
        let dm = self.host.shim.data_manager();
        let i = dm.find_by_name(name.as_bytes())?;
        dm.export(self.host.shim.memory(), &self.host.ram, dm.databases()[i].id())
    }

    fn install(&mut self, file: &DatabaseFile) {
        let (dm, mm) = self.host.shim.data_and_memory();
        dm.install(mm, &mut self.host.ram, file).unwrap();
    }

    /// Every storage chunk unlocked and the heap consistent.
    fn assert_heap_clean(&self) {
        self.host.shim.memory().check(&self.host.ram).unwrap();
        assert_no_locked_resources(self.host.shim.data_manager(), self.host.shim.memory(), &self.host.ram);
    }
}

fn assert_no_locked_resources(dm: &palm_shim::data_mgr::DataManager, mm: &palm_shim::managers::memory_mgr::MemoryManager, ram: &emulator::ram::GuestRam) {
    for db in dm.databases() {
        if let palm_shim::data_mgr::Content::Resources(res) = &db.content {
            for r in res {
                if let Some(h) = r.handle {
                    let info = mm.handle_info(ram, h).unwrap();
                    assert_eq!(info.lock_count, 0, "resource {:?} of {:?} left locked", palm_shim::pdb::fourcc(r.kind), String::from_utf8_lossy(&db.info.name));
                }
            }
        }
    }
    assert!(dm.open_databases().is_empty(), "a database was left open");
}

// ---------------------------------------------------------------------------------------------
// 68k runs.

fn config() -> MachineConfig {
    MachineConfig { stop_at_boot: false, fixed_seconds: Some(TEST_CLOCK), check_odd_pc: false }
}

/// A fresh machine with guest-vm.elf, `card` loaded and relocated with `seed`.
fn machine(card: Option<&CardImage>, seed: Option<u64>) -> Machine {
    let mut m = machine_for("guest-vm.elf", &config());
    if let Some(c) = card {
        m.load_card_image(c).unwrap();
    }
    if let Some(s) = seed {
        m.relocate_storage(s).unwrap();
    }
    m
}

/// Runs one command on the 68k; returns the exit code and the transcript.
fn run_68k(m: &mut Machine, cmd: &str) -> (u32, String) {
    // Each command is a new run of the program from the reset vector; the card stays.
    m.reset().unwrap();
    m.set_program_args(cmd.as_bytes());
    let _ = m.shim_mut().take_console();
    let reason = m.run(Some(Duration::from_secs(300)));
    let out = m.console_text();
    match reason {
        StopReason::Exit(code) => (code, out),
        other => panic!("68k `{cmd}` stopped with {other}\n{out}"),
    }
}

fn ok_68k(m: &mut Machine, cmd: &str) -> String {
    let (code, out) = run_68k(m, cmd);
    assert_eq!(code, 0, "68k `{cmd}` exited with {code}:\n{out}");
    out
}

// ---------------------------------------------------------------------------------------------
// Transcripts.

/// The `state step=N ...` lines of a transcript, by step.
fn states(out: &str) -> BTreeMap<u32, String> {
    out.lines()
        .filter(|l| l.starts_with("state step="))
        .map(|l| {
            let step = l["state step=".len()..].split(' ').next().unwrap().parse().unwrap();
            (step, l.to_string())
        })
        .collect()
}

fn last_state(out: &str) -> String {
    out.lines().rev().find(|l| l.starts_with("state ")).unwrap_or_else(|| panic!("no state line in:\n{out}")).to_string()
}

fn first_state(out: &str) -> String {
    out.lines().find(|l| l.starts_with("state ")).unwrap_or_else(|| panic!("no state line in:\n{out}")).to_string()
}

/// The value of `key=` in a line.
fn field<'a>(line: &'a str, key: &str) -> &'a str {
    line.split(' ').find_map(|w| w.strip_prefix(key).and_then(|r| r.strip_prefix('='))).unwrap_or_else(|| panic!("no {key}= in {line}"))
}

// ---------------------------------------------------------------------------------------------
// Scenarios (native): many suspend/resume cycles, each checked against an uninterrupted run.

/// A relocation seed for cycle `c` of scenario `name`.
fn seed_for(name: &str, c: u32) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3)) ^ (c as u64 * 0x9E37_79B9_7F4A_7C15)
}

/// Runs scenario `name`: `create` with `steps_of(0)` steps, then `cycles - 1` times: move the
/// storage heap (in place, or every `card_every`-th cycle through a card image into a fresh
/// host), `resume` with `steps_of(c)` steps. Every resumption must find exactly the state that
/// was suspended, and every suspended state must equal the uninterrupted run's state at the
/// same step. Returns the number of suspend/resume cycles.
fn native_scenario(name: &str, seed: u32, opts: &str, cycles: u32, steps_of: impl Fn(u32) -> u32, card_every: u32) -> u32 {
    let mut n = Native::new();
    let first = steps_of(0);
    let out = n.ok(&format!("create {name} {seed} {first} {opts}"));
    let mut prev = last_state(&out);
    let mut total = first;
    let mut ours = vec![(total, prev.clone())];
    let (mut moved, mut shifted, mut still, mut moved_unshifted) = (0, 0, 0, 0);
    for c in 1..cycles {
        let s = seed_for(name, c);
        if card_every > 0 && c % card_every == 0 {
            // A fresh layout, relocated on even cycles only: alignments vary both ways.
            n = if c % 2 == 0 { Native::from_card(&n.card(), s) } else { Native::from_card_as_laid_out(&n.card()) };
        } else {
            match c % 7 {
                // Resumed where it was: nothing moved.
                6 => {}
                // Moved twice: alignment flipped back, addresses still new.
                3 => {
                    n.relocate(s);
                    n.relocate(s ^ 1);
                }
                _ => n.relocate(s),
            }
        }
        let k = steps_of(c);
        let out = n.ok(&format!("resume {name} {k}"));
        let resumed = out.lines().next().unwrap();
        assert!(resumed.starts_with("resumed "), "{out}");
        let (m, sh) = (field(resumed, "moved").parse::<u32>().unwrap(), field(resumed, "shifted").parse::<u32>().unwrap());
        moved += m;
        shifted += sh;
        still += (m == 0) as u32;
        moved_unshifted += (m > sh) as u32;
        assert_eq!(field(resumed, "image"), field(&prev, "image"), "{name} cycle {c}: checked image differs from the suspended one");
        assert_eq!(first_state(&out), prev, "{name} cycle {c}: the resumed state differs from the suspended one");
        prev = last_state(&out);
        total += k;
        ours.push((total, prev.clone()));
        if c % 16 == 0 {
            n.assert_heap_clean();
        }
    }
    assert!(moved > cycles / 2 && shifted > cycles / 8, "{name}: segments moved {moved} times and shifted {shifted} times in {cycles} cycles");
    if card_every == 0 {
        assert!(still > 0, "{name}: never resumed in place");
    }
    // The uninterrupted run, with a state line at every step we compare.
    let every = ours.iter().fold(0, |g, &(t, _)| gcd(g, t));
    let mut u = Native::new();
    let reference = states(&u.ok(&format!("create {name} {seed} {total} {opts} every={every}")));
    for (t, line) in &ours {
        assert_eq!(Some(line), reference.get(t), "{name}: state after {t} steps differs from the uninterrupted run");
    }
    eprintln!("{name}: {cycles} cycles, {total} steps, {moved} segment moves, {shifted} shifts, {still} cycles in place, {moved_unshifted} with unshifted moves; final {prev}");
    cycles - 1
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[test]
fn zdtm_lists_and_trees_in_small_segments() {
    native_scenario("Lists", 7, "seg=4096", 250, |_| 37, 0);
}

#[test]
fn zdtm_large_segments() {
    native_scenario("Large", 1234, "seg=65536", 120, |_| 101, 0);
}

#[test]
fn zdtm_gc_stress_with_verification() {
    // A collection before every allocation, the whole heap verified after each one and
    // after every resumption.
    native_scenario("Stress", 99, "seg=2048 stress verify", 120, |_| 13, 0);
}

#[test]
fn zdtm_tight_heap_with_out_of_memory_errors() {
    native_scenario("Tight", 5, "seg=4096 maxseg=2", 150, |_| 40, 0);
}

#[test]
fn zdtm_suspend_at_every_kind_of_point() {
    // 1..7 steps per cycle: suspensions land inside tree recursions, ring building, worker
    // lifetimes and thread switches.
    native_scenario("Points", 31337, "seg=2048 verify", 300, |c| 1 + (c * 5 + c / 7) % 7, 0);
}

#[test]
fn zdtm_card_round_trips_into_fresh_hosts() {
    // Every cycle through a card image into a new host (fresh layout) plus relocation.
    native_scenario("Cards", 4242, "seg=4096 verify", 100, |c| 20 + c % 30, 1);
}

#[test]
fn gc_timing_does_not_change_the_program() {
    // The graph digest (objects by identity) is the same whether the heap is collected before
    // every allocation or rarely, in small or large segments.
    let mut n = Native::new();
    let a = states(&n.ok("create GcA 11 1200 seg=65536 every=100"));
    let b = states(&n.ok("create GcB 11 1200 seg=2048 stress verify every=100"));
    assert_eq!(a.len(), 12);
    for (step, la) in &a {
        let lb = &b[step];
        for key in ["graph", "live", "kinds", "threads"] {
            assert_eq!(field(la, key), field(lb, key), "step {step}: {key} differs\n{la}\n{lb}");
        }
        assert_ne!(field(la, "gc"), field(lb, "gc"));
    }
}

// ---------------------------------------------------------------------------------------------
// The 68k build: same transcripts and byte-identical stores as the native build.

/// Runs a scenario on the 68k, a fresh machine per cycle (card image, relocation seed; one
/// cycle through a card file), and the same scenario natively with the same cards and seeds:
/// transcripts and exported stores must be identical, and the end state equal to the
/// uninterrupted run's.
fn scenario_68k(name: &str, seed: u32, opts: &str, cycles: u32, steps: u32) -> u32 {
    let create = format!("create {name} {seed} {steps} {opts}");
    let mut m = machine(None, None);
    let mut n = Native::new();
    let out = ok_68k(&mut m, &create);
    assert_eq!(out, n.ok(&create), "{name}: create transcripts differ");
    let mut prev = last_state(&out);
    let dir = std::env::temp_dir().join(format!("guest-vm-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for c in 1..cycles {
        let s = seed_for(name, c);
        let card = if c == cycles / 2 {
            // Once through the card file, as when the emulator is closed and started again.
            let path = dir.join("card.palmcard");
            m.save_card_file(&path).unwrap();
            let mut fresh = machine(None, None);
            fresh.load_card_file(&path).unwrap();
            fresh.card_image()
        } else {
            m.card_image()
        };
        m = machine(Some(&card), Some(s));
        n = Native::from_card(&n.card(), s);
        let cmd = format!("resume {name} {steps}");
        let out = ok_68k(&mut m, &cmd);
        let nout = n.ok(&cmd);
        assert_eq!(out, nout, "{name} cycle {c}: 68k and native transcripts differ");
        assert_eq!(first_state(&out), prev, "{name} cycle {c}: resumed state differs");
        let (a, b) = (m.export_database(name).unwrap().to_bytes(), n.export(name).unwrap().to_bytes());
        assert!(a == b, "{name} cycle {c}: the 68k and native stores differ");
        assert_no_locked_resources(m.shim().data_manager(), m.shim().memory(), m.ram());
        prev = last_state(&out);
    }
    let total = steps * cycles;
    let reference = states(&Native::new().ok(&format!("create {name} {seed} {total} {opts} every={steps}")));
    assert_eq!(Some(&prev), reference.get(&total), "{name}: 68k end state differs from the uninterrupted run");
    let _ = std::fs::remove_dir_all(&dir);
    cycles - 1
}

#[test]
fn zdtm_68k_matches_native_byte_for_byte() {
    let t = Instant::now();
    let mut n = scenario_68k("M68kA", 21, "seg=4096 verify", 12, 60);
    n += scenario_68k("M68kB", 77, "seg=2048", 12, 45);
    n += scenario_68k("M68kC", 5, "seg=4096 maxseg=2", 10, 50);
    eprintln!("68k: {n} suspend/resume cycles in {:?}", t.elapsed());
}

#[test]
fn zdtm_68k_gc_stress() {
    scenario_68k("M68kS", 8, "seg=2048 stress verify", 6, 25);
}

// ---------------------------------------------------------------------------------------------
// Migration: a suspended store exported as a .prc, installed on another card, resumed.

/// Databases that shift the layout of whatever is installed after them.
fn fillers(n: u32) -> Vec<DatabaseFile> {
    (0..n)
        .map(|i| {
            let recs = (0..(5 + i * 7))
                .map(|r| palm_shim::pdb::RecordEntry { attributes: 0, unique_id: r + 1, data: vec![r as u8; (r * 37 % 500 + 1 + i) as usize] })
                .collect();
            DatabaseFile::new(&format!("Filler{i}"), u32::from_be_bytes(*b"DATA"), u32::from_be_bytes(*b"fill"), Entries::Records(recs)).unwrap()
        })
        .collect()
}

#[test]
fn migration_to_another_card_with_another_layout() {
    let mut m = machine(None, None);
    ok_68k(&mut m, "create Migrant 606 400 seg=4096");
    let prc = m.export_database("Migrant").unwrap().to_bytes();
    // On the 68k, on a card that already holds other databases.
    let file = DatabaseFile::parse(&prc).unwrap();
    let mut other = machine(None, None);
    for f in fillers(3) {
        other.install_database(&f).unwrap();
    }
    other.install_database(&file).unwrap();
    other.relocate_storage(77).unwrap();
    let out = ok_68k(&mut other, "resume Migrant 400");
    let moved: u32 = field(out.lines().next().unwrap(), "moved").parse().unwrap();
    assert!(moved > 0, "{out}");
    // Natively, on yet another card.
    let mut n = Native::new();
    for f in fillers(5) {
        n.install(&f);
    }
    n.install(&file);
    n.relocate(1234);
    let nout = n.ok("resume Migrant 400");
    let reference = states(&Native::new().ok("create Migrant 606 800 seg=4096 every=400"));
    assert_eq!(Some(&last_state(&out)), reference.get(&800));
    assert_eq!(Some(&last_state(&nout)), reference.get(&800));
    // And back: the native store, exported and resumed on a fresh 68k card.
    let back = n.export("Migrant").unwrap();
    let mut m3 = machine(None, None);
    m3.install_database(&back).unwrap();
    let out3 = ok_68k(&mut m3, "resume Migrant 0");
    assert_eq!(first_state(&out3), last_state(&nout));
}

// ---------------------------------------------------------------------------------------------
// Bad stores: refused with a message naming the fault, and not modified.

type Corruption = (&'static str, &'static str, fn(&mut DatabaseFile));

fn resources(f: &mut DatabaseFile) -> &mut Vec<palm_shim::pdb::ResourceEntry> {
    match &mut f.entries {
        Entries::Resources(r) => r,
        Entries::Records(_) => panic!("a store is a resource database"),
    }
}

fn resource<'a>(f: &'a mut DatabaseFile, kind: &[u8; 4], id: u16) -> &'a mut Vec<u8> {
    let k = u32::from_be_bytes(*kind);
    &mut resources(f).iter_mut().find(|r| r.kind == k && r.id == id).unwrap_or_else(|| panic!("no {kind:?} {id}")).data
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}
fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_be_bytes());
}

/// Objects of a segment record: (byte offset in the record, INFO, ADDRESS of the segment).
fn objects(rec: &[u8]) -> Vec<(usize, u32, u32)> {
    use guest_vm::layout::{info, segment_header as sh};
    let base = if rec[0..2] == [0xFF, 0xFF] { 2 } else { 0 };
    let address = be32(rec, base + sh::ADDRESS as usize);
    let top = be32(rec, base + sh::TOP as usize);
    let mut o = base + sh::SIZE as usize;
    let end = base + (top - address) as usize;
    let mut v = Vec::new();
    while o < end {
        let inf = be32(rec, o);
        v.push((o, inf, address + (o - base) as u32));
        o += info::size(inf) as usize;
    }
    v
}

/// The first object of `kind` in any segment: (segment id, offset in record, its address).
fn find_object(f: &mut DatabaseFile, kind: u32) -> (u16, usize, u32) {
    let last = u16::from_be_bytes(resource(f, b"STOR", 0)[12..14].try_into().unwrap());
    for id in 1..=last {
        if let Some(&(o, _, a)) = objects(resource(f, b"VMem", id)).iter().find(|(_, i, _)| guest_vm::layout::info::kind(*i) == kind) {
            return (id, o, a);
        }
    }
    panic!("no object of kind {kind}")
}

/// An object no word of the store refers to (garbage): (segment id, offset in its record).
fn unreferenced_object(f: &mut DatabaseFile) -> (u16, usize) {
    let mut words = std::collections::HashSet::new();
    for r in resources(f).iter() {
        for w in r.data.windows(4) {
            words.insert(be32(w, 0));
        }
    }
    let last = u16::from_be_bytes(resource(f, b"STOR", 0)[12..14].try_into().unwrap());
    for id in 1..=last {
        if let Some(&(o, _, _)) = objects(resource(f, b"VMem", id)).iter().find(|(_, _, a)| !words.contains(a)) {
            return (id, o);
        }
    }
    panic!("every object is referenced")
}

/// Where the segment starts in its record (after the bump marker, if any).
fn seg_base(rec: &[u8]) -> usize {
    if rec[0..2] == [0xFF, 0xFF] { 2 } else { 0 }
}

fn corruptions() -> Vec<Corruption> {
    use guest_vm::layout::{kind, segment_header as sh, store_header as hdr, thread, frame};
    vec![
        ("bad magic", "bad magic 0x58585858 in the 'STOR' header", |f| resource(f, b"STOR", 0)[0..4].copy_from_slice(b"XXXX")),
        ("bad version", "bad format version 99", |f| resource(f, b"STOR", 0)[4..6].copy_from_slice(&99u16.to_be_bytes())),
        ("bad header size", "bad header size 500", |f| resource(f, b"STOR", 0)[6..8].copy_from_slice(&500u16.to_be_bytes())),
        ("not suspended", "not suspended cleanly (header state 1)", |f| resource(f, b"STOR", 0)[8..10].copy_from_slice(&1u16.to_be_bytes())),
        ("missing segment", "segment 'VMem' 2 missing", |f| resources(f).retain(|r| !(r.kind == u32::from_be_bytes(*b"VMem") && r.id == 2))),
        ("extra segment", "extra segment 'VMem' ", |f| {
            let r = resources(f);
            let mut extra = r.iter().find(|r| r.kind == u32::from_be_bytes(*b"VMem")).unwrap().clone();
            extra.id = r.iter().filter(|r| r.kind == extra.kind).count() as u16 + 1;
            r.push(extra);
        }),
        ("lastRecordId too large", "disagrees with the segment table", |f| {
            let h = resource(f, b"STOR", 0);
            let n = u16::from_be_bytes(h[12..14].try_into().unwrap());
            h[12..14].copy_from_slice(&(n + 1).to_be_bytes());
        }),
        ("lastRecordId too small", "disagrees with the segment table", |f| {
            let h = resource(f, b"STOR", 0);
            let n = u16::from_be_bytes(h[12..14].try_into().unwrap());
            h[12..14].copy_from_slice(&(n - 1).to_be_bytes());
        }),
        ("lastRecordId zero", "lastRecordId 0 out of range", |f| resource(f, b"STOR", 0)[12..14].copy_from_slice(&0u16.to_be_bytes())),
        ("dangling heap pointer", "lands in no segment", |f| {
            let (id, o, _) = find_object(f, kind::THREAD);
            put32(resource(f, b"VMem", id), o + thread::NAME as usize, 0x0000_1000);
        }),
        ("dangling root", "'STOR' root 9: pointer 0x00300000 lands in no segment", |f| put32(resource(f, b"STOR", 0), (hdr::ROOTS + 4 * 9) as usize, 0x0030_0000)),
        ("pointer into an object", "does not point to an object", |f| {
            let (id, o, a) = find_object(f, kind::THREAD);
            put32(resource(f, b"VMem", id), o + thread::TOP_FRAME as usize, a + 4);
        }),
        ("bad bump marker", "segment 'VMem' 1: bad bump marker 0x1234", |f| resource(f, b"VMem", 1)[0..2].copy_from_slice(&[0x12, 0x34])),
        ("bump flag", "bump marker says", |f| {
            let r = resource(f, b"VMem", 2);
            let b = seg_base(r) + sh::FLAGS as usize;
            r[b + 1] ^= 1;
        }),
        ("truncated segment", "segment 'VMem' 1 truncated", |f| {
            let r = resource(f, b"VMem", 1);
            r.truncate(r.len() - 100);
        }),
        ("tiny segment", "segment 'VMem' 2 truncated", |f| resource(f, b"VMem", 2).truncate(10)),
        ("truncated header", "'STOR' header truncated: 100 bytes", |f| resource(f, b"STOR", 0).truncate(100)),
        ("no header", "no 'STOR' header resource", |f| resources(f).retain(|r| r.kind != u32::from_be_bytes(*b"STOR"))),
        ("two headers", "more than one 'STOR' header", |f| {
            let r = resources(f);
            let mut h = r.iter().find(|r| r.kind == u32::from_be_bytes(*b"STOR")).unwrap().clone();
            h.id = 1;
            r.push(h);
        }),
        ("segment magic", "segment 'VMem' 1: bad magic", |f| {
            let r = resource(f, b"VMem", 1);
            let b = seg_base(r);
            r[b + 3] ^= 0xFF;
        }),
        ("wrong record id", "segment 'VMem' 2: header says record 9", |f| {
            let r = resource(f, b"VMem", 2);
            let b = seg_base(r) + sh::RECORD_ID as usize;
            r[b..b + 2].copy_from_slice(&9u16.to_be_bytes());
        }),
        ("segment address", "disagrees with the segment table", |f| {
            let r = resource(f, b"VMem", 1);
            let b = seg_base(r) + sh::ADDRESS as usize;
            let a = be32(r, b);
            put32(r, b, a + 8);
        }),
        ("bad top", "segment 'VMem' 1: bad top", |f| {
            let r = resource(f, b"VMem", 1);
            let b = seg_base(r) + sh::TOP as usize;
            let a = be32(r, b);
            put32(r, b, a + 0x10_0000);
        }),
        ("bad next", "segment 'VMem' 1: next", |f| {
            let r = resource(f, b"VMem", 1);
            let b = seg_base(r) + sh::NEXT as usize;
            put32(r, b, 0);
        }),
        ("bad object header", "bad object header", |f| {
            let (id, o) = unreferenced_object(f);
            resource(f, b"VMem", id)[o] |= 0x70;
        }),
        ("mark bit", "mark bit set", |f| {
            let r = resource(f, b"VMem", 1);
            let (o, _, _) = objects(r)[2];
            r[o] |= 0x80;
        }),
        ("bad tag", "has bad tag 7", |f| {
            let (id, o, _) = find_object(f, kind::FRAME);
            let r = resource(f, b"VMem", id);
            let n = u16::from_be_bytes(r[o + frame::SLOT_COUNT as usize..o + frame::SLOT_COUNT as usize + 2].try_into().unwrap()) as usize;
            r[o + frame::SLOTS as usize + 4 * n] = 7;
        }),
        ("class pointer", "bad class pointer", |f| {
            let (id, o, a) = find_object(f, kind::FRAME);
            let (_, _, t) = find_object(f, kind::THREAD);
            let _ = a;
            put32(resource(f, b"VMem", id), o + 4, t);
        }),
    ]
}

/// A suspended store with several segments, its file image, and the native host's card.
fn good_store() -> DatabaseFile {
    let mut n = Native::new();
    n.ok("create Bad 2024 300 seg=2048");
    let mut f = n.export("Bad").unwrap();
    let segments = u16::from_be_bytes(resource(&mut f, b"STOR", 0)[12..14].try_into().unwrap());
    assert!(segments >= 3, "{segments} segments");
    f
}

#[test]
fn corrupt_stores_are_refused_untouched_natively() {
    let good = good_store();
    for (what, expect, corrupt) in corruptions() {
        let mut bad = good.clone();
        corrupt(&mut bad);
        let bytes = bad.to_bytes();
        let mut n = Native::new();
        n.install(&bad);
        for cmd in ["resume Bad 10", "check Bad", "gc-stats Bad"] {
            let (code, out) = n.run(cmd);
            assert_eq!(code, 2, "{what}: `{cmd}` exited {code}:\n{out}");
            assert!(out.contains("store \"Bad\" refused: ") && out.contains(expect), "{what}: `{cmd}` said:\n{out}\n(expected {expect:?})");
            assert!(n.export("Bad").unwrap().to_bytes() == bytes, "{what}: `{cmd}` modified the store");
            n.assert_heap_clean();
        }
    }
    // The good store itself passes.
    let mut n = Native::new();
    n.install(&good);
    assert!(n.ok("check Bad").contains("check \"Bad\": ok"));
}

#[test]
fn corrupt_stores_are_refused_untouched_on_the_68k() {
    let good = good_store();
    for (what, expect, corrupt) in corruptions() {
        let mut bad = good.clone();
        corrupt(&mut bad);
        let bytes = bad.to_bytes();
        let mut m = machine(None, None);
        m.install_database(&bad).unwrap();
        let before = m.ram().slice(memmap::STORAGE_HEAP.base, memmap::STORAGE_HEAP.size).unwrap().to_vec();
        let (code, out) = run_68k(&mut m, "resume Bad 10");
        assert_eq!(code, 2, "{what}: exited {code}:\n{out}");
        assert!(out.contains(expect), "{what}: said:\n{out}\n(expected {expect:?})");
        assert!(m.export_database("Bad").unwrap().to_bytes() == bytes, "{what}: the store was modified");
        let after = m.ram().slice(memmap::STORAGE_HEAP.base, memmap::STORAGE_HEAP.size).unwrap();
        let diffs = before.iter().zip(after).filter(|(a, b)| a != b).count();
        // Only chunk lock counts (locked, then unlocked again) may have been written.
        assert!(diffs == 0, "{what}: {diffs} storage-heap bytes changed");
        assert_no_locked_resources(m.shim().data_manager(), m.shim().memory(), m.ram());
        m.shim().memory().check(m.ram()).unwrap();
    }
}

#[test]
fn not_a_store_and_no_store() {
    let mut n = Native::new();
    for f in fillers(1) {
        n.install(&f);
    }
    let (code, out) = n.run("resume Filler0 1");
    assert_eq!(code, 2);
    assert!(out.contains("not a store"), "{out}");
    let (code, out) = n.run("resume Nothing 1");
    assert_eq!((code, out.contains("no such store")), (2, true), "{out}");
    let (code, out) = n.run("destroy Filler0");
    assert_eq!((code, out.contains("not a store")), (2, true), "{out}");
    assert!(n.export("Filler0").is_some());
    let (code, _) = n.run("frobnicate");
    assert_eq!(code, 1);
    let (code, out) = n.run("create Filler0 1 1");
    assert_eq!((code, out.contains("exists")), (4, true), "{out}");
}

// ---------------------------------------------------------------------------------------------
// check, gc-stats, destruction.

#[test]
fn check_is_read_only_and_sees_the_suspended_image() {
    let mut n = Native::new();
    let out = n.ok("create Look 5 250 seg=4096");
    let before = n.export("Look").unwrap().to_bytes();
    n.relocate(3);
    let chk = n.ok("check Look");
    assert_eq!(field(chk.lines().next().unwrap(), "image"), field(&last_state(&out), "image"));
    assert!(n.export("Look").unwrap().to_bytes() == before, "check modified the store");
    // The 68k agrees.
    let mut m = machine(Some(&n.card()), Some(9));
    assert_eq!(ok_68k(&mut m, "check Look"), chk);
    // Stores made natively and on the 68k are marked for backup (dmHdrAttrBackup).
    ok_68k(&mut m, "create Look68 6 20");
    for f in [n.export("Look").unwrap(), m.export_database("Look68").unwrap()] {
        assert_eq!(f.attributes & 0x0008, 0x0008, "{:?}: attributes {:#06x}", f.name(), f.attributes);
    }
}

#[test]
fn gc_stats_native_and_68k() {
    let mut n = Native::new();
    let before = last_state(&n.ok("create Coll 12 400 seg=4096"));
    let card = n.card();
    let mut m = machine(Some(&card), Some(2));
    let out = ok_68k(&mut m, "gc-stats Coll");
    let mut n2 = Native::from_card(&card, 2);
    assert_eq!(out, n2.ok("gc-stats Coll"));
    let g = out.lines().find(|l| l.starts_with("gc ")).unwrap();
    assert!(field(g, "reclaimed").parse::<u32>().unwrap() > 0, "{out}");
    // The program is unchanged by an extra collection (graph digest), and resumable.
    assert_eq!(field(&last_state(&out), "graph"), field(&before, "graph"));
    assert_ne!(field(&last_state(&out), "gc"), field(&before, "gc"));
    ok_68k(&mut m, "resume Coll 10");
}

fn destroyed(out: &str) -> &str {
    out.lines().find(|l| l.contains("destroyed: ")).unwrap_or_else(|| panic!("no destruction report in:\n{out}"))
}

#[test]
fn destruction_on_exit_last_thread_and_unrecoverable_error() {
    for native in [true, false] {
        let mut n = Native::new();
        let mut m = machine(None, None);
        let mut run = |cmd: &str| if native { n.run(cmd) } else { run_68k(&mut m, cmd) };
        // System.exit at step 350, reached after a suspension.
        let (code, out) = run("create Exiting 1 300 exit=350");
        assert_eq!(code, 0, "{out}");
        let (code, out) = run("resume Exiting 100");
        assert_eq!(code, 3, "{out}");
        assert!(destroyed(&out).contains("destroyed: exit(7); steps=349"), "{out}");
        // The main thread ends at its 60th step; the workers it started end later.
        let (code, out) = run("create Ending 2 2000 life=60");
        assert_eq!(code, 3, "{out}");
        assert!(destroyed(&out).contains("destroyed: last thread ended"), "{out}");
        // An OutOfMemoryError nobody catches.
        let (code, out) = run("create Full 3 3000 seg=1024 maxseg=2 oomfatal");
        assert_eq!(code, 3, "{out}");
        assert!(destroyed(&out).contains("unrecoverable error: uncaught OutOfMemoryError"), "{out}");
        // On request.
        let (code, _) = run("create Doomed 4 10");
        assert_eq!(code, 0);
        let (code, out) = run("destroy Doomed");
        assert_eq!((code, out.trim()), (0, "store \"Doomed\" destroyed: requested"));
        for name in ["Exiting", "Ending", "Full", "Doomed"] {
            if native {
                assert!(n.export(name).is_none(), "{name} survived");
            } else {
                assert!(m.export_database(name).is_err(), "{name} survived");
            }
        }
        if native {
            n.assert_heap_clean();
        } else {
            assert_no_locked_resources(m.shim().data_manager(), m.shim().memory(), m.ram());
        }
    }
}

#[test]
fn out_of_memory_is_seen_by_the_program() {
    // A heap limited to 2 segments of 4 KB: the program catches OutOfMemoryErrors, drops what
    // it holds and goes on; the store survives suspension and resumption.
    let mut n = Native::new();
    let out = n.ok("create Cramped 17 2000 seg=4096 maxseg=2");
    let st = last_state(&out);
    assert!(field(&st, "ooms").parse::<u32>().unwrap() > 0, "{out}");
    assert_eq!(field(&st, "heap"), "8192/2");
    n.relocate(1);
    n.ok("resume Cramped 100");
}


// ---------------------------------------------------------------------------------------------
// Benchmarks (run with `cargo test --release -p integration-tests --test persistence -- --ignored --nocapture`).

/// Runs `bench NAME 1` on the 68k: the program stops as idle at each phase marker
/// (EvtGetEvent waiting forever); the host takes the time and posts a key to go on.
/// Returns the phase times: resume, memcpy of the heap's bytes, collection, suspension.
fn bench_68k(card: &CardImage, seed: u64, name: &str, elf: &str) -> (Vec<Duration>, String) {
    let mut m = machine_for(elf, &config());
    m.load_card_image(card).unwrap();
    m.relocate_storage(seed).unwrap();
    m.set_program_args(format!("bench {name} 1").as_bytes());
    let mut marks = Vec::new();
    loop {
        let r = m.run(Some(Duration::from_secs(600)));
        marks.push(Instant::now());
        match r {
            StopReason::Idle => {
                m.key(b'x' as u16, 0, 0);
            }
            StopReason::Exit(0) => break,
            other => panic!("bench stopped with {other}: {}", m.console_text()),
        }
    }
    assert_eq!(marks.len(), 6, "{}", m.console_text());
    (marks.windows(2).take(4).map(|w| w[1] - w[0]).collect(), m.console_text())
}

#[test]
#[ignore]
fn bench_resume_suspend_gc() {
    println!("| heap (fill) | segment | segments | heap bytes | build | resume | memcpy | resume/memcpy | GC | suspend | native resume | native GC |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (fill, seg) in [
        (64u32 << 10, 8u32 << 10),
        (64 << 10, 64 << 10),
        (256 << 10, 32 << 10),
        (256 << 10, 0x3FFFC),
        (1 << 20, 32 << 10),
        (1 << 20, 0x3FFFC),
        (4 << 20, 128 << 10),
        (4 << 20, 0x3FFFC),
    ].into_iter().filter(|&(f, _)| std::env::var("BENCH_FILL").map_or(true, |v| v.parse::<u32>().unwrap() == f)) {
        let mut n = Native::new();
        let name = "Bench";
        let out = n.ok(&format!("create {name} 1 0 seg={seg} fill={fill}"));
        let st = last_state(&out);
        let card = n.card();
        for elf in ["guest-vm.elf", "guest-vm-unchecked.elf"] {
            let (t, text) = bench_68k(&card, 0xBE7C4, name, elf);
            let b = text.lines().find(|l| l.starts_with("bench ")).unwrap().to_string();
            // Native: the same phases timed directly.
            let mut nn = Native::from_card(&card, 0xBE7C4);
            let (nr, ng) = with_host(&mut Guarded(&mut nn.host), || {
                let t0 = Instant::now();
                let (mut vm, _) = guest_vm::store::Vm::resume(name.as_bytes(), false).unwrap();
                let t1 = Instant::now();
                guest_vm::gc::collect(&mut vm.heap).unwrap();
                let t2 = Instant::now();
                vm.suspend().unwrap();
                (t1 - t0, t2 - t1)
            });
            let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
            println!(
                "| {} KB | {} KB | {} | {} | {} | {} | {} | {:.1} | {} | {} | {} | {} |",
                fill >> 10,
                seg >> 10,
                field(&b, "segments"),
                field(&st, "heap").split('/').next().unwrap(),
                if elf.contains("unchecked") { "unchecked" } else { "checked" },
                ms(t[0]),
                ms(t[1]),
                t[0].as_secs_f64() / t[1].as_secs_f64(),
                ms(t[2]),
                ms(t[3]),
                ms(nr),
                ms(ng)
            );
        }
    }
}
