// ADD after TFLM's micro/kernels/add.cc and add_common.cc (CalculateOpDataAdd): the real
// multipliers are computed in double precision.
import { AddOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import { prepareAddSub, supportsAddSub, type AddSubVariant } from './add-sub-common.js';
import type { Kernel, PreparedOp } from './kernel.js';

function optionsOf(operator: Operator): AddOptionsT {
  return operator.builtinOptions instanceof AddOptionsT ? operator.builtinOptions : new AddOptionsT();
}

export const ADD_VARIANT: AddSubVariant = {
  sign: 1,
  int32Activation: false,
  realMultipliers(input1Scale, input2Scale, outputScale, leftShift) {
    const twiceMaxInputScale = 2 * Math.max(input1Scale, input2Scale);
    return {
      input1: input1Scale / twiceMaxInputScale,
      input2: input2Scale / twiceMaxInputScale,
      output: twiceMaxInputScale / (2 ** leftShift * outputScale),
    };
  },
};

export const ADD: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return supportsAddSub(inputDtypes);
  },
  prepare(ctx): PreparedOp {
    return prepareAddSub(ctx, ADD_VARIANT, optionsOf(ctx.operator).fusedActivationFunction);
  },
};
