// L2_POOL_2D after TFLM's micro/kernels/l2_pool_2d.cc and reference/pooling.h (L2Pool), float32
// only as in TFLM: sqrt(sum of squares / cells) over the window cells inside the image, in
// float32, then the fused activation's clamp.
import { poolParams, poolWindows, type WindowFold } from './conv-pool-common.js';
import type { Kernel, PreparedOp } from './kernel.js';

const f = Math.fround;

export const L2_POOL_2D: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32';
  },
  prepare(ctx): PreparedOp {
    const { input, output, params } = poolParams(ctx);
    let sumSquares = 0;
    const fold: WindowFold = {
      begin(): void { sumSquares = 0; },
      add(value: number): void { sumSquares = f(sumSquares + f(value * value)); },
      result(count: number): number { return f(Math.sqrt(f(sumSquares / count))); },
    };
    return { invoke(): void { poolWindows(params, input.data as Float32Array, output.data as Float32Array, fold); } };
  },
};
