/* FULLY_CONNECTED int16 activations x int8 weights, int64 bias and accumulator (TFLM
 * reference/integer_ops/fully_connected.h, 16x8), requantized with the 16-bit reduced
 * multiplier. The record is FULLY_CONNECTED's (docs/tinyml-plan.md); zero points are 0. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

tm_status tm_kernel_fully_connected_16x8(const tm_op *op) {
  const int16_t *input = (const int16_t *)tm_tensor_bytes(tm_param(op, 0));
  const uint8_t *filter = tm_tensor_bytes(tm_param(op, 1));
  const uint8_t *bias = tm_param(op, 2) >= 0 ? tm_tensor_bytes(tm_param(op, 2)) : 0;
  int16_t *output = (int16_t *)tm_tensor_arena(tm_param(op, 3));
  int32_t batches = tm_param(op, 4), depth = tm_param(op, 5), units = tm_param(op, 6);
  int32_t filter_offset = tm_param(op, 8), act_min = tm_param(op, 10), act_max = tm_param(op, 11), channels = tm_param(op, 12);
  const uint8_t *multipliers = tm_param_ptr(op, 13), *shifts = tm_param_ptr(op, 13 + (uint32_t)channels);
  int32_t b, u, d;
  if (!input || !filter || !output || (tm_param(op, 2) >= 0 && !bias)) return TM_ERR_TENSOR;
  for (b = 0; b < batches; b++) {
    const int16_t *x = input + b * depth;
    for (u = 0; u < units; u++) {
      const uint8_t *w = filter + u * depth;
      int64_t acc = 0;
      int32_t c = channels > 1 ? u : 0;
      for (d = 0; d < depth; d++) acc += (int64_t)(((int32_t)TM_READ_I8(w + d) + filter_offset) * (int32_t)x[d]);
      if (bias) acc += tm_read_i64(bias + 8 * u);
      output[b * units + u] = (int16_t)tm_clamp(tm_mbqm64(acc, tm_read_i32(multipliers + 4 * c), tm_read_i32(shifts + 4 * c)), act_min, act_max);
    }
  }
  return TM_OK;
}
