/* ADD, SUB, MUL, MINIMUM and MAXIMUM on int8 or int16 (TFLM reference/add.h, sub.h, integer_ops/mul.h) and on
 * int32 (wrapping, clamped), with broadcasting (their BroadcastXxx4DSlow forms). The host
 * collapses the shapes to at most 4 output dims with a per-input stride per dim (0 where that
 * input broadcasts). A constant input is read with TM_READ_* (flash on AVR).
 * Params: docs/tinyml-plan.md. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

/* Words shared by both records: a, b, output, element bytes (| 0x100 when a is constant, | 0x200
 * for b), dims[4], strides a[4], strides b[4]. */
#define TM_BIN_SHAPE 4
#define TM_BIN_OPERANDS 16

typedef int32_t (*tm_element_fn)(const tm_op *op, int32_t a, int32_t b);

static int32_t load(const uint8_t *p, int32_t index, int32_t bytes, int constant) {
  if (constant) return bytes == 1 ? TM_READ_I8(p + index) : (bytes == 2 ? TM_READ_I16(p + 2 * index) : TM_READ_I32(p + 4 * index));
  return bytes == 1 ? (int32_t)((const int8_t *)p)[index] : (bytes == 2 ? (int32_t)((const int16_t *)p)[index] : ((const int32_t *)p)[index]);
}

static int32_t element_bytes(const tm_op *op) { return tm_param(op, 3) & 0xFF; }

static tm_status broadcast(const tm_op *op, tm_element_fn element) {
  const uint8_t *a = tm_tensor_bytes(tm_param(op, 0));
  const uint8_t *b = tm_tensor_bytes(tm_param(op, 1));
  uint8_t *output = tm_tensor_arena(tm_param(op, 2));
  int32_t bytes = element_bytes(op), out = 0, d[4], ia[4], ib[4];
  int const_a = (tm_param(op, 3) & 0x100) != 0, const_b = (tm_param(op, 3) & 0x200) != 0;
  if (!a || !b || !output) return TM_ERR_TENSOR;
  for (d[0] = 0, ia[0] = 0, ib[0] = 0; d[0] < tm_param(op, TM_BIN_SHAPE); d[0]++) {
    for (d[1] = 0, ia[1] = ia[0], ib[1] = ib[0]; d[1] < tm_param(op, TM_BIN_SHAPE + 1); d[1]++) {
      for (d[2] = 0, ia[2] = ia[1], ib[2] = ib[1]; d[2] < tm_param(op, TM_BIN_SHAPE + 2); d[2]++) {
        for (d[3] = 0, ia[3] = ia[2], ib[3] = ib[2]; d[3] < tm_param(op, TM_BIN_SHAPE + 3); d[3]++) {
          int32_t value = element(op, load(a, ia[3], bytes, const_a), load(b, ib[3], bytes, const_b));
          if (bytes == 1) ((int8_t *)output)[out++] = (int8_t)value;
          else if (bytes == 2) ((int16_t *)output)[out++] = (int16_t)value;
          else ((int32_t *)output)[out++] = value;
          ia[3] += tm_param(op, TM_BIN_SHAPE + 7);
          ib[3] += tm_param(op, TM_BIN_SHAPE + 11);
        }
        ia[2] += tm_param(op, TM_BIN_SHAPE + 6);
        ib[2] += tm_param(op, TM_BIN_SHAPE + 10);
      }
      ia[1] += tm_param(op, TM_BIN_SHAPE + 5);
      ib[1] += tm_param(op, TM_BIN_SHAPE + 9);
    }
    ia[0] += tm_param(op, TM_BIN_SHAPE + 4);
    ib[0] += tm_param(op, TM_BIN_SHAPE + 8);
  }
  return TM_OK;
}

/* int8/int16: both inputs shifted left (20 bits int8, 15 int16), rescaled to twice the larger
 * input scale, added or subtracted (sign), rescaled to the output. int32: wrapping a +- b. */
static int32_t add_sub(const tm_op *op, int32_t a, int32_t b) {
  const uint32_t p = TM_BIN_OPERANDS;
  int32_t left_shift = tm_param(op, p + 1), sum;
  if (element_bytes(op) == 4) {
    sum = tm_param(op, p) > 0 ? tm_wrap_add(a, b) : (int32_t)((uint32_t)a - (uint32_t)b);
  } else {
    int32_t sa = tm_mbqm((int32_t)((uint32_t)(a + tm_param(op, p + 2)) << left_shift), tm_param(op, p + 3), tm_param(op, p + 4));
    int32_t sb = tm_mbqm((int32_t)((uint32_t)(b + tm_param(op, p + 5)) << left_shift), tm_param(op, p + 6), tm_param(op, p + 7));
    sum = tm_param(op, p) > 0 ? tm_wrap_add(sa, sb) : tm_wrap_add(sa, -sb);
    sum = tm_mbqm(sum, tm_param(op, p + 9), tm_param(op, p + 10)) + tm_param(op, p + 8);
  }
  return tm_clamp(sum, tm_param(op, p + 11), tm_param(op, p + 12));
}

