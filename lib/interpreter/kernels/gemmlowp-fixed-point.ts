// gemmlowp's int32 fixed-point transcendental functions (fixedpoint/fixedpoint.h), which TFLM's
// int8 SOFTMAX, LOGISTIC and TANH call. A value is a raw int32 with `integerBits` integer bits
// (Q<integerBits>.<31 - integerBits>); additions wrap as int32 as in C, products are
// SaturatingRoundingDoublingHighMul. Nothing here allocates.
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './quantization.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** FixedPoint<int32, 0>::One(). */
const ONE_Q0 = INT32_MAX;

/** x * 2^exponent: a saturating left shift or a rounding right shift. */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x << exponent;
}

/** Rescale<dstBits>(x with srcBits integer bits). */
function rescale(x: number, srcBits: number, dstBits: number): number {
  return saturatingRoundingMultiplyByPOT(x, srcBits - dstBits);
}

/** (a + b) / 2 rounded half away from zero, computed wide as gemmlowp's int64 path. */
function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** exp(a) for a in [-1/4, 0), Q0 in and out: a Taylor expansion around -1/8. */
function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const constantOneOverThree = 715827883;
  const x = (a + (1 << 28)) | 0;
  const x2 = saturatingRoundingDoublingHighMul(x, x);
  const x3 = saturatingRoundingDoublingHighMul(x2, x);
  const x4 = saturatingRoundingDoublingHighMul(x2, x2);
  const x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const polynomial = saturatingRoundingMultiplyByPOT(
    (saturatingRoundingDoublingHighMul((x4Over4 + x3) | 0, constantOneOverThree) + x2) | 0, -1);
  return (constantTerm + saturatingRoundingDoublingHighMul(constantTerm, (x + polynomial) | 0)) | 0;
}

/** The barrel shifter's factors exp(-2^k) in Q0, for k = BARREL_EXPONENTS[i]. */
const BARREL_EXPONENTS = Int32Array.of(-2, -1, 0, 1, 2, 3, 4);
const BARREL_MULTIPLIERS = Int32Array.of(1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242);

/** exp(a) for a <= 0 with `integerBits` integer bits; the result is Q0. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusOneQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (let i = 0; i < BARREL_EXPONENTS.length; i++) {
    const exponent = BARREL_EXPONENTS[i];
    if (integerBits > exponent && (remainder & (1 << (fractionalBits + exponent))) !== 0) {
      result = saturatingRoundingDoublingHighMul(result, BARREL_MULTIPLIERS[i]);
    }
  }
  if (integerBits > 5 && a < -(2 ** (36 - integerBits))) result = 0;
  return a === 0 ? ONE_Q0 : result;
}

/** Three Newton-Raphson steps for 1 / ((1 + a) / 2), a in (0, 1) as Q0; the estimate is Q2. */
function newtonRaphsonQ2(a: number): number {
  const halfDenominator = roundingHalfSum(a, ONE_Q0);
  const constant48Over17 = 1515870810;
  const constantNeg32Over17 = -1010580540;
  const oneQ2 = 1 << 29;
  let x = (constant48Over17 + saturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17)) | 0;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x);
    const oneMinusHalfDenominatorTimesX = (oneQ2 - halfDenominatorTimesX) | 0;
    x = (x + rescale(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 4, 2)) | 0;
  }
  return x;
}

/** 1 / (1 + a) for a in (0, 1), Q0 in and out. */
export function oneOverOnePlusXForXIn01(a: number): number {
  // ExactMulByPot<-1> turns Q2 into Q1 without touching the raw value.
  return rescale(newtonRaphsonQ2(a), 1, 0);
}

/** (1 - a) / (1 + a) for a in (0, 1), Q0 in and out. */
function oneMinusXOverOnePlusXForXIn01(a: number): number {
  return rescale((newtonRaphsonQ2(a) - (1 << 29)) | 0, 2, 0);
}

/** logistic(a) = 1 / (1 + exp(-a)); a has `integerBits` integer bits, the result is Q0. */
export function logistic(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30;
  const positive = a > 0;
  const absolute = positive ? a : -a | 0;
  const resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absolute | 0, integerBits));
  return positive ? resultIfPositive : (ONE_Q0 - resultIfPositive) | 0;
}

/** tanh(a); a has `integerBits` integer bits, the result is Q0. */
export function tanh(a: number, integerBits: number): number {
  if (a === 0) return 0;
  const negative = a < 0;
  const negativePart = negative ? a : -a | 0;
  // ExactMulByPot<1>: the same raw value read with one more integer bit is 2a.
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(negativePart, integerBits + 1));
  return negative ? -t | 0 : t;
}

/**
 * TFLM's GetReciprocal, for a positive x: x normalised into [1, 2) and inverted, as a Q0 scale.
 * The true 1 / x is this scale shifted right by reciprocalBitsOverUnit(x, integer bits of x).
 */
export function reciprocalScale(x: number): number {
  const headroomPlusOne = Math.clz32(x);
  return oneOverOnePlusXForXIn01(((x << headroomPlusOne) - INT32_MIN) | 0);
}

