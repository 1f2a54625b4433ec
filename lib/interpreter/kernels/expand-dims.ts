// EXPAND_DIMS after TFLM's micro/kernels/expand_dims.cc: inserts a dimension of size 1 at the
// position given by the constant axis input (negative counts from the end of the output rank).
import { copyKernel } from './copy-kernel.js';
import { constantIndices, inputAt, shapeText } from './shape-common.js';

export const EXPAND_DIMS = copyKernel((ctx, input, output) => {
  const axisValues = constantIndices(ctx, inputAt(ctx, 1, 'axis'), 'axis');
  if (axisValues.length !== 1) throw ctx.error(`axis must hold one value, has ${axisValues.length}`);
  const rank = input.shape.length;
  let axis = axisValues[0];
  if (axis < -(rank + 1) || axis > rank) throw ctx.error(`axis ${axis} is out of range for an input of rank ${rank}`);
  if (axis < 0) axis += rank + 1;
  const expected = [...input.shape.slice(0, axis), 1, ...input.shape.slice(axis)];
  if (shapeText(expected) !== shapeText(output.shape)) {
    throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
  }
});
