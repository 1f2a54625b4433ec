// Integer helpers of TFLM's Signal library (signal/src/msb*.cc, square_root*.cc, log.cc) and the
// uint64 arithmetic its kernels do, exactly, in doubles: every 64-bit quantity is kept as parts
// below 2^53 (a high part times 2^16 plus a low part), so invoke needs no BigInt.

const TWO_16 = 65536;
const TWO_32 = 4294967296;
const TWO_48 = 281474976710656;

/** MostSignificantBit32 as built with GCC: the 1-based index of the top set bit, and 32 for 0. */
export function mostSignificantBit32(x: number): number {
  return x === 0 ? 32 : 32 - Math.clz32(x);
}

/**
 * floor((a * b + c * d) mod 2^64 / 2^shift) mod 2^32 for uint32 a, b, c, d and 0 <= shift < 64:
 * a uint64 sum of products shifted right and stored to a uint32, as the Signal kernels do.
 */
export function productsShiftRight(a: number, b: number, c: number, d: number, shift: number): number {
  const bHigh = Math.floor(b / TWO_16);
  const dHigh = Math.floor(d / TWO_16);
  // value = high * 2^16 + low; each part < 2^49.
  const low = a * (b - bHigh * TWO_16) + c * (d - dHigh * TWO_16);
  const carry = Math.floor(low / TWO_16);
  const low16 = low - carry * TWO_16;
  // Reduce mod 2^64: the high part counts units of 2^16.
  const high = (a * bHigh + c * dHigh + carry) % TWO_48;
  if (shift >= 16) return Math.floor(high / 2 ** (shift - 16)) % TWO_32;
  return (high % 2 ** (16 + shift)) * 2 ** (16 - shift) + Math.floor(low16 / 2 ** shift);
}

/**
 * Stores high * 2^16 + low (integers, either sign, |parts| < 2^52) mod 2^64 as the little-endian
 * uint32 pair words[2 * index], words[2 * index + 1].
 */
export function storeUint64(words: Uint32Array, index: number, high: number, low: number): void {
  const lowCarry = Math.floor(low / TWO_16);
  const sixteens = high + lowCarry;
  const top = Math.floor(sixteens / TWO_16);
  words[2 * index] = (sixteens - top * TWO_16) * TWO_16 + (low - lowCarry * TWO_16);
  // A Uint32Array store wraps an integer mod 2^32.
  words[2 * index + 1] = top;
}

/**
 * The rounding rule shared by Sqrt32 and Sqrt64: their digit-by-digit loops end with the floor
 * square root r and remainder num - r^2, then add one when the remainder exceeds r (unless r is
 * already the largest value of the result type).
 */
function roundedRoot(root: number, remainder: number, max: number): number {
  return remainder > root && root !== max ? root + 1 : root;
}

/** Sqrt32: the rounded square root of a uint32, as a uint16. */
export function sqrt32(num: number): number {
  if (num === 0) return 0;
  let root = Math.floor(Math.sqrt(num));
  // Math.sqrt is correctly rounded; the floor can still be one off near perfect squares.
  while (root * root > num) root--;
  while ((root + 1) * (root + 1) <= num) root++;
  return roundedRoot(root, num - root * root, 0xffff);
}

/** num - root^2 for num = high * 2^32 + low and root < 2^32, exact while |result| < 2^53. */
function remainderOf(high: number, low: number, root: number): number {
  const rootHigh = Math.floor(root / TWO_16);
  const rootLow = root - rootHigh * TWO_16;
  // root^2 = rootHigh^2 * 2^32 + 2 * rootHigh * rootLow * 2^16 + rootLow^2
  return (high - rootHigh * rootHigh) * TWO_32 - 2 * rootHigh * rootLow * TWO_16 + (low - rootLow * rootLow);
}

/** Sqrt64 of the uint64 high * 2^32 + low, as a uint32; below 2^32 it is Sqrt32 (a uint16). */
export function sqrt64(high: number, low: number): number {
  if (high === 0) return sqrt32(low);
  // The double nearest the value gives the root within one; the exact remainder settles it.
  let root = Math.min(Math.floor(Math.sqrt(high * TWO_32 + low)), TWO_32 - 1);
  let remainder = remainderOf(high, low, root);
  while (remainder < 0) {
    root--;
    remainder = remainderOf(high, low, root);
  }
  while (remainder > 2 * root && root < TWO_32 - 1) {
    root++;
    remainder = remainderOf(high, low, root);
  }
  return roundedRoot(root, remainder, TWO_32 - 1);
}

// kLogLut of signal/src/log.cc (TFLM, Apache-2.0), kept verbatim: the log2 correction of each of
// 128 segments of the fraction, scaled by 2^16, with a padding entry.
export const LOG_LUT = new Uint16Array([
  0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163,
  2329, 2490, 2646, 2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848,
  3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934,
  5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507,
  5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633,
  5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370,
  5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762,
  4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848,
  3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659,
  2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224,
  1094, 963, 830, 695, 559, 421, 282, 142, 0, 0,
]);
const LOG_SCALE_LOG2 = 16;
const LOG_SEGMENTS_LOG2 = 7;
/** ln(2) * 2^16, rounded. */
const LOG_COEFF = 45426;

/** Log2FractionPart32: the fraction of log2(x) in 1/2^16 units, x's top bit being bit `log2x`. */
function log2Fraction(x: number, log2x: number): number {
  let frac = x - 2 ** log2x;
  frac = log2x < LOG_SCALE_LOG2 ? frac << (LOG_SCALE_LOG2 - log2x) : frac >> (log2x - LOG_SCALE_LOG2);
  const segment = frac >> (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2);
  const c0 = LOG_LUT[segment];
  const c1 = LOG_LUT[segment + 1];
  const segmentBase = segment << (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2);
  // An arithmetic shift: the correction may be negative.
  const relative = ((c1 - c0) * (frac - segmentBase)) >> LOG_SCALE_LOG2;
  return frac + c0 + relative;
}

/** Log32: ln(x) * outScale / 2^16 for a uint32 x > 1, in uint32 arithmetic. */
export function log32(x: number, outScale: number): number {
  const integer = mostSignificantBit32(x) - 1;
  const log2 = integer * TWO_16 + log2Fraction(x, integer);
  const round = TWO_16 / 2;
  // A uint64 product (< 2^37), then truncated to uint32.
  const loge = Math.floor((LOG_COEFF * log2 + round) / TWO_16) % TWO_32;
  // uint32 arithmetic: the product wraps.
  return ((Math.imul(outScale, loge) + round) >>> 0) >>> LOG_SCALE_LOG2;
}
