// Full-integer post-training quantization (int8, int16x8), as TensorFlow's converter does it:
// fold, calibrate, choose parameters op by op (weights symmetric per channel, biases at
// input scale × weight scale, activations from their calibrated ranges, the spec's fixed and
// shared parameters), rewrite every float tensor, then put the requested I/O types at the edges.
import { AddOptionsT, BuiltinOptions, SubOptionsT } from '../model/schema/tflite.js';
import type { Model, Operator, Subgraph, Tensor } from '../model/types.js';
import { calibrate } from './calibrate.js';
import { foldModel } from './fold.js';
import { addIoEdges, checkIoType, type IoType } from './io-edges.js';
import { conversionMetadataFor } from './conversion-metadata.js';
import { canQuantize, quantizedOpVersion, type ActivationType } from './op-rules.js';
import { makeOperator } from './operators.js';
import { planParameters, type Plan } from './plan.js';
import { quantization, quantizeTensors } from './rewrite-tensors.js';
import type { QuantizeOptions, TensorQuantization } from './types.js';

export interface FullIntegerResult {
  model: Model;
  tensors: TensorQuantization[];
  notes: string[];
}

const QUANTIZED_DTYPES = new Set(['int8', 'uint8', 'int16', 'int4']);

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
  // TF 2.21 writes per-channel FULLY_CONNECTED weights; per tensor costs up to 1.16x its MAE on the Keras models.
  const perChannelFc = options.perChannelFullyConnected ?? true;
  const rewritten = quantizeTensors(main, plan, ranges, {
    activation, perChannel: options.perChannel ?? true, perChannelFullyConnected: perChannelFc, onProgress: options.onProgress,
  });
  const { tensors, report } = rewritten;
  notes.push(...rewritten.notes);

  const operators = main.operators.map((op): Operator => {
    const floatInputs = op.inputs.some((t) => t >= 0 && main.tensors[t].dtype === 'float32');
    const version = quantizedOpVersion(op.op, activation, floatInputs, op.version);
    return activation === 'int16' ? { ...op, version, ...int16Options(op) } : { ...op, version };
  });

  const ordered = insertRequantizations(plan.requantize, tensors, operators, activation, report);
  if (ordered.length > operators.length) {
    notes.push(`${ordered.length - operators.length} QUANTIZE op(s) requantize inputs of CONCATENATION/PACK to the output's parameters`);
  }
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
  if (!perChannelFc) notes.push('FULLY_CONNECTED weights per tensor (as asked; TF 2.21 writes them per channel)');
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
 * A QUANTIZE before each op input that must take other parameters (shared-parameter ops whose
 * inputs differ), into a new tensor `<name>_requantized`. Appends to `tensors` and `report`;
 * returns the operators in their new order.
 */
function insertRequantizations(
  requantize: Plan['requantize'],
  tensors: Tensor[],
  operators: Operator[],
  activation: ActivationType,
  report: TensorQuantization[],
): Operator[] {
  const before = new Map<number, Operator[]>();
  const ops = [...operators];
  for (const r of requantize) {
    const source = ops[r.opIndex].inputs[r.slot];
    const from = tensors[source];
    const index = tensors.push({
      ...from, name: `${from.name}_requantized`, data: null, quantization: quantization([r.params.scale], [r.params.zeroPoint]),
    }) - 1;
    ops[r.opIndex] = { ...ops[r.opIndex], inputs: ops[r.opIndex].inputs.map((t, k) => (k === r.slot ? index : t)) };
    const quantize = makeOperator('QUANTIZE', [source], [index], quantizedOpVersion('QUANTIZE', activation, true, 1));
    before.set(r.opIndex, [...(before.get(r.opIndex) ?? []), quantize]);
    report.push({
      subgraph: 0, tensor: index, name: tensors[index].name, dtype: activation,
      scale: [r.params.scale], zeroPoint: [r.params.zeroPoint], min: null, max: null, sqnrDb: null,
    });
  }
  return ops.flatMap((op, i) => [...(before.get(i) ?? []), op]);
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
