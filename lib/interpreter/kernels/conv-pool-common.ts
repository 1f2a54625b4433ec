// What CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and the pools share at prepare time, after
// TFLM's kernels/padding.h (ComputePaddingHeightWidth) and PopulateConvolutionQuantizationParams.
import { Padding, Pool2DOptionsT } from '../../model/schema/tflite.js';
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { activationName, activationRangeFloat, activationRangeQuantized, quantizeMultiplier } from './quantization.js';

/** ComputeOutSize: the output extent of one spatial dimension. */
export function computeOutSize(padding: Padding, imageSize: number, filterSize: number, stride: number, dilation: number): number {
  const effectiveFilterSize = (filterSize - 1) * dilation + 1;
  if (stride === 0) return 0;
  // C integer division truncates; both numerators are >= 0 for any valid geometry.
  if (padding === Padding.SAME) return Math.trunc((imageSize + stride - 1) / stride);
  return Math.trunc((imageSize + stride - effectiveFilterSize) / stride);
}

/** ComputePaddingWithOffset: the leading padding (the odd extra cell, the offset, goes at the end). */
export function computePadding(stride: number, dilation: number, inSize: number, filterSize: number, outSize: number): number {
  const effectiveFilterSize = (filterSize - 1) * dilation + 1;
  const totalPadding = Math.max(0, (outSize - 1) * stride + effectiveFilterSize - inSize);
  return Math.trunc(totalPadding / 2);
}

export interface Window {
  padding: Padding;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  filterHeight: number;
  filterWidth: number;
}

/** A 4-D NHWC geometry with its leading padding. */
export interface Geometry {
  batches: number;
  inputHeight: number;
  inputWidth: number;
  inputDepth: number;
  outputHeight: number;
  outputWidth: number;
  outputDepth: number;
  padHeight: number;
  padWidth: number;
}

export function requiredInput(ctx: PrepareContext, position: number, what: string): RuntimeTensor {
  const tensor = ctx.inputs[position];
  if (tensor === null || tensor === undefined) throw ctx.error(`missing ${what} (input ${position})`);
  return tensor;
}

export function requiredOutput(ctx: PrepareContext): RuntimeTensor {
  const output = ctx.outputs[0];
  if (output === undefined) throw ctx.error('missing output');
  return output;
}

function shapeText(tensor: RuntimeTensor): string {
  return `[${tensor.shape.join(', ')}]`;
}

/**
 * Checks NHWC input and output against the window (strides, dilations, padding) and returns the
 * loop bounds; the output height and width must be those ComputePaddingHeightWidth derives.
 */
export function windowGeometry(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor, window: Window): Geometry {
  if (input.shape.length !== 4) throw ctx.error(`input must have 4 dimensions (NHWC), has shape ${shapeText(input)}`);
  if (output.shape.length !== 4) throw ctx.error(`output must have 4 dimensions (NHWC), has shape ${shapeText(output)}`);
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, filterHeight, filterWidth } = window;
  for (const [value, what] of [[strideHeight, 'stride_h'], [strideWidth, 'stride_w'], [dilationHeight, 'dilation_h_factor'],
    [dilationWidth, 'dilation_w_factor'], [filterHeight, 'filter height'], [filterWidth, 'filter width']] as const) {
    if (!(value >= 1)) throw ctx.error(`${what} must be at least 1, got ${value}`);
  }
  const [batches, inputHeight, inputWidth, inputDepth] = input.shape;
  const [outBatches, outputHeight, outputWidth, outputDepth] = output.shape;
  const expectedHeight = computeOutSize(window.padding, inputHeight, filterHeight, strideHeight, dilationHeight);
  const expectedWidth = computeOutSize(window.padding, inputWidth, filterWidth, strideWidth, dilationWidth);
  if (outBatches !== batches || outputHeight !== expectedHeight || outputWidth !== expectedWidth) {
    throw ctx.error(`output shape ${shapeText(output)} does not match input ${shapeText(input)} with a ${filterHeight}x${filterWidth} window, `
      + `${Padding[window.padding] ?? window.padding} padding, strides ${strideHeight}x${strideWidth}, dilations ${dilationHeight}x${dilationWidth} `
      + `(expected [${batches}, ${expectedHeight}, ${expectedWidth}, ...])`);
  }
  return {
    batches, inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth,
    padHeight: computePadding(strideHeight, dilationHeight, inputHeight, filterHeight, outputHeight),
    padWidth: computePadding(strideWidth, dilationWidth, inputWidth, filterWidth, outputWidth),
  };
}

