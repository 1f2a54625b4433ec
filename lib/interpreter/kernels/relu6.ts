// RELU6 after TFLM's micro/kernels/activations.cc: float32 clamps to [0, 6]; int8/int16 clamp
// the input's integers to its zero point and to 6 quantized with the input's parameters
// (FloatToQuantizedType), without rescaling to the output (TFLM assumes they match).
import type { Kernel, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { integerRange, roundHalfAwayFromZero } from './quantization.js';

export const RELU6: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const dtype = inputDtypes[0];
    return dtype === 'float32' || dtype === 'int8' || dtype === 'int16';
  },
  prepare(ctx): PreparedOp {
    const { input, output } = unaryTensors(ctx);
    if (output.dtype !== input.dtype) throw ctx.error(`input is ${input.dtype} but output is ${output.dtype}`);
    const count = input.elementCount;
    if (input.dtype === 'float32') {
      return {
        invoke(): void {
          const x = input.data as Float32Array;
          const y = output.data as Float32Array;
          for (let i = 0; i < count; i++) y[i] = x[i] > 6 ? 6 : x[i] < 0 ? 0 : x[i];
        },
      };
    }
    perTensorQuantization(ctx, input, 'input');
    const [typeMin, typeMax] = integerRange(input.dtype);
    const zero = input.zeroPoint;
    // round(6.0f / scale) in float32, plus the zero point, saturated to the type.
    const sixUnsaturated = roundHalfAwayFromZero(Math.fround(6 / Math.fround(input.scale))) + zero;
    const six = Math.min(typeMax, Math.max(typeMin, sixUnsaturated));
    return {
      invoke(): void {
        const x = input.data as Int8Array | Int16Array;
        const y = output.data as Int8Array | Int16Array;
        for (let i = 0; i < count; i++) y[i] = x[i] > six ? six : x[i] < zero ? zero : x[i];
      },
    };
  },
};
