// UNIDIRECTIONAL_SEQUENCE_LSTM with int16 activations, int8 weights, int64 biases and an int16
// cell state (16x8), after TFLM's lstm_eval EvalLstm<int16_t, int8_t, int16_t, int64_t>: the gate
// FCs keep TFLM's loop as written (int64 accumulator exact in a double), where the int8 path in
// unidirectional-sequence-lstm.ts runs on packed weights for speed.
import type { RuntimeTensor } from '../tensor.js';
import type { PrepareContext, PreparedOp } from './kernel.js';
import { int16Sigmoid, int16Tanh } from './lstm-common.js';
import { multiplyByQuantizedMultiplierInt64, quantizeMultiplier } from './quantization.js';
import {
  GATE_CELL, GATE_FORGET, GATE_INPUT, GATE_INPUT_SCALE, GATE_OUTPUT, gateBuffers,
  integerCell, perTensor, runSequence, updateCell, updateHidden, type LstmTensors, type Sizes,
} from './unidirectional-sequence-lstm.js';

interface GateFc {
  inputWeights: RuntimeTensor;
  recurrentWeights: RuntimeTensor;
  /** The int64 bias as doubles, read once in prepare. */
  biasValues: Float64Array;
  inputWeightOffset: number;
  recurrentWeightOffset: number;
  inputMultiplier: number;
  inputShift: number;
  recurrentMultiplier: number;
  recurrentShift: number;
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
    inputWeights, recurrentWeights,
    biasValues: Float64Array.from(t.biases[index].data as BigInt64Array, (v) => Number(v)),
    inputWeightOffset: -inputWeights.zeroPoint,
    recurrentWeightOffset: -recurrentWeights.zeroPoint,
    inputMultiplier: input.multiplier, inputShift: input.shift,
    recurrentMultiplier: recurrent.multiplier, recurrentShift: recurrent.shift,
  };
}

/**
 * reference_integer_ops::FullyConnected 16x8 into int16 (zero point 0, no activation): an int64
 * accumulator (exact in a double below 2^53), no input offset (int16 activations are symmetric),
 * and the int64 MultiplyByQuantizedMultiplier.
 */
function gateFullyConnected(
  x: Int16Array, xOffset: number, w: Int8Array, weightOffset: number,
  bias: Float64Array | null, multiplier: number, shift: number, batches: number, depth: number, units: number, out: Int16Array,
): void {
  for (let b = 0; b < batches; b++) {
    const xBase = xOffset + b * depth;
    for (let u = 0; u < units; u++) {
      const wBase = u * depth;
      let acc = 0;
      for (let d = 0; d < depth; d++) acc += (w[wBase + d] + weightOffset) * x[xBase + d];
      if (bias !== null) acc += bias[u];
      const scaled = multiplyByQuantizedMultiplierInt64(acc, multiplier, shift);
      out[b * units + u] = scaled < -32768 ? -32768 : scaled > 32767 ? 32767 : scaled;
    }
  }
}

export function prepareInt16x8(ctx: PrepareContext, t: LstmTensors, sizes: Sizes): PreparedOp {
  const cell = integerCell(ctx, t);
  const { gateTanhScale } = cell;
  const fcs = [0, 1, 2, 3].map((i) => gateFc(ctx, t, i));
  const { inputDim, stateDim, stepBatches } = sizes;
  const count = stepBatches * stateDim;
  const buffers = gateBuffers(ctx, count, (buffer, offset, length) => new Int16Array(buffer, offset, length), 2);
  let gates: Int16Array[] = [];

  const gate = (index: number, inputStart: number, stateOffset: number, out: Int16Array, scratch: Int16Array, tanh: boolean): void => {
    const fc = fcs[index];
    gateFullyConnected(t.input.data as Int16Array, inputStart, fc.inputWeights.data as Int8Array,
      fc.inputWeightOffset, fc.biasValues, fc.inputMultiplier, fc.inputShift, stepBatches, inputDim, stateDim, out);
    gateFullyConnected(t.hidden.data as Int16Array, stateOffset, fc.recurrentWeights.data as Int8Array,
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
    updateCell(cell, forget, inputGate, cellGate, c, stateOffset, count);
    const outputGate = inputGate;
    gate(GATE_OUTPUT, inputStart, stateOffset, outputGate, scratch, false);
    updateHidden(cell, outputGate, c, t.hidden.data as Int16Array, t.output.data as Int16Array, stateOffset, outputOffset, count);
  };

  return {
    invoke(): void {
      gates = buffers();
      runSequence(sizes, step);
    },
  };
}
