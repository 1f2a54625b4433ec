// The layout-family kernels (SLICE, SPLIT_V, MIRROR_PAD, REVERSE_V2, BROADCAST_TO,
// BROADCAST_ARGS) on one-operator models; expected values worked out by hand from the ops'
// definitions (TFLM's micro/kernels/<op>.cc, cited per case).
import assert from 'node:assert/strict';
import { MirrorPadMode, MirrorPadOptionsT } from '../../lib/model/schema/tflite.js';
import {
  f32, i16, i32, i32in, i64, i8, iota, list, opError, out, q, runOp,
} from './single-op.js';

describe('interpreter: layout-family kernels on hand-built models', function () {
  describe('SLICE (slice.cc: size -1 runs to the end)', function () {
    // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    it('float32: begin [1, 1], size [2, -1] -> rows 1-2, columns 1-3', function () {
      const [y] = runOp('SLICE', [f32([3, 4], iota(12)), i32([2], [1, 1]), i32([2], [2, -1])], [out([2, 3])]);
      assert.deepEqual(list(y), [5, 6, 7, 9, 10, 11]);
    });

    it('int8, int16, int32 and bool take the same elements', function () {
      const cases = [
        { dtype: 'int8' as const, operand: i8([3, 4], iota(12, -6), q(0.5, 2)), quantization: q(0.5, 2) },
        { dtype: 'int16' as const, operand: i16([3, 4], iota(12, -6)), quantization: q(1, 0) },
        { dtype: 'int32' as const, operand: i32in([3, 4], iota(12, -6)), quantization: undefined },
      ];
      for (const c of cases) {
        // begin [0, 2], size [3, 1]: column 2 of every row = -6 + 2, -6 + 6, -6 + 10.
        const [y] = runOp('SLICE', [c.operand, i32([2], [0, 2]), i32([2], [3, 1])], [out([3, 1], c.dtype, c.quantization)]);
        assert.deepEqual(list(y), [-4, 0, 4], c.dtype);
      }
      const [b] = runOp('SLICE', [{ shape: [4], dtype: 'bool', input: [1, 0, 0, 1] }, i64([1], [2]), i64([1], [2])], [out([2], 'bool')]);
      assert.deepEqual(list(b), [0, 1]);
    });

    it('refuses a constant slice that leaves the input', function () {
      assert.match(opError('SLICE', [f32([3, 4], iota(12)), i32([2], [2, 0]), i32([2], [2, 4])], [out([2, 4])]),
        /operator 0 \(SLICE\): slice begin 2 size 2 is outside dimension 0 of \[3, 4\]/);
    });

    it('begin and size from model inputs are read and checked at invoke, as TFLM reads them at Eval', function () {
      // begin [0, 1], size [-1, 2] -> rows 0-2, columns 1-2.
      const [y] = runOp('SLICE', [f32([3, 4], iota(12)), i32in([2], [0, 1]), i32in([2], [-1, 2])], [out([3, 2])]);
      assert.deepEqual(list(y), [1, 2, 5, 6, 9, 10]);
      assert.match(opError('SLICE', [f32([4], iota(4)), i32in([1], [3]), i32in([1], [2])], [out([2])]), /slice begin 3 size 2 is outside dimension 0 of \[4\]/);
      assert.match(opError('SLICE', [f32([4], iota(4)), i32in([1], [0]), i32in([1], [3])], [out([2])]), /the slice holds 3 elements, the output 2/);
    });
  });

  describe('SPLIT_V (split_v.cc)', function () {
    it('float32 and int16: size_splits [2, -1, 1] along axis 1 of a [2, 5] tensor', function () {
      // -1 takes 5 - 3 = 2 columns.
      const outputs = [out([2, 2]), out([2, 2]), out([2, 1])];
      const ys = runOp('SPLIT_V', [f32([2, 5], iota(10)), i32([3], [2, -1, 1]), i32([], [1])], outputs);
      assert.deepEqual(ys.map(list), [[0, 1, 5, 6], [2, 3, 7, 8], [4, 9]]);
      const wide = runOp('SPLIT_V', [i16([2, 5], iota(10, 100)), i32([3], [2, -1, 1]), i32([], [-1])],
        outputs.map((o) => out(o.shape, 'int16', q(1, 0))));
      assert.deepEqual(wide.map(list), [[100, 101, 105, 106], [102, 103, 107, 108], [104, 109]]);
    });

    it('int8 and int32 along axis 0', function () {
      const ys = runOp('SPLIT_V', [i8([3, 1], [-1, 2, -3], q(0.1, 4)), i32([2], [1, 2]), i32([1], [0])],
        [out([1, 1], 'int8', q(0.1, 4)), out([2, 1], 'int8', q(0.1, 4))]);
      assert.deepEqual(ys.map(list), [[-1], [2, -3]]);
      const ints = runOp('SPLIT_V', [i32in([3], [7, 8, 9]), i32([2], [0, 3]), i32([1], [0])], [out([0], 'int32'), out([3], 'int32')]);
      assert.deepEqual(ints.map(list), [[], [7, 8, 9]]);
    });

    it('takes the parts from the output shapes when size_splits is computed (TFLM never reads it)', function () {
      const ys = runOp('SPLIT_V', [f32([3], [1, 2, 3]), i32in([2], [2, 1]), i32([], [0])], [out([2]), out([1])]);
      assert.deepEqual(ys.map(list), [[1, 2], [3]]);
    });

    it('refuses outputs that do not add up to the dimension, constant sizes that differ, a computed axis', function () {
      assert.match(opError('SPLIT_V', [f32([4], iota(4)), i32([2], [1, 2]), i32([], [0])], [out([1]), out([2])]),
        /the outputs hold \[1, 2\] along axis 0, which does not add up to 4/);
      assert.match(opError('SPLIT_V', [f32([4], iota(4)), i32([2], [1, -1]), i32([], [0])], [out([2]), out([2])]),
        /size_splits \[1, -1\] do not match the outputs \[2, 2\] along axis 0/);
      assert.match(opError('SPLIT_V', [f32([4], iota(4)), i32([2], [2, 2]), i32in([], [0])], [out([2]), out([2])]), /axis must be a constant tensor/);
    });
  });

  describe('MIRROR_PAD (mirror_pad.cc GetInputDimension)', function () {
    it('float32 REFLECT leaves out the edge element, SYMMETRIC repeats it', function () {
      // [1, 2, 3] padded [2, 2]: REFLECT 3 2 | 1 2 3 | 2 1; SYMMETRIC 2 1 | 1 2 3 | 3 2.
      const reflect = runOp('MIRROR_PAD', [f32([3], [1, 2, 3]), i32([1, 2], [2, 2])], [out([7])], new MirrorPadOptionsT(MirrorPadMode.REFLECT));
      assert.deepEqual(list(reflect[0]), [3, 2, 1, 2, 3, 2, 1]);
      const symmetric = runOp('MIRROR_PAD', [f32([3], [1, 2, 3]), i32([1, 2], [2, 2])], [out([7])], new MirrorPadOptionsT(MirrorPadMode.SYMMETRIC));
      assert.deepEqual(list(symmetric[0]), [2, 1, 1, 2, 3, 3, 2]);
    });

    it('int8 2-D REFLECT pads rows and columns', function () {
      // [[1, 2], [3, 4]] with paddings [[1, 0], [0, 1]]: rows (row 1 reflected) [3, 4], [1, 2], [3, 4];
      // then column 2 reflects column 0.
      const [y] = runOp('MIRROR_PAD', [i8([2, 2], [1, 2, 3, 4], q(0.5, -1)), i32([2, 2], [1, 0, 0, 1])],
        [out([3, 3], 'int8', q(0.5, -1))], new MirrorPadOptionsT(MirrorPadMode.REFLECT));
      assert.deepEqual(list(y), [3, 4, 3, 1, 2, 1, 3, 4, 3]);
    });

    it('int32 and int64 (int64 paddings) SYMMETRIC', function () {
      const [a] = runOp('MIRROR_PAD', [i32in([2], [5, -6]), i64([1, 2], [1, 2])], [out([5], 'int32')], new MirrorPadOptionsT(MirrorPadMode.SYMMETRIC));
      assert.deepEqual(list(a), [5, 5, -6, -6, 5]);
      const [b] = runOp('MIRROR_PAD', [i64([2], [2 ** 40, -3]), i32([1, 2], [0, 1])], [out([3], 'int64')], new MirrorPadOptionsT(MirrorPadMode.SYMMETRIC));
      assert.deepEqual(list(b), [2 ** 40, -3, -3]);
    });

    it('refuses a REFLECT padding as large as the dimension', function () {
      assert.match(opError('MIRROR_PAD', [f32([2], [1, 2]), i32([1, 2], [2, 0])], [out([4])], new MirrorPadOptionsT(MirrorPadMode.REFLECT)),
        /padding \[2, 0\] of dimension 0 \(size 2\) is out of range for REFLECT/);
    });
  });

  describe('REVERSE_V2 (reverse.cc)', function () {
    it('float32 along axis 1 and along both axes', function () {
      const [a] = runOp('REVERSE_V2', [f32([2, 3], iota(6)), i32([1], [1])], [out([2, 3])]);
      assert.deepEqual(list(a), [2, 1, 0, 5, 4, 3]);
      const [b] = runOp('REVERSE_V2', [f32([2, 3], iota(6)), i32([2], [0, -1])], [out([2, 3])]);
      assert.deepEqual(list(b), [5, 4, 3, 2, 1, 0]);
    });

    it('int8, int16, int32, uint8, bool and int64 along axis 0', function () {
      const ints = [
        { operand: i8([3], [-1, 0, 1], q(0.2, 0)), o: out([3], 'int8', q(0.2, 0)) },
        { operand: i16([3], [-1, 0, 1]), o: out([3], 'int16', q(1, 0)) },
        { operand: i32in([3], [-1, 0, 1]), o: out([3], 'int32') },
      ];
      for (const { operand, o } of ints) assert.deepEqual(list(runOp('REVERSE_V2', [operand, i32([1], [0])], [o])[0]), [1, 0, -1], o.dtype);
      assert.deepEqual(list(runOp('REVERSE_V2', [{ shape: [3], dtype: 'uint8', input: [0, 128, 255] }, i32([1], [0])], [out([3], 'uint8')])[0]), [255, 128, 0]);
      assert.deepEqual(list(runOp('REVERSE_V2', [{ shape: [3], dtype: 'bool', input: [1, 1, 0] }, i32([1], [0])], [out([3], 'bool')])[0]), [0, 1, 1]);
      assert.deepEqual(list(runOp('REVERSE_V2', [i64([2], [-(2 ** 50), 7]), i32([1], [0])], [out([2], 'int64')])[0]), [7, -(2 ** 50)]);
    });

    it('refuses an axis outside the rank and axes that are not neighbours (as TFLM does)', function () {
      assert.match(opError('REVERSE_V2', [f32([2], [1, 2]), i32([1], [1])], [out([2])]), /axis 1 is out of range for rank 1/);
      assert.match(opError('REVERSE_V2', [f32([1, 1, 2], [1, 2]), i32([2], [2, 0])], [out([1, 1, 2])]), /Non-contiguous axes \[0, 2\] not supported/);
    });
  });

  describe('BROADCAST_TO (broadcast_to.cc)', function () {
    it('float32 [3] -> [2, 3] and int8 [2, 1] -> [2, 2, 3]', function () {
      const [a] = runOp('BROADCAST_TO', [f32([3], [1, 2, 3]), i32([2], [2, 3])], [out([2, 3])]);
      assert.deepEqual(list(a), [1, 2, 3, 1, 2, 3]);
      // [[4], [5]] repeats along the last axis and along a new leading axis of 2.
      const [b] = runOp('BROADCAST_TO', [i8([2, 1], [4, 5], q(1, 0)), i64([3], [2, 2, 3])], [out([2, 2, 3], 'int8', q(1, 0))]);
      assert.deepEqual(list(b), [4, 4, 4, 5, 5, 5, 4, 4, 4, 5, 5, 5]);
    });

    it('refuses a shape the input does not broadcast to, and a shape that is not constant', function () {
      assert.match(opError('BROADCAST_TO', [f32([2], [1, 2]), i32([1], [3])], [out([3])]), /input shape \[2\] does not broadcast to \[3\]/);
      assert.match(opError('BROADCAST_TO', [f32([1], [1]), i32in([1], [3])], [out([3])]), /shape must be a constant tensor/);
    });
  });

  describe('BROADCAST_ARGS (broadcast_args.cc, values read at invoke)', function () {
    it('int32 shapes from model inputs, right-aligned', function () {
      // [5] against [2, 1, 1]: [1, 1, 5] vs [2, 1, 1] -> [2, 1, 5].
      const [y] = runOp('BROADCAST_ARGS', [i32in([1], [5]), i32in([3], [2, 1, 1])], [out([3], 'int32')]);
      assert.deepEqual(list(y), [2, 1, 5]);
    });

    it('int64 constants', function () {
      const [y] = runOp('BROADCAST_ARGS', [i64([2], [1, 3]), i64([2], [4, 1])], [out([2], 'int64')]);
      assert.deepEqual(list(y), [4, 3]);
    });

    it('fails the invoke on incompatible shapes and refuses a wrong output length', function () {
      assert.match(opError('BROADCAST_ARGS', [i32in([1], [2]), i32in([1], [3])], [out([1], 'int32')]), /operator 0 \(BROADCAST_ARGS\): shapes are not broadcast compatible/);
      assert.match(opError('BROADCAST_ARGS', [i32in([1], [2]), i32in([2], [1, 2])], [out([1], 'int32')]), /output holds 1 values, the broadcast shape has 2/);
    });
  });
});
