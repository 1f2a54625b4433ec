// LiteRT.js (@litertjs/core, the successor of TFLite for the web) as a peer. It is written for
// browsers: its loader injects the Emscripten script with <script> or importScripts(). The
// Emscripten output itself supports Node (it reads its .wasm with fs), so giving it an
// importScripts() that evaluates the script with require/__dirname is all it needs here.
// What is timed is loadAndCompile(bytes, { accelerator: 'wasm' }) and delete(): LiteRT's load,
// verify and compile for its CPU backend (it logs creating an XNNPACK delegate each time), so
// more work than our loadModel; how much of it is deferred to the first run is not visible here.
// Its JS layer maps only float32/int32/uint8 to typed arrays, so it refuses every model with
// int8 or int16 inputs or outputs (most TFLM models): those rows say "refused".
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { REPO_ROOT } from '../test/support/paths.js';
import type { Loader, UnavailableLoader } from './loaders.js';

const PACKAGE = '@litertjs/core';
const DESCRIPTION = `${PACKAGE} loadAndCompile(bytes, { accelerator: 'wasm' }) + delete(): load, verify and compile for its WASM CPU (XNNPACK) backend; its JS API takes only float32/int32/uint8 inputs and outputs`;

interface CompiledModel {
  delete(): void;
}

interface LiteRtModule {
  loadLiteRt(wasmDir: string, options?: object): Promise<unknown>;
  loadAndCompile(model: Uint8Array, options: { accelerator: 'wasm' }): Promise<CompiledModel>;
}

function isLiteRtModule(value: unknown): value is LiteRtModule {
  return typeof value === 'object' && value !== null
    && 'loadLiteRt' in value && typeof value.loadLiteRt === 'function'
    && 'loadAndCompile' in value && typeof value.loadAndCompile === 'function';
}

const globals = globalThis as Record<string, unknown>;

/** The browser globals LiteRT's loader looks for, backed by Node. */
function installBrowserShims(log: string[]): void {
  globals.self = globalThis;
  globals.importScripts = (url: string) => {
    // The script declares `var ModuleFactory`; evaluated inside a function it would stay local.
    const code = `${fs.readFileSync(url, 'utf8')}\n;globalThis.ModuleFactory = ModuleFactory;`;
    const run = vm.compileFunction(code, ['require', '__dirname', '__filename'], { filename: url });
    run(createRequire(url), path.dirname(url), url);
  };
  // Emscripten's Module: route the runtime's logging (INFO lines per compile) away from the table.
  globals.Module = {
    print: (line: string) => log.push(line),
    printErr: (line: string) => log.push(line),
  };
}

export async function loadLiteRtPeer(): Promise<Loader | UnavailableLoader> {
  const benchRequire = createRequire(path.join(REPO_ROOT, 'bench', 'package.json'));
  let entry: string;
  try {
    entry = benchRequire.resolve(PACKAGE);
  } catch {
    return { id: 'litert', description: DESCRIPTION, unavailable: `${PACKAGE} is not installed: npm install --prefix bench` };
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  const log: string[] = [];
  installBrowserShims(log);
  const warn = console.warn;
  try {
    const mod: unknown = await import(pathToFileURL(entry).href);
    if (!isLiteRtModule(mod)) throw new Error(`${PACKAGE} no longer exports loadLiteRt/loadAndCompile`);
    // It tries WebGPU first and warns that there is none; the WASM path is what we time.
    console.warn = () => {};
    await mod.loadLiteRt(path.join(packageDir, 'wasm') + path.sep);
    console.warn = warn;
    return {
      id: 'litert',
      description: DESCRIPTION,
      version,
      load: async (bytes: Uint8Array) => {
        log.length = 0;
        const compiled = await mod.loadAndCompile(bytes, { accelerator: 'wasm' });
        compiled.delete();
      },
      lastRefusal: () => log.find((line) => line.startsWith('ERROR')) ?? null,
    };
  } catch (err) {
    console.warn = warn;
    return { id: 'litert', description: DESCRIPTION, unavailable: `${PACKAGE} ${version} failed to start: ${err instanceof Error ? err.message : String(err)}` };
  }
}
