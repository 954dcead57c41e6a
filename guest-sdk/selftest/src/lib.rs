//! The differential self-test of the guest toolchain. The same code runs natively (through
//! `guest_sdk::native`) and on the emulated 68k (Rust -> wasm32 -> wasm2c -> GCC); each
//! sub-test prints one line with its name, a count of checked results and a 64-bit FNV-1a hash
//! of all of them (plus a few raw values), and a final summary line. The host test compares the
//! two console transcripts, which must be identical; a broken toolchain (e.g. the build without
//! `-DWABT_BIG_ENDIAN=1`) changes hashes or traps.
//!
//! Nothing printed may depend on what legitimately differs between the builds: addresses,
//! pointer widths, `usize::MAX`, allocator behaviour. Results are hashed as fixed-width values.
#![no_std]
// The test deliberately spells out operations (division after a zero check, heap buffers)
// to exercise them as written.
#![allow(clippy::manual_checked_ops, clippy::useless_vec)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt::{self, Write};
use guest_sdk::{
    copy_from_guest, copy_to_guest, guest_memcmp, guest_memcpy, guest_memmove, guest_memset,
    println, read_u16, read_u32, read_u8, scratch_area, traps, write_u16, write_u32, write_u8,
    GuestAddr,
};

guest_sdk::entry!(main);

/// The 68k entry: the self-test, or with the program argument `ui` the UI check
/// ([`ui_check`]).
pub fn main() -> u32 {
    if guest_sdk::program_args() == b"ui" {
        ui_check()
    } else {
        run()
    }
}

/// A Rust form event handler called through the SDK's trampoline (68k) or ShimHost (native):
/// prints what it got; handles `ctlSelectEvent` and `frmCloseEvent` (so the form is not
/// erased by FrmHandleEvent), declines the rest.
fn ui_handler(event: GuestAddr) -> bool {
    let e = guest_sdk::ui::Event::read(event);
    let active = traps::FrmGetActiveFormID();
    println!(
        "ui: handler: {} control {} chr {:#06x} form {} (active {active})",
        e.name().unwrap_or("?"),
        e.control_id(),
        e.chr(),
        e.form_id()
    );
    matches!(
        e.e_type,
        palm_abi::ui_layout::CTL_SELECT_EVENT | palm_abi::ui_layout::FRM_CLOSE_EVENT
    )
}

/// The UI layer end to end: a form made with FrmNewForm (10 arguments), a Rust handler
/// installed with `ui::set_form_event_handler`, events dispatched with FrmDispatchEvent (the
/// handler runs as a guest callback in the middle of the trap), FrmCloseAllForms's
/// frmCloseEvent broadcast. The transcript must be the same natively and on the 68k.
pub fn ui_check() -> u32 {
    use guest_sdk::palm_abi::ui_layout::{event_data, EventType, CTL_SELECT_EVENT, KEY_DOWN_EVENT};
    println!("ui: begin");
    let (buf, _) = scratch_area();
    let title = buf;
    copy_to_guest(title, b"UI check\0");
    let ev = buf.add(64);
    let form = traps::FrmNewForm(4200, title, 0, 0, 160, 160, false, 0, 0, 0);
    if form.is_null() {
        println!("ui: FrmNewForm failed");
        return 1;
    }
    traps::FrmSetActiveForm(form);
    guest_sdk::ui::set_form_event_handler(form, ui_handler);
    let mut failures = 0;
    let mut e = EventType::new(CTL_SELECT_EVENT);
    e.set_u16(event_data::ctl_select::CONTROL_ID, 4242);
    copy_to_guest(ev, &e.encode());
    let handled = traps::FrmDispatchEvent(ev);
    println!("ui: ctlSelectEvent handled {handled}");
    failures += !handled as u32;
    let mut k = EventType::new(KEY_DOWN_EVENT);
    k.set_u16(event_data::key_down::CHR, 0x0041);
    copy_to_guest(ev, &k.encode());
    let handled = traps::FrmDispatchEvent(ev);
    println!("ui: keyDownEvent handled {handled}");
    traps::FrmCloseAllForms();
    println!("ui: forms left {}", !traps::FrmGetFirstForm().is_null() as u32);
    failures += !traps::FrmGetFirstForm().is_null() as u32;
    println!("ui: end, {failures} failures");
    failures
}

/// 64-bit FNV-1a over everything a sub-test computes, plus a count of results.
#[derive(Clone)]
pub struct Fnv {
    hash: u64,
    count: u64,
}

impl Fnv {
    pub const fn new() -> Self {
        Fnv {
            hash: 0xcbf2_9ce4_8422_2325,
            count: 0,
        }
    }
    fn raw(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.hash ^= b as u64;
            self.hash = self.hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    /// One result: its bytes (a length prefix keeps concatenations distinct).
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.raw(&(bytes.len() as u32).to_le_bytes());
        self.raw(bytes);
        self.count += 1;
    }
    pub fn u64(&mut self, v: u64) {
        self.raw(&v.to_le_bytes());
        self.count += 1;
    }
    pub fn u128(&mut self, v: u128) {
        self.raw(&v.to_le_bytes());
        self.count += 1;
    }
    pub fn i64(&mut self, v: i64) {
        self.u64(v as u64)
    }
    pub fn bool(&mut self, v: bool) {
        self.u64(v as u64)
    }
    pub fn opt(&mut self, v: Option<u64>) {
        match v {
            Some(x) => self.u64(x),
            None => self.u64(0xDEAD_0000_0000_BEEF),
        }
    }
    pub fn ord(&mut self, o: Ordering) {
        self.u64(o as i8 as i64 as u64)
    }
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes())
    }
    pub fn hash(&self) -> u64 {
        self.hash
    }
    pub fn count(&self) -> u64 {
        self.count
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Self::new()
    }
}

/// Collects the sub-test hashes into the summary.
struct Suite {
    all: Fnv,
    tests: u32,
    failures: u32,
}

