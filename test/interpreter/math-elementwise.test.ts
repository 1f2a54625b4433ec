// The elementwise math family (lib/interpreter/kernels/math-elementwise-kernels.ts) on one-op
// models; expected values worked out by hand from each op's definition in TFLM's reference
// kernels (cited per test), float32 within 1e-5 relative, int8/int16 exact.
import assert from 'node:assert/strict';
import { FillOptionsT } from '../../lib/model/schema/tflite.js';
import { list, oneOpError, type Operand, q, runOneOp } from './one-op-model.js';

const f32 = (shape: number[], values: number[]): Operand => ({ shape, dtype: 'float32', values });

function close(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    const tolerance = 1e-5 * Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(a - expected[i]) <= tolerance, `element ${i}: ${a} vs ${expected[i]}`);
  });
}

function unaryFloat(op: string, values: number[]): number[] {
  return list(runOneOp(op, [f32([values.length], values)], [f32([values.length], [])])[0]);
}

describe('interpreter: float32 unary math (elementwise.cc, exp.cc, neg.cc)', function () {
  it('SIN, COS, LOG, SQRT, SQUARE, EXP, NEG of known values', function () {
    // sin(0.5) = 0.4794255386, cos(0.5) = 0.8775825619, ln 2 = 0.6931471806, sqrt 2 = 1.4142135624, e = 2.7182818285.
    close(unaryFloat('SIN', [0, 0.5, -0.5]), [0, 0.479425538604203, -0.479425538604203]);
    close(unaryFloat('COS', [0, 0.5]), [1, 0.8775825618903728]);
    close(unaryFloat('LOG', [1, 2, 0.5]), [0, 0.6931471805599453, -0.6931471805599453]);
    close(unaryFloat('SQRT', [0, 2, 9]), [0, 1.4142135623730951, 3]);
    close(unaryFloat('SQUARE', [-3, 0.5, 1.5]), [9, 0.25, 2.25]);
    close(unaryFloat('EXP', [0, 1, -1]), [1, 2.718281828459045, 0.36787944117144233]);
    assert.deepEqual(unaryFloat('NEG', [1.5, -2, 0]), [-1.5, 2, -0]);
  });

  it('LOG of 0 is -Infinity and SQRT of a negative is NaN, as the C library gives', function () {
    assert.deepEqual(unaryFloat('LOG', [0]), [-Infinity]);
    assert.ok(Number.isNaN(unaryFloat('SQRT', [-1])[0]));
  });

  it('FLOOR and CEIL (std::floor, std::ceil)', function () {
    assert.deepEqual(unaryFloat('FLOOR', [-1.5, -0.5, 0, 0.2, 1.7]), [-2, -1, 0, 0, 1]);
    assert.deepEqual(unaryFloat('CEIL', [-1.5, -0.5, 0, 0.2, 1.7]), [-1, -0, 0, 1, 2]);
  });

  it('ROUND rounds halves to even (reference/round.h RoundToNearest), unlike std::round', function () {
    // -0.5: floor -1, fraction 0.5, -1 is odd -> -1 + 1 = +0. 2.6 -> 3, -2.4 -> -2.
    assert.deepEqual(unaryFloat('ROUND', [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.6, -2.4]), [-2, -2, 0, 0, 2, 2, 3, -2]);
  });

  it('refuses int8 for the float-only ops at load, naming op and dtype', function () {
    const int8 = { shape: [2], dtype: 'int8' as const, quantization: q(1, 0), values: [1, 2] };
    for (const op of ['SIN', 'EXP', 'FLOOR', 'ROUND', 'NEG']) {
      assert.match(oneOpError(op, [int8], [int8]), new RegExp(`unsupported ops: operator 0 \\(${op}, int8\\)`));
    }
  });

  it('refuses a float32 input with an int8 output', function () {
    assert.match(oneOpError('SQRT', [f32([2], [1, 2])], [{ shape: [2], dtype: 'int8', quantization: q(1, 0) }]),
      /operator 0 \(SQRT\): input is float32 but output is int8/);
  });
});

