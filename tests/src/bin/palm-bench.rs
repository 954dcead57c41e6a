//! `palm-bench`: prints performance figures measured in one run (no timed asserts):
//! guest instructions per second on a register loop and a memory-copy loop against the same
//! loops compiled natively (the emulation tax), the cost of one `TRAP #15` round trip, the
//! differential self-test's time natively and on the 68k (the whole guest tax), and the
//! headless boot time of a cold process.

use emulator::{guest_artifact, Machine, MachineConfig, RomImage, StopReason};
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

/// Instructions executed by roms-stub/asm-tests/bench_register_loop.S (counted by hand).
const REGISTER_LOOP_INSNS: u64 = 3 * 100_000_000 + 4;
/// Instructions executed by bench_memory_copy.S: 200 passes of (3 + 16384 * 2 + 1).
const MEMORY_COPY_INSNS: u64 = 200 * (3 + 16384 * 2 + 1);
/// Traps made by bench_trap_roundtrip.S.
const TRAP_CALLS: u64 = 200_000;

fn machine(name: &str, check_odd_pc: bool) -> Machine {
    let path = guest_artifact(name);
    let rom = RomImage::load(&path).unwrap_or_else(|e| panic!("{e} (run scripts/build-guest.sh)"));
    let config = MachineConfig { stop_at_boot: false, check_odd_pc, ..Default::default() };
    Machine::with_rom(&config, rom).unwrap_or_else(|e| panic!("{e}"))
}

/// Best of `n` runs of a guest program to its exit.
fn time_guest(name: &str, check_odd_pc: bool, n: usize) -> Duration {
    (0..n)
        .map(|_| {
            let mut m = machine(name, check_odd_pc);
            let (r, t) = m.run_timed(Some(Duration::from_secs(300)));
            assert!(matches!(r, StopReason::Exit(_)), "{name}: {r}");
            t
        })
        .min()
        .unwrap()
}

fn best_of(n: usize, mut f: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

/// The guest's ADDQ/SUBQ/BNE loop as the same three x86-64 instructions (a compiler would
/// fold a Rust loop into a closed form).
#[cfg(target_arch = "x86_64")]
fn native_register_loop() {
    let mut d1: u32 = 0;
    // SAFETY: register-only loop; touches no memory.
    unsafe {
        std::arch::asm!("2:", "add {d1:e}, 3", "sub {d0:e}, 1", "jnz 2b",
            d0 = inout(reg) black_box(100_000_000u32) => _, d1 = inout(reg) d1, options(nomem, nostack));
    }
    black_box(d1);
}

#[cfg(not(target_arch = "x86_64"))]
fn native_register_loop() {
    let mut d0: u32 = black_box(100_000_000);
    let mut d1: u32 = 0;
    while d0 != 0 {
        d1 = black_box(d1.wrapping_add(3));
        d0 -= 1;
    }
    black_box(d1);
}

fn native_memory_copy(src: &[u32], dst: &mut [u32]) {
    for _ in 0..200 {
        for (d, s) in dst.iter_mut().zip(src) {
            // Volatile keeps it a word-by-word loop like the guest's, not a vectorised memcpy.
            unsafe { std::ptr::write_volatile(d, std::ptr::read_volatile(s)) };
        }
    }
}

fn mips(insns: u64, t: Duration) -> f64 {
    insns as f64 / t.as_secs_f64() / 1e6
}

fn main() {
    println!("palm-bench: figures from one run on this machine (best of several runs each)");

    let reg_checked = time_guest("asm-tests/bench_register_loop.elf", true, 3);
    let reg_fast = time_guest("asm-tests/bench_register_loop.elf", false, 3);
    let reg_native = best_of(3, native_register_loop);
    println!(
        "register loop:  guest {:8.1} M insn/s ({:.3} s), without odd-PC check {:8.1} M insn/s; native {:.4} s; emulation tax {:.1}x",
        mips(REGISTER_LOOP_INSNS, reg_checked), reg_checked.as_secs_f64(), mips(REGISTER_LOOP_INSNS, reg_fast),
        reg_native.as_secs_f64(), reg_checked.as_secs_f64() / reg_native.as_secs_f64()
    );

    let copy_checked = time_guest("asm-tests/bench_memory_copy.elf", true, 3);
    let copy_fast = time_guest("asm-tests/bench_memory_copy.elf", false, 3);
    let src = vec![0x5A5A_5A5Au32; 16384];
    let mut dst = vec![0u32; 16384];
    let copy_native = best_of(5, || native_memory_copy(&src, &mut dst));
    println!(
        "memory copy:    guest {:8.1} M insn/s ({:.3} s, {:.1} MB/s), without odd-PC check {:8.1} M insn/s; native {:.4} s; emulation tax {:.1}x",
        mips(MEMORY_COPY_INSNS, copy_checked), copy_checked.as_secs_f64(),
        200.0 * 65536.0 / copy_checked.as_secs_f64() / 1e6, mips(MEMORY_COPY_INSNS, copy_fast),
        copy_native.as_secs_f64(), copy_checked.as_secs_f64() / copy_native.as_secs_f64()
    );

    let traps = time_guest("asm-tests/bench_trap_roundtrip.elf", true, 3);
    // Subtract the loop's own two instructions per call at register-loop speed.
    let loop_cost = reg_checked.as_secs_f64() / REGISTER_LOOP_INSNS as f64 * 2.0 * TRAP_CALLS as f64;
    println!(
        "TRAP #15:       {:.0} ns per round trip to a trivial handler (SysTicksPerSecond), {} calls in {:.3} s",
        (traps.as_secs_f64() - loop_cost) / TRAP_CALLS as f64 * 1e9, TRAP_CALLS, traps.as_secs_f64()
    );

    differential_workload();
    data_manager_records();
    card_throughput();

    if std::env::args().any(|a| a == "--no-boot") {
        return;
    }
    let exe = std::env::current_exe().unwrap().with_file_name("palmemu");
    if !exe.exists() {
        println!("cold boot:      skipped ({} not built; cargo build --release -p emulator)", exe.display());
        return;
    }
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let out = Command::new(&exe).arg("--headless").output().expect("palmemu runs");
            assert!(out.status.success(), "boot failed: {}", String::from_utf8_lossy(&out.stderr));
            t.elapsed()
        })
        .collect();
    times.sort();
    println!("cold boot:      {:.1} ms median of 5 headless boots of a fresh process (min {:.1} ms)",
        times[2].as_secs_f64() * 1e3, times[0].as_secs_f64() * 1e3);
}

