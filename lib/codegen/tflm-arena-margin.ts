// How much more arena TFLM needs than our planner's figure. Our interpreter's arenaUsedBytes is
// the tensor memory alone; TFLM keeps its bookkeeping in the same arena: a TfLiteEvalTensor per
// tensor, node and registration structs per operator, kernels' OpData (per-channel output
// multipliers and shifts, 2 x int32 per output channel of CONV_2D / DEPTHWISE_CONV_2D /
// FULLY_CONNECTED / TRANSPOSE_CONV) and signal kernels' state.
//
// ../shared/golden records TFLM's arena_used_bytes on x86-64; minus our planned arena it gives
// that bookkeeping for 15 models: from 784 B (simple_add_model, 3 tensors, 1 op) and 1,152 B
// (hello_world_int8) up to 6,752 B (audio_preprocessor_int8, 22 signal/builtin ops) and
// 29,728 B (person_detect, 89 tensors, 31 ops, 2,738 per-channel output channels). A flat
// margin large enough for person_detect would triple a small model's arena, so the margin
// grows with what TFLM allocates per item; these coefficients cover every golden model, on a
// 64-bit host whose pointers are twice the size they are on a 32-bit MCU
// (test/codegen/tflm-export.test.ts checks the coverage against the goldens).
import type { Model } from '../model/types.js';

export const TFLM_MARGIN = {
  fixedBytes: 1024,
  perTensorBytes: 64,
  perOperatorBytes: 256,
  perChannelBytes: 8,
} as const;

const PER_CHANNEL_OPS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV']);

export interface ArenaMarginCounts {
  tensors: number;
  operators: number;
  /** Output channels of the ops that keep per-channel multipliers and shifts. */
  channels: number;
}

export function arenaMarginCounts(model: Model): ArenaMarginCounts {
  let tensors = 0;
  let operators = 0;
  let channels = 0;
  for (const subgraph of model.subgraphs) {
    tensors += subgraph.tensors.length;
    operators += subgraph.operators.length;
    for (const op of subgraph.operators) {
      if (!PER_CHANNEL_OPS.has(op.op)) continue;
      const shape = subgraph.tensors[op.outputs[0]]?.shape ?? [];
      channels += shape.length > 0 ? shape[shape.length - 1] : 1;
    }
  }
  return { tensors, operators, channels };
}

/** The margin for this model, a multiple of 16 bytes. */
export function tflmArenaMargin(model: Model): number {
  const { tensors, operators, channels } = arenaMarginCounts(model);
  const bytes = TFLM_MARGIN.fixedBytes + TFLM_MARGIN.perTensorBytes * tensors
    + TFLM_MARGIN.perOperatorBytes * operators + TFLM_MARGIN.perChannelBytes * channels;
  return Math.ceil(bytes / 16) * 16;
}
