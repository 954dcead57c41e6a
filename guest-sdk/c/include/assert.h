/* Freestanding <assert.h> for the guest runtime: a failed assertion is reported to the host
 * as a guest panic (HostControl HOST_GUEST_PANIC). */
#ifndef SDK_ASSERT_H
#define SDK_ASSERT_H
void __assert_fail(const char *expr, const char *file, unsigned int line, const char *func)
    __attribute__((noreturn));
#ifdef NDEBUG
#define assert(x) ((void)0)
#else
#define assert(x) ((x) ? (void)0 : __assert_fail(#x, __FILE__, __LINE__, __func__))
#endif
#endif
