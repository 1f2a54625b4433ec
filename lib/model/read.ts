// bytes -> Model. The generated accessors walk the flatbuffer over a CheckedByteBuffer, so a
// damaged file ends in a ModelError (with a schema path) rather than garbage; constant data,
// custom options and metadata stay zero-copy views on the caller's bytes.
import {
  BuiltinOperator,
  Model as ModelTable,
  type Operator as OperatorTable,
  type SubGraph as SubGraphTable,
} from './schema/tflite.js';
import { unionToBuiltinOptions } from './schema/tflite/builtin-options.js';
import { unionToBuiltinOptions2 } from './schema/tflite/builtin-options2.js';
import { CheckedByteBuffer } from './checked-byte-buffer.js';
import { ModelError } from './errors.js';
import { BufferReader } from './read-buffers.js';
import { FIELD } from './read-fields.js';
import { readTensor } from './read-tensor.js';
import type { Model, Operator, SignatureDef, SignatureTensor, Subgraph } from './types.js';
import { checkHeader, checkIndex, validateModel } from './validate.js';

const SUPPORTED_SCHEMA_VERSION = 3;

/** The BuiltinOperator name for a code ('CONV_2D' for 3), or null when the schema has none. */
export function builtinOpName(code: number): string | null {
  if (!Number.isInteger(code)) return null;
  const name: unknown = (BuiltinOperator as unknown as Record<number, unknown>)[code];
  return typeof name === 'string' ? name : null;
}

/**
 * Reads and validates a .tflite file. Throws ModelError (code + schema path) for anything
 * TFLM would refuse or that is not a well-formed TFLite flatbuffer; never anything else.
 * The returned model's constant tensors view `bytes`: keep them unchanged while it is used.
 */
export function loadModel(bytes: Uint8Array): Model {
  return loadModelWithStats(bytes).model;
}

/** loadModel, also telling how much of the read budget it spent (tests, benchmarks). */
export function loadModelWithStats(bytes: Uint8Array): { model: Model; reads: number; budget: number } {
  checkHeader(bytes);
  const bb = new CheckedByteBuffer(bytes);
  const root = ModelTable.getRootAsModel(bb);

  const version = root.version();
  if (version !== SUPPORTED_SCHEMA_VERSION) {
    throw new ModelError('VERSION', 'version', `schema version ${version}, expected ${SUPPORTED_SCHEMA_VERSION}`);
  }
  const buffers = new BufferReader(bb, root, bytes);
  const opcodes = readOperatorCodes(bb, root);

  const subgraphs: Subgraph[] = [];
  const subgraphCount = root.subgraphsLength();
  for (let s = 0; s < subgraphCount; s++) {
    bb.where = `subgraphs[${s}]`;
    subgraphs.push(readSubgraph(bb, root.subgraphs(s)!, `subgraphs[${s}]`, buffers, opcodes));
  }

  bb.where = 'description';
  const model: Model = {
    version,
    description: root.description() ?? '',
    subgraphs,
    metadata: readMetadata(bb, root, buffers),
    signatureDefs: readSignatureDefs(bb, root),
    externalBufferGroups: bb.list('external_buffer_groups', root.externalBufferGroupsLength(), (i) =>
      root.externalBufferGroups(i)!.unpack(),
    ),
    externalBuffers: bb.list('external_buffers', root.externalBuffersLength(), (i) => root.externalBuffers(i)!.unpack()),
    buffersAppended: buffers.appended,
  };
  validateModel(model);
  return { model, reads: bb.reads, budget: bb.budget };
}

interface ResolvedOpcode {
  op: string;
  builtinCode: number;
  version: number;
  customCode: string | null;
}

function readOperatorCodes(bb: CheckedByteBuffer, root: ModelTable): ResolvedOpcode[] {
  return bb.list('operator_codes', root.operatorCodesLength(), (i) => {
    const code = root.operatorCodes(i)!;
    // Older converters leave builtin_code at 0 and keep the op in the byte-sized
    // deprecated_builtin_code; TFLM's GetBuiltinCode takes the larger of the two.
    const builtinCode = Math.max(code.builtinCode(), code.deprecatedBuiltinCode());
    const op = builtinOpName(builtinCode);
    const path = `operator_codes[${i}]`;
    if (op === null || builtinCode === BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES) {
      throw new ModelError('OPCODE', `${path}.builtin_code`, `builtin code ${builtinCode} names no BuiltinOperator`);
    }
    let customCode: string | null = null;
    if (builtinCode === BuiltinOperator.CUSTOM) {
      customCode = code.customCode();
      // TFLM looks custom kernels up by this name and refuses an operator without one.
      if (!customCode) throw new ModelError('OPCODE', `${path}.custom_code`, 'CUSTOM operator code without a custom_code');
    }
    return { op, builtinCode, version: code.version(), customCode };
  });
}

