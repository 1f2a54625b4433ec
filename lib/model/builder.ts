// Hand-built models: tensors and operators added in code, checked as they are added, and
// returned as the typed Model that writeModel() serializes. Used for the demo model, tests and
// anything that makes a small graph without a converter.
import { BuiltinOperator, BuiltinOptions, BuiltinOptions2, CustomOptionsFormat, TensorType } from './schema/tflite.js';
import { byteLengthOf, dtypeBits, dtypeFromTensorType, elementCount } from './dtype.js';
import { builtinOptions2TypeOf, builtinOptionsTypeOf } from './union-types.js';
import type {
  BuiltinOptions2Value,
  BuiltinOptionsValue,
  DType,
  Model,
  Operator,
  Quantization,
  SignatureDef,
  Subgraph,
  Tensor,
} from './types.js';

/** Index of a tensor in its subgraph, as operators and subgraph inputs/outputs refer to it. */
export type TensorIndex = number;
/** Marks an absent optional operator input (e.g. FULLY_CONNECTED without bias). */
export const NO_TENSOR = -1;

export interface QuantizationSpec {
  scale: number[];
  zeroPoint: number[];
  /** The axis of per-channel scales; 0 when there is one scale. */
  quantizedDimension?: number;
  min?: number[];
  max?: number[];
}

export interface TensorSpec {
  name: string;
  shape: number[];
  dtype: DType;
  quantization?: QuantizationSpec | null;
  /** Shape with -1 for dynamic dimensions, as the converter records it. */
  shapeSignature?: number[] | null;
  isVariable?: boolean;
}

/** Constant contents: raw little-endian bytes, or a typed array of the tensor's element type. */
export type ConstantData =
  | Uint8Array | Int8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

export interface ConstantSpec extends TensorSpec {
  data: ConstantData;
}

export interface OperatorSpec {
  /** A schema *OptionsT object; its BuiltinOptions type is inferred from its class. */
  builtinOptions?: BuiltinOptionsValue | null;
  builtinOptions2?: BuiltinOptions2Value | null;
  /** The kernel version the op needs (TFLM registers per op; the converter writes 1 for most float ops). */
  version?: number;
  /** Required for 'CUSTOM': the name the custom kernel is registered under. */
  customCode?: string;
  customOptions?: Uint8Array;
  customOptionsFormat?: CustomOptionsFormat;
  intermediates?: TensorIndex[];
  mutatingVariableInputs?: boolean[];
}

export interface ModelSpec {
  description?: string;
  /** Name of the first subgraph; the converter calls it 'main'. */
  subgraphName?: string;
}

const OPERATOR_CODES: ReadonlyMap<string, number> = new Map(
  Object.entries(BuiltinOperator).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
);

type TypedArrayConstructor =
  | Int8ArrayConstructor | Uint8ClampedArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor
  | Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor
  | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

// Which typed arrays may carry which dtypes; a Uint8Array (raw bytes, or a Node Buffer) carries any.
const TYPED_ARRAY_DTYPES: readonly [TypedArrayConstructor, readonly DType[]][] = [
  [Int8Array, ['int8']],
  [Uint8ClampedArray, ['uint8']],
  [Int16Array, ['int16']],
  [Uint16Array, ['uint16', 'float16', 'bfloat16']],
  [Int32Array, ['int32']],
  [Uint32Array, ['uint32']],
  [Float32Array, ['float32']],
  [Float64Array, ['float64']],
  [BigInt64Array, ['int64']],
  [BigUint64Array, ['uint64']],
];

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A fresh little-endian byte copy of `data`, owned by the model. */
function littleEndianBytes(data: ConstantData): Uint8Array {
  const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const width = data.BYTES_PER_ELEMENT;
  if (!HOST_IS_LITTLE_ENDIAN && width > 1) {
    for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
  }
  return bytes;
}

