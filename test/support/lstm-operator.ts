// The one UNIDIRECTIONAL_SEQUENCE_LSTM operator at TFLM's input positions (no peephole, projection
// or layer norm), for tests that build LSTM models.
import { NO_TENSOR, type ModelBuilder } from '../../lib/model/builder.js';
import { ActivationFunctionType, UnidirectionalSequenceLSTMOptionsT } from '../../lib/model/schema/tflite.js';

function tanhOptions(): UnidirectionalSequenceLSTMOptionsT {
  const options = new UnidirectionalSequenceLSTMOptionsT();
  options.fusedActivationFunction = ActivationFunctionType.TANH;
  return options;
}

export interface LstmOperands {
  x: number;
  /** input, forget, cell, output gates */
  inputWeights: number[];
  recurrentWeights: number[];
  biases: number[];
  hidden: number;
  cell: number;
  y: number;
}

/** Adds the operator (by default with a tanh cell activation) and marks y as the model output. */
export function addLstmOperator(b: ModelBuilder, t: LstmOperands, options = tanhOptions()): void {
  b.addOperator('UNIDIRECTIONAL_SEQUENCE_LSTM', [
    t.x, ...t.inputWeights, ...t.recurrentWeights, NO_TENSOR, NO_TENSOR, NO_TENSOR, ...t.biases,
    NO_TENSOR, NO_TENSOR, t.hidden, t.cell, NO_TENSOR, NO_TENSOR, NO_TENSOR, NO_TENSOR,
  ], [t.y], { builtinOptions: options });
  b.addOutput(t.y);
}
