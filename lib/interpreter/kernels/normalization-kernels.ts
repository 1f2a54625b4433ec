// Activations and normalizations beyond the activation family's (ELU, PRELU, LOG_SOFTMAX,
// L2_NORMALIZATION), registered in ./index.ts.
import { ELU } from './elu.js';
import type { Kernel } from './kernel.js';
import { L2_NORMALIZATION } from './l2-normalization.js';
import { LOG_SOFTMAX } from './log-softmax.js';
import { PRELU } from './prelu.js';

export const NORMALIZATION_KERNELS: Readonly<Record<string, Kernel>> = {
  ELU,
  L2_NORMALIZATION,
  LOG_SOFTMAX,
  PRELU,
};
