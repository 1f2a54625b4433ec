// The quantize node in a running flow, measured against TensorFlow: TF's own int8 models of the
// Keras models in ../shared/models/keras (calibrated on the same golden/tf samples) set the error
// our quantized output may have (MAE within 1.1x, top-1 agreement within one sample in 50).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/interpreter.js';
import { loadModel } from '../../lib/model/read.js';
import type { QuantizeReport } from '../../lib/quantize/types.js';
import type { NodeMessage } from '../../nodes/types.js';
import { GOLDEN_TF, KERAS_MODELS, goldenSamples, kerasModel, meanAbsError, runModel, top1Agreements } from '../quantize/support.js';
import { TAB, helper, inputTo, nodeModule, received, statuses, tempDir, until } from './helpers.js';

const modelNode = nodeModule('tinyml-model');
const quantizeNode = nodeModule('quantize');

function flow(modelFile: string | null, options: object = {}): object[] {
  return [
    TAB,
    ...(modelFile ? [{ id: 'm1', type: 'tinyml-model', name: '', source: 'file', path: modelFile }] : []),
    { id: 'q', type: 'tinyml-quantize', z: 'tab1', model: modelFile ? 'm1' : '', mode: 'int8', io: '', perChannelFc: true, ...options, wires: [['out']] },
    { id: 'out', type: 'helper', z: 'tab1' },
    { id: 'catcher', type: 'catch', z: 'tab1', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab1' },
  ];
}

/** TensorFlow's int8 model of NAME against the float model on the eval set, run in our interpreter. */
function tfBaseline(name: string): { mae: number; top1: number; evalCount: number } {
  const evaluation = goldenSamples(name, 'eval');
  const reference = runModel(kerasModel(name, 'float'), evaluation);
  const tf = runModel(kerasModel(name, 'int8'), evaluation);
  return { mae: meanAbsError(tf, reference), top1: top1Agreements(tf, reference), evalCount: evaluation.length };
}

function errorText(msg: NodeMessage): string {
  return (msg.error as { message: string }).message;
}

describe('nodes/quantize', function () {
  this.timeout(60000);
  let userDir: string;

  beforeEach(function (done) {
    userDir = tempDir('quantize');
    helper.settings({ userDir });
    helper.startServer(done);
  });

  afterEach(function (done) {
    fs.rmSync(userDir, { recursive: true, force: true });
    helper.unload().then(() => helper.stopServer(done));
  });

  it('sine_mlp with representative and evaluation files: a model that runs, MAE within 1.1x of TF\'s int8', function (done) {
    const options = { data: path.join(GOLDEN_TF, 'sine_mlp.representative.f32'), evaluation: path.join(GOLDEN_TF, 'sine_mlp.eval.f32') };
    helper.load([modelNode, quantizeNode], flow(path.join(KERAS_MODELS, 'sine_mlp.float.tflite'), options), function () {
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      const seen = statuses(helper.getNode('q'));
      inputTo(helper.getNode('q'), { topic: 'quantize' });
      until('the quantized model', () => out.length + caught.length > 0, 50000).then(() => {
        assert.deepEqual(caught.map(errorText), []);
        const msg = out[0];
        assert.ok(Buffer.isBuffer(msg.payload));
        assert.equal(msg.filename, 'sine_mlp_int8.tflite');
        const report = msg.report as QuantizeReport;
        assert.equal(report.mode, 'int8');
        assert.equal(report.evaluatedOn, 'evaluation');
        assert.equal(report.samples, 50);
        assert.equal(report.sizeAfter, (msg.payload as Buffer).length);
        assert.match(msg.reportText as string, /^Quantization: int8/);
        // The Buffer is a model our interpreter loads and runs; its error, measured here, is the report's.
        const interpreter = new Interpreter(loadModel(msg.payload as Buffer));
        interpreter.allocate();
        assert.equal(interpreter.input(0).dtype, 'int8');
        const evaluation = goldenSamples('sine_mlp', 'eval');
        const mae = meanAbsError(runModel(msg.payload as Buffer, evaluation), runModel(kerasModel('sine_mlp', 'float'), evaluation));
        assert.ok(Math.abs(report.outputs[0].mae - mae) <= 1e-6 * Math.max(1, mae), `report ${report.outputs[0].mae} vs measured ${mae}`);
        const tf = tfBaseline('sine_mlp');
        assert.ok(mae <= 1.1 * tf.mae, `MAE ${mae} > 1.1 x TF's ${tf.mae}`);
        // Status: progress while calibrating, then the summary.
        const texts = seen.map((s) => s.text ?? '');
        assert.ok(texts.includes('calibrating 100/100'), texts.join(' | '));
        assert.ok(texts.includes('evaluating 50/50'), texts.join(' | '));
        assert.match(texts.at(-1) ?? '', /^int8 · [\d.]+ kB \([\d.]+x (smaller|larger)\) · MAE [\d.e+-]+$/);
        done();
      }).catch(done);
    });
  });

  it('kws_dscnn_tiny from collected messages, labels from the message: top-1 and MAE as good as TF\'s int8', function (done) {
    helper.load([modelNode, quantizeNode], flow(path.join(KERAS_MODELS, 'kws_dscnn_tiny.float.tflite'), { collectTopic: 'calib' }), function () {
      const q = helper.getNode('q');
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      const seen = statuses(q);
      const representative = goldenSamples('kws_dscnn_tiny', 'representative');
      const evaluation = goldenSamples('kws_dscnn_tiny', 'eval');
      const labels = JSON.parse(fs.readFileSync(path.join(GOLDEN_TF, 'kws_dscnn_tiny.eval_labels.json'), 'utf8')) as number[];
      for (const sample of representative) inputTo(q, { topic: 'calib', payload: sample[0] });
      until('100 collected', () => seen.some((s) => s.text === 'collected 100 samples')).then(() => {
        inputTo(q, { topic: 'quantize', evaluation: evaluation.map((s) => Array.from(s[0])), labels });
        return until('the quantized model', () => out.length + caught.length > 0, 50000);
      }).then(() => {
        assert.deepEqual(caught.map(errorText), []);
        const report = out[0].report as QuantizeReport;
        assert.equal(report.samples, 50);
        assert.ok(report.top1Agreement !== null && report.accuracyQuantized !== null && report.accuracyFloat !== null);
        const tf = tfBaseline('kws_dscnn_tiny');
        assert.ok(report.top1Agreement * tf.evalCount >= tf.top1 - 1, `top-1 ${report.top1Agreement} vs TF ${tf.top1}/${tf.evalCount}`);
        assert.ok(report.outputs[0].mae <= 1.1 * tf.mae, `MAE ${report.outputs[0].mae} > 1.1 x TF's ${tf.mae}`);
        assert.match(seen.at(-1)?.text ?? '', / · top-1 \d+%$/);
        // The collected samples were used up: quantizing again needs new ones.
        inputTo(q, { topic: 'quantize' });
        return until('an error', () => caught.length > 0);
      }).then(() => {
        assert.match(errorText(caught[0]), /needs representative samples/);
        done();
      }).catch(done);
    });
  });

  it('bad inputs reach a Catch node with a clear message, and the node keeps serving', function (done) {
    const sineFloat = path.join(KERAS_MODELS, 'sine_mlp.float.tflite');
    helper.load([modelNode, quantizeNode], flow(sineFloat), function () {
      const q = helper.getNode('q');
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      const step = (send: NodeMessage, count: number): Promise<void> => {
        inputTo(q, send);
        return until(`error ${count}`, () => caught.length >= count, 20000);
      };
      const int8 = fs.readFileSync(path.join(KERAS_MODELS, 'sine_mlp.int8.tflite'));
      step({ payload: int8, representative: [[0.5]] }, 1)
        .then(() => step({ topic: 'quantize', representative: [] }, 2))
        .then(() => step({ topic: 'sample', payload: [1, 2] }, 3))
        .then(() => step({ topic: 'quantize', representative: [[0.5], [Number.NaN]] }, 4))
        .then(() => step({ topic: 'quantize', payload: 'not a model', representative: [[1]] }, 4))
        .then(() => {
          const texts = caught.map(errorText);
          assert.match(texts[0], /already quantized: tensor \d+ \('[^']+'\) is int8/);
          assert.match(texts[1], /msg\.representative: no samples/);
          assert.match(texts[2], /msg\.payload \(topic "sample"\) sample 0: 2 values, the input .* takes 1/);
          assert.match(texts[3], /msg\.representative sample 1, element 0 is "NaN", not a number/);
          // 'not a model' in msg.payload is not a Buffer: the configured model is used and it works.
          return until('a result', () => out.length === 1, 20000);
        })
        .then(() => {
          assert.equal(caught.length, 4);
          assert.equal((out[0].report as QuantizeReport).samples, 1);
          done();
        })
        .catch(done);
    });
  });

  it('a model in msg.payload and Float32Array samples in msg.representative: int16x8 with float I/O', function (done) {
    helper.load([modelNode, quantizeNode], flow(null, { mode: 'int16x8', io: 'float32' }), function () {
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      const representative = goldenSamples('dense_autoencoder', 'representative').map((sample) => sample[0]);
      const payload = fs.readFileSync(path.join(KERAS_MODELS, 'dense_autoencoder.float.tflite'));
      inputTo(helper.getNode('q'), { payload, filename: 'dense_autoencoder.float.tflite', representative });
      until('the quantized model', () => out.length + caught.length > 0, 50000).then(() => {
        assert.deepEqual(caught.map(errorText), []);
        assert.equal(out[0].filename, 'dense_autoencoder_int16x8.tflite');
        const model = loadModel(out[0].payload as Buffer);
        const graph = model.subgraphs[0];
        assert.equal(graph.tensors[graph.inputs[0]].dtype, 'float32');
        assert.ok(graph.tensors.some((t) => t.dtype === 'int16'));
        const report = out[0].report as QuantizeReport;
        assert.equal(report.mode, 'int16x8');
        assert.equal(report.evaluatedOn, 'representative');
        assert.equal(report.samples, representative.length);
        done();
      }).catch(done);
    });
  });

  it('refuses a missing data file by name, relative to the user dir', function (done) {
    helper.load([modelNode, quantizeNode], flow(path.join(KERAS_MODELS, 'sine_mlp.float.tflite'), { data: 'calib/x.csv' }), function () {
      const caught = received(helper.getNode('caught'));
      inputTo(helper.getNode('q'), { topic: 'quantize' });
      until('an error', () => caught.length > 0).then(() => {
        assert.ok(errorText(caught[0]).endsWith(`${path.join(userDir, 'calib/x.csv')}: file not found`), errorText(caught[0]));
        done();
      }).catch(done);
    });
  });
});
