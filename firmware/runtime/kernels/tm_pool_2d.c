/* AVERAGE_POOL_2D and MAX_POOL_2D int8 and int16 (TFLM reference/integer_ops/pooling.h). */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

static tm_status pool(const tm_op *op, int average) {
  const uint8_t *input = tm_tensor_bytes(tm_param(op, 0));
  uint8_t *output = tm_tensor_arena(tm_param(op, 1));
  int32_t batches = tm_param(op, 2), in_h = tm_param(op, 3), in_w = tm_param(op, 4), depth = tm_param(op, 5);
  int32_t out_h = tm_param(op, 6), out_w = tm_param(op, 7), f_h = tm_param(op, 8), f_w = tm_param(op, 9);
  int32_t stride_h = tm_param(op, 10), stride_w = tm_param(op, 11), pad_h = tm_param(op, 12), pad_w = tm_param(op, 13);
  int32_t act_min = tm_param(op, 14), act_max = tm_param(op, 15), wide = tm_param(op, 16) == 2;
  int32_t b, oy, ox, c, fy, fx;
  if (!input || !output) return TM_ERR_TENSOR;
  for (b = 0; b < batches; b++) {
    for (oy = 0; oy < out_h; oy++) {
      for (ox = 0; ox < out_w; ox++) {
        int32_t y0 = oy * stride_h - pad_h, x0 = ox * stride_w - pad_w;
        int32_t fy_start = y0 < 0 ? -y0 : 0, fx_start = x0 < 0 ? -x0 : 0;
        int32_t fy_end = in_h - y0 < f_h ? in_h - y0 : f_h, fx_end = in_w - x0 < f_w ? in_w - x0 : f_w;
        for (c = 0; c < depth; c++) {
          int32_t acc = average ? 0 : -32768, count = 0, value, at;
          for (fy = fy_start; fy < fy_end; fy++) {
            for (fx = fx_start; fx < fx_end; fx++) {
              int32_t i = ((b * in_h + y0 + fy) * in_w + x0 + fx) * depth + c;
              int32_t x = wide ? ((const int16_t *)input)[i] : ((const int8_t *)input)[i];
              if (average) acc += x;
              else if (x > acc) acc = x;
              count++;
            }
          }
          if (average) {
            if (count == 0) return TM_ERR_TENSOR;
            value = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          } else {
            value = acc;
          }
          at = ((b * out_h + oy) * out_w + ox) * depth + c;
          if (wide) ((int16_t *)output)[at] = (int16_t)tm_clamp(value, act_min, act_max);
          else ((int8_t *)output)[at] = (int8_t)tm_clamp(value, act_min, act_max);
        }
      }
    }
  }
  return TM_OK;
}

tm_status tm_kernel_average_pool_2d(const tm_op *op) { return pool(op, 1); }
tm_status tm_kernel_max_pool_2d(const tm_op *op) { return pool(op, 0); }