impl Suite {
    fn report(&mut self, name: &str, f: &Fnv, extra: fmt::Arguments<'_>) {
        self.tests += 1;
        self.all.str(name);
        self.all.u64(f.count());
        self.all.u64(f.hash());
        println!("{name:<14} n={:<6} h={:016x} {extra}", f.count(), f.hash());
    }
    /// A self-check that must hold in every correct build (independent of the hashes).
    fn expect(&mut self, name: &str, ok: bool) {
        if !ok {
            self.failures += 1;
            println!("FAIL {name}");
        }
    }
}

/// A small deterministic generator (xorshift32).
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}

// ------------------------------------------------------------------------------------------
// Edge values.

const BASE32: &[u32] = &[
    0,
    1,
    2,
    3,
    5,
    7,
    10,
    100,
    1000,
    0x7F,
    0x80,
    0xFF,
    0x100,
    0x7FFF,
    0x8000,
    0xFFFF,
    0x1_0000,
    0x7FFF_FFFF,
    0x8000_0000,
    0x8000_0001,
    0xFFFF_FFFF,
    0xFFFF_FFFE,
    0xFFFF_FC18,
    0x1234_5678,
    0x9ABC_DEF0,
    0xDEAD_BEEF,
    3_000_000_000,
    0x0001_0001,
    0x5555_5555,
    0xAAAA_AAAA,
];

const BASE64: &[u64] = &[
    0,
    1,
    2,
    3,
    7,
    10,
    1000,
    86_400,
    1_000_000_007,
    13_509_629_506_692,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFF,
    0x1_0000_0000,
    0x1_0000_0001,
    0x7FFF_FFFF_FFFF_FFFF,
    0x8000_0000_0000_0000,
    0x8000_0000_0000_0001,
    0xFFFF_FFFF_FFFF_FFFF,
    0xFFFF_FFFF_FFFF_FFFE,
    0xFFFF_FFFF_FFFF_FC18, // -1000
    0xFFFF_F3B6_D6F8_D37C, // -13509629506692
    0x1234_5678_9ABC_DEF0,
    0xDEAD_BEEF_CAFE_BABE,
    1_000_000_000_000_000_000,
    10_000_000_000_000_000_000,
    0x0000_0001_0000_0000_u64 * 3 + 5,
];

fn edges32() -> Vec<u32> {
    let mut v: Vec<u32> = BASE32.to_vec();
    for k in [4, 8, 15, 16, 17, 24, 30, 31] {
        v.push(1 << k);
        v.push((1u32 << k).wrapping_neg());
    }
    v
}

fn edges64() -> Vec<u64> {
    let mut v: Vec<u64> = BASE64.to_vec();
    for k in [4, 16, 31, 32, 33, 48, 62, 63] {
        v.push(1 << k);
        v.push((1u64 << k).wrapping_neg());
    }
    v
}

// ------------------------------------------------------------------------------------------
// Arithmetic.

fn arith32(s: &mut Suite) {
    let e = edges32();
    let mut f = Fnv::new();
    for &a in &e {
        for &b in &e {
            let (sa, sb) = (a as i32, b as i32);
            f.u64(a.wrapping_mul(b) as u64);
            f.u64(sa.wrapping_mul(sb) as u32 as u64);
            f.u64(a as u64 * b as u64);
            f.i64(sa as i64 * sb as i64);
            f.u64(a.wrapping_add(b) as u64);
            f.u64(a.wrapping_sub(b) as u64);
            f.opt(a.checked_mul(b).map(u64::from));
            f.opt(sa.checked_mul(sb).map(|x| x as u32 as u64));
            f.opt(a.checked_add(b).map(u64::from));
            f.opt(sa.checked_sub(sb).map(|x| x as u32 as u64));
            f.u64(sa.saturating_add(sb) as u32 as u64);
            f.u64(a.saturating_sub(b) as u64);
            let (r, o) = sa.overflowing_mul(sb);
            f.u64(r as u32 as u64);
            f.bool(o);
            f.ord(a.cmp(&b));
            f.ord(sa.cmp(&sb));
            if b != 0 {
                f.u64((a / b) as u64);
                f.u64((a % b) as u64);
            }
            f.opt(sa.checked_div(sb).map(|x| x as u32 as u64));
            f.opt(sa.checked_rem(sb).map(|x| x as u32 as u64));
            f.opt(sa.checked_div_euclid(sb).map(|x| x as u32 as u64));
            f.opt(sa.checked_rem_euclid(sb).map(|x| x as u32 as u64));
            if sb != 0 {
                f.u64(sa.wrapping_div(sb) as u32 as u64);
                f.u64(sa.wrapping_rem(sb) as u32 as u64);
            }
        }
    }
    let m = i32::MIN;
    s.expect("i32 MIN / -1 checked", m.checked_div(-1).is_none());
    s.expect("i32 MIN wrapping_div -1", m.wrapping_div(-1) == m);
    s.expect("u32 mul", 0xFFFF_FFFFu32.wrapping_mul(0xFFFF_FFFF) == 1);
    s.report(
        "arith32",
        &f,
        format_args!(
            "-7/2={} -7%2={} 3e9/7={} MIN%-1={}",
            -7i32 / 2,
            -7i32 % 2,
            3_000_000_000u32 / 7,
            m.wrapping_rem(-1)
        ),
    );
}

