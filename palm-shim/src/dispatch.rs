//! Trap dispatch: the table from trap word to host handler, the per-call view handlers get
//! ([`TrapCall`]), what a handler can ask of the run loop ([`TrapOutcome`]), and the typed
//! errors for traps the shim cannot serve. `*Dispatch` traps are routed on the selector in
//! D2; library traps (0xA800 and up) on the library refNum, the first stack argument.

use crate::args::ArgReader;
use crate::memory::{GuestMemory, MemError};
use crate::regs::Registers;
use crate::Shim;
use palm_abi::trap_names::trap_name;
use palm_abi::traps::{normalize, SYS_LIB_TRAP_BASE, SYS_TRAP_BASE};
use thiserror::Error;

/// The view a handler gets of one trap call.
pub struct TrapCall<'a> {
    /// The normalised trap word (0xAxxx).
    pub word: u16,
    pub regs: &'a mut dyn Registers,
    pub mem: &'a mut dyn GuestMemory,
    /// Guest address of the first stack argument (A7, or A7+4 when the trap was reached
    /// through a dispatch-table stub and a return address sits on top).
    pub args_base: u32,
}

impl<'a> TrapCall<'a> {
    /// A reader positioned at the first argument.
    pub fn args(&self) -> ArgReader<'_> {
        ArgReader::new(&*self.mem, self.args_base)
    }
    /// Sets an integer result (D0).
    pub fn ret(&mut self, v: u32) {
        self.regs.set_d(0, v);
    }
    /// Sets a pointer result (A0). D0 gets the same value: some compilers read D0.
    pub fn ret_ptr(&mut self, v: u32) {
        self.regs.set_a(0, v);
        self.regs.set_d(0, v);
    }
}

/// Why a handler wants the run to stop after this trap. The trap has completed (results set,
/// PC past the trap), so the machine can be resumed afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopRequest {
    /// The UI application reached its first `EvtGetEvent`.
    Booted,
    /// The guest program asked to exit (`HostControl` exit selector).
    Exit(u32),
    /// The guest's Rust code panicked; the message it reported.
    GuestPanic(String),
    /// The wasm2c runtime trapped; the `wasm_rt_trap_t` value.
    WasmTrap(u32),
    /// `SysFatalAlert` was called.
    FatalAlert(String),
    /// `ErrDisplayFileLineMsg` was called.
    ErrDisplay { file: String, line: u16, message: String },
}

/// Continues a trap after a guest callback it asked for returned; gets the callback's D0.
pub type Resume = Box<dyn FnOnce(&mut Shim, &mut TrapCall<'_>, u32) -> HandlerResult>;

/// What a handler asks for, and what `Shim::dispatch` reports to the run loop. On `Continue`
/// and `Stop` the shim has already set the PC past the trap; on `Block` it has left the PC on
/// the trap.
pub enum TrapOutcome {
    /// The trap is done; the guest continues after it.
    Continue,
    /// The trap is done; stop the run (resumable).
    Stop(StopRequest),
    /// Handlers only: run 68k code first. `target` is called as a C function with `args`
    /// (the bytes a caller pushes, first argument first); when it returns, `resume` gets
    /// its D0 and finishes the trap (possibly asking for another call). This is how form
    /// event handlers and other application callbacks run: no nested CPU runs, no
    /// re-entrant shim.
    CallGuest { target: u32, args: Vec<u8>, resume: Resume },
    /// Dispatch only: the shim started or finished a guest callback and has set PC and A7
    /// itself; the guest simply continues.
    Redirected,
    /// The trap cannot complete yet (`EvtGetEvent` waiting forever with nothing queued):
    /// nothing was returned, the PC stays on the trap, and the run loop stops with a
    /// resumable idle stop. Running the machine again executes the trap again. Handlers
    /// return it before any `CallGuest`; after a guest callback the whole trap restarts.
    Block,
}

impl std::fmt::Debug for TrapOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrapOutcome::Continue => write!(f, "Continue"),
            TrapOutcome::Stop(r) => write!(f, "Stop({r:?})"),
            TrapOutcome::CallGuest { target, args, .. } => write!(f, "CallGuest({target:#010x}, {} arg bytes)", args.len()),
            TrapOutcome::Redirected => write!(f, "Redirected"),
            TrapOutcome::Block => write!(f, "Block"),
        }
    }
}

impl PartialEq for TrapOutcome {
    /// Guest-call requests never compare equal (their continuations cannot be compared).
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (TrapOutcome::Continue, TrapOutcome::Continue)
            | (TrapOutcome::Redirected, TrapOutcome::Redirected)
            | (TrapOutcome::Block, TrapOutcome::Block) => true,
            (TrapOutcome::Stop(a), TrapOutcome::Stop(b)) => a == b,
            _ => false,
        }
    }
}

