// DEQUANTIZE from int8/int16 to float32, after reference_ops::Dequantize as TFLM's
// micro/kernels/dequantize.cc calls it: float(double(scale) * (value - zero point)).
import type { Kernel, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';

export const DEQUANTIZE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int8' || inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    const { input, output } = unaryTensors(ctx);
    if (output.dtype !== 'float32') throw ctx.error(`${input.dtype} input to ${output.dtype} output is not supported`);
    perTensorQuantization(ctx, input, 'input');
    const scale = input.scale;
    const zeroPoint = input.zeroPoint;
    const count = input.elementCount;
    return {
      invoke(): void {
        const x = input.data as Int8Array | Int16Array;
        const y = output.data as Float32Array;
        for (let i = 0; i < count; i++) y[i] = scale * (x[i] - zeroPoint);
      },
    };
  },
};