describe('interpreter: ABS (elementwise.cc AbsEvalQuantized)', function () {
  it('float32', function () {
    assert.deepEqual(unaryFloat('ABS', [-1.5, 2, -0]), [1.5, 2, 0]);
  });

  it('int8 rescaled when the scales differ', function () {
    // in 0.5 zp 2, out 0.25 zp -3: multiplier 0.5 / 0.25 = 2. q -6: |-6 - 2| = 8 -> 8 * 2 = 16 - 3 = 13
    // (real |-4| / 0.25 - 3). q 2: 0 -> -3. q 127: 125 * 2 - 3 = 247 -> 127.
    const out = runOneOp('ABS', [{ shape: [3], dtype: 'int8', quantization: q(0.5, 2), values: [-6, 2, 127] }],
      [{ shape: [3], dtype: 'int8', quantization: q(0.25, -3) }])[0];
    assert.deepEqual(list(out), [13, -3, 127]);
  });

  it('int8 with equal scales adds the output zero point only', function () {
    // |(-128) - 2| = 130 -> 130 + 0 -> 127; |-6 - 2| = 8.
    const out = runOneOp('ABS', [{ shape: [2], dtype: 'int8', quantization: q(0.5, 2), values: [-128, -6] }],
      [{ shape: [2], dtype: 'int8', quantization: q(0.5, 0) }])[0];
    assert.deepEqual(list(out), [127, 8]);
  });

  it('int16 quantized (zero points 0) and unquantized (std::abs wraps -32768)', function () {
    // scale 1 -> 0.5: multiplier 2: |-100| * 2 = 200; 32768 * 2 -> 32767.
    const quantized = runOneOp('ABS', [{ shape: [2], dtype: 'int16', quantization: q(1, 0), values: [-100, -32768] }],
      [{ shape: [2], dtype: 'int16', quantization: q(0.5, 0) }])[0];
    assert.deepEqual(list(quantized), [200, 32767]);
    const plain = runOneOp('ABS', [{ shape: [2], dtype: 'int16', values: [-5, -32768] }], [{ shape: [2], dtype: 'int16' }])[0];
    assert.deepEqual(list(plain), [5, -32768]);
  });

  it('refuses int16 with a non-zero zero point', function () {
    assert.match(oneOpError('ABS', [{ shape: [1], dtype: 'int16', quantization: q(1, 3), values: [0] }], [{ shape: [1], dtype: 'int16', quantization: q(1, 0) }]),
      /operator 0 \(ABS\): int16 needs zero points of 0, got input 3 and output 0/);
  });
});

