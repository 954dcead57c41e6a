/* Internal interface of the guest SDK's C runtime (wasm_rt.c, sdk_env.c, palm_trap.S). */
#ifndef SDK_RT_H
#define SDK_RT_H

#include <stdint.h>
#include <stddef.h>
#include "palm_abi.h"

#define SDK_STR_(x) #x
#define SDK_STR(x) SDK_STR_(x)

/* HostControl(selector, UInt32 value): HOST_EXIT, HOST_WASM_TRAP. D0-D2/A0-A1 are scratch
 * across a trap (D2 is callee-saved for GCC, hence the clobber). */
static inline uint32_t sdk_host_control_value(uint16_t selector, uint32_t value) {
  register uint32_t d0 __asm__("d0");
  __asm__ __volatile__(
      "move.l %1,-(%%sp)\n\t"
      "move.w %2,-(%%sp)\n\t"
      "trap #15\n\t"
      ".word " SDK_STR(PALM_TRAP_HOST_CONTROL) "\n\t"
      "addq.l #6,%%sp"
      : "=d"(d0)
      : "d"(value), "d"(selector)
      : "d1", "d2", "a0", "a1", "cc", "memory");
  return d0;
}

/* HostControl(selector, const char *bytes, UInt32 len): HOST_CONSOLE_WRITE, HOST_GUEST_PANIC.
 * `bytes` is a real guest address. */
static inline uint32_t sdk_host_control_bytes(uint16_t selector, const void *bytes, uint32_t len) {
  register uint32_t d0 __asm__("d0");
  __asm__ __volatile__(
      "move.l %1,-(%%sp)\n\t"
      "move.l %2,-(%%sp)\n\t"
      "move.w %3,-(%%sp)\n\t"
      "trap #15\n\t"
      ".word " SDK_STR(PALM_TRAP_HOST_CONTROL) "\n\t"
      "lea 10(%%sp),%%sp"
      : "=d"(d0)
      : "d"(len), "a"(bytes), "d"(selector)
      : "d1", "d2", "a0", "a1", "cc", "memory");
  return d0;
}

/* Reports `msg` (a NUL-terminated string at a guest address) as a guest panic; no return. */
void sdk_fatal(const char *msg) __attribute__((noreturn));

/* Writes a NUL-terminated string to the console. */
void sdk_console_puts(const char *s);

/* The RAM arena that holds the wasm linear memory: link script symbols in a ROM image; in an
 * application (SDK_APP) a dynamic-heap chunk that app_rt.c allocates at launch. */
#ifdef SDK_APP
extern uint8_t *sdk_arena_start;
extern uint8_t *sdk_arena_end;
#define SDK_ARENA_START sdk_arena_start
#define SDK_ARENA_END sdk_arena_end
#else
extern uint8_t __linear_arena_start[];
extern uint8_t __linear_arena_end[];
#define SDK_ARENA_START __linear_arena_start
#define SDK_ARENA_END __linear_arena_end
#endif

#endif
