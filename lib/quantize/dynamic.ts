// Dynamic-range quantization: what TF 2.21's converter does with Optimize.DEFAULT and no
// representative data (the MLIR quantizer's PrepareDynamicRangeQuantize + QuantizeWeights). The
// constant weights of FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D (SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM) with at least 1024
// elements become int8, symmetric (zero point 0, range [-127, 127]), one scale per output channel
// where the op takes that; activations stay float32 and the ops become hybrid (they quantize their
// input on the fly). Smaller weights stay float, as TF's minimum_elements_for_weights leaves them.
import { elementCount } from '../model/dtype.js';
import { FullyConnectedOptionsT, SVDFOptionsT, UnidirectionalSequenceLSTMOptionsT } from '../model/schema/tflite.js';
import type { Model, Operator, Quantization, Subgraph, Tensor } from '../model/types.js';
import type { QuantizeOptions, TensorQuantization } from './types.js';

/** TF's default minimum_elements_for_weights: smaller weight tensors stay float32. */
export const MIN_ELEMENTS_FOR_WEIGHTS = 1024;

export const TFLM_HYBRID_NOTE = 'TFLM does not run hybrid (dynamic-range) models: its kernels take int8 weights only with int8 (or int16) activations. '
  + 'Run this model in the full TFLite runtime or in this package\'s interpreter, or quantize with mode int8 for a microcontroller.';

export interface DynamicQuantizeResult {
  model: Model;
  /** The weight tensors made int8, with their scales and SQNR against the float weights. */
  tensors: TensorQuantization[];
  notes: string[];
  /** False when any op became hybrid (TFLM cannot run it); true when the model stayed float. */
  runsOnTflm: boolean;
}

export class DynamicQuantizeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamicQuantizeError';
  }
}

interface HybridOp {
  /** The weight tensor's input position, its rank and output-channel axis (TF's quantized_dimension; null: per tensor only). */
  weightInput: number;
  channelAxis: number | null;
  rank: number;
  /** Further weight inputs the hybrid kernel needs in int8 too (SVDF's weights_time), per tensor. */
  companions: number[];
  /** The operator version TF's op_version.cc gives the hybrid op, per channel or per tensor. */
  version: (perChannel: boolean) => number;
}

const HYBRID_OPS: Readonly<Record<string, HybridOp>> = {
  // asymmetric_quantize_inputs is set on every hybrid FULLY_CONNECTED, as the converter does.
  FULLY_CONNECTED: { weightInput: 1, channelAxis: 0, rank: 2, companions: [], version: (perChannel) => (perChannel ? 12 : 9) },
  CONV_2D: { weightInput: 1, channelAxis: 0, rank: 4, companions: [], version: (perChannel) => (perChannel ? 5 : 2) },
  DEPTHWISE_CONV_2D: { weightInput: 1, channelAxis: 3, rank: 4, companions: [], version: (perChannel) => (perChannel ? 6 : 4) },
  // TFLite's hybrid SVDF reads weights_time as int8 as well (it dequantizes it once); version 4 = asymmetric inputs.
  SVDF: { weightInput: 1, channelAxis: null, rank: 2, companions: [2], version: () => 4 },
  // The hybrid LSTM takes all eight gate matrices int8 (per tensor), decided by the input-to-forget one; version 3 = asymmetric inputs.
  UNIDIRECTIONAL_SEQUENCE_LSTM: { weightInput: 2, channelAxis: null, rank: 2, companions: [1, 3, 4, 5, 6, 7, 8], version: () => 3 },
};

/** Ops TF also quantizes in this mode for which we have no hybrid kernel: their weights stay float. */
const NOT_HYBRID_HERE = new Set(['LSTM', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'BATCH_MATMUL', 'EMBEDDING_LOOKUP']);

/** TF's runtime_version.cc for the hybrid versions written here (min_runtime_version metadata). */
const MIN_RUNTIME_VERSION: Readonly<Record<string, string>> = {
  'FULLY_CONNECTED:9': '2.3.0',
  'FULLY_CONNECTED:12': '2.17.0',
  'CONV_2D:2': '1.14.0',
  'CONV_2D:5': '2.4.0',
  'DEPTHWISE_CONV_2D:4': '2.2.0',
  'DEPTHWISE_CONV_2D:6': '2.3.0',
  'SVDF:4': '2.3.0',
  'UNIDIRECTIONAL_SEQUENCE_LSTM:3': '2.3.0',
};

