//! The shim's state (everything PalmOS keeps between traps) and the entry point the emulator
//! calls for every `TRAP #15`.

use crate::dispatch::{HandlerError, HandlerResult, Resume, TrapCall, TrapError, TrapOutcome, TrapRecord, TrapTable};
use crate::managers;
use crate::data_mgr::DataManager;
use crate::graphics::Surface;
use crate::managers::memory_mgr::{MemErr, MemoryManager};
use crate::managers::ui::UiState;
use crate::memory::GuestMemory;
use crate::regs::Registers;
use palm_abi::traps::normalize;
use palm_abi::ui_layout::EventType;
use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

/// How many recent traps fault reports show.
pub const TRAP_HISTORY_LEN: usize = 16;

/// A trap waiting for a guest callback.
struct PendingCall {
    word: u16,
    /// The caller's A5, when the callee ran with its own (an application's globals).
    saved_a5: Option<u32>,
    resume: Resume,
    /// Where the guest continues once the trap completes.
    return_pc: u32,
    /// The stack pointer at the trap, restored when the callback returns.
    sp: u32,
}

/// Settings the emulator passes to the shim.
#[derive(Debug, Clone)]
pub struct ShimConfig {
    /// Guest address of the ROM's first trap stub (`TRAP #15; DC.W 0xA000; RTS`), if the ROM
    /// has stubs: `SysGetTrapAddress` hands out addresses there.
    pub trap_stub_base: Option<u32>,
    /// Stop the run with `StopRequest::Booted` at the first `EvtGetEvent`.
    pub stop_at_boot: bool,
    /// Guest address of the ROM's callback-return stub (see `palm_abi::host::
    /// HOST_CALLBACK_RETURN`), needed to call application code from a trap.
    pub callback_return_stub: Option<u32>,
    /// Seconds since 1904-01-01 at power-on (`TimGetSeconds`); `None` = the host clock.
    pub fixed_seconds: Option<u32>,
}

impl Default for ShimConfig {
    fn default() -> Self {
        Self { trap_stub_base: None, stop_at_boot: true, fixed_seconds: None, callback_return_stub: None }
    }
}

/// PalmOS in host Rust: the trap table and the managers' state.
pub struct Shim {
    pub config: ShimConfig,
    table: TrapTable,
    /// Feature Manager table: (creator, number) -> value.
    pub(crate) features: BTreeMap<(u32, u16), u32>,
    pub(crate) random_seed: u32,
    pub(crate) power_on: Instant,
    /// Ticks added by `SysTaskDelay` (virtual time: the emulator never sleeps for the guest).
    pub(crate) tick_offset: u64,
    pub(crate) booted: bool,
    /// Memory Manager: the dynamic and storage heaps, the semaphore.
    pub(crate) memory: MemoryManager,
    /// Data Manager: the catalog of databases, open databases.
    pub(crate) dm: DataManager,
    /// Window, Font and Event Managers: windows, draw state, event queues, pen.
    pub(crate) ui: UiState,
    console: Vec<u8>,
    history: VecDeque<TrapRecord>,
    /// Traps waiting for a guest callback to return, innermost last.
    pending_calls: Vec<PendingCall>,
    /// Set when a resumed trap already put the PC where the guest continues, so settling
    /// the callback-return trap itself must leave it alone.
    pc_already_set: bool,
    /// Bytes handed to guest programs by `HostControl(HOST_GET_ARGS)`.
    program_args: Vec<u8>,
    /// A5 for the next guest call a handler requests (set with `set_callee_a5`).
    callee_a5: Option<u32>,
    /// Applications launched and running (SysAppLaunch).
    pub(crate) launch: crate::managers::launch::LaunchState,
    counts: BTreeMap<u16, u64>,
    total_traps: u64,
}

