/* Freestanding <setjmp.h>: wasm-rt.h names jmp_buf in prototypes only. Nothing in the guest
 * runtime uses setjmp/longjmp (wasm traps stop the run; wasm exceptions are not enabled). */
#ifndef SDK_SETJMP_H
#define SDK_SETJMP_H
typedef long jmp_buf[16];
int setjmp(jmp_buf env);
void longjmp(jmp_buf env, int val) __attribute__((noreturn));
#endif
