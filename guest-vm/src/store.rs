//! The store's lifecycle (`docs/store-format.md`, section 11): creation, execution (the VM
//! runs with its header and segments locked and storage RAM writable), suspension in the
//! paper's four steps, resumption exactly as seed `000_*.txt` (after [`crate::check`] has
//! checked everything without writing), and destruction with a report.

use crate::break_table::SegmentMoves;
use crate::check::{self, StoreFault, WalkSummary};
use crate::codes;
use crate::externals::{self, Externals};
use crate::gc;
use crate::heap::{r32, segment_base, w16, w32, GcStats, Heap, Segment, SegmentProvider, VmError};
use crate::layout::{self, allocator_state as al, gc_state as gs, global, scheduler_state as ss, segment_header as sh, store_header as hdr, workload_state as ws, externals_state as es};
use crate::mutator::{self, StepOutcome, Workload};
use crate::palm;
use crate::threads::{self, Scheduler};
use crate::wrapper;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use guest_sdk::{guest_memmove, guest_memset, GuestAddr};

/// Segment records from the Data Manager: `DmNewResource('VMem', id)`, locked; the storage
/// semaphore is released around the traps (as the paper's VM does).
struct DmSegments {
    db: GuestAddr,
}

impl SegmentProvider for DmSegments {
    fn append(&mut self, id: u16, record_size: u32) -> Result<(GuestAddr, u32), u16> {
        palm::release_storage();
        let r = palm::new_resource(self.db, codes::SEGMENT_RESOURCE_TYPE, id, record_size).map(|h| (h, palm::lock(h).0));
        palm::reserve_storage();
        r
    }
}

/// How a new store is set up.
#[derive(Debug, Clone, Copy)]
pub struct CreateOptions {
    pub seed: u32,
    pub segment_size: u32,
    pub max_segments: u16,
    pub options: u32,
    pub main_life: u32,
    pub exit_at: u32,
    /// Bytes of retained structure to build at creation (`mutator::fill`; benchmarks).
    pub fill: u32,
}

impl Default for CreateOptions {
    fn default() -> Self {
        Self { seed: 1, segment_size: 16 * 1024, max_segments: layout::SEGMENT_CAPACITY as u16, options: 0, main_life: 0, exit_at: 0, fill: 0 }
    }
}

/// How a run of steps ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// All steps ran; the program goes on.
    Completed,
    /// `System.exit(code)`.
    Exit(u32),
    /// No thread is left.
    LastThreadEnded,
    /// An exception no frame caught.
    Uncaught(String),
}

/// What a resumption did.
#[derive(Debug, Clone, Copy)]
pub struct ResumeReport {
    pub segments: u32,
    /// Segments whose base address changed (one break-table entry each).
    pub moved: u32,
    /// Segments whose contents were shifted by 2 bytes (bump state changed).
    pub shifted: u32,
    /// Objects and image digest (0 unless asked for) as checked before the first write.
    pub checked: WalkSummary,
}

/// Why a resumption did not happen.
#[derive(Debug, Clone)]
pub enum ResumeError {
    /// Refused by the check: nothing was written.
    Refused(StoreFault),
    /// Failed after the first write (cannot happen on a store that passed the check): the
    /// store was destroyed; the message is the report.
    Failed(String),
}

/// A store that is open and running.
pub struct Vm {
    pub name: Vec<u8>,
    pub db: GuestAddr,
    pub db_id: u32,
    pub header_handle: GuestAddr,
    pub heap: Heap,
    pub sched: Scheduler,
    pub work: Workload,
    pub ext: Externals,
    /// Whether this VM holds `MemSemaphoreReserve(true)`.
    reserved: bool,
}

fn new_heap(header: u32, db: GuestAddr, segments: Vec<Segment>) -> Heap {
    Heap {
        header,
        segments,
        provider: Box::new(DmSegments { db }),
        next_object_id: 1,
        cursor: 0,
        bytes_allocated: 0,
        objects_allocated: 0,
        gc: GcStats::default(),
        options: 0,
        bootstrapping: false,
    }
}

