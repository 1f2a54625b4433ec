// The index-family kernels (ARG_MAX, ARG_MIN, GATHER, GATHER_ND, EMBEDDING_LOOKUP,
// DYNAMIC_UPDATE_SLICE) on one-operator models; expected values worked out by hand from the
// ops' definitions in TFLM's micro/kernels/<op>.cc, cited per case.
import assert from 'node:assert/strict';
import { GatherOptionsT } from '../../lib/model/schema/tflite.js';
import {
  f32, i16, i32, i32in, i64, i8, iota, list, opError, out, q, runOp,
} from './single-op.js';

describe('interpreter: index-family kernels on hand-built models', function () {
  describe('ARG_MAX, ARG_MIN (arg_min_max.cc: strict comparison, so the first index wins ties)', function () {
    it('float32 ARG_MAX along axis 1 to int32 and int64', function () {
      // [[1, 5, 5], [7, -1, 7]]: row maxima 5 (first at 1) and 7 (first at 0).
      const input = f32([2, 3], [1, 5, 5, 7, -1, 7]);
      assert.deepEqual(list(runOp('ARG_MAX', [input, i32([1], [1])], [out([2], 'int32')])[0]), [1, 0]);
      assert.deepEqual(list(runOp('ARG_MAX', [input, i64([], [-1])], [out([2], 'int64')])[0]), [1, 0]);
    });

    it('int8 ARG_MIN along axis 0 and int8 ARG_MAX', function () {
      // [[3, -2, 0], [1, -2, 4]]: column minima at rows 1, 0 (tie), 0; maxima at 0, 0 (tie), 1.
      const input = i8([2, 3], [3, -2, 0, 1, -2, 4], q(0.5, 3));
      assert.deepEqual(list(runOp('ARG_MIN', [input, i32([], [0])], [out([3], 'int32')])[0]), [1, 0, 0]);
      assert.deepEqual(list(runOp('ARG_MAX', [input, i32([], [0])], [out([3], 'int32')])[0]), [0, 0, 1]);
    });

    it('an axis from a model input is read at invoke', function () {
      // [[1, 5], [7, -1]] along axis 0: column maxima at rows 1 and 0.
      assert.deepEqual(list(runOp('ARG_MAX', [f32([2, 2], [1, 5, 7, -1]), i32in([], [0])], [out([2], 'int32')])[0]), [1, 0]);
      assert.match(opError('ARG_MAX', [f32([2, 2], [1, 5, 7, -1]), i32in([], [2])], [out([2], 'int32')]), /axis 2 is out of range for rank 2/);
    });

    it('float32 ARG_MIN and the output shape check', function () {
      assert.deepEqual(list(runOp('ARG_MIN', [f32([4], [2, -3, 9, -3]), i32([], [0])], [out([], 'int32')])[0]), [1]);
      assert.match(opError('ARG_MIN', [f32([2, 2], iota(4)), i32([], [0])], [out([2, 1], 'int32')]), /operator 0 \(ARG_MIN\): output shape \[2, 1\] should be \[2\]/);
      assert.match(opError('ARG_MAX', [f32([2], [1, 2]), i32([], [0])], [out([], 'float32')]), /output must be int32 or int64, got float32/);
    });
  });

  describe('GATHER (gather.cc)', function () {
    it('float32 rows by positions read at invoke', function () {
      // [[0, 1], [2, 3], [4, 5]] rows 2, 0.
      const [y] = runOp('GATHER', [f32([3, 2], iota(6)), i32in([2], [2, 0])], [out([2, 2])], new GatherOptionsT(0, 0));
      assert.deepEqual(list(y), [4, 5, 0, 1]);
    });

    it('int8 along axis 1 with a 2-D positions tensor', function () {
      // input [[10, 11, 12], [20, 21, 22]], positions [[2, 2], [0, 1]] -> output [2, 2, 2]:
      // out[r][i][j] = input[r][positions[i][j]].
      const [y] = runOp('GATHER', [i8([2, 3], [10, 11, 12, 20, 21, 22], q(0.1, -2)), i32in([2, 2], [2, 2, 0, 1])],
        [out([2, 2, 2], 'int8', q(0.1, -2))], new GatherOptionsT(1, 0));
      assert.deepEqual(list(y), [12, 12, 10, 11, 22, 22, 20, 21]);
    });

    it('int32 with batch_dims 1 and int64 positions', function () {
      // batch 0 of [[0, 1, 2], [3, 4, 5]] takes [2, 0], batch 1 takes [1, 1].
      const [y] = runOp('GATHER', [i32in([2, 3], iota(6)), i64([2, 2], [2, 0, 1, 1])], [out([2, 2], 'int32')], new GatherOptionsT(1, 1));
      assert.deepEqual(list(y), [2, 0, 4, 4]);
    });

    it('fails the invoke on a position outside the axis, refuses a wrong output shape', function () {
      assert.match(opError('GATHER', [f32([3], [1, 2, 3]), i32in([1], [3])], [out([1])], new GatherOptionsT(0, 0)), /operator 0 \(GATHER\): position 3 is outside \[0, 3\)/);
      assert.match(opError('GATHER', [f32([3], [1, 2, 3]), i32in([2], [0, 1])], [out([3])], new GatherOptionsT(0, 0)), /output shape \[3\] should be \[2\]/);
    });
  });

  describe('GATHER_ND (gather_nd.cc)', function () {
    it('float32 slices params[i0][i1] of a [2, 2, 2] tensor', function () {
      // params iota 0..7; indices [[1, 0], [0, 1]] -> params[1][0] = [4, 5], params[0][1] = [2, 3].
      const [y] = runOp('GATHER_ND', [f32([2, 2, 2], iota(8)), i32in([2, 2], [1, 0, 0, 1])], [out([2, 2])]);
      assert.deepEqual(list(y), [4, 5, 2, 3]);
    });

    it('int8 elements by full-depth indices and int32 rows', function () {
      const [a] = runOp('GATHER_ND', [i8([2, 2], [-1, -2, -3, -4], q(1, 0)), i32in([3, 2], [1, 1, 0, 0, 1, 0])], [out([3], 'int8', q(1, 0))]);
      assert.deepEqual(list(a), [-4, -1, -3]);
      const [b] = runOp('GATHER_ND', [i32in([3, 2], iota(6, 10)), i32([1, 1], [2])], [out([1, 2], 'int32')]);
      assert.deepEqual(list(b), [14, 15]);
    });

    it('an empty index row (depth 0) takes the whole of params, once per row', function () {
      // n_slices = 2 (the indices dimensions but the last), slice_size = all 3 params elements.
      const [y] = runOp('GATHER_ND', [f32([3], [7, 8, 9]), { shape: [2, 0], dtype: 'int32', data: new Int32Array(0) }], [out([2, 3])]);
      assert.deepEqual(list(y), [7, 8, 9, 7, 8, 9]);
    });

    it('fails the invoke on an index outside params', function () {
      assert.match(opError('GATHER_ND', [f32([2, 2], iota(4)), i32in([1, 1], [2])], [out([1, 2])]), /indices \[2\] address outside params \[2, 2\]/);
    });
  });

  describe('EMBEDDING_LOOKUP (embedding_lookup.cc)', function () {
    it('float32 rows by ids, a row twice', function () {
      const [y] = runOp('EMBEDDING_LOOKUP', [i32in([3], [2, 0, 2]), f32([3, 2], iota(6))], [out([3, 2])]);
      assert.deepEqual(list(y), [4, 5, 0, 1, 4, 5]);
    });

    it('int8 rows copied, and dequantized with the value scale for a float32 output (hybrid)', function () {
      const value = { shape: [2, 2], dtype: 'int8' as const, data: new Int8Array([-4, 6, 100, -128]), quantization: q(0.5, 0) };
      const [a] = runOp('EMBEDDING_LOOKUP', [i32in([1], [1]), value], [out([1, 2], 'int8', q(0.5, 0))]);
      assert.deepEqual(list(a), [100, -128]);
      // EvalHybrid: 0.5 * -4 = -2, 0.5 * 6 = 3, 0.5 * 100 = 50, 0.5 * -128 = -64.
      const [b] = runOp('EMBEDDING_LOOKUP', [i32in([2], [0, 1]), value], [out([2, 2])]);
      assert.deepEqual(list(b), [-2, 3, 50, -64]);
    });

    it('fails the invoke on an id outside the rows and refuses a hybrid value with a zero point', function () {
      assert.match(opError('EMBEDDING_LOOKUP', [i32in([1], [3]), f32([3, 1], [1, 2, 3])], [out([1, 1])]), /index 3 is out of bounds \[0, 2\]/);
      const value = { shape: [1, 1], dtype: 'int8' as const, data: new Int8Array([1]), quantization: q(0.5, 1) };
      assert.match(opError('EMBEDDING_LOOKUP', [i32in([1], [0]), value], [out([1, 1])]), /hybrid lookup needs value zero point 0, got 1/);
    });
  });

  describe('DYNAMIC_UPDATE_SLICE (dynamic_update_slice.cc: starts clamped to [0, operand - update])', function () {
    it('float32: start [2, -1] clamps to [1, 0]', function () {
      // operand 3x3 of 0..8, update [[-1, -2], [-3, -4]] at rows 1-2, columns 0-1.
      const [y] = runOp('DYNAMIC_UPDATE_SLICE', [f32([3, 3], iota(9)), f32([2, 2], [-1, -2, -3, -4]), i32in([2], [2, -1])], [out([3, 3])]);
      assert.deepEqual(list(y), [0, 1, 2, -1, -2, 5, -3, -4, 8]);
    });

    it('int8, int16, int32 with int64 starts', function () {
      const cases = [
        { a: i8([4], [1, 2, 3, 4], q(0.5, 0)), u: i8([2], [-7, -8], q(0.5, 0)), o: out([4], 'int8', q(0.5, 0)) },
        { a: i16([4], [1, 2, 3, 4]), u: i16([2], [-7, -8]), o: out([4], 'int16', q(1, 0)) },
        { a: i32in([4], [1, 2, 3, 4]), u: i32in([2], [-7, -8]), o: out([4], 'int32') },
      ];
      for (const { a, u, o } of cases) {
        assert.deepEqual(list(runOp('DYNAMIC_UPDATE_SLICE', [a, u, i64([1], [1])], [o])[0]), [1, -7, -8, 4], o.dtype);
      }
    });

    it('refuses an update larger than the operand', function () {
      assert.match(opError('DYNAMIC_UPDATE_SLICE', [f32([2], [1, 2]), f32([3], [1, 2, 3]), i32in([1], [0])], [out([2])]), /update shape \[3\] does not fit in operand shape \[2\]/);
    });
  });
});
