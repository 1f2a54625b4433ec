// REDUCE_ALL after TFLM's micro/kernels/reduce.cc: ReduceGeneric over bool from true with
// logical and.
import type { Kernel, PreparedOp } from './kernel.js';
import { reduction } from './reduce-common.js';
import { inputAt, outputAt, sameDtype } from './shape-common.js';

export const REDUCE_ALL: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'bool';
  },
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, input, 'output');
    const { target } = reduction(ctx, input, output);
    const inputCount = target.length;
    return {
      invoke(): void {
        const x = input.data as Uint8Array;
        const y = output.data as Uint8Array;
        y.fill(1);
        for (let e = 0; e < inputCount; e++) if (x[e] === 0) y[target[e]] = 0;
      },
    };
  },
};
