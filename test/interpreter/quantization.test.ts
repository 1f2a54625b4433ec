// The fixed-point helpers against a BigInt transcription of gemmlowp/TFLM semantics (exact
// 64-bit products, C's truncating division), and QuantizeMultiplier against hand-worked values.
import assert from 'node:assert/strict';
import {
  activationRangeQuantized, ChannelMultipliers, frexp, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierFast, multiplyByQuantizedMultiplierInt64, quantizeMultiplier, roundHalfAwayFromZero,
  roundingDivideByPOT, saturatingRoundingDoublingHighMul,
} from '../../lib/interpreter/kernels/quantization.js';
import { Int8Output } from '../../lib/interpreter/kernels/int8-output.js';
import { ActivationFunctionType } from '../../lib/model/schema/tflite.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function toInt32(x: bigint): number {
  return Number(BigInt.asIntN(32, x));
}

function referenceSrdhm(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const product = BigInt(a) * BigInt(b);
  const nudge = product >= 0n ? 1n << 30n : 1n - (1n << 30n);
  // BigInt division truncates toward zero, as C's int64 division does.
  return toInt32((product + nudge) / (1n << 31n));
}

function referenceRdbpot(x: number, exponent: number): number {
  const mask = (1n << BigInt(exponent)) - 1n;
  const big = BigInt(x);
  const remainder = big & mask;
  const threshold = (mask >> 1n) + (big < 0n ? 1n : 0n);
  return toInt32((big >> BigInt(exponent)) + (remainder > threshold ? 1n : 0n));
}

function referenceMbqm(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return referenceRdbpot(referenceSrdhm(toInt32(BigInt(x) << BigInt(left)), multiplier), right);
}

// mulberry32, so the random cases are reproducible.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) | 0;
  };
}

const EDGES = [INT32_MIN, INT32_MIN + 1, -65537, -65536, -65535, -32768, -2, -1, 0, 1, 2, 32767, 65535, 65536, 1 << 30, INT32_MAX - 1, INT32_MAX];

