// infer: msg.payload (numbers, or raw input bytes) -> the model's outputs, run in our TypeScript
// port of TFLM. With a window set, samples stream in (scalars, per-channel arrays, or batches of
// them) and every completed window is one inference; state of stateful models carries over.
import { Interpreter } from '../lib/interpreter/interpreter.js';
import { readValues, writeValues } from '../lib/interpreter/values.js';
import { topK, type Ranked } from '../lib/interpreter/top-k.js';
import { loadModel } from '../lib/model/read.js';
import type { Model } from '../lib/model/types.js';
import { SampleWindow } from '../lib/sensors/sample-window.js';
import { errorStatus, messageOf, payloadBytes, useModelConfig } from './lib-bridge.js';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './types.js';

interface InferDef extends NodeDef {
  model?: string;
  /** Samples a window holds; 0 or empty: every message carries whole inputs. */
  window?: number | string;
  /** Samples between the starts of consecutive windows; empty: the window size. */
  hop?: number | string;
  /** Inputs are real numbers to quantize (true), or raw integers for a quantized input (false). */
  quantize?: boolean;
  /** Outputs as real numbers (true), or their raw integers (false). */
  dequantize?: boolean;
  /** Class names for the first output, comma- or newline-separated. */
  labels?: string;
  /** How many classes msg.top lists. */
  topk?: number | string;
}

/** What one input of a message holds: numbers to write, or the tensor's raw bytes. */
type InputValues = number[] | Uint8Array;

