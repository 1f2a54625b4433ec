// SignalFilterBankSquareRoot after TFLM's signal/micro/kernels/filter_bank_square_root.cc and
// signal/src/filter_bank_square_root.cc: the rounded square root (Sqrt64) of each uint64
// channel, shifted right by the int32 scale_bits input (the FFT auto-scale shift), as uint32.
import type { Kernel, PreparedOp } from '../kernel.js';
import { expectCounts, signalInput, signalOutput, uint32Words } from './signal-common.js';
import { sqrt64 } from './signal-math.js';

const EMPTY_U32: Uint32Array = new Uint32Array(0);
const EMPTY_I32: Int32Array = new Int32Array(0);

export const SIGNAL_FILTER_BANK_SQUARE_ROOT: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'uint64' && inputDtypes[1] === 'int32';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 2, 1);
    const input = signalInput(ctx, 0, 'uint64', 1);
    const scaleBits = signalInput(ctx, 1, 'int32');
    const output = signalOutput(ctx, 0, 'uint32', 1);
    if (scaleBits.elementCount !== 1) throw ctx.error(`input 1 (scale_bits) has ${scaleBits.elementCount} values, expected 1`);
    if (output.elementCount !== input.elementCount) throw ctx.error(`output 0 has ${output.elementCount} values, input 0 has ${input.elementCount}`);
    const channels = input.elementCount;
    const words = uint32Words(() => input.data);
    let bits = EMPTY_I32;
    let y = EMPTY_U32;
    return {
      invoke(): void {
        const x = words.get();
        bits = scaleBits.data as Int32Array;
        y = output.data as Uint32Array;
        // A uint32 shifted by a count C leaves to the hardware; x86 uses the count mod 32, as >>> does.
        const shift = bits[0];
        for (let i = 0; i < channels; i++) y[i] = sqrt64(x[2 * i + 1], x[2 * i]) >>> shift;
      },
    };
  },
};
