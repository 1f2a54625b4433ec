/* gemmlowp's fixed-point exp and 1/(1+x) (fixedpoint.h), as TFLM's int8 SOFTMAX uses them. */
#include "tm_fixedpoint.h"

static int32_t rescale(int32_t x, int src_bits, int dst_bits) { return tm_srmbpot(x, src_bits - dst_bits); }

static int32_t rounding_half_sum(int32_t a, int32_t b) {
  int64_t sum = (int64_t)a + (int64_t)b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

static int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t constant_term = 1895147668L; /* exp(-1/8) */
  const int32_t constant_one_over_three = 715827883L;
  int32_t x = tm_wrap_add(a, (int32_t)(1L << 28));
  int32_t x2 = tm_srdhm(x, x);
  int32_t x3 = tm_srdhm(x2, x);
  int32_t x4 = tm_srdhm(x2, x2);
  int32_t x4_over_4 = tm_srmbpot(x4, -2);
  int32_t poly = tm_srmbpot(tm_wrap_add(tm_srdhm(tm_wrap_add(x4_over_4, x3), constant_one_over_three), x2), -1);
  return tm_wrap_add(constant_term, tm_srdhm(constant_term, tm_wrap_add(x, poly)));
}

static const int8_t barrel_exponents[7] = {-2, -1, 0, 1, 2, 3, 4};
static const int32_t barrel_multipliers[7] = {1672461947L, 1302514674L, 790015084L, 290630308L, 39332535L, 720401L, 242L};

int32_t tm_exp_on_negative_values(int32_t a, int integer_bits) {
  int fractional_bits = 31 - integer_bits;
  int32_t one_quarter = (int32_t)1 << (fractional_bits - 2);
  int32_t mask = one_quarter - 1;
  int32_t a_mod = tm_wrap_add(a & mask, -one_quarter);
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(rescale(a_mod, integer_bits, 0));
  int32_t remainder = tm_wrap_add(a_mod, (int32_t)(0u - (uint32_t)a));
  int i;
  for (i = 0; i < 7; i++) {
    int e = barrel_exponents[i];
    if (integer_bits > e && (remainder & (int32_t)((uint32_t)1 << (fractional_bits + e))) != 0) {
      result = tm_srdhm(result, barrel_multipliers[i]);
    }
  }
  if (integer_bits > 5 && (int64_t)a < -((int64_t)1 << (36 - integer_bits))) result = 0;
  return a == 0 ? (int32_t)TM_INT32_MAX : result;
}

int32_t tm_one_over_one_plus_x_for_x_in_01(int32_t a) {
  int32_t half_denominator = rounding_half_sum(a, (int32_t)TM_INT32_MAX);
  const int32_t constant_48_over_17 = 1515870810L;
  const int32_t constant_neg_32_over_17 = -1010580540L;
  const int32_t one_q2 = (int32_t)1 << 29;
  int32_t x = tm_wrap_add(constant_48_over_17, tm_srdhm(half_denominator, constant_neg_32_over_17));
  int i;
  for (i = 0; i < 3; i++) {
    int32_t hdx = tm_srdhm(half_denominator, x);
    int32_t one_minus = tm_wrap_add(one_q2, -hdx);
    x = tm_wrap_add(x, rescale(tm_srdhm(x, one_minus), 4, 2));
  }
  return rescale(x, 1, 0);
}

int tm_count_leading_zeros32(uint32_t x) {
  int n = 0;
  if (x == 0) return 32;
  while ((x & 0x80000000UL) == 0) {
    x <<= 1;
    n++;
  }
  return n;
}
