/* IEEE-754 helpers for the soft-float (-msoft-float) guest, in integer C.
 *
 * 1. Replacements for the libgcc routines that Debian's m68k libgcc compiled for the 68881
 *    (fpgnulib.o, _floatdidf.o, _fixunsdfsi.o, ...): with -msoft-float GCC calls them but expects
 *    results in D0/D1, while those builds return them in FP0 (and use FPU instructions). Every
 *    symbol of fpgnulib.o is defined here, so that object is never linked; the build's F-line
 *    check enforces it. Arithmetic and comparisons (__adddf3, __cmpdf2, ...) come from libgcc's
 *    lb1sf68 objects, which are integer code.
 * 2. The <math.h> functions wasm2c's output references (floor, ceil, trunc, nearbyint, fabs,
 *    copysign, sqrt and their float versions).
 *
 * Semantics: round to nearest, ties to even; conversions to integers truncate toward zero and
 * saturate (NaN -> 0) -- wasm2c range-checks before converting, so only in-range values reach
 * them from wasm code; NaN results are quiet with the payload kept, as x86 SSE does (the native
 * oracle). This file is pure C99: c/tests/softfloat_test.c compiles it for the host and compares
 * it with the host's hardware results (guest-sdk/tests/softfloat.rs runs that). */

#include <stdint.h>

typedef union {
  double f;
  uint64_t u;
} sf_d64;
typedef union {
  float f;
  uint32_t u;
} sf_f32;

#define D_SIGN 0x8000000000000000ull
#define D_EXP 0x7FF0000000000000ull
#define D_FRAC 0x000FFFFFFFFFFFFFull
#define D_QUIET 0x0008000000000000ull
#define F_SIGN 0x80000000u
#define F_EXP 0x7F800000u
#define F_FRAC 0x007FFFFFu
#define F_QUIET 0x00400000u

static inline uint64_t dbits(double x) {
  sf_d64 v;
  v.f = x;
  return v.u;
}
static inline double dfrom(uint64_t u) {
  sf_d64 v;
  v.u = u;
  return v.f;
}
static inline uint32_t fbits(float x) {
  sf_f32 v;
  v.f = x;
  return v.u;
}
static inline float ffrom(uint32_t u) {
  sf_f32 v;
  v.u = u;
  return v.f;
}

static inline int msb64(uint64_t x) { /* index of the highest set bit; x != 0 */
  int n = 0;
  if (x >> 32) n += 32, x >>= 32;
  if (x >> 16) n += 16, x >>= 16;
  if (x >> 8) n += 8, x >>= 8;
  if (x >> 4) n += 4, x >>= 4;
  if (x >> 2) n += 2, x >>= 2;
  if (x >> 1) n += 1;
  return n;
}

/* Rounds m (> 0) to `bits` significant bits, nearest-even; returns the mantissa (with its
 * leading bit) and stores the unbiased exponent of the leading bit in *e. */
static inline uint64_t round_mag(uint64_t m, int bits, int *e) {
  int p = msb64(m);
  *e = p;
  if (p < bits) return m << (bits - 1 - p);
  int sh = p - (bits - 1);
  uint64_t q = m >> sh;
  if (sh > 0) {
    uint64_t rem = m & ((1ull << sh) - 1), half = 1ull << (sh - 1);
    if (rem > half || (rem == half && (q & 1))) {
      q++;
      if (q >> bits) {
        q >>= 1;
        (*e)++;
      }
    }
  }
  return q;
}

static double u64_to_f64(uint64_t m, int neg) {
  if (m == 0) return dfrom(0);
  int e;
  uint64_t q = round_mag(m, 53, &e);
  return dfrom(((uint64_t)neg << 63) | ((uint64_t)(e + 1023) << 52) | (q & D_FRAC));
}

static float u64_to_f32(uint64_t m, int neg) {
  if (m == 0) return ffrom(0);
  int e;
  uint64_t q = round_mag(m, 24, &e);
  return ffrom(((uint32_t)neg << 31) | ((uint32_t)(e + 127) << 23) | ((uint32_t)q & F_FRAC));
}

