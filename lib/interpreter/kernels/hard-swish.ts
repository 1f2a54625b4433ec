// HARD_SWISH after TFLM's micro/kernels/hard_swish.cc, hard_swish_common.cc and
// reference/hard_swish.h. float32: x * min(6, max(0, x + 3)) / 6 in float32 steps. int8: 16-bit
// fixed point: the input on a 2^7 finer scale, a "relu-ish" factor in [0, 1] from x rescaled so
// that 3 is 32768, both combined by a truncating doubling high multiply, then shifted to the output
// (evaluated for all 256 int8 inputs in prepare, int8-table.ts).
import type { Kernel, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { int8TableOp } from './int8-table.js';
import { quantizeMultiplier, roundingDivideByPOT } from './quantization.js';

const INT16_MIN = -32768;
const INT16_MAX = 32767;

/** DownScaleInt32ToInt16Multiplier: a Q31 multiplier rounded to Q15. */
function downScaleToInt16(multiplier: number): number {
  if (multiplier >= 2147483647 - 32768) return INT16_MAX;
  return (multiplier + 32768) >> 16;
}

/** gemmlowp's int16 SaturatingRoundingDoublingHighMul. */
function saturatingRoundingDoublingHighMul16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  const product = a * b;
  return Math.trunc((product + (product >= 0 ? 16384 : -16383)) / 32768);
}

/** SaturatingDoublingHighMul: as above but truncating instead of rounding. */
function saturatingDoublingHighMul16(a: number, b: number): number {
  if (a === INT16_MIN && b === INT16_MIN) return INT16_MAX;
  return Math.trunc((a * b) / 32768);
}

function saturatingLeftShift16(value: number, amount: number): number {
  const result = value * 2 ** amount;
  return result > INT16_MAX ? INT16_MAX : result < INT16_MIN ? INT16_MIN : result;
}

export const HARD_SWISH: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8';
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
            const shifted = Math.fround(v + 3);
            const clamped = shifted < 0 ? 0 : shifted > 6 ? 6 : shifted;
            y[i] = Math.fround(v * clamped) / 6;
          }
        },
      };
    }
    perTensorQuantization(ctx, input, 'input');
    perTensorQuantization(ctx, output, 'output');
    // float32 quotients as HardSwishPrepare computes them.
    const hiresInputScale = Math.fround(Math.fround(1 / 128) * Math.fround(input.scale));
    const reluishScale = Math.fround(3 / 32768);
    const outputQ = quantizeMultiplier(Math.fround(hiresInputScale / Math.fround(output.scale)));
    if (outputQ.shift > 0) throw ctx.error(`input scale / output scale ${input.scale / output.scale} is too large (output exponent ${outputQ.shift} > 0)`);
    const reluishQ = quantizeMultiplier(Math.fround(hiresInputScale / reluishScale));
    const outputMultiplier = downScaleToInt16(outputQ.multiplier);
    const outputExponent = outputQ.shift;
    const reluishMultiplier = downScaleToInt16(reluishQ.multiplier);
    const reluishExponent = reluishQ.shift;
    const inputZeroPoint = input.zeroPoint;
    const outputZeroPoint = output.zeroPoint;
    return int8TableOp(input, output, count, (q) => {
      const hires = (q - inputZeroPoint) * 128;
      const preshiftOutput = saturatingRoundingDoublingHighMul16(hires, outputMultiplier);
      let reluish = hires;
      if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, reluishExponent - 1);
      reluish = saturatingRoundingDoublingHighMul16(reluish, reluishMultiplier);
      if (reluishExponent > 0) reluish = saturatingLeftShift16(reluish, 1);
      if (reluishExponent < 0) reluish = roundingDivideByPOT(reluish, -reluishExponent);
      reluish = (reluish + 32768) >> 1;
      const value = roundingDivideByPOT(saturatingDoublingHighMul16(reluish, preshiftOutput), -outputExponent) + outputZeroPoint;
      return value > 127 ? 127 : value < -128 ? -128 : value;
    });
  },
};
