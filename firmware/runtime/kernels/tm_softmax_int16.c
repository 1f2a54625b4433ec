/* SOFTMAX int16 -> int16 (TFLM reference/softmax.h SoftmaxInt16): exp of the scaled differences
 * from the row maximum and the reciprocal of their sum, both read from 513-entry int16 tables
 * (built on the host as SoftmaxPrepare does) with linear interpolation. Params: docs/tinyml-plan.md;
 * each table is 257 words of two little-endian int16 entries. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

#define TM_SM16_EXP 6
#define TM_SM16_RECIPROCAL (TM_SM16_EXP + 257)

static int32_t entry(const tm_op *op, uint32_t table, int32_t index) {
  uint32_t word = (uint32_t)tm_param(op, table + (uint32_t)index / 2);
  return (int32_t)(int16_t)(uint16_t)(word >> (16 * (index & 1)));
}

/* generic_int16_table_lookup: the entry for the top 9 bits, interpolated by the low 7. */
static int32_t lookup(const tm_op *op, uint32_t table, int32_t value) {
  int32_t index = 256 + (value >> 7), offset = value & 0x7F, base = entry(op, table, index);
  int32_t slope = (int32_t)(int16_t)(entry(op, table, index + 1) - base);
  return (int32_t)(int16_t)(base + ((slope * offset + 64) >> 7));
}

tm_status tm_kernel_softmax_int16(const tm_op *op) {
  const int16_t *input = (const int16_t *)tm_tensor_bytes(tm_param(op, 0));
  int16_t *output = (int16_t *)tm_tensor_arena(tm_param(op, 1));
  int32_t rows = tm_param(op, 2), depth = tm_param(op, 3), multiplier = tm_param(op, 4), shift = tm_param(op, 5);
  int32_t r, c;
  if (!input || !output || op->count < TM_SM16_RECIPROCAL + 257) return TM_ERR_TENSOR;
  for (r = 0; r < rows; r++) {
    const int16_t *x = input + r * depth;
    int16_t *y = output + r * depth;
    int32_t max = -32768, sum = 0, headroom, shifted, reciprocal, right;
    for (c = 0; c < depth; c++) if (x[c] > max) max = x[c];
    for (c = 0; c < depth; c++) {
      int32_t scaled = tm_clamp(tm_mbqm(x[c] - max, multiplier, shift) + 32767, -32768, 32767);
      y[c] = (int16_t)lookup(op, TM_SM16_EXP, scaled);
      sum = tm_wrap_add(sum, y[c]);
    }
    headroom = tm_count_leading_zeros32((uint32_t)sum);
    /* The sum normalised into [1, 2) with 15 fractional bits, recentred to [-32768, 32767]. */
    shifted = headroom > 0 ? (int32_t)((((int64_t)sum << (headroom - 1)) + 8192) >> 14) : (int32_t)(((int64_t)sum + 16384) >> 15);
    reciprocal = lookup(op, TM_SM16_RECIPROCAL, tm_clamp(shifted - 98304, -32768, 32767));
    right = 31 - headroom;
    for (c = 0; c < depth; c++) {
      int64_t v = ((int64_t)y[c] * reciprocal + ((int64_t)1 << (right - 1))) >> right;
      y[c] = (int16_t)(v < 0 ? 0 : (v > 32767 ? 32767 : v));
    }
  }
  return TM_OK;
}
