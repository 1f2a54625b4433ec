// The rules a model must satisfy before anything runs it. loadModel checks the file-level
// ones while reading (header, buffer/opcode indices, dtypes: a Model cannot even hold those
// wrong) and then runs validateModel, which also serves hand-built or rewritten models.
import {
  CallOnceOptionsT,
  CallOptionsT,
  IfOptionsT,
  StableHLOCompositeOptionsT,
  StablehloCaseOptionsT,
  StablehloReduceOptionsT,
  StablehloReduceWindowOptionsT,
  StablehloScatterOptionsT,
  StablehloSortOptionsT,
  StablehloWhileOptionsT,
  WhileOptionsT,
} from './schema/tflite.js';
import { byteLengthOf, dtypeBits } from './dtype.js';
import { ModelError } from './errors.js';
import type { Model, Operator, Subgraph, Tensor } from './types.js';

const FILE_IDENTIFIER = 'TFL3';
/** Root table offset (4 bytes) + file identifier (4 bytes). */
const HEADER_BYTES = 8;
/**
 * Vela's Ethos-U operator takes its scratch areas as inputs nothing writes (person_detect_vela's
 * `_split_1_scratch`, `_split_1_scratch_fast`): they only reserve arena memory for the NPU, and
 * TFLM with the Ethos-U driver runs such models.
 */
const ETHOS_U = 'ethos-u';
/** TFLM counts elements in a signed 32-bit int; nothing larger can be allocated or indexed. */
const MAX_ELEMENTS = 0x7fffffff;

export function checkHeader(bytes: Uint8Array): void {
  if (bytes.byteLength < HEADER_BYTES) {
    throw new ModelError('TRUNCATED', '', `${bytes.byteLength} bytes is shorter than a flatbuffer header (${HEADER_BYTES})`);
  }
  const identifier = String.fromCharCode(bytes[4], bytes[5], bytes[6], bytes[7]);
  if (identifier !== FILE_IDENTIFIER) {
    throw new ModelError('IDENTIFIER', '', `file identifier ${JSON.stringify(identifier)} is not "${FILE_IDENTIFIER}": not a TFLite model`);
  }
}

/** Throws INDEX unless 0 <= index < count, e.g. `tensor index 99 out of range (57 tensors)`. */
export function checkIndex(index: number, count: number, path: string, what: string, plural: string): void {
  if (!(Number.isInteger(index) && index >= 0 && index < count)) {
    throw new ModelError('INDEX', path, `${what} index ${index} out of range (${count} ${plural})`);
  }
}

/** Checks every rule that can be checked on a Model; throws the first ModelError found. */
export function validateModel(model: Model): void {
  const subgraphCount = model.subgraphs.length;
  model.subgraphs.forEach((subgraph, s) => validateSubgraph(subgraph, `subgraphs[${s}]`, subgraphCount));

  model.signatureDefs.forEach((def, i) => {
    const path = `signature_defs[${i}]`;
    checkIndex(def.subgraphIndex, subgraphCount, `${path}.subgraph_index`, 'subgraph', 'subgraphs');
    const tensorCount = model.subgraphs[def.subgraphIndex].tensors.length;
    for (const [which, maps] of [['inputs', def.inputs], ['outputs', def.outputs]] as const) {
      maps.forEach((map, j) =>
        checkIndex(map.tensorIndex, tensorCount, `${path}.${which}[${j}].tensor_index`, 'tensor', 'tensors'),
      );
    }
  });

  model.externalBuffers.forEach((buffer, i) =>
    checkIndex(buffer.group, model.externalBufferGroups.length, `external_buffers[${i}].group`, 'external buffer group', 'groups'),
  );
}

function validateSubgraph(subgraph: Subgraph, path: string, subgraphCount: number): void {
  const tensorCount = subgraph.tensors.length;
  subgraph.tensors.forEach((tensor, t) => validateTensor(tensor, `${path}.tensors[${t}]`));

  // A tensor has a value before the first operator when it is an input, constant or variable.
  const produced = new Uint8Array(tensorCount);
  for (const [which, indices] of [['inputs', subgraph.inputs], ['outputs', subgraph.outputs]] as const) {
    indices.forEach((index, i) => checkIndex(index, tensorCount, `${path}.${which}[${i}]`, 'tensor', 'tensors'));
  }
  for (const index of subgraph.inputs) produced[index] = 1;
  subgraph.tensors.forEach((tensor, t) => {
    if (tensor.data !== null || tensor.isVariable || tensor.externalBuffer !== 0) produced[t] = 1;
  });

  subgraph.operators.forEach((op, o) => {
    const opPath = `${path}.operators[${o}]`;
    for (const which of ['inputs', 'outputs', 'intermediates'] as const) {
      op[which].forEach((index, i) => {
        // -1 marks an absent optional tensor (kTfLiteOptionalTensor).
        if (index !== -1) checkIndex(index, tensorCount, `${opPath}.${which}[${i}]`, 'tensor', 'tensors');
      });
    }
    const readsScratch = op.customCode === ETHOS_U;
    op.inputs.forEach((index, i) => {
      if (index !== -1 && !produced[index] && !readsScratch) {
        const name = subgraph.tensors[index].name;
        throw new ModelError(
          'UNPRODUCED',
          `${opPath}.inputs[${i}]`,
          `${op.op} reads tensor ${index} (${JSON.stringify(name)}), which is not a subgraph input, constant or ` +
            'variable and is written by no earlier operator',
        );
      }
    });
    for (const index of op.outputs) if (index !== -1) produced[index] = 1;
    validateCalledSubgraphs(op, opPath, subgraphCount);
  });
}

