// TANH after TFLM's micro/kernels/tanh.cc, reference/tanh.h (float32) and
// reference/integer_ops/tanh.h (int8: Q4.27 input, gemmlowp's fixed-point tanh, output in units
// of 1/128 around zero; int16: 2 * sigmoid(2x) - 1 from the interpolated sigmoid_table_uint16,
// output scale 2^-15).
import type { Kernel, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { tanh } from './gemmlowp-fixed-point.js';
import { int8TableOp } from './int8-table.js';
import { int16Tanh } from './lstm-common.js';
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from './quantization.js';
import { SIGMOID_INPUT_INTEGER_BITS, int16SigmoidParams, int8SigmoidParams } from './sigmoid-common.js';

const OUTPUT_FRACTIONAL_BITS = 7;

export const TANH: Kernel = {
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
          for (let i = 0; i < count; i++) y[i] = Math.tanh(x[i]);
        },
      };
    }
    perTensorQuantization(ctx, input, 'input');
    if (input.dtype === 'int16') {
      perTensorQuantization(ctx, output, 'output');
      const { multiplier, leftShift } = int16SigmoidParams(ctx, input, output, [0, 1]);
      return {
        invoke(): void {
          const x = input.data as Int16Array;
          const y = output.data as Int16Array;
          for (let i = 0; i < count; i++) y[i] = int16Tanh(x[i], multiplier, leftShift);
        },
      };
    }
    const { inputZeroPoint, inputMultiplier, inputLeftShift, inputRangeRadius } = int8SigmoidParams(input);
    return int8TableOp(input, output, count, (q) => {
      const centered = q - inputZeroPoint;
      if (centered <= -inputRangeRadius) return -128;
      if (centered >= inputRangeRadius) return 127;
      const inputQ4 = multiplyByQuantizedMultiplier(centered, inputMultiplier, inputLeftShift);
      const value = roundingDivideByPOT(tanh(inputQ4, SIGMOID_INPUT_INTEGER_BITS), 31 - OUTPUT_FRACTIONAL_BITS);
      return value < -128 ? -128 : value > 127 ? 127 : value;
    });
  },
};
