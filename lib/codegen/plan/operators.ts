// Per-operator parameters for the C kernels, computed once on the host with the same integer
// derivations as our TS kernels and TFLM's Prepare (QuantizeMultiplier, activation ranges,
// padding). Each builder returns the int32 words the C kernel reads (docs/tinyml-plan.md).
import { byteLengthOf, elementCount } from '../../model/dtype.js';
import {
  ActivationFunctionType, Conv2DOptionsT, DepthwiseConv2DOptionsT, FullyConnectedOptionsT, Pool2DOptionsT, SoftmaxOptionsT,
} from '../../model/schema/tflite.js';
import type { Model, Subgraph, Tensor } from '../../model/types.js';
import { computeOutSize, computePadding } from '../../interpreter/kernels/conv-pool-common.js';
import { activationRangeQuantized, quantizeMultiplier } from '../../interpreter/kernels/quantization.js';
import { int16SigmoidParams } from '../../interpreter/kernels/sigmoid-common.js';
import { EXP_LUT, inputRadius, ONE_OVER_ONE_PLUS_X_LUT, SCALED_DIFF_INTEGER_BITS } from '../../interpreter/kernels/softmax.js';
import { C_KERNELS, type CKernelName } from './kernel-ids.js';
import { addSub, cast, minMax, mul } from './binary.js';
import { concatenation, lookupTable, mean } from './elementwise.js';
import { pad, stridedSlice, transpose } from './movement.js';
import { floatInt16 } from './float-int16.js';
import { lstm, quantize, svdf } from './stateful.js';
import { custom, div } from './signal.js';
import { TinymlPlanError, type PlanOperator } from './format.js';
import { inputOf, outputOf, requireActivation, requireInt8, requireInt8OrInt16, scaleOf, tensorAt, zeroPointOf, type OpContext } from './op-context.js';

type Builder = (ctx: OpContext) => PlanOperator;

function optionalBias(ctx: OpContext, position: number, dtype: 'int32' | 'int64' = 'int32'): number {
  const index = ctx.operator.inputs[position];
  if (index === undefined || index < 0) return -1;
  const bias = tensorAt(ctx, index, 'bias');
  if (bias.dtype !== dtype) ctx.fail(`bias is ${bias.dtype}; the C runtime takes ${dtype} biases here`);
  if (bias.data === null) ctx.fail('bias must be constant');
  return index;
}

function activationRange(ctx: OpContext, activation: ActivationFunctionType, output: Tensor): [number, number] {
  const range = activationRangeQuantized(activation, output.dtype, scaleOf(output), zeroPointOf(output));
  if (range === null) return ctx.fail(`fused activation ${ActivationFunctionType[activation]} is not supported`);
  return range;
}

/** PopulateConvolutionQuantizationParams: a multiplier and shift per channel (a per-tensor scale broadcast). */
function channelMultipliers(ctx: OpContext, input: Tensor, filter: Tensor, output: Tensor, channels: number, dimension: number): number[] {
  const scales = filter.quantization?.scale ?? [];
  const perChannel = scales.length > 1;
  if (perChannel && (scales.length !== channels || filter.quantization?.quantizedDimension !== dimension)) {
    ctx.fail(`filter has ${scales.length} scales along dimension ${filter.quantization?.quantizedDimension}; expected ${channels} along ${dimension}`);
  }
  const multipliers: number[] = [];
  const shifts: number[] = [];
  for (let c = 0; c < channels; c++) {
    const { multiplier, shift } = quantizeMultiplier((scaleOf(input) * scales[perChannel ? c : 0]) / scaleOf(output));
    multipliers.push(multiplier);
    shifts.push(shift);
  }
  return [...multipliers, ...shifts];
}

function kernel(name: CKernelName, params: number[]): PlanOperator {
  return { kernelId: C_KERNELS[name].id, params };
}

const fullyConnected: Builder = (ctx) => {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [filterIndex, filter] = inputOf(ctx, 1, 'filter');
  const [outputIndex, output] = outputOf(ctx);
  const wide = requireActivations(ctx, input, filter, output);
  if (filter.shape.length !== 2) ctx.fail(`filter has ${filter.shape.length} dims, expected 2`);
  const [units, depth] = filter.shape;
  const batches = elementCount(input.shape) / depth;
  if (!Number.isInteger(batches)) ctx.fail(`input of ${elementCount(input.shape)} elements is not a multiple of depth ${depth}`);
  const options = ctx.operator.builtinOptions instanceof FullyConnectedOptionsT ? ctx.operator.builtinOptions : new FullyConnectedOptionsT();
  const [actMin, actMax] = activationRange(ctx, options.fusedActivationFunction, output);
  const perChannel = (filter.quantization?.scale.length ?? 0) > 1;
  const multipliers = channelMultipliers(ctx, input, filter, output, perChannel ? units : 1, 0);
  return kernel(wide ? 'FULLY_CONNECTED_16X8' : 'FULLY_CONNECTED', [
    inputIndex, filterIndex, optionalBias(ctx, 2, wide ? 'int64' : 'int32'), outputIndex, batches, depth, units,
    -zeroPointOf(input), perChannel ? 0 : -zeroPointOf(filter), zeroPointOf(output), actMin, actMax,
    multipliers.length / 2, ...multipliers,
  ]);
};

