// SHAPE after TFLM's micro/kernels/shape.cc: the input's dimensions as an int32 (or int64) vector.
import { ShapeOptionsT, TensorType } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { inputAt, outputAt, shapeText } from './shape-common.js';

export const SHAPE: Kernel = {
  supports(operator): boolean {
    const options = operator.builtinOptions instanceof ShapeOptionsT ? operator.builtinOptions : new ShapeOptionsT();
    return options.outType === TensorType.INT32 || options.outType === TensorType.INT64;
  },
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const output = outputAt(ctx, 0);
    if (output.dtype !== 'int32' && output.dtype !== 'int64') throw ctx.error(`output must be int32 or int64, got ${output.dtype}`);
    if (output.elementCount !== input.shape.length) {
      throw ctx.error(`output shape ${shapeText(output.shape)} cannot hold the ${input.shape.length} dimensions of the input`);
    }
    const dims = Int32Array.from(input.shape);
    const dims64 = BigInt64Array.from(input.shape, (d) => BigInt(d));
    return {
      invoke(): void {
        // Written every time: the output's arena bytes may be reused between invokes.
        if (output.dtype === 'int32') (output.data as Int32Array).set(dims);
        else (output.data as BigInt64Array).set(dims64);
      },
    };
  },
};
