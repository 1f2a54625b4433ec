// ADD and SUB share everything but the sign and how Prepare computes the real multipliers.
// float32: (a ± b) clamped to the fused activation. int32: wrapping a ± b, clamped.
// int8/int16: TFLM's general rescaling (reference/add.h AddElementwise, reference/sub.h
// SubElementwise): each input minus its zero point is shifted left (20 bits for int8, 15 for
// int16), rescaled to a common scale of twice the larger input scale, the two are added or
// subtracted, and the result is rescaled to the output's units.
import type { ActivationFunctionType } from '../../model/schema/tflite.js';
import type { RuntimeTensor } from '../tensor.js';
import { type BroadcastPlan, type ElementStep, binaryTensors, forEachElement, planBroadcast } from './binary-elementwise.js';
import { perTensorQuantization } from './elementwise.js';
import type { PrepareContext, PreparedOp } from './kernel.js';
import {
  activationName, activationRangeFloat, activationRangeQuantized, ChannelMultipliers, multiplyByQuantizedMultiplierFast, quantizeMultiplier,
} from './quantization.js';

/** The real multipliers of both inputs and of the output, computed as the op's Prepare does. */
export interface RealMultipliers {
  input1: number;
  input2: number;
  output: number;
}

export interface AddSubVariant {
  /** +1 for ADD, -1 for SUB. */
  sign: 1 | -1;
  /** Whether int32 honours the fused activation (SUB) or clamps to the full int32 range (ADD). */
  int32Activation: boolean;
  realMultipliers(input1Scale: number, input2Scale: number, outputScale: number, leftShift: number): RealMultipliers;
}

const EMPTY_F32: Float32Array = new Float32Array(0);
const EMPTY_I32: Int32Array = new Int32Array(0);
const EMPTY_I16: Int16Array = new Int16Array(0);

function sameDtypes(ctx: PrepareContext, input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor): void {
  if (input1.dtype !== output.dtype || input2.dtype !== output.dtype) {
    throw ctx.error(`inputs ${input1.dtype} and ${input2.dtype} with output ${output.dtype}: all three must have the same dtype`);
  }
}

/** QuantizeMultiplierSmallerThanOneExp: TFLM requires 0 < multiplier < 1. */
function quantizeSmallerThanOne(ctx: PrepareContext, real: number, what: string): { multiplier: number; shift: number } {
  if (!(real > 0 && real < 1)) throw ctx.error(`${what} multiplier ${real} is outside (0, 1): unsupported scales`);
  return quantizeMultiplier(real);
}

