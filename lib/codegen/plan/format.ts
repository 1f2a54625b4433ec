// The byte layout of the `tinyml_plan` metadata buffer (docs/tinyml-plan.md): little-endian
// int32 words, a header with magic, version, length and a CRC-32 of everything after it.
import { crc32 } from '../crc32.js';
import { kernelById } from './kernel-ids.js';

export const TINYML_PLAN = 'tinyml_plan';
export const PLAN_MAGIC = 0x4c504d54; // "TMPL" read as a little-endian uint32
export const PLAN_VERSION = 1;
export const HEADER_WORDS = 11;
/** A tensor that does not live in the arena (constant, or never used). */
export const NO_OFFSET = 0xffffffff;

export interface PlanOperator {
  kernelId: number;
  params: number[];
  /** Arena scratch the kernel needs during its invoke; its offset goes into params[scratchParam]. */
  scratchBytes?: number;
  scratchParam?: number;
  /** Arena memory that keeps its value across invokes (kernel state), zeroed by tm_init/tm_reset; its offset goes into params[persistentParam]. */
  persistentBytes?: number;
  persistentParam?: number;
}

export interface TinymlPlan {
  version: number;
  arenaSize: number;
  subgraph: number;
  inputs: number[];
  outputs: number[];
  /** Per tensor of the subgraph: its arena offset, or NO_OFFSET. */
  offsets: number[];
  /** Per tensor: its size in bytes. */
  sizes: number[];
  /** Variable tensors (SVDF/LSTM state) and the byte tm_init/tm_reset fill them with. */
  variables: { tensor: number; fill: number }[];
  operators: PlanOperator[];
}

export class TinymlPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TinymlPlanError';
  }
}

export function encodePlan(plan: Omit<TinymlPlan, 'version'>): Uint8Array {
  const words: number[] = [
    PLAN_MAGIC, PLAN_VERSION, 0, 0, plan.arenaSize, plan.subgraph, plan.offsets.length, plan.operators.length,
    plan.inputs.length, plan.outputs.length, plan.variables.length, ...plan.inputs, ...plan.outputs, ...plan.offsets, ...plan.sizes,
    ...plan.variables.flatMap((v) => [v.tensor, v.fill]),
  ];
  for (const op of plan.operators) words.push(op.kernelId, op.params.length, ...op.params);
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word >>> 0, true));
  view.setUint32(8, bytes.length, true);
  view.setUint32(12, crc32(bytes.subarray(16)), true);
  return bytes;
}

/** The plan in `bytes`, checked as the device checks it; the error names what is wrong. */
export function decodePlan(bytes: Uint8Array): TinymlPlan {
  const fail = (detail: string): never => { throw new TinymlPlanError(`${TINYML_PLAN}: ${detail}`); };
  if (bytes.length < HEADER_WORDS * 4) fail(`${bytes.length} bytes, shorter than the ${HEADER_WORDS * 4}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (i: number): number => view.getUint32(i * 4, true);
  if (word(0) !== PLAN_MAGIC) fail(`bad magic 0x${word(0).toString(16)}, expected 0x${PLAN_MAGIC.toString(16)} ("TMPL")`);
  if (word(1) !== PLAN_VERSION) fail(`version ${word(1)}; this build reads version ${PLAN_VERSION}`);
  if (word(2) !== bytes.length || bytes.length % 4 !== 0) fail(`header says ${word(2)} bytes, the buffer has ${bytes.length}`);
  const crc = crc32(bytes.subarray(16));
  if (word(3) !== crc) fail(`CRC-32 mismatch: stored 0x${word(3).toString(16)}, computed 0x${crc.toString(16)} (the plan was modified or truncated)`);
  const total = bytes.length / 4;
  const [arenaSize, subgraph, tensorCount, operatorCount, inputCount, outputCount, variableCount] = [4, 5, 6, 7, 8, 9, 10].map(word);
  let at = HEADER_WORDS;
  const take = (count: number, what: string): number[] => {
    if (count > total - at) fail(`${what} (${count} words at word ${at}) run past the end (${total} words)`);
    const values = Array.from({ length: count }, (_, i) => word(at + i));
    at += count;
    return values;
  };
  const inputs = take(inputCount, 'inputs');
  const outputs = take(outputCount, 'outputs');
  const offsets = take(tensorCount, 'tensor offsets');
  const sizes = take(tensorCount, 'tensor sizes');
  const variablePairs = take(2 * variableCount, 'variable tensors');
  const variables = Array.from({ length: variableCount }, (_, i) => ({ tensor: variablePairs[2 * i], fill: variablePairs[2 * i + 1] }));
  variables.forEach(({ tensor }) => {
    if (tensor >= tensorCount || offsets[tensor] === NO_OFFSET) fail(`variable tensor ${tensor} is not in the arena`);
  });
  offsets.forEach((offset, t) => {
    if (offset !== NO_OFFSET && offset + sizes[t] > arenaSize) fail(`tensor ${t} ends at ${offset + sizes[t]}, past the ${arenaSize}-byte arena`);
  });
  [...inputs, ...outputs].forEach((t) => {
    if (t >= tensorCount || offsets[t] === NO_OFFSET) fail(`input/output tensor ${t} is not in the arena`);
  });
  const operators: PlanOperator[] = [];
  for (let i = 0; i < operatorCount; i++) {
    const [kernelId, count] = take(2, `operator ${i} header`);
    if (kernelById(kernelId) === null) fail(`operator ${i} has unknown kernel id ${kernelId}`);
    operators.push({ kernelId, params: take(count, `operator ${i} parameters`).map((v) => v | 0) });
  }
  if (at !== total) fail(`${total - at} words left over after ${operatorCount} operators`);
  return { version: PLAN_VERSION, arenaSize, subgraph, inputs, outputs, offsets, sizes, variables, operators };
}
