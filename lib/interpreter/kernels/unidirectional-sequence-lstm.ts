// UNIDIRECTIONAL_SEQUENCE_LSTM after TFLM's micro/kernels/unidirectional_sequence_lstm.cc and the
// 2023 lstm_eval.h / lstm_eval.cc / lstm_eval_common.cc: per time step, four gates
// activation(FC(input) + FC(hidden state)), then cell = forget * cell + input * cell gate (clipped),
// hidden = tanh(cell) * output gate, copied to the output. The hidden and cell states are
// variable tensors that carry over between invokes. float32; int8 activations with int8 weights,
// int32 biases and an int16 cell state (gates in Q3.12 -> Q0.15); int16 activations (16x8) in
// unidirectional-sequence-lstm-16x8.ts.
import { ActivationFunctionType, UnidirectionalSequenceLSTMOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp, ScratchBuffer } from './kernel.js';
import { int16Sigmoid, int16Tanh, int16TanhScale } from './lstm-common.js';
import { floatUnits } from './fully-connected.js';
import { prepareInt16x8 } from './unidirectional-sequence-lstm-16x8.js';
import { int8Bound, PackedInt8Rows, SLOTS_PER_BLOCK } from './int8-packed-rows.js';
import { activationName, ChannelMultipliers, quantizeMultiplier } from './quantization.js';

// Input positions (TFLM's lstm_shared.h).
const INPUT = 0;
const INPUT_TO_WEIGHTS = [1, 2, 3, 4] as const; // input, forget, cell, output gates
const RECURRENT_TO_WEIGHTS = [5, 6, 7, 8] as const;
const GATE_BIASES = [12, 13, 14, 15] as const;
const OUTPUT_STATE = 18;
const CELL_STATE = 19;
/** Peephole (9-11), projection (16-17) and layer norm (20-23): LSTM variants TFLM rejects. */
const UNSUPPORTED_INPUTS = [9, 10, 11, 16, 17, 20, 21, 22, 23];
export const GATE_INPUT = 0;
export const GATE_FORGET = 1;
export const GATE_CELL = 2;
export const GATE_OUTPUT = 3;

/** Q3.12: the scale of every gate's FC output (the int16 nonlinearities' input). */
export const GATE_INPUT_SCALE = 2 ** -12;
/** Q0.15: the scale of every gate's output. */
export const GATE_OUTPUT_SCALE = 2 ** -15;

export interface Sizes {
  timeMajor: boolean;
  batches: number;
  timeSteps: number;
  inputDim: number;
  stateDim: number;
  /** Batches computed together in one step: all of them when time major, else one. */
  stepBatches: number;
}

export interface LstmTensors {
  input: RuntimeTensor;
  inputWeights: RuntimeTensor[];
  recurrentWeights: RuntimeTensor[];
  biases: RuntimeTensor[];
  hidden: RuntimeTensor;
  cell: RuntimeTensor;
  output: RuntimeTensor;
}

export function optionsOf(operator: Operator): UnidirectionalSequenceLSTMOptionsT {
  return operator.builtinOptions instanceof UnidirectionalSequenceLSTMOptionsT
    ? operator.builtinOptions : new UnidirectionalSequenceLSTMOptionsT();
}

function required(ctx: PrepareContext, position: number, what: string): RuntimeTensor {
  const tensor = ctx.inputs[position];
  if (tensor === null || tensor === undefined) throw ctx.error(`missing ${what} (input ${position})`);
  return tensor;
}

