// The accuracy profile of a quantization: the float and the quantized model run side by side in
// our interpreter on the same samples. Per output: MAE, max abs and RMSE of the quantized model
// (dequantized) against the float model over every element of every sample; for classifiers the
// top-1 agreement and, with labels, both accuracies; per tensor the SQNR of the quantized values.
import { Interpreter } from '../interpreter/interpreter.js';
import type { RuntimeTensor } from '../interpreter/tensor.js';
import { readValues, writeValues } from '../interpreter/values.js';
import { elementCount } from '../model/dtype.js';
import type { Model } from '../model/types.js';
import { SampleError } from './sample-error.js';
import { dequantizer, SqnrAccumulator, weightSqnr } from './sqnr.js';
import { pairTensorsByName } from './tensor-pairs.js';
import type { OutputError, QuantizeProgress, Sample } from './types.js';

export interface EvaluateOptions {
  /** Class id of every sample, for a classifier's accuracy. */
  labels?: number[];
  /**
   * Whether to treat the model as a classifier (top-1 agreement). Default: a single output holding
   * one vector of more than one class, produced by SOFTMAX, or any such model when labels are given.
   */
  classifier?: boolean;
  onProgress?: (progress: QuantizeProgress) => void;
}

export interface Evaluation {
  outputs: OutputError[];
  top1Agreement: number | null;
  accuracyFloat: number | null;
  accuracyQuantized: number | null;
  /** SQNR in dB of every tensor paired by name (tensor-pairs.ts); unpaired tensors are absent. */
  sqnrByTensorName: Map<string, number>;
}

class ErrorSums {
  private absolute = 0;
  private squared = 0;
  private count = 0;
  maxAbs = 0;

  add(expected: number, actual: number): void {
    const d = Math.abs(actual - expected);
    this.absolute += d;
    this.squared += d * d;
    this.count++;
    if (d > this.maxAbs) this.maxAbs = d;
  }

  result(output: number, name: string): OutputError {
    return { output, name, mae: this.absolute / this.count, maxAbs: this.maxAbs, rmse: Math.sqrt(this.squared / this.count) };
  }
}

/** Index of the largest value, the first one on ties (as numpy's argmax). */
function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function tensorLabel(tensor: { name: string; shape: readonly number[] }): string {
  return `${tensor.name} [${tensor.shape.join(',')}]`;
}

function checkModelsMatch(floatModel: Model, quantizedModel: Model): void {
  const f = floatModel.subgraphs[0];
  const q = quantizedModel.subgraphs[0];
  for (const kind of ['inputs', 'outputs'] as const) {
    if (f[kind].length !== q[kind].length) {
      throw new Error(`the float model has ${f[kind].length} ${kind}, the quantized model ${q[kind].length}`);
    }
    f[kind].forEach((index, i) => {
      const a = f.tensors[index];
      const b = q.tensors[q[kind][i]];
      if (elementCount(a.shape) !== elementCount(b.shape)) {
        throw new Error(`${kind.slice(0, -1)} ${i}: the float model's is ${tensorLabel(a)}, the quantized model's ${tensorLabel(b)}`);
      }
    });
  }
}

function checkSamples(samples: readonly Sample[], inputs: readonly RuntimeTensor[]): void {
  if (samples.length === 0) throw new SampleError('no evaluation samples');
  samples.forEach((sample, s) => {
    if (sample.length !== inputs.length) {
      throw new SampleError(`sample ${s} has ${sample.length} inputs, the model takes ${inputs.length}`);
    }
    sample.forEach((values, i) => {
      if (values.length !== inputs[i].elementCount) {
        throw new SampleError(`sample ${s}: ${values.length} values, the input ${tensorLabel(inputs[i])} takes ${inputs[i].elementCount}`);
      }
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new SampleError(`sample ${s}, input ${i}, element ${bad} is ${values[bad]}`);
    });
  });
}

