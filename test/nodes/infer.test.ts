// The infer node in a running flow, against TFLM's goldens (../shared/golden): hello_world_int8's
// test_inputs case gives int8 outputs 89, 125, 93, 4 for its four int8 inputs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { NodeMessage } from '../../nodes/types.js';
import { SHARED } from '../support/paths.js';
import { HELLO_WORLD_INT8, SINE_FLOAT_EXAMPLE, TAB, helper, inputTo, nodeModule, received, tempDir, until } from './helpers.js';

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
        assert.equal((out[0].inference as { arenaBytes: number }).arenaBytes > 0, true);
        done();
      }).catch(done);
    });
  });

  it('windows a stream: size 1, hop 1 runs once per sample; the float demo model approximates sin', function (done) {
    helper.load([modelNode, inferNode], flow(SINE_FLOAT_EXAMPLE, { window: '1', hop: '1' }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('infer'), { payload: [0.5, 1.0, 2.0] });
      until('three results', () => out.length === 3).then(() => {
        [0.5, 1.0, 2.0].forEach((x, i) => assert.ok(Math.abs(firstValue(out[i]) - Math.sin(x)) < 0.05));
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
      inputTo(helper.getNode('infer'), { payload: 1.5 });
      until('two errors and a result', () => caught.length === 2 && out.length === 1).then(() => {
        assert.match((caught[0].error as { message: string }).message, /has shape \[1,1\] = 1 values, got 2/);
        assert.match((caught[1].error as { message: string }).message, /msg.payload must be a number/);
        assert.ok(Math.abs(firstValue(out[0]) - Math.sin(1.5)) < 0.05);
        done();
      }).catch(done);
    });
  });
});
