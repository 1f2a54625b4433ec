// LOGICAL_AND and LOGICAL_OR after TFLM's micro/kernels/logical.cc (reference/binary_function.h,
// BroadcastBinaryFunction4DSlow): bool inputs with broadcasting, bool output.
import { type ElementStep, binaryTensors, forEachElement, planBroadcast } from './binary-elementwise.js';
import { firstInputIn } from './elementwise.js';
import type { Kernel, PreparedOp } from './kernel.js';

const EMPTY: Uint8Array = new Uint8Array(0);

function logicalKernel(combine: (a: boolean, b: boolean) => boolean): Kernel {
  return {
    supports: firstInputIn(['bool']),
    prepare(ctx): PreparedOp {
      const { input1, input2, output } = binaryTensors(ctx);
      if (input2.dtype !== 'bool' || output.dtype !== 'bool') {
        throw ctx.error(`inputs ${input1.dtype} and ${input2.dtype} with output ${output.dtype}: all three must be bool`);
      }
      const plan = planBroadcast(ctx, input1, input2, output);
      let x1 = EMPTY;
      let x2 = EMPTY;
      let y = EMPTY;
      const step: ElementStep = (o, a, b) => {
        y[o] = combine(x1[a] !== 0, x2[b] !== 0) ? 1 : 0;
      };
      return {
        invoke(): void {
          x1 = input1.data as Uint8Array;
          x2 = input2.data as Uint8Array;
          y = output.data as Uint8Array;
          forEachElement(plan, step);
        },
      };
    },
  };
}

export const LOGICAL_AND = logicalKernel((a, b) => a && b);
export const LOGICAL_OR = logicalKernel((a, b) => a || b);
