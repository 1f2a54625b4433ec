/* SignalRfft int16 (TFLM signal/src/rfft_int16.cc): KISS FFT 1.3.0's FIXED_POINT=16 real FFT.
 * Every value is an int16 (stores wrap); products are Q15 with round-half-up; each butterfly
 * stage first divides its inputs by the radix. The host plans what kiss_fftr_alloc computes
 * (twiddles, super twiddles) and the order kf_work reads the input, so the stages run bottom-up
 * without recursion. Params: input, output, frames, input length, n (complex length), scratch
 * offset (2n int16), S stages, then S x (radix, m, stride), n input order words, n twiddle words
 * and n/2 super twiddle words (re low half, im high half). */
#include "../tm_kernel.h"

static int16_t wrap16(int32_t v) { return (int16_t)(uint16_t)(uint32_t)v; }
static int16_t sround(int32_t product) { return wrap16((product + 16384) >> 15); }
static int16_t half(int32_t x) { return sround(x * 16383); }
static int16_t quarter(int32_t x) { return sround(x * 8191); }
static int32_t tw_re(const tm_op *op, uint32_t at) { return (int16_t)(uint16_t)((uint32_t)tm_param(op, at) & 0xFFFFu); }
static int32_t tw_im(const tm_op *op, uint32_t at) { return (int16_t)(uint16_t)((uint32_t)tm_param(op, at) >> 16); }

static void butterfly2(int16_t *work, int32_t base, int32_t stride, int32_t m, const tm_op *op, uint32_t tw) {
  int32_t u;
  for (u = 0; u < m; u++) {
    int32_t i0 = 2 * (base + u), i1 = i0 + 2 * m;
    uint32_t t = tw + (uint32_t)(u * stride);
    int32_t ar = half(work[i0]), ai = half(work[i0 + 1]), br = half(work[i1]), bi = half(work[i1 + 1]);
    int32_t tr = sround(br * tw_re(op, t) - bi * tw_im(op, t)), ti = sround(br * tw_im(op, t) + bi * tw_re(op, t));
    work[i1] = wrap16(ar - tr);
    work[i1 + 1] = wrap16(ai - ti);
    work[i0] = wrap16(ar + tr);
    work[i0 + 1] = wrap16(ai + ti);
  }
}

static void butterfly4(int16_t *work, int32_t base, int32_t stride, int32_t m, const tm_op *op, uint32_t tw) {
  int32_t u;
  for (u = 0; u < m; u++) {
    int32_t i0 = 2 * (base + u), i1 = i0 + 2 * m, i2 = i1 + 2 * m, i3 = i2 + 2 * m;
    uint32_t t1 = tw + (uint32_t)(u * stride), t2 = tw + (uint32_t)(2 * u * stride), t3 = tw + (uint32_t)(3 * u * stride);
    int32_t f0r = quarter(work[i0]), f0i = quarter(work[i0 + 1]), f1r = quarter(work[i1]), f1i = quarter(work[i1 + 1]);
    int32_t f2r = quarter(work[i2]), f2i = quarter(work[i2 + 1]), f3r = quarter(work[i3]), f3i = quarter(work[i3 + 1]);
    int32_t s0r = sround(f1r * tw_re(op, t1) - f1i * tw_im(op, t1)), s0i = sround(f1r * tw_im(op, t1) + f1i * tw_re(op, t1));
    int32_t s1r = sround(f2r * tw_re(op, t2) - f2i * tw_im(op, t2)), s1i = sround(f2r * tw_im(op, t2) + f2i * tw_re(op, t2));
    int32_t s2r = sround(f3r * tw_re(op, t3) - f3i * tw_im(op, t3)), s2i = sround(f3r * tw_im(op, t3) + f3i * tw_re(op, t3));
    int32_t s5r = wrap16(f0r - s1r), s5i = wrap16(f0i - s1i), s3r, s3i, s4r, s4i;
    f0r = wrap16(f0r + s1r);
    f0i = wrap16(f0i + s1i);
    s3r = wrap16(s0r + s2r);
    s3i = wrap16(s0i + s2i);
    s4r = wrap16(s0r - s2r);
    s4i = wrap16(s0i - s2i);
    work[i2] = wrap16(f0r - s3r);
    work[i2 + 1] = wrap16(f0i - s3i);
    work[i0] = wrap16(f0r + s3r);
    work[i0 + 1] = wrap16(f0i + s3i);
    work[i1] = wrap16(s5r + s4i);
    work[i1 + 1] = wrap16(s5i - s4r);
    work[i3] = wrap16(s5r - s4i);
    work[i3 + 1] = wrap16(s5i + s4r);
  }
}

