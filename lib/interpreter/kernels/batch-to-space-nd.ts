// BATCH_TO_SPACE_ND after TFLM's micro/kernels/batch_to_space_nd.cc and
// reference/batch_to_space_nd.h: input batch (offset * outBatch + b) fills the block offset
// (offset / blockWidth, offset % blockWidth) of output batch b, then the crops are cut away.
import type { Kernel, PreparedOp } from './kernel.js';
import { blockGeometry } from './batch-space-common.js';
import { buildMap, mappedCopy, stridesOf } from './element-map.js';

export const BATCH_TO_SPACE_ND: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8';
  },
  prepare(ctx): PreparedOp {
    const g = blockGeometry(ctx, true);
    const s = stridesOf(g.inShape);
    const outBatch = g.outShape[0];
    const map = buildMap(g.outShape, ([b, h, w, c]) => {
      const ph = h + g.top;
      const pw = w + g.left;
      const offset = (ph % g.blockHeight) * g.blockWidth + (pw % g.blockWidth);
      const inBatch = offset * outBatch + b;
      return inBatch * s[0] + Math.floor(ph / g.blockHeight) * s[1] + Math.floor(pw / g.blockWidth) * s[2] + c;
    });
    return mappedCopy(g.input, g.output, map);
  },
};
