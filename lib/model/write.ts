// Model -> .tflite bytes. The Model has no buffer or operator-code tables (see types.ts), so they
// are rebuilt here the way the TFLite converter lays them out: buffer 0 is the empty sentinel,
// one buffer per distinct data array, operator codes in first-use order.
import * as flatbuffers from 'flatbuffers';
import {
  Buffer as BufferTable,
  Metadata as MetadataTable,
  Model as ModelTable,
  Operator as OperatorTable,
  OperatorCode as OperatorCodeTable,
  QuantizationParameters as QuantizationParametersTable,
  SignatureDefT,
  SubGraph as SubGraphTable,
  Tensor as TensorTable,
  TensorMapT,
} from './schema/tflite.js';
import { tensorTypeOf } from './dtype.js';
import { quantizationDetailsTypeOf } from './union-types.js';
import type { Model, Operator, Quantization, Subgraph, Tensor } from './types.js';

export const TFLITE_FILE_IDENTIFIER = 'TFL3';
/** The schema's `data:[ubyte] (force_align: 16)`; TFLM reads constants in place and relies on it. */
export const BUFFER_ALIGNMENT = 16;
/** OperatorCode.deprecated_builtin_code is a byte: larger codes store this marker there. */
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

export interface WriteOptions {
  /**
   * Store buffer data (and custom options) after the flatbuffer, addressed by absolute
   * Buffer.offset/size, as the converter does for models over 2 GB. Default: model.buffersAppended.
   */
  appendBuffers?: boolean;
}

interface OperatorCodeEntry {
  builtinCode: number;
  customCode: string | null;
  version: number;
}

/** The tables the Model leaves implicit, indexed the way the file will index them. */
interface Tables {
  /** Buffer contents; index 0 is the empty sentinel. */
  buffers: Uint8Array[];
  /** [subgraph][tensor] -> buffer index. */
  tensorBuffers: number[][];
  /** Parallel to Object.entries(model.metadata). */
  metadataBuffers: number[];
  operatorCodes: OperatorCodeEntry[];
  /** [subgraph][operator] -> operator code index. */
  opcodeIndices: number[][];
}

/** Absolute file offsets of appended data; null entries stay inline. */
interface AppendedLayout {
  bufferOffsets: (bigint | null)[];
  customOptionsOffsets: (bigint | null)[][];
}

export function writeModel(model: Model, options: WriteOptions = {}): Uint8Array {
  const tables = collectTables(model);
  if (!(options.appendBuffers ?? model.buffersAppended)) {
    return buildFlatbuffer(model, tables, null);
  }
  // Offsets are stored in the flatbuffer but depend on its length. ulong fields have a fixed
  // width, so a first pass with placeholder offsets (non-zero, so the same fields are present)
  // gives the final length.
  const placeholder = appendedLayout(model, tables, null);
  const flatbufferLength = buildFlatbuffer(model, tables, placeholder).length;
  const layout = appendedLayout(model, tables, flatbufferLength);
  const flatbuffer = buildFlatbuffer(model, tables, layout);
  if (flatbuffer.length !== flatbufferLength) {
    throw new Error(`writeModel: flatbuffer length changed from ${flatbufferLength} to ${flatbuffer.length} once offsets were filled in`);
  }
  return concatAppended(flatbuffer, model, tables, layout);
}

function collectTables(model: Model): Tables {
  const buffers: Uint8Array[] = [new Uint8Array(0)];
  const bufferOf = new Map<Uint8Array, number>();
  const operatorCodes: OperatorCodeEntry[] = [];
  const codeIndexOf = new Map<string, number>();

  const tensorBuffers = model.subgraphs.map((subgraph) => subgraph.tensors.map((tensor) => {
    // An empty buffer marks a non-constant tensor, so zero-length data is the sentinel too.
    if (tensor.data === null || tensor.data.length === 0) return 0;
    let index = bufferOf.get(tensor.data);
    if (index === undefined) {
      index = buffers.push(tensor.data) - 1;
      bufferOf.set(tensor.data, index);
    }
    return index;
  }));
  const metadataBuffers = Object.values(model.metadata).map((data) => buffers.push(data) - 1);

  const opcodeIndices = model.subgraphs.map((subgraph) => subgraph.operators.map((op) => {
    const key = JSON.stringify([op.builtinCode, op.customCode, op.version]);
    let index = codeIndexOf.get(key);
    if (index === undefined) {
      index = operatorCodes.push({ builtinCode: op.builtinCode, customCode: op.customCode, version: op.version }) - 1;
      codeIndexOf.set(key, index);
    }
    return index;
  }));
  return { buffers, tensorBuffers, metadataBuffers, operatorCodes, opcodeIndices };
}

