// The public shapes of post-training quantization (quantize(), the report), shared by the
// full-integer and dynamic-range quantizers, the accuracy report, the node and the CLI.

/**
 * - `dynamic`: weights int8 with float scales, activations float (hybrid kernels; TFLM cannot run these).
 * - `int8`: full integer, what TFLM runs (int8 activations, int8 weights, int32 biases).
 * - `int16x8`: int16 symmetric activations, int8 weights, int64 biases.
 */
export type QuantizeMode = 'dynamic' | 'int8' | 'int16x8';

/** The type of the quantized model's inputs or outputs; float32 keeps float I/O (QUANTIZE/DEQUANTIZE at the edges). */
export type QuantizedIoType = 'int8' | 'uint8' | 'int16' | 'float32';

/** One sample: per model input, in input order, its float values (row-major, the input's element count). */
export type Sample = Float32Array[];

export interface QuantizeProgress {
  stage: 'calibrate' | 'quantize' | 'evaluate';
  /** Samples (calibrate, evaluate) or steps (quantize) done so far. */
  done: number;
  total: number;
}

export interface QuantizeOptions {
  mode: QuantizeMode;
  /** Calibration samples (int8, int16x8: required, at least one). */
  representative?: Sample[];
  /** Samples for the accuracy report; the representative set when absent. */
  evaluation?: Sample[];
  /** Class ids of the evaluation samples, for a classifier's accuracy. */
  labels?: number[];
  /** Per-channel weights for CONV_2D / DEPTHWISE_CONV_2D (default true). */
  perChannel?: boolean;
  /**
   * Per-channel weights for FULLY_CONNECTED too (default true, as TF 2.21's converter writes them;
   * false: one scale per tensor, smaller files, up to 1.16x the error on the Keras models).
   */
  perChannelFullyConnected?: boolean;
  /** Default: the activation type of the mode (int8, or int16 for int16x8); float32 for float I/O. */
  inputType?: QuantizedIoType;
  outputType?: QuantizedIoType;
  onProgress?: (progress: QuantizeProgress) => void;
}

export interface TensorQuantization {
  subgraph: number;
  tensor: number;
  name: string;
  /** dtype in the quantized model. */
  dtype: string;
  scale: number[];
  zeroPoint: number[];
  /** The axis of per-channel scales (when scale has more than one entry). */
  quantizedDimension?: number;
  /** Calibrated float range (activations) or weight range; null where not applicable. */
  min: number | null;
  max: number | null;
  /**
   * Signal-to-quantization-noise ratio in dB of this tensor's dequantized values against the float
   * model's values (weights: over the weights; activations: over the evaluation set); null when the
   * tensor has no float counterpart. Infinity when exact.
   */
  sqnrDb: number | null;
}

export interface OutputError {
  output: number;
  name: string;
  /** Over every element of every evaluation sample, quantized model (dequantized) vs float model. */
  mae: number;
  maxAbs: number;
  rmse: number;
}

export interface QuantizeReport {
  mode: QuantizeMode;
  sizeBefore: number;
  sizeAfter: number;
  /** Whether TFLM can run the quantized model (false for dynamic-range hybrid models). */
  runsOnTflm: boolean;
  /** Facts a user should know (e.g. "TFLM does not run hybrid models", folded layers). */
  notes: string[];
  tensors: TensorQuantization[];
  outputs: OutputError[];
  /** Which set the output errors were measured on, and how many samples. */
  evaluatedOn: 'evaluation' | 'representative';
  samples: number;
  /**
   * Classifiers (a single output holding one vector of > 1 classes, produced by SOFTMAX or given labels):
   * argmax agreement with the float model, 0..1.
   */
  top1Agreement: number | null;
  /** With labels: accuracy of the float and of the quantized model, 0..1. */
  accuracyFloat: number | null;
  accuracyQuantized: number | null;
}

export interface QuantizeResult {
  bytes: Uint8Array;
  report: QuantizeReport;
}
