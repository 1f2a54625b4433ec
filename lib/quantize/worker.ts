// quantize() on a worker thread, so a host with an event loop to keep (Node-RED, a CLI drawing a
// progress bar) stays responsive while calibration runs the float model over every sample.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ModelError, type ModelErrorCode } from '../model/errors.js';
import { SampleError } from './sample-error.js';
import type { QuantizeProgress, QuantizeResult } from './types.js';
import type { WorkerErrorData, WorkerQuantizeOptions, WorkerReply } from './worker-messages.js';

export type { WorkerQuantizeOptions } from './worker-messages.js';

/** The compiled worker script lies beside this file (dist/lib/quantize/worker-entry.js). */
const WORKER_SCRIPT = path.join(__dirname, 'worker-entry.js');

/** The worker's error as the class the caller would have seen from quantize() itself. */
function rebuildError(data: WorkerErrorData): Error {
  let err: Error;
  if (data.name === 'SampleError') {
    err = new SampleError(data.message);
  } else if (data.name === 'ModelError') {
    err = new ModelError((data.code ?? 'STRUCTURE') as ModelErrorCode, '', data.message);
    Object.defineProperty(err, 'path', { value: data.path ?? '' });
  } else {
    err = new Error(data.message);
    err.name = data.name;
  }
  if (data.stack) err.stack = data.stack;
  return err;
}

/**
 * Runs quantize(floatBytes, options) in a worker thread; `onProgress` hears each step. Rejects
 * with the error quantize() threw (SampleError, ModelError... with its message), and the worker
 * ends once it has answered. Aborting `signal` (e.g. a Node-RED node closing) ends it at once.
 */
export function quantizeInWorker(
  floatBytes: Uint8Array,
  options: WorkerQuantizeOptions,
  onProgress?: (progress: QuantizeProgress) => void,
  signal?: AbortSignal,
): Promise<QuantizeResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('quantization cancelled'));
      return;
    }
    let settled = false;
    const worker = new Worker(WORKER_SCRIPT, { workerData: { floatBytes, options } });
    const cancel = (): void => finish(() => reject(new Error('quantization cancelled')));
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      outcome();
      void worker.terminate();
    };
    signal?.addEventListener('abort', cancel);
    worker.on('message', (reply: WorkerReply) => {
      if (settled) return;
      if (reply.type === 'progress') onProgress?.(reply.progress);
      else if (reply.type === 'result') finish(() => resolve(reply.result));
      else finish(() => reject(rebuildError(reply.error)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the quantize worker stopped (exit code ${code}) before it answered`))));
  });
}
