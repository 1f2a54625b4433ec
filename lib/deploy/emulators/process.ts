// Child-process plumbing shared by the QEMU and simavr sessions.
import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with the first match of `pattern` in the child's stdout+stderr; rejects if the child
 * exits first or `timeoutMs` passes, quoting what it printed.
 */
export function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const match = seen.match(pattern);
      if (match) {
        cleanup();
        resolve(match);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`${what} exited (${signal ?? `code ${code}`}) before it was ready: ${seen.trim()}`));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new Error(`${what} could not start: ${err.message}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} not ready after ${timeoutMs} ms: ${seen.trim()}`));
    }, timeoutMs);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Asks nicely (optional `polite`), then SIGTERM, then SIGKILL; resolves once the child is gone. */
export function stopChild(child: ChildProcess, polite?: () => void, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs * 2);
    const term = setTimeout(() => child.kill('SIGTERM'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      clearTimeout(term);
      resolve();
    });
    if (polite) polite();
    else child.kill('SIGTERM');
  });
}
