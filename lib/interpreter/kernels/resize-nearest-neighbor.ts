// RESIZE_NEAREST_NEIGHBOR after TFLM's micro/kernels/resize_nearest_neighbor.cc and
// reference/resize_nearest_neighbor.h (GetNearestNeighbor, in float32 as there): the source
// index is floor((i + offset) * scale), or round-half-away with align_corners, capped at the
// last index; offset 0.5 with half_pixel_centers.
import { ResizeNearestNeighborOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { buildMap, mappedCopy } from './element-map.js';
import { roundHalfAwayFromZero } from './quantization.js';
import { resizeGeometry } from './resize-common.js';

const f = Math.fround;

function nearest(value: number, inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const scale = alignCorners && outSize > 1 ? f((inSize - 1) / (outSize - 1)) : f(inSize / outSize);
  const offset = halfPixelCenters ? 0.5 : 0;
  const scaled = f(f(value + offset) * scale);
  let result = Math.min(alignCorners ? roundHalfAwayFromZero(scaled) : Math.floor(scaled), inSize - 1);
  if (halfPixelCenters) result = Math.max(0, result);
  return result;
}

export const RESIZE_NEAREST_NEIGHBOR: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8' || inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof ResizeNearestNeighborOptionsT
      ? ctx.operator.builtinOptions : new ResizeNearestNeighborOptionsT();
    const { alignCorners, halfPixelCenters } = options;
    const g = resizeGeometry(ctx, alignCorners, halfPixelCenters);
    const map = buildMap(g.output.shape, ([b, y, x, c]) => {
      const iy = nearest(y, g.inHeight, g.outHeight, alignCorners, halfPixelCenters);
      const ix = nearest(x, g.inWidth, g.outWidth, alignCorners, halfPixelCenters);
      return ((b * g.inHeight + iy) * g.inWidth + ix) * g.depth + c;
    });
    return mappedCopy(g.input, g.output, map);
  },
};
