//! The native backend: runs guest code on the host for tests. Every SDK call that would touch
//! the machine in the 68k build (accessors, traps, console) goes to the [`Host`] installed on
//! the current thread with [`with_host`]. [`FlatHost`] is a ready host: a flat RAM buffer at a
//! chosen guest base address, a console capture, and a few traps; palm-shim can implement
//! [`Host`] to run guest code against the real shim.

use crate::mem::GuestAddr;
use crate::traps::Shape;
use std::cell::Cell;
use std::string::String;
use std::thread_local;
use std::vec;
use std::vec::Vec;

/// What guest code needs from its machine. Invalid accesses should panic with a clear message
/// (the 68k build would stop with a fault or a wasm trap).
pub trait Host {
    /// Reads guest memory at `addr` into `buf`.
    fn read(&mut self, addr: GuestAddr, buf: &mut [u8]);
    /// Writes `data` to guest memory at `addr`.
    fn write(&mut self, addr: GuestAddr, data: &[u8]);
    /// A PalmOS trap call. `args[i]` holds argument `i` zero-extended from its width
    /// (`shape.arg(i)`); `shape.stack_image` gives the bytes a 68k caller would have pushed.
    /// Returns the D0 value (or the A0 value when `shape.result_in_a0()`).
    fn trap(&mut self, word: u16, shape: Shape, args: &[u32]) -> u32;
    /// Console output (the 68k build's `HostControl(HOST_CONSOLE_WRITE, ..)`).
    fn console_write(&mut self, bytes: &[u8]);
    /// A guest-memory scratch area the program may use freely: `(address, length)`.
    fn scratch_area(&mut self) -> (GuestAddr, u32);

    /// `memmove` on guest memory.
    fn memmove(&mut self, dst: GuestAddr, src: GuestAddr, n: u32) {
        let mut tmp = vec![0u8; n as usize];
        self.read(src, &mut tmp);
        self.write(dst, &tmp);
    }
    /// `memset` on guest memory.
    fn memset(&mut self, dst: GuestAddr, value: u8, n: u32) {
        self.write(dst, &vec![value; n as usize]);
    }
    /// `memcmp` on guest memory (sign is what matters).
    fn memcmp(&mut self, a: GuestAddr, b: GuestAddr, n: u32) -> i32 {
        let mut x = vec![0u8; n as usize];
        let mut y = vec![0u8; n as usize];
        self.read(a, &mut x);
        self.read(b, &mut y);
        x.cmp(&y) as i32
    }
}

thread_local! {
    static CURRENT: Cell<Option<*mut (dyn Host + 'static)>> = const { Cell::new(None) };
}

/// Restores the previously installed host when dropped (also on panic).
struct Restore(Option<*mut (dyn Host + 'static)>);

impl Drop for Restore {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.0));
    }
}

