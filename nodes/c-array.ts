// c array: msg in (a .tflite in msg.payload, or the configured model) -> C source for firmware.
import path from 'node:path';
import { toCArray } from '../lib/codegen/c-array.js';
import { errorStatus, formatBytes, modelFor, onModelMessage, useModelConfig } from './lib-bridge.js';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './types.js';

type SourceExtension = '.c' | '.cc' | '.h';
const EXTENSIONS: readonly string[] = ['.c', '.cc', '.h'];

interface CArrayDef extends NodeDef {
  model?: string;
  /** The array's C name; empty: derived from the model's file name, as xxd does. */
  symbol?: string;
  /** Exactly what `xxd -i model.tflite` prints: no header, no alignment. */
  xxd?: boolean;
  /** alignas() of the array; the editor stores it as a string or a number. */
  alignment?: number | string;
  extension?: SourceExtension;
}

/** The file name the array is named after: the model's, when the message or config knows it. */
function modelFileName(msg: NodeMessage, modelPath: string | null): string | undefined {
  if (modelPath) return path.basename(modelPath);
  return typeof msg.filename === 'string' && msg.filename ? path.basename(msg.filename) : undefined;
}

export = function register(RED: NodeAPI): void {
  function CArrayNode(this: Node, def: CArrayDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = useModelConfig(RED, node, def.model);

    const xxd = def.xxd === true;
    const extension = def.extension ?? '.cc';
    const alignment = def.alignment === undefined || def.alignment === '' ? undefined : Number(def.alignment);
    const symbol = def.symbol?.trim() || undefined;
    // A .h source would #include a header of the same name: only xxd's output stands alone.
    const setupError = !EXTENSIONS.includes(extension)
      ? new Error(`source extension "${extension}" is not one of ${EXTENSIONS.join(', ')}`)
      : extension === '.h' && !xxd
        ? new Error('a .h source needs xxd mode (otherwise the source and its header share a name)')
        : null;
    if (setupError) node.status(errorStatus(setupError));

    onModelMessage(node, (msg) => {
      if (setupError) throw setupError;
      const input = modelFor(msg, config);
      const result = toCArray(input.bytes, {
        name: symbol,
        fileName: modelFileName(msg, input.path),
        xxd,
        alignment: xxd ? undefined : alignment,
      });
      const stem = result.sourceFileName.slice(0, -path.extname(result.sourceFileName).length);
      msg.payload = result.source;
      msg.header = result.header;
      msg.filename = `${stem}${extension}`;
      msg.headerFilename = result.headerFileName;
      return { fill: 'green', shape: 'dot', text: `${msg.filename} · ${formatBytes(input.bytes.length)}` };
    });
  }
  RED.nodes.registerType('tinyml-c-array', CArrayNode);
};