function wholeNumber(value: number | string | undefined, what: string): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number, got "${value}"`);
  return n;
}

function isNumberList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/** One input's values from a payload: a number, a (nested) array of numbers, a typed array or bytes. */
function inputValues(payload: unknown, where: string): InputValues {
  const bytes = payloadBytes(payload);
  if (bytes) return bytes;
  if (typeof payload === 'number') return [payload];
  if (ArrayBuffer.isView(payload) && !(payload instanceof DataView)) return Array.from(payload as unknown as ArrayLike<number>, Number);
  if (Array.isArray(payload)) {
    const flat: unknown[] = payload.flat(Infinity);
    if (isNumberList(flat)) return flat;
  }
  throw new Error(`${where} must be a number, an array of numbers, a typed array or a Buffer of raw input bytes`);
}

export = function register(RED: NodeAPI): void {
  function InferNode(this: Node, def: InferDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = useModelConfig(RED, node, def.model);
    const quantize = def.quantize !== false;
    const dequantize = def.dequantize !== false;
    const labels = (def.labels ?? '').split(/[,\n]/).map((s) => s.trim()).filter((s) => s.length > 0);
    let setupError: Error | null = null;
    let windowSamples = 0;
    let hopSamples = 0;
    let topCount = 3;
    try {
      windowSamples = wholeNumber(def.window, 'window size');
      hopSamples = wholeNumber(def.hop, 'hop') || windowSamples;
      topCount = wholeNumber(def.topk, 'top-k') || 3;
    } catch (err) {
      setupError = err instanceof Error ? err : new Error(String(err));
      node.status(errorStatus(setupError));
    }

    // The interpreter of the model in use (config or msg.model), rebuilt when that model changes.
    let current: { model: Model; source: string; interpreter: Interpreter } | null = null;
    let window: SampleWindow | null = null;

    function interpreterFor(msg: NodeMessage): { interpreter: Interpreter; source: string } {
      const bytes = payloadBytes(msg.model);
      let model: Model;
      let source: string;
      if (bytes) {
        // Parsing per message would be wasteful: reuse the interpreter while the same Buffer comes.
        if (current && current.source === 'msg.model' && current.model === modelCache.get(bytes)) return current;
        try {
          model = loadModel(bytes);
        } catch (err) {
          throw new Error(`msg.model is not a usable .tflite model: ${messageOf(err)}`);
        }
        modelCache.set(bytes, model);
        source = 'msg.model';
      } else {
        if (!config) throw new Error('no model: choose a tinyml-model in the node, or send a .tflite Buffer in msg.model');
        const loaded = config.getModel();
        if (loaded instanceof Error) throw loaded;
        model = loaded.model;
        source = loaded.path;
      }
      if (current?.model !== model) {
        current = null;
        window = null;
        const interpreter = new Interpreter(model);
        interpreter.allocate();
        current = { model, source, interpreter };
      }
      return current;
    }
    const modelCache = new WeakMap<Uint8Array, Model>();

    function writeInputs(interpreter: Interpreter, inputs: readonly InputValues[]): void {
      if (inputs.length !== interpreter.inputCount) {
        throw new Error(`the model has ${interpreter.inputCount} input(s); the message gives ${inputs.length} (use msg.payload = { inputs: [...] } for several)`);
      }
      inputs.forEach((values, i) => {
        const tensor = interpreter.input(i);
        if (values instanceof Uint8Array) {
          if (values.length !== tensor.byteLength) {
            throw new Error(`input ${i} (${tensor.name}, ${tensor.dtype}[${tensor.shape.join(',')}]) takes ${tensor.byteLength} bytes, got ${values.length}`);
          }
          new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.byteLength).set(values);
        } else {
          writeValues(tensor, values, quantize);
        }
      });
    }

    /** The output message, or null when the model cut the invoke short (e.g. CIRCULAR_BUFFER between runs). */
    function run(msg: NodeMessage, interpreter: Interpreter, source: string, inputs: readonly InputValues[]): NodeMessage | null {
      writeInputs(interpreter, inputs);
      const started = performance.now();
      const status = interpreter.invoke();
      const latencyMs = performance.now() - started;
      if (status === 'aborted') return null;
      const outputs = Array.from({ length: interpreter.outputCount }, (_, j) => {
        const tensor = interpreter.output(j);
        return { name: tensor.name, dtype: tensor.dtype, shape: [...tensor.shape], values: readValues(tensor, dequantize) };
      });
      const top: Ranked[] = topK(outputs[0].values, topCount, labels);
      return { ...msg, payload: outputs[0].values, outputs, top, tinyml: { latencyMs, arenaBytes: interpreter.arenaUsedBytes, model: source } };
    }

    function statusText(out: NodeMessage): string {
      const info = out.tinyml as { latencyMs: number };
      const best = (out.top as Ranked[])[0];
      return `${info.latencyMs.toFixed(2)} ms${best ? ` · ${best.label ?? best.index} ${Number(best.score.toPrecision(3))}` : ''}`;
    }

    node.on('input', (msg, send, done) => {
      const report = (out: NodeMessage | null): void => {
        if (out === null) {
          node.status({ fill: 'blue', shape: 'ring', text: 'no output: the model skipped this invoke' });
          return;
        }
        node.status({ fill: 'green', shape: 'dot', text: statusText(out) });
        send(out);
      };
      try {
        if (setupError) throw setupError;
        const { interpreter, source } = interpreterFor(msg);
        if (msg.reset) {
          interpreter.reset();
          window?.reset();
          if (msg.payload === undefined) {
            node.status({ fill: 'blue', shape: 'ring', text: 'state reset' });
            done();
            return;
          }
        }
        const payload = msg.payload;
        const multi = typeof payload === 'object' && payload !== null && !Array.isArray(payload) && !ArrayBuffer.isView(payload)
          ? (payload as { inputs?: unknown }).inputs : undefined;
        if (multi !== undefined) {
          if (!Array.isArray(multi)) throw new Error('msg.payload.inputs must be an array with one entry per model input');
          report(run(msg, interpreter, source, multi.map((v, i) => inputValues(v, `msg.payload.inputs[${i}]`))));
        } else if (windowSamples > 0) {
          if (interpreter.inputCount !== 1) throw new Error(`a window feeds one input; this model has ${interpreter.inputCount}`);
          const values = inputValues(payload, 'msg.payload');
          if (values instanceof Uint8Array) throw new Error('a window takes numbers (samples), not a Buffer');
          // Channels per sample follow from the model: a [1,128,3] input with a 128-sample window has 3.
          window ??= SampleWindow.forInput(windowSamples, hopSamples, interpreter.input(0).elementCount);
          const windows = window.push(values);
          for (const w of windows) report(run(msg, interpreter, source, [w]));
          if (windows.length === 0) node.status({ fill: 'green', shape: 'ring', text: `window: ${window.pending} more sample(s)` });
        } else {
          report(run(msg, interpreter, source, [inputValues(payload, 'msg.payload')]));
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