const alignUp = (n: number, alignment: number): number => Math.ceil(n / alignment) * alignment;

/**
 * Every non-empty buffer, then every non-empty custom options blob, each 16-byte aligned after
 * a flatbuffer of `flatbufferLength` bytes; with null, placeholder offsets of the same width.
 */
function appendedLayout(model: Model, tables: Tables, flatbufferLength: number | null): AppendedLayout {
  let end = flatbufferLength ?? 0;
  const place = (length: number): bigint | null => {
    if (length === 0) return null;
    if (flatbufferLength === null) return 1n;
    const offset = alignUp(end, BUFFER_ALIGNMENT);
    end = offset + length;
    return BigInt(offset);
  };
  const bufferOffsets = tables.buffers.map((data) => place(data.length));
  const customOptionsOffsets = model.subgraphs.map((subgraph) =>
    subgraph.operators.map((op) => place(op.customOptions?.length ?? 0)));
  return { bufferOffsets, customOptionsOffsets };
}

function concatAppended(flatbuffer: Uint8Array, model: Model, tables: Tables, layout: AppendedLayout): Uint8Array {
  const blobs: [bigint, Uint8Array][] = [];
  tables.buffers.forEach((data, i) => {
    const offset = layout.bufferOffsets[i];
    if (offset !== null) blobs.push([offset, data]);
  });
  model.subgraphs.forEach((subgraph, s) => subgraph.operators.forEach((op, o) => {
    const offset = layout.customOptionsOffsets[s][o];
    if (offset !== null && op.customOptions !== null) blobs.push([offset, op.customOptions]);
  }));
  const last = blobs.at(-1);
  const file = new Uint8Array(last === undefined ? flatbuffer.length : Number(last[0]) + last[1].length);
  file.set(flatbuffer, 0);
  for (const [offset, data] of blobs) file.set(data, Number(offset));
  return file;
}

function buildFlatbuffer(model: Model, tables: Tables, layout: AppendedLayout | null): Uint8Array {
  const inlineBytes = layout === null ? tables.buffers.reduce((sum, data) => sum + data.length + BUFFER_ALIGNMENT, 0) : 0;
  const builder = new flatbuffers.Builder(inlineBytes + 4096);

  // Written first, so the large data vectors end up at the end of the file.
  const buffers = ModelTable.createBuffersVector(builder, tables.buffers.map((data, i) =>
    writeBuffer(builder, data, layout === null ? null : layout.bufferOffsets[i])));
  const subgraphs = ModelTable.createSubgraphsVector(builder, model.subgraphs.map((subgraph, s) =>
    writeSubgraph(builder, subgraph, tables.tensorBuffers[s], tables.opcodeIndices[s],
      layout === null ? null : layout.customOptionsOffsets[s])));
  const operatorCodes = ModelTable.createOperatorCodesVector(builder,
    tables.operatorCodes.map((code) => writeOperatorCode(builder, code)));
  const metadataNames = Object.keys(model.metadata);
  const metadata = metadataNames.length === 0 ? 0 : ModelTable.createMetadataVector(builder,
    metadataNames.map((name, i) => MetadataTable.createMetadata(builder, builder.createString(name), tables.metadataBuffers[i])));
  const signatureDefs = model.signatureDefs.length === 0 ? 0 : ModelTable.createSignatureDefsVector(builder,
    model.signatureDefs.map((def) => new SignatureDefT(
      def.inputs.map((t) => new TensorMapT(t.name, t.tensorIndex)),
      def.outputs.map((t) => new TensorMapT(t.name, t.tensorIndex)),
      def.signatureKey,
      def.subgraphIndex,
    ).pack(builder)));
  const externalBufferGroups = model.externalBufferGroups.length === 0 ? 0 : ModelTable.createExternalBufferGroupsVector(builder,
    builder.createObjectOffsetList(model.externalBufferGroups));
  const externalBuffers = model.externalBuffers.length === 0 ? 0 : ModelTable.createExternalBuffersVector(builder,
    builder.createObjectOffsetList(model.externalBuffers));
  const description = builder.createString(model.description);

  ModelTable.startModel(builder);
  ModelTable.addVersion(builder, model.version);
  ModelTable.addOperatorCodes(builder, operatorCodes);
  ModelTable.addSubgraphs(builder, subgraphs);
  ModelTable.addDescription(builder, description);
  ModelTable.addBuffers(builder, buffers);
  if (metadata !== 0) ModelTable.addMetadata(builder, metadata);
  if (signatureDefs !== 0) ModelTable.addSignatureDefs(builder, signatureDefs);
  if (externalBufferGroups !== 0) ModelTable.addExternalBufferGroups(builder, externalBufferGroups);
  if (externalBuffers !== 0) ModelTable.addExternalBuffers(builder, externalBuffers);
  builder.finish(ModelTable.endModel(builder), TFLITE_FILE_IDENTIFIER);
  // A copy: the builder's array is larger than the file, and callers expect byteOffset 0.
  return builder.asUint8Array().slice();
}

