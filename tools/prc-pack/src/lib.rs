//! prc-pack: turns an SDK application ELF (linked by `guest-sdk/link/app.ld.S` with
//! `--emit-relocs`) into a standard PalmOS application database (.prc): `code` 0 (the A5
//! world's sizes and the jump table), `code` 1 (code + read-only data, run in place, never
//! relocated), `data` 0 (the globals' initial image, compressed, and the relocation chains),
//! `pref` 0, `tAIN` and optionally `tver`. See docs/guest-toolchain.md, "Applications as .prc".
//!
//! The ELF is read into a small [`Program`] model ([`elf::read_elf`]); [`pack`] lays out the
//! A5 world and classifies every relocation by the segments of its site and its target:
//! - in code: PC-relative references to code and GOT offsets are link-time constants;
//!   anything else (an absolute address, a PC-relative reference to the globals) would need
//!   code 1 relocated or at a fixed distance from the globals: a hard error;
//! - in the globals (incl. the GOT the linker built, which `--emit-relocs` does not describe:
//!   its entries are recovered from the code's GOT relocations): a 32-bit address of code
//!   goes into the chain with base code 1, of the globals into the chain with base A5;
//!   anything narrower or PC-relative across chunks is a hard error.
//!
//! Every error names the symbol and the sections involved. [`pack`] finally decodes its own
//! `data` 0 with `palm_shim::app_image` (the launcher's code) and checks the result.

pub mod compress;
pub mod elf;
pub mod resources;

use palm_shim::app_image::A5World;
use palm_shim::pdb::{DatabaseFile, Entries, ResourceEntry};
use std::collections::BTreeMap;
use thiserror::Error;

/// m68k ELF relocation types (binutils `include/elf/m68k.h`).
pub mod r68k {
    pub const NONE: u32 = 0;
    pub const ABS32: u32 = 1;
    pub const ABS16: u32 = 2;
    pub const ABS8: u32 = 3;
    pub const PC32: u32 = 4;
    pub const PC16: u32 = 5;
    pub const PC8: u32 = 6;
    pub const GOT32: u32 = 7;
    pub const GOT16: u32 = 8;
    pub const GOT8: u32 = 9;
    pub const GOT32O: u32 = 10;
    pub const GOT16O: u32 = 11;
    pub const GOT8O: u32 = 12;
    pub const PLT32: u32 = 13;
    pub const PLT16: u32 = 14;
    pub const PLT8: u32 = 15;

    /// The binutils name of a relocation type.
    pub fn name(kind: u32) -> String {
        const NAMES: [&str; 23] = [
            "R_68K_NONE", "R_68K_32", "R_68K_16", "R_68K_8", "R_68K_PC32", "R_68K_PC16", "R_68K_PC8",
            "R_68K_GOT32", "R_68K_GOT16", "R_68K_GOT8", "R_68K_GOT32O", "R_68K_GOT16O", "R_68K_GOT8O",
            "R_68K_PLT32", "R_68K_PLT16", "R_68K_PLT8", "R_68K_PLT32O", "R_68K_PLT16O", "R_68K_PLT8O",
            "R_68K_COPY", "R_68K_GLOB_DAT", "R_68K_JMP_SLOT", "R_68K_RELATIVE",
        ];
        NAMES.get(kind as usize).map_or_else(|| format!("m68k relocation type {kind}"), |s| s.to_string())
    }
}

/// Which chunk a section ends up in at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// `code` 1: executable or read-only (runs in place in the storage heap).
    Code,
    /// The A5 world: writable (a dynamic-heap chunk).
    Data,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub addr: u32,
    pub size: u32,
    /// The contents; `None` for NOBITS (.bss).
    pub data: Option<Vec<u8>>,
    /// `None` for sections that are not loaded (symbols, relocations, debug info).
    pub segment: Option<Segment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymPlace {
    Section(usize),
    Absolute,
    Undefined,
}

#[derive(Debug, Clone)]
pub struct Symbol {
    pub name: String,
    pub value: u32,
    pub place: SymPlace,
}

/// One relocation as the linker emitted it (`--emit-relocs`): its site is at virtual address
/// `offset` inside section `section`.
#[derive(Debug, Clone)]
pub struct Reloc {
    pub section: usize,
    pub offset: u32,
    pub kind: u32,
    pub symbol: usize,
    pub addend: i32,
}

