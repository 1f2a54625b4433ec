// The firmware node in a running flow: the zip it sends unzips (fflate) to the project, whose
// model array parses back (fromCArray) to the model with its tinyml_plan; the folder is written
// when configured; a project from the zip builds with its own Makefile; refusals reach a Catch
// node (does not fit, unsupported op, corrupt tinyml_plan, bad folder) and the node goes on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { fromCArray } from '../../lib/codegen/c-array.js';
import { TINYML_PLAN, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { BOARDS } from '../../lib/deploy/boards/index.js';
import { buildFirmwareProject, buildHostProject, findTool } from '../../lib/deploy/emulators/index.js';
import { loadModel } from '../../lib/model/read.js';
import { writeModel } from '../../lib/model/write.js';
import type { BoardFit } from '../../lib/deploy/boards/fits.js';
import type { NodeMessage } from '../../nodes/types.js';
import { userOutputDir } from '../../nodes/user-file.js';
import { REPO_ROOT, SHARED } from '../support/paths.js';
import { HELLO_WORLD_INT8, TAB, helper, inputTo, nodeModule, received, statuses, tempDir, until } from './helpers.js';

const modelNode = nodeModule('tinyml-model');
const firmwareNode = nodeModule('firmware');
const PERSON_DETECT = path.join(SHARED, 'models/tflm/models/person_detect.tflite');
// Compiled for the Arm Ethos-U NPU by Vela: one custom operator, 'ethos-u', that no CPU runtime runs.
const PERSON_DETECT_VELA = path.join(SHARED, 'models/tflm/models/person_detect_vela.tflite');

/** firmware (optionally on config m1) -> out; catch -> caught. */
function flow(firmware: object, config?: object): object[] {
  return [
    TAB,
    { id: 'fw', type: 'tinyml-firmware', z: 'tab1', x: 0, y: 0, model: config ? 'm1' : '', board: 'uno', kind: 'runtime', wires: [['out']], ...firmware },
    { id: 'out', type: 'helper', z: 'tab1' },
    { id: 'catcher', type: 'catch', z: 'tab1', x: 0, y: 0, scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab1' },
    ...(config ? [{ id: 'm1', type: 'tinyml-model', name: '', ...config }] : []),
  ];
}

const errorOf = (msg: NodeMessage | undefined): string => (msg?.error as { message?: string } | undefined)?.message ?? '';

/** The zip's entries as text, keyed by path inside the zip. */
function unzipText(msg: NodeMessage): Record<string, string> {
  assert.ok(Buffer.isBuffer(msg.payload), 'msg.payload is a Buffer');
  const entries = unzipSync(new Uint8Array(msg.payload));
  return Object.fromEntries(Object.entries(entries).map(([file, bytes]) => [file, strFromU8(bytes)]));
}

function extract(entries: Record<string, string>, dir: string): void {
  for (const [file, text] of Object.entries(entries)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

describe('nodes/firmware', function () {
  this.timeout(60000);
  let userDir: string;

  beforeEach(function (done) {
    userDir = tempDir('firmware');
    helper.settings({ userDir });
    helper.startServer(done);
  });

  afterEach(function (done) {
    fs.rmSync(userDir, { recursive: true, force: true });
    helper.unload().then(() => helper.stopServer(done));
  });

  it('hello_world_int8 for the Uno: a zip of the project, its model array holding the model, written to the folder', function (done) {
    helper.load([modelNode, firmwareNode], flow({ project: 'hello', folder: 'firmware/hello' }, { source: 'file', path: HELLO_WORLD_INT8 }), function () {
      const out = received(helper.getNode('out'));
      const seen = statuses(helper.getNode('fw'));
      inputTo(helper.getNode('fw'), { payload: 'go' });
      until('the project', () => out.length === 1)
        .then(() => {
          const msg = out[0];
          assert.equal(msg.filename, 'hello.zip');
          const entries = unzipText(msg);
          const files = msg.files as string[];
          // Every file sits under the project's folder in the zip, and msg.files lists them all.
          assert.deepEqual(Object.keys(entries).sort(), files.map((f) => `hello/${f}`).sort());
          for (const f of ['Makefile', 'README.md', 'src/hello_model.c', 'src/hello_model.h', 'src/tm_ops.c', 'runtime/tm_runtime.c',
            'runtime/kernels/tm_fully_connected.c', 'arduino/hello/hello.ino', 'arduino/libraries/tinyml/library.properties', 'platformio.ini']) {
            assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
          }
          // The array holds the model: the original's operators, tensors and weights, plus its tinyml_plan.
          const arrayBytes = fromCArray(entries['hello/src/hello_model.c'], { name: 'hello_model' });
          const inArray = loadModel(arrayBytes);
          const original = loadModel(fs.readFileSync(HELLO_WORLD_INT8));
          assert.deepEqual(inArray.subgraphs, original.subgraphs);
          assert.ok(inArray.metadata[TINYML_PLAN] !== undefined, 'tinyml_plan in the array');
          // The estimate counts the bytes in the array: model + our runtime's 11 KB on AVR (lib/deploy/boards/runtime-size.ts).
          const fit = msg.fits as BoardFit;
          assert.equal(fit.fits, true);
          assert.equal(fit.board, 'uno');
          assert.equal(fit.flash.needed, arrayBytes.length + 11 * 1024);
          assert.ok(fit.ram !== null && fit.ram.needed <= 2048);
          const generating = seen.findIndex((st) => st.text === 'generating…');
          assert.ok(generating >= 0 && generating < seen.length - 1, JSON.stringify(seen));
          assert.deepEqual(seen[generating], { fill: 'blue', shape: 'ring', text: 'generating…' });
          const kB = (n: number): string => `${(n / 1000).toFixed(1)} kB`;
          assert.deepEqual(seen.at(-1), { fill: 'green', shape: 'dot', text: `uno · ${kB(fit.flash.needed)} flash · ${fit.ram.needed} B RAM` });
          // The folder holds the same files.
          const folder = path.join(userDir, 'firmware', 'hello');
          assert.equal(msg.folder, folder);
          for (const f of files) assert.equal(fs.readFileSync(path.join(folder, f), 'utf8'), entries[`hello/${f}`], f);
        })
        .then(done, done);
    });
  });

  it('the zip\'s project builds with its Makefile (QEMU mps2-an385; the host build without arm-none-eabi-gcc)', function (done) {
    this.timeout(120000);
    if (!findTool('make') || !findTool('gcc')) this.skip();
    helper.load([modelNode, firmwareNode], flow({ board: 'qemu-mps2-an385' }), function () {
      const out = received(helper.getNode('out'));
      inputTo(helper.getNode('fw'), { payload: fs.readFileSync(HELLO_WORLD_INT8), filename: '/some/where/hello_world_int8.tflite' });
      until('the project', () => out.length === 1)
        .then(async () => {
          const msg = out[0];
          assert.equal(msg.filename, 'hello_world_int8.zip');
          assert.equal(msg.folder, undefined, 'no folder configured, nothing written');
          const dir = path.join(userDir, 'unzipped');
          extract(unzipText(msg), dir);
          const project = path.join(dir, 'hello_world_int8');
          if (findTool('arm-none-eabi-gcc')) {
            const built = await buildFirmwareProject(project, 'src/hello_world_int8_model.o');
            assert.ok(fs.existsSync(built.elf));
            assert.ok(built.footprint.model.flash >= fs.statSync(HELLO_WORLD_INT8).size, JSON.stringify(built.footprint.model));
          } else {
            assert.ok(fs.existsSync(await buildHostProject(project)));
          }
        })
        .then(done, done);
    });
  });

  it('TFLM: a sketch with MicroMutableOpResolver and the model\'s ops; msg.fits is null', function (done) {
    helper.load([modelNode, firmwareNode], flow({ board: 'nano33ble', kind: 'tflm', project: 'sine' }), function () {
      const out = received(helper.getNode('out'));
      const seen = statuses(helper.getNode('fw'));
      inputTo(helper.getNode('fw'), { payload: fs.readFileSync(HELLO_WORLD_INT8) });
      until('the project', () => out.length === 1)
        .then(() => {
          const msg = out[0];
          const sketch = unzipText(msg)['sine/sine/sine.ino'];
          assert.ok(sketch, `files: ${(msg.files as string[]).join(', ')}`);
          // hello_world is three FULLY_CONNECTED operators: one distinct op.
          assert.match(sketch, /constexpr int kOpCount = 1;[\s\S]*MicroMutableOpResolver<kOpCount> resolver;/);
          assert.match(sketch, /AddFullyConnected\(\)/);
          assert.equal(msg.fits, null);
          assert.deepEqual((msg.tflm as { resolverMethods: string[] }).resolverMethods, ['AddFullyConnected']);
          assert.match(seen.at(-1)?.text ?? '', /^nano33ble · TFLM · [\d.]+ kB model · [\d.]+ kB arena$/);
        })
        .then(done, done);
    });
  });

  it('refusals reach a catch node with a red status, and the node keeps serving', function (done) {
    helper.load([modelNode, firmwareNode], flow({}), function () {
      const out = received(helper.getNode('out'));
      const caught = received(helper.getNode('caught'));
      const seen = statuses(helper.getNode('fw'));
      const node = helper.getNode('fw');
      // A tinyml_plan with one bit flipped: its CRC-32 no longer matches.
      const planned = withTinymlPlan(loadModel(fs.readFileSync(HELLO_WORLD_INT8)));
      const plan = Uint8Array.from(planned.metadata[TINYML_PLAN]);
      plan[plan.length - 1] ^= 1;
      const corrupt = writeModel({ ...planned, metadata: { ...planned.metadata, [TINYML_PLAN]: plan } });

      inputTo(node, { payload: fs.readFileSync(PERSON_DETECT), filename: PERSON_DETECT });
      until('does not fit', () => caught.length === 1)
        .then(() => {
          // person_detect's arena alone is far above the Uno's 2 KB.
          assert.match(errorOf(caught[0]), /person_detect on Arduino Uno: does not fit: .*needs [\d.]+ KB RAM, Arduino Uno has 2 KB/);
          assert.deepEqual(seen.at(-1), { fill: 'red', shape: 'ring', text: 'too big for Uno' });
          inputTo(node, { payload: fs.readFileSync(PERSON_DETECT_VELA) });
          return until('unsupported op', () => caught.length === 2);
        })
        .then(() => {
          assert.match(errorOf(caught[1]), /the C runtime cannot run this model: .*operator 0 \(ethos-u/);
          assert.deepEqual(seen.at(-1), { fill: 'red', shape: 'ring', text: 'unsupported op ethos-u' });
          inputTo(node, { payload: Buffer.from(corrupt) });
          return until('corrupt plan', () => caught.length === 3);
        })
        .then(() => {
          assert.match(errorOf(caught[2]), /tinyml_plan is corrupt \(.*CRC-32 mismatch/);
          assert.deepEqual(seen.at(-1), { fill: 'red', shape: 'ring', text: 'corrupt tinyml_plan' });
          inputTo(node, { payload: 'no model here' });
          return until('no model', () => caught.length === 4);
        })
        .then(() => {
          assert.match(errorOf(caught[3]), /no model: msg\.payload is a string/);
          assert.equal(out.length, 0);
          inputTo(node, { payload: fs.readFileSync(HELLO_WORLD_INT8) });
          return until('the project after the errors', () => out.length === 1);
        })
        .then(() => {
          assert.equal(out[0].filename, 'tinyml_model.zip');
          assert.equal(seen.at(-1)?.fill, 'green');
        })
        .then(done, done);
    });
  });

  it('TFLM on the Uno is refused: TFLM needs a 32-bit core', function (done) {
    helper.load([modelNode, firmwareNode], flow({ kind: 'tflm' }), function () {
      const caught = received(helper.getNode('caught'));
      inputTo(helper.getNode('fw'), { payload: fs.readFileSync(HELLO_WORLD_INT8) });
      until('the error', () => caught.length === 1)
        .then(() => assert.match(errorOf(caught[0]), /Arduino Uno \(ATmega328P\) is an 8-bit AVR: TFLM needs a 32-bit core/))
        .then(done, done);
    });
  });

  it('a folder outside the user dir is refused, and nothing is written there', function (done) {
    const outside = `../${path.basename(userDir)}-outside`;
    helper.load([modelNode, firmwareNode], flow({ folder: outside }), function () {
      const caught = received(helper.getNode('caught'));
      const seen = statuses(helper.getNode('fw'));
      inputTo(helper.getNode('fw'), { payload: fs.readFileSync(HELLO_WORLD_INT8) });
      until('the error', () => caught.length === 1)
        .then(() => {
          assert.match(errorOf(caught[0]), /output folder "\.\.\/.*-outside" must be a folder inside the Node-RED user dir/);
          assert.equal(seen.at(-1)?.fill, 'red');
          assert.ok(!fs.existsSync(path.resolve(userDir, outside)));
        })
        .then(done, done);
    });
  });

  it('a folder that is a file: the write error reaches the catch node', function (done) {
    fs.writeFileSync(path.join(userDir, 'taken'), 'a file');
    helper.load([modelNode, firmwareNode], flow({ folder: 'taken' }), function () {
      const caught = received(helper.getNode('caught'));
      inputTo(helper.getNode('fw'), { payload: fs.readFileSync(HELLO_WORLD_INT8) });
      until('the error', () => caught.length === 1)
        .then(() => assert.match(errorOf(caught[0]), /cannot write the project to .*taken: /))
        .then(done, done);
    });
  });

  it('a project name that is not a C identifier is refused', function (done) {
    helper.load([modelNode, firmwareNode], flow({ project: 'my-project' }), function () {
      const caught = received(helper.getNode('caught'));
      inputTo(helper.getNode('fw'), { payload: fs.readFileSync(HELLO_WORLD_INT8) });
      until('the error', () => caught.length === 1)
        .then(() => assert.match(errorOf(caught[0]), /project name "my-project" is not a C identifier/))
        .then(done, done);
    });
  });
});

describe('nodes/firmware: editor and folder rules', function () {
  it('the board dropdowns (firmware, model info) offer exactly the board profiles', function () {
    const boardOptions = (node: string): string[] => {
      const html = fs.readFileSync(path.join(REPO_ROOT, 'nodes', `${node}.html`), 'utf8');
      const select = /<select id="node-input-board">([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
      return [...select.matchAll(/<option value="([^"]*)">/g)].map((m) => m[1]);
    };
    assert.deepEqual(boardOptions('firmware'), BOARDS.map((b) => b.id));
    assert.deepEqual(boardOptions('model-info'), ['', ...BOARDS.map((b) => b.id)]);
  });

  it('userOutputDir: relative folders stay strictly inside the user dir; absolute ones are taken as given', function () {
    const root = path.resolve('/srv/node-red');
    assert.equal(userOutputDir(root, 'firmware/hello'), path.join(root, 'firmware', 'hello'));
    assert.equal(userOutputDir(root, ' a/../b '), path.join(root, 'b'));
    assert.equal(userOutputDir(root, '..x'), path.join(root, '..x'));
    assert.equal(userOutputDir(root, '/tmp/out'), path.resolve('/tmp/out'));
    for (const bad of ['..', '../x', 'a/../../x', '.', '', 'a/..']) assert.ok(userOutputDir(root, bad) instanceof Error, bad);
  });
});
