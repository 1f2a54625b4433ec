// What the quantize worker and its caller (worker.ts) say to each other over postMessage.
import type { QuantizeOptions, QuantizeProgress, QuantizeResult } from './types.js';

/** The options a worker can be given: everything but the callback, which cannot cross threads. */
export type WorkerQuantizeOptions = Omit<QuantizeOptions, 'onProgress'>;

export interface WorkerJob {
  floatBytes: Uint8Array;
  options: WorkerQuantizeOptions;
}

/** An error as it crosses the thread: class name and the fields callers branch on. */
export interface WorkerErrorData {
  name: string;
  message: string;
  code?: string;
  path?: string;
  stack?: string;
}

export type WorkerReply =
  | { type: 'progress'; progress: QuantizeProgress }
  | { type: 'result'; result: QuantizeResult }
  | { type: 'error'; error: WorkerErrorData };
