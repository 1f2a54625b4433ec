/* Any int8 elementwise op with per-tensor quantization (LOGISTIC, TANH, HARD_SWISH, LEAKY_RELU,
 * RELU, RELU6, QUANTIZE int8 -> int8, DEQUANTIZE int8 -> float32, ...): the output depends on
 * the input value only, so the host runs the bit-exact TS kernel on all 256 values and stores
 * the table (1- or 4-byte entries; float32 outputs are copied as bytes, no float arithmetic). */
#include "../tm_kernel.h"

tm_status tm_kernel_lut(const tm_op *op) {
  const int8_t *input = (const int8_t *)tm_tensor_bytes(tm_param(op, 0));
  uint8_t *output = tm_tensor_arena(tm_param(op, 1));
  int32_t count = tm_param(op, 2), bytes = tm_param(op, 3), i, b;
  const uint8_t *table = tm_param_ptr(op, 4);
  if (!input || !output || (bytes != 1 && bytes != 4) || op->count < 4 + 64 * (uint32_t)bytes) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) {
    const uint8_t *entry = table + bytes * (uint8_t)input[i];
    for (b = 0; b < bytes; b++) output[bytes * i + b] = TM_READ_U8(entry + b);
  }
  return TM_OK;
}