/// What the packer needs from a linked ELF.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub entry: u32,
    pub sections: Vec<Section>,
    pub symbols: Vec<Symbol>,
    pub relocs: Vec<Reloc>,
}

#[derive(Debug, Error)]
pub enum PackError {
    #[error("cannot read the ELF: {0}")]
    Elf(String),
    #[error("unsupported application layout: {0}")]
    Layout(String),
    #[error(transparent)]
    Relocation(Box<RelocError>),
    #[error("{0}")]
    Chain(#[from] compress::ChainError),
    #[error("self-check failed: {0}")]
    SelfCheck(String),
    #[error("bad database parameters: {0}")]
    Database(String),
}

/// A relocation the application format cannot express.
#[derive(Debug, Error)]
#[error("{kind} at {site_section}+{site_offset:#x}{context} against `{symbol}` ({target}): {why}")]
pub struct RelocError {
    pub kind: String,
    pub site_section: String,
    pub site_offset: u32,
    /// ", in `function`" when the site is inside a known function.
    pub context: String,
    pub symbol: String,
    /// The target symbol's section, "absolute" or "undefined".
    pub target: String,
    pub why: String,
}

/// The packaged application, resource by resource, with the layout for reports and tests.
#[derive(Debug, Clone)]
pub struct Packed {
    pub code0: Vec<u8>,
    pub code1: Vec<u8>,
    pub data0: Vec<u8>,
    pub below_a5: u32,
    pub above_a5: u32,
    /// Where the jump table goes (A5-relative; after the GOT).
    pub jump_table_a5_offset: u32,
    /// Relocation sites, A5-relative: data chain 0 (base A5) and 1 (base code 1).
    pub a5_sites: Vec<i64>,
    pub code_sites: Vec<i64>,
    /// GOT entries (incl. the linker's reserved ones).
    pub got_entries: u32,
    /// `__app_stack_size` / `__app_heap_size` (absolute symbols of the start-up code).
    pub stack_size: Option<u32>,
    pub heap_size: Option<u32>,
}

impl Packed {
    /// Bytes of the A5 world.
    pub fn world_size(&self) -> u32 {
        self.below_a5 + self.above_a5
    }
}

/// The standard 8-byte jump table of `code` 0: segment 1, offset 0 (`move.w #1,-(sp);
/// _LoadSeg`), as Mac and PalmOS tools write it. Nothing jumps through it.
pub const JUMP_TABLE: [u8; 8] = [0x00, 0x00, 0x3F, 0x3C, 0x00, 0x01, 0xA9, 0xF0];

/// Where a relocation points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Code,
    Data,
    /// Absolute or undefined weak: a constant, never relocated.
    Constant,
}

struct Ctx<'a> {
    p: &'a Program,
}

impl Ctx<'_> {
    fn segment(&self, section: usize) -> Option<Segment> {
        self.p.sections.get(section).and_then(|s| s.segment)
    }

    fn target(&self, sym: &Symbol) -> Result<Target, String> {
        match sym.place {
            SymPlace::Absolute | SymPlace::Undefined => Ok(Target::Constant),
            SymPlace::Section(i) => match self.segment(i) {
                Some(Segment::Code) => Ok(Target::Code),
                Some(Segment::Data) => Ok(Target::Data),
                None => Err(format!("section {} is not loaded", self.section_name(i))),
            },
        }
    }

    fn section_name(&self, i: usize) -> String {
        self.p.sections.get(i).map_or_else(|| format!("section #{i}"), |s| s.name.clone())
    }

    fn place_name(&self, sym: &Symbol) -> String {
        match sym.place {
            SymPlace::Absolute => "absolute".into(),
            SymPlace::Undefined => "undefined".into(),
            SymPlace::Section(i) => self.section_name(i),
        }
    }

    /// The function or object whose span contains `addr` in section `section`, for messages.
    fn containing(&self, section: usize, addr: u32) -> String {
        let best = self
            .p
            .symbols
            .iter()
            .filter(|s| s.place == SymPlace::Section(section) && s.value <= addr && !s.name.is_empty())
            .filter(|s| s.name != self.section_name(section))
            .max_by_key(|s| s.value);
        best.map_or_else(String::new, |s| format!(", in `{}`", s.name))
    }

    fn error(&self, r: &Reloc, why: impl Into<String>) -> PackError {
        let sym = self.p.symbols.get(r.symbol);
        let site_base = self.p.sections.get(r.section).map_or(0, |s| s.addr);
        PackError::Relocation(Box::new(RelocError {
            kind: r68k::name(r.kind),
            site_section: self.section_name(r.section),
            site_offset: r.offset.wrapping_sub(site_base),
            context: self.containing(r.section, r.offset),
            symbol: sym.map_or_else(|| format!("symbol #{}", r.symbol), |s| s.name.clone()),
            target: sym.map_or_else(|| "?".into(), |s| self.place_name(s)),
            why: why.into(),
        }))
    }

    /// The linked bytes at `addr` (any loaded section).
    fn read(&self, addr: u32, len: u32) -> Option<&[u8]> {
        self.p.sections.iter().filter(|s| s.segment.is_some()).find_map(|s| {
            let data = s.data.as_ref()?;
            let off = addr.checked_sub(s.addr)?;
            (off.checked_add(len)? <= s.size).then(|| &data[off as usize..(off + len) as usize])
        })
    }

    fn read_signed(&self, addr: u32, len: u32) -> Option<i64> {
        let b = self.read(addr, len)?;
        Some(match len {
            1 => b[0] as i8 as i64,
            2 => i16::from_be_bytes([b[0], b[1]]) as i64,
            _ => i32::from_be_bytes([b[0], b[1], b[2], b[3]]) as i64,
        })
    }
}

