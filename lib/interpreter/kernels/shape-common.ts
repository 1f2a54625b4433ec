// Shared checks for the shape family (ops that move elements without arithmetic): tensor
// lookup, constant index tensors, equal quantization, and element views.
import type { RuntimeTensor } from '../tensor.js';
import type { PrepareContext } from './kernel.js';

/** Element views the shape kernels move values between (bool shares Uint8Array). */
export type ElementData = Float32Array | Int8Array | Int16Array | Int32Array | Uint8Array;

/** Dtypes whose elements these kernels move as plain numbers. */
export const MOVABLE_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32', 'uint8', 'bool']);

export function inputAt(ctx: PrepareContext, position: number, what: string): RuntimeTensor {
  const tensor = ctx.inputs[position];
  if (tensor === null || tensor === undefined) throw ctx.error(`missing ${what} (input ${position})`);
  return tensor;
}

export function outputAt(ctx: PrepareContext, position: number): RuntimeTensor {
  const tensor = ctx.outputs[position];
  if (tensor === undefined) throw ctx.error(`missing output ${position}`);
  return tensor;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The values of a constant int32 (or int64) index tensor such as begin, paddings or perm. */
export function constantIndices(ctx: PrepareContext, tensor: RuntimeTensor, what: string): number[] {
  if (!tensor.isConstant) throw ctx.error(`${what} must be a constant tensor`);
  if (tensor.dtype === 'int32') return Array.from(tensor.data as Int32Array);
  if (tensor.dtype === 'int64') return Array.from(tensor.data as BigInt64Array, (v) => Number(v));
  throw ctx.error(`${what} must be int32 or int64, got ${tensor.dtype}`);
}

export function sameDtype(ctx: PrepareContext, tensor: RuntimeTensor, reference: RuntimeTensor, what: string): void {
  if (tensor.dtype !== reference.dtype) throw ctx.error(`${what} is ${tensor.dtype}, expected ${reference.dtype}`);
}

/** Quantized tensors moved without requantization must share scale and zero point, as TFLM checks. */
export function sameQuantization(ctx: PrepareContext, tensor: RuntimeTensor, reference: RuntimeTensor, what: string): void {
  if (tensor.dtype !== 'int8' && tensor.dtype !== 'int16') return;
  if (tensor.scale !== reference.scale || tensor.zeroPoint !== reference.zeroPoint) {
    throw ctx.error(`${what} has scale ${tensor.scale} zero point ${tensor.zeroPoint}, expected scale ${reference.scale} zero point ${reference.zeroPoint} (no requantization)`);
  }
}

/** An axis in [-rank, rank) made non-negative. */
export function resolveAxis(ctx: PrepareContext, axis: number, rank: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw ctx.error(`${what} ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

export function product(values: readonly number[], from = 0, to = values.length): number {
  let result = 1;
  for (let i = from; i < to; i++) result *= values[i];
  return result;
}

export function elementsOf(tensor: RuntimeTensor): ElementData {
  return tensor.data as ElementData;
}

/** Input 0 and output 0 of an op that moves elements unchanged: one dtype, one quantization. */
export function movedTensors(ctx: PrepareContext): { input: RuntimeTensor; output: RuntimeTensor } {
  const input = inputAt(ctx, 0, 'input');
  const output = outputAt(ctx, 0);
  sameDtype(ctx, output, input, 'output');
  sameQuantization(ctx, output, input, 'output');
  return { input, output };
}
