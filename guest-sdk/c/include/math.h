/* Freestanding <math.h> for wasm2c output. Floating point is IEEE soft-float (-msoft-float,
 * libgcc's routines plus the replacements in softfloat.c); the functions below are
 * implemented in softfloat.c with integer operations. */
#ifndef SDK_MATH_H
#define SDK_MATH_H
#define NAN (__builtin_nanf(""))
#define INFINITY (__builtin_inff())
#define isnan(x) __builtin_isnan(x)
#define signbit(x) __builtin_signbit(x)
double floor(double x);
float floorf(float x);
double ceil(double x);
float ceilf(float x);
double trunc(double x);
float truncf(float x);
double nearbyint(double x);
float nearbyintf(float x);
double fabs(double x);
float fabsf(float x);
double copysign(double x, double y);
float copysignf(float x, float y);
double sqrt(double x);
float sqrtf(float x);
#endif
