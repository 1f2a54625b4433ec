// The few browser globals that the WASM peers' loaders look for, backed by Node. Both
// @litertjs/core and @tensorflow/tfjs-tflite were written for browsers and workers: when there is
// no `window` they take the worker path, load their Emscripten script with importScripts() and
// read `self`. One importScripts() serves both: each peer registers the scripts it recognises.
// Only the benchmark installs these; nothing in lib/ sees them.

/** Evaluates the script at `url` (a path or file:// URL) the way the peer needs. */
export type ScriptLoader = (url: string) => void;

interface ScriptRoute {
  matches(url: string): boolean;
  load: ScriptLoader;
}

const routes: ScriptRoute[] = [];
const globals = globalThis as Record<string, unknown>;

/** A file path from what a loader passes to importScripts (a path, or a file:// URL). */
export function scriptPath(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
}

function installOnce(): void {
  if (globals.importScripts !== undefined) return;
  globals.self = globalThis;
  globals.importScripts = (url: string) => {
    const route = routes.find((r) => r.matches(url));
    if (route === undefined) throw new Error(`bench shim: no loader registered for script ${url}`);
    route.load(url);
  };
}

/** Routes importScripts(url) calls whose URL matches to `load`. */
export function registerScript(matches: (url: string) => boolean, load: ScriptLoader): void {
  installOnce();
  routes.push({ matches, load });
}

/** Sets self.location, which Emscripten's worker path reads to find its directory. */
export function setWorkerLocation(href: string): void {
  installOnce();
  if (globals.location === undefined) globals.location = { href, origin: '' };
}
