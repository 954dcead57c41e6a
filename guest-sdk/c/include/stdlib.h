/* Freestanding <stdlib.h> for the guest runtime: no malloc (the wasm2c runtime allocates
 * from static pools); abort() reports a guest panic. */
#ifndef SDK_STDLIB_H
#define SDK_STDLIB_H
#include <stddef.h>
void abort(void) __attribute__((noreturn));
#endif