describe('interpreter: fixed-point arithmetic', function () {
  it('SaturatingRoundingDoublingHighMul equals the 64-bit reference on edges and 200k random pairs', function () {
    for (const a of EDGES) for (const b of EDGES) assert.equal(saturatingRoundingDoublingHighMul(a, b), referenceSrdhm(a, b), `${a} x ${b}`);
    assert.equal(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
    const next = random(7);
    for (let i = 0; i < 200000; i++) {
      // Mix full-range values with small ones, where rounding ties are likely.
      const a = i % 3 === 0 ? next() >> 16 : next();
      const b = i % 5 === 0 ? next() >> 20 : next();
      assert.equal(saturatingRoundingDoublingHighMul(a, b), referenceSrdhm(a, b), `${a} x ${b}`);
    }
  });

  it('RoundingDivideByPOT equals the reference for every exponent 0..31, ties included', function () {
    const next = random(11);
    for (let exponent = 0; exponent <= 31; exponent++) {
      for (const x of EDGES) assert.equal(roundingDivideByPOT(x, exponent), referenceRdbpot(x, exponent), `${x} >> ${exponent}`);
      for (let i = 0; i < 2000; i++) {
        const x = next();
        assert.equal(roundingDivideByPOT(x, exponent), referenceRdbpot(x, exponent), `${x} >> ${exponent}`);
      }
    }
    // Hand-worked ties: 5/2 = 2.5 -> 3, -5/2 = -2.5 -> -3, -6/4 = -1.5 -> -2, 7/4 = 1.75 -> 2.
    assert.deepEqual([roundingDivideByPOT(5, 1), roundingDivideByPOT(-5, 1), roundingDivideByPOT(-6, 2), roundingDivideByPOT(7, 2)], [3, -3, -2, 2]);
  });

  it('MultiplyByQuantizedMultiplier equals the reference for shifts -31..7', function () {
    const next = random(13);
    for (let i = 0; i < 100000; i++) {
      const x = i % 2 === 0 ? next() : next() >> 12;
      const multiplier = (next() >>> 1) | (1 << 30);
      const shift = (i % 39) - 31;
      assert.equal(multiplyByQuantizedMultiplier(x, multiplier, shift), referenceMbqm(x, multiplier, shift), `${x} * ${multiplier} << ${shift}`);
    }
  });

  it('the fast MultiplyByQuantizedMultiplier equals the reference for shifts -31..7, small and large products', function () {
    const next = random(29);
    for (let i = 0; i < 200000; i++) {
      const x = i % 3 === 0 ? next() : next() >> (i % 3 === 1 ? 12 : 20);
      const multiplier = (next() >>> 1) | (1 << 30);
      const shift = (i % 39) - 31;
      assert.equal(multiplyByQuantizedMultiplierFast(x, multiplier, shift), referenceMbqm(x, multiplier, shift), `${x} * ${multiplier} << ${shift}`);
    }
  });

  it('ChannelMultipliers equals the reference per channel for shifts -31..7, rounding ties included', function () {
    const next = random(31);
    const shifts = Int32Array.from({ length: 39 }, (_, i) => i - 31);
    // Multipliers 2^30 and 3 * 2^29 put x * multiplier on exact halves of 2^31 and of the final shift.
    for (const fixed of [1 << 30, 3 << 29, 0]) {
      const multipliers = Int32Array.from(shifts, () => fixed === 0 ? (next() >>> 1) | (1 << 30) : fixed);
      const channels = new ChannelMultipliers(multipliers, shifts);
      for (let i = 0; i < 60000; i++) {
        const channel = i % shifts.length;
        const x = i % 4 === 0 ? next() : i % 4 === 1 ? next() >> 12 : i % 4 === 2 ? next() >> 20 : (i % 2001) - 1000;
        assert.equal(channels.apply(x, channel), referenceMbqm(x, multipliers[channel], shifts[channel]), `${x} * ${multipliers[channel]} << ${shifts[channel]}`);
      }
    }
  });

  it('ChannelMultipliers.storeInt8 requantizes runs as the reference, on the fast path and off it, ties included', function () {
    const next = random(37);
    const shifts = Int32Array.of(-9, -1, 0, 3, -31, -12, -2, -5);
    // 2^30 and 3 * 2^29 put x * multiplier on exact halves of both roundings.
    const multipliers = Int32Array.from(shifts, (_, i) => i === 6 ? 1 << 30 : i === 7 ? 3 << 29 : (next() >>> 1) | (1 << 30));
    const channels = new ChannelMultipliers(multipliers, shifts);
    const bias = Int32Array.from(shifts, () => next() >> 21);
    // Sums below 2^12 and 2^16 keep every channel on the one-multiply path; 2^20 and 2^31 leave it.
    for (const magnitude of [12, 16, 20, 31]) {
      const sums = Float64Array.from({ length: shifts.length * 400 }, (_, i) => i % 5 === 0 ? (i % 2001) - 1000 : next() >> (32 - magnitude));
      const y = new Int8Array(sums.length);
      channels.storeInt8(sums, sums.length, 2 ** (magnitude - 1), bias, -3, -100, 120, y, 0);
      sums.forEach((sum, i) => {
        const channel = i % shifts.length;
        const expected = Math.min(120, Math.max(-100, referenceMbqm((sum + bias[channel]) | 0, multipliers[channel], shifts[channel]) - 3));
        assert.equal(y[i], expected, `sum ${sum}, channel ${channel}`);
      });
    }
  });

  it('Int8Output.value with a folded bias requantizes as the reference, on the one-floor path and off it, ties included', function () {
    const next = random(41);
    const shifts = Int32Array.of(-9, -1, 0, 3, -31, -12, -2, -5, -20, -4);
    // 2^30 and 3 * 2^29 put x * multiplier on exact halves of both roundings.
    const multipliers = Int32Array.from(shifts, (_, i) => i === 6 ? 1 << 30 : i === 7 ? 3 << 29 : (next() >>> 1) | (1 << 30));
    const bias = Int32Array.from(shifts, () => next() >> 21);
    // What a kernel folds in besides the int32 bias (input offset x sum of the weights); 3 * 2^31
    // takes the last channel's whole bias past int32, where only the wrapped accumulator counts.
    const extra = Float64Array.from(shifts, (_, i) => i === shifts.length - 1 ? 3 * 2 ** 31 : (next() >> 20) * 255);
    for (const outputOffset of [-3, 127, -128]) {
      // Sums whose results land inside the clamp (where the negative-side rounding shows), and
      // random ones of every size.
      const sums = Array.from({ length: 30000 }, (_, i) => {
        const channel = i % shifts.length;
        const scale = multipliers[channel] * 2 ** (shifts[channel] - 31);
        const inRange = Math.round(((i % 200) - 100 - outputOffset) / scale - bias[channel] - extra[channel]) + (next() % 5);
        return i % 3 === 0 ? next() >> (12 + (i % 20)) : Math.abs(inRange) < 2 ** 24 ? inRange : i % 2001;
      });
      const sumBounds = new Float64Array(shifts.length);
      sums.forEach((sum, i) => { sumBounds[i % shifts.length] = Math.max(sumBounds[i % shifts.length], Math.abs(sum)); });
      const output = new Int8Output({ inputOffset: 0, outputOffset, multipliers, shifts, activationMin: -120, activationMax: 110 }, 0);
      // Off the one-floor path at least where 3 * 2^31 is folded in and where the shift is 31.
      assert.equal(output.foldBias(bias, extra, sumBounds), false);
      sums.forEach((sum, i) => {
        const channel = i % shifts.length;
        const accumulator = (sum + bias[channel] + extra[channel]) | 0;
        const expected = Math.min(110, Math.max(-120, referenceMbqm(accumulator, multipliers[channel], shifts[channel]) + outputOffset));
        assert.equal(output.value(sum, channel), expected, `sum ${sum}, channel ${channel}, offset ${outputOffset}`);
      });
    }
    // Right shifts up to 13 leave room for t's fraction bits (22 - n above, 31 + n below the
    // point): small sums and biases take the one-floor path on every such channel, not at 2^-31.
    const fold = (shift: number): boolean => new Int8Output({ inputOffset: 0, outputOffset: 127, multipliers: Int32Array.of(1 << 30), shifts: Int32Array.of(shift), activationMin: -128, activationMax: 127 }, 0)
      .foldBias(Int32Array.of(1000), new Float64Array(1), new Float64Array(1).fill(2 ** 11));
    assert.deepEqual([3, 0, -1, -9, -13, -31].map(fold), [true, true, true, true, true, false]);
  });

  it('frexp and round behave as C\'s', function () {
    assert.deepEqual(frexp(1), { fraction: 0.5, exponent: 1 });
    assert.deepEqual(frexp(0.75), { fraction: 0.75, exponent: 0 });
    assert.deepEqual(frexp(-3), { fraction: -0.75, exponent: 2 });
    assert.deepEqual(frexp(2 ** -1070), { fraction: 0.5, exponent: -1069 });
    assert.deepEqual([roundHalfAwayFromZero(2.5), roundHalfAwayFromZero(-2.5), roundHalfAwayFromZero(0.49999999999999994)], [3, -3, 0]);
  });

  it('QuantizeMultiplier matches hand-worked values', function () {
    assert.deepEqual(quantizeMultiplier(0), { multiplier: 0, shift: 0 });
    assert.deepEqual(quantizeMultiplier(0.5), { multiplier: 2 ** 30, shift: 0 });
    assert.deepEqual(quantizeMultiplier(1), { multiplier: 2 ** 30, shift: 1 });
    assert.deepEqual(quantizeMultiplier(0.75), { multiplier: 1610612736, shift: 0 });
    assert.deepEqual(quantizeMultiplier(3 / 1024), { multiplier: 1610612736, shift: -8 });
    // 1 - 2^-33: the fraction rounds up to 2^31, which is halved with the shift raised.
    assert.deepEqual(quantizeMultiplier(1 - 2 ** -33), { multiplier: 2 ** 30, shift: 1 });
    // Below 2^-32 the shift would be < -31: flushed to zero.
    assert.deepEqual(quantizeMultiplier(2 ** -40), { multiplier: 0, shift: 0 });
    assert.deepEqual(quantizeMultiplier(2 ** -32), { multiplier: 2 ** 30, shift: -31 });
  });

  it('activation ranges follow CalculateActivationRangeQuantized', function () {
    // scale 0.05, zero point -10: 0 -> -10, 6 -> 110, -1 -> -30, 1 -> 10.
    assert.deepEqual(activationRangeQuantized(ActivationFunctionType.NONE, 'int8', 0.05, -10), [-128, 127]);
    assert.deepEqual(activationRangeQuantized(ActivationFunctionType.RELU, 'int8', 0.05, -10), [-10, 127]);
    assert.deepEqual(activationRangeQuantized(ActivationFunctionType.RELU6, 'int8', 0.05, -10), [-10, 110]);
    assert.deepEqual(activationRangeQuantized(ActivationFunctionType.RELU_N1_TO_1, 'int8', 0.05, -10), [-30, 10]);
    // 6 / 0.01 = 600 is clipped to the int8 maximum.
    assert.deepEqual(activationRangeQuantized(ActivationFunctionType.RELU6, 'int8', 0.01, 0), [0, 127]);
    assert.equal(activationRangeQuantized(ActivationFunctionType.TANH, 'int8', 0.05, 0), null);
  });
});

describe('interpreter: fixed-point arithmetic, int64 accumulators', function () {
  // null when the result leaves int32, which TFLM rules out (DCHECK) and so is not compared.
  function referenceMbqm64(x: bigint, multiplier: number, shift: number): number | null {
    const reduced = multiplier < 0x7fff0000 ? (multiplier + (1 << 15)) >> 16 : 0x7fff;
    const totalShift = BigInt(15 - shift);
    // BigInt >> is an arithmetic (flooring) shift, as int64 >> is on the compilers TFLM targets.
    const result = (x * BigInt(reduced) + (1n << (totalShift - 1n))) >> totalShift;
    return BigInt.asIntN(32, result) === result ? Number(result) : null;
  }

  it('MultiplyByQuantizedMultiplier(int64) equals the 64-bit reference for |x| < 2^47, shifts -31..7', function () {
    const next = random(17);
    let compared = 0;
    const edges = [-(2 ** 47), -(2 ** 47) + 1, -(2 ** 24) - 1, -1, 0, 1, 2 ** 24, 2 ** 47 - 1];
    for (let i = 0; i < 100000; i++) {
      const x = i < edges.length * 39 ? edges[i % edges.length] : (next() * 2 ** 15 + (next() >>> 17)) * (i % 2 === 0 ? 1 : 1 / 2 ** 15);
      const xi = Math.trunc(x);
      const multiplier = i % 7 === 0 ? 0x7fff8000 + (next() >>> 17) : (next() >>> 1) | (1 << 30);
      const shift = (i % 39) - 31;
      const expected = referenceMbqm64(BigInt(xi), multiplier, shift);
      if (expected === null) continue;
      compared++;
      assert.equal(multiplyByQuantizedMultiplierInt64(xi, multiplier, shift), expected, `${xi} * ${multiplier} << ${shift}`);
    }
    assert.ok(compared > 50000, `only ${compared} cases in range`);
  });
});
