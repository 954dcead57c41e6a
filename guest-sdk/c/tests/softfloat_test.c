/* Host-side test of ../softfloat.c (compiled with softfloat_rename.h): every routine against the
 * host's hardware conversions and glibc's libm, on edge values and random bit patterns.
 * Prints a summary; exit status 1 on any mismatch. Run by guest-sdk/tests/softfloat.rs. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "softfloat_rename.h"
#undef trunc
#undef floor
#undef ceil
#undef nearbyint
#undef truncf
#undef floorf
#undef ceilf
#undef nearbyintf
#undef fabs
#undef fabsf
#undef sqrt
#undef sqrtf
#undef copysign
#undef copysignf

double sf_floatsidf(int32_t); double sf_floatunsidf(uint32_t); double sf_floatdidf(int64_t);
double sf_floatundidf(uint64_t); float sf_floatsisf(int32_t); float sf_floatunsisf(uint32_t);
float sf_floatdisf(int64_t); float sf_floatundisf(uint64_t);
int32_t sf_fixdfsi(double); uint32_t sf_fixunsdfsi(double); int64_t sf_fixdfdi(double);
uint64_t sf_fixunsdfdi(double); int32_t sf_fixsfsi(float); uint32_t sf_fixunssfsi(float);
int64_t sf_fixsfdi(float); uint64_t sf_fixunssfdi(float);
double sf_extendsfdf2(float); float sf_truncdfsf2(double);
double sf_adddf3(double, double); double sf_subdf3(double, double); double sf_muldf3(double, double);
double sf_divdf3(double, double); double sf_negdf2(double); float sf_addsf3(float, float);
float sf_subsf3(float, float); float sf_mulsf3(float, float); float sf_divsf3(float, float); float sf_negsf2(float);
int sf_eqdf2(double, double); int sf_nedf2(double, double); int sf_ltdf2(double, double); int sf_ledf2(double, double);
int sf_gtdf2(double, double); int sf_gedf2(double, double); int sf_cmpdf2(double, double);
int sf_eqsf2(float, float); int sf_nesf2(float, float); int sf_ltsf2(float, float); int sf_lesf2(float, float);
int sf_gtsf2(float, float); int sf_gesf2(float, float); int sf_cmpsf2(float, float);
int sf_unorddf2(double, double); int sf_unordsf2(float, float);
double sf_trunc(double); double sf_floor(double); double sf_ceil(double); double sf_nearbyint(double);
float sf_truncf(float); float sf_floorf(float); float sf_ceilf(float); float sf_nearbyintf(float);
double sf_fabs(double); float sf_fabsf(float); double sf_copysign(double, double); float sf_copysignf(float, float); double sf_sqrt(double); float sf_sqrtf(float);

static long checks, failures;
static uint64_t db(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static uint32_t fb(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static double dd(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }
static float ff(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

/* NaN results compare by "is NaN" (payload/sign of generated NaNs is not specified). */
static void check_d(const char *what, uint64_t in, double got, double want) {
  checks++;
  if (isnan(got) && isnan(want)) return;
  if (db(got) != db(want)) {
    if (failures++ < 20) printf("FAIL %s(%016llx): got %016llx want %016llx\n", what,
                                (unsigned long long)in, (unsigned long long)db(got), (unsigned long long)db(want));
  }
}
static void check_f(const char *what, uint64_t in, float got, float want) {
  checks++;
  if (isnan(got) && isnan(want)) return;
  if (fb(got) != fb(want)) {
    if (failures++ < 20) printf("FAIL %s(%016llx): got %08x want %08x\n", what, (unsigned long long)in, fb(got), fb(want));
  }
}
static void check_u(const char *what, uint64_t in, uint64_t got, uint64_t want) {
  checks++;
  if (got != want) {
    if (failures++ < 20) printf("FAIL %s(%016llx): got %llx want %llx\n", what, (unsigned long long)in,
                                (unsigned long long)got, (unsigned long long)want);
  }
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}

