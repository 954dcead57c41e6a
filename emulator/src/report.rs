//! Why a run stopped, and the reports for failures: guest CPU faults (with PC, registers but
//! SR, instruction bytes and the last traps) and traps the shim could not serve. Each stop
//! reason has a documented process exit code for the CLI.

use palm_shim::{RegisterFile, StopRequest, TrapError, TrapRecord};
use std::fmt;

/// What went wrong in the guest's execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    IllegalInstruction,
    /// An A-line instruction not preceded by `TRAP #15`; the word itself.
    StrayALine(u16),
    /// An F-line (coprocessor) instruction with no coprocessor; the word itself.
    FLine(u16),
    DivideByZero,
    PrivilegeViolation,
    /// `TRAP #n`, n != 15.
    UnexpectedTrap(u8),
    UnmappedRead { addr: u32, size: u32 },
    UnmappedWrite { addr: u32, size: u32 },
    UnmappedFetch { addr: u32 },
    /// A direct write to write-protected storage RAM (only `DmWrite` & co. may write there).
    StorageWrite { addr: u32, size: u32, value: u32 },
    /// A write into the ROM.
    RomWrite { addr: u32, size: u32, value: u32 },
    /// Any other protection fault.
    Protection { addr: u32, size: u32 },
    /// Execution reached an odd address.
    OddAddressJump { target: u32 },
    /// An exception number the machine does not know.
    UnknownException(u32),
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultKind::IllegalInstruction => write!(f, "illegal instruction"),
            FaultKind::StrayALine(w) => write!(f, "A-line instruction {w:#06X} without TRAP #15"),
            FaultKind::FLine(w) => write!(f, "F-line instruction {w:#06X} (no coprocessor)"),
            FaultKind::DivideByZero => write!(f, "integer divide by zero"),
            FaultKind::PrivilegeViolation => write!(f, "privilege violation"),
            FaultKind::UnexpectedTrap(n) => write!(f, "TRAP #{n} (PalmOS uses only TRAP #15)"),
            FaultKind::UnmappedRead { addr, size } => write!(f, "read of {size} bytes from unmapped address {addr:#010X}"),
            FaultKind::UnmappedWrite { addr, size } => write!(f, "write of {size} bytes to unmapped address {addr:#010X}"),
            FaultKind::UnmappedFetch { addr } => write!(f, "instruction fetch from unmapped address {addr:#010X}"),
            FaultKind::StorageWrite { addr, size, value } => write!(
                f,
                "direct write of {size} bytes (value {value:#X}) to write-protected storage RAM at {addr:#010X}; use DmWrite or MemSemaphoreReserve"
            ),
            FaultKind::RomWrite { addr, size, value } => write!(f, "write of {size} bytes (value {value:#X}) to ROM at {addr:#010X}"),
            FaultKind::Protection { addr, size } => write!(f, "protection fault on {size} bytes at {addr:#010X}"),
            FaultKind::OddAddressJump { target } => write!(f, "jump to odd address {target:#010X} (address error)"),
            FaultKind::UnknownException(n) => write!(f, "unknown CPU exception {n}"),
        }
    }
}

/// A guest fault with the machine state at the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultReport {
    pub kind: FaultKind,
    pub pc: u32,
    pub registers: RegisterFile,
    /// Up to 10 bytes at the PC (fewer if the PC is near unmapped memory).
    pub instruction: Vec<u8>,
    pub recent_traps: Vec<TrapRecord>,
}

impl fmt::Display for FaultReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "guest fault: {} at PC {:08X}", self.kind, self.pc)?;
        write!(f, "  instruction bytes:")?;
        for b in &self.instruction {
            write!(f, " {b:02X}")?;
        }
        writeln!(f)?;
        for line in self.registers.to_string().lines() {
            writeln!(f, "  {line}")?;
        }
        write_traps(f, &self.recent_traps)
    }
}

fn write_traps(f: &mut fmt::Formatter<'_>, traps: &[TrapRecord]) -> fmt::Result {
    if traps.is_empty() {
        return writeln!(f, "  no traps called");
    }
    writeln!(f, "  last traps, oldest first:")?;
    for t in traps {
        writeln!(f, "    {t}")?;
    }
    Ok(())
}

/// A trap the shim could not serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrapFailure {
    pub error: TrapError,
    pub pc: u32,
    /// The return address of the code that made the call: on the stack for a dispatch-table
    /// stub, otherwise the frame's return address if A6 holds a frame pointer.
    pub caller: Option<u32>,
    pub registers: RegisterFile,
    pub recent_traps: Vec<TrapRecord>,
    /// How many traps had been dispatched before this one.
    pub traps_before: u64,
}