impl Shim {
    pub fn new(config: ShimConfig) -> Self {
        let mut table = TrapTable::default();
        managers::install(&mut table);
        Self {
            config,
            table,
            features: managers::ftr::system_features(),
            random_seed: 0,
            power_on: Instant::now(),
            tick_offset: 0,
            booted: false,
            memory: MemoryManager::new(),
            dm: DataManager::new(),
            ui: UiState::new(),
            console: Vec::new(),
            history: VecDeque::with_capacity(TRAP_HISTORY_LEN),
            pending_calls: Vec::new(),
            pc_already_set: false,
            callee_a5: None,
            program_args: Vec::new(),
            launch: Default::default(),
            counts: BTreeMap::new(),
            total_traps: 0,
        }
    }

    /// Handles one `TRAP #15`. `args_base` is the address of the first stack argument. On
    /// success the results are in the registers and memory; the caller advances the PC.
    pub fn dispatch(
        &mut self,
        word: u16,
        regs: &mut dyn Registers,
        mem: &mut dyn GuestMemory,
        args_base: u32,
    ) -> Result<TrapOutcome, TrapError> {
        let word = normalize(word);
        let mut call = TrapCall { word, regs, mem, args_base };
        let pc = call.regs.pc();
        self.total_traps += 1;
        *self.counts.entry(word).or_default() += 1;
        let looked_up = self.table.lookup(word, &call);
        let selector = match &looked_up {
            Ok((_, sel)) => *sel,
            Err(TrapError::UnimplementedSelector { selector, .. }) => Some(*selector),
            Err(TrapError::UnimplementedLibrary { ref_num, .. }) => Some(*ref_num),
            Err(_) => None,
        };
        if self.history.len() == TRAP_HISTORY_LEN {
            self.history.pop_front();
        }
        self.history.push_back(TrapRecord { word, pc, selector });
        let (handler, _) = looked_up?;
        log::trace!("trap {word:04X} {} at {pc:08X}", palm_abi::trap_names::trap_name(word).unwrap_or("?"));
        let sp = call.regs.a(7);
        let result = handler(self, &mut call);
        self.settle(word, result, &mut call, pc.wrapping_add(4), sp)
    }

    /// Turns a handler's result into the run loop's outcome: on completion the PC goes to
    /// `return_pc`; on `Block` back to the trap (`return_pc - 4`); a guest-call request
    /// pushes the arguments and a return address into the callback-return stub below `sp` and
    /// jumps to the target.
    fn settle(&mut self, word: u16, result: HandlerResult, call: &mut TrapCall<'_>, return_pc: u32, sp: u32) -> Result<TrapOutcome, TrapError> {
        let outcome = result.map_err(|e| match e {
            HandlerError::Memory(source) => TrapError::GuestMemory { word, source },
            HandlerError::Trap(t) => t,
        })?;
        match outcome {
            TrapOutcome::CallGuest { target, args, resume } => {
                let stub = self.config.callback_return_stub.ok_or(TrapError::NoCallbackStub { word })?;
                // Keep the callee's frame long-aligned and below everything the caller had.
                let frame = sp.wrapping_sub(args.len() as u32 + 4) & !3;
                call.mem.write(frame + 4, &args).map_err(|source| TrapError::GuestMemory { word, source })?;
                call.mem.write_u32(frame, stub).map_err(|source| TrapError::GuestMemory { word, source })?;
                call.regs.set_a(7, frame);
                call.regs.set_pc(target);
                let saved_a5 = self.callee_a5.take().map(|a5| {
                    let caller = call.regs.a(5);
                    call.regs.set_a(5, a5);
                    caller
                });
                self.pending_calls.push(PendingCall { word, saved_a5, resume, return_pc, sp });
                Ok(TrapOutcome::Redirected)
            }
            TrapOutcome::Redirected => Ok(TrapOutcome::Redirected),
            TrapOutcome::Block => {
                // Back onto the trap itself, so running again executes it again.
                if !std::mem::take(&mut self.pc_already_set) {
                    call.regs.set_pc(return_pc.wrapping_sub(4));
                }
                Ok(TrapOutcome::Block)
            }
            done => {
                if !std::mem::take(&mut self.pc_already_set) {
                    call.regs.set_pc(return_pc);
                }
                Ok(done)
            }
        }
    }

