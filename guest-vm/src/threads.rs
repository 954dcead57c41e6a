//! Threads, frames and their tag stacks (`docs/store-format.md`, section 9), and the green
//! thread scheduler. A frame's slots are written only through [`FrameRef`], which writes the
//! slot's tag in the same operation, so the collector always knows exactly which slots hold
//! references; popped slots are cleared (value and tag), so dead slots never hold stale
//! addresses.
//!
//! A `FrameRef` or thread address is only valid until the next allocation (which may collect
//! and move objects): re-read it from [`crate::heap::Heap`]'s CURRENT_THREAD global after.

use crate::heap::{class, internal, r16, r32, r8, w16, w32, w8, Heap, VmError};
use crate::layout::{self, frame as fr, global, kind, thread as th, thread_state};

/// A frame at its current address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameRef(pub u32);

impl FrameRef {
    pub fn slot_count(self) -> u32 {
        r16(self.0 + fr::SLOT_COUNT) as u32
    }
    pub fn sp(self) -> u32 {
        r16(self.0 + fr::SP) as u32
    }
    fn set_sp(self, sp: u32) {
        w16(self.0 + fr::SP, sp as u16)
    }
    pub fn locals(self) -> u32 {
        r16(self.0 + fr::LOCALS) as u32
    }
    pub fn method(self) -> u16 {
        r16(self.0 + fr::METHOD)
    }
    pub fn pc(self) -> u32 {
        r32(self.0 + fr::PC)
    }
    pub fn set_pc(self, pc: u32) {
        w32(self.0 + fr::PC, pc)
    }
    pub fn caller(self) -> u32 {
        r32(self.0 + fr::CALLER)
    }
    fn slot(self, i: u32) -> u32 {
        self.0 + fr::SLOTS + 4 * i
    }
    fn tag_addr(self, i: u32) -> u32 {
        self.0 + fr::SLOTS + 4 * self.slot_count() + i
    }
    /// Slot `i`'s value.
    pub fn get(self, i: u32) -> u32 {
        r32(self.slot(i))
    }
    /// Slot `i`'s tag (1 = reference).
    pub fn tag(self, i: u32) -> u8 {
        r8(self.tag_addr(i))
    }
    /// Stores a reference in slot `i` (tag 1).
    pub fn set_ref(self, i: u32, v: u32) {
        w32(self.slot(i), v);
        w8(self.tag_addr(i), 1);
    }
    /// Stores a non-reference in slot `i` (tag 0).
    pub fn set_int(self, i: u32, v: u32) {
        w32(self.slot(i), v);
        w8(self.tag_addr(i), 0);
    }
    fn check_push(self) -> Result<u32, VmError> {
        let sp = self.sp();
        if sp >= self.slot_count() {
            return Err(internal("operand stack overflow"));
        }
        Ok(sp)
    }
    pub fn push_ref(self, v: u32) -> Result<(), VmError> {
        let sp = self.check_push()?;
        self.set_ref(sp, v);
        self.set_sp(sp + 1);
        Ok(())
    }
    pub fn push_int(self, v: u32) -> Result<(), VmError> {
        let sp = self.check_push()?;
        self.set_int(sp, v);
        self.set_sp(sp + 1);
        Ok(())
    }
    /// Pops the top slot (clearing it); errors on an empty operand stack.
    pub fn pop(self) -> Result<u32, VmError> {
        let sp = self.sp();
        if sp <= self.locals() {
            return Err(internal("operand stack underflow"));
        }
        let v = self.get(sp - 1);
        self.set_int(sp - 1, 0);
        self.set_sp(sp - 1);
        Ok(v)
    }
    /// The slot `depth` below the top of the operand stack (0 = top).
    pub fn peek(self, depth: u32) -> Result<u32, VmError> {
        let sp = self.sp();
        if depth >= sp - self.locals() {
            return Err(internal("operand stack underflow"));
        }
        Ok(self.get(sp - 1 - depth))
    }
    /// Empties the operand stack (clearing the slots).
    pub fn clear_stack(self) {
        for i in self.locals()..self.sp() {
            self.set_int(i, 0);
        }
        self.set_sp(self.locals());
    }
}

