// ZEROS_LIKE after TFLM's micro/kernels/zeros_like.cc: an output of the input's dtype and size
// filled with zeros (raw zeros: for a quantized tensor, the integer 0, not the zero point).
import { firstInputIn, sameDtypeUnaryTensors } from './elementwise.js';
import type { Kernel, PreparedOp } from './kernel.js';

export const ZEROS_LIKE: Kernel = {
  supports: firstInputIn(['float32', 'int8', 'int32', 'int64']),
  prepare(ctx): PreparedOp {
    const { input, output } = sameDtypeUnaryTensors(ctx);
    return {
      invoke(): void {
        const y = output.data;
        if (y instanceof BigInt64Array) y.fill(0n);
        else (y as Float32Array | Int8Array | Int32Array).fill(0);
      },
    };
  },
};
