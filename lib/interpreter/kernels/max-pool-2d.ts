// MAX_POOL_2D after TFLM's micro/kernels/pooling.cc and the reference kernels reference/pooling.h
// (float32) and reference/integer_ops/pooling.h (int8, int16): the maximum over the window cells
// inside the image, then the fused activation's clamp.
import { poolParams, poolWindows, type WindowFold } from './conv-pool-common.js';
import type { Kernel, PreparedOp } from './kernel.js';

type PoolData = Float32Array | Int8Array | Int16Array;

/** The running maximum from the dtype's lowest value, where the reference starts it. */
function maximum(lowest: number): WindowFold {
  let max = lowest;
  return {
    begin(): void { max = lowest; },
    // std::max(max, v) keeps max when v is NaN; so does this comparison.
    add(value: number): void { if (value > max) max = value; },
    result(): number { return max; },
  };
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
    const fold = maximum(lowest);
    return { invoke(): void { poolWindows(params, input.data as PoolData, output.data as PoolData, fold); } };
  },
};
