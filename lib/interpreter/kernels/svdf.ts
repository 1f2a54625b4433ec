// SVDF after TFLM's micro/kernels/svdf.cc and svdf_common.cc (reference path): float32
// (EvalFloatSvdfReference) and int8 input with int16 or int8 time weights and activation state
// (EvalIntegerSvdfReference). The activation state is a variable tensor that keeps the last
// memory_size feature activations of every filter; each invoke shifts it left by one element and
// writes the new activations into the last column.
import { SVDFOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { perTensorQuantization } from './elementwise.js';
import { int8Bound, PackedInt8Rows } from './int8-packed-rows.js';
import { activationName, activationRangeFloat, ChannelMultipliers, integerRange, quantizeMultiplier } from './quantization.js';

export interface SvdfShapes {
  rank: number;
  batches: number;
  inputSize: number;
  filters: number;
  units: number;
  memorySize: number;
}

export interface SvdfTensors {
  input: RuntimeTensor;
  weightsFeature: RuntimeTensor;
  weightsTime: RuntimeTensor;
  bias: RuntimeTensor | null;
  state: RuntimeTensor;
  output: RuntimeTensor;
}

export function optionsOf(operator: Operator): SVDFOptionsT {
  return operator.builtinOptions instanceof SVDFOptionsT ? operator.builtinOptions : new SVDFOptionsT();
}

function required(ctx: PrepareContext, position: number, what: string): RuntimeTensor {
  const tensor = ctx.inputs[position];
  if (tensor === null || tensor === undefined) throw ctx.error(`missing ${what} (input ${position})`);
  return tensor;
}

function shapeText(tensor: RuntimeTensor): string {
  return `[${tensor.shape.join(', ')}]`;
}

/** PrepareSvdf's shape checks. */
export function checkShapes(ctx: PrepareContext, t: SvdfTensors): SvdfShapes {
  const { input, weightsFeature, weightsTime, bias, state, output } = t;
  const rank = optionsOf(ctx.operator).rank;
  for (const [tensor, what] of [[input, 'input'], [weightsFeature, 'weights_feature'], [weightsTime, 'weights_time'], [state, 'activation state'], [output, 'output']] as const) {
    if (tensor.shape.length !== 2) throw ctx.error(`${what} must have 2 dimensions, has shape ${shapeText(tensor)}`);
  }
  const [batches, inputSize] = input.shape;
  const filters = weightsFeature.shape[0];
  if (rank <= 0 || filters % rank !== 0) throw ctx.error(`weights_feature has ${filters} filters, not a multiple of rank ${rank}`);
  const units = filters / rank;
  const memorySize = weightsTime.shape[1];
  if (weightsFeature.shape[1] !== inputSize) throw ctx.error(`weights_feature shape ${shapeText(weightsFeature)} does not match input shape ${shapeText(input)}`);
  if (weightsTime.shape[0] !== filters) throw ctx.error(`weights_time shape ${shapeText(weightsTime)} does not have ${filters} filters`);
  if (bias !== null && bias.elementCount !== units) throw ctx.error(`bias has ${bias.elementCount} elements, expected ${units}`);
  if (state.shape[0] !== batches || state.shape[1] !== memorySize * filters) {
    throw ctx.error(`activation state shape ${shapeText(state)}, expected [${batches}, ${memorySize * filters}]`);
  }
  if (!state.isVariable) throw ctx.error('activation state (input 4) must be a variable tensor');
  if (output.shape[0] !== batches || output.shape[1] !== units) throw ctx.error(`output shape ${shapeText(output)}, expected [${batches}, ${units}]`);
  return { rank, batches, inputSize, filters, units, memorySize };
}

function prepareFloat(ctx: PrepareContext, t: SvdfTensors, s: SvdfShapes): PreparedOp {
  for (const [tensor, what] of [[t.weightsFeature, 'weights_feature'], [t.weightsTime, 'weights_time'], [t.bias, 'bias'], [t.state, 'activation state'], [t.output, 'output']] as const) {
    if (tensor !== null && tensor.dtype !== 'float32') throw ctx.error(`float32 input needs a float32 ${what}, got ${tensor.dtype}`);
  }
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const range = activationRangeFloat(activation);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(activation)}`);
  const [activationMin, activationMax] = range;
  const { rank, batches, inputSize, filters, units, memorySize } = s;
  const { input, weightsFeature, weightsTime, bias, state, output } = t;
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const wf = weightsFeature.data as Float32Array;
      const wt = weightsTime.data as Float32Array;
      const b = bias === null ? null : bias.data as Float32Array;
      const memory = state.data as Float32Array;
      const y = output.data as Float32Array;
      memory.copyWithin(0, 1);
      // Float sums rounded at every step, in the reference order.
      for (let batch = 0; batch < batches; batch++) {
        for (let filter = 0; filter < filters; filter++) {
          let dot = 0;
          for (let k = 0; k < inputSize; k++) dot = Math.fround(dot + Math.fround(wf[filter * inputSize + k] * x[batch * inputSize + k]));
          memory[(batch * filters + filter) * memorySize + memorySize - 1] = dot;
        }
      }
      for (let batch = 0; batch < batches; batch++) {
        for (let unit = 0; unit < units; unit++) {
          let total = b === null ? 0 : b[unit];
          for (let r = 0; r < rank; r++) {
            const filter = unit * rank + r;
            const stateBase = (batch * filters + filter) * memorySize;
            let dot = 0;
            for (let m = 0; m < memorySize; m++) dot = Math.fround(dot + Math.fround(wt[filter * memorySize + m] * memory[stateBase + m]));
            total = Math.fround(total + dot);
          }
          y[batch * units + unit] = Math.min(Math.max(total, activationMin), activationMax);
        }
      }
    },
  };
}

function prepareInt8(ctx: PrepareContext, t: SvdfTensors, s: SvdfShapes): PreparedOp {
  const { input, weightsFeature, weightsTime, bias, state, output } = t;
  if (weightsFeature.dtype !== 'int8') throw ctx.error(`int8 input needs int8 weights_feature, got ${weightsFeature.dtype}`);
  if (weightsTime.dtype !== 'int16' && weightsTime.dtype !== 'int8') throw ctx.error(`int8 input needs int16 or int8 weights_time, got ${weightsTime.dtype}`);
  if (state.dtype !== weightsTime.dtype) throw ctx.error(`activation state is ${state.dtype}, weights_time is ${weightsTime.dtype}: they must match`);
  if (bias !== null && bias.dtype !== 'int32') throw ctx.error(`int8 input needs an int32 bias, got ${bias.dtype}`);
  if (output.dtype !== 'int8') throw ctx.error(`int8 input needs an int8 output, got ${output.dtype}`);
  for (const [tensor, what] of [[input, 'input'], [weightsFeature, 'weights_feature'], [weightsTime, 'weights_time'], [state, 'activation state'], [output, 'output']] as const) {
    perTensorQuantization(ctx, tensor, what);
  }
  // PrepareSvdf computes both scales in float and widens the result to double.
  const stateTimeScale = Math.fround(Math.fround(state.scale) * Math.fround(weightsTime.scale));
  const effectiveScale1 = Math.fround(Math.fround(Math.fround(input.scale) * Math.fround(weightsFeature.scale)) / Math.fround(state.scale));
  const effectiveScale2 = Math.fround(stateTimeScale / Math.fround(output.scale));
  if (bias !== null && !(Math.abs(bias.scale - stateTimeScale) < 1e-5)) {
    throw ctx.error(`bias scale ${bias.scale} differs from activation state scale x weights_time scale ${stateTimeScale} by 1e-5 or more`);
  }
  const feature = quantizeMultiplier(effectiveScale1);
  const time = quantizeMultiplier(effectiveScale2);
  const featureMultiplier = new ChannelMultipliers(Int32Array.of(feature.multiplier), Int32Array.of(feature.shift));
  const timeMultiplier = new ChannelMultipliers(Int32Array.of(time.multiplier), Int32Array.of(time.shift));
  const inputZeroPoint = input.zeroPoint;
  const stateZeroPoint = state.zeroPoint;
  const outputZeroPoint = output.zeroPoint;
  const [stateMin, stateMax] = integerRange(state.dtype);
  const { rank, batches, inputSize, filters, units, memorySize } = s;
  const features = new PackedInt8Rows(weightsFeature.isConstant ? weightsFeature.data as Int8Array : null, filters, inputSize, 0,
    int8Bound(-inputZeroPoint));
  // One input row minus its zero point, and the filters' exact sums.
  const row = new Float64Array(inputSize);
  const sums = new Float64Array(filters);
  // Each unit's sum of its rank x memory_size time weights, for the state zero point.
  const timeSums = new Float64Array(units);
  let timeSummed = false;
  const sumTimeWeights = (wt: Int16Array | Int8Array): void => {
    timeSums.fill(0);
    for (let i = 0; i < units * rank * memorySize; i++) timeSums[Math.trunc(i / (rank * memorySize))] += wt[i];
    timeSummed = true;
  };
  return {
    invoke(): void {
      if (!features.constant) features.pack(weightsFeature.data as Int8Array);
      const x = input.data as Int8Array;
      const wt = weightsTime.data as Int16Array | Int8Array;
      if (!weightsTime.isConstant || !timeSummed) sumTimeWeights(wt);
      const b = bias === null ? null : bias.data as Int32Array;
      const memory = state.data as Int16Array | Int8Array;
      const y = output.data as Int8Array;
      memory.copyWithin(0, 1);
      for (let batch = 0; batch < batches; batch++) {
        for (let k = 0; k < inputSize; k++) row[k] = x[batch * inputSize + k] - inputZeroPoint;
        features.multiply(row, 0, sums);
        for (let filter = 0; filter < filters; filter++) {
          // The exact sum wraps to the C kernel's int32 accumulator.
          let value = featureMultiplier.apply(sums[filter] | 0, 0);
          if (value < stateMin) value = stateMin;
          if (value > stateMax) value = stateMax;
          // TFLM @ 90b983c2 adds the state zero point after the clamp, so an int8 state can wrap
          // (tflite-micro issue #2721, not fixed there); the typed-array store wraps the same way.
          memory[(batch * filters + filter) * memorySize + memorySize - 1] = value + stateZeroPoint;
        }
      }
      for (let batch = 0; batch < batches; batch++) {
        for (let unit = 0; unit < units; unit++) {
          // Exact in a double (|each product| < 2^31, a few hundred of them); | 0 then wraps as
          // C's int32 sums do, since wrapping commutes with addition.
          // sum(w * (state - zero point)) = sum(w * state) - zero point * sum(w).
          let total = (b === null ? 0 : b[unit]) - stateZeroPoint * timeSums[unit];
          for (let r = 0; r < rank; r++) {
            const filter = unit * rank + r;
            const stateBase = (batch * filters + filter) * memorySize;
            const timeBase = filter * memorySize;
            // Four independent sums; exact, so their order does not matter.
            let t0 = 0;
            let t1 = 0;
            let t2 = 0;
            let t3 = 0;
            let m = 0;
            for (; m + 4 <= memorySize; m += 4) {
              t0 += wt[timeBase + m] * memory[stateBase + m];
              t1 += wt[timeBase + m + 1] * memory[stateBase + m + 1];
              t2 += wt[timeBase + m + 2] * memory[stateBase + m + 2];
              t3 += wt[timeBase + m + 3] * memory[stateBase + m + 3];
            }
            for (; m < memorySize; m++) t0 += wt[timeBase + m] * memory[stateBase + m];
            total += (t0 + t1) + (t2 + t3);
          }
          let value = timeMultiplier.apply(total | 0, 0) + outputZeroPoint;
          if (value < -128) value = -128;
          if (value > 127) value = 127;
          y[batch * units + unit] = value;
        }
      }
    },
  };
}

/** The operator's five inputs and its output, named. */
export function svdfTensors(ctx: PrepareContext): SvdfTensors {
  if (ctx.inputs.length !== 5) throw ctx.error(`expected 5 inputs, got ${ctx.inputs.length}`);
  const output = ctx.outputs[0];
  if (output === undefined) throw ctx.error('missing output');
  return {
    input: required(ctx, 0, 'input'),
    weightsFeature: required(ctx, 1, 'weights_feature'),
    weightsTime: required(ctx, 2, 'weights_time'),
    bias: ctx.inputs[3] ?? null,
    state: required(ctx, 4, 'activation state'),
    output,
  };
}

export const SVDF: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const [input, weightsFeature] = inputDtypes;
    return (input === 'float32' && weightsFeature === 'float32') || (input === 'int8' && weightsFeature === 'int8');
  },
  prepare(ctx): PreparedOp {
    const tensors = svdfTensors(ctx);
    const shapes = checkShapes(ctx, tensors);
    if (tensors.input.dtype === 'float32') return prepareFloat(ctx, tensors, shapes);
    if (tensors.input.dtype === 'int8') return prepareInt8(ctx, tensors, shapes);
    throw ctx.error(`unsupported input dtype ${tensors.input.dtype}`);
  },
};
