// SQUARED_DIFFERENCE after TFLM's micro/kernels/squared_difference.cc, with broadcasting.
// float32: (x1 - x2)^2 in float32; int32: the same, wrapping as C's int32 does.
// int8/int16 (PrepareQuantized): each input minus its zero point, shifted left (7 bits for int8,
// none for int16), rescaled by its scale / (2 * the larger scale) (QuantizeMultiplierSmallerThanOneExp),
// subtracted, squared in int32, then rescaled by (2 * larger scale)^2 / (2^(2 * shift) * output
// scale), plus the output zero point, saturated. int16 needs zero points of 0.
import type { RuntimeTensor } from '../tensor.js';
import { type BroadcastPlan, type ElementStep, binaryTensors, forEachElement, planBroadcast } from './binary-elementwise.js';
import { firstInputIn, perTensorQuantization } from './elementwise.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';

function prepareFloat(plan: BroadcastPlan, input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  let x1: Float32Array = new Float32Array(0);
  let x2: Float32Array = new Float32Array(0);
  let y: Float32Array = new Float32Array(0);
  const step: ElementStep = (o, a, b) => {
    const difference = Math.fround(x1[a] - x2[b]);
    y[o] = difference * difference;
  };
  return {
    invoke(): void {
      x1 = input1.data as Float32Array;
      x2 = input2.data as Float32Array;
      y = output.data as Float32Array;
      forEachElement(plan, step);
    },
  };
}

function prepareInt32(plan: BroadcastPlan, input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  let x1: Int32Array = new Int32Array(0);
  let x2: Int32Array = new Int32Array(0);
  let y: Int32Array = new Int32Array(0);
  const step: ElementStep = (o, a, b) => {
    const difference = (x1[a] - x2[b]) | 0;
    y[o] = Math.imul(difference, difference);
  };
  return {
    invoke(): void {
      x1 = input1.data as Int32Array;
      x2 = input2.data as Int32Array;
      y = output.data as Int32Array;
      forEachElement(plan, step);
    },
  };
}

function smallerThanOne(ctx: PrepareContext, real: number, what: string): { multiplier: number; shift: number } {
  if (!(real > 0 && real < 1)) throw ctx.error(`${what} multiplier ${real} is outside (0, 1): unsupported scales`);
  return quantizeMultiplier(real);
}

function prepareQuantized(ctx: PrepareContext, plan: BroadcastPlan, input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  perTensorQuantization(ctx, input1, 'input 0');
  perTensorQuantization(ctx, input2, 'input 1');
  perTensorQuantization(ctx, output, 'output');
  const int16 = output.dtype === 'int16';
  if (int16 && (input1.zeroPoint !== 0 || input2.zeroPoint !== 0 || output.zeroPoint !== 0)) {
    throw ctx.error(`int16 needs zero points of 0, got ${input1.zeroPoint}, ${input2.zeroPoint} and output ${output.zeroPoint}`);
  }
  const leftShift = int16 ? 0 : 7;
  const scale1 = Math.fround(input1.scale);
  const scale2 = Math.fround(input2.scale);
  const twiceMaxInputScale = 2 * Math.max(scale1, scale2);
  const { multiplier: m1, shift: s1 } = smallerThanOne(ctx, scale1 / twiceMaxInputScale, 'input 0');
  const { multiplier: m2, shift: s2 } = smallerThanOne(ctx, scale2 / twiceMaxInputScale, 'input 1');
  const { multiplier: mOut, shift: sOut } = quantizeMultiplier(
    (twiceMaxInputScale * twiceMaxInputScale) / (2 ** (2 * leftShift) * Math.fround(output.scale)));
  const offset1 = -input1.zeroPoint;
  const offset2 = -input2.zeroPoint;
  const outputOffset = output.zeroPoint;
  const scaleUp = 2 ** leftShift;
  const [min, max] = integerRange(output.dtype);
  let x1: Int8Array | Int16Array = new Int8Array(0);
  let x2: Int8Array | Int16Array = new Int8Array(0);
  let y: Int8Array | Int16Array = new Int8Array(0);
  const step: ElementStep = (o, a, b) => {
    const scaled1 = multiplyByQuantizedMultiplier((x1[a] + offset1) * scaleUp, m1, s1);
    const scaled2 = multiplyByQuantizedMultiplier((x2[b] + offset2) * scaleUp, m2, s2);
    const difference = scaled1 - scaled2;
    const value = multiplyByQuantizedMultiplier(Math.imul(difference, difference), mOut, sOut) + outputOffset;
    y[o] = value < min ? min : value > max ? max : value;
  };
  return {
    invoke(): void {
      x1 = input1.data as Int8Array | Int16Array;
      x2 = input2.data as Int8Array | Int16Array;
      y = output.data as Int8Array | Int16Array;
      forEachElement(plan, step);
    },
  };
}

export const SQUARED_DIFFERENCE: Kernel = {
  supports: firstInputIn(['float32', 'int32', 'int8', 'int16']),
  prepare(ctx): PreparedOp {
    const { input1, input2, output } = binaryTensors(ctx);
    if (input2.dtype !== input1.dtype || output.dtype !== input1.dtype) {
      throw ctx.error(`inputs ${input1.dtype} and ${input2.dtype} with output ${output.dtype}: all three must have the same dtype`);
    }
    const plan = planBroadcast(ctx, input1, input2, output);
    if (input1.dtype === 'float32') return prepareFloat(plan, input1, input2, output);
    if (input1.dtype === 'int32') return prepareInt32(plan, input1, input2, output);
    return prepareQuantized(ctx, plan, input1, input2, output);
  },
};
