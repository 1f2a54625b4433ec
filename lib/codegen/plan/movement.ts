// Plan builders for ops that only move elements: PAD/PADV2, STRIDED_SLICE and TRANSPOSE become
// one C kernel (tm_strided_copy.c): an optional fill, then a strided copy over at most 4 dims.
// The geometry follows our TS kernels (TFLM reference/pad.h, strided_slice.h, transpose.h).
import { StridedSliceOptionsT } from '../../model/schema/tflite.js';
import type { Tensor } from '../../model/types.js';
import { byteLengthOf, elementCount } from '../../model/dtype.js';
import { loopEnd, loopStart, padTo5D, type SliceParams } from '../../interpreter/kernels/strided-slice.js';
import type { PlanOperator } from './format.js';
import { C_KERNELS } from './kernel-ids.js';
import { constantInts, inputOf, outputOf, requireActivation, scaleOf, zeroPointOf, type OpContext } from './op-context.js';

const C_DIMS = 4;

/** One axis of the copy: how many elements, and the element step in the input and the output. */
interface Axis { count: number; inStep: number; outStep: number }

const pitches = (shape: readonly number[]): number[] => {
  const out = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) out[d] = out[d + 1] * shape[d + 1];
  return out;
};

/** Axes of one element dropped, runs that step alike merged; at most 4 left, padded in front. */
export function collapseAxes(ctx: OpContext, axes: Axis[]): number[] {
  if (axes.some((a) => a.count === 0)) axes = [{ count: 0, inStep: 0, outStep: 0 }];
  const kept: Axis[] = [];
  for (const axis of axes) {
    if (axis.count === 1) continue;
    const last = kept[kept.length - 1];
    if (last !== undefined && last.inStep === axis.inStep * axis.count && last.outStep === axis.outStep * axis.count) {
      kept[kept.length - 1] = { count: last.count * axis.count, inStep: axis.inStep, outStep: axis.outStep };
    } else kept.push(axis);
  }
  if (kept.length > C_DIMS) ctx.fail(`the copy needs ${kept.length} dims after merging; the C runtime handles ${C_DIMS}`);
  while (kept.length < C_DIMS) kept.unshift({ count: 1, inStep: 0, outStep: 0 });
  return [...kept.map((a) => a.count), ...kept.map((a) => a.inStep), ...kept.map((a) => a.outStep)];
}

const MOVABLE = new Set(['int8', 'int16', 'int32']);

function copyOperands(ctx: OpContext): { input: Tensor; output: Tensor; head: number[] } {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  if (!MOVABLE.has(input.dtype) || output.dtype !== input.dtype) ctx.fail(`input ${input.dtype}, output ${output.dtype}: the C runtime moves int8, int16 or int32 here`);
  requireActivation(ctx, input, 'input');
  return { input, output, head: [inputIndex, outputIndex, byteLengthOf(input.dtype, 1)] };
}

function record(head: number[], fillCount: number, fillValue: number, inBase: number, outBase: number, dims: number[]): PlanOperator {
  return { kernelId: C_KERNELS.STRIDED_COPY.id, params: [...head, fillCount, fillValue, inBase, outBase, ...dims] };
}