/**
 * int8 input, filter and output; or the 16x8 form (int16 input and output with zero points 0,
 * int8 filter, int64 bias). True for 16x8. The filter must be constant.
 */
function requireActivations(ctx: OpContext, input: Tensor, filter: Tensor, output: Tensor): boolean {
  const wide = input.dtype === 'int16';
  if (wide) {
    for (const [t, what] of [[input, 'input'], [output, 'output']] as const) {
      if (requireInt8OrInt16(ctx, t, what) !== 2 || zeroPointOf(t) !== 0) ctx.fail(`${what} must be int16 with zero point 0 (16x8)`);
    }
  } else {
    requireInt8(ctx, input, 'input');
    requireInt8(ctx, output, 'output');
  }
  requireInt8(ctx, filter, 'filter');
  requireActivation(ctx, input, 'input');
  if (filter.data === null) ctx.fail('filter must be constant');
  return wide;
}

function nhwc(ctx: OpContext, tensor: Tensor, what: string): [number, number, number, number] {
  if (tensor.shape.length !== 4) ctx.fail(`${what} has ${tensor.shape.length} dims, expected 4`);
  return [tensor.shape[0], tensor.shape[1], tensor.shape[2], tensor.shape[3]];
}

function convLike(ctx: OpContext, depthwise: boolean): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [filterIndex, filter] = inputOf(ctx, 1, 'filter');
  const [outputIndex, output] = outputOf(ctx);
  const wide = requireActivations(ctx, input, filter, output);
  if (zeroPointOf(filter) !== 0) ctx.fail(`filter zero point ${zeroPointOf(filter)}; int8 convolutions need 0`);
  const options = depthwise
    ? (ctx.operator.builtinOptions instanceof DepthwiseConv2DOptionsT ? ctx.operator.builtinOptions : new DepthwiseConv2DOptionsT())
    : (ctx.operator.builtinOptions instanceof Conv2DOptionsT ? ctx.operator.builtinOptions : new Conv2DOptionsT());
  const [batches, inH, inW, inD] = nhwc(ctx, input, 'input');
  const [, fH, fW, fD] = nhwc(ctx, filter, 'filter');
  const [, outH, outW, outD] = nhwc(ctx, output, 'output');
  if (!depthwise && fD !== inD) ctx.fail(`filter depth ${fD} differs from input depth ${inD} (grouped convolution is not supported)`);
  if (depthwise && outD % inD !== 0) ctx.fail(`output depth ${outD} is not a multiple of input depth ${inD}`);
  const { strideH, strideW, dilationHFactor: dilH, dilationWFactor: dilW, padding } = options;
  const expectH = computeOutSize(padding, inH, fH, strideH, dilH);
  const expectW = computeOutSize(padding, inW, fW, strideW, dilW);
  if (expectH !== outH || expectW !== outW) ctx.fail(`output is ${outH}x${outW}, the window gives ${expectH}x${expectW}`);
  const padH = computePadding(strideH, dilH, inH, fH, outH);
  const padW = computePadding(strideW, dilW, inW, fW, outW);
  const [actMin, actMax] = activationRange(ctx, options.fusedActivationFunction, output);
  const multipliers = channelMultipliers(ctx, input, filter, output, outD, depthwise ? 3 : 0);
  const name = depthwise ? (wide ? 'DEPTHWISE_CONV_2D_16X8' : 'DEPTHWISE_CONV_2D') : (wide ? 'CONV_2D_16X8' : 'CONV_2D');
  return kernel(name, [
    inputIndex, filterIndex, optionalBias(ctx, 2, wide ? 'int64' : 'int32'), outputIndex, batches, inH, inW, inD, outH, outW, outD,
    fH, fW, strideH, strideW, dilH, dilW, padH, padW, -zeroPointOf(input), zeroPointOf(output), actMin, actMax,
    ...(depthwise ? [outD / inD] : []), ...multipliers,
  ]);
}

