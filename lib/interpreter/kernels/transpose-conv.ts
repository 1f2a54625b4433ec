// TRANSPOSE_CONV after TFLM's micro/kernels/transpose_conv.cc and the reference kernels
// reference/transpose_conv.h (float32) and reference/integer_ops/transpose_conv.h (int8, and int16
// activations with int8 weights and int64 or int16 bias). Inputs: 0 output shape (ignored, as in
// TFLM: the output tensor's shape rules), 1 filter [out channels, H, W, in channels], 2 input, 3 bias.
//
// The reference scatters every input element into a zeroed accumulator per output element. Each
// output element here gathers the same terms in the same order (input row, column, channel
// ascending), which gives the same float32 roundings and the same integer sums without scratch.
import { ActivationFunctionType, TransposeConvOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import { channelMultipliers, checkBias, computeOutSize, computePadding, requiredInput, requiredOutput } from './conv-pool-common.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import {
  activationName, activationRangeFloat, integerRange, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierInt64,
} from './quantization.js';

interface TransposeParams {
  batches: number;
  inputHeight: number;
  inputWidth: number;
  inputDepth: number;
  outputHeight: number;
  outputWidth: number;
  outputDepth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padHeight: number;
  padWidth: number;
  activationMin: number;
  activationMax: number;
}

interface QuantizedParams extends TransposeParams {
  inputOffset: number;
  outputOffset: number;
  multipliers: Int32Array;
  shifts: Int32Array;
}

/** The sum of input x filter terms that reach one output element, in the reference's order. */
type Gather = (p: TransposeParams, x: ArrayLike<number>, w: ArrayLike<number>, batch: number, outY: number, outX: number, channel: number, inputOffset: number) => number;

function optionsOf(operator: Operator): TransposeConvOptionsT {
  return operator.builtinOptions instanceof TransposeConvOptionsT ? operator.builtinOptions : new TransposeConvOptionsT();
}

function shapeText(tensor: RuntimeTensor): string {
  return `[${tensor.shape.join(', ')}]`;
}

function transposeParams(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor, range: [number, number]): TransposeParams {
  for (const [tensor, what] of [[input, 'input'], [filter, 'filter'], [output, 'output']] as const) {
    if (tensor.shape.length !== 4) throw ctx.error(`${what} must have 4 dimensions, has shape ${shapeText(tensor)}`);
  }
  const options = optionsOf(ctx.operator);
  const [batches, inputHeight, inputWidth, inputDepth] = input.shape;
  const [filterCount, filterHeight, filterWidth, filterDepth] = filter.shape;
  const [outBatches, outputHeight, outputWidth, outputDepth] = output.shape;
  if (outBatches !== batches) throw ctx.error(`output batches ${outBatches} differ from input batches ${batches}`);
  if (filterDepth !== inputDepth) throw ctx.error(`filter ${shapeText(filter)} does not take the input depth ${inputDepth}`);
  if (filterCount !== outputDepth) throw ctx.error(`filter has ${filterCount} output channels, output has ${outputDepth}`);
  const strideHeight = options.strideH;
  const strideWidth = options.strideW;
  if (!(strideHeight >= 1 && strideWidth >= 1)) throw ctx.error(`strides must be at least 1, got ${strideHeight}x${strideWidth}`);
  checkBias(ctx, bias, outputDepth);
  // TFLM pads as a convolution from the output back to the input would.
  const convHeight = computeOutSize(options.padding, outputHeight, filterHeight, strideHeight, 1);
  const convWidth = computeOutSize(options.padding, outputWidth, filterWidth, strideWidth, 1);
  return {
    batches, inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, strideHeight, strideWidth,
    padHeight: computePadding(strideHeight, 1, outputHeight, filterHeight, convHeight),
    padWidth: computePadding(strideWidth, 1, outputWidth, filterWidth, convWidth),
    activationMin: range[0],
    activationMax: range[1],
  };
}

/** The input rows (or columns) whose window covers output position `out`: [first, last]. */
function firstCovering(out: number, pad: number, filterSize: number, stride: number): number {
  return Math.max(0, Math.ceil((out + pad - filterSize + 1) / stride));
}

function lastCovering(out: number, pad: number, stride: number, inputSize: number): number {
  return Math.min(inputSize - 1, Math.floor((out + pad) / stride));
}

