// Real numbers in and out of quantized tensors, as a flow thinks of them: an int8 input takes
// round(v / scale) + zero_point saturated to int8 (TFLM's reference Quantize rounds half away
// from zero), an int8 output reads back as (q - zero_point) * scale.
import { InterpreterError } from './errors.js';
import type { RuntimeTensor } from './tensor.js';

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
};

function isQuantized(tensor: RuntimeTensor): boolean {
  return tensor.quantization !== null && tensor.scale !== 0 && tensor.dtype in INTEGER_RANGES;
}

/** Writes `values` (real numbers, or raw integers when `quantize` is false) into the tensor. */
export function writeValues(tensor: RuntimeTensor, values: ArrayLike<number>, quantize = true): void {
  if (values.length !== tensor.elementCount) {
    throw new InterpreterError(
      `${tensor.name} has shape [${tensor.shape.join(',')}] = ${tensor.elementCount} values, got ${values.length}`,
    );
  }
  const data = tensor.data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    throw new InterpreterError(`${tensor.name} is ${tensor.dtype}: numbers cannot be written to it`);
  }
  const range = INTEGER_RANGES[tensor.dtype];
  const scale = quantize && isQuantized(tensor) ? tensor.scale : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (range === undefined) {
      data[i] = v;
      continue;
    }
    const scaled = scale ? v / scale : v;
    const q = (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled)) + (scale ? tensor.zeroPoint : 0);
    data[i] = q < range[0] ? range[0] : q > range[1] ? range[1] : q;
  }
}

/** The tensor's values as numbers, dequantized to real numbers unless `dequantize` is false. */
export function readValues(tensor: RuntimeTensor, dequantize = true): number[] {
  const scale = dequantize && isQuantized(tensor) ? tensor.scale : 0;
  return Array.from(tensor.data as ArrayLike<number | bigint>, (v) => (scale ? (Number(v) - tensor.zeroPoint) * scale : Number(v)));
}
