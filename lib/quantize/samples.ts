// Representative and evaluation data from a file: JSON arrays, CSV rows, NumPy .npy or raw
// little-endian float32. A sample holds, per model input, that input's element count of values;
// the batch dimension of the model's inputs ([1, ...]) is not repeated in the data.
import { elementCount } from '../model/dtype.js';
import type { Model } from '../model/types.js';
import { isNpy, readNpy } from './npy.js';
import { SampleError } from './sample-error.js';
import type { Sample } from './types.js';

export { SampleError } from './sample-error.js';

export type SampleFormat = 'json' | 'csv' | 'npy' | 'f32' | 'auto';

export interface SampleInput {
  name: string;
  shape: readonly number[];
}

/** A model's inputs (subgraph 0) as readSamples takes them. */
export function modelInputs(model: Model): SampleInput[] {
  const graph = model.subgraphs[0];
  return graph === undefined ? [] : graph.inputs.map((index) => ({ name: graph.tensors[index].name, shape: graph.tensors[index].shape }));
}

interface InputSize {
  label: string;
  count: number;
}

function sizes(inputs: readonly SampleInput[]): InputSize[] {
  return inputs.map((input) => ({ label: `${input.name} [${input.shape.join(',')}]`, count: elementCount(input.shape) }));
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Copies values into float32, refusing NaN, infinities and values float32 cannot hold. */
function finiteFloat32(values: ArrayLike<number>, where: string): Float32Array {
  const out = new Float32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    out[k] = v;
    if (!Number.isFinite(v)) throw new SampleError(`${where}, element ${k} is ${v}`);
    if (!Number.isFinite(out[k])) throw new SampleError(`${where}, element ${k} is ${v}, beyond the float32 range`);
  }
  return out;
}

function oneInputOnly(inputs: readonly InputSize[], file: string, format: string): InputSize {
  if (inputs.length !== 1) {
    throw new SampleError(
      `${file}: ${format} carries one input per sample, the model has ${inputs.length} (${inputs.map((i) => i.label).join(', ')}); use JSON`,
    );
  }
  return inputs[0];
}

function nonEmpty(samples: Sample[], file: string): Sample[] {
  if (samples.length === 0) throw new SampleError(`${file}: no samples`);
  return samples;
}

/** Splits a flat run of values into samples of one input. */
function chunk(values: Float32Array | Float64Array, input: InputSize, file: string): Sample[] {
  const samples: Sample[] = [];
  for (let s = 0; s * input.count < values.length; s++) {
    samples.push([finiteFloat32(values.subarray(s * input.count, (s + 1) * input.count), `${file}: sample ${s}`)]);
  }
  return nonEmpty(samples, file);
}

