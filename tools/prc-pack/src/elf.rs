//! Reads a linked m68k ELF (with the relocations `--emit-relocs` keeps) into the packer's
//! [`Program`] model, with goblin.

use crate::{PackError, Program, Reloc, Section, Segment, SymPlace, Symbol};
use goblin::elf::{header, section_header as sh, sym, Elf};

const SHN_ABS: usize = 0xFFF1;
const SHN_COMMON: usize = 0xFFF2;

pub fn read_elf(bytes: &[u8]) -> Result<Program, PackError> {
    let elf = Elf::parse(bytes).map_err(|e| PackError::Elf(e.to_string()))?;
    if elf.is_64 || elf.little_endian || elf.header.e_machine != header::EM_68K {
        return Err(PackError::Elf("not a 32-bit big-endian m68k ELF".into()));
    }
    if elf.header.e_type != header::ET_EXEC {
        return Err(PackError::Elf("not a linked executable (ET_EXEC)".into()));
    }
    let mut sections = Vec::with_capacity(elf.section_headers.len());
    for s in &elf.section_headers {
        let name = elf.shdr_strtab.get_at(s.sh_name).unwrap_or("").to_string();
        let alloc = s.sh_flags & sh::SHF_ALLOC as u64 != 0;
        let segment = match (alloc, s.sh_flags & sh::SHF_WRITE as u64 != 0) {
            (false, _) => None,
            (true, true) => Some(Segment::Data),
            (true, false) => Some(Segment::Code),
        };
        let data = if s.sh_type == sh::SHT_NOBITS || segment.is_none() {
            None
        } else {
            let (off, len) = (s.sh_offset as usize, s.sh_size as usize);
            let b = bytes
                .get(off..off.saturating_add(len))
                .ok_or_else(|| PackError::Elf(format!("section {name} lies outside the file")))?;
            Some(b.to_vec())
        };
        sections.push(Section { name, addr: s.sh_addr as u32, size: s.sh_size as u32, data, segment });
    }
    let mut symbols = Vec::with_capacity(elf.syms.len());
    for s in elf.syms.iter() {
        let mut name = elf.strtab.get_at(s.st_name).unwrap_or("").to_string();
        if s.st_type() == sym::STT_SECTION && name.is_empty() {
            name = sections.get(s.st_shndx).map_or_else(String::new, |x| x.name.clone());
        }
        let place = match s.st_shndx {
            0 => SymPlace::Undefined,
            SHN_ABS => SymPlace::Absolute,
            SHN_COMMON => return Err(PackError::Elf(format!("symbol {name} is still COMMON"))),
            i if i < sections.len() => SymPlace::Section(i),
            i => return Err(PackError::Elf(format!("symbol {name} has section index {i:#x}"))),
        };
        symbols.push(Symbol { name, value: s.st_value as u32, place });
    }
    let mut relocs = Vec::new();
    for (idx, rs) in &elf.shdr_relocs {
        let h = &elf.section_headers[*idx];
        if h.sh_type != sh::SHT_RELA {
            return Err(PackError::Elf("REL (addend-less) relocation sections are not supported".into()));
        }
        let target = h.sh_info as usize;
        for r in rs.iter() {
            relocs.push(Reloc {
                section: target,
                offset: r.r_offset as u32,
                kind: r.r_type,
                symbol: r.r_sym,
                addend: r.r_addend.unwrap_or(0) as i32,
            });
        }
    }
    if relocs.is_empty() {
        return Err(PackError::Elf("the ELF has no relocations: link with -Wl,--emit-relocs (-q)".into()));
    }
    Ok(Program { entry: elf.header.e_entry as u32, sections, symbols, relocs })
}
