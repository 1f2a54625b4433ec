// LOG_SOFTMAX after TFLM's micro/kernels/log_softmax.cc and reference/log_softmax.h, over the
// last dimension. float32: x - max - logf(sum of expf(x - max)). int8 (output scale 16/256, zero
// point 127, as TFLM requires): differences from the row maximum scaled into Q5.26
// (PreprocessLogSoftmaxScalingExp with beta 1), exps summed in Q12.19, the log of the sum in Q5.26
// (log_x_for_x_greater_than_or_equal_to_1), and (diff - log sum) rounded to Q4 output units from 127.
import type { RuntimeTensor } from '../tensor.js';
import { firstInputIn, perTensorQuantization, sameDtypeUnaryTensors } from './elementwise.js';
import { logXForXGreaterThanOrEqualTo1 } from './gemmlowp-fixed-point.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { multiplyByQuantizedMultiplier, quantizeMultiplier, roundingDivideByPOT } from './quantization.js';
import { ACCUMULATION_INTEGER_BITS, SCALED_DIFF_INTEGER_BITS, inputRadius, int8SumOfExps, rows } from './softmax.js';

const OUTPUT_INTEGER_BITS = 4;
const INT32_MIN = -2147483648;

function prepareFloat(input: RuntimeTensor, output: RuntimeTensor, outerSize: number, depth: number): PreparedOp {
  const f32 = Math.fround;
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      for (let row = 0; row < outerSize; row++) {
        const base = row * depth;
        let max = -3.4028234663852886e38;
        for (let c = 0; c < depth; c++) if (x[base + c] > max) max = x[base + c];
        let sum = 0;
        for (let c = 0; c < depth; c++) sum = f32(sum + f32(Math.exp(f32(x[base + c] - max))));
        const logSum = f32(Math.log(sum));
        for (let c = 0; c < depth; c++) y[base + c] = f32(x[base + c] - max) - logSum;
      }
    },
  };
}

function prepareInt8(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor, outerSize: number, depth: number): PreparedOp {
  perTensorQuantization(ctx, input, 'input');
  perTensorQuantization(ctx, output, 'output');
  if (Math.fround(output.scale) !== 16 / 256 || output.zeroPoint !== 127) {
    throw ctx.error(`int8 output needs scale 16/256 and zero point 127, got ${output.scale} and ${output.zeroPoint}`);
  }
  const real = Math.min(Math.fround(input.scale) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
  const { multiplier, shift } = quantizeMultiplier(real);
  // The inverse of the input scaling, to bring log sums back to input units.
  const reverse = quantizeMultiplier(2 ** (31 - shift) / multiplier);
  if (reverse.shift > 0) throw ctx.error(`input scale ${input.scale} is too small for the fixed-point log-softmax`);
  const diffMin = -inputRadius(SCALED_DIFF_INTEGER_BITS, shift);
  const outputShift = 31 - SCALED_DIFF_INTEGER_BITS - OUTPUT_INTEGER_BITS;
  return {
    invoke(): void {
      const x = input.data as Int8Array;
      const y = output.data as Int8Array;
      for (let row = 0; row < outerSize; row++) {
        const base = row * depth;
        let max = -128;
        for (let c = 0; c < depth; c++) if (x[base + c] > max) max = x[base + c];
        const sumOfExps = int8SumOfExps(x, base, depth, max, diffMin, multiplier, shift);
        const logSum = logXForXGreaterThanOrEqualTo1(sumOfExps, ACCUMULATION_INTEGER_BITS, SCALED_DIFF_INTEGER_BITS);
        const adjustedDiffMin = Math.max(diffMin - 1,
          multiplyByQuantizedMultiplier((logSum + INT32_MIN) | 0, reverse.multiplier, reverse.shift));
        for (let c = 0; c < depth; c++) {
          const diff = x[base + c] - max;
          if (diff > adjustedDiffMin) {
            const scaled = multiplyByQuantizedMultiplier(diff, multiplier, shift);
            const value = roundingDivideByPOT((scaled - logSum) | 0, outputShift) + 127;
            y[base + c] = value < -128 ? -128 : value > 127 ? 127 : value;
          } else {
            y[base + c] = -128;
          }
        }
      }
    },
  };
}

export const LOG_SOFTMAX: Kernel = {
  supports: firstInputIn(['float32', 'int8']),
  prepare(ctx): PreparedOp {
    const { input, output } = sameDtypeUnaryTensors(ctx);
    if (input.shape.join(',') !== output.shape.join(',')) throw ctx.error(`input shape [${input.shape.join(', ')}] and output shape [${output.shape.join(', ')}] differ`);
    const { outerSize, depth } = rows(ctx, input);
    return input.dtype === 'float32' ? prepareFloat(input, output, outerSize, depth) : prepareInt8(ctx, input, output, outerSize, depth);
  },
};