export function pad(ctx: OpContext): PlanOperator {
  const { input, output, head } = copyOperands(ctx);
  const [, paddingsTensor] = inputOf(ctx, 1, 'paddings');
  const paddings = constantInts(ctx, paddingsTensor, 'paddings');
  const rank = input.shape.length;
  if (paddings.length !== 2 * rank) ctx.fail(`paddings holds ${paddings.length} values, expected ${2 * rank}`);
  input.shape.forEach((size, d) => {
    if (paddings[2 * d] < 0 || paddings[2 * d + 1] < 0 || output.shape[d] !== size + paddings[2 * d] + paddings[2 * d + 1]) {
      ctx.fail(`output [${output.shape}] is not input [${input.shape}] padded by [${paddings}]`);
    }
  });
  // The border: PADV2's scalar constant_values, else 0 (int8: the output zero point), as pad.ts.
  let value = input.dtype === 'int8' ? zeroPointOf(output) : 0;
  const constantIndex = ctx.operator.inputs[2];
  if (constantIndex !== undefined && constantIndex >= 0) {
    const [, constant] = inputOf(ctx, 2, 'constant_values');
    if (constant.dtype !== input.dtype || elementCount(constant.shape) !== 1 || constant.data === null) ctx.fail('constant_values must be a constant scalar of the input dtype');
    if (input.dtype === 'int8' && (zeroPointOf(constant) !== zeroPointOf(output) || scaleOf(constant) !== scaleOf(output))) ctx.fail('constant_values must have the quantization of the output');
    const view = new DataView(constant.data.buffer, constant.data.byteOffset, constant.data.byteLength);
    value = input.dtype === 'int8' ? view.getInt8(0) : input.dtype === 'int16' ? view.getInt16(0, true) : view.getInt32(0, true);
  }
  const outPitch = pitches(output.shape);
  const inPitch = pitches(input.shape);
  const outBase = input.shape.reduce((n, _, d) => n + paddings[2 * d] * outPitch[d], 0);
  const axes = input.shape.map((count, d) => ({ count, inStep: inPitch[d], outStep: outPitch[d] }));
  return record(head, elementCount(output.shape), value, 0, outBase, collapseAxes(ctx, axes));
}

export function stridedSlice(ctx: OpContext): PlanOperator {
  const { input, output, head } = copyOperands(ctx);
  const options = ctx.operator.builtinOptions instanceof StridedSliceOptionsT ? ctx.operator.builtinOptions : new StridedSliceOptionsT();
  if (options.ellipsisMask !== 0 || options.newAxisMask !== 0) ctx.fail('ellipsis_mask / new_axis_mask are not supported (TFLM ignores them)');
  const rank = input.shape.length;
  if (rank > 4) ctx.fail(`input has ${rank} dims, at most 4 are supported`);
  const vector = (position: number, what: string): number[] => constantInts(ctx, inputOf(ctx, position, what)[1], what).slice(0, rank);
  const strides = vector(3, 'strides');
  if (strides.length < rank || strides.includes(0)) ctx.fail(`strides [${strides}] must hold ${rank} non-zero values`);
  const params: SliceParams = {
    begin: vector(1, 'begin'), end: vector(2, 'end'), strides,
    beginMask: options.beginMask, endMask: options.endMask, shrinkAxisMask: options.shrinkAxisMask, offset: options.offset,
  };
  const padded = padTo5D(params, rank);
  const dims = [...new Array<number>(5 - rank).fill(1), ...input.shape];
  const inPitch = pitches(dims);
  let inBase = 0;
  const axes = dims.map((size, d) => {
    const start = loopStart(padded, size, d);
    const stop = loopEnd(padded, size, d, start);
    const step = padded.strides[d];
    inBase += start * inPitch[d];
    return { count: Math.max(0, Math.ceil((stop - start) / step)), inStep: step * inPitch[d], outStep: 0 };
  });
  const outPitch = pitches(axes.map((a) => a.count));
  axes.forEach((a, d) => { a.outStep = outPitch[d]; });
  const total = axes.reduce((n, a) => n * a.count, 1);
  if (total !== elementCount(output.shape)) ctx.fail(`the slice gives ${total} elements, the output [${output.shape}] holds ${elementCount(output.shape)}`);
  return record(head, 0, 0, total === 0 ? 0 : inBase, 0, collapseAxes(ctx, axes));
}

export function transpose(ctx: OpContext): PlanOperator {
  const { input, output, head } = copyOperands(ctx);
  const rank = input.shape.length;
  const perm = constantInts(ctx, inputOf(ctx, 1, 'perm')[1], 'perm').map((p) => (p < 0 ? p + rank : p));
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) ctx.fail(`perm [${perm}] is not a permutation of 0..${rank - 1}`);
  if (perm.some((p, i) => input.shape[p] !== output.shape[i])) ctx.fail(`output [${output.shape}] is not input [${input.shape}] permuted by [${perm}]`);
  const inPitch = pitches(input.shape);
  const outPitch = pitches(output.shape);
  const axes = perm.map((p, i) => ({ count: output.shape[i], inStep: inPitch[p], outStep: outPitch[i] }));
  return record(head, 0, 0, 0, 0, collapseAxes(ctx, axes));
}
