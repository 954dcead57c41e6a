/* The wasm imports of module "env" (see guest-sdk/src/sys.rs for the list) and the C entry
 * point `guest_main`, which boot.S calls. This file is #included into program.c together with
 * the wasm2c output, so GCC sees the accessors' bodies where they are called and inlines them
 * into plain 68k loads and stores. `palm_trap` is in palm_trap.S. */

#include <stdint.h>
#include <string.h>

#include "wasm-rt.h"
#include "sdk_rt.h"

/* The import instance every Z_envZ_* function receives: the module's linear memory, so the
 * copies between linear and guest memory can reach it. */
struct Z_env_instance_t {
  wasm_rt_memory_t *mem;
};

#ifndef SDK_SCRATCH_LEN
#define SDK_SCRATCH_LEN 4096
#endif
#ifndef SDK_CONSOLE_LEN
#define SDK_CONSOLE_LEN 256
#endif

/* Guest-memory buffers owned by the program (in .bss, i.e. system RAM). */
static uint8_t sdk_scratch[SDK_SCRATCH_LEN] __attribute__((aligned(4)));
static uint8_t sdk_console[SDK_CONSOLE_LEN] __attribute__((aligned(4)));

typedef uint16_t __attribute__((aligned(1), may_alias)) sdk_u16u;
typedef uint32_t __attribute__((aligned(1), may_alias)) sdk_u32u;

#define GUEST_PTR(type, addr) ((type *)(uintptr_t)(addr))

u32 Z_envZ_guest_read8(struct Z_env_instance_t *env, u32 addr) {
  (void)env;
  return *GUEST_PTR(const uint8_t, addr);
}
u32 Z_envZ_guest_read16(struct Z_env_instance_t *env, u32 addr) {
  (void)env;
  return *GUEST_PTR(const sdk_u16u, addr);
}
u32 Z_envZ_guest_read32(struct Z_env_instance_t *env, u32 addr) {
  (void)env;
  return *GUEST_PTR(const sdk_u32u, addr);
}
void Z_envZ_guest_write8(struct Z_env_instance_t *env, u32 addr, u32 value) {
  (void)env;
  *GUEST_PTR(uint8_t, addr) = (uint8_t)value;
}
void Z_envZ_guest_write16(struct Z_env_instance_t *env, u32 addr, u32 value) {
  (void)env;
  *GUEST_PTR(sdk_u16u, addr) = (uint16_t)value;
}
void Z_envZ_guest_write32(struct Z_env_instance_t *env, u32 addr, u32 value) {
  (void)env;
  *GUEST_PTR(sdk_u32u, addr) = value;
}

/* Where linear-memory byte `wasm` lives, after checking that [wasm, wasm+len) is inside the
 * linear memory (trapping like a wasm access otherwise). In the byte-reversed layout the span
 * runs downwards from the returned pointer, otherwise upwards. */
static inline uint8_t *linear_span(wasm_rt_memory_t *mem, u32 wasm, u32 len) {
  if (len > mem->size || wasm > mem->size - len) wasm_rt_trap(WASM_RT_TRAP_OOB);
#if WABT_BIG_ENDIAN
  return mem->data + mem->size - 1 - wasm;
#else
  return mem->data + wasm;
#endif
}

/* Linear memory -> guest memory. */
void Z_envZ_guest_copy_in(struct Z_env_instance_t *env, u32 dst, u32 wasm_src, u32 len) {
  if (len == 0) return;
  const uint8_t *s = linear_span(env->mem, wasm_src, len);
  uint8_t *d = GUEST_PTR(uint8_t, dst);
#if WABT_BIG_ENDIAN
  while (len--) *d++ = *s--;
#else
  memmove(d, s, len);
#endif
}

/* Guest memory -> linear memory. */
void Z_envZ_guest_copy_out(struct Z_env_instance_t *env, u32 wasm_dst, u32 src, u32 len) {
  if (len == 0) return;
  uint8_t *d = linear_span(env->mem, wasm_dst, len);
  const uint8_t *s = GUEST_PTR(const uint8_t, src);
#if WABT_BIG_ENDIAN
  while (len--) *d-- = *s++;
#else
  memmove(d, s, len);
#endif
}