const gatherFloat: Gather = (p, x, w, batch, outY, outX, channel) => {
  const yFirst = firstCovering(outY, p.padHeight, p.filterHeight, p.strideHeight);
  const yLast = lastCovering(outY, p.padHeight, p.strideHeight, p.inputHeight);
  const xFirst = firstCovering(outX, p.padWidth, p.filterWidth, p.strideWidth);
  const xLast = lastCovering(outX, p.padWidth, p.strideWidth, p.inputWidth);
  let total = 0;
  for (let inY = yFirst; inY <= yLast; inY++) {
    const fy = outY + p.padHeight - inY * p.strideHeight;
    for (let inX = xFirst; inX <= xLast; inX++) {
      const fx = outX + p.padWidth - inX * p.strideWidth;
      const inputBase = ((batch * p.inputHeight + inY) * p.inputWidth + inX) * p.inputDepth;
      const filterBase = ((channel * p.filterHeight + fy) * p.filterWidth + fx) * p.inputDepth;
      for (let d = 0; d < p.inputDepth; d++) total = Math.fround(total + Math.fround(x[inputBase + d] * w[filterBase + d]));
    }
  }
  return total;
};

/** int32 (int8 kernel) accumulator, wrapping as C's does; sums are order-independent modulo 2^32. */
const gatherInt32: Gather = (p, x, w, batch, outY, outX, channel, inputOffset) => {
  const yFirst = firstCovering(outY, p.padHeight, p.filterHeight, p.strideHeight);
  const yLast = lastCovering(outY, p.padHeight, p.strideHeight, p.inputHeight);
  const xFirst = firstCovering(outX, p.padWidth, p.filterWidth, p.strideWidth);
  const xLast = lastCovering(outX, p.padWidth, p.strideWidth, p.inputWidth);
  let acc = 0;
  for (let inY = yFirst; inY <= yLast; inY++) {
    const fy = outY + p.padHeight - inY * p.strideHeight;
    for (let inX = xFirst; inX <= xLast; inX++) {
      const fx = outX + p.padWidth - inX * p.strideWidth;
      const inputBase = ((batch * p.inputHeight + inY) * p.inputWidth + inX) * p.inputDepth;
      const filterBase = ((channel * p.filterHeight + fy) * p.filterWidth + fx) * p.inputDepth;
      for (let d = 0; d < p.inputDepth; d++) acc = (acc + (x[inputBase + d] + inputOffset) * w[filterBase + d]) | 0;
    }
  }
  return acc;
};

/** int64 (16x8 kernel) accumulator: exact in a double while below 2^53. */
const gatherInt64: Gather = (p, x, w, batch, outY, outX, channel) => {
  const yFirst = firstCovering(outY, p.padHeight, p.filterHeight, p.strideHeight);
  const yLast = lastCovering(outY, p.padHeight, p.strideHeight, p.inputHeight);
  const xFirst = firstCovering(outX, p.padWidth, p.filterWidth, p.strideWidth);
  const xLast = lastCovering(outX, p.padWidth, p.strideWidth, p.inputWidth);
  let acc = 0;
  for (let inY = yFirst; inY <= yLast; inY++) {
    const fy = outY + p.padHeight - inY * p.strideHeight;
    for (let inX = xFirst; inX <= xLast; inX++) {
      const fx = outX + p.padWidth - inX * p.strideWidth;
      const inputBase = ((batch * p.inputHeight + inY) * p.inputWidth + inX) * p.inputDepth;
      const filterBase = ((channel * p.filterHeight + fy) * p.filterWidth + fx) * p.inputDepth;
      for (let d = 0; d < p.inputDepth; d++) acc += x[inputBase + d] * w[filterBase + d];
    }
  }
  return acc;
};

function transposeFloat(p: TransposeParams, x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array): void {
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < p.outputHeight; outY++) {
      for (let outX = 0; outX < p.outputWidth; outX++) {
        for (let channel = 0; channel < p.outputDepth; channel++) {
          const total = gatherFloat(p, x, w, batch, outY, outX, channel, 0);
          const value = Math.fround(total + (b === null ? 0 : b[channel]));
          y[out++] = Math.min(Math.max(value, p.activationMin), p.activationMax);
        }
      }
    }
  }
}

function transposeInt8(p: QuantizedParams, x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array): void {
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < p.outputHeight; outY++) {
      for (let outX = 0; outX < p.outputWidth; outX++) {
        for (let channel = 0; channel < p.outputDepth; channel++) {
          let acc = gatherInt32(p, x, w, batch, outY, outX, channel, p.inputOffset);
          if (b !== null) acc = (acc + b[channel]) | 0;
          let scaled = multiplyByQuantizedMultiplier(acc, p.multipliers[channel], p.shifts[channel]) + p.outputOffset;
          if (scaled < p.activationMin) scaled = p.activationMin;
          if (scaled > p.activationMax) scaled = p.activationMax;
          y[out++] = scaled;
        }
      }
    }
  }
}

