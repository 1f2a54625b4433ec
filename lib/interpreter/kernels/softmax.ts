// SOFTMAX after TFLM's micro/kernels/softmax.cc, softmax_common.cc and reference/softmax.h, over
// the last dimension. float32: exp((x - max) * beta) / sum. int8 input (int8 or int16 output):
// the fixed-point algorithm: differences from the row maximum scaled by beta into Q5.26, exp via
// gemmlowp, the sum in Q12.19, and the reciprocal of the sum by Newton-Raphson. int16: the
// differences scaled so that [-65535, 0] is [-10, 0], exp and 1 / (1 + x) from interpolated tables.
import { SoftmaxOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { expOnNegativeValues, reciprocalBitsOverUnit, reciprocalScale, saturatingRoundingMultiplyByPOT } from './gemmlowp-fixed-point.js';
import { int16Lut, int16LutLookup } from './int16-lut.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier, roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './quantization.js';

export const SCALED_DIFF_INTEGER_BITS = 5;
export const ACCUMULATION_INTEGER_BITS = 12;

function betaOf(operator: Operator): number {
  return Math.fround(operator.builtinOptions instanceof SoftmaxOptionsT ? operator.builtinOptions.beta : 1);
}

/** The input as rows along its last dimension (softmax-like ops work per row). */
export function rows(ctx: PrepareContext, input: RuntimeTensor): { outerSize: number; depth: number } {
  if (input.shape.length === 0) throw ctx.error('input must have at least one dimension');
  const depth = input.shape[input.shape.length - 1];
  return { outerSize: depth === 0 ? 0 : input.elementCount / depth, depth };
}

function prepareFloat(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  if (output.dtype !== 'float32') throw ctx.error(`float32 input needs a float32 output, got ${output.dtype}`);
  const beta = betaOf(ctx.operator);
  const { outerSize, depth } = rows(ctx, input);
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      for (let row = 0; row < outerSize; row++) {
        const base = row * depth;
        let max = -Infinity;
        for (let c = 0; c < depth; c++) if (x[base + c] > max) max = x[base + c];
        let sum = 0;
        for (let c = 0; c < depth; c++) {
          // float32 arithmetic as the C kernel's: (x - max) * beta, expf, a float sum.
          const e = Math.fround(Math.exp(Math.fround(Math.fround(x[base + c] - max) * beta)));
          y[base + c] = e;
          sum = Math.fround(sum + e);
        }
        for (let c = 0; c < depth; c++) y[base + c] = y[base + c] / sum;
      }
    },
  };
}

/** CalculateInputRadius: the largest input difference whose scaled value still fits the integer bits. */
export function inputRadius(integerBits: number, leftShift: number): number {
  return Math.floor(((2 ** integerBits - 1) * 2 ** (31 - integerBits)) / 2 ** leftShift);
}

function checkQuantizedOutput(ctx: PrepareContext, output: RuntimeTensor): void {
  perTensorQuantization(ctx, output, 'output');
  const scale = Math.fround(output.scale);
  if (output.dtype === 'int8') {
    if (output.zeroPoint !== -128 || scale !== 1 / 256) {
      throw ctx.error(`int8 output needs scale 1/256 and zero point -128, got ${output.scale} and ${output.zeroPoint}`);
    }
  } else if (output.dtype === 'int16') {
    if (output.zeroPoint !== -32768 || Math.abs(scale - 1 / 65536) > Math.fround(0.001 / 65536)) {
      throw ctx.error(`int16 output of an int8 input needs scale 1/65536 and zero point -32768, got ${output.scale} and ${output.zeroPoint}`);
    }
  } else {
    throw ctx.error(`int8 input to ${output.dtype} output is not supported`);
  }
}

/**
 * The Q12.19 sum of exp(scaled difference from the row maximum) over one int8 row, skipping
 * differences below diffMin; the int32 additions wrap as in C. Shared with LOG_SOFTMAX.
 */
export function int8SumOfExps(x: Int8Array, base: number, depth: number, max: number, diffMin: number, multiplier: number, shift: number): number {
  let sumOfExps = 0;
  for (let c = 0; c < depth; c++) {
    const diff = x[base + c] - max;
    if (diff >= diffMin) {
      const exp = expOnNegativeValues(multiplyByQuantizedMultiplier(diff, multiplier, shift), SCALED_DIFF_INTEGER_BITS);
      sumOfExps = (sumOfExps + saturatingRoundingMultiplyByPOT(exp, -ACCUMULATION_INTEGER_BITS)) | 0;
    }
  }
  return sumOfExps;
}