impl fmt::Display for TrapFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at PC {:08X}", self.error, self.pc)?;
        match self.caller {
            Some(c) => writeln!(f, ", called from {c:08X}")?,
            None => writeln!(f)?,
        }
        writeln!(f, "  after {} traps", self.traps_before)?;
        for line in self.registers.to_string().lines() {
            writeln!(f, "  {line}")?;
        }
        write_traps(f, &self.recent_traps)
    }
}

/// Why `Machine::run` returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The UI application reached its first `EvtGetEvent`.
    Booted,
    /// The guest waits for input: `EvtGetEvent` with `evtWaitForever` found nothing queued.
    /// The PC is left on that trap; inject input (`Machine::pen_down`, `key`, ...) and run
    /// again to resume, and the trap executes again and finds the event.
    Idle,
    /// The guest program exited with a code.
    Exit(u32),
    /// A trap the shim does not implement, or one it could not complete.
    TrapFailure(Box<TrapFailure>),
    /// A CPU-level guest fault.
    Fault(Box<FaultReport>),
    /// The guest reported a software failure (panic, wasm runtime trap, fatal alert).
    GuestError { what: String, pc: u32 },
    /// The time limit passed first.
    Timeout,
    /// The CPU engine failed in a way no hook explained.
    EngineError(String),
}

/// Process exit codes of the `palmemu` CLI, one per kind of stop.
pub mod exit_code {
    /// Booted, idle (the guest is waiting for input: a headless run has nothing to give it),
    /// or the guest program exited with code 0.
    pub const SUCCESS: i32 = 0;
    /// The guest program exited with a nonzero code.
    pub const GUEST_EXIT_NONZERO: i32 = 1;
    /// Bad command line (clap's convention).
    pub const USAGE: i32 = 2;
    /// The ROM or another input file could not be loaded.
    pub const BAD_INPUT: i32 = 3;
    /// An unimplemented trap (or a trap that failed on a bad guest pointer).
    pub const UNIMPLEMENTED_TRAP: i32 = 4;
    /// A guest CPU fault.
    pub const GUEST_FAULT: i32 = 5;
    /// A guest software failure: panic, wasm runtime trap, fatal alert, ErrDisplay.
    pub const GUEST_ERROR: i32 = 6;
    /// The time limit passed before the run finished.
    pub const TIMEOUT: i32 = 7;
    /// An internal emulator error.
    pub const INTERNAL: i32 = 8;
}

impl StopReason {
    pub fn exit_code(&self) -> i32 {
        match self {
            StopReason::Booted | StopReason::Idle | StopReason::Exit(0) => exit_code::SUCCESS,
            StopReason::Exit(_) => exit_code::GUEST_EXIT_NONZERO,
            StopReason::TrapFailure(_) => exit_code::UNIMPLEMENTED_TRAP,
            StopReason::Fault(_) => exit_code::GUEST_FAULT,
            StopReason::GuestError { .. } => exit_code::GUEST_ERROR,
            StopReason::Timeout => exit_code::TIMEOUT,
            StopReason::EngineError(_) => exit_code::INTERNAL,
        }
    }

    /// The stop reason for a shim's stop request at `pc`.
    pub fn from_request(req: StopRequest, pc: u32) -> Self {
        match req {
            StopRequest::Booted => StopReason::Booted,
            StopRequest::Exit(c) => StopReason::Exit(c),
            StopRequest::GuestPanic(m) => StopReason::GuestError { what: format!("guest panic: {m}"), pc },
            StopRequest::WasmTrap(k) => StopReason::GuestError {
                what: format!("wasm runtime trap {k}: {}", palm_abi::host::wasm_trap_name(k)),
                pc,
            },
            StopRequest::FatalAlert(m) => StopReason::GuestError { what: format!("SysFatalAlert: {m}"), pc },
            StopRequest::ErrDisplay { file, line, message } => {
                StopReason::GuestError { what: format!("ErrDisplayFileLineMsg: {file}:{line}: {message}"), pc }
            }
        }
    }
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Booted => write!(f, "booted"),
            StopReason::Idle => write!(f, "idle: the guest waits for input (EvtGetEvent)"),
            StopReason::Exit(c) => write!(f, "guest exited with code {c}"),
            StopReason::TrapFailure(t) => write!(f, "{t}"),
            StopReason::Fault(r) => write!(f, "{r}"),
            StopReason::GuestError { what, pc } => write!(f, "{what} (trap at PC {pc:08X})"),
            StopReason::Timeout => write!(f, "time limit reached"),
            StopReason::EngineError(e) => write!(f, "CPU engine error: {e}"),
        }
    }
}