function transposeInt16(p: QuantizedParams, x: Int16Array, w: Int8Array, b: Float64Array | null, y: Int16Array): void {
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < p.outputHeight; outY++) {
      for (let outX = 0; outX < p.outputWidth; outX++) {
        for (let channel = 0; channel < p.outputDepth; channel++) {
          let acc = gatherInt64(p, x, w, batch, outY, outX, channel, 0);
          if (b !== null) acc += b[channel];
          let scaled = multiplyByQuantizedMultiplierInt64(acc, p.multipliers[channel], p.shifts[channel]);
          if (scaled < p.activationMin) scaled = p.activationMin;
          if (scaled > p.activationMax) scaled = p.activationMax;
          y[out++] = scaled;
        }
      }
    }
  }
}

function prepareFloat(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  for (const [tensor, what] of [[filter, 'filter'], [bias, 'bias'], [output, 'output']] as const) {
    if (tensor !== null && tensor.dtype !== 'float32') throw ctx.error(`float32 input needs a float32 ${what}, got ${tensor.dtype}`);
  }
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const range = activationRangeFloat(activation);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const params = transposeParams(ctx, input, filter, bias, output, range);
  return {
    invoke(): void {
      transposeFloat(params, input.data as Float32Array, filter.data as Float32Array, bias === null ? null : bias.data as Float32Array, output.data as Float32Array);
    },
  };
}

/** The quantized bias as doubles for the 16x8 kernel: int64, or int16 widened as TFLM does. */
function int16KernelBias(ctx: PrepareContext, bias: RuntimeTensor | null): Float64Array | null {
  if (bias === null) return null;
  if (!bias.isConstant) throw ctx.error('the bias must be constant');
  if (bias.dtype === 'int16') return Float64Array.from(bias.data as Int16Array);
  if (bias.dtype === 'int64') return Float64Array.from(bias.data as BigInt64Array, (v) => Number(v));
  throw ctx.error(`int16 input needs an int64 or int16 bias, got ${bias.dtype}`);
}

function prepareQuantized(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  if (filter.dtype !== 'int8') throw ctx.error(`${input.dtype} input needs an int8 filter, got ${filter.dtype}`);
  if (output.dtype !== input.dtype) throw ctx.error(`${input.dtype} input needs an ${input.dtype} output, got ${output.dtype}`);
  if (input.dtype === 'int8' && bias !== null && bias.dtype !== 'int32') throw ctx.error(`int8 input needs an int32 bias, got ${bias.dtype}`);
  for (const [tensor, what] of [[input, 'input'], [filter, 'filter'], [output, 'output']] as const) {
    if (tensor.quantization === null || tensor.scales.length === 0) throw ctx.error(`${what} is not quantized`);
  }
  if ((filter.quantization?.zeroPoint ?? []).some((z) => z !== 0)) throw ctx.error('filter zero points must be 0 (symmetric int8 weights)');
  // TFLM's quantized TRANSPOSE_CONV computes its clamp for no activation; refuse rather than differ.
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  if (activation !== ActivationFunctionType.NONE) throw ctx.error(`fused activation ${activationName(activation)} is not supported for ${input.dtype}`);
  const transpose = transposeParams(ctx, input, filter, bias, output, integerRange(output.dtype));
  const params: QuantizedParams = {
    ...transpose,
    ...channelMultipliers(ctx, input, filter, output, transpose.outputDepth, 0),
    inputOffset: -input.zeroPoint,
    outputOffset: output.zeroPoint,
  };
  if (input.dtype === 'int8') {
    return {
      invoke(): void {
        transposeInt8(params, input.data as Int8Array, filter.data as Int8Array, bias === null ? null : bias.data as Int32Array, output.data as Int8Array);
      },
    };
  }
  if (input.zeroPoint !== 0 || output.zeroPoint !== 0) throw ctx.error(`int16 input and output zero points must be 0, got ${input.zeroPoint} and ${output.zeroPoint}`);
  const biasValues = int16KernelBias(ctx, bias);
  return {
    invoke(): void {
      transposeInt16(params, input.data as Int16Array, filter.data as Int8Array, biasValues, output.data as Int16Array);
    },
  };
}

export const TRANSPOSE_CONV: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const [, filter, input] = inputDtypes;
    return (input === 'float32' && filter === 'float32') || ((input === 'int8' || input === 'int16') && filter === 'int8');
  },
  prepare(ctx): PreparedOp {
    const filter = requiredInput(ctx, 1, 'filter');
    const input = requiredInput(ctx, 2, 'input');
    const bias = ctx.inputs[3] ?? null;
    const output = requiredOutput(ctx);
    if (input.dtype === 'float32') return prepareFloat(ctx, input, filter, bias, output);
    if (input.dtype === 'int8' || input.dtype === 'int16') return prepareQuantized(ctx, input, filter, bias, output);
    throw ctx.error(`unsupported input dtype ${input.dtype}`);
  },
};
