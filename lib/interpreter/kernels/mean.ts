// MEAN after TFLM's micro/kernels/reduce.cc, reduce_common.cc and reference/reduce.h: the
// average over the axes of a constant axis input, keep_dims or not. float32 sums in float32 in
// input memory order and divides once. int8/int16 follow QuantizedMeanOrSum: an int32 sum in an
// arena scratch buffer, the input zero point removed as zp * count, and one
// MultiplyByQuantizedMultiplier whose multiplier folds input scale / output scale and 1/count.
import { meanOrSumKernel } from './reduce-common.js';

export const MEAN = meanOrSumKernel(false);
