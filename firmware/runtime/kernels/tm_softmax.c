/* SOFTMAX int8 in, int8 or int16 out (TFLM reference/softmax.h, the gemmlowp fixed-point path):
 * differences from the row max scaled into Q5.26, exp, a Q12.19 sum, its reciprocal. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUMULATION_INTEGER_BITS 12

tm_status tm_kernel_softmax(const tm_op *op) {
  const int8_t *input = (const int8_t *)tm_tensor_bytes(tm_param(op, 0));
  uint8_t *output = tm_tensor_arena(tm_param(op, 1));
  int32_t rows = tm_param(op, 2), depth = tm_param(op, 3), multiplier = tm_param(op, 4), shift = tm_param(op, 5);
  int32_t diff_min = tm_param(op, 6), output_bits = tm_param(op, 7);
  int32_t out_min = output_bits == 16 ? -32768 : -128, out_max = output_bits == 16 ? 32767 : 127;
  int32_t row, c;
  if (!input || !output) return TM_ERR_TENSOR;
  for (row = 0; row < rows; row++) {
    const int8_t *x = input + row * depth;
    int32_t max = -128, sum = 0, scale, bits_over_unit, headroom;
    for (c = 0; c < depth; c++) if (x[c] > max) max = x[c];
    for (c = 0; c < depth; c++) {
      int32_t diff = x[c] - max;
      if (diff >= diff_min) {
        int32_t e = tm_exp_on_negative_values(tm_mbqm(diff, multiplier, shift), SCALED_DIFF_INTEGER_BITS);
        sum = tm_wrap_add(sum, tm_srmbpot(e, -ACCUMULATION_INTEGER_BITS));
      }
    }
    headroom = tm_count_leading_zeros32((uint32_t)sum);
    scale = tm_one_over_one_plus_x_for_x_in_01((int32_t)(((uint32_t)sum << headroom) - 0x80000000UL));
    bits_over_unit = ACCUMULATION_INTEGER_BITS - headroom;
    for (c = 0; c < depth; c++) {
      int32_t diff = x[c] - max, value = out_min;
      if (diff >= diff_min) {
        int32_t e = tm_exp_on_negative_values(tm_mbqm(diff, multiplier, shift), SCALED_DIFF_INTEGER_BITS);
        value = tm_clamp(tm_rounding_divide_by_pot(tm_srdhm(scale, e), bits_over_unit + 31 - output_bits) + out_min, out_min, out_max);
      }
      if (output_bits == 16) {
        output[2 * (row * depth + c)] = (uint8_t)((uint32_t)value & 0xFFu);
        output[2 * (row * depth + c) + 1] = (uint8_t)(((uint32_t)value >> 8) & 0xFFu);
      } else {
        ((int8_t *)output)[row * depth + c] = (int8_t)value;
      }
    }
  }
  return TM_OK;
}
