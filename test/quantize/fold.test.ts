// Folding before quantization, on small float models built here: BatchNorm-like MUL/ADD by
// per-channel constants after CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED go into the weights
// and bias, a following RELU/RELU6 into fused_activation_function. The folded model must give the
// original's outputs (float32: within 1e-5), with the folded ops gone.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/interpreter.js';
import { ModelBuilder, NO_TENSOR } from '../../lib/model/builder.js';
import {
  ActivationFunctionType, AddOptionsT, Conv2DOptionsT, DepthwiseConv2DOptionsT, FullyConnectedOptionsT, MulOptionsT, Padding,
} from '../../lib/model/schema/tflite.js';
import type { Model } from '../../lib/model/types.js';
import { foldModel } from '../../lib/quantize/fold.js';
import { quantizeFullInteger } from '../../lib/quantize/full-integer.js';

/** Deterministic values in [-1, 1) (a linear congruential generator), so the test needs no seed library. */
function values(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

function run(model: Model, input: Float32Array): Float32Array {
  const interpreter = new Interpreter(model);
  interpreter.allocate();
  interpreter.setInput(0, input);
  interpreter.invoke();
  return Float32Array.from(interpreter.output(0).data as Float32Array);
}

function assertSameOutputs(a: Model, b: Model, inputCount: number): void {
  for (let trial = 0; trial < 5; trial++) {
    const input = values(inputCount, 100 + trial).map((v) => 3 * v);
    const [x, y] = [run(a, input), run(b, input)];
    x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= 1e-5, `element ${i}: ${v} vs ${y[i]}`));
  }
}

/** input [1,5,5,2] -> CONV_2D 3x3 (3 channels) -> MUL [3] -> ADD [3] -> RELU6. */
function convBatchNorm(withBias: boolean): Model {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: [1, 5, 5, 2], dtype: 'float32' });
  const w = b.addConstant({ name: 'conv/w', shape: [3, 3, 3, 2], dtype: 'float32', data: values(54, 1) });
  const bias = withBias ? b.addConstant({ name: 'conv/b', shape: [3], dtype: 'float32', data: values(3, 2) }) : NO_TENSOR;
  const c = b.addTensor({ name: 'conv', shape: [1, 5, 5, 3], dtype: 'float32' });
  b.addOperator('CONV_2D', [x, w, bias], [c], { builtinOptions: new Conv2DOptionsT(Padding.SAME, 1, 1) });
  const s = b.addConstant({ name: 'bn/scale', shape: [3], dtype: 'float32', data: Float32Array.of(0.5, -2, 1.5) });
  const m = b.addTensor({ name: 'bn/mul', shape: [1, 5, 5, 3], dtype: 'float32' });
  b.addOperator('MUL', [c, s], [m], { builtinOptions: new MulOptionsT() });
  const t = b.addConstant({ name: 'bn/offset', shape: [1, 1, 1, 3], dtype: 'float32', data: Float32Array.of(0.25, -0.5, 1) });
  const a = b.addTensor({ name: 'bn/add', shape: [1, 5, 5, 3], dtype: 'float32' });
  b.addOperator('ADD', [m, t], [a], { builtinOptions: new AddOptionsT() });
  const y = b.addTensor({ name: 'relu6', shape: [1, 5, 5, 3], dtype: 'float32' });
  b.addOperator('RELU6', [a], [y]);
  b.addOutput(y);
  return b.build();
}

