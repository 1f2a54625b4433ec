// File access for commands: every failure becomes a one-line CliError naming the file, since
// Node's own messages ("ENOENT: no such file or directory, open 'x'") read like a crash.
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of it is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && code in REASONS) return REASONS[code];
    return err.message;
  }
  return String(err);
}

/** The whole file as bytes; `what` names it in errors ("model", "C array"). */
export function readInputFile(file: string, what: string): Uint8Array {
  try {
    const bytes = fs.readFileSync(file);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    throw new CliError(`cannot read ${what} ${file}: ${reasonOf(err)}`);
  }
}

export function readInputText(file: string, what: string): string {
  return Buffer.from(readInputFile(file, what)).toString('utf8');
}

/**
 * Creates `dir` and its missing parents one level at a time: mkdirSync({ recursive: true })
 * spins forever on some virtual file systems (e.g. under /proc) instead of failing.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) fs.mkdirSync(d);
}

/** Writes the file, creating missing parent folders as a user writing `-o out/x.cc` expects. */
export function writeOutputFile(file: string, contents: Uint8Array | string): void {
  try {
    makeFolders(path.dirname(path.resolve(file)));
    fs.writeFileSync(file, contents);
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${reasonOf(err)}`);
  }
}
