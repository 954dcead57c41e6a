//! The workload that runs until the bytecode interpreter exists: a deterministic object-graph
//! mutator (lists, trees, cycles, arrays of references and primitives, strings, wide objects,
//! garbage) running as heap-resident green threads. All of its state lives in the heap: each
//! thread's xorshift state, its frames (locals and operand stack with their tag stack), the
//! header's roots. So a store suspended between any two steps and resumed elsewhere continues
//! exactly as an uninterrupted run would.
//!
//! Routines (frame METHOD): [`MAIN`] loops forever doing one random operation per step;
//! [`TREE`] builds a binary tree recursively, one frame per level, over several steps;
//! [`WORKER`] threads (spawned by MAIN) build a list and end, handing it to root 3.
//!
//! Allocation discipline (see [`crate::heap`]): every allocation may move every object, so
//! results are stored into the heap at once and frames/threads are re-read afterwards.

use crate::gc;
use crate::heap::{array_elem, class, get_field, internal, r32, set_field, w32, w8, Heap, VmError};
use crate::layout::{self, global, thread as th, workload_options};
use crate::threads::{self, current_frame, current_thread, FrameRef, Scheduler};
use alloc::format;
use alloc::string::String;
use core::fmt::Write;
use guest_sdk::console::FixedBuf;

/// Routine numbers (frame METHOD).
pub const MAIN: u16 = 1;
pub const TREE: u16 = 2;
pub const WORKER: u16 = 3;

/// MAIN's frame: 10 locals (L0..L5 references, L6..L9 ints) and an 8-slot operand stack.
pub const MAIN_SLOTS: u32 = 18;
pub const MAIN_LOCALS: u32 = 10;
const MAIN_REF_LOCALS: u32 = 0b11_1111;
const L_LIST: u32 = 0;
const L_TREE: u32 = 1;
const L_RING: u32 = 2;
const L_ARRAY: u32 = 3;
const L_TEXT: u32 = 4;
const L_MISC: u32 = 5;
const L_LIST_LEN: u32 = 6;
const L_COUNTER: u32 = 7;
const L_OOM_STREAK: u32 = 8;
/// MAIN's PC while it waits for a tree.
const PC_TREE_WAIT: u32 = 1;

const TREE_SLOTS: u32 = 8;
const TREE_LOCALS: u32 = 4;
const TREE_REF_LOCALS: u32 = 0b0110;

const WORKER_SLOTS: u32 = 8;
const WORKER_LOCALS: u32 = 4;
const WORKER_REF_LOCALS: u32 = 0b0101;

/// Roots the program uses (its "static fields").
pub const ROOT_ARCHIVE: u32 = 0;
pub const ROOT_BIG: u32 = 1;
pub const ROOT_WIDE: u32 = 2;
pub const ROOT_WORKER_RESULT: u32 = 3;
/// The retained structure built by [`fill`] (never touched by the workload).
pub const ROOT_FILL: u32 = 4;
const ARCHIVE_LEN: u32 = 16;
/// Most threads alive at once.
const MAX_THREADS: u32 = 4;
/// The exit code of `System.exit` at the EXIT_AT step.
pub const EXIT_CODE: u32 = 7;

/// The workload's module variables (saved in the header's WORKLOAD block).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Workload {
    pub seed: u32,
    pub options: u32,
    pub main_life: u32,
    pub exit_at: u32,
    pub oom_events: u32,
}

/// What a step led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Continue,
    /// `System.exit(code)`.
    Exit(u32),
    /// An exception no frame caught (the store is destroyed).
    Uncaught(String),
}

/// xorshift32 on the current thread's RNG field.
fn rand(heap: &Heap) -> u32 {
    let t = current_thread(heap);
    let mut x = r32(t + th::RNG);
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    w32(t + th::RNG, x);
    x
}

/// Creates the main thread (store creation).
pub fn start(heap: &mut Heap, sched: &mut Scheduler, seed: u32) -> Result<(), VmError> {
    threads::spawn_first(heap, b"main", MAIN, MAIN_SLOTS, MAIN_LOCALS, MAIN_REF_LOCALS, seed ^ 0x2545_F491, 1)?;
    sched.threads_started = 1;
    sched.quantum_left = threads::QUANTUM;
    let t = heap.global(global::THREAD_LIST);
    heap.set_global(global::CURRENT_THREAD, t);
    Ok(())
}

