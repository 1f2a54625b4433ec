// SPACE_TO_DEPTH after TFLM's micro/kernels/space_to_depth.cc and reference/space_to_depth.h
// (NHWC): each block_size x block_size patch stacked into depth, the inverse of DEPTH_TO_SPACE:
// out[b][h][w][(hs * bs + ws) * inDepth + d] = in[b][h * bs + hs][w * bs + ws][d].
import { SpaceToDepthOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { buildMap, mappedCopy, stridesOf } from './element-map.js';
import { movedTensors, shapeText } from './shape-common.js';

export const SPACE_TO_DEPTH: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8';
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof SpaceToDepthOptionsT ? ctx.operator.builtinOptions : new SpaceToDepthOptionsT();
    const { input, output } = movedTensors(ctx);
    if (input.shape.length !== 4) throw ctx.error(`input must be 4-D (NHWC), has shape ${shapeText(input.shape)}`);
    const bs = options.blockSize;
    const [batches, height, width, depth] = input.shape;
    if (bs < 1 || height % bs !== 0 || width % bs !== 0) throw ctx.error(`input height ${height} and width ${width} must be multiples of block_size ${bs}`);
    const expected = [batches, height / bs, width / bs, depth * bs * bs];
    if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    const s = stridesOf(input.shape);
    const map = buildMap(expected, ([b, h, w, od]) => {
      const block = Math.floor(od / depth);
      const d = od % depth;
      return b * s[0] + (h * bs + Math.floor(block / bs)) * s[1] + (w * bs + (block % bs)) * s[2] + d;
    });
    return mappedCopy(input, output, map);
  },
};
