// The int16 fixed-point real FFT TFLM's SignalRfft runs: KISS FFT 1.3.0 built with
// FIXED_POINT=16 (kiss_fft.c and tools/kiss_fftr.c, as signal/src/kiss_fft_wrappers compiles
// them). Every value is an int16 (stores wrap); products are Q15 with round-half-up
// (sround: (x + 2^14) >> 15); each butterfly stage first divides its inputs by the radix.
// A plan holds what kiss_fftr_alloc computes (factors, twiddles, super twiddles) plus the
// order in which KISS FFT's recursive kf_work reads the input, so apply() runs the stages
// bottom-up without recursion or allocation. Lengths: powers of two from 4 (radix 4 and 2).

const SAMP_MAX = 32767;
/** KISS FFT's pi constant (a double either way). */
const PI = 3.14159265358979323846264338327;

/** kf_cexp in fixed point: floor(0.5 + 32767 * cos|sin(phase)). */
function fixedCos(phase: number): number {
  return Math.floor(0.5 + SAMP_MAX * Math.cos(phase));
}

function fixedSin(phase: number): number {
  return Math.floor(0.5 + SAMP_MAX * Math.sin(phase));
}

function toInt16(value: number): number {
  return (value << 16) >> 16;
}

/** sround: Q15 product back to int16 with round-half-up, then the int16 store. */
function sround(product: number): number {
  return toInt16((product + 16384) >> 15);
}

/** C_FIXDIV(x, 2): x * (32767 / 2) in Q15. */
function half(x: number): number {
  return sround(x * 16383);
}

/** C_FIXDIV(x, 4): x * (32767 / 4) in Q15. */
function quarter(x: number): number {
  return sround(x * 8191);
}

export interface RealFftPlan {
  /** The real FFT length (fft_length). */
  readonly length: number;
  /** The complex FFT length, length / 2. */
  readonly complexLength: number;
  /** kf_factor's (radix, remaining length) pairs, outermost stage first. */
  readonly factors: Int32Array;
  /** For each complex position of the work buffer, the complex input index kf_work copies there. */
  readonly inputOrder: Int32Array;
  /** butterflySchedule(factors). */
  readonly schedule: Int32Array;
  /** kiss_fft_alloc's forward twiddles, interleaved re, im. */
  readonly twiddles: Int16Array;
  /** kiss_fftr_alloc's super twiddles (complexLength / 2 of them), interleaved re, im. */
  readonly superTwiddles: Int16Array;
}

/** kf_factor (also used by kiss-fftri.ts): radix 4 while it divides, then 2 (3, 5... never occur for powers of two). */
export function factorize(n: number): number[] {
  const factors: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    const radix = remaining % 4 === 0 ? 4 : 2;
    remaining /= radix;
    factors.push(radix, remaining);
  }
  return factors;
}

/** Where kf_work's recursion places each input: leaves copy f[q * fstride] into Fout[q]. */
export function fillInputOrder(order: Int32Array, factors: readonly number[], stage: number, outOffset: number, inOffset: number, stride: number): void {
  const radix = factors[2 * stage];
  const m = factors[2 * stage + 1];
  for (let q = 0; q < radix; q++) {
    if (m === 1) order[outOffset + q] = inOffset + q * stride;
    else fillInputOrder(order, factors, stage + 1, outOffset + q * m, inOffset + q * stride, stride * radix);
  }
}

/**
 * kf_work runs each stage's butterflies after the deeper stages of its block; bottom-up that is
 * every stage from the deepest, each as (radix, m, stride) triples: `stride` blocks of radix * m
 * values, twiddles taken every `stride`. Shared by the forward and inverse (kiss-fftri.ts) FFTs.
 */
export function butterflySchedule(factors: readonly number[]): Int32Array {
  const stages = factors.length / 2;
  const schedule = new Int32Array(3 * stages);
  let stride = 1;
  for (let s = 0; s < stages - 1; s++) stride *= factors[2 * s];
  for (let s = stages - 1, k = 0; s >= 0; s--, k += 3) {
    schedule[k] = factors[2 * s];
    schedule[k + 1] = factors[2 * s + 1];
    schedule[k + 2] = stride;
    if (s > 0) stride /= factors[2 * (s - 1)];
  }
  return schedule;
}

export function isSupportedFftLength(length: number): boolean {
  return Number.isInteger(length) && length >= 4 && (length & (length - 1)) === 0 && length <= 1 << 16;
}

/** Everything kiss_fftr_alloc(length, inverse = 0) computes, for a supported length. */
export function planRealFft(length: number): RealFftPlan {
  if (!isSupportedFftLength(length)) throw new RangeError(`FFT length ${length} is not a power of two in [4, 65536]`);
  const n = length / 2;
  const factors = factorize(n);
  const inputOrder = new Int32Array(n);
  fillInputOrder(inputOrder, factors, 0, 0, 0, 1);
  const twiddles = new Int16Array(2 * n);
  for (let i = 0; i < n; i++) {
    const phase = (-2 * PI * i) / n;
    twiddles[2 * i] = fixedCos(phase);
    twiddles[2 * i + 1] = fixedSin(phase);
  }
  const superTwiddles = new Int16Array(n);
  for (let i = 0; i < n / 2; i++) {
    const phase = -PI * ((i + 1) / n + 0.5);
    superTwiddles[2 * i] = fixedCos(phase);
    superTwiddles[2 * i + 1] = fixedSin(phase);
  }
  return { length, complexLength: n, factors: Int32Array.from(factors), inputOrder, schedule: butterflySchedule(factors), twiddles, superTwiddles };
}

