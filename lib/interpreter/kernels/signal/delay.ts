// SignalDelay after TFLM's signal/micro/kernels/delay.cc: each row (the last dimension) of the
// int16 input is a stream, output delayed by delay_length samples; the ring of each row starts
// with delay_length zeros (again after reset), so the first delay_length outputs are 0.
import type { Kernel, PreparedOp } from '../kernel.js';
import { Int16Ring } from './int16-ring.js';
import { expectCounts, int16Words, readOptions, signalInput, signalOutput } from './signal-common.js';

const EMPTY: Int16Array = new Int16Array(0);

export const SIGNAL_DELAY: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 1);
    const delay = readOptions(ctx, (o) => o.int('delay_length'));
    const input = signalInput(ctx, 0, 'int16');
    const output = signalOutput(ctx, 0, 'int16');
    if (input.shape.length < 1) throw ctx.error('input 0 must have at least 1 dimension');
    if (delay < 0) throw ctx.error(`delay_length ${delay} is negative`);
    const frameSize = input.shape[input.shape.length - 1];
    if (frameSize < 1) throw ctx.error('input 0 has empty rows');
    if (output.elementCount !== input.elementCount) throw ctx.error(`output 0 has ${output.elementCount} values, input 0 ${input.elementCount}`);
    const rows = input.elementCount / frameSize;
    const capacity = frameSize + delay;
    const persistent = ctx.requestPersistent(2 * rows * capacity);
    const storage = int16Words(() => persistent.bytes);
    const rings = Array.from({ length: rows }, (_, r) => new Int16Ring(capacity, storage, r * capacity));
    let x = EMPTY;
    let y = EMPTY;
    return {
      invoke(): void {
        x = input.data as Int16Array;
        y = output.data as Int16Array;
        for (let r = 0; r < rows; r++) {
          const ring = rings[r];
          ring.writeFrom(x, r * frameSize, frameSize);
          ring.readInto(frameSize, y, r * frameSize);
          ring.discard(frameSize);
        }
      },
      reset(): void {
        for (const ring of rings) {
          ring.reset();
          ring.writeZeros(delay);
        }
      },
    };
  },
};
