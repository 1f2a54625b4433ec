// What every benchmark's results file shares: when and where it was measured, what each
// runtime was (or why it did not run), and how the file is written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../test/support/paths.js';

interface Candidate {
  id: string;
  description: string;
  version?: string;
  unavailable?: string;
}

/** The head of a results file: benchmark name, date, Node and CPU. */
export function resultsHeader(benchmark: string): { benchmark: string; date: string; node: string; cpu: string | null } {
  return { benchmark, date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model ?? null };
}

/** Each runtime with its version, or the reason it did not run. */
export function describeRuntimes(candidates: readonly Candidate[]): Candidate[] {
  return candidates.map((c) => (c.unavailable !== undefined
    ? { id: c.id, description: c.description, unavailable: c.unavailable }
    : { id: c.id, description: c.description, version: c.version }));
}

export function writeResults(file: string, json: object): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(json, null, 1)}\n`);
  process.stdout.write(`wrote ${path.relative(REPO_ROOT, file)}\n`);
}

export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
