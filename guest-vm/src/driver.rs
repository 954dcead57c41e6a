//! The test program (`target/guest/guest-vm.elf`, and natively `guest_vm::driver::main`): one
//! command per run, read with `guest_sdk::program_args()`, and a stable transcript on the
//! console. Nothing in the transcript depends on addresses, except the `resumed` line's counts
//! of moved and shifted segments.
//!
//! Commands:
//! - `create NAME SEED STEPS [seg=BYTES] [maxseg=N] [life=N] [exit=N] [every=K] [fill=BYTES] [stress] [verify] [oomfatal]`
//!   creates a store, runs STEPS steps, prints its state, suspends it.
//! - `resume NAME STEPS [every=K]`: resumes, prints the state found, runs, prints, suspends.
//! - `check NAME`: checks a suspended store without writing to it; prints its image digest.
//! - `destroy NAME`: deletes a suspended store.
//! - `gc-stats NAME`: resumes, collects, prints the collector's figures, suspends.
//! - `bench NAME COPIES`: resume, copy the heap's bytes COPIES times with the C runtime's
//!   memcpy (the yardstick), collect, suspend; on the 68k each phase is followed by an
//!   `EvtGetEvent(evtWaitForever)` marker, where the run stops as idle and the host takes the
//!   time (it posts a key event to go on).
//!
//! Lines: `state step=.. threads=alive/started live=objects/bytes kinds=i,ra,pa,c,t,f heap=bytes/segments
//! gc=.. ooms=.. graph=<16 hex> image=<16 hex>` (every K steps with `every=K`, and at the end),
//! `created`, `resumed`, `suspended`, `check`, `store "NAME" refused: <fault>`,
//! `store "NAME" destroyed: <reason>; ...`.
//!
//! Exit codes: 0 done (store suspended or checked), 1 usage, 2 store refused (untouched),
//! 3 store destroyed (exit, last thread ended, unrecoverable error; the report says which),
//! 4 creation failed.

use crate::check;
use crate::digest;
use crate::gc;
use crate::layout::workload_options;
use crate::store::{self, CreateOptions, ResumeError, RunEnd, Vm};
use crate::threads;
use alloc::string::String;
use alloc::vec::Vec;
use guest_sdk::println;

pub const EXIT_OK: u32 = 0;
pub const EXIT_USAGE: u32 = 1;
pub const EXIT_REFUSED: u32 = 2;
pub const EXIT_DESTROYED: u32 = 3;
pub const EXIT_CREATE_FAILED: u32 = 4;

