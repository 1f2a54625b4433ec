/* The integer arithmetic TFLM's reference kernels share (kernels/internal/common.h and
 * gemmlowp's fixedpoint.h), written for C99 without floating point. Signed right shifts are
 * arithmetic on every compiler this runtime targets (gcc, arm-none-eabi-gcc, avr-gcc). */
#ifndef TM_FIXEDPOINT_H
#define TM_FIXEDPOINT_H

#include <stdint.h>

#define TM_INT32_MIN (-2147483647L - 1)
#define TM_INT32_MAX 2147483647L

/* gemmlowp SaturatingRoundingDoublingHighMul: high 32 bits of 2ab, rounded, C division. */
static inline int32_t tm_srdhm(int32_t a, int32_t b) {
  int64_t ab;
  int32_t nudge;
  if (a == b && a == (int32_t)TM_INT32_MIN) return (int32_t)TM_INT32_MAX;
  ab = (int64_t)a * (int64_t)b;
  nudge = ab >= 0 ? (int32_t)(1L << 30) : (int32_t)(1L - (1L << 30));
  ab += nudge;
  /* C's truncating division by 2^31 as a shift (no 64-bit division helper on AVR/Cortex-M). */
  if (ab < 0) ab += ((int64_t)1 << 31) - 1;
  return (int32_t)(ab >> 31);
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent, halves away from zero (0 <= exponent <= 31). */
static inline int32_t tm_rounding_divide_by_pot(int32_t x, int exponent) {
  int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* TFLM MultiplyByQuantizedMultiplier (the double-rounding reference form). The left shift is an
 * int32 multiply in TFLM; it wraps here as it does there in practice. */
static inline int32_t tm_mbqm(int32_t x, int32_t multiplier, int32_t shift) {
  int left = shift > 0 ? (int)shift : 0;
  int right = shift > 0 ? 0 : (int)-shift;
  int32_t shifted = (int32_t)((uint32_t)x << left);
  return tm_rounding_divide_by_pot(tm_srdhm(shifted, multiplier), right);
}

/* TFLM MultiplyByQuantizedMultiplier(int64_t, ...) of the 16x8 kernels: the multiplier reduced
 * to 16 bits, one rounding right shift (arithmetic, so it floors), the result cast to int32. */
static inline int32_t tm_mbqm64(int64_t x, int32_t multiplier, int32_t shift) {
  int32_t reduced = multiplier < 0x7FFF0000L ? (multiplier + 32768) >> 16 : 0x7FFF;
  int total = (int)(15 - shift);
  return (int32_t)((x * reduced + ((int64_t)1 << (total - 1))) >> total);
}

static inline int32_t tm_clamp(int32_t x, int32_t lo, int32_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT. */
static inline int32_t tm_srmbpot(int32_t x, int exponent) {
  int32_t threshold;
  if (exponent == 0) return x;
  if (exponent < 0) return tm_rounding_divide_by_pot(x, -exponent);
  threshold = (int32_t)(((int64_t)1 << (31 - exponent)) - 1);
  if (x > threshold) return (int32_t)TM_INT32_MAX;
  if (x < -threshold) return (int32_t)TM_INT32_MIN;
  return (int32_t)((uint32_t)x << exponent);
}

static inline int32_t tm_wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }

/* Fixed-point exp/reciprocal used by SOFTMAX (and later LOGISTIC/TANH); tm_fixedpoint.c. */
int32_t tm_exp_on_negative_values(int32_t a, int integer_bits);
int32_t tm_one_over_one_plus_x_for_x_in_01(int32_t a);
int tm_count_leading_zeros32(uint32_t x);

#endif
