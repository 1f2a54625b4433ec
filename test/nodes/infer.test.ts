// The infer node in a running flow, against TFLM's goldens (../shared/golden): hello_world_int8's
// test_inputs case gives int8 outputs 89, 125, 93, 4 for its four int8 inputs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { NodeMessage } from '../../nodes/types.js';
import { encode } from 'flatbuffers/js/flexbuffers.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { writeModel } from '../../lib/model/write.js';
import { SHARED } from '../support/paths.js';
import { HELLO_WORLD_INT8, SINE_FLOAT_EXAMPLE, TAB, helper, inputTo, nodeModule, received, statuses, tempDir, until } from './helpers.js';

const modelNode = nodeModule('tinyml-model');
const inferNode = nodeModule('infer');
const GOLDEN_INPUTS = [...new Int8Array(fs.readFileSync(path.join(SHARED, 'golden/hello_world_int8.test_inputs.input0.bin')))];
const GOLDEN_OUTPUTS = [89, 125, 93, 4];

function flow(modelPath: string, options: object = {}): object[] {
  return [
    TAB,
    { id: 'm1', type: 'tinyml-model', name: '', source: 'file', path: modelPath },
    { id: 'infer', type: 'tinyml-infer', z: 'tab1', x: 0, y: 0, model: 'm1', ...options, wires: [['out']] },
    { id: 'out', type: 'helper', z: 'tab1' },
    { id: 'catcher', type: 'catch', z: 'tab1', x: 0, y: 0, scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab1' },
  ];
}

function firstValue(msg: NodeMessage): number {
  return (msg.payload as number[])[0];
}

describe('nodes/infer', function () {
  let userDir: string;

  beforeEach(function (done) {
    userDir = tempDir('infer');
    helper.settings({ userDir });
    helper.startServer(done);
  });

  afterEach(function (done) {
    fs.rmSync(userDir, { recursive: true, force: true });
    helper.unload().then(() => helper.stopServer(done));
  });

  it('gives TFLM\'s int8 outputs for the golden int8 inputs (raw integers in and out)', function (done) {
    helper.load([modelNode, inferNode], flow(HELLO_WORLD_INT8, { quantize: false, dequantize: false }), function () {
      const out = received(helper.getNode('out'));
      for (const q of GOLDEN_INPUTS) inputTo(helper.getNode('infer'), { payload: [q] });
      until('four results', () => out.length === 4).then(() => {
        assert.deepEqual(out.map(firstValue), GOLDEN_OUTPUTS);
        done();
      }).catch(done);
    });
  });

  it('quantizes real inputs and dequantizes outputs with the model\'s parameters', function (done) {
    // SOURCES.md: input s=0.0244801156 zp=-128, output s=0.00829095673 zp=5. The real value
    // (q + 128) * s quantizes back to q exactly, so TFLM's outputs come back as (o - 5) * s.
    helper.load([modelNode, inferNode], flow(HELLO_WORLD_INT8), function () {
      const out = received(helper.getNode('out'));
      for (const q of GOLDEN_INPUTS) inputTo(helper.getNode('infer'), { payload: (q + 128) * 0.0244801156 });
      until('four results', () => out.length === 4).then(() => {
        out.forEach((msg, i) => assert.ok(Math.abs(firstValue(msg) - (GOLDEN_OUTPUTS[i] - 5) * 0.00829095673) < 1e-6));
        const info = out[0].tinyml as { latencyMs: number; arenaBytes: number; model: string };
        // 32 bytes: the two [1,16] int8 activations overlap (16 + 16), input and output fit beside them.
        assert.equal(info.arenaBytes, 32);
        assert.equal(info.model, HELLO_WORLD_INT8);
        done();
      }).catch(done);
    });
  });

  it('windows a stream: 1 sample, hop 1 runs once per sample; the float demo model approximates sin', function (done) {
    helper.load([modelNode, inferNode], flow(SINE_FLOAT_EXAMPLE, { window: '1', hop: '1' }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('infer'), { payload: [0.5, 1.0, 2.0] });
      until('three results', () => out.length === 3).then(() => {
        [0.5, 1.0, 2.0].forEach((x, i) => assert.ok(Math.abs(firstValue(out[i]) - Math.sin(x)) < 0.05));
        done();
      }).catch(done);
    });
  });

  it('windows 3-channel samples: a [1,2,3] input with a 2-sample window, hop 1', function (done) {
    // float32[1,2,3] -> QUANTIZE (scale 1, zero point 0) -> int8: the output shows the window's
    // values as integers, in the order the model received them.
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 2, 3], dtype: 'float32' });
    const y = b.addTensor({ name: 'y', shape: [1, 2, 3], dtype: 'int8', quantization: { scale: [1], zeroPoint: [0] } });
    b.addOperator('QUANTIZE', [x], [y]);
    b.addOutput(y);
    const file = path.join(userDir, 'window.tflite');
    fs.writeFileSync(file, writeModel(b.build()));
    helper.load([modelNode, inferNode], flow(file, { window: '2', hop: '1', dequantize: false }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('infer'), { payload: [1, 2, 3] });
      inputTo(helper.getNode('infer'), { payload: [[4, 5, 6], [7, 8, 9]] });
      until('two windows', () => out.length === 2).then(() => {
        assert.deepEqual(out.map((m) => m.payload), [[1, 2, 3, 4, 5, 6], [4, 5, 6, 7, 8, 9]]);
        done();
      }).catch(done);
    });
  });

  it('sends nothing for an invoke the model cuts short (CIRCULAR_BUFFER with cycles_max 2)', function (done) {
    // TFLM's CIRCULAR_BUFFER returns kTfLiteAbort until it has shifted in cycles_max frames, so
    // only every second message gives a result; the status says why nothing came.
    const b = new ModelBuilder();
    const q = { scale: [1], zeroPoint: [0] };
    const x = b.addInput({ name: 'x', shape: [1, 1, 1, 1], dtype: 'int8', quantization: q });
    const y = b.addTensor({ name: 'frames', shape: [1, 2, 1, 1], dtype: 'int8', quantization: q });
    b.addOperator('CUSTOM', [x], [y], { customCode: 'CIRCULAR_BUFFER', customOptions: encode({ cycles_max: 2 }) });
    b.addOutput(y);
    const file = path.join(userDir, 'circular.tflite');
    fs.writeFileSync(file, writeModel(b.build()));
    helper.load([modelNode, inferNode], flow(file, { dequantize: false }), function () {
      const out = received(helper.getNode('out'));
      const node = helper.getNode('infer');
      const seen = statuses(node);
      for (const v of [1, 2, 3, 4]) inputTo(node, { payload: [v] });
      until('two results', () => out.length === 2).then(() => {
        assert.deepEqual(out.map((m) => m.payload), [[1, 2], [3, 4]]);
        const texts = seen.map((s) => s.text ?? '');
        assert.ok(texts.includes('no output: the model skipped this invoke'), texts.join(' | '));
        done();
      }).catch(done);
    });
  });

  it('names the top classes with the configured labels, and takes the model from msg.model', function (done) {
    helper.load([modelNode, inferNode], flow(SINE_FLOAT_EXAMPLE, { labels: 'y', topk: '1' }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('infer'), { payload: 1.5 });
      inputTo(helper.getNode('infer'), { payload: [(GOLDEN_INPUTS[0] + 128) * 0.0244801156], model: fs.readFileSync(HELLO_WORLD_INT8) });
      until('two results', () => out.length === 2).then(() => {
        const top = out[0].top as Array<{ index: number; label: string | null; score: number }>;
        assert.equal(top.length, 1);
        assert.equal(top[0].label, 'y');
        assert.ok(Math.abs(top[0].score - Math.sin(1.5)) < 0.05);
        assert.equal((out[1].tinyml as { model: string }).model, 'msg.model');
        assert.ok(Math.abs(firstValue(out[1]) - (GOLDEN_OUTPUTS[0] - 5) * 0.00829095673) < 1e-6);
        done();
      }).catch(done);
    });
  });

  it('reports a wrong number of values to a catch node and keeps serving', function (done) {
    helper.load([modelNode, inferNode], flow(SINE_FLOAT_EXAMPLE), function () {
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      inputTo(helper.getNode('infer'), { payload: [1, 2] });
      inputTo(helper.getNode('infer'), { payload: 'hello' });
      inputTo(helper.getNode('infer'), { payload: { inputs: [[1], [2]] } });
      inputTo(helper.getNode('infer'), { payload: 1.5 });
      until('three errors and a result', () => caught.length === 3 && out.length === 1).then(() => {
        assert.match((caught[2].error as { message: string }).message, /the model has 1 input\(s\); the message gives 2/);
        assert.match((caught[0].error as { message: string }).message, /has shape \[1,1\] = 1 values, got 2/);
        assert.match((caught[1].error as { message: string }).message, /msg.payload must be a number/);
        assert.equal((caught[0].error as { source: { id: string } }).source.id, 'infer');
        assert.ok(Math.abs(firstValue(out[0]) - Math.sin(1.5)) < 0.05);
        done();
      }).catch(done);
    });
  });
});