/** LstmTensors::ValidateTensorStatus. */
export function lstmTensors(ctx: PrepareContext): LstmTensors {
  const input = required(ctx, INPUT, 'input');
  const inputWeights = INPUT_TO_WEIGHTS.map((i) => required(ctx, i, 'input-to-gate weights'));
  const recurrentWeights = RECURRENT_TO_WEIGHTS.map((i) => required(ctx, i, 'recurrent-to-gate weights'));
  const biases = GATE_BIASES.map((i) => required(ctx, i, 'gate bias'));
  const hidden = required(ctx, OUTPUT_STATE, 'output (hidden) state');
  const cell = required(ctx, CELL_STATE, 'cell state');
  const output = ctx.outputs[0];
  if (output === undefined) throw ctx.error('missing output');
  for (const i of UNSUPPORTED_INPUTS) {
    if ((ctx.inputs[i] ?? null) !== null) throw ctx.error(`input ${i} is set: peephole, projection and layer-norm LSTMs are not supported`);
  }
  if (!hidden.isVariable) throw ctx.error('the output (hidden) state must be a variable tensor');
  if (!cell.isVariable) throw ctx.error('the cell state must be a variable tensor');
  if (hidden.dtype !== input.dtype) throw ctx.error(`hidden state is ${hidden.dtype}, input is ${input.dtype}`);
  if (output.dtype !== input.dtype) throw ctx.error(`output is ${output.dtype}, input is ${input.dtype}`);
  const weightType = inputWeights[1].dtype;
  for (const w of [...inputWeights, ...recurrentWeights]) {
    if (w.dtype !== weightType) throw ctx.error(`weights mix ${weightType} and ${w.dtype}`);
  }
  const biasType = biases[1].dtype;
  for (const b of biases) if (b.dtype !== biasType) throw ctx.error(`biases mix ${biasType} and ${b.dtype}`);
  return { input, inputWeights, recurrentWeights, biases, hidden, cell, output };
}

/** CreateLstmSizeInfo + ValidateTensorSize. */
export function lstmSizes(ctx: PrepareContext, t: LstmTensors): Sizes {
  const { input, hidden, cell, output } = t;
  if (input.shape.length !== 3) throw ctx.error(`input must have 3 dimensions, has shape [${input.shape.join(', ')}]`);
  if (hidden.shape.length < 1) throw ctx.error('hidden state has no dimensions');
  const timeMajor = optionsOf(ctx.operator).timeMajor;
  const batches = timeMajor ? input.shape[1] : input.shape[0];
  const timeSteps = timeMajor ? input.shape[0] : input.shape[1];
  const inputDim = input.shape[2];
  const stateDim = hidden.shape[hidden.shape.length - 1];
  const expectShape = (tensor: RuntimeTensor, dims: number[], what: string): void => {
    if (tensor.shape.length !== dims.length || tensor.shape.some((d, i) => d !== dims[i])) {
      throw ctx.error(`${what} has shape [${tensor.shape.join(', ')}], expected [${dims.join(', ')}]`);
    }
  };
  t.inputWeights.forEach((w) => expectShape(w, [stateDim, inputDim], 'input-to-gate weights'));
  t.recurrentWeights.forEach((w) => expectShape(w, [stateDim, stateDim], 'recurrent-to-gate weights'));
  t.biases.forEach((b) => expectShape(b, [stateDim], 'gate bias'));
  for (const [state, what] of [[hidden, 'hidden state'], [cell, 'cell state']] as const) {
    if (state.elementCount !== batches * stateDim) throw ctx.error(`${what} has ${state.elementCount} elements, expected ${batches * stateDim}`);
  }
  expectShape(output, [input.shape[0], input.shape[1], stateDim], 'output');
  return { timeMajor, batches, timeSteps, inputDim, stateDim, stepBatches: timeMajor ? batches : 1 };
}

/**
 * The cell gate's nonlinearity: TFLM's CalculateLstmGate has sigmoid and tanh, and the schema's
 * fused activations can only name tanh.
 */
export function checkCellActivation(ctx: PrepareContext): void {
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  if (activation !== ActivationFunctionType.TANH) throw ctx.error(`unsupported cell gate activation ${activationName(activation)}`);
}

