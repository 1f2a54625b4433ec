// The normalization family (lib/interpreter/kernels/normalization-kernels.ts: ELU, PRELU,
// LOG_SOFTMAX, L2_NORMALIZATION) on one-op models; expected values worked out by hand from TFLM's
// reference kernels (cited per test). For the fixed-point int8 paths the inputs are chosen so that
// the real result lies at least 0.02 output steps from a rounding boundary, far above the error of
// the Q5.26 / Q3.28 approximations, and the integer steps are written out.
import assert from 'node:assert/strict';
import { ActivationFunctionType, L2NormOptionsT } from '../../lib/model/schema/tflite.js';
import { list, oneOpError, type Operand, q, runOneOp } from './one-op-model.js';

const f32 = (shape: number[], values: number[]): Operand => ({ shape, dtype: 'float32', values });
const int8 = (shape: number[], scale: number, zeroPoint: number, values: number[] = []): Operand => (
  { shape, dtype: 'int8', quantization: q(scale, zeroPoint), values });

function close(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])), `element ${i}: ${a} vs ${expected[i]}`));
}

describe('interpreter: ELU (elu.cc)', function () {
  it('float32: expm1(x) below 0, x above', function () {
    close(list(runOneOp('ELU', [f32([3], [-1, 0, 2])], [f32([3], [])])[0]), [-0.6321205588285577, 0, 2]);
  });

  it('int8 through the 256-entry table of PopulateLookupTable', function () {
    // in 0.1 zp 0, out 0.05 zp 10 (1 / 0.05f = 20 in float32). q -10: -1.0 -> exp(-1) - 1 = -0.63212
    // -> * 20 = -12.64 -> -13 + 10 = -3. q 5: 0.5 * 20 = 10 -> 20. q 0 -> 10. q -128: -12.8 ->
    // -0.999997 * 20 = -19.99994 -> -20 + 10 = -10. q 127: 254 + 10 -> 127.
    const out = runOneOp('ELU', [int8([5], 0.1, 0, [-10, 5, 0, -128, 127])], [int8([5], 0.05, 10)])[0];
    assert.deepEqual(list(out), [-3, 20, 10, -10, 127]);
  });

  it('refuses int16 (TFLM\'s table is 8-bit only)', function () {
    const i16: Operand = { shape: [1], dtype: 'int16', quantization: q(1, 0), values: [0] };
    assert.match(oneOpError('ELU', [i16], [i16]), /unsupported ops: operator 0 \(ELU, int16\)/);
  });
});

describe('interpreter: PRELU (prelu.cc, reference/prelu.h)', function () {
  it('float32 with a per-channel alpha broadcast over rows', function () {
    const out = runOneOp('PRELU', [f32([2, 2], [-1, 2, -3, -4]), f32([2], [0.1, 0.5])], [f32([2, 2], [])])[0];
    close(list(out), [-0.1, 2, -0.3, -2]);
  });

  it('int8: x >= 0 by input/output scale, x < 0 by x * alpha and input*alpha/output scale', function () {
    // in 0.5 zp 0, alpha 0.01 zp 0 (q 25 = 0.25), out 0.25 zp 0: multipliers 2 and 0.5 * 0.01 / 0.25 = 0.02.
    // q -8: -8 * 25 = -200 * 0.02 = -4 (real -4 * 0.25 = -1 = -4 * 0.25). q 8: 16. q -6: -150 * 0.02 = -3.
    // q 127: 254 -> 127.
    const out = runOneOp('PRELU', [int8([4], 0.5, 0, [-8, 8, -6, 127]), { ...int8([1], 0.01, 0), data: Int8Array.of(25) }], [int8([4], 0.25, 0)])[0];
    assert.deepEqual(list(out), [-4, 16, -3, 127]);
  });

  it('int8 with zero points: (q - zp) and (alpha - alpha zp), plus the output zero point', function () {
    // in zp 3, alpha zp -5 (q 20 -> 25), out zp -2: q -5 -> -8 * 25 * 0.02 = -4 - 2 = -6; q 11 -> 8 * 2 - 2 = 14.
    const out = runOneOp('PRELU', [int8([2], 0.5, 3, [-5, 11]), { ...int8([1], 0.01, -5), data: Int8Array.of(20) }], [int8([2], 0.25, -2)])[0];
    assert.deepEqual(list(out), [-6, 14]);
  });

  it('int16 input with an int8 alpha', function () {
    // in 1/256, alpha 1/128 (q 64 = 0.5), out 1/256: multipliers 1 and 1/128. q -512 (-2.0): -512 * 64 / 128
    // = -256 (-1.0). q 300: 300.
    const out = runOneOp('PRELU', [{ shape: [2], dtype: 'int16', quantization: q(1 / 256, 0), values: [-512, 300] },
      { ...int8([1], 1 / 128, 0), data: Int8Array.of(64) }], [{ shape: [2], dtype: 'int16', quantization: q(1 / 256, 0) }])[0];
    assert.deepEqual(list(out), [-256, 300]);
  });

  it('refuses an int16 alpha for an int16 input and an alpha that does not broadcast', function () {
    const i16 = (values: number[]): Operand => ({ shape: [values.length], dtype: 'int16', quantization: q(1, 0), values });
    assert.match(oneOpError('PRELU', [i16([1]), i16([1])], [i16([0])]), /operator 0 \(PRELU\): int16 input needs an int8 alpha, got int16/);
    assert.match(oneOpError('PRELU', [f32([2, 2], [1, 2, 3, 4]), f32([3], [1, 2, 3])], [f32([2, 2], [])]), /inputs \[2, 2\] and \[3\] do not broadcast/);
  });
});

