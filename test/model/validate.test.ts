import assert from 'node:assert/strict';
import * as flatbuffers from 'flatbuffers';
import { ModelError, type ModelErrorCode } from '../../lib/model/errors.js';
import { loadModel } from '../../lib/model/read.js';
import {
  BufferT,
  type BuiltinOperator,
  BuiltinOptions,
  BuiltinOptions2,
  CallOnceOptionsT,
  ExternalBufferT,
  IfOptionsT,
  Model as ModelTable,
  ModelT,
  OperatorCodeT,
  OperatorT,
  QuantizationParametersT,
  SignatureDefT,
  StableHLOCompositeOptionsT,
  StablehloCaseOptionsT,
  SubGraph,
  SubGraphT,
  Tensor,
  TensorMapT,
  TensorT,
  TensorType,
  WhileOptionsT,
} from '../../lib/model/schema/tflite.js';
import { validateModel } from '../../lib/model/validate.js';
import { baseModelT, fieldPosition, floatBytes, pack, packWithTail, writeInt32 } from './fixtures.js';

function refuses(bytes: Uint8Array, code: ModelErrorCode, path: string, message?: string): ModelError {
  try {
    loadModel(bytes);
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    assert.deepEqual([error.code, error.path], [code, path], error.message);
    if (message !== undefined) assert.equal(error.message, message);
    return error;
  }
  assert.fail(`loaded a model that should fail with ${code} at ${path}`);
}

/** The base model with one change made to its object form. */
function variant(change: (model: ModelT) => void): Uint8Array {
  const model = baseModelT();
  change(model);
  return pack(model);
}

const main = (model: ModelT): SubGraphT => model.subgraphs[0];

/** Reads the generated tables of packed bytes, to find where to patch them. */
function tables(bytes: Uint8Array): { subgraph: SubGraph; tensor: (i: number) => Tensor } {
  const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
  const subgraph = root.subgraphs(0)!;
  return { subgraph, tensor: (i) => subgraph.tensors(i)! };
}

function readInt32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(at, true);
}

describe('validation: file header', function () {
  it('loads the unbroken base model', function () {
    assert.equal(loadModel(pack(baseModelT())).subgraphs[0].operators.length, 2);
  });

  it('TRUNCATED: fewer bytes than a flatbuffer header', function () {
    refuses(new Uint8Array(0), 'TRUNCATED', '');
    refuses(pack(baseModelT()).subarray(0, 7), 'TRUNCATED', '');
  });

  it('IDENTIFIER: a file whose identifier is not TFL3', function () {
    const bytes = pack(baseModelT());
    bytes[7] = '2'.charCodeAt(0);
    refuses(bytes, 'IDENTIFIER', '', 'file identifier "TFL2" is not "TFL3": not a TFLite model');
    refuses(new TextEncoder().encode('{"not": "a model"}'), 'IDENTIFIER', '');
  });

  it('VERSION: schema version other than 3', function () {
    refuses(variant((m) => (m.version = 2)), 'VERSION', 'version', 'version: schema version 2, expected 3');
  });
});

