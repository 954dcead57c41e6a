/* Link script of the stub ROM image (boot code + one program), preprocessed by cpp with
 * guest-sdk/c/include/palm_abi.h (scripts/build-guest.sh writes target/guest/rom.ld).
 *
 * ROM (read-only to the guest), from PALM_ROM_BASE:
 *   .vectors     initial SSP (PALM_SYSTEM_STACK_TOP) and initial PC (_start)
 *   .text        code (boot code first)
 *   .rodata      constants, wasm data segments
 *   .trap_stubs  DISPATCH_TABLE_ENTRIES stubs of TRAP_STUB_SIZE bytes:
 *                __trap_stubs_start .. __trap_stubs_end (the emulator reads these symbols)
 *   .data image  (LMA; boot code copies it to its VMA in system RAM)
 * System RAM, from PALM_SYSTEM_RAM_BASE:
 *   .data        __data_start .. __data_end, loaded from __data_load
 *   .bss         __bss_start .. __bss_end (boot code zeroes it; holds the dispatch table)
 *   linear arena __linear_arena_start .. __linear_arena_end: the wasm linear memory
 *   stack        __stack_bottom .. __stack_top (= PALM_SYSTEM_STACK_TOP), SDK_STACK_SIZE bytes;
 *                wasm2c code traps ("call stack exhausted") below __stack_limit
 *
 * Two program headers: "text" (ROM) and "data" (.data + .bss; p_paddr = the .data image in
 * ROM, p_filesz = .data only). The emulator copies each PT_LOAD's file bytes to p_paddr. */
#include "palm_abi.h"

#ifndef SDK_STACK_SIZE
#define SDK_STACK_SIZE 0x20000
#endif
/* Bytes at the bottom of the stack that wasm2c functions may not enter (see program.c);
 * larger than the largest C frame of the generated code. */
#ifndef SDK_STACK_MARGIN
#define SDK_STACK_MARGIN 0x4000
#endif

OUTPUT_FORMAT("elf32-m68k")
OUTPUT_ARCH(m68k)
ENTRY(_start)

MEMORY
{
  rom (rx)  : ORIGIN = PALM_ROM_BASE, LENGTH = PALM_ROM_SIZE
  ram (rwx) : ORIGIN = PALM_SYSTEM_RAM_BASE, LENGTH = PALM_SYSTEM_RAM_SIZE
}

PHDRS
{
  text PT_LOAD FLAGS(5);
  data PT_LOAD FLAGS(6);
}

SECTIONS
{
  .vectors PALM_ROM_BASE :
  {
    KEEP(*(.vectors))
  } > rom :text

  .text :
  {
    KEEP(*(.text.boot))
    *(.text .text.*)
  } > rom :text

  .rodata :
  {
    *(.rodata .rodata.*)
  } > rom :text

  /* libgcc's soft-float objects are PIC: the (statically resolved, never written) GOT. */
  .got : ALIGN(4)
  {
    *(.got.plt) *(.igot.plt) *(.got) *(.igot)
  } > rom :text

  .trap_stubs : ALIGN(2)
  {
    __trap_stubs_start = .;
    KEEP(*(.trap_stubs))
    __trap_stubs_end = .;
  } > rom :text

  .data : ALIGN(4)
  {
    __data_start = .;
    *(.data .data.*)
    . = ALIGN(4);
    __data_end = .;
  } > ram AT> rom :data
  __data_load = LOADADDR(.data);

  .bss (NOLOAD) : ALIGN(4)
  {
    __bss_start = .;
    *(.bss .bss.* COMMON)
    . = ALIGN(4);
    __bss_end = .;
  } > ram :data

  __stack_top = PALM_SYSTEM_STACK_TOP;
  __stack_size = SDK_STACK_SIZE;
  __stack_bottom = __stack_top - __stack_size;
  __stack_limit = __stack_bottom + SDK_STACK_MARGIN;
  __linear_arena_start = ALIGN(__bss_end, 16);
  __linear_arena_end = __stack_bottom;

  ASSERT(__trap_stubs_end - __trap_stubs_start == PALM_DISPATCH_TABLE_ENTRIES * PALM_TRAP_STUB_SIZE,
         "trap stub region has the wrong size")
  ASSERT(__linear_arena_end >= __linear_arena_start, "system RAM overflow: .data + .bss + stack too big")
  ASSERT(__stack_top == PALM_SYSTEM_RAM_BASE + PALM_SYSTEM_RAM_SIZE, "stack top is not the end of system RAM")

  /DISCARD/ :
  {
    *(.comment) *(.note .note.*) *(.eh_frame .eh_frame_hdr) *(.gnu.attributes)
  }
}
