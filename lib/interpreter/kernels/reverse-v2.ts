// REVERSE_V2 after TFLM's micro/kernels/reverse.cc: the input with the constant axes reversed
// (neighbouring axes only, as TFLM requires).
import type { Kernel, PreparedOp } from './kernel.js';
import { buildMap, mappedCopy, stridesOf } from './element-map.js';
import { constantIndices, inputAt, movedTensors, resolveAxis, shapeText } from './shape-common.js';

const REVERSE_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32', 'int64', 'bool', 'uint8']);

export const REVERSE_V2: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return REVERSE_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const { input, output } = movedTensors(ctx);
    if (shapeText(output.shape) !== shapeText(input.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(input.shape)}`);
    const axisTensor = inputAt(ctx, 1, 'axis');
    if (axisTensor.dtype !== 'int32') throw ctx.error(`axis must be int32, got ${axisTensor.dtype}`);
    const rank = input.shape.length;
    const axes = constantIndices(ctx, axisTensor, 'axis').map((a) => resolveAxis(ctx, a, rank, 'axis')).sort((a, b) => a - b);
    // TFLM's ReverseV2Eval reverses one run of neighbouring axes only.
    if (axes.some((a, i) => i > 0 && a !== axes[i - 1] + 1)) throw ctx.error(`Non-contiguous axes [${axes.join(', ')}] not supported`);
    const reversed = new Set(axes);
    const strides = stridesOf(input.shape);
    const map = buildMap(input.shape, (index) => index.reduce((at, v, i) => at + (reversed.has(i) ? input.shape[i] - 1 - v : v) * strides[i], 0));
    return mappedCopy(input, output, map);
  },
};
