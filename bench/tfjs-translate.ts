// A bench-only translator from our Model to TensorFlow.js ops, so tfjs' CPU backend can run the
// reference models as a peer. It covers the op set of those models (convolutions, fully
// connected, pools, elementwise arithmetic, activations, reshapes, MEAN, PAD, CONCATENATION,
// SOFTMAX); recurrent ops (SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM) and custom ops are refused.
// Everything runs in float32: an int8 model runs on its dequantized weights and biases
// (real = scale * (q - zero_point), per channel where the tensor is), its input is dequantized
// once, QUANTIZE / DEQUANTIZE become identities, and the float output is expressed back in the
// output's LSBs for the comparison. Such a run does not reproduce TFLM's integer rounding and
// saturation, so its differences are a few LSBs, not zero.
import {
  ActivationFunctionType, AddOptionsT, ConcatenationOptionsT, Conv2DOptionsT, DepthwiseConv2DOptionsT,
  FullyConnectedOptionsT, LeakyReluOptionsT, MulOptionsT, Padding, Pool2DOptionsT, ReducerOptionsT,
  SoftmaxOptionsT, SubOptionsT,
} from '../lib/model/schema/tflite.js';
import { constantView } from '../lib/interpreter/tensor.js';
import type { DType, Model, Operator, Tensor } from '../lib/model/types.js';

/** The part of a tfjs Tensor the translator uses. */
export interface TfTensor {
  readonly shape: number[];
  dataSync(): ArrayLike<number>;
  dispose(): void;
}

type Pad = 'same' | 'valid';
type Pair = [number, number];

/** The part of @tensorflow/tfjs-core the translator uses (typed here: the bench builds without it). */
export interface Tf {
  tensor(values: Float32Array, shape: number[]): TfTensor;
  tidy<T extends TfTensor[]>(fn: () => T): T;
  conv2d(x: TfTensor, filter: TfTensor, strides: Pair, pad: Pad, dataFormat: 'NHWC', dilations: Pair): TfTensor;
  depthwiseConv2d(x: TfTensor, filter: TfTensor, strides: Pair, pad: Pad, dataFormat: 'NHWC', dilations: Pair): TfTensor;
  avgPool(x: TfTensor, filterSize: Pair, strides: Pair, pad: Pad): TfTensor;
  maxPool(x: TfTensor, filterSize: Pair, strides: Pair, pad: Pad): TfTensor;
  matMul(a: TfTensor, b: TfTensor, transposeA: boolean, transposeB: boolean): TfTensor;
  add(a: TfTensor, b: TfTensor | number): TfTensor;
  sub(a: TfTensor, b: TfTensor): TfTensor;
  mul(a: TfTensor, b: TfTensor | number): TfTensor;
  div(a: TfTensor, b: TfTensor | number): TfTensor;
  reshape(x: TfTensor, shape: number[]): TfTensor;
  transpose(x: TfTensor, perm: number[]): TfTensor;
  softmax(x: TfTensor): TfTensor;
  sigmoid(x: TfTensor): TfTensor;
  tanh(x: TfTensor): TfTensor;
  relu(x: TfTensor): TfTensor;
  relu6(x: TfTensor): TfTensor;
  leakyRelu(x: TfTensor, alpha: number): TfTensor;
  clipByValue(x: TfTensor, min: number, max: number): TfTensor;
  mean(x: TfTensor, axis: number[], keepDims: boolean): TfTensor;
  pad(x: TfTensor, paddings: Pair[], constantValue: number): TfTensor;
  concat(tensors: TfTensor[], axis: number): TfTensor;
}

export interface TfGraph {
  /** Runs the graph on float inputs; returns the outputs (call inside tf.tidy). */
  run(inputs: readonly TfTensor[]): TfTensor[];
  dispose(): void;
}

