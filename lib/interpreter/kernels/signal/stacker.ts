// SignalStacker after TFLM's signal/micro/kernels/stacker.cc: each invoke appends one frame of
// num_channels int16 values to a ring of (left_context + 1 + right_context) frames; the very
// first frame is repeated left_context more times so the first output has left context. Once the
// ring is full the whole ring is output (oldest frame first), stacker_step frames are dropped, and
// output 1 (bool) is true; otherwise output 1 is false and output 0 keeps its old values.
import type { Kernel, PreparedOp } from '../kernel.js';
import { Int16Ring } from './int16-ring.js';
import { expectCounts, int16Words, readOptions, signalInput, signalOutput } from './signal-common.js';

const EMPTY: Int16Array = new Int16Array(0);
const EMPTY_FLAG: Uint8Array = new Uint8Array(0);

export const SIGNAL_STACKER: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 2);
    const { channels, left, right, step } = readOptions(ctx, (o) => ({
      channels: o.int('num_channels'),
      left: o.int('stacker_left_context'),
      right: o.int('stacker_right_context'),
      step: o.int('stacker_step'),
    }));
    const input = signalInput(ctx, 0, 'int16', 1);
    const output = signalOutput(ctx, 0, 'int16', 1);
    const valid = signalOutput(ctx, 1, 'bool', 0);
    if (channels < 1 || left < 0 || right < 0) throw ctx.error(`num_channels ${channels} must be positive, the contexts (${left}, ${right}) not negative`);
    const frames = left + right + 1;
    // TFLM asserts (in debug builds only) what these keep true: the ring never overflows or underflows.
    if (step < 1 || step > frames) throw ctx.error(`stacker_step ${step} is outside [1, ${frames}] (the stacked frames)`);
    const bufferSize = channels * frames;
    if (input.elementCount !== channels) throw ctx.error(`input 0 has ${input.elementCount} values, expected num_channels = ${channels}`);
    if (output.elementCount !== bufferSize) throw ctx.error(`output 0 has ${output.elementCount} values, expected ${frames} frames of ${channels} = ${bufferSize}`);
    const persistent = ctx.requestPersistent(2 * bufferSize);
    const ring = new Int16Ring(bufferSize, int16Words(() => persistent.bytes), 0);
    let hasFirstFrame = false;
    let x = EMPTY;
    let y = EMPTY;
    let flag = EMPTY_FLAG;
    return {
      invoke(): void {
        x = input.data as Int16Array;
        y = output.data as Int16Array;
        flag = valid.data as Uint8Array;
        ring.writeFrom(x, 0, channels);
        if (!hasFirstFrame) {
          ring.extend(channels, left);
          hasFirstFrame = true;
        }
        if (ring.available() >= bufferSize) {
          ring.readInto(bufferSize, y, 0);
          ring.discard(channels * step);
          flag[0] = 1;
        } else {
          flag[0] = 0;
        }
      },
      reset(): void {
        ring.reset();
        hasFirstFrame = false;
      },
    };
  },
};
