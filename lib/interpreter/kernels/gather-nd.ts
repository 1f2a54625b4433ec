// GATHER_ND after TFLM's micro/kernels/gather_nd.cc: each row of the int32 indices (last
// dimension n) addresses a slice params[i0, ..., i(n-1)] of the remaining dimensions. Indices
// are read at invoke; one that leaves params fails the invoke, as TFLM's Eval does.
import type { Kernel, PreparedOp } from './kernel.js';
import { stridesOf } from './element-map.js';
import {
  elementsOf, inputAt, outputAt, product, sameDtype, sameQuantization, shapeText,
} from './shape-common.js';

const GATHER_ND_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int32']);
const MAX_INDICES_ND = 5;

export const GATHER_ND: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return GATHER_ND_DTYPES.has(inputDtypes[0] ?? '') && inputDtypes[1] === 'int32';
  },
  prepare(ctx): PreparedOp {
    const params = inputAt(ctx, 0, 'params');
    const indices = inputAt(ctx, 1, 'indices');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, params, 'output');
    sameQuantization(ctx, output, params, 'output');
    if (params.shape.length < 1) throw ctx.error('params must have at least 1 dimension');
    if (indices.shape.length < 1) throw ctx.error('indices must have at least 1 dimension');
    const depth = indices.shape[indices.shape.length - 1];
    if (depth > params.shape.length) throw ctx.error(`index depth ${depth} is larger than the params rank ${params.shape.length}`);
    if (depth > MAX_INDICES_ND) throw ctx.error(`index depth ${depth} is larger than ${MAX_INDICES_ND}`);
    const expected = [...indices.shape.slice(0, -1), ...params.shape.slice(depth)];
    if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    // Slices: every index row, as n_slices multiplies all but the last indices dimension.
    const slices = product(indices.shape, 0, indices.shape.length - 1);
    const sliceSize = product(params.shape, depth);
    const strides = stridesOf(params.shape);
    const total = params.elementCount;
    return {
      invoke(): void {
        const x = elementsOf(params);
        const y = elementsOf(output);
        const ix = indices.data as Int32Array;
        for (let s = 0; s < slices; s++) {
          let from = 0;
          for (let j = 0; j < depth; j++) from += ix[s * depth + j] * strides[j];
          if (from < 0 || from + sliceSize > total) {
            throw ctx.error(`indices [${Array.from(ix.subarray(s * depth, (s + 1) * depth)).join(', ')}] address outside params ${shapeText(params.shape)}`);
          }
          for (let k = 0; k < sliceSize; k++) y[s * sliceSize + k] = x[from + k];
        }
      },
    };
  },
};
