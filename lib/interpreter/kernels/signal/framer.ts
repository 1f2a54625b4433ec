// SignalFramer after TFLM's signal/micro/kernels/framer.cc: each row (the last dimension) of the
// int16 input is a stream arriving frame_step samples at a time; every step appends to that
// row's ring buffer and, once frame_size samples are buffered, emits the newest frame_size of them
// and drops the oldest frame_step. Output 1 (bool) is false when any frame of this invoke could
// not be filled (those output frames are left as they were), as TFLM's Eval reports it. With
// prefill the rings start with frame_size - frame_step zeros, so the first step already emits.
import type { Kernel, PreparedOp } from '../kernel.js';
import { Int16Ring } from './int16-ring.js';
import { expectCounts, int16Words, readOptions, signalInput, signalOutput } from './signal-common.js';

const EMPTY: Int16Array = new Int16Array(0);
const EMPTY_FLAG: Uint8Array = new Uint8Array(0);

export const SIGNAL_FRAMER: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 2);
    const { frameSize, frameStep, prefill } = readOptions(ctx, (o) => ({
      frameSize: o.int('frame_size'), frameStep: o.int('frame_step'), prefill: o.bool('prefill'),
    }));
    const input = signalInput(ctx, 0, 'int16');
    if (input.shape.length < 1) throw ctx.error('input 0 must have at least 1 dimension');
    const output = signalOutput(ctx, 0, 'int16', input.shape.length + 1);
    const valid = signalOutput(ctx, 1, 'bool', 0);
    if (frameStep < 1 || frameSize < 1) throw ctx.error(`frame_size ${frameSize} and frame_step ${frameStep} must be positive`);
    const rowLength = input.shape[input.shape.length - 1];
    if (rowLength < frameStep || rowLength % frameStep !== 0) {
      throw ctx.error(`input rows of ${rowLength} samples are not whole steps of frame_step ${frameStep}`);
    }
    const rows = input.elementCount / rowLength;
    const framesPerRow = rowLength / frameStep;
    if (output.elementCount !== rows * framesPerRow * frameSize) {
      throw ctx.error(`output [${output.shape.join(', ')}] does not hold ${rows * framesPerRow} frames of ${frameSize}`);
    }
    // TFLM rounds the capacity up to whole steps (frame_size + frame_step would also do).
    const capacity = Math.ceil(frameSize / frameStep) * frameStep;
    const persistent = ctx.requestPersistent(2 * rows * capacity);
    const storage = int16Words(() => persistent.bytes);
    const rings = Array.from({ length: rows }, (_, r) => new Int16Ring(capacity, storage, r * capacity));
    let x = EMPTY;
    let y = EMPTY;
    let flag = EMPTY_FLAG;
    return {
      invoke(): void {
        x = input.data as Int16Array;
        y = output.data as Int16Array;
        flag = valid.data as Uint8Array;
        flag[0] = 1;
        for (let r = 0; r < rows; r++) {
          const ring = rings[r];
          for (let f = 0; f < framesPerRow; f++) {
            const frame = r * framesPerRow + f;
            ring.writeFrom(x, frame * frameStep, frameStep);
            if (ring.available() >= frameSize) {
              ring.readInto(frameSize, y, frame * frameSize);
              ring.discard(frameStep);
            } else {
              flag[0] = 0;
            }
          }
        }
      },
      reset(): void {
        for (const ring of rings) {
          ring.reset();
          if (prefill) ring.writeZeros(frameSize - frameStep);
        }
      },
    };
  },
};
