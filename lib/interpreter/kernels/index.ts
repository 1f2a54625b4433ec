// Every kernel the interpreter ships, by BuiltinOperator name (TFLM's AllOpsResolver). Kernels
// are grouped by family, each group listing its ops in its own file.
import { ACTIVATION_KERNELS } from './activation-kernels.js';
import { BATCH_MATMUL } from './batch-matmul.js';
import { CONV_POOL_KERNELS } from './conv-pool-kernels.js';
import { DEQUANTIZE } from './dequantize.js';
import { FULLY_CONNECTED } from './fully-connected.js';
import { INDEX_KERNELS } from './index-kernels.js';
import type { Kernel } from './kernel.js';
import { LAYOUT_KERNELS } from './layout-kernels.js';
import { QUANTIZE } from './quantize.js';
import { REDUCE_KERNELS } from './reduce-kernels.js';
import { SHAPE_KERNELS } from './shape-kernels.js';
import { SPATIAL_KERNELS } from './spatial-kernels.js';
import { SVDF } from './svdf.js';
import { UNIDIRECTIONAL_SEQUENCE_LSTM } from './unidirectional-sequence-lstm.js';

export const BUILTIN_KERNELS: Readonly<Record<string, Kernel>> = {
  BATCH_MATMUL,
  DEQUANTIZE,
  FULLY_CONNECTED,
  QUANTIZE,
  SVDF,
  UNIDIRECTIONAL_SEQUENCE_LSTM,
  ...ACTIVATION_KERNELS,
  ...CONV_POOL_KERNELS,
  ...INDEX_KERNELS,
  ...LAYOUT_KERNELS,
  ...REDUCE_KERNELS,
  ...SHAPE_KERNELS,
  ...SPATIAL_KERNELS,
};

export type { Kernel, PrepareContext, PreparedOp, ScratchBuffer } from './kernel.js';
