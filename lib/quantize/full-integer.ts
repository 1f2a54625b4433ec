// Full-integer post-training quantization (int8, int16x8), as TensorFlow's converter does it:
// fold, calibrate, choose parameters op by op (weights symmetric per channel, biases at
// input scale × weight scale, activations from their calibrated ranges, the spec's fixed and
// shared parameters), rewrite every float tensor, then put the requested I/O types at the edges.
import { AddOptionsT, BuiltinOptions, SubOptionsT } from '../model/schema/tflite.js';
import type { Model, Operator, Quantization, Subgraph, Tensor } from '../model/types.js';
import { calibrate, type CalibrationRanges } from './calibrate.js';
import { foldModel } from './fold.js';
import { addIoEdges, checkIoType, type IoType } from './io-edges.js';
import { conversionMetadataFor } from './conversion-metadata.js';
import {
  canQuantize, fixedOutputParams, quantizedOpVersion, SAME_SCALE_OPS, SHARED_INPUT_OPS, WEIGHT_AXIS,
  type ActivationType,
} from './op-rules.js';
import {
  activationParams, adjustForBias, biasScales, quantizeBias, quantizeValue, quantizeWeights, type AffineParams,
} from './params.js';
import { makeOperator } from './operators.js';
import { bytesOf, floatValues } from './tensor-data.js';
import type { QuantizeOptions, TensorQuantization } from './types.js';

export interface FullIntegerResult {
  model: Model;
  tensors: TensorQuantization[];
  notes: string[];
}

const QUANTIZED_DTYPES = new Set(['int8', 'uint8', 'int16', 'int4']);


/** `min`/`max`: the ranges TF's int16x8 models record (its int8 models record none). */
function quantization(scales: readonly number[], zeroPoints: readonly number[], axis = 0, min: number[] = [], max: number[] = []): Quantization {
  return { scale: scales.map(Math.fround), zeroPoint: [...zeroPoints], quantizedDimension: axis, min: min.map(Math.fround), max: max.map(Math.fround), details: null };
}

/** Refuses what cannot be quantized, before any work. */
function checkModel(model: Model, activation: ActivationType): void {
  if (model.subgraphs.length !== 1) {
    throw new Error(`the model has ${model.subgraphs.length} subgraphs; full-integer quantization handles single-subgraph models`);
  }
  const main = model.subgraphs[0];
  main.tensors.forEach((t, i) => {
    if (QUANTIZED_DTYPES.has(t.dtype) || (t.quantization !== null && t.quantization.scale.length > 0)) {
      throw new Error(`the model is already quantized: tensor ${i} ('${t.name}') is ${t.dtype} with quantization parameters`);
    }
  });
  main.operators.forEach((op, i) => {
    const touchesFloat = [...op.inputs, ...op.outputs].some((t) => t >= 0 && main.tensors[t].dtype === 'float32');
    if (touchesFloat && !canQuantize(op.op, activation)) {
      const mode = activation === 'int8' ? 'int8' : 'int16x8';
      throw new Error(`subgraph 0, operator ${i} (${op.op}): ${mode} quantization of this op is not supported`);
    }
  });
}

interface Plan {
  /** Activation (and non-weight constant) parameters by tensor index. */
  params: (AffineParams | null)[];
  /** Weight tensors by index -> the op that owns them. */
  weightOf: Map<number, { op: Operator; opIndex: number }>;
  biasOf: Map<number, { op: Operator; opIndex: number }>;
  /** Requantizations to insert: before operator opIndex, input slot k of tensor t gets params. */
  requantize: { opIndex: number; slot: number; params: AffineParams }[];
}

function rangeOf(ranges: CalibrationRanges, index: number, tensor: Tensor, where: string): { min: number; max: number } {
  const range = ranges[index];
  if (range === null) throw new Error(`${where}: tensor ${index} ('${tensor.name}') got no values during calibration`);
  return range;
}

