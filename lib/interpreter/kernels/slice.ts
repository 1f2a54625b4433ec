// SLICE after TFLM's micro/kernels/slice.cc and reference/slice.h: `size` elements from `begin`
// along each axis (size -1: to the end), up to 5 dimensions. begin and size must be constant,
// as the output shape is fixed when the model is planned.
import type { Kernel, PreparedOp } from './kernel.js';
import { buildMap, mappedCopy, stridesOf } from './element-map.js';
import { constantIndices, inputAt, movedTensors, shapeText } from './shape-common.js';

const MAX_DIMENSIONS = 5;
const SLICE_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32', 'bool']);

export const SLICE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return SLICE_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const { input, output } = movedTensors(ctx);
    const rank = input.shape.length;
    if (rank > MAX_DIMENSIONS) throw ctx.error(`input has ${rank} dimensions, at most ${MAX_DIMENSIONS} are supported`);
    const begin = constantIndices(ctx, inputAt(ctx, 1, 'begin'), 'begin');
    const size = constantIndices(ctx, inputAt(ctx, 2, 'size'), 'size');
    if (begin.length !== rank || size.length !== rank) {
      throw ctx.error(`begin has ${begin.length} and size ${size.length} values, the input has ${rank} dimensions`);
    }
    const expected = input.shape.map((d, i) => {
      const length = size[i] === -1 ? d - begin[i] : size[i];
      if (begin[i] < 0 || length < 0 || begin[i] + length > d) {
        throw ctx.error(`slice begin ${begin[i]} size ${size[i]} is outside dimension ${i} of ${shapeText(input.shape)}`);
      }
      return length;
    });
    if (shapeText(expected) !== shapeText(output.shape)) {
      throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    }
    const strides = stridesOf(input.shape);
    const map = buildMap(expected, (index) => index.reduce((at, v, i) => at + (v + begin[i]) * strides[i], 0));
    return mappedCopy(input, output, map);
  },
};
