// KISS FFT 1.3.0's inverse real FFT (kiss_fftri, tools/kiss_fftr.c, with kiss_fftr_alloc(n, 1))
// in the three builds TFLM's SignalIrfft links (signal/src/irfft_{float,int16,int32}.cc):
// float, FIXED_POINT=16 and FIXED_POINT=32. The fixed-point builds round products back to the
// scalar type (sround: + 2^(FRACBITS - 1), >> FRACBITS), divide every butterfly's inputs by the
// radix (C_FIXDIV), and wrap on every store; the float build rounds each operation to float32.
// The complex stages follow kiss-fft-int16.ts's bottom-up schedule of kf_work (powers of two).
import { butterflySchedule, factorize, fillInputOrder, isSupportedFftLength } from './kiss-fft-int16.js';

export type FftSamples = Int16Array | Int32Array | Float32Array;

/** The scalar arithmetic of one KISS FFT build. */
export interface FftScalar {
  /** The store into a kiss_fft_scalar: int16/int32 wrap, float32 rounds. */
  store(x: number): number;
  /** a * b + c * d rounded back to a scalar (one component of C_MUL). */
  mulAdd(a: number, b: number, c: number, d: number): number;
  /** C_FIXDIV(x, radix): x * (SAMP_MAX / radix) in fixed point; x unchanged in float. */
  divide(x: number, radix: number): number;
  /** kf_cexp's component: the twiddle value for cos or sin of a phase. */
  twiddle(value: number): number;
}

function int16(x: number): number {
  return (x << 16) >> 16;
}

export const FFT_INT16: FftScalar = {
  store: int16,
  // int32 products and sum (wrapping as the C does on TFLM's targets), round-half-up Q15.
  mulAdd: (a, b, c, d) => int16((a * b + c * d + 16384) >> 15),
  divide: (x, radix) => int16((x * ((32767 / radix) | 0) + 16384) >> 15),
  twiddle: (value) => Math.floor(0.5 + 32767 * value),
};

/** sround(a * b + c * d) for FIXED_POINT=32: int64 products, + 2^30, >> 31, int32 store; exact in doubles. */
function q31(a: number, b: number, c: number, d: number): number {
  const bHigh = Math.floor(b / 65536);
  const dHigh = Math.floor(d / 65536);
  const high = a * bHigh + c * dHigh; // |.| < 2^48: exact
  const low = a * (b - bHigh * 65536) + c * (d - dHigh * 65536) + 1073741824; // exact
  // (high * 2^16 + low) >> 31, with high = q * 2^15 + r.
  const q = Math.floor(high / 32768);
  const r = high - q * 32768;
  return (q + Math.floor((r * 65536 + low) / 2147483648)) | 0;
}

export const FFT_INT32: FftScalar = {
  store: (x) => x | 0,
  mulAdd: q31,
  divide: (x, radix) => q31(x, Math.floor(2147483647 / radix), 0, 0),
  twiddle: (value) => Math.floor(0.5 + 2147483647 * value),
};

export const FFT_FLOAT32: FftScalar = {
  store: Math.fround,
  mulAdd: (a, b, c, d) => Math.fround(Math.fround(a * b) + Math.fround(c * d)),
  divide: (x) => x,
  twiddle: Math.fround,
};

/** What kiss_fftr_alloc(length, inverse = 1) computes for one build. */
export interface InverseRealFftPlan {
  readonly length: number;
  readonly complexLength: number;
  readonly inputOrder: Int32Array;
  /** butterflySchedule(factors), kiss-fft-int16.ts. */
  readonly schedule: Int32Array;
  /** Inverse twiddles (phase +2 pi i / n), interleaved re, im. */
  readonly twiddles: Float64Array;
  /** Inverse super twiddles, interleaved re, im. */
  readonly superTwiddles: Float64Array;
  readonly scalar: FftScalar;
}

/** KISS FFT's pi constant (a double either way). */
const PI = 3.14159265358979323846264338327;

export function planInverseRealFft(length: number, scalar: FftScalar): InverseRealFftPlan {
  if (!isSupportedFftLength(length)) throw new RangeError(`FFT length ${length} is not a power of two in [4, 65536]`);
  const n = length / 2;
  const factors = factorize(n);
  const inputOrder = new Int32Array(n);
  fillInputOrder(inputOrder, factors, 0, 0, 0, 1);
  const twiddles = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const phase = -((-2 * PI * i) / n);
    twiddles[2 * i] = scalar.twiddle(Math.cos(phase));
    twiddles[2 * i + 1] = scalar.twiddle(Math.sin(phase));
  }
  const superTwiddles = new Float64Array(n);
  for (let i = 0; i < n / 2; i++) {
    const phase = -(-PI * ((i + 1) / n + 0.5));
    superTwiddles[2 * i] = scalar.twiddle(Math.cos(phase));
    superTwiddles[2 * i + 1] = scalar.twiddle(Math.sin(phase));
  }
  return { length, complexLength: n, inputOrder, schedule: butterflySchedule(factors), twiddles, superTwiddles, scalar };
}

/** kf_bfly2, inverse, on the block at complex offset `base` of `w`. */
function butterfly2(s: FftScalar, w: FftSamples, base: number, stride: number, m: number, tw: Float64Array): void {
  for (let u = 0; u < m; u++) {
    const i0 = 2 * (base + u);
    const i1 = i0 + 2 * m;
    const t = 2 * u * stride;
    const ar = s.divide(w[i0], 2);
    const ai = s.divide(w[i0 + 1], 2);
    const br = s.divide(w[i1], 2);
    const bi = s.divide(w[i1 + 1], 2);
    const tr = s.mulAdd(br, tw[t], -bi, tw[t + 1]);
    const ti = s.mulAdd(br, tw[t + 1], bi, tw[t]);
    w[i1] = s.store(ar - tr);
    w[i1 + 1] = s.store(ai - ti);
    w[i0] = s.store(ar + tr);
    w[i0 + 1] = s.store(ai + ti);
  }
}

