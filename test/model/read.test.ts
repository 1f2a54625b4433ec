import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as flatbuffers from 'flatbuffers';
import { READS_PER_BYTE } from '../../lib/model/checked-byte-buffer.js';
import { builtinOpName, loadModel, loadModelWithStats } from '../../lib/model/read.js';
import {
  ActivationFunctionType,
  BufferT,
  BuiltinOptions,
  FullyConnectedOptionsT,
  FullyConnectedOptionsWeightsFormat,
  Model as ModelTable,
  OperatorCodeT,
  OperatorT,
  Padding,
  QuantizationParametersT,
  TensorType,
} from '../../lib/model/schema/tflite.js';
import type { Model, Tensor } from '../../lib/model/types.js';
import { SHARED, sharedModelPaths, sharedName } from '../support/paths.js';
import { baseModelT, misaligned, pack, packWithTail } from './fixtures.js';
import { type TensorFact, readSourcesMd } from './sources-md.js';

const TFLM_MODELS = path.join(SHARED, 'models/tflm');

function load(relative: string): Model {
  return loadModel(fs.readFileSync(path.join(SHARED, 'models', relative)));
}

function closeTo(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

/** True when `view` is a window on `file`'s memory, not a copy. */
function isViewOn(view: Uint8Array, file: Uint8Array): boolean {
  return view.buffer === file.buffer && view.byteOffset >= file.byteOffset && view.byteOffset + view.length <= file.byteOffset + file.length;
}

/**
 * The same model read the plain way: the generated accessors over flatbuffers' own ByteBuffer
 * (fine for well-formed files). Checks the bulk vector reads and their field numbers.
 */
function compareWithPlainAccessors(bytes: Uint8Array, model: Model): void {
  const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
  const each = <T>(n: number, get: (i: number) => T | null): T[] => Array.from({ length: n }, (_, i) => get(i)!);
  assert.equal(model.subgraphs.length, root.subgraphsLength());
  model.subgraphs.forEach((subgraph, s) => {
    const table = root.subgraphs(s)!;
    assert.deepEqual(subgraph.inputs, each(table.inputsLength(), (i) => table.inputs(i)));
    assert.deepEqual(subgraph.outputs, each(table.outputsLength(), (i) => table.outputs(i)));
    subgraph.tensors.forEach((tensor, t) => {
      const tt = table.tensors(t)!;
      assert.deepEqual(tensor.shape, each(tt.shapeLength(), (i) => tt.shape(i)));
      if (tensor.shapeSignature !== null) {
        assert.deepEqual(tensor.shapeSignature, each(tt.shapeSignatureLength(), (i) => tt.shapeSignature(i)));
      } else {
        assert.equal(tt.shapeSignatureLength(), 0);
      }
      const q = tt.quantization();
      assert.deepEqual(tensor.quantization?.scale ?? [], q ? each(q.scaleLength(), (i) => q.scale(i)) : []);
      assert.deepEqual(tensor.quantization?.zeroPoint ?? [], q ? each(q.zeroPointLength(), (i) => Number(q.zeroPoint(i))) : []);
      assert.deepEqual(tensor.quantization?.min ?? [], q ? each(q.minLength(), (i) => q.min(i)) : []);
      assert.deepEqual(tensor.quantization?.max ?? [], q ? each(q.maxLength(), (i) => q.max(i)) : []);
      const buffer = root.buffers(tt.buffer())!;
      if (buffer.offset() <= 1n) assert.deepEqual([...(tensor.data ?? [])], each(buffer.dataLength(), (i) => buffer.data(i)));
    });
    subgraph.operators.forEach((op, o) => {
      const ot = table.operators(o)!;
      assert.deepEqual(op.inputs, each(ot.inputsLength(), (i) => ot.inputs(i)));
      assert.deepEqual(op.outputs, each(ot.outputsLength(), (i) => ot.outputs(i)));
      assert.deepEqual(op.intermediates, each(ot.intermediatesLength(), (i) => ot.intermediates(i)));
      assert.deepEqual(op.mutatingVariableInputs, each(ot.mutatingVariableInputsLength(), (i) => ot.mutatingVariableInputs(i)));
      if (ot.largeCustomOptionsOffset() <= 1n) {
        assert.deepEqual([...(op.customOptions ?? [])], each(ot.customOptionsLength(), (i) => ot.customOptions(i)));
      }
    });
  });
}

describe('loadModel: every reference model under ../shared/models', function () {
  for (const file of sharedModelPaths()) {
    it(`loads ${sharedName(file)}`, function () {
      const bytes = new Uint8Array(fs.readFileSync(file));
      const model = loadModel(bytes);
      assert.equal(model.version, 3);
      assert.ok(model.subgraphs.length >= 1);
      for (const subgraph of model.subgraphs) {
        for (const tensor of subgraph.tensors) {
          if (tensor.data !== null) assert.ok(isViewOn(tensor.data, bytes), `${tensor.name}: data is not a view on the file`);
        }
        for (const op of subgraph.operators) {
          assert.equal(builtinOpName(op.builtinCode), op.op);
          if (op.customOptions !== null) assert.ok(isViewOn(op.customOptions, bytes));
        }
      }
      for (const data of Object.values(model.metadata)) assert.ok(isViewOn(data, bytes) || data.length === 0);
      compareWithPlainAccessors(bytes, model);
    });
  }

  it('spends far less than the read budget on every reference model', function () {
    const ratios = sharedModelPaths().map((file) => {
      const bytes = fs.readFileSync(file);
      return loadModelWithStats(bytes).reads / bytes.length;
    });
    const worst = Math.max(...ratios);
    // READS_PER_BYTE is meant to leave a wide margin over what real models need.
    assert.ok(worst * 8 <= READS_PER_BYTE, `worst reads/byte ${worst.toFixed(3)} leaves less than 8x margin`);
  });
});

function tensorMatches(tensor: Tensor, fact: TensorFact, what: string): void {
  assert.equal(tensor.dtype, fact.dtype, `${what} dtype`);
  assert.deepEqual(tensor.shape, fact.shape, `${what} shape`);
  if (fact.scale === null) {
    assert.ok(tensor.quantization === null || tensor.quantization.scale.length === 0, `${what} is not quantized`);
    return;
  }
  assert.ok(tensor.quantization, `${what} is quantized`);
  assert.equal(tensor.quantization.scale.length, 1, `${what} per-tensor`);
  // SOURCES.md prints 9 significant digits.
  closeTo(tensor.quantization.scale[0], fact.scale, 1e-7, `${what} scale`);
  assert.equal(tensor.quantization.zeroPoint[0], fact.zeroPoint, `${what} zero point`);
}

describe('loadModel agrees with ../shared/models/tflm/SOURCES.md', function () {
  const facts = readSourcesMd();

  it('finds the 17 described models and the 127 SEANet rows', function () {
    const seanet = [...facts.keys()].filter((f) => f.startsWith('integration_tests/seanet/'));
    assert.equal(seanet.length, 127);
    assert.equal(facts.size - seanet.length, 17);
  });

  for (const [file, fact] of facts) {
    it(`matches what SOURCES.md says of ${file}`, function () {
      const model = loadModel(fs.readFileSync(path.join(TFLM_MODELS, file)));
      const main = model.subgraphs[0];
      if (fact.operatorCount !== null) assert.equal(main.operators.length, fact.operatorCount, 'operators');
      if (fact.tensorCount !== null) assert.equal(main.tensors.length, fact.tensorCount, 'tensors');
      if (fact.opCodes !== null) {
        for (const op of main.operators) {
          const name = op.op === 'CUSTOM' ? `CUSTOM:${op.customCode}` : op.op;
          assert.ok(fact.opCodes.includes(name), `${name} is among ${fact.opCodes.join(', ')}`);
        }
      }
      assert.equal(main.inputs.length, fact.inputs.length, 'input count');
      fact.inputs.forEach((f, i) => tensorMatches(main.tensors[main.inputs[i]], f, `input ${i}`));
      assert.equal(main.outputs.length, fact.outputs.length, 'output count');
      fact.outputs.forEach((f, i) => tensorMatches(main.tensors[main.outputs[i]], f, `output ${i}`));
      if (fact.description !== null) assert.equal(model.description, fact.description);
      if (fact.metadataNames !== null) assert.deepEqual(Object.keys(model.metadata), fact.metadataNames);
    });
  }
});

describe('loadModel: facts about particular TFLM models', function () {
  it('hello_world_int8: int8 [1,1] in and out, 10 tensors (7 int8, 3 int32), 3 FULLY_CONNECTED', function () {
    const main = load('tflm/examples/hello_world/models/hello_world_int8.tflite').subgraphs[0];
    const input = main.tensors[main.inputs[0]];
    const output = main.tensors[main.outputs[0]];
    assert.deepEqual([input.dtype, input.shape, output.dtype, output.shape], ['int8', [1, 1], 'int8', [1, 1]]);
    closeTo(input.quantization!.scale[0], 0.0244801156, 1e-8, 'input scale');
    assert.deepEqual(input.quantization!.zeroPoint, [-128]);
    closeTo(output.quantization!.scale[0], 0.00829095673, 1e-8, 'output scale');
    assert.deepEqual(output.quantization!.zeroPoint, [5]);
    assert.equal(main.tensors.length, 10);
    assert.equal(main.tensors.filter((t) => t.dtype === 'int8').length, 7);
    const biases = main.tensors.filter((t) => t.dtype === 'int32');
    assert.equal(biases.length, 3);
    // Dense(16), Dense(16), Dense(1): int32 biases of 16, 16 and 1 elements, 4 bytes each.
    assert.deepEqual(biases.map((t) => t.data?.length).sort((a, b) => a! - b!), [4, 64, 64]);
    assert.deepEqual(main.operators.map((op) => [op.op, op.builtinCode]), Array(3).fill(['FULLY_CONNECTED', 9]));
    assert.ok(main.operators.every((op) => op.builtinOptions instanceof FullyConnectedOptionsT));
  });

  it('person_detect: ops resolved from deprecated_builtin_code, builtin_code left at 0', function () {
    const bytes = fs.readFileSync(path.join(TFLM_MODELS, 'models/person_detect.tflite'));
    const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
    for (let i = 0; i < root.operatorCodesLength(); i++) assert.equal(root.operatorCodes(i)!.builtinCode(), 0);
    const main = loadModel(bytes).subgraphs[0];
    assert.equal(main.operators.length, 31);
    assert.deepEqual(new Set(main.operators.map((op) => op.op)), new Set(['AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'RESHAPE', 'SOFTMAX']));
    // Each operator's op is its code's deprecated_builtin_code, named by the schema's enum
    // (DEPTHWISE_CONV_2D = 4, CONV_2D = 3, ...): the stem conv from 1 channel is a depthwise one.
    main.operators.forEach((op, o) => {
      const code = root.operatorCodes(root.subgraphs(0)!.operators(o)!.opcodeIndex())!.deprecatedBuiltinCode();
      assert.deepEqual([op.op, op.builtinCode], [builtinOpName(code), code]);
    });
    assert.deepEqual([main.operators[0].op, main.operators[0].builtinCode], ['DEPTHWISE_CONV_2D', 4]);
    assert.deepEqual(main.operators.slice(-2).map((op) => op.op), ['RESHAPE', 'SOFTMAX']);
  });

  it('audio_preprocessor_int8: the TFLM signal custom ops by name, with their FlexBuffer options', function () {
    const main = load('tflm/examples/micro_speech/models/audio_preprocessor_int8.tflite').subgraphs[0];
    const custom = main.operators.filter((op) => op.op === 'CUSTOM');
    assert.deepEqual(
      new Set(custom.map((op) => op.customCode)),
      new Set(['SignalWindow', 'SignalFftAutoScale', 'SignalRfft', 'SignalEnergy', 'SignalFilterBank', 'SignalFilterBankSquareRoot',
        'SignalFilterBankSpectralSubtraction', 'SignalPCAN', 'SignalFilterBankLog']),
    );
    assert.equal(main.operators[0].customCode, 'SignalWindow');
    assert.ok(custom.every((op) => op.builtinCode === 32 && op.customOptions !== null && op.customOptions.length > 0));
    assert.ok(main.operators.filter((op) => op.op !== 'CUSTOM').every((op) => op.customCode === null));
  });

  it('dtln: UNIDIRECTIONAL_SEQUENCE_LSTM, FULLY_CONNECTED and LOGISTIC, int8 [1,1,257] in and out', function () {
    const main = load('tflm/examples/dtln/dtln_noise_suppression.tflite').subgraphs[0];
    assert.deepEqual(new Set(main.operators.map((op) => op.op)), new Set(['UNIDIRECTIONAL_SEQUENCE_LSTM', 'FULLY_CONNECTED', 'LOGISTIC']));
    assert.equal(main.operators.length, 4);
    assert.equal(main.tensors.length, 45);
    assert.deepEqual(main.tensors[main.outputs[0]].shape, [1, 1, 257]);
  });

  it('person_detect_vela: one CUSTOM ethos-u op and the OfflineMemoryAllocation metadata', function () {
    const model = load('tflm/models/person_detect_vela.tflite');
    assert.deepEqual(model.subgraphs[0].operators.map((op) => [op.op, op.customCode]), [['CUSTOM', 'ethos-u']]);
    assert.deepEqual(Object.keys(model.metadata), ['vela_version', 'OfflineMemoryAllocation']);
    assert.equal(model.description, 'Vela 3.11.0 Optimised');
  });
});

// golden/tf/NAME.json describes every Keras-made file as TensorFlow's own schema reader saw it.
interface GoldenTensor {
  name: string; type: string; shape: number[]; shape_signature: number[] | null; buffer_bytes: number; is_variable: boolean;
  quantization: { scale: number[]; zero_point: number[]; min: number[] | null; max: number[] | null; quantized_dimension: number } | null;
}
interface GoldenOperator {
  builtin: string; version: number; inputs: number[]; outputs: number[]; intermediates: number[];
  builtin_options_type: string; builtin_options: Record<string, unknown> | null;
}
interface GoldenFlatbuffer {
  schema_version: number; description: string;
  subgraphs: { name: string; inputs: number[]; outputs: number[]; tensors: GoldenTensor[]; operators: GoldenOperator[] }[];
  metadata: { name: string; bytes: number; value?: string }[];
  signature_defs: { signature_key: string; subgraph_index: number; inputs: { name: string; tensor_index: number }[]; outputs: { name: string; tensor_index: number }[] }[];
}

// Enum-valued option fields, which the golden files give by name.
const OPTION_ENUMS: Record<string, Record<string, string | number>> = {
  fusedActivationFunction: ActivationFunctionType,
  padding: Padding,
  weightsFormat: FullyConnectedOptionsWeightsFormat,
  quantizedBiasType: TensorType,
  outType: TensorType,
};

function compareWithGolden(model: Model, golden: GoldenFlatbuffer): void {
  assert.equal(model.version, golden.schema_version);
  assert.equal(model.description, golden.description);
  assert.equal(model.subgraphs.length, golden.subgraphs.length);
  golden.subgraphs.forEach((g, s) => {
    const subgraph = model.subgraphs[s];
    assert.deepEqual([subgraph.name, subgraph.inputs, subgraph.outputs], [g.name, g.inputs, g.outputs]);
    assert.equal(subgraph.tensors.length, g.tensors.length);
    g.tensors.forEach((gt, t) => {
      const tensor = subgraph.tensors[t];
      const what = `tensor ${t}`;
      assert.deepEqual(
        [tensor.name, tensor.dtype, tensor.shape, tensor.shapeSignature, tensor.data?.length ?? 0, tensor.isVariable],
        [gt.name, gt.type.toLowerCase(), gt.shape, gt.shape_signature, gt.buffer_bytes, gt.is_variable],
        what,
      );
      const gq = gt.quantization;
      if (gq === null || (gq.scale.length === 0 && gq.zero_point.length === 0 && !gq.min?.length && !gq.max?.length)) {
        assert.equal(tensor.quantization, null, what);
      } else {
        const q = tensor.quantization!;
        assert.deepEqual(q.scale, gq.scale.map(Math.fround), `${what} scale`);
        assert.deepEqual([q.zeroPoint, q.quantizedDimension], [gq.zero_point, gq.quantized_dimension], what);
        assert.deepEqual([q.min, q.max], [(gq.min ?? []).map(Math.fround), (gq.max ?? []).map(Math.fround)], what);
      }
    });
    assert.equal(subgraph.operators.length, g.operators.length);
    g.operators.forEach((go, o) => {
      const op = subgraph.operators[o];
      const what = `operator ${o}`;
      assert.deepEqual(
        [op.op, op.version, op.inputs, op.outputs, op.intermediates, BuiltinOptions[op.builtinOptionsType]],
        [go.builtin, go.version, go.inputs, go.outputs, go.intermediates, go.builtin_options_type],
        what,
      );
      const options = (op.builtinOptions ?? {}) as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(go.builtin_options ?? {})) {
        const expected = typeof value === 'string' ? OPTION_ENUMS[field][value] : typeof value === 'number' ? Math.fround(value) : value;
        assert.equal(typeof value === 'number' ? Math.fround(options[field] as number) : options[field], expected, `${what} ${field}`);
      }
    });
  });
  assert.deepEqual(Object.keys(model.metadata), golden.metadata.map((m) => m.name));
  for (const m of golden.metadata) {
    assert.equal(model.metadata[m.name].length, m.bytes, `metadata ${m.name}`);
    if (m.value !== undefined) assert.equal(new TextDecoder().decode(model.metadata[m.name]).replace(/\0+$/, ''), m.value);
  }
  assert.deepEqual(
    model.signatureDefs,
    golden.signature_defs.map((d) => ({
      signatureKey: d.signature_key,
      subgraphIndex: d.subgraph_index,
      inputs: d.inputs.map((m) => ({ name: m.name, tensorIndex: m.tensor_index })),
      outputs: d.outputs.map((m) => ({ name: m.name, tensorIndex: m.tensor_index })),
    })),
  );
}

describe('loadModel agrees with TensorFlow on the Keras models (golden/tf/NAME.json)', function () {
  const goldenDir = path.join(SHARED, 'golden/tf');
  const goldens = fs.readdirSync(goldenDir).filter((f) => /^[a-z0-9_]+\.json$/.test(f));

  it('finds the seven Keras models', function () {
    assert.equal(goldens.length, 7);
  });

  for (const file of goldens) {
    const json = JSON.parse(fs.readFileSync(path.join(goldenDir, file), 'utf8')) as { variants: Record<string, { file: string; flatbuffer: GoldenFlatbuffer }> };
    for (const variant of Object.values(json.variants)) {
      it(`reads keras/${variant.file} as TensorFlow did`, function () {
        compareWithGolden(load(`keras/${variant.file}`), variant.flatbuffer);
      });
    }
  }
});

describe('loadModel: views, alignment and data stored after the flatbuffer', function () {
  it('reads a model that starts at an odd byte offset and keeps its data as views', function () {
    const bytes = pack(baseModelT());
    const shifted = misaligned(bytes);
    const model = loadModel(shifted);
    assert.deepEqual(model, loadModel(bytes));
    const c = model.subgraphs[0].tensors[1];
    assert.ok(c.data !== null && isViewOn(c.data, shifted));
    assert.deepEqual([...new Float32Array(c.data.slice().buffer)], [1, 2, 3, 4]);
  });

  it('gives plain Uint8Array views when the file is a Node Buffer', function () {
    const file = fs.readFileSync(path.join(TFLM_MODELS, 'examples/hello_world/models/hello_world_int8.tflite'));
    const constants = loadModel(file).subgraphs[0].tensors.filter((t) => t.data !== null);
    assert.equal(constants.length, 6);
    for (const tensor of constants) {
      assert.equal(Object.getPrototypeOf(tensor.data), Uint8Array.prototype);
      assert.ok(isViewOn(tensor.data!, file));
    }
  });

  it('fills every field of the hand-built model', function () {
    const model = loadModel(pack(baseModelT()));
    const [x, c, sum, w, y] = model.subgraphs[0].tensors;
    assert.deepEqual([x.name, x.shape, x.data, x.quantization, sum.data, y.shape], ['x', [1, 4], null, null, null, [1, 2]]);
    assert.deepEqual(w.quantization, { scale: [0.5, 0.25], zeroPoint: [0, 0], quantizedDimension: 0, min: [], max: [], details: null });
    assert.equal(c.dtype, 'float32');
    const [add, fc] = model.subgraphs[0].operators;
    assert.deepEqual([add.op, add.version, add.inputs, add.outputs], ['ADD', 1, [0, 1], [2]]);
    assert.deepEqual([fc.op, fc.version, fc.inputs, fc.customOptions], ['FULLY_CONNECTED', 4, [2, 3, -1], null]);
    assert.equal(new TextDecoder().decode(model.metadata.min_runtime_version).replace(/\0+$/, ''), '1.14.0');
    assert.deepEqual(model.signatureDefs, [
      { signatureKey: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'x', tensorIndex: 0 }], outputs: [{ name: 'y', tensorIndex: 4 }] },
    ]);
    assert.deepEqual([model.description, model.buffersAppended], ['hand built', false]);
  });

  it('views buffers and custom options stored after the flatbuffer (Buffer.offset/size)', function () {
    const modelT = baseModelT();
    const body = pack(modelT).length;
    // Offsets are absolute; packing again with the same-sized numbers keeps the layout.
    const tail = new Uint8Array([...[9, 9, 9, 9, 9, 9, 9, 9], ...[0xa0, 0xa1, 0xa2]]);
    const packOnce = (base: number): Uint8Array => {
      modelT.buffers[2] = new BufferT([], BigInt(base), 8n);
      const fc = modelT.subgraphs[0].operators[1];
      modelT.subgraphs[0].operators[1] = new OperatorT(
        fc.opcodeIndex, fc.inputs, fc.outputs, fc.builtinOptionsType, fc.builtinOptions, [], undefined, [], [], BigInt(base + 8), 3n,
      );
      return packWithTail(modelT, tail);
    };
    let bytes = packOnce(body);
    const base = bytes.length - tail.length;
    bytes = packOnce(base);
    assert.equal(bytes.length - tail.length, base, 'the flatbuffer kept its size');
    const model = loadModel(bytes);
    assert.equal(model.buffersAppended, true);
    assert.deepEqual([...model.subgraphs[0].tensors[3].data!], [9, 9, 9, 9, 9, 9, 9, 9]);
    assert.ok(isViewOn(model.subgraphs[0].tensors[3].data!, bytes));
    assert.deepEqual([...model.subgraphs[0].operators[1].customOptions!], [0xa0, 0xa1, 0xa2]);
  });

  it('treats Buffer.offset 0 and 1 as "not stored after the flatbuffer"', function () {
    const modelT = baseModelT();
    modelT.buffers[0] = new BufferT([], 1n, 0n);
    const model = loadModel(pack(modelT));
    assert.equal(model.buffersAppended, false);
    assert.equal(model.subgraphs[0].tensors[0].data, null);
  });

  it('turns int64 zero points into numbers, negative and beyond 32 bits included', function () {
    const modelT = baseModelT();
    modelT.subgraphs[0].tensors[3].quantization!.zeroPoint = [-128n, -(1n << 40n) + 5n];
    modelT.subgraphs[0].tensors[0].quantization = new QuantizationParametersT([-1.5], [2.5], [0.1], [(1n << 33n) + 1n], undefined, null, 0);
    const tensors = loadModel(misaligned(pack(modelT))).subgraphs[0].tensors;
    assert.deepEqual(tensors[3].quantization!.zeroPoint, [-128, -1099511627771]);
    assert.deepEqual(tensors[0].quantization, {
      scale: [Math.fround(0.1)], zeroPoint: [8589934593], quantizedDimension: 0, min: [-1.5], max: [2.5], details: null,
    });
  });

  it('accepts a CUSTOM operator code and keeps its name', function () {
    const modelT = baseModelT();
    modelT.operatorCodes[0] = new OperatorCodeT(32, 'MyAdd', 2, 32);
    const op = loadModel(pack(modelT)).subgraphs[0].operators[0];
    assert.deepEqual([op.op, op.customCode, op.version, op.builtinCode], ['CUSTOM', 'MyAdd', 2, 32]);
  });
});

describe('builtinOpName', function () {
  it('names BuiltinOperator values as the schema does', function () {
    // Values from ../shared/spec/tflite_schema.fbs.
    assert.equal(builtinOpName(0), 'ADD');
    assert.equal(builtinOpName(3), 'CONV_2D');
    assert.equal(builtinOpName(9), 'FULLY_CONNECTED');
    assert.equal(builtinOpName(32), 'CUSTOM');
    assert.equal(builtinOpName(209), 'STABLEHLO_CASE');
  });

  it('returns null for codes the schema does not define', function () {
    for (const code of [-1, 210, 1000, 1.5, Number.NaN]) assert.equal(builtinOpName(code), null, String(code));
  });
});
