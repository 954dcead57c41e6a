//! The 68020 CPU on the Unicorn engine. This is the only module that imports Unicorn: it maps
//! host buffers as guest memory, translates Unicorn's hooks into [`CpuEvent`]s for a
//! [`Supervisor`] (the machine), and runs guest code. Unicorn's m68k quirks handled here:
//! the CPU-model numbering is shifted by one, exceptions are never delivered to the guest
//! (the hook sees them with PC still on the faulting instruction), SR must never be read from
//! a hook, A7 is banked by SR's S bit, and PC is written from hooks without the flag that
//! would spoil the next fault's PC.

use palm_shim::{RegisterFile, Registers};
use unicorn_engine::{Arch, HookType, MemType, Mode, Prot, RegisterM68K, Unicorn};

/// Unicorn's value for a 68020. Its `M68kCpuModel` enum is shifted by one: the value it names
/// `M68000` (1) instantiates a 68020 (0, named `M5206`, is the real 68000; the default is a
/// ColdFire that rejects plain 68000 code).
pub const UC_CPU_MODEL_68020: i32 = 1;

/// Unicorn's interrupt numbers for m68k (QEMU's `EXCP_*`).
mod intno {
    pub const ILLEGAL: u32 = 4;
    pub const DIV_BY_ZERO: u32 = 5;
    pub const PRIVILEGE: u32 = 8;
    pub const LINE_A: u32 = 10;
    pub const LINE_F: u32 = 11;
    /// `TRAP #n` raises 32 + n.
    pub const TRAP15: u32 = 47;
}

/// A CPU exception other than `TRAP #15`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionKind {
    IllegalInstruction,
    DivideByZero,
    PrivilegeViolation,
    LineA,
    LineF,
    /// `TRAP #n` for n != 15 (PalmOS uses only #15 for system calls).
    OtherTrap(u8),
    /// Any other Unicorn interrupt number.
    Other(u32),
}

/// The kind of a memory access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    Fetch,
}

/// What the CPU reports to its supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpuEvent {
    /// `TRAP #15` at `pc` (PC still points at the `4E4F`; the trap word is at `pc + 2`). The
    /// supervisor must set the PC to continue.
    Trap15 { pc: u32 },
    /// A CPU exception at `pc`; execution cannot continue past it.
    Exception { kind: ExceptionKind, pc: u32 },
    /// An access to unmapped memory.
    Unmapped { access: Access, addr: u32, size: u32 },
    /// An access the page protection forbids (writes to storage RAM or ROM).
    Protected { access: Access, addr: u32, size: u32, value: u32 },
    /// Execution reached an odd address (a 68000 would raise an address error).
    OddPc { pc: u32 },
}

/// Whether execution goes on after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookAction {
    Continue,
    Stop,
}

/// The machine side of the CPU: receives every event, with register access.
pub trait Supervisor {
    fn on_event(&mut self, regs: &mut dyn Registers, event: CpuEvent) -> HookAction;
    /// A page-protection change the last event asked for (`MemSemaphoreReserve` lifting the
    /// storage heap's write protection), applied by the CPU before execution continues.
    fn take_protection_change(&mut self) -> Option<(u32, u32, Protection)> {
        None
    }
    /// Guest memory the host rewrote during the last event whose translated code must go
    /// (`[start, end)`), applied before execution continues.
    fn take_code_writes(&mut self) -> Option<(u32, u32)> {
        None
    }
}

/// Guest page protections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// RAM: read, write, execute.
    ReadWrite,
    /// ROM and protected storage RAM: read and execute only.
    ReadOnly,
}

impl Protection {
    fn prot(self) -> Prot {
        match self {
            Protection::ReadWrite => Prot::ALL,
            Protection::ReadOnly => Prot(Prot::READ.0 | Prot::EXEC.0),
        }
    }
}

/// How `run` ended, from the engine's point of view. The supervisor knows why it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// `emu_start` returned normally (a hook stopped it, or the timeout expired).
    Stopped,
    /// The engine returned an error (unmapped or protected access, ...).
    EngineError(String),
}

/// Errors setting up the CPU.
#[derive(Debug, thiserror::Error)]
#[error("CPU engine: {what}: {err:?}")]
pub struct CpuError {
    pub what: &'static str,
    pub err: unicorn_engine::uc_error,
}

fn ck<T>(what: &'static str, r: Result<T, unicorn_engine::uc_error>) -> Result<T, CpuError> {
    r.map_err(|err| CpuError { what, err })
}

/// Register access inside a hook (reads and writes go straight to the engine).
struct HookRegs<'a, 'u, S>(&'a mut Unicorn<'u, S>);