/// Builds a retained, pointer-dense structure of about `bytes` bytes in root 4 (to give a
/// store a heap of a chosen size: benchmarks). A chain of `Pair`s whose FIRST is an `int[8]`
/// or an `Object[4]` referring back into the chain, and whose SECOND is the previous pair.
pub fn fill(heap: &mut Heap, bytes: u32) -> Result<(), VmError> {
    let mut made = 0u32;
    let mut i = 0u32;
    while made < bytes {
        let p = heap.new_instance(class::PAIR)?;
        set_field(p, class::pair::SECOND, heap.root(ROOT_FILL));
        set_field(p, class::pair::COUNT, i);
        heap.set_root(ROOT_FILL, p);
        made += layout::instance_size(3);
        if i.is_multiple_of(2) {
            let a = heap.new_prim_array(class::INT_ARRAY, 8)?;
            for k in 0..8 {
                w32(array_elem(a, k), i.wrapping_mul(k + 1));
            }
            set_field(heap.root(ROOT_FILL), class::pair::FIRST, a);
            made += layout::prim_array_size(8, 4);
        } else {
            let a = heap.new_ref_array(4)?;
            let mut q = heap.root(ROOT_FILL);
            for k in 0..4 {
                w32(array_elem(a, k), q);
                q = get_field(q, class::pair::SECOND);
                if q == 0 {
                    break;
                }
            }
            set_field(heap.root(ROOT_FILL), class::pair::FIRST, a);
            made += layout::ref_array_size(4);
        }
        i += 1;
    }
    Ok(())
}

/// One step of the current thread.
pub fn step(heap: &mut Heap, work: &mut Workload, sched: &mut Scheduler) -> Result<StepOutcome, VmError> {
    if work.exit_at != 0 && sched.steps.wrapping_add(1) == work.exit_at {
        return Ok(StepOutcome::Exit(EXIT_CODE));
    }
    let f = current_frame(heap);
    let method = f.method();
    let r = match method {
        MAIN => main_step(heap, work, sched),
        TREE => tree_step(heap),
        WORKER => worker_step(heap),
        m => return Err(internal(format!("frame with unknown routine {m}"))),
    };
    match r {
        Ok(()) => Ok(StepOutcome::Continue),
        Err(VmError::OutOfMemory { requested }) => out_of_memory(heap, work, requested),
        Err(e) => Err(e),
    }
}

/// An OutOfMemoryError thrown in the current thread: caught at the bottom of MAIN (which then
/// drops everything it holds) and of WORKER (which ends); uncaught the second time in a row, or
/// always with the `oom-fatal` option.
fn out_of_memory(heap: &mut Heap, work: &mut Workload, requested: u32) -> Result<StepOutcome, VmError> {
    let t = current_thread(heap);
    let id = r32(t + th::THREAD_ID);
    let uncaught = || StepOutcome::Uncaught(format!("OutOfMemoryError ({requested} bytes) in thread {id}"));
    if work.options & workload_options::OOM_FATAL != 0 {
        return Ok(uncaught());
    }
    threads::unwind_to_base(heap);
    let f = current_frame(heap);
    work.oom_events += 1;
    match f.method() {
        MAIN => {
            let streak = f.get(L_OOM_STREAK) + 1;
            if streak >= 2 {
                return Ok(uncaught());
            }
            for i in 0..=L_MISC {
                f.set_ref(i, 0);
            }
            f.set_int(L_LIST_LEN, 0);
            f.set_int(L_OOM_STREAK, streak);
            f.set_pc(0);
            for r in [ROOT_ARCHIVE, ROOT_BIG, ROOT_WIDE, ROOT_WORKER_RESULT] {
                heap.set_root(r, 0);
            }
        }
        _ => threads::return_ref(heap, 0)?,
    }
    Ok(StepOutcome::Continue)
}

fn text(args: core::fmt::Arguments<'_>) -> FixedBuf<32> {
    let mut b = FixedBuf::<32>::new();
    let _ = b.write_fmt(args);
    b
}

/// Keeps the first `keep` nodes of MAIN's list.
fn truncate(heap: &Heap, keep: u32) {
    let f = current_frame(heap);
    let len = f.get(L_LIST_LEN);
    if len <= keep {
        return;
    }
    if keep == 0 {
        f.set_ref(L_LIST, 0);
    } else {
        let mut p = f.get(L_LIST);
        for _ in 1..keep {
            p = get_field(p, class::node::NEXT);
        }
        set_field(p, class::node::NEXT, 0);
    }
    f.set_int(L_LIST_LEN, keep);
}

