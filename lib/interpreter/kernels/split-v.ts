// SPLIT_V after TFLM's micro/kernels/split_v.cc: the input cut along the constant axis (TFLM:
// "Non-constant >axis< tensor is not supported") into the outputs, each taking as many entries
// as its own shape holds along the axis, as SplitImpl does. size_splits (one entry may be -1,
// the remainder) is checked against the outputs when it is constant; TFLM never reads it.
import type { Kernel, PreparedOp } from './kernel.js';
import { buildMap, mappedCopies, mappedCopy, stridesOf } from './element-map.js';
import {
  constantIndices, inputAt, outputAt, resolveAxis, sameDtype, sameQuantization, shapeText,
} from './shape-common.js';

const SPLIT_V_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32']);

export const SPLIT_V: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return SPLIT_V_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const sizeSplits = inputAt(ctx, 1, 'size_splits');
    const axisValues = constantIndices(ctx, inputAt(ctx, 2, 'axis'), 'axis');
    if (axisValues.length !== 1) throw ctx.error(`axis must hold one value, has ${axisValues.length}`);
    const axis = resolveAxis(ctx, axisValues[0], input.shape.length, 'axis');
    const outputs = ctx.outputs.map((_, i) => outputAt(ctx, i));
    const parts = outputs.map((output, i) => {
      sameDtype(ctx, output, input, `output ${i}`);
      sameQuantization(ctx, output, input, `output ${i}`);
      const part = output.shape[axis] ?? -1;
      const expected = input.shape.map((d, k) => (k === axis ? part : d));
      if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output ${i} shape ${shapeText(output.shape)} should be the input shape ${shapeText(input.shape)} but along axis ${axis}`);
      return part;
    });
    if (parts.reduce((a, b) => a + b, 0) !== input.shape[axis]) {
      throw ctx.error(`the outputs hold [${parts.join(', ')}] along axis ${axis}, which does not add up to ${input.shape[axis]}`);
    }
    if (sizeSplits.isConstant) {
      const sizes = constantIndices(ctx, sizeSplits, 'size_splits');
      const known = sizes.reduce((sum, s) => (s === -1 ? sum : sum + s), 0);
      const resolved = sizes.map((s) => (s === -1 ? input.shape[axis] - known : s));
      if (shapeText(resolved) !== shapeText(parts)) throw ctx.error(`size_splits [${sizes.join(', ')}] do not match the outputs [${parts.join(', ')}] along axis ${axis}`);
    }
    const strides = stridesOf(input.shape);
    let offset = 0;
    const steps = outputs.map((output, i) => {
      const start = offset;
      offset += parts[i];
      const map = buildMap(output.shape, (index) => index.reduce((at, v, k) => at + (k === axis ? v + start : v) * strides[k], 0));
      return mappedCopy(input, output, map);
    });
    return mappedCopies(steps);
  },
};
