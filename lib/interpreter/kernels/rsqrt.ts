// RSQRT after TFLM's micro/kernels/elementwise.cc (PrepareAbsRsqrt, RsqrtEvalQuantized): float32
// 1 / sqrtf(x); int8: v = q - input zero point must be >= 0 (TFLM fails the invoke otherwise),
// v = 0 gives 127; else 1 / sqrt(v) from GetInvSqrtQuantizedMultiplierExp, taken to 20
// fractional bits (1 multiplied by it with 20 more bits of shift), then rescaled by
// 1 / (sqrt(input_scale) * output_scale) with 20 bits less, plus the output zero point.
import { firstInputIn, perTensorQuantization, prepareFloatUnary, sameDtypeUnaryTensors } from './elementwise.js';
import { invSqrtQuantizedMultiplier } from './gemmlowp-fixed-point.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';

const FRACTION_BITS = 20;

export const RSQRT: Kernel = {
  supports: firstInputIn(['float32', 'int8']),
  prepare(ctx): PreparedOp {
    const { input, output } = sameDtypeUnaryTensors(ctx);
    const count = input.elementCount;
    if (input.dtype === 'float32') return prepareFloatUnary(input, output, (x) => 1 / Math.fround(Math.sqrt(x)));
    perTensorQuantization(ctx, input, 'input');
    perTensorQuantization(ctx, output, 'output');
    const { multiplier, shift } = quantizeMultiplier(1 / (Math.sqrt(Math.fround(input.scale)) * Math.fround(output.scale)));
    const inputOffset = input.zeroPoint;
    const outputOffset = output.zeroPoint;
    // Every int8 input has its output worked out here, so invoke only looks it up.
    const table = new Int8Array(256);
    const inverse = new Int32Array(2);
    for (let q = -128; q <= 127; q++) {
      const value = q - inputOffset;
      if (value <= 0) {
        table[q & 0xff] = 127;
        continue;
      }
      invSqrtQuantizedMultiplier(value, inverse);
      const fixed = multiplyByQuantizedMultiplier(1, inverse[0], inverse[1] + FRACTION_BITS);
      const result = multiplyByQuantizedMultiplier(fixed, multiplier, shift - FRACTION_BITS) + outputOffset;
      table[q & 0xff] = result < -128 ? -128 : result > 127 ? 127 : result;
    }
    const negativeInput = (q: number): Error => ctx.error(`input value ${q} is below the zero point ${inputOffset}: RSQRT is only defined for positive values`);
    return {
      invoke(): void {
        const x = input.data as Int8Array;
        const y = output.data as Int8Array;
        for (let i = 0; i < count; i++) {
          if (x[i] < inputOffset) throw negativeInput(x[i]);
          y[i] = table[x[i] & 0xff];
        }
      },
    };
  },
};