/// Address span `[start, end)` of the loaded sections of one segment.
fn span(p: &Program, seg: Segment) -> Option<(u32, u32)> {
    let secs = p.sections.iter().filter(|s| s.segment == Some(seg) && s.size > 0);
    secs.fold(None, |acc, s| {
        let (a, b) = (s.addr, s.addr + s.size);
        Some(acc.map_or((a, b), |(x, y): (u32, u32)| (x.min(a), y.max(b))))
    })
}

/// A site of a data relocation chain: its linked value (the target's link-time address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Site {
    target: Target,
    value: u32,
}

/// Lays out the application and encodes its resources.
pub fn pack(p: &Program) -> Result<Packed, PackError> {
    let cx = Ctx { p };
    // --- code 1 -------------------------------------------------------------------------------
    let (code_base, code_end) = span(p, Segment::Code).ok_or_else(|| PackError::Layout("no code".into()))?;
    if p.entry != code_base {
        return Err(PackError::Layout(format!(
            "the entry point {:#x} is not the first byte of the code ({code_base:#x}): link with app.ld (.text.app_entry first)",
            p.entry
        )));
    }
    let mut code1 = vec![0u8; (code_end - code_base) as usize];
    for s in p.sections.iter().filter(|s| s.segment == Some(Segment::Code) && s.size > 0) {
        let data = s.data.as_ref().ok_or_else(|| {
            PackError::Layout(format!("read-only section {} has no contents (NOBITS): code 1 cannot hold zero-filled data", s.name))
        })?;
        let at = (s.addr - code_base) as usize;
        code1[at..at + data.len()].copy_from_slice(data);
    }

    // --- the A5 world ---------------------------------------------------------------------------
    let got_sym = p.symbols.iter().find(|s| s.name == "_GLOBAL_OFFSET_TABLE_");
    let (world_start, world_end) = span(p, Segment::Data).unwrap_or_default();
    if world_end > world_start && world_start < code_end && code_base < world_end {
        return Err(PackError::Layout(format!(
            "code {code_base:#x}..{code_end:#x} and globals {world_start:#x}..{world_end:#x} overlap"
        )));
    }
    let a5 = match got_sym {
        Some(g) => g.value,
        None => world_end,
    };
    if a5 < world_start || a5 > world_end || a5 % 4 != 0 {
        return Err(PackError::Layout(format!(
            "A5 (_GLOBAL_OFFSET_TABLE_ = {a5:#x}) is not a 4-aligned address of the globals {world_start:#x}..{world_end:#x}"
        )));
    }
    let mut world = vec![0u8; (world_end - world_start) as usize];
    for s in p.sections.iter().filter(|s| s.segment == Some(Segment::Data) && s.size > 0) {
        if let Some(data) = &s.data {
            let at = (s.addr - world_start) as usize;
            world[at..at + data.len()].copy_from_slice(data);
        }
    }

    // --- relocations ------------------------------------------------------------------------------
    use r68k::*;
    let mut sites: BTreeMap<u32, Site> = BTreeMap::new();
    // GOT entry address -> (symbol index, the relocation that first used it)
    let mut got_uses: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    for (ri, r) in p.relocs.iter().enumerate() {
        let Some(site_seg) = cx.segment(r.section) else { continue };
        if r.kind == NONE {
            continue;
        }
        let sym = p.symbols.get(r.symbol).ok_or_else(|| cx.error(r, "the relocation's symbol does not exist"))?;
        let target = cx.target(sym).map_err(|e| cx.error(r, e))?;
        let value = sym.value.wrapping_add(r.addend as u32);
        match (site_seg, r.kind) {
            (Segment::Code, PC32 | PC16 | PC8 | PLT32 | PLT16 | PLT8) => match target {
                Target::Code => {}
                Target::Data => return Err(cx.error(r, "a PC-relative reference from code 1 to the globals: they are a separate chunk at launch (compile with -msep-data so globals are reached through A5)")),
                Target::Constant => return Err(cx.error(r, "a PC-relative reference from code 1 to an absolute address depends on where code 1 is")),
            },
            (Segment::Code, GOT32O | GOT16O | GOT8O) => {
                let len = match r.kind { GOT32O => 4, GOT16O => 2, _ => 1 };
                let got = got_sym.ok_or_else(|| cx.error(r, "a GOT reference, but the ELF has no _GLOBAL_OFFSET_TABLE_"))?;
                let off = cx.read_signed(r.offset, len).ok_or_else(|| cx.error(r, "the site lies outside the section's contents"))?;
                let entry = (got.value as i64 + off - r.addend as i64) as u32;
                got_uses.entry(entry).or_insert((r.symbol, ri));
            }
            (Segment::Code, ABS32 | ABS16 | ABS8) => {
                if target != Target::Constant {
                    return Err(cx.error(r, "an absolute address in code 1, which runs in place wherever the storage heap puts it and is never relocated"));
                }
            }
            (Segment::Data, ABS32) => {
                let linked = cx.read(r.offset, 4).map(|b| u32::from_be_bytes(b.try_into().unwrap()));
                if linked != Some(value) {
                    return Err(cx.error(r, format!("the linked word there is {linked:x?}, not the target address {value:#x}")));
                }
                if target != Target::Constant {
                    let site = Site { target, value };
                    if sites.insert(r.offset, site).is_some_and(|old| old != site) {
                        return Err(cx.error(r, "two different relocations of the same word"));
                    }
                }
            }
            (Segment::Data, PC32 | PC16 | PC8) => {
                if target != Target::Data {
                    return Err(cx.error(r, "a PC-relative reference from the globals to code 1 or an absolute address: their distance changes at every launch"));
                }
            }
            (Segment::Data, ABS16 | ABS8) => {
                if target != Target::Constant {
                    return Err(cx.error(r, "a 16- or 8-bit address cannot be relocated: data 0's chains patch 32-bit words"));
                }
            }
            (_, GOT32 | GOT16 | GOT8) => {
                return Err(cx.error(r, "a PC-relative GOT reference puts the GOT at a fixed distance from the code (-fpic/-fPIC code, e.g. from libgcc): use -msep-data, where A5 is the GOT"));
            }
            _ => return Err(cx.error(r, "this relocation type cannot be expressed in a PalmOS application")),
        }
    }

    // GOT entries: one per symbol the code reaches through A5; the linker filled them with
    // link-time addresses and emitted no relocation for them.
    let got_section = p.sections.iter().find(|s| s.name == ".got" && s.segment == Some(Segment::Data));
    let mut got_covered = BTreeMap::new();
    for (&entry, &(si, ri)) in &got_uses {
        let r = &p.relocs[ri];
        let sym = &p.symbols[si];
        let gs = got_section.ok_or_else(|| cx.error(r, "a GOT reference, but the ELF has no .got section"))?;
        if entry < gs.addr || entry + 4 > gs.addr + gs.size || (entry - gs.addr) % 4 != 0 {
            return Err(cx.error(r, format!("its GOT entry {entry:#x} is not a slot of .got ({:#x}+{:#x})", gs.addr, gs.size)));
        }
        let held = cx.read(entry, 4).map(|b| u32::from_be_bytes(b.try_into().unwrap())).unwrap_or(0);
        if held != sym.value {
            return Err(cx.error(r, format!("its GOT entry holds {held:#x}, not the symbol's address {:#x}", sym.value)));
        }
        got_covered.insert(entry, ());
        match cx.target(sym).map_err(|e| cx.error(r, e))? {
            Target::Constant => {}
            target => {
                sites.insert(entry, Site { target, value: held });
            }
        }
    }
    let mut got_entries = 0;
    if let Some(gs) = got_section {
        got_entries = gs.size / 4;
        for slot in (gs.addr..gs.addr + gs.size).step_by(4) {
            let held = cx.read(slot, 4).map_or(0, |b| u32::from_be_bytes(b.try_into().unwrap()));
            if held != 0 && !got_covered.contains_key(&slot) {
                return Err(PackError::Layout(format!(
                    ".got slot {slot:#x} holds {held:#x} but no code relocation refers to it (link with --emit-relocs)"
                )));
            }
        }
    }

    // Rebase every site: the chains add A5 or code 1's address at launch.
    let mut a5_sites = Vec::new();
    let mut code_sites = Vec::new();
    for (&addr, site) in &sites {
        if addr < world_start || addr + 4 > world_end {
            return Err(PackError::Layout(format!("relocation site {addr:#x} lies outside the globals")));
        }
        let stored = match site.target {
            Target::Data => {
                a5_sites.push(addr as i64 - a5 as i64);
                site.value.wrapping_sub(a5)
            }
            Target::Code => {
                code_sites.push(addr as i64 - a5 as i64);
                site.value.wrapping_sub(code_base)
            }
            Target::Constant => unreachable!(),
        };
        let at = (addr - world_start) as usize;
        world[at..at + 4].copy_from_slice(&stored.to_be_bytes());
    }

    // --- code 0 and data 0 ------------------------------------------------------------------------
    let below_a5 = a5 - world_start;
    let got_and_above = world_end - a5;
    let jump_table_a5_offset = ((got_and_above + 3) & !3).max(32);
    let above_a5 = jump_table_a5_offset + JUMP_TABLE.len() as u32;
    let mut code0 = Vec::new();
    for v in [above_a5, below_a5, JUMP_TABLE.len() as u32, jump_table_a5_offset] {
        code0.extend_from_slice(&v.to_be_bytes());
    }
    code0.extend_from_slice(&JUMP_TABLE);

    let mut data0 = vec![0u8; 4];
    let (below, above) = world.split_at(below_a5 as usize);
    for (part, part_start) in [(below, -(below_a5 as i64)), (above, 0), (&[][..], 0)] {
        // The OS zero-fills the world: leading and trailing zeros need not be stored.
        let first = part.iter().position(|&b| b != 0).unwrap_or(part.len());
        let last = part.iter().rposition(|&b| b != 0).map_or(first, |i| i + 1);
        let dest = if first == last { 0 } else { part_start + first as i64 };
        data0.extend_from_slice(&(dest as i32).to_be_bytes());
        data0.extend_from_slice(&compress::compress(&part[first..last]));
    }
    data0.extend_from_slice(&compress::encode_chain(&a5_sites)?);
    data0.extend_from_slice(&compress::encode_chain(&code_sites)?);
    data0.extend_from_slice(&compress::encode_chain(&[])?);
    let code_reloc_at = data0.len() as u32;
    data0[..4].copy_from_slice(&code_reloc_at.to_be_bytes());
    // Code 1 needs no relocation: empty chains, as prc-tools writes them (six zero longs).
    data0.extend_from_slice(&[0u8; 24]);

    let abs = |name: &str| p.symbols.iter().find(|s| s.name == name && s.place == SymPlace::Absolute).map(|s| s.value);
    let packed = Packed {
        code0,
        code1,
        data0,
        below_a5,
        above_a5,
        jump_table_a5_offset,
        a5_sites,
        code_sites,
        got_entries,
        stack_size: abs("__app_stack_size"),
        heap_size: abs("__app_heap_size"),
    };
    self_check(p, &packed, world_start, a5, code_base)?;
    Ok(packed)
}

