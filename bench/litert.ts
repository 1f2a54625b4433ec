// LiteRT.js (@litertjs/core, the successor of TFLite for the web) as a peer. It is written for
// browsers: its loader injects the Emscripten script with <script> or importScripts(). The
// Emscripten output itself supports Node (it reads its .wasm with fs), so an importScripts()
// that evaluates the script with require/__dirname is all it needs here (browser-shims.ts).
// Load: loadAndCompile(bytes, { accelerator: 'wasm' }) + delete(): LiteRT's load, verify and
// compile for its CPU backend (it logs creating an XNNPACK delegate each time), so more work than
// our loadModel. Invoke: `await compiled.run(inputs)` and deleting the previous outputs; run() is
// async, so each run includes a promise round trip and new output Tensor objects.
// Its JS Tensor maps only float32/int32/uint8 to typed arrays, so it refuses every model with
// int8 or int16 inputs or outputs (most TFLM models). It also refuses inputs whose
// shape_signature has a dynamic (-1) batch ("does not match expected ranked tensor type
// Float32[-1, ...]"), as every Keras-converted model has: the invoke benchmark hands it the same
// model rewritten with static shapes (shape_signature dropped) and quantized_dimension 0
// where it can only mean 0 (bench/rewrite.ts), which changes nothing else.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { loadModel } from '../lib/model/read.js';
import { registerScript, scriptPath } from './browser-shims.js';
import { rewriteModel } from './rewrite.js';
import { inputTensors, type ModelCase } from './cases.js';
import type { Loader, UnavailableLoader } from './loaders.js';
import { benchRequire, notInstalled, packageVersion, type Peer, type PeerModel, type PeerRun, type UnavailablePeer } from './peer.js';

const PACKAGE = '@litertjs/core';
const LOAD_DESCRIPTION = `${PACKAGE} loadAndCompile(bytes, { accelerator: 'wasm' }) + delete(): load, verify and compile for its WASM CPU (XNNPACK) backend; its JS API takes only float32/int32/uint8 inputs and outputs`;
const INVOKE_DESCRIPTION = `${PACKAGE}: LiteRT in WASM (XNNPACK CPU); timed: await compiled.run(inputs) + deleting the previous outputs; `
  + 'load: loadAndCompile(bytes, wasm) + delete(); models given with static shapes (it refuses a -1 batch) and quantized_dimension 0 where it can only mean 0 (bench/rewrite.ts); its JS datatypes table (src/datatypes.ts) maps only float32/int32/uint8, hence "Element type INT8 is not supported"';

interface LiteRtTensor {
  toTypedArray(): ArrayLike<number>;
  delete(): void;
}

interface CompiledModel {
  run(input: LiteRtTensor[]): Promise<LiteRtTensor[]>;
  delete(): void;
}

interface LiteRtModule {
  loadLiteRt(wasmDir: string, options?: object): Promise<unknown>;
  loadAndCompile(model: Uint8Array, options: { accelerator: 'wasm' }): Promise<CompiledModel>;
  Tensor: new (data: Float32Array | Int32Array | Uint8Array, shape: number[]) => LiteRtTensor;
}

function isLiteRtModule(value: unknown): value is LiteRtModule {
  return typeof value === 'object' && value !== null
    && 'loadLiteRt' in value && typeof value.loadLiteRt === 'function'
    && 'loadAndCompile' in value && typeof value.loadAndCompile === 'function'
    && 'Tensor' in value && typeof value.Tensor === 'function';
}

const globals = globalThis as Record<string, unknown>;

function registerLoader(log: string[]): void {
  registerScript((url) => url.includes('litert_wasm'), (url) => {
    const file = scriptPath(url);
    // The script declares `var ModuleFactory`; evaluated inside a function it would stay local.
    const code = `${fs.readFileSync(file, 'utf8')}\n;globalThis.ModuleFactory = ModuleFactory;`;
    const run = vm.compileFunction(code, ['require', '__dirname', '__filename'], { filename: file });
    run(createRequire(file), path.dirname(file), file);
  });
  // Emscripten's Module: route the runtime's logging (INFO lines per compile) away from the table.
  globals.Module = {
    print: (line: string) => log.push(line),
    printErr: (line: string) => log.push(line),
  };
}

