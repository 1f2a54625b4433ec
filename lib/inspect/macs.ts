// Multiply-accumulate estimates per operator, from the static shapes stored in the file.
//
// Conventions (one MAC = one multiply and one add; FLOPs are usually quoted as 2 x MACs):
// - Convolutions and matrix products count the products of the reference kernel's inner loop,
//   as TensorFlow's profiler does (tensorflow/python/ops/nn_ops.py `_calc_conv_flops`,
//   `_calc_depthwise_conv_flops`, math_ops.py `_calc_mat_mul_flops`: FLOPs = 2 x output elements
//   x reduction length) and as the tflite-flops tools do (MAC = outH*outW*outC*kH*kW*inC).
//   Biases and fused activations are not counted.
// - Pooling: output elements x window size (TF's `_calc_max_pool_flops` / `_calc_avg_pool_flops`).
// - RESIZE_BILINEAR: output elements x 4 (each output weights its four corner pixels).
// - Elementwise arithmetic and activations: one per output element (TF registers "flops" of
//   Add/Sub/Mul/... as the output element count). QUANTIZE/DEQUANTIZE rescale each element once.
// - Reductions, SOFTMAX, LOG_SOFTMAX, L2_NORMALIZATION: one per input element (each is read and
//   accumulated once).
// - Data movement, comparisons, logic and rounding: 0, estimated (they multiply nothing).
// - Recurrent ops: see lstmMacs / svdfMacs.
// - Everything else (custom ops, control flow...): 0 and marked not estimated.
// Operators of every subgraph are counted once, so both branches of an IF add to the total.
import { elementCount } from '../model/dtype.js';
import { BatchMatMulOptionsT, Pool2DOptionsT, UnidirectionalSequenceLSTMOptionsT } from '../model/schema/tflite.js';
import type { Operator, Tensor } from '../model/types.js';

export interface MacsEstimate {
  macs: number;
  estimated: boolean;
  formula: string;
}

const ELEMENTWISE_OPS = new Set([
  'ADD', 'SUB', 'MUL', 'DIV', 'SQUARED_DIFFERENCE', 'MAXIMUM', 'MINIMUM', 'POW', 'FLOOR_DIV',
  'FLOOR_MOD', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'RELU_0_TO_1', 'LEAKY_RELU', 'PRELU', 'LOGISTIC',
  'TANH', 'HARD_SWISH', 'ELU', 'GELU', 'EXP', 'LOG', 'SQRT', 'RSQRT', 'SQUARE', 'ABS', 'NEG', 'SIN',
  'COS', 'QUANTIZE', 'DEQUANTIZE', 'CUMSUM',
]);

const PER_INPUT_ELEMENT_OPS = new Set([
  'MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD', 'SOFTMAX', 'LOG_SOFTMAX', 'L2_NORMALIZATION',
]);

const NO_MAC_OPS = new Set([
  'RESHAPE', 'SQUEEZE', 'EXPAND_DIMS', 'CONCATENATION', 'PACK', 'UNPACK', 'SPLIT', 'SPLIT_V', 'SLICE',
  'STRIDED_SLICE', 'TRANSPOSE', 'PAD', 'PADV2', 'MIRROR_PAD', 'GATHER', 'GATHER_ND', 'SHAPE', 'CAST',
  'DEPTH_TO_SPACE', 'SPACE_TO_DEPTH', 'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'BROADCAST_TO',
  'BROADCAST_ARGS', 'FILL', 'ZEROS_LIKE', 'RESIZE_NEAREST_NEIGHBOR', 'REVERSE_V2', 'TILE',
  'READ_VARIABLE', 'ASSIGN_VARIABLE', 'VAR_HANDLE', 'CALL_ONCE', 'EMBEDDING_LOOKUP',
  'DYNAMIC_UPDATE_SLICE', 'SELECT', 'SELECT_V2', 'ARG_MAX', 'ARG_MIN', 'EQUAL', 'NOT_EQUAL', 'LESS',
  'LESS_EQUAL', 'GREATER', 'GREATER_EQUAL', 'LOGICAL_AND', 'LOGICAL_OR', 'LOGICAL_NOT', 'REDUCE_ALL',
  'REDUCE_ANY', 'FLOOR', 'CEIL', 'ROUND',
]);

function shapeAt(op: Operator, tensors: readonly Tensor[], which: 'inputs' | 'outputs', position: number): number[] | null {
  const index = op[which][position];
  if (index === undefined || index < 0) return null;
  return tensors[index]?.shape ?? null;
}

function notEstimated(reason: string): MacsEstimate {
  return { macs: 0, estimated: false, formula: reason };
}

