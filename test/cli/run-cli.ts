// Runs the compiled CLI as a user would: a separate node process, arguments as an array.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

export const CLI = path.join(REPO_ROOT, 'dist/lib/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return runTool(process.execPath, [CLI, ...args], options);
}

/** Any program, resolving with its exit code instead of rejecting on a non-zero one. */
export function runTool(file: string, args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(err);
        return;
      }
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

/** Asserts helper: a user error is one line on stderr, never a stack trace. */
export function isOneLine(text: string): boolean {
  return /^[^\n]+\n$/.test(text) && !/\n\s+at /.test(text);
}
