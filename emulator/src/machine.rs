//! The emulated handheld: CPU, guest memory and the PalmOS shim wired together. The machine is
//! the CPU's supervisor: it routes `TRAP #15` to the shim, turns CPU exceptions and bad memory
//! accesses into fault reports, and owns the run loop.
//!
//! Who writes guest memory: the guest (through the CPU, subject to page protection) and the
//! host (the ROM loader, the shim's handlers), which writes through the host buffers and so is
//! never blocked by protection.

use crate::cpu::{Access, Cpu, CpuError, CpuEvent, ExceptionKind, HookAction, Protection, RunEnd, Supervisor};
use crate::ram::{bank, GuestRam};
use crate::report::{FaultKind, FaultReport, StopReason, TrapFailure};
use crate::rom::{RomError, RomImage};
use palm_abi::memmap;
use palm_shim::{GuestMemory, RegisterFile, Registers, Shim, ShimConfig, TrapOutcome};
use std::time::{Duration, Instant};

/// Machine settings.
#[derive(Debug, Clone)]
pub struct MachineConfig {
    /// Stop at the first `EvtGetEvent` (the boot criterion).
    pub stop_at_boot: bool,
    /// Detect jumps to odd addresses (a block hook; costs some speed).
    pub check_odd_pc: bool,
    /// Fixed `TimGetSeconds` base for reproducible runs.
    pub fixed_seconds: Option<u32>,
}

impl Default for MachineConfig {
    fn default() -> Self {
        Self { stop_at_boot: true, check_odd_pc: true, fixed_seconds: None }
    }
}