/** A classifier's class count, or null when the model is not treated as one. */
function classCount(floatModel: Model, options: EvaluateOptions): number | null {
  const graph = floatModel.subgraphs[0];
  const outputIndex = graph.outputs[0];
  const shape = graph.tensors[outputIndex]?.shape ?? [];
  const classes = shape[shape.length - 1] ?? 1;
  const oneVector = graph.outputs.length === 1 && classes > 1 && elementCount(shape) === classes;
  const endsInSoftmax = graph.operators.some((op) => op.op === 'SOFTMAX' && op.outputs.includes(outputIndex));
  const asked = options.classifier ?? (options.labels !== undefined ? true : undefined);
  if (asked === undefined) return oneVector && endsInSoftmax ? classes : null;
  if (!asked) {
    if (options.labels !== undefined) throw new SampleError('labels were given, but classifier is false');
    return null;
  }
  if (!oneVector) {
    throw new SampleError(
      `a classifier needs one output holding one vector of classes; this model has ${graph.outputs.length} output(s), the first [${shape.join(',')}]`,
    );
  }
  return classes;
}

function checkLabels(labels: readonly number[] | undefined, samples: number, classes: number | null): void {
  if (labels === undefined || classes === null) return;
  if (labels.length !== samples) throw new SampleError(`${labels.length} labels for ${samples} samples`);
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new SampleError(`label ${i} is ${label}, the model has classes 0..${classes - 1}`);
    }
  });
}

function allocated(model: Model): Interpreter {
  const interpreter = new Interpreter(model, { preserveAllTensors: true });
  interpreter.allocate();
  return interpreter;
}

/**
 * Runs both models on every sample (float values; an integer input of the quantized model takes
 * them quantized with its own scale and zero point) and measures what quantization cost.
 */
export function evaluateQuantization(floatModel: Model, quantizedModel: Model, samples: Sample[], options: EvaluateOptions = {}): Evaluation {
  checkModelsMatch(floatModel, quantizedModel);
  const float = allocated(floatModel);
  const quantized = allocated(quantizedModel);
  const inputs = Array.from({ length: float.inputCount }, (_, i) => float.input(i));
  checkSamples(samples, inputs);
  const classes = classCount(floatModel, options);
  checkLabels(options.labels, samples.length, classes);

  const pairs = pairTensorsByName(floatModel, quantizedModel);
  const sqnrByTensorName = new Map<string, number>();
  for (const pair of pairs.filter((p) => p.constant)) {
    sqnrByTensorName.set(pair.name, weightSqnr(floatModel.subgraphs[0].tensors[pair.floatIndex], quantizedModel.subgraphs[0].tensors[pair.quantizedIndex]));
  }
  const activations = pairs.filter((p) => !p.constant).map((pair) => ({
    pair,
    signal: float.tensor(pair.floatIndex),
    approximation: quantized.tensor(pair.quantizedIndex),
    sqnr: new SqnrAccumulator(),
  })).filter((a) => a.signal.data.length === a.signal.elementCount && a.approximation.data.length === a.approximation.elementCount)
    .map((a) => ({ ...a, dequantize: dequantizer(a.approximation) }));

  const outputSums = Array.from({ length: float.outputCount }, () => new ErrorSums());
  let agreements = 0;
  let correctFloat = 0;
  let correctQuantized = 0;
  samples.forEach((sample, s) => {
    sample.forEach((values, i) => {
      writeValues(float.input(i), values);
      writeValues(quantized.input(i), values);
    });
    float.invoke();
    quantized.invoke();
    for (let o = 0; o < outputSums.length; o++) {
      const expected = readValues(float.output(o));
      const actual = readValues(quantized.output(o));
      for (let k = 0; k < expected.length; k++) outputSums[o].add(expected[k], actual[k]);
      if (classes !== null && o === 0) {
        const floatClass = argmax(expected);
        const quantizedClass = argmax(actual);
        if (floatClass === quantizedClass) agreements++;
        if (options.labels !== undefined) {
          if (floatClass === options.labels[s]) correctFloat++;
          if (quantizedClass === options.labels[s]) correctQuantized++;
        }
      }
    }
    for (const a of activations) {
      const signal = a.signal.data as Float32Array;
      for (let k = 0; k < signal.length; k++) a.sqnr.add(signal[k], a.dequantize(k));
    }
    options.onProgress?.({ stage: 'evaluate', done: s + 1, total: samples.length });
  });
  for (const a of activations) sqnrByTensorName.set(a.pair.name, a.sqnr.db);

  const withLabels = classes !== null && options.labels !== undefined;
  return {
    outputs: outputSums.map((sums, o) => sums.result(o, quantized.output(o).name)),
    top1Agreement: classes === null ? null : agreements / samples.length,
    accuracyFloat: withLabels ? correctFloat / samples.length : null,
    accuracyQuantized: withLabels ? correctQuantized / samples.length : null,
    sqnrByTensorName,
  };
}