/**
 * The refusal for a model that is quantized already: the first tensor with quantization parameters
 * or of an integer activation type, named (uint8 without parameters passes: raw image bytes).
 */
function refuseQuantized(model: Model): void {
  model.subgraphs.forEach((subgraph, s) => subgraph.tensors.forEach((tensor, t) => {
    const quantized = tensor.quantization !== null && tensor.quantization.scale.length > 0;
    if (quantized || tensor.dtype === 'int8' || tensor.dtype === 'int16') {
      throw new DynamicQuantizeError(`the model is already quantized: subgraph ${s} tensor ${t} '${tensor.name}' is ${tensor.dtype}`
        + `${quantized ? ' with quantization parameters' : ''}; dynamic-range quantization needs a float32 model`);
    }
  }));
}

/** How each tensor is used as an operator input: [operator index, input position] pairs. */
function usesOf(subgraph: Subgraph): Map<number, Array<[number, number]>> {
  const uses = new Map<number, Array<[number, number]>>();
  subgraph.operators.forEach((operator, o) => operator.inputs.forEach((tensor, position) => {
    if (tensor < 0) return;
    const list = uses.get(tensor) ?? [];
    list.push([o, position]);
    uses.set(tensor, list);
  }));
  return uses;
}

function stride(shape: readonly number[], axis: number): number {
  let s = 1;
  for (let d = axis + 1; d < shape.length; d++) s *= shape[d];
  return s;
}

interface QuantizedWeights {
  data: Int8Array;
  scales: number[];
  min: number;
  max: number;
  sqnrDb: number;
}

/**
 * Symmetric int8 per channel along `axis` (axis -1: one scale for the tensor), as the MLIR
 * quantizer's GetUniformQuantizedPerAxisTypeForWeight (symmetric, narrow range): scale =
 * max|w| / 127 in double (1 for an all-zero channel), q = round half away from zero of w / scale,
 * clamped to [-127, 127]; the file stores the scale as float32.
 */
export function quantizeWeightsSymmetric(values: Float32Array, shape: readonly number[], axis: number): QuantizedWeights {
  const channels = axis < 0 ? 1 : shape[axis];
  const inner = axis < 0 ? values.length : stride(shape, axis);
  const channelOf = (i: number): number => (axis < 0 ? 0 : Math.trunc(i / inner) % channels);
  const ranges = new Float64Array(channels);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const c = channelOf(i);
    if (Math.abs(v) > ranges[c]) ranges[c] = Math.abs(v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scales = Array.from(ranges, (r) => (r === 0 ? 1 : r / 127));
  const data = new Int8Array(values.length);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < values.length; i++) {
    const c = channelOf(i);
    const scaled = values[i] / scales[c];
    const rounded = scaled < 0 ? -Math.floor(-scaled + 0.5) : Math.floor(scaled + 0.5);
    const q = Math.max(-127, Math.min(127, rounded));
    data[i] = q;
    const error = values[i] - q * Math.fround(scales[c]);
    signal += values[i] * values[i];
    noise += error * error;
  }
  const sqnrDb = noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
  return { data, scales: scales.map((s) => Math.fround(s)), min, max, sqnrDb };
}

function floatValues(tensor: Tensor): Float32Array {
  const data = tensor.data as Uint8Array;
  // Copy: the view may not be 4-byte aligned within the model bytes.
  return new Float32Array(data.slice().buffer, 0, elementCount(tensor.shape));
}

function isFloatConstant(tensor: Tensor | undefined): tensor is Tensor {
  return tensor !== undefined && tensor.data !== null && !tensor.isVariable && tensor.dtype === 'float32';
}

