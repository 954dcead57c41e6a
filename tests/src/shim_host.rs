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

/// A guest machine without a CPU: guest RAM + the shim.
pub struct ShimHost {
    pub ram: GuestRam,
    pub shim: Shim,
    /// Stop requests the guest made (exit, panic reports); the run continues natively, the
    /// test inspects them.
    pub stops: Vec<StopRequest>,
}

impl Default for ShimHost {
    fn default() -> Self {
        Self::new(ShimConfig { stop_at_boot: false, fixed_seconds: Some(crate::TEST_CLOCK), trap_stub_base: None, callback_return_stub: None })
    }
}

impl ShimHost {
    pub fn new(config: ShimConfig) -> Self {
        Self { ram: GuestRam::new(), shim: Shim::new(config), stops: Vec::new() }
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
        let sp = NATIVE_STACK_TOP - n;
        self.ram.write(sp, &image[..n as usize]).expect("native stack is mapped");
        let mut regs = RegisterFile { pc: 0, ..Default::default() };
        regs.a[7] = sp;
        match self.shim.dispatch(word, &mut regs, &mut self.ram, sp) {
            Ok(TrapOutcome::Continue) => {}
            Ok(TrapOutcome::Stop(req)) => self.stops.push(req),
            // A trap that calls back into 68k code (a form event handler): native guest code
            // has no 68k code to call.
            Ok(other) => panic!("trap {word:#06X} asked for a 68k callback ({other:?}), which native guest code cannot take"),
            Err(e) => panic!("native trap failed: {e}"),
        }
        if shape.result_in_a0() { regs.a[0] } else { regs.d[0] }
    }
    fn console_write(&mut self, bytes: &[u8]) {
        self.shim_console(bytes);
    }
    fn scratch_area(&mut self) -> (GuestAddr, u32) {
        (GuestAddr(NATIVE_SCRATCH.0), NATIVE_SCRATCH.1)
    }
}

impl ShimHost {
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
