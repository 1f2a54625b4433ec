/* QUANTIZE between integer types (TFLM reference/requantize.h): (x - input zp) rescaled, plus the
 * output zero point, clamped. Element widths 1, 2 or 4 bytes, signed. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

static int32_t load(const uint8_t *p, int32_t i, int32_t bytes) {
  if (bytes == 1) return ((const int8_t *)p)[i];
  if (bytes == 2) return ((const int16_t *)(const void *)p)[i];
  return ((const int32_t *)(const void *)p)[i];
}

tm_status tm_kernel_requantize(const tm_op *op) {
  const uint8_t *input = tm_tensor_arena(tm_param(op, 0));
  uint8_t *output = tm_tensor_arena(tm_param(op, 1));
  int32_t count = tm_param(op, 2), in_bytes = tm_param(op, 3), out_bytes = tm_param(op, 4);
  int32_t input_zp = tm_param(op, 5), output_zp = tm_param(op, 6), multiplier = tm_param(op, 7), shift = tm_param(op, 8);
  int32_t out_min = tm_param(op, 9), out_max = tm_param(op, 10), i;
  if (!input || !output) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) {
    int32_t q = tm_clamp(tm_mbqm(load(input, i, in_bytes) - input_zp, multiplier, shift) + output_zp, out_min, out_max);
    if (out_bytes == 1) ((int8_t *)output)[i] = (int8_t)q;
    else if (out_bytes == 2) ((int16_t *)(void *)output)[i] = (int16_t)q;
    else ((int32_t *)(void *)output)[i] = q;
  }
  return TM_OK;
}
