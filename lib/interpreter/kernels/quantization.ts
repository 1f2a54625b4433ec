// TFLM's fixed-point arithmetic (tensorflow/lite/kernels/internal/common.h, quantization_util.cc),
// reproduced bit for bit. prepare-time helpers may allocate; the invoke-time helpers
// (saturatingRoundingDoublingHighMul, roundingDivideByPOT, multiplyByQuantizedMultiplier) only
// use doubles and int32 arithmetic so that a kernel's inner loop allocates nothing.
import { ActivationFunctionType } from '../../model/schema/tflite.js';
import type { DType } from '../../model/types.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const TWO_POW_31 = 2147483648;
const TWO_POW_15 = 32768;
const TWO_POW_16 = 65536;

export interface QuantizedMultiplier {
  multiplier: number;
  shift: number;
}

/** C's std::round: halves go away from zero (TfLiteRound). */
export function roundHalfAwayFromZero(x: number): number {
  const truncated = Math.trunc(x);
  const fraction = x - truncated;
  if (fraction >= 0.5) return truncated + 1;
  if (fraction <= -0.5) return truncated - 1;
  return truncated;
}

/** std::frexp: x = fraction * 2^exponent with 0.5 <= |fraction| < 1 (0 gives 0, 0). */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  const bits = new DataView(new ArrayBuffer(8));
  let scaled = x;
  let bias = 0;
  // Subnormals have no implicit bit; scale them into the normal range first.
  if (Math.abs(x) < 2 ** -1022) {
    scaled = x * 2 ** 64;
    bias = -64;
  }
  bits.setFloat64(0, scaled);
  const biasedExponent = (bits.getUint16(0) >> 4) & 0x7ff;
  const exponent = biasedExponent - 1022;
  return { fraction: scaled / 2 ** exponent, exponent: exponent + bias };
}

/** QuantizeMultiplier: a real multiplier as a Q31 int32 and a power-of-two shift. */
export function quantizeMultiplier(realMultiplier: number): QuantizedMultiplier {
  if (realMultiplier === 0) return { multiplier: 0, shift: 0 };
  const { fraction, exponent } = frexp(realMultiplier);
  let shift = exponent;
  let qFixed = roundHalfAwayFromZero(fraction * TWO_POW_31);
  if (qFixed > TWO_POW_31) throw new RangeError(`quantizeMultiplier(${realMultiplier}): fraction out of range`);
  if (qFixed === TWO_POW_31) {
    qFixed /= 2;
    shift += 1;
  }
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  return { multiplier: qFixed, shift };
}

/**
 * CheckedLog2 (quantization_util.cc): the nearest integer to log2(x) in float32 arithmetic as the
 * C code computes it, and whether x is a power of two within 1e-3 of an exponent step.
 */
export function checkedLog2(x: number): { log2: number; isPowerOfTwo: boolean } {
  const f = Math.fround;
  const log2 = f(f(Math.log(f(x))) * f(1 / f(Math.LN2)));
  const rounded = roundHalfAwayFromZero(log2);
  return { log2: rounded, isPowerOfTwo: Math.abs(f(log2 - rounded)) < 1e-3 };
}

/**
 * gemmlowp's SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b, rounded half away
 * from zero, truncating division as C does. The 62-bit product is split so that every
 * intermediate is an exact double: a*b = a*bHigh*2^16 + a*bLow.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const bLow = b & 0xffff;
  const bHigh = b >> 16;
  const highProduct = a * bHigh;
  const lowProduct = a * bLow;
  const highQuotient = Math.floor(highProduct / TWO_POW_15);
  const highRemainder = highProduct - highQuotient * TWO_POW_15;
  const nudge = (highProduct * TWO_POW_16 + lowProduct) >= 0 ? 1073741824 : -1073741823;
  // a*b + nudge = highQuotient*2^31 + rest, every term exact.
  const rest = highRemainder * TWO_POW_16 + lowProduct + nudge;
  const restQuotient = Math.floor(rest / TWO_POW_31);
  const floorQuotient = highQuotient + restQuotient;
  const exact = rest - restQuotient * TWO_POW_31 === 0;
  return floorQuotient < 0 && !exact ? floorQuotient + 1 : floorQuotient;
}

/** gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded half away from zero (0 <= exponent <= 31). */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = (2 ** exponent - 1) | 0;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** TFLM's reference MultiplyByQuantizedMultiplier (double rounding: SRDHM, then rounding shift). */
export function multiplyByQuantizedMultiplier(x: number, quantizedMultiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  // C multiplies in int32 here, so the left shift wraps as Math.imul does.
  const shifted = leftShift === 0 ? x : Math.imul(x, (2 ** leftShift) | 0);
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, quantizedMultiplier), rightShift);
}