fn arith64(s: &mut Suite) {
    let e = edges64();
    let mut f = Fnv::new();
    for &a in &e {
        for &b in &e {
            let (sa, sb) = (a as i64, b as i64);
            f.u64(a.wrapping_mul(b));
            f.u64(sa.wrapping_mul(sb) as u64);
            f.u128(a as u128 * b as u128);
            f.u64(a.wrapping_add(b));
            f.u64(a.wrapping_sub(b));
            f.opt(a.checked_mul(b));
            f.opt(sa.checked_mul(sb).map(|x| x as u64));
            f.opt(sa.checked_add(sb).map(|x| x as u64));
            f.u64(sa.saturating_mul(sb) as u64);
            let (r, o) = a.overflowing_sub(b);
            f.u64(r);
            f.bool(o);
            f.ord(a.cmp(&b));
            f.ord(sa.cmp(&sb));
            if b != 0 {
                f.u64(a / b);
                f.u64(a % b);
            }
            f.opt(sa.checked_div(sb).map(|x| x as u64));
            f.opt(sa.checked_rem(sb).map(|x| x as u64));
            f.opt(sa.checked_div_euclid(sb).map(|x| x as u64));
            f.opt(sa.checked_rem_euclid(sb).map(|x| x as u64));
        }
    }
    let big = 13_509_629_506_692u64;
    s.expect(
        "13509629506692 / 1000",
        big / 1000 == 13_509_629_506 && big % 1000 == 692,
    );
    s.expect(
        "-13509629506692 / 1000",
        -(big as i64) / 1000 == -13_509_629_506 && -(big as i64) % 1000 == -692,
    );
    s.expect("i64 MIN / -1 checked", i64::MIN.checked_div(-1).is_none());
    s.report(
        "arith64",
        &f,
        format_args!(
            "13509629506692/1000={} rem={} -13509629506692/1000={} u64max/10={}",
            big / 1000,
            big % 1000,
            -(big as i64) / 1000,
            u64::MAX / 10
        ),
    );
}

fn shifts(s: &mut Suite) {
    let mut f = Fnv::new();
    for &a in &edges32() {
        for k in 0..32u32 {
            f.u64((a << k) as u64);
            f.u64((a >> k) as u64);
            f.u64(((a as i32) >> k) as u32 as u64);
            f.u64(a.rotate_left(k) as u64);
            f.u64(a.rotate_right(k) as u64);
        }
        for k in 32..70u32 {
            f.u64(a.wrapping_shl(k) as u64);
            f.u64((a as i32).wrapping_shr(k) as u32 as u64);
            f.opt(a.checked_shl(k).map(u64::from));
        }
    }
    for &a in &edges64() {
        for k in 0..64u32 {
            f.u64(a << k);
            f.u64(a >> k);
            f.u64(((a as i64) >> k) as u64);
            f.u64(a.rotate_left(k));
            f.u64(a.rotate_right(k));
        }
        for k in 64..130u32 {
            f.u64(a.wrapping_shl(k));
            f.u64((a as i64).wrapping_shr(k) as u64);
        }
    }
    for &a in &[
        1u128,
        0xFFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF,
        0x1234_5678_9ABC_DEF0_0FED_CBA9_8765_4321,
    ] {
        for k in 0..128u32 {
            f.u128(a << k);
            f.u128(a >> k);
            f.u128(((a as i128) >> k) as u128);
        }
    }
    let (top, one) = (
        core::hint::black_box(0x8000_0000u32),
        core::hint::black_box(1u64),
    );
    s.expect("shift", (top as i32 >> 31) == -1 && (one << 63) >> 63 == 1);
    s.report(
        "shifts",
        &f,
        format_args!(
            "-1>>31={} 1<<63={:#x} rotl(0x80000001,1)={:#x}",
            -1i32 >> 31,
            1u64 << 63,
            0x8000_0001u32.rotate_left(1)
        ),
    );
}

fn bits(s: &mut Suite) {
    let mut f = Fnv::new();
    for &a in &edges32() {
        f.u64(a.leading_zeros() as u64);
        f.u64(a.trailing_zeros() as u64);
        f.u64(a.count_ones() as u64);
        f.u64(a.swap_bytes() as u64);
        f.u64(a.reverse_bits() as u64);
        f.u64((a as i32).wrapping_abs() as u32 as u64);
        f.u64((a as i32).signum() as u32 as u64);
        f.u64(a.wrapping_pow(3) as u64);
        f.opt(a.checked_pow(2).map(u64::from));
        f.u64(a.isqrt() as u64);
        f.u64(a as u8 as u64);
        f.u64(a as i8 as i64 as u64);
        f.u64(a as u16 as u64);
        f.u64(a as i16 as i64 as u64);
        f.u64((a as i32) as i64 as u64);
        f.u64(u16::from_be_bytes([(a >> 8) as u8, a as u8]) as u64);
        f.u64(u32::from_le_bytes(a.to_be_bytes()) as u64);
    }
    for &a in &edges64() {
        f.u64(a.leading_zeros() as u64);
        f.u64(a.trailing_zeros() as u64);
        f.u64(a.count_ones() as u64);
        f.u64(a.swap_bytes());
        f.u64(a.reverse_bits());
        f.u64(a.isqrt());
        f.u64((a as i64).wrapping_neg() as u64);
        f.u64(a as u32 as u64);
        f.u64((a as i32) as i64 as u64);
        f.u64(a.wrapping_pow(5));
    }
    // u128 through compiler-builtins (__multi3, __udivti3, ...).
    let mut r = Rng(0x1234_5678);
    for _ in 0..200 {
        let a = ((r.next() as u128) << 96)
            | ((r.next() as u128) << 64)
            | ((r.next() as u128) << 32)
            | r.next() as u128;
        let b = ((r.next() as u128) << (r.below(4) * 32)) | 1;
        f.u128(a.wrapping_mul(b));
        f.u128(a / b);
        f.u128(a % b);
        f.u128(((a as i128) / (b as i128)) as u128);
    }
    s.expect(
        "isqrt",
        1_000_000u32.isqrt() == 1000 && u64::MAX.isqrt() == 0xFFFF_FFFF,
    );
    s.report(
        "bits",
        &f,
        format_args!(
            "clz(1)={} ctz(0x80)={} pop(0xF0F0)={}",
            1u32.leading_zeros(),
            0x80u32.trailing_zeros(),
            0xF0F0u32.count_ones()
        ),
    );
}

// ------------------------------------------------------------------------------------------
// Memory routines.

const MAXLEN: usize = 64;

fn pattern(i: usize, salt: u8) -> u8 {
    (i as u8).wrapping_mul(37).wrapping_add(salt) ^ 0x5A
}

