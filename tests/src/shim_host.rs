//! Running guest code natively against the real PalmOS shim: [`ShimHost`] implements the
//! guest SDK's native `Host` over the emulator's guest RAM banks and a `Shim`, so a guest crate
//! built for the host makes the same trap calls, with the same argument bytes on a stack in
//! guest memory, as its 68k build does on the emulated CPU. This is the oracle side of the
//! differential tests.

use emulator::ram::GuestRam;
use guest_sdk::native::Host;
use guest_sdk::traps::Shape;
use guest_sdk::GuestAddr;
use palm_abi::memmap;
use palm_shim::{GuestMemory, RegisterFile, Shim, ShimConfig, StopRequest, TrapOutcome};

/// Where trap arguments are laid out natively (the 68k build's supervisor stack region).
const NATIVE_STACK_TOP: u32 = memmap::SYSTEM_STACK_TOP - 0x100;
/// The native scratch area, in system RAM like the 68k build's C buffer.
pub const NATIVE_SCRATCH: (u32, u32) = (memmap::SYSTEM_RAM.base + 0x4_0000, 4096);
/// The callback-return stub's address natively (there is no ROM): when the shim starts a
/// guest callback, the callee "returns" to it by the host completing the callback with
/// `HostControl(HOST_CALLBACK_RETURN)`, as the ROM's stub does.
pub const NATIVE_CALLBACK_RETURN_STUB: u32 = 0x103F_FF80;
/// The PC native trap calls pretend to be at (the shim resumes the caller at PC + 4).
const NATIVE_TRAP_PC: u32 = 0x103F_FFC0;

/// A guest machine without a CPU: guest RAM + the shim.
pub struct ShimHost {
    pub ram: GuestRam,
    pub shim: Shim,
    /// Stop requests the guest made (exit, panic reports); the run continues natively, the
    /// test inspects them.
    pub stops: Vec<StopRequest>,
    /// Called when a trap blocks (`EvtGetEvent` with nothing queued, a control tracking the
    /// pen): it may feed input to the shim and returns true to run the trap again; without
    /// it (or when it returns false) a blocking trap panics (native code cannot wait).
    pub on_block: Option<Box<dyn FnMut(&mut Shim) -> bool>>,
    /// Top of the native argument stack; lowered while a guest callback runs so the
    /// callee's own traps do not overwrite the waiting trap's frame.
    stack_top: u32,
    /// Guest callbacks served (Rust form event handlers called through the trampoline).
    pub callbacks: u32,
}

impl Default for ShimHost {
    fn default() -> Self {
        Self::new(ShimConfig {
            stop_at_boot: false,
            fixed_seconds: Some(crate::TEST_CLOCK),
            trap_stub_base: None,
            callback_return_stub: Some(NATIVE_CALLBACK_RETURN_STUB),
        })
    }
}

impl ShimHost {
    pub fn new(config: ShimConfig) -> Self {
        Self { ram: GuestRam::new(), shim: Shim::new(config), stops: Vec::new(), on_block: None, stack_top: NATIVE_STACK_TOP, callbacks: 0 }
    }
    pub fn console_text(&self) -> String {
        String::from_utf8_lossy(self.shim.console()).into_owned()
    }
}

