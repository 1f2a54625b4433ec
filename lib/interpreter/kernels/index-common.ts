// Index tensors read at invoke (GATHER positions, GATHER_ND indices, EMBEDDING_LOOKUP ids,
// DYNAMIC_UPDATE_SLICE starts): int32 or int64 values as numbers.
import type { RuntimeTensor } from '../tensor.js';

export function indexAt(tensor: RuntimeTensor, i: number): number {
  return tensor.dtype === 'int64' ? Number((tensor.data as BigInt64Array)[i]) : (tensor.data as Int32Array)[i];
}

export function isIndexDtype(dtype: string | null | undefined): boolean {
  return dtype === 'int32' || dtype === 'int64';
}
