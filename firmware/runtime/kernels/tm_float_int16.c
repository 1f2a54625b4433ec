/* float32 <-> int16 model edges without floating point. The scale is given by the host as a
 * 24-bit mantissa M and exponent E (scale = M * 2^E); float32 values are taken apart into the
 * same form and the one IEEE operation TFLM does is redone in integers, rounded to nearest even:
 * QUANTIZE (AffineQuantize): q = round half away from zero (float32(x / scale)) + zp, clamped;
 * DEQUANTIZE (dequantize.cc): float32(double(scale) * (q - zp)), exact before its one rounding.
 * Params: docs/tinyml-plan.md. */
#include "../tm_kernel.h"

static uint32_t load_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int32_t quantize(uint32_t bits, uint32_t ms, int32_t es, int32_t zp) {
  uint32_t mx = bits & 0x7FFFFFUL, q, r;
  int32_t ex = (int32_t)((bits >> 23) & 0xFF), e, i, drop, value;
  int negative = (bits >> 31) != 0, sticky, lost, half;
  if (ex == 0xFF && mx != 0) return 0; /* NaN stores as 0, as a NaN into a typed array */
  if (ex == 0xFF) value = 0x7FFFFFFFL; /* inf saturates */
  else if (ex == 0 && mx == 0) value = 0;
  else {
    if (ex == 0) ex = 1; /* subnormal: no implicit bit */
    else mx |= 0x800000UL;
    e = ex - 150;
    while (mx < 0x800000UL) { mx <<= 1; e--; }
    /* 26 more quotient bits than mx / ms (in [0.5, 2)) by long division: q has 26 or 27 bits. */
    q = mx / ms;
    r = mx % ms;
    for (i = 0; i < 26; i++) {
      r <<= 1;
      q <<= 1;
      if (r >= ms) { r -= ms; q |= 1u; }
    }
    sticky = r != 0;
    e = e - es - 26;
    /* Round q to 24 significant bits, to nearest even (the float32 quotient). */
    drop = q >= (1UL << 26) ? 3 : 2;
    lost = (int)(q & ((1UL << drop) - 1));
    half = 1 << (drop - 1);
    q >>= drop;
    e += drop;
    if (lost > half || (lost == half && (sticky || (q & 1u)))) q++;
    /* The float q * 2^e rounded half away from zero to an integer. */
    if (e >= 0) value = e > 6 ? 0x7FFFFFFFL : (int32_t)(q << e);
    else if (e < -25) value = 0;
    else value = (int32_t)((q + (1UL << (-e - 1))) >> -e);
  }
  if (negative) value = -value;
  value = value > 0x7FFFFFFFL - 32768 ? 32767 : value + zp;
  return value < -32768 ? -32768 : (value > 32767 ? 32767 : value);
}

static uint32_t dequantize(int32_t v, uint32_t ms, int32_t es) {
  uint32_t sign = v < 0 ? 0x80000000UL : 0, m;
  uint64_t p;
  int32_t d = 0;
  if (v == 0) return 0;
  p = (uint64_t)ms * (uint64_t)(v < 0 ? -v : v);
  while ((p >> d) >= (1UL << 24)) d++;
  m = (uint32_t)(p >> d);
  if (d > 0) {
    uint64_t lost = p & ((((uint64_t)1) << d) - 1), half = ((uint64_t)1) << (d - 1);
    if (lost > half || (lost == half && (m & 1u))) m++;
    if (m == (1UL << 24)) { m >>= 1; d++; }
  }
  return sign | ((uint32_t)(es + d + 23 + 127) << 23) | (m & 0x7FFFFFUL);
}

tm_status tm_kernel_float_int16(const tm_op *op) {
  uint8_t *input = tm_tensor_arena(tm_param(op, 0));
  uint8_t *output = tm_tensor_arena(tm_param(op, 1));
  int32_t count = tm_param(op, 2), mode = tm_param(op, 3), zp = tm_param(op, 4), es = tm_param(op, 6), i;
  uint32_t ms = (uint32_t)tm_param(op, 5);
  if (!input || !output || ms == 0) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) {
    if (mode == 0) {
      ((int16_t *)output)[i] = (int16_t)quantize(load_u32(input + 4 * i), ms, es, zp);
    } else {
      uint32_t bits = dequantize((int32_t)((int16_t *)input)[i] - zp, ms, es);
      output[4 * i] = (uint8_t)bits;
      output[4 * i + 1] = (uint8_t)(bits >> 8);
      output[4 * i + 2] = (uint8_t)(bits >> 16);
      output[4 * i + 3] = (uint8_t)(bits >> 24);
    }
  }
  return TM_OK;
}
