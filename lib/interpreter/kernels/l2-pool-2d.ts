// L2_POOL_2D after TFLM's micro/kernels/l2_pool_2d.cc and reference/pooling.h (L2Pool), float32
// only as in TFLM: sqrt(sum of squares / cells) over the window cells inside the image, in
// float32, then the fused activation's clamp.
import { poolParams, type PoolParams } from './conv-pool-common.js';
import type { Kernel, PreparedOp } from './kernel.js';

const f = Math.fround;

function l2Pool(p: PoolParams, x: Float32Array, y: Float32Array): void {
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
          let sumSquares = 0;
          let count = 0;
          for (let fy = yStart; fy < yEnd; fy++) {
            const rowBase = ((batch * inputHeight + inYOrigin + fy) * inputWidth + inXOrigin) * depth + channel;
            for (let fx = xStart; fx < xEnd; fx++) {
              const v = x[rowBase + fx * depth];
              sumSquares = f(sumSquares + f(v * v));
              count++;
            }
          }
          const l2 = f(Math.sqrt(f(sumSquares / count)));
          y[out++] = Math.min(Math.max(l2, p.activationMin), p.activationMax);
        }
      }
    }
  }
}

export const L2_POOL_2D: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32';
  },
  prepare(ctx): PreparedOp {
    const { input, output, params } = poolParams(ctx);
    return {
      invoke(): void {
        l2Pool(params, input.data as Float32Array, output.data as Float32Array);
      },
    };
  },
};