/// The thread that runs now.
pub fn current_thread(heap: &Heap) -> u32 {
    heap.global(global::CURRENT_THREAD)
}

/// The current thread's top frame.
pub fn current_frame(heap: &Heap) -> FrameRef {
    FrameRef(r32(current_thread(heap) + th::TOP_FRAME))
}

/// A new frame for `method` with `slots` slots of which `locals` are locals (all reference
/// locals start as null references: `ref_locals` is a bitmask of the locals that are).
pub fn new_frame(heap: &mut Heap, method: u16, slots: u32, locals: u32, ref_locals: u32) -> Result<u32, VmError> {
    let f = heap.new_object(kind::FRAME, class::FRAME, layout::frame_size(slots))?;
    w16(f + fr::METHOD, method);
    w16(f + fr::SLOT_COUNT, slots as u16);
    w16(f + fr::SP, locals as u16);
    w16(f + fr::LOCALS, locals as u16);
    let fr = FrameRef(f);
    for i in 0..locals {
        if ref_locals & (1 << i) != 0 {
            fr.set_ref(i, 0);
        }
    }
    Ok(f)
}

/// Calls `method` in the current thread: a new frame on top, with int arguments in its first
/// locals. The caller's PC must already say where to continue.
pub fn call(heap: &mut Heap, method: u16, slots: u32, locals: u32, ref_locals: u32, int_args: &[u32]) -> Result<(), VmError> {
    let f = new_frame(heap, method, slots, locals, ref_locals)?;
    let t = current_thread(heap);
    w32(f + fr::CALLER, r32(t + th::TOP_FRAME));
    w32(t + th::TOP_FRAME, f);
    for (i, &a) in int_args.iter().enumerate() {
        FrameRef(f).set_int(i as u32, a);
    }
    Ok(())
}

/// Returns `value` (a reference) from the current frame: pushed on the caller's operand stack,
/// or, from a thread's first frame, stored as the thread's RESULT, which ends the thread.
pub fn return_ref(heap: &mut Heap, value: u32) -> Result<(), VmError> {
    let t = current_thread(heap);
    let f = FrameRef(r32(t + th::TOP_FRAME));
    let caller = f.caller();
    w32(t + th::TOP_FRAME, caller);
    if caller != 0 {
        FrameRef(caller).push_ref(value)
    } else {
        w32(t + th::RESULT, value);
        w32(t + th::STATE, thread_state::ENDED);
        Ok(())
    }
}

/// Unwinds the current thread to its first frame (an exception caught at the bottom).
pub fn unwind_to_base(heap: &Heap) {
    let t = current_thread(heap);
    let mut f = r32(t + th::TOP_FRAME);
    while f != 0 && FrameRef(f).caller() != 0 {
        f = FrameRef(f).caller();
    }
    w32(t + th::TOP_FRAME, f);
    if f != 0 {
        FrameRef(f).clear_stack();
    }
}

/// Appends thread `t` to the scheduler's ring.
fn link_thread(heap: &Heap, t: u32) {
    let head = heap.global(global::THREAD_LIST);
    if head == 0 {
        heap.set_global(global::THREAD_LIST, t);
    } else {
        let mut last = head;
        while r32(last + th::NEXT) != 0 {
            last = r32(last + th::NEXT);
        }
        w32(last + th::NEXT, t);
    }
}

fn init_thread(t: u32, name: u32, frame: u32, rng: u32, thread_id: u32) {
    w32(t + th::NAME, name);
    w32(t + th::TOP_FRAME, frame);
    w32(t + th::THREAD_ID, thread_id);
    w32(t + th::STATE, thread_state::RUNNABLE);
    w32(t + th::RNG, rng.max(1));
}

