// Builds the C runtime for the host with gcc (one program per model, with that model's op
// table) and runs it on input frames: the harness of the firmware tests.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { kernelSources, opTableSource } from '../../lib/codegen/op-table.js';
import type { TinymlPlan } from '../../lib/codegen/plan/index.js';
import { REPO_ROOT } from '../support/paths.js';

const run = promisify(execFile);
export const RUNTIME_DIR = path.join(REPO_ROOT, 'firmware/runtime');
export const CORE_SOURCES = ['tm_runtime.c', 'tm_flatbuffer.c', 'tm_fixedpoint.c'];
export const C_FLAGS = ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror', '-O2'];

export function haveGcc(): boolean {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tinyml-${prefix}-`));
}

/** Compiles the host program for a plan's kernels into dir; returns the executable's path. */
export async function buildHostRuntime(dir: string, plan: Pick<TinymlPlan, 'operators'>): Promise<string> {
  const opTable = path.join(dir, 'tm_ops.c');
  fs.writeFileSync(opTable, opTableSource(plan));
  const sources = [...CORE_SOURCES, ...kernelSources(plan), 'host/tm_host_main.c'].map((s) => path.join(RUNTIME_DIR, s));
  const exe = path.join(dir, 'tm_host');
  await run('gcc', [...C_FLAGS, '-I', RUNTIME_DIR, '-o', exe, opTable, ...sources]);
  return exe;
}

/** Runs the host program on a model file with frames on stdin; resolves to stdout's bytes. */
/** `resetEvery` N: the program calls tm_reset before every N-th frame. */
export function runHost(exe: string, modelPath: string, frames: Uint8Array, resetEvery?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(exe, resetEvery === undefined ? [modelPath] : [modelPath, String(resetEvery)], { encoding: 'buffer', maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(exe)} failed: ${stderr.toString().trim() || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.on('error', () => undefined); // the program may exit before reading all frames
    child.stdin?.end(Buffer.from(frames));
  });
}
