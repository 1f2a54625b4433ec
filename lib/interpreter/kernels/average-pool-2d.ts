// AVERAGE_POOL_2D after TFLM's micro/kernels/pooling.cc and the reference kernels
// reference/pooling.h (float32) and reference/integer_ops/pooling.h (int8, int16). Only the
// window cells inside the image count towards the average.
import { poolParams, type PoolParams } from './conv-pool-common.js';
import type { Kernel, PreparedOp } from './kernel.js';

type IntegerData = Int8Array | Int16Array;

function averagePoolFloat(p: PoolParams, x: Float32Array, y: Float32Array): void {
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
          let total = 0;
          let count = 0;
          for (let fy = yStart; fy < yEnd; fy++) {
            const rowBase = ((batch * inputHeight + inYOrigin + fy) * inputWidth + inXOrigin) * depth + channel;
            for (let fx = xStart; fx < xEnd; fx++) {
              total = Math.fround(total + x[rowBase + fx * depth]);
              count++;
            }
          }
          // A window wholly in the padding has no cells; the reference reports failure, we write 0.
          const average = count === 0 ? 0 : Math.fround(total / count);
          y[out++] = Math.min(Math.max(average, p.activationMin), p.activationMax);
        }
      }
    }
  }
}

function averagePoolInteger(p: PoolParams, x: IntegerData, y: IntegerData): void {
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
          let acc = 0;
          let count = 0;
          for (let fy = yStart; fy < yEnd; fy++) {
            const rowBase = ((batch * inputHeight + inYOrigin + fy) * inputWidth + inXOrigin) * depth + channel;
            for (let fx = xStart; fx < xEnd; fx++) {
              acc += x[rowBase + fx * depth];
              count++;
            }
          }
          // Rounds half away from zero: (acc +- count/2) / count with C's truncating divisions.
          const half = count >> 1;
          let average = count === 0 ? 0 : Math.trunc((acc > 0 ? acc + half : acc - half) / count);
          if (average < p.activationMin) average = p.activationMin;
          if (average > p.activationMax) average = p.activationMax;
          y[out++] = average;
        }
      }
    }
  }
}

export const AVERAGE_POOL_2D: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const [input] = inputDtypes;
    return input === 'float32' || input === 'int8' || input === 'int16';
  },
  prepare(ctx): PreparedOp {
    const { input, output, params } = poolParams(ctx);
    if (input.dtype === 'float32') {
      return { invoke(): void { averagePoolFloat(params, input.data as Float32Array, output.data as Float32Array); } };
    }
    if (input.dtype === 'int8' || input.dtype === 'int16') {
      return { invoke(): void { averagePoolInteger(params, input.data as IntegerData, output.data as IntegerData); } };
    }
    throw ctx.error(`unsupported input dtype ${input.dtype}`);
  },
};
