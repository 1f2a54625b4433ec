// EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL after TFLM's micro/kernels/
// comparisons.cc and reference/comparisons.h, with broadcasting; the output is bool (0 or 1).
// float32, int32, int64 and bool compare the raw values (ComparisonImpl, "NoScaling"). int8 and
// int16 compare on a common scale (ComparisonWithScaling): each q minus its zero point, shifted
// left 8 bits, times its own input scale as a Q31 multiplier (QuantizeMultiplierSmallerThanOneExp,
// so scales must be below 1), so inputs with different quantization compare by real value.
import type { RuntimeTensor } from '../tensor.js';
import { type ElementStep, binaryTensors, forEachElement, planBroadcast } from './binary-elementwise.js';
import { firstInputIn, perTensorQuantization } from './elementwise.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';

type Compare = (a: number | bigint, b: number | bigint) => boolean;
type Comparable = ArrayLike<number> | ArrayLike<bigint>;

const LEFT_SHIFT = 256;
const EMPTY: Uint8Array = new Uint8Array(0);

/** Input scale as TFLM's QuantizeMultiplierSmallerThanOneExp takes it: in (0, 1). */
function scaleMultiplier(ctx: PrepareContext, tensor: RuntimeTensor, what: string): { multiplier: number; shift: number } {
  perTensorQuantization(ctx, tensor, what);
  const scale = Math.fround(tensor.scale);
  if (!(scale > 0 && scale < 1)) throw ctx.error(`${what} scale ${tensor.scale} is outside (0, 1), which TFLM's quantized comparison requires`);
  return quantizeMultiplier(scale);
}

function comparisonKernel(dtypes: readonly string[], compare: Compare): Kernel {
  return {
    supports: firstInputIn(dtypes),
    prepare(ctx): PreparedOp {
      const { input1, input2, output } = binaryTensors(ctx);
      if (input2.dtype !== input1.dtype) throw ctx.error(`inputs are ${input1.dtype} and ${input2.dtype}: both must have the same dtype`);
      if (output.dtype !== 'bool') throw ctx.error(`output is ${output.dtype}, expected bool`);
      const plan = planBroadcast(ctx, input1, input2, output);
      let y = EMPTY;
      if (input1.dtype === 'int8' || input1.dtype === 'int16') {
        const { multiplier: m1, shift: s1 } = scaleMultiplier(ctx, input1, 'input 0');
        const { multiplier: m2, shift: s2 } = scaleMultiplier(ctx, input2, 'input 1');
        const offset1 = -input1.zeroPoint;
        const offset2 = -input2.zeroPoint;
        let q1: Int8Array | Int16Array = new Int8Array(0);
        let q2: Int8Array | Int16Array = new Int8Array(0);
        const scaledStep: ElementStep = (o, a, b) => {
          const scaled1 = multiplyByQuantizedMultiplier((q1[a] + offset1) * LEFT_SHIFT, m1, s1);
          const scaled2 = multiplyByQuantizedMultiplier((q2[b] + offset2) * LEFT_SHIFT, m2, s2);
          y[o] = compare(scaled1, scaled2) ? 1 : 0;
        };
        return {
          invoke(): void {
            q1 = input1.data as Int8Array | Int16Array;
            q2 = input2.data as Int8Array | Int16Array;
            y = output.data as Uint8Array;
            forEachElement(plan, scaledStep);
          },
        };
      }
      let x1: Comparable = EMPTY;
      let x2: Comparable = EMPTY;
      const step: ElementStep = (o, a, b) => {
        y[o] = compare(x1[a], x2[b]) ? 1 : 0;
      };
      return {
        invoke(): void {
          x1 = input1.data as Comparable;
          x2 = input2.data as Comparable;
          y = output.data as Uint8Array;
          forEachElement(plan, step);
        },
      };
    },
  };
}

// Input dtypes per op as TFLM's Eval switches take them (tflm_ops.json).
export const EQUAL = comparisonKernel(['bool', 'float32', 'int32', 'int64', 'int8'], (a, b) => a === b);
export const NOT_EQUAL = comparisonKernel(['bool', 'float32', 'int32', 'int64', 'int8'], (a, b) => a !== b);
export const GREATER = comparisonKernel(['float32', 'int32', 'int64', 'int8', 'int16'], (a, b) => a > b);
export const GREATER_EQUAL = comparisonKernel(['float32', 'int32', 'int64', 'int8'], (a, b) => a >= b);
export const LESS = comparisonKernel(['float32', 'int32', 'int64', 'int8'], (a, b) => a < b);
export const LESS_EQUAL = comparisonKernel(['float32', 'int32', 'int64', 'int8'], (a, b) => a <= b);
