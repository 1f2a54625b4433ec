// SPLIT after TFLM's micro/kernels/split.cc: input 1 cut into num_splits equal parts along the
// axis given by the constant input 0.
import { SplitOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import {
  MOVABLE_DTYPES, constantIndices, elementsOf, inputAt, outputAt, product, resolveAxis, sameDtype, sameQuantization, shapeText,
  type ElementData,
} from './shape-common.js';

export const SPLIT: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return MOVABLE_DTYPES.has(inputDtypes[1] ?? '');
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof SplitOptionsT ? ctx.operator.builtinOptions : new SplitOptionsT();
    const axisValues = constantIndices(ctx, inputAt(ctx, 0, 'axis'), 'axis');
    const input = inputAt(ctx, 1, 'input');
    if (axisValues.length !== 1) throw ctx.error(`axis must hold one value, has ${axisValues.length}`);
    const axis = resolveAxis(ctx, axisValues[0], input.shape.length, 'axis');
    const count = ctx.outputs.length;
    if (options.numSplits !== count) throw ctx.error(`num_splits ${options.numSplits} but ${count} outputs`);
    if (count === 0 || input.shape[axis] % count !== 0) throw ctx.error(`dimension ${axis} (${input.shape[axis]}) does not split into ${count} equal parts`);
    const expected = input.shape.map((d, k) => (k === axis ? d / count : d));
    const outputs = ctx.outputs.map((_, i) => outputAt(ctx, i));
    outputs.forEach((output, i) => {
      sameDtype(ctx, output, input, `output ${i}`);
      sameQuantization(ctx, output, input, `output ${i}`);
      if (shapeText(output.shape) !== shapeText(expected)) throw ctx.error(`output ${i} shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    });
    const outer = product(input.shape, 0, axis);
    const chunk = product(expected, axis);
    const targets: ElementData[] = outputs.map(() => new Uint8Array(0));
    return {
      invoke(): void {
        for (let i = 0; i < count; i++) targets[i] = elementsOf(outputs[i]);
        const x = elementsOf(input);
        let from = 0;
        for (let o = 0; o < outer; o++) {
          const base = o * chunk;
          for (let i = 0; i < count; i++) {
            const y = targets[i];
            for (let k = 0; k < chunk; k++) y[base + k] = x[from++];
          }
        }
      },
    };
  },
};
