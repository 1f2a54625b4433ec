// ModelBuilder: what is built is what a written file loads back as (expected values below are
// worked out by hand: little-endian bytes, float32 rounding, schema enum values), and mistakes
// are refused when they are made, with where.
import assert from 'node:assert/strict';
import * as flatbuffers from 'flatbuffers';
import { ModelBuilder, NO_TENSOR } from '../../lib/model/builder.js';
import { loadModel } from '../../lib/model/read.js';
import { writeModel } from '../../lib/model/write.js';
import { builtinOptions2TypeOf, builtinOptionsTypeOf, quantizationDetailsTypeOf } from '../../lib/model/union-types.js';
import * as schema from '../../lib/model/schema/tflite.js';
import {
  ActivationFunctionType,
  BuiltinOptions,
  BuiltinOptions2,
  CallOnceOptionsT,
  CustomQuantizationT,
  FullyConnectedOptionsT,
  Model as ModelTable,
  QuantizationDetails,
  SoftmaxOptionsT,
  StablehloConcatenateOptionsT,
} from '../../lib/model/schema/tflite.js';

function smallQuantizedModel(): ModelBuilder {
  const b = new ModelBuilder({ description: 'builder test' });
  const x = b.addInput({ name: 'input', shape: [1, 3], dtype: 'int8', quantization: { scale: [0.5], zeroPoint: [-1] } });
  const w = b.addConstant({
    name: 'weights', shape: [2, 3], dtype: 'int8', data: new Int8Array([1, -2, 3, -4, 5, -128]),
    quantization: { scale: [0.25, 0.1], zeroPoint: [0, 0], quantizedDimension: 0 },
  });
  const bias = b.addConstant({ name: 'bias', shape: [2], dtype: 'int32', data: new Int32Array([256, -1]) });
  const y = b.addTensor({ name: 'fc', shape: [1, 2], dtype: 'int8', quantization: { scale: [0.1], zeroPoint: [3] } });
  b.addOperator('FULLY_CONNECTED', [x, w, bias], [y], {
    builtinOptions: new FullyConnectedOptionsT(ActivationFunctionType.RELU6), version: 4,
  });
  const z = b.addTensor({ name: 'output', shape: [1, 2], dtype: 'float32' });
  b.addOperator('DEQUANTIZE', [y], [z], { version: 2 });
  b.addOutput(z);
  b.addMetadata('min_runtime_version', '1.14.0');
  b.addSignature('serving_default');
  return b;
}

