// Every kernel the interpreter ships, by BuiltinOperator name (TFLM's AllOpsResolver).
import { DEQUANTIZE } from './dequantize.js';
import { FULLY_CONNECTED } from './fully-connected.js';
import type { Kernel } from './kernel.js';
import { QUANTIZE } from './quantize.js';

export const BUILTIN_KERNELS: Readonly<Record<string, Kernel>> = {
  DEQUANTIZE,
  FULLY_CONNECTED,
  QUANTIZE,
};

export type { Kernel, PrepareContext, PreparedOp, ScratchBuffer } from './kernel.js';