/** Real values of a tensor's raw bytes: dequantized (per channel where it is) for integer types. */
export function realValues(tensor: Tensor, bytes: Uint8Array): Float32Array {
  const raw = constantView(tensor.dtype, bytes);
  if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) throw new Error(`${tensor.name}: ${tensor.dtype} values`);
  const out = new Float32Array(raw.length);
  const q = tensor.quantization;
  if (tensor.dtype === 'float32' || q === null || q.scale.length === 0) {
    out.set(raw);
    return out;
  }
  const axis = q.quantizedDimension;
  const stride = tensor.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channels = q.scale.length;
  for (let i = 0; i < raw.length; i++) {
    const c = channels === 1 ? 0 : Math.floor(i / stride) % channels;
    out[i] = q.scale[c] * (raw[i] - (q.zeroPoint[c] ?? 0));
  }
  return out;
}

/** [min, max] of an 8/16/32-bit integer type, null for anything else. */
function integerRange(dtype: DType): [number, number] | null {
  const bits = /^(u?)int(8|16|32)$/.exec(dtype);
  if (bits === null) return null;
  const n = Number(bits[2]);
  return bits[1] === 'u' ? [0, 2 ** n - 1] : [-(2 ** (n - 1)), 2 ** (n - 1) - 1];
}

/**
 * A float value in the output tensor's own units: for a quantized integer output, LSBs
 * (unrounded) clamped to the type's range, as the integer model's output saturates.
 */
export function toOutputUnits(tensor: Tensor, value: number): number {
  const q = tensor.quantization;
  const range = integerRange(tensor.dtype);
  if (range === null || q === null || q.scale.length === 0) return value;
  return Math.min(range[1], Math.max(range[0], value / q.scale[0] + (q.zeroPoint[0] ?? 0)));
}

function padding(p: Padding): Pad {
  return p === Padding.VALID ? 'valid' : 'same';
}

function activation(tf: Tf, x: TfTensor, fn: ActivationFunctionType): TfTensor {
  switch (fn) {
    case ActivationFunctionType.NONE: return x;
    case ActivationFunctionType.RELU: return tf.relu(x);
    case ActivationFunctionType.RELU6: return tf.relu6(x);
    case ActivationFunctionType.RELU_N1_TO_1: return tf.clipByValue(x, -1, 1);
    case ActivationFunctionType.TANH: return tf.tanh(x);
    default: throw new Error(`fused activation ${ActivationFunctionType[fn]}`);
  }
}

function options<T>(op: Operator, Type: new () => T): T {
  return op.builtinOptions instanceof (Type as unknown as new () => object) ? op.builtinOptions as T : new Type();
}

/** Integer values of a constant operand (axes, paddings). */
function constantInts(tensor: Tensor | undefined, what: string): number[] {
  if (tensor?.data == null) throw new Error(`${what} is not a constant`);
  return Array.from(constantView(tensor.dtype, tensor.data), Number);
}

type Step = (value: (k: number) => TfTensor) => TfTensor;

/**
 * Ops that only compute a RESHAPE's shape operand (Keras' Flatten leaves SHAPE -> STRIDED_SLICE
 * -> PACK): skipped, since RESHAPE takes its output's static shape from the model.
 */
function shapePlumbing(model: Model): Set<number> {
  const { operators } = model.subgraphs[0];
  const skipped = new Set<number>();
  const consumers = new Map<number, Array<{ op: number; position: number }>>();
  operators.forEach((op, i) => op.inputs.forEach((t, position) => {
    if (t >= 0) consumers.set(t, [...(consumers.get(t) ?? []), { op: i, position }]);
  }));
  for (let i = operators.length - 1; i >= 0; i--) {
    const op = operators[i];
    if (!['SHAPE', 'STRIDED_SLICE', 'PACK', 'CONCATENATION'].includes(op.op)) continue;
    const onlyShapes = op.outputs.every((t) => (consumers.get(t) ?? []).every((c) =>
      skipped.has(c.op) || (operators[c.op].op === 'RESHAPE' && c.position === 1)));
    if (onlyShapes) skipped.add(i);
  }
  return skipped;
}

