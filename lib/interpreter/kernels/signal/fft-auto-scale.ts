// SignalFftAutoScale after TFLM's signal/micro/kernels/fft_auto_scale_kernel.cc and
// signal/src/fft_auto_scale.cc: shift the int16 frame left as far as its largest magnitude
// allows (15 - MostSignificantBit32(max |x|) bits, at least 0) and output that shift as int32.
import type { Kernel, PreparedOp } from '../kernel.js';
import { expectCounts, signalInput, signalOutput } from './signal-common.js';
import { mostSignificantBit32 } from './signal-math.js';

const EMPTY_I16: Int16Array = new Int16Array(0);
const EMPTY_I32: Int32Array = new Int32Array(0);

export const SIGNAL_FFT_AUTO_SCALE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 2);
    const input = signalInput(ctx, 0, 'int16', 1);
    const output = signalOutput(ctx, 0, 'int16', 1);
    const scaleBits = signalOutput(ctx, 1, 'int32', 0);
    if (output.elementCount !== input.elementCount) throw ctx.error(`output 0 has ${output.elementCount} elements, input 0 has ${input.elementCount}`);
    const size = output.elementCount;
    let x = EMPTY_I16;
    let y = EMPTY_I16;
    let bits = EMPTY_I32;
    return {
      invoke(): void {
        x = input.data as Int16Array;
        y = output.data as Int16Array;
        bits = scaleBits.data as Int32Array;
        // MaxAbs16 keeps an int16: |-32768| wraps back to -32768, whose uint32 top bit is 32.
        let max = 0;
        for (let i = 0; i < size; i++) {
          const value = x[i];
          if (value > max) max = value;
          else if (-value > max) max = (-value << 16) >> 16;
        }
        const scale = Math.max(0, 15 - mostSignificantBit32(max >>> 0));
        const factor = 1 << scale;
        for (let i = 0; i < size; i++) y[i] = x[i] * factor;
        bits[0] = scale;
      },
    };
  },
};
