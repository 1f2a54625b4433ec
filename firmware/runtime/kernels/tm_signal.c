/* TFLM's Signal library kernels (signal/src and signal/micro/kernels) on the audio
 * front end's integer types: SignalWindow, SignalFftAutoScale, SignalEnergy, SignalFilterBank,
 * SignalFilterBankSquareRoot, SignalFilterBankSpectralSubtraction (state in persistent arena
 * memory, zeroed by tm_reset), SignalPCAN and SignalFilterBankLog. Constant configuration
 * (window, filter bank vectors, gain table) is read with TM_READ_*; the log table is in the plan.
 * Params: docs/tinyml-plan.md. */
#include "../tm_kernel.h"

static int32_t msb32(uint32_t x) {
  int32_t n = 0;
  if (x == 0) return 32; /* as GCC builds TFLM's MostSignificantBit32 */
  while (x) { n++; x >>= 1; }
  return n;
}

/* (a * b + c * d) mod 2^64 >> shift, stored to a uint32. */
static uint32_t products_shift_right(uint32_t a, uint32_t b, uint32_t c, uint32_t d, int32_t shift) {
  return (uint32_t)(((uint64_t)a * b + (uint64_t)c * d) >> shift);
}

static int16_t saturate16(int32_t v) { return (int16_t)(v < -32768 ? -32768 : (v > 32767 ? 32767 : v)); }

/* input, window (constant int16), output, total samples, window size, shift. */
tm_status tm_kernel_signal_window(const tm_op *op) {
  const int16_t *x = (const int16_t *)(const void *)tm_tensor_bytes(tm_param(op, 0));
  const uint8_t *w = tm_tensor_bytes(tm_param(op, 1));
  int16_t *y = (int16_t *)(void *)tm_tensor_arena(tm_param(op, 2));
  int32_t total = tm_param(op, 3), size = tm_param(op, 4), shift = tm_param(op, 5), frame, i;
  if (!x || !w || !y || size <= 0) return TM_ERR_TENSOR;
  for (frame = 0; frame < total; frame += size) {
    for (i = 0; i < size; i++) y[frame + i] = saturate16(((int32_t)x[frame + i] * TM_READ_I16(w + 2 * i)) >> shift);
  }
  return TM_OK;
}

/* input, output, scale bits (int32 scalar), count. */
tm_status tm_kernel_signal_fft_auto_scale(const tm_op *op) {
  const int16_t *x = (const int16_t *)(const void *)tm_tensor_arena(tm_param(op, 0));
  int16_t *y = (int16_t *)(void *)tm_tensor_arena(tm_param(op, 1));
  int32_t *bits = (int32_t *)(void *)tm_tensor_arena(tm_param(op, 2));
  int32_t count = tm_param(op, 3), i, scale;
  int16_t max = 0;
  if (!x || !y || !bits) return TM_ERR_TENSOR;
  /* MaxAbs16 keeps an int16: |-32768| wraps back to -32768, whose top bit is 32. */
  for (i = 0; i < count; i++) {
    int32_t v = x[i];
    if (v > max) max = (int16_t)v;
    else if (-v > max) max = (int16_t)(uint16_t)(uint32_t)(-v);
  }
  scale = 15 - msb32((uint32_t)(int32_t)max);
  if (scale < 0) scale = 0;
  for (i = 0; i < count; i++) y[i] = (int16_t)(uint16_t)((uint32_t)(int32_t)x[i] << scale);
  bits[0] = scale;
  return TM_OK;
}

/* input (complex int16), output (uint32), start bin, end bin. */
tm_status tm_kernel_signal_energy(const tm_op *op) {
  const int16_t *x = (const int16_t *)(const void *)tm_tensor_arena(tm_param(op, 0));
  uint32_t *y = (uint32_t *)(void *)tm_tensor_arena(tm_param(op, 1));
  int32_t i;
  if (!x || !y) return TM_ERR_TENSOR;
  for (i = tm_param(op, 2); i < tm_param(op, 3); i++) {
    int32_t re = x[2 * i], im = x[2 * i + 1];
    y[i] = (uint32_t)(re * re) + (uint32_t)(im * im);
  }
  return TM_OK;
}

/* input (uint32), output (uint64), channels, weights, unweights, frequency starts, weight starts,
 * widths (constant int16 tensors). Channel -1 only collects unweights. */