/** The representable range of an integer dtype. */
export function integerRange(dtype: DType): [number, number] {
  switch (dtype) {
    case 'int8': return [-128, 127];
    case 'uint8': return [0, 255];
    case 'int16': return [-32768, 32767];
    case 'int32': return [INT32_MIN, INT32_MAX];
    default: throw new RangeError(`no integer range for ${dtype}`);
  }
}

export function activationName(activation: ActivationFunctionType): string {
  return ActivationFunctionType[activation] ?? String(activation);
}

/** CalculateActivationRangeQuantized: the clamp for a fused activation in output units, or null when unsupported. */
export function activationRangeQuantized(
  activation: ActivationFunctionType, dtype: DType, scale: number, zeroPoint: number,
): [number, number] | null {
  const [qmin, qmax] = integerRange(dtype);
  // f / scale is a float32 division in TFLM.
  const quantize = (f: number): number => zeroPoint + roundHalfAwayFromZero(Math.fround(f / Math.fround(scale)));
  switch (activation) {
    case ActivationFunctionType.NONE: return [qmin, qmax];
    case ActivationFunctionType.RELU: return [Math.max(qmin, quantize(0)), qmax];
    case ActivationFunctionType.RELU6: return [Math.max(qmin, quantize(0)), Math.min(qmax, quantize(6))];
    case ActivationFunctionType.RELU_N1_TO_1: return [Math.max(qmin, quantize(-1)), Math.min(qmax, quantize(1))];
    default: return null;
  }
}

/** CalculateActivationRange for float kernels, or null when unsupported. */
export function activationRangeFloat(activation: ActivationFunctionType): [number, number] | null {
  switch (activation) {
    case ActivationFunctionType.NONE: return [-Infinity, Infinity];
    case ActivationFunctionType.RELU: return [0, Infinity];
    case ActivationFunctionType.RELU6: return [0, 6];
    case ActivationFunctionType.RELU_N1_TO_1: return [-1, 1];
    default: return null;
  }
}

const TWO_POW_24 = 16777216;

/**
 * TFLM's MultiplyByQuantizedMultiplier for an int64 accumulator (16x8 kernels): the multiplier
 * reduced to 16 bits, one rounding shift. x is an integer-valued double with |x| < 2^47; the
 * product (< 2^62) is split so every step is exact.
 */
export function multiplyByQuantizedMultiplierInt64(x: number, quantizedMultiplier: number, shift: number): number {
  const reduced = quantizedMultiplier < 0x7fff0000 ? (quantizedMultiplier + 32768) >> 16 : 0x7fff;
  const totalShift = 15 - shift;
  const round = 2 ** (totalShift - 1);
  // x * reduced + round = high * 2^24 + low, with high = floor(x / 2^24) * reduced.
  const xHigh = Math.floor(x / TWO_POW_24);
  const high = xHigh * reduced;
  const low = (x - xHigh * TWO_POW_24) * reduced + round;
  let result: number;
  if (totalShift <= 24) {
    result = high * 2 ** (24 - totalShift) + Math.floor(low / 2 ** totalShift);
  } else {
    const divisor = 2 ** (totalShift - 24);
    const highQuotient = Math.floor(high / divisor);
    const highRemainder = high - highQuotient * divisor;
    result = highQuotient + Math.floor((highRemainder * TWO_POW_24 + low) / 2 ** totalShift);
  }
  return result | 0;
}

const TWO_POW_52 = 4503599627370496;

/**
 * multiplyByQuantizedMultiplier, bit for bit, for invoke-time hot loops: when |x * multiplier|
 * < 2^52 the 64-bit product, its nudge and the truncating division by 2^31 are all exact in
 * doubles, so SRDHM needs no split; larger products take the general path.
 */
export function multiplyByQuantizedMultiplierFast(x: number, quantizedMultiplier: number, shift: number): number {
  const shifted = shift > 0 ? Math.imul(x, 1 << shift) : x;
  const product = shifted * quantizedMultiplier;
  if (product >= TWO_POW_52 || product <= -TWO_POW_52) return multiplyByQuantizedMultiplier(x, quantizedMultiplier, shift);
  // |quotient| < 2^21, so | 0 truncates toward zero as C's int64 division does.
  const high = ((product + (product >= 0 ? 1073741824 : -1073741823)) / TWO_POW_31) | 0;
  if (shift >= 0) return high;
  const exponent = -shift;
  // For exponent 31, (1 << 31) - 1 wraps to 0x7fffffff as intended.
  const mask = ((1 << exponent) - 1) | 0;
  const threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> exponent) + ((high & mask) > threshold ? 1 : 0);
}

const TWO_POW_30 = 1073741824;

