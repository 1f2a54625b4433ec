// tinyml-model: a config node holding one .tflite model, loaded once and shared by the nodes
// that use it. It reloads when the file changes and tells its users, so their status follows.
import fs from 'node:fs';
import path from 'node:path';
import { loadModel } from '../lib/model/read.js';
import { ModelFileError, messageOf } from './lib-bridge.js';
import type {
  AdminRequest,
  AdminResponse,
  LoadedModel,
  ModelConfigNode,
  ModelListener,
  Node,
  NodeAPI,
  NodeDef,
} from './types.js';
import { readUserFile, userFilePath } from './user-file.js';
import { watchFile } from './watch-file.js';

interface TinymlModelDef extends NodeDef {
  /** 'file': `path` (absolute, or relative to the user dir); 'example': a model this package ships. */
  source?: 'file' | 'example';
  path?: string;
  example?: string;
}

/** dist/nodes -> the package root, wherever the package is installed. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE_MODELS_DIR = path.join(PACKAGE_ROOT, 'models');
/** Uploads land here, under the Node-RED user dir. */
const UPLOAD_DIR_NAME = 'tinyml-models';
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
/** A plain file name: no separators, no leading dot, so it cannot leave its directory. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..');
}

/** The absolute file a definition names, or why it names none. */
function modelFileOf(def: TinymlModelDef, userDir: string): string | Error {
  if (def.source === 'example') {
    const name = def.example ?? '';
    if (!isSafeName(name)) return new Error(`"${name}" is not the name of an example model`);
    return path.join(EXAMPLE_MODELS_DIR, name);
  }
  const file = (def.path ?? '').trim();
  if (!file) return new Error('no model file configured');
  return userFilePath(userDir, file);
}

function loadFile(file: string): LoadedModel | ModelFileError {
  const bytes = readUserFile(file);
  if (bytes instanceof Error) return bytes;
  try {
    return { model: loadModel(bytes), bytes, path: file, loadedAt: new Date() };
  } catch (err) {
    return new ModelFileError(file, messageOf(err));
  }
}

/** A reload that finds what we already have is not news. */
function sameState(a: LoadedModel | Error, b: LoadedModel | Error): boolean {
  if (a instanceof Error || b instanceof Error) {
    return a instanceof Error && b instanceof Error && a.message === b.message;
  }
  return Buffer.compare(a.bytes, b.bytes) === 0;
}

class UploadTooLargeError extends Error {}

/** The raw request body; Node-RED's admin app parses only JSON and forms, so it is untouched. */
function readBody(req: AdminRequest, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Answer now and let the rest of the body drain unread.
      req.off('data', onData);
      req.resume();
      reject(new UploadTooLargeError(`upload larger than ${limit} bytes`));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Writes beside the target then renames, so a watcher never sees half a model. */
function writeAtomically(file: string, bytes: Uint8Array): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temp, bytes);
  fs.renameSync(temp, file);
}

export = function register(RED: NodeAPI): void {
  const userDir = (): string => RED.settings.userDir ?? process.cwd();

  function TinymlModelNode(this: Node, def: TinymlModelDef): void {
    RED.nodes.createNode(this, def);
    const node = this as ModelConfigNode;
    const listeners = new Set<ModelListener>();
    const file = modelFileOf(def, userDir());
    let state: LoadedModel | Error = file instanceof Error ? file : loadFile(file);
    if (state instanceof Error) node.warn(state.message);

    node.getModel = () => state;
    node.subscribe = (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };

    if (file instanceof Error) return;
    const watch = watchFile(file, () => {
      const next = loadFile(file);
      if (sameState(state, next)) return;
      state = next;
      if (next instanceof Error) node.warn(next.message);
      else node.log(`loaded ${next.path} (${next.bytes.length} bytes)`);
      for (const listener of listeners) listener(next);
    });
    node.on('close', (_removed, done) => {
      watch.close();
      listeners.clear();
      done();
    });
  }
  RED.nodes.registerType('tinyml-model', TinymlModelNode);

  // The edit dialog lists the models this package ships...
  RED.httpAdmin.get('/tinyml-model/examples', RED.auth.needsPermission('tinyml-model.read'), (_req, res) => {
    let names: string[] = [];
    try {
      names = fs.readdirSync(EXAMPLE_MODELS_DIR).filter((n) => n.endsWith('.tflite') && isSafeName(n)).sort();
    } catch {
      // no models in this install: an empty list
    }
    res.json(names);
  });

  // ...and uploads a model as the raw request body. Only a valid model is stored, under a
  // plain name in <userDir>/tinyml-models; the reply is the path relative to the user dir.
  RED.httpAdmin.post(
    '/tinyml-model/upload/:name',
    RED.auth.needsPermission('tinyml-model.write'),
    (req: AdminRequest, res: AdminResponse) => {
      const stem = (req.params.name ?? '').replace(/\.tflite$/i, '');
      if (!isSafeName(stem)) {
        res.status(400).json({ error: `"${req.params.name}" is not a plain file name (letters, digits, . _ -)` });
        return;
      }
      const name = `${stem}.tflite`;
      readBody(req, MAX_UPLOAD_BYTES).then(
        (bytes) => {
          try {
            loadModel(bytes);
          } catch (err) {
            res.status(400).json({ error: `${name} is not a usable .tflite model: ${messageOf(err)}` });
            return;
          }
          try {
            const dir = path.join(userDir(), UPLOAD_DIR_NAME);
            fs.mkdirSync(dir, { recursive: true });
            writeAtomically(path.join(dir, name), bytes);
          } catch (err) {
            res.status(500).json({ error: `could not store ${name}: ${messageOf(err)}` });
            return;
          }
          RED.log.info(`tinyml-model: stored upload ${UPLOAD_DIR_NAME}/${name} (${bytes.length} bytes)`);
          res.json({ path: `${UPLOAD_DIR_NAME}/${name}`, bytes: bytes.length });
        },
        (err: unknown) => res.status(err instanceof UploadTooLargeError ? 413 : 400).json({ error: messageOf(err) }),
      );
    },
  );
};
