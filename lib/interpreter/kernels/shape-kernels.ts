// The shape family of kernels, registered in ./index.ts.
import { CONCATENATION } from './concatenation.js';
import { EXPAND_DIMS } from './expand-dims.js';
import type { Kernel } from './kernel.js';
import { MEAN } from './mean.js';
import { PACK } from './pack.js';
import { PAD, PADV2 } from './pad.js';
import { RESHAPE } from './reshape.js';
import { SHAPE } from './shape.js';
import { SPLIT } from './split.js';
import { SQUEEZE } from './squeeze.js';
import { STRIDED_SLICE } from './strided-slice.js';
import { TRANSPOSE } from './transpose.js';
import { UNPACK } from './unpack.js';

export const SHAPE_KERNELS: Readonly<Record<string, Kernel>> = {
  CONCATENATION,
  EXPAND_DIMS,
  MEAN,
  PACK,
  PAD,
  PADV2,
  RESHAPE,
  SHAPE,
  SPLIT,
  SQUEEZE,
  STRIDED_SLICE,
  TRANSPOSE,
  UNPACK,
};