describe('quantize: folding before quantization', () => {
  for (const withBias of [true, false]) {
    it(`CONV_2D ${withBias ? 'with' : 'without'} bias -> MUL -> ADD -> RELU6 folds into one CONV_2D with RELU6, same outputs`, () => {
      const model = convBatchNorm(withBias);
      const folded = foldModel(model);
      const ops = folded.model.subgraphs[0].operators;
      assert.deepEqual(ops.map((op) => op.op), ['CONV_2D']);
      assert.equal((ops[0].builtinOptions as Conv2DOptionsT).fusedActivationFunction, ActivationFunctionType.RELU6);
      assert.equal(folded.notes.length, 3);
      // The folded op writes the old last tensor (its name stays the model's output).
      const main = folded.model.subgraphs[0];
      assert.equal(main.tensors[main.outputs[0]].name, 'relu6');
      assert.ok(!main.tensors.some((t) => t.name === 'bn/mul' || t.name === 'bn/scale'));
      assertSameOutputs(model, folded.model, 50);
    });
  }

  it('DEPTHWISE_CONV_2D -> MUL (per channel, axis 3) folds; FULLY_CONNECTED -> ADD -> RELU folds', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4, 4, 2], dtype: 'float32' });
    const w = b.addConstant({ name: 'dw/w', shape: [1, 3, 3, 4], dtype: 'float32', data: values(36, 3) });
    const bias = b.addConstant({ name: 'dw/b', shape: [4], dtype: 'float32', data: values(4, 4) });
    const d = b.addTensor({ name: 'dw', shape: [1, 4, 4, 4], dtype: 'float32' });
    b.addOperator('DEPTHWISE_CONV_2D', [x, w, bias], [d], { builtinOptions: new DepthwiseConv2DOptionsT(Padding.SAME, 1, 1, 2) });
    const s = b.addConstant({ name: 'dw/scale', shape: [4], dtype: 'float32', data: Float32Array.of(2, -1, 0.5, 3) });
    const m = b.addTensor({ name: 'dw/mul', shape: [1, 4, 4, 4], dtype: 'float32' });
    b.addOperator('MUL', [s, d], [m], { builtinOptions: new MulOptionsT() });
    const shape = b.addConstant({ name: 'shape', shape: [2], dtype: 'int32', data: Int32Array.of(1, 64) });
    const r = b.addTensor({ name: 'flat', shape: [1, 64], dtype: 'float32' });
    b.addOperator('RESHAPE', [m, shape], [r]);
    const fw = b.addConstant({ name: 'fc/w', shape: [3, 64], dtype: 'float32', data: values(192, 5) });
    const f = b.addTensor({ name: 'fc', shape: [1, 3], dtype: 'float32' });
    b.addOperator('FULLY_CONNECTED', [r, fw, NO_TENSOR], [f], { builtinOptions: new FullyConnectedOptionsT() });
    const t = b.addConstant({ name: 'fc/offset', shape: [3], dtype: 'float32', data: Float32Array.of(1, -1, 0.5) });
    const a = b.addTensor({ name: 'fc/add', shape: [1, 3], dtype: 'float32' });
    b.addOperator('ADD', [f, t], [a], { builtinOptions: new AddOptionsT() });
    const y = b.addTensor({ name: 'relu', shape: [1, 3], dtype: 'float32' });
    b.addOperator('RELU', [a], [y]);
    b.addOutput(y);
    const model = b.build();
    const folded = foldModel(model);
    assert.deepEqual(folded.model.subgraphs[0].operators.map((op) => op.op), ['DEPTHWISE_CONV_2D', 'RESHAPE', 'FULLY_CONNECTED']);
    assertSameOutputs(model, folded.model, 32);
  });

  it('leaves alone: an activation already fused, a non-constant MUL operand, an output used twice', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4], dtype: 'float32' });
    const w = b.addConstant({ name: 'w', shape: [4, 4], dtype: 'float32', data: values(16, 7) });
    const f = b.addTensor({ name: 'fc', shape: [1, 4], dtype: 'float32' });
    b.addOperator('FULLY_CONNECTED', [x, w, NO_TENSOR], [f], { builtinOptions: new FullyConnectedOptionsT() });
    const m = b.addTensor({ name: 'mul', shape: [1, 4], dtype: 'float32' });
    b.addOperator('MUL', [f, x], [m], { builtinOptions: new MulOptionsT() });
    const f2 = b.addTensor({ name: 'fc2', shape: [1, 4], dtype: 'float32' });
    b.addOperator('FULLY_CONNECTED', [m, w, NO_TENSOR], [f2], { builtinOptions: new FullyConnectedOptionsT(ActivationFunctionType.RELU) });
    const y = b.addTensor({ name: 'relu', shape: [1, 4], dtype: 'float32' });
    b.addOperator('RELU', [f2], [y]);
    const z = b.addTensor({ name: 'sum', shape: [1, 4], dtype: 'float32' });
    b.addOperator('ADD', [y, m], [z], { builtinOptions: new AddOptionsT() });
    b.addOutput(z);
    const model = b.build();
    const folded = foldModel(model);
    assert.equal(folded.model, model);
    assert.deepEqual(folded.notes, []);
  });

  it('quantizeFullInteger folds first and says so in its notes', () => {
    const model = convBatchNorm(true);
    const representative = [0, 1, 2, 3].map((seed) => [values(50, 10 + seed).map((v) => 3 * v)]);
    const result = quantizeFullInteger(model, { mode: 'int8', representative });
    assert.deepEqual(result.model.subgraphs[0].operators.map((op) => op.op), ['CONV_2D']);
    assert.ok(result.notes.some((n) => n.includes('folded MUL')));
  });
});