/** min(max(value, low), high) for int32s without branches: half the values of a ReLU layer clamp, in no learnable order. */
export function clampInt(value: number, low: number, high: number): number {
  let excess = value - low;
  let clamped = value - (excess & (excess >> 31));
  excess = clamped - high;
  clamped -= excess & ~(excess >> 31);
  return clamped;
}
const TWO_POW_MINUS_31 = 1 / TWO_POW_31;
const TWO_POW_51 = 2251799813685248;
const TWO_POW_53 = 9007199254740992;

/**
 * SaturatingRoundingDoublingHighMul(a, b) for any int32 a and 0 <= b < 2^31 (every quantized
 * multiplier): floor((a * b + 2^30) / 2^31), the product split at bit 16 of b so each step is
 * exact. Nudge-and-truncate gives that floor for either sign (ties go up).
 */
function highMulSplit(a: number, b: number): number {
  const low = Math.floor((a * (b & 0xffff) + TWO_POW_30) / TWO_POW_16);
  // Dropping the low part's fraction cannot change the floor below: it is under one unit of 2^-15.
  return Math.floor((a * (b >>> 16) + low) / TWO_POW_15);
}

/**
 * multiplyByQuantizedMultiplier for one multiplier and shift per output channel, with each
 * channel's constants taken once and no data-dependent branch on the common path (rounding
 * directions follow the sign of random data, which branch predictors cannot learn).
 *
 * For p = x * multiplier (x already left-shifted), SRDHM is h = floor((p + 2^30) / 2^31): one
 * floor while |p| < 2^51 keeps it exact, highMulSplit beyond. RoundingDivideByPOT(h, n) is then
 * (h + 2^(n-1) - [h < 0]) >> n for n >= 1 (halves away from zero), plain h for n = 0, which
 * cannot overflow while -2^30 <= h < 2^30; larger h take the same floor in doubles.
 */
export class ChannelMultipliers {
  readonly multipliers: Int32Array;
  readonly shifts: Int32Array;
  private readonly leftFactors: Int32Array;
  private readonly rightShifts: Int32Array;
  private readonly halves: Int32Array;
  /** 1 where a right shift rounds, so negative values take one off before it; 0 without a shift. */
  private readonly negativeAdjusts: Int32Array;
  /** 2^-rightShift. */
  private readonly rightScales: Float64Array;
  /** For storeInt8: multiplier * 2^(leftShift - 31 - rightShift). */
  private readonly factors: Float64Array;
  /** For storeInt8: 1/2 + 2^-(rightShift + 1) (1/2 without a right shift). */
  private readonly roundings: Float64Array;
  /** For storeInt8: 2^-rightShift, 0 without a right shift (no negative-side correction). */
  private readonly negativeSteps: Float64Array;
  /** For storeInt8: -2^30 in units of x * factor, below which the negative-side round applies. */
  private readonly negativeLimits: Float64Array;

  constructor(multipliers: Int32Array, shifts: Int32Array) {
    this.multipliers = multipliers;
    this.shifts = shifts;
    const channels = multipliers.length;
    this.leftFactors = new Int32Array(channels);
    this.rightShifts = new Int32Array(channels);
    this.halves = new Int32Array(channels);
    this.negativeAdjusts = new Int32Array(channels);
    this.rightScales = new Float64Array(channels);
    this.factors = new Float64Array(channels);
    this.roundings = new Float64Array(channels);
    this.negativeSteps = new Float64Array(channels);
    this.negativeLimits = new Float64Array(channels);
    for (let channel = 0; channel < channels; channel++) {
      const shift = shifts[channel];
      const rightShift = shift > 0 ? 0 : -shift;
      this.leftFactors[channel] = shift > 0 ? 2 ** shift : 1;
      this.rightShifts[channel] = rightShift;
      // rightShift 31 rounds everything to 0 or -1: 2^30 still fits an int32.
      this.halves[channel] = rightShift > 0 ? 2 ** (rightShift - 1) : 0;
      this.negativeAdjusts[channel] = rightShift > 0 ? 1 : 0;
      this.rightScales[channel] = 2 ** -rightShift;
      const leftShift = shift > 0 ? shift : 0;
      this.factors[channel] = multipliers[channel] * 2 ** (leftShift - 31 - rightShift);
      this.roundings[channel] = 0.5 + (rightShift > 0 ? 2 ** -(rightShift + 1) : 0);
      this.negativeSteps[channel] = rightShift > 0 ? 2 ** -rightShift : 0;
      this.negativeLimits[channel] = -TWO_POW_30 * 2 ** (-31 - rightShift);
    }
  }

