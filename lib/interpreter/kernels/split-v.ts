// SPLIT_V after TFLM's micro/kernels/split_v.cc: the input cut along a constant axis into parts
// of the constant size_splits (one entry may be -1: the remainder), one per output.
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
    const sizes = constantIndices(ctx, inputAt(ctx, 1, 'size_splits'), 'size_splits');
    const axisValues = constantIndices(ctx, inputAt(ctx, 2, 'axis'), 'axis');
    if (axisValues.length !== 1) throw ctx.error(`axis must hold one value, has ${axisValues.length}`);
    const axis = resolveAxis(ctx, axisValues[0], input.shape.length, 'axis');
    const count = ctx.outputs.length;
    if (sizes.length !== count) throw ctx.error(`size_splits has ${sizes.length} values for ${count} outputs`);
    const unknown = sizes.filter((s) => s === -1).length;
    if (unknown > 1) throw ctx.error('size_splits may hold -1 at most once');
    const known = sizes.reduce((sum, s) => (s === -1 ? sum : sum + s), 0);
    const resolved = sizes.map((s) => (s === -1 ? input.shape[axis] - known : s));
    if (resolved.some((s) => s < 0) || resolved.reduce((a, b) => a + b, 0) !== input.shape[axis]) {
      throw ctx.error(`size_splits [${sizes.join(', ')}] do not add up to dimension ${axis} (${input.shape[axis]})`);
    }
    const strides = stridesOf(input.shape);
    let offset = 0;
    const steps = resolved.map((part, i) => {
      const output = outputAt(ctx, i);
      sameDtype(ctx, output, input, `output ${i}`);
      sameQuantization(ctx, output, input, `output ${i}`);
      const expected = input.shape.map((d, k) => (k === axis ? part : d));
      if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output ${i} shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
      const start = offset;
      offset += part;
      const map = buildMap(expected, (index) => index.reduce((at, v, k) => at + (k === axis ? v + start : v) * strides[k], 0));
      return mappedCopy(input, output, map);
    });
    return mappedCopies(steps);
  },
};