const D_REGS: [RegisterM68K; 8] = [
    RegisterM68K::D0, RegisterM68K::D1, RegisterM68K::D2, RegisterM68K::D3,
    RegisterM68K::D4, RegisterM68K::D5, RegisterM68K::D6, RegisterM68K::D7,
];
const A_REGS: [RegisterM68K; 8] = [
    RegisterM68K::A0, RegisterM68K::A1, RegisterM68K::A2, RegisterM68K::A3,
    RegisterM68K::A4, RegisterM68K::A5, RegisterM68K::A6, RegisterM68K::A7,
];

fn read_reg<S>(uc: &Unicorn<'_, S>, r: RegisterM68K) -> u32 {
    uc.reg_read(r).unwrap_or(0) as u32
}

impl<S> Registers for HookRegs<'_, '_, S> {
    fn d(&self, n: usize) -> u32 {
        read_reg(self.0, D_REGS[n])
    }
    fn a(&self, n: usize) -> u32 {
        read_reg(self.0, A_REGS[n])
    }
    fn set_d(&mut self, n: usize, v: u32) {
        let _ = self.0.reg_write(D_REGS[n], v as u64);
    }
    fn set_a(&mut self, n: usize, v: u32) {
        let _ = self.0.reg_write(A_REGS[n], v as u64);
    }
    fn pc(&self) -> u32 {
        read_reg(self.0, RegisterM68K::PC)
    }
    fn set_pc(&mut self, v: u32) {
        // Not `reg_write`: for PC it sets Unicorn's `skip_sync_pc_on_exit`, which then stays
        // set after an interrupt hook and stops the next memory fault from restoring the
        // precise PC (a fault right after a trap would report the trap's return address).
        // The batch call changes PC the same way without that flag.
        let _ = self.0.reg_write_batch(&[RegisterM68K::PC], &[v as u64], 1);
    }
}

/// Calls the supervisor with register access. Unicorn hands the hook a handle sharing the
/// engine; a second handle gives register access while the first lends out the state.
fn deliver<S: Supervisor>(uc: &mut Unicorn<'_, S>, event: CpuEvent) -> HookAction {
    let mut regs_handle = uc.clone();
    let action = uc.get_data_mut().on_event(&mut HookRegs(&mut regs_handle), event);
    if let Some((base, size, prot)) = uc.get_data_mut().take_protection_change() {
        if let Err(e) = uc.mem_protect(base as u64, size as u64, prot.prot()) {
            log::error!("cannot change protection of {base:#010x}+{size:#x}: {e:?}");
        }
    }
    if let Some((start, end)) = uc.get_data_mut().take_code_writes() {
        if let Err(e) = uc.ctl_remove_cache(start as u64, end as u64) {
            log::error!("cannot drop translated code in {start:#010x}..{end:#010x}: {e:?}");
        }
    }
    if action == HookAction::Stop {
        let _ = uc.emu_stop();
    }
    action
}

/// The CPU and its supervisor state `S`.
pub struct Cpu<S: Supervisor + 'static> {
    uc: Unicorn<'static, S>,
}

