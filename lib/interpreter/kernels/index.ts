// Every kernel the interpreter ships, by BuiltinOperator name (TFLM's AllOpsResolver). Kernels
// are grouped by family, each group listing its ops in its own file.
import { ACTIVATION_KERNELS } from './activation-kernels.js';
import { BATCH_MATMUL } from './batch-matmul.js';
import { CAST } from './cast.js';
import { COMPARISON_KERNELS } from './comparison-kernels.js';
import { CONTROL_FLOW_KERNELS } from './control-flow-kernels.js';
import { CONV_POOL_KERNELS } from './conv-pool-kernels.js';
import { CUSTOM_KERNELS } from './custom-kernels.js';
import { DEQUANTIZE } from './dequantize.js';
import { DIV } from './div.js';
import { FULLY_CONNECTED } from './fully-connected.js';
import { prepareFullyConnectedHybrid } from './fully-connected-hybrid.js';
import { withHybrid } from './hybrid-common.js';
import { INDEX_KERNELS } from './index-kernels.js';
import type { Kernel } from './kernel.js';
import { LAYOUT_KERNELS } from './layout-kernels.js';
import { MATH_ELEMENTWISE_KERNELS } from './math-elementwise-kernels.js';
import { MAXIMUM, MINIMUM } from './maximum-minimum.js';
import { NORMALIZATION_KERNELS } from './normalization-kernels.js';
import { QUANTIZE } from './quantize.js';
import { REDUCE_KERNELS } from './reduce-kernels.js';
import { SHAPE_KERNELS } from './shape-kernels.js';
import { SIGNAL_KERNELS } from './signal/signal-kernels.js';
import { SPATIAL_KERNELS } from './spatial-kernels.js';
import { SVDF } from './svdf.js';
import { prepareSvdfHybrid } from './svdf-hybrid.js';
import { UNIDIRECTIONAL_SEQUENCE_LSTM } from './unidirectional-sequence-lstm.js';
import { prepareLstmHybrid } from './unidirectional-sequence-lstm-hybrid.js';

export const BUILTIN_KERNELS: Readonly<Record<string, Kernel>> = {
  BATCH_MATMUL,
  CAST,
  DEQUANTIZE,
  DIV,
  FULLY_CONNECTED: withHybrid(FULLY_CONNECTED, prepareFullyConnectedHybrid),
  MAXIMUM,
  MINIMUM,
  QUANTIZE,
  SVDF: withHybrid(SVDF, prepareSvdfHybrid),
  UNIDIRECTIONAL_SEQUENCE_LSTM: withHybrid(UNIDIRECTIONAL_SEQUENCE_LSTM, prepareLstmHybrid),
  ...ACTIVATION_KERNELS,
  ...COMPARISON_KERNELS,
  ...CONTROL_FLOW_KERNELS,
  ...CONV_POOL_KERNELS,
  ...INDEX_KERNELS,
  ...LAYOUT_KERNELS,
  ...MATH_ELEMENTWISE_KERNELS,
  ...NORMALIZATION_KERNELS,
  ...REDUCE_KERNELS,
  ...SHAPE_KERNELS,
  ...SPATIAL_KERNELS,
  // Custom ops, by custom code (TFLM's signal ops register under names such as 'SignalRfft').
  ...SIGNAL_KERNELS,
  ...CUSTOM_KERNELS,
};

export type { Kernel, PrepareContext, PreparedOp, ScratchBuffer } from './kernel.js';
