// Inference requests over a real serial port (or an emulator's pty) with `serialport`.
import { SerialPort } from 'serialport';

import { encodeInferRequest, InferReplyParser } from './serial-app';
import type { InferReply } from './serial-app';

export interface InferPort {
  /** Sends one request and resolves with its reply (one request in flight at a time). */
  infer(input: Uint8Array, timeoutMs?: number): Promise<InferReply>;
  /** Writes raw bytes (tests use it for noise and damaged frames). */
  writeRaw(bytes: Uint8Array): Promise<void>;
  /** The next reply, for a request sent with writeRaw. */
  nextReply(timeoutMs?: number): Promise<InferReply>;
  /**
   * Pings (empty requests) until the application answers: after a reset an Uno runs its
   * bootloader first (about 1 s of Optiboot, which a stray byte cuts short). Late answers to
   * earlier pings are discarded.
   */
  waitReady(totalMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openInferPort(path: string, baudRate = 115200): Promise<InferPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(new Error(`cannot open ${path}: ${err.message}`)) : resolve())),
  );
  const parser = new InferReplyParser();
  const ready: InferReply[] = [];
  let waiter: ((reply: InferReply) => void) | undefined;
  let failure: Error | undefined;
  let failWaiter: ((err: Error) => void) | undefined;
  port.on('data', (chunk: Buffer) => {
    try {
      ready.push(...parser.push(chunk));
    } catch (err) {
      failure = err as Error;
    }
    if (failure && failWaiter) failWaiter(failure);
    else if (ready.length > 0 && waiter) waiter(ready.shift() as InferReply);
  });

  const nextReply = (timeoutMs = 5000): Promise<InferReply> => {
    if (failure) return Promise.reject(failure);
    if (ready.length > 0) return Promise.resolve(ready.shift() as InferReply);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = undefined;
        failWaiter = undefined;
        reject(new Error(`no inference reply on ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter = (reply) => {
        clearTimeout(timer);
        waiter = undefined;
        failWaiter = undefined;
        resolve(reply);
      };
      failWaiter = (err) => {
        clearTimeout(timer);
        waiter = undefined;
        failWaiter = undefined;
        reject(err);
      };
    });
  };
  const writeRaw = (bytes: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve()))));
    });

  const waitReady = async (totalMs = 10000): Promise<void> => {
    const deadline = Date.now() + totalMs;
    for (;;) {
      await writeRaw(encodeInferRequest(new Uint8Array(0)));
      try {
        await nextReply(300);
        break;
      } catch (err) {
        if (failure) throw err;
        if (Date.now() > deadline) throw new Error(`no firmware answered on ${path} within ${totalMs} ms`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 350));
    ready.length = 0;
  };

  return {
    waitReady,
    async infer(input, timeoutMs) {
      await writeRaw(encodeInferRequest(input));
      return nextReply(timeoutMs);
    },
    writeRaw,
    nextReply,
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}
