/* PAD, PADV2, STRIDED_SLICE, TRANSPOSE (and any pure data movement): an optional fill of the
 * output with one value, then a 4-deep strided copy of elements. The host turns each op's
 * geometry (TFLM reference/pad.h, strided_slice.h, transpose.h) into dims and element strides.
 * Params: docs/tinyml-plan.md. */
#include <string.h>
#include "../tm_kernel.h"

#define TM_SC_DIMS 7

static void fill(uint8_t *output, int32_t count, int32_t bytes, int32_t value) {
  int32_t i;
  for (i = 0; i < count; i++) {
    if (bytes == 1) output[i] = (uint8_t)value;
    else if (bytes == 2) ((int16_t *)output)[i] = (int16_t)value;
    else ((int32_t *)output)[i] = value;
  }
}

tm_status tm_kernel_strided_copy(const tm_op *op) {
  const uint8_t *input = tm_tensor_bytes(tm_param(op, 0));
  uint8_t *output = tm_tensor_arena(tm_param(op, 1));
  int32_t bytes = tm_param(op, 2), d[4], in[4], out[4], k;
  int32_t run = tm_param(op, TM_SC_DIMS + 3);
  /* The innermost dim contiguous on both sides moves as one block. */
  int32_t block = tm_param(op, TM_SC_DIMS + 7) == 1 && tm_param(op, TM_SC_DIMS + 11) == 1;
  if (!input || !output) return TM_ERR_TENSOR;
  fill(output, tm_param(op, 3), bytes, tm_param(op, 4));
  for (d[0] = 0, in[0] = tm_param(op, 5), out[0] = tm_param(op, 6); d[0] < tm_param(op, TM_SC_DIMS); d[0]++) {
    for (d[1] = 0, in[1] = in[0], out[1] = out[0]; d[1] < tm_param(op, TM_SC_DIMS + 1); d[1]++) {
      for (d[2] = 0, in[2] = in[1], out[2] = out[1]; d[2] < tm_param(op, TM_SC_DIMS + 2); d[2]++) {
        if (block) {
          memcpy(output + out[2] * bytes, input + in[2] * bytes, (size_t)(run * bytes));
        } else {
          for (k = 0, in[3] = in[2], out[3] = out[2]; k < run; k++) {
            memcpy(output + out[3] * bytes, input + in[3] * bytes, (size_t)bytes);
            in[3] += tm_param(op, TM_SC_DIMS + 7);
            out[3] += tm_param(op, TM_SC_DIMS + 11);
          }
        }
        in[2] += tm_param(op, TM_SC_DIMS + 6);
        out[2] += tm_param(op, TM_SC_DIMS + 10);
      }
      in[1] += tm_param(op, TM_SC_DIMS + 5);
      out[1] += tm_param(op, TM_SC_DIMS + 9);
    }
    in[0] += tm_param(op, TM_SC_DIMS + 4);
    out[0] += tm_param(op, TM_SC_DIMS + 8);
  }
  return TM_OK;
}
