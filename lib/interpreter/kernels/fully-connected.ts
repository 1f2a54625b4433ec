// FULLY_CONNECTED after TFLM's micro/kernels/fully_connected.cc and the reference kernels
// reference/fully_connected.h (float32) and reference/integer_ops/fully_connected.h (int8,
// per-tensor and per-channel weights; int16 activations with int8 weights and an int64 or int32 bias).
import { elementCount } from '../../model/dtype.js';
import { FullyConnectedOptionsT, FullyConnectedOptionsWeightsFormat } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import { Int8Output } from './int8-output.js';
import { int8Bound, PackedInt8Rows } from './int8-packed-rows.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import {
  activationName, activationRangeFloat, activationRangeQuantized, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierInt64, quantizeMultiplier,
} from './quantization.js';

interface Shapes {
  batches: number;
  outputDepth: number;
  accumDepth: number;
}

export function optionsOf(operator: Operator): FullyConnectedOptionsT {
  return operator.builtinOptions instanceof FullyConnectedOptionsT ? operator.builtinOptions : new FullyConnectedOptionsT();
}

export function required(ctx: PrepareContext, position: number, what: string): RuntimeTensor {
  const tensor = ctx.inputs[position];
  if (tensor === null || tensor === undefined) throw ctx.error(`missing ${what} (input ${position})`);
  return tensor;
}

export function checkShapes(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): Shapes {
  if (filter.shape.length !== 2) throw ctx.error(`filter must have 2 dimensions, has shape [${filter.shape.join(', ')}]`);
  const [outputDepth, accumDepth] = filter.shape;
  if (accumDepth === 0 || input.elementCount % accumDepth !== 0) {
    throw ctx.error(`input has ${input.elementCount} elements, not a multiple of the filter depth ${accumDepth}`);
  }
  const batches = input.elementCount / accumDepth;
  const keepNumDims = optionsOf(ctx.operator).keepNumDims;
  const expected = keepNumDims ? [...input.shape.slice(0, -1), outputDepth] : [batches, outputDepth];
  const outputLast = output.shape[output.shape.length - 1];
  if (outputLast !== outputDepth || output.elementCount !== batches * outputDepth) {
    throw ctx.error(`output shape [${output.shape.join(', ')}] does not match input [${input.shape.join(', ')}] x filter [${filter.shape.join(', ')}] (expected [${expected.join(', ')}])`);
  }
  if (bias !== null && bias.elementCount !== outputDepth) {
    throw ctx.error(`bias has ${bias.elementCount} elements, expected ${outputDepth}`);
  }
  return { batches, outputDepth, accumDepth };
}

/** GetQuantizedConvolutionMultipler's sanity check: the bias scale must be input x filter scale, within 2% of the output scale. */
function checkBiasScale(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): void {
  if (bias === null) return;
  const productScale = input.scale * filter.scale;
  if (Math.abs(productScale - bias.scale) / output.scale > 0.02) {
    throw ctx.error(`bias scale ${bias.scale} differs from input scale x filter scale ${productScale} by more than 2% of the output scale ${output.scale}`);
  }
}

/** One multiplier and shift per output channel (the same for all with per-tensor weights), as CalculateOpDataFullyConnected. */
function outputMultipliers(
  ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor, outputDepth: number,
): { multipliers: Int32Array; shifts: Int32Array; perChannel: boolean } {
  const filterScales = filter.scales;
  const perChannel = filterScales.length > 1;
  const quantizedDimension = filter.quantization?.quantizedDimension ?? 0;
  if (perChannel && (quantizedDimension !== 0 || filterScales.length !== outputDepth)) {
    throw ctx.error(`filter has ${filterScales.length} per-channel scales along dimension ${quantizedDimension}; expected ${outputDepth} along dimension 0`);
  }
  if (!perChannel) checkBiasScale(ctx, input, filter, bias, output);
  const multipliers = new Int32Array(outputDepth);
  const shifts = new Int32Array(outputDepth);
  for (let channel = 0; channel < outputDepth; channel++) {
    // TFLM: double(input scale) * double(filter scale) / double(output scale).
    const real = (input.scale * filterScales[perChannel ? channel : 0]) / output.scale;
    const { multiplier, shift } = quantizeMultiplier(real);
    multipliers[channel] = multiplier;
    shifts[channel] = shift;
  }
  return { multipliers, shifts, perChannel };
}