function pool(name: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D'): Builder {
  return (ctx) => {
    const [inputIndex, input] = inputOf(ctx, 0, 'input');
    const [outputIndex, output] = outputOf(ctx);
    const bytes = requireInt8OrInt16(ctx, input, 'input');
    if (requireInt8OrInt16(ctx, output, 'output') !== bytes) ctx.fail(`input ${input.dtype}, output ${output.dtype}`);
    requireActivation(ctx, input, 'input');
    const options = ctx.operator.builtinOptions instanceof Pool2DOptionsT ? ctx.operator.builtinOptions : new Pool2DOptionsT();
    const [batches, inH, inW, depth] = nhwc(ctx, input, 'input');
    const [, outH, outW, outD] = nhwc(ctx, output, 'output');
    if (outD !== depth) ctx.fail(`output depth ${outD} differs from input depth ${depth}`);
    const { filterHeight: fH, filterWidth: fW, strideH, strideW } = options;
    const [actMin, actMax] = activationRange(ctx, options.fusedActivationFunction, output);
    return kernel(name, [
      inputIndex, outputIndex, batches, inH, inW, depth, outH, outW, fH, fW, strideH, strideW,
      computePadding(strideH, 1, inH, fH, outH), computePadding(strideW, 1, inW, fW, outW), actMin, actMax, bytes,
    ]);
  };
}

/** Two int16 entries per word, low half first (the C kernel's table layout). */
const packInt16 = (table: Int16Array): number[] => Array.from({ length: Math.ceil(table.length / 2) }, (_, i) => (table[2 * i] & 0xffff) | ((table[2 * i + 1] ?? 0) << 16));

/** SOFTMAX int16 -> int16: SoftmaxPrepare's multiplier and its two 513-entry tables. */
function softmaxInt16(ctx: OpContext, inputIndex: number, input: Tensor, outputIndex: number, output: Tensor): PlanOperator {
  if (requireInt8OrInt16(ctx, output, 'output') !== 2) ctx.fail('an int16 input needs an int16 output');
  if (zeroPointOf(output) !== 0 || Math.abs(Math.fround(scaleOf(output)) - 1 / 32768) > Math.fround(0.001 / 32768)) ctx.fail('int16 output needs scale 1/32768 and zero point 0');
  const beta = Math.fround(ctx.operator.builtinOptions instanceof SoftmaxOptionsT ? ctx.operator.builtinOptions.beta : 1);
  // As the TS kernel: input differences scaled by beta so that [-65535, 0] covers [-10, 0].
  const { multiplier, shift } = quantizeMultiplier((Math.fround(scaleOf(input)) * beta) / (10 / 65535));
  const depth = input.shape[input.shape.length - 1] ?? 1;
  const rows = depth === 0 ? 0 : elementCount(input.shape) / depth;
  return kernel('SOFTMAX_INT16', [inputIndex, outputIndex, rows, depth, multiplier, shift, ...packInt16(EXP_LUT), ...packInt16(ONE_OVER_ONE_PLUS_X_LUT)]);
}

const softmax: Builder = (ctx) => {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  requireActivation(ctx, input, 'input');
  if (input.dtype === 'int16') return softmaxInt16(ctx, inputIndex, input, outputIndex, output);
  requireInt8(ctx, input, 'input');
  requireActivation(ctx, input, 'input');
  const outputBits = output.dtype === 'int8' ? 8 : output.dtype === 'int16' ? 16 : ctx.fail(`output is ${output.dtype}; int8 or int16 expected`);
  const expectedZeroPoint = outputBits === 8 ? -128 : -32768;
  if (zeroPointOf(output) !== expectedZeroPoint) ctx.fail(`output zero point ${zeroPointOf(output)}, expected ${expectedZeroPoint}`);
  const beta = Math.fround(ctx.operator.builtinOptions instanceof SoftmaxOptionsT ? ctx.operator.builtinOptions.beta : 1);
  // PreprocessSoftmaxScaling: beta x input scale in Q5.26, capped below 2^31 (as the TS kernel).
  const real = Math.min(beta * Math.fround(scaleOf(input)) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
  const { multiplier, shift } = quantizeMultiplier(real);
  if (shift < 0) ctx.fail(`beta x input scale ${real / 2 ** 26} is too small for the fixed-point softmax`);
  const depth = input.shape[input.shape.length - 1] ?? 1;
  const rows = depth === 0 ? 0 : elementCount(input.shape) / depth;
  return kernel('SOFTMAX', [inputIndex, outputIndex, rows, depth, multiplier, shift, -inputRadius(SCALED_DIFF_INTEGER_BITS, shift), outputBits]);
};

/** LOGISTIC / TANH int16 -> int16 (the int8 forms are 256-entry tables). */
function sigmoidInt16(ctx: OpContext, tanh: boolean): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  requireActivation(ctx, input, 'input');
  if (requireInt8OrInt16(ctx, output, 'output') !== 2) ctx.fail('an int16 input needs an int16 output');
  // int16SigmoidParams throws what error() returns: the plan's error, naming the operator.
  const errors = { error: (message: string): Error => { try { return ctx.fail(message); } catch (e) { return e as Error; } } };
  const { multiplier, leftShift } = int16SigmoidParams(errors, { scale: scaleOf(input), zeroPoint: zeroPointOf(input) },
    { scale: scaleOf(output), zeroPoint: zeroPointOf(output) }, tanh ? [0, 1] : [0]);
  return kernel('SIGMOID_INT16', [inputIndex, outputIndex, elementCount(input.shape), tanh ? 1 : 0, multiplier, leftShift]);
}

