// The shape of inspect()'s answer. Plain JSON data only (no typed arrays, no bigint), because it
// travels as a Node-RED msg.payload and as `tinyml inspect --json` output.
import type { BoardFit } from '../deploy/boards/fits.js';
import type { DType } from '../model/types.js';
import type { TflmTypesConfidence } from './tflm-ops.js';

export interface QuantizationInfo {
  /** True when there is one scale per slice along quantizedDimension. */
  perChannel: boolean;
  quantizedDimension: number;
  /** Number of scales: 1 per-tensor, else the channel count. */
  channels: number;
  /** The scale when per-tensor; null per-channel (see scaleMin/scaleMax). */
  scale: number | null;
  scaleMin: number;
  scaleMax: number;
  /** The zero point when every channel shares it; null when they differ. */
  zeroPoint: number | null;
  zeroPointMin: number;
  zeroPointMax: number;
}

export interface TensorRow {
  index: number;
  name: string;
  shape: number[];
  dtype: DType;
  /** Stored bytes for a constant, else the bytes the tensor's shape and dtype need at run time. */
  bytes: number;
  constant: boolean;
  variable: boolean;
  quantization: QuantizationInfo | null;
}

export interface SubgraphTensors {
  subgraph: number;
  name: string;
  tensors: TensorRow[];
}

/** A model or signature input/output. */
export interface IoTensor {
  /** The signature's name for it when it comes from a SignatureDef, else the tensor's name. */
  name: string;
  tensor: number;
  shape: number[];
  dtype: DType;
  /** Per-tensor scale and zero point, or null when not quantized (per-channel: see quantization). */
  scale: number | null;
  zeroPoint: number | null;
  quantization: QuantizationInfo | null;
}

export interface SubgraphIo {
  subgraph: number;
  name: string;
  inputs: IoTensor[];
  outputs: IoTensor[];
}

export interface SignatureInfo {
  key: string;
  subgraph: number;
  inputs: IoTensor[];
  outputs: IoTensor[];
}

export interface OperandInfo {
  /** Tensor index; -1 for an absent optional input. */
  tensor: number;
  shape: number[] | null;
  dtype: DType | null;
}

export interface OperatorSupport {
  /** A MicroMutableOpResolver Add*() method registers this op (builtin by code, custom by name). */
  registered: boolean;
  /** The main input's dtype, when the op has one. */
  inputDtype: DType | null;
  /** Whether the reference kernel takes inputDtype; null when not checked (unregistered, or no typed input). */
  typeSupported: boolean | null;
  /** How sure tflm_ops.json is about the kernel's input types; null for an unregistered op. */
  confidence: TflmTypesConfidence | null;
  /** Why TFLM will refuse this operator; null when it should load. */
  problem: string | null;
  /** tflm_ops.json's type_notes / note for the op (constraints beyond the main input type). */
  notes: string | null;
}

export interface OperatorRow {
  subgraph: number;
  index: number;
  /** BuiltinOperator name, or 'CUSTOM:<custom code>'. */
  op: string;
  version: number;
  inputs: OperandInfo[];
  outputs: OperandInfo[];
  /** Estimated multiply-accumulates for one invoke; 0 when not estimated. */
  macs: number;
  macsEstimated: boolean;
  /** The formula used, with its numbers, or why there is none. */
  macsFormula: string;
  tflm: OperatorSupport;
}

export interface ParameterSummary {
  /** Constant (non-variable) tensors: weights, biases, shape operands, lookup tables... */
  tensors: number;
  elements: number;
  bytes: number;
  byDtype: Record<string, { tensors: number; elements: number; bytes: number }>;
}

export interface MacsSummary {
  total: number;
  /** Ops whose MACs are not estimated (counted as 0 in total), each once. */
  notEstimated: string[];
}

export interface TflmSummary {
  /** True when every operator is registrable and takes its input type (per tflm_ops.json). */
  supported: boolean;
  /** One line per distinct reason TFLM would refuse the model, naming the operators. */
  problems: string[];
  /** Ops whose input-type information is only 'likely' or 'uncertain', or that carry constraints not checked here. */
  caveats: string[];
  /** The tflite-micro commit tflm_ops.json describes. */
  commit: string;
}

export interface InspectReport {
  model: {
    description: string;
    schemaVersion: number;
    subgraphs: number;
    /** The .tflite file's size (what the model costs in flash), when the caller knows it. */
    flashBytes: number | null;
    /**
     * Tensor arena bytes the interpreter's memory plan needs (TFLM's arena_used_bytes).
     * null when the interpreter cannot plan the model (arenaNote says why).
     */
    arenaBytes: number | null;
    arenaNote: string | null;
    metadataNames: string[];
    /** The min_runtime_version metadata as text, when present. */
    minRuntimeVersion: string | null;
  };
  ops: {
    /** Op name ('CONV_2D', 'CUSTOM:SignalWindow') -> number of operators, over all subgraphs. */
    histogram: Record<string, number>;
    operators: OperatorRow[];
  };
  tensors: SubgraphTensors[];
  parameters: ParameterSummary;
  io: SubgraphIo[];
  signatureDefs: SignatureInfo[];
  macs: MacsSummary;
  tflm: TflmSummary;
  /** Present when inspect() was given a board: flash and RAM budgets with our runtime. */
  board?: BoardFit;
}