/**
 * EvalLstm's walk over the sequence (LstmStepManager): time major steps all batches at once;
 * batch major runs each batch's sequence in turn with its own slice of the states.
 */
export function runSequence(sizes: Sizes, step: (inputOffset: number, stateOffset: number, outputOffset: number) => void): void {
  const { timeMajor, batches, timeSteps, inputDim, stateDim } = sizes;
  const inputStep = timeMajor ? inputDim * batches : inputDim;
  const outputStep = timeMajor ? stateDim * batches : stateDim;
  let inputOffset = 0;
  let outputOffset = 0;
  let stateOffset = 0;
  const sequences = timeMajor ? 1 : batches;
  for (let b = 0; b < sequences; b++) {
    for (let t = 0; t < timeSteps; t++) {
      step(inputOffset, stateOffset, outputOffset);
      inputOffset += inputStep;
      outputOffset += outputStep;
    }
    stateOffset += timeMajor ? 0 : stateDim;
  }
}

/** Four gate-sized scratch arrays in the arena (TFLM's LSTMBuffers), viewed once bound. */
export function gateBuffers<T extends Float32Array | Int16Array>(
  ctx: PrepareContext, count: number, make: (buffer: ArrayBufferLike, byteOffset: number, length: number) => T, bytesPer: number,
): () => T[] {
  const scratch: ScratchBuffer = ctx.requestScratch(4 * count * bytesPer);
  const views: T[] = [];
  return (): T[] => {
    const bytes = scratch.bytes;
    if (views.length === 0 || views[0].buffer !== bytes.buffer || views[0].byteOffset !== bytes.byteOffset) {
      views.length = 0;
      for (let i = 0; i < 4; i++) views.push(make(bytes.buffer, bytes.byteOffset + i * count * bytesPer, count));
    }
    return views;
  };
}

// ---------------------------------------------------------------------------------------------
// float32

const SIGMOID_CUTOFF_UPPER = Math.fround(16.619047164916992188);
const SIGMOID_CUTOFF_LOWER = -9;

/** reference_ops::FullyConnected (float32, no activation): rows of x times w^T (+ bias). */
function fullyConnectedFloat(
  x: Float32Array, xOffset: number, w: Float32Array, bias: Float32Array | null,
  batches: number, depth: number, units: number, out: Float32Array,
): void {
  // No bias adds 0, which leaves every float32 sum as it is (a sum from +0 is never -0); no clamp.
  for (let b = 0; b < batches; b++) floatUnits(x, xOffset + b * depth, w, bias, depth, units, out, b * units, -Infinity, Infinity);
}

