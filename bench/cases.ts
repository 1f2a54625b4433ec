// The reference models the invoke benchmark runs, each with one frame of inputs and the output
// TFLM's reference kernels produced for it, so every runtime's answer can be checked before its
// time is believed:
// - every model with a TFLM golden (../shared/golden/<name>.json): its seed1 case;
// - the Keras-derived int8 and float models (../shared/models/keras): the first eval sample of
//   golden/tf, and the first output of golden/keras/<model>.<variant>.eval.tflm_output0.bin.
import fs from 'node:fs';
import path from 'node:path';
import { byteLengthOf, elementCount } from '../lib/model/dtype.js';
import { loadModel } from '../lib/model/read.js';
import type { DType, Model, Tensor } from '../lib/model/types.js';
import { SHARED } from '../test/support/paths.js';

const GOLDEN = path.join(SHARED, 'golden');
const KERAS_MODELS = ['kws_dscnn_tiny', 'mobilenet_block', 'accel_cnn1d', 'dense_autoencoder'];
const KERAS_VARIANTS = ['int8', 'float'];

export interface ModelCase {
  /** 'person_detect', or '<keras model>.<variant>'. */
  name: string;
  /** Path relative to ../shared. */
  file: string;
  bytes: Uint8Array;
  /** Raw bytes of each input tensor, one frame. */
  inputs: Uint8Array[];
  /** TFLM's raw output bytes after one invoke on a fresh interpreter; null when there are none. */
  expected: Uint8Array[] | null;
  inputsFrom: string;
  tflmInvokeUs: number | null;
  tflmArenaBytes: number | null;
}

interface GoldenFile {
  model: string;
  arena_used_bytes_x86_64?: number;
  cases: Array<{ case: string; invoke_us_median?: number; inputs?: unknown[]; outputs?: unknown[] }>;
}

interface KerasCheck {
  models: Array<{ model: string; arena_used_bytes_x86_64?: number; tflm_output_file: string }>;
}

function read(file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(file));
}

function goldenCase(file: string): ModelCase {
  const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN, file), 'utf8')) as GoldenFile;
  const name = file.replace(/\.json$/, '');
  const seed1 = golden.cases.find((c) => c.case === 'seed1');
  if (seed1 === undefined) throw new Error(`${file}: no seed1 case`);
  // A model TFLM refused (person_detect_vela) has a seed1 case with neither inputs nor outputs.
  const inputs = (seed1.inputs ?? []).map((_, k) => read(path.join(GOLDEN, `${name}.seed1.input${k}.bin`)));
  const expected = (seed1.outputs ?? []).length === 0 ? null
    : (seed1.outputs ?? []).map((_, k) => read(path.join(GOLDEN, `${name}.seed1.output${k}.bin`)));
  return {
    name,
    file: golden.model,
    bytes: read(path.join(SHARED, golden.model)),
    inputs,
    expected,
    inputsFrom: 'golden seed1',
    tflmInvokeUs: seed1.invoke_us_median ?? null,
    tflmArenaBytes: golden.arena_used_bytes_x86_64 ?? null,
  };
}

function tensorBytes(tensor: Tensor): number {
  return byteLengthOf(tensor.dtype, elementCount(tensor.shape));
}

function kerasCase(model: string, variant: string, check: KerasCheck): ModelCase {
  const file = `models/keras/${model}.${variant}.tflite`;
  const entry = check.models.find((m) => m.model === file);
  if (entry === undefined) throw new Error(`keras_tflm_check.json has no ${file}`);
  const bytes = read(path.join(SHARED, file));
  const subgraph = loadModel(bytes).subgraphs[0];
  const input = subgraph.tensors[subgraph.inputs[0]];
  const output = subgraph.tensors[subgraph.outputs[0]];
  const evalFile = input.dtype === 'float32' ? `${model}.eval.f32` : `${model}.${variant}.eval_in.bin`;
  const samples = read(path.join(GOLDEN, 'tf', evalFile));
  const outputs = read(path.join(GOLDEN, entry.tflm_output_file));
  return {
    name: `${model}.${variant}`,
    file,
    bytes,
    inputs: [samples.slice(0, tensorBytes(input))],
    expected: [outputs.slice(0, tensorBytes(output))],
    inputsFrom: `golden/tf ${evalFile} sample 0`,
    tflmInvokeUs: null,
    tflmArenaBytes: entry.arena_used_bytes_x86_64 ?? null,
  };
}

export function referenceCases(): ModelCase[] {
  const goldens = fs.readdirSync(GOLDEN)
    .filter((f) => f.endsWith('.json') && !f.includes('check'))
    .sort()
    .map(goldenCase);
  const check = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'keras_tflm_check.json'), 'utf8')) as KerasCheck;
  const keras = KERAS_MODELS.flatMap((m) => KERAS_VARIANTS.map((v) => kerasCase(m, v, check)));
  return [...goldens, ...keras];
}

/** Raw tensor bytes as numbers in the tensor's own units (integers stay integers). */
export function decodeValues(dtype: DType, bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read: Partial<Record<DType, [number, (offset: number) => number]>> = {
    float32: [4, (o) => view.getFloat32(o, true)],
    int8: [1, (o) => view.getInt8(o)],
    uint8: [1, (o) => view.getUint8(o)],
    bool: [1, (o) => view.getUint8(o)],
    int16: [2, (o) => view.getInt16(o, true)],
    uint16: [2, (o) => view.getUint16(o, true)],
    int32: [4, (o) => view.getInt32(o, true)],
    uint32: [4, (o) => view.getUint32(o, true)],
  };
  const reader = read[dtype];
  if (reader === undefined) throw new Error(`cannot decode ${dtype} values`);
  const [size, at] = reader;
  return Array.from({ length: Math.floor(bytes.byteLength / size) }, (_, i) => at(i * size));
}

/** The model's output tensors, for peers that need their dtype and quantization. */
export function outputTensors(model: Model): Tensor[] {
  const subgraph = model.subgraphs[0];
  return subgraph.outputs.map((i) => subgraph.tensors[i]);
}

export function inputTensors(model: Model): Tensor[] {
  const subgraph = model.subgraphs[0];
  return subgraph.inputs.map((i) => subgraph.tensors[i]);
}

/**
 * The largest |actual - expected| over every output element, in the output's own units: LSBs
 * for integer outputs, plain values for float ones. Infinity when the element counts differ.
 */
export function maxAbsDiff(actual: readonly (readonly number[])[], expected: readonly (readonly number[])[]): number {
  if (actual.length !== expected.length) return Infinity;
  let max = 0;
  actual.forEach((values, k) => {
    if (values.length !== expected[k].length) max = Infinity;
    else values.forEach((v, i) => { max = Math.max(max, Math.abs(v - expected[k][i])); });
  });
  return Number.isNaN(max) ? Infinity : max;
}
