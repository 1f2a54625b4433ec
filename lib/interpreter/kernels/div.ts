// DIV after TFLM's micro/kernels/div.cc with reference_ops::Div / BroadcastDivSlow: float32 and
// int32 (unquantized), broadcasting, clamped to the fused activation. int32 divides as C does,
// truncating toward zero; a zero divisor (a crash in C) gives 0 here, INT32_MIN / -1 wraps.
// (int8 DIV is not implemented.)
import { DivOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import { binaryTensors, type ElementStep, forEachElement, planBroadcast } from './binary-elementwise.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { activationName, activationRangeFloat } from './quantization.js';

type DivData = Float32Array | Int32Array;

const EMPTY: Int32Array = new Int32Array(0);

function optionsOf(operator: Operator): DivOptionsT {
  return operator.builtinOptions instanceof DivOptionsT ? operator.builtinOptions : new DivOptionsT();
}

export const DIV: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const [a, b] = inputDtypes;
    return a === b && (a === 'float32' || a === 'int32');
  },
  prepare(ctx): PreparedOp {
    const { input1, input2, output } = binaryTensors(ctx);
    if (input1.dtype !== output.dtype || input2.dtype !== output.dtype) {
      throw ctx.error(`inputs ${input1.dtype} and ${input2.dtype} with output ${output.dtype}: all three must have the same dtype`);
    }
    if (output.dtype === 'int32' && [input1, input2].some((t) => t.quantization !== null && t.scales.length > 0)) {
      throw ctx.error('int32 DIV takes unquantized inputs only');
    }
    const activation = optionsOf(ctx.operator).fusedActivationFunction;
    const range = activationRangeFloat(activation);
    if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
    const [min, max] = range;
    const plan = planBroadcast(ctx, input1, input2, output);
    const isInt = output.dtype === 'int32';
    let x1: DivData = EMPTY;
    let x2: DivData = EMPTY;
    let y: DivData = EMPTY;
    const step: ElementStep = isInt
      ? (o, a, b) => {
        // |a / b| < 2^31 is never rounded across an integer, so the truncation is exact.
        const value = x2[b] === 0 ? 0 : Math.trunc(x1[a] / x2[b]) | 0;
        y[o] = value < min ? min : value > max ? max : value;
      }
      : (o, a, b) => {
        // The double quotient of two floats rounds to the float32 quotient when stored.
        const value = Math.fround(x1[a] / x2[b]);
        y[o] = value < min ? min : value > max ? max : value;
      };
    return {
      invoke(): void {
        x1 = input1.data as DivData;
        x2 = input2.data as DivData;
        y = output.data as DivData;
        forEachElement(plan, step);
      },
    };
  },
};
