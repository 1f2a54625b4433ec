// The worker thread of quantizeInWorker (worker.ts): runs quantize() on the job it was started
// with and posts progress, then the result or the error, to its parent.
import { parentPort, workerData } from 'node:worker_threads';
import { quantize } from './index.js';
import type { WorkerErrorData, WorkerJob, WorkerReply } from './worker-messages.js';

function errorData(err: unknown): WorkerErrorData {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const { code, path } = err as Error & { code?: unknown; path?: unknown };
  return {
    name: err.name,
    message: err.message,
    code: typeof code === 'string' ? code : undefined,
    path: typeof path === 'string' ? path : undefined,
    stack: err.stack,
  };
}

const port = parentPort;
if (port) {
  const post = (reply: WorkerReply): void => port.postMessage(reply);
  const job = workerData as WorkerJob;
  try {
    const result = quantize(job.floatBytes, { ...job.options, onProgress: (progress) => post({ type: 'progress', progress }) });
    post({ type: 'result', result });
  } catch (err) {
    post({ type: 'error', error: errorData(err) });
  }
}
