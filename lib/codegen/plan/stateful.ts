// Plan builders for SVDF (a variable state tensor) and integer QUANTIZE (requantization between
// int8, int16 and int32, as keyword_scrambled_8bit uses it around its SVDF stack).
import { ActivationFunctionType, SVDFOptionsT, UnidirectionalSequenceLSTMOptionsT } from '../../model/schema/tflite.js';
import type { Tensor } from '../../model/types.js';
import { int16TanhScale } from '../../interpreter/kernels/lstm-common.js';
import { integerRange, quantizeMultiplier, roundHalfAwayFromZero } from '../../interpreter/kernels/quantization.js';
import { byteLengthOf, elementCount } from '../../model/dtype.js';
import { lookupTable } from './elementwise.js';
import { floatInt16 } from './float-int16.js';
import type { PlanOperator } from './format.js';
import { C_KERNELS } from './kernel-ids.js';
import { inputOf, outputOf, requireActivation, requireInt8, scaleOf, zeroPointOf, type OpContext } from './op-context.js';

const INTEGER_WIDTHS: Record<string, number> = { int8: 1, int16: 2, int32: 4 };

export function quantize(ctx: OpContext): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  if (input.dtype === 'int8' && output.dtype === 'int8') return lookupTable(ctx, ctx.model);
  if (input.dtype === 'float32' && output.dtype === 'int8') return quantizeFloat(ctx, inputIndex, outputIndex, input, output);
  if (input.dtype === 'float32' && output.dtype === 'int16') return floatInt16(ctx);
  requireActivation(ctx, input, 'input');
  const inBytes = INTEGER_WIDTHS[input.dtype];
  const outBytes = INTEGER_WIDTHS[output.dtype];
  if (inBytes === undefined || outBytes === undefined || input.dtype === 'int32' && output.dtype === 'int32') {
    return ctx.fail(`${input.dtype} to ${output.dtype}: the C runtime requantizes between int8, int16 and int32 only`);
  }
  // PrepareQuantizeReference: double(input scale) / double(output scale).
  const { multiplier, shift } = quantizeMultiplier(scaleOf(input) / scaleOf(output));
  const [min, max] = integerRange(output.dtype);
  return {
    kernelId: C_KERNELS.REQUANTIZE.id,
    params: [inputIndex, outputIndex, elementCount(input.shape), inBytes, outBytes, zeroPointOf(input), zeroPointOf(output), multiplier, shift, min, max],
  };
}

/** Float32 bits as an int32 that orders like the float (negative floats have their magnitude bits flipped). */
function orderKey(bits: number): number {
  return bits < 0 ? (bits ^ 0x7fffffff) : bits;
}

function floatOfKey(key: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setInt32(0, key < 0 ? key ^ 0x7fffffff : key);
  return view.getFloat32(0);
}

/**
 * QUANTIZE float32 -> int8 as 255 thresholds: for level -127..127 the order key of the smallest
 * float32 whose AffineQuantize (round half away from zero of the float32 quotient, plus the zero
 * point, clamped; as the TS kernel) reaches it. Searched over the keys of -inf..+inf.
 */
function quantizeFloat(ctx: OpContext, inputIndex: number, outputIndex: number, input: Tensor, output: Tensor): PlanOperator {
  requireActivation(ctx, input, 'input');
  if ((output.quantization?.scale.length ?? 0) !== 1) ctx.fail('output needs one scale');
  const scale = Math.fround(scaleOf(output));
  const zeroPoint = zeroPointOf(output);
  const level = (key: number): number => {
    const q = roundHalfAwayFromZero(Math.fround(floatOfKey(key) / scale)) + zeroPoint;
    return q < -128 ? -128 : q > 127 ? 127 : q;
  };
  const lowest = orderKey(0xff800000 | 0); // -inf
  const highest = 0x7f800000; // +inf
  const thresholds: number[] = [];
  for (let target = -127; target <= 127; target++) {
    if (level(highest) < target) {
      thresholds.push(0x7fffffff); // never reached
      continue;
    }
    let lo = lowest;
    let hi = highest;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (level(mid) >= target) hi = mid;
      else lo = mid + 1;
    }
    thresholds.push(lo);
  }
  return { kernelId: C_KERNELS.QUANTIZE_FLOAT.id, params: [inputIndex, outputIndex, elementCount(input.shape), ...thresholds] };
}

