// The whole QuantizeReport from the two models and the evaluation set: the accuracy profile
// (report.ts), the per-tensor rows (tensor-table.ts) and the facts a user should know.
import type { Model } from '../model/types.js';
import { evaluateQuantization, type Evaluation } from './report.js';
import { weightSqnr } from './sqnr.js';
import { pairTensorsByName } from './tensor-pairs.js';
import { tensorQuantizations, type FloatRange } from './tensor-table.js';
import type { QuantizeMode, QuantizeProgress, QuantizeReport, Sample } from './types.js';

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
  /** Whether TFLM runs the quantized model: the quantizer knows (a dynamic-range model with no weight quantized still does). */
  runsOnTflm: boolean;
  /** Notes from the quantizer (folded layers, hybrid kernels...). */
  notes?: string[];
  onProgress?: (progress: QuantizeProgress) => void;
}

/** Without samples (dynamic range needs none): no output errors, weight SQNR only. */
function weightsOnly(floatModel: Model, quantizedModel: Model): Evaluation {
  const sqnrByTensorName = new Map<string, number>();
  for (const pair of pairTensorsByName(floatModel, quantizedModel).filter((p) => p.constant)) {
    sqnrByTensorName.set(pair.name, weightSqnr(floatModel.subgraphs[0].tensors[pair.floatIndex], quantizedModel.subgraphs[0].tensors[pair.quantizedIndex]));
  }
  return { outputs: [], top1Agreement: null, accuracyFloat: null, accuracyQuantized: null, sqnrByTensorName };
}

export function buildQuantizeReport(input: ReportInput): QuantizeReport {
  const evaluation = input.samples.length === 0
    ? weightsOnly(input.floatModel, input.quantizedModel)
    : evaluateQuantization(input.floatModel, input.quantizedModel, input.samples, {
      labels: input.labels, classifier: input.classifier, onProgress: input.onProgress,
    });
  return {
    mode: input.mode,
    sizeBefore: input.floatBytes.byteLength,
    sizeAfter: input.quantizedBytes.byteLength,
    runsOnTflm: input.runsOnTflm,
    notes: input.notes ?? [],
    tensors: tensorQuantizations(input.floatModel, input.quantizedModel, evaluation.sqnrByTensorName, input.ranges),
    outputs: evaluation.outputs,
    evaluatedOn: input.evaluatedOn,
    samples: input.samples.length,
    top1Agreement: evaluation.top1Agreement,
    accuracyFloat: evaluation.accuracyFloat,
    accuracyQuantized: evaluation.accuracyQuantized,
  };
}
