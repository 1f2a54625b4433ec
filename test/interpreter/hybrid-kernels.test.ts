// Hybrid FULLY_CONNECTED / CONV_2D / DEPTHWISE_CONV_2D (float32 activations, int8 weights), as
// TFLite's EvalHybrid paths compute them: hand-worked models, and TensorFlow's own dynamic-range
// mlp_wide model against the outputs TF's BUILTIN_REF interpreter gave (../shared/golden/tf).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder, NO_TENSOR, type QuantizationSpec } from '../../lib/model/builder.js';
import { loadModel } from '../../lib/model/read.js';
import {
  ActivationFunctionType, Conv2DOptionsT, DepthwiseConv2DOptionsT, FullyConnectedOptionsT, Padding, SVDFOptionsT,
} from '../../lib/model/schema/tflite.js';
import { addLstmOperator } from '../support/lstm-operator.js';
import { SHARED } from '../support/paths.js';

function float32File(file: string): Float32Array {
  const bytes = fs.readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

interface HybridCase {
  op: 'FULLY_CONNECTED' | 'CONV_2D' | 'DEPTHWISE_CONV_2D';
  options: FullyConnectedOptionsT | Conv2DOptionsT | DepthwiseConv2DOptionsT;
  inputShape: number[];
  weightShape: number[];
  weights: number[];
  weightQuantization: QuantizationSpec;
  bias: number[] | null;
  outputShape: number[];
  input: number[];
}

function runHybrid(c: HybridCase): number[] {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: c.inputShape, dtype: 'float32' });
  const w = b.addConstant({ name: 'w', shape: c.weightShape, dtype: 'int8', data: Int8Array.from(c.weights), quantization: c.weightQuantization });
  const bias = c.bias === null ? NO_TENSOR : b.addConstant({ name: 'b', shape: [c.bias.length], dtype: 'float32', data: Float32Array.from(c.bias) });
  const y = b.addTensor({ name: 'y', shape: c.outputShape, dtype: 'float32' });
  b.addOperator(c.op, [x, w, bias], [y], { builtinOptions: c.options });
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  it.setInput(0, Float32Array.from(c.input));
  it.invoke();
  return Array.from(it.output(0).data as Float32Array);
}

function fcOptions(asymmetric: boolean, activation = ActivationFunctionType.NONE): FullyConnectedOptionsT {
  const o = new FullyConnectedOptionsT();
  o.fusedActivationFunction = activation;
  o.asymmetricQuantizeInputs = asymmetric;
  return o;
}

function assertClose(actual: number[], expected: number[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tolerance, `element ${i}: ${a} vs ${expected[i]}`));
}

// The asymmetric row used below: x = [0, 1, 2, -0.55] spans [-0.55, 2], so AsymmetricQuantizeFloats
// gives scale 2.55 / 255 = 0.01 and zero point -128 + 0.55 / 0.01 = -73 (the max side agrees:
// 127 - 2 / 0.01 = -73); q = round(-73 + x / 0.01) = [-73, 27, 127, -128].
const ASYMMETRIC_ROW = [0, 1, 2, -0.55];