tm_status tm_kernel_signal_filter_bank(const tm_op *op) {
  const uint32_t *x = (const uint32_t *)(const void *)tm_tensor_arena(tm_param(op, 0));
  uint32_t *y = (uint32_t *)(void *)tm_tensor_arena(tm_param(op, 1));
  int32_t channels = tm_param(op, 2), i, j;
  const uint8_t *weights = tm_tensor_bytes(tm_param(op, 3)), *unweights = tm_tensor_bytes(tm_param(op, 4));
  const uint8_t *fstarts = tm_tensor_bytes(tm_param(op, 5)), *wstarts = tm_tensor_bytes(tm_param(op, 6));
  const uint8_t *widths = tm_tensor_bytes(tm_param(op, 7));
  uint64_t weight_acc = 0;
  if (!x || !y || !weights || !unweights || !fstarts || !wstarts || !widths) return TM_ERR_TENSOR;
  for (i = 0; i <= channels; i++) {
    uint64_t unweight_acc = 0;
    int32_t bin = TM_READ_I16(fstarts + 2 * i), w = TM_READ_I16(wstarts + 2 * i), width = TM_READ_I16(widths + 2 * i);
    for (j = 0; j < width; j++) {
      uint64_t value = x[bin + j];
      /* The int16 weights widen to uint64 (a negative one wraps), as filter_bank.cc. */
      weight_acc += (uint64_t)(int64_t)TM_READ_I16(weights + 2 * (w + j)) * value;
      unweight_acc += (uint64_t)(int64_t)TM_READ_I16(unweights + 2 * (w + j)) * value;
    }
    if (i > 0) {
      y[2 * (i - 1)] = (uint32_t)weight_acc;
      y[2 * (i - 1) + 1] = (uint32_t)(weight_acc >> 32);
    }
    weight_acc = unweight_acc;
  }
  return TM_OK;
}

/* Sqrt32 / Sqrt64: the floor root by digits, plus one when the remainder exceeds the root
 * (unless the root is already the largest of its type). */
static uint32_t sqrt64(uint64_t num) {
  uint64_t res = 0, bit = (uint64_t)1 << 62, rem = num, root;
  uint64_t max = num >> 32 ? 0xFFFFFFFFu : 0xFFFFu;
  while (bit > num) bit >>= 2;
  while (bit) {
    if (rem >= res + bit) { rem -= res + bit; res = (res >> 1) + bit; }
    else res >>= 1;
    bit >>= 2;
  }
  root = res;
  if (rem > root && root != max) root++;
  return (uint32_t)root;
}

/* input (uint64), scale bits (int32 scalar), output (uint32), channels. */
tm_status tm_kernel_signal_filter_bank_square_root(const tm_op *op) {
  const uint32_t *x = (const uint32_t *)(const void *)tm_tensor_arena(tm_param(op, 0));
  const int32_t *bits = (const int32_t *)(const void *)tm_tensor_arena(tm_param(op, 1));
  uint32_t *y = (uint32_t *)(void *)tm_tensor_arena(tm_param(op, 2));
  int32_t i;
  if (!x || !y || !bits) return TM_ERR_TENSOR;
  for (i = 0; i < tm_param(op, 3); i++) {
    /* x86 shifts a uint32 by the count mod 32, as TFLM's build did. */
    y[i] = sqrt64(((uint64_t)x[2 * i + 1] << 32) | x[2 * i]) >> (bits[0] & 31);
  }
  return TM_OK;
}

/* input, output, noise output, channels, smoothing, one minus smoothing, alternate smoothing,
 * alternate one minus smoothing, min signal remaining, smoothing bits, spectral subtraction bits,
 * clamping, state offset (persistent arena memory: channels uint32). */
tm_status tm_kernel_signal_filter_bank_spectral_subtraction(const tm_op *op) {
  const uint32_t *x = (const uint32_t *)(const void *)tm_tensor_arena(tm_param(op, 0));
  uint32_t *y = (uint32_t *)(void *)tm_tensor_arena(tm_param(op, 1));
  uint32_t *noise = (uint32_t *)(void *)tm_tensor_arena(tm_param(op, 2));
  int32_t channels = tm_param(op, 3), smoothing_bits = tm_param(op, 9), bits = tm_param(op, 10), i;
  uint32_t min_remaining = (uint32_t)tm_param(op, 8);
  int clamping = tm_param(op, 11) != 0;
  uint32_t *state = (uint32_t *)(void *)tm_arena_at((uint32_t)tm_param(op, 12), 4u * (uint32_t)channels);
  if (!x || !y || !noise || !state) return TM_ERR_TENSOR;
  for (i = 0; i < channels; i++) {
    int odd = i & 1;
    uint32_t smoothing = (uint32_t)tm_param(op, odd ? 6 : 4), one_minus = (uint32_t)tm_param(op, odd ? 7 : 5);
    uint32_t signal = x[i], scaled_up = signal << smoothing_bits, estimate, floor, subtracted;
    state[i] = products_shift_right(scaled_up, smoothing, state[i], one_minus, bits);
    estimate = state[i];
    if (estimate > scaled_up) {
      estimate = scaled_up;
      if (clamping) state[i] = estimate;
    }
    floor = products_shift_right(signal, min_remaining, 0, 0, bits);
    subtracted = (scaled_up - estimate) >> smoothing_bits;
    y[i] = subtracted > floor ? subtracted : floor;
    noise[i] = state[i];
  }
  return TM_OK;
}