double __floatsidf(int32_t i) { return i < 0 ? u64_to_f64(-(uint64_t)(int64_t)i, 1) : u64_to_f64((uint64_t)i, 0); }
double __floatunsidf(uint32_t u) { return u64_to_f64(u, 0); }
double __floatdidf(int64_t i) { return i < 0 ? u64_to_f64(-(uint64_t)i, 1) : u64_to_f64((uint64_t)i, 0); }
double __floatundidf(uint64_t u) { return u64_to_f64(u, 0); }
float __floatsisf(int32_t i) { return i < 0 ? u64_to_f32(-(uint64_t)(int64_t)i, 1) : u64_to_f32((uint64_t)i, 0); }
float __floatunsisf(uint32_t u) { return u64_to_f32(u, 0); }
float __floatdisf(int64_t i) { return i < 0 ? u64_to_f32(-(uint64_t)i, 1) : u64_to_f32((uint64_t)i, 0); }
float __floatundisf(uint64_t u) { return u64_to_f32(u, 0); }

/* Magnitude of a finite value truncated toward zero. *big is set for NaN, infinities and
 * magnitudes >= 2^64; *nan for NaN. exp_bits/frac_bits describe the format. */
static uint64_t trunc_mag(uint64_t b, int frac_bits, int bias, int exp_max, int *big, int *nan) {
  int exp = (int)(b >> frac_bits) & exp_max;
  uint64_t frac = b & ((1ull << frac_bits) - 1);
  *big = 0;
  *nan = 0;
  if (exp == exp_max) {
    *big = 1;
    *nan = frac != 0;
    return 0;
  }
  int e = exp - bias;
  if (e < 0) return 0;
  if (e >= 64) {
    *big = 1;
    return 0;
  }
  uint64_t m = frac | (1ull << frac_bits);
  return e >= frac_bits ? m << (e - frac_bits) : m >> (frac_bits - e);
}

static int32_t to_i32(uint64_t mag, int neg, int big, int nan) {
  if (nan) return 0;
  if (neg) return (big || mag > 0x80000000ull) ? INT32_MIN : (int32_t)(0 - mag);
  return (big || mag > 0x7FFFFFFFull) ? INT32_MAX : (int32_t)mag;
}
static uint32_t to_u32(uint64_t mag, int neg, int big, int nan) {
  if (nan || neg) return 0;
  return (big || mag > 0xFFFFFFFFull) ? UINT32_MAX : (uint32_t)mag;
}
static int64_t to_i64(uint64_t mag, int neg, int big, int nan) {
  if (nan) return 0;
  if (neg) return (big || mag > 0x8000000000000000ull) ? INT64_MIN : (int64_t)(0 - mag);
  return (big || mag > 0x7FFFFFFFFFFFFFFFull) ? INT64_MAX : (int64_t)mag;
}
static uint64_t to_u64(uint64_t mag, int neg, int big, int nan) {
  if (nan || neg) return 0;
  return big ? UINT64_MAX : mag;
}

#define DEFINE_FIX(name, ftype, rtype, conv, bitsfn, fb, bias, emax, signbit) \
  rtype name(ftype x) {                                                         \
    uint64_t b = bitsfn(x);                                                     \
    int big, nan;                                                               \
    uint64_t mag = trunc_mag(b, fb, bias, emax, &big, &nan);                    \
    return conv(mag, (int)((b >> (signbit)) & 1), big, nan);                    \
  }
DEFINE_FIX(__fixdfsi, double, int32_t, to_i32, dbits, 52, 1023, 0x7FF, 63)
DEFINE_FIX(__fixunsdfsi, double, uint32_t, to_u32, dbits, 52, 1023, 0x7FF, 63)
DEFINE_FIX(__fixdfdi, double, int64_t, to_i64, dbits, 52, 1023, 0x7FF, 63)
DEFINE_FIX(__fixunsdfdi, double, uint64_t, to_u64, dbits, 52, 1023, 0x7FF, 63)
DEFINE_FIX(__fixsfsi, float, int32_t, to_i32, fbits, 23, 127, 0xFF, 31)
DEFINE_FIX(__fixunssfsi, float, uint32_t, to_u32, fbits, 23, 127, 0xFF, 31)
DEFINE_FIX(__fixsfdi, float, int64_t, to_i64, fbits, 23, 127, 0xFF, 31)
DEFINE_FIX(__fixunssfdi, float, uint64_t, to_u64, fbits, 23, 127, 0xFF, 31)