function planParameters(main: Subgraph, ranges: CalibrationRanges, activation: ActivationType): Plan {
  const params: (AffineParams | null)[] = main.tensors.map(() => null);
  const weightOf = new Map<number, { op: Operator; opIndex: number }>();
  const biasOf = new Map<number, { op: Operator; opIndex: number }>();
  const requantize: Plan['requantize'] = [];
  const isFloat = (t: number): boolean => t >= 0 && main.tensors[t].dtype === 'float32';
  const calibrated = (t: number, where: string): AffineParams => {
    const r = rangeOf(ranges, t, main.tensors[t], where);
    return activationParams(r.min, r.max, activation);
  };
  for (const t of main.inputs) if (isFloat(t)) params[t] = calibrated(t, 'model input');

  main.operators.forEach((op, opIndex) => {
    const where = `subgraph 0, operator ${opIndex} (${op.op})`;
    if (op.op in WEIGHT_AXIS) {
      const [, weights, bias] = op.inputs;
      if (main.tensors[weights]?.data === null) throw new Error(`${where}: input 1 (weights) is not constant`);
      weightOf.set(weights, { op, opIndex });
      if (bias !== undefined && bias >= 0) {
        if (main.tensors[bias].data === null) throw new Error(`${where}: input 2 (bias) is not constant`);
        biasOf.set(bias, { op, opIndex });
      }
    }
    // Constant float operands of other ops: per-tensor parameters from their own values.
    op.inputs.forEach((t) => {
      if (!isFloat(t) || params[t] !== null || weightOf.has(t) || biasOf.has(t) || main.tensors[t].data === null) return;
      const values = floatValues(main.tensors[t]);
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      params[t] = activationParams(min, max, activation);
    });
    const fixed = fixedOutputParams(op.op, activation);
    // SPLIT's data is input 1 (input 0 is the axis).
    const dataInput = op.inputs.find(isFloat);
    for (const t of op.outputs) {
      if (!isFloat(t)) continue;
      if (fixed !== null) params[t] = fixed;
      else if (SAME_SCALE_OPS.has(op.op) && dataInput !== undefined && params[dataInput] !== null) params[t] = params[dataInput];
      else params[t] = calibrated(t, where);
    }
    if (SHARED_INPUT_OPS.has(op.op)) {
      const out = params[op.outputs[0]];
      op.inputs.forEach((t, slot) => {
        const p = params[t];
        if (out === null || p === null || (p.scale === out.scale && p.zeroPoint === out.zeroPoint)) return;
        // Changing the input's own parameters instead would break ops that already use them.
        requantize.push({ opIndex, slot, params: out });
      });
    }
  });
  return { params, weightOf, biasOf, requantize };
}

/**
 * Rewrites a float model into a full-integer one. `tensors` lists every quantized tensor with
 * sqnrDb null (the report fills it); every tensor keeps the float model's name, added tensors
 * (I/O conversions, requantizations) get new ones.
 */
