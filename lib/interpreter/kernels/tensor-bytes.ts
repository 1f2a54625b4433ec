// The bytes behind a tensor's typed view, for kernels that move whole tensors without looking at
// their elements (control flow, resource variables).
import type { RuntimeTensor } from '../tensor.js';

export function bytesOf(tensor: RuntimeTensor): Uint8Array {
  return new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
}
