/* The C side of an SDK program packaged as a PalmOS application (built with -DSDK_APP=1
 * -msep-data, linked by guest-sdk/link/app.ld.S; see docs/guest-toolchain.md, "Applications
 * as .prc"). app_start.S calls __app_main(appInfoP) once SysAppStartup has given it a fresh,
 * relocated A5 world. Here:
 *   - the launch parameters (cmd, cmdPBP, launchFlags) go where the wasm import
 *     `sdk_launch_param` (sdk_env.c) finds them;
 *   - the stack limit of wasm2c's overflow check (program.c) is set from the entry's stack
 *     pointer: the application may use SDK_APP_STACK_SIZE bytes below it (the size its
 *     `pref` 0 resource asks for);
 *   - the wasm linear-memory arena is a dynamic-heap chunk (MemPtrNew), freed on return;
 *   - guest_main (sdk_env.c) instantiates the module and runs the program.
 * .bss needs no clearing: the globals chunk is zero-filled by the OS before data 0 is
 * decompressed into it (palm-shim's app_image; tests/tests/prc_apps.rs checks it).
 *
 * Two absolute symbols tell the packer (tools/prc-pack) what to put in `pref` 0:
 * __app_stack_size and __app_heap_size (dynamic heap the start-up code allocates besides the
 * globals). */
#include <stdint.h>

#include "palm_app.h"
#include "sdk_rt.h"

#ifndef SDK_APP_STACK_SIZE
#define SDK_APP_STACK_SIZE 0x8000
#endif
#ifndef SDK_APP_STACK_MARGIN /* > the largest C frame of the generated code */
#define SDK_APP_STACK_MARGIN 0x2000
#endif
#ifndef SDK_APP_ARENA_SIZE /* wasm linear memory: a multiple of 64 KiB */
#define SDK_APP_ARENA_SIZE 0x40000
#endif
#define ARENA_ALIGN 16

_Static_assert(SDK_APP_ARENA_SIZE % 65536 == 0, "SDK_APP_ARENA_SIZE must be a multiple of 64 KiB");
_Static_assert(SDK_APP_STACK_MARGIN < SDK_APP_STACK_SIZE, "stack margin exceeds the stack");

__asm__(".globl __app_stack_size\n\t.set __app_stack_size, " SDK_STR(SDK_APP_STACK_SIZE) "\n\t"
        ".globl __app_heap_size\n\t.set __app_heap_size, " SDK_STR(SDK_APP_ARENA_SIZE + ARENA_ALIGN));

uint8_t *sdk_arena_start;
uint8_t *sdk_arena_end;
uintptr_t sdk_stack_limit;
extern uint32_t sdk_launch_params[3];
uint32_t guest_main(void);

typedef uint16_t __attribute__((aligned(1), may_alias)) app_u16u;
typedef uint32_t __attribute__((aligned(1), may_alias)) app_u32u;

/* MemPtr MemPtrNew(UInt32 size) */
static void *mem_ptr_new(uint32_t size) {
  register void *a0 __asm__("a0");
  __asm__ __volatile__(
      "move.l %1,-(%%sp)\n\t"
      "trap #15\n\t"
      ".word " SDK_STR(PALM_TRAP_MEM_PTR_NEW) "\n\t"
      "addq.l #4,%%sp"
      : "=a"(a0)
      : "d"(size)
      : "d0", "d1", "d2", "a1", "cc", "memory");
  return a0;
}

/* Err MemChunkFree(MemPtr p) (MemPtrFree) */
static void mem_chunk_free(void *p) {
  __asm__ __volatile__(
      "move.l %0,-(%%sp)\n\t"
      "trap #15\n\t"
      ".word " SDK_STR(PALM_TRAP_MEM_CHUNK_FREE) "\n\t"
      "addq.l #4,%%sp"
      :
      : "a"(p)
      : "d0", "d1", "d2", "a0", "a1", "cc", "memory");
}

uint32_t __app_main(const uint8_t *app_info) {
  sdk_launch_params[0] = *(const app_u16u *)(app_info + PALM_APP_INFO_CMD);
  sdk_launch_params[1] = *(const app_u32u *)(app_info + PALM_APP_INFO_CMD_PBP);
  sdk_launch_params[2] = *(const app_u16u *)(app_info + PALM_APP_INFO_LAUNCH_FLAGS);

  uintptr_t sp;
  __asm__ __volatile__("move.l %%sp,%0" : "=d"(sp));
  sdk_stack_limit = sp - SDK_APP_STACK_SIZE + SDK_APP_STACK_MARGIN;

  uint8_t *block = mem_ptr_new(SDK_APP_ARENA_SIZE + ARENA_ALIGN);
  if (!block) {
    sdk_console_puts("[sdk] not enough dynamic heap for the wasm linear memory\n");
    return PALM_MEM_ERR_NOT_ENOUGH_SPACE;
  }
  sdk_arena_start = (uint8_t *)(((uintptr_t)block + ARENA_ALIGN - 1) & ~(uintptr_t)(ARENA_ALIGN - 1));
  sdk_arena_end = sdk_arena_start + SDK_APP_ARENA_SIZE;

  uint32_t result = guest_main();

  mem_chunk_free(block);
  sdk_arena_start = sdk_arena_end = 0;
  return result;
}
