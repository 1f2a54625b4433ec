// RESHAPE, SQUEEZE and EXPAND_DIMS only relabel their input's bytes, so their output may live in
// the input's arena buffer: the pair becomes one buffer whose lifetime spans both, and the
// kernel's copy finds source and target already the same memory (TFLM's reshape skips its memcpy
// the same way when the plan puts both at one address). A pair is merged only when sharing cannot
// change a value: neither tensor is a variable (ops write those in place), and in a subgraph that
// a control-flow op calls neither is a subgraph input or output (the caller copies into those).
import type { Model } from '../model/types.js';
import type { Kernel } from './kernels/kernel.js';
import { sharesInputMemory } from './kernels/copy-kernel.js';
import type { Lifetime } from './lifetimes.js';
import type { RuntimeTensor } from './tensor.js';

export interface AliasContext {
  model: Model;
  /** Per subgraph, per tensor. */
  tensors: readonly (readonly RuntimeTensor[])[];
  /** Per subgraph, per operator. */
  kernels: readonly (readonly Kernel[])[];
  lifetimes: ReadonlyArray<ReadonlyArray<Lifetime | null>>;
  /** Global tensor id (all subgraphs' tensors back to back) -> offline offset, or -1 / absent. */
  offlineOffsets: readonly number[] | null;
}

/** First global tensor id of each subgraph: TFLM numbers all subgraphs' tensors back to back. */
export function tensorIdBases(model: Model): number[] {
  const bases: number[] = [];
  let next = 0;
  for (const subgraph of model.subgraphs) {
    bases.push(next);
    next += subgraph.tensors.length;
  }
  return bases;
}

/** For every global tensor id, the id of the tensor whose buffer it uses (itself when not aliased). */
export function aliasRoots(ctx: AliasContext): number[] {
  const bases = tensorIdBases(ctx.model);
  const total = ctx.model.subgraphs.reduce((n, s) => n + s.tensors.length, 0);
  const parent = Array.from({ length: total }, (_, i) => i);
  const find = (id: number): number => {
    while (parent[id] !== id) {
      parent[id] = parent[parent[id]];
      id = parent[id];
    }
    return id;
  };
  const offlineOffset = (id: number): number => ctx.offlineOffsets?.[id] ?? -1;
  // Per group root: whether the group holds a graph input / a graph output of subgraph 0.
  const holdsInput = new Set(ctx.model.subgraphs[0]?.inputs ?? []);
  const holdsOutput = new Set(ctx.model.subgraphs[0]?.outputs ?? []);
  ctx.model.subgraphs.forEach((subgraph, s) => {
    const boundary = new Set([...subgraph.inputs, ...subgraph.outputs]);
    subgraph.operators.forEach((operator, o) => {
      const kernel = ctx.kernels[s][o];
      const [inputIndex] = operator.inputs;
      const [outputIndex] = operator.outputs;
      if (kernel === undefined || !sharesInputMemory(kernel) || inputIndex === undefined || outputIndex === undefined || inputIndex < 0) return;
      const input = ctx.tensors[s][inputIndex];
      const output = ctx.tensors[s][outputIndex];
      if (ctx.lifetimes[s][inputIndex] === null || ctx.lifetimes[s][outputIndex] === null) return;
      if (input.isVariable || output.isVariable || input.byteLength !== output.byteLength) return;
      if (s > 0 && (boundary.has(inputIndex) || boundary.has(outputIndex))) return;
      const a = find(bases[s] + inputIndex);
      const b = find(bases[s] + outputIndex);
      // Under an offline plan, only tensors it places at one offset (or both leaves to us) share.
      if (a === b || offlineOffset(a) !== offlineOffset(b)) return;
      // A graph input passed (through any chain) to a graph output stays apart from it, so the
      // caller can write the next input without changing an output it has not read yet.
      const reachesInput = holdsInput.has(a) || holdsInput.has(b);
      const reachesOutput = holdsOutput.has(a) || holdsOutput.has(b);
      if (reachesInput && reachesOutput) return;
      parent[b] = a;
      if (reachesInput) holdsInput.add(a);
      if (reachesOutput) holdsOutput.add(a);
    });
  });
  return parent.map((_, id) => find(id));
}