impl<S: Supervisor + 'static> Cpu<S> {
    /// A 68020 with no memory, hooks installed, in supervisor mode with interrupts masked.
    /// `check_odd_pc` adds a block hook that stops at any odd PC.
    pub fn new(state: S, check_odd_pc: bool) -> Result<Self, CpuError> {
        let mut uc = ck("open", Unicorn::new_with_data(Arch::M68K, Mode::BIG_ENDIAN, state))?;
        // Must come before anything else touches the CPU.
        ck("set CPU model", uc.ctl_set_cpu_model(UC_CPU_MODEL_68020))?;
        ck("interrupt hook", uc.add_intr_hook(|uc, n| {
            let pc = read_reg(uc, RegisterM68K::PC);
            let event = match n {
                intno::TRAP15 => CpuEvent::Trap15 { pc },
                32..=46 => CpuEvent::Exception { kind: ExceptionKind::OtherTrap((n - 32) as u8), pc },
                intno::ILLEGAL => CpuEvent::Exception { kind: ExceptionKind::IllegalInstruction, pc },
                intno::DIV_BY_ZERO => CpuEvent::Exception { kind: ExceptionKind::DivideByZero, pc },
                intno::PRIVILEGE => CpuEvent::Exception { kind: ExceptionKind::PrivilegeViolation, pc },
                intno::LINE_A => CpuEvent::Exception { kind: ExceptionKind::LineA, pc },
                intno::LINE_F => CpuEvent::Exception { kind: ExceptionKind::LineF, pc },
                other => CpuEvent::Exception { kind: ExceptionKind::Other(other), pc },
            };
            if deliver(uc, event) == HookAction::Continue && !matches!(event, CpuEvent::Trap15 { .. }) {
                // Unicorn would re-execute the faulting instruction forever.
                let _ = uc.emu_stop();
            }
        }))?;
        ck("unmapped-access hook", uc.add_mem_hook(HookType::MEM_UNMAPPED, 1, 0, |uc, ty, addr, size, _v| {
            let access = match ty {
                MemType::WRITE_UNMAPPED => Access::Write,
                MemType::FETCH_UNMAPPED => Access::Fetch,
                _ => Access::Read,
            };
            deliver(uc, CpuEvent::Unmapped { access, addr: addr as u32, size: size as u32 });
            false
        }))?;
        ck("protection hook", uc.add_mem_hook(HookType::MEM_PROT, 1, 0, |uc, ty, addr, size, v| {
            let access = match ty {
                MemType::WRITE_PROT => Access::Write,
                MemType::FETCH_PROT => Access::Fetch,
                _ => Access::Read,
            };
            deliver(uc, CpuEvent::Protected { access, addr: addr as u32, size: size as u32, value: v as u32 });
            false
        }))?;
        if check_odd_pc {
            ck("block hook", uc.add_block_hook(1, 0, |uc, addr, _size| {
                if addr & 1 != 0 {
                    deliver(uc, CpuEvent::OddPc { pc: addr as u32 });
                    let _ = uc.emu_stop();
                }
            }))?;
        }
        Ok(Self { uc })
    }

    /// Maps a host buffer as guest memory at `base`.
    ///
    /// # Safety
    /// `ptr` must point to `size` bytes that stay valid (and are not freed or moved) for as
    /// long as this CPU exists. Host code may read and write them at any time the CPU is not
    /// running, and from hooks.
    pub unsafe fn map_host(&mut self, base: u32, size: u32, ptr: *mut u8, prot: Protection) -> Result<(), CpuError> {
        ck("map memory", unsafe { self.uc.mem_map_ptr(base as u64, size as u64, prot.prot(), ptr.cast()) })
    }

    /// Changes the guest's access rights to `[base, base + size)` (4 KiB granularity). The host
    /// is unaffected: it writes through its buffers.
    pub fn protect(&mut self, base: u32, size: u32, prot: Protection) -> Result<(), CpuError> {
        ck("protect memory", self.uc.mem_protect(base as u64, size as u64, prot.prot()))
    }

    /// Drops translated code for a range the host rewrote (code resources, relocation).
    pub fn invalidate_code(&mut self, addr: u32, len: u32) -> Result<(), CpuError> {
        ck("invalidate code cache", self.uc.ctl_remove_cache(addr as u64, addr as u64 + len as u64))
    }

    /// Resets to supervisor mode (SR = 0x2700: S set, interrupts masked) with the given stack
    /// pointer and PC. SR is written first because A7 is banked by the S bit.
    pub fn reset(&mut self, ssp: u32, pc: u32) -> Result<(), CpuError> {
        ck("write SR", self.uc.reg_write(RegisterM68K::SR, 0x2700))?;
        for r in D_REGS.iter().chain(&A_REGS[..7]) {
            ck("clear registers", self.uc.reg_write(*r, 0))?;
        }
        ck("write A7", self.uc.reg_write(RegisterM68K::A7, ssp as u64))?;
        ck("write PC", self.uc.reg_write(RegisterM68K::PC, pc as u64))
    }

    /// All registers but SR (see the module comment).
    pub fn registers(&self) -> RegisterFile {
        let mut r = RegisterFile { pc: read_reg(&self.uc, RegisterM68K::PC), ..Default::default() };
        for i in 0..8 {
            r.d[i] = read_reg(&self.uc, D_REGS[i]);
            r.a[i] = read_reg(&self.uc, A_REGS[i]);
        }
        r
    }

    pub fn set_registers(&mut self, r: &RegisterFile) -> Result<(), CpuError> {
        for i in 0..8 {
            ck("write D", self.uc.reg_write(D_REGS[i], r.d[i] as u64))?;
            ck("write A", self.uc.reg_write(A_REGS[i], r.a[i] as u64))?;
        }
        ck("write PC", self.uc.reg_write(RegisterM68K::PC, r.pc as u64))
    }

    /// Runs from the current PC until a hook stops the CPU, an engine error occurs or
    /// `timeout_us` microseconds pass (0 = no limit). One `emu_start` per call: execution
    /// is not sliced.
    pub fn run(&mut self, timeout_us: u64) -> RunEnd {
        let pc = read_reg(&self.uc, RegisterM68K::PC);
        // `until` can never match a 32-bit PC, so address 0 is an ordinary address.
        match self.uc.emu_start(pc as u64, u64::MAX, timeout_us, 0) {
            Ok(()) => RunEnd::Stopped,
            Err(e) => RunEnd::EngineError(format!("{e:?}")),
        }
    }

    pub fn state(&self) -> &S {
        self.uc.get_data()
    }
    pub fn state_mut(&mut self) -> &mut S {
        self.uc.get_data_mut()
    }
}
