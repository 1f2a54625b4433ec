// TFLM's OfflineMemoryAllocation metadata (micro/docs/memory_management.md): a buffer of
// little-endian int32 [version, subgraph count, n, offset of tensor 0, ..., offset of tensor n-1],
// the tensors of all subgraphs numbered back to back, -1 for "plan this one at load time".
// readOfflinePlan() checks the format; the planner (arena-plan.ts) checks the offsets against the
// tensors; offline-plan.ts writes our own plan into a model.
import type { Model } from '../model/types.js';
import { InterpreterError } from './errors.js';

export const OFFLINE_MEMORY_ALLOCATION = 'OfflineMemoryAllocation';
/** The version field we write; TFLM ignores it, Vela writes 0 too. */
export const OFFLINE_PLAN_VERSION = 0;
const HEADER_WORDS = 3;

export interface OfflinePlan {
  version: number;
  subgraphCount: number;
  /** One entry per tensor of every subgraph, back to back: a byte offset in the arena, or -1. */
  offsets: number[];
}

function planError(detail: string): InterpreterError {
  return new InterpreterError(`metadata '${OFFLINE_MEMORY_ALLOCATION}': ${detail}`);
}

/** Decodes the metadata buffer; throws when it is not a well-formed plan for this model's tensors. */
export function decodeOfflinePlan(bytes: Uint8Array, tensorCount: number): OfflinePlan {
  if (bytes.byteLength < HEADER_WORDS * 4 || bytes.byteLength % 4 !== 0) {
    throw planError(`${bytes.byteLength} bytes is not a header of ${HEADER_WORDS} int32 values followed by int32 offsets`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (i: number): number => view.getInt32(i * 4, true);
  const count = word(2);
  const stored = bytes.byteLength / 4 - HEADER_WORDS;
  if (count !== tensorCount) {
    throw planError(`holds ${count} offsets (word 2), the model has ${tensorCount} tensors in all subgraphs`);
  }
  if (stored < count) throw planError(`announces ${count} offsets but its buffer holds only ${stored}`);
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const offset = word(HEADER_WORDS + i);
    if (offset < -1) throw planError(`offset ${i} is ${offset}; an offset is a byte position >= 0, or -1 to plan online`);
    offsets.push(offset);
  }
  return { version: word(0), subgraphCount: word(1), offsets };
}

/** The model's offline plan, or null when it carries none. */
export function readOfflinePlan(model: Model): OfflinePlan | null {
  const bytes = Object.hasOwn(model.metadata, OFFLINE_MEMORY_ALLOCATION) ? model.metadata[OFFLINE_MEMORY_ALLOCATION] : undefined;
  if (bytes === undefined) return null;
  return decodeOfflinePlan(bytes, model.subgraphs.reduce((n, s) => n + s.tensors.length, 0));
}

export function encodeOfflinePlan(plan: OfflinePlan): Uint8Array {
  const bytes = new Uint8Array((HEADER_WORDS + plan.offsets.length) * 4);
  const view = new DataView(bytes.buffer);
  [plan.version, plan.subgraphCount, plan.offsets.length, ...plan.offsets].forEach((value, i) => view.setInt32(i * 4, value, true));
  return bytes;
}