static void test_double(double x) {
  uint64_t b = db(x);
  check_d("trunc", b, sf_trunc(x), trunc(x));
  check_d("floor", b, sf_floor(x), floor(x));
  check_d("ceil", b, sf_ceil(x), ceil(x));
  check_d("nearbyint", b, sf_nearbyint(x), nearbyint(x));
  check_d("fabs", b, sf_fabs(x), fabs(x));
  check_d("copysign", b, sf_copysign(x, -2.0), copysign(x, -2.0));
  check_d("copysign+", b, sf_copysign(x, 0.0), copysign(x, 0.0));
  check_d("sqrt", b, sf_sqrt(x), sqrt(x));
  check_f("truncdfsf2", b, sf_truncdfsf2(x), (float)x);
  if (isnan(x)) {
    /* conversions keep the payload and set the quiet bit, like SSE */
    check_u("truncdfsf2 nan bits", b, fb(sf_truncdfsf2(x)), fb((float)x));
    check_u("unorddf2", b, sf_unorddf2(x, 1.0), 1);
  } else {
    check_u("unorddf2", b, sf_unorddf2(x, 1.0), 0);
    if (x > -2147483649.0 && x < 2147483648.0) check_u("fixdfsi", b, (uint32_t)sf_fixdfsi(x), (uint32_t)(int32_t)x);
    if (x > -1.0 && x < 4294967296.0) check_u("fixunsdfsi", b, sf_fixunsdfsi(x), (uint32_t)x);
    if (x >= -9223372036854775808.0 && x < 9223372036854775808.0) check_u("fixdfdi", b, (uint64_t)sf_fixdfdi(x), (uint64_t)(int64_t)x);
    if (x > -1.0 && x < 18446744073709551616.0) check_u("fixunsdfdi", b, sf_fixunsdfdi(x), (uint64_t)x);
  }
}

static void test_float(float x) {
  uint32_t b = fb(x);
  check_f("truncf", b, sf_truncf(x), truncf(x));
  check_f("floorf", b, sf_floorf(x), floorf(x));
  check_f("ceilf", b, sf_ceilf(x), ceilf(x));
  check_f("nearbyintf", b, sf_nearbyintf(x), nearbyintf(x));
  check_f("fabsf", b, sf_fabsf(x), fabsf(x));
  check_f("copysignf", b, sf_copysignf(x, -2.0f), copysignf(x, -2.0f));
  check_f("sqrtf", b, sf_sqrtf(x), sqrtf(x));
  check_d("extendsfdf2", b, sf_extendsfdf2(x), (double)x);
  if (isnan(x)) {
    check_u("extendsfdf2 nan bits", b, db(sf_extendsfdf2(x)), db((double)x));
    check_u("unordsf2", b, sf_unordsf2(1.0f, x), 1);
  } else {
    check_u("unordsf2", b, sf_unordsf2(1.0f, x), 0);
    if (x >= -2147483648.0f && x < 2147483648.0f) check_u("fixsfsi", b, (uint32_t)sf_fixsfsi(x), (uint32_t)(int32_t)x);
    if (x > -1.0f && x < 4294967296.0f) check_u("fixunssfsi", b, sf_fixunssfsi(x), (uint32_t)x);
    if (x >= -9223372036854775808.0f && x < 9223372036854775808.0f) check_u("fixsfdi", b, (uint64_t)sf_fixsfdi(x), (uint64_t)(int64_t)x);
    if (x > -1.0f && x < 18446744073709551616.0f) check_u("fixunssfdi", b, sf_fixunssfdi(x), (uint64_t)x);
  }
}