describe('validation: flatbuffer structure', function () {
  it('STRUCTURE: a root offset past the end of the file', function () {
    const bytes = pack(baseModelT());
    writeInt32(bytes, 0, bytes.length + 100);
    refuses(bytes, 'STRUCTURE', '');
  });

  it('STRUCTURE: a truncated file', function () {
    const bytes = pack(baseModelT());
    // A flatbuffer grows backwards: ModelT.pack() builds the operator codes first, so they sit
    // at the end of the file and are the first thing cut off.
    const error = refuses(bytes.subarray(0, bytes.length - 40), 'STRUCTURE', 'operator_codes[0]');
    assert.match(error.message, /lie outside the file \(\d+ bytes\)/);
  });

  for (const [what, value] of [['0x7fffffff', 0x7fffffff], ['0xffffffff', -1], ['one more than fits', 0]] as const) {
    it(`STRUCTURE: a shape vector claiming ${what} elements`, function () {
      const bytes = pack(baseModelT());
      const { tensor } = tables(bytes);
      const field = fieldPosition(bytes, tensor(1).bb_pos, 0);
      const vector = field + readInt32(bytes, field);
      const fits = Math.floor((bytes.length - vector - 4) / 4);
      writeInt32(bytes, vector, value === 0 ? fits + 1 : value);
      refuses(bytes, 'STRUCTURE', 'subgraphs[0].tensors[1]');
    });
  }

  it('STRUCTURE: a vtable outside the file', function () {
    const bytes = pack(baseModelT());
    const { tensor } = tables(bytes);
    writeInt32(bytes, tensor(2).bb_pos, -bytes.length * 2);
    refuses(bytes, 'STRUCTURE', 'subgraphs[0].tensors[2]');
  });

  it('STRUCTURE: an offset pointing backwards (uoffsets are unsigned)', function () {
    const bytes = pack(baseModelT());
    const { subgraph } = tables(bytes);
    const field = fieldPosition(bytes, subgraph.bb_pos, 0);
    writeInt32(bytes, field, -8);
    refuses(bytes, 'STRUCTURE', 'subgraphs[0]');
  });

  it('STRUCTURE: a string running past the end of the file', function () {
    const bytes = pack(baseModelT());
    const { tensor } = tables(bytes);
    const field = fieldPosition(bytes, tensor(0).bb_pos, 3);
    writeInt32(bytes, field + readInt32(bytes, field), bytes.length);
    refuses(bytes, 'STRUCTURE', 'subgraphs[0].tensors[0]');
  });

  it('TRUNCATED: buffer data stored after the flatbuffer but missing from the file', function () {
    const model = baseModelT();
    model.buffers[2] = new BufferT([], 100000n, 8n);
    refuses(packWithTail(model, new Uint8Array(8)), 'TRUNCATED', 'buffers[2].offset');
  });

  it('BUDGET: 2,000 tensors aliasing one 2,000-entry shape vector', function () {
    const builder = new flatbuffers.Builder(1024);
    const shape = Tensor.createShapeVector(builder, new Array<number>(2000).fill(1));
    const tensors: number[] = [];
    for (let i = 0; i < 2000; i++) {
      Tensor.startTensor(builder);
      Tensor.addShape(builder, shape);
      tensors.push(Tensor.endTensor(builder));
    }
    const subgraph = SubGraph.createSubGraph(builder, SubGraph.createTensorsVector(builder, tensors), 0, 0, 0, 0, -1);
    const buffers = ModelTable.createBuffersVector(builder, [new BufferT().pack(builder)]);
    const subgraphs = ModelTable.createSubgraphsVector(builder, [subgraph]);
    ModelTable.finishModelBuffer(builder, ModelTable.createModel(builder, 3, 0, subgraphs, 0, buffers, 0, 0, 0, 0, 0));
    const bytes = builder.asUint8Array();
    const started = performance.now();
    assert.throws(
      () => loadModel(bytes),
      (e: unknown) =>
        e instanceof ModelError && e.code === 'BUDGET' && /^subgraphs\[0\]\.tensors\[\d+\]$/.test(e.path) && /read budget of \d+ exhausted/.test(e.message),
    );
    assert.ok(performance.now() - started < 1000, 'stopped early');
  });
});

