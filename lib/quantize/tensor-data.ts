// Constant tensor contents as typed values and back, for the quantizer's rewrites.
import type { Tensor } from '../model/types.js';

/** A copy of a float32 constant's values (the model's bytes may be unaligned views). */
export function floatValues(tensor: Tensor): Float32Array {
  const bytes = tensor.data as Uint8Array;
  return new Float32Array(bytes.slice().buffer, 0, bytes.byteLength / 4);
}

/** The little-endian bytes of a typed array (the hosts Node runs on are little-endian). */
export function bytesOf(array: Int8Array | Int16Array | Int32Array | Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Smallest and largest value (a loop: spreading a large array into Math.min overflows the stack). */
export function valueRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