/// Errors building or loading the machine (never guest behaviour: that is a [`StopReason`]).
#[derive(Debug, thiserror::Error)]
pub enum MachineError {
    #[error(transparent)]
    Cpu(#[from] CpuError),
    #[error(transparent)]
    Rom(#[from] RomError),
    #[error("guest memory: {0}")]
    Memory(#[from] palm_shim::MemError),
    #[error("cannot format the heaps: {0}")]
    Heap(String),
}

/// Everything the CPU's hooks need: memory, the shim and the pending stop.
pub struct MachineState {
    pub ram: GuestRam,
    pub shim: Shim,
    stop: Option<StopReason>,
    trap_stubs: Option<(u32, u32)>,
    /// Whether the guest may currently write the storage heap (mirrors the page protection).
    storage_writable: bool,
}

impl MachineState {
    fn fault(&mut self, regs: &dyn Registers, kind: FaultKind, pc: u32) {
        let mut instruction = Vec::new();
        for i in 0..10 {
            match self.ram.read_u8(pc.wrapping_add(i)) {
                Ok(b) => instruction.push(b),
                Err(_) => break,
            }
        }
        let report = FaultReport {
            kind,
            pc,
            registers: regs.snapshot(),
            instruction,
            recent_traps: self.shim.recent_traps().copied().collect(),
        };
        log::debug!("{report}");
        self.stop = Some(StopReason::Fault(Box::new(report)));
    }

    fn trap15(&mut self, regs: &mut dyn Registers, pc: u32) -> HookAction {
        let word = match self.ram.read_u16(pc.wrapping_add(2)) {
            Ok(w) => w,
            Err(_) => {
                self.fault(regs, FaultKind::UnmappedFetch { addr: pc.wrapping_add(2) }, pc);
                return HookAction::Stop;
            }
        };
        let via_stub = self.trap_stubs.is_some_and(|(s, e)| (s..e).contains(&pc));
        let sp = regs.a(7);
        let args_base = if via_stub { sp.wrapping_add(4) } else { sp };
        let traps_before = self.shim.total_traps();
        // On success the shim has moved the PC: past the trap, or into a guest callback.
        match self.shim.dispatch(word, regs, &mut self.ram, args_base) {
            Ok(TrapOutcome::Stop(req)) => {
                self.stop = Some(StopReason::from_request(req, pc));
                HookAction::Stop
            }
            Ok(TrapOutcome::Block) => {
                // The shim left the PC on the trap: the next run executes it again.
                self.stop = Some(StopReason::Idle);
                HookAction::Stop
            }
            Ok(_) => HookAction::Continue,
            Err(error) => {
                let caller = if via_stub {
                    self.ram.read_u32(sp).ok()
                } else {
                    let a6 = regs.a(6);
                    memmap::SYSTEM_RAM.contains(a6).then(|| self.ram.read_u32(a6.wrapping_add(4)).ok()).flatten()
                };
                let failure = TrapFailure {
                    error,
                    pc,
                    caller,
                    registers: regs.snapshot(),
                    recent_traps: self.shim.recent_traps().copied().collect(),
                    traps_before,
                };
                log::debug!("{failure}");
                self.stop = Some(StopReason::TrapFailure(Box::new(failure)));
                HookAction::Stop
            }
        }
    }
}

impl Supervisor for MachineState {
    fn take_code_writes(&mut self) -> Option<(u32, u32)> {
        self.ram.take_storage_writes()
    }
    fn take_protection_change(&mut self) -> Option<(u32, u32, Protection)> {
        let want = self.shim.storage_writable();
        (want != self.storage_writable).then(|| {
            self.storage_writable = want;
            let prot = if want { Protection::ReadWrite } else { Protection::ReadOnly };
            (memmap::STORAGE_HEAP.base, memmap::STORAGE_HEAP.size, prot)
        })
    }

    fn on_event(&mut self, regs: &mut dyn Registers, event: CpuEvent) -> HookAction {
        match event {
            CpuEvent::Trap15 { pc } => return self.trap15(regs, pc),
            CpuEvent::Exception { kind, pc } => {
                let word = self.ram.read_u16(pc).unwrap_or(0);
                let kind = match kind {
                    ExceptionKind::IllegalInstruction => FaultKind::IllegalInstruction,
                    ExceptionKind::DivideByZero => FaultKind::DivideByZero,
                    ExceptionKind::PrivilegeViolation => FaultKind::PrivilegeViolation,
                    ExceptionKind::LineA => FaultKind::StrayALine(word),
                    ExceptionKind::LineF => FaultKind::FLine(word),
                    ExceptionKind::OtherTrap(n) => FaultKind::UnexpectedTrap(n),
                    ExceptionKind::Other(n) => FaultKind::UnknownException(n),
                };
                self.fault(regs, kind, pc);
            }
            CpuEvent::Unmapped { access, addr, size } => {
                let pc = regs.pc();
                let kind = match access {
                    Access::Read => FaultKind::UnmappedRead { addr, size },
                    Access::Write => FaultKind::UnmappedWrite { addr, size },
                    Access::Fetch => FaultKind::UnmappedFetch { addr },
                };
                self.fault(regs, kind, pc);
            }
            CpuEvent::Protected { access, addr, size, value } => {
                let pc = regs.pc();
                let kind = match access {
                    Access::Write if memmap::STORAGE_HEAP.contains(addr) => FaultKind::StorageWrite { addr, size, value },
                    Access::Write if memmap::ROM.contains(addr) => FaultKind::RomWrite { addr, size, value },
                    _ => FaultKind::Protection { addr, size },
                };
                self.fault(regs, kind, pc);
            }
            CpuEvent::OddPc { pc } => self.fault(regs, FaultKind::OddAddressJump { target: pc }, pc),
        }
        HookAction::Stop
    }
}

/// The emulated handheld.
pub struct Machine {
    cpu: Cpu<MachineState>,
    rom: Option<RomImage>,
    /// Generation of the card this machine's storage heap was loaded from (0 = none).
    pub(crate) card_generation: u64,
    early_engine_stops: u64,
}

impl Machine {
    /// A machine with all memory mapped and zeroed, and no ROM.
    pub fn new(config: &MachineConfig) -> Result<Self, MachineError> {
        let shim_config = ShimConfig {
            trap_stub_base: None,
            stop_at_boot: config.stop_at_boot,
            fixed_seconds: config.fixed_seconds,
            callback_return_stub: None,
        };
        let mut ram = GuestRam::new();
        let mut shim = Shim::new(shim_config);
        shim.init_memory(&mut ram).map_err(|e| MachineError::Heap(e.to_string()))?;
        let state = MachineState { ram, shim, stop: None, trap_stubs: None, storage_writable: false };
        let mut cpu = Cpu::new(state, config.check_odd_pc)?;
        let banks: Vec<_> = cpu
            .state_mut()
            .ram
            .banks_mut()
            .iter_mut()
            .enumerate()
            .map(|(i, b)| (i, b.region, b.host_ptr()))
            .collect();
        for (i, region, ptr) in banks {
            let prot = match i {
                bank::STORAGE | bank::ROM => Protection::ReadOnly,
                _ => Protection::ReadWrite,
            };
            // SAFETY: the bank buffers are boxed slices owned by the CPU's own state; they never
            // move or resize and are dropped together with the engine.
            unsafe { cpu.map_host(region.base, region.size, ptr, prot)? };
        }
        Ok(Self { cpu, rom: None, card_generation: 0, early_engine_stops: 0 })
    }

    /// Loads a ROM image into the ROM region and resets the CPU from its reset vector.
    pub fn load_rom(&mut self, rom: RomImage) -> Result<(), MachineError> {
        {
            let st = self.cpu.state_mut();
            let rom_bytes = st.ram.banks_mut()[bank::ROM].bytes_mut();
            rom_bytes.fill(0);
            for (off, data) in &rom.segments {
                rom_bytes[*off as usize..*off as usize + data.len()].copy_from_slice(data);
            }
            st.trap_stubs = rom.trap_stubs;
            st.shim.config.trap_stub_base = rom.trap_stubs.map(|(s, _)| s);
            st.shim.config.callback_return_stub = rom.symbol("__callback_return_stub");
            st.shim.set_built_in_app_entry(rom.symbol("guest_main"));
        }
        self.cpu.invalidate_code(memmap::ROM.base, memmap::ROM.size)?;
        self.rom = Some(rom);
        self.reset()
    }

    /// Hardware reset: SSP and PC from the first two longs of the ROM, supervisor mode, the LCD
    /// start address register pointing at the framebuffer.
    pub fn reset(&mut self) -> Result<(), MachineError> {
        let st = self.cpu.state_mut();
        let ssp = st.ram.read_u32(memmap::ROM.base)?;
        let pc = st.ram.read_u32(memmap::ROM.base + 4)?;
        st.ram.write_u32(memmap::LSSA, memmap::FRAMEBUFFER.base)?;
        st.stop = None;
        self.cpu.reset(ssp, pc)?;
        Ok(())
    }

    /// Runs until the guest stops (boot, idle, exit, fault, unimplemented trap) or `limit`
    /// passes. The machine can be run again after stops that completed their trap (boot,
    /// console) and after `Idle` (the waiting trap runs again, so inject input first).
    pub fn run(&mut self, limit: Option<Duration>) -> StopReason {
        let start = Instant::now();
        loop {
            self.cpu.state_mut().stop = None;
            // Host writes between runs (card loads, installs, tests poking storage).
            if let Some((start, end)) = self.cpu.state_mut().ram.take_storage_writes() {
                if let Err(e) = self.cpu.invalidate_code(start, end - start) {
                    return StopReason::EngineError(e.to_string());
                }
            }
            let remaining = limit.map(|d| d.saturating_sub(start.elapsed()));
            if remaining == Some(Duration::ZERO) {
                return StopReason::Timeout;
            }
            let timeout_us = remaining.map_or(0, |d| d.as_micros().max(1) as u64);
            let end = self.cpu.run(timeout_us);
            match (self.cpu.state_mut().stop.take(), end) {
                (Some(reason), _) => return reason,
                (None, RunEnd::EngineError(e)) => return StopReason::EngineError(e),
                (None, RunEnd::Stopped) => {
                    // Unicorn's timer compares readings of a clock whose mode every new
                    // engine (on any thread) briefly resets, so it can fire early. The engine
                    // stops between blocks with the PC exact: carry on for the time left.
                    if limit.is_none_or(|d| start.elapsed() >= d) {
                        return StopReason::Timeout;
                    }
                    self.early_engine_stops += 1;
                    log::debug!("engine stopped early at {:#010x} after {:?}; resuming", self.registers().pc, start.elapsed());
                }
            }
        }
    }

    /// How often the engine's time limit fired early and the run was resumed (see `run`).
    pub fn early_engine_stops(&self) -> u64 {
        self.early_engine_stops
    }

    /// Convenience: a machine with `rom` loaded, ready to run.
    pub fn with_rom(config: &MachineConfig, rom: RomImage) -> Result<Self, MachineError> {
        let mut m = Self::new(config)?;
        m.load_rom(rom)?;
        Ok(m)
    }

    /// Runs and measures the wall time.
    pub fn run_timed(&mut self, limit: Option<Duration>) -> (StopReason, Duration) {
        let t = Instant::now();
        let r = self.run(limit);
        (r, t.elapsed())
    }

    /// The machine state the hooks see (memory and shim).
    pub fn state(&self) -> &MachineState {
        self.cpu.state()
    }
    pub fn state_mut(&mut self) -> &mut MachineState {
        self.cpu.state_mut()
    }
    pub fn ram(&self) -> &GuestRam {
        &self.cpu.state().ram
    }
    pub fn ram_mut(&mut self) -> &mut GuestRam {
        &mut self.cpu.state_mut().ram
    }
    pub fn shim(&self) -> &Shim {
        &self.cpu.state().shim
    }
    pub fn shim_mut(&mut self) -> &mut Shim {
        &mut self.cpu.state_mut().shim
    }
    pub fn registers(&self) -> RegisterFile {
        self.cpu.registers()
    }
    pub fn set_registers(&mut self, r: &RegisterFile) -> Result<(), MachineError> {
        Ok(self.cpu.set_registers(r)?)
    }
    pub fn rom(&self) -> Option<&RomImage> {
        self.rom.as_ref()
    }
    /// Drops translated code after the host rewrote guest code at `[addr, addr + len)`.
    pub fn invalidate_code(&mut self, addr: u32, len: u32) -> Result<(), MachineError> {
        Ok(self.cpu.invalidate_code(addr, len)?)
    }
    /// True while the guest may write the storage heap directly (`MemSemaphoreReserve(true)`).
    pub fn storage_writable(&self) -> bool {
        self.cpu.state().storage_writable
    }
    /// Bytes the guest program can read with `HostControl(HOST_GET_ARGS)` (the SDK's
    /// `program_args()`): a command line for test programs.
    pub fn set_program_args(&mut self, args: &[u8]) {
        self.shim_mut().set_program_args(args);
    }

    /// The guest console output so far, as text.
    pub fn console_text(&self) -> String {
        String::from_utf8_lossy(self.shim().console()).into_owned()
    }
}

#[cfg(test)]
mod tests {
    //! Machine tests on raw 68k code (hand-assembled, mnemonics beside the words), so they
    //! need no guest toolchain. The same faults are tested from assembly sources in tests/.
    use super::*;
    use crate::report::FaultKind;

    const CODE: u32 = memmap::ROM.base + 8;

    fn machine(code: &[u16]) -> Machine {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&memmap::SYSTEM_STACK_TOP.to_be_bytes());
        bytes.extend_from_slice(&CODE.to_be_bytes());
        for w in code {
            bytes.extend_from_slice(&w.to_be_bytes());
        }
        Machine::with_rom(&MachineConfig::default(), RomImage::from_raw(bytes)).unwrap()
    }

    fn fault(code: &[u16]) -> FaultReport {
        match machine(code).run(Some(Duration::from_secs(5))) {
            StopReason::Fault(r) => *r,
            other => panic!("expected a fault, got {other}"),
        }
    }

    const EXIT_D0: [u16; 6] = [
        0x2F00, // move.l d0,-(sp)
        0x3F3C, 0x7F03, // move.w #HOST_EXIT,-(sp)
        0x4E4F, 0xA344, // trap #15; HostControl
        0x4AFC, // illegal (never reached)
    ];

    /// Code runs in place from storage RAM; when the host rewrites it (a trap moving or
    /// writing chunks, a card load between runs), the CPU must not run stale translations.
    #[test]
    fn host_writes_to_storage_drop_translated_code() {
        let s = memmap::STORAGE_HEAP.base + memmap::STORAGE_HEAP.size - 0x100;
        let (sh, sl) = ((s >> 16) as u16, s as u16);
        let mut code = vec![
            0x4EB9, sh, sl, // jsr s (returns 1)
            0x2600, // move.l d0,d3
            0x3F3C, 0x0001, // move.w #1,-(sp)
            0x4E4F, 0xA03C, // trap #15; MemSemaphoreReserve(true): storage writable
            0x2F3C, 0, 4, // move.l #4,-(sp)
            0x2F3C, 0, 0, // move.l #new,-(sp) (patched below)
            0x2F3C, sh, sl, // move.l #s,-(sp)
            0x4E4F, 0xA026, // trap #15; MemMove(s, new, 4): the host rewrites s
            0x4FEF, 0x000C, // lea 12(sp),sp
            0x4E4F, 0xA03D, // trap #15; MemSemaphoreRelease(true) (the word is still pushed)
            0x544F, // addq.w #2,sp
            0x4EB9, sh, sl, // jsr s (must return 2)
            0xC6FC, 0x000A, // mulu.w #10,d3
            0xD083, // add.l d3,d0
        ];
        code.extend_from_slice(&EXIT_D0);
        let new = CODE + 2 * code.len() as u32;
        code.extend_from_slice(&[0x7002, 0x4E75]); // new: moveq #2,d0; rts
        (code[12], code[13]) = ((new >> 16) as u16, new as u16);
        let mut m = machine(&code);
        m.ram_mut().write(s, &[0x70, 0x01, 0x4E, 0x75]).unwrap(); // moveq #1,d0; rts
        assert_eq!(m.run(Some(Duration::from_secs(5))), StopReason::Exit(12), "the second call ran the new code");
        // Between runs: the host puts back the old code; the next run must see it.
        m.ram_mut().write(s, &[0x70, 0x03, 0x4E, 0x75]).unwrap(); // moveq #3,d0; rts
        m.reset().unwrap();
        assert_eq!(m.run(Some(Duration::from_secs(5))), StopReason::Exit(32));
    }

    #[test]
    fn trap_exit_code() {
        let mut code = vec![0x703B]; // moveq #59,d0
        code.extend_from_slice(&EXIT_D0);
        let mut m = machine(&code);
        assert_eq!(m.run(None), StopReason::Exit(59));
        assert_eq!(m.shim().total_traps(), 1);
    }

    #[test]
    fn trap_result_in_d0_and_pc_advanced() {
        let mut code = vec![0x4E4F, 0xA2E9]; // trap #15; SysTicksPerSecond
        code.extend_from_slice(&EXIT_D0);
        assert_eq!(machine(&code).run(None), StopReason::Exit(100));
    }

    #[test]
    fn illegal_instruction_report() {
        let r = fault(&[0x7005, 0x4AFC]); // moveq #5,d0; illegal
        assert_eq!(r.kind, FaultKind::IllegalInstruction);
        assert_eq!(r.pc, CODE + 2);
        assert_eq!(r.registers.d[0], 5);
        assert_eq!(&r.instruction[..2], &[0x4A, 0xFC]);
    }

    #[test]
    fn divide_by_zero_report() {
        let r = fault(&[0x7064, 0x7200, 0x80C1]); // moveq #100,d0; moveq #0,d1; divu.w d1,d0
        assert_eq!(r.kind, FaultKind::DivideByZero);
        assert_eq!(r.pc, CODE + 4);
    }

    #[test]
    fn unmapped_read_report() {
        let r = fault(&[0x4E71, 0x2039, 0x5000, 0x0000]); // nop; move.l (0x50000000).l,d0
        assert_eq!(r.kind, FaultKind::UnmappedRead { addr: 0x5000_0000, size: 4 });
        assert_eq!(r.pc, CODE + 2);
    }

    #[test]
    fn storage_write_report() {
        // move.l #0xDEADBEEF,(0x01000100).l
        let r = fault(&[0x4E71, 0x23FC, 0xDEAD, 0xBEEF, 0x0100, 0x0100]);
        assert_eq!(r.kind, FaultKind::StorageWrite { addr: 0x0100_0100, size: 4, value: 0xDEAD_BEEF });
        assert_eq!(r.pc, CODE + 2);
    }

    #[test]
    fn odd_jump_report() {
        // lea (CODE+9).l,a0 ; jmp (a0)
        let target = CODE + 9;
        let r = fault(&[0x41F9, (target >> 16) as u16, target as u16, 0x4ED0, 0x4E71, 0x4E71]);
        assert_eq!(r.kind, FaultKind::OddAddressJump { target });
    }

    #[test]
    fn a_line_and_f_line_reports() {
        assert_eq!(fault(&[0xA123]).kind, FaultKind::StrayALine(0xA123));
        assert_eq!(fault(&[0xFE00]).kind, FaultKind::FLine(0xFE00));
    }

    #[test]
    fn unimplemented_trap_stops_with_name() {
        let mut m = machine(&[0x4E4F, 0xA2AD]); // trap #15; SndPlaySmf
        match m.run(None) {
            StopReason::TrapFailure(f) => {
                assert_eq!(f.pc, CODE);
                assert_eq!(f.error, palm_shim::TrapError::Unimplemented { word: 0xA2AD, name: Some("SndPlaySmf") });
                assert_eq!(f.recent_traps.last().unwrap().word, 0xA2AD);
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn host_rewritten_code_runs_after_invalidation() {
        let mut code = vec![0x7001]; // moveq #1,d0
        code.extend_from_slice(&EXIT_D0);
        let mut m = machine(&code);
        assert_eq!(m.run(None), StopReason::Exit(1));
        m.ram_mut().write_u16(CODE, 0x7002).unwrap(); // moveq #2,d0
        m.invalidate_code(CODE, 2).unwrap();
        m.reset().unwrap();
        assert_eq!(m.run(None), StopReason::Exit(2));
    }

    #[test]
    fn fault_pc_is_exact_after_a_trap_in_the_same_block() {
        // A trap handler moves PC past the trap; the next block's faulting store must still
        // report its own PC, not the block start (see `HookRegs::set_pc`).
        let store = [0x23FC, 0xDEAD, 0xBEEF, 0x0100, 0x0100]; // move.l #imm,(0x01000100).l
        for prefix in [&[0x4E71u16][..], &[0x548F, 0x548F], &[0x4E4F, 0xA2E9], &[0x4E4F, 0xA2E9, 0x548F], &[0x4E4F, 0xA2E9, 0x4E71, 0x548F]] {
            let mut code = prefix.to_vec();
            code.extend_from_slice(&store);
            assert_eq!(fault(&code).pc, CODE + 2 * prefix.len() as u32, "after {prefix:04X?}");
        }
    }

    #[test]
    fn trap_calls_guest_code_and_resumes_with_its_result() {
        use palm_shim::dispatch::{HandlerResult, TrapCall};
        // A trap that calls the guest function at F with argument 5 and returns 2 * r + 1.
        const F: u32 = CODE + 0x20;
        const STUB: u32 = CODE + 0x40;
        fn calls_f(_: &mut Shim, _: &mut TrapCall<'_>) -> HandlerResult {
            Ok(TrapOutcome::CallGuest {
                target: F,
                args: 5u32.to_be_bytes().to_vec(),
                resume: Box::new(|_, c, r| {
                    c.ret(2 * r + 1);
                    Ok(TrapOutcome::Continue)
                }),
            })
        }
        let mut code = vec![0x2C3C, 0x1234, 0x5678]; // move.l #0x12345678,d6 (callee-saved)
        code.extend_from_slice(&[0x4E4F, 0xA2AD]); // trap #15; the test trap
        code.extend_from_slice(&[0x0C86, 0x1234, 0x5678, 0x6702, 0x4AFC]); // cmp.l #..,d6; beq.s +2; illegal
        code.extend_from_slice(&EXIT_D0);
        code.resize(0x20 / 2, 0x4E71);
        // F: move.l 4(sp),d0; add.l d0,d0; rts
        code.extend_from_slice(&[0x202F, 0x0004, 0xD080, 0x4E75]);
        code.resize(0x40 / 2, 0x4E71);
        code.extend_from_slice(&[0x3F3C, 0x7F05, 0x4E4F, 0xA344]); // the callback-return stub
        let mut m = machine(&code);
        m.shim_mut().config.callback_return_stub = Some(STUB);
        m.shim_mut().table_mut().register(0xA2AD, calls_f);
        let sp_before = memmap::SYSTEM_STACK_TOP;
        assert_eq!(m.run(None), StopReason::Exit(21), "F(5) = 10, resumed as 2 * 10 + 1");
        assert_eq!(m.shim().pending_guest_calls(), 0);
        // HostControl(exit) pushed 6 bytes; the callback frame is gone.
        assert_eq!(m.registers().a[7], sp_before - 6);
    }

    #[test]
    fn ui_program_draws_blocks_for_input_and_receives_a_tap() {
        // Draws a rectangle and text through real traps, then loops on
        // EvtGetEvent(&ev, evtWaitForever), logging each eType at LOG, until a penUpEvent;
        // exits with the pen-up's screenX.
        const EV: u32 = 0x2000;
        const LOG: u32 = 0x3000;
        const DATA: u32 = CODE + 0x100;
        const RECT: u32 = DATA; // 5, 5, 20, 10
        const TEXT: u32 = DATA + 8; // "Hi"
        let hi = |a: u32| (a >> 16) as u16;
        let lo = |a: u32| a as u16;
        let mut code = vec![
            0x45F9, hi(LOG), lo(LOG), // lea (LOG).l,a2
            0x4267, // clr.w -(sp): cornerDiam 0
            0x4879, hi(RECT), lo(RECT), // pea (RECT).l
            0x4E4F, 0xA218, // trap #15; WinDrawRectangle
            0x5C8F, // addq.l #6,sp
            0x3F3C, 50, // move.w #50,-(sp): y
            0x3F3C, 10, // move.w #10,-(sp): x
            0x3F3C, 2, // move.w #2,-(sp): len
            0x4879, hi(TEXT), lo(TEXT), // pea (TEXT).l
            0x4E4F, 0xA220, // trap #15; WinDrawChars
            0x4FEF, 10, // lea 10(sp),sp
        ];
        let event_loop = code.len();
        code.extend_from_slice(&[
            0x70FF, // moveq #-1,d0: evtWaitForever
            0x2F00, // move.l d0,-(sp)
            0x4879, hi(EV), lo(EV), // pea (EV).l
        ]);
        let get_event = code.len();
        code.extend_from_slice(&[
            0x4E4F, 0xA11D, // trap #15; EvtGetEvent
            0x508F, // addq.l #8,sp
            0x3039, hi(EV), lo(EV), // move.w (EV).l,d0: eType
            0x34C0, // move.w d0,(a2)+
            0x0C40, 0x0002, // cmpi.w #penUpEvent,d0
        ]);
        let disp = (event_loop as i32 - (code.len() as i32 + 1)) * 2;
        code.push(0x6600 | (disp as u8 as u16)); // bne.s loop
        code.extend_from_slice(&[
            0x3039, hi(EV + 4), lo(EV + 4), // move.w (EV+4).l,d0: screenX
            0x48C0, // ext.l d0
        ]);
        code.extend_from_slice(&EXIT_D0);
        code.resize(0x100 / 2, 0x4AFC);
        code.extend_from_slice(&[5, 5, 20, 10, u16::from_be_bytes(*b"Hi")]);
        let mut m = machine(&code);
        let blank = m.screen_hash();
        assert_eq!(m.run(Some(Duration::from_secs(5))), StopReason::Booted, "the first EvtGetEvent");
        assert_ne!(m.screen_hash(), blank, "the framebuffer changed");
        let s = m.screen_surface();
        let px = |m: &Machine, x, y| s.get_pixel(m.ram(), x, y).unwrap().unwrap();
        assert_eq!((px(&m, 5, 5), px(&m, 24, 14), px(&m, 25, 15), px(&m, 4, 5)), (255, 255, 0, 0), "the rectangle");
        assert!((50..61).any(|y| (10..20).any(|x| px(&m, x, y) == 255)), "the text");
        // Nothing to do: the guest waits, the PC stays on the trap, and stays there.
        let trap_pc = CODE + 2 * get_event as u32;
        for _ in 0..2 {
            let reason = m.run(Some(Duration::from_secs(5)));
            assert_eq!(reason, StopReason::Idle);
            assert_eq!(reason.exit_code(), crate::report::exit_code::SUCCESS);
            assert_eq!(m.registers().pc, trap_pc);
        }
        // A tap: the re-executed trap returns penDown, then penUp.
        m.tap(30, 40);
        assert_eq!(m.queued_events().len(), 2);
        assert_eq!(m.run(Some(Duration::from_secs(5))), StopReason::Exit(30));
        let log: Vec<u16> = (0..3).map(|i| m.ram().read_u16(LOG + 2 * i).unwrap()).collect();
        assert_eq!(log, [0, 1, 2], "nilEvent (boot), penDownEvent, penUpEvent");
        let path = std::env::temp_dir().join(format!("palmemu-ui-{}.png", std::process::id()));
        m.save_screenshot(&path, 2).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 100);
        let _ = std::fs::remove_file(&path);
        assert_eq!(m.screen_rgb().len(), 160 * 160 * 3);
    }

    /// Unicorn's own time limit reads a clock mode that every new engine briefly resets, so
    /// engines created on other threads could end a run early (seen in CI as a spurious
    /// "time limit reached" seconds into a 300 s limit).
    #[test]
    fn machines_created_on_other_threads_do_not_cut_a_run_short() {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let creators: Vec<_> = (0..2)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut n = 0u32;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        drop(machine(&[0x60FE]));
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        let limit = Duration::from_millis(1500);
        let mut m = machine(&[0x60FE]); // bra.s *
        let mut early = Vec::new();
        for _ in 0..4 {
            let (reason, took) = m.run_timed(Some(limit));
            assert_eq!(reason, StopReason::Timeout);
            if took < limit {
                early.push(took);
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let made: u32 = creators.into_iter().map(|t| t.join().unwrap()).sum();
        assert!(early.is_empty(), "runs ended before their limit of {limit:?}: {early:?} ({made} machines created meanwhile)");
    }

    #[test]
    fn timeout_on_endless_loop() {
        let mut m = machine(&[0x60FE]); // bra.s *
        assert_eq!(m.run(Some(Duration::from_millis(50))), StopReason::Timeout);
    }
}