/** Inputs that are parameters read at translation (shapes, axes, paddings), not tensors to compute with. */
const PARAMETER_INPUTS: Record<string, number[]> = { RESHAPE: [1], EXPAND_DIMS: [1], MEAN: [1], PAD: [1], PADV2: [1, 2] };

/**
 * One op as a function of its input values. `constant(k)` is input k as a tfjs constant;
 * `keep` registers a tensor made here (a transposed filter) to be disposed with the graph.
 */
function step(tf: Tf, op: Operator, tensors: readonly Tensor[], constant: (k: number) => TfTensor, keep: (t: TfTensor) => TfTensor): Step {
  const outShape = [...tensors[op.outputs[0]].shape];
  const hasBias = op.inputs[2] !== undefined && op.inputs[2] >= 0;
  switch (op.op) {
    case 'FULLY_CONNECTED': {
      const o = options(op, FullyConnectedOptionsT);
      const depth = tensors[op.inputs[1]].shape[1];
      return (v) => {
        let y = tf.matMul(tf.reshape(v(0), [-1, depth]), v(1), false, true);
        if (hasBias) y = tf.add(y, v(2));
        return tf.reshape(activation(tf, y, o.fusedActivationFunction), outShape);
      };
    }
    case 'CONV_2D': {
      const o = options(op, Conv2DOptionsT);
      // TFLite's filter is [out, h, w, in]; tfjs wants [h, w, in, out].
      const filter = keep(tf.transpose(constant(1), [1, 2, 3, 0]));
      return (v) => {
        let y = tf.conv2d(v(0), filter, [o.strideH, o.strideW], padding(o.padding), 'NHWC', [o.dilationHFactor, o.dilationWFactor]);
        if (hasBias) y = tf.add(y, v(2));
        return activation(tf, y, o.fusedActivationFunction);
      };
    }
    case 'DEPTHWISE_CONV_2D': {
      const o = options(op, DepthwiseConv2DOptionsT);
      // TFLite's filter is [1, h, w, in * multiplier]; tfjs wants [h, w, in, multiplier].
      const [, h, w, channels] = tensors[op.inputs[1]].shape;
      const inChannels = tensors[op.inputs[0]].shape[3];
      const filter = keep(tf.reshape(constant(1), [h, w, inChannels, channels / inChannels]));
      return (v) => {
        let y = tf.depthwiseConv2d(v(0), filter, [o.strideH, o.strideW], padding(o.padding), 'NHWC', [o.dilationHFactor, o.dilationWFactor]);
        if (hasBias) y = tf.add(y, v(2));
        return activation(tf, y, o.fusedActivationFunction);
      };
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D': {
      const o = options(op, Pool2DOptionsT);
      const pool = op.op === 'MAX_POOL_2D' ? tf.maxPool : tf.avgPool;
      return (v) => activation(tf, pool(v(0), [o.filterHeight, o.filterWidth], [o.strideH, o.strideW], padding(o.padding)), o.fusedActivationFunction);
    }
    case 'ADD': return (v) => activation(tf, tf.add(v(0), v(1)), options(op, AddOptionsT).fusedActivationFunction);
    case 'SUB': return (v) => activation(tf, tf.sub(v(0), v(1)), options(op, SubOptionsT).fusedActivationFunction);
    case 'MUL': return (v) => activation(tf, tf.mul(v(0), v(1)), options(op, MulOptionsT).fusedActivationFunction);
    case 'RESHAPE':
    case 'EXPAND_DIMS':
    case 'SQUEEZE':
      return (v) => tf.reshape(v(0), outShape);
    case 'QUANTIZE':
    case 'DEQUANTIZE':
      return (v) => v(0);
    case 'SOFTMAX': {
      const beta = options(op, SoftmaxOptionsT).beta;
      return (v) => tf.softmax(beta === 1 ? v(0) : tf.mul(v(0), beta));
    }
    case 'LOGISTIC': return (v) => tf.sigmoid(v(0));
    case 'TANH': return (v) => tf.tanh(v(0));
    case 'RELU': return (v) => tf.relu(v(0));
    case 'RELU6': return (v) => tf.relu6(v(0));
    case 'LEAKY_RELU': return (v) => tf.leakyRelu(v(0), options(op, LeakyReluOptionsT).alpha);
    case 'HARD_SWISH': return (v) => tf.div(tf.mul(v(0), tf.relu6(tf.add(v(0), 3))), 6);
    case 'MEAN': {
      const rank = tensors[op.inputs[0]].shape.length;
      const axes = constantInts(tensors[op.inputs[1]], 'MEAN axes').map((a) => (a < 0 ? a + rank : a));
      const keepDims = options(op, ReducerOptionsT).keepDims;
      return (v) => tf.reshape(tf.mean(v(0), axes, keepDims), outShape);
    }
    case 'PAD':
    case 'PADV2': {
      const flat = constantInts(tensors[op.inputs[1]], 'PAD paddings');
      const pairs = Array.from({ length: flat.length / 2 }, (_, i): Pair => [flat[2 * i], flat[2 * i + 1]]);
      return (v) => tf.pad(v(0), pairs, 0);
    }
    case 'CONCATENATION': {
      const o = options(op, ConcatenationOptionsT);
      const axis = o.axis < 0 ? o.axis + outShape.length : o.axis;
      return (v) => activation(tf, tf.concat(op.inputs.map((_, k) => v(k)), axis), o.fusedActivationFunction);
    }
    default:
      throw new Error(`no translation for ${op.op === 'CUSTOM' ? op.customCode ?? 'CUSTOM' : op.op}`);
  }
}