function shape2(ctx: OpContext, t: Tensor, what: string): [number, number] {
  if (t.shape.length !== 2) ctx.fail(`${what} has shape [${t.shape}], expected 2 dimensions`);
  return [t.shape[0], t.shape[1]];
}

export function svdf(ctx: OpContext): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [featuresIndex, features] = inputOf(ctx, 1, 'weights_feature');
  const [timesIndex, times] = inputOf(ctx, 2, 'weights_time');
  const biasIndex = ctx.operator.inputs[3] ?? -1;
  const [stateIndex, state] = inputOf(ctx, 4, 'activation state');
  const [outputIndex, output] = outputOf(ctx);
  for (const [t, what] of [[input, 'input'], [features, 'weights_feature'], [output, 'output']] as const) requireInt8(ctx, t, what);
  if (times.dtype !== state.dtype || (state.dtype !== 'int8' && state.dtype !== 'int16')) {
    ctx.fail(`weights_time ${times.dtype} and activation state ${state.dtype} must both be int8 or both int16`);
  }
  requireActivation(ctx, input, 'input');
  if (!state.isVariable) ctx.fail('activation state (input 4) must be a variable tensor');
  if (features.data === null || times.data === null) ctx.fail('weights must be constant');
  const options = ctx.operator.builtinOptions instanceof SVDFOptionsT ? ctx.operator.builtinOptions : new SVDFOptionsT();
  const [batches, inputSize] = shape2(ctx, input, 'input');
  const [filters] = shape2(ctx, features, 'weights_feature');
  const [, memory] = shape2(ctx, times, 'weights_time');
  if (options.rank <= 0 || filters % options.rank !== 0) ctx.fail(`${filters} filters is not a multiple of rank ${options.rank}`);
  if (byteLengthOf(state.dtype, elementCount(state.shape)) !== batches * filters * memory * INTEGER_WIDTHS[state.dtype]) {
    ctx.fail(`activation state shape [${state.shape}], expected [${batches}, ${filters * memory}]`);
  }
  // PrepareSvdf: both effective scales in float32 steps, widened to double.
  const f = Math.fround;
  const stateTimeScale = f(f(scaleOf(state)) * f(scaleOf(times)));
  const feature = quantizeMultiplier(f(f(f(scaleOf(input)) * f(scaleOf(features))) / f(scaleOf(state))));
  const time = quantizeMultiplier(f(stateTimeScale / f(scaleOf(output))));
  return {
    kernelId: C_KERNELS.SVDF.id,
    params: [inputIndex, featuresIndex, timesIndex, biasIndex, stateIndex, outputIndex, batches, inputSize, filters, filters / options.rank,
      options.rank, memory, zeroPointOf(input), zeroPointOf(state), zeroPointOf(output), feature.multiplier, feature.shift,
      time.multiplier, time.shift, INTEGER_WIDTHS[state.dtype]],
  };
}

/** Inputs of UNIDIRECTIONAL_SEQUENCE_LSTM (schema order): input-to-gate weights 1-4, recurrent 5-8, biases 12-15, states 18-19. */
const LSTM_INPUT_WEIGHTS = [1, 2, 3, 4];
const LSTM_RECURRENT_WEIGHTS = [5, 6, 7, 8];
const LSTM_BIASES = [12, 13, 14, 15];
const LSTM_UNSUPPORTED = [9, 10, 11, 16, 17, 20, 21, 22, 23];
const GATE_INPUT_SCALE = 2 ** -12; // Q3.12, every gate FC's output
const GATE_OUTPUT_SCALE = 2 ** -15; // Q0.15, every gate's output

