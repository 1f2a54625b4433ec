/* CONV_2D int8 per-channel (TFLM reference/integer_ops/conv.h ConvPerChannel), and its 16x8 form
 * (int16 activations with zero points 0, int64 bias and accumulator, the 16-bit reduced multiplier). */
#include "../tm_fixedpoint.h"
#include "../tm_kernel.h"

static tm_status conv(const tm_op *op, int wide) {
  const uint8_t *input = tm_tensor_bytes(tm_param(op, 0));
  const uint8_t *filter = tm_tensor_bytes(tm_param(op, 1));
  const uint8_t *bias = tm_param(op, 2) >= 0 ? tm_tensor_bytes(tm_param(op, 2)) : 0;
  uint8_t *output = tm_tensor_arena(tm_param(op, 3));
  int32_t batches = tm_param(op, 4), in_h = tm_param(op, 5), in_w = tm_param(op, 6), in_d = tm_param(op, 7);
  int32_t out_h = tm_param(op, 8), out_w = tm_param(op, 9), out_d = tm_param(op, 10);
  int32_t f_h = tm_param(op, 11), f_w = tm_param(op, 12), stride_h = tm_param(op, 13), stride_w = tm_param(op, 14);
  int32_t dil_h = tm_param(op, 15), dil_w = tm_param(op, 16), pad_h = tm_param(op, 17), pad_w = tm_param(op, 18);
  int32_t input_offset = tm_param(op, 19), output_offset = tm_param(op, 20);
  int32_t act_min = tm_param(op, 21), act_max = tm_param(op, 22);
  const uint8_t *multipliers = tm_param_ptr(op, 23), *shifts = tm_param_ptr(op, 23 + (uint32_t)out_d);
  int32_t b, oy, ox, oc, fy, fx, ic;
  if (!input || !filter || !output || (tm_param(op, 2) >= 0 && !bias)) return TM_ERR_TENSOR;
  for (b = 0; b < batches; b++) {
    for (oy = 0; oy < out_h; oy++) {
      for (ox = 0; ox < out_w; ox++) {
        for (oc = 0; oc < out_d; oc++) {
          int32_t acc = 0, at = ((b * out_h + oy) * out_w + ox) * out_d + oc;
          int64_t wide_acc = 0;
          for (fy = 0; fy < f_h; fy++) {
            int32_t iy = oy * stride_h - pad_h + dil_h * fy;
            if (iy < 0 || iy >= in_h) continue;
            for (fx = 0; fx < f_w; fx++) {
              int32_t ix = ox * stride_w - pad_w + dil_w * fx;
              int32_t x = ((b * in_h + iy) * in_w + ix) * in_d;
              const uint8_t *w;
              if (ix < 0 || ix >= in_w) continue;
              w = filter + ((oc * f_h + fy) * f_w + fx) * in_d;
              if (wide) {
                for (ic = 0; ic < in_d; ic++) wide_acc += (int32_t)TM_READ_I8(w + ic) * (int32_t)((const int16_t *)input)[x + ic];
              } else {
                for (ic = 0; ic < in_d; ic++) acc += (int32_t)TM_READ_I8(w + ic) * ((int32_t)((const int8_t *)input)[x + ic] + input_offset);
              }
            }
          }
          tm_conv_store(output, at, wide, acc, wide_acc, bias, oc, multipliers, shifts, output_offset, act_min, act_max);
        }
      }
    }
  }
  return TM_OK;
}

tm_status tm_kernel_conv_2d(const tm_op *op) { return conv(op, 0); }
tm_status tm_kernel_conv_2d_16x8(const tm_op *op) { return conv(op, 1); }
