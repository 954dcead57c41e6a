/* The guest's replacement for wabt's wasm-rt-impl.c (which needs libc, mmap and signals):
 * the C library subset wasm2c output needs (memcpy, memmove, memset, memcmp, strlen, abort,
 * __assert_fail) and the wasm2c 1.0.32 runtime API (memories, tables, function types, traps,
 * call-stack depth). Everything is static: no malloc.
 *
 * Linear memory lives in the RAM arena [__linear_arena_start, __linear_arena_end) that the
 * link script leaves between .bss and the stack. With WABT_BIG_ENDIAN=1, wasm2c stores linear
 * memory byte-reversed: wasm address a is at data[size - 1 - a]. We keep data + size pinned at
 * the arena's end, so wasm address a is always at __linear_arena_end - 1 - a and growing the
 * memory only moves `data` down and zeroes the new pages: nothing is copied. In an application
 * (SDK_APP) the arena is a dynamic-heap chunk instead (SDK_ARENA_START/END, sdk_rt.h). */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "wasm-rt.h"
#include "sdk_rt.h"

#define WASM_PAGE 65536u

/* Runtime pool for tables and function-type signatures (-DSDK_RT_POOL_SIZE=...). */
#ifndef SDK_RT_POOL_SIZE
#define SDK_RT_POOL_SIZE 16384
#endif

/* ------------------------------------------------------------------------------------------ */
/* C library subset. Correct for all lengths and alignments; word-at-a-time when the two
 * pointers are mutually aligned (so it is also valid on a 68000, which faults on odd word
 * accesses). */

typedef uint32_t __attribute__((may_alias)) u32_alias;
typedef uint16_t __attribute__((may_alias)) u16_alias;

static inline void copy_forward(uint8_t *d, const uint8_t *s, size_t n) {
  if (n >= 8 && (((uintptr_t)d ^ (uintptr_t)s) & 1) == 0) {
    if ((uintptr_t)d & 1) {
      *d++ = *s++;
      n--;
    }
    if ((((uintptr_t)d ^ (uintptr_t)s) & 3) == 0) {
      if ((uintptr_t)d & 2) {
        *(u16_alias *)d = *(const u16_alias *)s;
        d += 2, s += 2, n -= 2;
      }
      u32_alias *dw = (u32_alias *)d;
      const u32_alias *sw = (const u32_alias *)s;
      while (n >= 16) {
        dw[0] = sw[0];
        dw[1] = sw[1];
        dw[2] = sw[2];
        dw[3] = sw[3];
        dw += 4, sw += 4, n -= 16;
      }
      while (n >= 4) {
        *dw++ = *sw++;
        n -= 4;
      }
      d = (uint8_t *)dw;
      s = (const uint8_t *)sw;
    } else {
      u16_alias *dh = (u16_alias *)d;
      const u16_alias *sh = (const u16_alias *)s;
      while (n >= 2) {
        *dh++ = *sh++;
        n -= 2;
      }
      d = (uint8_t *)dh;
      s = (const uint8_t *)sh;
    }
  }
  while (n--) *d++ = *s++;
}

