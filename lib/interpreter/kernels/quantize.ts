// QUANTIZE from float32 to int8/int16, after reference_ops::AffineQuantize as TFLM's
// micro/kernels/quantize_common.cc calls it: round(value / float(scale)) + zero point, clamped.
import type { Kernel, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { integerRange, roundHalfAwayFromZero } from './quantization.js';

export const QUANTIZE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32';
  },
  prepare(ctx): PreparedOp {
    const { input, output } = unaryTensors(ctx);
    if (output.dtype !== 'int8' && output.dtype !== 'int16') throw ctx.error(`float32 input to ${output.dtype} output is not supported`);
    perTensorQuantization(ctx, output, 'output');
    const scale = Math.fround(output.scale);
    const zeroPoint = output.zeroPoint;
    const [min, max] = integerRange(output.dtype);
    const count = input.elementCount;
    return {
      invoke(): void {
        const x = input.data as Float32Array;
        const y = output.data as Int8Array | Int16Array;
        for (let i = 0; i < count; i++) {
          // float32 division, as the C kernel divides two floats.
          const q = roundHalfAwayFromZero(Math.fround(x[i] / scale)) + zeroPoint;
          y[i] = q < min ? min : q > max ? max : q;
        }
      },
    };
  },
};