/** Builds the graph: constants become tfjs tensors (dequantized) now; run() only computes. */
export function translate(tf: Tf, model: Model): TfGraph {
  if (model.subgraphs.length !== 1) throw new Error(`${model.subgraphs.length} subgraphs (control flow is not translated)`);
  const { tensors, operators, inputs, outputs } = model.subgraphs[0];
  const owned: TfTensor[] = [];
  const constants = new Map<number, TfTensor>();
  const constant = (index: number): TfTensor => {
    let t = constants.get(index);
    if (t === undefined) {
      const tensor = tensors[index];
      if (tensor.data === null) throw new Error(`tensor ${index} (${tensor.name}) is not a constant`);
      t = tf.tensor(realValues(tensor, tensor.data), [...tensor.shape]);
      constants.set(index, t);
      owned.push(t);
    }
    return t;
  };
  const keep = (t: TfTensor): TfTensor => {
    owned.push(t);
    return t;
  };
  const skipped = shapePlumbing(model);
  const steps: Array<{ op: Operator; run: Step }> = [];
  try {
    operators.forEach((op, i) => {
      if (skipped.has(i)) return;
      try {
        const parameters = PARAMETER_INPUTS[op.op] ?? [];
        op.inputs.forEach((t, k) => {
          if (t >= 0 && tensors[t].data !== null && !parameters.includes(k)) constant(t);
        });
        steps.push({ op, run: step(tf, op, tensors, (k) => constant(op.inputs[k]), keep) });
      } catch (err) {
        throw new Error(`operator ${i} (${op.op}): ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  } catch (err) {
    for (const t of owned) t.dispose();
    throw err;
  }
  return {
    run(inputValues) {
      const values = new Map<number, TfTensor>(constants);
      inputs.forEach((t, i) => values.set(t, inputValues[i]));
      for (const { op, run } of steps) {
        const value = (k: number): TfTensor => {
          const t = values.get(op.inputs[k]);
          if (t === undefined) throw new Error(`${op.op}: input ${k} (tensor ${op.inputs[k]}) has no value`);
          return t;
        };
        values.set(op.outputs[0], run(value));
      }
      return outputs.map((t) => {
        const v = values.get(t);
        if (v === undefined) throw new Error(`output tensor ${t} has no value`);
        return v;
      });
    },
    dispose() {
      for (const t of owned) t.dispose();
    },
  };
}