export function reciprocalBitsOverUnit(x: number, integerDigits: number): number {
  return integerDigits - Math.clz32(x);
}

/** SaturatingAddNonGemmlowp / SaturatingSub on int32 (common.h): the exact sum clamped to int32. */
function saturatingAdd(a: number, b: number): number {
  const sum = a + b;
  return sum > INT32_MAX ? INT32_MAX : sum < INT32_MIN ? INT32_MIN : sum;
}

/** Q0 constants of log_x_for_x_greater_than_or_equal_to_1_impl (common.h). */
const LOG_2 = 1488522236;
const SQRT_SQRT_HALF = 1805811301;
const SQRT_HALF = 1518500250;
const ONE_QUARTER = 536870912;
const ALPHA_N = 117049297;
const ALPHA_D = 127690142;
const ALPHA_I = 1057819769;
const ALPHA_F = 638450708;

/**
 * TFLM's log_x_for_x_greater_than_or_equal_to_1 (kernels/internal/common.h): ln(x) for x >= 1
 * with `inputIntegerBits`, as a raw value with `outputIntegerBits`. The exponent of x comes from
 * its leading zeros; the mantissa's log from a rational approximation around 2^-1/4.
 */
export function logXForXGreaterThanOrEqualTo1(x: number, inputIntegerBits: number, outputIntegerBits: number): number {
  const accumBits = outputIntegerBits + 1;
  const shiftedQuarter = rescale(ONE_QUARTER, 0, accumBits);
  const srdhm = saturatingRoundingDoublingHighMul;
  const zAHeadroomPlusOne = Math.clz32(x);
  const rATmp = saturatingRoundingMultiplyByPOT(x, zAHeadroomPlusOne - 1);
  const rA = saturatingRoundingMultiplyByPOT(srdhm(rATmp, SQRT_HALF), 1);
  const zAPow2Adj = saturatingAdd(saturatingRoundingMultiplyByPOT(inputIntegerBits - zAHeadroomPlusOne, 31 - accumBits), shiftedQuarter);
  const zB = srdhm(x, SQRT_HALF);
  const zBHeadroom = Math.clz32(zB) - 1;
  const rB = saturatingRoundingMultiplyByPOT(x, zBHeadroom);
  const zBPow2Adj = saturatingAdd(saturatingRoundingMultiplyByPOT(inputIntegerBits - zBHeadroom, 31 - accumBits), -shiftedQuarter);
  const r = Math.min(rA, rB);
  const zPow2Adj = Math.max(zAPow2Adj, zBPow2Adj);
  const p = roundingHalfSum(r, SQRT_SQRT_HALF);
  let q = (r - SQRT_SQRT_HALF) | 0;
  q = (q + q) | 0;
  const commonSq = srdhm(q, q);
  const num = (srdhm(q, r) + srdhm(srdhm(q, commonSq), ALPHA_N)) | 0;
  const denomMinusOne = (srdhm(p, (((ALPHA_I + q) | 0) + srdhm(ALPHA_D, commonSq)) | 0) + srdhm(ALPHA_F, q)) | 0;
  const recipDenom = oneOverOnePlusXForXIn01(denomMinusOne);
  const numScaled = rescale(num, 0, accumBits);
  return rescale((srdhm(zPow2Adj, LOG_2) + srdhm(numScaled, recipDenom)) | 0, accumBits, outputIntegerBits);
}

/**
 * TFLM's GetInvSqrtQuantizedMultiplierExp (common.h) with reverse_shift -1: 1 / sqrt(x) for an
 * int32 x >= 0 as a Q0 multiplier and a left shift, by five Newton-Raphson steps in Q3.28.
 * x <= 1 (0 included) gives the largest multiplier and shift 0. Writes [multiplier, shift] into
 * `result` so that invoke-time callers allocate nothing.
 */
export function invSqrtQuantizedMultiplier(x: number, result: Int32Array): void {
  if (x <= 1) {
    result[0] = INT32_MAX;
    result[1] = 0;
    return;
  }
  let input = x;
  let shift = 11;
  while (input >= 1 << 29) {
    input = Math.trunc(input / 4);
    shift++;
  }
  const leftShiftBitPairs = ((Math.clz32(input) - 1) >> 1) - 1;
  shift -= leftShiftBitPairs;
  input <<= 2 * leftShiftBitPairs;
  const srdhm = saturatingRoundingDoublingHighMul;
  const fixedInput = input >> 1;
  const halfInput = roundingDivideByPOT(fixedInput, 1);
  const halfThree = (1 << 28) + (1 << 27);
  let estimate = 1 << 28;
  for (let i = 0; i < 5; i++) {
    // x^3 is Q9.22 (three Q3 factors), read back as Q3; the update's products are Q6.
    const cube = rescale(srdhm(srdhm(estimate, estimate), estimate), 9, 3);
    estimate = rescale((srdhm(halfThree, estimate) - srdhm(halfInput, cube)) | 0, 6, 3);
  }
  let multiplier = srdhm(estimate, SQRT_HALF);
  if (shift < 0) {
    multiplier = multiplier << -shift;
    shift = 0;
  }
  result[0] = multiplier;
  result[1] = -shift;
}
