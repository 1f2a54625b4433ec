// BATCH_MATMUL and L2_POOL_2D on one-operator models; expected values worked out by hand from
// TFLM's reference/batch_matmul.h (BatchMatMul<T, AccumT>) and reference/pooling.h (L2Pool),
// the integer requantization steps written out.
import assert from 'node:assert/strict';
import { ActivationFunctionType, BatchMatMulOptionsT, Padding, Pool2DOptionsT } from '../../lib/model/schema/tflite.js';
import {
  f32, i16, i8, list, opError, out, q, runOp,
} from './single-op.js';

describe('interpreter: BATCH_MATMUL and L2_POOL_2D on hand-built models', function () {
  describe('BATCH_MATMUL', function () {
    it('float32: a rank-2 rhs broadcast over two lhs batches', function () {
      // [[1, 2, 3], [4, 5, 6]] x [[1, 2], [3, 4], [5, 6]] = [[22, 28], [49, 64]]; the identity-like
      // second batch [[1, 0, 0], [0, 1, 0]] picks rows [1, 2] and [3, 4].
      const [y] = runOp('BATCH_MATMUL', [f32([2, 2, 3], [1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0]), f32([3, 2], [1, 2, 3, 4, 5, 6])],
        [out([2, 2, 2])], new BatchMatMulOptionsT(false, false));
      assert.deepEqual(list(y), [22, 28, 49, 64, 1, 2, 3, 4]);
    });

    it('float32 adj_x and adj_y read the operands transposed', function () {
      // lhs stored [k][i] = [[1, 4], [2, 5], [3, 6]], rhs stored [j][k] = [[1, 3, 5], [2, 4, 6]]: the same product.
      const [y] = runOp('BATCH_MATMUL', [f32([3, 2], [1, 4, 2, 5, 3, 6]), f32([2, 3], [1, 3, 5, 2, 4, 6])],
        [out([2, 2])], new BatchMatMulOptionsT(true, true));
      assert.deepEqual(list(y), [22, 28, 49, 64]);
    });

    it('float32 batch dimensions broadcast both ways: [2, 1] x [1, 3] batches', function () {
      // lhs rows a0 = [1, 2], a1 = [3, 4]; rhs columns b0 = [1, 1], b1 = [0, 1], b2 = [2, -1];
      // out[i][j] = a_i . b_j = 3, 2, 0 and 7, 4, 2.
      const [y] = runOp('BATCH_MATMUL', [f32([2, 1, 1, 2], [1, 2, 3, 4]), f32([1, 3, 2, 1], [1, 1, 0, 1, 2, -1])],
        [out([2, 3, 1, 1])], new BatchMatMulOptionsT(false, false));
      assert.deepEqual(list(y), [3, 2, 0, 7, 4, 2]);
    });

    it('int8: int32 sums of (lhs - zp) (rhs - zp), MultiplyByQuantizedMultiplier, + zp_out', function () {
      // lhs scale 0.5 zp 1: [[3, -1], [-1, 1]] -> centred [[2, -2], [-2, 0]];
      // rhs scale 0.25 zp -2: [[2, 0], [6, -4]] -> centred [[4, 2], [8, -2]].
      // Sums: [[2*4 - 2*8, 2*2 + 2*2], [-2*4, -2*2]] = [[-8, 8], [-8, -4]].
      // Multiplier 0.5 * 0.25 / 0.2 = 0.625 -> (1342177280, shift 0). SRDHM(-8, .) =
      // (-10737418240 + 1 - 2^30) / 2^31 = -5.49.. -> -5; SRDHM(8, .) = 5;
      // SRDHM(-4, .) = (-5368709120 + 1 - 2^30) / 2^31 = -2.99.. -> -2. Plus zp_out 3: [[-2, 8], [-2, 1]].
      const [y] = runOp('BATCH_MATMUL', [i8([2, 2], [3, -1, -1, 1], q(0.5, 1)), i8([2, 2], [2, 0, 6, -4], q(0.25, -2))],
        [out([2, 2], 'int8', q(0.2, 3))], new BatchMatMulOptionsT(false, false));
      assert.deepEqual(list(y), [-2, 8, -2, 1]);
    });

    it('int8 adj_y with a batch of 2', function () {
      // Zero points 0, scales 1 -> multiplier 1 (2^30, shift 1): plain integer products.
      // rhs stored [j][k]: batch 0 [[1, 1]], batch 1 [[2, -3]]; lhs [[1, 2]], [[3, 4]] -> 3 and 6 - 12 = -6.
      const [y] = runOp('BATCH_MATMUL', [i8([2, 1, 2], [1, 2, 3, 4], q(1, 0)), i8([2, 1, 2], [1, 1, 2, -3], q(1, 0))],
        [out([2, 1, 1], 'int8', q(1, 0))], new BatchMatMulOptionsT(false, true));
      assert.deepEqual(list(y), [3, -6]);
    });

    it('int16: int64 sums and the int64 MultiplyByQuantizedMultiplier', function () {
      // [300, -200] . [100, 50] = 20000 at scales 0.5, 0.5; output scale 0.3 -> 0.25 / 0.3 = 0.8333..
      // -> (1789569707, shift 0), reduced to 16 bits: (1789569707 + 2^15) >> 16 = 27307;
      // (20000 * 27307 + 2^14) >> 15 = 546156384 >> 15 = 16667.
      // [30000, 30000] . [30000, 30000] = 1.8e9 -> far above int16: clamped to 32767.
      const [y] = runOp('BATCH_MATMUL', [i16([2, 2], [300, -200, 30000, 30000], q(0.5, 0)), i16([2, 2], [100, 30000, 50, 30000], q(0.5, 0))],
        [out([2, 2], 'int16', q(0.3, 0))], new BatchMatMulOptionsT(false, false));
      // Off-diagonal: [300, -200] . [30000, 30000] = 3e6 -> x 0.8333 -> 32767; [30000, 30000] . [100, 50] = 4.5e6 -> 32767.
      assert.deepEqual(list(y), [16667, 32767, 32767, 32767]);
    });

    it('refuses mismatched depths, batch dims that do not broadcast, int16 zero points', function () {
      assert.match(opError('BATCH_MATMUL', [f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([2, 2], [1, 2, 3, 4])], [out([2, 2])]),
        /operator 0 \(BATCH_MATMUL\): lhs contracts 3 values and rhs 2 \(adj_x false, adj_y false\)/);
      assert.match(opError('BATCH_MATMUL', [f32([2, 1, 1], [1, 2]), f32([3, 1, 1], [1, 2, 3])], [out([3, 1, 1])]), /batch dimension 0 does not broadcast/);
      assert.match(opError('BATCH_MATMUL', [i16([1, 1], [1], q(1, 1)), i16([1, 1], [1], q(1, 0))], [out([1, 1], 'int16', q(1, 0))]), /int16 needs zero points 0, got lhs 1/);
    });
  });

  describe('L2_POOL_2D (float32)', function () {
    it('VALID 2x2 stride 2: sqrt((9 + 16 + 0 + 0) / 4) = 2.5', function () {
      const [y] = runOp('L2_POOL_2D', [f32([1, 2, 2, 1], [3, 4, 0, 0])], [out([1, 1, 1, 1])], new Pool2DOptionsT(Padding.VALID, 2, 2, 2, 2));
      assert.deepEqual(list(y), [2.5]);
    });

    it('SAME 2x2 stride 1: only the cells inside the image count', function () {
      // [[3, 4], [0, 12]]: sqrt((9 + 16 + 0 + 144) / 4) = 6.5, sqrt((16 + 144) / 2), sqrt((0 + 144) / 2), sqrt(144 / 1) = 12.
      const [y] = runOp('L2_POOL_2D', [f32([1, 2, 2, 1], [3, 4, 0, 12])], [out([1, 2, 2, 1])], new Pool2DOptionsT(Padding.SAME, 1, 1, 2, 2));
      const expected = [6.5, Math.sqrt(80), Math.sqrt(72), 12];
      list(y).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-5 * expected[i], `element ${i}: ${v} vs ${expected[i]}`));
      const [clamped] = runOp('L2_POOL_2D', [f32([1, 2, 2, 1], [3, 4, 0, 12])], [out([1, 2, 2, 1])],
        new Pool2DOptionsT(Padding.SAME, 1, 1, 2, 2, ActivationFunctionType.RELU6));
      assert.deepEqual(list(clamped), [6, 6, 6, 6]);
    });

    it('refuses int8, which TFLM does not register for L2_POOL_2D', function () {
      assert.match(opError('L2_POOL_2D', [i8([1, 1, 1, 1], [1], q(1, 0))], [out([1, 1, 1, 1], 'int8', q(1, 0))], new Pool2DOptionsT(Padding.VALID, 1, 1, 1, 1)),
        /L2_POOL_2D/);
    });
  });
});