describe('interpreter: hybrid kernels (float32 x int8 weights, TFLite EvalHybrid)', function () {
  it('FULLY_CONNECTED, symmetric input, per-tensor weights, bias', function () {
    // x = [1, -2, 0.5]: range 2, input scale 2/127, q = round(x * 63.5) = [64, -127, 32].
    // weights [[1, 2, 3], [-1, 0, 4]] x 0.5: dots 64 - 254 + 96 = -94 and -64 + 128 = 64;
    // y = bias + dot * (2/127 * 0.5) = [0.25 - 94/127, -0.5 + 64/127].
    const y = runHybrid({
      op: 'FULLY_CONNECTED', options: fcOptions(false), inputShape: [1, 3], weightShape: [2, 3], weights: [1, 2, 3, -1, 0, 4],
      weightQuantization: { scale: [0.5], zeroPoint: [0] }, bias: [0.25, -0.5], outputShape: [1, 2], input: [1, -2, 0.5],
    });
    assertClose(y, [0.25 - 94 / 127, -0.5 + 64 / 127], 1e-6);
  });

  it('FULLY_CONNECTED, asymmetric input, per-channel weights, RELU, the zero point removed through the row sums', function () {
    // weights [[1, 1, 1, 1] x 0.1, [2, 0, -1, 0] x 0.2]; row sums 4 and 1.
    // channel 0: dot(w, q) = -73 + 27 + 127 - 128 = -47, minus 4 x -73 -> 245; 245 x 0.01 x 0.1 = 0.245.
    // channel 1: 2 x -73 - 127 = -273, minus 1 x -73 -> -200; -200 x 0.01 x 0.2 = -0.4 -> RELU 0.
    // (Float check: 0.1 x (0 + 1 + 2 - 0.55) = 0.245 and 0.2 x (0 - 2) = -0.4.)
    const y = runHybrid({
      op: 'FULLY_CONNECTED', options: fcOptions(true, ActivationFunctionType.RELU), inputShape: [1, 4], weightShape: [2, 4],
      weights: [1, 1, 1, 1, 2, 0, -1, 0], weightQuantization: { scale: [0.1, 0.2], zeroPoint: [0, 0], quantizedDimension: 0 },
      bias: null, outputShape: [1, 2], input: ASYMMETRIC_ROW,
    });
    assertClose(y, [0.245, 0], 1e-6);
  });

  it('FULLY_CONNECTED quantizes each batch row on its own', function () {
    // Row 0 = [1, -2, 0.5] as in the first test (no bias: -94/127); row 1 = [0.5, 0, 0]: range 0.5,
    // q = [127, 0, 0], dot with [1, 2, 3] = 127, scale 0.5/127 x 0.5 -> 0.25.
    const y = runHybrid({
      op: 'FULLY_CONNECTED', options: fcOptions(false), inputShape: [2, 3], weightShape: [1, 3], weights: [1, 2, 3],
      weightQuantization: { scale: [0.5], zeroPoint: [0] }, bias: null, outputShape: [2, 1], input: [1, -2, 0.5, 0.5, 0, 0],
    });
    assertClose(y, [-94 / 127, 0.25], 1e-6);
  });

  it('FULLY_CONNECTED with an all-zero input gives the bias through the activation (IsZeroVector)', function () {
    const y = runHybrid({
      op: 'FULLY_CONNECTED', options: fcOptions(true, ActivationFunctionType.RELU6), inputShape: [1, 2], weightShape: [3, 2],
      weights: [1, 2, 3, 4, 5, 6], weightQuantization: { scale: [1, 1, 1], zeroPoint: [0, 0, 0], quantizedDimension: 0 },
      bias: [-1, 2.5, 7], outputShape: [1, 3], input: [0, 0],
    });
    assert.deepEqual(y, [0, 2.5, 6]);
  });

  it('CONV_2D, per-channel weights: asymmetric input, acc x channel scale x input scale + bias', function () {
    // A 2x2x1 image = ASYMMETRIC_ROW, two 2x2x1 filters = the FULLY_CONNECTED rows above, VALID:
    // acc 245 and -200 as there -> [0.245, -0.4], + bias [1, 0.5] -> [1.245, 0.1].
    const y = runHybrid({
      op: 'CONV_2D', options: new Conv2DOptionsT(Padding.VALID, 1, 1), inputShape: [1, 2, 2, 1], weightShape: [2, 2, 2, 1],
      weights: [1, 1, 1, 1, 2, 0, -1, 0], weightQuantization: { scale: [0.1, 0.2], zeroPoint: [0, 0], quantizedDimension: 0 },
      bias: [1, 0.5], outputShape: [1, 1, 1, 2], input: ASYMMETRIC_ROW,
    });
    assertClose(y, [1.245, 0.1], 1e-6);
  });

  it('CONV_2D, per-tensor weights: symmetric input, SAME padding', function () {
    // 1x3 image [1, -2, 0.5] (q [64, -127, 32], scale 2/127), filter 1x2 [1, 2] x 0.5, SAME, stride 1:
    // the right neighbour of the last pixel is padding. acc: 64 - 254 = -190, -127 + 64 = -63, 32.
    // y = acc / 127 -> [-190/127, -63/127, 32/127], RELU_N1_TO_1 clamps the first to -1.
    const y = runHybrid({
      op: 'CONV_2D', options: new Conv2DOptionsT(Padding.SAME, 1, 1, ActivationFunctionType.RELU_N1_TO_1), inputShape: [1, 1, 3, 1],
      weightShape: [1, 1, 2, 1], weights: [1, 2], weightQuantization: { scale: [0.5], zeroPoint: [0] }, bias: null,
      outputShape: [1, 1, 3, 1], input: [1, -2, 0.5],
    });
    assertClose(y, [-1, -63 / 127, 32 / 127], 1e-6);
  });

  it('DEPTHWISE_CONV_2D, per-channel weights, asymmetric input', function () {
    // A 1x2 image of 2 channels = ASYMMETRIC_ROW (pixel 0: [0, 1], pixel 1: [2, -0.55]), filter 1x2
    // per channel: channel 0 [1, 1] x 0.1, channel 1 [2, -1] x 0.2, VALID.
    // channel 0: 1 x (-73 + 73) + 1 x (127 + 73) = 200 -> 200 x 0.01 x 0.1 = 0.2 (float: 0.1 x 2).
    // channel 1: 2 x (27 + 73) - 1 x (-128 + 73) = 255 -> 0.51 (float: 0.2 x (2 + 0.55)); bias [0, -0.01].
    const y = runHybrid({
      op: 'DEPTHWISE_CONV_2D', options: new DepthwiseConv2DOptionsT(Padding.VALID, 1, 1, 1), inputShape: [1, 1, 2, 2],
      weightShape: [1, 1, 2, 2], weights: [1, 2, 1, -1], weightQuantization: { scale: [0.1, 0.2], zeroPoint: [0, 0], quantizedDimension: 3 },
      bias: [0, -0.01], outputShape: [1, 1, 1, 2], input: ASYMMETRIC_ROW,
    });
    assertClose(y, [0.2, 0.5], 1e-6);
  });

  it('SVDF, asymmetric input, int8 weights_feature and weights_time, state carried across frames', function () {
    // weights_feature [[1, 1, 1, 1], [2, 0, -1, 0]] x 0.5; frame 1 = ASYMMETRIC_ROW: feature dots 245 and -200
    // (as in the FULLY_CONNECTED test) x 0.01 x 0.5 -> activations [1.225, -1].
    // weights_time [[2, 4], [1, -2]] x 0.25 = [[0.5, 1], [0.25, -0.5]]; state per filter [old, new].
    // frame 1: state [0, 1.225], [0, -1] -> time dots 1.225 and 0.5; + bias [0.1, -0.2] -> [1.325, 0.3].
    // frame 2 (all zeros: no matmul, activations 0): state [1.225, 0], [-1, 0] -> 0.6125 and -0.25 -> [0.7125, -0.45].
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4], dtype: 'float32' });
    const wf = b.addConstant({ name: 'wf', shape: [2, 4], dtype: 'int8', data: Int8Array.from([1, 1, 1, 1, 2, 0, -1, 0]), quantization: { scale: [0.5], zeroPoint: [0] } });
    const wt = b.addConstant({ name: 'wt', shape: [2, 2], dtype: 'int8', data: Int8Array.from([2, 4, 1, -2]), quantization: { scale: [0.25], zeroPoint: [0] } });
    const bias = b.addConstant({ name: 'b', shape: [2], dtype: 'float32', data: Float32Array.from([0.1, -0.2]) });
    const state = b.addTensor({ name: 'state', shape: [1, 4], dtype: 'float32', isVariable: true });
    const y = b.addTensor({ name: 'y', shape: [1, 2], dtype: 'float32' });
    const options = new SVDFOptionsT();
    options.rank = 1;
    options.asymmetricQuantizeInputs = true;
    b.addOperator('SVDF', [x, wf, wt, bias, state], [y], { builtinOptions: options });
    b.addOutput(y);
    const it = new Interpreter(b.build());
    it.allocate();
    it.setInput(0, Float32Array.from(ASYMMETRIC_ROW));
    it.invoke();
    assertClose(Array.from(it.output(0).data as Float32Array), [1.325, 0.3], 1e-6);
    it.setInput(0, new Float32Array(4));
    it.invoke();
    assertClose(Array.from(it.output(0).data as Float32Array), [0.7125, -0.45], 1e-6);
  });

  it('UNIDIRECTIONAL_SEQUENCE_LSTM: int8 gate weights, the input step then the recurrent step, zero blocks skipped', function () {
    // One unit, one input, two time steps x = [2, 0]; every input weight 127 x 0.01, every recurrent
    // weight 64 x 0.02, biases 0. Symmetric quantization of a single value v gives q = 127, scale |v|/127.
    // step 1: hidden 0 (recurrent matmul skipped); each gate sums 127 x 127 x (2/127) x 0.01 = 2.54:
    //   i = f = o = sigmoid(2.54), g = tanh(2.54), c1 = i g, h1 = o tanh(c1).
    // step 2: input 0 (input matmul skipped); each gate 64 x 127 x (h1/127) x 0.02 = 1.28 h1:
    //   c2 = f c1 + i g, h2 = o tanh(c2) with i = f = o = sigmoid(1.28 h1), g = tanh(1.28 h1).
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 2, 1], dtype: 'float32' });
    const weight = (name: string, value: number, scale: number): number =>
      b.addConstant({ name, shape: [1, 1], dtype: 'int8', data: Int8Array.from([value]), quantization: { scale: [scale], zeroPoint: [0] } });
    const inputWeights = ['wi', 'wf', 'wc', 'wo'].map((n) => weight(n, 127, 0.01));
    const recurrentWeights = ['ri', 'rf', 'rc', 'ro'].map((n) => weight(n, 64, 0.02));
    const biases = ['bi', 'bf', 'bc', 'bo'].map((n) => b.addConstant({ name: n, shape: [1], dtype: 'float32', data: Float32Array.from([0]) }));
    const hidden = b.addTensor({ name: 'h', shape: [1, 1], dtype: 'float32', isVariable: true });
    const cell = b.addTensor({ name: 'c', shape: [1, 1], dtype: 'float32', isVariable: true });
    const y = b.addTensor({ name: 'y', shape: [1, 2, 1], dtype: 'float32' });
    addLstmOperator(b, { x, inputWeights, recurrentWeights, biases, hidden, cell, y });
    const it = new Interpreter(b.build());
    it.allocate();
    it.setInput(0, Float32Array.from([2, 0]));
    it.invoke();
    const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
    const c1 = sigmoid(2.54) * Math.tanh(2.54);
    const h1 = sigmoid(2.54) * Math.tanh(c1);
    const a = 1.28 * h1;
    const c2 = sigmoid(a) * c1 + sigmoid(a) * Math.tanh(a);
    const h2 = sigmoid(a) * Math.tanh(c2);
    assertClose(Array.from(it.output(0).data as Float32Array), [h1, h2], 1e-6);
  });

  it('rejects a hybrid op whose bias is not float32', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 2], dtype: 'float32' });
    const w = b.addConstant({ name: 'w', shape: [1, 2], dtype: 'int8', data: Int8Array.from([1, 2]), quantization: { scale: [1], zeroPoint: [0] } });
    const bias = b.addConstant({ name: 'b', shape: [1], dtype: 'int32', data: Int32Array.from([1]) });
    const y = b.addTensor({ name: 'y', shape: [1, 1], dtype: 'float32' });
    b.addOperator('FULLY_CONNECTED', [x, w, bias], [y], { builtinOptions: fcOptions(true) });
    b.addOutput(y);
    assert.throws(() => new Interpreter(b.build()).allocate(), /FULLY_CONNECTED.*float32 bias, got int32/);
  });

  it("TensorFlow's mlp_wide.dynamic.tflite (hybrid FC v12, per-channel, asymmetric inputs) matches TF's outputs", function () {
    const model = loadModel(new Uint8Array(fs.readFileSync(path.join(SHARED, 'models/keras/mlp_wide.dynamic.tflite'))));
    const samples = float32File(path.join(SHARED, 'golden/tf/mlp_wide.eval.f32'));
    const expected = float32File(path.join(SHARED, 'golden/tf/mlp_wide.dynamic.eval_out.bin'));
    const it = new Interpreter(model);
    it.allocate();
    const inputSize = samples.length / 50;
    const outputSize = expected.length / 50;
    let maxAbs = 0;
    let exact = 0;
    for (let s = 0; s < 50; s++) {
      it.setInput(0, samples.subarray(s * inputSize, (s + 1) * inputSize));
      it.invoke();
      const y = it.output(0).data as Float32Array;
      for (let j = 0; j < outputSize; j++) {
        const d = Math.abs(y[j] - expected[s * outputSize + j]);
        if (d === 0) exact++;
        maxAbs = Math.max(maxAbs, d);
      }
    }
    // Measured: 499/500 elements bit-equal, the other one 1 ulp (2.2e-16) off on a probability of ~2e-9.
    assert.ok(maxAbs <= 1e-12, `max abs difference ${maxAbs}`);
    assert.ok(exact >= 495, `${exact}/500 equal`);
  });
});