/** The converter sets asymmetric_quantize_inputs on the hybrid ops whose options have it. */
function withAsymmetricInputs(operator: Operator): Operator['builtinOptions'] {
  const options = operator.builtinOptions;
  if (operator.op === 'FULLY_CONNECTED') {
    const fc = options instanceof FullyConnectedOptionsT ? options : new FullyConnectedOptionsT();
    return new FullyConnectedOptionsT(fc.fusedActivationFunction, fc.weightsFormat, fc.keepNumDims, true, fc.quantizedBiasType);
  }
  if (operator.op === 'UNIDIRECTIONAL_SEQUENCE_LSTM') {
    const lstm = options instanceof UnidirectionalSequenceLSTMOptionsT ? options : new UnidirectionalSequenceLSTMOptionsT();
    const copy = Object.assign(new UnidirectionalSequenceLSTMOptionsT(), lstm);
    copy.asymmetricQuantizeInputs = true;
    return copy;
  }
  if (operator.op === 'SVDF') {
    const svdf = options instanceof SVDFOptionsT ? options : new SVDFOptionsT();
    return new SVDFOptionsT(svdf.rank, svdf.fusedActivationFunction, true);
  }
  return options;
}


function versionText(bytes: Uint8Array | undefined): string | null {
  if (bytes === undefined) return null;
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** min_runtime_version as TF stores it: the text, NUL-padded to 16 bytes. */
function versionBytes(version: string): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes.set(new TextEncoder().encode(version));
  return bytes;
}

/** What quantizing the subgraphs collects for the result. */
interface Collected {
  tensors: TensorQuantization[];
  /** Weights left float for being under MIN_ELEMENTS_FOR_WEIGHTS. */
  leftSmall: number;
  /** Ops TF would quantize that have no hybrid kernel here. */
  unsupported: Set<string>;
  /** The min_runtime_version the hybrid op versions need (null when the model has none). */
  runtimeVersion: string | null;
}

function perChannelFor(operator: Operator, hybrid: HybridOp, options: QuantizeOptions): boolean {
  if (hybrid.channelAxis === null) return false;
  return operator.op === 'FULLY_CONNECTED' ? options.perChannelFullyConnected !== false : options.perChannel !== false;
}

/** One subgraph with the weights of its hybrid-capable ops in int8 and those ops' versions and options updated. */
function quantizeSubgraph(subgraph: Subgraph, s: number, options: QuantizeOptions, collected: Collected): Subgraph {
  const uses = usesOf(subgraph);
  const tensors = subgraph.tensors.slice();
  const operators = subgraph.operators.slice();
  // A weight any other operator or input position reads stays float.
  const readOnlyAs = (tensor: number, position: number): boolean => (uses.get(tensor) ?? [])
    .every(([reader, at]) => HYBRID_OPS[subgraph.operators[reader].op] !== undefined && at === position);
  const quantizeOnce = (tensor: number, axis: number | null): void => {
    const original = subgraph.tensors[tensor];
    if (tensors[tensor] !== original) return;
    const q = quantizeWeightsSymmetric(floatValues(original), original.shape, axis ?? -1);
    const quantization: Quantization = { scale: q.scales, zeroPoint: q.scales.map(() => 0), quantizedDimension: axis ?? 0, min: [], max: [], details: null };
    tensors[tensor] = { ...original, dtype: 'int8', quantization, data: new Uint8Array(q.data.buffer) };
    collected.tensors.push({
      subgraph: s, tensor, name: original.name, dtype: 'int8', scale: q.scales, zeroPoint: quantization.zeroPoint, min: q.min, max: q.max, sqnrDb: q.sqnrDb,
    });
  };
  subgraph.operators.forEach((operator, o) => {
    const hybrid = HYBRID_OPS[operator.op];
    if (hybrid === undefined) {
      if (NOT_HYBRID_HERE.has(operator.op)) collected.unsupported.add(operator.op);
      return;
    }
    const index = operator.inputs[hybrid.weightInput] ?? -1;
    const weight = subgraph.tensors[index];
    if (!isFloatConstant(weight) || weight.shape.length !== hybrid.rank) return;
    if (elementCount(weight.shape) < MIN_ELEMENTS_FOR_WEIGHTS) {
      collected.leftSmall++;
      return;
    }
    if (!readOnlyAs(index, hybrid.weightInput)) return;
    // The op stays float when a companion weight cannot become int8 too.
    const companions = hybrid.companions.map((position) => [operator.inputs[position] ?? -1, position] as const);
    if (companions.some(([tensor, position]) => !isFloatConstant(subgraph.tensors[tensor]) || !readOnlyAs(tensor, position))) return;
    const perChannel = perChannelFor(operator, hybrid, options);
    quantizeOnce(index, perChannel ? hybrid.channelAxis : null);
    for (const [tensor] of companions) quantizeOnce(tensor, null);
    const version = Math.max(operator.version, hybrid.version(perChannel));
    operators[o] = { ...operator, version, builtinOptions: withAsymmetricInputs(operator) };
    const needed = MIN_RUNTIME_VERSION[`${operator.op}:${version}`];
    if (needed !== undefined && collected.runtimeVersion !== null && compareVersions(needed, collected.runtimeVersion) > 0) collected.runtimeVersion = needed;
  });
  return { ...subgraph, tensors, operators };
}

