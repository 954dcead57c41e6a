/* Link script of an SDK program packaged as a PalmOS application (.prc), preprocessed by cpp
 * (scripts/build-guest.sh writes target/guest/app.ld). tools/prc-pack turns the ELF into the
 * .prc; docs/guest-toolchain.md ("Applications as .prc") explains the whole scheme.
 *
 * Two segments, at unrelated addresses because at run time they are unrelated chunks:
 *   code (VMA 0 = offset in `code` 1; executed in place from the storage heap, never written)
 *     .text     __app_start first (app_start.S): the entry is code 1's first byte
 *     .rodata   constants, wasm data segments
 *   data (VMA APP_DATA_BASE; the A5 world, a dynamic-heap chunk the OS builds from data 0)
 *     .data     initialised globals, incl. .data.rel.ro (pointers to code: function tables)
 *     .bss      zero-filled globals (the OS zero-fills the whole world)
 *     .got      the GOT of -msep-data code; A5 = _GLOBAL_OFFSET_TABLE_ = its start, so
 *               everything above is belowA5 and the GOT is aboveA5
 * The code reaches code and rodata PC-relatively and globals only through the GOT
 * ((d32,A5) loads of a GOT entry), so it needs no relocation; the GOT entries and the
 * pointers in .data are relocated by data 0's chains. Link with --emit-relocs (-q): the
 * packer reads every relocation and refuses what the chains cannot express. */

#ifndef APP_DATA_BASE
#define APP_DATA_BASE 0x40000000
#endif

OUTPUT_FORMAT("elf32-m68k")
OUTPUT_ARCH(m68k)
ENTRY(__app_start)

PHDRS
{
  code PT_LOAD FLAGS(5);
  data PT_LOAD FLAGS(6);
}

SECTIONS
{
  .text 0 :
  {
    KEEP(*(.text.app_entry))
    *(.text .text.*)
  } :code

  .rodata :
  {
    *(.rodata .rodata.*)
  } :code
  __code_end = .;

  .data APP_DATA_BASE : ALIGN(4)
  {
    __data_start = .;
    *(.data.rel.ro .data.rel.ro.*)
    *(.data.rel .data.rel.*)
    *(.data .data.*)
    . = ALIGN(4);
    __data_end = .;
  } :data

  .bss (NOLOAD) : ALIGN(4)
  {
    __bss_start = .;
    *(.bss .bss.* COMMON)
    . = ALIGN(4);
    __bss_end = .;
  } :data

  .got : ALIGN(4)
  {
    *(.got.plt) *(.igot.plt) *(.got) *(.igot)
  } :data

  ASSERT(__app_start == ADDR(.text), "__app_start is not the first byte of code 1")

  /DISCARD/ :
  {
    *(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr) *(.gnu.attributes)
    *(.interp) *(.dynamic) *(.dynsym) *(.dynstr) *(.hash) *(.gnu.hash)
  }
}
