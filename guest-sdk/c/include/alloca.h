/* Freestanding <alloca.h>. */
#ifndef SDK_ALLOCA_H
#define SDK_ALLOCA_H
#define alloca(n) __builtin_alloca(n)
#endif