void Z_envZ_guest_memcpy(struct Z_env_instance_t *env, u32 dst, u32 src, u32 len) {
  (void)env;
  memcpy(GUEST_PTR(void, dst), GUEST_PTR(const void, src), len);
}
void Z_envZ_guest_memmove(struct Z_env_instance_t *env, u32 dst, u32 src, u32 len) {
  (void)env;
  memmove(GUEST_PTR(void, dst), GUEST_PTR(const void, src), len);
}
void Z_envZ_guest_memset(struct Z_env_instance_t *env, u32 dst, u32 value, u32 len) {
  (void)env;
  memset(GUEST_PTR(void, dst), (int)(value & 0xFF), len);
}
u32 Z_envZ_guest_memcmp(struct Z_env_instance_t *env, u32 a, u32 b, u32 len) {
  (void)env;
  return (u32)memcmp(GUEST_PTR(const void, a), GUEST_PTR(const void, b), len);
}

u32 Z_envZ_sdk_scratch_addr(struct Z_env_instance_t *env) {
  (void)env;
  return (u32)(uintptr_t)sdk_scratch;
}
u32 Z_envZ_sdk_scratch_len(struct Z_env_instance_t *env) {
  (void)env;
  return SDK_SCRATCH_LEN;
}
u32 Z_envZ_sdk_console_addr(struct Z_env_instance_t *env) {
  (void)env;
  return (u32)(uintptr_t)sdk_console;
}
u32 Z_envZ_sdk_console_len(struct Z_env_instance_t *env) {
  (void)env;
  return SDK_CONSOLE_LEN;
}

/* How the program was launched: cmd, cmdPBP, launchFlags (the wasm import
 * `sdk_launch_param(which)`). A ROM image's program is never launched: all zero
 * (sysAppLaunchCmdNormalLaunch); an application's start-up code (app_rt.c) fills them in. */
uint32_t sdk_launch_params[3];

u32 Z_envZ_sdk_launch_param(struct Z_env_instance_t *env, u32 which) {
  (void)env;
  return which < 3 ? sdk_launch_params[which] : 0;
}

/* The program: instantiated once, then its exported `guest_main` runs. */
static Z_guest_instance_t sdk_instance;
static struct Z_env_instance_t sdk_env_instance;

/* Boolean sdk_form_event_trampoline(EventType *eventP): the 68k form event handler behind
 * every Rust one (guest-sdk/src/ui.rs, `set_form_event_handler`). PalmOS calls it with the C
 * calling convention (the event pointer on the stack, result in D0) from inside the
 * program's own FrmDispatchEvent / FrmGotoForm / FrmCloseAllForms trap, so A5 is the
 * program's (right for -msep-data applications) and the module is instantiated. It calls
 * the module's export `sdk_form_event`, which looks up the Rust handler; the nested call
 * into the module is an ordinary C call (the Rust caller is still inside its `palm_trap`
 * import). The result is 0 or 1 in all 32 bits of D0. */
uint32_t sdk_form_event_trampoline(uint32_t event) {
  return Z_guestZ_sdk_form_event(&sdk_instance, event) != 0 ? 1 : 0;
}

u32 Z_envZ_sdk_form_trampoline_addr(struct Z_env_instance_t *env) {
  (void)env;
  return (u32)(uintptr_t)&sdk_form_event_trampoline;
}

/* A ROM program's guest_main runs again every time the UI shell returns to the built-in
 * application (palm-shim launch.rs), and the runtime allows one instantiation per program
 * (one linear memory, tables from a fixed pool): the module is instantiated on the first call
 * only, later calls run its guest_main again on the same instance (Rust statics and the heap
 * persist). An application (.prc) gets fresh, zeroed globals and a new arena at every launch
 * (app_rt.c), so it instantiates every time. */
static int sdk_instantiated;

uint32_t guest_main(void) {
  if (!sdk_instantiated) {
    wasm_rt_init();
    Z_guest_init_module();
    Z_guest_instantiate(&sdk_instance, &sdk_env_instance);
    sdk_env_instance.mem = Z_guestZ_memory(&sdk_instance);
    sdk_instantiated = 1;
  }
  uint32_t code = Z_guestZ_guest_main(&sdk_instance);
#ifdef SDK_REPORT_LINEAR_MEMORY
  /* Measurement aid (off by default: it changes the console transcript). */
  {
    static char msg[] = "[sdk] linear memory at exit: 00 pages of 64 KiB\n";
    uint32_t pages = sdk_env_instance.mem->pages;
    msg[29] = (char)('0' + pages / 10 % 10);
    msg[30] = (char)('0' + pages % 10);
    sdk_console_puts(msg);
  }
#endif
  return code;
}