describe('validation: indices', function () {
  it('INDEX: an operator input naming a tensor that does not exist', function () {
    refuses(
      variant((m) => (main(m).operators[1].inputs[0] = 99)),
      'INDEX',
      'subgraphs[0].operators[1].inputs[0]',
      'subgraphs[0].operators[1].inputs[0]: tensor index 99 out of range (5 tensors)',
    );
  });

  it('INDEX: operator outputs and intermediates, and negatives other than -1', function () {
    refuses(variant((m) => (main(m).operators[0].outputs[0] = 5)), 'INDEX', 'subgraphs[0].operators[0].outputs[0]');
    refuses(variant((m) => (main(m).operators[0].intermediates = [7])), 'INDEX', 'subgraphs[0].operators[0].intermediates[0]');
    refuses(variant((m) => (main(m).operators[1].inputs[2] = -2)), 'INDEX', 'subgraphs[0].operators[1].inputs[2]');
  });

  it('INDEX: subgraph inputs and outputs', function () {
    refuses(variant((m) => (main(m).inputs = [5])), 'INDEX', 'subgraphs[0].inputs[0]');
    refuses(variant((m) => (main(m).outputs = [4, -1])), 'INDEX', 'subgraphs[0].outputs[1]');
  });

  it('INDEX: a tensor naming a buffer that does not exist', function () {
    refuses(
      variant((m) => (main(m).tensors[1].buffer = 4)),
      'INDEX',
      'subgraphs[0].tensors[1].buffer',
      'subgraphs[0].tensors[1].buffer: buffer index 4 out of range (4 buffers)',
    );
  });

  it('INDEX: an operator naming an operator code that does not exist', function () {
    refuses(
      variant((m) => (main(m).operators[0].opcodeIndex = 2)),
      'INDEX',
      'subgraphs[0].operators[0].opcode_index',
      'subgraphs[0].operators[0].opcode_index: opcode index 2 out of range (2 operator codes)',
    );
  });

  it('INDEX: metadata naming a buffer that does not exist', function () {
    refuses(variant((m) => (m.metadata[0].buffer = 9)), 'INDEX', 'metadata[0].buffer');
  });

  it('INDEX: signature defs naming a missing subgraph or tensor', function () {
    refuses(variant((m) => (m.signatureDefs[0].subgraphIndex = 1)), 'INDEX', 'signature_defs[0].subgraph_index');
    refuses(
      variant((m) => (m.signatureDefs = [new SignatureDefT([new TensorMapT('x', 0)], [new TensorMapT('y', 5)], 'k', 0)])),
      'INDEX',
      'signature_defs[0].outputs[0].tensor_index',
    );
  });

  it('INDEX: control-flow options naming a subgraph that does not exist', function () {
    const withOp = (op: OperatorT): Uint8Array =>
      variant((m) => {
        m.operatorCodes.push(new OperatorCodeT(0, null, 1, 0));
        main(m).operators.push(op);
      });
    // An IF/WHILE/... operator appended after the valid ones, reading the graph's output.
    const op = (type: BuiltinOptions, options: IfOptionsT | WhileOptionsT | CallOnceOptionsT): OperatorT =>
      new OperatorT(2, [4], [], type, options);
    refuses(withOp(op(BuiltinOptions.IfOptions, new IfOptionsT(0, 1))), 'INDEX', 'subgraphs[0].operators[2].builtin_options.else_subgraph_index');
    refuses(withOp(op(BuiltinOptions.WhileOptions, new WhileOptionsT(3, 0))), 'INDEX', 'subgraphs[0].operators[2].builtin_options.cond_subgraph_index');
    refuses(withOp(op(BuiltinOptions.CallOnceOptions, new CallOnceOptionsT(-1))), 'INDEX', 'subgraphs[0].operators[2].builtin_options.init_subgraph_index');
    const caseOp = new OperatorT(2, [4], [], BuiltinOptions.NONE, null, [], undefined, [], [], 0n, 0n, BuiltinOptions2.StablehloCaseOptions, new StablehloCaseOptionsT([0, 2]));
    refuses(withOp(caseOp), 'INDEX', 'subgraphs[0].operators[2].builtin_options_2.branch_subgraph_indices[1]');
    const composite = new OperatorT(2, [4], [], BuiltinOptions.NONE, null, [], undefined, [], [], 0n, 0n, BuiltinOptions2.StableHLOCompositeOptions, new StableHLOCompositeOptionsT('f', 1));
    refuses(withOp(composite), 'INDEX', 'subgraphs[0].operators[2].builtin_options_2.decomposition_subgraph_index');
    assert.equal(loadModel(withOp(op(BuiltinOptions.IfOptions, new IfOptionsT(0, 0)))).subgraphs[0].operators.length, 3);
  });
});

