// Shared by RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR: a 4-D NHWC input and a constant int32
// size [height, width] (TFLM: "Non constant size tensor not supported"), options flags checked.
import type { RuntimeTensor } from '../tensor.js';
import type { PrepareContext } from './kernel.js';
import { constantIndices, inputAt, movedTensors, shapeText } from './shape-common.js';

export interface ResizeGeometry {
  input: RuntimeTensor;
  output: RuntimeTensor;
  batches: number;
  inHeight: number;
  inWidth: number;
  depth: number;
  outHeight: number;
  outWidth: number;
}

export function resizeGeometry(ctx: PrepareContext, alignCorners: boolean, halfPixelCenters: boolean): ResizeGeometry {
  const { input, output } = movedTensors(ctx);
  const size = inputAt(ctx, 1, 'size');
  if (input.shape.length !== 4) throw ctx.error(`input must be 4-D (NHWC), has shape ${shapeText(input.shape)}`);
  if (size.dtype !== 'int32' || size.shape.length !== 1 || size.elementCount !== 2) throw ctx.error('size must be a 1-D int32 tensor of 2 values');
  if (alignCorners && halfPixelCenters) throw ctx.error('If half_pixel_centers is True, align_corners must be False.');
  const [outHeight, outWidth] = constantIndices(ctx, size, 'size');
  const [batches, inHeight, inWidth, depth] = input.shape;
  const expected = [batches, outHeight, outWidth, depth];
  if (outHeight < 1 || outWidth < 1) throw ctx.error(`size [${outHeight}, ${outWidth}] must be positive`);
  if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
  return { input, output, batches, inHeight, inWidth, depth, outHeight, outWidth };
}
