// What the tinyml nodes share: finding the model a message is about and turning outcomes into
// status. Everything that knows about models lives in lib/.
import path from 'node:path';
import { loadModel } from '../lib/model/read.js';
import type { Model } from '../lib/model/types.js';
import { isModelConfigNode, type ModelConfigNode, type Node, type NodeAPI, type NodeMessage, type NodeStatus } from './types.js';

/** The model a message is about, and where it came from. */
export interface ModelInput {
  model: Model;
  bytes: Uint8Array;
  /** The config node's file, or null when the model came in msg.payload. */
  path: string | null;
}

/** msg.payload as model bytes, or null when it holds something else. */
export function payloadBytes(payload: unknown): Uint8Array | null {
  if (payload instanceof Uint8Array) return payload; // Buffer is a Uint8Array
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  return null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string (${value.length} characters)`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The model in msg.payload when it holds bytes, else the configured model. Throws an Error that
 * says which source failed, so a Catch node shows something a user can act on.
 */
export function modelFor(msg: NodeMessage, config: ModelConfigNode | null): ModelInput {
  const bytes = payloadBytes(msg.payload);
  if (bytes) {
    try {
      return { model: loadModel(bytes), bytes, path: null };
    } catch (err) {
      throw new Error(`msg.payload is not a usable .tflite model: ${messageOf(err)}`);
    }
  }
  if (!config) {
    throw new Error(
      `no model: msg.payload is ${describe(msg.payload)}, not a Buffer holding a .tflite, and no model is configured`,
    );
  }
  const loaded = config.getModel();
  if (loaded instanceof Error) throw loaded;
  return { model: loaded.model, bytes: loaded.bytes, path: loaded.path };
}

/** A model file that could not be used; `detail` says why without repeating the path. */
export class ModelFileError extends Error {
  readonly file: string;
  readonly detail: string;

  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.file = file;
    this.detail = detail;
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Status texts stay short: the editor draws them under the node. */
export function errorStatus(err: unknown): NodeStatus {
  // A full path would fill the status; the file name is enough beside the node.
  const text = err instanceof ModelFileError ? `${path.basename(err.file)}: ${err.detail}` : messageOf(err);
  return { fill: 'red', shape: 'ring', text: text.length > 48 ? `${text.slice(0, 47)}…` : text };
}

/** What a node using `config` shows before its first message and after each reload. */
export function configStatus(state: ReturnType<ModelConfigNode['getModel']>): NodeStatus {
  if (state instanceof Error) return errorStatus(state);
  return { fill: 'grey', shape: 'ring', text: path.basename(state.path) };
}

/** 18432 -> "18.4 kB" (SI units, as file managers show sizes). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(2)} MB`;
}

/**
 * The node's tinyml-model config node, or null when it has none: its status follows the
 * model's state (loaded, missing, corrupt) until the node closes.
 */
export function useModelConfig(RED: NodeAPI, node: Node, id: string | undefined): ModelConfigNode | null {
  const found = id ? RED.nodes.getNode(id) : null;
  if (!isModelConfigNode(found)) return null;
  const unsubscribe = found.subscribe((state) => node.status(configStatus(state)));
  node.status(configStatus(found.getModel()));
  node.on('close', (_removed, done) => {
    unsubscribe();
    done();
  });
  return found;
}

/**
 * Runs `handle` on each message and forwards the message it rewrote; a throw becomes an error
 * status and done(err), so a Catch node sees it and the node goes on serving.
 */
export function onModelMessage(node: Node, handle: (msg: NodeMessage) => NodeStatus): void {
  node.on('input', (msg, send, done) => {
    try {
      node.status(handle(msg));
      send(msg);
      done();
    } catch (err) {
      node.status(errorStatus(err));
      done(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