fn parse_u32(w: &[u8]) -> Option<u32> {
    let s = core::str::from_utf8(w).ok()?;
    match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

pub(crate) fn name_str(n: &[u8]) -> String {
    String::from_utf8_lossy(n).into_owned()
}

/// The program: runs the command in the program arguments; returns the exit code.
pub fn main() -> u32 {
    let args = guest_sdk::program_args();
    let words: Vec<&[u8]> = args.split(|&b| b == b' ' || b == b'\n').filter(|w| !w.is_empty()).collect();
    let code = match words.first().copied() {
        Some(b"create") => cmd_create(&words[1..]),
        Some(b"resume") => cmd_resume(&words[1..]),
        Some(b"check") if words.len() == 2 => cmd_check(words[1]),
        Some(b"destroy") if words.len() == 2 => cmd_destroy(words[1]),
        Some(b"gc-stats") if words.len() == 2 => cmd_gc_stats(words[1]),
        Some(b"bench") if words.len() == 3 => cmd_bench(words[1], parse_u32(words[2]).unwrap_or(1)),
        _ => None,
    };
    code.unwrap_or_else(|| {
        println!("usage: create NAME SEED STEPS [opts] | resume NAME STEPS [every=K] | check NAME | destroy NAME | gc-stats NAME | bench NAME COPIES");
        EXIT_USAGE
    })
}

/// Prints the state line; an inconsistent heap is an unrecoverable error.
pub(crate) fn print_state(vm: &Vm) -> Result<(), String> {
    vm.save_modules();
    let g = digest::graph(&vm.heap);
    let img = check::live_image(&vm.heap).map_err(|f| alloc::format!("heap inconsistent: {f}"))?;
    let k = g.by_kind;
    println!(
        "state step={} threads={}/{} live={}/{} kinds={},{},{},{},{},{} heap={}/{} gc={} ooms={} graph={:016x} image={:016x}",
        vm.sched.steps,
        threads::thread_count(&vm.heap),
        vm.sched.threads_started,
        g.objects,
        g.bytes,
        k[1],
        k[2],
        k[3],
        k[4],
        k[5],
        k[6],
        vm.heap.total_bytes(),
        vm.heap.segments.len(),
        vm.heap.gc.collections,
        vm.work.oom_events,
        g.digest,
        img.image
    );
    Ok(())
}

/// Runs `steps` steps, printing the state every `every` steps; destroys the store when the
/// program ends. Returns the VM if it is still running.
pub(crate) fn run_steps(mut vm: Vm, steps: u32, every: u32) -> Result<Vm, u32> {
    let mut left = steps;
    while left > 0 {
        let chunk = if every > 0 { (every - vm.sched.steps % every).min(left) } else { left };
        let end = vm.run(chunk);
        let reason = match end {
            Ok(RunEnd::Completed) => None,
            Ok(RunEnd::Exit(c)) => Some(alloc::format!("exit({c})")),
            Ok(RunEnd::LastThreadEnded) => Some(String::from("last thread ended")),
            Ok(RunEnd::Uncaught(m)) => Some(alloc::format!("unrecoverable error: uncaught {m}")),
            Err(e) => Some(alloc::format!("unrecoverable error: {e}")),
        };
        if let Some(reason) = reason {
            println!("{}", vm.destroy(&reason));
            return Err(EXIT_DESTROYED);
        }
        left -= chunk;
        if every > 0 && vm.sched.steps.is_multiple_of(every) {
            if let Err(m) = print_state(&vm) {
                println!("{}", vm.destroy(&alloc::format!("unrecoverable error: {m}")));
                return Err(EXIT_DESTROYED);
            }
        }
    }
    Ok(vm)
}

/// Final state line, suspension.
pub(crate) fn finish(vm: Vm) -> u32 {
    if let Err(m) = print_state(&vm) {
        println!("{}", vm.destroy(&alloc::format!("unrecoverable error: {m}")));
        return EXIT_DESTROYED;
    }
    let name = name_str(&vm.name);
    let (segs, heap) = (vm.heap.segments.len(), vm.heap.total_bytes());
    match vm.suspend() {
        Ok(()) => {
            println!("suspended \"{name}\": segments={segs} heap={heap}");
            EXIT_OK
        }
        Err(e) => {
            println!("suspended \"{name}\" with errors:{e}");
            EXIT_OK
        }
    }
}

fn cmd_create(w: &[&[u8]]) -> Option<u32> {
    if w.len() < 3 {
        return None;
    }
    let name = w[0];
    let mut o = CreateOptions { seed: parse_u32(w[1])?, ..Default::default() };
    let steps = parse_u32(w[2])?;
    let mut every = 0;
    for opt in &w[3..] {
        let (k, v) = match opt.iter().position(|&b| b == b'=') {
            Some(i) => (&opt[..i], parse_u32(&opt[i + 1..])),
            None => (&opt[..], None),
        };
        match (k, v) {
            (b"seg", Some(v)) => o.segment_size = v,
            (b"maxseg", Some(v)) => o.max_segments = v as u16,
            (b"life", Some(v)) => o.main_life = v,
            (b"exit", Some(v)) => o.exit_at = v,
            (b"every", Some(v)) => every = v,
            (b"fill", Some(v)) => o.fill = v,
            (b"stress", None) => o.options |= workload_options::GC_STRESS,
            (b"verify", None) => o.options |= workload_options::VERIFY,
            (b"oomfatal", None) => o.options |= workload_options::OOM_FATAL,
            _ => return None,
        }
    }
    let vm = match Vm::create(name, &o) {
        Ok(vm) => vm,
        Err(m) => {
            println!("cannot create store \"{}\": {m}", name_str(name));
            return Some(EXIT_CREATE_FAILED);
        }
    };
    print_created(name, &o, &vm);
    Some(match run_steps(vm, steps, every) {
        Ok(vm) => finish(vm),
        Err(code) => code,
    })
}

/// The `created` line.
pub(crate) fn print_created(name: &[u8], o: &CreateOptions, vm: &Vm) {
    println!(
        "created \"{}\": seed={} segment={} maxseg={} options={} life={} exit={}",
        name_str(name),
        o.seed,
        vm.heap.default_segment_size(),
        vm.heap.max_segments(),
        o.options,
        o.main_life,
        o.exit_at
    );
}

/// Resumes, printing the `resumed` line; the exit code on failure.
fn resume_verbose(name: &[u8]) -> Result<Vm, u32> {
    report_resume(name, Vm::resume(name, true))
}

/// Resumes the store with LocalID `id` (named `name`), printing the `resumed` line (or why
/// not); the exit code on failure.
pub(crate) fn resume_verbose_id(id: u32, name: &[u8]) -> Result<Vm, u32> {
    report_resume(name, Vm::resume_id(id, name, true))
}

fn report_resume(name: &[u8], r: Result<(Vm, store::ResumeReport), ResumeError>) -> Result<Vm, u32> {
    match r {
        Ok((vm, r)) => {
            let (s, res) = vm.counters();
            println!(
                "resumed \"{}\": segments={} moved={} shifted={} objects={} image={:016x} suspensions={} resumptions={}",
                name_str(name),
                r.segments,
                r.moved,
                r.shifted,
                r.checked.objects,
                r.checked.image,
                s,
                res
            );
            Ok(vm)
        }
        Err(ResumeError::Refused(f)) => {
            println!("store \"{}\" refused: {f}", name_str(name));
            Err(EXIT_REFUSED)
        }
        Err(ResumeError::Failed(report)) => {
            println!("{report}");
            Err(EXIT_DESTROYED)
        }
    }
}

fn cmd_resume(w: &[&[u8]]) -> Option<u32> {
    if w.len() < 2 {
        return None;
    }
    let steps = parse_u32(w[1])?;
    let mut every = 0;
    for opt in &w[2..] {
        match opt.strip_prefix(b"every=").and_then(parse_u32) {
            Some(v) => every = v,
            None => return None,
        }
    }
    let vm = match resume_verbose(w[0]) {
        Ok(vm) => vm,
        Err(code) => return Some(code),
    };
    if let Err(m) = print_state(&vm) {
        println!("{}", vm.destroy(&alloc::format!("unrecoverable error: {m}")));
        return Some(EXIT_DESTROYED);
    }
    Some(match run_steps(vm, steps, every) {
        Ok(vm) => finish(vm),
        Err(code) => code,
    })
}

fn cmd_check(name: &[u8]) -> Option<u32> {
    Some(match check::check_store(name, true) {
        Ok(c) => {
            let s = c.summary;
            println!(
                "check \"{}\": ok segments={} objects={} bytes={} kinds={},{},{},{},{},{} image={:016x}",
                name_str(name),
                c.segments.len(),
                s.objects,
                s.bytes,
                s.by_kind[1],
                s.by_kind[2],
                s.by_kind[3],
                s.by_kind[4],
                s.by_kind[5],
                s.by_kind[6],
                s.image
            );
            c.release();
            EXIT_OK
        }
        Err(f) => {
            println!("store \"{}\" refused: {f}", name_str(name));
            EXIT_REFUSED
        }
    })
}

fn cmd_destroy(name: &[u8]) -> Option<u32> {
    Some(match store::destroy_suspended(name) {
        Ok(report) => {
            println!("{report}");
            EXIT_OK
        }
        Err(f) => {
            println!("store \"{}\" refused: {f}", name_str(name));
            EXIT_REFUSED
        }
    })
}

fn cmd_gc_stats(name: &[u8]) -> Option<u32> {
    let mut vm = match resume_verbose(name) {
        Ok(vm) => vm,
        Err(code) => return Some(code),
    };
    let before = gc::used_bytes(&vm.heap);
    if let Err(e) = gc::collect(&mut vm.heap) {
        println!("{}", vm.destroy(&alloc::format!("unrecoverable error: {e}")));
        return Some(EXIT_DESTROYED);
    }
    let after = gc::used_bytes(&vm.heap);
    println!(
        "gc \"{}\": before={before} after={after} reclaimed={} collections={} segments={} heap={}",
        name_str(name),
        before - after,
        vm.heap.gc.collections,
        vm.heap.segments.len(),
        vm.heap.total_bytes()
    );
    Some(finish(vm))
}

/// A phase boundary the host can time: on the 68k, `EvtGetEvent(evtWaitForever)` stops the run
/// as idle until the host posts an event; natively nothing (the host times calls directly).
fn marker() {
    #[cfg(target_arch = "wasm32")]
    {
        let (buf, _) = guest_sdk::scratch_area();
        guest_sdk::traps::EvtGetEvent(buf.add(512), -1);
    }
}

fn cmd_bench(name: &[u8], copies: u32) -> Option<u32> {
    marker();
    let mut vm = match Vm::resume(name, false) {
        Ok((vm, _)) => vm,
        Err(ResumeError::Refused(f)) => {
            println!("store \"{}\" refused: {f}", name_str(name));
            return Some(EXIT_REFUSED);
        }
        Err(ResumeError::Failed(r)) => {
            println!("{r}");
            return Some(EXIT_DESTROYED);
        }
    };
    marker();
    // The same bytes through the C runtime's memcpy, into a dynamic-heap buffer piece by piece.
    const PIECE: u32 = 32 * 1024;
    let buf = guest_sdk::traps::MemPtrNew(PIECE);
    let used = gc::used_bytes(&vm.heap);
    if !buf.is_null() {
        for _ in 0..copies {
            for s in &vm.heap.segments {
                let mut off = 0;
                while off < s.size {
                    let n = PIECE.min(s.size - off);
                    guest_sdk::guest_memcpy(buf, guest_sdk::GuestAddr(s.base + off), n);
                    off += n;
                }
            }
        }
        guest_sdk::traps::MemChunkFree(buf);
    }
    marker();
    let gc_ok = gc::collect(&mut vm.heap).is_ok();
    marker();
    let (segs, heap) = (vm.heap.segments.len(), vm.heap.total_bytes());
    let r = vm.suspend();
    marker();
    println!(
        "bench \"{}\": segments={segs} heap={heap} used={used} copies={copies} gc={} suspend={}",
        name_str(name),
        if gc_ok { "ok" } else { "failed" },
        if r.is_ok() { "ok" } else { "errors" }
    );
    Some(EXIT_OK)
}
