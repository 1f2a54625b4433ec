// The control-flow family (ops that run other subgraphs), registered in ./index.ts.
import { CALL_ONCE } from './call-once.js';
import { IF } from './if.js';
import type { Kernel } from './kernel.js';
import { WHILE } from './while.js';

export const CONTROL_FLOW_KERNELS: Readonly<Record<string, Kernel>> = {
  CALL_ONCE,
  IF,
  WHILE,
};
