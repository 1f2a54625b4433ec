// The comparison and logic family of kernels (bool outputs or conditions), registered in ./index.ts.
import { EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL, NOT_EQUAL } from './comparisons.js';
import { LOGICAL_NOT } from './elementwise-math.js';
import type { Kernel } from './kernel.js';
import { LOGICAL_AND, LOGICAL_OR } from './logical.js';
import { SELECT_V2 } from './select-v2.js';

export const COMPARISON_KERNELS: Readonly<Record<string, Kernel>> = {
  EQUAL,
  GREATER,
  GREATER_EQUAL,
  LESS,
  LESS_EQUAL,
  LOGICAL_AND,
  LOGICAL_NOT,
  LOGICAL_OR,
  NOT_EQUAL,
  SELECT_V2,
};