/* Binary operations and comparisons (the x86 SSE result is the reference). */
static void test_pair_d(double a, double b) {
  uint64_t k = db(a) ^ (db(b) * 31);
  check_d("adddf3", k, sf_adddf3(a, b), a + b);
  check_d("subdf3", k, sf_subdf3(a, b), a - b);
  check_d("muldf3", k, sf_muldf3(a, b), a * b);
  check_d("divdf3", k, sf_divdf3(a, b), a / b);
  check_d("negdf2", k, sf_negdf2(a), -a);
  check_u("eqdf2", k, sf_eqdf2(a, b) == 0, a == b);
  check_u("nedf2", k, sf_nedf2(a, b) != 0, a != b);
  check_u("ltdf2", k, sf_ltdf2(a, b) < 0, a < b);
  check_u("ledf2", k, sf_ledf2(a, b) <= 0, a <= b);
  check_u("gtdf2", k, sf_gtdf2(a, b) > 0, a > b);
  check_u("gedf2", k, sf_gedf2(a, b) >= 0, a >= b);
  check_u("cmpdf2", k, sf_cmpdf2(a, b) < 0, a < b);
}
static void test_pair_f(float a, float b) {
  uint64_t k = ((uint64_t)fb(a) << 32) | fb(b);
  check_f("addsf3", k, sf_addsf3(a, b), a + b);
  check_f("subsf3", k, sf_subsf3(a, b), a - b);
  check_f("mulsf3", k, sf_mulsf3(a, b), a * b);
  check_f("divsf3", k, sf_divsf3(a, b), a / b);
  check_f("negsf2", k, sf_negsf2(a), -a);
  check_u("eqsf2", k, sf_eqsf2(a, b) == 0, a == b);
  check_u("ltsf2", k, sf_ltsf2(a, b) < 0, a < b);
  check_u("lesf2", k, sf_lesf2(a, b) <= 0, a <= b);
  check_u("gtsf2", k, sf_gtsf2(a, b) > 0, a > b);
  check_u("gesf2", k, sf_gesf2(a, b) >= 0, a >= b);
}

static void test_int(uint64_t v) {
  check_d("floatsidf", v, sf_floatsidf((int32_t)v), (double)(int32_t)v);
  check_d("floatunsidf", v, sf_floatunsidf((uint32_t)v), (double)(uint32_t)v);
  check_d("floatdidf", v, sf_floatdidf((int64_t)v), (double)(int64_t)v);
  check_d("floatundidf", v, sf_floatundidf(v), (double)v);
  check_f("floatsisf", v, sf_floatsisf((int32_t)v), (float)(int32_t)v);
  check_f("floatunsisf", v, sf_floatunsisf((uint32_t)v), (float)(uint32_t)v);
  check_f("floatdisf", v, sf_floatdisf((int64_t)v), (float)(int64_t)v);
  check_f("floatundisf", v, sf_floatundisf(v), (float)v);
}