tm_status tm_kernel_signal_rfft(const tm_op *op) {
  const int16_t *x = (const int16_t *)(const void *)tm_tensor_arena(tm_param(op, 0));
  int16_t *y = (int16_t *)(void *)tm_tensor_arena(tm_param(op, 1));
  int32_t frames = tm_param(op, 2), in_len = tm_param(op, 3), n = tm_param(op, 4), stages = tm_param(op, 6);
  int16_t *work = (int16_t *)(void *)tm_arena_at((uint32_t)tm_param(op, 5), 4u * (uint32_t)n);
  uint32_t order = 7 + 3 * (uint32_t)stages, tw = order + (uint32_t)n, super_tw = tw + (uint32_t)n;
  int32_t frame, j, s, block, k;
  if (!x || !y || !work) return TM_ERR_TENSOR;
  for (frame = 0; frame < frames; frame++) {
    const int16_t *in = x + frame * in_len;
    int16_t *out = y + frame * (2 * n + 2);
    int32_t dcr, dci;
    /* The real input read as n complex values (even samples real, odd imaginary), in kf_work's order. */
    for (j = 0; j < n; j++) {
      int32_t sample = 2 * tm_param(op, order + (uint32_t)j);
      work[2 * j] = sample < in_len ? in[sample] : 0;
      work[2 * j + 1] = sample + 1 < in_len ? in[sample + 1] : 0;
    }
    for (s = 0; s < stages; s++) {
      int32_t radix = tm_param(op, 7 + 3 * (uint32_t)s), m = tm_param(op, 8 + 3 * (uint32_t)s), stride = tm_param(op, 9 + 3 * (uint32_t)s);
      for (block = 0; block < stride; block++) {
        if (radix == 4) butterfly4(work, block * radix * m, stride, m, op, tw);
        else butterfly2(work, block * radix * m, stride, m, op, tw);
      }
    }
    /* Split the two interleaved real spectra. */
    dcr = half(work[0]);
    dci = half(work[1]);
    out[0] = wrap16(dcr + dci);
    out[1] = 0;
    out[2 * n] = wrap16(dcr - dci);
    out[2 * n + 1] = 0;
    for (k = 1; k <= n / 2; k++) {
      int32_t pk = 2 * k, pnk = 2 * (n - k);
      uint32_t t = super_tw + (uint32_t)(k - 1);
      int32_t fpkr = half(work[pk]), fpki = half(work[pk + 1]), fpnkr = half(work[pnk]), fpnki = half(wrap16(-work[pnk + 1]));
      int32_t f1kr = wrap16(fpkr + fpnkr), f1ki = wrap16(fpki + fpnki), f2kr = wrap16(fpkr - fpnkr), f2ki = wrap16(fpki - fpnki);
      int32_t twr = sround(f2kr * tw_re(op, t) - f2ki * tw_im(op, t)), twi = sround(f2kr * tw_im(op, t) + f2ki * tw_re(op, t));
      /* HALF_OF on the int sums (no int16 wrap before the shift). */
      out[pk] = wrap16((f1kr + twr) >> 1);
      out[pk + 1] = wrap16((f1ki + twi) >> 1);
      out[pnk] = wrap16((f1kr - twr) >> 1);
      out[pnk + 1] = wrap16((twi - f1ki) >> 1);
    }
  }
  return TM_OK;
}
