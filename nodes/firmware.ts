// firmware: a model (the configured one, or a .tflite Buffer in msg.payload) -> a buildable
// project for a board, on our C runtime or on TFLM: a zip in msg.payload and, when a folder is
// configured, the project written there. Generation-time refusals (an op the runtime lacks, a
// model too big for the board, a damaged tinyml_plan) reach a Catch node; the node keeps serving.
import path from 'node:path';
import { firmwareProject, writeProjectFiles } from '../lib/codegen/firmware-project.js';
import { zipProject } from '../lib/codegen/project-zip.js';
import { tflmProject } from '../lib/codegen/tflm-export.js';
import { findBoard, formatKb, type BoardFit, type BoardProfile } from '../lib/deploy/boards/index.js';
import { errorStatus, formatBytes, messageOf, modelFor, useModelConfig, type ModelInput } from './lib-bridge.js';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from './types.js';
import { userOutputDir } from './user-file.js';

type ProjectKind = 'runtime' | 'tflm';
const KINDS: readonly string[] = ['runtime', 'tflm'];
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface FirmwareDef extends NodeDef {
  model?: string;
  /** Board profile id (lib/deploy/boards). */
  board?: string;
  /** 'runtime': our C runtime (firmware/runtime); 'tflm': a TensorFlow Lite Micro sketch. */
  kind?: ProjectKind;
  /** Project and sketch name, a C identifier; empty: from the model's file name. */
  project?: string;
  /** Where to write the project: relative to the user dir, or absolute; empty: only the zip. */
  folder?: string;
}

/** What either kind of project gives the message and the status. */
interface Generated {
  files: Record<string, string>;
  fits: BoardFit | null;
  details: Record<string, unknown>;
  status: string;
}

/** 'hello_world_int8.tflite' -> 'hello_world_int8', 'kws-v2.tflite' -> 'kws_v2': a C identifier. */
function projectNameOf(msg: NodeMessage, modelPath: string | null): string {
  const file = modelPath ?? (typeof msg.filename === 'string' && msg.filename ? msg.filename : 'tinyml_model');
  const base = path.basename(file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(base) ? base : `m_${base}`;
}

function runtimeProject(input: ModelInput, name: string, board: BoardProfile): Generated {
  const project = firmwareProject(input.bytes, { board, name });
  const { flash, ram } = project.fit;
  return {
    files: project.files,
    fits: project.fit,
    details: { plan: project.plan },
    status: `${board.id} · ${formatBytes(flash.needed)} flash · ${ram ? `${formatBytes(ram.needed)} RAM` : 'RAM unknown'}`,
  };
}

function tflmProjectFor(input: ModelInput, name: string, board: BoardProfile): Generated {
  const project = tflmProject(input.model, input.bytes, { name, board });
  // fits() budgets our runtime's code; TFLM's own code size is not known here, but its arena is.
  if (project.tensorArenaSize > board.ramBytes) {
    throw new Error(`${name} on ${board.name}: does not fit: TFLM's tensor arena needs ${formatKb(project.tensorArenaSize)} RAM, ${board.name} has ${formatKb(board.ramBytes)}`);
  }
  const { resolverMethods, plannedArenaBytes, marginBytes, tensorArenaSize } = project;
  return {
    files: project.files,
    fits: null,
    details: { tflm: { resolverMethods, plannedArenaBytes, marginBytes, tensorArenaSize } },
    status: `${board.id} · TFLM · ${formatBytes(input.bytes.length)} model · ${formatBytes(tensorArenaSize)} arena`,
  };
}

/** A status short enough to read under the node, for the refusals users will meet most. */
function failureStatus(err: unknown, board: BoardProfile | null): NodeStatus {
  const message = messageOf(err);
  const op = /operator \d+ \(([^,)\s]+)/.exec(message);
  if (op && /cannot run this model|has no Add\*\(\)/.test(message)) return { fill: 'red', shape: 'ring', text: `unsupported op ${op[1]}` };
  if (board && message.includes('does not fit:')) return { fill: 'red', shape: 'ring', text: `too big for ${board.shortName}` };
  if (message.includes('tinyml_plan is corrupt')) return { fill: 'red', shape: 'ring', text: 'corrupt tinyml_plan' };
  return errorStatus(err);
}

export = function register(RED: NodeAPI): void {
  const userDir = (): string => RED.settings.userDir ?? process.cwd();

  function FirmwareNode(this: Node, def: FirmwareDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = useModelConfig(RED, node, def.model);
    const kind = def.kind ?? 'runtime';
    const project = def.project?.trim() ?? '';
    const folder = def.folder?.trim() ? userOutputDir(userDir(), def.folder) : null;

    let board: BoardProfile | null = null;
    let setupError: Error | null = null;
    try {
      board = findBoard(def.board || 'uno');
    } catch (err) {
      setupError = err instanceof Error ? err : new Error(String(err));
    }
    if (!KINDS.includes(kind)) setupError ??= new Error(`project kind must be runtime or tflm, got "${String(kind)}"`);
    if (project && !C_IDENTIFIER.test(project)) setupError ??= new Error(`project name "${project}" is not a C identifier`);
    if (folder instanceof Error) setupError ??= folder;
    if (setupError) node.status(errorStatus(setupError));

    function generate(msg: NodeMessage, target: BoardProfile): NodeStatus {
      const input = modelFor(msg, config);
      const name = project || projectNameOf(msg, input.path);
      const generated = kind === 'tflm' ? tflmProjectFor(input, name, target) : runtimeProject(input, name, target);
      const zip = zipProject(generated.files, { folder: name });
      if (typeof folder === 'string') {
        try {
          writeProjectFiles(folder, generated.files);
        } catch (err) {
          throw new Error(`cannot write the project to ${folder}: ${messageOf(err)}`);
        }
        msg.folder = folder;
      }
      msg.payload = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
      msg.filename = `${name}.zip`;
      msg.files = Object.keys(generated.files);
      msg.fits = generated.fits;
      Object.assign(msg, generated.details);
      return { fill: 'green', shape: 'dot', text: generated.status };
    }

    node.on('input', (msg, send, done) => {
      if (setupError || !board) {
        const err = setupError ?? new Error('no board');
        node.status(errorStatus(err));
        done(err);
        return;
      }
      const target = board;
      node.status({ fill: 'blue', shape: 'ring', text: 'generating…' });
      // Generating is synchronous: let the editor see "generating…" before it starts.
      setImmediate(() => {
        try {
          node.status(generate(msg, target));
          send(msg);
          done();
        } catch (err) {
          node.status(failureStatus(err, target));
          done(err instanceof Error ? err : new Error(messageOf(err)));
        }
      });
    });
  }
  RED.nodes.registerType('tinyml-firmware', FirmwareNode);
};