function readSubgraph(
  bb: CheckedByteBuffer,
  table: SubGraphTable,
  path: string,
  buffers: BufferReader,
  opcodes: readonly ResolvedOpcode[],
): Subgraph {
  const name = table.name() ?? '';
  const inputs = bb.int32s(table, FIELD.subgraph.inputs) ?? [];
  const outputs = bb.int32s(table, FIELD.subgraph.outputs) ?? [];
  const debugMetadataIndex = table.debugMetadataIndex();
  const tensors = bb.list(`${path}.tensors`, table.tensorsLength(), (t) =>
    readTensor(bb, table.tensors(t)!, `${path}.tensors[${t}]`, buffers),
  );
  const operators = bb.list(`${path}.operators`, table.operatorsLength(), (o) =>
    readOperator(bb, table.operators(o)!, `${path}.operators[${o}]`, buffers, opcodes),
  );
  return { name, tensors, inputs, outputs, operators, debugMetadataIndex };
}

function readOperator(
  bb: CheckedByteBuffer,
  table: OperatorTable,
  path: string,
  buffers: BufferReader,
  opcodes: readonly ResolvedOpcode[],
): Operator {
  const opcodeIndex = table.opcodeIndex();
  checkIndex(opcodeIndex, opcodes.length, `${path}.opcode_index`, 'opcode', 'operator codes');
  const opcode = opcodes[opcodeIndex];

  bb.where = `${path}.builtin_options`;
  const builtinOptionsType = table.builtinOptionsType();
  const builtinOptions = unionToBuiltinOptions(builtinOptionsType, table.builtinOptions.bind(table))?.unpack() ?? null;
  bb.where = `${path}.builtin_options_2`;
  const builtinOptions2Type = table.builtinOptions2Type();
  const builtinOptions2 = unionToBuiltinOptions2(builtinOptions2Type, table.builtinOptions2.bind(table))?.unpack() ?? null;

  bb.where = path;
  return {
    op: opcode.op,
    builtinCode: opcode.builtinCode,
    version: opcode.version,
    customCode: opcode.customCode,
    inputs: bb.int32s(table, FIELD.operator.inputs) ?? [],
    outputs: bb.int32s(table, FIELD.operator.outputs) ?? [],
    intermediates: bb.int32s(table, FIELD.operator.intermediates) ?? [],
    builtinOptionsType,
    builtinOptions,
    builtinOptions2Type,
    builtinOptions2,
    customOptions: readCustomOptions(bb, table, path, buffers),
    customOptionsFormat: table.customOptionsFormat(),
    mutatingVariableInputs: bb.bools(table, FIELD.operator.mutatingVariableInputs) ?? [],
    debugMetadataIndex: table.debugMetadataIndex(),
  };
}

function readCustomOptions(
  bb: CheckedByteBuffer,
  table: OperatorTable,
  path: string,
  buffers: BufferReader,
): Uint8Array | null {
  const inline = bb.bytesView(table, FIELD.operator.customOptions);
  if (inline !== null) return inline;
  bb.where = `${path}.large_custom_options_offset`;
  return buffers.appendedSlice(table.largeCustomOptionsOffset(), table.largeCustomOptionsSize(), bb.where);
}

function readMetadata(bb: CheckedByteBuffer, root: ModelTable, buffers: BufferReader): Record<string, Uint8Array> {
  const metadata: Record<string, Uint8Array> = {};
  const count = root.metadataLength();
  for (let i = 0; i < count; i++) {
    const path = `metadata[${i}]`;
    bb.where = path;
    const entry = root.metadata(i)!;
    const name = entry.name() ?? '';
    const data = buffers.data(entry.buffer(), `${path}.buffer`) ?? new Uint8Array(0);
    // defineProperty, so a name such as "__proto__" is stored like any other.
    Object.defineProperty(metadata, name, { value: data, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

function readSignatureDefs(bb: CheckedByteBuffer, root: ModelTable): SignatureDef[] {
  return bb.list('signature_defs', root.signatureDefsLength(), (i) => {
    const def = root.signatureDefs(i)!;
    const path = `signature_defs[${i}]`;
    const tensorMaps = (which: 'inputs' | 'outputs', count: number): SignatureTensor[] =>
      bb.list(`${path}.${which}`, count, (j) => {
        const map = def[which](j)!;
        return { name: map.name() ?? '', tensorIndex: map.tensorIndex() };
      });
    return {
      signatureKey: def.signatureKey() ?? '',
      subgraphIndex: def.subgraphIndex(),
      inputs: tensorMaps('inputs', def.inputsLength()),
      outputs: tensorMaps('outputs', def.outputsLength()),
    };
  });
}