impl Vm {
    /// Creates store `name` (section 11.1) and starts its main thread. On failure nothing is
    /// left behind.
    pub fn create(name: &[u8], o: &CreateOptions) -> Result<Vm, String> {
        palm::create_database(name, codes::STORE_CREATOR, codes::STORE_DB_TYPE, true).map_err(|e| {
            if e == palm_abi::errors::DM_ERR_ALREADY_EXISTS {
                String::from("a database with this name exists")
            } else {
                format!("DmCreateDatabase failed (error {e:#06x})")
            }
        })?;
        let db_id = palm::find_database(name).ok_or_else(|| String::from("created database not found"))?;
        // Backups (HotSync) copy the store: a suspended store is a checkpoint.
        if let Err(e) = palm::set_database_attributes(db_id, palm::DM_HDR_ATTR_BACKUP) {
            let _ = palm::delete_database(db_id);
            return Err(format!("cannot set the backup attribute (error {e:#06x})"));
        }
        let db = match palm::open_database(db_id, palm::DM_MODE_READ_WRITE) {
            Ok(db) => db,
            Err(e) => {
                let _ = palm::delete_database(db_id);
                return Err(format!("cannot open the new store (error {e:#06x})"));
            }
        };
        let fail = |msg: String, vm: Option<Vm>, db: GuestAddr| -> String {
            match vm {
                Some(vm) => vm.close_and_delete(),
                None => {
                    let _ = palm::close_database(db);
                    let _ = palm::delete_database(db_id);
                }
            }
            msg
        };
        if let Err(e) = wrapper::copy_into(db, name) {
            return Err(fail(format!("copying the Wrapper failed (error {e:#06x})"), None, db));
        }
        let header_handle = match palm::new_resource(db, codes::HEADER_RESOURCE_TYPE, codes::HEADER_RESOURCE_ID, hdr::SIZE) {
            Ok(h) => h,
            Err(e) => return Err(fail(format!("cannot create the 'STOR' header (error {e:#06x})"), None, db)),
        };
        let header = palm::lock(header_handle).0;
        palm::reserve_storage();
        guest_memset(GuestAddr(header), 0, hdr::SIZE);
        w32(header + hdr::MAGIC, codes::STORE_MAGIC);
        w16(header + hdr::VERSION, layout::FORMAT_VERSION);
        w16(header + hdr::HEADER_SIZE, hdr::SIZE as u16);
        w16(header + hdr::STATE, layout::store_state::RUNNING);
        w16(header + hdr::SEGMENT_CAPACITY, layout::SEGMENT_CAPACITY as u16);
        let seg_size = layout::round4(o.segment_size).clamp(layout::MIN_SEGMENT_SIZE, layout::MAX_SEGMENT_SIZE);
        w32(header + hdr::DEFAULT_SEGMENT_SIZE, seg_size);
        w16(header + hdr::MAX_SEGMENTS, o.max_segments.clamp(1, layout::SEGMENT_CAPACITY as u16));
        let mut vm = Vm {
            name: name.to_vec(),
            db,
            db_id,
            header_handle,
            heap: new_heap(header, db, Vec::new()),
            sched: Scheduler::default(),
            work: Workload { seed: o.seed, options: o.options, main_life: o.main_life, exit_at: o.exit_at, oom_events: 0 },
            ext: Externals::default(),
            reserved: true,
        };
        vm.heap.options = o.options;
        if let Err(e) = vm.heap.append_segment(seg_size) {
            return Err(fail(format!("cannot create segment 'VMem' 1 (error {e:#06x})"), Some(vm), db));
        }
        let started = crate::heap::bootstrap_classes(&mut vm.heap)
            .and_then(|_| mutator::start(&mut vm.heap, &mut vm.sched, o.seed))
            .and_then(|_| mutator::fill(&mut vm.heap, o.fill));
        if let Err(e) = started {
            return Err(fail(format!("cannot start the program: {e}"), Some(vm), db));
        }
        vm.save_modules();
        Ok(vm)
    }

    /// Resumes store `name` (section 11.3): phase A checks it without writing (a fault
    /// refuses it untouched), phase B fixes bump states, adjusts the header fields, builds the
    /// segment break table, runs the pointer-update phase, restores the modules and recreates
    /// external state. `digest` adds the image digest to the report (for transcripts).
    pub fn resume(name: &[u8], digest: bool) -> Result<(Vm, ResumeReport), ResumeError> {
        let id = palm::find_database(name).ok_or(ResumeError::Refused(StoreFault::NoSuchStore))?;
        Self::resume_id(id, name, digest)
    }