/** A byte vector whose first element is `alignment`-aligned in the finished file. */
function createAlignedByteVector(builder: flatbuffers.Builder, bytes: Uint8Array, alignment: number): flatbuffers.Offset {
  // The builder writes back to front and finish() pads the front to its largest alignment, so
  // aligning the data's distance from the end aligns its file offset. After this prep the
  // 4-byte length prefix needs no padding, and createByteVector copies the bytes in one set().
  builder.prep(alignment, bytes.length);
  return builder.createByteVector(bytes);
}

function writeBuffer(builder: flatbuffers.Builder, data: Uint8Array, appendedAt: bigint | null): flatbuffers.Offset {
  const vector = appendedAt === null && data.length > 0 ? createAlignedByteVector(builder, data, BUFFER_ALIGNMENT) : 0;
  BufferTable.startBuffer(builder);
  if (vector !== 0) BufferTable.addData(builder, vector);
  if (appendedAt !== null) {
    BufferTable.addOffset(builder, appendedAt);
    BufferTable.addSize(builder, BigInt(data.length));
  }
  return BufferTable.endBuffer(builder);
}

function writeOperatorCode(builder: flatbuffers.Builder, code: OperatorCodeEntry): flatbuffers.Offset {
  const customCode = code.customCode === null ? 0 : builder.createString(code.customCode);
  return OperatorCodeTable.createOperatorCode(builder,
    Math.min(code.builtinCode, PLACEHOLDER_FOR_GREATER_OP_CODES), customCode, code.version, code.builtinCode);
}

function writeSubgraph(
  builder: flatbuffers.Builder,
  subgraph: Subgraph,
  tensorBuffers: number[],
  opcodeIndices: number[],
  customOptionsOffsets: (bigint | null)[] | null,
): flatbuffers.Offset {
  const tensors = SubGraphTable.createTensorsVector(builder,
    subgraph.tensors.map((tensor, t) => writeTensor(builder, tensor, tensorBuffers[t])));
  const inputs = SubGraphTable.createInputsVector(builder, subgraph.inputs);
  const outputs = SubGraphTable.createOutputsVector(builder, subgraph.outputs);
  const operators = SubGraphTable.createOperatorsVector(builder, subgraph.operators.map((op, o) =>
    writeOperator(builder, op, opcodeIndices[o], customOptionsOffsets === null ? null : customOptionsOffsets[o])));
  const name = builder.createString(subgraph.name);
  return SubGraphTable.createSubGraph(builder, tensors, inputs, outputs, operators, name, subgraph.debugMetadataIndex);
}

function writeQuantization(builder: flatbuffers.Builder, q: Quantization): flatbuffers.Offset {
  // Empty vectors are left out, as the converter does; a reader sees them as empty either way.
  const floats = (values: number[], create: (b: flatbuffers.Builder, v: number[]) => flatbuffers.Offset): flatbuffers.Offset =>
    values.length === 0 ? 0 : create(builder, values);
  const min = floats(q.min, QuantizationParametersTable.createMinVector);
  const max = floats(q.max, QuantizationParametersTable.createMaxVector);
  const scale = floats(q.scale, QuantizationParametersTable.createScaleVector);
  const zeroPoint = q.zeroPoint.length === 0 ? 0
    : QuantizationParametersTable.createZeroPointVector(builder, q.zeroPoint.map((z) => BigInt(z)));
  const details = q.details === null ? 0 : q.details.pack(builder);

  QuantizationParametersTable.startQuantizationParameters(builder);
  if (min !== 0) QuantizationParametersTable.addMin(builder, min);
  if (max !== 0) QuantizationParametersTable.addMax(builder, max);
  if (scale !== 0) QuantizationParametersTable.addScale(builder, scale);
  if (zeroPoint !== 0) QuantizationParametersTable.addZeroPoint(builder, zeroPoint);
  if (q.details !== null) {
    QuantizationParametersTable.addDetailsType(builder, quantizationDetailsTypeOf(q.details));
    QuantizationParametersTable.addDetails(builder, details);
  }
  QuantizationParametersTable.addQuantizedDimension(builder, q.quantizedDimension);
  return QuantizationParametersTable.endQuantizationParameters(builder);
}

