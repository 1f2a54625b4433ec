// The whole arena plan of a model, as TFLM's MicroAllocator commits it: lifetimes of every
// subgraph's tensors and of the kernels' scratch buffers, RESHAPE-like pairs merged into one
// buffer, offsets an OfflineMemoryAllocation plan fixes, and the greedy planner for the rest.
import type { Model } from '../model/types.js';
import { aliasRoots, tensorIdBases } from './aliases.js';
import { InterpreterError } from './errors.js';
import type { Kernel } from './kernels/kernel.js';
import { graphLifetimes, type Lifetime, type ScratchOwner } from './lifetimes.js';
import { OFFLINE_MEMORY_ALLOCATION, readOfflinePlan } from './offline-plan-format.js';
import { livesTogether, planMemory, type BufferRequest } from './planner.js';
import type { RuntimeTensor } from './tensor.js';

export interface ScratchRequest extends ScratchOwner {
  byteLength: number;
}

export interface ArenaPlanInput {
  model: Model;
  /** Per subgraph, per tensor. */
  tensors: readonly (readonly RuntimeTensor[])[];
  /** Per subgraph, per operator. */
  kernels: readonly (readonly Kernel[])[];
  scratch: readonly ScratchRequest[];
  /**
   * Every tensor keeps its own bytes for the whole run (TFLite's experimental_preserve_all_tensors),
   * so intermediate values can be read after invoke(): calibration and per-tensor error reports.
   */
  preserveAllTensors?: boolean;
}

export interface ArenaPlan {
  /** Per subgraph, per tensor: arena offset, or -1 for a tensor without arena memory. */
  tensorOffsets: number[][];
  /** Per scratch request: arena offset, or -1 for an operator that never runs. */
  scratchOffsets: number[];
  usedBytes: number;
}

interface SharedBuffer {
  members: Array<{ subgraph: number; tensor: number }>;
  size: number;
  lifetime: Lifetime;
  offset: number | undefined;
}

function describe(input: ArenaPlanInput, member: { subgraph: number; tensor: number }): string {
  return `subgraph ${member.subgraph} tensor ${member.tensor} (${input.tensors[member.subgraph][member.tensor].name})`;
}

function planError(detail: string): InterpreterError {
  return new InterpreterError(`metadata '${OFFLINE_MEMORY_ALLOCATION}': ${detail}`);
}

/** Offline offsets must suit the element type and must not overlap a buffer alive at the same time. */
function checkFixedBuffers(input: ArenaPlanInput, buffers: readonly SharedBuffer[]): void {
  const fixed = buffers.filter((b) => b.offset !== undefined);
  for (const buffer of fixed) {
    const offset = buffer.offset ?? 0;
    for (const member of buffer.members) {
      const alignment = input.tensors[member.subgraph][member.tensor].data.BYTES_PER_ELEMENT;
      if (offset % alignment !== 0) {
        throw planError(`${describe(input, member)} at offset ${offset} is not aligned to its ${alignment}-byte elements`);
      }
    }
  }
  fixed.forEach((a, i) => {
    for (const b of fixed.slice(i + 1)) {
      const [aStart, bStart] = [a.offset ?? 0, b.offset ?? 0];
      const overlap = aStart < bStart + b.size && bStart < aStart + a.size && a.size > 0 && b.size > 0;
      const together = livesTogether(
        { size: a.size, firstUse: a.lifetime.first, lastUse: a.lifetime.last },
        { size: b.size, firstUse: b.lifetime.first, lastUse: b.lifetime.last },
      );
      if (overlap && together) {
        throw planError(`${describe(input, a.members[0])} at bytes ${aStart}..${aStart + a.size} and ${describe(input, b.members[0])} at bytes ${bStart}..${bStart + b.size} overlap while both hold values`);
      }
    }
  });
}

/** Stretches every lifetime over the whole run, so no two tensors share bytes. */
function preserveAll(lifetimes: Array<Array<Lifetime | null>>): void {
  const last = Math.max(0, ...lifetimes.flat().map((l) => l?.last ?? 0));
  for (const subgraph of lifetimes) {
    subgraph.forEach((lifetime, t) => { if (lifetime !== null) subgraph[t] = { first: 0, last }; });
  }
}

export function planArena(input: ArenaPlanInput): ArenaPlan {
  const { model, tensors } = input;
  // As TFLM's needs_allocating: not constant, and not empty (a resource handle points elsewhere).
  const lifetimes = graphLifetimes(model, (s, t) => !tensors[s][t].isConstant && tensors[s][t].byteLength > 0, input.scratch);
  if (input.preserveAllTensors === true) preserveAll(lifetimes.tensors);
  const offline = readOfflinePlan(model);
  const bases = tensorIdBases(model);
  const roots = aliasRoots({ model, tensors, kernels: input.kernels, lifetimes: lifetimes.tensors, offlineOffsets: offline?.offsets ?? null });
  const byRoot = new Map<number, SharedBuffer>();
  lifetimes.tensors.forEach((subgraphLifetimes, s) => subgraphLifetimes.forEach((lifetime, t) => {
    if (lifetime === null) return;
    const root = roots[bases[s] + t];
    const fixed = offline?.offsets[root] ?? -1;
    const buffer = byRoot.get(root) ?? { members: [], size: 0, lifetime: { ...lifetime }, offset: fixed >= 0 ? fixed : undefined };
    buffer.members.push({ subgraph: s, tensor: t });
    buffer.size = Math.max(buffer.size, tensors[s][t].byteLength);
    buffer.lifetime = { first: Math.min(buffer.lifetime.first, lifetime.first), last: Math.max(buffer.lifetime.last, lifetime.last) };
    byRoot.set(root, buffer);
  }));
  const buffers = [...byRoot.values()];
  if (offline !== null) checkFixedBuffers(input, buffers);
  const scratchRun = input.scratch.flatMap((request, i) => {
    const lifetime = lifetimes.scratch[i];
    return lifetime === null ? [] : [{ index: i, request, lifetime }];
  });
  const requests: BufferRequest[] = [
    ...buffers.map((b) => ({ size: b.size, firstUse: b.lifetime.first, lastUse: b.lifetime.last, offset: b.offset })),
    ...scratchRun.map((s) => ({ size: s.request.byteLength, firstUse: s.lifetime.first, lastUse: s.lifetime.last })),
  ];
  const plan = planMemory(requests);
  const tensorOffsets = model.subgraphs.map((s) => new Array<number>(s.tensors.length).fill(-1));
  buffers.forEach((buffer, i) => {
    for (const member of buffer.members) tensorOffsets[member.subgraph][member.tensor] = plan.offsets[i];
  });
  const scratchOffsets = new Array<number>(input.scratch.length).fill(-1);
  scratchRun.forEach((s, i) => { scratchOffsets[s.index] = plan.offsets[buffers.length + i]; });
  return { tensorOffsets, scratchOffsets, usedBytes: plan.usedBytes };
}