function prepareInt8(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  perTensorQuantization(ctx, input, 'input');
  checkQuantizedOutput(ctx, output);
  // PreprocessSoftmaxScaling: beta * input scale in Q5.26, capped below 2^31.
  const real = Math.min(betaOf(ctx.operator) * Math.fround(input.scale) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
  const { multiplier, shift } = quantizeMultiplier(real);
  if (shift < 0) throw ctx.error(`beta x input scale ${real / 2 ** 26} is too small for the fixed-point softmax`);
  const diffMin = -inputRadius(SCALED_DIFF_INTEGER_BITS, shift);
  const { outerSize, depth } = rows(ctx, input);
  const [outMin, outMax] = integerRange(output.dtype);
  const outputBits = output.dtype === 'int8' ? 8 : 16;
  // An int8 difference from the row maximum is one of 256 values: exp of each once, here, and
  // what it adds to the Q12.19 sum (exps[-diff], terms[-diff]; diffs below diffMin add nothing).
  const exps = new Int32Array(256);
  const terms = new Int32Array(256);
  for (let diff = 0; diff >= -255 && diff >= diffMin; diff--) {
    exps[-diff] = expOnNegativeValues(multiplyByQuantizedMultiplier(diff, multiplier, shift), SCALED_DIFF_INTEGER_BITS);
    terms[-diff] = saturatingRoundingMultiplyByPOT(exps[-diff], -ACCUMULATION_INTEGER_BITS);
  }
  return {
    invoke(): void {
      const x = input.data as Int8Array;
      const y = output.data as Int8Array | Int16Array;
      for (let row = 0; row < outerSize; row++) {
        const base = row * depth;
        let max = -128;
        for (let c = 0; c < depth; c++) if (x[base + c] > max) max = x[base + c];
        // The int32 additions wrap as in C (int8SumOfExps, from the table).
        let sumOfExps = 0;
        for (let c = 0; c < depth; c++) sumOfExps = (sumOfExps + terms[max - x[base + c]]) | 0;
        const scale = reciprocalScale(sumOfExps);
        const bitsOverUnit = reciprocalBitsOverUnit(sumOfExps, ACCUMULATION_INTEGER_BITS);
        for (let c = 0; c < depth; c++) {
          const diff = x[base + c] - max;
          if (diff >= diffMin) {
            const exp = exps[-diff];
            const unsaturated = roundingDivideByPOT(saturatingRoundingDoublingHighMul(scale, exp), bitsOverUnit + 31 - outputBits);
            const shifted = unsaturated + outMin;
            y[base + c] = shifted > outMax ? outMax : shifted < outMin ? outMin : shifted;
          } else {
            y[base + c] = outMin;
          }
        }
      }
    },
  };
}

/** SoftmaxPrepare's int16 tables: exp on [-10, 0] and 1 / (1 + x) on [0, 1], both into [-1, 1]. */
export const EXP_LUT = int16Lut((x) => Math.exp(x), -10, 0, -1, 1);
export const ONE_OVER_ONE_PLUS_X_LUT = int16Lut((x) => 1 / Math.fround(1 + x), 0, 1, -1, 1);

function prepareInt16(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  perTensorQuantization(ctx, input, 'input');
  perTensorQuantization(ctx, output, 'output');
  if (output.dtype !== 'int16') throw ctx.error(`int16 input needs an int16 output, got ${output.dtype}`);
  if (output.zeroPoint !== 0 || Math.abs(Math.fround(output.scale) - 1 / 32768) > Math.fround(0.001 / 32768)) {
    throw ctx.error(`int16 output needs scale 1/32768 and zero point 0, got ${output.scale} and ${output.zeroPoint}`);
  }
  // Differences of the input scaled by beta so that [-65535, 0] covers [-10, 0].
  const { multiplier, shift } = quantizeMultiplier((Math.fround(input.scale) * betaOf(ctx.operator)) / (10 / 65535));
  const { outerSize, depth } = rows(ctx, input);
  return {
    invoke(): void {
      const x = input.data as Int16Array;
      const y = output.data as Int16Array;
      for (let row = 0; row < outerSize; row++) {
        const base = row * depth;
        let max = -32768;
        for (let c = 0; c < depth; c++) if (x[base + c] > max) max = x[base + c];
        // The exps (Q0.15) wait in the output; their sum is Q16.15.
        let sumOfExps = 0;
        for (let c = 0; c < depth; c++) {
          const scaled = multiplyByQuantizedMultiplier(x[base + c] - max, multiplier, shift) + 32767;
          const exp = int16LutLookup(scaled < -32768 ? -32768 : scaled > 32767 ? 32767 : scaled, EXP_LUT);
          y[base + c] = exp;
          sumOfExps = (sumOfExps + exp) | 0;
        }
        const headroomPlusOne = Math.clz32(sumOfExps);
        // The sum normalised into [1, 2) with 15 fractional bits, then x = sum - 1 recentred to [-32768, 32767].
        const shiftedSum = Math.floor((sumOfExps * 2 ** (headroomPlusOne - 1) + 8192) / 16384);
        const symmetric = shiftedSum - 98304;
        const reciprocal = int16LutLookup(symmetric < -32768 ? -32768 : symmetric > 32767 ? 32767 : symmetric, ONE_OVER_ONE_PLUS_X_LUT);
        const rightShift = 31 - headroomPlusOne;
        const round = 2 ** (rightShift - 1);
        for (let c = 0; c < depth; c++) {
          const result = Math.floor((y[base + c] * reciprocal + round) / 2 ** rightShift);
          y[base + c] = result < 0 ? 0 : result > 32767 ? 32767 : result;
        }
      }
    },
  };
}

export const SOFTMAX: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const dtype = inputDtypes[0];
    return dtype === 'float32' || dtype === 'int8' || dtype === 'int16';
  },
  prepare(ctx): PreparedOp {
    const { input, output } = unaryTensors(ctx);
    if (input.dtype === 'float32') return prepareFloat(ctx, input, output);
    if (input.dtype === 'int16') return prepareInt16(ctx, input, output);
    return prepareInt8(ctx, input, output);
  },
};
