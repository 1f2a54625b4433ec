// RESIZE_BILINEAR after TFLM's micro/kernels/resize_bilinear.cc and reference/resize_bilinear.h.
// float32 follows ResizeBilinear in float32 arithmetic, step by step. int8 follows
// ResizeBilinearInteger: source coordinates in 10-bit fixed point, the four weighted corners
// summed at 20 bits, rounded half away from zero (TFLM's default, not TFLITE_SINGLE_ROUNDING).
// The per-row and per-column coordinates depend only on the model, so prepare tabulates them.
import { ResizeBilinearOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { resizeGeometry, type ResizeGeometry } from './resize-common.js';

const f = Math.fround;

/** Per output row (or column): the lower and upper source index and the weight of the upper one. */
interface Axis {
  lower: Int32Array;
  upper: Int32Array;
  /** float32: the fraction (scaled - lower); int8: scaled - 1024 * lower, in 1/1024. */
  weight: Float64Array;
}

/** ComputeInterpolationValues in float32. */
function floatAxis(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Axis {
  const scale = alignCorners && outSize > 1 ? f((inSize - 1) / (outSize - 1)) : f(inSize / outSize);
  const axis: Axis = { lower: new Int32Array(outSize), upper: new Int32Array(outSize), weight: new Float64Array(outSize) };
  for (let i = 0; i < outSize; i++) {
    const scaled = halfPixelCenters ? f(f(f(i + 0.5) * scale) - 0.5) : f(i * scale);
    const lower = Math.max(Math.floor(scaled), 0);
    axis.lower[i] = lower;
    axis.upper[i] = Math.min(Math.ceil(scaled), inSize - 1);
    axis.weight[i] = f(scaled - lower);
  }
  return axis;
}

/** ComputeInterpolationValuesInteger: 10-bit fixed point, C integer division (truncating). */
function integerAxis(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Axis {
  let scale10 = Math.trunc((1024 * inSize + Math.trunc(outSize / 2)) / outSize);
  if (alignCorners && outSize > 1) scale10 = Math.trunc((1024 * (inSize - 1) + Math.trunc((outSize - 1) / 2)) / (outSize - 1));
  const axis: Axis = { lower: new Int32Array(outSize), upper: new Int32Array(outSize), weight: new Float64Array(outSize) };
  for (let i = 0; i < outSize; i++) {
    const scaled = halfPixelCenters ? i * scale10 + Math.trunc(scale10 / 2) - 512 : i * scale10;
    const lower = Math.max(Math.trunc(scaled / 1024), 0);
    axis.lower[i] = lower;
    axis.upper[i] = Math.min(Math.trunc((scaled + 1023) / 1024), inSize - 1);
    axis.weight[i] = scaled - 1024 * lower;
  }
  return axis;
}

function prepareFloat(g: ResizeGeometry, rows: Axis, cols: Axis): PreparedOp {
  const { batches, inHeight, inWidth, depth, outHeight, outWidth } = g;
  return {
    invoke(): void {
      const x = g.input.data as Float32Array;
      const y = g.output.data as Float32Array;
      let out = 0;
      for (let b = 0; b < batches; b++) {
        for (let oy = 0; oy < outHeight; oy++) {
          const dy = rows.weight[oy];
          const ry = f(1 - dy);
          const row0 = (b * inHeight + rows.lower[oy]) * inWidth;
          const row1 = (b * inHeight + rows.upper[oy]) * inWidth;
          for (let ox = 0; ox < outWidth; ox++) {
            const dx = cols.weight[ox];
            const rx = f(1 - dx);
            const [c0, c1] = [cols.lower[ox] * depth, cols.upper[ox] * depth];
            for (let c = 0; c < depth; c++) {
              // The reference sums the four corner terms left to right, each product rounded to float32.
              let v = f(f(x[(row0) * depth + c0 + c] * ry) * rx);
              v = f(v + f(f(x[(row1) * depth + c0 + c] * dy) * rx));
              v = f(v + f(f(x[(row0) * depth + c1 + c] * ry) * dx));
              v = f(v + f(f(x[(row1) * depth + c1 + c] * dy) * dx));
              y[out++] = v;
            }
          }
        }
      }
    },
  };
}

function prepareInt8(g: ResizeGeometry, rows: Axis, cols: Axis): PreparedOp {
  const { batches, inHeight, inWidth, depth, outHeight, outWidth } = g;
  const ONE = 1024;
  const HALF = 524288; // 1 << 19
  const SCALE = 1048576; // 1 << 20
  return {
    invoke(): void {
      const x = g.input.data as Int8Array;
      const y = g.output.data as Int8Array;
      let out = 0;
      for (let b = 0; b < batches; b++) {
        for (let oy = 0; oy < outHeight; oy++) {
          const wy = rows.weight[oy];
          const row0 = (b * inHeight + rows.lower[oy]) * inWidth;
          const row1 = (b * inHeight + rows.upper[oy]) * inWidth;
          for (let ox = 0; ox < outWidth; ox++) {
            const wx = cols.weight[ox];
            const [c0, c1] = [cols.lower[ox] * depth, cols.upper[ox] * depth];
            for (let c = 0; c < depth; c++) {
              // Each term is below 2^27 in magnitude, so the sum is exact in a double.
              const sum = x[row0 * depth + c0 + c] * (ONE - wy) * (ONE - wx)
                + x[row1 * depth + c0 + c] * wy * (ONE - wx)
                + x[row0 * depth + c1 + c] * (ONE - wy) * wx
                + x[row1 * depth + c1 + c] * wy * wx;
              y[out++] = Math.trunc((sum + (sum > 0 ? HALF : -HALF)) / SCALE);
            }
          }
        }
      }
    },
  };
}

export const RESIZE_BILINEAR: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8';
  },
  prepare(ctx: PrepareContext): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof ResizeBilinearOptionsT ? ctx.operator.builtinOptions : new ResizeBilinearOptionsT();
    const { alignCorners, halfPixelCenters } = options;
    const g = resizeGeometry(ctx, alignCorners, halfPixelCenters);
    const axis = g.input.dtype === 'float32' ? floatAxis : integerAxis;
    const rows = axis(g.inHeight, g.outHeight, alignCorners, halfPixelCenters);
    const cols = axis(g.inWidth, g.outWidth, alignCorners, halfPixelCenters);
    return g.input.dtype === 'float32' ? prepareFloat(g, rows, cols) : prepareInt8(g, rows, cols);
  },
};
