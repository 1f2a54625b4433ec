// The preparation shared by LOGISTIC and TANH (TFLM's CalculateArithmeticOpData in
// micro/kernels/logistic_common.cc and tanh.cc). int8: the input scale times 2^27 as a Q31
// multiplier and left shift, so that (q - zero point) becomes a Q4.27 value, and the radius beyond
// which the output saturates (CalculateInputRadius). int16: symmetric tensors, an output scale of
// 2^-15, and the input rescaled to the table's 1 / (3 * 4096) units by a small multiplier and a
// rounding right shift (or, for the power-of-two scales the kernels special-case, by 3 << shift).
import type { RuntimeTensor } from '../tensor.js';
import type { PrepareContext } from './kernel.js';
import { checkedLog2, frexp, roundHalfAwayFromZero } from './quantization.js';

export const SIGMOID_INPUT_INTEGER_BITS = 4;

export interface Int8SigmoidParams {
  inputZeroPoint: number;
  inputMultiplier: number;
  inputLeftShift: number;
  inputRangeRadius: number;
}

export function int8SigmoidParams(input: RuntimeTensor): Int8SigmoidParams {
  const real = Math.fround(input.scale) * 2 ** (31 - SIGMOID_INPUT_INTEGER_BITS);
  const { fraction, exponent } = frexp(real);
  const maxInputRescaled = ((2 ** SIGMOID_INPUT_INTEGER_BITS - 1) * 2 ** (31 - SIGMOID_INPUT_INTEGER_BITS)) / 2 ** exponent;
  return {
    inputZeroPoint: input.zeroPoint,
    inputMultiplier: roundHalfAwayFromZero(fraction * 2 ** 31) | 0,
    inputLeftShift: exponent,
    inputRangeRadius: Math.floor(maxInputRescaled),
  };
}

/** The int16 kernels' input rescale, (x * multiplier + round) >> leftShift, as their loops apply it. */
export interface Int16SigmoidParams {
  multiplier: number;
  leftShift: number;
}

const INT16_INPUT_INTEGER_BITS = 3;
const INT16_OUTPUT_FRACTIONAL_BITS = 15;

/**
 * CalculateArithmeticOpData for int16. An input scale of 2^(shift - 12) with shift in
 * powerOfTwoShifts (LOGISTIC: 0; TANH: 0 or 1) takes the exact path, multiplier 3 << shift;
 * any other scale becomes scale * 3 * 4096 doubled until it exceeds 32767 / 2, truncated.
 */
export function int16SigmoidParams(
  ctx: Pick<PrepareContext, 'error'>, input: Pick<RuntimeTensor, 'scale' | 'zeroPoint'>, output: Pick<RuntimeTensor, 'scale' | 'zeroPoint'>,
  powerOfTwoShifts: readonly number[],
): Int16SigmoidParams {
  if (input.zeroPoint !== 0) throw ctx.error(`int16 input needs zero point 0, got ${input.zeroPoint}`);
  if (output.zeroPoint !== 0) throw ctx.error(`int16 output needs zero point 0, got ${output.zeroPoint}`);
  const outputLog = checkedLog2(output.scale);
  if (!outputLog.isPowerOfTwo || outputLog.log2 !== -INT16_OUTPUT_FRACTIONAL_BITS) {
    throw ctx.error(`int16 output needs scale 2^-${INT16_OUTPUT_FRACTIONAL_BITS}, got ${output.scale}`);
  }
  const inputLog = checkedLog2(input.scale);
  const potShift = 15 - INT16_INPUT_INTEGER_BITS + inputLog.log2;
  if (inputLog.isPowerOfTwo && powerOfTwoShifts.includes(potShift)) return { multiplier: 3 << potShift, leftShift: 0 };
  // double(float scale) * 4096 * 3, doubled while it stays at most 32767 / 2 (and the shift at most 30).
  let real = Math.fround(input.scale) * 4096 * 3;
  let leftShift = 0;
  while (real <= 32767 / 2 && leftShift <= 30) {
    leftShift++;
    real *= 2;
  }
  const multiplier = Math.trunc(real);
  // TFLM only DCHECKs the bound; beyond it the int32 product in the kernel could overflow.
  if (multiplier > 32767) throw ctx.error(`int16 input scale ${input.scale} is too large: the rescale multiplier ${multiplier} exceeds 32767`);
  if (multiplier === 0) throw ctx.error(`int16 input scale ${input.scale} is too small`);
  return { multiplier, leftShift };
}
