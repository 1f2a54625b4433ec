// The int8 preparation shared by LOGISTIC and TANH (TFLM's CalculateArithmeticOpData): the input
// scale times 2^27 as a Q31 multiplier and left shift, so that (q - zero point) becomes a Q4.27
// value, and the radius beyond which the output saturates (CalculateInputRadius).
import type { RuntimeTensor } from '../tensor.js';
import { frexp, roundHalfAwayFromZero } from './quantization.js';

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
