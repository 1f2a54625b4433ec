// SUB after TFLM's micro/kernels/sub.cc and sub_common.cc (CalculateOpDataSub): unlike ADD, the
// real multipliers are float32 quotients, widened to double only afterwards.
import { SubOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import { prepareAddSub, supportsAddSub, type AddSubVariant } from './add-sub-common.js';
import type { Kernel, PreparedOp } from './kernel.js';

function optionsOf(operator: Operator): SubOptionsT {
  return operator.builtinOptions instanceof SubOptionsT ? operator.builtinOptions : new SubOptionsT();
}

export const SUB_VARIANT: AddSubVariant = {
  sign: -1,
  int32Activation: true,
  realMultipliers(input1Scale, input2Scale, outputScale, leftShift) {
    const twiceMaxInputScale = Math.fround(2 * Math.max(input1Scale, input2Scale));
    return {
      input1: Math.fround(input1Scale / twiceMaxInputScale),
      input2: Math.fround(input2Scale / twiceMaxInputScale),
      output: Math.fround(twiceMaxInputScale / Math.fround(2 ** leftShift * outputScale)),
    };
  },
};

export const SUB: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return supportsAddSub(inputDtypes);
  },
  prepare(ctx): PreparedOp {
    return prepareAddSub(ctx, SUB_VARIANT, optionsOf(ctx.operator).fusedActivationFunction);
  },
};
