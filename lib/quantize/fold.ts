// What the converter folds before quantizing, where a float model still has it: a MUL and/or
// ADD by a constant per-channel operand after CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED
// (an inference-mode BatchNorm: y = conv(x) * s + t) goes into the weights and bias, and a
// following RELU / RELU6 / RELU_N1_TO_1 into fused_activation_function. Folded ops and the
// tensors only they used are removed.
import { ActivationFunctionType, BuiltinOptions } from '../model/schema/tflite.js';
import { FullyConnectedOptionsT } from '../model/schema/tflite/fully-connected-options.js';
import type { Model, Operator, Subgraph, Tensor } from '../model/types.js';
import { bytesOf, floatValues } from './tensor-data.js';

const FOLD_TARGETS: Readonly<Record<string, number>> = { CONV_2D: 0, DEPTHWISE_CONV_2D: 3, FULLY_CONNECTED: 0 };
const FUSABLE_ACTIVATIONS: Readonly<Record<string, ActivationFunctionType>> = {
  RELU: ActivationFunctionType.RELU,
  RELU6: ActivationFunctionType.RELU6,
  RELU_N1_TO_1: ActivationFunctionType.RELU_N1_TO_1,
};

type WithActivation = { fusedActivationFunction: ActivationFunctionType };

function activationOf(op: Operator): ActivationFunctionType | null {
  const options = op.builtinOptions as Partial<WithActivation> | null;
  return options?.fusedActivationFunction ?? null;
}

function withActivation(op: Operator, activation: ActivationFunctionType): Operator {
  const options = op.builtinOptions ?? (op.op === 'FULLY_CONNECTED' ? new FullyConnectedOptionsT() : null);
  if (options === null) return op;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(options) as object) as object, options) as WithActivation;
  copy.fusedActivationFunction = activation;
  return {
    ...op,
    builtinOptions: copy as unknown as Operator['builtinOptions'],
    builtinOptionsType: op.builtinOptions === null ? BuiltinOptions.FullyConnectedOptions : op.builtinOptionsType,
  };
}


/** The per-channel values of a constant operand broadcast over `channels`, or null if it is not one. */
function perChannelOperand(tensor: Tensor | undefined, channels: number): Float32Array | null {
  if (tensor === undefined || tensor.data === null || tensor.dtype !== 'float32') return null;
  const values = floatValues(tensor);
  const last = tensor.shape[tensor.shape.length - 1] ?? 1;
  if (tensor.shape.slice(0, -1).some((d) => d !== 1)) return null;
  if (values.length === 1) return new Float32Array(channels).fill(values[0]);
  return last === channels && values.length === channels ? values : null;
}

function consumers(main: Subgraph, tensor: number): number[] {
  return main.operators.flatMap((op, i) => (op.inputs.includes(tensor) ? [i] : []));
}

