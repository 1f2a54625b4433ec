/* CAST between integer types (TFLM micro/kernels/cast.cc, a static_cast per element): int8 and
 * int16 sources sign-extend, 32-bit ones keep their bits, the store keeps the low bytes (wraps).
 * Params: input, output, count, input bytes, output bytes. */
#include "../tm_kernel.h"

tm_status tm_kernel_cast(const tm_op *op) {
  const uint8_t *input = tm_tensor_arena(tm_param(op, 0));
  uint8_t *output = tm_tensor_arena(tm_param(op, 1));
  int32_t count = tm_param(op, 2), in_bytes = tm_param(op, 3), out_bytes = tm_param(op, 4), i;
  if (!input || !output) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) {
    uint32_t v = in_bytes == 1 ? (uint32_t)(int32_t)((const int8_t *)input)[i]
               : in_bytes == 2 ? (uint32_t)(int32_t)((const int16_t *)input)[i] : ((const uint32_t *)input)[i];
    if (out_bytes == 1) output[i] = (uint8_t)v;
    else if (out_bytes == 2) ((uint16_t *)output)[i] = (uint16_t)v;
    else ((uint32_t *)output)[i] = v;
  }
  return TM_OK;
}