export function lstm(ctx: OpContext): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [hiddenIndex, hidden] = inputOf(ctx, 18, 'output (hidden) state');
  const [cellIndex, cell] = inputOf(ctx, 19, 'cell state');
  const [outputIndex, output] = outputOf(ctx);
  for (const [t, what] of [[input, 'input'], [hidden, 'hidden state'], [output, 'output']] as const) requireInt8(ctx, t, what);
  requireActivation(ctx, input, 'input');
  if (cell.dtype !== 'int16' || !cell.isVariable || !hidden.isVariable) ctx.fail('needs variable int8 hidden and int16 cell states');
  for (const i of LSTM_UNSUPPORTED) if ((ctx.operator.inputs[i] ?? -1) >= 0) ctx.fail(`input ${i} is set: peephole, projection and layer-norm LSTMs are not supported`);
  const options = ctx.operator.builtinOptions instanceof UnidirectionalSequenceLSTMOptionsT
    ? ctx.operator.builtinOptions : new UnidirectionalSequenceLSTMOptionsT();
  if (options.fusedActivationFunction !== ActivationFunctionType.TANH) ctx.fail('the cell gate activation must be TANH');
  if (input.shape.length !== 3) ctx.fail(`input has shape [${input.shape}], expected 3 dimensions`);
  const batches = options.timeMajor ? input.shape[1] : input.shape[0];
  const steps = options.timeMajor ? input.shape[0] : input.shape[1];
  const inputDim = input.shape[2];
  const stateDim = hidden.shape[hidden.shape.length - 1];
  const gates = [0, 1, 2, 3].flatMap((g) => {
    const [inW, wIn] = inputOf(ctx, LSTM_INPUT_WEIGHTS[g], 'input-to-gate weights');
    const [recW, wRec] = inputOf(ctx, LSTM_RECURRENT_WEIGHTS[g], 'recurrent-to-gate weights');
    const [biasIndex, bias] = inputOf(ctx, LSTM_BIASES[g], 'gate bias');
    for (const [w, what] of [[wIn, 'input-to-gate weights'], [wRec, 'recurrent-to-gate weights']] as const) {
      requireInt8(ctx, w, what);
      if (w.data === null || zeroPointOf(w) !== 0 || (w.quantization?.scale.length ?? 0) !== 1) ctx.fail(`${what} must be constant, per-tensor, zero point 0`);
    }
    if (bias.dtype !== 'int32' || bias.data === null) ctx.fail('gate biases must be constant int32');
    // CreateGateParams: GetQuantizedConvolutionMultipler into Q3.12.
    const qi = quantizeMultiplier((scaleOf(input) * scaleOf(wIn)) / GATE_INPUT_SCALE);
    const qr = quantizeMultiplier((scaleOf(hidden) * scaleOf(wRec)) / GATE_INPUT_SCALE);
    return [inW, recW, biasIndex, qi.multiplier, qi.shift, qr.multiplier, qr.shift];
  });
  const cellScale = scaleOf(cell);
  const power = Math.round(Math.log2(cellScale));
  if (!(Math.abs(Math.log2(cellScale) - power) < 1e-3)) ctx.fail(`cell state scale ${cellScale} is not a power of two`);
  const cellTanh = int16TanhScale(power);
  const gateTanh = int16TanhScale(-12);
  const clip = Math.trunc(Math.min(Math.max(options.cellClip / cellScale, -32768), 32767));
  const mul = (a: number, b: number, out: number): number[] => {
    const q = quantizeMultiplier((a * b) / out);
    return [q.multiplier, q.shift];
  };
  const count = (options.timeMajor ? batches : 1) * stateDim;
  return {
    kernelId: C_KERNELS.LSTM.id,
    scratchBytes: 3 * count * 2,
    scratchParam: 4,
    params: [inputIndex, hiddenIndex, cellIndex, outputIndex, 0, options.timeMajor ? 1 : 0, batches, steps, inputDim, stateDim,
      -zeroPointOf(input), -zeroPointOf(hidden), zeroPointOf(hidden), clip, options.cellClip > 0 ? 1 : 0,
      cellTanh.multiplier, cellTanh.leftShift, gateTanh.multiplier, gateTanh.leftShift,
      ...mul(GATE_OUTPUT_SCALE, cellScale, cellScale), ...mul(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, cellScale),
      ...mul(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, scaleOf(hidden)), ...gates],
  };
}
