// GATHER after TFLM's micro/kernels/gather.cc: slices of the input along `axis` picked by the
// positions tensor (read at invoke), with batch_dims leading dimensions shared by both. A
// position outside the axis fails the invoke, as TFLM's Eval returns an error.
import { GatherOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { indexAt, isIndexDtype } from './index-common.js';
import {
  elementsOf, inputAt, outputAt, product, sameDtype, sameQuantization, shapeText,
} from './shape-common.js';

const GATHER_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int32']);

export const GATHER: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return GATHER_DTYPES.has(inputDtypes[0] ?? '') && isIndexDtype(inputDtypes[1]);
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof GatherOptionsT ? ctx.operator.builtinOptions : new GatherOptionsT();
    const input = inputAt(ctx, 0, 'input');
    const positions = inputAt(ctx, 1, 'positions');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, input, 'output');
    sameQuantization(ctx, output, input, 'output');
    const rank = input.shape.length;
    const axis = options.axis < 0 ? options.axis + rank : options.axis;
    if (axis < 0 || axis >= rank) throw ctx.error(`axis ${options.axis} is out of range for rank ${rank}`);
    const batchDims = options.batchDims < 0 ? options.batchDims + positions.shape.length : options.batchDims;
    if (batchDims < 0 || batchDims > axis || batchDims > positions.shape.length) {
      throw ctx.error(`batch_dims ${options.batchDims} must be in [0, axis ${axis}] and at most the positions rank ${positions.shape.length}`);
    }
    for (let i = 0; i < batchDims; i++) {
      if (input.shape[i] !== positions.shape[i]) throw ctx.error(`batch dimension ${i} differs: input ${input.shape[i]}, positions ${positions.shape[i]}`);
    }
    const expected = [...input.shape.slice(0, axis), ...positions.shape.slice(batchDims), ...input.shape.slice(axis + 1)];
    if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    const batches = product(input.shape, 0, batchDims);
    const outer = product(input.shape, batchDims, axis);
    const axisSize = input.shape[axis];
    const inner = product(input.shape, axis + 1);
    const coords = product(positions.shape, batchDims);
    return {
      invoke(): void {
        const x = elementsOf(input);
        const y = elementsOf(output);
        for (let b = 0; b < batches; b++) {
          for (let o = 0; o < outer; o++) {
            for (let c = 0; c < coords; c++) {
              const position = indexAt(positions, b * coords + c);
              if (position < 0 || position >= axisSize) throw ctx.error(`position ${position} is outside [0, ${axisSize})`);
              const to = ((b * outer + o) * coords + c) * inner;
              const from = ((b * outer + o) * axisSize + position) * inner;
              for (let k = 0; k < inner; k++) y[to + k] = x[from + k];
            }
          }
        }
      },
    };
  },
};
