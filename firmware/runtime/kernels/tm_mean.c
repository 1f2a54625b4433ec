/* MEAN int8 over contiguous axes, the input viewed as [outer, reduced, inner] (TFLM
 * reduce_common.cc): an int32 sum per output, then either a truncating division (input and
 * output share their quantization) or QuantizedMeanOrSum's requantization with 1/count folded
 * into the multiplier on the host. No scratch: each output sums its own inputs. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

tm_status tm_kernel_mean(const tm_op *op) {
  const int8_t *input = (const int8_t *)tm_tensor_bytes(tm_param(op, 0));
  int8_t *output = (int8_t *)tm_tensor_arena(tm_param(op, 1));
  int32_t outer = tm_param(op, 2), reduced = tm_param(op, 3), inner = tm_param(op, 4), requantize = tm_param(op, 5);
  int32_t multiplier = tm_param(op, 6), shift = tm_param(op, 7), input_zp = tm_param(op, 8), output_zp = tm_param(op, 9);
  int32_t o, r, i;
  if (!input || !output || reduced <= 0) return TM_ERR_TENSOR;
  for (o = 0; o < outer; o++) {
    for (i = 0; i < inner; i++) {
      int32_t sum = 0, value;
      for (r = 0; r < reduced; r++) sum += input[(o * reduced + r) * inner + i];
      if (requantize) value = tm_clamp(tm_mbqm(sum - input_zp * reduced, multiplier, shift) + output_zp, -128, 127);
      else value = sum / reduced;
      output[o * inner + i] = (int8_t)value;
    }
  }
  return TM_OK;
}
