/* CAST between integer types (TFLM micro/kernels/cast.cc, a static_cast per element): int8 and
 * int16 sources sign-extend, 32-bit ones keep their bits, the store keeps the low bytes (wraps).
 * int8/int16 to float32 converts exactly. Params: input, output, count, input bytes, output bytes, float output (0/1). */
#include "../tm_kernel.h"

/* An int8/int16 value as float32 bits (exact: at most 16 significant bits). */
static uint32_t int_to_float32(int32_t x) {
  uint32_t sign = x < 0 ? 0x80000000u : 0, mag = x < 0 ? (uint32_t)(-x) : (uint32_t)x;
  int32_t top = -1;
  uint32_t t;
  if (mag == 0) return 0;
  for (t = mag; t; t >>= 1) top++;
  return sign | ((uint32_t)(top + 127) << 23) | ((mag << (23 - top)) & 0x7FFFFFu);
}

tm_status tm_kernel_cast(const tm_op *op) {
  const uint8_t *input = tm_tensor_arena(tm_param(op, 0));
  uint8_t *output = tm_tensor_arena(tm_param(op, 1));
  int32_t count = tm_param(op, 2), in_bytes = tm_param(op, 3), out_bytes = tm_param(op, 4), i;
  if (!input || !output) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) {
    uint32_t v = in_bytes == 1 ? (uint32_t)(int32_t)((const int8_t *)input)[i]
               : in_bytes == 2 ? (uint32_t)(int32_t)((const int16_t *)input)[i] : ((const uint32_t *)input)[i];
    if (tm_param(op, 5)) v = int_to_float32((int32_t)v);
    if (out_bytes == 1) output[i] = (uint8_t)v;
    else if (out_bytes == 2) ((uint16_t *)output)[i] = (uint16_t)v;
    else ((uint32_t *)output)[i] = v;
  }
  return TM_OK;
}