double __extendsfdf2(float f) {
  uint32_t b = fbits(f);
  uint64_t sign = (uint64_t)(b >> 31) << 63;
  uint32_t exp = (b >> 23) & 0xFF, frac = b & F_FRAC;
  if (exp == 0xFF) /* infinity, or NaN made quiet with its payload kept */
    return dfrom(sign | D_EXP | ((uint64_t)frac << 29) | (frac ? D_QUIET : 0));
  if (exp == 0) {
    if (frac == 0) return dfrom(sign);
    int p = msb64(frac); /* denormal: value = frac * 2^-149 */
    return dfrom(sign | ((uint64_t)(p - 149 + 1023) << 52) | ((uint64_t)(frac ^ (1u << p)) << (52 - p)));
  }
  return dfrom(sign | ((uint64_t)(exp - 127 + 1023) << 52) | ((uint64_t)frac << 29));
}

float __truncdfsf2(double d) {
  uint64_t b = dbits(d);
  uint32_t sign = (uint32_t)(b >> 63) << 31;
  int exp = (int)(b >> 52) & 0x7FF;
  uint64_t frac = b & D_FRAC;
  if (exp == 0x7FF) return ffrom(sign | F_EXP | (frac ? F_QUIET | (uint32_t)(frac >> 29) : 0));
  if (exp == 0) return ffrom(sign); /* double denormals are far below float's range */
  int e = exp - 1023;
  if (e > 127) return ffrom(sign | F_EXP);
  uint64_t m = frac | (1ull << 52);
  int shift;
  uint32_t biased;
  if (e >= -126) {
    shift = 29;
    biased = (uint32_t)(e + 127);
  } else {
    shift = 29 + (-126 - e);
    biased = 0;
    if (shift > 54) return ffrom(sign);
  }
  uint64_t q = m >> shift;
  uint64_t rem = m & ((1ull << shift) - 1), half = 1ull << (shift - 1);
  if (rem > half || (rem == half && (q & 1))) q++;
  if (biased == 0) return ffrom(sign | (uint32_t)q); /* denormal (or rounded up to the least normal) */
  if (q >> 24) {
    q >>= 1;
    biased++;
  }
  if (biased >= 255) return ffrom(sign | F_EXP);
  return ffrom(sign | (biased << 23) | ((uint32_t)q & F_FRAC));
}

int __unorddf2(double a, double b) {
  return (dbits(a) & ~D_SIGN) > D_EXP || (dbits(b) & ~D_SIGN) > D_EXP;
}
int __unordsf2(float a, float b) {
  return (fbits(a) & ~F_SIGN) > F_EXP || (fbits(b) & ~F_SIGN) > F_EXP;
}

/* ---------------------------------------------------------------------------------------- */
/* Arithmetic and comparisons. libgcc's lb1sf68 versions are not IEEE-exact (off-by-one-ulp
 * products and quotients, x - x = -0, wrong signs of denormal results: found by the self-test),
 * so every symbol GCC calls for -msoft-float arithmetic is defined here and lb1sf68 is never
 * linked. Generic over the format through these parameters:
 *   P     fraction bits (52 / 23), BIAS (1023 / 127), EMAX all-ones exponent (0x7FF / 0xFF).
 * Working mantissas are uint64_t with the leading (implicit) bit at position P + 3: three extra
 * bits (guard, round, sticky) below the result's last bit. NaN results: the first NaN operand,
 * quieted; invalid operations give the default quiet NaN (positive). */

static inline uint64_t shr_sticky(uint64_t m, int n) {
  if (n <= 0) return m;
  if (n >= 64) return m != 0;
  return (m >> n) | ((m & ((1ull << n) - 1)) != 0);
}

/* Rounds and packs sign | exponent | mantissa. m has its leading bit at position P+3 (or is
 * smaller, for results whose exponent e is at the minimum), e is the biased exponent of that
 * leading bit. */
#define DEFINE_ROUND_PACK(sfx, utype, P, EMAX)                                                   \
  static utype round_pack_##sfx(utype sign, int e, uint64_t m) {                               \
    if (e <= 0) { /* denormal: exponent field 0 holds 2^(1-BIAS) */                             \
      m = shr_sticky(m, 1 - e);                                                                \
      e = 0;                                                                                   \
    }                                                                                          \
    unsigned rb = (unsigned)(m & 7);                                                           \
    m >>= 3;                                                                                   \
    if (rb > 4 || (rb == 4 && (m & 1))) m++;                                                   \
    if (e == 0) /* m may have rounded up to 2^P: that is the least normal, as packed */        \
      return sign | (utype)m;                                                                  \
    if (m >> (P + 1)) {                                                                        \
      m >>= 1;                                                                                 \
      e++;                                                                                     \
    }                                                                                          \
    if (e >= EMAX) return sign | ((utype)EMAX << P);                                           \
    return sign | ((utype)e << P) | ((utype)m & (((utype)1 << P) - 1));                        \
  }
