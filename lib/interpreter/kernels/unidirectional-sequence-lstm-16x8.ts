// UNIDIRECTIONAL_SEQUENCE_LSTM with int16 activations, int8 weights, int64 biases and an int16
// cell state (16x8), after TFLM's lstm_eval EvalLstm<int16_t, int8_t, int16_t, int64_t>: the gate
// FCs keep TFLM's loop as written (int64 accumulator exact in a double), where the int8 path in
// unidirectional-sequence-lstm.ts runs on packed weights for speed.
import type { RuntimeTensor } from '../tensor.js';
import type { PrepareContext, PreparedOp } from './kernel.js';
import { int16Sigmoid, int16Tanh, int16TanhScale } from './lstm-common.js';
import {
  activationName, checkedLog2, integerRange, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierInt64, quantizeMultiplier,
} from './quantization.js';
import {
  checkCellActivation, GATE_CELL, GATE_FORGET, GATE_INPUT, GATE_INPUT_SCALE, GATE_OUTPUT, GATE_OUTPUT_SCALE, gateBuffers,
  optionsOf, runSequence, type LstmTensors, type Sizes,
} from './unidirectional-sequence-lstm.js';

// ---------------------------------------------------------------------------------------------
// Integer: int8 activations with int32 biases, or int16 activations with int64 biases; int8
// weights and an int16 cell state in both

interface GateFc {
  inputWeights: RuntimeTensor;
  recurrentWeights: RuntimeTensor;
  bias: RuntimeTensor;
  /** An int64 bias as doubles, read once in prepare; null for an int32 bias, read as it is. */
  int64BiasValues: Float64Array | null;
  inputWeightOffset: number;
  recurrentWeightOffset: number;
  inputMultiplier: number;
  inputShift: number;
  recurrentMultiplier: number;
  recurrentShift: number;
}

function perTensor(ctx: PrepareContext, tensor: RuntimeTensor, what: string): void {
  if (tensor.quantization === null || tensor.scales.length === 0) throw ctx.error(`${what} is not quantized`);
  if (tensor.scales.length > 1) throw ctx.error(`${what} has per-channel quantization; the LSTM needs one scale`);
}

/** CreateGateParams: each FC's multiplier as GetQuantizedConvolutionMultipler, into Q3.12. */
function gateFc(ctx: PrepareContext, t: LstmTensors, index: number): GateFc {
  const inputWeights = t.inputWeights[index];
  const recurrentWeights = t.recurrentWeights[index];
  perTensor(ctx, inputWeights, 'input-to-gate weights');
  perTensor(ctx, recurrentWeights, 'recurrent-to-gate weights');
  const input = quantizeMultiplier((t.input.scale * inputWeights.scale) / GATE_INPUT_SCALE);
  const recurrent = quantizeMultiplier((t.hidden.scale * recurrentWeights.scale) / GATE_INPUT_SCALE);
  const bias = t.biases[index];
  return {
    inputWeights, recurrentWeights, bias,
    int64BiasValues: bias.dtype === 'int64' ? Float64Array.from(bias.data as BigInt64Array, (v) => Number(v)) : null,
    inputWeightOffset: -inputWeights.zeroPoint,
    recurrentWeightOffset: -recurrentWeights.zeroPoint,
    inputMultiplier: input.multiplier, inputShift: input.shift,
    recurrentMultiplier: recurrent.multiplier, recurrentShift: recurrent.shift,
  };
}

/**
 * reference_integer_ops::FullyConnected into int16 (zero point 0, no activation). int8 input: an
 * int32 accumulator that wraps (the exact double sum taken mod 2^32) and the double-rounding
 * MultiplyByQuantizedMultiplier; int16 input (16x8): an int64 accumulator (exact in a double
 * below 2^53), no input offset, and the int64 MultiplyByQuantizedMultiplier.
 */
function gateFullyConnected(
  x: Int8Array | Int16Array, xOffset: number, inputOffset: number, int64Accumulator: boolean, w: Int8Array, weightOffset: number,
  bias: Int32Array | Float64Array | null, multiplier: number, shift: number, batches: number, depth: number, units: number, out: Int16Array,
): void {
  for (let b = 0; b < batches; b++) {
    const xBase = xOffset + b * depth;
    for (let u = 0; u < units; u++) {
      const wBase = u * depth;
      let acc = 0;
      for (let d = 0; d < depth; d++) acc += (w[wBase + d] + weightOffset) * (x[xBase + d] + inputOffset);
      if (bias !== null) acc += bias[u];
      const scaled = int64Accumulator
        ? multiplyByQuantizedMultiplierInt64(acc, multiplier, shift)
        : multiplyByQuantizedMultiplier(acc | 0, multiplier, shift);
      out[b * units + u] = scaled < -32768 ? -32768 : scaled > 32767 ? 32767 : scaled;
    }
  }
}

/** CreateInterGateMulParams: double(scale1) * double(scale2) / double(output scale). */
function mulMultiplier(scale1: number, scale2: number, outputScale: number): { multiplier: number; shift: number } {
  return quantizeMultiplier((scale1 * scale2) / outputScale);
}

