// The spatial family of kernels (NHWC rearrangements and resizing), registered in ./index.ts.
import { BATCH_TO_SPACE_ND } from './batch-to-space-nd.js';
import { DEPTH_TO_SPACE } from './depth-to-space.js';
import type { Kernel } from './kernel.js';
import { RESIZE_BILINEAR } from './resize-bilinear.js';
import { RESIZE_NEAREST_NEIGHBOR } from './resize-nearest-neighbor.js';
import { SPACE_TO_BATCH_ND } from './space-to-batch-nd.js';
import { SPACE_TO_DEPTH } from './space-to-depth.js';

export const SPATIAL_KERNELS: Readonly<Record<string, Kernel>> = {
  BATCH_TO_SPACE_ND,
  DEPTH_TO_SPACE,
  RESIZE_BILINEAR,
  RESIZE_NEAREST_NEIGHBOR,
  SPACE_TO_BATCH_ND,
  SPACE_TO_DEPTH,
};
