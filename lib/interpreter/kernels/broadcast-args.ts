// BROADCAST_ARGS after TFLM's micro/kernels/broadcast_args.cc and reference/broadcast_args.h:
// the broadcast shape of two 1-D shape tensors. As in TFLM the values are read at invoke (only
// the output length, the longer input's, is fixed by the model), so the inputs may be computed.
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { inputAt, outputAt, sameDtype } from './shape-common.js';

function valueAt(tensor: RuntimeTensor, i: number): number {
  return tensor.dtype === 'int64' ? Number((tensor.data as BigInt64Array)[i]) : (tensor.data as Int32Array)[i];
}

export const BROADCAST_ARGS: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return (inputDtypes[0] === 'int32' || inputDtypes[0] === 'int64') && inputDtypes[1] === inputDtypes[0];
  },
  prepare(ctx): PreparedOp {
    const shape1 = inputAt(ctx, 0, 'shape 1');
    const shape2 = inputAt(ctx, 1, 'shape 2');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, shape2, shape1, 'shape 2');
    sameDtype(ctx, output, shape1, 'output');
    if (shape1.shape.length !== 1 || shape2.shape.length !== 1 || output.shape.length !== 1) {
      throw ctx.error('both shapes and the output must be 1-D');
    }
    const [n1, n2] = [shape1.elementCount, shape2.elementCount];
    const length = Math.max(n1, n2);
    if (output.elementCount !== length) throw ctx.error(`output holds ${output.elementCount} values, the broadcast shape has ${length}`);
    const incompatible = ctx.error('shapes are not broadcast compatible');
    return {
      invoke(): void {
        for (let i = 0; i < length; i++) {
          // Right-aligned: a missing leading dimension counts as 1.
          const d1 = i < length - n1 ? 1 : valueAt(shape1, i - (length - n1));
          const d2 = i < length - n2 ? 1 : valueAt(shape2, i - (length - n2));
          if (d1 !== d2 && d1 !== 1 && d2 !== 1) throw incompatible;
          const d = d1 === 1 ? d2 : d1;
          if (output.dtype === 'int64') (output.data as BigInt64Array)[i] = BigInt(d);
          else (output.data as Int32Array)[i] = d;
        }
      },
    };
  },
};
