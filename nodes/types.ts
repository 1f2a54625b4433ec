// The part of the Node-RED runtime API our nodes use. node-red ships no type declarations, so
// these follow the documented API (nodered.org/docs/creating-nodes) as Node-RED 4 implements it.
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Model } from '../lib/model/types.js';

export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  [property: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

/** The properties every node definition in a flow has; each node adds its own defaults. */
export interface NodeDef {
  id: string;
  type: string;
  name?: string;
  z?: string;
}

export type SendFn = (msg: NodeMessage | Array<NodeMessage | null>) => void;
export type DoneFn = (err?: Error) => void;

export interface Node extends EventEmitter {
  id: string;
  type: string;
  name?: string;
  status(status: NodeStatus): void;
  log(message: unknown): void;
  warn(message: unknown): void;
  error(error: unknown, msg?: NodeMessage): void;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): this;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): this;
}

/** Express's request as the admin routes see it (params and query are parsed by Express). */
export interface AdminRequest extends IncomingMessage {
  params: Record<string, string>;
  query: Record<string, unknown>;
}

export interface AdminResponse extends ServerResponse {
  status(code: number): AdminResponse;
  json(body: unknown): void;
}

export type AdminHandler = (req: AdminRequest, res: AdminResponse, next: (err?: unknown) => void) => void;

export interface AdminApp {
  get(route: string, ...handlers: AdminHandler[]): void;
  post(route: string, ...handlers: AdminHandler[]): void;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, def: NodeDef): void;
    registerType(type: string, constructor: (this: Node, def: never) => void): void;
    getNode(id: string): Node | null;
  };
  settings: { userDir?: string; [setting: string]: unknown };
  httpAdmin: AdminApp;
  auth: { needsPermission(permission: string): AdminHandler };
  log: { info(message: unknown): void; warn(message: unknown): void };
}

/** What a tinyml-model config node holds once its file has loaded. */
export interface LoadedModel {
  model: Model;
  /** The file's bytes: constant tensors of `model` are views on them. */
  bytes: Uint8Array;
  /** Absolute path of the file. */
  path: string;
  loadedAt: Date;
}

/** Called after every (re)load attempt that changed the node's state. */
export type ModelListener = (state: LoadedModel | Error) => void;

/** The API a tinyml-model config node offers to the nodes that use it. */
export interface ModelConfigNode extends Node {
  /** The model as last loaded, or why it could not be loaded. */
  getModel(): LoadedModel | Error;
  /** Hears about reloads and failures; returns the function that stops listening. */
  subscribe(listener: ModelListener): () => void;
}

export function isModelConfigNode(node: Node | null): node is ModelConfigNode {
  return node !== null && typeof (node as Partial<ModelConfigNode>).getModel === 'function';
}
