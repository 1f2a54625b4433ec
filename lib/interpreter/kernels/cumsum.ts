// CUMSUM after TFLM's micro/kernels/cumsum.cc and reference/cumsum.h: running sums along the
// axis (an int32 scalar read at invoke, as TFLM does), exclusive and/or reverse. float32 sums
// in float32. int8 follows the quantized CumSum: each (x - zp_in) shifted left by 20 and halved
// by the input multiplier (scale / (2 * scale) = 0.5), summed in int32, then scaled to the
// output by 2 * scale_in / (2^20 * scale_out) and offset by zp_out. As in the reference, the
// accumulator starts at the scaled input offset (-zp_in), not at 0.
import { CumsumOptionsT } from '../../model/schema/tflite.js';
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { perTensorQuantization } from './elementwise.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';
import { inputAt, outputAt, sameDtype, shapeText } from './shape-common.js';

const LEFT_SHIFT = 20;

/** The [outer, depth, inner] split of the shape around the axis (reference's inner/depth/outer). */
interface Walk {
  /** Product of the dimensions before the axis (the reference's `inner`). */
  before: number;
  depth: number;
  /** Product of the dimensions after the axis (the reference's `outer`). */
  after: number;
}

function walkFor(ctx: PrepareContext, input: RuntimeTensor, axisTensor: RuntimeTensor, walk: Walk): void {
  const rank = input.shape.length;
  let axis = (axisTensor.data as Int32Array)[0];
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) throw ctx.error(`Invalid axis: ${axis}`);
  walk.before = 1;
  walk.after = 1;
  for (let i = 0; i < rank; i++) {
    if (i < axis) walk.before *= input.shape[i];
    else if (i > axis) walk.after *= input.shape[i];
    else walk.depth = input.shape[i];
  }
}

/** Calls step(index, first) for every element in the reference's order, `first` at each run start. */
function forEachRun(walk: Walk, reverse: boolean, step: (index: number, first: boolean) => void): void {
  const { before, depth, after } = walk;
  for (let o = 0; o < after; o++) {
    const oa = reverse ? after - 1 - o : o;
    for (let i = 0; i < before; i++) {
      const ia = reverse ? before - 1 - i : i;
      for (let d = 0; d < depth; d++) {
        const da = reverse ? depth - 1 - d : d;
        step(oa + ia * depth * after + da * after, d === 0);
      }
    }
  }
}

function prepareFloat(ctx: PrepareContext, input: RuntimeTensor, axis: RuntimeTensor, output: RuntimeTensor, exclusive: boolean, reverse: boolean): PreparedOp {
  const walk: Walk = { before: 1, depth: 1, after: 1 };
  let x: Float32Array = new Float32Array(0);
  let y: Float32Array = new Float32Array(0);
  let acc = 0;
  const step = (index: number, first: boolean): void => {
    if (first) acc = 0;
    if (exclusive) {
      y[index] = acc;
      acc = Math.fround(acc + x[index]);
    } else {
      acc = Math.fround(acc + x[index]);
      y[index] = acc;
    }
  };
  return {
    invoke(): void {
      walkFor(ctx, input, axis, walk);
      x = input.data as Float32Array;
      y = output.data as Float32Array;
      forEachRun(walk, reverse, step);
    },
  };
}

function prepareInt8(ctx: PrepareContext, input: RuntimeTensor, axis: RuntimeTensor, output: RuntimeTensor, exclusive: boolean, reverse: boolean): PreparedOp {
  perTensorQuantization(ctx, input, 'input');
  perTensorQuantization(ctx, output, 'output');
  const inputOffset = -input.zeroPoint;
  const outputOffset = output.zeroPoint;
  // TFLM: twice_max_input_scale = 2 * double(scale_in).
  const twiceMaxInputScale = 2 * input.scale;
  const inputScaling = quantizeMultiplier(input.scale / twiceMaxInputScale);
  const outputScaling = quantizeMultiplier(twiceMaxInputScale / (2 ** LEFT_SHIFT * output.scale));
  if (inputScaling.shift > 0 || outputScaling.shift > 0) {
    throw ctx.error(`input scale ${input.scale} and output scale ${output.scale} give a rescale of 1 or more (QuantizeMultiplierSmallerThanOneExp)`);
  }
  const scaled = (v: number): number => multiplyByQuantizedMultiplier(Math.imul(v, 1 << LEFT_SHIFT), inputScaling.multiplier, inputScaling.shift);
  const start = scaled(inputOffset);
  const walk: Walk = { before: 1, depth: 1, after: 1 };
  let x: Int8Array = new Int8Array(0);
  let y: Int8Array = new Int8Array(0);
  let acc = 0;
  const step = (index: number, first: boolean): void => {
    if (first) acc = start;
    const term = scaled(inputOffset + x[index]);
    let total: number;
    if (exclusive) {
      total = acc;
      acc = (acc + term) | 0;
    } else {
      acc = (acc + term) | 0;
      total = acc;
    }
    const q = multiplyByQuantizedMultiplier(total, outputScaling.multiplier, outputScaling.shift) + outputOffset;
    y[index] = q < -128 ? -128 : q > 127 ? 127 : q;
  };
  return {
    invoke(): void {
      walkFor(ctx, input, axis, walk);
      x = input.data as Int8Array;
      y = output.data as Int8Array;
      forEachRun(walk, reverse, step);
    },
  };
}

export const CUMSUM: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return (inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8') && inputDtypes[1] === 'int32';
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof CumsumOptionsT ? ctx.operator.builtinOptions : new CumsumOptionsT();
    const input = inputAt(ctx, 0, 'input');
    const axis = inputAt(ctx, 1, 'axis');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, input, 'output');
    if (axis.elementCount !== 1) throw ctx.error(`axis must hold one value, has ${axis.elementCount}`);
    if (input.shape.length < 1) throw ctx.error('input must have at least 1 dimension');
    if (shapeText(output.shape) !== shapeText(input.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(input.shape)}`);
    const { exclusive, reverse } = options;
    if (input.dtype === 'float32') return prepareFloat(ctx, input, axis, output, exclusive, reverse);
    return prepareInt8(ctx, input, axis, output, exclusive, reverse);
  },
};
