// SignalIrfft after TFLM's signal/micro/kernels/irfft.cc with signal/src/irfft_{float,int16,int32}.cc:
// each frame of the input's last dimension holds fft_length / 2 + 1 complex bins (re, im) and
// becomes fft_length real samples through KISS FFT's kiss_fftri (kiss-fftri.ts). The FlexBuffer
// option T picks the build (TensorType FLOAT32 = 0, INT16 = 7, INT32 = 2), as TFLM's InitAll does;
// the float result is divided by fft_length (IrfftFloatApply), the fixed-point ones are already
// scaled down by the butterflies.
import { TensorType } from '../../../model/schema/tflite.js';
import type { DType } from '../../../model/types.js';
import type { Kernel, PreparedOp } from '../kernel.js';
import { applyInverseRealFft, FFT_FLOAT32, FFT_INT16, FFT_INT32, planInverseRealFft, type FftSamples, type FftScalar } from './kiss-fftri.js';
import { isSupportedFftLength } from './kiss-fft-int16.js';
import { expectCounts, LateView, readOptions, signalInput, signalOutput } from './signal-common.js';

interface Build {
  dtype: DType;
  scalar: FftScalar;
  bytes: number;
  view(s: ArrayBufferView): FftSamples;
}

const BUILDS: ReadonlyMap<number, Build> = new Map<number, Build>([
  [TensorType.FLOAT32, { dtype: 'float32', scalar: FFT_FLOAT32, bytes: 4, view: (s) => new Float32Array(s.buffer, s.byteOffset, s.byteLength >>> 2) }],
  [TensorType.INT16, { dtype: 'int16', scalar: FFT_INT16, bytes: 2, view: (s) => new Int16Array(s.buffer, s.byteOffset, s.byteLength >>> 1) }],
  [TensorType.INT32, { dtype: 'int32', scalar: FFT_INT32, bytes: 4, view: (s) => new Int32Array(s.buffer, s.byteOffset, s.byteLength >>> 2) }],
]);

export const SIGNAL_IRFFT: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'float32' || inputDtypes[0] === 'int16' || inputDtypes[0] === 'int32';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 1);
    const { type, fftLength } = readOptions(ctx, (o) => ({ type: o.int('T'), fftLength: o.int('fft_length') }));
    const build = BUILDS.get(type);
    if (build === undefined) throw ctx.error(`T = ${type}: TFLM's SignalIrfft takes float32 (0), int16 (7) or int32 (2)`);
    const input = signalInput(ctx, 0, build.dtype);
    if (input.shape.length < 1) throw ctx.error('input 0 must have at least 1 dimension');
    const output = signalOutput(ctx, 0, build.dtype, input.shape.length);
    // KISS FFT would also take other even lengths (radix 3, 5 and generic butterflies); only
    // powers of two are implemented, as for SignalRfft.
    if (!isSupportedFftLength(fftLength)) throw ctx.error(`fft_length ${fftLength} is not a power of two in [4, 65536]`);
    const inputLength = input.shape[input.shape.length - 1];
    const outputLength = output.shape[output.shape.length - 1];
    if (inputLength !== fftLength + 2) throw ctx.error(`input frames hold ${inputLength} values, expected ${fftLength + 2} (${fftLength / 2 + 1} complex)`);
    if (outputLength !== fftLength) throw ctx.error(`output frames hold ${outputLength} samples, expected fft_length ${fftLength}`);
    const frames = input.elementCount / inputLength;
    if (output.elementCount !== frames * outputLength) throw ctx.error(`output [${output.shape.join(', ')}] does not hold ${frames} frames`);
    const plan = planInverseRealFft(fftLength, build.scalar);
    const scratch = ctx.requestScratch(fftLength * build.bytes);
    const work = new LateView(() => scratch.bytes, build.view);
    const normalise = build.dtype === 'float32';
    return {
      invoke(): void {
        const x = input.data as FftSamples;
        const y = output.data as FftSamples;
        const buffer = work.get();
        for (let frame = 0; frame < frames; frame++) {
          applyInverseRealFft(plan, x, frame * inputLength, buffer, y, frame * outputLength);
        }
        if (normalise) {
          // A Float32Array store rounds the quotient to float32, as the C float division.
          for (let i = 0; i < y.length; i++) y[i] = y[i] / fftLength;
        }
      },
    };
  },
};