/** RESHAPE, SQUEEZE, EXPAND_DIMS: the same bytes under a new shape. */
const copy: Builder = (ctx) => {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  const bytes = byteLengthOf(output.dtype, elementCount(output.shape));
  if (input.dtype !== output.dtype || byteLengthOf(input.dtype, elementCount(input.shape)) !== bytes) {
    ctx.fail(`input ${input.dtype}[${input.shape.join(',')}] and output ${output.dtype}[${output.shape.join(',')}] differ in size`);
  }
  return kernel('COPY', [inputIndex, outputIndex, bytes]);
};

/** int8 elementwise ops the C runtime runs as a 256-entry table (elementwise.ts); DEQUANTIZE's entries are float32. */
const LOOKUP_TABLE_OPS = ['LOGISTIC', 'TANH', 'HARD_SWISH', 'LEAKY_RELU', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'ELU', 'ABS', 'NEG', 'DEQUANTIZE'];

/** The builtin operators the C runtime runs, by TFLM name. */
export const PLAN_BUILDERS: Record<string, Builder> = {
  FULLY_CONNECTED: fullyConnected,
  CONV_2D: (ctx) => convLike(ctx, false),
  DEPTHWISE_CONV_2D: (ctx) => convLike(ctx, true),
  AVERAGE_POOL_2D: pool('AVERAGE_POOL_2D'),
  MAX_POOL_2D: pool('MAX_POOL_2D'),
  SOFTMAX: softmax,
  RESHAPE: copy,
  SQUEEZE: copy,
  EXPAND_DIMS: copy,
  ADD: addSub,
  SUB: addSub,
  MUL: mul,
  MINIMUM: minMax,
  MAXIMUM: minMax,
  CAST: cast,
  DIV: div,
  CUSTOM: custom,
  PAD: pad,
  PADV2: pad,
  STRIDED_SLICE: stridedSlice,
  TRANSPOSE: transpose,
  MEAN: mean,
  CONCATENATION: concatenation,
  QUANTIZE: quantize,
  SVDF: svdf,
  UNIDIRECTIONAL_SEQUENCE_LSTM: lstm,
  ...Object.fromEntries(LOOKUP_TABLE_OPS.map((op) => [op, (ctx: OpContext) => lookupTable(ctx, ctx.model)])),
  // int16 is arithmetic on the device; int8 keeps its 256-entry table.
  LOGISTIC: (ctx) => (inputOf(ctx, 0, 'input')[1].dtype === 'int16' ? sigmoidInt16(ctx, false) : lookupTable(ctx, ctx.model)),
  TANH: (ctx) => (inputOf(ctx, 0, 'input')[1].dtype === 'int16' ? sigmoidInt16(ctx, true) : lookupTable(ctx, ctx.model)),
  DEQUANTIZE: (ctx) => (inputOf(ctx, 0, 'input')[1].dtype === 'int16' ? floatInt16(ctx) : lookupTable(ctx, ctx.model)),
};

export function planOperator(model: Model, subgraph: Subgraph, operatorIndex: number): PlanOperator {
  const operator = subgraph.operators[operatorIndex];
  const where = `operator ${operatorIndex} (${operator.op === 'CUSTOM' && operator.customCode !== null ? `CUSTOM ${operator.customCode}` : operator.op})`;
  const fail = (detail: string): never => { throw new TinymlPlanError(`${where}: ${detail}`); };
  const builder = PLAN_BUILDERS[operator.op];
  if (builder === undefined) {
    return fail(`the C runtime has no kernel for it; supported: ${Object.keys(PLAN_BUILDERS).join(', ')}`);
  }
  return builder({ model, subgraph, operator, fail });
}