function writeTensor(builder: flatbuffers.Builder, tensor: Tensor, buffer: number): flatbuffers.Offset {
  const shape = TensorTable.createShapeVector(builder, tensor.shape);
  const name = builder.createString(tensor.name);
  const quantization = tensor.quantization === null ? 0 : writeQuantization(builder, tensor.quantization);
  const sparsity = tensor.sparsity === null ? 0 : tensor.sparsity.pack(builder);
  const shapeSignature = tensor.shapeSignature === null ? 0 : TensorTable.createShapeSignatureVector(builder, tensor.shapeSignature);
  const variantTensors = tensor.variantTensors.length === 0 ? 0 : TensorTable.createVariantTensorsVector(builder,
    builder.createObjectOffsetList(tensor.variantTensors));

  TensorTable.startTensor(builder);
  TensorTable.addShape(builder, shape);
  TensorTable.addType(builder, tensorTypeOf(tensor.dtype));
  TensorTable.addBuffer(builder, buffer);
  TensorTable.addName(builder, name);
  if (quantization !== 0) TensorTable.addQuantization(builder, quantization);
  TensorTable.addIsVariable(builder, tensor.isVariable);
  if (sparsity !== 0) TensorTable.addSparsity(builder, sparsity);
  if (shapeSignature !== 0) TensorTable.addShapeSignature(builder, shapeSignature);
  TensorTable.addHasRank(builder, tensor.hasRank);
  if (variantTensors !== 0) TensorTable.addVariantTensors(builder, variantTensors);
  TensorTable.addExternalBuffer(builder, tensor.externalBuffer);
  return TensorTable.endTensor(builder);
}

function writeOperator(
  builder: flatbuffers.Builder,
  op: Operator,
  opcodeIndex: number,
  customOptionsAt: bigint | null,
): flatbuffers.Offset {
  const inputs = OperatorTable.createInputsVector(builder, op.inputs);
  const outputs = OperatorTable.createOutputsVector(builder, op.outputs);
  const builtinOptions = op.builtinOptions === null ? 0 : op.builtinOptions.pack(builder);
  const builtinOptions2 = op.builtinOptions2 === null ? 0 : op.builtinOptions2.pack(builder);
  const customOptions = op.customOptions === null || customOptionsAt !== null ? 0 : builder.createByteVector(op.customOptions);
  const mutatingVariableInputs = op.mutatingVariableInputs.length === 0 ? 0
    : OperatorTable.createMutatingVariableInputsVector(builder, op.mutatingVariableInputs);
  const intermediates = op.intermediates.length === 0 ? 0 : OperatorTable.createIntermediatesVector(builder, op.intermediates);

  OperatorTable.startOperator(builder);
  OperatorTable.addOpcodeIndex(builder, opcodeIndex);
  OperatorTable.addInputs(builder, inputs);
  OperatorTable.addOutputs(builder, outputs);
  OperatorTable.addBuiltinOptionsType(builder, op.builtinOptionsType);
  if (builtinOptions !== 0) OperatorTable.addBuiltinOptions(builder, builtinOptions);
  if (customOptions !== 0) OperatorTable.addCustomOptions(builder, customOptions);
  OperatorTable.addCustomOptionsFormat(builder, op.customOptionsFormat);
  if (mutatingVariableInputs !== 0) OperatorTable.addMutatingVariableInputs(builder, mutatingVariableInputs);
  if (intermediates !== 0) OperatorTable.addIntermediates(builder, intermediates);
  if (customOptionsAt !== null && op.customOptions !== null) {
    OperatorTable.addLargeCustomOptionsOffset(builder, customOptionsAt);
    OperatorTable.addLargeCustomOptionsSize(builder, BigInt(op.customOptions.length));
  }
  OperatorTable.addBuiltinOptions2Type(builder, op.builtinOptions2Type);
  if (builtinOptions2 !== 0) OperatorTable.addBuiltinOptions2(builder, builtinOptions2);
  OperatorTable.addDebugMetadataIndex(builder, op.debugMetadataIndex);
  return OperatorTable.endOperator(builder);
}