/// Runs `f` with `host` installed as the current thread's guest machine. Nests: an inner
/// `with_host` (e.g. a host calling back into guest code from a trap) shadows the outer one
/// until it returns.
pub fn with_host<H: Host, R>(host: &mut H, f: impl FnOnce() -> R) -> R {
    let dyn_host: &mut dyn Host = host;
    // SAFETY: the pointer is only dereferenced while `host` is mutably borrowed by this call
    // (the Restore guard removes it before we return), so erasing the lifetime is sound.
    let ptr: *mut (dyn Host + 'static) = unsafe { core::mem::transmute(dyn_host as *mut dyn Host) };
    let prev = CURRENT.with(|c| c.replace(Some(ptr)));
    let _restore = Restore(prev);
    f()
}

/// Calls `f` on the current host. While `f` runs the host is uninstalled, so a host method
/// that re-enters the SDK without its own `with_host` panics instead of aliasing.
pub(crate) fn with_current<R>(f: impl FnOnce(&mut dyn Host) -> R) -> R {
    let ptr = CURRENT
        .with(|c| c.take())
        .expect("guest-sdk: no native Host installed on this thread (use native::with_host)");
    let _restore = Restore(Some(ptr));
    // SAFETY: installed by `with_host`, which keeps the host borrowed until it returns; taken
    // out of the cell for the duration of `f`, so no second &mut exists.
    f(unsafe { &mut *ptr })
}

/// A simple host: `size` bytes of RAM at guest address `base`, console capture, and native
/// versions of a few traps (the ones the self-test and the first app use). Traps it does not
/// know panic with the trap's SDK name.
pub struct FlatHost {
    base: u32,
    ram: Vec<u8>,
    scratch: (u32, u32),
    /// Everything the guest printed.
    pub console: Vec<u8>,
    /// Value of `TimGetTicks`, advanced by one per call.
    pub ticks: u32,
    /// `SysRandom` state.
    pub random_seed: u32,
    /// `EvtGetEvent` calls left before it returns `appStopEvent` (otherwise `nilEvent`).
    pub events_before_stop: u32,
    /// Every trap word called, in order.
    pub trap_log: Vec<u16>,
}

impl FlatHost {
    /// Default scratch size (same as the 68k build's C buffer).
    pub const SCRATCH_LEN: u32 = 4096;

    /// RAM of `size` bytes at `base`; the last `SCRATCH_LEN` bytes (or all, if smaller) are
    /// the scratch area.
    pub fn new(base: u32, size: u32) -> Self {
        let scratch_len = Self::SCRATCH_LEN.min(size);
        FlatHost {
            base,
            ram: vec![0; size as usize],
            scratch: (base + size - scratch_len, scratch_len),
            console: Vec::new(),
            ticks: 0,
            random_seed: 0,
            events_before_stop: 0,
            trap_log: Vec::new(),
        }
    }

    /// The console output as text (lossy UTF-8).
    pub fn console_text(&self) -> String {
        String::from_utf8_lossy(&self.console).into_owned()
    }

    fn range(&self, addr: GuestAddr, len: usize) -> core::ops::Range<usize> {
        let off = addr.0.wrapping_sub(self.base) as usize;
        if addr.0 < self.base || off > self.ram.len() || len > self.ram.len() - off {
            panic!(
                "FlatHost: access of {len} bytes at {addr} outside RAM {:#010X}..{:#010X}",
                self.base,
                self.base as usize + self.ram.len()
            );
        }
        off..off + len
    }

    fn cstr_len(&mut self, at: u32) -> u32 {
        let mut n = 0;
        while self.ram[self.range(GuestAddr(at + n), 1)][0] != 0 {
            n += 1;
        }
        n
    }
}

impl Host for FlatHost {
    fn read(&mut self, addr: GuestAddr, buf: &mut [u8]) {
        let r = self.range(addr, buf.len());
        buf.copy_from_slice(&self.ram[r]);
    }

    fn write(&mut self, addr: GuestAddr, data: &[u8]) {
        let r = self.range(addr, data.len());
        self.ram[r].copy_from_slice(data);
    }

    fn console_write(&mut self, bytes: &[u8]) {
        self.console.extend_from_slice(bytes);
    }

    fn scratch_area(&mut self) -> (GuestAddr, u32) {
        (GuestAddr(self.scratch.0), self.scratch.1)
    }

    fn trap(&mut self, word: u16, shape: Shape, a: &[u32]) -> u32 {
        use palm_abi::traps as w;
        self.trap_log.push(word);
        let word = palm_abi::traps::normalize(word);
        match word {
            w::MEM_SET => {
                self.memset(GuestAddr(a[0]), a[2] as u8, a[1]);
                0
            }
            w::MEM_MOVE => {
                self.memmove(GuestAddr(a[0]), GuestAddr(a[1]), a[2]);
                0
            }
            w::MEM_CMP => {
                let c = self.memcmp(GuestAddr(a[0]), GuestAddr(a[1]), a[2]);
                c as i16 as u16 as u32
            }
            w::STR_LEN => self.cstr_len(a[0]),
            w::STR_COPY => {
                let n = self.cstr_len(a[1]) + 1;
                self.memmove(GuestAddr(a[0]), GuestAddr(a[1]), n);
                a[0]
            }
            w::STR_N_COPY => {
                // PalmOS StrNCopy: copies at most n bytes, pads with NULs like strncpy.
                let n = a[2] as u16 as i16;
                if n > 0 {
                    let n = n as u32;
                    let len = self.cstr_len(a[1]).min(n);
                    self.memmove(GuestAddr(a[0]), GuestAddr(a[1]), len);
                    self.memset(GuestAddr(a[0] + len), 0, n - len);
                }
                a[0]
            }
            w::STR_I_TO_A => {
                let s = std::format!("{}", a[1] as i32);
                self.write(GuestAddr(a[0]), s.as_bytes());
                self.write(GuestAddr(a[0] + s.len() as u32), &[0]);
                a[0]
            }
            w::FTR_GET => {
                // FtrGet('psys', sysFtrNumROMVersion): PalmOS 3.5 release (0x03503000).
                let (creator, num) = (a[0], a[1] as u16);
                if creator == u32::from_be_bytes(*b"psys") && num == 1 {
                    self.write(GuestAddr(a[2]), &0x0350_3000u32.to_be_bytes());
                    0
                } else {
                    palm_abi::errors::FTR_ERR_NO_SUCH_FEATURE as u32
                }
            }
            w::SYS_TICKS_PER_SECOND => 100,
            w::TIM_GET_TICKS => {
                self.ticks += 1;
                self.ticks
            }
            w::TIM_GET_SECONDS => 0xB8C0_0000 + self.ticks / 100,
            w::SYS_RANDOM => {
                let seed = a[0] as i32;
                if seed != 0 {
                    self.random_seed = seed as u32;
                }
                self.random_seed = self.random_seed.wrapping_mul(0x015A_4E35).wrapping_add(1);
                (self.random_seed >> 16) & 0x7FFF
            }
            w::EVT_GET_EVENT => {
                // eType at offset 0: appStopEvent (22) once the budget is used, else nilEvent.
                let stop = self.events_before_stop == 0;
                self.events_before_stop = self.events_before_stop.saturating_sub(1);
                let mut ev = [0u8; 24];
                ev[..2].copy_from_slice(&(if stop { 22u16 } else { 0 }).to_be_bytes());
                self.write(GuestAddr(a[0]), &ev);
                0
            }
            w::HOST_CONTROL => match a[0] as u16 {
                palm_abi::host::HOST_CONSOLE_WRITE => {
                    let mut b = vec![0u8; a[2] as usize];
                    self.read(GuestAddr(a[1]), &mut b);
                    self.console.extend_from_slice(&b);
                    0
                }
                sel => panic!("FlatHost: HostControl selector {sel:#06X} (shape {shape:?})"),
            },
            _ => panic!(
                "FlatHost: unimplemented trap {} ({word:#06X}, shape {shape:?}, args {a:X?})",
                palm_abi::trap_names::trap_name(word).unwrap_or("?")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mem::*;
    use crate::traps;

    #[test]
    fn accessors_are_big_endian_at_any_alignment() {
        let mut h = FlatHost::new(0x1000, 256);
        with_host(&mut h, || {
            write_u32(GuestAddr(0x1001), 0x1122_3344);
            write_u16(GuestAddr(0x1007), 0xA55A);
            assert_eq!(read_u8(GuestAddr(0x1001)), 0x11);
            assert_eq!(read_u16(GuestAddr(0x1002)), 0x2233);
            assert_eq!(read_u32(GuestAddr(0x1001)), 0x1122_3344);
            assert_eq!(read_u16(GuestAddr(0x1007)), 0xA55A);
        });
        assert_eq!(&h.ram[1..5], &[0x11, 0x22, 0x33, 0x44]);
    }

    #[test]
    fn traps_and_console_reach_the_host() {
        let mut h = FlatHost::new(0x1000, 8192);
        with_host(&mut h, || {
            let (s, len) = scratch_area();
            assert!(len >= 64);
            assert_eq!(traps::MemSet(s, 10, 0xAB), 0);
            assert_eq!(read_u8(s.add(9)), 0xAB);
            assert_eq!(read_u8(s.add(10)), 0);
            traps::StrIToA(s, -1234);
            assert_eq!(traps::StrLen(s), 5);
            crate::println!("value {}", 42);
        });
        assert_eq!(h.console_text(), "value 42\n");
        assert_eq!(h.trap_log, [0xA027, 0xA0C9, 0xA0C7]);
    }

    #[test]
    #[should_panic(expected = "no native Host")]
    fn no_host_panics_clearly() {
        read_u8(GuestAddr(0));
    }

    #[test]
    #[should_panic(expected = "outside RAM")]
    fn out_of_range_access_panics() {
        let mut h = FlatHost::new(0x1000, 16);
        with_host(&mut h, || read_u32(GuestAddr(0x100E)));
    }

    #[test]
    #[should_panic(expected = "unimplemented trap DmOpenDatabase")]
    fn unknown_trap_names_itself() {
        let mut h = FlatHost::new(0x1000, 16);
        with_host(&mut h, || traps::call(0xA049, Shape(0), &[]));
    }
}
