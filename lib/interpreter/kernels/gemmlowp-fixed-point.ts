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
