// SQUEEZE after TFLM's micro/kernels/squeeze.cc: drops dimensions of size 1 (all of them, or
// those SqueezeOptions.squeeze_dims names).
import { SqueezeOptionsT } from '../../model/schema/tflite.js';
import { copyKernel } from './copy-kernel.js';
import { resolveAxis, shapeText } from './shape-common.js';

export const SQUEEZE = copyKernel((ctx, input, output) => {
  const options = ctx.operator.builtinOptions instanceof SqueezeOptionsT ? ctx.operator.builtinOptions : new SqueezeOptionsT();
  const rank = input.shape.length;
  const dropped = new Set<number>();
  if (options.squeezeDims.length === 0) {
    input.shape.forEach((d, i) => { if (d === 1) dropped.add(i); });
  } else {
    for (const dim of options.squeezeDims) {
      const axis = resolveAxis(ctx, dim, rank, 'squeeze_dims entry');
      if (input.shape[axis] !== 1) throw ctx.error(`cannot squeeze dimension ${axis} of size ${input.shape[axis]}`);
      dropped.add(axis);
    }
  }
  const expected = input.shape.filter((_, i) => !dropped.has(i));
  if (shapeText(expected) !== shapeText(output.shape)) {
    throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
  }
});
