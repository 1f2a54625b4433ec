// Calibration: run the float model over the representative samples and keep, for every float
// tensor of the main subgraph, the running min and max over all samples (TFLite's calibrator
// logs per-tensor MinMax this way: min = min(min, batch min), max = max(max, batch max)).
import { Interpreter } from '../interpreter/interpreter.js';
import type { Model } from '../model/types.js';
import { valueRange } from './tensor-data.js';
import type { QuantizeProgress, Sample } from './types.js';

export interface TensorRange {
  min: number;
  max: number;
}

/** Ranges by tensor index of subgraph 0; null for tensors that are not float32 or were never written. */
export type CalibrationRanges = (TensorRange | null)[];

/** Throws unless every sample has one finite float array per model input, of the input's element count. */
export function checkSamples(model: Model, samples: readonly Sample[], what: string): void {
  if (samples.length === 0) throw new RangeError(`${what}: no samples (int8 and int16x8 quantization need at least one to calibrate)`);
  const main = model.subgraphs[0];
  const counts = main.inputs.map((t) => main.tensors[t].shape.reduce((a, b) => a * b, 1));
  samples.forEach((sample, s) => {
    if (sample.length !== counts.length) {
      throw new RangeError(`${what}: sample ${s} has ${sample.length} input arrays, the model has ${counts.length} inputs`);
    }
    sample.forEach((values, i) => {
      if (values.length !== counts[i]) {
        const t = main.tensors[main.inputs[i]];
        throw new RangeError(
          `${what}: sample ${s}, input ${i} ('${t.name}', shape [${t.shape.join(', ')}]) needs ${counts[i]} values, got ${values.length}`,
        );
      }
      for (let k = 0; k < values.length; k++) {
        if (!Number.isFinite(values[k])) {
          throw new RangeError(`${what}: sample ${s}, input ${i}, element ${k} is ${values[k]} (samples must be finite)`);
        }
      }
    });
  });
}

/** Min/max of every float32 tensor (constants included) over all samples. */
export function calibrate(
  model: Model,
  samples: readonly Sample[],
  onProgress?: (progress: QuantizeProgress) => void,
): CalibrationRanges {
  checkSamples(model, samples, 'representative data');
  const main = model.subgraphs[0];
  const interpreter = new Interpreter(model, { preserveAllTensors: true });
  interpreter.allocate();
  const ranges: CalibrationRanges = main.tensors.map(() => null);
  const floatTensors = main.tensors.flatMap((t, i) => (t.dtype === 'float32' ? [i] : []));
  samples.forEach((sample, s) => {
    sample.forEach((values, i) => interpreter.setInput(i, values));
    interpreter.invoke();
    for (const index of floatTensors) {
      const data = interpreter.tensor(index).data as Float32Array;
      if (data.length === 0) continue;
      const { min, max } = valueRange(data);
      const range = ranges[index];
      if (range === null) ranges[index] = { min, max };
      else {
        if (min < range.min) range.min = min;
        if (max > range.max) range.max = max;
      }
    }
    onProgress?.({ stage: 'calibrate', done: s + 1, total: samples.length });
  });
  return ranges;
}