describe('validation: tensors', function () {
  it('DTYPE: an unknown tensor type', function () {
    refuses(variant((m) => (main(m).tensors[2].type = 99 as TensorType)), 'DTYPE', 'subgraphs[0].tensors[2].type', 'subgraphs[0].tensors[2].type: unknown tensor type 99');
  });

  it('SHAPE: a negative dimension', function () {
    refuses(variant((m) => (main(m).tensors[2].shape = [1, -1])), 'SHAPE', 'subgraphs[0].tensors[2].shape[1]');
  });

  it('SHAPE: more elements than a 32-bit count can hold', function () {
    refuses(variant((m) => (main(m).tensors[2].shape = [65536, 65536])), 'SHAPE', 'subgraphs[0].tensors[2].shape');
  });

  it('BUFFER_SIZE: constant data shorter or longer than shape x dtype', function () {
    refuses(
      variant((m) => (m.buffers[1] = new BufferT(floatBytes([1, 2, 3])))),
      'BUFFER_SIZE',
      'subgraphs[0].tensors[1].buffer',
      'subgraphs[0].tensors[1].buffer: constant data is 12 bytes but float32[4] needs 16',
    );
    refuses(variant((m) => (main(m).tensors[3].shape = [2, 5])), 'BUFFER_SIZE', 'subgraphs[0].tensors[3].buffer');
  });

  it('BUFFER_SIZE: packs int4 two to a byte, and skips strings', function () {
    assert.ok(loadModel(variant((m) => {
      main(m).tensors[3].type = TensorType.INT4;
      main(m).tensors[3].shape = [2, 8];
    })));
    assert.ok(loadModel(variant((m) => (main(m).tensors[1].type = TensorType.STRING))));
  });

  it('QUANTIZATION: scale and zero_point counts differ', function () {
    refuses(
      variant((m) => (main(m).tensors[3].quantization!.zeroPoint = [0n])),
      'QUANTIZATION',
      'subgraphs[0].tensors[3].quantization.zero_point',
    );
  });

  it('QUANTIZATION: per-channel scales that do not match shape[quantized_dimension]', function () {
    refuses(variant((m) => (main(m).tensors[3].quantization!.quantizedDimension = 1)), 'QUANTIZATION', 'subgraphs[0].tensors[3].quantization.scale');
    refuses(variant((m) => (main(m).tensors[3].quantization!.quantizedDimension = 2)), 'QUANTIZATION', 'subgraphs[0].tensors[3].quantization.quantized_dimension');
  });

  it('QUANTIZATION: accepts a per-channel 1-D bias with quantized_dimension 3, as person_detect has', function () {
    const bytes = variant((m) => {
      m.buffers.push(new BufferT(new Array<number>(8).fill(0)));
      main(m).tensors.push(new TensorT([2], TensorType.INT32, 4, 'bias', new QuantizationParametersT([], [], [0.1, 0.2], [0n, 0n], undefined, null, 3)));
      main(m).operators[1].inputs[2] = 5;
    });
    assert.deepEqual(loadModel(bytes).subgraphs[0].tensors[5].quantization?.quantizedDimension, 3);
  });

  it('keeps one scale as per-tensor whatever quantized_dimension says', function () {
    assert.ok(loadModel(variant((m) => (main(m).tensors[0].quantization = new QuantizationParametersT([], [], [0.5], [3n], undefined, null, 7)))));
  });
});

