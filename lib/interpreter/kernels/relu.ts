// RELU after TFLM's micro/kernels/activations.cc: float32 clamps at 0; int8/int16 rescale from
// the input to the output quantization (CalculateReluOpData, ReluQuantized), then clamp at the
// output's zero.
import type { Kernel, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';

export const RELU: Kernel = {
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
          for (let i = 0; i < count; i++) y[i] = x[i] < 0 ? 0 : x[i];
        },
      };
    }
    perTensorQuantization(ctx, input, 'input');
    perTensorQuantization(ctx, output, 'output');
    if (input.dtype === 'int16' && (input.zeroPoint !== 0 || output.zeroPoint !== 0)) {
      throw ctx.error(`int16 needs zero points of 0, got input ${input.zeroPoint} and output ${output.zeroPoint}`);
    }
    const { multiplier, shift } = quantizeMultiplier(input.scale / output.scale);
    const [typeMin, max] = integerRange(output.dtype);
    // roundf(0 / scale) is 0: the floor is the output's zero point.
    const min = Math.max(typeMin, output.zeroPoint);
    const inputOffset = input.zeroPoint;
    const outputOffset = output.zeroPoint;
    return {
      invoke(): void {
        const x = input.data as Int8Array | Int16Array;
        const y = output.data as Int8Array | Int16Array;
        for (let i = 0; i < count; i++) {
          const value = outputOffset + multiplyByQuantizedMultiplier(x[i] - inputOffset, multiplier, shift);
          y[i] = value < min ? min : value > max ? max : value;
        }
      },
    };
  },
};