/**
 * The dtype rules of TFLM's quantized convolutions: int8 x int8 (+ int32 bias) or int16 x int8
 * (+ an int64 bias, or whichever bias dtypes the kernel lists: CONV_2D also takes int32).
 */
export function checkQuantizedTypes(
  ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor,
  int16BiasDtypes: readonly string[] = ['int64'],
): void {
  const biasDtypes = input.dtype === 'int16' ? int16BiasDtypes : ['int32'];
  if (filter.dtype !== 'int8') throw ctx.error(`${input.dtype} input needs an int8 filter, got ${filter.dtype}`);
  if (output.dtype !== input.dtype) throw ctx.error(`${input.dtype} input needs an ${input.dtype} output, got ${output.dtype}`);
  if (bias !== null && !biasDtypes.includes(bias.dtype)) throw ctx.error(`${input.dtype} input needs an ${biasDtypes.join(' or ')} bias, got ${bias.dtype}`);
  for (const [tensor, what] of [[input, 'input'], [filter, 'filter'], [output, 'output']] as const) {
    if (tensor.quantization === null || tensor.scales.length === 0) throw ctx.error(`${what} is not quantized`);
  }
  // The reference kernels apply no filter offset: weights must be symmetric.
  const filterZeroPoints = filter.quantization?.zeroPoint ?? [];
  if (filterZeroPoints.some((z) => z !== 0)) throw ctx.error('filter zero points must be 0 (symmetric int8 weights)');
  if (input.dtype === 'int16' && (input.zeroPoint !== 0 || output.zeroPoint !== 0)) {
    throw ctx.error(`int16 input and output zero points must be 0, got ${input.zeroPoint} and ${output.zeroPoint}`);
  }
}

export function checkFloatTypes(ctx: PrepareContext, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): void {
  for (const [tensor, what] of [[filter, 'filter'], [bias, 'bias'], [output, 'output']] as const) {
    if (tensor !== null && tensor.dtype !== 'float32') throw ctx.error(`float32 input needs a float32 ${what}, got ${tensor.dtype}`);
  }
}

export function checkBias(ctx: PrepareContext, bias: RuntimeTensor | null, channels: number): void {
  if (bias !== null && bias.elementCount !== channels) throw ctx.error(`bias has ${bias.elementCount} elements, expected ${channels}`);
}

/**
 * PopulateConvolutionQuantizationParams: a multiplier and shift per output channel from
 * input scale x filter scale / output scale (a per-tensor filter scale is broadcast).
 */
export function channelMultipliers(
  ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, output: RuntimeTensor, channels: number, channelDimension: number,
): { multipliers: Int32Array; shifts: Int32Array } {
  const filterScales = filter.scales;
  const perChannel = filterScales.length > 1;
  const quantizedDimension = filter.quantization?.quantizedDimension ?? 0;
  if (perChannel && (quantizedDimension !== channelDimension || filterScales.length !== channels)) {
    throw ctx.error(`filter has ${filterScales.length} per-channel scales along dimension ${quantizedDimension}; expected ${channels} along dimension ${channelDimension}`);
  }
  const multipliers = new Int32Array(channels);
  const shifts = new Int32Array(channels);
  for (let channel = 0; channel < channels; channel++) {
    const { multiplier, shift } = quantizeMultiplier((input.scale * filterScales[perChannel ? channel : 0]) / output.scale);
    multipliers[channel] = multiplier;
    shifts[channel] = shift;
  }
  return { multipliers, shifts };
}

/** A constant int64 bias as doubles, read once so invoke touches no BigInt (|bias| < 2^53 in any real model). */
export function int64BiasValues(ctx: PrepareContext, bias: RuntimeTensor | null): Float64Array | null {
  if (bias === null) return null;
  if (!bias.isConstant) throw ctx.error(`the ${bias.dtype} bias must be constant`);
  if (bias.dtype === 'int32') return Float64Array.from(bias.data as Int32Array);
  return Float64Array.from(bias.data as BigInt64Array, (v) => Number(v));
}

/** The loop bounds and clamp of AVERAGE_POOL_2D and MAX_POOL_2D (TFLM's PoolParams). */
export interface PoolParams extends Geometry {
  strideHeight: number;
  strideWidth: number;
  filterHeight: number;
  filterWidth: number;
  activationMin: number;
  activationMax: number;
}