    /// The callback-return stub ran: restore the waiting trap's stack and let it continue
    /// with the callback's D0.
    pub(crate) fn finish_guest_call(&mut self, call: &mut TrapCall<'_>) -> Result<TrapOutcome, TrapError> {
        let PendingCall { word, saved_a5, resume, return_pc, sp } =
            self.pending_calls.pop().ok_or(TrapError::UnexpectedCallbackReturn)?;
        let result_d0 = call.regs.d(0);
        call.regs.set_a(7, sp);
        if let Some(a5) = saved_a5 {
            call.regs.set_a(5, a5);
        }
        // The resumed handler reads and writes results relative to the original trap.
        let saved_word = call.word;
        call.word = word;
        let result = resume(self, call, result_d0);
        let outcome = self.settle(word, result, call, return_pc, sp);
        call.word = saved_word;
        match outcome? {
            TrapOutcome::Continue | TrapOutcome::Redirected => Ok(TrapOutcome::Redirected),
            other => {
                self.pc_already_set = true;
                Ok(other)
            }
        }
    }

    /// Makes the next `TrapOutcome::CallGuest` run the callee with A5 = `a5` (an
    /// application's globals); the caller's A5 is restored when the callee returns.
    pub(crate) fn set_callee_a5(&mut self, a5: u32) {
        self.callee_a5 = Some(a5);
    }

    /// The entry of the ROM's built-in application (the app manager), which the UI shell runs
    /// again after a card application returns.
    pub fn set_built_in_app_entry(&mut self, entry: Option<u32>) {
        self.launch.built_in_entry = entry;
    }

    /// Arguments for the guest program (`HostControl(HOST_GET_ARGS)`), e.g. a test command.
    pub fn set_program_args(&mut self, args: &[u8]) {
        self.program_args = args.to_vec();
    }
    pub fn program_args(&self) -> &[u8] {
        &self.program_args
    }

    /// The card application the UI shell is running (its dbID), if any.
    pub fn current_ui_app(&self) -> Option<u32> {
        self.launch.ui_app
    }

    /// Traps currently waiting for a guest callback.
    pub fn pending_guest_calls(&self) -> usize {
        self.pending_calls.len()
    }

    /// Formats the dynamic and storage heaps in freshly created guest RAM. Call it once,
    /// right after creating guest memory and before the guest runs; until then every
    /// Memory Manager trap fails with `memErrInvalidParam`.
    ///
    /// The UI starts afresh too (screen depth 8, default draw state, empty queues); its guest
    /// structures (the display window, see `managers::window`) are created by the first
    /// Window Manager trap or [`init_ui`](Self::init_ui), so until the guest uses the UI
    /// the dynamic heap is exactly as formatted.
    pub fn init_memory(&mut self, mem: &mut dyn GuestMemory) -> Result<(), MemErr> {
        self.ui = UiState::new();
        self.memory.init(mem)
    }
    /// The Memory Manager's host API (see `managers::memory_mgr`).
    pub fn memory(&self) -> &MemoryManager {
        &self.memory
    }
    pub fn memory_mut(&mut self) -> &mut MemoryManager {
        &mut self.memory
    }
    /// True while the guest holds `MemSemaphoreReserve(true)`: the storage heap must be
    /// writable by guest code. The emulator applies this to its page protection after
    /// each trap.
    pub fn storage_writable(&self) -> bool {
        self.memory.storage_writable()
    }

    /// The Data Manager's host API (see `data_mgr`).
    pub fn data_manager(&self) -> &DataManager {
        &self.dm
    }
    /// The Data Manager together with the Memory Manager it allocates from (the borrow of
    /// both at once that installing, exporting and relocating need).
    pub fn data_and_memory(&mut self) -> (&mut DataManager, &mut MemoryManager) {
        (&mut self.dm, &mut self.memory)
    }

    /// Seconds since 1904-01-01 now (for database dates), like `TimGetSeconds`.
    pub fn seconds_now(&self) -> u32 {
        let base = match self.config.fixed_seconds {
            Some(s) => s as u64,
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
                .saturating_add(managers::sys::PALM_EPOCH_OFFSET)
                .saturating_sub(self.power_on.elapsed().as_secs()),
        };
        (base + self.ticks() / managers::sys::TICKS_PER_SECOND as u64) as u32
    }