/* Copies downwards: d and s point one past the ends of the ranges. */
static inline void copy_backward(uint8_t *d, const uint8_t *s, size_t n) {
  if (n >= 8 && (((uintptr_t)d ^ (uintptr_t)s) & 1) == 0) {
    if ((uintptr_t)d & 1) {
      *--d = *--s;
      n--;
    }
    if ((((uintptr_t)d ^ (uintptr_t)s) & 3) == 0) {
      if ((uintptr_t)d & 2) {
        d -= 2, s -= 2, n -= 2;
        *(u16_alias *)d = *(const u16_alias *)s;
      }
      u32_alias *dw = (u32_alias *)d;
      const u32_alias *sw = (const u32_alias *)s;
      while (n >= 16) {
        dw -= 4, sw -= 4, n -= 16;
        dw[3] = sw[3];
        dw[2] = sw[2];
        dw[1] = sw[1];
        dw[0] = sw[0];
      }
      while (n >= 4) {
        *--dw = *--sw;
        n -= 4;
      }
      d = (uint8_t *)dw;
      s = (const uint8_t *)sw;
    } else {
      u16_alias *dh = (u16_alias *)d;
      const u16_alias *sh = (const u16_alias *)s;
      while (n >= 2) {
        *--dh = *--sh;
        n -= 2;
      }
      d = (uint8_t *)dh;
      s = (const uint8_t *)sh;
    }
  }
  while (n--) *--d = *--s;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  copy_forward(dst, src, n);
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n)
    copy_forward(d, s, n);
  else
    copy_backward(d + n, s + n, n);
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  uint8_t b = (uint8_t)c;
  if (n >= 8) {
    uint32_t w = b * 0x01010101u;
    if ((uintptr_t)d & 1) {
      *d++ = b;
      n--;
    }
    if ((uintptr_t)d & 2) {
      *(u16_alias *)d = (uint16_t)w;
      d += 2, n -= 2;
    }
    u32_alias *dw = (u32_alias *)d;
    while (n >= 16) {
      dw[0] = w;
      dw[1] = w;
      dw[2] = w;
      dw[3] = w;
      dw += 4, n -= 16;
    }
    while (n >= 4) {
      *dw++ = w;
      n -= 4;
    }
    d = (uint8_t *)dw;
  }
  while (n--) *d++ = b;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  if (n >= 8 && (((uintptr_t)x ^ (uintptr_t)y) & 3) == 0) {
    while ((uintptr_t)x & 3) {
      if (*x != *y) return (int)*x - (int)*y;
      x++, y++, n--;
    }
    while (n >= 4 && *(const u32_alias *)x == *(const u32_alias *)y) {
      x += 4, y += 4, n -= 4;
    }
  }
  for (; n; n--, x++, y++) {
    if (*x != *y) return (int)*x - (int)*y;
  }
  return 0;
}

size_t strlen(const char *s) {
  const char *p = s;
  while (*p) p++;
  return (size_t)(p - s);
}

/* ------------------------------------------------------------------------------------------ */
/* Reporting. */

void sdk_console_puts(const char *s) {
  sdk_host_control_bytes(PALM_HOST_CONSOLE_WRITE, s, strlen(s));
}

void sdk_fatal(const char *msg) {
  sdk_host_control_bytes(PALM_HOST_GUEST_PANIC, msg, strlen(msg));
  for (;;) __asm__ __volatile__("illegal");
}

void abort(void) {
  sdk_fatal("abort() called in the guest C runtime");
}

void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func) {
  static char buf[200];
  char *p = buf, *end = buf + sizeof buf - 1;
  const char *parts[] = {"C assertion failed: ", expr, " (", file, ", ", func, ")"};
  (void)line;
  for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++)
    for (const char *s = parts[i]; *s && p < end; s++) *p++ = *s;
  *p = 0;
  sdk_fatal(buf);
}

/* ------------------------------------------------------------------------------------------ */
/* wasm2c runtime. */

#if WASM_RT_USE_STACK_DEPTH_COUNT
uint32_t wasm_rt_call_stack_depth;
uint32_t wasm_rt_saved_call_stack_depth;
#endif

static uint8_t rt_pool[SDK_RT_POOL_SIZE] __attribute__((aligned(4)));
static uint32_t rt_pool_used;

static void *rt_alloc(uint32_t n) {
  n = (n + 3) & ~3u;
  if (n > SDK_RT_POOL_SIZE - rt_pool_used)
    sdk_fatal("wasm2c runtime pool exhausted (raise SDK_RT_POOL_SIZE)");
  void *p = rt_pool + rt_pool_used;
  rt_pool_used += n;
  memset(p, 0, n);
  return p;
}

void wasm_rt_init(void) {}

bool wasm_rt_is_initialized(void) {
  return true;
}

void wasm_rt_free(void) {}

void wasm_rt_trap(wasm_rt_trap_t code) {
  sdk_host_control_value(PALM_HOST_WASM_TRAP, (uint32_t)code);
  for (;;) __asm__ __volatile__("illegal");
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
  (void)trap;
  return "wasm trap";
}

