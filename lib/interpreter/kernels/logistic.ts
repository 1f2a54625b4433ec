// LOGISTIC after TFLM's micro/kernels/logistic.cc, logistic_common.cc, reference/logistic.h
// (float32, with its cutoffs) and reference/integer_ops/logistic.h (int8: Q4.27 input, gemmlowp's
// fixed-point logistic, output scale 1/256 and zero point -128; int16: the interpolated
// sigmoid_table_uint16, output scale 2^-15).
import type { Kernel, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { logistic } from './gemmlowp-fixed-point.js';
import { int8TableOp } from './int8-table.js';
import { int16Logistic } from './lstm-common.js';
import { multiplyByQuantizedMultiplier, roundingDivideByPOT } from './quantization.js';
import { SIGMOID_INPUT_INTEGER_BITS, int16SigmoidParams, int8SigmoidParams } from './sigmoid-common.js';

const CUTOFF_UPPER = Math.fround(16.619047164916992188);
const CUTOFF_LOWER = -9;
const OUTPUT_INTEGER_BITS = 8;

export const LOGISTIC: Kernel = {
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
          for (let i = 0; i < count; i++) {
            const v = x[i];
            y[i] = v > CUTOFF_UPPER ? 1 : v < CUTOFF_LOWER ? Math.exp(v) : 1 / Math.fround(1 + Math.fround(Math.exp(-v)));
          }
        },
      };
    }
    perTensorQuantization(ctx, input, 'input');
    perTensorQuantization(ctx, output, 'output');
    if (input.dtype === 'int16') {
      const { multiplier, leftShift } = int16SigmoidParams(ctx, input, output, [0]);
      return {
        invoke(): void {
          const x = input.data as Int16Array;
          const y = output.data as Int16Array;
          for (let i = 0; i < count; i++) y[i] = int16Logistic(x[i], multiplier, leftShift);
        },
      };
    }
    if (output.zeroPoint !== -128) throw ctx.error(`int8 output needs zero point -128, got ${output.zeroPoint}`);
    const { inputZeroPoint, inputMultiplier, inputLeftShift, inputRangeRadius } = int8SigmoidParams(input);
    return int8TableOp(input, output, count, (q) => {
      const centered = q - inputZeroPoint;
      if (centered <= -inputRangeRadius) return -128;
      if (centered >= inputRangeRadius) return 127;
      const inputQ4 = multiplyByQuantizedMultiplier(centered, inputMultiplier, inputLeftShift);
      const outputQ0 = logistic(inputQ4, SIGMOID_INPUT_INTEGER_BITS);
      const value = roundingDivideByPOT(outputQ0, 31 - OUTPUT_INTEGER_BITS) - 128;
      return value < -128 ? -128 : value > 127 ? 127 : value;
    });
  },
};