/** Bits per element of the tensor's dtype; DTYPE for a name the schema lacks (hand-built models). */
function elementBits(tensor: Tensor, path: string): number {
  try {
    return dtypeBits(tensor.dtype);
  } catch {
    throw new ModelError('DTYPE', `${path}.type`, `unknown dtype ${JSON.stringify(tensor.dtype)}`);
  }
}

function validateTensor(tensor: Tensor, path: string): void {
  const bits = elementBits(tensor, path);
  let elements = 1;
  tensor.shape.forEach((dim, i) => {
    if (!(Number.isInteger(dim) && dim >= 0)) {
      throw new ModelError('SHAPE', `${path}.shape[${i}]`, `dimension ${dim} is negative (shape [${tensor.shape}])`);
    }
    elements *= dim;
  });
  if (elements > MAX_ELEMENTS) {
    throw new ModelError('SHAPE', `${path}.shape`, `shape [${tensor.shape}] holds ${elements} elements, more than ${MAX_ELEMENTS}`);
  }

  // Sparse tensors store only their non-zero blocks; strings, resources and variants have no
  // fixed element size.
  if (tensor.data !== null && tensor.sparsity === null && bits > 0) {
    const expected = byteLengthOf(tensor.dtype, elements);
    if (tensor.data.byteLength !== expected) {
      throw new ModelError(
        'BUFFER_SIZE',
        `${path}.buffer`,
        `constant data is ${tensor.data.byteLength} bytes but ${tensor.dtype}[${tensor.shape}] needs ${expected}`,
      );
    }
  }

  const q = tensor.quantization;
  if (q !== null) {
    const qPath = `${path}.quantization`;
    if (q.scale.length !== q.zeroPoint.length) {
      throw new ModelError('QUANTIZATION', `${qPath}.zero_point`, `${q.zeroPoint.length} zero point(s) for ${q.scale.length} scale(s)`);
    }
    // A single scale is per-tensor whatever quantized_dimension says.
    if (q.scale.length > 1) {
      // person_detect (TOCO) gives its 14 per-channel 1-D biases quantized_dimension 3; TFLM
      // never consults it for a bias (the kernels index the scales by output channel) and runs
      // the model, so a rank-1 tensor with one scale per element is accepted with any value.
      const dim = tensor.shape.length === 1 && q.scale.length === tensor.shape[0] ? 0 : q.quantizedDimension;
      if (!(Number.isInteger(dim) && dim >= 0 && dim < tensor.shape.length)) {
        throw new ModelError(
          'QUANTIZATION',
          `${qPath}.quantized_dimension`,
          `quantized_dimension ${dim} is not a dimension of shape [${tensor.shape}]`,
        );
      }
      if (q.scale.length !== tensor.shape[dim]) {
        throw new ModelError(
          'QUANTIZATION',
          `${qPath}.scale`,
          `${q.scale.length} scales for dimension ${dim} of shape [${tensor.shape}] (size ${tensor.shape[dim]})`,
        );
      }
    }
  }
}

/** Options fields that name a subgraph, by class: IF, WHILE, CALL_ONCE, CALL and StableHLO. */
const SUBGRAPH_FIELDS = new Map<unknown, readonly string[]>([
  [IfOptionsT, ['thenSubgraphIndex', 'elseSubgraphIndex']],
  [WhileOptionsT, ['condSubgraphIndex', 'bodySubgraphIndex']],
  [CallOnceOptionsT, ['initSubgraphIndex']],
  [CallOptionsT, ['subgraph']],
  [StablehloWhileOptionsT, ['condSubgraphIndex', 'bodySubgraphIndex']],
  [StablehloReduceOptionsT, ['bodySubgraphIndex']],
  [StablehloReduceWindowOptionsT, ['bodySubgraphIndex']],
  [StablehloScatterOptionsT, ['updateComputationSubgraphIndex']],
  [StablehloSortOptionsT, ['comparatorSubgraphIndex']],
  [StablehloCaseOptionsT, ['branchSubgraphIndices']],
  [StableHLOCompositeOptionsT, ['decompositionSubgraphIndex']],
]);

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function validateCalledSubgraphs(op: Operator, path: string, subgraphCount: number): void {
  const all = [
    ['builtin_options', op.builtinOptions],
    ['builtin_options_2', op.builtinOptions2],
  ] as const;
  for (const [field, options] of all) {
    const names = options === null ? undefined : SUBGRAPH_FIELDS.get(options.constructor);
    if (names === undefined) continue;
    for (const name of names) {
      const value: unknown = (options as unknown as Record<string, unknown>)[name];
      const fieldPath = `${path}.${field}.${snakeCase(name)}`;
      if (Array.isArray(value)) {
        value.forEach((index: unknown, i) => checkIndex(Number(index), subgraphCount, `${fieldPath}[${i}]`, 'subgraph', 'subgraphs'));
      } else {
        checkIndex(Number(value), subgraphCount, fieldPath, 'subgraph', 'subgraphs');
      }
    }
  }
}
