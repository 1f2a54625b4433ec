// Post-training quantization, what TF's converter does with Optimize.DEFAULT: a float32 .tflite
// in, the quantized .tflite and the accuracy report out. Full integer (int8, int16x8) calibrates
// on the representative samples; dynamic range needs none. Nothing is returned on bad input.
import { loadModel } from '../model/read.js';
import type { Model } from '../model/types.js';
import { writeModel } from '../model/write.js';
import { buildQuantizeReport } from './build-report.js';
import { quantizeDynamic } from './dynamic.js';
import { quantizeFullInteger } from './full-integer.js';
import { SampleError } from './sample-error.js';
import type { FloatRange } from './tensor-table.js';
import type { QuantizeOptions, QuantizeResult, Sample, TensorQuantization } from './types.js';

const MODES = ['dynamic', 'int8', 'int16x8'];

/** The quantized model, and which tensors it quantized how. */
function quantizeModel(model: Model, options: QuantizeOptions): { model: Model; tensors: TensorQuantization[]; notes: string[]; runsOnTflm: boolean } {
  if (options.mode === 'dynamic') return quantizeDynamic(model, options);
  if ((options.representative?.length ?? 0) === 0) {
    throw new SampleError(`${options.mode} quantization needs representative samples to calibrate on; none were given`);
  }
  return { ...quantizeFullInteger(model, options), runsOnTflm: true };
}

function calibratedRanges(tensors: readonly TensorQuantization[]): Map<string, FloatRange> {
  return new Map(tensors.flatMap((t) => (t.min !== null && t.max !== null ? [[t.name, { min: t.min, max: t.max }]] : [])));
}

/**
 * Quantizes a float32 .tflite (`mode` dynamic, int8 or int16x8) and measures the result against
 * the float model on `evaluation` (or the representative samples) — see QuantizeOptions.
 */
export function quantize(floatBytes: Uint8Array, options: QuantizeOptions): QuantizeResult {
  if (!MODES.includes(options.mode)) throw new Error(`mode must be one of ${MODES.join(', ')}, got '${String(options.mode)}'`);
  const floatModel = loadModel(floatBytes);
  const quantized = quantizeModel(floatModel, options);
  const bytes = writeModel(quantized.model);
  const evaluation: Sample[] = options.evaluation ?? options.representative ?? [];
  const report = buildQuantizeReport({
    mode: options.mode,
    floatBytes,
    quantizedBytes: bytes,
    floatModel,
    quantizedModel: loadModel(bytes),
    samples: evaluation,
    evaluatedOn: options.evaluation ? 'evaluation' : 'representative',
    labels: options.labels,
    ranges: calibratedRanges(quantized.tensors),
    runsOnTflm: quantized.runsOnTflm,
    notes: quantized.notes,
    onProgress: options.onProgress,
  });
  return { bytes, report };
}

export { formatReport } from './format.js';
export { readSamples, detectSampleFormat, modelInputs, SampleError, type SampleFormat, type SampleInput } from './samples.js';
export type {
  OutputError, QuantizeMode, QuantizeOptions, QuantizeProgress, QuantizeReport, QuantizeResult,
  QuantizedIoType, Sample, TensorQuantization,
} from './types.js';