describe('ModelBuilder', function () {
  it('builds a model that a written file loads back as, field by field', function () {
    const built = smallQuantizedModel().build();
    const bytes = writeModel(built);
    const model = loadModel(bytes);

    assert.equal(model.version, 3);
    assert.equal(model.description, 'builder test');
    assert.equal(model.subgraphs.length, 1);
    const [main] = model.subgraphs;
    assert.equal(main.name, 'main');
    assert.deepEqual(main.inputs, [0]);
    assert.deepEqual(main.outputs, [4]);
    assert.deepEqual(main.tensors.map((t) => [t.name, t.dtype, t.shape]), [
      ['input', 'int8', [1, 3]],
      ['weights', 'int8', [2, 3]],
      ['bias', 'int32', [2]],
      ['fc', 'int8', [1, 2]],
      ['output', 'float32', [1, 2]],
    ]);
    assert.equal(main.tensors[0].data, null);
    assert.deepEqual(main.tensors[1].data, new Uint8Array([1, 254, 3, 252, 5, 128]));
    assert.deepEqual(main.tensors[2].data, new Uint8Array([0, 1, 0, 0, 255, 255, 255, 255]));
    // Scales are float32 in the file: 0.1 becomes 0.100000001490116..., 0.25 and 0.5 are exact.
    assert.deepEqual(main.tensors[1].quantization, {
      scale: [0.25, 0.10000000149011612], zeroPoint: [0, 0], quantizedDimension: 0, min: [], max: [], details: null,
    });
    assert.deepEqual(main.tensors[3].quantization?.scale, [0.10000000149011612]);
    assert.deepEqual(main.tensors[0].quantization?.zeroPoint, [-1]);
    assert.equal(main.tensors[4].quantization, null);

    const [fc, dequantize] = main.operators;
    assert.equal(fc.op, 'FULLY_CONNECTED');
    assert.equal(fc.builtinCode, 9);
    assert.equal(fc.version, 4);
    assert.deepEqual(fc.inputs, [0, 1, 2]);
    assert.deepEqual(fc.outputs, [3]);
    assert.equal(fc.builtinOptionsType, 8); // FullyConnectedOptions: the 8th member of union BuiltinOptions in the .fbs
    assert.ok(fc.builtinOptions instanceof FullyConnectedOptionsT);
    assert.equal(fc.builtinOptions.fusedActivationFunction, 3); // RELU6
    assert.equal(dequantize.op, 'DEQUANTIZE');
    assert.equal(dequantize.builtinCode, 6);
    assert.equal(dequantize.version, 2);
    assert.equal(dequantize.builtinOptionsType, 0);
    assert.equal(dequantize.builtinOptions, null);

    assert.deepEqual(model.metadata, { min_runtime_version: new Uint8Array([0x31, 0x2e, 0x31, 0x34, 0x2e, 0x30]) });
    assert.deepEqual(model.signatureDefs, [{
      signatureKey: 'serving_default', subgraphIndex: 0,
      inputs: [{ name: 'input', tensorIndex: 0 }], outputs: [{ name: 'output', tensorIndex: 4 }],
    }]);
    // And nothing else differs either.
    assert.deepStrictEqual(model, built);

    const root = ModelTable.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
    assert.equal(root.subgraphs(0)!.tensors(0)!.buffer(), 0, 'an input refers to the empty buffer 0');
  });

  it('writes float32 constants as little-endian IEEE 754', function () {
    const b = new ModelBuilder();
    const c = b.addConstant({ name: 'c', shape: [2], dtype: 'float32', data: new Float32Array([1.5, -2]) });
    b.addOutput(c);
    const model = loadModel(writeModel(b.build()));
    assert.deepEqual(model.subgraphs[0].tensors[0].data, new Uint8Array([0, 0, 0xc0, 0x3f, 0, 0, 0, 0xc0]));
  });

  it('takes raw bytes (Uint8Array or Buffer) for any dtype, int4 packed two per byte', function () {
    const b = new ModelBuilder();
    b.addConstant({ name: 'h', shape: [2], dtype: 'float16', data: Buffer.from([0x00, 0x3c, 0x00, 0xc0]) });
    b.addConstant({ name: 'q', shape: [3], dtype: 'int4', data: new Uint8Array([0x21, 0x03]) });
    const model = b.build();
    assert.deepEqual(model.subgraphs[0].tensors.map((t) => t.data), [new Uint8Array([0x00, 0x3c, 0x00, 0xc0]), new Uint8Array([0x21, 0x03])]);
  });

  it('copies constant data, so later changes to the caller\'s array do not leak in', function () {
    const b = new ModelBuilder();
    const weights = new Float32Array([1, 2]);
    b.addConstant({ name: 'w', shape: [2], dtype: 'float32', data: weights });
    weights[0] = 9;
    assert.deepEqual(b.build().subgraphs[0].tensors[0].data, new Uint8Array([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]));
  });

  it('writes -1 for an absent optional input', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 2], dtype: 'float32' });
    const w = b.addConstant({ name: 'w', shape: [1, 2], dtype: 'float32', data: new Float32Array([1, 1]) });
    const y = b.addTensor({ name: 'y', shape: [1, 1], dtype: 'float32' });
    b.addOperator('FULLY_CONNECTED', [x, w, NO_TENSOR], [y], { builtinOptions: new FullyConnectedOptionsT() });
    b.addOutput(y);
    assert.deepEqual(loadModel(writeModel(b.build())).subgraphs[0].operators[0].inputs, [0, 1, -1]);
  });

  it('builds several subgraphs (CALL_ONCE of an init subgraph)', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4], dtype: 'float32' });
    const y = b.addTensor({ name: 'y', shape: [1, 4], dtype: 'float32' });
    const init = b.subgraph('init');
    const c = init.addConstant({ name: 'zero', shape: [1], dtype: 'int32', data: new Int32Array([0]) });
    init.addOutput(c);
    b.addOperator('CALL_ONCE', [], [], { builtinOptions: new CallOnceOptionsT(1) });
    b.addOperator('SOFTMAX', [x], [y], { builtinOptions: new SoftmaxOptionsT(1) });
    b.addOutput(y);
    const model = loadModel(writeModel(b.build()));
    assert.deepEqual(model.subgraphs.map((s) => [s.name, s.tensors.length, s.operators.length]), [['main', 2, 2], ['init', 1, 0]]);
    const callOnce = model.subgraphs[0].operators[0];
    assert.equal(callOnce.builtinOptionsType, 103); // CallOnceOptions: the 103rd member of union BuiltinOptions in the .fbs
    assert.ok(callOnce.builtinOptions instanceof CallOnceOptionsT);
    assert.equal(callOnce.builtinOptions.initSubgraphIndex, 1);
    assert.deepEqual(model.subgraphs[1].tensors[0].data, new Uint8Array([0, 0, 0, 0]));
    assert.deepEqual(model.subgraphs[1].outputs, [0]);
  });

  it('keeps the custom code and options of a CUSTOM operator', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [4], dtype: 'int16' });
    const y = b.addTensor({ name: 'y', shape: [4], dtype: 'int16' });
    b.addOperator('CUSTOM', [x], [y], { customCode: 'SignalWindow', customOptions: new Uint8Array([1, 2, 3]) });
    b.addOutput(y);
    const op = loadModel(writeModel(b.build())).subgraphs[0].operators[0];
    assert.equal(op.op, 'CUSTOM');
    assert.equal(op.builtinCode, 32);
    assert.equal(op.customCode, 'SignalWindow');
    assert.deepEqual(op.customOptions, new Uint8Array([1, 2, 3]));
  });

  describe('refuses, saying where', function () {
    let b: ModelBuilder;
    let x: number;
    let y: number;
    beforeEach(function () {
      b = new ModelBuilder();
      x = b.addInput({ name: 'x', shape: [1, 2], dtype: 'float32' });
      y = b.addTensor({ name: 'y', shape: [1, 2], dtype: 'float32' });
    });

    it('an unknown op name', function () {
      assert.throws(() => b.addOperator('FULLY_CONECTED', [x], [y]), /subgraphs\[0\]\.operators\[0\]: unknown operator 'FULLY_CONECTED'/);
      assert.throws(() => b.addOperator('PLACEHOLDER_FOR_GREATER_OP_CODES', [x], [y]), /unknown operator/);
      assert.throws(() => b.addOperator('relu', [x], [y]), /unknown operator 'relu'/);
    });

    it('a tensor index out of range', function () {
      assert.throws(() => b.addOperator('RELU', [5], [y]), /subgraphs\[0\]\.operators\[0\]\.inputs\[0\] of RELU: tensor index 5 is out of range \(subgraph has 2 tensors/);
      assert.throws(() => b.addOperator('RELU', [x], [-1]), /outputs\[0\] of RELU: tensor index -1 is out of range/);
      assert.throws(() => b.addOperator('RELU', [1.5], [y]), /tensor index 1.5 is out of range/);
      assert.throws(() => b.addOutput(2), /subgraphs\[0\]\.outputs: tensor index 2 is out of range/);
      assert.equal(b.build().subgraphs[0].operators.length, 0, 'a refused operator is not added');
    });

    it('data whose byte length does not match shape x dtype', function () {
      assert.throws(
        () => b.addConstant({ name: 'w', shape: [2, 2], dtype: 'float32', data: new Float32Array(3) }),
        /subgraphs\[0\]\.tensors\[2\] \('w'\): data has 12 bytes, but shape \[2, 2\] of float32 needs 16/,
      );
      assert.throws(() => b.addConstant({ name: 'q', shape: [3], dtype: 'int16', data: new Uint8Array(4) }), /data has 4 bytes, but shape \[3\] of int16 needs 6/);
      assert.throws(() => b.addConstant({ name: 'q', shape: [3], dtype: 'int4', data: new Uint8Array(1) }), /needs 2/);
    });

    it('a typed array that cannot hold the dtype', function () {
      assert.throws(() => b.addConstant({ name: 'w', shape: [4], dtype: 'int8', data: new Float32Array(1) }), /Float32Array data cannot hold int8 elements/);
      assert.throws(() => b.addConstant({ name: 'w', shape: [1], dtype: 'float32', data: new Int32Array(1) }), /Int32Array data cannot hold float32/);
    });

    it('an unknown dtype', function () {
      const dtype = 'float31' as unknown as 'float32';
      assert.throws(() => b.addConstant({ name: 'c', shape: [1], dtype, data: new Uint8Array(4) }), /tensors\[2\] \('c'\): unknown dtype 'float31'/);
    });

    it('a bad shape', function () {
      assert.throws(() => b.addTensor({ name: 't', shape: [1, -1], dtype: 'float32' }), /tensors\[2\] \('t'\): shape\[1\] = -1 is not a non-negative integer/);
      assert.throws(() => b.addTensor({ name: 't', shape: [1, 2], dtype: 'float32', shapeSignature: [-1] }), /shapeSignature has rank 1, shape has 2/);
    });

    it('CUSTOM without a custom code, or a custom code on a builtin', function () {
      assert.throws(() => b.addOperator('CUSTOM', [x], [y]), /a CUSTOM operator needs a customCode/);
      assert.throws(() => b.addOperator('RELU', [x], [y], { customCode: 'Mine' }), /customCode is only for CUSTOM operators, not RELU/);
    });

    it('options that are not a member of the BuiltinOptions union', function () {
      const notOptions = new CustomQuantizationT() as unknown as FullyConnectedOptionsT;
      assert.throws(() => b.addOperator('RELU', [x], [y], { builtinOptions: notOptions }), /CustomQuantizationT is not a member of the schema union BuiltinOptions/);
    });

    it('per-channel parameters that do not fit the shape, and duplicate metadata', function () {
      assert.throws(() => b.addTensor({ name: 'q', shape: [2], dtype: 'int8', quantization: { scale: [1, 2], zeroPoint: [0] } }), /2 scales but 1 zero points/);
      assert.throws(
        () => b.addTensor({ name: 'q', shape: [3, 2], dtype: 'int8', quantization: { scale: [1, 2], zeroPoint: [0, 0] } }),
        /2 per-channel scales, but dimension 0 of shape \[3, 2\] is 3/,
      );
      b.addTensor({ name: 'q', shape: [3, 2], dtype: 'int8', quantization: { scale: [1, 2], zeroPoint: [0, 0], quantizedDimension: 1 } });
      b.addMetadata('m', 'a');
      assert.throws(() => b.addMetadata('m', 'b'), /metadata 'm' was already added/);
    });
  });
});

