//! Packer tests: a hand-built program model (layout, GOT recovery, chains, the launcher's view
//! of the result), refusals of every kind of inexpressible relocation, and the same through a
//! real ELF when the m68k toolchain is installed.

use super::*;
use palm_shim::app_image::A5World;

const DATA: u32 = 0x4000_0000;

fn sec(name: &str, addr: u32, data: Option<Vec<u8>>, size: u32, segment: Option<Segment>) -> Section {
    Section { name: name.into(), addr, size, data, segment }
}

fn sym(name: &str, value: u32, place: SymPlace) -> Symbol {
    Symbol { name: name.into(), value, place }
}

fn reloc(section: usize, offset: u32, kind: u32, symbol: usize) -> Reloc {
    Reloc { section, offset, kind, symbol, addend: 0 }
}

/// code: .text (16 bytes at 0) + .rodata (8 at 16); globals: .data (8), .bss (8), .got (3
/// reserved slots + one for `counter`). The code loads `counter`'s GOT entry; .data holds a
/// pointer to `msg` (rodata, code 1) and one to `counter` (globals).
fn model() -> Program {
    let mut text = vec![0x20, 0x75, 0x01, 0x70, 0, 0, 0, 12]; // movea.l (counter@GOT.l,a5),a0
    text.extend_from_slice(&[0x61, 0xFF, 0, 0, 0, 6, 0x4E, 0x75]); // bsr.l msg (rodata, never mind); rts
    let mut data = 16u32.to_be_bytes().to_vec();
    data.extend_from_slice(&(DATA + 8).to_be_bytes());
    let mut got = vec![0u8; 12];
    got.extend_from_slice(&(DATA + 8).to_be_bytes());
    Program {
        entry: 0,
        sections: vec![
            sec("", 0, None, 0, None),
            sec(".text", 0, Some(text), 16, Some(Segment::Code)),
            sec(".rodata", 16, Some(b"hello\0\0\0".to_vec()), 8, Some(Segment::Code)),
            sec(".data", DATA, Some(data), 8, Some(Segment::Data)),
            sec(".bss", DATA + 8, None, 8, Some(Segment::Data)),
            sec(".got", DATA + 16, Some(got), 16, Some(Segment::Data)),
            sec(".symtab", 0, None, 100, None),
        ],
        symbols: vec![
            sym("", 0, SymPlace::Undefined),
            sym("__app_start", 0, SymPlace::Section(1)),
            sym("counter", DATA + 8, SymPlace::Section(4)),
            sym("table", DATA, SymPlace::Section(3)),
            sym("_GLOBAL_OFFSET_TABLE_", DATA + 16, SymPlace::Section(5)),
            sym("msg", 16, SymPlace::Section(2)),
            sym("__app_stack_size", 0x8000, SymPlace::Absolute),
            sym("weak_missing", 0, SymPlace::Undefined),
        ],
        relocs: vec![
            reloc(1, 4, r68k::GOT32O, 2),
            reloc(1, 10, r68k::PC32, 5),
            reloc(3, DATA, r68k::ABS32, 5),
            reloc(3, DATA + 4, r68k::ABS32, 2),
        ],
    }
}

#[test]
fn a_program_packs_into_what_the_launcher_expects() {
    let p = pack(&model()).unwrap();
    assert_eq!(p.code1.len(), 24);
    assert_eq!(&p.code1[16..21], b"hello");
    // A5 = the GOT: 16 bytes of .data + .bss below it; the GOT and the jump table above.
    assert_eq!((p.below_a5, p.jump_table_a5_offset, p.above_a5), (16, 32, 40));
    assert_eq!(&p.code0[..16], &[0, 0, 0, 40, 0, 0, 0, 16, 0, 0, 0, 8, 0, 0, 0, 32]);
    assert_eq!(&p.code0[16..], &JUMP_TABLE);
    assert_eq!(p.a5_sites, vec![-12, 12], "the pointer to `counter` in .data and its GOT entry");
    assert_eq!(p.code_sites, vec![-16], "the pointer to `msg`");
    assert_eq!(p.stack_size, Some(0x8000));
    assert_eq!(p.got_entries, 4);

    let mut w = A5World::build(&p.code0, Some(&p.data0)).unwrap();
    let (a5, code1) = (0x0020_0000u32, 0x0100_0002u32);
    w.relocate(a5, code1);
    let word = |off: i64| u32::from_be_bytes(w.bytes[(16 + off) as usize..(20 + off) as usize].try_into().unwrap());
    assert_eq!(word(-16), code1 + 16, "&msg");
    assert_eq!(word(-12), a5 - 8, "&counter");
    assert_eq!(word(12), a5 - 8, "GOT entry of counter");
    assert_eq!(word(-8), 0, ".bss is zero");

    let info = DbInfo {
        name: "Model".into(),
        creator: fourcc(b"Mdl1"),
        db_type: fourcc(b"appl"),
        app_name: "Model App".into(),
        version: Some("1.0".into()),
        priority: 30,
        stack_size: 0x8000,
        min_heap: 0x1000,
    };
    let db = database(&p, &info).unwrap();
    let back = palm_shim::pdb::DatabaseFile::parse(&db.to_bytes()).unwrap();
    let Entries::Resources(r) = &back.entries else { panic!("not a resource database") };
    let kinds: Vec<(String, u16)> = r.iter().map(|e| (palm_shim::pdb::fourcc(e.kind), e.id)).collect();
    let want = [("code", 0), ("code", 1), ("data", 0), ("pref", 0), ("tAIN", 1000), ("tver", 1000)];
    assert_eq!(kinds, want.iter().map(|(k, i)| (k.to_string(), *i)).collect::<Vec<_>>());
    assert_eq!(r[3].data, vec![0, 30, 0, 0, 0x80, 0, 0, 0, 0x10, 0]);
    assert_eq!(r[4].data, b"Model App\0");
    assert_eq!(back.db_type, fourcc(b"appl"));
}

