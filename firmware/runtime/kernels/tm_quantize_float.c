/* QUANTIZE float32 -> int8 without floating point (TFLM AffineQuantize: round(x / scale) + zp,
 * clamped). The mapping is monotonic in x, so the host stores, for each level -127..127, the
 * smallest float32 reaching it, as an order-preserving int32 key of its bits; the device
 * counts the keys at or below the input's key by binary search. */
#include "../tm_kernel.h"

static int32_t order_key(uint32_t bits) {
  return (bits & 0x80000000UL) ? (int32_t)(bits ^ 0x7FFFFFFFUL) : (int32_t)bits;
}

tm_status tm_kernel_quantize_float(const tm_op *op) {
  const uint8_t *input = tm_tensor_arena(tm_param(op, 0));
  int8_t *output = (int8_t *)tm_tensor_arena(tm_param(op, 1));
  int32_t count = tm_param(op, 2), i;
  if (!input || !output || op->count < 3 + 255) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) {
    const uint8_t *p = input + 4 * i;
    int32_t key = order_key((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
    int32_t lo = 0, hi = 255; /* levels reached: the count of thresholds <= key */
    while (lo < hi) {
      int32_t mid = (lo + hi) / 2;
      if (tm_param(op, 3 + (uint32_t)mid) <= key) lo = mid + 1;
      else hi = mid;
    }
    output[i] = (int8_t)(lo - 128);
  }
  return TM_OK;
}
