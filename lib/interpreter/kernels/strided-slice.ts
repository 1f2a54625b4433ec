// STRIDED_SLICE after TFLM's micro/kernels/strided_slice.cc, reference/strided_slice.h and
// strided_slice_logic.h: begin/end/strides are constant inputs, up to 4 input dimensions,
// begin_mask/end_mask/shrink_axis_mask and negative strides. TFLM zeroes ellipsis_mask and
// new_axis_mask before use, so a model that sets them is refused here rather than sliced in a
// way TFLM would not; `offset` (end counts from begin) follows the reference logic.
import { StridedSliceOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import {
  MOVABLE_DTYPES, constantIndices, elementsOf, inputAt, outputAt, sameDtype, sameQuantization, shapeText,
} from './shape-common.js';

const MAX_INPUT_DIMENSIONS = 4;
const LOOP_DIMENSIONS = 5;
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

export interface SliceParams {
  begin: number[];
  end: number[];
  strides: number[];
  beginMask: number;
  endMask: number;
  shrinkAxisMask: number;
  offset: boolean;
}

function clamp(v: number, lo: number, hi: number): number {
  return v > hi ? hi : v < lo ? lo : v;
}

/** strided_slice::StartForAxis: the first index along an axis, as TFLM's output-shape check computes it. */
function startForAxis(p: SliceParams, axisSize: number, axis: number): number {
  if (axisSize === 0) return 0;
  let start = p.begin[axis];
  if (p.beginMask & (1 << axis)) start = p.strides[axis] > 0 ? INT_MIN : INT_MAX;
  if (start < 0) start += axisSize;
  return p.strides[axis] > 0 ? clamp(start, 0, axisSize) : clamp(start, -1, axisSize - 1);
}

/** strided_slice::StopForAxis: one past the last index (shrunk axes keep one element). */
function stopForAxis(p: SliceParams, axisSize: number, axis: number, start: number): number {
  if (axisSize === 0) return 0;
  if (p.shrinkAxisMask & (1 << axis)) return start + 1;
  let stop = p.offset ? p.end[axis] + start : p.end[axis];
  if (p.endMask & (1 << axis)) stop = p.strides[axis] > 0 ? INT_MAX : INT_MIN;
  if (stop < 0) stop += axisSize;
  return p.strides[axis] > 0 ? clamp(stop, 0, axisSize) : clamp(stop, -1, axisSize - 1);
}

/** strided_slice::StridedSliceStartForAxis, the loop's start (masks applied after clamping). */
export function loopStart(p: SliceParams, axisSize: number, axis: number): number {
  let start = p.begin[axis];
  const stride = p.strides[axis];
  if (start < 0) start += axisSize;
  start = stride > 0 ? clamp(start, 0, axisSize) : clamp(start, -1, axisSize - 1);
  if (p.beginMask & (1 << axis)) start = stride > 0 ? 0 : axisSize - 1;
  return start;
}

/** strided_slice::StridedSliceEndForAxis, the loop's exclusive end. */
export function loopEnd(p: SliceParams, axisSize: number, axis: number, start: number): number {
  if (p.shrinkAxisMask & (1 << axis)) return start >= axisSize ? start : start + 1;
  let end = p.end[axis];
  if (p.offset) end += start;
  const stride = p.strides[axis];
  if (end < 0) end += axisSize;
  end = stride > 0 ? clamp(end, 0, axisSize) : clamp(end, -1, axisSize - 1);
  if (p.endMask & (1 << axis)) end = stride > 0 ? axisSize : -1;
  return end;
}

/** CheckOutputSize: the output shape the slice produces, shrunk axes left out. */
function expectedOutputShape(p: SliceParams, inputShape: readonly number[]): number[] {
  const shape: number[] = [];
  inputShape.forEach((size, axis) => {
    const begin = startForAxis(p, size, axis);
    const end = (p.shrinkAxisMask & (1 << axis)) ? begin + 1 : stopForAxis(p, size, axis, begin);
    // TFLM divides in float32 and takes the ceiling; exact for these small integers.
    const length = Math.max(0, Math.ceil((end - begin) / p.strides[axis]));
    if (!(p.shrinkAxisMask & (1 << axis))) shape.push(length);
  });
  return shape;
}

/** StridedSlicePadIndices: leading axes of size 1 taken whole, so every slice is 5-D. */
export function padTo5D(p: SliceParams, rank: number): SliceParams {
  const pad = LOOP_DIMENSIONS - rank;
  const full = (1 << pad) - 1;
  return {
    begin: [...new Array<number>(pad).fill(0), ...p.begin],
    end: [...new Array<number>(pad).fill(1), ...p.end],
    strides: [...new Array<number>(pad).fill(1), ...p.strides],
    beginMask: (p.beginMask << pad) | full,
    endMask: (p.endMask << pad) | full,
    shrinkAxisMask: p.shrinkAxisMask << pad,
    offset: p.offset,
  };
}

function sliceParams(ctx: PrepareContext, rank: number): SliceParams {
  const options = ctx.operator.builtinOptions instanceof StridedSliceOptionsT ? ctx.operator.builtinOptions : new StridedSliceOptionsT();
  if (options.ellipsisMask !== 0 || options.newAxisMask !== 0) {
    throw ctx.error(`ellipsis_mask ${options.ellipsisMask} / new_axis_mask ${options.newAxisMask} are not supported (TFLM ignores them)`);
  }
  const vector = (position: number, what: string): number[] => {
    const values = constantIndices(ctx, inputAt(ctx, position, what), what);
    if (values.length < rank) throw ctx.error(`${what} has ${values.length} values, the input has ${rank} dimensions`);
    return values.slice(0, rank);
  };
  const strides = vector(3, 'strides');
  if (strides.includes(0)) throw ctx.error('stride value has to be non-zero');
  return {
    begin: vector(1, 'begin'),
    end: vector(2, 'end'),
    strides,
    beginMask: options.beginMask,
    endMask: options.endMask,
    shrinkAxisMask: options.shrinkAxisMask,
    offset: options.offset,
  };
}

export const STRIDED_SLICE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return MOVABLE_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, input, 'output');
    sameQuantization(ctx, output, input, 'output');
    const rank = input.shape.length;
    if (rank > MAX_INPUT_DIMENSIONS) throw ctx.error(`input has ${rank} dimensions, at most ${MAX_INPUT_DIMENSIONS} are supported`);
    const params = sliceParams(ctx, rank);
    const expected = expectedOutputShape(params, input.shape);
    if (shapeText(expected) !== shapeText(output.shape)) {
      throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)} for this slice of ${shapeText(input.shape)}`);
    }
    const padded = padTo5D(params, rank);
    const dims = [...new Array<number>(LOOP_DIMENSIONS - rank).fill(1), ...input.shape];
    const start = new Int32Array(LOOP_DIMENSIONS);
    const stop = new Int32Array(LOOP_DIMENSIONS);
    const step = new Int32Array(LOOP_DIMENSIONS);
    const pitch = new Int32Array(LOOP_DIMENSIONS);
    let elementStride = 1;
    for (let axis = LOOP_DIMENSIONS - 1; axis >= 0; axis--) {
      start[axis] = loopStart(padded, dims[axis], axis);
      stop[axis] = loopEnd(padded, dims[axis], axis, start[axis]);
      step[axis] = padded.strides[axis];
      pitch[axis] = elementStride;
      elementStride *= dims[axis];
    }
    const inside = (index: number, axis: number): boolean => (step[axis] > 0 ? index < stop[axis] : index > stop[axis]);
    return {
      invoke(): void {
        const x = elementsOf(input);
        const y = elementsOf(output);
        let out = 0;
        for (let i0 = start[0]; inside(i0, 0); i0 += step[0]) {
          for (let i1 = start[1]; inside(i1, 1); i1 += step[1]) {
            for (let i2 = start[2]; inside(i2, 2); i2 += step[2]) {
              for (let i3 = start[3]; inside(i3, 3); i3 += step[3]) {
                const base = i0 * pitch[0] + i1 * pitch[1] + i2 * pitch[2] + i3 * pitch[3];
                for (let i4 = start[4]; inside(i4, 4); i4 += step[4]) y[out++] = x[base + i4];
              }
            }
          }
        }
      },
    };
  },
};
