// Plan builders for the two-input ops ADD, SUB and MUL (int8/int16 quantized, int32 plain) with broadcasting. The shapes
// are collapsed on the host to at most 4 output dims with per-input strides (0 where an input
// broadcasts), so the C kernel runs one fixed 4-deep loop (TFLM's BroadcastXxx4DSlow).
import { ActivationFunctionType, AddOptionsT, MulOptionsT, SubOptionsT } from '../../model/schema/tflite.js';
import type { Tensor } from '../../model/types.js';
import { elementCount } from '../../model/dtype.js';
import { ADD_VARIANT } from '../../interpreter/kernels/add.js';
import { SUB_VARIANT } from '../../interpreter/kernels/sub.js';
import { activationRangeFloat, activationRangeQuantized, quantizeMultiplier } from '../../interpreter/kernels/quantization.js';
import type { PlanOperator } from './format.js';
import { C_KERNELS } from './kernel-ids.js';
import { inputOf, outputOf, requireActivation, requireInt8OrInt16, scaleOf, zeroPointOf, type OpContext } from './op-context.js';

const C_DIMS = 4;

/** Output dims and both inputs' strides, with size-1 dims dropped and runs that step alike merged. */
export function broadcastShape(ctx: OpContext, a: number[], b: number[], output: number[]): number[] {
  const rank = Math.max(a.length, b.length, output.length);
  const pad = (s: number[]): number[] => [...Array<number>(rank - s.length).fill(1), ...s];
  const [pa, pb, po] = [pad(a), pad(b), pad(output)];
  const strides = (s: number[]): number[] => {
    const out = new Array<number>(rank).fill(0);
    for (let d = rank - 1, step = 1; d >= 0; step *= s[d], d--) out[d] = s[d] === 1 ? 0 : step;
    return out;
  };
  const [sa, sb] = [strides(pa), strides(pb)];
  const dims: [number, number, number][] = [];
  for (let d = 0; d < rank; d++) {
    if ((pa[d] !== 1 && pa[d] !== po[d]) || (pb[d] !== 1 && pb[d] !== po[d])) {
      ctx.fail(`inputs [${a}] and [${b}] do not broadcast to the output [${output}]`);
    }
    if (po[d] === 1) continue;
    const last = dims[dims.length - 1];
    // The previous dim merges into this one when each input's stride there is this dim's run.
    if (last !== undefined && last[1] === sa[d] * po[d] && last[2] === sb[d] * po[d]) dims[dims.length - 1] = [last[0] * po[d], sa[d], sb[d]];
    else dims.push([po[d], sa[d], sb[d]]);
  }
  if (dims.length > C_DIMS) ctx.fail(`inputs [${a}] and [${b}] need ${dims.length} broadcast dims; the C runtime handles ${C_DIMS}`);
  while (dims.length < C_DIMS) dims.unshift([1, 0, 0]);
  return [...dims.map((d) => d[0]), ...dims.map((d) => d[1]), ...dims.map((d) => d[2])];
}

function operands(ctx: OpContext): { words: number[]; a: Tensor; b: Tensor; output: Tensor } {
  const [aIndex, a] = inputOf(ctx, 0, 'input 0');
  const [bIndex, b] = inputOf(ctx, 1, 'input 1');
  const [outputIndex, output] = outputOf(ctx);
  const bytes = output.dtype === 'int32' ? 4 : requireInt8OrInt16(ctx, output, 'output');
  let flags = 0;
  const inputs: [Tensor, string][] = [[a, 'input 0'], [b, 'input 1']];
  inputs.forEach(([tensor, what], k) => {
    if (tensor.dtype !== output.dtype) ctx.fail(`${what} is ${tensor.dtype}, the output ${output.dtype}`);
    if (bytes !== 4) requireInt8OrInt16(ctx, tensor, what);
    // A constant input is read from model memory with TM_READ_* (flash on AVR).
    if (tensor.data !== null && !tensor.isVariable) flags |= 0x100 << k;
    else requireActivation(ctx, tensor, what);
  });
  return { words: [aIndex, bIndex, outputIndex, bytes | flags, ...broadcastShape(ctx, a.shape, b.shape, output.shape)], a, b, output };
}

const INT32_RANGE: [number, number] = [-2147483648, 2147483647];

/** The clamp: the quantized activation range, or for int32 the float range cut to int32. */
function range(ctx: OpContext, activation: number, output: Tensor): [number, number] {
  const r = output.dtype === 'int32' ? activationRangeFloat(activation) : activationRangeQuantized(activation, output.dtype, scaleOf(output), zeroPointOf(output));
  if (r === null) return ctx.fail(`unsupported fused activation ${activation}`);
  return [Math.max(r[0], INT32_RANGE[0]), Math.min(r[1], INT32_RANGE[1])];
}

