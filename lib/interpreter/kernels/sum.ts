// SUM after TFLM's micro/kernels/reduce.cc (EvalSumHelper): float32 through ReduceGeneric (a
// float32 sum in input memory order); int8/int16 through QuantizedMeanOrSum with compute_sum,
// the mean's path without the 1/count fold: output = zp_out + MBQM(sum - zp_in * count,
// input scale / output scale), clamped.
import { meanOrSumKernel } from './reduce-common.js';

export const SUM = meanOrSumKernel(true);