/// Decodes `data` 0 with the launcher's own code, relocates it to arbitrary addresses, and
/// compares it with the linked image moved to those addresses.
fn self_check(p: &Program, packed: &Packed, world_start: u32, a5: u32, code_base: u32) -> Result<(), PackError> {
    let cx = Ctx { p };
    let mut w = A5World::build(&packed.code0, Some(&packed.data0)).map_err(|e| PackError::SelfCheck(e.to_string()))?;
    let (rt_a5, rt_code) = (0x0012_3458u32, 0x0103_4562u32);
    w.relocate(rt_a5, rt_code);
    let mut want: Vec<u8> = (0..packed.world_size())
        .map(|i| cx.read(world_start.wrapping_add(i), 1).map_or(0, |b| b[0]))
        .collect();
    for (sites, link_base, rt_base) in [(&packed.a5_sites, a5, rt_a5), (&packed.code_sites, code_base, rt_code)] {
        for &s in sites {
            let at = (s + packed.below_a5 as i64) as usize;
            let linked = u32::from_be_bytes(want[at..at + 4].try_into().unwrap());
            want[at..at + 4].copy_from_slice(&linked.wrapping_sub(link_base).wrapping_add(rt_base).to_be_bytes());
        }
    }
    if let Some(i) = (0..want.len()).find(|&i| w.bytes.get(i) != Some(&want[i])) {
        return Err(PackError::SelfCheck(format!(
            "the A5 world decoded from data 0 differs from the linked one at A5{:+}: {:#04x?} instead of {:#04x}",
            i as i64 - packed.below_a5 as i64,
            w.bytes.get(i),
            want[i]
        )));
    }
    Ok(())
}