/// Rust slice operations in linear memory (compiler-builtins' memcpy/memmove/memset/memcmp in
/// wasm, executed by wasm2c on the byte-reversed memory).
fn mem_rust(s: &mut Suite) {
    let mut f = Fnv::new();
    let mut src = vec![0u8; MAXLEN + 16];
    let mut dst = vec![0u8; MAXLEN + 16];
    let mut work = vec![0u8; 2 * MAXLEN + 16];
    for len in 0..=MAXLEN {
        for sa in 0..4 {
            for da in 0..4 {
                // memcpy
                for (i, b) in src.iter_mut().enumerate() {
                    *b = pattern(i, len as u8);
                }
                dst.fill(0xEE);
                dst[da..da + len].copy_from_slice(&src[sa..sa + len]);
                f.bytes(&dst);
                // memset
                dst.fill(0x11);
                dst[da..da + len].fill((len as u8) ^ (sa as u8) << 4);
                f.bytes(&dst);
                // memcmp: equal, then different at the last byte
                let eq = src[sa..sa + len] == dst[da..da + len];
                f.bool(eq);
                dst[da..da + len].copy_from_slice(&src[sa..sa + len]);
                f.ord(src[sa..sa + len].cmp(&dst[da..da + len]));
                if len > 0 {
                    dst[da + len - 1] ^= 0x80;
                    f.ord(src[sa..sa + len].cmp(&dst[da..da + len]));
                    f.ord(dst[da..da + len].cmp(&src[sa..sa + len]));
                }
                // memmove, overlapping both ways
                for (i, b) in work.iter_mut().enumerate() {
                    *b = pattern(i, 3);
                }
                work.copy_within(sa..sa + len, da + 8);
                f.bytes(&work);
                work.copy_within(da + 8..da + 8 + len, sa);
                f.bytes(&work);
                // u32 reads at every alignment
                if len >= 4 {
                    let w = u32::from_le_bytes([src[sa], src[sa + 1], src[sa + 2], src[sa + 3]]);
                    f.u64(w as u64);
                }
            }
        }
    }
    s.report(
        "mem_rust",
        &f,
        format_args!("len 0..={MAXLEN} x src/dst align 0..4"),
    );
}

/// Region layout in the guest scratch area for the C routine tests.
const REGION: u32 = 2 * MAXLEN as u32 + 32;

fn fill_guest(at: GuestAddr, len: u32, salt: u8) {
    let bytes: Vec<u8> = (0..len as usize).map(|i| pattern(i, salt)).collect();
    copy_to_guest(at, &bytes);
}

fn snapshot(f: &mut Fnv, at: GuestAddr, len: u32) {
    let mut b = vec![0u8; len as usize];
    copy_from_guest(&mut b, at);
    f.bytes(&b);
}

/// The C runtime's memcpy/memmove/memset/memcmp on real guest memory (through the SDK).
fn mem_guest(s: &mut Suite) {
    let (base, len) = scratch_area();
    s.expect("scratch area large enough", len >= 4 * REGION);
    // Align the work base to 4 so "alignment k" means address % 4 == k in both builds.
    let base = GuestAddr((base.0 + 3) & !3);
    let (a, b, w) = (base, base.add(REGION), base.add(2 * REGION));
    let mut f = Fnv::new();
    for len in 0..=MAXLEN as u32 {
        for sa in 0..4u32 {
            for da in 0..4u32 {
                // memcpy
                fill_guest(a, REGION, len as u8);
                guest_memset(b, 0xEE, REGION);
                guest_memcpy(b.add(da + 8), a.add(sa), len);
                snapshot(&mut f, b, REGION);
                // memset
                guest_memset(b, 0x11, REGION);
                guest_memset(b.add(da + 8), (len as u8) ^ (sa as u8) << 4, len);
                snapshot(&mut f, b, REGION);
                // memcmp: equal, then differing at the last byte (both directions), and at
                // the first byte
                guest_memcpy(b.add(da), a.add(sa), len);
                f.ord(guest_memcmp(a.add(sa), b.add(da), len));
                if len > 0 {
                    let last = b.add(da + len - 1);
                    write_u8(last, read_u8(last) ^ 0x80);
                    f.ord(guest_memcmp(a.add(sa), b.add(da), len));
                    f.ord(guest_memcmp(b.add(da), a.add(sa), len));
                    write_u8(b.add(da), read_u8(b.add(da)).wrapping_add(1));
                    f.ord(guest_memcmp(a.add(sa), b.add(da), len));
                }
                // memmove, overlapping both ways
                fill_guest(w, REGION, 3);
                guest_memmove(w.add(da + 8), w.add(sa), len);
                snapshot(&mut f, w, REGION);
                guest_memmove(w.add(sa), w.add(da + 8), len);
                snapshot(&mut f, w, REGION);
                guest_memmove(w.add(sa + 1), w.add(sa), len);
                snapshot(&mut f, w, REGION);
            }
        }
    }
    s.report(
        "mem_guest",
        &f,
        format_args!("len 0..={MAXLEN} x src/dst align 0..4"),
    );
}

/// The accessors at odd and even addresses, checked against the byte layout.
fn accessors(s: &mut Suite) {
    let (base, _) = scratch_area();
    let base = GuestAddr((base.0 + 3) & !3);
    let mut f = Fnv::new();
    let mut ok = true;
    for off in 0..8u32 {
        guest_memset(base, 0, 16);
        write_u32(base.add(off), 0x1122_3344 ^ off);
        let mut b = [0u8; 16];
        copy_from_guest(&mut b, base);
        ok &= b[off as usize..off as usize + 4] == (0x1122_3344 ^ off).to_be_bytes();
        f.bytes(&b);
        f.u64(read_u32(base.add(off)) as u64);
        f.u64(read_u16(base.add(off)) as u64);
        f.u64(read_u16(base.add(off + 1)) as u64);
        f.u64(read_u8(base.add(off + 3)) as u64);
        write_u16(base.add(off + 1), 0xA55A);
        f.u64(read_u32(base.add(off)) as u64);
        write_u8(base.add(off + 2), 0x7E);
        f.u64(read_u32(base.add(off)) as u64);
        copy_from_guest(&mut b, base);
        f.bytes(&b);
    }
    // copy_to_guest / copy_from_guest at every length and alignment
    for len in 0..=40usize {
        for al in 0..4u32 {
            let data: Vec<u8> = (0..len).map(|i| pattern(i, al as u8)).collect();
            guest_memset(base, 0xCC, 64);
            copy_to_guest(base.add(al), &data);
            let mut back = vec![0u8; len];
            copy_from_guest(&mut back, base.add(al));
            ok &= back == data;
            snapshot(&mut f, base, 64);
        }
    }
    s.expect("accessors big-endian", ok);
    write_u32(base, 0xCAFE_F00D);
    s.report(
        "accessors",
        &f,
        format_args!(
            "u32 {:#010x} u16@+1 {:#06x} u8@+3 {:#04x}",
            read_u32(base),
            read_u16(base.add(1)),
            read_u8(base.add(3))
        ),
    );
}