    /// [`Vm::resume`] for the store with LocalID `db_id` (named `name` in reports): how the VM
    /// application resumes the store a Wrapper handed it (`LAUNCH_CMD_RESUME_STORE`).
    pub fn resume_id(db_id: u32, name: &[u8], digest: bool) -> Result<(Vm, ResumeReport), ResumeError> {
        let c = check::check_store_id(db_id, digest).map_err(ResumeError::Refused)?;
        // Phase B. The first write: the store is "running" until suspended again.
        palm::reserve_storage();
        let header = c.header;
        w16(header + hdr::STATE, layout::store_state::RUNNING);
        let mut moves = SegmentMoves::new();
        let mut segments = Vec::with_capacity(c.segments.len());
        let mut shifted = 0;
        for fs in &c.segments {
            // 1. Bump state: old from the marker, new from the address.
            let new_bumped = fs.data % 4 != 0;
            if new_bumped != fs.old_bumped {
                if fs.old_bumped {
                    guest_memmove(GuestAddr(fs.data), GuestAddr(fs.data + layout::BUMP_BYTES), fs.size);
                } else {
                    guest_memmove(GuestAddr(fs.data + layout::BUMP_BYTES), GuestAddr(fs.data), fs.size);
                    w16(fs.data, codes::BUMP_MARKER);
                }
                shifted += 1;
            }
            // 2. Header fields: the segment's own pointers and its segment-table entry.
            let base = segment_base(fs.data);
            let delta = base.wrapping_sub(fs.old_base);
            if delta != 0 {
                w32(base + sh::ADDRESS, base);
                w32(base + sh::TOP, fs.old_top.wrapping_add(delta));
                w32(header + hdr::SEGMENT_TABLE + 4 * (fs.id as u32 - 1), base);
                // 3. One break-table entry per moved segment.
                moves.append(fs.old_base, fs.old_base + fs.size, delta as i32);
            }
            segments.push(Segment { id: fs.id, handle: fs.handle, data: fs.data, base, size: fs.size });
        }
        let mut vm = Vm {
            name: name.to_vec(),
            db: c.db,
            db_id: c.db_id,
            header_handle: c.header_handle,
            heap: new_heap(header, c.db, segments),
            sched: Scheduler::default(),
            work: Workload::default(),
            ext: Externals::default(),
            reserved: true,
        };
        // 4. The pointer-update phase over the heap and the header's globals.
        if !moves.is_empty() {
            gc::update_pointers(&vm.heap, &moves);
        }
        // 5. Modules restore their state.
        vm.restore_modules();
        w32(header + hdr::RESUME_COUNT, r32(header + hdr::RESUME_COUNT).wrapping_add(1));
        // 6. External state.
        externals::recreate_all(&vm.heap, &vm.ext);
        if vm.work.options & layout::workload_options::VERIFY != 0 {
            if let Err(f) = check::verify_live_heap(&vm.heap) {
                let report = vm.destroy(&format!("unrecoverable error: heap inconsistent after resumption: {f}"));
                return Err(ResumeError::Failed(report));
            }
        }
        let report = ResumeReport { segments: c.segments.len() as u32, moved: moves.len() as u32, shifted, checked: c.summary };
        Ok((vm, report))
    }

    /// Runs up to `steps` VM steps (or fewer, if the program ends).
    pub fn run(&mut self, steps: u32) -> Result<RunEnd, VmError> {
        for _ in 0..steps {
            if threads::current_thread(&self.heap) == 0 {
                let head = self.heap.global(global::THREAD_LIST);
                if head == 0 {
                    return Ok(RunEnd::LastThreadEnded);
                }
                self.heap.set_global(global::CURRENT_THREAD, head);
            }
            match mutator::step(&mut self.heap, &mut self.work, &mut self.sched)? {
                StepOutcome::Continue => {}
                StepOutcome::Exit(code) => return Ok(RunEnd::Exit(code)),
                StepOutcome::Uncaught(m) => return Ok(RunEnd::Uncaught(m)),
            }
            if let Some(t) = self.sched.after_step(&self.heap) {
                mutator::thread_ended(&self.heap, t);
            }
            if self.heap.global(global::THREAD_LIST) == 0 {
                return Ok(RunEnd::LastThreadEnded);
            }
        }
        Ok(RunEnd::Completed)
    }

