// DEPTH_TO_SPACE after TFLM's micro/kernels/depth_to_space.cc and reference/depth_to_space.h
// (NHWC, DCR order): each input pixel's depth spread over a block_size x block_size patch,
// out[b][h][w][d] = in[b][h / bs][w / bs][((h % bs) * bs + w % bs) * outDepth + d].
import { DepthToSpaceOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { buildMap, mappedCopy, stridesOf } from './element-map.js';
import { movedTensors, shapeText } from './shape-common.js';

export const DEPTH_TO_SPACE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8';
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof DepthToSpaceOptionsT ? ctx.operator.builtinOptions : new DepthToSpaceOptionsT();
    const { input, output } = movedTensors(ctx);
    if (input.shape.length !== 4) throw ctx.error(`input must be 4-D (NHWC), has shape ${shapeText(input.shape)}`);
    const bs = options.blockSize;
    const [batches, height, width, depth] = input.shape;
    if (bs < 1 || depth % (bs * bs) !== 0) throw ctx.error(`input depth ${depth} is not a multiple of block_size ${bs} squared`);
    const outDepth = depth / (bs * bs);
    const expected = [batches, height * bs, width * bs, outDepth];
    if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    const s = stridesOf(input.shape);
    const map = buildMap(expected, ([b, h, w, d]) =>
      b * s[0] + Math.floor(h / bs) * s[1] + Math.floor(w / bs) * s[2] + ((h % bs) * bs + (w % bs)) * outDepth + d);
    return mappedCopy(input, output, map);
  },
};