/// Database parameters of the .prc.
#[derive(Debug, Clone)]
pub struct DbInfo {
    /// Database name (at most 31 bytes).
    pub name: String,
    pub creator: u32,
    pub db_type: u32,
    /// `tAIN` 1000: the name the launcher shows.
    pub app_name: String,
    /// `tver` 1000, if any.
    pub version: Option<String>,
    /// `pref` 0.
    pub priority: u16,
    pub stack_size: u32,
    pub min_heap: u32,
}

/// Resource type codes.
pub fn fourcc(s: &[u8; 4]) -> u32 {
    u32::from_be_bytes(*s)
}

/// Parses a 4-character code ("appl").
pub fn parse_fourcc(s: &str) -> Result<u32, PackError> {
    let b: [u8; 4] = s
        .as_bytes()
        .try_into()
        .map_err(|_| PackError::Database(format!("{s:?} is not a 4-character code")))?;
    if !b.iter().all(|c| (0x20..0x7F).contains(c)) {
        return Err(PackError::Database(format!("{s:?} is not printable ASCII")));
    }
    Ok(fourcc(&b))
}

/// The .prc database: code 0, code 1, data 0, pref 0, tAIN 1000, tver 1000.
pub fn database(packed: &Packed, info: &DbInfo) -> Result<DatabaseFile, PackError> {
    database_with_resources(packed, info, Vec::new())
}