export function quantizeFullInteger(floatModel: Model, options: QuantizeOptions): FullIntegerResult {
  if (options.mode !== 'int8' && options.mode !== 'int16x8') throw new Error(`quantizeFullInteger: mode '${options.mode}' is not full-integer`);
  const activation: ActivationType = options.mode === 'int8' ? 'int8' : 'int16';
  checkModel(floatModel, activation);
  const ioTypes = {
    input: options.inputType ?? (activation === 'int8' ? 'int8' : 'int16'),
    output: options.outputType ?? (activation === 'int8' ? 'int8' : 'int16'),
  } satisfies Record<string, IoType>;
  checkIoType(ioTypes.input, activation, 'input');
  checkIoType(ioTypes.output, activation, 'output');
  const representative = options.representative ?? [];
  const notes: string[] = [];
  const folded = foldModel(floatModel);
  notes.push(...folded.notes);
  const model = folded.model;
  const ranges = calibrate(model, representative, options.onProgress);
  const main = model.subgraphs[0];
  const plan = planParameters(main, ranges, activation);
  const perChannel = options.perChannel ?? true;
  const perChannelFc = options.perChannelFullyConnected ?? false;
  const biasDtype = activation === 'int8' ? 'int32' : 'int64';
  const report: TensorQuantization[] = [];
  const total = main.tensors.length;
  const recordRanges = activation === 'int16';
  /** Weight and bias scales of a FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D, computed once per op. */
  const affineCache = new Map<number, { weights: ReturnType<typeof quantizeWeights>; biasScales: number[] }>();
  const affine = (opIndex: number): { weights: ReturnType<typeof quantizeWeights>; biasScales: number[] } => {
    const cached = affineCache.get(opIndex);
    if (cached !== undefined) return cached;
    const op = main.operators[opIndex];
    const axis = (op.op === 'FULLY_CONNECTED' ? perChannelFc : perChannel) ? WEIGHT_AXIS[op.op] : null;
    const weightTensor = main.tensors[op.inputs[1]];
    const values = floatValues(weightTensor);
    let weights = quantizeWeights(values, weightTensor.shape, axis);
    const inputParams = plan.params[op.inputs[0]];
    if (inputParams === null) throw new Error(`subgraph 0, operator ${opIndex} (${op.op}): input 0 has no quantization parameters`);
    let scales = biasScales(inputParams.scale, weights.scales);
    const bias = op.inputs[2] ?? -1;
    if (bias >= 0 && activation === 'int8') {
      const adjusted = adjustForBias(floatValues(main.tensors[bias]), inputParams.scale, weights.scales);
      if (adjusted.adjusted > 0) {
        weights = quantizeWeights(values, weightTensor.shape, axis, adjusted.weightScales);
        notes.push(`operator ${opIndex} (${op.op}): ${adjusted.adjusted} weight scale(s) widened so the bias fits in INT32_MAX / 2 (as TF does)`);
      }
      scales = adjusted.biasScales;
    }
    const result = { weights, biasScales: scales };
    affineCache.set(opIndex, result);
    return result;
  };

  const tensors: Tensor[] = main.tensors.map((tensor, index) => {
    options.onProgress?.({ stage: 'quantize', done: index + 1, total });
    if (tensor.dtype !== 'float32') return tensor;
    const weight = plan.weightOf.get(index);
    const bias = plan.biasOf.get(index);
    let result: Tensor;
    let range: { min: number; max: number } | null = null;
    if (weight !== undefined) {
      const q = affine(weight.opIndex).weights;
      const [wmin, wmax] = recordRanges ? [q.channelMin, q.channelMax] : [[], []];
      result = { ...tensor, dtype: 'int8', data: bytesOf(q.data), quantization: quantization(q.scales, q.scales.map(() => 0), q.axis, wmin, wmax) };
      range = { min: q.min, max: q.max };
    } else if (bias !== undefined) {
      const values = floatValues(tensor);
      const q = quantizeBias(values, affine(bias.opIndex).biasScales, biasDtype);
      if (q.saturated > 0) notes.push(`bias '${tensor.name}': ${q.saturated} value(s) saturated to the int32 range (input scale × weight scale is too small for them)`);
      result = { ...tensor, dtype: biasDtype, data: bytesOf(q.data), quantization: quantization(q.scales, q.scales.map(() => 0)) };
      range = { min: Math.min(...values), max: Math.max(...values) };
    } else {
      const p = plan.params[index];
      if (p === null) return tensor;
      let data: Uint8Array | null = null;
      if (tensor.data !== null) {
        const values = floatValues(tensor);
        const [qmin, qmax] = activation === 'int8' ? [-128, 127] : [-32767, 32767];
        const q = activation === 'int8' ? new Int8Array(values.length) : new Int16Array(values.length);
        values.forEach((v, i) => { q[i] = quantizeValue(v, p.scale, p.zeroPoint, qmin, qmax); });
        data = bytesOf(q);
        range = { min: Math.min(...values), max: Math.max(...values) };
      } else range = ranges[index];
      const [amin, amax] = recordRanges && range !== null ? [[range.min], [range.max]] : [[], []];
      result = { ...tensor, dtype: activation, data, quantization: quantization([p.scale], [p.zeroPoint], 0, amin, amax) };
    }
    report.push({
      subgraph: 0, tensor: index, name: tensor.name, dtype: result.dtype,
      scale: result.quantization?.scale ?? [], zeroPoint: result.quantization?.zeroPoint ?? [],
      min: range?.min ?? null, max: range?.max ?? null, sqnrDb: null,
    });
    return result;
  });

  const operators = main.operators.map((op): Operator => {
    const floatInputs = op.inputs.some((t) => t >= 0 && main.tensors[t].dtype === 'float32');
    const version = quantizedOpVersion(op.op, activation, floatInputs, op.version);
    return activation === 'int16' ? { ...op, version, ...int16Options(op) } : { ...op, version };
  });

  // Requantizations (shared-parameter ops whose inputs differ), inserted before their op.
  const inserted: { before: number; op: Operator }[] = [];
  for (const r of plan.requantize) {
    const source = operators[r.opIndex].inputs[r.slot];
    const from = tensors[source];
    const index = tensors.length;
    tensors.push({ ...from, name: `${from.name}_requantized`, shapeSignature: from.shapeSignature, data: null, quantization: quantization([r.params.scale], [r.params.zeroPoint]) });
    operators[r.opIndex] = { ...operators[r.opIndex], inputs: operators[r.opIndex].inputs.map((t, k) => (k === r.slot ? index : t)) };
    inserted.push({ before: r.opIndex, op: makeOperator('QUANTIZE', [source], [index], quantizedOpVersion('QUANTIZE', activation, true, 1)) });
    report.push({ subgraph: 0, tensor: index, name: tensors[index].name, dtype: activation, scale: [r.params.scale], zeroPoint: [r.params.zeroPoint], min: null, max: null, sqnrDb: null });
  }
  const ordered: Operator[] = [];
  operators.forEach((op, i) => {
    for (const ins of inserted) if (ins.before === i) ordered.push(ins.op);
    ordered.push(op);
  });
  if (inserted.length > 0) notes.push(`${inserted.length} QUANTIZE op(s) requantize inputs of CONCATENATION/PACK to the output's parameters`);

  const quantizedMain: Subgraph = { ...main, tensors, operators: ordered };
  const io = addIoEdges(quantizedMain, activation, ioTypes);
  report.push(...io.added);
  notes.push(...io.notes);
  const metadata = { ...model.metadata };
  if (metadata.min_runtime_version !== undefined) metadata.min_runtime_version = minRuntimeVersion(metadata.min_runtime_version, activation);
  if (metadata.CONVERSION_METADATA !== undefined) {
    const patched = conversionMetadataFor(metadata.CONVERSION_METADATA, activation === 'int8' ? 'PTQ_FULL_INTEGER' : 'PTQ_INT16');
    if (patched !== null) metadata.CONVERSION_METADATA = patched;
  }
  if (perChannelFc) notes.push('FULLY_CONNECTED weights per channel (as TF 2.21 writes them)');
  // The I/O tensors' entries describe them as the edges left them (float I/O: not quantized).
  const final = report.flatMap((entry): TensorQuantization[] => {
    const t = io.subgraph.tensors[entry.tensor];
    if (t.quantization === null) return [];
    return [{ ...entry, dtype: t.dtype, scale: [...t.quantization.scale], zeroPoint: [...t.quantization.zeroPoint] }];
  });
  final.sort((a, b) => a.tensor - b.tensor);
  return { model: { ...model, subgraphs: [io.subgraph], metadata }, tensors: final, notes };
}