function prepareFloat(
  ctx: PrepareContext, variant: AddSubVariant, activation: ActivationFunctionType, plan: BroadcastPlan,
  input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor,
): PreparedOp {
  const range = activationRangeFloat(activation);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const [min, max] = range;
  const sign = variant.sign;
  let x1 = EMPTY_F32;
  let x2 = EMPTY_F32;
  let y = EMPTY_F32;
  // The double result of one float32 operation rounds to the float32 result when stored.
  const step: ElementStep = (o, a, b) => {
    const value = x1[a] + sign * x2[b];
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

function prepareInt32(
  ctx: PrepareContext, variant: AddSubVariant, activation: ActivationFunctionType, plan: BroadcastPlan,
  input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor,
): PreparedOp {
  for (const [tensor, what] of [[input1, 'input 0'], [input2, 'input 1'], [output, 'output']] as const) {
    if (tensor.quantization !== null && tensor.scales.length > 0) throw ctx.error(`int32 ${what} must not be quantized`);
  }
  const range = variant.int32Activation ? activationRangeFloat(activation) : [-Infinity, Infinity];
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const [min, max] = range;
  const sign = variant.sign;
  let x1 = EMPTY_I32;
  let x2 = EMPTY_I32;
  let y = EMPTY_I32;
  const step: ElementStep = (o, a, b) => {
    // int32 arithmetic wraps as the C kernel's does.
    const value = (x1[a] + sign * x2[b]) | 0;
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

function prepareQuantized(
  ctx: PrepareContext, variant: AddSubVariant, activation: ActivationFunctionType, plan: BroadcastPlan,
  input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor,
): PreparedOp {
  for (const [tensor, what] of [[input1, 'input 0'], [input2, 'input 1'], [output, 'output']] as const) {
    perTensorQuantization(ctx, tensor, what);
  }
  const range = activationRangeQuantized(activation, output.dtype, output.scale, output.zeroPoint);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const [min, max] = range;
  const leftShift = output.dtype === 'int16' ? 15 : 20;
  const real = variant.realMultipliers(input1.scale, input2.scale, output.scale, leftShift);
  const { multiplier: m1, shift: s1 } = quantizeSmallerThanOne(ctx, real.input1, 'input 0');
  const { multiplier: m2, shift: s2 } = quantizeSmallerThanOne(ctx, real.input2, 'input 1');
  const { multiplier: mOut, shift: sOut } = quantizeSmallerThanOne(ctx, real.output, 'output');
  const offset1 = -input1.zeroPoint;
  const offset2 = -input2.zeroPoint;
  const outputOffset = output.zeroPoint;
  const scaleUp = 2 ** leftShift;
  const sign = variant.sign;
  const toOutput = new ChannelMultipliers(Int32Array.of(mOut), Int32Array.of(sOut));
  // Each input's rescaled value depends on its own element only, so a table over every int8
  // (or int16) value, indexed by the value's low bits, replaces two of the three
  // multiplications per element. (q - zp) << shift stays below 2^31 for both widths
  // (255 << 20, 65535 << 15).
  const entries = output.dtype === 'int8' ? 256 : 65536;
  const mask = entries - 1;
  const table1 = new Int32Array(entries);
  const table2 = new Int32Array(entries);
  for (let q = -entries / 2; q < entries / 2; q++) {
    table1[q & mask] = multiplyByQuantizedMultiplierFast((q + offset1) * scaleUp, m1, s1);
    table2[q & mask] = multiplyByQuantizedMultiplierFast((q + offset2) * scaleUp, m2, s2);
  }
  let x1: Int8Array | Int16Array = EMPTY_I16;
  let x2: Int8Array | Int16Array = EMPTY_I16;
  let y: Int8Array | Int16Array = EMPTY_I16;
  const rescaled = (a: number, b: number): number => {
    const value = toOutput.apply((table1[a & mask] + sign * table2[b & mask]) | 0, 0) + outputOffset;
    return value < min ? min : value > max ? max : value;
  };
  // int8: the result of every pair of inputs, 64 KiB, so an element is one lookup.
  const pairs = output.dtype === 'int8' ? new Int8Array(65536) : null;
  if (pairs !== null) {
    for (let a = -128; a < 128; a++) for (let b = -128; b < 128; b++) pairs[((a & 0xff) << 8) | (b & 0xff)] = rescaled(a, b);
  }
  const element = pairs === null ? rescaled : (a: number, b: number): number => pairs[((a & 0xff) << 8) | (b & 0xff)];
  const step: ElementStep = (o, a, b) => {
    y[o] = element(x1[a], x2[b]);
  };
  return {
    invoke(): void {
      x1 = input1.data as Int8Array | Int16Array;
      x2 = input2.data as Int8Array | Int16Array;
      y = output.data as Int8Array | Int16Array;
      // The common case without broadcasting, as one loop the JIT can inline the element into.
      if (plan.sameShape) {
        for (let i = 0; i < plan.outputCount; i++) y[i] = element(x1[i], x2[i]);
      } else {
        forEachElement(plan, step);
      }
    },
  };
}

export function prepareAddSub(ctx: PrepareContext, variant: AddSubVariant, activation: ActivationFunctionType): PreparedOp {
  const { input1, input2, output } = binaryTensors(ctx);
  sameDtypes(ctx, input1, input2, output);
  const plan = planBroadcast(ctx, input1, input2, output);
  switch (output.dtype) {
    case 'float32': return prepareFloat(ctx, variant, activation, plan, input1, input2, output);
    case 'int32': return prepareInt32(ctx, variant, activation, plan, input1, input2, output);
    case 'int8':
    case 'int16': return prepareQuantized(ctx, variant, activation, plan, input1, input2, output);
    default: throw ctx.error(`unsupported dtype ${output.dtype}`);
  }
}

export function supportsAddSub(inputDtypes: ReadonlyArray<string | null>): boolean {
  const [a, b] = inputDtypes;
  return a === b && (a === 'float32' || a === 'int32' || a === 'int8' || a === 'int16');
}
