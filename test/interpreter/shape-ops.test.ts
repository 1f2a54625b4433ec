// The shape-family kernels on small models built in the test, expected values worked out by
// hand (in the comments) from the ops' definitions and TFLM's integer arithmetic.
import assert from 'node:assert/strict';
import {
  ConcatenationOptionsT, PackOptionsT, ReducerOptionsT, ShapeOptionsT, SplitOptionsT, SqueezeOptionsT,
  StridedSliceOptionsT, TensorType, UnpackOptionsT,
} from '../../lib/model/schema/tflite.js';
import {
  f32, i32, iota, opError as prepareError, q, runOp, type Io, type Operand,
} from './single-op.js';

function slice(begin: number[], end: number[], strides: number[], masks: Partial<StridedSliceOptionsT> = {}): { operands: Operand[]; options: StridedSliceOptionsT } {
  const options = Object.assign(new StridedSliceOptionsT(), masks);
  const n = begin.length;
  return { operands: [f32([3, 4], iota(12)), i32([n], begin), i32([n], end), i32([n], strides)], options };
}

describe('interpreter: shape-family kernels on hand-built models', function () {
  describe('RESHAPE, SQUEEZE, EXPAND_DIMS', function () {
    it('RESHAPE copies the elements in order under the new shape', function () {
      const [y] = runOp('RESHAPE', [f32([2, 3], [1, 2, 3, 4, 5, 6]), i32([2], [3, -1])], [{ shape: [3, 2], dtype: 'float32' }]);
      assert.deepEqual(Array.from(y as Float32Array), [1, 2, 3, 4, 5, 6]);
    });

    it('RESHAPE refuses an output with a different element count', function () {
      assert.match(prepareError('RESHAPE', [f32([2, 3], iota(6))], [{ shape: [4], dtype: 'float32' }]), /operator 0 \(RESHAPE\): input shape \[2, 3\] and output shape \[4\] differ in size/);
    });

    it('SQUEEZE drops the named unit dimensions and checks them', function () {
      const options = new SqueezeOptionsT([-1]);
      const [y] = runOp('SQUEEZE', [{ shape: [1, 3, 1], dtype: 'int8', input: [-1, 0, 7] }], [{ shape: [1, 3], dtype: 'int8' }], options);
      assert.deepEqual(Array.from(y as Int8Array), [-1, 0, 7]);
      assert.match(prepareError('SQUEEZE', [f32([1, 3, 1], iota(3))], [{ shape: [3, 1], dtype: 'float32' }], new SqueezeOptionsT([1])), /cannot squeeze dimension 1 of size 3/);
    });

    it('EXPAND_DIMS with a negative axis counts from the end of the output rank', function () {
      // rank 3 input, axis -3 -> position 1: [1, 128, 3] style; here [1, 2, 2] -> [1, 1, 2, 2].
      const [y] = runOp('EXPAND_DIMS', [{ shape: [1, 2, 2], dtype: 'int16', input: [1, -2, 300, -32768] }, i32([], [-3])], [{ shape: [1, 1, 2, 2], dtype: 'int16' }]);
      assert.deepEqual(Array.from(y as Int16Array), [1, -2, 300, -32768]);
      assert.match(prepareError('EXPAND_DIMS', [f32([2, 2], iota(4)), i32([], [0])], [{ shape: [2, 1, 2], dtype: 'float32' }]), /should be \[1, 2, 2\]/);
    });
  });

  describe('PAD, PADV2', function () {
    it('int8 PAD fills with the output zero point', function () {
      // [[5, 6]] padded by [[0, 0], [1, 2]] -> [[zp, 5, 6, zp, zp]] with zp 3.
      const [y] = runOp('PAD', [{ shape: [1, 2], dtype: 'int8', quantization: q(0.5, 3), input: [5, 6] }, i32([2, 2], [0, 0, 1, 2])],
        [{ shape: [1, 5], dtype: 'int8', quantization: q(0.5, 3) }]);
      assert.deepEqual(Array.from(y as Int8Array), [3, 5, 6, 3, 3]);
    });

    it('float32 PADV2 fills with constant_values', function () {
      // [[1], [2]] padded by [[1, 0], [0, 1]] with 9 -> [[9, 9], [1, 9], [2, 9]].
      const [y] = runOp('PADV2', [f32([2, 1], [1, 2]), i32([2, 2], [1, 0, 0, 1]), { shape: [], dtype: 'float32', data: new Float32Array([9]) }],
        [{ shape: [3, 2], dtype: 'float32' }]);
      assert.deepEqual(Array.from(y as Float32Array), [9, 9, 1, 9, 2, 9]);
    });

    it('int16 PAD of a 3-D tensor pads every dimension with 0', function () {
      // [1, 1, 2] = [7, -7], paddings [[1, 0], [0, 1], [1, 0]] -> shape [2, 2, 3]:
      // first block all 0; second block rows [0, 7, -7] and [0, 0, 0].
      const [y] = runOp('PAD', [{ shape: [1, 1, 2], dtype: 'int16', quantization: q(1, 0), input: [7, -7] }, i32([3, 2], [1, 0, 0, 1, 1, 0])],
        [{ shape: [2, 2, 3], dtype: 'int16', quantization: q(1, 0) }]);
      assert.deepEqual(Array.from(y as Int16Array), [0, 0, 0, 0, 0, 0, 0, 7, -7, 0, 0, 0]);
    });

    it('refuses an output shape that is not input + paddings', function () {
      assert.match(prepareError('PAD', [f32([2], [1, 2]), i32([1, 2], [1, 1])], [{ shape: [5], dtype: 'float32' }]), /output shape \[5\] does not match input \[2\] padded by \[1, 1\]/);
    });
  });

  describe('STRIDED_SLICE on [[0..3], [4..7], [8..11]]', function () {
    const out = (shape: number[]): Io[] => [{ shape, dtype: 'float32' }];

    it('negative strides and a negative begin', function () {
      // rows 2, 1 (stop 0 excluded); columns from -1 = 3 down to 0 excluded by -2: 3, 1.
      const s = slice([2, -1], [0, 0], [-1, -2]);
      assert.deepEqual(Array.from(runOp('STRIDED_SLICE', s.operands, out([2, 2]), s.options)[0] as Float32Array), [11, 9, 7, 5]);
    });

    it('shrink_axis_mask drops a sliced dimension', function () {
      const s = slice([1, 0], [2, 4], [1, 1], { shrinkAxisMask: 1 });
      assert.deepEqual(Array.from(runOp('STRIDED_SLICE', s.operands, out([4]), s.options)[0] as Float32Array), [4, 5, 6, 7]);
    });

    it('begin_mask and end_mask with a negative stride take the whole axis backwards', function () {
      // axis 1 masked: begin -> 3 (last), end -> before 0; row 0 only.
      const s = slice([0, 0], [1, 3], [1, -1], { beginMask: 2, endMask: 2 });
      assert.deepEqual(Array.from(runOp('STRIDED_SLICE', s.operands, out([1, 4]), s.options)[0] as Float32Array), [3, 2, 1, 0]);
    });

    it('offset makes end relative to begin', function () {
      // begin [1, 1], end [2, 2] with offset -> end [3, 3]: rows 1-2, columns 1-2.
      const s = slice([1, 1], [2, 2], [1, 1], { offset: true });
      assert.deepEqual(Array.from(runOp('STRIDED_SLICE', s.operands, out([2, 2]), s.options)[0] as Float32Array), [5, 6, 9, 10]);
    });

    it('checks the output shape and refuses ellipsis_mask, which TFLM ignores', function () {
      const s = slice([0, 0], [2, 2], [1, 1]);
      assert.match(prepareError('STRIDED_SLICE', s.operands, out([2, 3]), s.options), /output shape \[2, 3\] should be \[2, 2\]/);
      const e = slice([0, 0], [2, 2], [1, 1], { ellipsisMask: 1 });
      assert.match(prepareError('STRIDED_SLICE', e.operands, out([2, 2]), e.options), /ellipsis_mask 1/);
    });
  });

  describe('CONCATENATION', function () {
    it('int8 along a negative axis with equal quantization', function () {
      // [[1], [2]] ++ [[3, 4], [5, 6]] along -1 -> [[1, 3, 4], [2, 5, 6]].
      const options = new ConcatenationOptionsT(-1);
      const [y] = runOp('CONCATENATION', [
        { shape: [2, 1], dtype: 'int8', quantization: q(0.1, -3), input: [1, 2] },
        { shape: [2, 2], dtype: 'int8', quantization: q(0.1, -3), input: [3, 4, 5, 6] },
      ], [{ shape: [2, 3], dtype: 'int8', quantization: q(0.1, -3) }], options);
      assert.deepEqual(Array.from(y as Int8Array), [1, 3, 4, 2, 5, 6]);
    });

    it('int32 along axis 0, one input constant', function () {
      const [y] = runOp('CONCATENATION', [i32([1, 2], [10, 20]), { shape: [2, 2], dtype: 'int32', input: [1, 2, 3, 4] }],
        [{ shape: [3, 2], dtype: 'int32' }], new ConcatenationOptionsT(0));
      assert.deepEqual(Array.from(y as Int32Array), [10, 20, 1, 2, 3, 4]);
    });

    it('refuses inputs whose quantization differs from the output', function () {
      const message = prepareError('CONCATENATION', [
        { shape: [1], dtype: 'int8', quantization: q(0.1, 0), input: [1] },
        { shape: [1], dtype: 'int8', quantization: q(0.2, 0), input: [1] },
      ], [{ shape: [2], dtype: 'int8', quantization: q(0.1, 0) }], new ConcatenationOptionsT(0));
      assert.match(message, /input 1 has scale 0\.2/);
    });
  });

  describe('TRANSPOSE', function () {
    it('2-D perm [1, 0]', function () {
      const [y] = runOp('TRANSPOSE', [f32([2, 3], iota(6)), i32([2], [1, 0])], [{ shape: [3, 2], dtype: 'float32' }]);
      assert.deepEqual(Array.from(y as Float32Array), [0, 3, 1, 4, 2, 5]);
    });

    it('3-D perm [2, 0, 1]: out[i][j][k] = in[j][k][i]', function () {
      // in index j*4 + k*2 + i; i = 0: 0, 2, 4, 6; i = 1: 1, 3, 5, 7.
      const [y] = runOp('TRANSPOSE', [{ shape: [2, 2, 2], dtype: 'int16', input: iota(8) }, i32([3], [2, 0, 1])], [{ shape: [2, 2, 2], dtype: 'int16' }]);
      assert.deepEqual(Array.from(y as Int16Array), [0, 2, 4, 6, 1, 3, 5, 7]);
    });
  });

  describe('MEAN', function () {
    it('float32 over axis 1', function () {
      const axis = i32([1], [1]);
      const [y] = runOp('MEAN', [f32([2, 3], [1, 2, 3, 4, 5, 6]), axis], [{ shape: [2], dtype: 'float32' }], new ReducerOptionsT(false));
      assert.deepEqual(Array.from(y as Float32Array), [2, 5]);
    });

    it('float32 keep_dims over axes 1 and 2 of a 4-D tensor', function () {
      const [y] = runOp('MEAN', [f32([1, 2, 2, 2], [1, 10, 2, 20, 3, 30, 4, 40]), i32([2], [1, 2])], [{ shape: [1, 1, 1, 2], dtype: 'float32' }], new ReducerOptionsT(true));
      assert.deepEqual(Array.from(y as Float32Array), [2.5, 25]);
    });

    it('int8 requantizes when the scales differ', function () {
      // input scale 0.5 zp 1, q [4, 5, 9] = 1.5, 2, 4, mean 2.5 = q 8 at output scale 0.25 zp -2.
      // Integer path: 0.5/0.25 = 2 -> multiplier 2^30, shift 2; count 3 -> shift 1:
      // multiplier floor(2^31 / 3) = 715827882, shift 1. sum 18 - 1*3 = 15, << 1 = 30,
      // 30 * 715827882 / 2^31 = 9.99999999 -> 10, + zp -2 = 8.
      const [y] = runOp('MEAN', [{ shape: [1, 3], dtype: 'int8', quantization: q(0.5, 1), input: [4, 5, 9] }, i32([1], [-1])],
        [{ shape: [1], dtype: 'int8', quantization: q(0.25, -2) }], new ReducerOptionsT(false));
      assert.deepEqual(Array.from(y as Int8Array), [8]);
    });

    it('int16 with the output quantized as the input: integer mean, truncated (2.25 -> 2)', function () {
      // TFLM's EvalIntegerMean takes reference_ops::Mean when the zero points and scales are equal:
      // int32 sum / count in C division. Columns: 1+2+3+3 = 9, 9 / 4 = 2; -9 / 4 = -2 (toward zero).
      const [y] = runOp('MEAN', [{ shape: [1, 2, 2, 2], dtype: 'int16', quantization: q(1, 0), input: [1, -1, 2, -2, 3, -3, 3, -3] }, i32([2], [1, 2])],
        [{ shape: [1, 1, 1, 2], dtype: 'int16', quantization: q(1, 0) }], new ReducerOptionsT(true));
      assert.deepEqual(Array.from(y as Int16Array), [2, -2]);
    });
  });

  describe('SPLIT, PACK, UNPACK, SHAPE', function () {
    it('SPLIT cuts along the constant axis', function () {
      const outputs = runOp('SPLIT', [i32([], [1]), f32([2, 4], iota(8))], [{ shape: [2, 2], dtype: 'float32' }, { shape: [2, 2], dtype: 'float32' }], new SplitOptionsT(2));
      assert.deepEqual(outputs.map((o) => Array.from(o as Float32Array)), [[0, 1, 4, 5], [2, 3, 6, 7]]);
    });

    it('PACK stacks scalars (axis 0) and vectors (axis 1)', function () {
      const [scalars] = runOp('PACK', [{ shape: [], dtype: 'int32', input: [7] }, i32([], [80])], [{ shape: [2], dtype: 'int32' }], new PackOptionsT(2, 0));
      assert.deepEqual(Array.from(scalars as Int32Array), [7, 80]);
      const [vectors] = runOp('PACK', [f32([2], [1, 2]), f32([2], [3, 4])], [{ shape: [2, 2], dtype: 'float32' }], new PackOptionsT(2, 1));
      assert.deepEqual(Array.from(vectors as Float32Array), [1, 3, 2, 4]);
    });

    it('UNPACK splits along axis 1 into three vectors', function () {
      const outs = runOp('UNPACK', [f32([2, 3], iota(6))], [0, 1, 2].map(() => ({ shape: [2], dtype: 'float32' as const })), new UnpackOptionsT(3, 1));
      assert.deepEqual(outs.map((o) => Array.from(o as Float32Array)), [[0, 3], [1, 4], [2, 5]]);
    });

    it('SHAPE writes the input dimensions as int32', function () {
      const [y] = runOp('SHAPE', [{ shape: [1, 5, 1, 16], dtype: 'int8', quantization: q(0.02, -128), input: new Array<number>(80).fill(0) }],
        [{ shape: [4], dtype: 'int32' }], new ShapeOptionsT(TensorType.INT32));
      assert.deepEqual(Array.from(y as Int32Array), [1, 5, 1, 16]);
    });
  });
});