describe('interpreter: RSQRT (elementwise.cc RsqrtEvalQuantized)', function () {
  it('float32 1 / sqrt(x)', function () {
    close(unaryFloat('RSQRT', [4, 0.25, 2]), [0.5, 2, 0.7071067811865476]);
  });

  it('int8: 1 / sqrt(v) in 20 fractional bits, rescaled by 1 / (sqrt(input scale) * output scale)', function () {
    // in 0.25 zp 0, out 1/64 zp 0: output multiplier 1 / (0.5 / 64) = 128 (2^30, shift 8).
    // q 16: v = 16, GetInvSqrtQuantizedMultiplierExp(16) ~ 0.25 -> data = 2^20 / 4 = 262144;
    //   262144 * 128 / 2^20 = 32 (real 1 / sqrt(4) = 0.5 = 32 / 64).
    // q 4: 1 / sqrt(1) = 1 -> 64. q 9: 1 / 1.5 = 0.6667 -> 42.67 -> 43. q 100: 1 / 5 -> 12.8 -> 13.
    // q 1: 1 / 0.5 = 2 -> 128 -> 127. q 0: v = 0 gives the maximum, 127.
    const out = runOneOp('RSQRT', [{ shape: [6], dtype: 'int8', quantization: q(0.25, 0), values: [16, 4, 9, 100, 1, 0] }],
      [{ shape: [6], dtype: 'int8', quantization: q(1 / 64, 0) }])[0];
    assert.deepEqual(list(out), [32, 64, 43, 13, 127, 127]);
  });

  it('int8 with zero points: v = q - input zero point, plus the output zero point', function () {
    // in 0.25 zp -20, out 1/64 zp -100: q -4 -> v 16 -> 32 - 100 = -68; q 80 -> v 100 -> 13 - 100 = -87.
    const out = runOneOp('RSQRT', [{ shape: [2], dtype: 'int8', quantization: q(0.25, -20), values: [-4, 80] }],
      [{ shape: [2], dtype: 'int8', quantization: q(1 / 64, -100) }])[0];
    assert.deepEqual(list(out), [-68, -87]);
  });

  it('int8 fails the invoke on an input below the zero point, as TFLM does', function () {
    assert.match(oneOpError('RSQRT', [{ shape: [2], dtype: 'int8', quantization: q(0.25, 0), values: [4, -1] }], [{ shape: [2], dtype: 'int8', quantization: q(1 / 64, 0) }]),
      /operator 0 \(RSQRT\): input value -1 is below the zero point 0/);
  });
});

describe('interpreter: SQUARED_DIFFERENCE (squared_difference.cc)', function () {
  it('float32 broadcasts [2, 2] with [2]', function () {
    const out = runOneOp('SQUARED_DIFFERENCE', [f32([2, 2], [1, 2, 3, 4]), f32([2], [0.5, 4])], [f32([2, 2], [])])[0];
    assert.deepEqual(list(out), [0.25, 4, 6.25, 0]);
  });

  it('int32 squares in wrapping int32', function () {
    // 65536^2 = 2^32 wraps to 0; 46341^2 = 2147488281 wraps to -2147479015; (-3 - 4)^2 = 49.
    const i32 = (values: number[]): Operand => ({ shape: [3], dtype: 'int32', values });
    const out = runOneOp('SQUARED_DIFFERENCE', [i32([65536, 46341, -3]), i32([0, 0, 4])], [i32([])])[0];
    assert.deepEqual(list(out), [0, -2147479015, 49]);
  });

  it('int8: 7-bit left shift, inputs on half the larger scale, squared, rescaled', function () {
    // s1 0.5 zp 0, s2 0.25 zp 1, out 1 zp -10. twice max = 1: multipliers 0.5 and 0.25; output
    // (1 * 1) / (2^14 * 1) = 2^-14. [4, 5]: 4 * 128 * 0.5 = 256, (5 - 1) * 128 * 0.25 = 128, diff 128,
    // 128^2 = 16384 * 2^-14 = 1, - 10 = -9 (real (2 - 1)^2 = 1). [10, -19]: 640 - (-640) = 1280,
    // 1638400 * 2^-14 = 100 -> 90. [127, -128]: (63.5 + 32.25)^2 = 9168 -> 127.
    const out = runOneOp('SQUARED_DIFFERENCE', [
      { shape: [3], dtype: 'int8', quantization: q(0.5, 0), values: [4, 10, 127] },
      { shape: [3], dtype: 'int8', quantization: q(0.25, 1), values: [5, -19, -128] },
    ], [{ shape: [3], dtype: 'int8', quantization: q(1, -10) }])[0];
    assert.deepEqual(list(out), [-9, 90, 127]);
  });

  it('int16: no left shift, zero points 0', function () {
    // scales 1/256 -> 1/256: input multipliers 0.5, output (2/256)^2 / (1/256) = 1/64. [512, 256]:
    // 256 - 128 = 128, 16384 / 64 = 256 (real (2 - 1)^2 = 1 = 256 / 256). [0, 1024]: (-512)^2 / 64 = 4096.
    const s = q(1 / 256, 0);
    const out = runOneOp('SQUARED_DIFFERENCE', [
      { shape: [2], dtype: 'int16', quantization: s, values: [512, 0] },
      { shape: [2], dtype: 'int16', quantization: s, values: [256, 1024] },
    ], [{ shape: [2], dtype: 'int16', quantization: s }])[0];
    assert.deepEqual(list(out), [256, 4096]);
  });

  it('refuses mixed dtypes and shapes that do not broadcast', function () {
    assert.match(oneOpError('SQUARED_DIFFERENCE', [f32([2], [1, 2]), { shape: [2], dtype: 'int32', values: [1, 2] }], [f32([2], [])]),
      /operator 0 \(SQUARED_DIFFERENCE\): inputs float32 and int32 with output float32: all three must have the same dtype/);
    assert.match(oneOpError('SQUARED_DIFFERENCE', [f32([3], [1, 2, 3]), f32([2], [1, 2])], [f32([3], [])]),
      /inputs \[3\] and \[2\] do not broadcast to the output \[3\]/);
  });
});