/// [`database`] plus `extra` resources (forms, alerts, icons; see [`resources`]), all sorted
/// by type and ID; an extra resource that repeats another one is refused.
pub fn database_with_resources(packed: &Packed, info: &DbInfo, extra: Vec<ResourceEntry>) -> Result<DatabaseFile, PackError> {
    let cstr = |s: &str| {
        let mut v = s.as_bytes().to_vec();
        v.push(0);
        v
    };
    let mut pref = info.priority.to_be_bytes().to_vec();
    pref.extend_from_slice(&info.stack_size.to_be_bytes());
    pref.extend_from_slice(&info.min_heap.to_be_bytes());
    let mut res = vec![
        ResourceEntry { kind: fourcc(b"code"), id: 0, data: packed.code0.clone() },
        ResourceEntry { kind: fourcc(b"code"), id: 1, data: packed.code1.clone() },
        ResourceEntry { kind: fourcc(b"data"), id: 0, data: packed.data0.clone() },
        ResourceEntry { kind: fourcc(b"pref"), id: 0, data: pref },
        ResourceEntry { kind: fourcc(b"tAIN"), id: 1000, data: cstr(&info.app_name) },
    ];
    if let Some(v) = &info.version {
        res.push(ResourceEntry { kind: fourcc(b"tver"), id: 1000, data: cstr(v) });
    }
    let res = resources::merge_resources(res, extra)?;
    DatabaseFile::new(&info.name, info.db_type, info.creator, Entries::Resources(res))
        .map_err(|e| PackError::Database(format!("database name {:?}: {e}", info.name)))
}

#[cfg(test)]
mod tests;
