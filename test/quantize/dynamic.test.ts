// Dynamic-range quantization measured against TensorFlow 2.21's converter: for every float model
// in ../shared/models/keras, our dynamic model beside TF's NAME.dynamic.tflite (tensors, weight
// scales and bytes, size) and our model's outputs beside TF's (../shared/golden/tf).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { loadModel } from '../../lib/model/read.js';
import {
  Conv2DOptionsT, DepthwiseConv2DOptionsT, FullyConnectedOptionsT, Padding, SVDFOptionsT, UnidirectionalSequenceLSTMOptionsT,
} from '../../lib/model/schema/tflite.js';
import type { Model, Tensor } from '../../lib/model/types.js';
import { writeModel } from '../../lib/model/write.js';
import { DynamicQuantizeError, quantizeDynamic, quantizeWeightsSymmetric } from '../../lib/quantize/dynamic.js';
import { addLstmOperator } from '../support/lstm-operator.js';
import { SHARED } from '../support/paths.js';

const KERAS = path.join(SHARED, 'models/keras');
const GOLDEN = path.join(SHARED, 'golden/tf');
const NAMES = fs.readdirSync(KERAS).filter((f) => f.endsWith('.float.tflite')).map((f) => f.replace('.float.tflite', '')).sort();

function float32File(file: string): Float32Array {
  const bytes = fs.readFileSync(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function load(name: string, variant: string): { model: Model; size: number } {
  const bytes = new Uint8Array(fs.readFileSync(path.join(KERAS, `${name}.${variant}.tflite`)));
  return { model: loadModel(bytes), size: bytes.length };
}

function byName(model: Model): Map<string, Tensor> {
  return new Map(model.subgraphs[0].tensors.map((t) => [t.name, t]));
}

/** The model's outputs on the 50 eval samples against TF's outputs for its dynamic model: max |diff|. */
function maxOutputDifference(model: Model, name: string): number {
  const samples = float32File(path.join(GOLDEN, `${name}.eval.f32`));
  const expected = float32File(path.join(GOLDEN, `${name}.dynamic.eval_out.bin`));
  const it = new Interpreter(model);
  it.allocate();
  const inputSize = samples.length / 50;
  const outputSize = expected.length / 50;
  let maxAbs = 0;
  for (let s = 0; s < 50; s++) {
    it.setInput(0, samples.subarray(s * inputSize, (s + 1) * inputSize));
    it.invoke();
    const y = it.output(0).data as Float32Array;
    for (let j = 0; j < outputSize; j++) maxAbs = Math.max(maxAbs, Math.abs(y[j] - expected[s * outputSize + j]));
  }
  return maxAbs;
}

/** Both models (written and read back) on the same inputs, one invoke each in order: max |diff| and the float peak. */
function hybridVersusFloat(float: Model, hybrid: Model, inputs: Float32Array[]): { maxAbs: number; peak: number } {
  const run = (m: Model): number[] => {
    const it = new Interpreter(loadModel(writeModel(m)));
    it.allocate();
    return inputs.flatMap((input) => {
      it.setInput(0, input);
      it.invoke();
      return Array.from(it.output(0).data as Float32Array);
    });
  };
  const reference = run(float);
  const ours = run(hybrid);
  let maxAbs = 0;
  let peak = 0;
  reference.forEach((v, i) => { maxAbs = Math.max(maxAbs, Math.abs(v - ours[i])); peak = Math.max(peak, Math.abs(v)); });
  return { maxAbs, peak };
}

describe('quantize: dynamic range against TensorFlow 2.21', function () {
  it('has the seven Keras models to compare', function () {
    assert.deepEqual(NAMES, ['accel_cnn1d', 'dense_autoencoder', 'kws_dscnn_tiny', 'misc_acts', 'mlp_wide', 'mobilenet_block', 'sine_mlp']);
  });

  for (const name of NAMES) {
    describe(name, function () {
      const float = load(name, 'float');
      const tf = load(name, 'dynamic');
      const ours = quantizeDynamic(float.model, { mode: 'dynamic' });
      const bytes = writeModel(ours.model);
      const reread = loadModel(bytes);

      it("has TF's tensors: same names, dtypes, shapes and quantized dimensions; weight scales and bytes equal", function () {
        const theirs = byName(tf.model);
        assert.equal(reread.subgraphs[0].tensors.length, tf.model.subgraphs[0].tensors.length);
        for (const tensor of reread.subgraphs[0].tensors) {
          const other = theirs.get(tensor.name);
          assert.ok(other !== undefined, `TF has no tensor named ${tensor.name}`);
          assert.equal(tensor.dtype, other.dtype, tensor.name);
          assert.deepEqual(tensor.shape, other.shape, tensor.name);
          assert.deepEqual(tensor.quantization?.scale ?? [], other.quantization?.scale ?? [], `${tensor.name} scales`);
          assert.deepEqual(tensor.quantization?.zeroPoint ?? [], other.quantization?.zeroPoint ?? [], `${tensor.name} zero points`);
          if (tensor.quantization !== null) assert.equal(tensor.quantization.quantizedDimension, other.quantization?.quantizedDimension, tensor.name);
          // Weights and biases: the same bytes (the int8 weights included, no rounding tie went the other way).
          assert.deepEqual(tensor.data === null ? null : Array.from(tensor.data), other.data === null ? null : Array.from(other.data), `${tensor.name} data`);
        }
      });

      it("has TF's operators, op versions and FULLY_CONNECTED options", function () {
        const ops = (m: Model): string[] => m.subgraphs[0].operators.map((o) => {
          const fc = o.builtinOptions instanceof FullyConnectedOptionsT ? ` asymmetric=${o.builtinOptions.asymmetricQuantizeInputs}` : '';
          return `${o.op} v${o.version}${fc}`;
        });
        assert.deepEqual(ops(reread), ops(tf.model));
      });

      it("is within 2% of TF's size (or smaller)", function () {
        // Our writer lays flatbuffers out a little more tightly than TF's, so we come out smaller.
        assert.ok(bytes.length <= tf.size * 1.02, `ours ${bytes.length} bytes, TF ${tf.size}`);
        assert.ok(bytes.length >= tf.size * 0.9, `ours ${bytes.length} bytes, TF ${tf.size}`);
      });

      it("gives TF's outputs on the eval samples (within float32 rounding)", function () {
        const maxAbs = maxOutputDifference(reread, name);
        // Measured: 2.2e-16 for mlp_wide (499/500 bit-equal), 2.4e-7 for misc_acts (whose float model
        // differs from TF by as much: float TANH / LOGISTIC), 0 for the other five.
        assert.ok(maxAbs <= 1e-6, `max |ours - TF| ${maxAbs}`);
      });

      if (name === 'mlp_wide') {
        it('quantizes the two weights of 8192 elements, leaves the 640-element one float, says TFLM cannot run it', function () {
          assert.deepEqual(ours.tensors.map((t) => [t.name, t.dtype, t.scale.length]), [
            ['mlp_wide_1/dense_1/MatMul', 'int8', 128], ['mlp_wide_1/dense_1_2/MatMul', 'int8', 64],
          ]);
          for (const t of ours.tensors) assert.ok(t.sqnrDb !== null && t.sqnrDb > 30, `${t.name} SQNR ${t.sqnrDb} dB`);
          assert.equal(ours.runsOnTflm, false);
          assert.ok(ours.notes.some((n) => /TFLM does not run hybrid/.test(n)));
          assert.equal(new TextDecoder().decode(reread.metadata.min_runtime_version).replace(/\0+$/, ''), '2.17.0');
        });
      } else {
        it('stays the float model: the same bytes as the float model rewritten, nothing quantized', function () {
          assert.deepEqual(bytes, writeModel(float.model));
          assert.equal(ours.tensors.length, 0);
          assert.equal(ours.runsOnTflm, true);
          assert.ok(ours.notes.some((n) => /Nothing was quantized/.test(n)));
        });
      }
    });
  }

  it('refuses an already-quantized model, naming the tensor', function () {
    const { model } = load('sine_mlp', 'int8');
    assert.throws(() => quantizeDynamic(model, { mode: 'dynamic' }), (e: unknown) => e instanceof DynamicQuantizeError && /already quantized: subgraph 0 tensor \d+ '.*' is int8/.test(e.message));
  });

  it('refuses a mode other than dynamic', function () {
    const { model } = load('sine_mlp', 'float');
    assert.throws(() => quantizeDynamic(model, { mode: 'int8' }), /mode 'dynamic', got 'int8'/);
  });

  it('quantizeWeightsSymmetric: scale max|w|/127 per channel, round half away from zero, an all-zero channel gets scale 1', function () {
    // Channel 0 [127, -63.5, 0.5]: scale 1, q = [127, -64, 1] (ties away from zero); channel 1 zeros: scale 1.
    // Channel of [0.254, -0.1, 0]: scale 0.002, q = [127, -50, 0].
    const q = quantizeWeightsSymmetric(Float32Array.from([127, -63.5, 0.5, 0, 0, 0, 0.254, -0.1, 0]), [3, 3], 0);
    assert.deepEqual(Array.from(q.data), [127, -64, 1, 0, 0, 0, 127, -50, 0]);
    assert.deepEqual(q.scales, [1, 1, Math.fround(Math.fround(0.254) / 127)]);
    const perTensor = quantizeWeightsSymmetric(Float32Array.from([2.54, 1, -1]), [1, 3], -1);
    assert.deepEqual(Array.from(perTensor.data), [127, 50, -50]);
  });

  it('quantizes CONV_2D per channel on axis 0 and DEPTHWISE_CONV_2D on axis 3, and the result runs close to the float model', function () {
    // A 4x4x8 image -> CONV_2D 3x3, 16 filters (1152 weights) -> DEPTHWISE_CONV_2D 3x3 x 16 (144 weights,
    // stays float) ; weights from a fixed formula.
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 4, 4, 8], dtype: 'float32' });
    const convWeights = Float32Array.from({ length: 16 * 3 * 3 * 8 }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 16) / 8));
    const w = b.addConstant({ name: 'conv/w', shape: [16, 3, 3, 8], dtype: 'float32', data: convWeights });
    const bias = b.addConstant({ name: 'conv/b', shape: [16], dtype: 'float32', data: Float32Array.from({ length: 16 }, (_, i) => i * 0.01) });
    const h = b.addTensor({ name: 'h', shape: [1, 4, 4, 16], dtype: 'float32' });
    b.addOperator('CONV_2D', [x, w, bias], [h], { builtinOptions: new Conv2DOptionsT(Padding.SAME, 1, 1) });
    const dw = b.addConstant({ name: 'dw/w', shape: [1, 3, 3, 16], dtype: 'float32', data: Float32Array.from({ length: 144 }, (_, i) => Math.cos(i)) });
    const y = b.addTensor({ name: 'y', shape: [1, 4, 4, 16], dtype: 'float32' });
    b.addOperator('DEPTHWISE_CONV_2D', [h, dw, -1], [y], { builtinOptions: new DepthwiseConv2DOptionsT(Padding.SAME, 1, 1, 1) });
    b.addOutput(y);
    const model = b.build();
    const result = quantizeDynamic(model, { mode: 'dynamic' });
    assert.deepEqual(result.tensors.map((t) => [t.name, t.scale.length]), [['conv/w', 16]]);
    const conv = result.model.subgraphs[0].operators[0];
    assert.equal(conv.version, 5);
    assert.equal(result.model.subgraphs[0].tensors[w].quantization?.quantizedDimension, 0);
    // Per tensor when asked: version 2.
    assert.equal(quantizeDynamic(model, { mode: 'dynamic', perChannel: false }).model.subgraphs[0].operators[0].version, 2);

    const { maxAbs, peak } = hybridVersusFloat(model, result.model, [Float32Array.from({ length: 128 }, (_, i) => Math.cos(i * 0.11))]);
    // int8 weights and an int8 input: errors of a few percent of the output range at most.
    assert.ok(maxAbs < 0.03 * peak, `max |hybrid - float| ${maxAbs} of peak ${peak}`);
    assert.ok(maxAbs > 0, 'the hybrid path really ran');
  });


  it('quantizes SVDF weights_feature (>= 1024 elements) and weights_time per tensor, version 4, asymmetric inputs; runs close to float', function () {
    // rank 2, 16 filters (8 units), input 80 (1280 feature weights), memory 6 (96 time weights, int8 as TFLite's hybrid SVDF needs).
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 80], dtype: 'float32' });
    const wf = b.addConstant({ name: 'svdf/feature', shape: [16, 80], dtype: 'float32', data: Float32Array.from({ length: 1280 }, (_, i) => Math.sin(i * 0.7) * 0.3) });
    const wt = b.addConstant({ name: 'svdf/time', shape: [16, 6], dtype: 'float32', data: Float32Array.from({ length: 96 }, (_, i) => Math.cos(i * 1.3)) });
    const bias = b.addConstant({ name: 'svdf/bias', shape: [8], dtype: 'float32', data: Float32Array.from({ length: 8 }, (_, i) => 0.1 * i - 0.3) });
    const state = b.addTensor({ name: 'svdf/state', shape: [1, 96], dtype: 'float32', isVariable: true });
    const y = b.addTensor({ name: 'y', shape: [1, 8], dtype: 'float32' });
    const svdfOptions = new SVDFOptionsT();
    svdfOptions.rank = 2;
    b.addOperator('SVDF', [x, wf, wt, bias, state], [y], { builtinOptions: svdfOptions });
    b.addOutput(y);
    const model = b.build();
    const result = quantizeDynamic(model, { mode: 'dynamic' });
    assert.deepEqual(result.tensors.map((t) => [t.name, t.scale.length]), [['svdf/feature', 1], ['svdf/time', 1]]);
    const op = result.model.subgraphs[0].operators[0];
    assert.equal(op.version, 4);
    assert.ok(op.builtinOptions instanceof SVDFOptionsT && op.builtinOptions.asymmetricQuantizeInputs && op.builtinOptions.rank === 2);
    const frames = Array.from({ length: 8 }, (_, f) => Float32Array.from({ length: 80 }, (_, i) => Math.sin(i * 0.21 + f)));
    const { maxAbs, peak } = hybridVersusFloat(model, result.model, frames);
    assert.ok(maxAbs < 0.03 * peak && maxAbs > 0, `max |hybrid - float| ${maxAbs} of peak ${peak}`);
  });


  it('quantizes all eight UNIDIRECTIONAL_SEQUENCE_LSTM gate matrices per tensor (input-to-forget >= 1024 elements), version 3; runs close to float', function () {
    // 32 units, 40 inputs (1280 input-to-gate weights), 16 batch-major time steps.
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 16, 40], dtype: 'float32' });
    const matrix = (name: string, rows: number, columns: number, seed: number): number => b.addConstant({
      name, shape: [rows, columns], dtype: 'float32', data: Float32Array.from({ length: rows * columns }, (_, i) => 0.2 * Math.sin(i * 0.37 + seed)),
    });
    const inputWeights = [0, 1, 2, 3].map((g) => matrix(`lstm/input_to_gate_${g}`, 32, 40, g));
    const recurrentWeights = [0, 1, 2, 3].map((g) => matrix(`lstm/recurrent_to_gate_${g}`, 32, 32, 10 + g));
    const biases = [0, 1, 2, 3].map((g) => b.addConstant({ name: `lstm/bias_${g}`, shape: [32], dtype: 'float32', data: Float32Array.from({ length: 32 }, (_, i) => (g === 1 ? 1 : 0) + 0.01 * i) }));
    const hidden = b.addTensor({ name: 'lstm/h', shape: [1, 32], dtype: 'float32', isVariable: true });
    const cell = b.addTensor({ name: 'lstm/c', shape: [1, 32], dtype: 'float32', isVariable: true });
    const y = b.addTensor({ name: 'y', shape: [1, 16, 32], dtype: 'float32' });
    addLstmOperator(b, { x, inputWeights, recurrentWeights, biases, hidden, cell, y });
    const model = b.build();
    const result = quantizeDynamic(model, { mode: 'dynamic' });
    assert.equal(result.tensors.length, 8);
    assert.ok(result.tensors.every((t) => t.dtype === 'int8' && t.scale.length === 1));
    const op = result.model.subgraphs[0].operators[0];
    assert.equal(op.version, 3);
    assert.ok(op.builtinOptions instanceof UnidirectionalSequenceLSTMOptionsT && op.builtinOptions.asymmetricQuantizeInputs);
    const { maxAbs } = hybridVersusFloat(model, result.model, [Float32Array.from({ length: 640 }, (_, i) => Math.sin(i * 0.13))]);
    // Hidden values lie in (-1, 1); int8 weights and inputs move them by a few hundredths at most.
    assert.ok(maxAbs < 0.03 && maxAbs > 0, `max |hybrid - float| ${maxAbs}`);
  });
});
