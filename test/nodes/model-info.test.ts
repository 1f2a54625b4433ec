// The model info node in a running flow. Expected values come from ../shared/models/tflm/SOURCES.md
// (sizes, op codes, I/O quantization read with the reference schema) and from hand counts of
// multiply-accumulates: hello_world is Dense 1->16, 16->16, 16->1, i.e. 16 + 256 + 16 = 288 MACs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHARED } from '../support/paths.js';
import type { InspectReport } from '../../lib/inspect/report.js';
import type { NodeMessage } from '../../nodes/types.js';
import {
  HELLO_WORLD_FLOAT, HELLO_WORLD_INT8, SINE_FLOAT_EXAMPLE, TAB, helper, inputTo, nodeModule, received, statuses,
  tempDir, until,
} from './helpers.js';

const modelNode = nodeModule('tinyml-model');
const infoNode = nodeModule('model-info');

function reportOf(msg: NodeMessage | undefined): InspectReport {
  assert.ok(msg, 'no message');
  return msg.payload as InspectReport;
}

function assertClose(actual: number | null, expected: number): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= Math.abs(expected) * 1e-7, `${actual} != ${expected}`);
}

/** model info (optionally on config m1) -> out; catch -> caught. */
function flow(config?: object, info: object = {}): object[] {
  return [
    TAB,
    { id: 'info', type: 'tinyml-model-info', z: 'tab1', x: 0, y: 0, model: config ? 'm1' : '', wires: [['out']], ...info },
    { id: 'out', type: 'helper', z: 'tab1' },
    { id: 'catcher', type: 'catch', z: 'tab1', x: 0, y: 0, scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab1' },
    ...(config ? [{ id: 'm1', type: 'tinyml-model', name: '', ...config }] : []),
  ];
}

describe('nodes/model-info', function () {
  let userDir: string;

  beforeEach(function (done) {
    userDir = tempDir('info');
    helper.settings({ userDir });
    helper.startServer(done);
  });

  afterEach(function (done) {
    fs.rmSync(userDir, { recursive: true, force: true });
    helper.unload().then(() => helper.stopServer(done));
  });

  it('describes a model sent in msg.payload as a Buffer', function (done) {
    helper.load([modelNode, infoNode], flow(), function () {
      const out = received(helper.getNode('out'));
      const seen = statuses(helper.getNode('info'));
      inputTo(helper.getNode('info'), { payload: fs.readFileSync(HELLO_WORLD_INT8) });
      until('the report', () => out.length === 1 && seen.length > 0).then(() => {
        const report = reportOf(out[0]);
        assert.equal(report.ops.operators.length, 3);
        assert.deepEqual(report.ops.histogram, { FULLY_CONNECTED: 3 });
        assert.equal(report.macs.total, 288);
        assert.equal(report.model.flashBytes, 2704);
        const [input] = report.io[0].inputs;
        assert.equal(input.dtype, 'int8');
        assert.deepEqual(input.shape, [1, 1]);
        assertClose(input.scale, 0.0244801156);
        assert.equal(input.zeroPoint, -128);
        const [output] = report.io[0].outputs;
        assert.equal(output.dtype, 'int8');
        assertClose(output.scale, 0.00829095673);
        assert.equal(output.zeroPoint, 5);
        assert.equal(report.tensors[0].tensors.length, 10);
        assert.equal(out[0].modelPath, undefined);
        // The report is plain data: it survives the JSON a debug node or file node would make.
        assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
        assert.deepEqual(seen.at(-1), { fill: 'green', shape: 'dot', text: '3 ops · 2.7 kB · 32 B RAM · 288 MACs' });
      }).then(done, done);
    });
  });

  it('reads a Buffer that is a slice of a larger one, as Node-RED messages often carry', function (done) {
    const sliced = Buffer.concat([Buffer.from('xyz'), fs.readFileSync(HELLO_WORLD_INT8)]).subarray(3);
    helper.load([modelNode, infoNode], flow(), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('info'), { payload: sliced });
      until('the report', () => out.length === 1).then(() => {
        assert.equal(reportOf(out[0]).model.flashBytes, 2704);
        assert.equal(reportOf(out[0]).macs.total, 288);
      }).then(done, done);
    });
  });

  it('describes the configured model when msg.payload is not a Buffer', function (done) {
    helper.load([modelNode, infoNode], flow({ source: 'file', path: HELLO_WORLD_FLOAT }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('info'), { payload: Date.now() });
      until('the report', () => out.length === 1).then(() => {
        const report = reportOf(out[0]);
        assert.equal(report.model.flashBytes, 3164);
        assert.equal(report.macs.total, 288);
        assert.equal(report.io[0].inputs[0].dtype, 'float32');
        assert.equal(report.io[0].inputs[0].scale, null);
        assert.equal(out[0].modelPath, HELLO_WORLD_FLOAT);
      }).then(done, done);
    });
  });

  it('describes the example model the demo flow uses (float MLP 1->16->16->1)', function (done) {
    helper.load([modelNode, infoNode], flow({ source: 'example', example: 'sine_float.tflite' }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('info'), { payload: '' });
      until('the report', () => out.length === 1).then(() => {
        const report = reportOf(out[0]);
        assert.equal(report.model.flashBytes, fs.statSync(SINE_FLOAT_EXAMPLE).size);
        assert.equal(report.macs.total, 16 + 16 * 16 + 16);
        assert.equal(report.io[0].inputs[0].dtype, 'float32');
        assert.equal(out[0].modelPath, SINE_FLOAT_EXAMPLE);
      }).then(done, done);
    });
  });

  it('reports a payload that is not a model to a catch node, then handles the next message', function (done) {
    helper.load([modelNode, infoNode], flow(), function () {
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      const seen = statuses(helper.getNode('info'));
      const info = helper.getNode('info');
      inputTo(info, { payload: 'hello' });
      until('the string error', () => caught.length === 1)
        .then(() => {
          const error = caught[0].error as { message: string; source: { id: string } };
          assert.match(error.message, /msg\.payload is a string .* no model is configured/);
          assert.equal(error.source.id, 'info');
          assert.equal(seen.at(-1)?.fill, 'red');
          // A truncated model: the reader's error names where it stopped.
          inputTo(info, { payload: fs.readFileSync(HELLO_WORLD_INT8).subarray(0, 100) });
          return until('the corrupt-model error', () => caught.length === 2);
        })
        .then(() => {
          assert.match((caught[1].error as { message: string }).message, /^Error: msg\.payload is not a usable \.tflite model: /);
          inputTo(info, { payload: fs.readFileSync(HELLO_WORLD_INT8) });
          return until('the good report', () => out.length === 1);
        })
        .then(() => {
          assert.equal(reportOf(out[0]).macs.total, 288);
          assert.equal(caught.length, 2);
          assert.equal(seen.at(-1)?.fill, 'green');
        })
        .then(done, done);
    });
  });

  it('reports a missing model file to a catch node and recovers when the file appears', function (done) {
    const file = path.join(userDir, 'later.tflite');
    helper.load([modelNode, infoNode], flow({ source: 'file', path: 'later.tflite' }), function () {
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      const info = helper.getNode('info');
      inputTo(info, { payload: 1 });
      until('the missing-file error', () => caught.length === 1)
        .then(() => {
          assert.equal((caught[0].error as { message: string }).message, `Error: ${file}: file not found`);
          fs.copyFileSync(HELLO_WORLD_INT8, file);
          return until('the reload', () => {
            const model = (helper.getNode('m1') as unknown as { getModel(): unknown }).getModel();
            return !(model instanceof Error);
          });
        })
        .then(() => {
          inputTo(info, { payload: 1 });
          return until('the report', () => out.length === 1);
        })
        .then(() => assert.equal(reportOf(out[0]).macs.total, 288))
        .then(done, done);
    });
  });

  it('with a board: fits Uno for hello_world_int8, too big for Uno (yellow) for person_detect', function (done) {
    helper.load([modelNode, infoNode], flow(undefined, { board: 'uno' }), function () {
      const out = received(helper.getNode('out'));
      const seen = statuses(helper.getNode('info'));
      inputTo(helper.getNode('info'), { payload: fs.readFileSync(HELLO_WORLD_INT8) });
      until('the hello_world report', () => out.length === 1 && seen.length > 0).then(() => {
        assert.equal(reportOf(out[0]).board?.fits, true);
        assert.deepEqual(seen.at(-1), { fill: 'green', shape: 'dot', text: '3 ops · 2.7 kB · 32 B RAM · 288 MACs · fits Uno' });
        inputTo(helper.getNode('info'), { payload: fs.readFileSync(path.join(SHARED, 'models/tflm/models/person_detect.tflite')) });
        return until('the person_detect report', () => out.length === 2);
      }).then(() => {
        const fit = reportOf(out[1]).board;
        assert.ok(fit && !fit.fits && fit.ram !== null && fit.ram.needed > 2048);
        assert.equal(seen.at(-1)?.fill, 'yellow');
        assert.match(String(seen.at(-1)?.text), / · too big for Uno$/);
      }).then(done, done);
    });
  });
});
