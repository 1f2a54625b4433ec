/* ADD int8, same shapes (TFLM reference/add.h AddElementwise): both inputs moved to a common
 * scale 2^20 finer, summed, rescaled to the output. Params: docs/tinyml-plan.md. */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

tm_status tm_kernel_add(const tm_op *op) {
  const int8_t *a = (const int8_t *)tm_tensor_bytes(tm_param(op, 0));
  const int8_t *b = (const int8_t *)tm_tensor_bytes(tm_param(op, 1));
  int8_t *output = (int8_t *)tm_tensor_arena(tm_param(op, 2));
  int32_t count = tm_param(op, 3), left_shift = tm_param(op, 4);
  int32_t offset_a = tm_param(op, 5), multiplier_a = tm_param(op, 6), shift_a = tm_param(op, 7);
  int32_t offset_b = tm_param(op, 8), multiplier_b = tm_param(op, 9), shift_b = tm_param(op, 10);
  int32_t output_offset = tm_param(op, 11), multiplier_out = tm_param(op, 12), shift_out = tm_param(op, 13);
  int32_t act_min = tm_param(op, 14), act_max = tm_param(op, 15), i;
  if (!a || !b || !output) return TM_ERR_TENSOR;
  for (i = 0; i < count; i++) {
    int32_t sa = tm_mbqm((int32_t)((uint32_t)(a[i] + offset_a) << left_shift), multiplier_a, shift_a);
    int32_t sb = tm_mbqm((int32_t)((uint32_t)(b[i] + offset_b) << left_shift), multiplier_b, shift_b);
    int32_t sum = tm_mbqm(sa + sb, multiplier_out, shift_out) + output_offset;
    output[i] = (int8_t)tm_clamp(sum, act_min, act_max);
  }
  return TM_OK;
}
