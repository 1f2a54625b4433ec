// The reduce family of kernels (TFLM's reduce.cc ops and CUMSUM), registered in ./index.ts.
// MEAN, which shares reduce-common.ts with them, stays with the shape family.
import { CUMSUM } from './cumsum.js';
import type { Kernel } from './kernel.js';
import { REDUCE_ALL } from './reduce-all.js';
import { REDUCE_MAX, REDUCE_MIN } from './reduce-max-min.js';
import { SUM } from './sum.js';

export const REDUCE_KERNELS: Readonly<Record<string, Kernel>> = {
  CUMSUM,
  REDUCE_ALL,
  REDUCE_MAX,
  REDUCE_MIN,
  SUM,
};