describe('interpreter: FLOOR_DIV and FLOOR_MOD (float32)', function () {
  it('FLOOR_DIV: floor(x / y) with a broadcast divisor', function () {
    assert.deepEqual(list(runOneOp('FLOOR_DIV', [f32([4], [7, -7, 7.5, -7.5]), f32([1], [2])], [f32([4], [])])[0]), [3, -4, 3, -4]);
  });

  it('FLOOR_DIV fails the invoke on a zero divisor', function () {
    assert.match(oneOpError('FLOOR_DIV', [f32([2], [1, 2]), f32([2], [1, 0])], [f32([2], [])]), /operator 0 \(FLOOR_DIV\): division by 0/);
  });

  it('FLOOR_MOD takes the divisor\'s sign (fmod, then + y when the signs differ)', function () {
    // fmod(-7, 3) = -1 -> -1 + 3 = 2; fmod(7, -3) = 1 -> 1 - 3 = -2; fmod(5.5, 2) = 1.5.
    const out = runOneOp('FLOOR_MOD', [f32([5], [7, -7, 7, -7, 5.5]), f32([5], [3, 3, -3, -3, 2])], [f32([5], [])])[0];
    assert.deepEqual(list(out), [1, 2, -2, -1, 1.5]);
  });

  it('FLOOR_MOD by 0 is NaN: TFLM checks no divisor (fmod(x, 0) = NaN)', function () {
    assert.ok(Number.isNaN(list(runOneOp('FLOOR_MOD', [f32([1], [5]), f32([1], [0])], [f32([1], [])])[0])[0]));
  });

  it('refuses int32 (TFLM\'s Eval takes float32 only)', function () {
    const i32 = { shape: [1], dtype: 'int32' as const, values: [1] };
    assert.match(oneOpError('FLOOR_MOD', [i32, i32], [i32]), /unsupported ops: operator 0 \(FLOOR_MOD, int32\)/);
  });
});

