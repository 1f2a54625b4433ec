// The Interpreter's contract: refusing unsupported models up front, arena size errors, input
// checks, prepare-time shape errors, variable-tensor reset and the per-operator profile.
import assert from 'node:assert/strict';
import { Interpreter, InterpreterError, OpResolver } from '../../lib/interpreter/index.js';
import { ModelBuilder, NO_TENSOR } from '../../lib/model/builder.js';
import { FullyConnectedOptionsT } from '../../lib/model/schema/tflite.js';
import type { Model } from '../../lib/model/types.js';
import { goldenModel, readGolden } from './golden.js';

function helloWorldInt8(): Model {
  return goldenModel(readGolden('hello_world_int8'));
}

describe('interpreter: Interpreter', function () {
  it('refuses a model with unsupported ops in the constructor, listing each with its index', function () {
    // Two custom ops no kernel will ever cover, so the test stays true as kernels are added.
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1], dtype: 'float32' });
    const y = b.addTensor({ name: 'y', shape: [1], dtype: 'float32' });
    const z = b.addTensor({ name: 'z', shape: [1], dtype: 'float32' });
    const w = b.addTensor({ name: 'w', shape: [1, 1], dtype: 'float32' });
    b.addOperator('CUSTOM', [x], [y], { customCode: 'NO_SUCH_OP' });
    b.addOperator('CUSTOM', [y], [z], { customCode: 'ALSO_MISSING' });
    b.addOperator('RESHAPE', [z], [w]);
    b.addOutput(w);
    assert.throws(() => new Interpreter(b.build()), (err: unknown) => err instanceof InterpreterError
      && /^unsupported ops: operator 0 \(NO_SUCH_OP, float32\), operator 1 \(ALSO_MISSING, float32\)$/.test(err.message));
  });

  it('uses only the kernels of a given resolver', function () {
    assert.throws(() => new Interpreter(helloWorldInt8(), { opResolver: new OpResolver() }),
      /unsupported ops: operator 0 \(FULLY_CONNECTED, int8\), operator 1 \(FULLY_CONNECTED, int8\), operator 2 \(FULLY_CONNECTED, int8\)$/);
  });

  it('fails allocate() with the needed size when arenaBytes is too small, and runs with enough', function () {
    // hello_world_int8 needs 32 bytes (see hello-world.test.ts).
    const small = new Interpreter(helloWorldInt8(), { arenaBytes: 31 });
    assert.throws(() => small.allocate(), /31 bytes given, this model needs 32 bytes/);
    const exact = new Interpreter(helloWorldInt8(), { arenaBytes: 32 });
    exact.allocate();
    exact.setInput(0, new Int8Array([-64]));
    exact.invoke();
    assert.equal(exact.output(0).data[0], 126); // golden q_m64
  });

  it('checks inputs: count, typed-array type, index, and use before allocate()', function () {
    const it = new Interpreter(helloWorldInt8());
    assert.throws(() => it.input(0), /before allocate\(\)/);
    assert.throws(() => it.invoke(), /before allocate\(\)/);
    it.allocate();
    assert.throws(() => it.setInput(0, new Int8Array(2)), /shape \[1, 1\] = 1 elements, got 2/);
    assert.throws(() => it.setInput(0, new Float32Array(1)), /is int8, got a Float32Array/);
    assert.throws(() => it.input(1), /no input 1: the model has 1 inputs/);
    const input = it.input(0);
    assert.deepEqual([input.dtype, input.shape, input.data.constructor], ['int8', [1, 1], Int8Array]);
    assert.equal(input.zeroPoint, -128);
    assert.equal(Math.fround(input.scale), Math.fround(0.0244801156));
  });

  it('reports shape errors from prepare with subgraph, operator index and op name', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4], dtype: 'float32' });
    const w = b.addConstant({ name: 'w', shape: [3, 4], dtype: 'float32', data: new Float32Array(12) });
    const y = b.addTensor({ name: 'y', shape: [1, 2], dtype: 'float32' });
    b.addOperator('FULLY_CONNECTED', [x, w, NO_TENSOR], [y], { builtinOptions: new FullyConnectedOptionsT() });
    b.addOutput(y);
    const it = new Interpreter(b.build());
    assert.throws(() => it.allocate(), /^InterpreterError: subgraph 0, operator 0 \(FULLY_CONNECTED\): output shape \[1, 2\] does not match/);
  });

  it('resets variable int8 tensors to their zero point, as TFLM does', function () {
    // v: variable int8 [1,2], zero point 7. With v at its zero point, (v - 7) * w = 0 and the
    // output is the bias, 5; had v been zeroed it would be -14 + 5 = -9.
    const b = new ModelBuilder();
    const v = b.addTensor({ name: 'v', shape: [1, 2], dtype: 'int8', isVariable: true, quantization: { scale: [1], zeroPoint: [7] } });
    const w = b.addConstant({ name: 'w', shape: [1, 2], dtype: 'int8', data: new Int8Array([1, 1]), quantization: { scale: [1], zeroPoint: [0] } });
    const bias = b.addConstant({ name: 'b', shape: [1], dtype: 'int32', data: new Int32Array([5]), quantization: { scale: [1], zeroPoint: [0] } });
    const y = b.addTensor({ name: 'y', shape: [1, 1], dtype: 'int8', quantization: { scale: [1], zeroPoint: [0] } });
    b.addOperator('FULLY_CONNECTED', [v, w, bias], [y], { builtinOptions: new FullyConnectedOptionsT() });
    b.addOutput(y);
    const it = new Interpreter(b.build());
    it.allocate();
    it.invoke();
    assert.equal(it.output(0).data[0], 5);
    it.reset();
    it.invoke();
    assert.equal(it.output(0).data[0], 5);
  });

  it('profiles each operator with its name, time and MACs', function () {
    const it = new Interpreter(helloWorldInt8(), { profile: true });
    it.allocate();
    it.invoke();
    const profile = it.profile();
    // Layers 1x1 -> 16 -> 16 -> 1: 16, 256 and 16 multiply-accumulates.
    assert.deepEqual(profile.map((p) => [p.index, p.op, p.macs]), [[0, 'FULLY_CONNECTED', 16], [1, 'FULLY_CONNECTED', 256], [2, 'FULLY_CONNECTED', 16]]);
    for (const p of profile) assert.ok(p.timeMs >= 0 && Number.isFinite(p.timeMs));
  });

  it('times no operator without the profile option', function () {
    const it = new Interpreter(helloWorldInt8());
    it.allocate();
    it.invoke();
    assert.deepEqual(it.profile().map((p) => [p.op, p.macs, p.timeMs]), [['FULLY_CONNECTED', 16, 0], ['FULLY_CONNECTED', 256, 0], ['FULLY_CONNECTED', 16, 0]]);
  });
});