/// A new runnable thread whose first frame runs `method`, appended to the scheduler's ring,
/// created by the running thread: the frame and the name wait on the current frame's operand
/// stack while the next object is allocated, so a collection in between keeps them, and a
/// failed allocation leaves no half-made thread in the ring.
#[allow(clippy::too_many_arguments)]
pub fn spawn(heap: &mut Heap, name: &[u8], method: u16, slots: u32, locals: u32, ref_locals: u32, rng: u32, thread_id: u32) -> Result<(), VmError> {
    let f = new_frame(heap, method, slots, locals, ref_locals)?;
    current_frame(heap).push_ref(f)?;
    let s = heap.new_string(name)?;
    current_frame(heap).push_ref(s)?;
    let t = heap.new_object(kind::THREAD, class::THREAD, th::SIZE)?;
    let cf = current_frame(heap);
    let s = cf.pop()?;
    let f = cf.pop()?;
    init_thread(t, s, f, rng, thread_id);
    link_thread(heap, t);
    Ok(())
}

/// The first thread of a new store (no thread runs yet): the thread is linked into the ring
/// first, so it holds its frame and name while they are allocated.
#[allow(clippy::too_many_arguments)]
pub fn spawn_first(heap: &mut Heap, name: &[u8], method: u16, slots: u32, locals: u32, ref_locals: u32, rng: u32, thread_id: u32) -> Result<(), VmError> {
    let t = heap.new_object(kind::THREAD, class::THREAD, th::SIZE)?;
    init_thread(t, 0, 0, rng, thread_id);
    link_thread(heap, t);
    let f = new_frame(heap, method, slots, locals, ref_locals)?;
    let t = find_thread(heap, thread_id).ok_or_else(|| internal("new thread vanished"))?;
    w32(t + th::TOP_FRAME, f);
    let name = heap.new_string(name)?;
    let t = find_thread(heap, thread_id).ok_or_else(|| internal("new thread vanished"))?;
    w32(t + th::NAME, name);
    Ok(())
}

/// The thread with `THREAD_ID` `id` in the ring.
pub fn find_thread(heap: &Heap, id: u32) -> Option<u32> {
    let mut t = heap.global(global::THREAD_LIST);
    while t != 0 {
        if r32(t + th::THREAD_ID) == id {
            return Some(t);
        }
        t = r32(t + th::NEXT);
    }
    None
}

/// Number of threads in the ring.
pub fn thread_count(heap: &Heap) -> u32 {
    let (mut n, mut t) = (0, heap.global(global::THREAD_LIST));
    while t != 0 {
        n += 1;
        t = r32(t + th::NEXT);
    }
    n
}

/// Removes an ended thread from the ring.
pub fn unlink(heap: &Heap, t: u32) {
    let next = r32(t + th::NEXT);
    let head = heap.global(global::THREAD_LIST);
    if head == t {
        heap.set_global(global::THREAD_LIST, next);
    } else {
        let mut p = head;
        while p != 0 && r32(p + th::NEXT) != t {
            p = r32(p + th::NEXT);
        }
        if p != 0 {
            w32(p + th::NEXT, next);
        }
    }
    w32(t + th::NEXT, 0);
}

/// The scheduler's module variables (saved in the header's SCHEDULER block).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scheduler {
    pub steps: u32,
    pub quantum_left: u32,
    pub threads_started: u32,
    pub threads_ended: u32,
}

/// Steps a thread runs before the next one gets the CPU.
pub const QUANTUM: u32 = 5;

impl Scheduler {
    /// After a step of the current thread: ends it if it finished, and switches threads when
    /// its quantum is used up. Returns the thread that ended, if any (unlinked already).
    pub fn after_step(&mut self, heap: &Heap) -> Option<u32> {
        self.steps = self.steps.wrapping_add(1);
        let t = current_thread(heap);
        if t == 0 {
            return None;
        }
        w32(t + th::STEPS, r32(t + th::STEPS).wrapping_add(1));
        let next = match r32(t + th::NEXT) {
            0 => heap.global(global::THREAD_LIST),
            n => n,
        };
        if r32(t + th::STATE) == thread_state::ENDED {
            let next = if next == t { 0 } else { next };
            unlink(heap, t);
            self.threads_ended += 1;
            heap.set_global(global::CURRENT_THREAD, if next == t { 0 } else { next });
            self.quantum_left = QUANTUM;
            return Some(t);
        }
        self.quantum_left = self.quantum_left.saturating_sub(1);
        if self.quantum_left == 0 {
            heap.set_global(global::CURRENT_THREAD, next);
            self.quantum_left = QUANTUM;
        }
        None
    }
}
