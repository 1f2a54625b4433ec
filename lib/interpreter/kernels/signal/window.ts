// SignalWindow after TFLM's signal/micro/kernels/window.cc and signal/src/window.cc: each frame
// of the int16 input times the int16 window, shifted right by `shift` (arithmetic), saturated.
import type { Kernel, PreparedOp } from '../kernel.js';
import { expectCounts, readOptions, signalInput, signalOutput } from './signal-common.js';

const EMPTY: Int16Array = new Int16Array(0);

export const SIGNAL_WINDOW: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 2, 1);
    const shift = readOptions(ctx, (o) => o.int('shift'));
    const input = signalInput(ctx, 0, 'int16');
    const weights = signalInput(ctx, 1, 'int16', 1);
    const output = signalOutput(ctx, 0, 'int16', input.shape.length);
    if (input.shape.length < 1) throw ctx.error('input 0 must have at least 1 dimension');
    if (!Number.isInteger(shift) || shift < 0 || shift > 31) throw ctx.error(`shift ${shift} is outside [0, 31]`);
    const size = weights.elementCount;
    if (size === 0 || input.elementCount % size !== 0 || output.elementCount !== input.elementCount) {
      throw ctx.error(`input [${input.shape.join(', ')}] is not whole frames of the ${size}-sample window, or the output [${output.shape.join(', ')}] differs in size`);
    }
    const total = input.elementCount;
    let x = EMPTY;
    let w = EMPTY;
    let y = EMPTY;
    return {
      invoke(): void {
        x = input.data as Int16Array;
        w = weights.data as Int16Array;
        y = output.data as Int16Array;
        for (let frame = 0; frame < total; frame += size) {
          for (let i = 0; i < size; i++) {
            const raw = (x[frame + i] * w[i]) >> shift;
            y[frame + i] = raw < -32768 ? -32768 : raw > 32767 ? 32767 : raw;
          }
        }
      },
    };
  },
};
