// MUL after TFLM's micro/kernels/mul.cc and mul_common.cc (CalculateOpDataMul): float32 and int32
// products clamped to the fused activation; int8/int16 after reference_integer_ops MulElementwise:
// (q1 - zp1) * (q2 - zp2) rescaled by input1_scale * input2_scale / output_scale (double).
import { MulOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import { type BroadcastPlan, type ElementStep, binaryTensors, forEachElement, planBroadcast } from './binary-elementwise.js';
import { perTensorQuantization } from './elementwise.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import {
  activationName, activationRangeFloat, activationRangeQuantized, multiplyByQuantizedMultiplier, quantizeMultiplier,
} from './quantization.js';

const EMPTY_F32: Float32Array = new Float32Array(0);
const EMPTY_I32: Int32Array = new Int32Array(0);
const EMPTY_I16: Int16Array = new Int16Array(0);

function optionsOf(operator: Operator): MulOptionsT {
  return operator.builtinOptions instanceof MulOptionsT ? operator.builtinOptions : new MulOptionsT();
}

function floatRange(ctx: PrepareContext): [number, number] {
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const range = activationRangeFloat(activation);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  return range;
}

function prepareFloat(ctx: PrepareContext, plan: BroadcastPlan, input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  const [min, max] = floatRange(ctx);
  let x1 = EMPTY_F32;
  let x2 = EMPTY_F32;
  let y = EMPTY_F32;
  // The exact double product rounds to the float32 product when stored.
  const step: ElementStep = (o, a, b) => {
    const value = x1[a] * x2[b];
    y[o] = value < min ? min : value > max ? max : value;
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

function prepareInt32(ctx: PrepareContext, plan: BroadcastPlan, input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  const [min, max] = floatRange(ctx);
  let x1 = EMPTY_I32;
  let x2 = EMPTY_I32;
  let y = EMPTY_I32;
  const step: ElementStep = (o, a, b) => {
    // The int32 product wraps as C's does.
    const value = Math.imul(x1[a], x2[b]);
    y[o] = value < min ? min : value > max ? max : value;
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

function prepareQuantized(ctx: PrepareContext, plan: BroadcastPlan, input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  for (const [tensor, what] of [[input1, 'input 0'], [input2, 'input 1'], [output, 'output']] as const) {
    perTensorQuantization(ctx, tensor, what);
  }
  if (output.dtype === 'int16' && (input1.zeroPoint !== 0 || input2.zeroPoint !== 0 || output.zeroPoint !== 0)) {
    throw ctx.error(`int16 needs zero points of 0, got ${input1.zeroPoint}, ${input2.zeroPoint} and output ${output.zeroPoint}`);
  }
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const range = activationRangeQuantized(activation, output.dtype, output.scale, output.zeroPoint);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const [min, max] = range;
  const { multiplier, shift } = quantizeMultiplier((input1.scale * input2.scale) / output.scale);
  const offset1 = -input1.zeroPoint;
  const offset2 = -input2.zeroPoint;
  const outputOffset = output.zeroPoint;
  let x1: Int8Array | Int16Array = EMPTY_I16;
  let x2: Int8Array | Int16Array = EMPTY_I16;
  let y: Int8Array | Int16Array = EMPTY_I16;
  const step: ElementStep = (o, a, b) => {
    const value = outputOffset + multiplyByQuantizedMultiplier(Math.imul(x1[a] + offset1, x2[b] + offset2), multiplier, shift);
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

export const MUL: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const [a, b] = inputDtypes;
    return a === b && (a === 'float32' || a === 'int32' || a === 'int8' || a === 'int16');
  },
  prepare(ctx): PreparedOp {
    const { input1, input2, output } = binaryTensors(ctx);
    if (input1.dtype !== output.dtype || input2.dtype !== output.dtype) {
      throw ctx.error(`inputs ${input1.dtype} and ${input2.dtype} with output ${output.dtype}: all three must have the same dtype`);
    }
    const plan = planBroadcast(ctx, input1, input2, output);
    switch (output.dtype) {
      case 'float32': return prepareFloat(ctx, plan, input1, input2, output);
      case 'int32': return prepareInt32(ctx, plan, input1, input2, output);
      case 'int8':
      case 'int16': return prepareQuantized(ctx, plan, input1, input2, output);
      default: throw ctx.error(`unsupported dtype ${output.dtype}`);
    }
  },
};
