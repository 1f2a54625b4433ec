// Shared by the TFLM Signal library kernels (signal/micro/kernels/*.cc): operand checks, the
// FlexBuffer options every one of them reads in Init, and typed views over memory that is bound
// only after prepare (arena tensors, arena buffers), made once on the first invoke.
import { CustomOptionsError, FlexbufferMap } from '../../../model/flexbuffer-map.js';
import type { DType } from '../../../model/types.js';
import type { RuntimeTensor } from '../../tensor.js';
import type { PrepareContext } from '../kernel.js';

/**
 * Reads the operator's custom options (a FlexBuffer map) with `read`; a missing or malformed map,
 * or a missing or mistyped value, is an error naming the operator.
 */
export function readOptions<T>(ctx: PrepareContext, read: (options: FlexbufferMap) => T): T {
  const bytes = ctx.operator.customOptions;
  if (bytes === null || bytes.length === 0) throw ctx.error('missing custom options (a FlexBuffer map)');
  try {
    return read(FlexbufferMap.parse(bytes));
  } catch (err) {
    if (err instanceof CustomOptionsError) throw ctx.error(`custom options: ${err.message}`);
    throw err;
  }
}

export function expectCounts(ctx: PrepareContext, inputs: number, outputs: number): void {
  if (ctx.inputs.length !== inputs) throw ctx.error(`expected ${inputs} inputs, got ${ctx.inputs.length}`);
  if (ctx.outputs.length !== outputs) throw ctx.error(`expected ${outputs} outputs, got ${ctx.outputs.length}`);
}

function checked(ctx: PrepareContext, tensor: RuntimeTensor | null | undefined, dtype: DType, what: string, rank?: number): RuntimeTensor {
  if (tensor === null || tensor === undefined) throw ctx.error(`missing ${what}`);
  if (tensor.dtype !== dtype) throw ctx.error(`${what} is ${tensor.dtype}, expected ${dtype}`);
  if (rank !== undefined && tensor.shape.length !== rank) {
    throw ctx.error(`${what} has shape [${tensor.shape.join(', ')}], expected ${rank} dimension${rank === 1 ? '' : 's'}`);
  }
  return tensor;
}

export function signalInput(ctx: PrepareContext, position: number, dtype: DType, rank?: number): RuntimeTensor {
  return checked(ctx, ctx.inputs[position], dtype, `input ${position}`, rank);
}

export function signalOutput(ctx: PrepareContext, position: number, dtype: DType, rank?: number): RuntimeTensor {
  return checked(ctx, ctx.outputs[position], dtype, `output ${position}`, rank);
}

/** A typed view over memory bound after prepare (arena tensors and buffers), remade only when that memory moves. */
export class LateView<T extends ArrayBufferView> {
  private view: T | null = null;

  constructor(private readonly source: () => ArrayBufferView, private readonly make: (source: ArrayBufferView) => T) {}

  get(): T {
    const source = this.source();
    const view = this.view;
    if (view !== null && view.buffer === source.buffer && view.byteOffset === source.byteOffset) return view;
    this.view = this.make(source);
    return this.view;
  }
}

/** uint32 words over a tensor's or buffer's bytes (uint64 values as little-endian word pairs). */
export function uint32Words(source: () => ArrayBufferView): LateView<Uint32Array> {
  return new LateView(source, (s) => new Uint32Array(s.buffer, s.byteOffset, s.byteLength >>> 2));
}

export function int16Words(source: () => ArrayBufferView): LateView<Int16Array> {
  return new LateView(source, (s) => new Int16Array(s.buffer, s.byteOffset, s.byteLength >>> 1));
}
