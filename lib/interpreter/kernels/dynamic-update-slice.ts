// DYNAMIC_UPDATE_SLICE after TFLM's micro/kernels/dynamic_update_slice.cc: the operand with
// `update` written at start indices read at invoke, each clamped to [0, operand - update] as
// TFLM's CalculateClampedStartIndices does.
import type { Kernel, PreparedOp } from './kernel.js';
import { stridesOf } from './element-map.js';
import { indexAt, isIndexDtype } from './index-common.js';
import {
  elementsOf, inputAt, outputAt, sameDtype, sameQuantization, shapeText,
} from './shape-common.js';

const UPDATE_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32']);
const MAX_DIMENSIONS = 6;

export const DYNAMIC_UPDATE_SLICE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return UPDATE_DTYPES.has(inputDtypes[0] ?? '') && isIndexDtype(inputDtypes[2]);
  },
  prepare(ctx): PreparedOp {
    const operand = inputAt(ctx, 0, 'operand');
    const update = inputAt(ctx, 1, 'update');
    const starts = inputAt(ctx, 2, 'start_indices');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, update, operand, 'update');
    sameDtype(ctx, output, operand, 'output');
    sameQuantization(ctx, update, operand, 'update');
    sameQuantization(ctx, output, operand, 'output');
    const rank = operand.shape.length;
    if (rank > MAX_DIMENSIONS) throw ctx.error(`operand has ${rank} dimensions, at most ${MAX_DIMENSIONS} are supported`);
    if (starts.shape.length !== 1 || starts.elementCount !== rank) throw ctx.error(`start_indices must be 1-D with ${rank} values, has shape ${shapeText(starts.shape)}`);
    if (update.shape.length !== rank || update.shape.some((d, i) => d > operand.shape[i])) {
      throw ctx.error(`update shape ${shapeText(update.shape)} does not fit in operand shape ${shapeText(operand.shape)}`);
    }
    if (shapeText(output.shape) !== shapeText(operand.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(operand.shape)}`);
    const strides = stridesOf(operand.shape);
    const count = update.elementCount;
    const start = new Int32Array(rank);
    const index = new Int32Array(rank);
    return {
      invoke(): void {
        const x = elementsOf(operand);
        const u = elementsOf(update);
        const y = elementsOf(output);
        if (y !== x) y.set(x);
        for (let i = 0; i < rank; i++) start[i] = Math.min(Math.max(0, indexAt(starts, i)), operand.shape[i] - update.shape[i]);
        index.fill(0);
        for (let e = 0; e < count; e++) {
          let at = 0;
          for (let i = 0; i < rank; i++) at += (start[i] + index[i]) * strides[i];
          y[at] = u[e];
          for (let i = rank - 1; i >= 0; i--) {
            if (++index[i] < update.shape[i]) break;
            index[i] = 0;
          }
        }
      },
    };
  },
};
