// LEAKY_RELU after TFLM's micro/kernels/leaky_relu.cc, leaky_relu_common.cc and
// reference/leaky_relu.h: float32 x > 0 ? x : alpha * x; int8/int16 rescale the input (minus its
// zero point) by input_scale / output_scale when it is >= 0 and by input_scale * alpha /
// output_scale otherwise, both multipliers computed in float32 as TFLM's Prepare does.
import { LeakyReluOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';

function alphaOf(operator: Operator): number {
  return Math.fround(operator.builtinOptions instanceof LeakyReluOptionsT ? operator.builtinOptions.alpha : 0);
}

export const LEAKY_RELU: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const dtype = inputDtypes[0];
    return dtype === 'float32' || dtype === 'int8' || dtype === 'int16';
  },
  prepare(ctx): PreparedOp {
    const { input, output } = unaryTensors(ctx);
    if (output.dtype !== input.dtype) throw ctx.error(`input is ${input.dtype} but output is ${output.dtype}`);
    const alpha = alphaOf(ctx.operator);
    const count = input.elementCount;
    if (input.dtype === 'float32') {
      return {
        invoke(): void {
          const x = input.data as Float32Array;
          const y = output.data as Float32Array;
          for (let i = 0; i < count; i++) y[i] = x[i] > 0 ? x[i] : x[i] * alpha;
        },
      };
    }
    perTensorQuantization(ctx, input, 'input');
    perTensorQuantization(ctx, output, 'output');
    const inputScale = Math.fround(input.scale);
    const outputScale = Math.fround(output.scale);
    const alphaQ = quantizeMultiplier(Math.fround(Math.fround(inputScale * alpha) / outputScale));
    const identityQ = quantizeMultiplier(Math.fround(inputScale / outputScale));
    const [min, max] = integerRange(output.dtype);
    const inputZeroPoint = input.zeroPoint;
    const outputZeroPoint = output.zeroPoint;
    const { multiplier: alphaMultiplier, shift: alphaShift } = alphaQ;
    const { multiplier: identityMultiplier, shift: identityShift } = identityQ;
    return {
      invoke(): void {
        const x = input.data as Int8Array | Int16Array;
        const y = output.data as Int8Array | Int16Array;
        for (let i = 0; i < count; i++) {
          const centered = x[i] - inputZeroPoint;
          const value = outputZeroPoint + (centered >= 0
            ? multiplyByQuantizedMultiplier(centered, identityMultiplier, identityShift)
            : multiplyByQuantizedMultiplier(centered, alphaMultiplier, alphaShift));
          y[i] = value < min ? min : value > max ? max : value;
        }
      },
    };
  },
};