function checkShape(shape: readonly number[], where: string): void {
  for (const [i, d] of shape.entries()) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${where}: shape[${i}] = ${d} is not a non-negative integer`);
  }
}

function checkConstantData(spec: ConstantSpec, where: string): void {
  if (!(spec.data instanceof Uint8Array)) {
    const data = spec.data;
    const allowed = TYPED_ARRAY_DTYPES.find(([arrayType]) => data instanceof arrayType)?.[1];
    if (allowed === undefined || !allowed.includes(spec.dtype)) {
      throw new TypeError(
        `${where}: ${data.constructor.name} data cannot hold ${spec.dtype} elements (pass raw little-endian bytes as a Uint8Array)`,
      );
    }
  }
  // Strings and other variable-size types have no length implied by the shape.
  if (dtypeBits(spec.dtype) === 0) return;
  const expected = byteLengthOf(spec.dtype, elementCount(spec.shape));
  if (spec.data.byteLength !== expected) {
    throw new RangeError(
      `${where}: data has ${spec.data.byteLength} bytes, but shape [${spec.shape.join(', ')}] of ${spec.dtype} needs ${expected}`,
    );
  }
}

const KNOWN_DTYPES: ReadonlySet<string> = new Set(
  Object.values(TensorType).flatMap((type) => {
    const dtype = typeof type === 'number' ? dtypeFromTensorType(type) : null;
    return dtype === null ? [] : [dtype];
  }),
);

/** Per-channel parameters must match the quantized dimension, or TFLM refuses the model. */
function checkQuantization(q: Quantization, shape: readonly number[], where: string): void {
  if (q.scale.length !== q.zeroPoint.length) {
    throw new RangeError(`${where}: ${q.scale.length} scales but ${q.zeroPoint.length} zero points`);
  }
  if (q.scale.length <= 1) return;
  const axis = q.quantizedDimension;
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length || shape[axis] !== q.scale.length) {
    throw new RangeError(
      `${where}: ${q.scale.length} per-channel scales, but dimension ${axis} of shape [${shape.join(', ')}] is ${shape[axis] ?? 'absent'}`,
    );
  }
}

function toQuantization(spec: QuantizationSpec | null | undefined): Quantization | null {
  if (spec === null || spec === undefined) return null;
  // The file stores float32: round now so the built Model equals the one read back.
  return {
    scale: spec.scale.map(Math.fround),
    zeroPoint: [...spec.zeroPoint],
    quantizedDimension: spec.quantizedDimension ?? 0,
    min: (spec.min ?? []).map(Math.fround),
    max: (spec.max ?? []).map(Math.fround),
    details: null,
  };
}

/** One subgraph under construction; ModelBuilder forwards to the first one. */
export class SubgraphBuilder {
  private readonly tensors: Tensor[] = [];
  private readonly inputs: TensorIndex[] = [];
  private readonly outputs: TensorIndex[] = [];
  private readonly operators: Operator[] = [];

  constructor(readonly name: string, private readonly index: number) {}

  get tensorCount(): number {
    return this.tensors.length;
  }

  /** A non-constant tensor (an activation); returns its index. */
  addTensor(spec: TensorSpec): TensorIndex {
    return this.pushTensor(spec, this.checkTensorSpec(spec), null);
  }

  /** A tensor with constant contents, copied to little-endian bytes. */
  addConstant(spec: ConstantSpec): TensorIndex {
    const quantization = this.checkTensorSpec(spec);
    checkConstantData(spec, this.tensorWhere(spec));
    return this.pushTensor(spec, quantization, littleEndianBytes(spec.data));
  }

  /** A new tensor that is also a subgraph input. */
  addInput(spec: TensorSpec): TensorIndex {
    const index = this.addTensor(spec);
    this.inputs.push(index);
    return index;
  }

  /** Marks an existing tensor as a subgraph output. */
  addOutput(tensor: TensorIndex): void {
    this.checkTensor(tensor, this.where('outputs'), false);
    this.outputs.push(tensor);
  }

  /** Marks an existing tensor (e.g. one made with addTensor) as a subgraph input. */
  markInput(tensor: TensorIndex): void {
    this.checkTensor(tensor, this.where('inputs'), false);
    this.inputs.push(tensor);
  }

  /** Appends an operator; operators run in the order they are added. Returns its index. */
  addOperator(op: string, inputs: TensorIndex[], outputs: TensorIndex[], spec: OperatorSpec = {}): number {
    const where = this.where(`operators[${this.operators.length}]`);
    const builtinCode = OPERATOR_CODES.get(op);
    if (builtinCode === undefined || builtinCode === BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES) {
      throw new RangeError(`${where}: unknown operator '${op}' (expected a BuiltinOperator name such as 'FULLY_CONNECTED')`);
    }
    const isCustom = builtinCode === BuiltinOperator.CUSTOM;
    if (isCustom !== (spec.customCode !== undefined)) {
      throw new TypeError(`${where}: ${isCustom ? 'a CUSTOM operator needs a customCode' : `customCode is only for CUSTOM operators, not ${op}`}`);
    }
    if (isCustom && spec.customCode === '') throw new TypeError(`${where}: customCode must not be empty`);
    const version = spec.version ?? 1;
    if (!Number.isInteger(version) || version < 1) throw new RangeError(`${where}: version ${version} must be an integer >= 1`);
    inputs.forEach((t, i) => this.checkTensor(t, `${where}.inputs[${i}] of ${op}`, true));
    outputs.forEach((t, i) => this.checkTensor(t, `${where}.outputs[${i}] of ${op}`, false));
    const intermediates = spec.intermediates ?? [];
    intermediates.forEach((t, i) => this.checkTensor(t, `${where}.intermediates[${i}] of ${op}`, false));

    const builtinOptions = spec.builtinOptions ?? null;
    const builtinOptions2 = spec.builtinOptions2 ?? null;
    this.operators.push({
      op,
      builtinCode,
      version,
      customCode: spec.customCode ?? null,
      inputs: [...inputs],
      outputs: [...outputs],
      intermediates: [...intermediates],
      builtinOptionsType: builtinOptions === null ? BuiltinOptions.NONE : builtinOptionsTypeOf(builtinOptions),
      builtinOptions,
      builtinOptions2Type: builtinOptions2 === null ? BuiltinOptions2.NONE : builtinOptions2TypeOf(builtinOptions2),
      builtinOptions2,
      // The file cannot tell empty custom options from none.
      customOptions: spec.customOptions === undefined || spec.customOptions.length === 0 ? null : spec.customOptions.slice(),
      customOptionsFormat: spec.customOptionsFormat ?? CustomOptionsFormat.FLEXBUFFERS,
      mutatingVariableInputs: [...(spec.mutatingVariableInputs ?? [])],
      debugMetadataIndex: -1,
    });
    return this.operators.length - 1;
  }

  build(): Subgraph {
    return {
      name: this.name,
      tensors: this.tensors.map((t) => ({ ...t, shape: [...t.shape] })),
      inputs: [...this.inputs],
      outputs: [...this.outputs],
      operators: this.operators.map((op) => ({ ...op })),
      debugMetadataIndex: -1,
    };
  }

  private tensorWhere(spec: TensorSpec): string {
    return this.where(`tensors[${this.tensors.length}] ('${spec.name}')`);
  }

  /** Validates a tensor about to be added; returns its quantization as the Model stores it. */
  private checkTensorSpec(spec: TensorSpec): Quantization | null {
    const where = this.tensorWhere(spec);
    checkShape(spec.shape, where);
    if (spec.shapeSignature) {
      if (spec.shapeSignature.length !== spec.shape.length) {
        throw new RangeError(`${where}: shapeSignature has rank ${spec.shapeSignature.length}, shape has ${spec.shape.length}`);
      }
    }
    if (!KNOWN_DTYPES.has(spec.dtype)) throw new RangeError(`${where}: unknown dtype '${String(spec.dtype)}'`);
    const quantization = toQuantization(spec.quantization);
    if (quantization !== null) checkQuantization(quantization, spec.shape, where);
    return quantization;
  }

  private pushTensor(spec: TensorSpec, quantization: Quantization | null, data: Uint8Array | null): TensorIndex {
    this.tensors.push({
      name: spec.name,
      shape: [...spec.shape],
      shapeSignature: spec.shapeSignature ? [...spec.shapeSignature] : null,
      dtype: spec.dtype,
      isVariable: spec.isVariable ?? false,
      quantization,
      // An empty buffer means "not constant" in the file, so empty data is stored as none.
      data: data !== null && data.length > 0 ? data : null,
      hasRank: true,
      sparsity: null,
      variantTensors: [],
      externalBuffer: 0,
    });
    return this.tensors.length - 1;
  }

  private checkTensor(tensor: TensorIndex, where: string, optional: boolean): void {
    if (optional && tensor === NO_TENSOR) return;
    if (!Number.isInteger(tensor) || tensor < 0 || tensor >= this.tensors.length) {
      throw new RangeError(
        `${where}: tensor index ${tensor} is out of range (subgraph has ${this.tensors.length} tensors${optional ? '; -1 marks an absent input' : ''})`,
      );
    }
  }

  private where(what: string): string {
    return `subgraphs[${this.index}].${what}`;
  }
}

/**
 * Builds a Model in code:
 *   const b = new ModelBuilder({ description: 'sine' });
 *   const x = b.addInput({ name: 'x', shape: [1, 1], dtype: 'float32' });
 *   ...b.addOperator('FULLY_CONNECTED', [x, w, b1], [y], { builtinOptions: new FullyConnectedOptionsT() });
 *   b.addOutput(y); const model = b.build();
 * The tensor/operator methods act on the first subgraph; subgraph() adds more (for IF, WHILE, CALL_ONCE).
 */
export class ModelBuilder {
  private readonly description: string;
  private readonly subgraphs: SubgraphBuilder[] = [];
  private readonly metadata: Record<string, Uint8Array> = {};
  private readonly signatureDefs: SignatureDef[] = [];

  constructor(spec: ModelSpec = {}) {
    this.description = spec.description ?? '';
    this.subgraph(spec.subgraphName ?? 'main');
  }

  /** Adds a subgraph and returns its builder; its index in the model is the number of earlier subgraphs. */
  subgraph(name: string): SubgraphBuilder {
    const builder = new SubgraphBuilder(name, this.subgraphs.length);
    this.subgraphs.push(builder);
    return builder;
  }

  get main(): SubgraphBuilder {
    return this.subgraphs[0];
  }

  addTensor(spec: TensorSpec): TensorIndex {
    return this.main.addTensor(spec);
  }

  addConstant(spec: ConstantSpec): TensorIndex {
    return this.main.addConstant(spec);
  }

  addInput(spec: TensorSpec): TensorIndex {
    return this.main.addInput(spec);
  }

  addOutput(tensor: TensorIndex): void {
    this.main.addOutput(tensor);
  }

  addOperator(op: string, inputs: TensorIndex[], outputs: TensorIndex[], spec?: OperatorSpec): number {
    return this.main.addOperator(op, inputs, outputs, spec);
  }

  /** A named metadata buffer (e.g. 'min_runtime_version'); strings are stored as UTF-8. */
  addMetadata(name: string, data: Uint8Array | string): void {
    if (Object.hasOwn(this.metadata, name)) throw new Error(`metadata '${name}' was already added`);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    Object.defineProperty(this.metadata, name, { value: bytes, enumerable: true, writable: true, configurable: true });
  }

  /**
   * A signature (as the converter's 'serving_default'): names for a subgraph's inputs and
   * outputs as they are when this is called (so call it after addInput/addOutput). The names
   * default to the tensors' names.
   */
  addSignature(signatureKey: string, subgraphIndex = 0, names?: { inputs: string[]; outputs: string[] }): void {
    const subgraph = this.subgraphs[subgraphIndex];
    if (subgraph === undefined) {
      throw new RangeError(`signature '${signatureKey}': subgraph ${subgraphIndex} is out of range (${this.subgraphs.length} subgraphs)`);
    }
    const built = subgraph.build();
    const mapTensors = (indices: number[], given: string[] | undefined, which: string): SignatureDef['inputs'] => {
      if (given !== undefined && given.length !== indices.length) {
        throw new RangeError(`signature '${signatureKey}': ${given.length} ${which} names for ${indices.length} ${which}`);
      }
      return indices.map((tensorIndex, i) => ({ name: given?.[i] ?? built.tensors[tensorIndex].name, tensorIndex }));
    };
    this.signatureDefs.push({
      signatureKey,
      subgraphIndex,
      inputs: mapTensors(built.inputs, names?.inputs, 'inputs'),
      outputs: mapTensors(built.outputs, names?.outputs, 'outputs'),
    });
  }

  build(): Model {
    return {
      version: 3,
      description: this.description,
      subgraphs: this.subgraphs.map((s) => s.build()),
      metadata: { ...this.metadata },
      signatureDefs: this.signatureDefs.map((def) => ({ ...def, inputs: [...def.inputs], outputs: [...def.outputs] })),
      externalBufferGroups: [],
      externalBuffers: [],
      buffersAppended: false,
    };
  }
}