/** kf_bfly2 (forward) on the block at complex offset `base`. */
function butterfly2(work: Int16Array, base: number, stride: number, m: number, tw: Int16Array): void {
  for (let u = 0; u < m; u++) {
    const i0 = 2 * (base + u);
    const i1 = i0 + 2 * m;
    const t = 2 * u * stride;
    const ar = half(work[i0]);
    const ai = half(work[i0 + 1]);
    const br = half(work[i1]);
    const bi = half(work[i1 + 1]);
    const tr = sround(br * tw[t] - bi * tw[t + 1]);
    const ti = sround(br * tw[t + 1] + bi * tw[t]);
    work[i1] = ar - tr;
    work[i1 + 1] = ai - ti;
    work[i0] = ar + tr;
    work[i0 + 1] = ai + ti;
  }
}

/** kf_bfly4 (forward) on the block at complex offset `base`; every intermediate is an int16. */
function butterfly4(work: Int16Array, base: number, stride: number, m: number, tw: Int16Array): void {
  for (let u = 0; u < m; u++) {
    const i0 = 2 * (base + u);
    const i1 = i0 + 2 * m;
    const i2 = i1 + 2 * m;
    const i3 = i2 + 2 * m;
    const t1 = 2 * u * stride;
    const t2 = 2 * t1;
    const t3 = t1 + t2;
    let f0r = quarter(work[i0]);
    let f0i = quarter(work[i0 + 1]);
    const f1r = quarter(work[i1]);
    const f1i = quarter(work[i1 + 1]);
    const f2r = quarter(work[i2]);
    const f2i = quarter(work[i2 + 1]);
    const f3r = quarter(work[i3]);
    const f3i = quarter(work[i3 + 1]);
    const s0r = sround(f1r * tw[t1] - f1i * tw[t1 + 1]);
    const s0i = sround(f1r * tw[t1 + 1] + f1i * tw[t1]);
    const s1r = sround(f2r * tw[t2] - f2i * tw[t2 + 1]);
    const s1i = sround(f2r * tw[t2 + 1] + f2i * tw[t2]);
    const s2r = sround(f3r * tw[t3] - f3i * tw[t3 + 1]);
    const s2i = sround(f3r * tw[t3 + 1] + f3i * tw[t3]);
    const s5r = toInt16(f0r - s1r);
    const s5i = toInt16(f0i - s1i);
    f0r = toInt16(f0r + s1r);
    f0i = toInt16(f0i + s1i);
    const s3r = toInt16(s0r + s2r);
    const s3i = toInt16(s0i + s2i);
    const s4r = toInt16(s0r - s2r);
    const s4i = toInt16(s0i - s2i);
    work[i2] = f0r - s3r;
    work[i2 + 1] = f0i - s3i;
    work[i0] = f0r + s3r;
    work[i0 + 1] = f0i + s3i;
    work[i1] = s5r + s4i;
    work[i1 + 1] = s5i - s4r;
    work[i3] = s5r - s4i;
    work[i3 + 1] = s5i + s4r;
  }
}

/**
 * kiss_fftr: the real FFT of `input[inputOffset, inputOffset + inputLength)` zero-padded to the
 * plan's length, into `output[outputOffset...]` as complexLength + 1 interleaved (re, im) pairs.
 * `work` (2 * complexLength int16) plays the role of the config's tmpbuf.
 */
export function applyRealFft(plan: RealFftPlan, input: Int16Array, inputOffset: number, inputLength: number, work: Int16Array, output: Int16Array, outputOffset: number): void {
  const n = plan.complexLength;
  const order = plan.inputOrder;
  // The real input read as n complex values (even samples real, odd imaginary), in kf_work's order.
  for (let j = 0; j < n; j++) {
    const sample = 2 * order[j];
    work[2 * j] = sample < inputLength ? input[inputOffset + sample] : 0;
    work[2 * j + 1] = sample + 1 < inputLength ? input[inputOffset + sample + 1] : 0;
  }
  const schedule = plan.schedule;
  for (let k = 0; k < schedule.length; k += 3) {
    const radix = schedule[k];
    const m = schedule[k + 1];
    const stride = schedule[k + 2];
    for (let block = 0; block < stride; block++) {
      if (radix === 4) butterfly4(work, block * radix * m, stride, m, plan.twiddles);
      else butterfly2(work, block * radix * m, stride, m, plan.twiddles);
    }
  }
  // Split the two interleaved real spectra.
  const out = outputOffset;
  const dcr = half(work[0]);
  const dci = half(work[1]);
  output[out] = dcr + dci;
  output[out + 1] = 0;
  output[out + 2 * n] = dcr - dci;
  output[out + 2 * n + 1] = 0;
  const tw = plan.superTwiddles;
  for (let k = 1; k <= n / 2; k++) {
    const pk = 2 * k;
    const pnk = 2 * (n - k);
    const fpkr = half(work[pk]);
    const fpki = half(work[pk + 1]);
    const fpnkr = half(work[pnk]);
    const fpnki = half(toInt16(-work[pnk + 1]));
    const f1kr = toInt16(fpkr + fpnkr);
    const f1ki = toInt16(fpki + fpnki);
    const f2kr = toInt16(fpkr - fpnkr);
    const f2ki = toInt16(fpki - fpnki);
    const t = 2 * (k - 1);
    const twr = sround(f2kr * tw[t] - f2ki * tw[t + 1]);
    const twi = sround(f2kr * tw[t + 1] + f2ki * tw[t]);
    // HALF_OF on the int sums (no int16 wrap before the shift).
    output[out + pk] = (f1kr + twr) >> 1;
    output[out + pk + 1] = (f1ki + twi) >> 1;
    output[out + pnk] = (f1kr - twr) >> 1;
    output[out + pnk + 1] = (twi - f1ki) >> 1;
  }
}
