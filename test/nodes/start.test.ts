// npm start for real: scripts/start.mjs on a free port with a temporary user dir. The demo flow
// must be deployed and must have run; we see that in the node statuses Node-RED keeps for the
// editor (retained on its /comms websocket), the same place a user sees it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import WebSocket = require('ws');
import type { NodeStatus } from '../../nodes/types.js';
import { REPO_ROOT } from '../support/paths.js';
import { tempDir } from './helpers.js';
import { seriesColoursDrawn } from '../support/browser.js';

const START = path.join(REPO_ROOT, 'scripts', 'start.mjs');
// npm start deploys these two examples (the second needs the dashboard, a devDependency).
const DEMO = ['inspect-and-export.json', 'hello-world-sine.json'].flatMap((name) =>
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8')) as Array<{ id: string; type: string; name?: string }>);

// The chart's first two series colours (ui-chart's default palette, set in the example):
// prediction is drawn first, then sin(x).
const CHART = DEMO.find((n) => n.type === 'ui-chart') as { colors?: string[] } | undefined;
const CHART_SERIES_COLOURS = (CHART?.colors ?? []).slice(0, 2);

function demoNode(type: string): string {
  const node = DEMO.find((n) => n.type === type);
  assert.ok(node, `the demo flow has no ${type}`);
  return node.id;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(userDir: string, port: number): Started {
  // Its own process group, so stopping it reaches Node-RED too, as Ctrl-C in a terminal would.
  const child = spawn(process.execPath, [START], {
    env: { ...process.env, PORT: String(port), TINYML_USER_DIR: userDir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function stop(started: Started): Promise<number | null> {
  const pid = started.child.pid;
  if (pid === undefined || started.child.exitCode !== null) return started.exited;
  process.kill(-pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 10000);
  const code = await started.exited;
  clearTimeout(timer);
  return code;
}

async function waitForEditor(base: string, started: Started): Promise<void> {
  const deadline = Date.now() + 20000;
  for (;;) {
    if (started.child.exitCode !== null) throw new Error(`start.mjs exited early:\n${started.output()}`);
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${base}:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function getJson(url: string): Promise<unknown> {
  const reply = await fetch(url, { headers: { Accept: 'application/json' } });
  assert.equal(reply.status, 200, url);
  return reply.json();
}

/** Node statuses from the editor's websocket until `done` is satisfied by them. */
function statusesUntil(port: number, done: (statuses: Map<string, NodeStatus>) => boolean, ms = 10000): Promise<Map<string, NodeStatus>> {
  return new Promise((resolve, reject) => {
    const statuses = new Map<string, NodeStatus>();
    const socket = new WebSocket(`ws://127.0.0.1:${port}/comms`);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`statuses never settled: ${JSON.stringify([...statuses])}`));
    }, ms);
    socket.on('open', () => socket.send(JSON.stringify({ subscribe: 'status/#' })));
    socket.on('error', reject);
    socket.on('message', (data: WebSocket.RawData) => {
      for (const { topic, data: status } of JSON.parse(data.toString()) as Array<{ topic: string; data: NodeStatus }>) {
        if (topic.startsWith('status/')) statuses.set(topic.slice('status/'.length), status);
      }
      if (done(statuses)) {
        clearTimeout(timer);
        socket.close();
        resolve(statuses);
      }
    });
  });
}

describe('npm start (scripts/start.mjs)', function () {
  this.timeout(40000);
  let userDir: string;
  let port: number;
  let running: Started | null = null;

  before(async function () {
    userDir = tempDir('start');
    port = await freePort();
  });

  afterEach(async function () {
    if (running) await stop(running);
    running = null;
  });

  after(function () {
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('runs Node-RED with the package installed and the demo flow deployed and running', async function () {
    const base = `http://127.0.0.1:${port}`;
    running = start(userDir, port);
    await waitForEditor(base, running);

    const nodeSets = await getJson(`${base}/nodes`) as Array<{ module: string; types: string[] }>;
    const ours = nodeSets.filter((set) => set.module === 'node-red-contrib-tinyml').flatMap((set) => set.types);
    assert.deepEqual(ours.sort(), ['tinyml-c-array', 'tinyml-firmware', 'tinyml-infer', 'tinyml-model', 'tinyml-model-info', 'tinyml-quantize']);
    const dashboard = nodeSets.filter((set) => set.module === '@flowfuse/node-red-dashboard').flatMap((set) => set.types);
    assert.ok(dashboard.includes('ui-chart'), `dashboard nodes: ${dashboard.join(', ')}`);

    const flows = await getJson(`${base}/flows`) as Array<{ id: string; type: string }>;
    assert.deepEqual(flows.map((n) => n.id).sort(), DEMO.map((n) => n.id).sort());

    // The demo's model is the float MLP 1 -> 16 -> 16 -> 1: three FULLY_CONNECTED operators,
    // 1*16 + 16*16 + 16*1 = 288 multiply-accumulates.
    const info = demoNode('tinyml-model-info');
    const cArray = demoNode('tinyml-c-array');
    const infer = demoNode('tinyml-infer');
    const ran = (statuses: Map<string, NodeStatus>): boolean =>
      statuses.get(info)?.shape === 'dot' && statuses.get(cArray)?.shape === 'dot' && statuses.get(infer)?.fill === 'green';
    const statuses = await statusesUntil(port, ran).catch((err: Error) => {
      throw new Error(`${err.message}\n${running?.output()}`);
    });
    assert.equal(statuses.get(info)?.fill, 'green');
    assert.match(statuses.get(info)?.text ?? '', /^3 ops · [\d.]+ kB · 128 B RAM · 288 MACs$/);
    assert.equal(statuses.get(cArray)?.fill, 'green');
    assert.match(statuses.get(cArray)?.text ?? '', /^g_sine_model\.cc · [\d.]+ kB$/);
    assert.match(statuses.get(infer)?.text ?? '', /ms/);

    assert.equal(await stop(running), 0);
    running = null;
    const link = path.join(userDir, 'node_modules', 'node-red-contrib-tinyml');
    assert.equal(fs.realpathSync(link), fs.realpathSync(REPO_ROOT));
    const pkg = JSON.parse(fs.readFileSync(path.join(userDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.match(pkg.dependencies['node-red-contrib-tinyml'], /^file:/);
  });

  it('draws both sine curves on /dashboard (hello-world-sine, in Chromium)', async function () {
    const base = `http://127.0.0.1:${port}`;
    running = start(userDir, port);
    await waitForEditor(base, running);
    assert.equal(CHART_SERIES_COLOURS.length, 2);
    // 300 pixels per colour is more than the legend's marks (about 150) can give: lines are drawn.
    const drawn = await seriesColoursDrawn(`${base}/dashboard/sine`, CHART_SERIES_COLOURS, 300);
    assert.deepEqual(drawn.missing, [], `chart pixels by colour: ${JSON.stringify(drawn.counts)}`);
    assert.equal(await stop(running), 0);
    running = null;
  });

  it('keeps the user\'s flows and its own setup on the next start', async function () {
    const flowsFile = path.join(userDir, 'flows.json');
    const mine = JSON.parse(fs.readFileSync(flowsFile, 'utf8')) as Array<{ type: string; name?: string }>;
    const comment = mine.find((n) => n.type === 'comment');
    assert.ok(comment);
    comment.name = 'my own flow now';
    fs.writeFileSync(flowsFile, JSON.stringify(mine));
    const packageBefore = fs.readFileSync(path.join(userDir, 'package.json'), 'utf8');

    const base = `http://127.0.0.1:${port}`;
    running = start(userDir, port);
    await waitForEditor(base, running);
    const flows = await getJson(`${base}/flows`) as Array<{ type: string; name?: string }>;
    assert.equal(flows.find((n) => n.type === 'comment')?.name, 'my own flow now');
    assert.equal(await stop(running), 0);
    running = null;

    assert.equal(fs.readFileSync(path.join(userDir, 'package.json'), 'utf8'), packageBefore);
    assert.equal(fs.realpathSync(path.join(userDir, 'node_modules', 'node-red-contrib-tinyml')), fs.realpathSync(REPO_ROOT));
  });
});
