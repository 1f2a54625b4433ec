// The conv-pool family of kernels, registered in ./index.ts.
import { AVERAGE_POOL_2D } from './average-pool-2d.js';
import { CONV_2D } from './conv-2d.js';
import { prepareConv2dHybrid } from './conv-2d-hybrid.js';
import { DEPTHWISE_CONV_2D } from './depthwise-conv-2d.js';
import { prepareDepthwiseConv2dHybrid } from './depthwise-conv-2d-hybrid.js';
import { withHybrid } from './hybrid-common.js';
import type { Kernel } from './kernel.js';
import { L2_POOL_2D } from './l2-pool-2d.js';
import { MAX_POOL_2D } from './max-pool-2d.js';
import { TRANSPOSE_CONV } from './transpose-conv.js';

export const CONV_POOL_KERNELS: Readonly<Record<string, Kernel>> = {
  AVERAGE_POOL_2D,
  CONV_2D: withHybrid(CONV_2D, prepareConv2dHybrid),
  DEPTHWISE_CONV_2D: withHybrid(DEPTHWISE_CONV_2D, prepareDepthwiseConv2dHybrid),
  L2_POOL_2D,
  MAX_POOL_2D,
  TRANSPOSE_CONV,
};