/** kf_bfly4, inverse; every scratch value is a stored scalar. */
function butterfly4(s: FftScalar, w: FftSamples, base: number, stride: number, m: number, tw: Float64Array): void {
  for (let u = 0; u < m; u++) {
    const i0 = 2 * (base + u);
    const i1 = i0 + 2 * m;
    const i2 = i1 + 2 * m;
    const i3 = i2 + 2 * m;
    const t1 = 2 * u * stride;
    const t2 = 2 * t1;
    const t3 = t1 + t2;
    let f0r = s.divide(w[i0], 4);
    let f0i = s.divide(w[i0 + 1], 4);
    const f1r = s.divide(w[i1], 4);
    const f1i = s.divide(w[i1 + 1], 4);
    const f2r = s.divide(w[i2], 4);
    const f2i = s.divide(w[i2 + 1], 4);
    const f3r = s.divide(w[i3], 4);
    const f3i = s.divide(w[i3 + 1], 4);
    const s0r = s.mulAdd(f1r, tw[t1], -f1i, tw[t1 + 1]);
    const s0i = s.mulAdd(f1r, tw[t1 + 1], f1i, tw[t1]);
    const s1r = s.mulAdd(f2r, tw[t2], -f2i, tw[t2 + 1]);
    const s1i = s.mulAdd(f2r, tw[t2 + 1], f2i, tw[t2]);
    const s2r = s.mulAdd(f3r, tw[t3], -f3i, tw[t3 + 1]);
    const s2i = s.mulAdd(f3r, tw[t3 + 1], f3i, tw[t3]);
    const s5r = s.store(f0r - s1r);
    const s5i = s.store(f0i - s1i);
    f0r = s.store(f0r + s1r);
    f0i = s.store(f0i + s1i);
    const s3r = s.store(s0r + s2r);
    const s3i = s.store(s0i + s2i);
    const s4r = s.store(s0r - s2r);
    const s4i = s.store(s0i - s2i);
    w[i2] = s.store(f0r - s3r);
    w[i2 + 1] = s.store(f0i - s3i);
    w[i0] = s.store(f0r + s3r);
    w[i0 + 1] = s.store(f0i + s3i);
    w[i1] = s.store(s5r - s4i);
    w[i1 + 1] = s.store(s5i + s4r);
    w[i3] = s.store(s5r + s4i);
    w[i3 + 1] = s.store(s5i - s4r);
  }
}

/**
 * kiss_fftri: `input[inputOffset...]` holds complexLength + 1 interleaved (re, im) bins; the
 * `length` real samples go to `output[outputOffset...]`. `work` (2 * complexLength scalars of
 * the same type) plays the config's tmpbuf. Not normalised: KISS FFT's inverse is n times the
 * mathematical one in float, and the fixed-point builds scale by 1/n on the way (C_FIXDIV).
 */
export function applyInverseRealFft(plan: InverseRealFftPlan, input: FftSamples, inputOffset: number, work: FftSamples, output: FftSamples, outputOffset: number): void {
  const s = plan.scalar;
  const n = plan.complexLength;
  const x = inputOffset;
  work[0] = s.divide(s.store(input[x] + input[x + 2 * n]), 2);
  work[1] = s.divide(s.store(input[x] - input[x + 2 * n]), 2);
  const st = plan.superTwiddles;
  for (let k = 1; k <= n / 2; k++) {
    const fkr = s.divide(input[x + 2 * k], 2);
    const fki = s.divide(input[x + 2 * k + 1], 2);
    const fnkr = s.divide(input[x + 2 * (n - k)], 2);
    const fnki = s.divide(s.store(-input[x + 2 * (n - k) + 1]), 2);
    const fekr = s.store(fkr + fnkr);
    const feki = s.store(fki + fnki);
    const tr = s.store(fkr - fnkr);
    const ti = s.store(fki - fnki);
    const t = 2 * (k - 1);
    const fokr = s.mulAdd(tr, st[t], -ti, st[t + 1]);
    const foki = s.mulAdd(tr, st[t + 1], ti, st[t]);
    work[2 * k] = s.store(fekr + fokr);
    work[2 * k + 1] = s.store(feki + foki);
    work[2 * (n - k)] = s.store(fekr - fokr);
    work[2 * (n - k) + 1] = s.store(-s.store(feki - foki));
  }
  // kiss_fft(substate, tmpbuf, timedata): kf_work copies tmpbuf into the output in its
  // recursion order, then runs the stages in place there.
  const order = plan.inputOrder;
  for (let j = 0; j < n; j++) {
    output[outputOffset + 2 * j] = work[2 * order[j]];
    output[outputOffset + 2 * j + 1] = work[2 * order[j] + 1];
  }
  const origin = outputOffset / 2;
  const schedule = plan.schedule;
  for (let k = 0; k < schedule.length; k += 3) {
    const radix = schedule[k];
    const m = schedule[k + 1];
    const stride = schedule[k + 2];
    for (let block = 0; block < stride; block++) {
      const base = origin + block * radix * m;
      if (radix === 4) butterfly4(s, output, base, stride, m, plan.twiddles);
      else butterfly2(s, output, base, stride, m, plan.twiddles);
    }
  }
}