fn main_step(heap: &mut Heap, work: &mut Workload, sched: &mut Scheduler) -> Result<(), VmError> {
    let f = current_frame(heap);
    if f.pc() == PC_TREE_WAIT {
        let tree = f.pop()?;
        f.set_ref(L_TREE, tree);
        f.set_pc(0);
        return Ok(());
    }
    let t = current_thread(heap);
    if work.main_life != 0 && r32(t + th::STEPS) >= work.main_life {
        return threads::return_ref(heap, f.get(L_LIST));
    }
    let r = rand(heap);
    let x = r >> 8;
    let counter = f.get(L_COUNTER);
    match r % 20 {
        0..=4 => {
            let n = heap.new_instance(class::NODE)?;
            let f = current_frame(heap);
            set_field(n, class::node::VALUE, f.get(L_COUNTER));
            set_field(n, class::node::NEXT, f.get(L_LIST));
            f.set_ref(L_LIST, n);
            f.set_int(L_LIST_LEN, f.get(L_LIST_LEN) + 1);
            if f.get(L_LIST_LEN) > 48 {
                truncate(heap, 24);
            }
        }
        5 | 6 => {
            let s = text(format_args!("s{}:{}", counter, x % 1000));
            let s = heap.new_string(s.as_bytes())?;
            let f = current_frame(heap);
            let head = f.get(L_LIST);
            if head != 0 {
                set_field(head, class::node::LABEL, s);
            }
            f.set_ref(L_TEXT, s);
        }
        7 => {
            threads::call(heap, TREE, TREE_SLOTS, TREE_LOCALS, TREE_REF_LOCALS, &[1 + x % 4])?;
            FrameRef(current_frame(heap).caller()).set_pc(PC_TREE_WAIT);
        }
        8 => {
            let n = 2 + x % 6;
            let first = heap.new_instance(class::PAIR)?;
            let f = current_frame(heap);
            f.push_ref(first)?;
            f.push_ref(first)?;
            for i in 1..n {
                let p = heap.new_instance(class::PAIR)?;
                let f = current_frame(heap);
                let prev = f.pop()?;
                set_field(prev, class::pair::FIRST, p);
                set_field(p, class::pair::COUNT, i);
                f.push_ref(p)?;
            }
            let f = current_frame(heap);
            let last = f.pop()?;
            let first = f.pop()?;
            set_field(last, class::pair::FIRST, first);
            set_field(last, class::pair::SECOND, f.get(L_LIST));
            f.set_ref(L_RING, first);
        }
        9 => {
            let n = 1 + x % 24;
            let a = heap.new_ref_array(n)?;
            let f = current_frame(heap);
            for i in 0..n {
                let v = match r.rotate_left(3 * i) % 7 {
                    0 => f.get(L_LIST),
                    1 => f.get(L_TREE),
                    2 => f.get(L_RING),
                    3 => f.get(L_TEXT),
                    4 => f.get(L_MISC),
                    5 => a,
                    _ => heap.root(ROOT_ARCHIVE),
                };
                w32(array_elem(a, i), v);
            }
            f.set_ref(L_ARRAY, a);
        }
        10 => {
            let n = 1 + x % 48;
            if r & 0x100 != 0 {
                let a = heap.new_prim_array(class::BYTE_ARRAY, 3 * n)?;
                for i in 0..3 * n {
                    w8(array_elem(a, 0) + i, (counter + i) as u8);
                }
                current_frame(heap).set_ref(L_MISC, a);
            } else {
                let a = heap.new_prim_array(class::INT_ARRAY, n)?;
                for i in 0..n {
                    w32(array_elem(a, i), counter.wrapping_mul(i) ^ r);
                }
                current_frame(heap).set_ref(L_MISC, a);
            }
        }
        11 => {
            if heap.root(ROOT_ARCHIVE) == 0 {
                let a = heap.new_ref_array(ARCHIVE_LEN)?;
                heap.set_root(ROOT_ARCHIVE, a);
            }
            let f = current_frame(heap);
            let v = f.get((r >> 14) % 6);
            w32(array_elem(heap.root(ROOT_ARCHIVE), x % ARCHIVE_LEN), v);
        }
        12 => {
            let len = f.get(L_LIST_LEN);
            if len > 0 {
                let mut p = f.get(L_LIST);
                for _ in 0..x % len {
                    p = get_field(p, class::node::NEXT);
                }
                set_field(p, class::node::RIGHT, f.get(if r & 0x400 != 0 { L_TREE } else { L_RING }));
                set_field(p, class::node::LEFT, f.get(L_TEXT));
            }
        }
        13 => f.set_ref(1 + x % 5, 0),
        14 => {
            if threads::thread_count(heap) < MAX_THREADS {
                let id = sched.threads_started + 1;
                let name = text(format_args!("worker-{id}"));
                threads::spawn(heap, name.as_bytes(), WORKER, WORKER_SLOTS, WORKER_LOCALS, WORKER_REF_LOCALS, r ^ 0x9E37_79B9, id)?;
                sched.threads_started += 1;
                let t = threads::find_thread(heap, id).ok_or_else(|| internal("worker vanished"))?;
                FrameRef(r32(t + th::TOP_FRAME)).set_int(1, 10 + x % 40);
            }
        }
        15 => {
            if x.is_multiple_of(4) {
                let a = heap.new_prim_array(class::BYTE_ARRAY, 512 + (r >> 10) % 3000)?;
                w8(array_elem(a, 0), counter as u8);
                heap.set_root(ROOT_BIG, a);
            }
        }
        16 => {
            let w = heap.new_instance(class::WIDE)?;
            let f = current_frame(heap);
            set_field(w, 0, f.get(L_LIST));
            set_field(w, 31, f.get(L_TEXT));
            set_field(w, 32, f.get(L_RING));
            set_field(w, 39, w);
            for i in [1, 10, 20, 30, 33, 38] {
                set_field(w, i, counter.wrapping_add(i));
            }
            heap.set_root(ROOT_WIDE, w);
        }
        17 => {
            let b = heap.new_instance(class::BOX)?;
            let f = current_frame(heap);
            set_field(b, 0, counter);
            set_field(b, 1, r);
            set_field(b, 2, f.get(L_ARRAY));
            set_field(b, 3, x);
            set_field(b, 6, f.get(L_MISC));
            f.set_ref(L_MISC, b);
        }
        18 => {
            if x.is_multiple_of(8) {
                gc::collect(heap)?;
            }
        }
        _ => truncate(heap, x % 8),
    }
    let f = current_frame(heap);
    f.set_int(L_COUNTER, counter + 1);
    f.set_int(L_OOM_STREAK, 0);
    Ok(())
}

