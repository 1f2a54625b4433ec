// The tinyml-model config node: loading, reloading, reporting, and the upload endpoint.
// Expected facts about the models come from ../shared/models/tflm/SOURCES.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedModel, ModelConfigNode } from '../../nodes/types.js';
import {
  HELLO_WORLD_FLOAT, HELLO_WORLD_INT8, SINE_FLOAT_EXAMPLE, TAB, helper, inputTo, nodeModule, received, statuses,
  tempDir, until,
} from './helpers.js';

const modelNode = nodeModule('tinyml-model');
const infoNode = nodeModule('model-info');

function configNode(): ModelConfigNode {
  const node = helper.getNode('m1');
  assert.ok(node, 'config node m1 missing');
  return node as ModelConfigNode;
}

function loaded(): LoadedModel {
  const state = configNode().getModel();
  if (state instanceof Error) throw state;
  return state;
}

function inputDtype(state: LoadedModel): string {
  const subgraph = state.model.subgraphs[0];
  return subgraph.tensors[subgraph.inputs[0]].dtype;
}

function configFlow(config: object): object[] {
  return [{ id: 'm1', type: 'tinyml-model', name: '', ...config }];
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function warnings(): string[] {
  return helper.log().args
    .map(([entry]) => entry as { level: number; msg: unknown })
    .filter((entry) => entry.level === 30) // Node-RED's log.WARN
    .map((entry) => String(entry.msg));
}

describe('nodes/tinyml-model', function () {
  let userDir: string;

  beforeEach(function (done) {
    userDir = tempDir('model');
    helper.settings({ userDir });
    helper.startServer(done);
  });

  afterEach(function (done) {
    fs.rmSync(userDir, { recursive: true, force: true });
    helper.unload().then(() => helper.stopServer(done));
  });

  it('loads a model from an absolute path', function (done) {
    helper.load(modelNode, configFlow({ source: 'file', path: HELLO_WORLD_INT8 }), function () {
      const state = loaded();
      assert.equal(state.path, HELLO_WORLD_INT8);
      assert.equal(state.bytes.length, 2704);
      assert.equal(state.model.subgraphs[0].operators.length, 3);
      assert.equal(inputDtype(state), 'int8');
      assert.ok(state.loadedAt instanceof Date);
      done();
    });
  });

  it('resolves a relative path against the user dir', function (done) {
    fs.mkdirSync(path.join(userDir, 'models'));
    fs.copyFileSync(HELLO_WORLD_FLOAT, path.join(userDir, 'models', 'sine.tflite'));
    helper.load(modelNode, configFlow({ source: 'file', path: 'models/sine.tflite' }), function () {
      const state = loaded();
      assert.equal(state.path, path.join(userDir, 'models', 'sine.tflite'));
      assert.equal(state.bytes.length, 3164);
      assert.equal(inputDtype(state), 'float32');
      done();
    });
  });

  it('loads an example model shipped with the package', function (done) {
    helper.load(modelNode, configFlow({ source: 'example', example: 'sine_float.tflite' }), function () {
      const state = loaded();
      assert.equal(state.path, SINE_FLOAT_EXAMPLE);
      assert.equal(inputDtype(state), 'float32');
      done();
    });
  });

  it('refuses an example name that leaves models', function (done) {
    helper.load(modelNode, configFlow({ source: 'example', example: '../../package.json' }), function () {
      const state = configNode().getModel();
      assert.ok(state instanceof Error);
      assert.match(state.message, /is not the name of an example model/);
      done();
    });
  });

  it('reports a missing file, a directory and a corrupt file without throwing, and warns', function (done) {
    const corrupt = path.join(userDir, 'corrupt.tflite');
    fs.writeFileSync(corrupt, fs.readFileSync(HELLO_WORLD_INT8).subarray(0, 200));
    const flow = [
      { id: 'm1', type: 'tinyml-model', source: 'file', path: 'nowhere.tflite' },
      { id: 'm2', type: 'tinyml-model', source: 'file', path: userDir },
      { id: 'm3', type: 'tinyml-model', source: 'file', path: 'corrupt.tflite' },
      { id: 'm4', type: 'tinyml-model', source: 'file', path: '' },
    ];
    helper.load(modelNode, flow, function () {
      const stateOf = (id: string): unknown => (helper.getNode(id) as ModelConfigNode).getModel();
      const expected: Array<[string, RegExp]> = [
        ['m1', new RegExp(`^${literal(path.join(userDir, 'nowhere.tflite'))}: file not found$`)],
        ['m2', new RegExp(`^${literal(userDir)}: not a regular file$`)],
        ['m3', new RegExp(`^${literal(corrupt)}: .+`)],
        ['m4', /^no model file configured$/],
      ];
      for (const [id, message] of expected) {
        const state = stateOf(id);
        assert.ok(state instanceof Error, `${id} loaded`);
        assert.match(state.message, message);
        assert.ok(warnings().some((w) => message.test(w)), `no warning matching ${message}`);
      }
      done();
    });
  });

  it('reloads when the file is replaced by a rename, and tells its users', function (done) {
    const file = path.join(userDir, 'model.tflite');
    fs.copyFileSync(HELLO_WORLD_FLOAT, file);
    helper.load(modelNode, configFlow({ source: 'file', path: file }), function () {
      assert.equal(inputDtype(loaded()), 'float32');
      const heard: Array<LoadedModel | Error> = [];
      configNode().subscribe((state) => heard.push(state));
      // What editors and training scripts do: write elsewhere, rename over.
      fs.copyFileSync(HELLO_WORLD_INT8, `${file}.new`);
      fs.renameSync(`${file}.new`, file);
      until('the reload', () => heard.length === 1)
        .then(() => {
          const state = heard[0];
          assert.ok(!(state instanceof Error));
          assert.equal(inputDtype(state), 'int8');
          assert.equal(loaded().bytes.length, 2704);
        })
        .then(done, done);
    });
  });

  it('reloads when the file is rewritten in place, reports a broken file, and recovers', function (done) {
    const file = path.join(userDir, 'model.tflite');
    fs.copyFileSync(HELLO_WORLD_INT8, file);
    const flow = [
      TAB,
      { id: 'm1', type: 'tinyml-model', source: 'file', path: 'model.tflite' },
      { id: 'info', type: 'tinyml-model-info', z: 'tab1', x: 0, y: 0, model: 'm1', wires: [['out']] },
      { id: 'out', type: 'helper', z: 'tab1' },
    ];
    helper.load([modelNode, infoNode], flow, function () {
      const out = received(helper.getNode('out'));
      const seen = statuses(helper.getNode('info'));
      const heard: Array<LoadedModel | Error> = [];
      configNode().subscribe((state) => heard.push(state));
      fs.writeFileSync(file, 'not a model');
      until('the failed reload', () => heard.length === 1)
        .then(() => {
          assert.ok(heard[0] instanceof Error);
          assert.ok(configNode().getModel() instanceof Error);
          // The user node shows the problem with the file's name, not its whole path.
          assert.equal(seen.at(-1)?.fill, 'red');
          assert.match(seen.at(-1)?.text ?? '', /^model\.tflite: /);
          fs.writeFileSync(file, fs.readFileSync(HELLO_WORLD_FLOAT));
          return until('the recovery', () => heard.length === 2);
        })
        .then(() => {
          assert.ok(!(heard[1] instanceof Error));
          assert.deepEqual(seen.at(-1), { fill: 'grey', shape: 'ring', text: 'model.tflite' });
          inputTo(helper.getNode('info'), { payload: 0 });
          return until('the report', () => out.length === 1);
        })
        .then(() => {
          const report = out[0].payload as { io: Array<{ inputs: Array<{ dtype: string }> }> };
          assert.equal(report.io[0].inputs[0].dtype, 'float32');
        })
        .then(done, done);
    });
  });

  it('does not tell its users about a write that left the bytes as they were', function (done) {
    const file = path.join(userDir, 'model.tflite');
    fs.copyFileSync(HELLO_WORLD_INT8, file);
    helper.load(modelNode, configFlow({ source: 'file', path: file }), function () {
      const heard: unknown[] = [];
      configNode().subscribe((state) => heard.push(state));
      fs.copyFileSync(HELLO_WORLD_INT8, file);
      fs.appendFileSync(path.join(userDir, 'other.tflite'), 'x'); // a neighbour changing is no news either
      setTimeout(() => {
        assert.equal(heard.length, 0);
        done();
      }, 400);
    });
  });

  describe('upload endpoint', function () {
    it('stores a valid model under <userDir>/tinyml-models and answers its relative path', async function () {
      await new Promise<void>((resolve, reject) => helper.load(modelNode, [], (err) => (err ? reject(err) : resolve())));
      const bytes = fs.readFileSync(HELLO_WORLD_INT8);
      const reply = await helper.request().post('/tinyml-model/upload/my-model.tflite')
        .set('Content-Type', 'application/octet-stream').send(bytes);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.body, { path: 'tinyml-models/my-model.tflite', bytes: 2704 });
      assert.deepEqual(fs.readFileSync(path.join(userDir, 'tinyml-models', 'my-model.tflite')), bytes);
      assert.deepEqual(fs.readdirSync(path.join(userDir, 'tinyml-models')), ['my-model.tflite']);
    });

    it('adds .tflite to a name without it', async function () {
      await new Promise<void>((resolve, reject) => helper.load(modelNode, [], (err) => (err ? reject(err) : resolve())));
      const reply = await helper.request().post('/tinyml-model/upload/sine_v2')
        .set('Content-Type', 'application/octet-stream').send(fs.readFileSync(HELLO_WORLD_FLOAT));
      assert.equal(reply.status, 200);
      assert.ok(fs.existsSync(path.join(userDir, 'tinyml-models', 'sine_v2.tflite')));
    });

    it('refuses names that would leave the upload directory', async function () {
      await new Promise<void>((resolve, reject) => helper.load(modelNode, [], (err) => (err ? reject(err) : resolve())));
      const bytes = fs.readFileSync(HELLO_WORLD_INT8);
      for (const name of ['..%2F..%2Fevil.tflite', '..%2Fevil', '..', '.hidden.tflite', 'a%5Cb.tflite', '%2Fetc%2Fpasswd', 'a..b']) {
        const reply = await helper.request().post(`/tinyml-model/upload/${name}`)
          .set('Content-Type', 'application/octet-stream').send(bytes);
        assert.equal(reply.status, 400, name);
        assert.match((reply.body as { error: string }).error, /is not a plain file name/);
      }
      assert.ok(!fs.existsSync(path.join(userDir, 'tinyml-models')));
      assert.ok(!fs.existsSync(path.join(userDir, 'evil.tflite')));
      assert.ok(!fs.existsSync(path.join(path.dirname(userDir), 'evil.tflite')));
    });

    it('refuses bytes that are not a model, and stores nothing', async function () {
      await new Promise<void>((resolve, reject) => helper.load(modelNode, [], (err) => (err ? reject(err) : resolve())));
      const reply = await helper.request().post('/tinyml-model/upload/junk.tflite')
        .set('Content-Type', 'application/octet-stream').send(Buffer.from('definitely not a flatbuffer'));
      assert.equal(reply.status, 400);
      assert.match((reply.body as { error: string }).error, /^junk\.tflite is not a usable \.tflite model: /);
      assert.ok(!fs.existsSync(path.join(userDir, 'tinyml-models', 'junk.tflite')));
    });

    it('lists the example models', async function () {
      await new Promise<void>((resolve, reject) => helper.load(modelNode, [], (err) => (err ? reject(err) : resolve())));
      const reply = await helper.request().get('/tinyml-model/examples');
      assert.equal(reply.status, 200);
      assert.ok((reply.body as string[]).includes('sine_float.tflite'));
    });
  });
});
