// Stores our interpreter's arena plan in a model as TFLM's OfflineMemoryAllocation metadata, so
// a device (our C runtime, or TFLM itself) uses exactly the offsets the host computed.
import type { Model } from '../model/types.js';
import { Interpreter, type InterpreterOptions } from './interpreter.js';
import { encodeOfflinePlan, OFFLINE_MEMORY_ALLOCATION, OFFLINE_PLAN_VERSION } from './offline-plan-format.js';

export { decodeOfflinePlan, encodeOfflinePlan, OFFLINE_MEMORY_ALLOCATION, readOfflinePlan, type OfflinePlan } from './offline-plan-format.js';

/**
 * The model with our interpreter's arena plan stored as OfflineMemoryAllocation metadata (an
 * existing one is replaced): every tensor that lives in the arena gets its offset, constants and
 * tensors of subgraphs that never run get -1. Scratch buffers are not tensors; a runtime places
 * them around the stored offsets.
 */
export function withOfflinePlan(model: Model, options: Pick<InterpreterOptions, 'opResolver'> = {}): Model {
  const { [OFFLINE_MEMORY_ALLOCATION]: _previous, ...metadata } = model.metadata;
  const interpreter = new Interpreter({ ...model, metadata }, options);
  interpreter.allocate();
  const offsets = model.subgraphs.flatMap((_, s) => interpreter.arenaOffsets(s));
  const plan = encodeOfflinePlan({ version: OFFLINE_PLAN_VERSION, subgraphCount: model.subgraphs.length, offsets });
  return { ...model, metadata: { ...metadata, [OFFLINE_MEMORY_ALLOCATION]: plan } };
}