describe('interpreter: LOG_SOFTMAX (log_softmax.cc, reference/log_softmax.h)', function () {
  it('float32: x - max - log(sum exp(x - max)) per row', function () {
    // log(1 + e + e^2) = log(11.107337927) = 2.407605964.
    const out = runOneOp('LOG_SOFTMAX', [f32([2, 3], [0, 1, 2, 5, 5, 5])], [f32([2, 3], [])])[0];
    close(list(out), [-2.407605964, -1.407605964, -0.407605964, -1.0986122887, -1.0986122887, -1.0986122887]);
  });

  it('int8 (output 16/256, zp 127): Q5.26 differences, the log of the sum in Q5.26, rounded to Q4', function () {
    // input scale 1/16: input multiplier 2^-4 * 2^26 = 2^22 (2^30, left shift 23), so a difference d
    // is d * 2^22 in Q5.26 exactly. [0, 16, 32] are reals [0, 1, 2], differences from the max
    // [-2, -1, 0]: log(e^-2 + e^-1 + 1) = log(1.503215) = 0.407606 (Q5.26). Output (d * 2^22 - logSum)
    // / 2^22 rounded, + 127: (-2 - 0.4076) * 16 = -38.52 -> -39 + 127 = 88; (-1 - 0.4076) * 16 = -22.52
    // -> 104; -0.4076 * 16 = -6.52 -> -7 -> 120.
    const out = runOneOp('LOG_SOFTMAX', [int8([1, 3], 1 / 16, 0, [0, 16, 32])], [int8([1, 3], 16 / 256, 127)])[0];
    assert.deepEqual(list(out), [88, 104, 120]);
    // Scale 0.1 (a multiplier that is not a power of two): [0, 10, 20] are again about [0, 1, 2].
    const tenth = runOneOp('LOG_SOFTMAX', [int8([1, 3], 0.1, 0, [0, 10, 20])], [int8([1, 3], 16 / 256, 127)])[0];
    assert.deepEqual(list(tenth), [88, 104, 120]);
  });

  it('int8: differences below diff_min leave the sum and give -128', function () {
    // Left shift 23: diff_min = -floor(31 * 2^26 / 2^23) = -248. Row [0, 127]: d = -127 is kept:
    // -7.9375 - log(1 + e^-7.9375) = -7.93786 -> * 16 = -127.006 -> -127 + 127 = 0; the max gives
    // -0.000357 * 16 -> 0 -> 127. Row [-128, 127]: d = -255 < -248 is skipped (sum = 1, log 0) and
    // -255 is not above max(diff_min - 1, -512) = -249, so it is -128.
    const out = runOneOp('LOG_SOFTMAX', [int8([2, 2], 1 / 16, 0, [0, 127, -128, 127])], [int8([2, 2], 16 / 256, 127)])[0];
    assert.deepEqual(list(out), [0, 127, -128, 127]);
  });

  it('refuses an int8 output other than scale 16/256 and zero point 127', function () {
    assert.match(oneOpError('LOG_SOFTMAX', [int8([2], 0.1, 0, [1, 2])], [int8([2], 1 / 256, -128)]),
      /operator 0 \(LOG_SOFTMAX\): int8 output needs scale 16\/256 and zero point 127, got 0.00390625 and -128/);
  });
});

describe('interpreter: L2_NORMALIZATION (l2norm.cc)', function () {
  it('float32: x / max(sqrt(sum x^2), 1e-6) over the last dimension', function () {
    close(list(runOneOp('L2_NORMALIZATION', [f32([2, 2], [3, 4, 0, 0])], [f32([2, 2], [])], new L2NormOptionsT())[0]), [0.6, 0.8, 0, 0]);
  });

  it('int8: the inverse square root of the sum of squares, output in 1/128 units', function () {
    // [3, 4] (zp 0): sum 25. GetInvSqrtQuantizedMultiplierExp(25): 25 << 24 normalised, shift 11 - 12 = -1,
    // so the multiplier is doubled to 0.2 * 2^31 with shift 0. 3 * 0.2 with 7 more bits: 76.8 -> 77;
    // 4 -> 102.4 -> 102. [13, 14] with zp 10 is the same row. [0, 0]: sum 0 -> multiplier 2^31 - 1,
    // 0 * it = 0. [-128, 0] zp 0: -128 / 128 * 128 = -128.
    const out = runOneOp('L2_NORMALIZATION', [int8([2, 2], 0.5, 0, [3, 4, -128, 0])], [int8([2, 2], 1 / 128, 0)], new L2NormOptionsT())[0];
    assert.deepEqual(list(out), [77, 102, -128, 0]);
    const shifted = runOneOp('L2_NORMALIZATION', [int8([2, 2], 0.5, 10, [13, 14, 10, 10])], [int8([2, 2], 1 / 128, 0)], new L2NormOptionsT())[0];
    assert.deepEqual(list(shifted), [77, 102, 0, 0]);
  });

  it('refuses a fused activation and more than 4 dimensions', function () {
    assert.match(oneOpError('L2_NORMALIZATION', [f32([2], [1, 2])], [f32([2], [])], new L2NormOptionsT(ActivationFunctionType.RELU)),
      /operator 0 \(L2_NORMALIZATION\): fused activation RELU is not supported/);
    assert.match(oneOpError('L2_NORMALIZATION', [f32([1, 1, 1, 1, 2], [1, 2])], [f32([1, 1, 1, 1, 2], [])]), /input must have 1 to 4 dimensions, got 5/);
  });
});
