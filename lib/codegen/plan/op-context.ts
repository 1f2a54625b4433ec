// What every plan builder sees (the model, the subgraph, the operator, a way to fail naming the
// operator) and the tensor checks they share.
import type { Model, Operator, Subgraph, Tensor } from '../../model/types.js';

export interface OpContext {
  model: Model;
  subgraph: Subgraph;
  operator: Operator;
  fail(detail: string): never;
}

export function tensorAt(ctx: OpContext, index: number | undefined, what: string): Tensor {
  const tensor = index === undefined || index < 0 ? undefined : ctx.subgraph.tensors[index];
  if (tensor === undefined) return ctx.fail(`${what} is missing`);
  return tensor;
}

export function inputOf(ctx: OpContext, position: number, what: string): [number, Tensor] {
  const index = ctx.operator.inputs[position];
  return [index, tensorAt(ctx, index, what)];
}

export function outputOf(ctx: OpContext): [number, Tensor] {
  const index = ctx.operator.outputs[0];
  return [index, tensorAt(ctx, index, 'output')];
}

export function requireInt8(ctx: OpContext, tensor: Tensor, what: string): void {
  if (tensor.dtype !== 'int8') ctx.fail(`${what} is ${tensor.dtype}; the C runtime supports int8 here`);
  if (tensor.quantization === null || tensor.quantization.scale.length === 0) ctx.fail(`${what} is not quantized`);
}

export const scaleOf = (t: Tensor): number => t.quantization?.scale[0] ?? 0;
export const zeroPointOf = (t: Tensor): number => t.quantization?.zeroPoint[0] ?? 0;

/**
 * Kernels read activations with plain loads from the arena; a constant there would be read the
 * same way, which on AVR (constants in flash) reads RAM instead. So activations must not be constant.
 */
export function requireActivation(ctx: OpContext, tensor: Tensor, what: string): void {
  if (tensor.data !== null && !tensor.isVariable) ctx.fail(`${what} is a constant tensor; the C runtime takes activations here (fold the constant on the host)`);
}

/** A per-tensor quantized int8 or int16 tensor; returns its element size in bytes. */
export function requireInt8OrInt16(ctx: OpContext, tensor: Tensor, what: string): 1 | 2 {
  if (tensor.dtype !== 'int8' && tensor.dtype !== 'int16') ctx.fail(`${what} is ${tensor.dtype}; the C runtime supports int8 or int16 here`);
  if (tensor.quantization === null || tensor.quantization.scale.length !== 1) ctx.fail(`${what} is not quantized per tensor`);
  return tensor.dtype === 'int8' ? 1 : 2;
}

/** A constant int32 or int64 tensor's values (begin, paddings, perm...). */
export function constantInts(ctx: OpContext, tensor: Tensor, what: string): number[] {
  if (tensor.data === null || tensor.isVariable) return ctx.fail(`${what} must be a constant tensor`);
  const view = new DataView(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  if (tensor.dtype === 'int32') return Array.from({ length: view.byteLength / 4 }, (_, i) => view.getInt32(4 * i, true));
  if (tensor.dtype === 'int64') return Array.from({ length: view.byteLength / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
  return ctx.fail(`${what} is ${tensor.dtype}; int32 or int64 expected`);
}