// ------------------------------------------------------------------------------------------
// Collections, strings, formatting, allocation.

fn collections(s: &mut Suite) {
    let mut f = Fnv::new();
    let mut r = Rng(2463534242);
    let v: Vec<u32> = (0..3000).map(|_| r.next()).collect();
    let sum = v.iter().fold(0u32, |a, &x| a.wrapping_add(x));
    f.u64(sum as u64);
    let mut sorted = v.clone();
    sorted.sort();
    s.expect("sorted", sorted.windows(2).all(|w| w[0] <= w[1]));
    for x in sorted.iter().step_by(7) {
        f.u64(*x as u64);
    }
    let mut by_key = v.clone();
    by_key.sort_unstable_by(|a, b| (b % 1000).cmp(&(a % 1000)).then(a.cmp(b)));
    for x in by_key.iter().step_by(5) {
        f.u64(*x as u64);
    }
    let mut stable: Vec<(u32, usize)> = v.iter().enumerate().map(|(i, &x)| (x % 10, i)).collect();
    stable.sort_by_key(|p| p.0);
    for p in stable.iter().step_by(3) {
        f.u64(p.0 as u64 | (p.1 as u64) << 8);
    }
    let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
    for &x in &v {
        *counts.entry(x % 97).or_insert(0) += 1;
    }
    for (k, c) in &counts {
        f.u64((*k as u64) << 32 | *c as u64);
    }
    let mut set: BTreeSet<u16> = v.iter().map(|&x| (x >> 20) as u16).collect();
    set.retain(|x| x % 3 != 0);
    f.u64(set.len() as u64);
    for x in set.range(100..400) {
        f.u64(*x as u64);
    }
    let mut dq: VecDeque<u32> = VecDeque::new();
    for (i, &x) in v.iter().take(500).enumerate() {
        if i % 3 == 0 {
            dq.push_front(x);
        } else {
            dq.push_back(x);
        }
        if i % 7 == 0 {
            dq.pop_front();
        }
    }
    for x in dq.iter().step_by(11) {
        f.u64(*x as u64);
    }
    let mut d = sorted.clone();
    d.iter_mut().for_each(|x| *x %= 50);
    d.dedup();
    f.u64(d.len() as u64);
    f.opt(sorted.binary_search(&v[1234]).ok().map(|i| i as u64));
    let found = sorted.binary_search(&v[1234]).is_ok();
    s.expect("binary_search", found);
    let mut nested: Vec<Vec<u16>> = (0..50)
        .map(|i| (0..i).map(|j| (i * j) as u16).collect())
        .collect();
    nested.retain(|x| x.len() % 4 != 1);
    nested.reverse();
    for x in &nested {
        f.u64(x.iter().map(|&y| y as u64).sum());
    }
    s.report(
        "collections",
        &f,
        format_args!(
            "sum={sum:#010x} min={} max={} keys={}",
            sorted[0],
            sorted[2999],
            counts.len()
        ),
    );
}

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Dot,
    Line { from: (i16, i16), to: (i16, i16) },
    Poly(Vec<(i8, u8)>),
    Named(&'static str, Option<Box<Shape>>),
}

#[derive(Debug)]
#[allow(dead_code)] // read through Debug only
struct Scene {
    id: u64,
    title: String,
    shapes: Vec<Shape>,
    tags: BTreeMap<&'static str, i32>,
    flag: bool,
    c: char,
    unit: (),
}

fn strings(s: &mut Suite) {
    let mut f = Fnv::new();
    let mut text = String::new();
    for i in 0..200u32 {
        text.push_str(if i % 3 == 0 { "fizz" } else { "x" });
        text.push(char::from(b'a' + (i % 26) as u8));
        write!(text, "{i}").unwrap();
    }
    f.str(&text);
    f.u64(text.len() as u64);
    let upper = text.to_uppercase();
    f.str(&upper);
    let words: Vec<&str> = text.split("fizz").filter(|w| !w.is_empty()).collect();
    f.u64(words.len() as u64);
    f.str(&words.join("|"));
    let rev: String = text.chars().rev().collect();
    f.str(&rev);
    f.opt(text.find("z99").map(|i| i as u64));
    let replaced = text.replace("fizz", "\u{e9}\u{1F600}");
    f.str(&replaced);
    f.u64(replaced.chars().count() as u64);
    let n: i64 = "-9223372036854775808".parse().unwrap();
    f.i64(n);
    f.opt("12345678901234567890".parse::<u64>().ok());
    f.bool("99999999999999999999".parse::<u64>().is_err());
    f.opt(u32::from_str_radix("DEADbeef", 16).ok().map(u64::from));
    f.str(&(1..=20).map(|i| i.to_string()).collect::<Vec<_>>().concat());
    s.report(
        "strings",
        &f,
        format_args!("len={} first={:?}", text.len(), &text[..12]),
    );
}

