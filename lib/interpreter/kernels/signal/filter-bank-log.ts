// SignalFilterBankLog after TFLM's signal/micro/kernels/filter_bank_log.cc and
// signal/src/filter_bank_log.cc: each uint32 channel, shifted left by input_correction_bits
// (wrapping), to output_scale * ln(x) in fixed point (Log32), capped at INT16_MAX; 0 for x <= 1.
import type { Kernel, PreparedOp } from '../kernel.js';
import { expectCounts, readOptions, signalInput, signalOutput } from './signal-common.js';
import { log32 } from './signal-math.js';

const EMPTY_U32: Uint32Array = new Uint32Array(0);
const EMPTY_I16: Int16Array = new Int16Array(0);

export const SIGNAL_FILTER_BANK_LOG: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'uint32';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 1);
    const { correctionBits, outputScale } = readOptions(ctx, (o) => ({ correctionBits: o.int('input_correction_bits'), outputScale: o.int('output_scale') }));
    const input = signalInput(ctx, 0, 'uint32', 1);
    const output = signalOutput(ctx, 0, 'int16', 1);
    if (output.elementCount !== input.elementCount) throw ctx.error(`output 0 has ${output.elementCount} values, input 0 has ${input.elementCount}`);
    if (!Number.isInteger(correctionBits) || correctionBits < 0 || correctionBits > 31) throw ctx.error(`input_correction_bits ${correctionBits} is outside [0, 31]`);
    const channels = input.elementCount;
    let x = EMPTY_U32;
    let y = EMPTY_I16;
    return {
      invoke(): void {
        x = input.data as Uint32Array;
        y = output.data as Int16Array;
        for (let i = 0; i < channels; i++) {
          const scaled = (x[i] << correctionBits) >>> 0;
          if (scaled > 1) {
            const value = log32(scaled, outputScale);
            y[i] = value < 32767 ? value : 32767;
          } else {
            y[i] = 0;
          }
        }
      },
    };
  },
};
