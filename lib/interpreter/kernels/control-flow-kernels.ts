// The control-flow family (ops that run other subgraphs) and the resource variables that
// CALL_ONCE init subgraphs set up, registered in ./index.ts.
import { ASSIGN_VARIABLE } from './assign-variable.js';
import { CALL_ONCE } from './call-once.js';
import { IF } from './if.js';
import type { Kernel } from './kernel.js';
import { READ_VARIABLE } from './read-variable.js';
import { VAR_HANDLE } from './var-handle.js';
import { WHILE } from './while.js';

export const CONTROL_FLOW_KERNELS: Readonly<Record<string, Kernel>> = {
  ASSIGN_VARIABLE,
  CALL_ONCE,
  IF,
  READ_VARIABLE,
  VAR_HANDLE,
  WHILE,
};