/** Tries to fold the op after `opIndex` into it; returns the new subgraph, or null if nothing folds. */
function foldOnce(main: Subgraph, opIndex: number): { subgraph: Subgraph; note: string } | null {
  const op = main.operators[opIndex];
  const axis = FOLD_TARGETS[op.op];
  if (axis === undefined || activationOf(op) !== ActivationFunctionType.NONE) return null;
  const out = op.outputs[0];
  const users = consumers(main, out);
  if (users.length !== 1 || main.outputs.includes(out)) return null;
  const nextIndex = users[0];
  const next = main.operators[nextIndex];
  const weights = main.tensors[op.inputs[1]];
  if (weights.data === null || weights.dtype !== 'float32') return null;
  const channels = op.op === 'FULLY_CONNECTED' ? weights.shape[0] : weights.shape[axis];
  const tensors = [...main.tensors];
  let folded: Operator = { ...op, outputs: [...next.outputs] };

  if (next.op in FUSABLE_ACTIVATIONS) {
    folded = withActivation(folded, FUSABLE_ACTIVATIONS[next.op]);
  } else if (next.op === 'MUL' || next.op === 'ADD') {
    const other = next.inputs[0] === out ? next.inputs[1] : next.inputs[0];
    const operand = perChannelOperand(tensors[other], channels);
    if (operand === null) return null;
    const biasIndex = op.inputs[2] ?? -1;
    const bias = biasIndex >= 0 ? floatValues(tensors[biasIndex]) : new Float32Array(channels);
    if (biasIndex >= 0 && tensors[biasIndex].data === null) return null;
    if (next.op === 'MUL') {
      const w = floatValues(weights);
      const inner = weights.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
      for (let i = 0; i < w.length; i++) w[i] *= operand[Math.floor(i / inner) % channels];
      for (let c = 0; c < channels; c++) bias[c] *= operand[c];
      tensors[op.inputs[1]] = { ...weights, data: bytesOf(w) };
    } else {
      for (let c = 0; c < channels; c++) bias[c] += operand[c];
    }
    let biasTensor = biasIndex;
    if (biasIndex >= 0) tensors[biasIndex] = { ...tensors[biasIndex], data: bytesOf(bias) };
    else {
      tensors.push({ ...tensors[other], name: `${weights.name}/bias`, shape: [channels], shapeSignature: null, data: bytesOf(bias) });
      biasTensor = tensors.length - 1;
    }
    folded = { ...folded, inputs: [op.inputs[0], op.inputs[1], biasTensor] };
    const nextActivation = activationOf(next);
    if (nextActivation !== null && nextActivation !== ActivationFunctionType.NONE) folded = withActivation(folded, nextActivation);
  } else return null;

  const operators = main.operators.flatMap((o, i) => (i === nextIndex ? [] : i === opIndex ? [folded] : [o]));
  return { subgraph: { ...main, tensors, operators }, note: `folded ${next.op} (operator ${nextIndex}) into ${op.op} (operator ${opIndex})` };
}

/** Drops tensors no operator or subgraph I/O refers to, renumbering the rest. */
function dropUnusedTensors(model: Model, main: Subgraph): Model {
  const used = new Set<number>([...main.inputs, ...main.outputs]);
  for (const op of main.operators) for (const t of [...op.inputs, ...op.outputs, ...op.intermediates]) if (t >= 0) used.add(t);
  const remap = new Map<number, number>();
  const tensors = main.tensors.filter((_, i) => {
    if (!used.has(i)) return false;
    remap.set(i, remap.size);
    return true;
  });
  const map = (t: number): number => (t < 0 ? t : (remap.get(t) as number));
  const subgraph: Subgraph = {
    ...main,
    tensors,
    inputs: main.inputs.map(map),
    outputs: main.outputs.map(map),
    operators: main.operators.map((op) => ({ ...op, inputs: op.inputs.map(map), outputs: op.outputs.map(map), intermediates: op.intermediates.map(map) })),
  };
  const signatureDefs = model.signatureDefs.map((def) => def.subgraphIndex !== 0 ? def : {
    ...def,
    inputs: def.inputs.map((s) => ({ ...s, tensorIndex: map(s.tensorIndex) })),
    outputs: def.outputs.map((s) => ({ ...s, tensorIndex: map(s.tensorIndex) })),
  });
  return { ...model, subgraphs: [subgraph, ...model.subgraphs.slice(1)], signatureDefs };
}

/** Folds BatchNorm-like MUL/ADD and activations into the preceding conv/dense ops of subgraph 0. */
export function foldModel(model: Model): { model: Model; notes: string[] } {
  let main = model.subgraphs[0];
  const notes: string[] = [];
  for (let i = 0; i < main.operators.length; i++) {
    let step = foldOnce(main, i);
    while (step !== null) {
      main = step.subgraph;
      notes.push(step.note);
      step = foldOnce(main, i);
    }
  }
  if (notes.length === 0) return { model, notes };
  return { model: dropUnusedTensors(model, main), notes };
}

