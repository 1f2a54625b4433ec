import { TensorType } from './schema/tflite.js';
import type { DType } from './types.js';

interface DTypeInfo {
  name: DType;
  /** Bits per element; 0 for variable-size types (string, resource, variant). */
  bits: number;
}

// Indexed by the schema's TensorType value.
const DTYPES: readonly DTypeInfo[] = [
  { name: 'float32', bits: 32 }, { name: 'float16', bits: 16 }, { name: 'int32', bits: 32 },
  { name: 'uint8', bits: 8 }, { name: 'int64', bits: 64 }, { name: 'string', bits: 0 },
  { name: 'bool', bits: 8 }, { name: 'int16', bits: 16 }, { name: 'complex64', bits: 64 },
  { name: 'int8', bits: 8 }, { name: 'float64', bits: 64 }, { name: 'complex128', bits: 128 },
  { name: 'uint64', bits: 64 }, { name: 'resource', bits: 0 }, { name: 'variant', bits: 0 },
  { name: 'uint32', bits: 32 }, { name: 'uint16', bits: 16 }, { name: 'int4', bits: 4 },
  { name: 'bfloat16', bits: 16 }, { name: 'int2', bits: 2 }, { name: 'uint4', bits: 4 },
  { name: 'float8_e4m3fn', bits: 8 }, { name: 'float8_e5m2', bits: 8 },
];

const BY_NAME = new Map<DType, number>(DTYPES.map((d, i) => [d.name, i]));

/** The DType for a schema TensorType value, or null when the value is unknown. */
export function dtypeFromTensorType(type: number): DType | null {
  return DTYPES[type]?.name ?? null;
}

export function tensorTypeOf(dtype: DType): TensorType {
  const type = BY_NAME.get(dtype);
  if (type === undefined) throw new RangeError(`unknown dtype ${dtype}`);
  return type as TensorType;
}

/** Bits per element, 0 for types whose elements have no fixed size. */
export function dtypeBits(dtype: DType): number {
  return DTYPES[tensorTypeOf(dtype)].bits;
}

/** Bytes for `count` elements, packing sub-byte types as TFLite does (int4: two per byte). */
export function byteLengthOf(dtype: DType, count: number): number {
  return Math.ceil((count * dtypeBits(dtype)) / 8);
}

export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
