/* CONCATENATION of tensors sharing one quantization (TFLM reference/concatenation.h): for each
 * outer index, each input's chunk in turn. Params: out, outer, inputs, then (tensor, chunk bytes). */
#include <string.h>
#include "../tm_kernel.h"

tm_status tm_kernel_concatenation(const tm_op *op) {
  uint8_t *output = tm_tensor_arena(tm_param(op, 0));
  int32_t outer = tm_param(op, 1), inputs = tm_param(op, 2), o, k;
  uint32_t at = 0, i;
  if (!output) return TM_ERR_TENSOR;
  for (o = 0; o < outer; o++) {
    for (k = 0; k < inputs; k++) {
      const uint8_t *input = tm_tensor_bytes(tm_param(op, 3 + 2 * (uint32_t)k));
      int32_t chunk = tm_param(op, 4 + 2 * (uint32_t)k);
      if (!input) return TM_ERR_TENSOR;
      input += o * chunk;
      if (tm_tensor_arena(tm_param(op, 3 + 2 * (uint32_t)k))) memcpy(output + at, input, (size_t)chunk);
      else for (i = 0; i < (uint32_t)chunk; i++) output[at + i] = TM_READ_U8(input + i);
      at += (uint32_t)chunk;
    }
  }
  return TM_OK;
}