describe('interpreter: ADD_N (add_n.cc)', function () {
  it('float32 sums three inputs', function () {
    const out = runOneOp('ADD_N', [f32([2], [1, 2]), f32([2], [0.5, 0.5]), f32([2], [-3, 1])], [f32([2], [])])[0];
    assert.deepEqual(list(out), [-1.5, 3.5]);
  });

  it('int8: (q - zp) << 20 halved, summed, rescaled by 2 * scale / (2^20 * output scale)', function () {
    // inputs 0.5 zp 1, output 1 zp 0: output multiplier 2^-20. [3, 4, 6]: (2 + 3 + 5) * 2^19 = 10 * 2^19,
    // * 2^-20 = 5 (real 1 + 1.5 + 2.5). [2, 1, 1]: 2^19 * 2^-20 = 0.5 -> 1 (half away from zero).
    // [127, 127, 127]: 3 * 126 * 0.5 = 189 -> 127.
    const s = q(0.5, 1);
    const input = (values: number[]): Operand => ({ shape: [3], dtype: 'int8', quantization: s, values });
    const out = runOneOp('ADD_N', [input([3, 2, 127]), input([4, 1, 127]), input([6, 1, 127])], [{ shape: [3], dtype: 'int8', quantization: q(1, 0) }])[0];
    assert.deepEqual(list(out), [5, 1, 127]);
  });

  it('refuses int8 inputs of different scales and inputs of different shapes', function () {
    assert.match(oneOpError('ADD_N', [
      { shape: [1], dtype: 'int8', quantization: q(0.5, 0), values: [1] }, { shape: [1], dtype: 'int8', quantization: q(0.25, 0), values: [1] },
    ], [{ shape: [1], dtype: 'int8', quantization: q(1, 0) }]), /operator 0 \(ADD_N\): input 1 has scale 0.25 and zero point 0, input 0 has 0.5 and 0/);
    assert.match(oneOpError('ADD_N', [f32([2], [1, 2]), f32([1], [1])], [f32([2], [])]), /input 1 has shape \[1\], input 0 has \[2\]/);
  });
});

describe('interpreter: ZEROS_LIKE and FILL', function () {
  it('ZEROS_LIKE writes raw zeros for float32, int8 (not the zero point), int32 and int64', function () {
    assert.deepEqual(list(runOneOp('ZEROS_LIKE', [f32([2], [1, 2])], [f32([2], [])])[0]), [0, 0]);
    assert.deepEqual(list(runOneOp('ZEROS_LIKE', [{ shape: [2], dtype: 'int8', quantization: q(1, 5), values: [1, 2] }], [{ shape: [2], dtype: 'int8', quantization: q(1, 5) }])[0]), [0, 0]);
    assert.deepEqual(list(runOneOp('ZEROS_LIKE', [{ shape: [1], dtype: 'int32', values: [7] }], [{ shape: [1], dtype: 'int32' }])[0]), [0]);
    const int64 = runOneOp('ZEROS_LIKE', [{ shape: [2], dtype: 'int64', data: BigInt64Array.of(5n, -3n) }], [{ shape: [2], dtype: 'int64' }])[0];
    assert.deepEqual(Array.from(int64 as BigInt64Array), [0n, 0n]);
  });

  it('FILL copies the scalar value into the shape given by dims', function () {
    const dims = { shape: [2], dtype: 'int32' as const, data: Int32Array.of(2, 3) };
    assert.deepEqual(list(runOneOp('FILL', [dims, f32([], [1.5])], [f32([2, 3], [])], new FillOptionsT())[0]), [1.5, 1.5, 1.5, 1.5, 1.5, 1.5]);
    const int8 = runOneOp('FILL', [dims, { shape: [], dtype: 'int8', quantization: q(0.5, 3), values: [-7] }], [{ shape: [2, 3], dtype: 'int8', quantization: q(0.5, 3) }])[0];
    assert.deepEqual(list(int8), [-7, -7, -7, -7, -7, -7]);
    const int32 = runOneOp('FILL', [{ shape: [1], dtype: 'int64', data: BigInt64Array.of(2n) }, { shape: [], dtype: 'int32', values: [9] }], [{ shape: [2], dtype: 'int32' }])[0];
    assert.deepEqual(list(int32), [9, 9]);
  });

  it('FILL refuses dims that differ from the output shape and a non-scalar value', function () {
    const dims = { shape: [2], dtype: 'int32' as const, data: Int32Array.of(2, 3) };
    assert.match(oneOpError('FILL', [dims, f32([], [1])], [f32([3, 2], [])]), /operator 0 \(FILL\): dims \[2, 3\] differ from the output shape \[3, 2\]/);
    assert.match(oneOpError('FILL', [dims, f32([2], [1, 2])], [f32([2, 3], [])]), /value must be a scalar \(no dimensions\), got shape \[2\]/);
  });
});
