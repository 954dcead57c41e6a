//! One module per PalmOS manager; `install` puts every implemented trap into the table.

use crate::dispatch::TrapTable;

pub mod data_mgr_traps;
pub mod event_mgr;
pub mod font_mgr;
pub mod form;
pub mod ftr;
pub mod host_control;
pub mod launch;
pub mod mem_ops;
pub mod memory_mgr;
pub mod string;
pub mod sys;
pub mod ui;
pub mod window;

pub fn install(table: &mut TrapTable) {
    data_mgr_traps::install(table);
    event_mgr::install(table);
    font_mgr::install(table);
    form::install(table);
    ftr::install(table);
    host_control::install(table);
    launch::install(table);
    mem_ops::install(table);
    memory_mgr::install(table);
    string::install(table);
    sys::install(table);
    window::install(table);
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Runs one trap against a flat memory with arguments laid out as a 68k caller would.
    use crate::{FlatMemory, RegisterFile, Shim, ShimConfig, TrapError, TrapOutcome};

    pub const SP: u32 = 0x8000;

    /// An argument as the caller pushes it.
    pub enum Arg {
        B(u8),
        W(u16),
        L(u32),
    }

    pub struct Rig {
        pub shim: Shim,
        pub mem: FlatMemory,
        pub regs: RegisterFile,
    }

    impl Rig {
        /// A shim with formatted heaps over a flat memory covering guest addresses
        /// 0..0x0200_0000 (low memory, system RAM, dynamic heap, framebuffer, storage heap).
        pub fn new() -> Self {
            let config = ShimConfig { trap_stub_base: Some(0x1000_0400), stop_at_boot: true, fixed_seconds: Some(3_000_000_000), callback_return_stub: Some(0x1000_0300) };
            let mut mem = FlatMemory::new(0, palm_abi::memmap::STORAGE_HEAP.end() as usize);
            let mut shim = Shim::new(config);
            shim.init_memory(&mut mem).expect("heaps fit the flat memory");
            Self { shim, mem, regs: RegisterFile::default() }
        }
        pub fn call(&mut self, word: u16, args: &[Arg]) -> Result<TrapOutcome, TrapError> {
            use crate::GuestMemory;
            let mut at = SP;
            for a in args {
                match *a {
                    Arg::B(v) => { self.mem.write(at, &[0xA5, v]).unwrap(); at += 2; }
                    Arg::W(v) => { self.mem.write_u16(at, v).unwrap(); at += 2; }
                    Arg::L(v) => { self.mem.write_u32(at, v).unwrap(); at += 4; }
                }
            }
            self.regs.a[7] = SP;
            self.regs.pc = 0x1000_2000;
            self.shim.dispatch(word, &mut self.regs, &mut self.mem, SP)
        }
        pub fn d0(&self) -> u32 { self.regs.d[0] }
        pub fn a0(&self) -> u32 { self.regs.a[0] }
    }
}