/* Function types: each signature is stored once as [params, results, types...]. */
#define MAX_FUNC_TYPES 256
static const uint8_t *func_types[MAX_FUNC_TYPES];
static uint32_t func_type_count;

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  uint32_t n = params + results;
  if (n > 250) sdk_fatal("wasm function type with too many parameters");
  uint8_t sig[252];
  sig[0] = (uint8_t)params;
  sig[1] = (uint8_t)results;
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < n; i++) sig[2 + i] = (uint8_t)va_arg(ap, int);
  va_end(ap);
  for (uint32_t i = 0; i < func_type_count; i++)
    if (memcmp(func_types[i], sig, n + 2) == 0) return i + 1;
  if (func_type_count == MAX_FUNC_TYPES) sdk_fatal("too many wasm function types");
  uint8_t *copy = rt_alloc(n + 2);
  memcpy(copy, sig, n + 2);
  func_types[func_type_count++] = copy;
  return func_type_count;
}

/* Linear memory: one per program, in the RAM arena (see the top of this file). */
static bool memory_allocated;

static uint32_t arena_pages(void) {
  return (uint32_t)(SDK_ARENA_END - SDK_ARENA_START) / WASM_PAGE;
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *mem, uint32_t initial_pages, uint32_t max_pages) {
  if (memory_allocated) sdk_fatal("wasm module has more than one linear memory");
  memory_allocated = true;
  uint32_t cap = arena_pages();
  if (initial_pages == 0) /* program.c's SDK_MEMCHECK relies on size >= 8 */
    sdk_fatal("wasm linear memory without initial pages");
  if (initial_pages > cap)
    sdk_fatal("wasm linear memory: initial size exceeds the RAM arena (see docs/guest-toolchain.md)");
  mem->pages = initial_pages;
  mem->max_pages = max_pages < cap ? max_pages : cap;
  mem->size = initial_pages * WASM_PAGE;
#if WABT_BIG_ENDIAN
  mem->data = SDK_ARENA_END - mem->size;
#else
  mem->data = SDK_ARENA_START;
#endif
  memset(mem->data, 0, mem->size);
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *mem, uint32_t delta) {
  uint32_t old_pages = mem->pages;
  uint32_t new_pages = old_pages + delta;
  if (new_pages < old_pages || new_pages > mem->max_pages) return (uint32_t)-1;
  uint32_t old_size = mem->size;
  uint32_t new_size = new_pages * WASM_PAGE;
#if WABT_BIG_ENDIAN
  mem->data = SDK_ARENA_END - new_size;
  memset(mem->data, 0, new_size - old_size);
#else
  memset(mem->data + old_size, 0, new_size - old_size);
#endif
  mem->pages = new_pages;
  mem->size = new_size;
  return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t *mem) {
  (void)mem;
  memory_allocated = false;
}

/* Tables come from the runtime pool; growing copies into a new block (rare). */
#define DEFINE_TABLE_OPS(type)                                                               \
  void wasm_rt_allocate_##type##_table(wasm_rt_##type##_table_t *table, uint32_t elements,   \
                                       uint32_t max_elements) {                              \
    table->size = elements;                                                                  \
    table->max_size = max_elements;                                                          \
    table->data = rt_alloc(elements * sizeof(wasm_rt_##type##_t));                           \
  }                                                                                          \
  void wasm_rt_free_##type##_table(wasm_rt_##type##_table_t *table) {                        \
    (void)table;                                                                             \
  }                                                                                          \
  uint32_t wasm_rt_grow_##type##_table(wasm_rt_##type##_table_t *table, uint32_t delta,      \
                                       wasm_rt_##type##_t init) {                            \
    uint32_t old_elems = table->size;                                                        \
    uint32_t new_elems = old_elems + delta;                                                  \
    if (delta == 0) return old_elems;                                                        \
    if (new_elems < old_elems || new_elems > table->max_size) return (uint32_t)-1;           \
    wasm_rt_##type##_t *data = rt_alloc(new_elems * sizeof(wasm_rt_##type##_t));             \
    memcpy(data, table->data, old_elems * sizeof(wasm_rt_##type##_t));                       \
    for (uint32_t i = old_elems; i < new_elems; i++) data[i] = init;                         \
    table->data = data;                                                                      \
    table->size = new_elems;                                                                 \
    return old_elems;                                                                        \
  }

DEFINE_TABLE_OPS(funcref)
DEFINE_TABLE_OPS(externref)
