//! The register view the shim works on: D0-D7, A0-A7 and PC of the 68k. SR is deliberately
//! absent: reading it from a Unicorn hook corrupts the guest's flags, and no PalmOS call
//! needs it.

/// Access to the CPU registers while a trap is being handled.
pub trait Registers {
    fn d(&self, n: usize) -> u32;
    fn a(&self, n: usize) -> u32;
    fn set_d(&mut self, n: usize, v: u32);
    fn set_a(&mut self, n: usize, v: u32);
    fn pc(&self) -> u32;
    fn set_pc(&mut self, v: u32);

    /// A snapshot of every register, for reports.
    fn snapshot(&self) -> RegisterFile {
        let mut r = RegisterFile { pc: self.pc(), ..Default::default() };
        for i in 0..8 {
            r.d[i] = self.d(i);
            r.a[i] = self.a(i);
        }
        r
    }
}

/// A plain register set: the unit-test implementation of [`Registers`] and the snapshot in
/// fault reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegisterFile {
    pub d: [u32; 8],
    pub a: [u32; 8],
    pub pc: u32,
}

impl Registers for RegisterFile {
    fn d(&self, n: usize) -> u32 {
        self.d[n]
    }
    fn a(&self, n: usize) -> u32 {
        self.a[n]
    }
    fn set_d(&mut self, n: usize, v: u32) {
        self.d[n] = v;
    }
    fn set_a(&mut self, n: usize, v: u32) {
        self.a[n] = v;
    }
    fn pc(&self) -> u32 {
        self.pc
    }
    fn set_pc(&mut self, v: u32) {
        self.pc = v;
    }
}

impl std::fmt::Display for RegisterFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "PC={:08X}", self.pc)?;
        for i in 0..8 {
            write!(f, "D{i}={:08X}{}", self.d[i], if i == 7 { "\n" } else { " " })?;
        }
        for i in 0..8 {
            write!(f, "A{i}={:08X}{}", self.a[i], if i == 7 { "" } else { " " })?;
        }
        Ok(())
    }
}
