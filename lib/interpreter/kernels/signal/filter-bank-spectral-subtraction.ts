// SignalFilterBankSpectralSubtraction after TFLM's
// signal/micro/kernels/filter_bank_spectral_subtraction.cc and
// signal/src/filter_bank_spectral_subtraction.cc: a per-channel noise estimate, smoothed over
// invokes (even channels with `smoothing`, odd ones with `alternate_smoothing`), is subtracted
// from the uint32 channel, never below min_signal_remaining of it. The estimate is state: it
// lives in a persistent arena buffer, starts at zero and is cleared by reset(); output 1 is a
// copy of it after each invoke.
import type { Kernel, PreparedOp } from '../kernel.js';
import { expectCounts, readOptions, signalInput, signalOutput, uint32Words } from './signal-common.js';
import { productsShiftRight } from './signal-math.js';

const EMPTY_U32: Uint32Array = new Uint32Array(0);

interface SpectralSubtractionConfig {
  channels: number;
  smoothing: number;
  oneMinusSmoothing: number;
  alternateSmoothing: number;
  alternateOneMinusSmoothing: number;
  minSignalRemaining: number;
  smoothingBits: number;
  spectralSubtractionBits: number;
  clamping: boolean;
}

export const SIGNAL_FILTER_BANK_SPECTRAL_SUBTRACTION: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'uint32';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 1, 2);
    const config: SpectralSubtractionConfig = readOptions(ctx, (o) => ({
      channels: o.int('num_channels'),
      smoothing: o.int('smoothing'),
      oneMinusSmoothing: o.int('one_minus_smoothing'),
      alternateSmoothing: o.int('alternate_smoothing'),
      alternateOneMinusSmoothing: o.int('alternate_one_minus_smoothing'),
      minSignalRemaining: o.int('min_signal_remaining'),
      smoothingBits: o.int('smoothing_bits'),
      spectralSubtractionBits: o.int('spectral_subtraction_bits'),
      clamping: o.bool('clamping'),
    }));
    const input = signalInput(ctx, 0, 'uint32', 1);
    const output = signalOutput(ctx, 0, 'uint32', 1);
    const noiseOutput = signalOutput(ctx, 1, 'uint32', 1);
    const { channels, smoothingBits, spectralSubtractionBits: bits, clamping } = config;
    if (channels < 1 || [input, output, noiseOutput].some((t) => t.elementCount < channels)) {
      throw ctx.error(`num_channels ${channels} does not fit the input and outputs (${input.elementCount}, ${output.elementCount}, ${noiseOutput.elementCount})`);
    }
    for (const key of ['smoothing', 'oneMinusSmoothing', 'alternateSmoothing', 'alternateOneMinusSmoothing', 'minSignalRemaining'] as const) {
      if (config[key] < 0 || config[key] > 0xffffffff) throw ctx.error(`${key} ${config[key]} is not a uint32`);
    }
    if (smoothingBits < 0 || smoothingBits > 31 || bits < 0 || bits > 63) {
      throw ctx.error(`smoothing_bits ${smoothingBits} or spectral_subtraction_bits ${bits} is out of range`);
    }
    const noise = ctx.requestPersistent(4 * channels);
    const estimate = uint32Words(() => noise.bytes);
    let x = EMPTY_U32;
    let y = EMPTY_U32;
    let noiseCopy = EMPTY_U32;
    return {
      invoke(): void {
        x = input.data as Uint32Array;
        y = output.data as Uint32Array;
        noiseCopy = noiseOutput.data as Uint32Array;
        const state = estimate.get();
        for (let i = 0; i < channels; i++) {
          const odd = (i & 1) === 1;
          const smoothing = odd ? config.alternateSmoothing : config.smoothing;
          const oneMinusSmoothing = odd ? config.alternateOneMinusSmoothing : config.oneMinusSmoothing;
          const signal = x[i];
          const scaledUp = (signal << smoothingBits) >>> 0;
          state[i] = productsShiftRight(scaledUp, smoothing, state[i], oneMinusSmoothing, bits);
          let estimateScaledUp = state[i];
          if (estimateScaledUp > scaledUp) {
            estimateScaledUp = scaledUp;
            if (clamping) state[i] = estimateScaledUp;
          }
          const floor = productsShiftRight(signal, config.minSignalRemaining, 0, 0, bits);
          const subtracted = (scaledUp - estimateScaledUp) >>> smoothingBits;
          y[i] = subtracted > floor ? subtracted : floor;
          noiseCopy[i] = state[i];
        }
      },
      reset(): void {
        estimate.get().fill(0);
      },
    };
  },
};
