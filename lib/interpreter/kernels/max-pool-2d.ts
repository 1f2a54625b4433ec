// MAX_POOL_2D after TFLM's micro/kernels/pooling.cc and the reference kernels reference/pooling.h
// (float32) and reference/integer_ops/pooling.h (int8, int16): the maximum over the window cells
// inside the image, then the fused activation's clamp.
import { poolParams, type PoolParams } from './conv-pool-common.js';
import type { Kernel, PreparedOp } from './kernel.js';

type PoolData = Float32Array | Int8Array | Int16Array;

/** `lowest` is the dtype's smallest value, where the reference starts its running maximum. */
function maxPool(p: PoolParams, lowest: number, x: PoolData, y: PoolData): void {
  const { inputHeight, inputWidth, outputHeight, outputWidth, outputDepth: depth } = p;
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.padHeight;
      const yStart = Math.max(0, -inYOrigin);
      const yEnd = Math.min(p.filterHeight, inputHeight - inYOrigin);
      for (let outX = 0; outX < outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.padWidth;
        const xStart = Math.max(0, -inXOrigin);
        const xEnd = Math.min(p.filterWidth, inputWidth - inXOrigin);
        for (let channel = 0; channel < depth; channel++) {
          let max = lowest;
          for (let fy = yStart; fy < yEnd; fy++) {
            const rowBase = ((batch * inputHeight + inYOrigin + fy) * inputWidth + inXOrigin) * depth + channel;
            for (let fx = xStart; fx < xEnd; fx++) {
              // std::max(max, v) keeps max when v is NaN; so does this comparison.
              const value = x[rowBase + fx * depth];
              if (value > max) max = value;
            }
          }
          if (max < p.activationMin) max = p.activationMin;
          if (max > p.activationMax) max = p.activationMax;
          y[out++] = max;
        }
      }
    }
  }
}

const LOWEST: Readonly<Record<string, number>> = { float32: -3.4028234663852886e38, int8: -128, int16: -32768 };

export const MAX_POOL_2D: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const [input] = inputDtypes;
    return input === 'float32' || input === 'int8' || input === 'int16';
  },
  prepare(ctx): PreparedOp {
    const { input, output, params } = poolParams(ctx);
    const lowest = LOWEST[input.dtype];
    if (lowest === undefined) throw ctx.error(`unsupported input dtype ${input.dtype}`);
    return { invoke(): void { maxPool(params, lowest, input.data as PoolData, output.data as PoolData); } };
  },
};