    /// Copies every module's variables into its header block (suspension step 2; also before
    /// computing an image digest of the running heap).
    pub fn save_modules(&self) {
        let h = self.heap.header;
        let put = |block: u32, field: u32, v: u32| w32(h + block + field, v);
        put(hdr::ALLOCATOR, al::NEXT_OBJECT_ID, self.heap.next_object_id);
        put(hdr::ALLOCATOR, al::CURSOR, self.heap.cursor);
        put(hdr::ALLOCATOR, al::BYTES_ALLOCATED, self.heap.bytes_allocated);
        put(hdr::ALLOCATOR, al::OBJECTS_ALLOCATED, self.heap.objects_allocated);
        put(hdr::GC, gs::COLLECTIONS, self.heap.gc.collections);
        put(hdr::GC, gs::BYTES_RECLAIMED, self.heap.gc.bytes_reclaimed);
        put(hdr::GC, gs::SEGMENTS_APPENDED, self.heap.gc.segments_appended);
        put(hdr::GC, gs::LAST_LIVE_BYTES, self.heap.gc.last_live_bytes);
        put(hdr::SCHEDULER, ss::STEPS, self.sched.steps);
        put(hdr::SCHEDULER, ss::QUANTUM_LEFT, self.sched.quantum_left);
        put(hdr::SCHEDULER, ss::THREADS_STARTED, self.sched.threads_started);
        put(hdr::SCHEDULER, ss::THREADS_ENDED, self.sched.threads_ended);
        put(hdr::WORKLOAD, ws::SEED, self.work.seed);
        put(hdr::WORKLOAD, ws::OPTIONS, self.work.options);
        put(hdr::WORKLOAD, ws::MAIN_LIFE, self.work.main_life);
        put(hdr::WORKLOAD, ws::EXIT_AT, self.work.exit_at);
        put(hdr::WORKLOAD, ws::OOM_EVENTS, self.work.oom_events);
        put(hdr::EXTERNALS, es::REGISTERED, self.ext.registered);
        put(hdr::EXTERNALS, es::NEXT_SEQUENCE, self.ext.next_sequence);
    }

    /// Reads every module's variables back (resumption step 5).
    fn restore_modules(&mut self) {
        let h = self.heap.header;
        let get = |block: u32, field: u32| r32(h + block + field);
        self.heap.next_object_id = get(hdr::ALLOCATOR, al::NEXT_OBJECT_ID);
        self.heap.cursor = get(hdr::ALLOCATOR, al::CURSOR);
        self.heap.bytes_allocated = get(hdr::ALLOCATOR, al::BYTES_ALLOCATED);
        self.heap.objects_allocated = get(hdr::ALLOCATOR, al::OBJECTS_ALLOCATED);
        self.heap.gc = GcStats {
            collections: get(hdr::GC, gs::COLLECTIONS),
            bytes_reclaimed: get(hdr::GC, gs::BYTES_RECLAIMED),
            segments_appended: get(hdr::GC, gs::SEGMENTS_APPENDED),
            last_live_bytes: get(hdr::GC, gs::LAST_LIVE_BYTES),
        };
        self.sched = Scheduler {
            steps: get(hdr::SCHEDULER, ss::STEPS),
            quantum_left: get(hdr::SCHEDULER, ss::QUANTUM_LEFT),
            threads_started: get(hdr::SCHEDULER, ss::THREADS_STARTED),
            threads_ended: get(hdr::SCHEDULER, ss::THREADS_ENDED),
        };
        self.work = Workload {
            seed: get(hdr::WORKLOAD, ws::SEED),
            options: get(hdr::WORKLOAD, ws::OPTIONS),
            main_life: get(hdr::WORKLOAD, ws::MAIN_LIFE),
            exit_at: get(hdr::WORKLOAD, ws::EXIT_AT),
            oom_events: get(hdr::WORKLOAD, ws::OOM_EVENTS),
        };
        self.heap.options = self.work.options;
        self.ext = Externals { registered: get(hdr::EXTERNALS, es::REGISTERED), next_sequence: get(hdr::EXTERNALS, es::NEXT_SEQUENCE) };
    }