DEFINE_ROUND_PACK(d, uint64_t, 52, 0x7FF)
DEFINE_ROUND_PACK(f, uint32_t, 23, 0xFF)

/* Unpacked finite non-zero value: mantissa with the leading bit at P (denormals normalised, so
 * the exponent may drop below 1). */
#define DEFINE_UNPACK(sfx, utype, P)                                                           \
  static inline uint64_t unpack_##sfx(utype b, int *e) {                                       \
    int exp = (int)((b >> P) & ((1u << (sizeof(utype) * 8 - 1 - P)) - 1));                    \
    uint64_t m = (uint64_t)(b & (((utype)1 << P) - 1));                                        \
    if (exp == 0) {                                                                            \
      int p = msb64(m);                                                                        \
      *e = 1 - (P - p);                                                                        \
      return m << (P - p);                                                                     \
    }                                                                                          \
    *e = exp;                                                                                  \
    return m | ((uint64_t)1 << P);                                                             \
  }
DEFINE_UNPACK(d, uint64_t, 52)
DEFINE_UNPACK(f, uint32_t, 23)

#define DEFINE_ARITH(sfx, ftype, utype, bitsfn, fromfn, P, BIAS, EMAX, SIGN, QNAN)              \
  static inline int isnan_##sfx(utype b) { return (b & ~SIGN) > ((utype)EMAX << P); }           \
  static inline int isinf_##sfx(utype b) { return (b & ~SIGN) == ((utype)EMAX << P); }          \
  static inline utype nan_of_##sfx(utype a, utype b) {                                         \
    return (isnan_##sfx(a) ? a : b) | ((utype)1 << (P - 1));                                   \
  }                                                                                            \
  static utype add_##sfx(utype a, utype b) { /* a + b */                                       \
    if (isnan_##sfx(a) || isnan_##sfx(b)) return nan_of_##sfx(a, b);                          \
    utype sa = a & SIGN, sb = b & SIGN;                                                        \
    if (isinf_##sfx(a)) return (isinf_##sfx(b) && sa != sb) ? (utype)QNAN : a;                 \
    if (isinf_##sfx(b)) return b;                                                              \
    if ((a & ~SIGN) == 0) return (b & ~SIGN) == 0 ? (sa & sb) : b;                             \
    if ((b & ~SIGN) == 0) return a;                                                            \
    int ea, eb;                                                                                \
    uint64_t ma = unpack_##sfx(a, &ea) << 3, mb = unpack_##sfx(b, &eb) << 3;                   \
    if (eb > ea || (eb == ea && mb > ma)) { /* make |a| >= |b| */                              \
      uint64_t tm = ma; ma = mb; mb = tm;                                                      \
      int te = ea; ea = eb; eb = te;                                                           \
      utype ts = sa; sa = sb; sb = ts;                                                         \
    }                                                                                          \
    mb = shr_sticky(mb, ea - eb);                                                              \
    uint64_t m;                                                                                \
    if (sa == sb) {                                                                            \
      m = ma + mb;                                                                             \
      if (m >> (P + 4)) {                                                                      \
        m = shr_sticky(m, 1);                                                                  \
        ea++;                                                                                  \
      }                                                                                        \
    } else {                                                                                   \
      m = ma - mb;                                                                             \
      if (m == 0) return 0; /* exact cancellation: +0 when rounding to nearest */              \
      while (!(m >> (P + 3))) {                                                                \
        m <<= 1;                                                                               \
        ea--;                                                                                  \
      }                                                                                        \
    }                                                                                          \
    return round_pack_##sfx(sa, ea, m);                                                        \
  }                                                                                            \
  static utype mul_##sfx(utype a, utype b) {                                                   \
    utype sign = (a ^ b) & SIGN;                                                               \
    if (isnan_##sfx(a) || isnan_##sfx(b)) return nan_of_##sfx(a, b);                          \
    int za = (a & ~SIGN) == 0, zb = (b & ~SIGN) == 0;                                          \
    if (isinf_##sfx(a) || isinf_##sfx(b))                                                      \
      return (za || zb) ? (utype)QNAN : (sign | ((utype)EMAX << P));                           \
    if (za || zb) return sign;                                                                 \
    int ea, eb;                                                                                \
    uint64_t ma = unpack_##sfx(a, &ea), mb = unpack_##sfx(b, &eb);                             \
    /* 128-bit product of two (P+1)-bit mantissas, from 32-bit halves */                       \
    uint64_t al = ma & 0xFFFFFFFFu, ah = ma >> 32, bl = mb & 0xFFFFFFFFu, bh = mb >> 32;       \
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;                           \
    uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);                       \
    uint64_t lo = (mid << 32) | (ll & 0xFFFFFFFFu);                                            \
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);                                  \
    /* product in [2^(2P), 2^(2P+2)): bring the leading bit to P+3 or P+4, keep a sticky bit */ \
    int e = ea + eb - BIAS;                                                                    \
    int sh = 2 * P - (P + 3); /* = P - 3 */                                                    \
    uint64_t m;                                                                                \
    if (sh >= 64) m = 0; /* not reached for these formats */                                   \
    else if (sh == 0) m = lo;                                                                  \
    else m = (lo >> sh) | (hi << (64 - sh)) | ((lo & ((1ull << sh) - 1)) != 0);                \
    if (m >> (P + 4)) {                                                                        \
      m = shr_sticky(m, 1);                                                                    \
      e++;                                                                                     \
    }                                                                                          \
    return round_pack_##sfx(sign, e, m);                                                       \
  }                                                                                            \
  static utype div_##sfx(utype a, utype b) {                                                   \
    utype sign = (a ^ b) & SIGN;                                                               \
    if (isnan_##sfx(a) || isnan_##sfx(b)) return nan_of_##sfx(a, b);                          \
    int za = (a & ~SIGN) == 0, zb = (b & ~SIGN) == 0;                                          \
    if (isinf_##sfx(a)) return isinf_##sfx(b) ? (utype)QNAN : (sign | ((utype)EMAX << P));     \
    if (isinf_##sfx(b)) return sign;                                                           \
    if (zb) return za ? (utype)QNAN : (sign | ((utype)EMAX << P));                             \
    if (za) return sign;                                                                       \
    int ea, eb;                                                                                \
    uint64_t ma = unpack_##sfx(a, &ea), mb = unpack_##sfx(b, &eb);                             \
    int e = ea - eb + BIAS;                                                                    \
    if (ma < mb) {                                                                             \
      ma <<= 1;                                                                                \
      e--;                                                                                     \
    }                                                                                          \
    /* ma/mb in [1, 2): P+4 quotient bits by restoring division, then a sticky bit */          \
    uint64_t q = 0, r = ma;                                                                    \
    for (int i = 0; i < P + 4; i++) {                                                          \
      q <<= 1;                                                                                 \
      if (r >= mb) {                                                                           \
        r -= mb;                                                                               \
        q |= 1;                                                                                \
      }                                                                                        \
      r <<= 1;                                                                                 \
    }                                                                                          \
    q |= (r != 0);                                                                             \
    return round_pack_##sfx(sign, e, q);                                                       \
  }                                                                                            \
  /* -1 less, 0 equal, 1 greater, 2 unordered */                                               \
  static int cmp_##sfx(utype a, utype b) {                                                     \
    if (isnan_##sfx(a) || isnan_##sfx(b)) return 2;                                           \
    if (((a | b) & ~SIGN) == 0) return 0; /* +0 == -0 */                                       \
    if ((a & SIGN) != (b & SIGN)) return (a & SIGN) ? -1 : 1;                                  \
    if (a == b) return 0;                                                                      \
    int lt = (a & SIGN) ? (a > b) : (a < b);                                                   \
    return lt ? -1 : 1;                                                                        \
  }

#define QNAN_D 0x7FF8000000000000ull
#define QNAN_F 0x7FC00000u
DEFINE_ARITH(d, double, uint64_t, dbits, dfrom, 52, 1023, 0x7FF, D_SIGN, QNAN_D)
DEFINE_ARITH(f, float, uint32_t, fbits, ffrom, 23, 127, 0xFF, F_SIGN, QNAN_F)

double __adddf3(double a, double b) { return dfrom(add_d(dbits(a), dbits(b))); }
double __subdf3(double a, double b) { return dfrom(add_d(dbits(a), dbits(b) ^ D_SIGN)); }
double __muldf3(double a, double b) { return dfrom(mul_d(dbits(a), dbits(b))); }
double __divdf3(double a, double b) { return dfrom(div_d(dbits(a), dbits(b))); }
double __negdf2(double a) { return dfrom(dbits(a) ^ D_SIGN); }
float __addsf3(float a, float b) { return ffrom(add_f(fbits(a), fbits(b))); }
float __subsf3(float a, float b) { return ffrom(add_f(fbits(a), fbits(b) ^ F_SIGN)); }
float __mulsf3(float a, float b) { return ffrom(mul_f(fbits(a), fbits(b))); }
float __divsf3(float a, float b) { return ffrom(div_f(fbits(a), fbits(b))); }
float __negsf2(float a) { return ffrom(fbits(a) ^ F_SIGN); }

/* libgcc comparison conventions: the result's relation to 0 is the answer; unordered operands
 * give the value that makes the tested relation false. */
#define DEFINE_CMPS(sym, sfx, ftype, bitsfn)                                                   \
  int __eq##sym##f2(ftype a, ftype b) { return cmp_##sfx(bitsfn(a), bitsfn(b)) != 0; }          \
  int __ne##sym##f2(ftype a, ftype b) { return cmp_##sfx(bitsfn(a), bitsfn(b)) != 0; }          \
  int __lt##sym##f2(ftype a, ftype b) { int c = cmp_##sfx(bitsfn(a), bitsfn(b)); return c == 2 ? 1 : c; } \
  int __le##sym##f2(ftype a, ftype b) { int c = cmp_##sfx(bitsfn(a), bitsfn(b)); return c == 2 ? 1 : c; } \
  int __gt##sym##f2(ftype a, ftype b) { int c = cmp_##sfx(bitsfn(a), bitsfn(b)); return c == 2 ? -1 : c; } \
  int __ge##sym##f2(ftype a, ftype b) { int c = cmp_##sfx(bitsfn(a), bitsfn(b)); return c == 2 ? -1 : c; } \
  int __cmp##sym##f2(ftype a, ftype b) { int c = cmp_##sfx(bitsfn(a), bitsfn(b)); return c == 2 ? 1 : c; }
DEFINE_CMPS(d, d, double, dbits)
DEFINE_CMPS(s, f, float, fbits)

/* ---------------------------------------------------------------------------------------- */
/* <math.h>. Generic over the format: P = fraction bits, EMAX = all-ones exponent. */

#define DEFINE_ROUNDING(sfx, ftype, utype, bitsfn, fromfn, P, BIAS, SIGN)                    \
  static inline ftype round_##sfx(ftype x, int mode) { /* 0 trunc, 1 floor, 2 ceil, 3 even */ \
    utype b = bitsfn(x);                                                                     \
    int e = (int)((b >> P) & ((1u << (sizeof(utype) * 8 - 1 - P)) - 1)) - BIAS;             \
    utype sign = b & SIGN, mag = b & ~SIGN;                                                  \
    if (e >= P) return x; /* integral already, infinite or NaN */                           \
    if (mag == 0) return x;                                                                  \
    utype one = (utype)BIAS << P; /* bits of 1.0 */                                          \
    if (e < 0) {                                                                             \
      int up;                                                                                \
      switch (mode) {                                                                        \
        case 1: up = sign != 0; break;                                                       \
        case 2: up = sign == 0; break;                                                       \
        case 3: up = e == -1 && mag > ((utype)(BIAS - 1) << P); break; /* > 0.5 */           \
        default: up = 0;                                                                     \
      }                                                                                      \
      return fromfn(sign | (up ? one : 0));                                                  \
    }                                                                                        \
    utype unit = ((utype)1 << P) >> e, mask = unit - 1, fracpart = b & mask;                 \
    if (fracpart == 0) return x;                                                             \
    b &= ~mask;                                                                              \
    int up;                                                                                  \
    switch (mode) {                                                                          \
      case 1: up = sign != 0; break;                                                         \
      case 2: up = sign == 0; break;                                                         \
      case 3: {                                                                              \
        utype half = unit >> 1;                                                              \
        up = fracpart > half || (fracpart == half && (b & unit));                            \
        break;                                                                               \
      }                                                                                      \
      default: up = 0;                                                                       \
    }                                                                                        \
    if (up) b += unit; /* carries into the exponent when needed */                           \
    return fromfn(b);                                                                        \
  }

DEFINE_ROUNDING(d, double, uint64_t, dbits, dfrom, 52, 1023, D_SIGN)
DEFINE_ROUNDING(f, float, uint32_t, fbits, ffrom, 23, 127, F_SIGN)

double trunc(double x) { return round_d(x, 0); }
double floor(double x) { return round_d(x, 1); }
double ceil(double x) { return round_d(x, 2); }
double nearbyint(double x) { return round_d(x, 3); }
float truncf(float x) { return round_f(x, 0); }
float floorf(float x) { return round_f(x, 1); }
float ceilf(float x) { return round_f(x, 2); }
float nearbyintf(float x) { return round_f(x, 3); }
double fabs(double x) { return dfrom(dbits(x) & ~D_SIGN); }
float fabsf(float x) { return ffrom(fbits(x) & ~F_SIGN); }
double copysign(double x, double y) { return dfrom((dbits(x) & ~D_SIGN) | (dbits(y) & D_SIGN)); }
float copysignf(float x, float y) { return ffrom((fbits(x) & ~F_SIGN) | (fbits(y) & F_SIGN)); }

/* floor(sqrt(m << shift)) by the bit-by-bit method, for m << shift < 2^(2*iters). */
static uint64_t isqrt_shifted(uint64_t m, int shift, int iters) {
  uint64_t q = 0, r = 0;
  for (int i = iters - 1; i >= 0; i--) {
    int pos = 2 * i;
    uint64_t pair;
    if (pos >= shift)
      pair = (m >> (pos - shift)) & 3;
    else if (pos + 1 == shift)
      pair = (m & 1) << 1;
    else
      pair = 0;
    r = (r << 2) | pair;
    uint64_t t = (q << 2) | 1;
    if (r >= t) {
      r -= t;
      q = (q << 1) | 1;
    } else {
      q <<= 1;
    }
  }
  return q;
}

/* Correctly rounded square root. With m in [2^P, 2^(P+2)) and an even exponent e,
 * Q = floor(sqrt(m << (P+2))) has P+1 bits plus one guard bit; exact ties cannot occur. */
#define DEFINE_SQRT(name, ftype, utype, bitsfn, fromfn, P, BIAS, EMAX, SIGN, QNAN)           \
  ftype name(ftype x) {                                                                      \
    utype b = bitsfn(x);                                                                     \
    int exp = (int)((b >> P) & EMAX);                                                        \
    utype frac = b & (((utype)1 << P) - 1);                                                  \
    if (exp == EMAX) {                                                                       \
      if (frac) return fromfn(b | ((utype)1 << (P - 1))); /* NaN: quiet */                   \
      if (b & SIGN) return fromfn(QNAN);                  /* sqrt(-inf) */                   \
      return x;                                                                              \
    }                                                                                        \
    if ((b & ~SIGN) == 0) return x; /* +-0 */                                                \
    if (b & SIGN) return fromfn(QNAN);                                                       \
    uint64_t m;                                                                              \
    int e;                                                                                   \
    if (exp == 0) { /* denormal: normalise */                                                \
      int p = msb64(frac);                                                                   \
      m = (uint64_t)frac << (P - p);                                                         \
      e = 1 - BIAS - (P - p);                                                                \
    } else {                                                                                 \
      m = (uint64_t)frac | ((uint64_t)1 << P);                                               \
      e = exp - BIAS;                                                                        \
    }                                                                                        \
    if (e & 1) {                                                                             \
      m <<= 1;                                                                               \
      e -= 1;                                                                                \
    }                                                                                        \
    uint64_t qq = isqrt_shifted(m, P + 2, P + 2);                                            \
    uint64_t q = (qq >> 1) + (qq & 1);                                                       \
    int re = e / 2;                                                                          \
    if (q >> (P + 1)) {                                                                      \
      q >>= 1;                                                                               \
      re++;                                                                                  \
    }                                                                                        \
    return fromfn(((utype)(re + BIAS) << P) | ((utype)q & (((utype)1 << P) - 1)));           \
  }

DEFINE_SQRT(sqrt, double, uint64_t, dbits, dfrom, 52, 1023, 0x7FF, D_SIGN, 0x7FF8000000000000ull)
DEFINE_SQRT(sqrtf, float, uint32_t, fbits, ffrom, 23, 127, 0xFF, F_SIGN, 0x7FC00000u)
