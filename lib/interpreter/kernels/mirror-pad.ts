// MIRROR_PAD after TFLM's micro/kernels/mirror_pad.cc: borders filled with the input reflected
// at its edges, REFLECT leaving out the edge element (offset 1), SYMMETRIC repeating it
// (offset 0). The paddings must be constant: the output shape is fixed at planning.
import { MirrorPadMode, MirrorPadOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { buildMap, mappedCopy, stridesOf } from './element-map.js';
import { constantIndices, inputAt, movedTensors, shapeText } from './shape-common.js';

const MIRROR_PAD_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int32', 'int64']);

/** GetInputDimension: the input index an output index along one dimension reads. */
function inputIndex(padded: number, left: number, size: number, offset: number): number {
  if (padded < left) {
    const original = left + offset - 1;
    return original - Math.min(padded, original - offset);
  }
  const inside = padded - left;
  if (inside >= size) {
    const original = size - (1 + offset);
    return original - Math.min(inside - size, original);
  }
  return inside;
}

export const MIRROR_PAD: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return MIRROR_PAD_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof MirrorPadOptionsT ? ctx.operator.builtinOptions : new MirrorPadOptionsT();
    const { input, output } = movedTensors(ctx);
    const rank = input.shape.length;
    const paddings = constantIndices(ctx, inputAt(ctx, 1, 'paddings'), 'paddings');
    if (paddings.length !== 2 * rank) throw ctx.error(`paddings holds ${paddings.length} values, expected ${2 * rank} (a pair per dimension)`);
    const offset = options.mode === MirrorPadMode.REFLECT ? 1 : 0;
    // MirrorPadPrepare's two scratch buffers (per-dimension element counts), reserved so the arena
    // is planned as TFLM plans it; the precomputed map replaces their use.
    ctx.requestScratch(4 * rank);
    ctx.requestScratch(4 * rank);
    const expected = input.shape.map((d, i) => {
      const [left, right] = [paddings[2 * i], paddings[2 * i + 1]];
      // Reflection reads at most size - offset elements beyond each edge.
      if (left < 0 || right < 0 || left > d - offset || right > d - offset) {
        throw ctx.error(`padding [${left}, ${right}] of dimension ${i} (size ${d}) is out of range for ${MirrorPadMode[options.mode]}`);
      }
      return d + left + right;
    });
    if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    const strides = stridesOf(input.shape);
    const map = buildMap(expected, (index) => index.reduce(
      (at, v, i) => at + inputIndex(v, paddings[2 * i], input.shape[i], offset) * strides[i], 0));
    return mappedCopy(input, output, map);
  },
};