/** ADD and SUB: the multipliers exactly as our TS kernels' Prepare (ADD in double, SUB via float32). */
export function addSub(ctx: OpContext): PlanOperator {
  const { words, a, b, output } = operands(ctx);
  const sub = ctx.operator.op === 'SUB';
  const options = ctx.operator.builtinOptions;
  const activation = sub
    ? (options instanceof SubOptionsT ? options.fusedActivationFunction : 0)
    : (options instanceof AddOptionsT ? options.fusedActivationFunction : 0);
  if (output.dtype === 'int32') {
    // add.cc clamps int32 sums to the int32 range only; sub.cc honours the fused activation.
    return { kernelId: C_KERNELS.ADD.id, params: [...words, sub ? -1 : 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...(sub ? range(ctx, activation, output) : INT32_RANGE)] };
  }
  const leftShift = output.dtype === 'int16' ? 15 : 20;
  const real = (sub ? SUB_VARIANT : ADD_VARIANT).realMultipliers(scaleOf(a), scaleOf(b), scaleOf(output), leftShift);
  const [qa, qb, qo] = [real.input1, real.input2, real.output].map(quantizeMultiplier);
  return {
    kernelId: C_KERNELS.ADD.id,
    params: [...words, sub ? -1 : 1, leftShift, -zeroPointOf(a), qa.multiplier, qa.shift, -zeroPointOf(b), qb.multiplier, qb.shift,
      zeroPointOf(output), qo.multiplier, qo.shift, ...range(ctx, activation, output)],
  };
}

export function mul(ctx: OpContext): PlanOperator {
  if (inputOf(ctx, 0, 'input 0')[1].dtype === 'float32') return floatMul(ctx);
  const { words, a, b, output } = operands(ctx);
  if (output.dtype === 'int16' && [a, b, output].some((t) => zeroPointOf(t) !== 0)) ctx.fail('int16 MUL needs zero points of 0');
  const options = ctx.operator.builtinOptions;
  const activation = options instanceof MulOptionsT ? options.fusedActivationFunction : 0;
  if (output.dtype === 'int32') return { kernelId: C_KERNELS.MUL.id, params: [...words, 0, 0, 0, 0, 0, ...range(ctx, activation, output)] };
  const q = quantizeMultiplier((scaleOf(a) * scaleOf(b)) / scaleOf(output));
  return {
    kernelId: C_KERNELS.MUL.id,
    params: [...words, -zeroPointOf(a), -zeroPointOf(b), zeroPointOf(output), q.multiplier, q.shift, ...range(ctx, activation, output)],
  };
}

/** MINIMUM / MAXIMUM: stored values compared as they are (reference_ops::MaximumMinimumBroadcastSlow). */
export function minMax(ctx: OpContext): PlanOperator {
  const { words } = operands(ctx);
  return { kernelId: C_KERNELS.MIN_MAX.id, params: [...words, ctx.operator.op === 'MAXIMUM' ? 1 : 0] };
}

const CAST_BYTES: Record<string, number> = { int8: 1, int16: 2, int32: 4, uint32: 4 };

/** CAST between int8, int16, int32 and uint32. */
export function cast(ctx: OpContext): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  requireActivation(ctx, input, 'input');
  // int8/int16 to float32 is exact, so the device builds the bits in integers.
  if (output.dtype === 'float32' && (input.dtype === 'int8' || input.dtype === 'int16')) {
    return { kernelId: C_KERNELS.CAST.id, params: [inputIndex, outputIndex, elementCount(output.shape), CAST_BYTES[input.dtype], 4, 1] };
  }
  const [inBytes, outBytes] = [CAST_BYTES[input.dtype], CAST_BYTES[output.dtype]];
  if (inBytes === undefined || outBytes === undefined) return ctx.fail(`${input.dtype} to ${output.dtype}: the C runtime casts between int8, int16, int32 and uint32`);
  return { kernelId: C_KERNELS.CAST.id, params: [inputIndex, outputIndex, elementCount(output.shape), inBytes, outBytes] };
}

/** float32 MUL without fused activation: the device multiplies the bit patterns in integers. */
function floatMul(ctx: OpContext): PlanOperator {
  const [aIndex, a] = inputOf(ctx, 0, 'input 0');
  const [bIndex, b] = inputOf(ctx, 1, 'input 1');
  const [outputIndex, output] = outputOf(ctx);
  if (b.dtype !== 'float32' || output.dtype !== 'float32') ctx.fail(`input 1 is ${b.dtype}, the output ${output.dtype}; float32 expected`);
  const options = ctx.operator.builtinOptions;
  if (options instanceof MulOptionsT && options.fusedActivationFunction !== ActivationFunctionType.NONE) ctx.fail('float32 MUL with a fused activation is not supported');
  let flags = 0;
  [a, b].forEach((tensor, k) => {
    if (tensor.data !== null && !tensor.isVariable) flags |= 0x100 << k;
    else requireActivation(ctx, tensor, `input ${k}`);
  });
  return { kernelId: C_KERNELS.FLOAT_MUL.id, params: [aIndex, bIndex, outputIndex, 4 | flags, ...broadcastShape(ctx, a.shape, b.shape, output.shape)] };
}
