// BROADCAST_TO after TFLM's micro/kernels/broadcast_to.cc and reference/broadcast_to.h: the
// input repeated along its size-1 (or missing leading) dimensions up to the constant shape
// input, at most 5 dimensions. TFLM reads the shape in Prepare, so it must be constant.
import type { Kernel, PreparedOp } from './kernel.js';
import { buildMap, mappedCopy, stridesOf } from './element-map.js';
import { constantIndices, inputAt, movedTensors, shapeText } from './shape-common.js';

const MAX_DIMENSIONS = 5;
// TFLM copies any fixed-size type; these are the ones whose elements our tensors view one per
// array slot (float16, int4 and the like are raw bytes here).
const BROADCAST_DTYPES: ReadonlySet<string> = new Set([
  'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool',
]);

export const BROADCAST_TO: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return BROADCAST_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const { input, output } = movedTensors(ctx);
    const shape = constantIndices(ctx, inputAt(ctx, 1, 'shape'), 'shape');
    if (shape.length > MAX_DIMENSIONS) throw ctx.error(`shape has ${shape.length} dimensions, at most ${MAX_DIMENSIONS} are supported`);
    if (shapeText(shape) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} differs from the shape input ${shapeText(shape)}`);
    const lead = shape.length - input.shape.length;
    if (lead < 0 || input.shape.some((d, i) => d !== 1 && d !== shape[lead + i])) {
      throw ctx.error(`input shape ${shapeText(input.shape)} does not broadcast to ${shapeText(shape)}`);
    }
    const strides = stridesOf(input.shape);
    const map = buildMap(shape, (index) => {
      let at = 0;
      for (let i = 0; i < input.shape.length; i++) if (input.shape[i] !== 1) at += index[lead + i] * strides[i];
      return at;
    });
    return mappedCopy(input, output, map);
  },
};