/** PoolingPrepare: input and output of one dtype, the window from Pool2DOptions, the fused activation's clamp. */
export function poolParams(ctx: PrepareContext): { input: RuntimeTensor; output: RuntimeTensor; params: PoolParams } {
  const input = requiredInput(ctx, 0, 'input');
  const output = requiredOutput(ctx);
  if (output.dtype !== input.dtype) throw ctx.error(`${input.dtype} input needs an ${input.dtype} output, got ${output.dtype}`);
  const options = ctx.operator.builtinOptions instanceof Pool2DOptionsT ? ctx.operator.builtinOptions : new Pool2DOptionsT();
  const activation = options.fusedActivationFunction;
  const range = input.dtype === 'float32'
    ? activationRangeFloat(activation)
    : activationRangeQuantized(activation, output.dtype, output.scale, output.zeroPoint);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const window = {
    padding: options.padding, strideHeight: options.strideH, strideWidth: options.strideW,
    dilationHeight: 1, dilationWidth: 1, filterHeight: options.filterHeight, filterWidth: options.filterWidth,
  };
  const geometry = windowGeometry(ctx, input, output, window);
  if (geometry.outputDepth !== geometry.inputDepth) throw ctx.error(`output depth ${geometry.outputDepth} differs from input depth ${geometry.inputDepth}`);
  const params = {
    ...geometry, strideHeight: window.strideHeight, strideWidth: window.strideWidth, filterHeight: window.filterHeight,
    filterWidth: window.filterWidth, activationMin: range[0], activationMax: range[1],
  };
  return { input, output, params };
}

/** How a conv-like op prepares one dtype path, given its input, filter, optional bias and output. */
export type ConvPrepare = (
  ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor,
) => PreparedOp;

/**
 * The Kernel of a conv-like op (CONV_2D, DEPTHWISE_CONV_2D): inputs (input, filter, bias?),
 * float32 x float32, or int8/int16 activations x int8 weights, as TFLM's reference kernels take.
 */
export function convLikeKernel(prepareFloat: ConvPrepare, prepareQuantized: ConvPrepare): Kernel {
  return {
    supports(_operator, inputDtypes): boolean {
      const [input, filter] = inputDtypes;
      return (input === 'float32' && filter === 'float32') || ((input === 'int8' || input === 'int16') && filter === 'int8');
    },
    prepare(ctx): PreparedOp {
      const input = requiredInput(ctx, 0, 'input');
      const filter = requiredInput(ctx, 1, 'filter');
      const bias = ctx.inputs[2] ?? null;
      const output = requiredOutput(ctx);
      if (input.dtype === 'float32') return prepareFloat(ctx, input, filter, bias, output);
      if (input.dtype === 'int8' || input.dtype === 'int16') return prepareQuantized(ctx, input, filter, bias, output);
      throw ctx.error(`unsupported input dtype ${input.dtype}`);
    },
  };
}

/** How a pooling op folds the window cells inside the image into one output value. */
export interface WindowFold {
  /** Starts an output element. */
  begin(): void;
  /** Takes one window cell inside the image. */
  add(value: number): void;
  /** The output value from the `count` cells taken, before the activation clamp. */
  result(count: number): number;
}

/**
 * The pooling loop of TFLM's reference/pooling.h: every output element (NHWC order) folds the
 * window cells inside the image, row by row, then is clamped to the fused activation's range.
 */
export function poolWindows(p: PoolParams, x: ArrayLike<number>, y: Float32Array | Int8Array | Int16Array, fold: WindowFold): void {
  const { inputHeight, inputWidth, outputHeight, outputWidth, outputDepth: depth } = p;
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.padHeight;
      const yStart = Math.max(0, -inYOrigin);
      const yEnd = Math.min(p.filterHeight, inputHeight - inYOrigin);
      for (let outX = 0; outX < outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.padWidth;
        const xStart = Math.max(0, -inXOrigin);
        const xEnd = Math.min(p.filterWidth, inputWidth - inXOrigin);
        for (let channel = 0; channel < depth; channel++) {
          fold.begin();
          for (let fy = yStart; fy < yEnd; fy++) {
            const rowBase = ((batch * inputHeight + inYOrigin + fy) * inputWidth + inXOrigin) * depth + channel;
            for (let fx = xStart; fx < xEnd; fx++) fold.add(x[rowBase + fx * depth]);
          }
          let value = fold.result(Math.max(0, yEnd - yStart) * Math.max(0, xEnd - xStart));
          if (value < p.activationMin) value = p.activationMin;
          if (value > p.activationMax) value = p.activationMax;
          y[out++] = value;
        }
      }
    }
  }
}
