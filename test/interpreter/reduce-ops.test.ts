// The reduce-family kernels (SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_ALL, CUMSUM) on one-operator
// models; expected values worked out by hand from TFLM's micro/kernels/reduce_common.cc,
// reference/reduce.h (QuantizedMeanOrSum) and reference/cumsum.h, the integer steps written out.
import assert from 'node:assert/strict';
import { CumsumOptionsT, ReducerOptionsT } from '../../lib/model/schema/tflite.js';
import {
  f32, i16, i32, i32in, i8, iota, list, opError, out, q, runOp,
} from './single-op.js';

const keep = new ReducerOptionsT(true);
const drop = new ReducerOptionsT(false);

describe('interpreter: reduce-family kernels on hand-built models', function () {
  describe('SUM (EvalSumHelper)', function () {
    it('float32 over both axes with keep_dims, and over axis -1', function () {
      assert.deepEqual(list(runOp('SUM', [f32([2, 3], [1, 2, 3, 4, 5, 6.5]), i32([2], [0, 1])], [out([1, 1])], keep)[0]), [21.5]);
      assert.deepEqual(list(runOp('SUM', [f32([2, 3], [1, 2, 3, 4, 5, 6.5]), i32([1], [-1])], [out([2])], drop)[0]), [6, 15.5]);
    });

    it('int8 requantized as QuantizedMeanOrSum with compute_sum (no 1/count)', function () {
      // input scale 0.5 zp 1, output scale 1 zp -2; multiplier 0.5 = QuantizeMultiplier -> (2^30, shift 0).
      // Row 0: [3, 5, 8] sums to 16; 16 - zp * count = 16 - 3 = 13; SRDHM(13, 2^30) = (13 * 2^30 + 2^30) / 2^31 = 7
      //   (6.5 rounds up); + zp_out -2 = 5.
      // Row 1: [-1, 1, 11] sums to 11; 11 - 3 = 8; SRDHM(8, 2^30) = 4; 4 - 2 = 2.
      const [y] = runOp('SUM', [i8([2, 3], [3, 5, 8, -1, 1, 11], q(0.5, 1)), i32([1], [1])], [out([2], 'int8', q(1, -2))], drop);
      assert.deepEqual(list(y), [5, 2]);
    });

    it('int16 with a right shift: multiplier 0.25 = (2^30, shift -1)', function () {
      // Column sums of [[100, -3], [200, 9]]: 300 and 6. SRDHM(300, 2^30) = 150, RoundingDivideByPOT(150, 1) = 75;
      // SRDHM(6, 2^30) = 3, RoundingDivideByPOT(3, 1) = 1 + (remainder 1 > threshold 0) = 2.
      const [y] = runOp('SUM', [i16([2, 2], [100, -3, 200, 9], q(0.25, 0)), i32([1], [0])], [out([1, 2], 'int16', q(1, 0))], keep);
      assert.deepEqual(list(y), [75, 2]);
    });

    it('int8 saturates at the int8 range', function () {
      // 4 x 100 with scale 1 -> 400, clamped to 127.
      assert.deepEqual(list(runOp('SUM', [i8([4], [100, 100, 100, 100], q(1, 0)), i32([1], [0])], [out([], 'int8', q(1, 0))], drop)[0]), [127]);
    });

    it('checks the output shape against keep_dims', function () {
      assert.match(opError('SUM', [f32([2, 3], iota(6)), i32([1], [1])], [out([2, 1])], drop), /operator 0 \(SUM\): output shape \[2, 1\] should be \[2\] \(keep_dims false\)/);
    });
  });

  describe('REDUCE_MAX, REDUCE_MIN (EvalMaxHelper)', function () {
    it('float32 REDUCE_MAX along axis 1 and REDUCE_MIN over everything', function () {
      const input = (): ReturnType<typeof f32> => f32([2, 3], [1, -7, 3, -4, -5, -6]);
      assert.deepEqual(list(runOp('REDUCE_MAX', [input(), i32([1], [1])], [out([2])], drop)[0]), [3, -4]);
      assert.deepEqual(list(runOp('REDUCE_MIN', [input(), i32([2], [1, 0])], [out([1, 1])], keep)[0]), [-7]);
    });

    it('int8 compares raw values and needs equal quantization', function () {
      const input = i8([2, 2], [-128, 5, 127, -3], q(0.5, 2));
      assert.deepEqual(list(runOp('REDUCE_MAX', [input, i32([1], [0])], [out([2], 'int8', q(0.5, 2))], drop)[0]), [127, 5]);
      assert.deepEqual(list(runOp('REDUCE_MIN', [input, i32([1], [1])], [out([2, 1], 'int8', q(0.5, 2))], keep)[0]), [-128, -3]);
      assert.match(opError('REDUCE_MAX', [input, i32([1], [0])], [out([2], 'int8', q(0.25, 2))], drop), /output has scale 0\.25 zero point 2, expected scale 0\.5 zero point 2/);
    });
  });

  describe('REDUCE_ALL (bool, logical and)', function () {
    it('along axis 0 and over everything', function () {
      const input = (): { shape: number[]; dtype: 'bool'; input: number[] } => ({ shape: [2, 2], dtype: 'bool', input: [1, 0, 1, 1] });
      assert.deepEqual(list(runOp('REDUCE_ALL', [input(), i32([1], [0])], [out([2], 'bool')], drop)[0]), [1, 0]);
      assert.deepEqual(list(runOp('REDUCE_ALL', [input(), i32([1], [1])], [out([2, 1], 'bool')], keep)[0]), [0, 1]);
      assert.deepEqual(list(runOp('REDUCE_ALL', [input(), i32([2], [0, 1])], [out([], 'bool')], drop)[0]), [0]);
    });
  });

  describe('CUMSUM (reference/cumsum.h)', function () {
    const x = (): ReturnType<typeof f32> => f32([4], [1, 2, 3, 4]);
    it('float32 inclusive, exclusive, reverse, exclusive and reverse', function () {
      const run = (exclusive: boolean, reverse: boolean): number[] => list(runOp('CUMSUM', [x(), i32([], [0])], [out([4])], new CumsumOptionsT(exclusive, reverse))[0]);
      assert.deepEqual(run(false, false), [1, 3, 6, 10]);
      assert.deepEqual(run(true, false), [0, 1, 3, 6]);
      assert.deepEqual(run(false, true), [10, 9, 7, 4]);
      assert.deepEqual(run(true, true), [9, 7, 4, 0]);
    });

    it('float32 along axis 0 of a 2-D tensor, the axis a model input read at invoke', function () {
      // [[1, 2], [3, 4]] down the columns: [[1, 2], [4, 6]].
      const [y] = runOp('CUMSUM', [f32([2, 2], [1, 2, 3, 4]), i32in([], [-2])], [out([2, 2])], new CumsumOptionsT(false, false));
      assert.deepEqual(list(y), [1, 2, 4, 6]);
    });

    it('int8 with zero points 0: the 20-bit left shift and two rescales give the plain sum', function () {
      // scale 0.5 in and out. input multiplier 0.5 / (2 * 0.5) -> (2^30, shift 0); output multiplier
      // 2 * 0.5 / (2^20 * 0.5) = 2^-19 -> (2^30, shift -18). For x = 3: 3 * 2^20 = 3145728,
      // SRDHM(., 2^30) = 1572864; output SRDHM(1572864, 2^30) = 786432, / 2^18 = 3.
      // Running sums of [3, -1, 4]: 3, 2, 6.
      const [y] = runOp('CUMSUM', [i8([3], [3, -1, 4], q(0.5, 0)), i32([], [0])], [out([3], 'int8', q(0.5, 0))], new CumsumOptionsT(false, false));
      assert.deepEqual(list(y), [3, 2, 6]);
    });

    it('int8 with an input zero point: the reference starts its accumulator at the scaled -zp_in', function () {
      // zp_in 2, zp_out 0, scales 0.5. Start: -2 * 2^20 halved = -1048576.
      // x = 3: y = 1 -> 524288; acc = -524288 -> SRDHM 2^30 = -262144 -> / 2^18 = -1.
      // x = -1: y = -3 -> -1572864; acc = -2097152 -> -1048576 -> -4.
      // x = 4: y = 2 -> 1048576; acc = -1048576 -> -524288 -> -2.
      // (The mathematical running sums of (x - 2) are 1, -2, 0: TFLM's result is offset by -zp_in.)
      const [y] = runOp('CUMSUM', [i8([3], [3, -1, 4], q(0.5, 2)), i32([], [0])], [out([3], 'int8', q(0.5, 0))], new CumsumOptionsT(false, false));
      assert.deepEqual(list(y), [-1, -4, -2]);
    });

    it('int8 exclusive reverse writes the start value first', function () {
      // zp 0: exclusive reverse of [3, -1, 4] -> [3, 4, 0].
      const [y] = runOp('CUMSUM', [i8([3], [3, -1, 4], q(0.5, 0)), i32([], [0])], [out([3], 'int8', q(0.5, 0))], new CumsumOptionsT(true, true));
      assert.deepEqual(list(y), [3, 4, 0]);
    });

    it('refuses a different output shape; an axis out of range fails the invoke', function () {
      assert.match(opError('CUMSUM', [x(), i32([], [0])], [out([2, 2])]), /output shape \[2, 2\] should be \[4\]/);
      assert.match(opError('CUMSUM', [x(), i32([], [1])], [out([4])]), /operator 0 \(CUMSUM\): Invalid axis: 1/);
    });
  });
});