impl Host for ShimHost {
    fn read(&mut self, addr: GuestAddr, buf: &mut [u8]) {
        self.ram.read(addr.0, buf).unwrap_or_else(|e| panic!("native guest fault: read {e}"));
    }
    fn write(&mut self, addr: GuestAddr, data: &[u8]) {
        self.ram.write(addr.0, data).unwrap_or_else(|e| panic!("native guest fault: write {e}"));
    }
    fn trap(&mut self, word: u16, shape: Shape, args: &[u32]) -> u32 {
        let mut image = [0u8; Shape::MAX_STACK_BYTES];
        let n = shape.stack_image(args, &mut image) as u32;
        let sp = (self.stack_top - n) & !1;
        let mut regs = RegisterFile { pc: NATIVE_TRAP_PC, ..Default::default() };
        loop {
            self.ram.write(sp, &image[..n as usize]).expect("native stack is mapped");
            regs.pc = NATIVE_TRAP_PC;
            regs.a[7] = sp;
            let mut outcome = self.shim.dispatch(word, &mut regs, &mut self.ram, sp);
            // Guest callbacks: run each (natively: the Rust form handler behind the
            // trampoline), then finish it like the ROM's callback-return stub, until the trap
            // completes (the shim puts the PC after the trap) or blocks.
            while let Ok(TrapOutcome::Redirected) = outcome {
                if regs.pc == NATIVE_TRAP_PC + 4 {
                    outcome = Ok(TrapOutcome::Continue);
                    break;
                }
                outcome = Ok(self.run_callback(&mut regs));
            }
            match outcome {
                Ok(TrapOutcome::Continue) => {}
                Ok(TrapOutcome::Stop(req)) => self.stops.push(req),
                Ok(TrapOutcome::Block) => {
                    let retry = self.on_block.as_mut().is_some_and(|f| f(&mut self.shim));
                    assert!(retry, "trap {word:#06X} ({}) blocks: native guest code cannot wait (set ShimHost::on_block to feed input)",
                        palm_abi::trap_names::trap_name(word).unwrap_or("?"));
                    continue;
                }
                Ok(other) => panic!("trap {word:#06X}: unexpected outcome {other:?}"),
                Err(e) => panic!("native trap failed: {e}"),
            }
            return if shape.result_in_a0() { regs.a[0] } else { regs.d[0] };
        }
    }
    fn console_write(&mut self, bytes: &[u8]) {
        self.shim_console(bytes);
    }
    fn scratch_area(&mut self) -> (GuestAddr, u32) {
        (GuestAddr(NATIVE_SCRATCH.0), NATIVE_SCRATCH.1)
    }
}

impl ShimHost {
    /// The shim started a guest callback: PC = the callee, A7 = its frame (return address
    /// into the callback-return stub, then the arguments). Natively the only callee is the
    /// SDK's form event trampoline: the registered Rust handler runs (with this host
    /// installed again, its traps on the stack below the frame), then the callback returns
    /// through `HostControl(HOST_CALLBACK_RETURN)` with D0 = its result, as the ROM's stub
    /// does after the callee's RTS.
    fn run_callback(&mut self, regs: &mut RegisterFile) -> TrapOutcome {
        let frame = regs.a[7];
        let target = regs.pc;
        assert_eq!(
            target,
            guest_sdk::ui::NATIVE_FORM_TRAMPOLINE.0,
            "the shim called 68k code at {target:#010X}, which native guest code does not have"
        );
        let mut ret = [0u8; 4];
        self.ram.read(frame, &mut ret).expect("callback frame");
        assert_eq!(u32::from_be_bytes(ret), NATIVE_CALLBACK_RETURN_STUB, "callback return address");
        self.ram.read(frame + 4, &mut ret).expect("callback frame");
        let event = GuestAddr(u32::from_be_bytes(ret));
        self.callbacks += 1;
        let saved_top = std::mem::replace(&mut self.stack_top, frame - 0x40);
        let handled = guest_sdk::native::with_host(self, || guest_sdk::ui::dispatch_form_event(event));
        self.stack_top = saved_top;
        // RTS pops the return address; the stub pushes its selector and traps.
        let at = frame + 4 - 2;
        self.ram.write(at, &palm_abi::host::HOST_CALLBACK_RETURN.to_be_bytes()).expect("callback frame");
        regs.d[0] = handled as u32;
        regs.a[7] = at;
        regs.pc = NATIVE_CALLBACK_RETURN_STUB;
        self.shim
            .dispatch(palm_abi::traps::HOST_CONTROL, regs, &mut self.ram, at)
            .unwrap_or_else(|e| panic!("callback return failed: {e}"))
    }

    fn shim_console(&mut self, bytes: &[u8]) {
        // Through the real HostControl handler, with the bytes placed in guest memory.
        let (buf, len) = NATIVE_SCRATCH;
        let staging = buf + len; // just past the scratch area, still system RAM
        for chunk in bytes.chunks(1024) {
            self.ram.write(staging, chunk).expect("staging area is mapped");
            let shape_args = [palm_abi::host::HOST_CONSOLE_WRITE as u32, staging, chunk.len() as u32];
            let shape = Shape::new(
                &[guest_sdk::traps::ArgWidth::Word, guest_sdk::traps::ArgWidth::Long, guest_sdk::traps::ArgWidth::Long],
                false,
            );
            self.trap(palm_abi::traps::HOST_CONTROL, shape, &shape_args);
        }
    }
}