/// Records created+written, and read, per second through real Data Manager traps
/// (roms-stub/asm-tests/bench_dm_records.inc: 2000 records of 64 bytes, 4 read passes).
fn data_manager_records() {
    const RECORDS: f64 = 2000.0;
    let time = |name: &str| {
        (0..3)
            .map(|_| {
                let mut m = machine(name, true);
                let (r, t) = m.run_timed(Some(Duration::from_secs(300)));
                assert_eq!(r, StopReason::Exit(2000), "{name}");
                t
            })
            .min()
            .unwrap()
    };
    let write = time("asm-tests/bench_dm_write.elf");
    let read = time("asm-tests/bench_dm_read.elf").saturating_sub(write);
    println!(
        "Data Manager:   {:.0} records/s created and written (DmNewRecord+Lock+DmWrite+Unlock+Release), {:.0} records/s read (DmQueryRecord+Lock+Unlock)",
        RECORDS / write.as_secs_f64(),
        4.0 * RECORDS / read.as_secs_f64().max(1e-9)
    );
}

/// Card save (serialise + checksum + write + fsync + rename) and load (read + verify + parse)
/// throughput, against copying a file of the same size (with fsync) in the same run.
fn card_throughput() {
    use palm_shim::card::CardImage;
    use palm_shim::pdb::{DatabaseFile, Entries, RecordEntry};
    let databases: Vec<DatabaseFile> = (0..16)
        .map(|d| {
            let recs = (0..128u32)
                .map(|r| RecordEntry { attributes: 0, unique_id: r + 1, data: vec![(d as u8) ^ (r as u8); 4096] })
                .collect();
            DatabaseFile::new(&format!("Bench{d}"), u32::from_be_bytes(*b"DATA"), u32::from_be_bytes(*b"bnch"), Entries::Records(recs)).unwrap()
        })
        .collect();
    let card = CardImage { generation: 1, databases };
    let dir = std::env::temp_dir().join(format!("palm-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("card.palmcard");
    let save = best_of(3, || card.save(&path).unwrap());
    let size = std::fs::metadata(&path).unwrap().len() as f64;
    let load = best_of(3, || {
        black_box(CardImage::load(&path).unwrap());
    });
    let copy_path = dir.join("copy.bin");
    let copy = best_of(3, || {
        std::fs::copy(&path, &copy_path).unwrap();
        std::fs::File::open(&copy_path).unwrap().sync_all().unwrap();
    });
    let mut m = Machine::new(&MachineConfig::default()).unwrap();
    let install = {
        let t = Instant::now();
        m.load_card_image(&card).unwrap();
        t.elapsed()
    };
    let mb = size / 1e6;
    println!(
        "card file:      {:.1} MB: save {:.0} MB/s, load+verify {:.0} MB/s, plain copy+fsync {:.0} MB/s (save/copy {:.2}x); laying it out in the storage heap {:.0} MB/s",
        mb, mb / save.as_secs_f64(), mb / load.as_secs_f64(), mb / copy.as_secs_f64(),
        save.as_secs_f64() / copy.as_secs_f64(), mb / install.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The differential self-test natively (through the real shim) and on the 68k, with and
/// without wasm2c's bounds checks: the whole guest tax (translation plus emulation).
fn differential_workload() {
    use guest_sdk::native::with_host;
    use integration_tests::shim_host::ShimHost;
    let native = best_of(3, || {
        let mut host = ShimHost::default();
        assert_eq!(with_host(&mut host, guest_selftest::run), 0);
    });
    let checked = time_guest("selftest.elf", true, 2);
    let unchecked = time_guest("selftest-unchecked.elf", true, 2);
    println!(
        "differential:   self-test native {:.1} ms; 68k {:.0} ms with bounds checks ({:.0}x), {:.0} ms without ({:.0}x)",
        native.as_secs_f64() * 1e3,
        checked.as_secs_f64() * 1e3,
        checked.as_secs_f64() / native.as_secs_f64(),
        unchecked.as_secs_f64() * 1e3,
        unchecked.as_secs_f64() / native.as_secs_f64()
    );
}
