// SUM after TFLM's micro/kernels/reduce.cc (EvalSumHelper): float32 through ReduceGeneric (a
// float32 sum in input memory order); int8/int16 through QuantizedMeanOrSum with compute_sum,
// the mean's path without the 1/count fold: output = zp_out + MBQM(sum - zp_in * count,
// input scale / output scale), clamped.
import type { Kernel, PreparedOp } from './kernel.js';
import { prepareFloatMeanOrSum, prepareQuantizedMeanOrSum, reduction } from './reduce-common.js';
import { inputAt, outputAt, sameDtype } from './shape-common.js';

export const SUM: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const dtype = inputDtypes[0];
    return dtype === 'float32' || dtype === 'int8' || dtype === 'int16';
  },
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, input, 'output');
    const r = reduction(ctx, input, output);
    if (input.dtype === 'float32') return prepareFloatMeanOrSum(input, output, r, true);
    return prepareQuantizedMeanOrSum(ctx, input, output, r, true);
  },
};