fn tree_step(heap: &mut Heap) -> Result<(), VmError> {
    let f = current_frame(heap);
    let depth = f.get(0);
    match f.pc() {
        0 if depth == 0 => {
            let v = rand(heap);
            let n = heap.new_instance(class::NODE)?;
            set_field(n, class::node::VALUE, v);
            threads::return_ref(heap, n)
        }
        0 => {
            threads::call(heap, TREE, TREE_SLOTS, TREE_LOCALS, TREE_REF_LOCALS, &[depth - 1])?;
            FrameRef(current_frame(heap).caller()).set_pc(1);
            Ok(())
        }
        1 => {
            let left = f.pop()?;
            f.set_ref(1, left);
            threads::call(heap, TREE, TREE_SLOTS, TREE_LOCALS, TREE_REF_LOCALS, &[depth - 1])?;
            FrameRef(current_frame(heap).caller()).set_pc(2);
            Ok(())
        }
        _ => {
            let right = f.pop()?;
            f.set_ref(2, right);
            let n = heap.new_instance(class::NODE)?;
            let f = current_frame(heap);
            set_field(n, class::node::LEFT, f.get(1));
            set_field(n, class::node::RIGHT, f.get(2));
            set_field(n, class::node::VALUE, depth);
            threads::return_ref(heap, n)
        }
    }
}

fn worker_step(heap: &mut Heap) -> Result<(), VmError> {
    let f = current_frame(heap);
    let remaining = f.get(1);
    if remaining == 0 {
        return threads::return_ref(heap, f.get(0));
    }
    let n = heap.new_instance(class::NODE)?;
    let f = current_frame(heap);
    set_field(n, class::node::NEXT, f.get(0));
    set_field(n, class::node::VALUE, remaining);
    f.set_ref(0, n);
    if remaining.is_multiple_of(3) {
        let id = r32(current_thread(heap) + th::THREAD_ID);
        let s = text(format_args!("w{id}-{remaining}"));
        let s = heap.new_string(s.as_bytes())?;
        let f = current_frame(heap);
        set_field(f.get(0), class::node::LABEL, s);
        f.set_ref(2, s);
    }
    current_frame(heap).set_int(1, remaining - 1);
    Ok(())
}

/// Called when a thread ended: its result becomes root 3.
pub fn thread_ended(heap: &Heap, t: u32) {
    heap.set_root(ROOT_WORKER_RESULT, r32(t + th::RESULT));
}
