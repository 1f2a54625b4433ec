// The whole QuantizeReport from the two models and the evaluation set: the accuracy profile
// (report.ts), the per-tensor rows (tensor-table.ts) and the facts a user should know.
import type { Model } from '../model/types.js';
import { evaluateQuantization } from './report.js';
import { tensorQuantizations, type FloatRange } from './tensor-table.js';
import type { QuantizeMode, QuantizeProgress, QuantizeReport, Sample } from './types.js';

export const HYBRID_NOTE = 'TFLM does not run hybrid (dynamic-range) models: their int8 weights need float kernels that TFLM lacks; use int8 mode for a microcontroller';

export interface ReportInput {
  mode: QuantizeMode;
  floatBytes: Uint8Array;
  quantizedBytes: Uint8Array;
  floatModel: Model;
  quantizedModel: Model;
  samples: Sample[];
  evaluatedOn: QuantizeReport['evaluatedOn'];
  labels?: number[];
  classifier?: boolean;
  /** Calibrated activation ranges by tensor name, for the report rows. */
  ranges?: ReadonlyMap<string, FloatRange>;
  /** Notes from the quantizer (folded layers...), after the mode's own. */
  notes?: string[];
  onProgress?: (progress: QuantizeProgress) => void;
}

export function buildQuantizeReport(input: ReportInput): QuantizeReport {
  const evaluation = evaluateQuantization(input.floatModel, input.quantizedModel, input.samples, {
    labels: input.labels, classifier: input.classifier, onProgress: input.onProgress,
  });
  const runsOnTflm = input.mode !== 'dynamic';
  return {
    mode: input.mode,
    sizeBefore: input.floatBytes.byteLength,
    sizeAfter: input.quantizedBytes.byteLength,
    runsOnTflm,
    notes: [...(runsOnTflm ? [] : [HYBRID_NOTE]), ...(input.notes ?? [])],
    tensors: tensorQuantizations(input.floatModel, input.quantizedModel, evaluation.sqnrByTensorName, input.ranges),
    outputs: evaluation.outputs,
    evaluatedOn: input.evaluatedOn,
    samples: input.samples.length,
    top1Agreement: evaluation.top1Agreement,
    accuracyFloat: evaluation.accuracyFloat,
    accuracyQuantized: evaluation.accuracyQuantized,
  };
}
