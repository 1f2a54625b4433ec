// Shared by ASSIGN_VARIABLE and READ_VARIABLE: the resource id input (resource or int32, one
// element) and the variable buffer it names, looked up when the op runs as TFLM does (the id is
// only known then) and kept while the id stays the same.
import type { ResourceVariables } from '../resource-variables.js';
import type { RuntimeTensor } from '../tensor.js';
import { graphOf } from './control-flow-common.js';
import type { PrepareContext } from './kernel.js';
import { inputAt } from './shape-common.js';

export function resourceIdInput(ctx: PrepareContext): RuntimeTensor {
  const id = inputAt(ctx, 0, 'resource id');
  if ((id.dtype !== 'resource' && id.dtype !== 'int32') || id.elementCount !== 1) {
    throw ctx.error(`input 0 must be one resource id (resource or int32), is ${id.dtype} with ${id.elementCount} elements`);
  }
  return id;
}

export function resourcesOf(ctx: PrepareContext): ResourceVariables {
  return graphOf(ctx).resourceVariables;
}

/** The id the tensor holds now, or null when it holds none yet. */
export function currentId(tensor: RuntimeTensor): number | null {
  return tensor.data instanceof Int32Array && tensor.data.length > 0 ? tensor.data[0] : null;
}

/**
 * Returns a lookup of the variable buffer the id tensor names, checked against the byte size the
 * op moves; it only searches again when the id changes.
 */
export function variableLookup(ctx: PrepareContext, idTensor: RuntimeTensor, byteLength: number): () => Uint8Array {
  const resources = resourcesOf(ctx);
  let cachedId: number | null = null;
  let cached: Uint8Array | null = null;
  return () => {
    const id = currentId(idTensor);
    if (cached !== null && id === cachedId) return cached;
    const variable = id === null ? undefined : resources.get(id);
    if (variable === undefined) throw ctx.error(`resource id ${id ?? '(none)'} names no variable a VAR_HANDLE created`);
    if (variable.bytes === null) throw ctx.error(`variable '${variable.sharedName}' has no buffer: no ASSIGN_VARIABLE for it was prepared`);
    if (variable.bytes.byteLength !== byteLength) throw ctx.error(`variable '${variable.sharedName}' holds ${variable.bytes.byteLength} bytes, this op moves ${byteLength}`);
    cachedId = id;
    cached = variable.bytes;
    return cached;
  };
}