function prepareFloat(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  for (const [tensor, what] of [[filter, 'filter'], [bias, 'bias'], [output, 'output']] as const) {
    if (tensor !== null && tensor.dtype !== 'float32') throw ctx.error(`float32 input needs a float32 ${what}, got ${tensor.dtype}`);
  }
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const range = activationRangeFloat(activation);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const [activationMin, activationMax] = range;
  const { batches, outputDepth, accumDepth } = checkShapes(ctx, input, filter, bias, output);
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const w = filter.data as Float32Array;
      const b = bias === null ? null : bias.data as Float32Array;
      const y = output.data as Float32Array;
      for (let batch = 0; batch < batches; batch++) {
        floatUnits(x, batch * accumDepth, w, b, accumDepth, outputDepth, y, batch * outputDepth, activationMin, activationMax);
      }
    },
  };
}

/**
 * reference_ops::FullyConnected (float32) for one row of x: out[outBase + u] =
 * clamp(sum over d of x[xBase + d] * w[u * depth + d], + b[u]), each product and sum rounded to
 * float32 in the reference order, as C does. Four units per pass, each its own chain, share
 * every x load.
 */
export function floatUnits(
  x: Float32Array, xBase: number, w: Float32Array, b: Float32Array | null, depth: number, units: number,
  out: Float32Array, outBase: number, activationMin: number, activationMax: number,
): void {
  const f = Math.fround;
  let unit = 0;
  for (; unit + 4 <= units; unit += 4) {
    const w0 = unit * depth;
    const w1 = w0 + depth;
    const w2 = w1 + depth;
    const w3 = w2 + depth;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let d = 0; d < depth; d++) {
      const value = x[xBase + d];
      t0 = f(t0 + f(value * w[w0 + d]));
      t1 = f(t1 + f(value * w[w1 + d]));
      t2 = f(t2 + f(value * w[w2 + d]));
      t3 = f(t3 + f(value * w[w3 + d]));
    }
    out[outBase + unit] = Math.min(Math.max(f(t0 + (b === null ? 0 : b[unit])), activationMin), activationMax);
    out[outBase + unit + 1] = Math.min(Math.max(f(t1 + (b === null ? 0 : b[unit + 1])), activationMin), activationMax);
    out[outBase + unit + 2] = Math.min(Math.max(f(t2 + (b === null ? 0 : b[unit + 2])), activationMin), activationMax);
    out[outBase + unit + 3] = Math.min(Math.max(f(t3 + (b === null ? 0 : b[unit + 3])), activationMin), activationMax);
  }
  for (; unit < units; unit++) {
    const wBase = unit * depth;
    let total = 0;
    for (let d = 0; d < depth; d++) total = f(total + f(x[xBase + d] * w[wBase + d]));
    out[outBase + unit] = Math.min(Math.max(f(total + (b === null ? 0 : b[unit])), activationMin), activationMax);
  }
}

function prepareInt8(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  if (filter.dtype !== 'int8') throw ctx.error(`int8 input needs an int8 filter, got ${filter.dtype}`);
  if (output.dtype !== 'int8') throw ctx.error(`int8 input needs an int8 output, got ${output.dtype}`);
  if (bias !== null && bias.dtype !== 'int32') throw ctx.error(`int8 input needs an int32 bias, got ${bias.dtype}`);
  for (const [tensor, what] of [[input, 'input'], [filter, 'filter'], [output, 'output']] as const) {
    if (tensor.quantization === null || tensor.scales.length === 0) throw ctx.error(`${what} is not quantized`);
  }
  const shapes = checkShapes(ctx, input, filter, bias, output);
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const range = activationRangeQuantized(activation, 'int8', output.scale, output.zeroPoint);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const { multipliers, shifts, perChannel } = outputMultipliers(ctx, input, filter, bias, output, shapes.outputDepth);
  const { batches, outputDepth, accumDepth } = shapes;
  const inputOffset = -input.zeroPoint;
  const weights = new PackedInt8Rows(filter.isConstant ? filter.data as Int8Array : null, outputDepth, accumDepth,
    perChannel ? 0 : -filter.zeroPoint, int8Bound(inputOffset));
  const requantize = new Int8Output({
    inputOffset, outputOffset: output.zeroPoint, multipliers, shifts, activationMin: range[0], activationMax: range[1],
  }, weights.sumBound);
  // One input row plus the input offset, and one row of exact sums.
  const row = new Float64Array(accumDepth);
  const sums = new Float64Array(outputDepth);
  const zeroBias = new Int32Array(outputDepth);
  return {
    invoke(): void {
      if (!weights.constant) weights.pack(filter.data as Int8Array);
      const x = input.data as Int8Array;
      const y = output.data as Int8Array;
      const b = bias === null ? zeroBias : bias.data as Int32Array;
      for (let batch = 0; batch < batches; batch++) {
        const base = batch * accumDepth;
        for (let d = 0; d < accumDepth; d++) row[d] = x[base + d] + inputOffset;
        weights.multiply(row, 0, sums);
        requantize.store(sums, outputDepth, b, y, batch * outputDepth);
      }
    },
  };
}