/// A trap the shim could not serve. The run loop stops and reports it with the PC.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TrapError {
    #[error("unimplemented trap {word:#06X} ({})", name.unwrap_or("unknown trap"))]
    Unimplemented { word: u16, name: Option<&'static str> },
    #[error("unimplemented selector {selector:#06X} of trap {word:#06X} ({name})")]
    UnimplementedSelector { word: u16, name: &'static str, selector: u16 },
    #[error("unimplemented library trap {word:#06X} for library refNum {ref_num} ({})",
        name.unwrap_or("custom library function"))]
    UnimplementedLibrary { word: u16, ref_num: u16, name: Option<&'static str> },
    #[error("unimplemented HostControl selector {selector:#06X}")]
    UnimplementedHostSelector { selector: u16 },
    #[error("trap {word:#06X} ({}) touched guest memory it cannot reach: {source}", trap_name(*word).unwrap_or("?"))]
    GuestMemory { word: u16, source: MemError },
    #[error("trap {word:#06X} ({}) needs to call guest code, but the ROM has no callback-return stub", trap_name(*word).unwrap_or("?"))]
    NoCallbackStub { word: u16 },
    #[error("a guest callback returned, but no trap was waiting for it")]
    UnexpectedCallbackReturn,
}

impl TrapError {
    pub fn word(&self) -> u16 {
        match self {
            TrapError::Unimplemented { word, .. }
            | TrapError::UnimplementedSelector { word, .. }
            | TrapError::UnimplementedLibrary { word, .. }
            | TrapError::GuestMemory { word, .. }
            | TrapError::NoCallbackStub { word } => *word,
            TrapError::UnimplementedHostSelector { .. } | TrapError::UnexpectedCallbackReturn => palm_abi::traps::HOST_CONTROL,
        }
    }
}

/// A handler's error before the dispatcher adds the trap word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerError {
    Memory(MemError),
    Trap(TrapError),
}

impl From<MemError> for HandlerError {
    fn from(e: MemError) -> Self {
        HandlerError::Memory(e)
    }
}
impl From<TrapError> for HandlerError {
    fn from(e: TrapError) -> Self {
        HandlerError::Trap(e)
    }
}

pub type HandlerResult = Result<TrapOutcome, HandlerError>;
/// A host implementation of one trap (or one selector of a dispatch trap).
pub type Handler = fn(&mut Shim, &mut TrapCall<'_>) -> HandlerResult;

#[derive(Clone, Copy)]
enum Entry {
    Empty,
    Handler(Handler),
    /// A `*Dispatch` trap: handlers by selector (D2, low 16 bits).
    Selectors(&'static [(u16, &'static str, Handler)]),
}

/// One entry of the recent-trap history kept for fault reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapRecord {
    pub word: u16,
    pub pc: u32,
    /// D2 selector for dispatch traps, refNum for library traps.
    pub selector: Option<u16>,
}

impl std::fmt::Display for TrapRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04X} {:<28} at PC {:08X}", self.word, trap_name(self.word).unwrap_or("?"), self.pc)?;
        if let Some(s) = self.selector {
            write!(f, " (selector/refNum {s:#06X})")?;
        }
        Ok(())
    }
}

/// The system trap table (0xA000..0xA7FF) plus the installed shared libraries.
#[derive(Clone)]
pub struct TrapTable {
    system: Vec<Entry>,
}

impl Default for TrapTable {
    fn default() -> Self {
        Self { system: vec![Entry::Empty; (SYS_LIB_TRAP_BASE - SYS_TRAP_BASE) as usize] }
    }
}

impl TrapTable {
    fn index(word: u16) -> Option<usize> {
        let w = normalize(word);
        (w < SYS_LIB_TRAP_BASE).then(|| (w - SYS_TRAP_BASE) as usize)
    }
    /// Installs the handler of a system trap.
    pub fn register(&mut self, word: u16, handler: Handler) {
        let i = Self::index(word).expect("register() is for system traps below 0xA800");
        self.system[i] = Entry::Handler(handler);
    }
    /// Installs the selector table of a `*Dispatch` trap.
    pub fn register_selectors(&mut self, word: u16, table: &'static [(u16, &'static str, Handler)]) {
        let i = Self::index(word).expect("register_selectors() is for system traps below 0xA800");
        self.system[i] = Entry::Selectors(table);
    }
    pub fn is_implemented(&self, word: u16) -> bool {
        Self::index(word).is_some_and(|i| !matches!(self.system[i], Entry::Empty))
    }
    /// Number of system traps with a handler (selector tables count once).
    pub fn implemented_count(&self) -> usize {
        self.system.iter().filter(|e| !matches!(e, Entry::Empty)).count()
    }

    /// Finds the handler for a call; `Err` says precisely what is missing.
    pub(crate) fn lookup(&self, word: u16, call: &TrapCall<'_>) -> Result<(Handler, Option<u16>), TrapError> {
        let word = normalize(word);
        match Self::index(word) {
            Some(i) => match self.system[i] {
                Entry::Handler(h) => Ok((h, None)),
                Entry::Selectors(table) => {
                    let selector = call.regs.d(2) as u16;
                    table
                        .iter()
                        .find(|(s, _, _)| *s == selector)
                        .map(|(_, _, h)| (*h, Some(selector)))
                        .ok_or(TrapError::UnimplementedSelector {
                            word,
                            name: trap_name(word).unwrap_or("?"),
                            selector,
                        })
                }
                Entry::Empty => Err(TrapError::Unimplemented { word, name: trap_name(word) }),
            },
            None => {
                // Library trap: no shared libraries are installed yet, so every refNum is
                // unknown; SysLibFind answers sysErrLibNotFound before a well-behaved app
                // gets here.
                let ref_num = call.mem.read_u16(call.args_base).unwrap_or(0xFFFF);
                Err(TrapError::UnimplementedLibrary { word, ref_num, name: trap_name(word) })
            }
        }
    }
}