  /** multiplyByQuantizedMultiplier(x, multipliers[channel], shifts[channel]), bit for bit. */
  apply(x: number, channel: number): number {
    // C shifts left in int32, so the shift wraps as Math.imul does.
    const shifted = Math.imul(x, this.leftFactors[channel]);
    const multiplier = this.multipliers[channel];
    const product = shifted * multiplier;
    const high = product < TWO_POW_51 && product > -TWO_POW_51
      ? Math.floor((product + TWO_POW_30) * TWO_POW_MINUS_31)
      : highMulSplit(shifted, multiplier);
    const rounded = high + this.halves[channel] - ((high >>> 31) & this.negativeAdjusts[channel]);
    // The int32 shift while that sum cannot overflow, else the same floor in doubles (exact).
    if (high < TWO_POW_30 && high >= -TWO_POW_30) return rounded >> this.rightShifts[channel];
    return Math.floor(rounded * this.rightScales[channel]);
  }

  /**
   * storeInt8's one-floor formula with the bias and the output offset folded into one addend,
   * for kernels that requantize value by value. For an exact sum with |sum| <= sumBound and
   * t = sum * factor + addend, floor(t), less one when t - floor(t) < negativeStep and t <
   * threshold, is apply((sum + bias) | 0, channel) + outputOffset. Writes factor, addend,
   * negativeStep and threshold to target[at..at + 3] and returns true, or returns false (writing
   * nothing) when that is not exact: sum + bias may wrap C's int32, the product may reach 2^52, or t may not be exact in a double (every term
   * is a multiple of 2^-(31 + n), so |t| <= |(sum + bias) * factor| + 1 + |outputOffset| must
   * stay below 2^(22 - n)).
   */
  foldBias(channel: number, bias: number, sumBound: number, outputOffset: number, target: Float64Array, at: number): boolean {
    const xBound = sumBound + Math.abs(bias);
    // x * factor in units of 2^-(31 + n); exact, or at least 2^53 when the true product is.
    const units = xBound * this.leftFactors[channel] * this.multipliers[channel];
    if (xBound >= TWO_POW_31 || units >= TWO_POW_52) return false;
    if (units + (1 + Math.abs(outputOffset)) * 2 ** (31 + this.rightShifts[channel]) >= TWO_POW_53) return false;
    const rounding = this.roundings[channel];
    // t < negativeLimit + rounding + outputOffset exactly when (sum + bias) * factor < negativeLimit.
    target[at] = this.factors[channel];
    target[at + 1] = bias * this.factors[channel] + rounding + outputOffset;
    target[at + 2] = this.negativeSteps[channel];
    target[at + 3] = this.negativeLimits[channel] + rounding + outputOffset;
    return true;
  }

  /**
   * The int8 output stage of TFLM's conv and fully connected kernels for a run of `count`
   * values, consecutive positions of every channel each: y[out + i] =
   * clamp(apply((sums[i] + bias[channel]) | 0) + outputOffset), the exact sum wrapping to C's
   * int32 accumulator. |sums[i]| <= sumBound, which the caller proves from its weights.
   *
   * Channel by channel, so the channel's constants stay in registers. When sumBound and the
   * bias keep x = sum + bias below 2^31 (no wrap) and |x * multiplier * 2^leftShift| below 2^52,
   * apply's floor((p + round) / 2^(31 + n)) is computed as floor(t) with t = x * F + 1/2 +
   * 2^-(n+1), F = multiplier * 2^(leftShift - 31 - n): one multiply-add, exact because every
   * term is a multiple of 2^-(31 + n) below 2^(21 - n), 53 bits at most. The
   * negative-side round is 2^-n smaller, which lowers the floor by one only when t's fraction is
   * below 2^-n, so that rare case is the only branch. Other channels take apply per value.
   */
  storeInt8(
    sums: Float64Array, count: number, sumBound: number, bias: Int32Array, outputOffset: number, activationMin: number, activationMax: number,
    y: Int8Array, out: number,
  ): void {
    const { factors, roundings, negativeSteps, negativeLimits, leftFactors, multipliers } = this;
    const channels = multipliers.length;
    for (let channel = 0; channel < channels; channel++) {
      const channelBias = bias[channel];
      const xBound = sumBound + Math.abs(channelBias);
      if (xBound < TWO_POW_31 && xBound * leftFactors[channel] * multipliers[channel] < TWO_POW_52) {
        const factor = factors[channel];
        const rounding = roundings[channel];
        const negativeStep = negativeSteps[channel];
        const negativeLimit = negativeLimits[channel];
        for (let i = channel; i < count; i += channels) {
          const scaled = (sums[i] + channelBias) * factor;
          const t = scaled + rounding;
          let value = Math.floor(t);
          if (t - value < negativeStep && scaled < negativeLimit) value -= 1;
          y[out + i] = clampInt(value + outputOffset, activationMin, activationMax);
        }
      } else {
        for (let i = channel; i < count; i += channels) {
          y[out + i] = clampInt(this.apply((sums[i] + channelBias) | 0, channel) + outputOffset, activationMin, activationMax);
        }
      }
    }
  }
}
