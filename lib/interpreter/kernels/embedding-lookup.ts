// EMBEDDING_LOOKUP after TFLM's micro/kernels/embedding_lookup.cc: rows of `value` picked by the
// 1-D int32 ids (read at invoke; an id outside the rows fails the invoke as in TFLM). int8
// rows either copy as they are or, with a float32 output (hybrid), dequantize with the value's
// scale and zero point 0.
import type { Kernel, PreparedOp } from './kernel.js';
import {
  elementsOf, inputAt, outputAt, sameQuantization, shapeText,
} from './shape-common.js';

export const EMBEDDING_LOOKUP: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int32' && (inputDtypes[1] === 'float32' || inputDtypes[1] === 'int8');
  },
  prepare(ctx): PreparedOp {
    const lookup = inputAt(ctx, 0, 'lookup');
    const value = inputAt(ctx, 1, 'value');
    const output = outputAt(ctx, 0);
    if (lookup.shape.length !== 1) throw ctx.error(`lookup must be 1-D, has shape ${shapeText(lookup.shape)}`);
    if (value.shape.length < 2) throw ctx.error(`value must have at least 2 dimensions, has shape ${shapeText(value.shape)}`);
    const hybrid = value.dtype === 'int8' && output.dtype === 'float32';
    if (!hybrid && output.dtype !== value.dtype) throw ctx.error(`a ${value.dtype} value needs a ${value.dtype}${value.dtype === 'int8' ? ' or float32' : ''} output, got ${output.dtype}`);
    if (hybrid && value.zeroPoint !== 0) throw ctx.error(`a hybrid lookup needs value zero point 0, got ${value.zeroPoint}`);
    if (!hybrid) sameQuantization(ctx, output, value, 'output');
    const expected = [lookup.shape[0], ...value.shape.slice(1)];
    if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    const rows = value.shape[0];
    const columns = value.elementCount / rows;
    const ids = lookup.shape[0];
    const scale = Math.fround(value.scale);
    return {
      invoke(): void {
        const x = elementsOf(value);
        const y = elementsOf(output);
        const id = lookup.data as Int32Array;
        for (let i = 0; i < ids; i++) {
          const row = id[i];
          if (row < 0 || row >= rows) throw ctx.error(`index ${row} is out of bounds [0, ${rows - 1}]`);
          const from = row * columns;
          const to = i * columns;
          if (hybrid) for (let k = 0; k < columns; k++) y[to + k] = Math.fround(scale * x[from + k]);
          else for (let k = 0; k < columns; k++) y[to + k] = x[from + k];
        }
      },
    };
  },
};
