// Kernels that only move elements (SLICE, MIRROR_PAD, DEPTH_TO_SPACE, RESIZE_NEAREST_NEIGHBOR...)
// work out in prepare, for every output element, the input element it copies, or FILL for a
// padding cell. Invoke then copies raw element bits in one loop, the same for every dtype
// (8-byte elements as two 32-bit words), as TFLM's reference kernels memcpy whole elements.
import type { RuntimeTensor, TensorData } from '../tensor.js';
import type { PreparedOp } from './kernel.js';

/** A map entry for an output element that takes the fill value instead of an input element. */
export const FILL = -1;

type Words = Uint8Array | Uint16Array | Uint32Array;

const EMPTY_WORDS = new Uint8Array(0);

function wordsOf(data: TensorData): Words {
  switch (data.BYTES_PER_ELEMENT) {
    case 1: return new Uint8Array(data.buffer, data.byteOffset, data.length);
    case 2: return new Uint16Array(data.buffer, data.byteOffset, data.length);
    default: return new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  }
}

/** The bits of one element holding `value`, in the element type of `sample`. */
function fillWords(sample: TensorData, value: number): Words {
  const one = new (sample.constructor as new (length: number) => TensorData)(1);
  if (one instanceof BigInt64Array || one instanceof BigUint64Array) one[0] = BigInt(value);
  else one[0] = value;
  return wordsOf(one);
}

/** A view of a tensor's words, rebuilt only when allocate() rebinds its data. */
class WordCache {
  private bound: TensorData | null = null;
  private words: Words = EMPTY_WORDS;
  constructor(private readonly tensor: RuntimeTensor) {}
  get(): Words {
    if (this.tensor.data !== this.bound) {
      this.bound = this.tensor.data;
      this.words = wordsOf(this.bound);
    }
    return this.words;
  }
}

/** Words per element of a tensor's data (2 for 8-byte elements). */
function wordsPerElement(tensor: RuntimeTensor): number {
  const bytes = tensor.data.BYTES_PER_ELEMENT;
  return bytes === 8 ? 2 : 1;
}

/** output[i] = input[map[i]], or `fill` where map[i] is FILL. input and output share a dtype. */
export function mappedCopy(input: RuntimeTensor, output: RuntimeTensor, map: Int32Array, fill = 0): PreparedOp {
  const source = new WordCache(input);
  const target = new WordCache(output);
  const width = wordsPerElement(output);
  const fillBits = fillWords(output.data, fill);
  const count = map.length;
  return {
    invoke(): void {
      const x = source.get();
      const y = target.get();
      if (width === 1) {
        const f = fillBits[0];
        for (let i = 0; i < count; i++) {
          const s = map[i];
          y[i] = s < 0 ? f : x[s];
        }
        return;
      }
      for (let i = 0; i < count; i++) {
        const s = map[i];
        for (let w = 0; w < width; w++) y[i * width + w] = s < 0 ? fillBits[w] : x[s * width + w];
      }
    },
  };
}

/** Several mapped copies from one input (SPLIT_V), run in order. */
export function mappedCopies(steps: readonly PreparedOp[]): PreparedOp {
  return {
    invoke(): void {
      for (const step of steps) step.invoke();
    },
  };
}

/** Row-major strides of a shape (elements). */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/**
 * The map of an output of `shape`, whose element at multi-index `index` copies input element
 * `source(index)` (FILL for none). `index` is reused between calls.
 */
export function buildMap(shape: readonly number[], source: (index: readonly number[]) => number): Int32Array {
  let count = 1;
  for (const d of shape) count *= d;
  const map = new Int32Array(count);
  const index = new Array<number>(shape.length).fill(0);
  for (let e = 0; e < count; e++) {
    map[e] = source(index);
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
  return map;
}
