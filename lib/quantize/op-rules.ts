// Per-op rules of full-integer quantization: which inputs are weights, which outputs have fixed
// parameters or share their input's (the TFLite quantization spec), and the operator-code
// versions TF 2.21's converter writes (read from its int8 / int16x8 models in ../shared/golden/tf;
// ops it did not show take TFLite's op_version.cc versions for int8 inputs).
import type { AffineParams } from './params.js';

export type ActivationType = 'int8' | 'int16';

/** Ops whose weight (input 1) and bias (input 2) are quantized; axis = the output-channel axis. */
export const WEIGHT_AXIS: Readonly<Record<string, number>> = {
  FULLY_CONNECTED: 0,
  CONV_2D: 0,
  DEPTHWISE_CONV_2D: 3,
};

/** Output parameters fixed by the spec (the kernels assume them). */
export function fixedOutputParams(op: string, activation: ActivationType): AffineParams | null {
  if (activation === 'int16') {
    if (op === 'SOFTMAX' || op === 'LOGISTIC' || op === 'TANH') return { scale: 1 / 32768, zeroPoint: 0 };
    return null;
  }
  switch (op) {
    case 'SOFTMAX':
    case 'LOGISTIC':
      return { scale: 1 / 256, zeroPoint: -128 };
    case 'TANH':
    case 'L2_NORMALIZATION':
      return { scale: 1 / 128, zeroPoint: 0 };
    case 'LOG_SOFTMAX':
      return { scale: 16 / 256, zeroPoint: 127 };
    default:
      return null;
  }
}

/**
 * Ops that only move or select values: their float outputs take their float input's parameters.
 * RELU6 too: TFLM's int8/int16 RELU6 clamps the input's integers and copies them without rescaling.
 */
export const SAME_SCALE_OPS: ReadonlySet<string> = new Set([
  'RELU6', 'RESHAPE', 'SQUEEZE', 'EXPAND_DIMS', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'PAD', 'STRIDED_SLICE',
  'TRANSPOSE', 'SPLIT', 'UNPACK',
]);

/** Ops whose inputs must all have the output's parameters: inputs that differ are requantized first. */
export const SHARED_INPUT_OPS: ReadonlySet<string> = new Set(['CONCATENATION', 'PACK']);

/** Ops with their own calibrated output parameters. */
const CALIBRATED_OPS = [
  'FULLY_CONNECTED', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'ADD', 'SUB', 'MUL', 'MEAN', 'RELU', 'LEAKY_RELU', 'HARD_SWISH',
];

const INT16_OPS: ReadonlySet<string> = new Set([
  'FULLY_CONNECTED', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'ADD', 'SUB', 'MUL', 'SOFTMAX', 'LOGISTIC', 'TANH',
  'RESHAPE', 'SQUEEZE', 'EXPAND_DIMS', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'STRIDED_SLICE', 'TRANSPOSE',
  'CONCATENATION', 'PACK', 'MEAN', 'RELU', 'RELU6', 'LEAKY_RELU', 'PAD', 'SPLIT', 'UNPACK', 'SQUEEZE',
]);

/** Ops that never touch float values (shape arithmetic), kept as they are. */
export const SHAPE_ONLY_OPS: ReadonlySet<string> = new Set(['SHAPE']);

export function canQuantize(op: string, activation: ActivationType): boolean {
  const known = op in WEIGHT_AXIS || fixedOutputParams(op, 'int8') !== null || SAME_SCALE_OPS.has(op)
    || SHARED_INPUT_OPS.has(op) || CALIBRATED_OPS.includes(op) || SHAPE_ONLY_OPS.has(op);
  return known && (activation === 'int8' || INT16_OPS.has(op) || SHAPE_ONLY_OPS.has(op));
}

const INT8_VERSIONS: Readonly<Record<string, number>> = {
  FULLY_CONNECTED: 4, CONV_2D: 3, DEPTHWISE_CONV_2D: 3, MAX_POOL_2D: 2, AVERAGE_POOL_2D: 2, MEAN: 2,
  SOFTMAX: 2, ADD: 2, TANH: 2, LOGISTIC: 2, CONCATENATION: 2, QUANTIZE: 1, DEQUANTIZE: 2, LEAKY_RELU: 1,
  HARD_SWISH: 1, RESHAPE: 1, EXPAND_DIMS: 1, SHAPE: 1,
  // Not in TF's golden models: TFLite's op_version.cc for int8.
  SUB: 2, MUL: 2, RELU: 2, RELU6: 2, PAD: 2, TRANSPOSE: 2, SQUEEZE: 1, SPLIT: 2, PACK: 2, UNPACK: 2,
  L2_NORMALIZATION: 2, LOG_SOFTMAX: 2, STRIDED_SLICE: 2,
};

const INT16_VERSIONS: Readonly<Record<string, number>> = {
  ...INT8_VERSIONS,
  // What TF 2.21 wrote in kws_dscnn_tiny.int16x8 for ops on int32 shape tensors.
  STRIDED_SLICE: 2, PACK: 2,
};

/**
 * The version to write. `floatInputs`: whether the op had float inputs (ops on int32 shape
 * tensors keep the float model's version in int8 models, as TF's do).
 */
export function quantizedOpVersion(op: string, activation: ActivationType, floatInputs: boolean, floatVersion: number): number {
  if (activation === 'int16') return INT16_VERSIONS[op] ?? floatVersion;
  if (!floatInputs && op !== 'QUANTIZE' && op !== 'DEQUANTIZE') return floatVersion;
  return INT8_VERSIONS[op] ?? floatVersion;
}
