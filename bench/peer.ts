// A runtime the invoke benchmark compares ours with. Each peer loads a model in its own way,
// takes the case's inputs once, and then only runs; its outputs are checked against TFLM's
// before its time goes in the table.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ModelCase } from './cases.js';
import { REPO_ROOT } from '../test/support/paths.js';

export interface PeerRun {
  /** One inference on the inputs given when the model was opened (may return a promise). */
  invoke(): unknown;
  /** Outputs of the last invoke per output tensor, in the output's units (LSBs for integer outputs). */
  outputs(): number[][];
  dispose(): void;
}

export interface Peer {
  /** Short column name. */
  id: string;
  version: string;
  /** What exactly is timed, for the legend and the JSON. */
  description: string;
  /** Whatever the peer needs before loading (untimed), e.g. a rewritten copy of the bytes. */
  prepare(modelCase: ModelCase): PeerModel;
}

export interface PeerModel {
  /** One load as the peer does it, then freed again: what the load column times. */
  loadOnce(): Promise<void>;
  /** Loads the model for running, with the case's inputs set; throws (with the peer's reason) when it refuses. */
  open(): Promise<PeerRun>;
}

export interface UnavailablePeer {
  id: string;
  description: string;
  unavailable: string;
}

/** require() that resolves packages from bench/node_modules (the peers are not root dependencies). */
export const benchRequire = createRequire(path.join(REPO_ROOT, 'bench', 'package.json'));

export function packageVersion(name: string): string {
  const pkg = benchRequire(`${name}/package.json`) as { version?: string };
  return pkg.version ?? '?';
}

export function notInstalled(id: string, description: string, name: string): UnavailablePeer | null {
  try {
    benchRequire.resolve(`${name}/package.json`);
    return null;
  } catch {
    return { id, description, unavailable: `${name} is not installed: npm install --prefix bench` };
  }
}

export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
