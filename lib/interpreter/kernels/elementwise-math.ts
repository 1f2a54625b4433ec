// The float32 ops of TFLM's micro/kernels/elementwise.cc (SIN, COS, LOG, SQRT, SQUARE: the C
// library function of each float32 element) and its bool LOGICAL_NOT.
import { firstInputIn, floatUnaryKernel, unaryTensors } from './elementwise.js';
import type { Kernel, PreparedOp } from './kernel.js';

const f32 = Math.fround;

export const SIN = floatUnaryKernel((x) => f32(Math.sin(x)));
export const COS = floatUnaryKernel((x) => f32(Math.cos(x)));
export const LOG = floatUnaryKernel((x) => f32(Math.log(x)));
export const SQRT = floatUnaryKernel((x) => f32(Math.sqrt(x)));
export const SQUARE = floatUnaryKernel((x) => f32(x * x));

export const LOGICAL_NOT: Kernel = {
  supports: firstInputIn(['bool']),
  prepare(ctx): PreparedOp {
    const { input, output } = unaryTensors(ctx);
    if (output.dtype !== 'bool') throw ctx.error(`input is bool but output is ${output.dtype}`);
    const count = input.elementCount;
    return {
      invoke(): void {
        const x = input.data as Uint8Array;
        const y = output.data as Uint8Array;
        for (let i = 0; i < count; i++) y[i] = x[i] === 0 ? 1 : 0;
      },
    };
  },
};