/**
 * Options int16x8 ops need: TF's FULLY_CONNECTED / CONV_2D record their int64 bias in
 * quantized_bias_type; ADD / SUB with calibrated (not power-of-two) scales need
 * pot_scale_int16 = false, or TFLite takes its power-of-two-only path.
 */
function int16Options(op: Operator): Pick<Operator, 'builtinOptions' | 'builtinOptionsType'> {
  const options = op.builtinOptions;
  const copy = <T extends object>(o: T, field: string, value: unknown): T => {
    const c = Object.assign(Object.create(Object.getPrototypeOf(o) as object) as T, o);
    (c as Record<string, unknown>)[field] = value;
    return c;
  };
  if ((op.op === 'FULLY_CONNECTED' || op.op === 'CONV_2D') && options !== null && (op.inputs[2] ?? -1) >= 0) {
    return { builtinOptions: copy(options, 'quantizedBiasType', INT64_TENSOR_TYPE), builtinOptionsType: op.builtinOptionsType };
  }
  if (op.op === 'ADD' || op.op === 'SUB') {
    const base = options ?? (op.op === 'ADD' ? new AddOptionsT() : new SubOptionsT());
    return {
      builtinOptions: copy(base, 'potScaleInt16', false),
      builtinOptionsType: op.op === 'ADD' ? BuiltinOptions.AddOptions : BuiltinOptions.SubOptions,
    };
  }
  return { builtinOptions: options, builtinOptionsType: op.builtinOptionsType };
}

/** TensorType.INT64 in the schema. */
const INT64_TENSOR_TYPE = 4;

/** int8 models need TFLite 1.14.0 at least (as TF writes); int16x8 keep the float model's. The buffer keeps its length (zero padded). */
function minRuntimeVersion(bytes: Uint8Array, activation: ActivationType): Uint8Array {
  if (activation === 'int16') return bytes;
  const text = new TextDecoder().decode(bytes).replace(/\0+$/, '');
  const parse = (v: string): number[] => v.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const [a, b] = [parse(text), parse('1.14.0')];
  const older = a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && (a[2] ?? 0) < (b[2] ?? 0))));
  if (!older) return bytes;
  const out = new Uint8Array(Math.max(bytes.length, 6));
  out.set(new TextEncoder().encode('1.14.0'));
  return out;
}