describe('union type inference (union-types.ts)', function () {
  // Independent of how union-types.ts derives its table: the schema names each union member
  // after its table, and flatc names the object-API class <table>T.
  const exports = schema as unknown as Record<string, unknown>;
  function membersOf(union: Record<string, string | number>): [string, number, new () => object][] {
    return Object.entries(union)
      .filter((e): e is [string, number] => typeof e[1] === 'number' && e[0] !== 'NONE')
      .map(([name, tag]) => {
        const ctor = exports[`${name}T`];
        assert.equal(typeof ctor, 'function', `no class ${name}T`);
        return [name, tag, ctor as new () => object];
      });
  }

  it('maps every *OptionsT class to its BuiltinOptions tag', function () {
    const members = membersOf(BuiltinOptions);
    assert.ok(members.length > 120, `${members.length} members`);
    for (const [name, tag, Ctor] of members) {
      assert.equal(builtinOptionsTypeOf(new Ctor() as FullyConnectedOptionsT), tag, name);
    }
  });

  it('maps every BuiltinOptions2 and QuantizationDetails member', function () {
    for (const [name, tag, Ctor] of membersOf(BuiltinOptions2)) {
      assert.equal(builtinOptions2TypeOf(new Ctor() as StablehloConcatenateOptionsT), tag, name);
    }
    for (const [name, tag, Ctor] of membersOf(QuantizationDetails)) {
      assert.equal(quantizationDetailsTypeOf(new Ctor() as CustomQuantizationT), tag, name);
    }
  });
});
