// Shared by the two-input elementwise kernels (ADD, SUB, MUL): the broadcast plan, made once in
// prepare after TFLM's ProcessBroadcastShapes / NdArrayDescsForElementwiseBroadcast, and the loop
// that walks it at invoke time without allocating.
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';

/** The most dimensions a broadcast supports (TFLM's BroadcastAdd6DSlow). */
export const MAX_BROADCAST_DIMS = 6;

/** Called once per output element with the flat indexes of the output and of both inputs. */
export type ElementStep = (outputIndex: number, index1: number, index2: number) => void;

export interface BroadcastPlan {
  /** Both inputs have the output's shape: every index is the same. */
  readonly sameShape: boolean;
  readonly outputCount: number;
  /** The output shape right-aligned in MAX_BROADCAST_DIMS dimensions (leading 1s). */
  readonly dims: Int32Array;
  /** Element strides of each input per output dimension, 0 where the input broadcasts. */
  readonly strides1: Int32Array;
  readonly strides2: Int32Array;
}

export function binaryTensors(ctx: PrepareContext): { input1: RuntimeTensor; input2: RuntimeTensor; output: RuntimeTensor } {
  const input1 = ctx.inputs[0];
  const input2 = ctx.inputs[1];
  const output = ctx.outputs[0];
  if (input1 === null || input1 === undefined) throw ctx.error('missing input 0');
  if (input2 === null || input2 === undefined) throw ctx.error('missing input 1');
  if (output === undefined) throw ctx.error('missing output 0');
  return { input1, input2, output };
}

function rightAligned(shape: readonly number[]): number[] {
  return [...new Array<number>(MAX_BROADCAST_DIMS - shape.length).fill(1), ...shape];
}

function stridesFor(shape: number[], outputDims: number[]): Int32Array {
  const strides = new Int32Array(MAX_BROADCAST_DIMS);
  let stride = 1;
  for (let d = MAX_BROADCAST_DIMS - 1; d >= 0; d--) {
    strides[d] = shape[d] === 1 && outputDims[d] !== 1 ? 0 : stride;
    stride *= shape[d];
  }
  return strides;
}

/** Checks that both inputs broadcast to the output's shape (numpy rules) and plans the walk. */
export function planBroadcast(ctx: PrepareContext, input1: RuntimeTensor, input2: RuntimeTensor, output: RuntimeTensor): BroadcastPlan {
  const describe = (): string => `inputs [${input1.shape.join(', ')}] and [${input2.shape.join(', ')}] do not broadcast to the output [${output.shape.join(', ')}]`;
  const rank = Math.max(input1.shape.length, input2.shape.length);
  if (rank > MAX_BROADCAST_DIMS || output.shape.length > MAX_BROADCAST_DIMS) {
    throw ctx.error(`broadcasting supports at most ${MAX_BROADCAST_DIMS} dimensions, got inputs [${input1.shape.join(', ')}] and [${input2.shape.join(', ')}]`);
  }
  const shape1 = rightAligned(input1.shape);
  const shape2 = rightAligned(input2.shape);
  const outputDims = rightAligned(output.shape);
  for (let d = 0; d < MAX_BROADCAST_DIMS; d++) {
    const expected = shape1[d] === 1 ? shape2[d] : shape1[d];
    if ((shape2[d] !== 1 && shape2[d] !== expected) || outputDims[d] !== expected) throw ctx.error(describe());
  }
  const sameShape = input1.elementCount === output.elementCount && input2.elementCount === output.elementCount;
  return {
    sameShape,
    outputCount: output.elementCount,
    dims: Int32Array.from(outputDims),
    strides1: stridesFor(shape1, outputDims),
    strides2: stridesFor(shape2, outputDims),
  };
}

/** Visits every output element in memory order with the input elements that broadcast to it. */
export function forEachElement(plan: BroadcastPlan, step: ElementStep): void {
  if (plan.sameShape) {
    for (let i = 0; i < plan.outputCount; i++) step(i, i, i);
    return;
  }
  const { dims, strides1: s1, strides2: s2 } = plan;
  let out = 0;
  for (let d0 = 0, a0 = 0, b0 = 0; d0 < dims[0]; d0++, a0 += s1[0], b0 += s2[0]) {
    for (let d1 = 0, a1 = a0, b1 = b0; d1 < dims[1]; d1++, a1 += s1[1], b1 += s2[1]) {
      for (let d2 = 0, a2 = a1, b2 = b1; d2 < dims[2]; d2++, a2 += s1[2], b2 += s2[2]) {
        for (let d3 = 0, a3 = a2, b3 = b2; d3 < dims[3]; d3++, a3 += s1[3], b3 += s2[3]) {
          for (let d4 = 0, a4 = a3, b4 = b3; d4 < dims[4]; d4++, a4 += s1[4], b4 += s2[4]) {
            for (let d5 = 0, a5 = a4, b5 = b4; d5 < dims[5]; d5++, a5 += s1[5], b5 += s2[5]) {
              step(out++, a5, b5);
            }
          }
        }
      }
    }
  }
}

/**
 * A float32-only two-input kernel with broadcasting (TFLM's BinaryFunction /
 * BroadcastBinaryFunction4DSlow): out = f(x1, x2), stored as float32. `check` runs on the
 * second input before each invoke, for kernels that refuse some values (FLOOR_DIV's zeros).
 */
export function floatBinaryKernel(f: (a: number, b: number) => number, check?: (ctx: PrepareContext) => (x2: Float32Array) => void): Kernel {
  return {
    supports(_operator, inputDtypes): boolean {
      return inputDtypes[0] === 'float32';
    },
    prepare(ctx): PreparedOp {
      const { input1, input2, output } = binaryTensors(ctx);
      if (input2.dtype !== 'float32' || output.dtype !== 'float32') {
        throw ctx.error(`inputs ${input1.dtype} and ${input2.dtype} with output ${output.dtype}: all three must be float32`);
      }
      const plan = planBroadcast(ctx, input1, input2, output);
      const validate = check?.(ctx);
      let x1: Float32Array = new Float32Array(0);
      let x2: Float32Array = new Float32Array(0);
      let y: Float32Array = new Float32Array(0);
      const step: ElementStep = (o, a, b) => {
        y[o] = f(x1[a], x2[b]);
      };
      return {
        invoke(): void {
          x1 = input1.data as Float32Array;
          x2 = input2.data as Float32Array;
          y = output.data as Float32Array;
          validate?.(x2);
          forEachElement(plan, step);
        },
      };
    },
  };
}
