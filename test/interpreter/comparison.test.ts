// The comparison and logic family (lib/interpreter/kernels/comparison-kernels.ts) on one-op
// models; expected values worked out by hand from TFLM's comparisons.cc / reference/comparisons.h,
// logical.cc and select.cc. Bool tensors are Uint8Array views holding 0 or 1.
import assert from 'node:assert/strict';
import { list, oneOpError, type Operand, q, runOneOp } from './one-op-model.js';

const f32 = (shape: number[], values: number[]): Operand => ({ shape, dtype: 'float32', values });
const bool = (shape: number[], values: number[] = []): Operand => ({ shape, dtype: 'bool', values });

function compare(op: string, a: Operand, b: Operand, shape = a.shape): number[] {
  return list(runOneOp(op, [a, b], [bool(shape)])[0]);
}

describe('interpreter: comparisons (comparisons.cc)', function () {
  it('float32: all six ops, [2, 2] against a broadcast [2]', function () {
    const a = f32([2, 2], [1, 2, 3, 4]);
    const b = f32([2], [2, 2]);
    assert.deepEqual(compare('EQUAL', a, b), [0, 1, 0, 0]);
    assert.deepEqual(compare('NOT_EQUAL', a, b), [1, 0, 1, 1]);
    assert.deepEqual(compare('GREATER', a, b), [0, 0, 1, 1]);
    assert.deepEqual(compare('GREATER_EQUAL', a, b), [0, 1, 1, 1]);
    assert.deepEqual(compare('LESS', a, b), [1, 0, 0, 0]);
    assert.deepEqual(compare('LESS_EQUAL', a, b), [1, 1, 0, 0]);
  });

  it('int32 and int64 (a constant) compare raw values', function () {
    const i32 = (values: number[]): Operand => ({ shape: [3], dtype: 'int32', values });
    assert.deepEqual(compare('LESS', i32([-2147483648, 5, 7]), i32([2147483647, 5, 6])), [1, 0, 0]);
    const i64 = (values: bigint[]): Operand => ({ shape: [2], dtype: 'int64', data: BigInt64Array.from(values) });
    assert.deepEqual(compare('EQUAL', i64([5n, -(2n ** 40n)]), i64([5n, 2n ** 40n])), [1, 0]);
    assert.deepEqual(compare('GREATER', i64([5n, -(2n ** 40n)]), i64([4n, 2n ** 40n])), [1, 0]);
  });

  it('bool EQUAL / NOT_EQUAL', function () {
    assert.deepEqual(compare('EQUAL', bool([4], [0, 0, 1, 1]), bool([4], [0, 1, 0, 1])), [1, 0, 0, 1]);
    assert.deepEqual(compare('NOT_EQUAL', bool([4], [0, 0, 1, 1]), bool([4], [0, 1, 0, 1])), [0, 1, 1, 0]);
  });

  it('int8 with different quantizations compares real values after TFLM\'s rescaling', function () {
    // a: scale 0.5 zp 0, b: scale 0.25 zp 2. Each side (q - zp) * 2^8 times its scale as a Q31
    // multiplier (QuantizeMultiplierSmallerThanOneExp): a 4 -> 1024 * 0.5 = 512 (2.0);
    // b 10 -> 2048 * 0.25 = 512 (2.0): equal. a 5 -> 640 (2.5) vs b 11 -> 576 (2.25): greater.
    // a -3 -> -384 (-1.5) vs b -4 -> -384 (-1.5): equal, though the raw values differ.
    const a: Operand = { shape: [3], dtype: 'int8', quantization: q(0.5, 0), values: [4, 5, -3] };
    const b: Operand = { shape: [3], dtype: 'int8', quantization: q(0.25, 2), values: [10, 11, -4] };
    assert.deepEqual(compare('EQUAL', a, b), [1, 0, 1]);
    assert.deepEqual(compare('GREATER', a, b), [0, 1, 0]);
    assert.deepEqual(compare('LESS_EQUAL', a, b), [1, 0, 1]);
  });

  it('int8 rescaling can merge values closer than the common 8-bit resolution', function () {
    // a: scale 2^-9 zp 0, b: scale 2^-8 zp 0. a 3 -> 3 * 256 * 2^-9 = 1.5 -> rounds (half away) to 2;
    // b 1 -> 256 * 2^-8 = 1. So 3/512 > 1/256 in reals and the scaled ints are 2 > 1: GREATER.
    // a 1 -> 0.5 -> 1 and b 1 -> 1: EQUAL although 1/512 != 1/256 (the 8-bit shift's resolution).
    const a: Operand = { shape: [2], dtype: 'int8', quantization: q(2 ** -9, 0), values: [3, 1] };
    const b: Operand = { shape: [2], dtype: 'int8', quantization: q(2 ** -8, 0), values: [1, 1] };
    assert.deepEqual(compare('GREATER', a, b), [1, 0]);
    assert.deepEqual(compare('EQUAL', a, b), [0, 1]);
  });

  it('int16 GREATER rescales the same way', function () {
    // a 0.5 zp 0: 300 -> 300 * 256 * 0.5 = 38400; b 0.25 zp 0: 599 -> 599 * 256 * 0.25 = 38336: greater.
    const a: Operand = { shape: [2], dtype: 'int16', quantization: q(0.5, 0), values: [300, -300] };
    const b: Operand = { shape: [2], dtype: 'int16', quantization: q(0.25, 0), values: [599, -599] };
    assert.deepEqual(compare('GREATER', a, b), [1, 0]);
  });

  it('refuses mixed dtypes, a non-bool output, scales of 1 or more, and int16 where TFLM has no case', function () {
    assert.match(oneOpError('EQUAL', [f32([1], [1]), { shape: [1], dtype: 'int32', values: [1] }], [bool([1])]),
      /operator 0 \(EQUAL\): inputs are float32 and int32: both must have the same dtype/);
    assert.match(oneOpError('LESS', [f32([1], [1]), f32([1], [1])], [f32([1], [])]), /operator 0 \(LESS\): output is float32, expected bool/);
    const big: Operand = { shape: [1], dtype: 'int8', quantization: q(2, 0), values: [1] };
    assert.match(oneOpError('GREATER', [big, big], [bool([1])]), /input 0 scale 2 is outside \(0, 1\)/);
    const i16: Operand = { shape: [1], dtype: 'int16', quantization: q(0.5, 0), values: [1] };
    assert.match(oneOpError('LESS', [i16, i16], [bool([1])]), /unsupported ops: operator 0 \(LESS, int16\)/);
    assert.match(oneOpError('EQUAL', [f32([2], [1, 2]), f32([3], [1, 2, 3])], [bool([3])]), /inputs \[2\] and \[3\] do not broadcast/);
  });
});

