// SLICE after TFLM's micro/kernels/slice.cc and reference/slice.h: `size` elements from `begin`
// along each axis (size -1: to the end), up to 5 dimensions. Constant begin and size are checked
// against the output shape in prepare and the copy is tabulated; otherwise, as TFLM reads them
// at Eval, they are read and validated at invoke (GetValidatedBeginAndSizeVectors: begin within
// the dimension, the size within what remains, as many elements as the output holds).
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { buildMap, mappedCopy, stridesOf } from './element-map.js';
import { indexAt } from './index-common.js';
import {
  constantIndices, elementsOf, inputAt, movedTensors, shapeText,
} from './shape-common.js';

const MAX_DIMENSIONS = 5;
const SLICE_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32', 'bool']);

function constantSlice(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor, beginTensor: RuntimeTensor, sizeTensor: RuntimeTensor): PreparedOp {
  const begin = constantIndices(ctx, beginTensor, 'begin');
  const size = constantIndices(ctx, sizeTensor, 'size');
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
}

function runtimeSlice(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor, beginTensor: RuntimeTensor, sizeTensor: RuntimeTensor): PreparedOp {
  const rank = input.shape.length;
  const strides = stridesOf(input.shape);
  const begin = new Int32Array(rank);
  const length = new Int32Array(rank);
  const index = new Int32Array(rank);
  const outputCount = output.elementCount;
  return {
    invoke(): void {
      let count = 1;
      for (let i = 0; i < rank; i++) {
        const b = indexAt(beginTensor, i);
        const s = indexAt(sizeTensor, i);
        const d = input.shape[i];
        const resolved = s === -1 ? d - b : s;
        if (b < 0 || b > d || resolved < 0 || resolved > d - b) throw ctx.error(`slice begin ${b} size ${s} is outside dimension ${i} of ${shapeText(input.shape)}`);
        begin[i] = b;
        length[i] = resolved;
        count *= resolved;
      }
      if (count !== outputCount) throw ctx.error(`the slice holds ${count} elements, the output ${outputCount}`);
      const x = elementsOf(input);
      const y = elementsOf(output);
      index.fill(0);
      for (let e = 0; e < outputCount; e++) {
        let at = 0;
        for (let i = 0; i < rank; i++) at += (begin[i] + index[i]) * strides[i];
        y[e] = x[at];
        for (let i = rank - 1; i >= 0; i--) {
          if (++index[i] < length[i]) break;
          index[i] = 0;
        }
      }
    },
  };
}

export const SLICE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return SLICE_DTYPES.has(inputDtypes[0] ?? '') && (inputDtypes[1] === 'int32' || inputDtypes[1] === 'int64') && inputDtypes[2] === inputDtypes[1];
  },
  prepare(ctx): PreparedOp {
    const { input, output } = movedTensors(ctx);
    const rank = input.shape.length;
    if (rank > MAX_DIMENSIONS) throw ctx.error(`input has ${rank} dimensions, at most ${MAX_DIMENSIONS} are supported`);
    const begin = inputAt(ctx, 1, 'begin');
    const size = inputAt(ctx, 2, 'size');
    if (begin.shape.length !== 1 || size.shape.length !== 1 || begin.elementCount !== rank || size.elementCount !== rank) {
      throw ctx.error(`begin and size must be 1-D with ${rank} values, have shapes ${shapeText(begin.shape)} and ${shapeText(size.shape)}`);
    }
    if (begin.isConstant && size.isConstant) return constantSlice(ctx, input, output, begin, size);
    return runtimeSlice(ctx, input, output, begin, size);
  },
};
