// The typed, in-memory form of a .tflite model. Indices (tensors, subgraphs) follow the file;
// buffers and operator codes do not appear: a tensor carries its own data and an operator its
// own resolved op, and the writer rebuilds the tables. That keeps hand-built models simple
// and makes read -> write -> read an identity on this type.
import type {
  BuiltinOptions,
  BuiltinOptions2,
  CustomOptionsFormat,
  ExternalBufferGroupT,
  ExternalBufferT,
  OperatorT,
  QuantizationParametersT,
  SparsityParametersT,
  VariantSubTypeT,
} from './schema/tflite.js';

/** TensorType from the schema, by the names TFLM's kernels use (kTfLiteInt8 -> 'int8'). */
export type DType =
  | 'float32' | 'float16' | 'int32' | 'uint8' | 'int64' | 'string' | 'bool' | 'int16'
  | 'complex64' | 'int8' | 'float64' | 'complex128' | 'uint64' | 'resource' | 'variant'
  | 'uint32' | 'uint16' | 'int4' | 'bfloat16' | 'int2' | 'uint4' | 'float8_e4m3fn' | 'float8_e5m2';

/** The decoded builtin options of an operator: one of the schema's *OptionsT classes. */
export type BuiltinOptionsValue = NonNullable<OperatorT['builtinOptions']>;
export type BuiltinOptions2Value = NonNullable<OperatorT['builtinOptions2']>;
export type QuantizationDetailsValue = NonNullable<QuantizationParametersT['details']>;

export interface Quantization {
  /** One scale per tensor, or one per slice along quantizedDimension (per-channel). */
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
  /** Calibration range some converters keep; empty when absent. */
  min: number[];
  max: number[];
  /** CustomQuantization / BlockwiseQuantization / MultiAxisQuantization, kept for round trips. */
  details: QuantizationDetailsValue | null;
}

export interface Tensor {
  name: string;
  /** Dimensions; -1 never appears here (see shapeSignature for dynamic dimensions). */
  shape: number[];
  /** The converter's shape with -1 for dynamic dimensions, or null when the file has none. */
  shapeSignature: number[] | null;
  dtype: DType;
  isVariable: boolean;
  quantization: Quantization | null;
  /** Constant contents: a zero-copy view on the model bytes, or null for a non-constant tensor. */
  data: Uint8Array | null;
  /** Schema fields a kernel rarely needs, kept so a written model loses nothing. */
  hasRank: boolean;
  sparsity: SparsityParametersT | null;
  variantTensors: VariantSubTypeT[];
  externalBuffer: number;
}

export interface Operator {
  /** BuiltinOperator name as in the schema and TFLM ('CONV_2D'), or 'CUSTOM'. */
  op: string;
  /** The resolved BuiltinOperator value: max(builtin_code, deprecated_builtin_code). */
  builtinCode: number;
  /** The operator code's version (TFLM registers kernels per op, the converter records this). */
  version: number;
  /** For CUSTOM ops, the registered name (e.g. 'SignalWindow'); otherwise null. */
  customCode: string | null;
  /** Tensor indices; -1 marks an absent optional input. */
  inputs: number[];
  outputs: number[];
  intermediates: number[];
  builtinOptionsType: BuiltinOptions;
  builtinOptions: BuiltinOptionsValue | null;
  builtinOptions2Type: BuiltinOptions2;
  builtinOptions2: BuiltinOptions2Value | null;
  /** Raw custom options (usually a FlexBuffer), inline or stored after the flatbuffer. */
  customOptions: Uint8Array | null;
  customOptionsFormat: CustomOptionsFormat;
  mutatingVariableInputs: boolean[];
  debugMetadataIndex: number;
}

export interface Subgraph {
  name: string;
  tensors: Tensor[];
  inputs: number[];
  outputs: number[];
  operators: Operator[];
  debugMetadataIndex: number;
}

export interface SignatureTensor {
  name: string;
  tensorIndex: number;
}

export interface SignatureDef {
  signatureKey: string;
  subgraphIndex: number;
  inputs: SignatureTensor[];
  outputs: SignatureTensor[];
}

export interface Model {
  /** Schema version: 3 for every model TFLM accepts. */
  version: number;
  description: string;
  subgraphs: Subgraph[];
  /** Named metadata buffers, e.g. min_runtime_version, CONVERSION_METADATA, OfflineMemoryAllocation. */
  metadata: Record<string, Uint8Array>;
  signatureDefs: SignatureDef[];
  externalBufferGroups: ExternalBufferGroupT[];
  externalBuffers: ExternalBufferT[];
  /** True when the file stored buffer data after the flatbuffer (Buffer.offset/size), as models over 2 GB must; the writer keeps that layout. */
  buffersAppended: boolean;
}
