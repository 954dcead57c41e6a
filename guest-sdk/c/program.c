/* One translation unit per guest program: the wasm2c output (guest.h / guest.c, found through
 * the program's -I build directory) together with the SDK's import implementations, so GCC
 * inlines the guest-memory accessors into the generated code. */
#include <stdint.h>

/* Stack overflow check. wasm2c's FUNC_PROLOGUE (bounds-checked builds) is
 *   if (++wasm_rt_call_stack_depth > WASM_RT_MAX_CALL_STACK_DEPTH) TRAP(EXHAUSTION);
 * A fixed depth is the wrong measure on the 68k (frames range from 12 bytes to 11 KB), so the
 * "maximum depth" is made unlimited while the stack pointer is above __stack_limit
 * (= __stack_bottom + SDK_STACK_MARGIN, see the link script) and 0 below it: a function whose
 * frame reaches into the margin traps with "call stack exhausted" before it can write below
 * the stack (the margin exceeds the largest frame). */
#ifdef SDK_APP
/* An application runs on the stack it was launched on: app_rt.c sets the limit at launch. */
extern uintptr_t sdk_stack_limit;
#define SDK_STACK_LIMIT sdk_stack_limit
#else
extern uint8_t __stack_limit[];
#define SDK_STACK_LIMIT ((uintptr_t)__stack_limit)
#endif
static inline __attribute__((always_inline)) int sdk_stack_ok(void) {
  uintptr_t sp;
  __asm__("move.l %%sp,%0" : "=d"(sp));
  return sp > SDK_STACK_LIMIT;
}
#define WASM_RT_MAX_CALL_STACK_DEPTH (sdk_stack_ok() ? 0xFFFFFFFFu : 0u)

/* Cheaper bounds check. wasm2c 1.0.32 checks every access with a 64-bit `addr + size >
 * mem->size`, which the 68k does with add/addx/sub/subx chains and register spills.
 * scripts/build-guest.sh rewrites the generated `#define MEMCHECK(...) RANGE_CHECK(...)` line
 * to use SDK_MEMCHECK instead. A wasm address is (u64)(u32 base) + u32 offset, so "addr +
 * sizeof(t) > size" is equivalent to "high word non-zero, or low word > size - sizeof(t)",
 * given size >= 8 (wasm_rt_allocate_memory refuses memories without pages). Same traps, 32-bit
 * arithmetic. */
#define SDK_MEMCHECK(mem, a, t) \
  if (UNLIKELY((uint32_t)((a) >> 32) | ((uint32_t)(a) > (mem)->size - (uint32_t)sizeof(t)))) TRAP(OOB);

#include "guest.h"
#include "sdk_env.c"

/* wasm2c's memory helpers (i32_load, i64_store, ...) are `static inline`; in the large
 * functions LTO'd Rust produces, GCC's growth limits turn them into real calls (with a 64-bit
 * address argument), which made bounds-checked code ~6x slower than unchecked. Force them. */
#define inline inline __attribute__((always_inline))
#include "guest.c"
#undef inline