    /// Suspends the store (section 11.2) and closes it.
    pub fn suspend(mut self) -> Result<(), String> {
        self.unpause();
        // 1. Externals internalize their state.
        externals::internalize_all(&self.heap, &self.ext);
        // 2. Modules save their variables into the header.
        self.save_modules();
        // 3. Bump state and address of every segment, then STATE last; unlock everything.
        let h = self.heap.header;
        for s in &self.heap.segments {
            w16(s.base + sh::FLAGS, if s.bumped() { layout::segment_flags::BUMPED } else { 0 });
            w32(s.base + sh::ADDRESS, s.base);
            if s.bumped() {
                w16(s.data, codes::BUMP_MARKER);
            }
        }
        w32(h + hdr::SUSPEND_COUNT, r32(h + hdr::SUSPEND_COUNT).wrapping_add(1));
        w16(h + hdr::STATE, layout::store_state::SUSPENDED);
        self.release_semaphore();
        let mut errors = String::new();
        for s in self.heap.segments.iter().rev() {
            if let Err(e) = palm::unlock(s.handle) {
                errors.push_str(&format!(" unlock 'VMem' {} failed ({e:#06x});", s.id));
            }
        }
        if let Err(e) = palm::unlock(self.header_handle) {
            errors.push_str(&format!(" unlock 'STOR' failed ({e:#06x});"));
        }
        // 4. Close: the store is an ordinary database now.
        if let Err(e) = palm::close_database(self.db) {
            errors.push_str(&format!(" close failed ({e:#06x});"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Releases `MemSemaphoreReserve(true)` while the VM application waits for events (the
    /// store stays running: header and segments locked); [`Vm::unpause`] takes it again.
    pub fn pause(&mut self) {
        self.release_semaphore();
    }

    /// Takes the storage semaphore again after [`Vm::pause`].
    pub fn unpause(&mut self) {
        if !self.reserved {
            palm::reserve_storage();
            self.reserved = true;
        }
    }

    fn release_semaphore(&mut self) {
        if self.reserved {
            palm::release_storage();
            self.reserved = false;
        }
    }

    /// Releases, unlocks, closes and deletes the database.
    fn close_and_delete(mut self) {
        self.release_semaphore();
        for s in self.heap.segments.iter().rev() {
            let _ = palm::unlock(s.handle);
        }
        let _ = palm::unlock(self.header_handle);
        let _ = palm::close_database(self.db);
        let _ = palm::delete_database(self.db_id);
    }

    /// Destroys the store (section 11.4) and returns the report line.
    pub fn destroy(self, reason: &str) -> String {
        let report = format!(
            "store \"{}\" destroyed: {reason}; steps={} threads={} segments={} heap={} gc={}",
            String::from_utf8_lossy(&self.name),
            self.sched.steps,
            threads::thread_count(&self.heap),
            self.heap.segments.len(),
            self.heap.total_bytes(),
            self.heap.gc.collections
        );
        self.close_and_delete();
        report
    }

    /// The header's counters of completed suspensions and resumptions (for reports).
    pub fn counters(&self) -> (u32, u32) {
        (r32(self.heap.header + hdr::SUSPEND_COUNT), r32(self.heap.header + hdr::RESUME_COUNT))
    }
}

/// Deletes a suspended store without resuming it (the `destroy` command).
pub fn destroy_suspended(name: &[u8]) -> Result<String, StoreFault> {
    let id = palm::find_database(name).ok_or(StoreFault::NoSuchStore)?;
    if !palm::has_type_creator(id, codes::STORE_DB_TYPE, codes::STORE_CREATOR) {
        return Err(StoreFault::NotAStore);
    }
    palm::delete_database(id).map_err(StoreFault::CannotOpen)?;
    Ok(format!("store \"{}\" destroyed: requested", String::from_utf8_lossy(name)))
}
