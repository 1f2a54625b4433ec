// Hybrid UNIDIRECTIONAL_SEQUENCE_LSTM (float32 input, states, biases and output; int8 weights with
// per-tensor scales), after TFLite's kernels/lstm_eval.cc LstmStepHybrid (no CIFG, peephole,
// projection or layer norm, which the float kernel rejects too): per time step the input rows and
// the hidden-state rows are quantized on the fly (symmetric, or asymmetric with
// asymmetric_quantize_inputs; an all-zero block is skipped), each gate starts at its bias and
// accumulates int8 dot products scaled by row scale x weight scale, then sigmoid (tanh for the cell
// gate); cell = forget * cell + input * cell gate (clipped), hidden = tanh(cell) * output gate.
// TFLM has no hybrid LSTM; dynamic-range models need it.
import {
  asymmetricQuantizeRow, int8ScratchView, rowQuantization, symmetricQuantizeRow, weightRowSums, type QuantizeRow, type RowQuantization,
} from './hybrid-common.js';
import type { PrepareContext, PreparedOp } from './kernel.js';
import {
  GATE_CELL, GATE_FORGET, GATE_INPUT, GATE_OUTPUT, checkCellActivation, gateBuffers, lstmSizes, lstmTensors, optionsOf, runSequence,
} from './unidirectional-sequence-lstm.js';

/** One int8 weight matrix of a gate with what its matmul needs. */
interface HybridWeights {
  data: Int8Array;
  scale: number;
  rowSums: Int32Array;
}

/** LstmStepHybrid's gate order. */
const GATE_ORDER = [GATE_INPUT, GATE_FORGET, GATE_CELL, GATE_OUTPUT] as const;

/** tensor_utils' ApplySigmoidToVector / ApplyTanhToVector in float32. */
function sigmoid(x: number): number {
  return Math.fround(1 / Math.fround(1 + Math.fround(Math.exp(-x))));
}

export function prepareLstmHybrid(ctx: PrepareContext): PreparedOp {
  const t = lstmTensors(ctx);
  const sizes = lstmSizes(ctx, t);
  checkCellActivation(ctx);
  for (const tensor of [...t.biases, t.cell]) {
    if (tensor.dtype !== 'float32') throw ctx.error(`hybrid LSTM needs float32 biases and cell state, got ${tensor.dtype}`);
  }
  const { inputDim, stateDim, stepBatches } = sizes;
  const weights = (tensors: typeof t.inputWeights, columns: number): HybridWeights[] => tensors.map((w) => {
    if (w.dtype !== 'int8' || !w.isConstant) throw ctx.error(`hybrid LSTM needs constant int8 weights, got ${w.dtype}`);
    if (w.scales.length !== 1) throw ctx.error(`hybrid LSTM needs one scale per weight tensor, got ${w.scales.length}`);
    const data = w.data as Int8Array;
    return { data, scale: w.scale, rowSums: weightRowSums(data, stateDim, columns) };
  });
  const inputWeights = weights(t.inputWeights, inputDim);
  const recurrentWeights = weights(t.recurrentWeights, stateDim);
  const options = optionsOf(ctx.operator);
  const cellClip = options.cellClip;
  const asymmetric = options.asymmetricQuantizeInputs;
  const quantizeRow: QuantizeRow = asymmetric ? asymmetricQuantizeRow : symmetricQuantizeRow;
  const count = stepBatches * stateDim;
  const buffers = gateBuffers(ctx, count, (buffer, offset, length) => new Float32Array(buffer, offset, length), 4);
  const quantizedInput = int8ScratchView(ctx.requestScratch(stepBatches * inputDim), stepBatches * inputDim);
  const quantizedHidden = int8ScratchView(ctx.requestScratch(count), count);
  const inputRows = rowQuantization(stepBatches);
  const hiddenRows = rowQuantization(stepBatches);
  let gates: Float32Array[] = [];

  /** result[b, row] += (W q_b - row sum x zero point) x (row scale x weight scale), as MatrixBatchVectorMultiplyAccumulate. */
  const accumulate = (w: HybridWeights, q: Int8Array, rows: RowQuantization, columns: number, out: Float32Array): void => {
    for (let b = 0; b < stepBatches; b++) {
      const scale = Math.fround(rows.scales[b] * w.scale);
      const offset = asymmetric ? rows.offsets[b] : 0;
      for (let row = 0; row < stateDim; row++) {
        let dot = 0;
        for (let c = 0; c < columns; c++) dot = (dot + w.data[row * columns + c] * q[b * columns + c]) | 0;
        dot = (dot - w.rowSums[row] * offset) | 0;
        out[b * stateDim + row] = Math.fround(out[b * stateDim + row] + Math.fround(Math.fround(dot) * scale));
      }
    }
  };

  const step = (inputOffset: number, stateOffset: number, outputOffset: number): void => {
    const x = t.input.data as Float32Array;
    const h = t.hidden.data as Float32Array;
    const c = t.cell.data as Float32Array;
    const qIn = quantizedInput();
    const qHidden = quantizedHidden();
    let inputZero = true;
    for (let i = 0; i < stepBatches * inputDim && inputZero; i++) inputZero = x[inputOffset + i] === 0;
    let hiddenZero = true;
    for (let i = 0; i < count && hiddenZero; i++) hiddenZero = h[stateOffset + i] === 0;
    for (let b = 0; b < stepBatches; b++) {
      if (!inputZero) quantizeRow(x, inputOffset + b * inputDim, inputDim, qIn, b * inputDim, inputRows, b);
      if (!hiddenZero) quantizeRow(h, stateOffset + b * stateDim, stateDim, qHidden, b * stateDim, hiddenRows, b);
    }
    for (const index of GATE_ORDER) {
      const gate = gates[index];
      const bias = t.biases[index].data as Float32Array;
      for (let b = 0; b < stepBatches; b++) gate.set(bias, b * stateDim);
      if (!inputZero) accumulate(inputWeights[index], qIn, inputRows, inputDim, gate);
      if (!hiddenZero) accumulate(recurrentWeights[index], qHidden, hiddenRows, stateDim, gate);
      if (index === GATE_CELL) for (let i = 0; i < count; i++) gate[i] = Math.fround(Math.tanh(gate[i]));
      else for (let i = 0; i < count; i++) gate[i] = sigmoid(gate[i]);
    }
    const inputGate = gates[GATE_INPUT];
    const forget = gates[GATE_FORGET];
    const cellGate = gates[GATE_CELL];
    const outputGate = gates[GATE_OUTPUT];
    const y = t.output.data as Float32Array;
    for (let i = 0; i < count; i++) {
      const updated = Math.fround(Math.fround(forget[i] * c[stateOffset + i]) + Math.fround(cellGate[i] * inputGate[i]));
      c[stateOffset + i] = cellClip > 0 ? Math.max(Math.min(cellClip, updated), -cellClip) : updated;
      const value = Math.fround(outputGate[i] * Math.fround(Math.tanh(c[stateOffset + i])));
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

