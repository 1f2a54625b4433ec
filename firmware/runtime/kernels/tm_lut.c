/* Any int8 -> int8 elementwise op with per-tensor quantization (LOGISTIC, TANH, HARD_SWISH,
 * LEAKY_RELU, RELU, RELU6, QUANTIZE int8 -> int8, ...): the output depends on the input value
 * only, so the host runs the bit-exact TS kernel on all 256 values and stores the table. */
#include "../tm_kernel.h"

tm_status tm_kernel_lut(const tm_op *op) {
  const int8_t *input = (const int8_t *)tm_tensor_bytes(tm_param(op, 0));
  int8_t *output = (int8_t *)tm_tensor_arena(tm_param(op, 1));
  int32_t count = tm_param(op, 2), i;
  const uint8_t *table = tm_param_ptr(op, 3);
  if (!input || !output || op->count < 3 + 64) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) output[i] = TM_READ_I8(table + (uint8_t)input[i]);
  return TM_OK;
}
