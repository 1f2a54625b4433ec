// Signal-to-quantization-noise ratio: how much of a float tensor survives quantization, in dB,
// 10·log10(Σ signal² / Σ (signal − dequantized)²). Sums accumulate over every element of every
// sample, so an activation's SQNR covers the whole evaluation set rather than averaging per-sample dBs.
import { constantView, type TensorData } from '../interpreter/tensor.js';
import { elementCount } from '../model/dtype.js';
import type { DType, Quantization, Tensor } from '../model/types.js';

/** Running sums of signal and noise power; `db` is Infinity while the noise is exactly 0. */
export class SqnrAccumulator {
  private signalPower = 0;
  private noisePower = 0;

  add(signal: number, approximation: number): void {
    const noise = signal - approximation;
    this.signalPower += signal * signal;
    this.noisePower += noise * noise;
  }

  get db(): number {
    if (this.noisePower === 0) return Infinity;
    return 10 * Math.log10(this.signalPower / this.noisePower);
  }
}

/** SQNR in dB of `approximation` against `signal` (same length). */
export function sqnrDb(signal: ArrayLike<number>, approximation: ArrayLike<number>): number {
  if (signal.length !== approximation.length) {
    throw new RangeError(`SQNR of ${signal.length} signal values against ${approximation.length} approximations`);
  }
  const sqnr = new SqnrAccumulator();
  for (let i = 0; i < signal.length; i++) sqnr.add(signal[i], approximation[i]);
  return sqnr.db;
}

/** Types whose values dequantize element by element (packed int4 and the float types do not). */
const INTEGER_TYPES: ReadonlySet<DType> = new Set<DType>(['int8', 'uint8', 'int16', 'int32', 'int64']);
const READABLE_TYPES: ReadonlySet<DType> = new Set<DType>([...INTEGER_TYPES, 'float32']);

/** Whether dequantizer() can read this dtype: float32 as it is, or an integer type. */
export function isDequantizable(dtype: DType): boolean {
  return READABLE_TYPES.has(dtype);
}

/** What dequantization needs to know of a tensor (a model Tensor's fields, or a RuntimeTensor's). */
export interface QuantizedValues {
  dtype: DType;
  shape: readonly number[];
  quantization: Quantization | null;
  data: TensorData;
}

/**
 * Element i's real value: (q − zero_point[c]) · scale[c], c the channel of i along
 * quantizedDimension (one scale: per tensor). A tensor without scales reads as it is.
 */
export function dequantizer(tensor: QuantizedValues): (i: number) => number {
  const data = tensor.data;
  const read = data instanceof BigInt64Array || data instanceof BigUint64Array
    ? (i: number): number => Number(data[i])
    : (i: number): number => data[i];
  const q = tensor.quantization;
  if (!INTEGER_TYPES.has(tensor.dtype) || q === null || q.scale.length === 0) return read;
  const zeroPoints = q.scale.map((_, c) => q.zeroPoint[c] ?? q.zeroPoint[0] ?? 0);
  if (q.scale.length === 1) {
    const [scale] = q.scale;
    const [zeroPoint] = zeroPoints;
    return (i) => (read(i) - zeroPoint) * scale;
  }
  const channels = tensor.shape[q.quantizedDimension];
  if (channels !== q.scale.length) {
    throw new RangeError(`${q.scale.length} scales along dimension ${q.quantizedDimension} of shape [${tensor.shape.join(',')}]`);
  }
  // Row-major: the channel index repeats every `inner` elements.
  const inner = tensor.shape.slice(q.quantizedDimension + 1).reduce((a, b) => a * b, 1);
  return (i) => {
    const c = Math.floor(i / inner) % channels;
    return (read(i) - zeroPoints[c]) * q.scale[c];
  };
}

/**
 * SQNR in dB of a quantized constant (int8 weights, int32/int64 biases; per-channel scales
 * honoured) against the float constant it was made from. Either tensor may be float32 (a weight
 * the quantizer left float compares as it is).
 */
export function weightSqnr(floatTensor: Tensor, quantizedTensor: Tensor): number {
  if (floatTensor.data === null || quantizedTensor.data === null) {
    throw new RangeError(`weightSqnr: ${floatTensor.data === null ? floatTensor.name : quantizedTensor.name} is not a constant`);
  }
  if (floatTensor.dtype !== 'float32') throw new RangeError(`weightSqnr: ${floatTensor.name} is ${floatTensor.dtype}, not float32`);
  const count = elementCount(floatTensor.shape);
  if (elementCount(quantizedTensor.shape) !== count) {
    throw new RangeError(
      `weightSqnr: ${floatTensor.name} has shape [${floatTensor.shape.join(',')}], ${quantizedTensor.name} [${quantizedTensor.shape.join(',')}]`,
    );
  }
  if (!isDequantizable(quantizedTensor.dtype)) {
    throw new RangeError(`weightSqnr: ${quantizedTensor.name} is ${quantizedTensor.dtype}, which is not read element by element`);
  }
  const signal = constantView('float32', floatTensor.data) as Float32Array;
  const dequantize = dequantizer({
    dtype: quantizedTensor.dtype,
    shape: quantizedTensor.shape,
    quantization: quantizedTensor.quantization,
    data: constantView(quantizedTensor.dtype, quantizedTensor.data),
  });
  const sqnr = new SqnrAccumulator();
  for (let i = 0; i < count; i++) sqnr.add(signal[i], dequantize(i));
  return sqnr.db;
}
