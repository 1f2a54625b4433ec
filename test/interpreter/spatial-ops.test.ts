// The spatial-family kernels (DEPTH_TO_SPACE, SPACE_TO_DEPTH, BATCH_TO_SPACE_ND,
// SPACE_TO_BATCH_ND, RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR) on one-operator models; expected
// values worked out by hand from TFLM's reference kernels (reference/<op>.h), cited per case.
import assert from 'node:assert/strict';
import {
  DepthToSpaceOptionsT, ResizeBilinearOptionsT, ResizeNearestNeighborOptionsT, SpaceToDepthOptionsT,
} from '../../lib/model/schema/tflite.js';
import {
  f32, i16, i32, i32in, i8, iota, list, opError, out, q, runOp,
} from './single-op.js';

function assertClose(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])), `element ${i}: ${v} vs ${expected[i]}`));
}

describe('interpreter: spatial-family kernels on hand-built models', function () {
  describe('DEPTH_TO_SPACE, SPACE_TO_DEPTH (NHWC, block 2)', function () {
    // Two pixels of depth 4, [1..4] and [5..8], spread into 2x2 patches:
    // out[h][w] = in[w / 2][(h % 2) * 2 + w % 2] -> row 0: 1 2 5 6, row 1: 3 4 7 8.
    it('float32 DEPTH_TO_SPACE and its inverse', function () {
      const [y] = runOp('DEPTH_TO_SPACE', [f32([1, 1, 2, 4], iota(8, 1))], [out([1, 2, 4, 1])], new DepthToSpaceOptionsT(2));
      assert.deepEqual(list(y), [1, 2, 5, 6, 3, 4, 7, 8]);
      const [z] = runOp('SPACE_TO_DEPTH', [f32([1, 2, 4, 1], [1, 2, 5, 6, 3, 4, 7, 8])], [out([1, 1, 2, 4])], new SpaceToDepthOptionsT(2));
      assert.deepEqual(list(z), iota(8, 1));
    });

    it('int8 both ways, and the block checks', function () {
      const [y] = runOp('DEPTH_TO_SPACE', [i8([1, 1, 2, 4], iota(8, -4), q(0.5, 1))], [out([1, 2, 4, 1], 'int8', q(0.5, 1))], new DepthToSpaceOptionsT(2));
      assert.deepEqual(list(y), [-4, -3, 0, 1, -2, -1, 2, 3]);
      const [z] = runOp('SPACE_TO_DEPTH', [i8([1, 2, 4, 1], [-4, -3, 0, 1, -2, -1, 2, 3], q(0.5, 1))], [out([1, 1, 2, 4], 'int8', q(0.5, 1))], new SpaceToDepthOptionsT(2));
      assert.deepEqual(list(z), iota(8, -4));
      assert.match(opError('DEPTH_TO_SPACE', [f32([1, 1, 1, 3], [1, 2, 3])], [out([1, 2, 2, 1])], new DepthToSpaceOptionsT(2)), /input depth 3 is not a multiple of block_size 2 squared/);
      assert.match(opError('SPACE_TO_DEPTH', [f32([1, 3, 2, 1], iota(6))], [out([1, 1, 1, 6])], new SpaceToDepthOptionsT(2)), /input height 3 and width 2 must be multiples of block_size 2/);
    });
  });

  describe('BATCH_TO_SPACE_ND (batch_to_space_nd.h)', function () {
    it('float32 block [2, 2] with a left crop', function () {
      // Batches [1, 2], [3, 4], [5, 6], [7, 8] (1x2 each) fill a 2x4 grid: batch = (h % 2) * 2 + w % 2,
      // column w / 2 -> rows [1, 3, 2, 4] and [5, 7, 6, 8]; crops [[0, 0], [1, 0]] cut column 0.
      const [y] = runOp('BATCH_TO_SPACE_ND', [f32([4, 1, 2, 1], iota(8, 1)), i32([2], [2, 2]), i32([2, 2], [0, 0, 1, 0])], [out([1, 2, 3, 1])]);
      assert.deepEqual(list(y), [3, 2, 4, 7, 6, 8]);
    });

    it('int8 3-D (NHC) block [2]', function () {
      // Batches [[1], [2]] and [[3], [4]] interleave along height: 1 3 2 4.
      const [y] = runOp('BATCH_TO_SPACE_ND', [i8([2, 2, 1], [1, 2, 3, 4], q(0.1, 0)), i32([1], [2]), i32([1, 2], [0, 0])], [out([1, 4, 1], 'int8', q(0.1, 0))]);
      assert.deepEqual(list(y), [1, 3, 2, 4]);
    });

    it('refuses a batch the block does not divide', function () {
      assert.match(opError('BATCH_TO_SPACE_ND', [f32([3, 1, 1, 1], [1, 2, 3]), i32([2], [2, 1]), i32([2, 2], [0, 0, 0, 0])], [out([1, 2, 1, 1])]),
        /input batch 3 is not a multiple of the block size 2/);
    });
  });

  describe('SPACE_TO_BATCH_ND (space_to_batch_nd.h: padding holds 0, int8 the output zero point)', function () {
    it('int8 block [1, 2], width padded by [0, 1] with zero point -5', function () {
      // [1, 2, 3] padded to [1, 2, 3, pad]; batch b takes columns b, b + 2: [1, 3] and [2, pad].
      const [y] = runOp('SPACE_TO_BATCH_ND', [i8([1, 1, 3, 1], [1, 2, 3], q(0.25, -5)), i32([2], [1, 2]), i32([2, 2], [0, 0, 0, 1])],
        [out([2, 1, 2, 1], 'int8', q(0.25, -5))]);
      assert.deepEqual(list(y), [1, 3, 2, -5]);
    });

    it('float32 3-D (NHC) block [2] with paddings [1, 1]', function () {
      // Height [pad, 1, 2, 3, 4, pad]: batch 0 rows 0, 2, 4 -> [0, 2, 4]; batch 1 rows 1, 3, 5 -> [1, 3, 0].
      const [y] = runOp('SPACE_TO_BATCH_ND', [f32([1, 4, 1], [1, 2, 3, 4]), i32([1], [2]), i32([1, 2], [1, 1])], [out([2, 3, 1])]);
      assert.deepEqual(list(y), [0, 2, 4, 1, 3, 0]);
    });

    it('refuses a padded size the block does not divide, and non-constant paddings', function () {
      assert.match(opError('SPACE_TO_BATCH_ND', [f32([1, 3, 1], [1, 2, 3]), i32([1], [2]), i32([1, 2], [0, 0])], [out([2, 1, 1])]),
        /padded dimension 1 \(3\) is not a multiple of block 2/);
      assert.match(opError('SPACE_TO_BATCH_ND', [f32([1, 2, 1], [1, 2]), i32([1], [2]), i32in([1, 2], [0, 0])], [out([2, 1, 1])]), /paddings must be a constant tensor/);
    });
  });

  describe('RESIZE_NEAREST_NEIGHBOR (GetNearestNeighbor), [[1, 2], [3, 4]] to 3x3', function () {
    const size = i32([2], [3, 3]);
    it('float32 default: scale 2/3, floor(i * scale) = 0, 0, 1', function () {
      const [y] = runOp('RESIZE_NEAREST_NEIGHBOR', [f32([1, 2, 2, 1], [1, 2, 3, 4]), size], [out([1, 3, 3, 1])], new ResizeNearestNeighborOptionsT(false, false));
      assert.deepEqual(list(y), [1, 1, 2, 1, 1, 2, 3, 3, 4]);
    });

    it('int8 half_pixel_centers: floor((i + 0.5) * 2/3) = 0, 1, 1', function () {
      const [y] = runOp('RESIZE_NEAREST_NEIGHBOR', [i8([1, 2, 2, 1], [1, 2, 3, 4], q(1, 0)), size], [out([1, 3, 3, 1], 'int8', q(1, 0))], new ResizeNearestNeighborOptionsT(false, true));
      assert.deepEqual(list(y), [1, 2, 2, 3, 4, 4, 3, 4, 4]);
    });

    it('int16 align_corners: round(i * 1/2) = 0, 1 (half away from zero), 1', function () {
      const [y] = runOp('RESIZE_NEAREST_NEIGHBOR', [i16([1, 2, 2, 1], [1, 2, 3, 4]), size], [out([1, 3, 3, 1], 'int16', q(1, 0))], new ResizeNearestNeighborOptionsT(true, false));
      assert.deepEqual(list(y), [1, 2, 2, 3, 4, 4, 3, 4, 4]);
    });

    it('refuses a size that is not constant and both flags set', function () {
      assert.match(opError('RESIZE_NEAREST_NEIGHBOR', [f32([1, 1, 1, 1], [1]), i32in([2], [2, 2])], [out([1, 2, 2, 1])]), /size must be a constant tensor/);
      assert.match(opError('RESIZE_NEAREST_NEIGHBOR', [f32([1, 1, 1, 1], [1]), i32([2], [2, 2])], [out([1, 2, 2, 1])], new ResizeNearestNeighborOptionsT(true, true)),
        /If half_pixel_centers is True, align_corners must be False/);
    });
  });

  describe('RESIZE_BILINEAR (resize_bilinear.h)', function () {
    const row = (values: number[]): ReturnType<typeof f32> => f32([1, 1, 2, 1], values);
    it('float32 [0, 8] to width 4: default, half_pixel_centers, align_corners', function () {
      // Default scale 0.5: x = 0, 0.5, 1, 1.5 (x1 capped at 1) -> 0, 4, 8, 8.
      const size = i32([2], [1, 4]);
      assertClose(list(runOp('RESIZE_BILINEAR', [row([0, 8]), size], [out([1, 1, 4, 1])], new ResizeBilinearOptionsT(false, false))[0]), [0, 4, 8, 8]);
      // Half pixel: x = -0.25 (both corners 0), 0.25, 0.75, 1.25 (both corners 1) -> 0, 2, 6, 8.
      assertClose(list(runOp('RESIZE_BILINEAR', [row([0, 8]), size], [out([1, 1, 4, 1])], new ResizeBilinearOptionsT(false, true))[0]), [0, 2, 6, 8]);
      // Align corners: scale 1/3, x = 0, 1/3, 2/3, 1 -> 0, 8/3, 16/3, 8.
      assertClose(list(runOp('RESIZE_BILINEAR', [row([0, 8]), size], [out([1, 1, 4, 1])], new ResizeBilinearOptionsT(true, false))[0]), [0, 8 / 3, 16 / 3, 8]);
    });

    it('float32 2-D align_corners: [[0, 10], [20, 30]] to 3x3 takes the midpoints', function () {
      const [y] = runOp('RESIZE_BILINEAR', [f32([1, 2, 2, 1], [0, 10, 20, 30]), i32([2], [3, 3])], [out([1, 3, 3, 1])], new ResizeBilinearOptionsT(true, false));
      assertClose(list(y), [0, 5, 10, 10, 15, 20, 20, 25, 30]);
    });

    it('int8 ResizeBilinearInteger, default: 10-bit coordinates, rounding half away from zero', function () {
      // Pixels (ch0, ch1) = (-3, -4) and (4, 3) to width 4. width_scale_10 = (1024 * 2 + 2) / 4 = 512,
      // so input_x = 0, 512, 1024, 1536 (x0 = 0, 0, 1, 1; x1 = 0, 1, 1, 1). At x = 1, ch0:
      // -3 * 1024 * (1024 - 512) + 4 * 1024 * 512 = 524288 = 2^19; + 2^19 (positive) = 2^20, / 2^20 = 1.
      // ch1: (-4 + 3) * 1024 * 512 = -2^19; - 2^19 (not positive) = -2^20 -> -1.
      const [y] = runOp('RESIZE_BILINEAR', [i8([1, 1, 2, 2], [-3, -4, 4, 3], q(0.5, 0)), i32([2], [1, 4])], [out([1, 1, 4, 2], 'int8', q(0.5, 0))],
        new ResizeBilinearOptionsT(false, false));
      assert.deepEqual(list(y), [-3, -4, 1, -1, 4, 3, 4, 3]);
    });

    it('int8 half_pixel_centers: a negative source coordinate weights the same pixel twice', function () {
      // input_x = x * 512 + 256 - 512 = -256, 256, 768, 1280.
      // x = 0: x0 = x1 = 0, weights 1280 and -256 sum to 1024 -> the pixel itself.
      // x = 1: ch0 -3 * 768 + 4 * 256 = -1280 (in 1/1024) -> -1.25 -> (-1.25 - 0.5) truncated = -1;
      //        ch1 -4 * 768 + 3 * 256 = -2304 -> -2.25 -> -2.
      // x = 2: ch0 -3 * 256 + 4 * 768 = 2304 -> 2; ch1 -4 * 256 + 3 * 768 = 1280 -> 1.
      // x = 3: x0 = 1280 / 1024 = 1 = x1 -> the second pixel.
      const [y] = runOp('RESIZE_BILINEAR', [i8([1, 1, 2, 2], [-3, -4, 4, 3], q(0.5, 0)), i32([2], [1, 4])], [out([1, 1, 4, 2], 'int8', q(0.5, 0))],
        new ResizeBilinearOptionsT(false, true));
      assert.deepEqual(list(y), [-3, -4, -1, -2, 2, 1, 4, 3]);
    });

    it('int8 align_corners 2-D: [[0, 10], [20, 30]] to 3x3', function () {
      // scale_10 = (1024 * 1 + 1) / 2 = 512: coordinates 0, 512, 1024. An edge midpoint such as
      // (0 + 10) * 1024 * 512 / 2^20 = 5 and the centre (0 + 10 + 20 + 30) * 512 * 512 / 2^20 = 15 are exact.
      const [y] = runOp('RESIZE_BILINEAR', [i8([1, 2, 2, 1], [0, 10, 20, 30], q(1, 0)), i32([2], [3, 3])], [out([1, 3, 3, 1], 'int8', q(1, 0))],
        new ResizeBilinearOptionsT(true, false));
      assert.deepEqual(list(y), [0, 5, 10, 10, 15, 20, 20, 25, 30]);
    });

    it('refuses a 3-D input and a wrong output shape', function () {
      assert.match(opError('RESIZE_BILINEAR', [f32([1, 2, 1], [1, 2]), i32([2], [2, 2])], [out([1, 2, 2, 1])]), /input must be 4-D \(NHWC\)/);
      assert.match(opError('RESIZE_BILINEAR', [f32([1, 1, 2, 1], [1, 2]), i32([2], [2, 2])], [out([1, 2, 3, 1])]), /output shape \[1, 2, 3, 1\] should be \[1, 2, 2, 1\]/);
    });
  });
});