function product(name: string, factors: Array<[string, number]>): MacsEstimate {
  const macs = factors.reduce((acc, [, value]) => acc * value, 1);
  const names = factors.map(([label]) => label).join('*');
  const values = factors.map(([, value]) => value).join('*');
  return { macs, estimated: true, formula: `${name}: ${names} = ${values}` };
}

function missingShape(what: string): MacsEstimate {
  return notEstimated(`not estimated: ${what} shape missing or of unexpected rank`);
}

/** Output [N, outH, outW, outC], filter [outC, kH, kW, inC / groups]. */
function conv2dMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const out = shapeAt(op, tensors, 'outputs', 0);
  const filter = shapeAt(op, tensors, 'inputs', 1);
  if (out?.length !== 4 || filter?.length !== 4) return missingShape('output or filter');
  return product('CONV_2D', [
    ['batches', out[0]], ['outH', out[1]], ['outW', out[2]], ['outC', out[3]],
    ['kH', filter[1]], ['kW', filter[2]], ['inC_per_group', filter[3]],
  ]);
}

/** Output [N, outH, outW, outC], filter [1, kH, kW, outC]: one input channel per output channel. */
function depthwiseMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const out = shapeAt(op, tensors, 'outputs', 0);
  const filter = shapeAt(op, tensors, 'inputs', 1);
  if (out?.length !== 4 || filter?.length !== 4) return missingShape('output or filter');
  return product('DEPTHWISE_CONV_2D', [
    ['batches', out[0]], ['outH', out[1]], ['outW', out[2]], ['outC', out[3]], ['kH', filter[1]], ['kW', filter[2]],
  ]);
}

/**
 * Inputs (output_shape, filter [outC, kH, kW, inC], input [N, inH, inW, inC]): the reference
 * kernel scatters every input element through every filter tap into every output channel.
 */
function transposeConvMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const filter = shapeAt(op, tensors, 'inputs', 1);
  const input = shapeAt(op, tensors, 'inputs', 2);
  if (input?.length !== 4 || filter?.length !== 4) return missingShape('input or filter');
  return product('TRANSPOSE_CONV', [
    ['batches', input[0]], ['inH', input[1]], ['inW', input[2]], ['inC', input[3]],
    ['kH', filter[1]], ['kW', filter[2]], ['outC', filter[0]],
  ]);
}

/** Weights [outUnits, inUnits]; TFLM's batches = input elements / inUnits (any input rank). */
function fullyConnectedMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const input = shapeAt(op, tensors, 'inputs', 0);
  const weights = shapeAt(op, tensors, 'inputs', 1);
  if (input === null || weights?.length !== 2 || weights[1] === 0) return missingShape('input or weights');
  const batches = elementCount(input) / weights[1];
  return product('FULLY_CONNECTED', [['batches', batches], ['outUnits', weights[0]], ['inUnits', weights[1]]]);
}

/** Output elements x the contracted dimension of lhs (its last, or second last with adj_x). */
function batchMatMulMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const lhs = shapeAt(op, tensors, 'inputs', 0);
  const out = shapeAt(op, tensors, 'outputs', 0);
  if (lhs === null || out === null || lhs.length < 2) return missingShape('lhs or output');
  const options = op.builtinOptions instanceof BatchMatMulOptionsT ? op.builtinOptions : null;
  const depth = options?.adjX ? lhs[lhs.length - 2] : lhs[lhs.length - 1];
  return product('BATCH_MATMUL', [['outElements', elementCount(out)], ['depth', depth]]);
}

function poolMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const out = shapeAt(op, tensors, 'outputs', 0);
  if (out === null) return missingShape('output');
  if (!(op.builtinOptions instanceof Pool2DOptionsT)) return notEstimated('not estimated: no Pool2DOptions');
  const { filterHeight, filterWidth } = op.builtinOptions;
  return product(op.op, [['outElements', elementCount(out)], ['filterH', filterHeight], ['filterW', filterWidth]]);
}

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, inputs as in TFLite's lstm_shared.h: 0 input, 1-4 input-to-gate
 * weights [nCell, nInput] (1 absent with CIFG), 5-8 recurrent weights [nCell, nOutput],
 * 9-11 peepholes [nCell] (optional), 16 projection [nOutput, nCell] (optional).
 * Per time step and batch: gates*nCell*(nInput + nOutput) for the gate matrix products,
 * + nCell per peephole, + nOutput*nCell for the projection, + 3*nCell for the cell update
 * (f*c + i*g) and the output (o*tanh(c)). Layer normalisation, biases and the gate
 * nonlinearities are not counted. Steps x batches = input elements / nInput.
 */
function lstmMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const input = shapeAt(op, tensors, 'inputs', 0);
  const inputToForget = shapeAt(op, tensors, 'inputs', 2);
  const recurrentToForget = shapeAt(op, tensors, 'inputs', 6);
  if (input === null || inputToForget?.length !== 2 || recurrentToForget?.length !== 2 || inputToForget[1] === 0) {
    return missingShape('input or weights');
  }
  const [nCell, nInput] = inputToForget;
  const nOutput = recurrentToForget[1];
  const gates = shapeAt(op, tensors, 'inputs', 1) === null ? 3 : 4;
  const peepholes = [9, 10, 11].filter((i) => shapeAt(op, tensors, 'inputs', i) !== null).length;
  const projection = shapeAt(op, tensors, 'inputs', 16) === null ? 0 : nOutput * nCell;
  const stepsTimesBatches = elementCount(input) / nInput;
  const perStep = gates * nCell * (nInput + nOutput) + peepholes * nCell + projection + 3 * nCell;
  const timeMajor = op.builtinOptions instanceof UnidirectionalSequenceLSTMOptionsT && op.builtinOptions.timeMajor;
  return {
    macs: stepsTimesBatches * perStep,
    estimated: true,
    formula:
      `UNIDIRECTIONAL_SEQUENCE_LSTM: steps*batches*(gates*nCell*(nInput+nOutput) + peepholes*nCell + projection + 3*nCell)` +
      ` = ${stepsTimesBatches}*(${gates}*${nCell}*(${nInput}+${nOutput}) + ${peepholes}*${nCell} + ${projection} + 3*${nCell})` +
      (timeMajor ? ' (time-major)' : ''),
  };
}

/**
 * SVDF (TFLM svdf_common.cc): input [batches, nInput], weights_feature [nFilters, nInput],
 * weights_time [nFilters, memory]. Each invoke multiplies the input into every filter's feature
 * weights, then each filter's activation history with its time weights; the rank reduction and
 * bias are additions only.
 */
function svdfMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const input = shapeAt(op, tensors, 'inputs', 0);
  const feature = shapeAt(op, tensors, 'inputs', 1);
  const time = shapeAt(op, tensors, 'inputs', 2);
  if (input === null || feature?.length !== 2 || time?.length !== 2 || feature[1] === 0) {
    return missingShape('input or weights');
  }
  const batches = elementCount(input) / feature[1];
  return {
    macs: batches * feature[0] * (feature[1] + time[1]),
    estimated: true,
    formula: `SVDF: batches*nFilters*(nInput+memory) = ${batches}*${feature[0]}*(${feature[1]}+${time[1]})`,
  };
}

function resizeBilinearMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const out = shapeAt(op, tensors, 'outputs', 0);
  if (out === null) return missingShape('output');
  return product('RESIZE_BILINEAR', [['outElements', elementCount(out)], ['corners', 4]]);
}

function addNMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  const out = shapeAt(op, tensors, 'outputs', 0);
  if (out === null) return missingShape('output');
  return product('ADD_N', [['outElements', elementCount(out)], ['(inputs-1)', Math.max(op.inputs.length - 1, 0)]]);
}

export function estimateMacs(op: Operator, tensors: readonly Tensor[]): MacsEstimate {
  switch (op.op) {
    case 'CONV_2D': return conv2dMacs(op, tensors);
    case 'DEPTHWISE_CONV_2D': return depthwiseMacs(op, tensors);
    case 'TRANSPOSE_CONV': return transposeConvMacs(op, tensors);
    case 'FULLY_CONNECTED': return fullyConnectedMacs(op, tensors);
    case 'BATCH_MATMUL': return batchMatMulMacs(op, tensors);
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
    case 'L2_POOL_2D': return poolMacs(op, tensors);
    case 'UNIDIRECTIONAL_SEQUENCE_LSTM': return lstmMacs(op, tensors);
    case 'SVDF': return svdfMacs(op, tensors);
    case 'ADD_N': return addNMacs(op, tensors);
    case 'RESIZE_BILINEAR': return resizeBilinearMacs(op, tensors);
    default: break;
  }
  if (ELEMENTWISE_OPS.has(op.op)) {
    const out = shapeAt(op, tensors, 'outputs', 0);
    return out === null ? missingShape('output') : product(op.op, [['outElements', elementCount(out)]]);
  }
  if (PER_INPUT_ELEMENT_OPS.has(op.op)) {
    const input = shapeAt(op, tensors, 'inputs', 0);
    return input === null ? missingShape('input') : product(op.op, [['inElements', elementCount(input)]]);
  }
  if (NO_MAC_OPS.has(op.op)) return { macs: 0, estimated: true, formula: `${op.op}: no multiply-accumulates` };
  const name = op.op === 'CUSTOM' ? `CUSTOM:${op.customCode ?? '?'}` : op.op;
  return notEstimated(`not estimated: no formula for ${name}`);
}