function prepareFloat(ctx: PrepareContext, t: LstmTensors, sizes: Sizes): PreparedOp {
  for (const w of [...t.inputWeights, ...t.recurrentWeights, ...t.biases, t.cell]) {
    if (w.dtype !== 'float32') throw ctx.error(`float32 input needs float32 weights, biases and cell state, got ${w.dtype}`);
  }
  checkCellActivation(ctx);
  const cellClip = optionsOf(ctx.operator).cellClip;
  const { inputDim, stateDim, stepBatches } = sizes;
  const count = stepBatches * stateDim;
  const buffers = gateBuffers(ctx, count, (buffer, offset, length) => new Float32Array(buffer, offset, length), 4);
  let gates: Float32Array[] = [];

  const gate = (index: number, inputOffset: number, stateOffset: number, out: Float32Array, scratch: Float32Array, tanh: boolean): void => {
    fullyConnectedFloat(t.input.data as Float32Array, inputOffset, t.inputWeights[index].data as Float32Array,
      t.biases[index].data as Float32Array, stepBatches, inputDim, stateDim, out);
    fullyConnectedFloat(t.hidden.data as Float32Array, stateOffset, t.recurrentWeights[index].data as Float32Array,
      null, stepBatches, stateDim, stateDim, scratch);
    for (let i = 0; i < count; i++) {
      const v = Math.fround(out[i] + scratch[i]);
      if (tanh) out[i] = Math.tanh(v);
      else out[i] = v > SIGMOID_CUTOFF_UPPER ? 1 : v < SIGMOID_CUTOFF_LOWER ? Math.exp(v) : 1 / Math.fround(1 + Math.fround(Math.exp(-v)));
    }
  };

  const step = (inputOffset: number, stateOffset: number, outputOffset: number): void => {
    const forget = gates[0];
    const inputGate = gates[1];
    const cellGate = gates[2];
    const scratch = gates[3];
    gate(GATE_FORGET, inputOffset, stateOffset, forget, scratch, false);
    gate(GATE_INPUT, inputOffset, stateOffset, inputGate, scratch, false);
    gate(GATE_CELL, inputOffset, stateOffset, cellGate, scratch, true);
    const c = t.cell.data as Float32Array;
    for (let i = 0; i < count; i++) {
      const updated = Math.fround(Math.fround(forget[i] * c[stateOffset + i]) + Math.fround(inputGate[i] * cellGate[i]));
      c[stateOffset + i] = cellClip > 0 ? Math.max(Math.min(cellClip, updated), -cellClip) : updated;
    }
    const outputGate = inputGate;
    gate(GATE_OUTPUT, inputOffset, stateOffset, outputGate, scratch, false);
    const h = t.hidden.data as Float32Array;
    const y = t.output.data as Float32Array;
    for (let i = 0; i < count; i++) {
      const value = Math.fround(Math.fround(Math.tanh(c[stateOffset + i])) * outputGate[i]);
      h[stateOffset + i] = value;
      y[outputOffset + i] = value;
    }
  };

  return {
    invoke(): void {
      gates = buffers();
      runSequence(sizes, step);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// int8 activations, int8 weights, int32 biases, int16 cell state

/** One gate's two fully connected layers (input and recurrent), weights packed in prepare. */
interface GateFc {
  inputWeights: PackedInt8Rows;
  recurrentWeights: PackedInt8Rows;
  bias: RuntimeTensor;
  /** Channel 0: the input FC's multiplier into Q3.12. */
  inputMultiplier: ChannelMultipliers;
  recurrentMultiplier: ChannelMultipliers;
}

export function perTensor(ctx: PrepareContext, tensor: RuntimeTensor, what: string): void {
  if (tensor.quantization === null || tensor.scales.length === 0) throw ctx.error(`${what} is not quantized`);
  if (tensor.scales.length > 1) throw ctx.error(`${what} has per-channel quantization; the LSTM needs one scale`);
}

/** A constant int8 weight matrix, packed for PackedInt8Rows' exact dot products; weights the graph computes are packed per invoke. */
function packedWeights(weights: RuntimeTensor, inputOffset: number): PackedInt8Rows {
  const [rows, depth] = weights.shape;
  return new PackedInt8Rows(weights.isConstant ? weights.data as Int8Array : null, rows, depth, -weights.zeroPoint, int8Bound(inputOffset));
}

/** CreateGateParams: each FC's multiplier as GetQuantizedConvolutionMultipler, into Q3.12. */
function gateFc(ctx: PrepareContext, t: LstmTensors, index: number): GateFc {
  const inputWeights = t.inputWeights[index];
  const recurrentWeights = t.recurrentWeights[index];
  perTensor(ctx, inputWeights, 'input-to-gate weights');
  perTensor(ctx, recurrentWeights, 'recurrent-to-gate weights');
  const input = quantizeMultiplier((t.input.scale * inputWeights.scale) / GATE_INPUT_SCALE);
  const recurrent = quantizeMultiplier((t.hidden.scale * recurrentWeights.scale) / GATE_INPUT_SCALE);
  return {
    inputWeights: packedWeights(inputWeights, -t.input.zeroPoint),
    recurrentWeights: packedWeights(recurrentWeights, -t.hidden.zeroPoint),
    bias: t.biases[index],
    inputMultiplier: new ChannelMultipliers(Int32Array.of(input.multiplier), Int32Array.of(input.shift)),
    recurrentMultiplier: new ChannelMultipliers(Int32Array.of(recurrent.multiplier), Int32Array.of(recurrent.shift)),
  };
}

/** CreateInterGateMulParams: double(scale1) * double(scale2) / double(output scale), as a one-channel ChannelMultipliers. */
function mulMultiplier(scale1: number, scale2: number, outputScale: number): ChannelMultipliers {
  const { multiplier, shift } = quantizeMultiplier((scale1 * scale2) / outputScale);
  return new ChannelMultipliers(Int32Array.of(multiplier), Int32Array.of(shift));
}

function saturateInt16(value: number): number {
  return value < -32768 ? -32768 : value > 32767 ? 32767 : value;
}

/** CheckedLog2: the power of two a cell state scale must be. */
function cellScalePower(ctx: PrepareContext, scale: number): number {
  const log = Math.log2(scale);
  const power = Math.round(log);
  if (!(Math.abs(log - power) < 1e-3)) throw ctx.error(`cell state scale ${scale} is not a power of two`);
  return power;
}

/** What the int8 and the 16x8 integer paths share: dtype checks and the cell's parameters (TFLM's CreateLstmCellStateInfo, CreateInterGateMulParams). */
export interface IntegerCell {
  cellScale: number;
  cellTanhScale: ReturnType<typeof int16TanhScale>;
  gateTanhScale: ReturnType<typeof int16TanhScale>;
  /** cell_clip as the model gives it (0: no clip), and in cell units truncated to int16. */
  cellClip: number;
  quantizedCellClip: number;
  hiddenZeroPoint: number;
  hiddenMin: number;
  hiddenMax: number;
  forgetMul: ChannelMultipliers;
  inputMul: ChannelMultipliers;
  outputMul: ChannelMultipliers;
}

export function integerCell(ctx: PrepareContext, t: LstmTensors): IntegerCell {
  const activationType = t.input.dtype;
  const biasType = activationType === 'int16' ? 'int64' : 'int32';
  for (const w of [...t.inputWeights, ...t.recurrentWeights]) {
    if (w.dtype !== 'int8') throw ctx.error(`${activationType} input needs int8 weights, got ${w.dtype}`);
  }
  for (const b of t.biases) {
    if (b.dtype !== biasType) throw ctx.error(`${activationType} input needs ${biasType} biases, got ${b.dtype}`);
    if (biasType === 'int64' && !b.isConstant) throw ctx.error('the int64 gate biases must be constant');
  }
  if (t.cell.dtype !== 'int16') throw ctx.error(`${activationType} input needs an int16 cell state, got ${t.cell.dtype}`);
  perTensor(ctx, t.input, 'input');
  perTensor(ctx, t.hidden, 'hidden state');
  perTensor(ctx, t.cell, 'cell state');
  checkCellActivation(ctx);
  const cellScale = t.cell.scale;
  const cellClip = optionsOf(ctx.operator).cellClip;
  return {
    cellScale,
    cellTanhScale: int16TanhScale(cellScalePower(ctx, cellScale)),
    gateTanhScale: int16TanhScale(-12),
    cellClip,
    quantizedCellClip: Math.trunc(Math.min(Math.max(cellClip / cellScale, -32768), 32767)),
    hiddenZeroPoint: t.hidden.zeroPoint,
    hiddenMin: activationType === 'int16' ? -32768 : -128,
    hiddenMax: activationType === 'int16' ? 32767 : 127,
    forgetMul: mulMultiplier(GATE_OUTPUT_SCALE, cellScale, cellScale),
    inputMul: mulMultiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, cellScale),
    outputMul: mulMultiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, t.hidden.scale),
  };
}

/** cell = forget * cell + input * cell gate, each product reference_integer_ops::MulElementwise into int16 (saturating), then clipped. */
export function updateCell(p: IntegerCell, forget: Int16Array, inputGate: Int16Array, cellGate: Int16Array, c: Int16Array, stateOffset: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const kept = saturateInt16(p.forgetMul.apply(forget[i] * c[stateOffset + i], 0));
    const added = saturateInt16(p.inputMul.apply(inputGate[i] * cellGate[i], 0));
    let updated = saturateInt16(kept + added);
    if (p.cellClip > 0) updated = Math.max(Math.min(p.quantizedCellClip, updated), -p.quantizedCellClip);
    c[stateOffset + i] = updated;
  }
}

