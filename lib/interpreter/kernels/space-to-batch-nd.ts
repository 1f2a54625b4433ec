// SPACE_TO_BATCH_ND after TFLM's micro/kernels/space_to_batch_nd.cc and
// reference/space_to_batch_nd.h: output batch b takes input batch b % inBatch at block offset
// (b / inBatch): height shift / blockWidth, width shift % blockWidth, over the padded input.
// Padding cells hold 0, or for int8 the output zero point (the pad_value output_offset of
// SpaceToBatchParams, as TF Lite sets it; upstream TFLM never sets it in Prepare, leaving arena
// contents, in practice 0, so an int8 model with a non-zero zero point and real padding can
// differ from TFLM there: we keep the value that means real 0).
import type { Kernel, PreparedOp } from './kernel.js';
import { blockGeometry } from './batch-space-common.js';
import { FILL, buildMap, mappedCopy, stridesOf } from './element-map.js';

export const SPACE_TO_BATCH_ND: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8';
  },
  prepare(ctx): PreparedOp {
    const g = blockGeometry(ctx, false);
    const s = stridesOf(g.inShape);
    const [inBatch, inHeight, inWidth] = g.inShape;
    const map = buildMap(g.outShape, ([b, h, w, c]) => {
      const shift = Math.floor(b / inBatch);
      const ih = h * g.blockHeight + Math.floor(shift / g.blockWidth) - g.top;
      const iw = w * g.blockWidth + (shift % g.blockWidth) - g.left;
      if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) return FILL;
      return (b % inBatch) * s[0] + ih * s[1] + iw * s[2] + c;
    });
    const pad = g.output.dtype === 'int8' ? g.output.zeroPoint : 0;
    return mappedCopy(g.input, g.output, map, pad);
  },
};
