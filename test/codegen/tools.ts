// Running the real external tools (xxd, gcc, g++) from the codegen tests, and comparing texts
// and bytes with messages that point at the first difference.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';

export interface ToolOutput {
  stdout: Buffer;
  stderr: string;
}

/** Runs `command` with an argument array (no shell); rejects with its stderr when it fails. */
export function runTool(command: string, args: string[], cwd?: string): Promise<ToolOutput> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${command} ${args.join(' ')} (in ${cwd ?? '.'}) failed: ${error.message}\n${stderr.toString()}`));
      } else {
        resolve({ stdout, stderr: stderr.toString() });
      }
    });
  });
}

/** Whether `command --version` runs. */
export async function toolExists(command: string): Promise<boolean> {
  try {
    await runTool(command, ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` on every item, at most `limit` at a time. */
export async function inPool<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Equal texts, or a failure naming the first line that differs. */
export function assertSameText(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let line = 0;
  while (line < a.length && line < e.length && a[line] === e[line]) line++;
  assert.fail(
    `${what}: line ${line + 1} differs (ours ${a.length} lines, expected ${e.length})\n` +
      `  ours:     ${JSON.stringify(a[line])}\n  expected: ${JSON.stringify(e[line])}`,
  );
}

/** Equal bytes, or a failure naming the first offset that differs. */
export function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const n = Math.min(actual.length, expected.length);
  let i = 0;
  while (i < n && actual[i] === expected[i]) i++;
  if (i === n && actual.length === expected.length) return;
  assert.fail(`${what}: ${actual.length} bytes, expected ${expected.length}; first difference at offset ${i}`);
}