fn refusal(p: &Program) -> String {
    match pack(p) {
        Ok(_) => panic!("packed a program it should have refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn inexpressible_relocations_are_refused_naming_symbol_and_sections() {
    // An absolute address of a global inside code 1.
    let mut p = model();
    p.relocs.push(reloc(1, 12, r68k::ABS32, 2));
    let e = refusal(&p);
    assert!(e.contains("R_68K_32") && e.contains("`counter`") && e.contains("(.bss)") && e.contains(".text+0xc"), "{e}");
    assert!(e.contains("in `__app_start`"), "{e}");

    // A PC-relative reference from code to the globals.
    let mut p = model();
    p.relocs.push(reloc(1, 12, r68k::PC32, 3));
    let e = refusal(&p);
    assert!(e.contains("R_68K_PC32") && e.contains("`table`") && e.contains("(.data)"), "{e}");

    // A 16-bit address of code stored in the globals.
    let mut p = model();
    p.relocs.push(reloc(3, DATA + 2, r68k::ABS16, 5));
    let e = refusal(&p);
    assert!(e.contains("R_68K_16") && e.contains("`msg`") && e.contains("(.rodata)") && e.contains(".data+0x2"), "{e}");

    // PC-relative GOT addressing (-fpic code computes the GOT's address from the PC).
    let mut p = model();
    p.relocs.push(reloc(1, 12, r68k::GOT32, 2));
    let e = refusal(&p);
    assert!(e.contains("R_68K_GOT32") && e.contains("-msep-data"), "{e}");

    // Something the format has no notion of.
    let mut p = model();
    p.relocs.push(reloc(3, DATA + 4, 22 /* R_68K_RELATIVE */, 2));
    assert!(refusal(&p).contains("R_68K_RELATIVE"));

    // A GOT slot the packer cannot account for.
    let mut p = model();
    p.sections[5].data.as_mut().unwrap()[4..8].copy_from_slice(&(DATA + 4).to_be_bytes());
    assert!(refusal(&p).contains("no code relocation refers to it"));

    // Absolute and undefined-weak targets are constants, never relocated.
    let mut p = model();
    p.relocs.push(reloc(1, 12, r68k::ABS32, 6));
    p.relocs.push(reloc(1, 12, r68k::ABS32, 7));
    pack(&p).unwrap();
}

#[test]
fn the_entry_must_be_code_1s_first_byte() {
    let mut p = model();
    p.entry = 8;
    assert!(refusal(&p).contains("not the first byte"));
}

/// The same refusal through a real ELF: an assembly program that stores a global's absolute
/// address in code (skipped when the m68k toolchain is not installed).
#[test]
fn a_real_elf_with_an_absolute_reference_in_code_is_refused() {
    let gcc = "m68k-linux-gnu-gcc";
    if std::process::Command::new(gcc).arg("--version").output().is_err() {
        eprintln!("{gcc} not installed: skipped");
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("prc-pack-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ld = dir.join("app.ld");
    let st = std::process::Command::new(gcc)
        .args(["-E", "-P", "-x", "assembler-with-cpp"])
        .arg(root.join("guest-sdk/link/app.ld.S"))
        .arg("-o")
        .arg(&ld)
        .status()
        .unwrap();
    assert!(st.success());
    let build = |name: &str, body: &str| -> Result<Packed, PackError> {
        let src = dir.join(format!("{name}.S"));
        std::fs::write(
            &src,
            format!(
                "        .section .text.app_entry,\"ax\"\n        .globl __app_start\n__app_start:\n{body}\n        rts\n\
                 \n        .bss\n        .globl counter\ncounter: .long 0\n        .data\ntable: .long __app_start\n"
            ),
        )
        .unwrap();
        let elf = dir.join(format!("{name}.elf"));
        let out = std::process::Command::new(gcc)
            .args(["-m68020", "-nostdlib", "-Wl,-q", "-Wl,--build-id=none", "-T"])
            .arg(&ld)
            .arg("-o")
            .arg(&elf)
            .arg(&src)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        pack(&elf::read_elf(&std::fs::read(&elf).unwrap())?)
    };
    // Through A5 (what -msep-data code does): fine; table's pointer to code is relocated.
    let ok = build("good", "        move.l counter@GOT(%a5), %a0\n        addq.l #1, (%a0)").unwrap();
    assert_eq!(ok.code_sites.len(), 1, "table -> __app_start");
    assert_eq!(ok.a5_sites.len(), 1, "GOT entry -> counter");
    // An absolute address in code: refused, naming the symbol and both sections.
    let e = build("bad", "        addq.l #1, counter").unwrap_err().to_string();
    assert!(e.contains("R_68K_32") && e.contains("`counter`") && e.contains("(.bss)") && e.contains(".text+"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