fn fmt_ints(s: &mut Suite) {
    let mut f = Fnv::new();
    let mut line = String::new();
    for &a in &edges64() {
        line.clear();
        let (b8, b16, b32) = (a as u8, a as u16, a as u32);
        write!(
            line,
            "{} {} {} {} {} {} {} {}",
            b8, b8 as i8, b16, b16 as i16, b32, b32 as i32, a, a as i64
        )
        .unwrap();
        write!(
            line,
            "|{a:x}|{a:X}|{a:#x}|{a:o}|{b32:b}|{b32:#034b}|{:#x}",
            a as i64
        )
        .unwrap();
        write!(
            line,
            "|{:08}|{:+}|{:>22}|{:<22}|{:^22}|{:*^9}|{:e}",
            b16, a as i64, a, a as i64, b32, b8, a
        )
        .unwrap();
        write!(
            line,
            "|{:?}|{:#?}|{:#06x}|{:#018X}",
            b32 as i32, b16, b16, a
        )
        .unwrap();
        let w = a as u128 * 0x1_0000_0001;
        write!(line, "|{}|{}|{w:x}", w, -(w as i128)).unwrap();
        f.str(&line);
    }
    s.report(
        "fmt_ints",
        &f,
        format_args!(
            "{:>6}|{:<6}|{:^7}|{:+05}|{:#x}|{:e}",
            42, -42, "mid", 7, 255u8, 1234500u32
        ),
    );
}

fn fmt_debug(s: &mut Suite) {
    let mut f = Fnv::new();
    let mut tags = BTreeMap::new();
    tags.insert("alpha", -1);
    tags.insert("beta", i32::MAX);
    tags.insert("\"quoted\"\n", i32::MIN);
    let scene = Scene {
        id: 0xFEED_FACE_CAFE,
        title: String::from("tab\there \u{7f} \\ é ✓"),
        shapes: vec![
            Shape::Dot,
            Shape::Line {
                from: (-1, 2),
                to: (i16::MIN, i16::MAX),
            },
            Shape::Poly(vec![(-128, 255), (0, 0), (127, 1)]),
            Shape::Named("nested", Some(Box::new(Shape::Named("inner", None)))),
        ],
        tags,
        flag: true,
        c: '\'',
        unit: (),
    };
    let compact = format!("{scene:?}");
    let pretty = format!("{scene:#?}");
    f.str(&compact);
    f.str(&pretty);
    f.u64(pretty.lines().count() as u64);
    let opt: Option<Result<u8, &str>> = Some(Err("bad"));
    f.str(&format!(
        "{opt:?} {:?} {:?}",
        (1u8, -2i64, 'x', "s"),
        [Some(1u16), None]
    ));
    f.bool(scene.shapes[1] == scene.shapes[1].clone());
    s.report("fmt_debug", &f, format_args!("{}", &compact[..60]));
    println!("  shapes[1]={:?}", scene.shapes[1]);
    println!(
        "  pretty lines={} compact len={}",
        pretty.lines().count(),
        compact.len()
    );
}

fn allocation(s: &mut Suite) {
    let mut f = Fnv::new();
    let mut r = Rng(0xC0FF_EE11);
    let mut live: Vec<Vec<u8>> = Vec::new();
    let mut total: u64 = 0;
    for round in 0..1500u32 {
        match r.below(5) {
            0..=2 => {
                let size = match r.below(10) {
                    0 => 1000 + r.below(6000),
                    1..=3 => 64 + r.below(400),
                    _ => r.below(64),
                } as usize;
                let v: Vec<u8> = (0..size).map(|i| pattern(i, round as u8)).collect();
                total += size as u64;
                live.push(v);
            }
            3 if !live.is_empty() => {
                let i = r.below(live.len() as u32) as usize;
                let v = live.swap_remove(i);
                f.u64(
                    v.iter()
                        .fold(0u64, |a, &b| a.wrapping_mul(31).wrapping_add(b as u64)),
                );
            }
            _ if !live.is_empty() => {
                // realloc growth (and some shrinking)
                let i = r.below(live.len() as u32) as usize;
                let extra = r.below(300) as usize;
                let v = &mut live[i];
                let old = v.len();
                v.extend((0..extra).map(|k| (k as u8) ^ 0x77));
                if round % 9 == 0 {
                    v.truncate(old / 2);
                    v.shrink_to_fit();
                }
                f.u64(v.len() as u64);
            }
            _ => {}
        }
    }
    for v in &live {
        f.u64(
            v.iter()
                .fold(0u64, |a, &b| a.wrapping_mul(31).wrapping_add(b as u64)),
        );
    }
    let live_count = live.len();
    drop(live);
    // One large block (forces the 68k heap to grow linear memory), then freed.
    let big: Box<[u64]> = (0..24_000u64)
        .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .collect();
    let big_sum = big
        .iter()
        .fold(0u64, |a, &b| a ^ b.rotate_left((b & 63) as u32));
    f.u64(big_sum);
    drop(big);
    // Growth by doubling.
    let mut grow: Vec<u32> = Vec::new();
    for i in 0..20_000u32 {
        grow.push(i ^ (i >> 3));
    }
    f.u64(grow.iter().map(|&x| x as u64).sum());
    let boxed: Vec<Box<u64>> = (0..300).map(|i| Box::new(i * i)).collect();
    f.u64(boxed.iter().map(|b| **b).sum());
    s.report(
        "alloc",
        &f,
        format_args!("allocated={total} live_at_end={live_count} big_sum={big_sum:#x}"),
    );
}

// ------------------------------------------------------------------------------------------
// IEEE floating point (soft-float on the 68k: guest-sdk/c/softfloat.c; libgcc's own m68k
// soft-float was not IEEE-exact and this sub-test is what showed it). NaNs are hashed as one
// value: their sign and payload are not specified by wasm and differ between x86 and the
// soft-float routines.

fn hash_f64(f: &mut Fnv, x: f64) {
    f.u64(if x.is_nan() {
        0x7FF8_0000_0000_0000
    } else {
        x.to_bits()
    })
}

fn hash_f32(f: &mut Fnv, x: f32) {
    f.u64(if x.is_nan() {
        0x7FC0_0000
    } else {
        x.to_bits() as u64
    })
}