    /// The trap table, e.g. to add handlers in tests or later subsystems.
    pub fn table_mut(&mut self) -> &mut TrapTable {
        &mut self.table
    }
    pub fn table(&self) -> &TrapTable {
        &self.table
    }
    /// The most recent traps, oldest first.
    pub fn recent_traps(&self) -> impl Iterator<Item = &TrapRecord> {
        self.history.iter()
    }
    /// Total traps dispatched, including failed ones.
    pub fn total_traps(&self) -> u64 {
        self.total_traps
    }
    /// Calls per trap word.
    pub fn trap_counts(&self) -> &BTreeMap<u16, u64> {
        &self.counts
    }
    /// True once the UI application has called `EvtGetEvent`.
    pub fn booted(&self) -> bool {
        self.booted
    }
    pub(crate) fn console_append(&mut self, bytes: &[u8]) {
        self.console.extend_from_slice(bytes);
    }
    /// Everything the guest wrote to the console so far.
    pub fn console(&self) -> &[u8] {
        &self.console
    }
    /// Removes and returns the console output written since the last call.
    pub fn take_console(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.console)
    }

    // ---- UI host API (frontends: screen and input; see docs/ui-managers.md) ------------

    /// The Window, Font and Event Managers' state.
    pub fn ui(&self) -> &UiState {
        &self.ui
    }
    /// Creates the display window, the screen bitmap and the draw-state image in the dynamic
    /// heap now, instead of at the first Window Manager trap. Call after `init_memory`.
    pub fn init_ui(&mut self, mem: &mut dyn GuestMemory) -> Result<(), MemErr> {
        self.ui.windows.create(&mut self.memory, mem)
    }
    /// The display's pixels in guest memory: 160x160 at `FRAMEBUFFER.base` in the current
    /// screen depth (`WinScreenMode`), palette indices of that depth's system palette.
    pub fn screen_surface(&self) -> Surface {
        self.ui.windows.screen_surface()
    }
    /// True while the guest holds `WinScreenLock` (a frontend may keep showing the last
    /// frame until it is released).
    pub fn screen_locked(&self) -> bool {
        self.ui.windows.screen_locked()
    }
    /// The stylus touches the display at `(x, y)` (display coordinates): a `penDownEvent`.
    pub fn pen_down(&mut self, x: i16, y: i16) {
        let now = self.ticks();
        self.ui.events.pen_down(x, y, now);
    }
    /// The stylus moves to `(x, y)`: a `penMoveEvent` while it is down.
    pub fn pen_move(&mut self, x: i16, y: i16) {
        self.ui.events.pen_move(x, y);
    }
    /// The stylus leaves the display at `(x, y)`: a `penUpEvent` with the stroke's start and
    /// end points.
    pub fn pen_up(&mut self, x: i16, y: i16) {
        let now = self.ticks();
        self.ui.events.pen_up(x, y, now);
    }
    /// A key press: a `keyDownEvent` (`chr` a character or virtual character code, `key_code`,
    /// `modifiers` as in `palm_abi::ui_layout`). `false` if the key queue is full.
    pub fn key(&mut self, chr: u16, key_code: u16, modifiers: u16) -> bool {
        self.ui.events.key(chr, key_code, modifiers)
    }
    /// Asks the running application to quit: an `appStopEvent`.
    pub fn post_app_stop(&mut self) {
        self.ui.events.post_app_stop();
    }
    /// Queues an application event, as `EvtAddEventToQueue` does. `false` if the queue is full.
    pub fn post_event(&mut self, event: EventType) -> bool {
        self.ui.events.add(event)
    }
    /// The events waiting for `EvtGetEvent`, in delivery order (pen events in display
    /// coordinates; pending window switches not included).
    pub fn queued_events(&self) -> Vec<EventType> {
        self.ui.events.queued()
    }

    /// System ticks since power-on (100 per second).
    pub fn ticks(&self) -> u64 {
        self.power_on.elapsed().as_millis() as u64 / 10 + self.tick_offset
    }
}