/** hidden = tanh(cell) * output gate, into the hidden state and the output. */
export function updateHidden(p: IntegerCell, outputGate: Int16Array, c: Int16Array, h: Int8Array | Int16Array, y: Int8Array | Int16Array, stateOffset: number, outputOffset: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const activated = int16Tanh(c[stateOffset + i], p.cellTanhScale.multiplier, p.cellTanhScale.leftShift);
    let value = p.hiddenZeroPoint + p.outputMul.apply(activated * outputGate[i], 0);
    value = value < p.hiddenMin ? p.hiddenMin : value > p.hiddenMax ? p.hiddenMax : value;
    h[stateOffset + i] = value;
    y[outputOffset + i] = value;
  }
}

function prepareInt8(ctx: PrepareContext, t: LstmTensors, sizes: Sizes): PreparedOp {
  const cell = integerCell(ctx, t);
  const { gateTanhScale } = cell;
  const fcs = [0, 1, 2, 3].map((i) => gateFc(ctx, t, i));
  const hiddenZeroPoint = t.hidden.zeroPoint;
  const inputOffset = -t.input.zeroPoint;
  const hiddenOffset = -hiddenZeroPoint;
  const { inputDim, stateDim, stepBatches } = sizes;
  const count = stepBatches * stateDim;
  const buffers = gateBuffers(ctx, count, (buffer, offset, length) => new Int16Array(buffer, offset, length), 2);
  let gates: Int16Array[] = [];

  // The input side of every gate does not depend on the state, so it is computed for all rows
  // of the input (time steps x batches) before the sequence runs, four rows per weight load:
  // fromInput[gate][row * stateDim + unit], already requantized to Q3.12 and saturated.
  const rows = t.input.elementCount / inputDim;
  const inputRows = new Float64Array(rows * inputDim);
  const rowStarts = Int32Array.from({ length: rows }, (_, i) => i * inputDim);
  const firstRun = Int32Array.of(0);
  const slotSums = new Float64Array(4 * fcs[0].inputWeights.blocks * SLOTS_PER_BLOCK);
  const inputSums = new Float64Array(stateDim);
  const fromInput = fcs.map(() => new Int16Array(rows * stateDim));
  const weighInputs = (): void => {
    const x = t.input.data as Int8Array;
    for (let i = 0; i < inputRows.length; i++) inputRows[i] = x[i] + inputOffset;
    for (let index = 0; index < fcs.length; index++) {
      const fc = fcs[index];
      const weights = fc.inputWeights;
      if (!weights.constant) weights.pack(t.inputWeights[index].data as Int8Array);
      const bias = fc.bias.data as Int32Array;
      const gateInputs = fromInput[index];
      const slots = weights.blocks * SLOTS_PER_BLOCK;
      let row = 0;
      // Whole groups of four rows share the weight loads; the rest go one by one.
      for (; row + 4 <= rows; row += 4) {
        weights.multiplyFour(inputRows, rowStarts, row, firstRun, inputDim, slotSums);
        for (let k = 0; k < 4; k++) {
          weights.unpack(slotSums, k * slots, inputSums, 0);
          requantizeInputs(fc, bias, inputSums, gateInputs, row + k);
        }
      }
      for (; row < rows; row++) {
        weights.multiply(inputRows, row * inputDim, inputSums);
        requantizeInputs(fc, bias, inputSums, gateInputs, row);
      }
    }
  };
  const requantizeInputs = (fc: GateFc, bias: Int32Array, sums: Float64Array, gateInputs: Int16Array, row: number): void => {
    for (let unit = 0; unit < stateDim; unit++) {
      gateInputs[row * stateDim + unit] = saturateInt16(fc.inputMultiplier.apply((sums[unit] + bias[unit]) | 0, 0));
    }
  };

  // This step's hidden state plus its offset, and one FC's exact sums.
  const hiddenRows = new Float64Array(stepBatches * stateDim);
  const recurrentSums = new Float64Array(stateDim);
  const weighHidden = (stateOffset: number): void => {
    const h = t.hidden.data as Int8Array;
    for (let i = 0; i < hiddenRows.length; i++) hiddenRows[i] = h[stateOffset + i] + hiddenOffset;
  };

  /** activation(FC(input) + FC(hidden)), each FC int8 -> int16 in Q3.12 (reference_integer_ops::FullyConnected) and saturated. */
  const gate = (index: number, inputRow: number, out: Int16Array, tanh: boolean): void => {
    const fc = fcs[index];
    if (!fc.recurrentWeights.constant) fc.recurrentWeights.pack(t.recurrentWeights[index].data as Int8Array);
    const gateInputs = fromInput[index];
    for (let batch = 0; batch < stepBatches; batch++) {
      fc.recurrentWeights.multiply(hiddenRows, batch * stateDim, recurrentSums);
      const inputBase = (inputRow + batch) * stateDim;
      for (let unit = 0; unit < stateDim; unit++) {
        const fromHidden = saturateInt16(fc.recurrentMultiplier.apply(recurrentSums[unit] | 0, 0));
        const sum = saturateInt16(gateInputs[inputBase + unit] + fromHidden);
        out[batch * stateDim + unit] = tanh ? int16Tanh(sum, gateTanhScale.multiplier, gateTanhScale.leftShift) : int16Sigmoid(sum);
      }
    }
  };

  const step = (inputStart: number, stateOffset: number, outputOffset: number): void => {
    const forget = gates[0];
    const inputGate = gates[1];
    const cellGate = gates[2];
    const inputRow = inputStart / inputDim;
    weighHidden(stateOffset);
    gate(GATE_FORGET, inputRow, forget, false);
    gate(GATE_INPUT, inputRow, inputGate, false);
    gate(GATE_CELL, inputRow, cellGate, true);
    const c = t.cell.data as Int16Array;
    updateCell(cell, forget, inputGate, cellGate, c, stateOffset, count);
    const outputGate = inputGate;
    gate(GATE_OUTPUT, inputRow, outputGate, false);
    updateHidden(cell, outputGate, c, t.hidden.data as Int8Array, t.output.data as Int8Array, stateOffset, outputOffset, count);
  };

  return {
    invoke(): void {
      gates = buffers();
      weighInputs();
      runSequence(sizes, step);
    },
  };
}

export const UNIDIRECTIONAL_SEQUENCE_LSTM: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const [input, , forgetWeights] = inputDtypes;
    return (input === 'float32' && forgetWeights === 'float32') || ((input === 'int8' || input === 'int16') && forgetWeights === 'int8');
  },
  prepare(ctx): PreparedOp {
    const tensors = lstmTensors(ctx);
    const sizes = lstmSizes(ctx, tensors);
    if (tensors.input.dtype === 'float32') return prepareFloat(ctx, tensors, sizes);
    if (tensors.input.dtype === 'int8') return prepareInt8(ctx, tensors, sizes);
    if (tensors.input.dtype === 'int16') return prepareInt16x8(ctx, tensors, sizes);
    throw ctx.error(`unsupported input dtype ${tensors.input.dtype}`);
  },
};