/* WideDynamicFunction: the int16 gain for a noise estimate, from the piecewise-quadratic table. */
static int16_t wide_dynamic(uint32_t x, const uint8_t *lut) {
  int32_t interval, base, frac, result;
  if (x <= 2) return TM_READ_I16(lut + 2 * x);
  interval = msb32(x);
  base = 4 * interval - 6;
  frac = (int32_t)((interval < 11 ? x << (11 - interval) : x >> (interval - 11)) & 0x3FF);
  result = (TM_READ_I16(lut + 2 * (base + 2)) * frac) >> 5;
  result = (int32_t)((uint32_t)result + (uint32_t)(TM_READ_I16(lut + 2 * (base + 1)) * 32));
  result = (int32_t)((uint32_t)result * (uint32_t)frac);
  result = (int32_t)((uint32_t)result + (1u << 14)) >> 15;
  return (int16_t)(uint16_t)(uint32_t)(result + TM_READ_I16(lut + 2 * base));
}

/* input, noise estimate, gain table (constant int16), output, channels, snr shift. */
tm_status tm_kernel_signal_pcan(const tm_op *op) {
  const uint32_t *x = (const uint32_t *)(const void *)tm_tensor_arena(tm_param(op, 0));
  const uint32_t *noise = (const uint32_t *)(const void *)tm_tensor_arena(tm_param(op, 1));
  const uint8_t *lut = tm_tensor_bytes(tm_param(op, 2));
  uint32_t *y = (uint32_t *)(void *)tm_tensor_arena(tm_param(op, 3));
  int32_t i;
  if (!x || !noise || !lut || !y) return TM_ERR_TENSOR;
  for (i = 0; i < tm_param(op, 4); i++) {
    uint32_t gain = (uint32_t)(int32_t)wide_dynamic(noise[i], lut);
    uint32_t v = products_shift_right(x[i], gain, 0, 0, tm_param(op, 5));
    /* PcanShrink: x^2 / 4 below 2, else x - 1 (12 fractional bits in, 6 out). */
    y[i] = v < (2u << 12) ? (v * v) >> 20 : (v >> 6) - (1u << 6);
  }
  return TM_OK;
}

/* Log32: ln(x) * out_scale / 2^16; the 129 log table entries are plan words from `lut`. */
static uint32_t log32(uint32_t x, uint32_t out_scale, const tm_op *op, uint32_t lut) {
  int32_t integer = msb32(x) - 1, segment, c0, c1, relative;
  uint32_t frac = x - ((uint32_t)1 << integer), log2, loge;
  frac = integer < 16 ? frac << (16 - integer) : frac >> (integer - 16);
  segment = (int32_t)(frac >> 9);
  c0 = tm_param(op, lut + (uint32_t)segment);
  c1 = tm_param(op, lut + (uint32_t)segment + 1);
  relative = ((c1 - c0) * ((int32_t)frac - (segment << 9))) >> 16;
  log2 = ((uint32_t)integer << 16) + (uint32_t)((int32_t)frac + c0 + relative);
  loge = (uint32_t)(((uint64_t)45426 * log2 + 32768) >> 16);
  return (out_scale * loge + 32768u) >> 16;
}

/* input, output, channels, input correction bits, output scale, 129 log table words. */
tm_status tm_kernel_signal_filter_bank_log(const tm_op *op) {
  const uint32_t *x = (const uint32_t *)(const void *)tm_tensor_arena(tm_param(op, 0));
  int16_t *y = (int16_t *)(void *)tm_tensor_arena(tm_param(op, 1));
  int32_t i, correction = tm_param(op, 3);
  if (!x || !y) return TM_ERR_TENSOR;
  for (i = 0; i < tm_param(op, 2); i++) {
    uint32_t scaled = x[i] << correction;
    if (scaled > 1) {
      uint32_t value = log32(scaled, (uint32_t)tm_param(op, 4), op, 5);
      y[i] = (int16_t)(value < 32767 ? value : 32767);
    } else {
      y[i] = 0;
    }
  }
  return TM_OK;
}
