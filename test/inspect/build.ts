// Small Model objects written out literally, for inspect() tests that must not depend on the reader.
import { elementCount, byteLengthOf } from '../../lib/model/dtype.js';
import {
  BuiltinOperator, BuiltinOptions, BuiltinOptions2, CustomOptionsFormat,
} from '../../lib/model/schema/tflite.js';
import type { BuiltinOptionsValue, DType, Model, Operator, Quantization, Subgraph, Tensor } from '../../lib/model/types.js';

export interface TensorSpec {
  shape: number[];
  dtype?: DType;
  name?: string;
  /** Give the tensor (zero-filled) constant data of the right size. */
  constant?: boolean;
  variable?: boolean;
  scale?: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
}

export function tensor(spec: TensorSpec): Tensor {
  const dtype = spec.dtype ?? 'float32';
  const quantization: Quantization | null = spec.scale
    ? { scale: spec.scale, zeroPoint: spec.zeroPoint ?? spec.scale.map(() => 0), quantizedDimension: spec.quantizedDimension ?? 0, min: [], max: [], details: null }
    : null;
  return {
    name: spec.name ?? '',
    shape: spec.shape,
    shapeSignature: null,
    dtype,
    isVariable: spec.variable ?? false,
    quantization,
    data: spec.constant ? new Uint8Array(byteLengthOf(dtype, elementCount(spec.shape))) : null,
    hasRank: true,
    sparsity: null,
    variantTensors: [],
    externalBuffer: 0,
  };
}

export function operator(
  name: string,
  inputs: number[],
  outputs: number[],
  options: { builtinOptions?: BuiltinOptionsValue; customCode?: string; version?: number } = {},
): Operator {
  const code = (BuiltinOperator as unknown as Record<string, number>)[name];
  if (code === undefined) throw new Error(`no builtin ${name}`);
  return {
    op: name,
    builtinCode: code,
    version: options.version ?? 1,
    customCode: options.customCode ?? null,
    inputs,
    outputs,
    intermediates: [],
    builtinOptionsType: BuiltinOptions.NONE,
    builtinOptions: options.builtinOptions ?? null,
    builtinOptions2Type: BuiltinOptions2.NONE,
    builtinOptions2: null,
    customOptions: null,
    customOptionsFormat: CustomOptionsFormat.FLEXBUFFERS,
    mutatingVariableInputs: [],
    debugMetadataIndex: -1,
  };
}

export function subgraph(tensors: Tensor[], operators: Operator[], inputs: number[], outputs: number[]): Subgraph {
  return { name: 'main', tensors, inputs, outputs, operators, debugMetadataIndex: -1 };
}

export function model(subgraphs: Subgraph[], extra: Partial<Model> = {}): Model {
  return {
    version: 3,
    description: 'hand built',
    subgraphs,
    metadata: {},
    signatureDefs: [],
    externalBufferGroups: [],
    externalBuffers: [],
    buffersAppended: false,
    ...extra,
  };
}

/** One operator over fresh tensors: inputs first, then outputs, as a one-subgraph model. */
export function singleOp(
  name: string,
  inputSpecs: Array<TensorSpec | null>,
  outputSpecs: TensorSpec[],
  options: Parameters<typeof operator>[3] = {},
): Model {
  const tensors: Tensor[] = [];
  const inputs = inputSpecs.map((spec) => (spec === null ? -1 : tensors.push(tensor(spec)) - 1));
  const outputs = outputSpecs.map((spec) => tensors.push(tensor(spec)) - 1);
  const graphInputs = inputs.filter((i) => i >= 0 && tensors[i].data === null);
  return model([subgraph(tensors, [operator(name, inputs, outputs, options)], graphInputs, outputs)]);
}
