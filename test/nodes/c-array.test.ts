// The c array node in a running flow. xxd mode is compared with the real `xxd -i`; the default
// output is checked by reading its hex bytes back with a regular expression, not our parser.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { NodeMessage } from '../../nodes/types.js';
import { HELLO_WORLD_INT8, TAB, helper, inputTo, nodeModule, received, statuses, tempDir, until } from './helpers.js';

const run = promisify(execFile);
const modelNode = nodeModule('tinyml-model');
const cArrayNode = nodeModule('c-array');

/** What `xxd -i NAME` prints when run beside the file, so the array is named after the file alone. */
async function xxd(file: string): Promise<string> {
  const { stdout } = await run('xxd', ['-i', path.basename(file)], { cwd: path.dirname(file), encoding: 'utf8' });
  return stdout;
}

function flow(node: object, config?: object): object[] {
  return [
    TAB,
    { id: 'c', type: 'tinyml-c-array', z: 'tab1', x: 0, y: 0, model: config ? 'm1' : '', wires: [['out']], ...node },
    { id: 'out', type: 'helper', z: 'tab1' },
    { id: 'catcher', type: 'catch', z: 'tab1', x: 0, y: 0, scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab1' },
    ...(config ? [{ id: 'm1', type: 'tinyml-model', ...config }] : []),
  ];
}

function hexBytes(source: string): number[] {
  return [...source.matchAll(/0x([0-9a-f]{2})\b/g)].map((m) => parseInt(m[1], 16));
}

function only(messages: NodeMessage[]): NodeMessage {
  assert.equal(messages.length, 1);
  return messages[0];
}

describe('nodes/c-array', function () {
  let userDir: string;

  before(function () {
    try {
      execFileSync('xxd', ['-v'], { stdio: 'ignore' });
    } catch {
      this.skip(); // xxd (vim-common) is not installed
    }
  });

  beforeEach(function (done) {
    userDir = tempDir('carray');
    helper.settings({ userDir });
    helper.startServer(done);
  });

  afterEach(function (done) {
    fs.rmSync(userDir, { recursive: true, force: true });
    helper.unload().then(() => helper.stopServer(done));
  });

  it('prints exactly what xxd -i prints, for the configured model', function (done) {
    helper.load([modelNode, cArrayNode], flow({ xxd: true, extension: '.h' }, { source: 'file', path: HELLO_WORLD_INT8 }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('c'), { payload: 'go' });
      Promise.all([xxd(HELLO_WORLD_INT8), until('the source', () => out.length === 1)])
        .then(([expected]) => {
          const msg = only(out);
          assert.equal(msg.payload, expected);
          assert.equal(msg.header, null);
          assert.equal(msg.filename, 'hello_world_int8_tflite.h');
        })
        .then(done, done);
    });
  });

  it('names the xxd array after msg.filename when the model comes in msg.payload', function (done) {
    const file = path.join(userDir, 'kws-model.v2.tflite');
    fs.copyFileSync(HELLO_WORLD_INT8, file);
    helper.load([modelNode, cArrayNode], flow({ xxd: true, extension: '.cc' }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('c'), { payload: fs.readFileSync(file), filename: file });
      Promise.all([xxd(file), until('the source', () => out.length === 1)])
        .then(([expected]) => {
          assert.equal(only(out).payload, expected);
          assert.equal(only(out).filename, 'kws_model_v2_tflite.cc');
        })
        .then(done, done);
    });
  });

  it('writes an aligned const array and its header, with the chosen symbol and extension', function (done) {
    const bytes = fs.readFileSync(HELLO_WORLD_INT8);
    helper.load([modelNode, cArrayNode], flow({ symbol: 'g_model', alignment: '16', extension: '.c' }), function () {
      const out = received(helper.getNode('out'));
      const seen = statuses(helper.getNode('c'));
      inputTo(helper.getNode('c'), { payload: bytes });
      until('the source', () => out.length === 1 && seen.length > 0)
        .then(() => {
          const msg = only(out);
          const source = msg.payload as string;
          assert.deepEqual(hexBytes(source), [...bytes]);
          assert.match(source, /#include "g_model\.h"/);
          assert.match(source, /\(16\) const unsigned char g_model\[\] = \{/);
          assert.match(source, /const unsigned int g_model_len = 2704;/);
          assert.equal(msg.filename, 'g_model.c');
          assert.equal(msg.headerFilename, 'g_model.h');
          assert.match(msg.header as string, /extern const unsigned char g_model\[2704\];/);
          assert.deepEqual(seen.at(-1), { fill: 'green', shape: 'dot', text: 'g_model.c · 2.7 kB' });
        })
        .then(done, done);
    });
  });

  it('sends errors to a catch node and keeps working', function (done) {
    helper.load([modelNode, cArrayNode], flow({ extension: '.cc' }), function () {
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      const node = helper.getNode('c');
      inputTo(node, { payload: Buffer.from('PK\u0003\u0004 a zip, not a model') });
      until('the error', () => caught.length === 1)
        .then(() => {
          assert.match((caught[0].error as { message: string }).message, /^Error: msg\.payload is not a usable \.tflite model: /);
          inputTo(node, { payload: { not: 'bytes' } });
          return until('the second error', () => caught.length === 2);
        })
        .then(() => {
          assert.match((caught[1].error as { message: string }).message, /msg\.payload is an object, not a Buffer/);
          inputTo(node, { payload: fs.readFileSync(HELLO_WORLD_INT8) });
          return until('the source', () => out.length === 1);
        })
        .then(() => {
          assert.equal(only(out).filename, 'model_tflite.cc');
          assert.equal(hexBytes(only(out).payload as string).length, 2704);
        })
        .then(done, done);
    });
  });

  it('refuses a .h source outside xxd mode, where it would include itself', function (done) {
    helper.load([modelNode, cArrayNode], flow({ extension: '.h', xxd: false }), function () {
      const caught = received(helper.getNode('caught'));
      inputTo(helper.getNode('c'), { payload: fs.readFileSync(HELLO_WORLD_INT8) });
      until('the error', () => caught.length === 1)
        .then(() => assert.match((caught[0].error as { message: string }).message, /a \.h source needs xxd mode/))
        .then(done, done);
    });
  });
});