fn edge_f64() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        1.5,
        2.5,
        -2.5,
        0.1,
        0.2,
        1.0 / 3.0,
        core::f64::consts::PI,
        core::f64::consts::E,
        1e-300,
        1e300,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::from_bits(0x000F_FFFF_FFFF_FFFF),
        f64::EPSILON,
        9007199254740992.0,
        9007199254740993.0,
        2147483647.5,
        -2147483648.5,
        4294967295.9,
        4294967296.0,
        9.223372036854775e18,
        1.8446744073709552e19,
        -9.3e18,
        123456789.123,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        3.4028234663852886e38,
        1.401298464324817e-45,
    ];
    let mut r = Rng(0xF10A_7001);
    for _ in 0..40 {
        let hi = r.next() as u64;
        v.push(f64::from_bits(hi << 32 | r.next() as u64));
        // moderate magnitudes, where rounding matters most
        let e = 1023 - 40 + (r.below(80) as u64);
        v.push(f64::from_bits(
            (hi & 0x8000_0000) << 32
                | e << 52
                | (hi << 20 | r.next() as u64) & 0x000F_FFFF_FFFF_FFFF,
        ));
    }
    v
}

fn floats(s: &mut Suite) {
    let mut f = Fnv::new();
    let v = edge_f64();
    for &a in &v {
        for &b in &v {
            hash_f64(&mut f, a + b);
            hash_f64(&mut f, a - b);
            hash_f64(&mut f, a * b);
            hash_f64(&mut f, a / b);
            f.bool(a < b);
            f.bool(a == b);
            f.bool(a >= b);
            f.u64(match a.partial_cmp(&b) {
                None => 9,
                Some(o) => o as i8 as u64,
            });
            // min/max of +0.0 and -0.0 may return either zero (Rust docs): hash zeros as +0.
            hash_f64(&mut f, a.min(b) + 0.0);
            hash_f64(&mut f, a.max(b) + 0.0);
            let (x, y) = (a as f32, b as f32);
            hash_f32(&mut f, x + y);
            hash_f32(&mut f, x - y);
            hash_f32(&mut f, x * y);
            hash_f32(&mut f, x / y);
            f.bool(x < y);
        }
        hash_f32(&mut f, a as f32);
        hash_f64(&mut f, a as f32 as f64);
        f.u64(a as i32 as u32 as u64);
        f.u64(a as u32 as u64);
        f.u64(a as i64 as u64);
        f.u64(a as u64);
        f.u64(a as u8 as u64);
        f.u64(a as i16 as u64);
        f.u64((a as f32) as i32 as u32 as u64);
        f.u64((a as f32) as u64);
        hash_f64(&mut f, a.abs());
        hash_f64(&mut f, -a);
        hash_f64(&mut f, a.copysign(-1.0));
        hash_f64(&mut f, a.signum());
        f.u64(a.total_cmp(&1.0) as i8 as u64);
        f.bool(a.is_finite());
        f.u64(a.classify() as u64);
    }
    for &i in &edges64() {
        hash_f64(&mut f, i as f64);
        hash_f64(&mut f, i as i64 as f64);
        hash_f64(&mut f, i as u32 as f64);
        hash_f64(&mut f, i as i32 as f64);
        hash_f32(&mut f, i as f32);
        hash_f32(&mut f, i as i64 as f32);
        hash_f32(&mut f, i as u32 as f32);
        hash_f32(&mut f, i as i32 as f32);
    }
    // Formatting and parsing (integer algorithms, plus float arithmetic on parse's fast path).
    let mut text = String::new();
    for &a in v.iter().take(40) {
        text.clear();
        write!(
            text,
            "{a} {a:?} {a:e} {a:.3} {:>12.2} {:+.0} {}",
            a, a, a as f32
        )
        .unwrap();
        f.str(&text);
        let back: f64 = format!("{a:?}").parse().unwrap_or(-7.0);
        hash_f64(&mut f, back);
        s.expect(
            "float round trip",
            back.to_bits() == a.to_bits() || a.is_nan(),
        );
    }
    for t in [
        "0.1",
        "1e23",
        "2.2250738585072011e-308",
        "-0",
        "3.14159265358979323846",
        "1e400",
        "4.9e-324",
        "123456.789e-3",
        "0.30000000000000004",
    ] {
        hash_f64(&mut f, t.parse::<f64>().unwrap());
        hash_f32(&mut f, t.parse::<f32>().unwrap());
    }
    let tenth = v[8] + v[9];
    s.expect("0.1+0.2", tenth.to_bits() == 0x3FD3_3333_3333_3334);
    s.expect("1/3", (1.0f64 / 3.0).to_bits() == 0x3FD5_5555_5555_5555);
    s.expect(
        "2^53+1 rounds to even",
        (9007199254740992.0f64 + 1.0).to_bits() == 9007199254740992.0f64.to_bits(),
    );
    s.report(
        "floats",
        &f,
        format_args!(
            "0.1+0.2={tenth} 1/3={} 1e23={:e} u64max={} -2.5 as i32={}",
            1.0f64 / 3.0,
            1e23f64,
            u64::MAX as f64,
            v[7] as i32
        ),
    );
}

// ------------------------------------------------------------------------------------------
// Control flow the wasm2c translation must get right.

trait Op {
    fn apply(&self, x: u32) -> u32;
}
struct AddK(u32);
struct MulK(u32);
struct Xor;
impl Op for AddK {
    fn apply(&self, x: u32) -> u32 {
        x.wrapping_add(self.0)
    }
}
impl Op for MulK {
    fn apply(&self, x: u32) -> u32 {
        x.wrapping_mul(self.0)
    }
}
impl Op for Xor {
    fn apply(&self, x: u32) -> u32 {
        x ^ (x >> 7)
    }
}

fn ackermann(m: u32, n: u32) -> u32 {
    match (m, n) {
        (0, n) => n + 1,
        (m, 0) => ackermann(m - 1, 1),
        (m, n) => ackermann(m - 1, ackermann(m, n - 1)),
    }
}