interface Started {
  mod: LiteRtModule;
  version: string;
  log: string[];
}

let started: Promise<Started | UnavailablePeer> | null = null;

/** Starts LiteRT once for both benchmarks that use it. */
function start(): Promise<Started | UnavailablePeer> {
  started ??= (async () => {
    const missing = notInstalled('litert', LOAD_DESCRIPTION, PACKAGE);
    if (missing) return missing;
    const version = packageVersion(PACKAGE);
    const log: string[] = [];
    registerLoader(log);
    const warn = console.warn;
    try {
      const entry = benchRequire.resolve(PACKAGE);
      const mod: unknown = await import(pathToFileURL(entry).href);
      if (!isLiteRtModule(mod)) throw new Error(`${PACKAGE} no longer exports loadLiteRt/loadAndCompile/Tensor`);
      // It tries WebGPU first and warns that there is none; the WASM path is what we time.
      console.warn = () => {};
      await mod.loadLiteRt(path.join(path.dirname(entry), '..', 'wasm') + path.sep);
      return { mod, version, log };
    } catch (err) {
      return { id: 'litert', description: LOAD_DESCRIPTION, unavailable: `${PACKAGE} ${version} failed to start: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      console.warn = warn;
    }
  })();
  return started;
}

export async function loadLiteRtPeer(): Promise<Loader | UnavailableLoader> {
  const s = await start();
  if ('unavailable' in s) return s;
  return {
    id: 'litert',
    description: LOAD_DESCRIPTION,
    version: s.version,
    load: async (bytes: Uint8Array) => {
      s.log.length = 0;
      const compiled = await s.mod.loadAndCompile(bytes, { accelerator: 'wasm' });
      compiled.delete();
    },
    lastRefusal: () => s.log.find((line) => line.startsWith('ERROR')) ?? null,
  };
}

function inputArray(dtype: string, bytes: Uint8Array): Float32Array | Int32Array | Uint8Array {
  const copy = bytes.slice().buffer;
  if (dtype === 'float32') return new Float32Array(copy);
  if (dtype === 'int32') return new Int32Array(copy);
  if (dtype === 'uint8') return new Uint8Array(copy);
  throw new Error(`input dtype ${dtype}: its JS Tensor takes float32, int32 or uint8 only`);
}

export async function loadLiteRtInvokePeer(): Promise<Peer | UnavailablePeer> {
  const s = await start();
  if ('unavailable' in s) return { ...s, description: INVOKE_DESCRIPTION };
  const { mod, log } = s;
  const prepare = (modelCase: ModelCase): PeerModel => {
    const specs = inputTensors(loadModel(modelCase.bytes));
    const bytes = rewriteModel(modelCase.bytes, { staticShapes: true, quantizedDimensionZero: true });
    const compile = async (): Promise<CompiledModel> => {
      log.length = 0;
      try {
        return await mod.loadAndCompile(bytes, { accelerator: 'wasm' });
      } catch (err) {
        throw new Error(log.find((line) => line.startsWith('ERROR')) ?? (err instanceof Error ? err.message : String(err)));
      }
    };
    return {
      loadOnce: async () => (await compile()).delete(),
      open: async (): Promise<PeerRun> => {
        const compiled = await compile();
        let inputs: LiteRtTensor[] = [];
        let last: LiteRtTensor[] = [];
        const dispose = () => {
          for (const t of [...inputs, ...last]) t.delete();
          inputs = [];
          last = [];
          compiled.delete();
        };
        try {
          inputs = specs.map((spec, i) => new mod.Tensor(inputArray(spec.dtype, modelCase.inputs[i]), [...spec.shape]));
        } catch (err) {
          dispose();
          throw err;
        }
        return {
          invoke: async () => {
            const outputs = await compiled.run(inputs);
            for (const t of last) t.delete();
            last = outputs;
          },
          outputs: () => last.map((t) => Array.from(t.toTypedArray())),
          dispose,
        };
      },
    };
  };
  return { id: 'litert', version: s.version, description: INVOKE_DESCRIPTION, prepare };
}