function readF32(bytes: Uint8Array, inputs: readonly InputSize[], file: string): Sample[] {
  const input = oneInputOnly(inputs, file, 'raw float32');
  if (bytes.length % 4 !== 0) throw new SampleError(`${file}: ${bytes.length} bytes is not a whole number of float32 values`);
  const count = bytes.length / 4;
  if (count % input.count !== 0) {
    throw new SampleError(`${file}: ${plural(count, 'float32 value')} is not a multiple of the ${input.count} the input ${input.label} takes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
  return chunk(values, input, file);
}

function readNpySamples(bytes: Uint8Array, inputs: readonly InputSize[], file: string): Sample[] {
  const input = oneInputOnly(inputs, file, '.npy');
  const { shape, values } = readNpy(bytes, file);
  if (shape.length === 0) throw new SampleError(`${file}: a 0-dimensional array holds no samples`);
  const perSample = elementCount(shape.slice(1));
  if (perSample !== input.count) {
    throw new SampleError(
      `${file}: shape (${shape.join(', ')}) gives samples of ${plural(perSample, 'value')}, the input ${input.label} takes ${input.count}; use shape (N, ${input.count}) or (N, ...input shape)`,
    );
  }
  return chunk(values, input, file);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SPECIAL = /^[+-]?(nan|inf|infinity)$/i;

function parseCell(cell: string): number {
  if (NUMBER.test(cell)) return Number(cell);
  const lower = cell.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan' || lower === '-nan') return NaN;
  return lower.startsWith('-') ? -Infinity : Infinity;
}

function cellsOf(line: string): string[] {
  const cells = line.trim().split(/\s*[,;\t]\s*|\s+/).map((c) => c.replace(/^"(.*)"$/, '$1'));
  if (cells.length > 1 && cells[cells.length - 1] === '') cells.pop(); // a trailing separator
  return cells;
}

function readCsv(bytes: Uint8Array, inputs: readonly InputSize[], file: string): Sample[] {
  const input = oneInputOnly(inputs, file, 'CSV');
  const lines = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const samples: Sample[] = [];
  let seenRow = false;
  lines.forEach((line, i) => {
    const where = `${file} line ${i + 1}`;
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const cells = cellsOf(line);
    const numeric = cells.map((c) => NUMBER.test(c) || SPECIAL.test(c));
    const first = !seenRow;
    seenRow = true;
    if (numeric.includes(false)) {
      if (first && cells.some((c, k) => !numeric[k] && c !== '')) return; // the header row
      const c = numeric.indexOf(false);
      throw new SampleError(`${where}, column ${c + 1}: ${JSON.stringify(cells[c])} is not a number`);
    }
    if (cells.length !== input.count) {
      throw new SampleError(`${where}: ${plural(cells.length, 'value')}, the input ${input.label} takes ${input.count}`);
    }
    samples.push([finiteFloat32(cells.map(parseCell), `${where} (sample ${samples.length})`)]);
  });
  return nonEmpty(samples, file);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function flatten(value: Json, where: string, out: number[] = []): number[] {
  if (Array.isArray(value)) {
    for (const item of value) flatten(item, where, out);
  } else if (typeof value === 'number') {
    out.push(value);
  } else {
    throw new SampleError(`${where}, element ${out.length} is ${JSON.stringify(value)}, not a number`);
  }
  return out;
}

/** The per-input parts of one JSON sample. */
function jsonParts(sample: Json, inputs: readonly InputSize[], where: string): Json[] {
  if (sample !== null && typeof sample === 'object' && !Array.isArray(sample)) {
    const parts = sample.inputs;
    if (!Array.isArray(parts)) throw new SampleError(`${where}: an object sample needs "inputs": [...] (one entry per model input)`);
    if (parts.length !== inputs.length) throw new SampleError(`${where}: ${plural(parts.length, 'input')}, the model takes ${inputs.length}`);
    return parts;
  }
  if (inputs.length === 1) return [sample];
  if (!Array.isArray(sample) || sample.length !== inputs.length) {
    throw new SampleError(
      `${where}: the model takes ${inputs.length} inputs (${inputs.map((i) => i.label).join(', ')}); give each sample as [input0, input1, ...] or {"inputs": [...]}`,
    );
  }
  return sample;
}

function parseJson(bytes: Uint8Array, file: string): Json {
  try {
    return JSON.parse(new TextDecoder('utf-8').decode(bytes)) as Json;
  } catch (error) {
    throw new SampleError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

function readJson(bytes: Uint8Array, inputs: readonly InputSize[], file: string): Sample[] {
  const parsed = parseJson(bytes, file);
  if (!Array.isArray(parsed)) throw new SampleError(`${file}: expected an array of samples, got ${parsed === null ? 'null' : typeof parsed}`);
  const samples = parsed.map((sample, s): Sample => jsonParts(sample, inputs, `${file} sample ${s}`).map((part, i) => {
    const where = inputs.length === 1 ? `${file} sample ${s}` : `${file} sample ${s}, input ${i}`;
    const values = flatten(part, where);
    if (values.length !== inputs[i].count) {
      const wrap = s === 0 && inputs.length === 1 && parsed.length === inputs[i].count && parsed.every((v) => typeof v === 'number')
        ? ' (one sample alone still needs the outer array: [[...]])' : '';
      throw new SampleError(`${where}: ${plural(values.length, 'value')}, the input ${inputs[i].label} takes ${inputs[i].count}${wrap}`);
    }
    return finiteFloat32(values, where);
  }));
  return nonEmpty(samples, file);
}

const EXTENSIONS: Readonly<Record<string, Exclude<SampleFormat, 'auto'>>> = {
  json: 'json', csv: 'csv', tsv: 'csv', txt: 'csv', npy: 'npy', f32: 'f32', bin: 'f32', raw: 'f32',
};

/** The format from the file name's extension, else from the contents. */
export function detectSampleFormat(bytes: Uint8Array, fileName?: string): Exclude<SampleFormat, 'auto'> {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  const byName = extension === undefined ? undefined : EXTENSIONS[extension];
  if (byName !== undefined) return byName;
  if (isNpy(bytes)) return 'npy';
  const text = bytes.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b === 0xef || b === 0xbb || b === 0xbf);
  if (!text || bytes.length === 0) return 'f32';
  const firstChar = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '').trimStart()[0];
  return firstChar === '[' || firstChar === '{' ? 'json' : 'csv';
}

/**
 * Reads samples for a model whose inputs are `inputs` (name and shape, batch dimension included).
 * Errors name the file (`fileName`, default "samples") and the line or sample at fault.
 */
export function readSamples(
  bytes: Uint8Array,
  format: SampleFormat,
  inputs: ReadonlyArray<SampleInput>,
  fileName?: string,
): Sample[] {
  const file = fileName ?? 'samples';
  if (inputs.length === 0) throw new SampleError(`${file}: the model has no inputs`);
  if (bytes.length === 0) throw new SampleError(`${file}: the file is empty, no samples`);
  const inputSizes = sizes(inputs);
  const chosen = format === 'auto' ? detectSampleFormat(bytes, fileName) : format;
  switch (chosen) {
    case 'json': return readJson(bytes, inputSizes, file);
    case 'csv': return readCsv(bytes, inputSizes, file);
    case 'npy': return readNpySamples(bytes, inputSizes, file);
    case 'f32': return readF32(bytes, inputSizes, file);
  }
}
