// The layout family of kernels (ops that cut, reorder, repeat or pad elements without
// arithmetic), registered in ./index.ts.
import { BROADCAST_ARGS } from './broadcast-args.js';
import { BROADCAST_TO } from './broadcast-to.js';
import type { Kernel } from './kernel.js';
import { MIRROR_PAD } from './mirror-pad.js';
import { REVERSE_V2 } from './reverse-v2.js';
import { SLICE } from './slice.js';
import { SPLIT_V } from './split-v.js';

export const LAYOUT_KERNELS: Readonly<Record<string, Kernel>> = {
  BROADCAST_ARGS,
  BROADCAST_TO,
  MIRROR_PAD,
  REVERSE_V2,
  SLICE,
  SPLIT_V,
};
