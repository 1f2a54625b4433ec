// REDUCE_MAX and REDUCE_MIN after TFLM's micro/kernels/reduce.cc (EvalMaxHelper and its MIN
// twin): ReduceGeneric from the type's lowest (highest) value, keeping the larger (smaller)
// element. int8 compares raw values, so input and output must share scale and zero point, as
// TFLM checks.
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { reduction } from './reduce-common.js';
import { inputAt, movedTensors } from './shape-common.js';

const FLOAT_MAX = 3.4028234663852886e38;

function extremumKernel(isMax: boolean): Kernel {
  return {
    supports(_operator, inputDtypes): boolean {
      return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8';
    },
    prepare(ctx: PrepareContext): PreparedOp {
      const { input, output } = movedTensors(ctx);
      const { target } = reduction(ctx, input, output);
      // PrepareMaxHelper's two arena scratch buffers (index and resolved-axis ints), reserved so
      // the arena is planned as TFLM plans it; the precomputed targets replace their use.
      ctx.requestScratch(4 * input.shape.length);
      ctx.requestScratch(4 * inputAt(ctx, 1, 'axis').elementCount);
      const inputCount = target.length;
      const start = input.dtype === 'int8' ? (isMax ? -128 : 127) : (isMax ? -FLOAT_MAX : FLOAT_MAX);
      return {
        invoke(): void {
          const x = input.data as Float32Array | Int8Array;
          const y = output.data as Float32Array | Int8Array;
          y.fill(start);
          if (isMax) {
            for (let e = 0; e < inputCount; e++) if (x[e] > y[target[e]]) y[target[e]] = x[e];
          } else {
            for (let e = 0; e < inputCount; e++) if (x[e] < y[target[e]]) y[target[e]] = x[e];
          }
        },
      };
    },
  };
}

export const REDUCE_MAX = extremumKernel(true);
export const REDUCE_MIN = extremumKernel(false);
