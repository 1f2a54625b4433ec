/* The interface between the runtime and its kernels. Kernel ids are the plan's (docs/tinyml-plan.md,
 * lib/codegen/plan/kernel-ids.ts); the generated tm_ops.c lists only the model's kernels. */
#ifndef TM_KERNEL_H
#define TM_KERNEL_H

#include "tinyml.h"
#include "tm_platform.h"
#include "tm_fixedpoint.h"

enum {
  TM_KERNEL_FULLY_CONNECTED = 1,
  TM_KERNEL_CONV_2D = 2,
  TM_KERNEL_DEPTHWISE_CONV_2D = 3,
  TM_KERNEL_AVERAGE_POOL_2D = 4,
  TM_KERNEL_MAX_POOL_2D = 5,
  TM_KERNEL_SOFTMAX = 6,
  TM_KERNEL_COPY = 7,
  TM_KERNEL_ADD = 8,
  TM_KERNEL_MEAN = 9,
  TM_KERNEL_LUT = 10,
  TM_KERNEL_CONCATENATION = 11,
  TM_KERNEL_SVDF = 12,
  TM_KERNEL_REQUANTIZE = 13,
  TM_KERNEL_LSTM = 14,
  TM_KERNEL_QUANTIZE_FLOAT = 15,
  TM_KERNEL_MUL = 16,
  TM_KERNEL_STRIDED_COPY = 17,
  TM_KERNEL_FLOAT_INT16 = 18,
  TM_KERNEL_FULLY_CONNECTED_16X8 = 19,
  TM_KERNEL_CONV_2D_16X8 = 20,
  TM_KERNEL_DEPTHWISE_CONV_2D_16X8 = 21,
  TM_KERNEL_SOFTMAX_INT16 = 22,
  TM_KERNEL_SIGMOID_INT16 = 23,
  TM_KERNEL_MIN_MAX = 24,
  TM_KERNEL_CAST = 25,
  TM_KERNEL_DIV = 26,
  TM_KERNEL_SIGNAL_WINDOW = 27,
  TM_KERNEL_SIGNAL_FFT_AUTO_SCALE = 28,
  TM_KERNEL_SIGNAL_RFFT = 29,
  TM_KERNEL_SIGNAL_ENERGY = 30,
  TM_KERNEL_SIGNAL_FILTER_BANK = 31,
  TM_KERNEL_SIGNAL_FILTER_BANK_SQUARE_ROOT = 32,
  TM_KERNEL_SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION = 33,
  TM_KERNEL_SIGNAL_PCAN = 34,
  TM_KERNEL_SIGNAL_FILTER_BANK_LOG = 35,
  TM_KERNEL_FLOAT_MUL = 36
};

/* One operator's record in the plan: `params` are little-endian int32 words in model memory. */
typedef struct {
  const uint8_t *params;
  uint32_t count;
} tm_op;

typedef tm_status (*tm_kernel_fn)(const tm_op *op);

typedef struct {
  uint32_t id;
  tm_kernel_fn invoke;
} tm_kernel_entry;

/* Generated per model (tm_ops.c). */
extern const tm_kernel_entry tm_op_table[];
extern const uint32_t tm_op_table_size;

static inline int32_t tm_param(const tm_op *op, uint32_t index) {
  return index < op->count ? tm_read_i32(op->params + 4 * index) : 0;
}
/* A little-endian int64 (16x8 biases) in model memory. */
static inline int64_t tm_read_i64(const uint8_t *p) { return (int64_t)(((uint64_t)tm_read_u32(p + 4) << 32) | tm_read_u32(p)); }
/*
 * The per-channel output stage of the quantized CONV_2D / DEPTHWISE_CONV_2D kernels: bias, then
 * int8 (int32 accumulator, MultiplyByQuantizedMultiplier, output offset) or 16x8 (int64
 * accumulator and bias, the 16-bit-reduced int64 multiplier, no offset), clamp, store.
 */
