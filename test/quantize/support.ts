// Shared helpers of the quantization tests: TensorFlow's sample files as Sample[], running a
// model over samples (real-valued outputs, quantized I/O converted by the tensors' own
// parameters) and the error measures the tests compare.
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/interpreter.js';
import { readValues, writeValues } from '../../lib/interpreter/values.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import type { Sample } from '../../lib/quantize/types.js';
import { SHARED } from '../support/paths.js';

export const GOLDEN_TF = path.join(SHARED, 'golden/tf');
export const KERAS_MODELS = path.join(SHARED, 'models/keras');
export const KERAS_MODEL_NAMES = ['sine_mlp', 'accel_cnn1d', 'kws_dscnn_tiny', 'mobilenet_block', 'dense_autoencoder', 'misc_acts', 'mlp_wide'];
export const INT16X8_MODEL_NAMES = ['sine_mlp', 'kws_dscnn_tiny', 'dense_autoencoder'];

export interface GoldenTensor {
  index: number;
  name: string;
  type: string;
  shape: number[];
  buffer_bytes: number;
  quantization: { scale: number[]; zero_point: number[]; quantized_dimension: number } | null;
}

export interface GoldenVariant {
  bytes: number;
  op_versions: [string, number][];
  flatbuffer: { subgraphs: { tensors: GoldenTensor[] }[] };
}

export interface GoldenModel {
  classifier: boolean;
  representative: { sample_shape: number[]; count: number };
  variants: Record<string, GoldenVariant | undefined>;
}

export function goldenJson(name: string): GoldenModel {
  return JSON.parse(fs.readFileSync(path.join(GOLDEN_TF, `${name}.json`), 'utf8')) as GoldenModel;
}

export function kerasModel(name: string, variant: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(KERAS_MODELS, `${name}.${variant}.tflite`)));
}

/** A raw float32 file of samples for a single-input model, `elements` values per sample. */
export function readF32Samples(file: string, elements: number): Sample[] {
  const bytes = fs.readFileSync(file);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (all.length % elements !== 0) throw new Error(`${file}: ${all.length} floats is not a multiple of ${elements}`);
  const samples: Sample[] = [];
  for (let i = 0; i < all.length; i += elements) samples.push([all.slice(i, i + elements)]);
  return samples;
}

export function goldenSamples(name: string, which: 'representative' | 'eval'): Sample[] {
  const elements = goldenJson(name).representative.sample_shape.reduce((a, b) => a * b, 1);
  return readF32Samples(path.join(GOLDEN_TF, `${name}.${which}.f32`), elements);
}

/** Output 0 of the model for each sample, as real numbers (dequantized). */
export function runModel(model: Model | Uint8Array, samples: readonly Sample[]): Float64Array[] {
  const interpreter = new Interpreter(model instanceof Uint8Array ? loadModel(model) : model);
  interpreter.allocate();
  return samples.map((sample) => {
    sample.forEach((values, i) => writeValues(interpreter.input(i), values));
    interpreter.invoke();
    return Float64Array.from(readValues(interpreter.output(0)));
  });
}

export function meanAbsError(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  let sum = 0;
  let n = 0;
  a.forEach((row, s) => row.forEach((v, i) => { sum += Math.abs(v - b[s][i]); n++; }));
  return sum / n;
}

function argmax(row: Float64Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Samples (of all) whose argmax equals the reference's. */
export function top1Agreements(a: readonly Float64Array[], reference: readonly Float64Array[]): number {
  return a.filter((row, s) => argmax(row) === argmax(reference[s])).length;
}
