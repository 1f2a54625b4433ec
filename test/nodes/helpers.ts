// What the node tests share: a typed view of node-red-node-test-helper (it ships no types),
// the reference models, and small waits.
import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Node, NodeMessage, NodeStatus } from '../../nodes/types.js';
import { REPO_ROOT, SHARED } from '../support/paths.js';

type NodeModule = (RED: never) => void;

interface SupertestRequest extends PromiseLike<{ status: number; body: unknown }> {
  set(field: string, value: string): SupertestRequest;
  send(body: unknown): SupertestRequest;
}

export interface TestHelper {
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  load(nodes: NodeModule | NodeModule[], flow: object[], done: (err?: unknown) => void): void;
  unload(): Promise<void>;
  startServer(done: (err?: unknown) => void): void;
  stopServer(done: (err?: unknown) => void): void;
  getNode(id: string): Node | null;
  request(): { get(url: string): SupertestRequest; post(url: string): SupertestRequest };
  log(): { args: unknown[][] };
}

export const helper: TestHelper = require('node-red-node-test-helper');

/** The compiled nodes, as Node-RED loads them from the package (dist/nodes/*.js). */
export function nodeModule(name: 'tinyml-model' | 'model-info' | 'c-array' | 'infer' | 'quantize' | 'firmware'): NodeModule {
  return require(path.join(REPO_ROOT, 'dist', 'nodes', `${name}.js`)) as NodeModule;
}

const TFLM = path.join(SHARED, 'models', 'tflm');
export const HELLO_WORLD_INT8 = path.join(TFLM, 'examples/hello_world/models/hello_world_int8.tflite');
export const HELLO_WORLD_FLOAT = path.join(TFLM, 'examples/hello_world/models/hello_world_float.tflite');
export const SINE_FLOAT_EXAMPLE = path.join(REPO_ROOT, 'models', 'sine_float.tflite');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tinyml-${prefix}-`));
}

/** Node-RED's helper node: records what it receives. */
export function received(node: Node | null): NodeMessage[] {
  if (!node) throw new Error('no such node');
  const messages: NodeMessage[] = [];
  node.on('input', (msg) => messages.push(msg));
  return messages;
}

/** The statuses a node sets from now on (the helper emits call:status for each). */
export function statuses(node: Node | null): NodeStatus[] {
  if (!node) throw new Error('no such node');
  const seen: NodeStatus[] = [];
  (node as EventEmitter).on('call:status', (call: { args: [NodeStatus] }) => seen.push(call.args[0]));
  return seen;
}

/** Resolves when `test` holds, polling; rejects with `what` after `ms`. */
export async function until(what: string, test: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function inputTo(node: Node | null, msg: NodeMessage): void {
  if (!node) throw new Error('no such node');
  (node as Node & { receive(msg: NodeMessage): void }).receive(msg);
}

/** A flow tab, so catch nodes see the errors of the nodes on it. */
export const TAB = { id: 'tab1', type: 'tab', label: 'test' };
