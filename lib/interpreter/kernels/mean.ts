// MEAN after TFLM's micro/kernels/reduce.cc, reduce_common.cc and reference/reduce.h: the
// average over the axes of a constant axis input, keep_dims or not. float32 sums in float32 in
// input memory order and divides once. int8/int16 follow QuantizedMeanOrSum: an int32 sum in an
// arena scratch buffer, the input zero point removed as zp * count, and one
// MultiplyByQuantizedMultiplier whose multiplier folds input scale / output scale and 1/count.
import type { Kernel, PreparedOp } from './kernel.js';
import { prepareFloatMeanOrSum, prepareQuantizedMeanOrSum, reduction } from './reduce-common.js';
import { inputAt, outputAt, sameDtype } from './shape-common.js';

export const MEAN: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const dtype = inputDtypes[0];
    return dtype === 'float32' || dtype === 'int8' || dtype === 'int16';
  },
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, input, 'output');
    const r = reduction(ctx, input, output);
    if (r.count === 0) throw ctx.error('the reduced axes hold no elements');
    if (input.dtype === 'float32') return prepareFloatMeanOrSum(input, output, r, false);
    return prepareQuantizedMeanOrSum(ctx, input, output, r, false);
  },
};