static inline void tm_conv_store(void *output, int32_t at, int wide, int32_t acc, int64_t wide_acc, const uint8_t *bias,
                                 int32_t oc, const uint8_t *multipliers, const uint8_t *shifts, int32_t output_offset,
                                 int32_t act_min, int32_t act_max) {
  int32_t multiplier = tm_read_i32(multipliers + 4 * oc);
  int32_t shift = tm_read_i32(shifts + 4 * oc);
  if (wide) {
    if (bias) wide_acc += tm_read_i64(bias + 8 * oc);
    ((int16_t *)output)[at] = (int16_t)tm_clamp(tm_mbqm64(wide_acc, multiplier, shift), act_min, act_max);
  } else {
    if (bias) acc += tm_read_i32(bias + 4 * oc);
    ((int8_t *)output)[at] = (int8_t)tm_clamp(tm_mbqm(acc, multiplier, shift) + output_offset, act_min, act_max);
  }
}
/* The address of word `index`, for per-channel arrays read with tm_read_i32. */
static inline const uint8_t *tm_param_ptr(const tm_op *op, uint32_t index) { return op->params + 4 * index; }

/* A tensor in the arena (activations), or NULL for a constant or a bad index. */
uint8_t *tm_tensor_arena(int32_t index);
/* `bytes` of arena scratch at `offset` (placed by the host after the tensors), or NULL out of bounds. */
uint8_t *tm_arena_at(uint32_t offset, uint32_t bytes);
/* Any tensor's bytes: the arena, or constant data in the model (read with TM_READ_*). NULL for
 * a bad index, or index -1 (an absent optional input). */
const uint8_t *tm_tensor_bytes(int32_t index);

tm_status tm_kernel_fully_connected(const tm_op *op);
tm_status tm_kernel_conv_2d(const tm_op *op);
tm_status tm_kernel_depthwise_conv_2d(const tm_op *op);
tm_status tm_kernel_average_pool_2d(const tm_op *op);
tm_status tm_kernel_max_pool_2d(const tm_op *op);
tm_status tm_kernel_softmax(const tm_op *op);
tm_status tm_kernel_copy(const tm_op *op);
tm_status tm_kernel_add(const tm_op *op);
tm_status tm_kernel_mean(const tm_op *op);
tm_status tm_kernel_lut(const tm_op *op);
tm_status tm_kernel_concatenation(const tm_op *op);
tm_status tm_kernel_svdf(const tm_op *op);
tm_status tm_kernel_requantize(const tm_op *op);
tm_status tm_kernel_lstm(const tm_op *op);
tm_status tm_kernel_quantize_float(const tm_op *op);
tm_status tm_kernel_mul(const tm_op *op);
tm_status tm_kernel_strided_copy(const tm_op *op);
tm_status tm_kernel_float_int16(const tm_op *op);
tm_status tm_kernel_fully_connected_16x8(const tm_op *op);
tm_status tm_kernel_conv_2d_16x8(const tm_op *op);
tm_status tm_kernel_depthwise_conv_2d_16x8(const tm_op *op);
tm_status tm_kernel_softmax_int16(const tm_op *op);
tm_status tm_kernel_sigmoid_int16(const tm_op *op);
tm_status tm_kernel_min_max(const tm_op *op);
tm_status tm_kernel_cast(const tm_op *op);
tm_status tm_kernel_div(const tm_op *op);
tm_status tm_kernel_signal_window(const tm_op *op);
tm_status tm_kernel_signal_fft_auto_scale(const tm_op *op);
tm_status tm_kernel_signal_rfft(const tm_op *op);
tm_status tm_kernel_signal_energy(const tm_op *op);
tm_status tm_kernel_signal_filter_bank(const tm_op *op);
tm_status tm_kernel_signal_filter_bank_square_root(const tm_op *op);
tm_status tm_kernel_signal_filter_bank_spectral_subtraction(const tm_op *op);
tm_status tm_kernel_signal_pcan(const tm_op *op);
tm_status tm_kernel_signal_filter_bank_log(const tm_op *op);
tm_status tm_kernel_float_mul(const tm_op *op);

#endif