/* int8/int16: (a - zp_a) * (b - zp_b) rescaled by scale_a * scale_b / scale_out. int32: the
 * wrapping product. */
static int32_t mul(const tm_op *op, int32_t a, int32_t b) {
  const uint32_t p = TM_BIN_OPERANDS;
  int32_t value;
  if (element_bytes(op) == 4) {
    value = (int32_t)((uint32_t)a * (uint32_t)b);
  } else {
    value = tm_mbqm((a + tm_param(op, p)) * (b + tm_param(op, p + 1)), tm_param(op, p + 3), tm_param(op, p + 4)) + tm_param(op, p + 2);
  }
  return tm_clamp(value, tm_param(op, p + 5), tm_param(op, p + 6));
}

/* MINIMUM / MAXIMUM: the stored values compared as they are (one word: 1 for MAXIMUM). */
static int32_t min_max(const tm_op *op, int32_t a, int32_t b) {
  return tm_param(op, TM_BIN_OPERANDS) ? (a > b ? a : b) : (a < b ? a : b);
}

tm_status tm_kernel_add(const tm_op *op) { return broadcast(op, add_sub); }
tm_status tm_kernel_min_max(const tm_op *op) { return broadcast(op, min_max); }
tm_status tm_kernel_mul(const tm_op *op) { return broadcast(op, mul); }

/* int32 DIV (div.cc): C's truncating division, 0 for a zero divisor (as our TS kernel), the
 * wrapping negation for -1 (INT32_MIN / -1), clamped. */
static int32_t divide(const tm_op *op, int32_t a, int32_t b) {
  int32_t value = b == 0 ? 0 : (b == -1 ? (int32_t)(0u - (uint32_t)a) : a / b);
  return tm_clamp(value, tm_param(op, TM_BIN_OPERANDS), tm_param(op, TM_BIN_OPERANDS + 1));
}

tm_status tm_kernel_div(const tm_op *op) { return broadcast(op, divide); }

/* float32 MUL in integers (the device has no FPU code): the IEEE 754 product of the bit
 * patterns, rounded to nearest even, with subnormals; NaN and infinity operands give the x86
 * default NaN or a signed infinity. Only fused activation NONE reaches the device. */
static int32_t float_mul(const tm_op *op, int32_t a_bits, int32_t b_bits) {
  uint32_t a = (uint32_t)a_bits, b = (uint32_t)b_bits, sign = (a ^ b) & 0x80000000u;
  int32_t ea = (int32_t)((a >> 23) & 0xFF), eb = (int32_t)((b >> 23) & 0xFF), e, n = -1, shift;
  uint64_t ma = a & 0x7FFFFFu, mb = b & 0x7FFFFFu, p, m, rem, half;
  (void)op;
  if (ea == 0xFF || eb == 0xFF) {
    if ((ea == 0xFF && ma) || (eb == 0xFF && mb) || (ea == 0xFF && eb == 0 && !mb) || (eb == 0xFF && ea == 0 && !ma)) return (int32_t)0xFFC00000u;
    return (int32_t)(sign | 0x7F800000u);
  }
  if (ea) ma |= 0x800000u; else ea = 1;
  if (eb) mb |= 0x800000u; else eb = 1;
  p = ma * mb;
  if (p == 0) return (int32_t)sign;
  for (m = p; m; m >>= 1) n++;
  /* value = p * 2^(ea + eb - 300); the result keeps 24 bits: m * 2^(e - 150). */
  shift = n - 23;
  e = ea + eb + n - 173;
  if (e <= 0) { shift += 1 - e; e = 0; }
  if (shift > 60) return (int32_t)sign;
  if (shift > 0) {
    m = p >> shift;
    rem = p & (((uint64_t)1 << shift) - 1);
    half = (uint64_t)1 << (shift - 1);
    if (rem > half || (rem == half && (m & 1))) m++;
  } else {
    m = p << -shift;
  }
  if (e == 0) return (int32_t)(sign | (uint32_t)m); /* subnormal (a carry into 2^23 makes it the smallest normal) */
  if (m >> 24) { m >>= 1; e++; }
  if (e >= 0xFF) return (int32_t)(sign | 0x7F800000u);
  return (int32_t)(sign | ((uint32_t)e << 23) | ((uint32_t)m & 0x7FFFFFu));
}

tm_status tm_kernel_float_mul(const tm_op *op) { return broadcast(op, float_mul); }