int main(void) {
  static const uint64_t dspecial[] = {
      0, 0x8000000000000000ull, 0x3FF0000000000000ull, 0xBFF0000000000000ull, 0x3FE0000000000000ull,
      0xBFE0000000000000ull, 0x3FF8000000000000ull, 0xC004000000000000ull, 0x4330000000000000ull,
      0x4330000000000001ull, 0x432FFFFFFFFFFFFFull, 0x7FF0000000000000ull, 0xFFF0000000000000ull,
      0x7FF8000000000000ull, 0x7FF0000000000001ull, 0xFFF4000000000123ull, 0x0000000000000001ull,
      0x000FFFFFFFFFFFFFull, 0x0010000000000000ull, 0x7FEFFFFFFFFFFFFFull, 0x41DFFFFFFFC00000ull,
      0x41E0000000000000ull, 0xC1E0000000000000ull, 0xC1E0000000200000ull, 0x43E0000000000000ull,
      0xC3E0000000000000ull, 0x43F0000000000000ull, 0x36A0000000000000ull, 0x3690000000000000ull,
      0x3690000000000001ull, 0x380FFFFFF0000000ull, 0x47EFFFFFE0000000ull, 0x47EFFFFFF0000000ull,
      0x3FDFFFFFFFFFFFFFull, 0x4000000000000000ull, 0x4010000000000000ull};
  for (unsigned i = 0; i < sizeof dspecial / sizeof dspecial[0]; i++) {
    test_double(dd(dspecial[i]));
    test_double(-dd(dspecial[i]));
  }
  for (int k = -1080; k < 1080; k++) { /* powers of two and neighbours, halves */
    double p = ldexp(1.0, k);
    test_double(p); test_double(-p); test_double(p * 1.5); test_double(nextafter(p, 0)); test_double(nextafter(p, INFINITY));
    test_double(p + 0.5); test_double(-(p + 0.5));
  }
  for (long i = 0; i < 600000; i++) {
    uint64_t r = next();
    test_double(dd(r));
    test_double(dd((r & 0x800FFFFFFFFFFFFFull) | ((uint64_t)(1023 + (int)(next() % 70) - 5) << 52))); /* near 1..2^64 */
    test_float(ff((uint32_t)r));
    test_float(ff(((uint32_t)r & 0x807FFFFFu) | ((uint32_t)(127 + (int)(next() % 70) - 5) << 23)));
    test_int(r);
    test_int(r >> (next() % 64));
    test_int(-(r >> (next() % 64)));
  }
  /* binary operations: all pairs of the special values, then random and near-random pairs */
  {
    double sv[sizeof dspecial / sizeof dspecial[0] * 2];
    unsigned n = 0;
    for (unsigned i = 0; i < sizeof dspecial / sizeof dspecial[0]; i++) { sv[n++] = dd(dspecial[i]); sv[n++] = -dd(dspecial[i]); }
    for (unsigned i = 0; i < n; i++)
      for (unsigned j = 0; j < n; j++) { test_pair_d(sv[i], sv[j]); test_pair_f((float)sv[i], (float)sv[j]); }
  }
  for (long i = 0; i < 1500000; i++) {
    uint64_t r1 = next(), r2 = next();
    test_pair_d(dd(r1), dd(r2));
    /* close exponents: cancellation, carries, ties */
    uint64_t e = (uint64_t)(1023 + (int)(next() % 64) - 32) << 52;
    double a = dd((r1 & 0x800FFFFFFFFFFFFFull) | e), b = dd((r2 & 0x800FFFFFFFFFFFFFull) | (e + ((next() % 5) << 52)));
    test_pair_d(a, b);
    test_pair_d(a, -nextafter(a, 0));
    /* near the denormal range and overflow */
    uint64_t ed = (uint64_t)(next() % 120) << 52, eo = (uint64_t)(2047 - 1 - next() % 60) << 52;
    test_pair_d(dd((r1 & 0x800FFFFFFFFFFFFFull) | ed), dd((r2 & 0x800FFFFFFFFFFFFFull) | (uint64_t)(1023 + (int)(next() % 40) - 20) << 52));
    test_pair_d(dd((r1 & 0x800FFFFFFFFFFFFFull) | eo), dd((r2 & 0x800FFFFFFFFFFFFFull) | (uint64_t)(1023 + (int)(next() % 40) - 20) << 52));
    test_pair_f(ff((uint32_t)r1), ff((uint32_t)(r1 >> 32)));
    uint32_t fe = (uint32_t)(127 + (int)(next() % 48) - 24) << 23;
    float fa = ff(((uint32_t)r2 & 0x807FFFFFu) | fe), fb2 = ff(((uint32_t)(r2 >> 32) & 0x807FFFFFu) | (fe + (uint32_t)((next() % 5) << 23)));
    test_pair_f(fa, fb2);
    test_pair_f(ff(((uint32_t)r1 & 0x807FFFFFu) | (uint32_t)(next() % 40) << 23), ff(((uint32_t)r2 & 0x807FFFFFu) | (uint32_t)(127 + (int)(next() % 30) - 15) << 23));
  }
  for (int k = 0; k < 64; k++) {
    uint64_t p = 1ull << k;
    test_int(p); test_int(p - 1); test_int(p + 1); test_int(-p); test_int(-p + 1); test_int(-p - 1);
    test_int(p | (p >> 24)); test_int(p | (p >> 53)); test_int(p | (p >> 54)); test_int(p | (p >> 25));
  }
  for (int k = -160; k < 140; k++) {
    float p = ldexpf(1.0f, k);
    test_float(p); test_float(-p); test_float(p * 1.5f); test_float(nextafterf(p, 0)); test_float(p + 0.5f);
  }
  /* saturation of the conversions (not reached from wasm2c code, which range-checks) */
  check_u("fixdfsi sat", 0, (uint32_t)sf_fixdfsi(1e300), 0x7FFFFFFF);
  check_u("fixdfsi sat-", 0, (uint32_t)sf_fixdfsi(-1e300), 0x80000000);
  check_u("fixdfsi nan", 0, (uint32_t)sf_fixdfsi(NAN), 0);
  check_u("fixunsdfdi sat", 0, sf_fixunsdfdi(INFINITY), UINT64_MAX);
  check_u("fixunsdfdi neg", 0, sf_fixunsdfdi(-5.0), 0);
  printf("softfloat: %ld checks, %ld failures\n", checks, failures);
  return failures != 0;
}
