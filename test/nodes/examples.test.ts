// The importable example flows (examples/*.json) load in a real Node-RED runtime and run with no
// hardware; each opens with a comment node that explains it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { NodeMessage } from '../../nodes/types.js';
import { REPO_ROOT } from '../support/paths.js';
import { helper, nodeModule, received, tempDir, until } from './helpers.js';

interface FlowNode {
  id: string;
  type: string;
  z?: string;
  wires?: string[][];
  [key: string]: unknown;
}

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const CORE = path.join(REPO_ROOT, 'node_modules/@node-red/nodes/core');
// The core nodes the examples use beside ours (the test helper preloads only catch/status/complete).
const flowNodes = [
  ...(['tinyml-model', 'model-info', 'c-array', 'infer'] as const).map(nodeModule),
  require(path.join(CORE, 'common/20-inject.js')) as ReturnType<typeof nodeModule>,
  require(path.join(CORE, 'function/10-function.js')) as ReturnType<typeof nodeModule>,
  require(path.join(CORE, 'common/90-comment.js')) as ReturnType<typeof nodeModule>,
];

function readFlow(name: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8')) as FlowNode[];
}

describe('examples/', function () {
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

  it('holds only flows (Import > Examples lists every folder)', function () {
    assert.deepEqual(fs.readdirSync(EXAMPLES).filter((f) => !f.endsWith('.json')), []);
    assert.ok(files.length >= 2);
  });

  for (const file of files) {
    it(`${file} opens with a comment node that explains it`, function () {
      const first = readFlow(file)[0];
      assert.equal(first.type, 'comment');
      assert.ok(typeof first.info === 'string' && first.info.length > 100);
    });
  }

  describe('hello-world-sine.json in a running flow', function () {
    let userDir: string;
    beforeEach(function (done) {
      userDir = tempDir('example');
      helper.settings({ userDir });
      helper.startServer(done);
    });
    afterEach(function (done) {
      fs.rmSync(userDir, { recursive: true, force: true });
      helper.unload().then(() => helper.stopServer(done));
    });

    it('streams x through the sine model: predictions follow sin(x)', function (done) {
      this.timeout(10000);
      // The dashboard chart becomes a test helper node so the test sees what the chart is sent
      // (the chart itself is drawn in Chromium by start.test.ts); the dashboard's config nodes go.
      const flow = readFlow('hello-world-sine.json')
        .filter((n) => !['ui-base', 'ui-theme', 'ui-page', 'ui-group'].includes(n.type))
        .map((n) => (n.type === 'ui-chart' ? { id: n.id, type: 'helper', z: n.z } : n));
      const sink = flow.find((n) => n.type === 'helper');
      assert.ok(sink);
      helper.load(flowNodes, flow, function () {
        const seen: NodeMessage[] = received(helper.getNode(sink.id));
        until('ten messages (five ticks)', () => seen.length >= 10, 8000).then(() => {
          const predictions = seen.filter((m) => m.topic === 'prediction');
          assert.ok(predictions.length >= 5);
          for (const p of predictions) assert.ok(Math.abs((p.payload as number) - Math.sin(p.x as number)) < 0.05, `x=${p.x}: ${p.payload}`);
          const curve = seen.filter((m) => m.topic === 'sin(x)');
          for (const c of curve) assert.equal(c.payload, Math.sin(c.x as number));
          // The first tick is x = 0: the chart is cleared (an empty array) before its two points.
          // (An array made in the function node's sandbox: another realm's Array, so no deepEqual.)
          assert.ok(Array.isArray(seen[0].payload) && seen[0].payload.length === 0, JSON.stringify(seen[0]));
          assert.equal(seen[1].x, 0);
          done();
        }).catch(done);
      });
    });
  });
});
