// Shared by the TFLM Signal library kernels (signal/micro/kernels/*.cc): operand checks, the
// FlexBuffer options every one of them reads in Init, and typed views over memory that is bound
// only after prepare (arena tensors, arena buffers), made once on the first invoke.
import { CustomOptionsError, FlexbufferMap } from '../../../model/flexbuffer-map.js';
import type { DType } from '../../../model/types.js';
import type { RuntimeTensor } from '../../tensor.js';
import type { PrepareContext, ScratchBuffer } from '../kernel.js';

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

const EMPTY_U32: Uint32Array = new Uint32Array(0);
const EMPTY_I16: Int16Array = new Int16Array(0);

/** A Uint32Array over a view's bytes, remade only when the underlying memory changes. */
export class Uint32Words {
  private view: Uint32Array = EMPTY_U32;

  constructor(private readonly source: () => ArrayBufferView) {}

  static ofTensor(tensor: RuntimeTensor): Uint32Words {
    return new Uint32Words(() => tensor.data);
  }

  static ofBuffer(buffer: ScratchBuffer): Uint32Words {
    return new Uint32Words(() => buffer.bytes);
  }

  get(): Uint32Array {
    const source = this.source();
    if (this.view.buffer !== source.buffer || this.view.byteOffset !== source.byteOffset) {
      this.view = new Uint32Array(source.buffer, source.byteOffset, source.byteLength >>> 2);
    }
    return this.view;
  }
}

/** An Int16Array over an arena buffer, made on first use. */
export class Int16Words {
  private view: Int16Array = EMPTY_I16;

  constructor(private readonly buffer: ScratchBuffer) {}

  get(): Int16Array {
    const bytes = this.buffer.bytes;
    if (this.view.buffer !== bytes.buffer || this.view.byteOffset !== bytes.byteOffset) {
      this.view = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 1);
    }
    return this.view;
  }
}
