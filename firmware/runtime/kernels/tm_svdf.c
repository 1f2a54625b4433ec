/* SVDF int8 input, int8 or int16 time weights and state (TFLM reference svdf_common.cc
 * EvalIntegerSvdfReference): shift the state left one step, write the new feature activations
 * into its last column, then weigh the memory by the time weights per unit. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

static int32_t state_at(const uint8_t *state, int32_t i, int32_t bytes) {
  return bytes == 2 ? (int32_t)((const int16_t *)(const void *)state)[i] : (int32_t)((const int8_t *)state)[i];
}

tm_status tm_kernel_svdf(const tm_op *op) {
  const int8_t *input = (const int8_t *)tm_tensor_bytes(tm_param(op, 0));
  const uint8_t *features = tm_tensor_bytes(tm_param(op, 1));
  const uint8_t *times = tm_tensor_bytes(tm_param(op, 2));
  const uint8_t *bias = tm_param(op, 3) >= 0 ? tm_tensor_bytes(tm_param(op, 3)) : 0;
  uint8_t *state = tm_tensor_arena(tm_param(op, 4));
  int8_t *output = (int8_t *)tm_tensor_arena(tm_param(op, 5));
  int32_t batches = tm_param(op, 6), input_size = tm_param(op, 7), filters = tm_param(op, 8), units = tm_param(op, 9);
  int32_t rank = tm_param(op, 10), memory = tm_param(op, 11), input_zp = tm_param(op, 12), state_zp = tm_param(op, 13);
  int32_t output_zp = tm_param(op, 14), feature_mult = tm_param(op, 15), feature_shift = tm_param(op, 16);
  int32_t time_mult = tm_param(op, 17), time_shift = tm_param(op, 18), bytes = tm_param(op, 19);
  int32_t state_min = bytes == 2 ? -32768 : -128, state_max = bytes == 2 ? 32767 : 127;
  int32_t b, f, k, u, r, m;
  if (!input || !features || !times || !state || !output || (tm_param(op, 3) >= 0 && !bias)) return TM_ERR_TENSOR;
  /* Shift the whole state left by one element (overlapping, so a forward byte loop). */
  for (k = 0; k < (batches * filters * memory - 1) * bytes; k++) state[k] = state[k + bytes];
  for (b = 0; b < batches; b++) {
    for (f = 0; f < filters; f++) {
      int32_t dot = 0, value, at = (b * filters + f) * memory + memory - 1;
      for (k = 0; k < input_size; k++) dot += (int32_t)TM_READ_I8(features + f * input_size + k) * (input[b * input_size + k] - input_zp);
      /* TFLM adds the state zero point after the clamp, so an int8 state can wrap (tflite-micro #2721). */
      value = tm_clamp(tm_mbqm(dot, feature_mult, feature_shift), state_min, state_max) + state_zp;
      if (bytes == 2) ((int16_t *)(void *)state)[at] = (int16_t)value;
      else ((int8_t *)state)[at] = (int8_t)value;
    }
  }
  for (b = 0; b < batches; b++) {
    for (u = 0; u < units; u++) {
      int32_t total = bias ? tm_read_i32(bias + 4 * u) : 0;
      for (r = 0; r < rank; r++) {
        int32_t filter = u * rank + r, base = (b * filters + filter) * memory;
        for (m = 0; m < memory; m++) {
          int32_t at = filter * memory + m;
          int32_t w = bytes == 2 ? (int32_t)(int16_t)tm_read_u16(times + 2 * at) : (int32_t)TM_READ_I8(times + at);
          total += w * (state_at(state, base + m, bytes) - state_zp);
        }
      }
      output[b * units + u] = (int8_t)tm_clamp(tm_mbqm(total, time_mult, time_shift) + output_zp, -128, 127);
    }
  }
  return TM_OK;
}
