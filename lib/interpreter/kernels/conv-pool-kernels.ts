// The conv-pool family of kernels, registered in ./index.ts.
import { AVERAGE_POOL_2D } from './average-pool-2d.js';
import { CONV_2D } from './conv-2d.js';
import { DEPTHWISE_CONV_2D } from './depthwise-conv-2d.js';
import type { Kernel } from './kernel.js';
import { L2_POOL_2D } from './l2-pool-2d.js';
import { MAX_POOL_2D } from './max-pool-2d.js';
import { TRANSPOSE_CONV } from './transpose-conv.js';

export const CONV_POOL_KERNELS: Readonly<Record<string, Kernel>> = {
  AVERAGE_POOL_2D,
  CONV_2D,
  DEPTHWISE_CONV_2D,
  L2_POOL_2D,
  MAX_POOL_2D,
  TRANSPOSE_CONV,
};