describe('interpreter: LOGICAL_AND, LOGICAL_OR, LOGICAL_NOT', function () {
  it('AND and OR broadcast a [2, 1] column against a [2] row', function () {
    const column = bool([2, 1], [0, 1]);
    const row = bool([2], [0, 1]);
    assert.deepEqual(list(runOneOp('LOGICAL_AND', [column, row], [bool([2, 2])])[0]), [0, 0, 0, 1]);
    assert.deepEqual(list(runOneOp('LOGICAL_OR', [column, row], [bool([2, 2])])[0]), [0, 1, 1, 1]);
  });

  it('NOT flips each element', function () {
    assert.deepEqual(list(runOneOp('LOGICAL_NOT', [bool([3], [0, 1, 0])], [bool([3])])[0]), [1, 0, 1]);
  });

  it('refuses non-bool operands', function () {
    assert.match(oneOpError('LOGICAL_AND', [f32([1], [1]), f32([1], [1])], [bool([1])]), /unsupported ops: operator 0 \(LOGICAL_AND, float32\)/);
    assert.match(oneOpError('LOGICAL_OR', [bool([1], [1]), bool([1], [1])], [f32([1], [])]),
      /operator 0 \(LOGICAL_OR\): inputs bool and bool with output float32: all three must be bool/);
  });
});

describe('interpreter: SELECT_V2 (select.cc)', function () {
  it('float32 with condition, x and y all broadcast: [2, 1], [2, 2] and a scalar', function () {
    // rows: condition true -> x's row, false -> y = 9 everywhere.
    const out = runOneOp('SELECT_V2', [bool([2, 1], [1, 0]), f32([2, 2], [1, 2, 3, 4]), f32([], [9])], [f32([2, 2], [])])[0];
    assert.deepEqual(list(out), [1, 2, 9, 9]);
  });

  it('int8 and int16 copy raw values (no requantization)', function () {
    const cond = bool([3], [1, 0, 1]);
    const int8 = runOneOp('SELECT_V2', [cond, { shape: [3], dtype: 'int8', quantization: q(1, 0), values: [1, 2, 3] },
      { shape: [1], dtype: 'int8', quantization: q(1, 0), values: [-5] }], [{ shape: [3], dtype: 'int8', quantization: q(1, 0) }])[0];
    assert.deepEqual(list(int8), [1, -5, 3]);
    const int16 = runOneOp('SELECT_V2', [cond, { shape: [3], dtype: 'int16', quantization: q(1, 0), values: [1000, 2000, 3000] },
      { shape: [3], dtype: 'int16', quantization: q(1, 0), values: [-1, -2, -3] }], [{ shape: [3], dtype: 'int16', quantization: q(1, 0) }])[0];
    assert.deepEqual(list(int16), [1000, -2, 3000]);
  });

  it('refuses x and y of different dtypes and shapes that do not broadcast', function () {
    assert.match(oneOpError('SELECT_V2', [bool([2], [1, 0]), f32([2], [1, 2]), { shape: [2], dtype: 'int8', quantization: q(1, 0), values: [1, 2] }], [f32([2], [])]),
      /operator 0 \(SELECT_V2\): x is float32, y is int8 and the output is float32: all three must have the same dtype/);
    assert.match(oneOpError('SELECT_V2', [bool([3], [1, 0, 1]), f32([2], [1, 2]), f32([2], [1, 2])], [f32([2], [])]),
      /condition \[3\], x \[2\] and y \[2\] do not broadcast to the output \[2\]/);
  });
});
