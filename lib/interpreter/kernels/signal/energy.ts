// SignalEnergy after TFLM's signal/micro/kernels/energy.cc and signal/src/energy.cc: re^2 + im^2
// of each complex int16 bin in [start_index, end_index), as a uint32 (the int32 sum wraps).
// Bins outside the range are left as they are, as TFLM leaves them.
import type { Kernel, PreparedOp } from '../kernel.js';
import { expectCounts, readOptions, signalInput, signalOutput } from './signal-common.js';

const EMPTY_I16: Int16Array = new Int16Array(0);
const EMPTY_U32: Uint32Array = new Uint32Array(0);

export const SIGNAL_ENERGY: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 1);
    const { start, end } = readOptions(ctx, (o) => ({ start: o.int('start_index'), end: o.int('end_index') }));
    const input = signalInput(ctx, 0, 'int16', 1);
    const output = signalOutput(ctx, 0, 'uint32', 1);
    const bins = Math.min(output.elementCount, Math.floor(input.elementCount / 2));
    if (start < 0 || end < start || end > bins) throw ctx.error(`bins [${start}, ${end}) do not fit the ${bins} bins of input 0 and output 0`);
    let x = EMPTY_I16;
    let y = EMPTY_U32;
    return {
      invoke(): void {
        x = input.data as Int16Array;
        y = output.data as Uint32Array;
        for (let i = start; i < end; i++) {
          const re = x[2 * i];
          const im = x[2 * i + 1];
          y[i] = re * re + im * im;
        }
      },
    };
  },
};