/** CheckedLog2: the power of two a cell state scale must be. */
function cellScalePower(ctx: PrepareContext, scale: number): number {
  const { log2, isPowerOfTwo } = checkedLog2(scale);
  if (!isPowerOfTwo) throw ctx.error(`cell state scale ${scale} is not a power of two`);
  return log2;
}

export function prepareInt16x8(ctx: PrepareContext, t: LstmTensors, sizes: Sizes): PreparedOp {
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
  const fcs = [0, 1, 2, 3].map((i) => gateFc(ctx, t, i));
  const cellScale = t.cell.scale;
  const scalePower = cellScalePower(ctx, cellScale);
  const cellTanhScale = int16TanhScale(scalePower);
  const gateTanhScale = int16TanhScale(-12);
  const cellClip = optionsOf(ctx.operator).cellClip;
  // CreateLstmCellStateInfo: the clip in cell units, truncated to int16.
  const quantizedCellClip = Math.trunc(Math.min(Math.max(cellClip / cellScale, -32768), 32767));
  const forgetMul = mulMultiplier(GATE_OUTPUT_SCALE, cellScale, cellScale);
  const inputMul = mulMultiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, cellScale);
  const outputMul = mulMultiplier(GATE_OUTPUT_SCALE, GATE_OUTPUT_SCALE, t.hidden.scale);
  const hiddenZeroPoint = t.hidden.zeroPoint;
  // The 16x8 FC applies no input offset (int16 activations are symmetric by spec).
  const int64Accumulator = activationType === 'int16';
  const inputOffset = int64Accumulator ? 0 : -t.input.zeroPoint;
  const hiddenOffset = int64Accumulator ? 0 : -hiddenZeroPoint;
  const [hiddenMin, hiddenMax] = integerRange(activationType);
  const { inputDim, stateDim, stepBatches } = sizes;
  const count = stepBatches * stateDim;
  const buffers = gateBuffers(ctx, count, (buffer, offset, length) => new Int16Array(buffer, offset, length), 2);
  let gates: Int16Array[] = [];

  const gate = (index: number, inputStart: number, stateOffset: number, out: Int16Array, scratch: Int16Array, tanh: boolean): void => {
    const fc = fcs[index];
    gateFullyConnected(t.input.data as Int8Array | Int16Array, inputStart, inputOffset, int64Accumulator, fc.inputWeights.data as Int8Array,
      fc.inputWeightOffset, fc.int64BiasValues ?? fc.bias.data as Int32Array, fc.inputMultiplier, fc.inputShift, stepBatches, inputDim, stateDim, out);
    gateFullyConnected(t.hidden.data as Int8Array | Int16Array, stateOffset, hiddenOffset, int64Accumulator, fc.recurrentWeights.data as Int8Array,
      fc.recurrentWeightOffset, null, fc.recurrentMultiplier, fc.recurrentShift, stepBatches, stateDim, stateDim, scratch);
    for (let i = 0; i < count; i++) {
      let sum = out[i] + scratch[i];
      sum = sum < -32768 ? -32768 : sum > 32767 ? 32767 : sum;
      out[i] = tanh ? int16Tanh(sum, gateTanhScale.multiplier, gateTanhScale.leftShift) : int16Sigmoid(sum);
    }
  };

  const step = (inputStart: number, stateOffset: number, outputOffset: number): void => {
    const forget = gates[0];
    const inputGate = gates[1];
    const cellGate = gates[2];
    const scratch = gates[3];
    gate(GATE_FORGET, inputStart, stateOffset, forget, scratch, false);
    gate(GATE_INPUT, inputStart, stateOffset, inputGate, scratch, false);
    gate(GATE_CELL, inputStart, stateOffset, cellGate, scratch, true);
    const c = t.cell.data as Int16Array;
    for (let i = 0; i < count; i++) {
      // reference_integer_ops::MulElementwise, int16 x int16 -> int16, both saturating.
      let kept = multiplyByQuantizedMultiplier(forget[i] * c[stateOffset + i], forgetMul.multiplier, forgetMul.shift);
      kept = kept < -32768 ? -32768 : kept > 32767 ? 32767 : kept;
      let added = multiplyByQuantizedMultiplier(inputGate[i] * cellGate[i], inputMul.multiplier, inputMul.shift);
      added = added < -32768 ? -32768 : added > 32767 ? 32767 : added;
      let updated = kept + added;
      updated = updated < -32768 ? -32768 : updated > 32767 ? 32767 : updated;
      if (cellClip > 0) updated = Math.max(Math.min(quantizedCellClip, updated), -quantizedCellClip);
      c[stateOffset + i] = updated;
    }
    const outputGate = inputGate;
    gate(GATE_OUTPUT, inputStart, stateOffset, outputGate, scratch, false);
    const h = t.hidden.data as Int8Array | Int16Array;
    const y = t.output.data as Int8Array | Int16Array;
    for (let i = 0; i < count; i++) {
      const activated = int16Tanh(c[stateOffset + i], cellTanhScale.multiplier, cellTanhScale.leftShift);
      let value = hiddenZeroPoint + multiplyByQuantizedMultiplier(activated * outputGate[i], outputMul.multiplier, outputMul.shift);
      value = value < hiddenMin ? hiddenMin : value > hiddenMax ? hiddenMax : value;
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