function prepareInt16(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  if (filter.dtype !== 'int8') throw ctx.error(`int16 input needs an int8 filter, got ${filter.dtype}`);
  if (output.dtype !== 'int16') throw ctx.error(`int16 input needs an int16 output, got ${output.dtype}`);
  if (bias !== null && bias.dtype !== 'int64' && bias.dtype !== 'int32') throw ctx.error(`int16 input needs an int64 or int32 bias, got ${bias.dtype}`);
  if (bias !== null && !bias.isConstant) throw ctx.error(`the ${bias.dtype} bias must be constant`);
  for (const [tensor, what] of [[input, 'input'], [filter, 'filter'], [output, 'output']] as const) {
    if (tensor.quantization === null || tensor.scales.length === 0) throw ctx.error(`${what} is not quantized`);
  }
  const shapes = checkShapes(ctx, input, filter, bias, output);
  const { multipliers, shifts, perChannel } = outputMultipliers(ctx, input, filter, bias, output, shapes.outputDepth);
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const range = activationRangeQuantized(activation, 'int16', output.scale, output.zeroPoint);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  // Bias values as doubles once, so invoke reads no BigInt (|bias| < 2^53 in any real model).
  const int32Accumulator = bias !== null && bias.dtype === 'int32';
  const biasValues = bias === null ? null
    : int32Accumulator ? Float64Array.from(bias.data as Int32Array) : Float64Array.from(bias.data as BigInt64Array, (v) => Number(v));
  const { batches, outputDepth, accumDepth } = shapes;
  // The 16x8 kernel applies the filter offset but neither the input nor the output zero point (both 0 by spec).
  const filterOffset = perChannel ? 0 : -filter.zeroPoint;
  const [activationMin, activationMax] = range;
  return {
    invoke(): void {
      const x = input.data as Int16Array;
      const w = filter.data as Int8Array;
      const y = output.data as Int16Array;
      for (let batch = 0; batch < batches; batch++) {
        const inputBase = batch * accumDepth;
        for (let channel = 0; channel < outputDepth; channel++) {
          const filterBase = channel * accumDepth;
          // int64 accumulator: exact in a double while below 2^53.
          let acc = 0;
          for (let d = 0; d < accumDepth; d++) acc += (w[filterBase + d] + filterOffset) * x[inputBase + d];
          if (biasValues !== null) acc += biasValues[channel];
          // With an int32 bias TFLM's FullyConnected<int32_t> wraps an int32 accumulator (acc | 0 is
          // the exact sum mod 2^32) and rounds twice, as the int8 kernel does.
          let scaled = int32Accumulator
            ? multiplyByQuantizedMultiplier(acc | 0, multipliers[channel], shifts[channel])
            : multiplyByQuantizedMultiplierInt64(acc, multipliers[channel], shifts[channel]);
          if (scaled < activationMin) scaled = activationMin;
          if (scaled > activationMax) scaled = activationMax;
          y[batch * outputDepth + channel] = scaled;
        }
      }
    },
  };
}

export const FULLY_CONNECTED: Kernel = {
  supports(operator, inputDtypes): boolean {
    if (optionsOf(operator).weightsFormat !== FullyConnectedOptionsWeightsFormat.DEFAULT) return false;
    const [input, filter] = inputDtypes;
    return (input === 'float32' && filter === 'float32') || ((input === 'int8' || input === 'int16') && filter === 'int8');
  },
  prepare(ctx): PreparedOp {
    const input = required(ctx, 0, 'input');
    const filter = required(ctx, 1, 'filter');
    const bias = ctx.inputs[2] ?? null;
    const output = ctx.outputs[0];
    if (output === undefined) throw ctx.error('missing output');
    if (elementCount(output.shape) === 0) throw ctx.error('output has no elements');
    if (input.dtype === 'float32') return prepareFloat(ctx, input, filter, bias, output);
    if (input.dtype === 'int8') return prepareInt8(ctx, input, filter, bias, output);
    if (input.dtype === 'int16') return prepareInt16(ctx, input, filter, bias, output);
    throw ctx.error(`unsupported input dtype ${input.dtype}`);
  },
};
