/* ADD, SUB and MUL on int8 or int16 with broadcasting (TFLM reference/add.h, sub.h,
 * integer_ops/mul.h and their BroadcastXxx4DSlow forms). The host collapses the shapes to at
 * most 4 output dims with a per-input stride per dim (0 where that input broadcasts).
 * Params: docs/tinyml-plan.md. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

/* Words shared by both records: a, b, output, element bytes, dims[4], strides a[4], strides b[4]. */
#define TM_BIN_SHAPE 4
#define TM_BIN_OPERANDS 16

typedef int32_t (*tm_element_fn)(const tm_op *op, int32_t a, int32_t b);

static int32_t load(const uint8_t *p, int32_t index, int32_t bytes) {
  return bytes == 1 ? (int32_t)((const int8_t *)p)[index] : (int32_t)((const int16_t *)p)[index];
}

static tm_status broadcast(const tm_op *op, tm_element_fn element) {
  const uint8_t *a = tm_tensor_bytes(tm_param(op, 0));
  const uint8_t *b = tm_tensor_bytes(tm_param(op, 1));
  uint8_t *output = tm_tensor_arena(tm_param(op, 2));
  int32_t bytes = tm_param(op, 3), out = 0, d[4], ia[4], ib[4];
  if (!a || !b || !output) return TM_ERR_TENSOR;
  for (d[0] = 0, ia[0] = 0, ib[0] = 0; d[0] < tm_param(op, TM_BIN_SHAPE); d[0]++) {
    for (d[1] = 0, ia[1] = ia[0], ib[1] = ib[0]; d[1] < tm_param(op, TM_BIN_SHAPE + 1); d[1]++) {
      for (d[2] = 0, ia[2] = ia[1], ib[2] = ib[1]; d[2] < tm_param(op, TM_BIN_SHAPE + 2); d[2]++) {
        for (d[3] = 0, ia[3] = ia[2], ib[3] = ib[2]; d[3] < tm_param(op, TM_BIN_SHAPE + 3); d[3]++) {
          int32_t value = element(op, load(a, ia[3], bytes), load(b, ib[3], bytes));
          if (bytes == 1) ((int8_t *)output)[out++] = (int8_t)value;
          else ((int16_t *)output)[out++] = (int16_t)value;
          ia[3] += tm_param(op, TM_BIN_SHAPE + 7);
          ib[3] += tm_param(op, TM_BIN_SHAPE + 11);
        }
        ia[2] += tm_param(op, TM_BIN_SHAPE + 6);
        ib[2] += tm_param(op, TM_BIN_SHAPE + 10);
      }
      ia[1] += tm_param(op, TM_BIN_SHAPE + 5);
      ib[1] += tm_param(op, TM_BIN_SHAPE + 9);
    }
    ia[0] += tm_param(op, TM_BIN_SHAPE + 4);
    ib[0] += tm_param(op, TM_BIN_SHAPE + 8);
  }
  return TM_OK;
}

/* Both inputs shifted left (20 bits int8, 15 int16), rescaled to twice the larger input scale,
 * added or subtracted (sign), rescaled to the output. */
static int32_t add_sub(const tm_op *op, int32_t a, int32_t b) {
  const uint32_t p = TM_BIN_OPERANDS;
  int32_t left_shift = tm_param(op, p + 1);
  int32_t sa = tm_mbqm((int32_t)((uint32_t)(a + tm_param(op, p + 2)) << left_shift), tm_param(op, p + 3), tm_param(op, p + 4));
  int32_t sb = tm_mbqm((int32_t)((uint32_t)(b + tm_param(op, p + 5)) << left_shift), tm_param(op, p + 6), tm_param(op, p + 7));
  int32_t sum = tm_param(op, p) > 0 ? tm_wrap_add(sa, sb) : tm_wrap_add(sa, -sb);
  sum = tm_mbqm(sum, tm_param(op, p + 9), tm_param(op, p + 10)) + tm_param(op, p + 8);
  return tm_clamp(sum, tm_param(op, p + 11), tm_param(op, p + 12));
}

/* (a - zp_a) * (b - zp_b) rescaled by scale_a * scale_b / scale_out. */
static int32_t mul(const tm_op *op, int32_t a, int32_t b) {
  const uint32_t p = TM_BIN_OPERANDS;
  int32_t product = (a + tm_param(op, p)) * (b + tm_param(op, p + 1));
  int32_t value = tm_mbqm(product, tm_param(op, p + 3), tm_param(op, p + 4)) + tm_param(op, p + 2);
  return tm_clamp(value, tm_param(op, p + 5), tm_param(op, p + 6));
}

tm_status tm_kernel_add(const tm_op *op) { return broadcast(op, add_sub); }
tm_status tm_kernel_mul(const tm_op *op) { return broadcast(op, mul); }
