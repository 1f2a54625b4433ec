// @tensorflow/tfjs-tflite as a peer: TensorFlow Lite's full interpreter (with its XNNPACK
// delegate where it applies) compiled to WebAssembly. It was written for browsers; in Node three
// things stand in its way, each shimmed here:
// - its loader takes the web-worker path when there is no `window`, so it calls importScripts()
//   on its Emscripten script and reads self.location (browser-shims.ts);
// - the script fetches its .wasm with XMLHttpRequest: the factory is wrapped to hand it the
//   bytes read from node_modules (Emscripten's `wasmBinary`);
// - Node has SharedArrayBuffer and MessageChannel, so it would pick the multi-threaded build,
//   which needs Web Workers: MessageChannel is hidden while it probes, and it runs the
//   single-threaded SIMD build (numThreads 1), as our interpreter is single-threaded too.
// It gets each model with quantized_dimension 0 where it can only mean 0 (bench/rewrite.ts).
// What is timed is modelRunner.infer() alone (TFLite's Invoke), inputs written once into its
// input tensors, outputs read from its output tensors after the run.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { registerScript, scriptPath, setWorkerLocation } from './browser-shims.js';
import type { ModelCase } from './cases.js';
import { rewriteModel } from './rewrite.js';
import { benchRequire, notInstalled, packageVersion, type Peer, type PeerModel, type PeerRun, type UnavailablePeer } from './peer.js';

const PACKAGE = '@tensorflow/tfjs-tflite';
const DESCRIPTION = `${PACKAGE}: TFLite's interpreter in WASM (SIMD build, 1 thread, XNNPACK delegate where it applies); `
  + 'timed: modelRunner.infer() on inputs written once; load: loadTFLiteModel(bytes) + cleanUp(); models given with '
  + 'quantized_dimension 0 where it can only mean 0 (bench/rewrite.ts: person_detect\'s 1-D biases say 3, which its reader refuses)';

interface TfliteTensorInfo {
  dataType: string;
  data(): Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
}

interface ModelRunner {
  getInputs(): TfliteTensorInfo[];
  getOutputs(): TfliteTensorInfo[];
  infer(): boolean;
  cleanUp(): void;
}

interface TfliteModule {
  setWasmPath(path: string): void;
  getWasmFeatures(): Promise<{ simd: boolean; multiThreading: boolean }>;
  loadTFLiteModel(model: ArrayBuffer, options: { numThreads: number }): Promise<{ modelRunner: ModelRunner }>;
}

type Factory = (options: Record<string, unknown>) => Promise<unknown>;

function isTfliteModule(value: unknown): value is TfliteModule {
  return typeof value === 'object' && value !== null
    && 'loadTFLiteModel' in value && 'setWasmPath' in value && 'getWasmFeatures' in value;
}

/** Loads the single-threaded build whatever the loader asked for, with its .wasm read from disk. */
function registerLoader(log: string[]): void {
  const globals = globalThis as Record<string, unknown>;
  let factory: Factory | null = null;
  registerScript((url) => url.includes('tflite_web_api_cc'), (url) => {
    if (factory !== null) return;
    const file = scriptPath(url).replace(/_threaded\.js$/, '.js');
    vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
    const original = globals.tflite_web_api_ModuleFactory as Factory;
    const wasmBinary = fs.readFileSync(file.replace(/\.js$/, '.wasm'));
    factory = (options) => original({
      ...options,
      wasmBinary,
      print: (line: string) => log.push(line),
      printErr: (line: string) => log.push(line),
    });
    globals.tflite_web_api_ModuleFactory = factory;
  });
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function setInputs(runner: ModelRunner, inputs: readonly Uint8Array[]): void {
  const tensors = runner.getInputs();
  if (tensors.length !== inputs.length) throw new Error(`it reports ${tensors.length} inputs, the model has ${inputs.length}`);
  tensors.forEach((tensor, i) => {
    const target = bytesOf(tensor.data());
    if (target.byteLength !== inputs[i].byteLength) throw new Error(`input ${i} holds ${target.byteLength} bytes there, ${inputs[i].byteLength} here`);
    target.set(inputs[i]);
  });
}

export async function loadTfliteWasmPeer(): Promise<Peer | UnavailablePeer> {
  const missing = notInstalled('tflite-wasm', DESCRIPTION, PACKAGE);
  if (missing) return missing;
  const version = packageVersion(PACKAGE);
  const log: string[] = [];
  try {
    const wasmDir = path.join(path.dirname(benchRequire.resolve(`${PACKAGE}/package.json`)), 'wasm') + path.sep;
    setWorkerLocation(`file://${wasmDir}`);
    registerLoader(log);
    const tflite: unknown = benchRequire(PACKAGE);
    if (!isTfliteModule(tflite)) throw new Error(`${PACKAGE} no longer exports loadTFLiteModel/setWasmPath`);
    tflite.setWasmPath(wasmDir);
    const globals = globalThis as Record<string, unknown>;
    const channel = globals.MessageChannel;
    delete globals.MessageChannel;
    try {
      await tflite.getWasmFeatures();
    } finally {
      globals.MessageChannel = channel;
    }

    // A run that writes out of bounds (it happens: keyword_scrambled_8bit) leaves the WASM heap
    // corrupt, and every later model would fail. The loader keeps one instance per WASM path, so
    // an equivalent path ('wasm/./', 'wasm/././'...) gives the next model a fresh instance.
    let instance = 0;
    const isCrash = (err: unknown): err is Error => err instanceof WebAssembly.RuntimeError || err instanceof RangeError;
    const renew = (): void => tflite.setWasmPath(wasmDir + `.${path.sep}`.repeat(++instance));
    const load = async (model: ArrayBuffer, retry = true): Promise<ModelRunner> => {
      log.length = 0;
      try {
        return (await tflite.loadTFLiteModel(model, { numThreads: 1 })).modelRunner;
      } catch (err) {
        if (isCrash(err)) {
          renew();
          if (retry) return load(model, false);
        }
        const reason = log.find((line) => line.startsWith('ERROR'));
        throw reason === undefined ? err : new Error(reason);
      }
    };
    const guarded = <T>(what: string, fn: () => T): T => {
      try {
        return fn();
      } catch (err) {
        if (!isCrash(err)) throw err;
        renew();
        throw new Error(`crashed in ${what}: ${err.message} (${err.constructor.name})`);
      }
    };
    const prepare = (modelCase: ModelCase): PeerModel => {
      const rewritten = rewriteModel(modelCase.bytes, { quantizedDimensionZero: true });
      const model = new Uint8Array(rewritten).buffer;
      return {
        loadOnce: async () => {
          const runner = await load(model);
          guarded('cleanUp()', () => runner.cleanUp());
        },
        open: async (): Promise<PeerRun> => {
          const runner = await load(model);
          try {
            guarded('writing the inputs', () => setInputs(runner, modelCase.inputs));
          } catch (err) {
            guarded('cleanUp()', () => runner.cleanUp());
            throw err;
          }
          return {
            invoke: () => guarded('infer()', () => {
              if (!runner.infer()) throw new Error('infer() failed');
            }),
            outputs: () => guarded('reading the outputs', () => runner.getOutputs().map((output) => Array.from(output.data()))),
            dispose: () => guarded('cleanUp()', () => runner.cleanUp()),
          };
        },
      };
    };
    return { id: 'tflite-wasm', version, description: DESCRIPTION, prepare };
  } catch (err) {
    return { id: 'tflite-wasm', description: DESCRIPTION, unavailable: `${PACKAGE} ${version} failed to start: ${err instanceof Error ? err.message : String(err)}` };
  }
}