/** The file has one operator code per (op, version): the other ops of a hybrid op's kind take its version, as TF writes them. */
function shareVersions(subgraphs: Subgraph[]): Subgraph[] {
  const maxVersion = new Map<string, number>();
  for (const subgraph of subgraphs) {
    for (const operator of subgraph.operators) maxVersion.set(operator.op, Math.max(maxVersion.get(operator.op) ?? 0, operator.version));
  }
  return subgraphs.map((subgraph) => ({
    ...subgraph,
    operators: subgraph.operators.map((operator) => (HYBRID_OPS[operator.op] === undefined ? operator : { ...operator, version: maxVersion.get(operator.op) ?? operator.version })),
  }));
}

function notesFor(collected: Collected): string[] {
  const notes: string[] = [];
  const count = collected.tensors.length;
  if (count > 0) {
    notes.push(`${count} weight tensor${count === 1 ? '' : 's'} quantized to int8 (symmetric, per channel where TF does); activations stay float32 (hybrid ops).`);
    notes.push(TFLM_HYBRID_NOTE);
  } else {
    notes.push('Nothing was quantized: no FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, SVDF or UNIDIRECTIONAL_SEQUENCE_LSTM has a constant float32 weight tensor of at least '
      + `${MIN_ELEMENTS_FOR_WEIGHTS} elements, so the model stays float32, as TensorFlow's converter leaves it.`);
  }
  const small = collected.leftSmall;
  if (small > 0) notes.push(`${small} weight tensor${small === 1 ? '' : 's'} under ${MIN_ELEMENTS_FOR_WEIGHTS} elements left float32 (TF's minimum_elements_for_weights).`);
  if (collected.unsupported.size > 0) {
    notes.push(`Weights of ${[...collected.unsupported].sort().join(', ')} stay float32: TF quantizes them in this mode, but this package has no hybrid kernel for them.`);
  }
  return notes;
}

/**
 * The dynamic-range model of a float32 model. `options.perChannel === false` gives per-tensor
 * CONV_2D / DEPTHWISE_CONV_2D weights; FULLY_CONNECTED is per channel as TF 2.21 writes it unless
 * `options.perChannelFullyConnected === false`.
 */
export function quantizeDynamic(model: Model, options: QuantizeOptions): DynamicQuantizeResult {
  if (options.mode !== 'dynamic') throw new DynamicQuantizeError(`quantizeDynamic handles mode 'dynamic', got '${options.mode}'`);
  refuseQuantized(model);
  const originalVersion = versionText(model.metadata.min_runtime_version);
  const collected: Collected = { tensors: [], leftSmall: 0, unsupported: new Set(), runtimeVersion: originalVersion };
  const subgraphs = model.subgraphs.map((subgraph, s) => quantizeSubgraph(subgraph, s, options, collected));
  const quantized = collected.tensors.length > 0;
  const metadata = { ...model.metadata };
  if (collected.runtimeVersion !== null && collected.runtimeVersion !== originalVersion) metadata.min_runtime_version = versionBytes(collected.runtimeVersion);
  return {
    model: { ...model, subgraphs: quantized ? shareVersions(subgraphs) : subgraphs, metadata },
    tensors: collected.tensors,
    notes: notesFor(collected),
    runsOnTflm: !quantized,
  };
}