#[inline(never)]
fn tiny_interp(code: &[u8], mut acc: i64) -> i64 {
    let mut pc = 0;
    let mut steps = 0;
    while pc < code.len() && steps < 100_000 {
        steps += 1;
        let op = code[pc];
        pc += 1;
        match op {
            0 => acc = acc.wrapping_add(code[pc] as i64),
            1 => acc = acc.wrapping_mul(code[pc] as i64),
            2 => acc = acc.wrapping_sub(code[pc] as i64),
            3 => {
                if acc % 3 != 0 {
                    pc = code[pc] as usize;
                    continue;
                }
            }
            4 => acc ^= acc >> (code[pc] & 63),
            _ => acc = -acc,
        }
        pc += 1;
    }
    acc
}

fn control(s: &mut Suite) {
    let mut f = Fnv::new();
    let ops: Vec<Box<dyn Op>> = vec![
        Box::new(AddK(7)),
        Box::new(MulK(0x9E37_79B9)),
        Box::new(Xor),
        Box::new(AddK(u32::MAX)),
    ];
    let mut x = 1u32;
    for i in 0..1000 {
        x = ops[i % ops.len()].apply(x);
        f.u64(x as u64);
    }
    let fns: [fn(u64) -> u64; 3] = [|v| v.rotate_left(5), |v| v.wrapping_add(0x1234), |v| !v];
    let mut y = 99u64;
    for i in 0..300u64 {
        y = fns[((y ^ i) % 3) as usize](y);
        f.u64(y);
    }
    let ack = ackermann(2, 300);
    f.u64(ack as u64);
    let deep = ackermann(3, 4);
    f.u64(deep as u64);
    let code = [0u8, 5, 1, 3, 4, 2, 3, 0, 2, 9, 5, 0];
    for start in -20..20i64 {
        f.i64(tiny_interp(&code, start));
    }
    let matched: u64 = (0..500u32)
        .map(|i| match i % 17 {
            0 => 1,
            1..=3 => 10,
            4 | 8 | 15 => 100,
            n if n > 12 => 1000 + n as u64,
            _ => 7,
        })
        .sum();
    f.u64(matched);
    s.report(
        "control",
        &f,
        format_args!("ack(2,300)={ack} ack(3,4)={deep} match={matched}"),
    );
}

// ------------------------------------------------------------------------------------------
// Trap calls with every argument width (served by the host shim on the 68k, by FlatHost
// natively; only results that both define identically are printed).

fn cstr_at(at: GuestAddr) -> String {
    let mut out = String::new();
    let mut i = 0;
    loop {
        let b = read_u8(at.add(i));
        if b == 0 || i > 200 {
            break;
        }
        out.push(b as char);
        i += 1;
    }
    out
}

fn trap_calls(s: &mut Suite) {
    let (base, _) = scratch_area();
    let base = GuestAddr((base.0 + 3) & !3);
    let (a, b) = (base, base.add(256));
    let mut f = Fnv::new();
    guest_memset(base, 0, 512);
    let e1 = traps::MemSet(a.add(1), 37, 0xC3);
    f.u64(e1 as u64);
    snapshot(&mut f, a, 64);
    copy_to_guest(b, b"Hello, PalmOS!\0");
    let len = traps::StrLen(b);
    f.u64(len as u64);
    let r = traps::StrCopy(a.add(3), b);
    f.bool(r == a.add(3));
    let copied = cstr_at(a.add(3));
    f.str(&copied);
    let e2 = traps::MemMove(a.add(5), a.add(3), 10);
    f.u64(e2 as u64);
    snapshot(&mut f, a, 32);
    let c0 = traps::MemCmp(a, a, 16);
    copy_to_guest(b.add(100), b"abcdef");
    copy_to_guest(b.add(110), b"abcdeg");
    let c1 = traps::MemCmp(b.add(100), b.add(110), 6);
    let c2 = traps::MemCmp(b.add(110), b.add(100), 6);
    f.ord(c0.cmp(&0));
    f.ord(c1.cmp(&0));
    f.ord(c2.cmp(&0));
    let r = traps::StrNCopy(a.add(64), b, 40);
    f.bool(r == a.add(64));
    let ncopied = cstr_at(a.add(64));
    f.str(&ncopied);
    let mut nums = String::new();
    for v in [0i32, 7, -1, 42_000, i32::MAX, i32::MIN, -1_000_000] {
        traps::StrIToA(a.add(128), v);
        let t = cstr_at(a.add(128));
        f.str(&t);
        nums.push_str(&t);
        nums.push(' ');
    }
    s.expect("StrLen", len == 14);
    s.expect("StrCopy", copied == "Hello, PalmOS!");
    s.expect("MemCmp", c0 == 0 && c1 < 0 && c2 > 0);
    s.report(
        "traps",
        &f,
        format_args!("StrLen={len} StrIToA: {}", nums.trim_end()),
    );
}

// ------------------------------------------------------------------------------------------

/// Runs every sub-test; returns 0 if all self-checks passed (the hashes are compared by the
/// host test, not here).
pub fn run() -> u32 {
    println!("selftest: begin (guest toolchain differential self-test)");
    let mut s = Suite {
        all: Fnv::new(),
        tests: 0,
        failures: 0,
    };
    arith32(&mut s);
    arith64(&mut s);
    shifts(&mut s);
    bits(&mut s);
    mem_rust(&mut s);
    mem_guest(&mut s);
    accessors(&mut s);
    collections(&mut s);
    strings(&mut s);
    fmt_ints(&mut s);
    fmt_debug(&mut s);
    allocation(&mut s);
    floats(&mut s);
    control(&mut s);
    trap_calls(&mut s);
    println!(
        "selftest: end tests={} failures={} results={} hash={:016x}",
        s.tests,
        s.failures,
        s.all.count(),
        s.all.hash()
    );
    if s.failures == 0 {
        0
    } else {
        1
    }
}

/// Native only: runs the self-test against a fresh [`guest_sdk::native::FlatHost`] and returns
/// `(exit code, console transcript)`, the reference the 68k run must reproduce exactly.
#[cfg(not(target_arch = "wasm32"))]
pub fn native_transcript() -> (u32, String) {
    use guest_sdk::native::{with_host, FlatHost};
    let mut host = FlatHost::new(0x0010_0000, 0x1_0000);
    let code = with_host(&mut host, run);
    (code, host.console_text())
}
