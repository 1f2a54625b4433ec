// infer: msg.payload (numbers, or raw input bytes) -> the model's outputs, run in our TypeScript
// port of TFLM. With a window size set, samples stream in (one or a few per message) and every
// completed window is one inference.
import { Interpreter } from '../lib/interpreter/interpreter.js';
import { readValues, writeValues } from '../lib/interpreter/values.js';
import { SlidingWindow } from '../lib/sensors/sliding-window.js';
import type { Model } from '../lib/model/types.js';
import { errorStatus, messageOf, useModelConfig } from './lib-bridge.js';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './types.js';

interface InferDef extends NodeDef {
  model?: string;
  /** Values a window holds; 0: every message carries one whole input. */
  window?: number | string;
  /** Values between the starts of consecutive windows; empty: the window size. */
  hop?: number | string;
  /** Inputs are real numbers to quantize (true), or raw integers for a quantized input (false). */
  quantize?: boolean;
  /** Outputs as real numbers (true), or their raw integers (false). */
  dequantize?: boolean;
}

interface Runner {
  model: Model;
  interpreter: Interpreter;
}

/** msg.payload as a flat list of numbers, or null when it holds something else. */
function numbersOf(payload: unknown): number[] | null {
  if (typeof payload === 'number') return [payload];
  if (ArrayBuffer.isView(payload) && !(payload instanceof DataView) && !(payload instanceof Uint8Array)) {
    return Array.from(payload as unknown as ArrayLike<number>, Number);
  }
  if (!Array.isArray(payload)) return null;
  const flat: unknown[] = payload.flat(Infinity);
  return flat.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (flat as number[]) : null;
}

function positiveInteger(value: number | string | undefined, what: string): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number, got "${value}"`);
  return n;
}

export = function register(RED: NodeAPI): void {
  function InferNode(this: Node, def: InferDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = useModelConfig(RED, node, def.model);
    const quantize = def.quantize !== false;
    const dequantize = def.dequantize !== false;
    let setupError: Error | null = null;
    let window: SlidingWindow | null = null;
    try {
      const size = positiveInteger(def.window, 'window size');
      const hop = positiveInteger(def.hop, 'hop') || size;
      if (size > 0) window = new SlidingWindow(size, hop);
    } catch (err) {
      setupError = err instanceof Error ? err : new Error(String(err));
      node.status(errorStatus(setupError));
    }
    let runner: Runner | null = null;

    /** The interpreter for the config node's current model, rebuilt when the file changes. */
    function currentRunner(): Runner {
      if (!config) throw new Error('no model configured: choose a tinyml-model in the node');
      const loaded = config.getModel();
      if (loaded instanceof Error) throw loaded;
      if (runner?.model !== loaded.model) {
        runner = null;
        window?.reset();
        const interpreter = new Interpreter(loaded.model);
        interpreter.allocate();
        if (interpreter.inputCount !== 1) throw new Error(`infer runs models with one input; this one has ${interpreter.inputCount}`);
        runner = { model: loaded.model, interpreter };
      }
      return runner;
    }

    function infer(msg: NodeMessage, interpreter: Interpreter, values: number[] | Uint8Array): NodeMessage {
      const input = interpreter.input(0);
      if (values instanceof Uint8Array) {
        if (values.length !== input.byteLength) {
          throw new Error(`msg.payload holds ${values.length} bytes; input ${input.name} (${input.dtype}[${input.shape.join(',')}]) takes ${input.byteLength}`);
        }
        new Uint8Array(input.data.buffer, input.data.byteOffset, input.byteLength).set(values);
      } else {
        writeValues(input, values, quantize);
      }
      const started = performance.now();
      interpreter.invoke();
      const ms = performance.now() - started;
      const outputs = Array.from({ length: interpreter.outputCount }, (_, j) => {
        const tensor = interpreter.output(j);
        return { name: tensor.name, dtype: tensor.dtype, shape: [...tensor.shape], values: readValues(tensor, dequantize) };
      });
      const first = outputs[0].values;
      let top = 0;
      for (let k = 1; k < first.length; k++) if (first[k] > first[top]) top = k;
      return {
        ...msg,
        payload: first,
        outputs,
        // For a classifier: the index and score of the largest first-output value.
        top: { index: top, value: first[top] },
        inference: { ms, arenaBytes: interpreter.arenaUsedBytes },
      };
    }

    node.on('input', (msg, send, done) => {
      try {
        if (setupError) throw setupError;
        const { interpreter } = currentRunner();
        const raw = msg.payload instanceof Uint8Array ? msg.payload : null;
        const numbers = raw ? null : numbersOf(msg.payload);
        if (!raw && !numbers) throw new Error('msg.payload must be a number, an array of numbers, a typed array or a Buffer of raw input bytes');
        if (window && numbers) {
          const windows = window.push(numbers);
          for (const values of windows) send(infer(msg, interpreter, values));
          node.status({ fill: 'green', shape: windows.length ? 'dot' : 'ring', text: windows.length ? `${windows.length} window(s)` : `waiting for ${window.pending} value(s)` });
        } else {
          const out = infer(msg, interpreter, raw ?? (numbers as number[]));
          send(out);
          const score = (out.top as { value: number }).value;
          node.status({ fill: 'green', shape: 'dot', text: `${(out.inference as { ms: number }).ms.toFixed(2)} ms · top ${Number(score.toPrecision(4))}` });
        }
        done();
      } catch (err) {
        node.status(errorStatus(err));
        done(err instanceof Error ? err : new Error(messageOf(err)));
      }
    });
  }
  RED.nodes.registerType('tinyml-infer', InferNode);
};
