// SignalRfft after TFLM's signal/micro/kernels/rfft.cc with signal/src/rfft_int16.cc: each frame
// (the last dimension) of the int16 input, zero-padded to fft_length, through KISS FFT's int16
// real FFT; the output's last dimension holds fft_length / 2 + 1 (re, im) pairs. The FlexBuffer
// option T picks the type; only int16 (TensorType INT16 = 7) is implemented.
import { TensorType } from '../../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from '../kernel.js';
import { applyRealFft, isSupportedFftLength, planRealFft } from './kiss-fft-int16.js';
import { expectCounts, int16Words, readOptions, signalInput, signalOutput } from './signal-common.js';

const EMPTY: Int16Array = new Int16Array(0);

export const SIGNAL_RFFT: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'int16';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 1);
    const { type, fftLength } = readOptions(ctx, (o) => ({ type: o.int('T'), fftLength: o.int('fft_length') }));
    if (type !== TensorType.INT16) throw ctx.error(`T = ${type}: only int16 (${TensorType.INT16}) is implemented`);
    const input = signalInput(ctx, 0, 'int16');
    const output = signalOutput(ctx, 0, 'int16', input.shape.length);
    if (input.shape.length < 1) throw ctx.error('input 0 must have at least 1 dimension');
    if (!isSupportedFftLength(fftLength)) throw ctx.error(`fft_length ${fftLength} is not a power of two in [4, 65536]`);
    const inputLength = input.shape[input.shape.length - 1];
    const outputLength = output.shape[output.shape.length - 1];
    if (inputLength > fftLength) throw ctx.error(`frames of ${inputLength} samples are longer than fft_length ${fftLength}`);
    if (outputLength !== fftLength + 2) throw ctx.error(`output frames hold ${outputLength} values, expected ${fftLength + 2} (${fftLength / 2 + 1} complex)`);
    const frames = inputLength === 0 ? 0 : input.elementCount / inputLength;
    if (output.elementCount !== frames * outputLength) throw ctx.error(`output [${output.shape.join(', ')}] does not hold ${frames} frames`);
    const plan = planRealFft(fftLength);
    const scratch = ctx.requestScratch(fftLength * 2);
    const work = int16Words(() => scratch.bytes);
    let x = EMPTY;
    let y = EMPTY;
    return {
      invoke(): void {
        x = input.data as Int16Array;
        y = output.data as Int16Array;
        const buffer = work.get();
        for (let frame = 0; frame < frames; frame++) {
          applyRealFft(plan, x, frame * inputLength, inputLength, buffer, y, frame * outputLength);
        }
      },
    };
  },
};
