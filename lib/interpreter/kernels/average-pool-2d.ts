// AVERAGE_POOL_2D after TFLM's micro/kernels/pooling.cc and the reference kernels
// reference/pooling.h (float32) and reference/integer_ops/pooling.h (int8, int16). Only the
// window cells inside the image count towards the average.
import { poolParams, poolWindows, type WindowFold } from './conv-pool-common.js';
import type { Kernel, PreparedOp } from './kernel.js';

type IntegerData = Int8Array | Int16Array;

function floatAverage(): WindowFold {
  let total = 0;
  return {
    begin(): void { total = 0; },
    add(value: number): void { total = Math.fround(total + value); },
    // A window wholly in the padding has no cells; the reference reports failure, we write 0.
    result(count: number): number { return count === 0 ? 0 : Math.fround(total / count); },
  };
}

function integerAverage(): WindowFold {
  let acc = 0;
  return {
    begin(): void { acc = 0; },
    add(value: number): void { acc += value; },
    result(count: number): number {
      // Rounds half away from zero: (acc +- count/2) / count with C's truncating divisions.
      const half = count >> 1;
      return count === 0 ? 0 : Math.trunc((acc > 0 ? acc + half : acc - half) / count);
    },
  };
}
export const AVERAGE_POOL_2D: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const [input] = inputDtypes;
    return input === 'float32' || input === 'int8' || input === 'int16';
  },
  prepare(ctx): PreparedOp {
    const { input, output, params } = poolParams(ctx);
    if (input.dtype === 'float32') {
      const fold = floatAverage();
      return { invoke(): void { poolWindows(params, input.data as Float32Array, output.data as Float32Array, fold); } };
    }
    if (input.dtype === 'int8' || input.dtype === 'int16') {
      const fold = integerAverage();
      return { invoke(): void { poolWindows(params, input.data as IntegerData, output.data as IntegerData, fold); } };
    }
    throw ctx.error(`unsupported input dtype ${input.dtype}`);
  },
};
