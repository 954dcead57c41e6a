//! Console output: [`print!`](crate::print) / [`println!`](crate::println) format with
//! `core::fmt` into a small buffer (no allocation). In the 68k build a full buffer is copied to
//! the C runtime's guest console buffer and written with
//! `HostControl(HOST_CONSOLE_WRITE, addr, len)`; natively it goes to
//! [`crate::native::Host::console_write`].

use core::fmt::{self, Write};

/// Size of the formatting buffer (the guest console buffer is at least this large).
pub const CHUNK: usize = 128;

/// A `fmt::Write` that batches console output; flushed when full and when dropped.
pub struct Console {
    buf: [u8; CHUNK],
    len: usize,
}

impl Console {
    pub const fn new() -> Self {
        Console {
            buf: [0; CHUNK],
            len: 0,
        }
    }
    pub fn flush(&mut self) {
        if self.len > 0 {
            write_bytes(&self.buf[..self.len]);
            self.len = 0;
        }
    }
}

impl Default for Console {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for Console {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut bytes = s.as_bytes();
        while !bytes.is_empty() {
            if self.len == CHUNK {
                self.flush();
            }
            let n = bytes.len().min(CHUNK - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
            self.len += n;
            bytes = &bytes[n..];
        }
        Ok(())
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Writes raw bytes to the console.
pub fn write_bytes(bytes: &[u8]) {
    imp::write_bytes(bytes)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use crate::mem::{copy_to_guest, GuestAddr};
    use crate::sys;
    use crate::traps::HostControlBytes;
    use palm_abi::host::HOST_CONSOLE_WRITE;

    pub fn write_bytes(mut bytes: &[u8]) {
        let (addr, cap) = unsafe {
            (
                GuestAddr(sys::sdk_console_addr()),
                sys::sdk_console_len() as usize,
            )
        };
        while !bytes.is_empty() {
            let n = bytes.len().min(cap);
            copy_to_guest(addr, &bytes[..n]);
            HostControlBytes(HOST_CONSOLE_WRITE, addr, n as u32);
            bytes = &bytes[n..];
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn write_bytes(bytes: &[u8]) {
        crate::native::with_current(|h| h.console_write(bytes))
    }
}

#[doc(hidden)]
pub fn _print(args: fmt::Arguments<'_>) {
    let mut c = Console::new();
    let _ = c.write_fmt(args);
}

/// Prints to the guest console (no allocation).
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::console::_print(format_args!($($arg)*)) };
}

/// Prints a line to the guest console (no allocation).
#[macro_export]
macro_rules! println {
    () => { $crate::console::write_bytes(b"\n") };
    ($($arg:tt)*) => {{
        let mut c = $crate::console::Console::new();
        let _ = ::core::fmt::Write::write_fmt(&mut c, format_args!($($arg)*));
        let _ = ::core::fmt::Write::write_str(&mut c, "\n");
    }};
}

/// A fixed-capacity `fmt::Write` into a byte array that truncates silently (used by the panic
/// handler, which must not allocate).
pub struct FixedBuf<const N: usize> {
    pub buf: [u8; N],
    pub len: usize,
}

impl<const N: usize> FixedBuf<N> {
    pub const fn new() -> Self {
        FixedBuf {
            buf: [0; N],
            len: 0,
        }
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl<const N: usize> Default for FixedBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Write for FixedBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(N - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}
