// A tensor as the interpreter sees it: metadata from the model plus `data`, a typed-array view
// into the arena (non-constant tensors) or onto the model bytes (constant tensors).
import { byteLengthOf, elementCount } from '../model/dtype.js';
import type { DType, Quantization, Tensor } from '../model/types.js';

export type TensorData =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

interface TypedArrayKind {
  BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData;
  new (length: number): TensorData;
}

const VIEW_TYPES: Partial<Record<DType, TypedArrayKind>> = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, int16: Int16Array, int32: Int32Array,
  int64: BigInt64Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
  bool: Uint8Array,
};

/** The typed array class for a dtype; Uint8Array (raw bytes) for types without one (int4, float16...). */
function viewTypeOf(dtype: DType): TypedArrayKind {
  return VIEW_TYPES[dtype] ?? Uint8Array;
}

/** A typed view over `length` bytes at `byteOffset` of `buffer`. */
export function typedView(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, byteLength: number): TensorData {
  const View = viewTypeOf(dtype);
  return new View(buffer, byteOffset, Math.floor(byteLength / View.BYTES_PER_ELEMENT));
}

/** A constant's bytes as a typed array: zero-copy when aligned, otherwise an aligned copy. */
export function constantView(dtype: DType, bytes: Uint8Array): TensorData {
  const View = viewTypeOf(dtype);
  if (bytes.byteOffset % View.BYTES_PER_ELEMENT === 0) return typedView(dtype, bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return typedView(dtype, copy.buffer, 0, copy.byteLength);
}

export class RuntimeTensor {
  readonly index: number;
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** First scale and zero point (0 and 0 for an unquantized tensor), as TFLM's params. */
  readonly scale: number;
  readonly zeroPoint: number;
  readonly quantization: Quantization | null;
  readonly isVariable: boolean;
  readonly isConstant: boolean;
  readonly elementCount: number;
  readonly byteLength: number;
  /** Empty until allocate() for arena tensors. */
  data: TensorData;

  constructor(index: number, tensor: Tensor) {
    this.index = index;
    this.name = tensor.name;
    this.shape = Object.freeze(tensor.shape.slice());
    this.dtype = tensor.dtype;
    this.quantization = tensor.quantization;
    this.scale = tensor.quantization?.scale[0] ?? 0;
    this.zeroPoint = tensor.quantization?.zeroPoint[0] ?? 0;
    this.isVariable = tensor.isVariable;
    this.isConstant = tensor.data !== null && !tensor.isVariable;
    this.elementCount = elementCount(tensor.shape);
    this.byteLength = byteLengthOf(tensor.dtype, this.elementCount);
    this.data = this.isConstant && tensor.data !== null
      ? constantView(tensor.dtype, tensor.data)
      : typedView(tensor.dtype, new ArrayBuffer(0), 0, 0);
  }

  /** Per-channel scales (one per slice along quantizedDimension), or the single scale. */
  get scales(): readonly number[] {
    return this.quantization?.scale ?? [];
  }
}