describe('validation: graph', function () {
  it('UNPRODUCED: an operator reading a tensor before anything writes it', function () {
    refuses(
      variant((m) => main(m).operators.reverse()),
      'UNPRODUCED',
      'subgraphs[0].operators[0].inputs[0]',
      'subgraphs[0].operators[0].inputs[0]: FULLY_CONNECTED reads tensor 2 ("sum"), which is not a subgraph input, constant or variable and is written by no earlier operator',
    );
  });

  it('UNPRODUCED: the graph input once it is no longer declared a subgraph input', function () {
    refuses(variant((m) => (main(m).inputs = [])), 'UNPRODUCED', 'subgraphs[0].operators[0].inputs[0]');
  });

  it('accepts inputs that are variables, constants or absent (-1)', function () {
    const bytes = variant((m) => {
      main(m).tensors[2].isVariable = true;
      main(m).operators.reverse();
    });
    assert.equal(loadModel(bytes).subgraphs[0].tensors[2].isVariable, true);
  });

  it('accepts the scratch inputs of a Vela ethos-u operator (person_detect_vela)', function () {
    const bytes = variant((m) => {
      m.operatorCodes.push(new OperatorCodeT(32, 'ethos-u', 1, 32));
      main(m).tensors.push(new TensorT([64], TensorType.UINT8, 0, 'scratch'));
      main(m).operators = [new OperatorT(2, [0, 5], [4])];
    });
    assert.equal(loadModel(bytes).subgraphs[0].operators[0].customCode, 'ethos-u');
    refuses(
      variant((m) => {
        m.operatorCodes.push(new OperatorCodeT(32, 'other', 1, 32));
        main(m).tensors.push(new TensorT([64], TensorType.UINT8, 0, 'scratch'));
        main(m).operators = [new OperatorT(2, [0, 5], [4])];
      }),
      'UNPRODUCED',
      'subgraphs[0].operators[0].inputs[1]',
    );
  });

  it('OPCODE: a builtin code the schema does not define', function () {
    refuses(
      variant((m) => (m.operatorCodes[1].builtinCode = 250 as BuiltinOperator)),
      'OPCODE',
      'operator_codes[1].builtin_code',
      'operator_codes[1].builtin_code: builtin code 250 names no BuiltinOperator',
    );
    refuses(variant((m) => (m.operatorCodes[1] = new OperatorCodeT(127, null, 1, 0))), 'OPCODE', 'operator_codes[1].builtin_code');
  });

  it('OPCODE: a CUSTOM operator code without a custom_code', function () {
    refuses(variant((m) => (m.operatorCodes[0] = new OperatorCodeT(32, null, 1, 32))), 'OPCODE', 'operator_codes[0].custom_code');
  });

  it('resolves deprecated_builtin_code when builtin_code is 0, as older converters write', function () {
    const model = loadModel(variant((m) => (m.operatorCodes[1] = new OperatorCodeT(9, null, 1, 0))));
    assert.deepEqual([model.subgraphs[0].operators[1].op, model.subgraphs[0].operators[1].builtinCode], ['FULLY_CONNECTED', 9]);
  });
});

describe('validateModel on a Model built in memory', function () {
  it('checks a model that never was a file', function () {
    const model = loadModel(pack(baseModelT()));
    validateModel(model);
    model.subgraphs[0].operators[0].inputs[1] = 7;
    assert.throws(() => validateModel(model), (e: unknown) => e instanceof ModelError && e.code === 'INDEX' && e.path === 'subgraphs[0].operators[0].inputs[1]');
  });

  it('DTYPE: a dtype name the schema does not have', function () {
    const model = loadModel(pack(baseModelT()));
    (model.subgraphs[0].tensors[1] as { dtype: string }).dtype = 'float31';
    assert.throws(() => validateModel(model), (e: unknown) => e instanceof ModelError && e.code === 'DTYPE' && e.path === 'subgraphs[0].tensors[1].type');
  });

  it('refuses a signature pointing into a subgraph that lacks the tensor', function () {
    const model = loadModel(pack(baseModelT()));
    model.subgraphs.push({ ...model.subgraphs[0], tensors: [], inputs: [], outputs: [], operators: [] });
    model.signatureDefs[0].subgraphIndex = 1;
    assert.throws(() => validateModel(model), (e: unknown) => e instanceof ModelError && e.path === 'signature_defs[0].inputs[0].tensor_index');
  });

  it('checks external buffer groups', function () {
    const model = loadModel(pack(new ModelT(3, [], [new SubGraphT()], null, [new BufferT()])));
    model.externalBuffers.push(new ExternalBufferT(1, 0));
    assert.throws(() => validateModel(model), (e: unknown) => e instanceof ModelError && e.path === 'external_buffers[0].group');
  });
});
