// SignalPCAN after TFLM's signal/micro/kernels/pcan.cc and signal/src/pcan_argc_fixed.cc:
// per-channel automatic gain control. The gain comes from the noise estimate through a
// piecewise-quadratic lookup (WideDynamicFunction, int16 table of 4 values per octave); the
// gain-scaled signal (uint64 product >> snr_shift) goes through PcanShrink (x^2/4 below 2,
// x - 1 above, with 12 fractional bits in and 6 out).
import type { Kernel, PreparedOp } from '../kernel.js';
import { expectCounts, readOptions, signalInput, signalOutput } from './signal-common.js';
import { mostSignificantBit32, productsShiftRight } from './signal-math.js';

const EMPTY_U32: Uint32Array = new Uint32Array(0);
const EMPTY_I16: Int16Array = new Int16Array(0);
const SNR_BITS = 12;
const OUTPUT_BITS = 6;
/** The gain table needs an entry up to 4 * 32 - 6 + 2 for the largest uint32 noise estimate. */
const LUT_LENGTH = 125;

/** WideDynamicFunction: the int16 gain for a uint32 noise estimate x. */
export function wideDynamicFunction(x: number, lut: Int16Array): number {
  if (x <= 2) return lut[x];
  const interval = mostSignificantBit32(x);
  const base = 4 * interval - 6;
  const frac = (interval < 11 ? x << (11 - interval) : x >>> (interval - 11)) & 0x3ff;
  let result = (lut[base + 2] * frac) >> 5;
  result = (result + lut[base + 1] * 32) | 0;
  // int32 arithmetic, wrapping as the C does on the targets TFLM runs on.
  result = Math.imul(result, frac);
  result = ((result + (1 << 14)) | 0) >> 15;
  return ((result + lut[base]) << 16) >> 16;
}

/** PcanShrink: x^2 / 4 for x < 2, else x - 1; x has 12 fractional bits, the result 6. */
export function pcanShrink(x: number): number {
  if (x < 2 << SNR_BITS) return (x * x) >>> (2 + 2 * SNR_BITS - OUTPUT_BITS);
  return (x >>> (SNR_BITS - OUTPUT_BITS)) - (1 << OUTPUT_BITS);
}

export const SIGNAL_PCAN: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes[0] === 'uint32';
  },
  prepare(ctx): PreparedOp {
    expectCounts(ctx, 3, 1);
    const snrShift = readOptions(ctx, (o) => o.int('snr_shift'));
    const input = signalInput(ctx, 0, 'uint32', 1);
    const noise = signalInput(ctx, 1, 'uint32', 1);
    const gainLut = signalInput(ctx, 2, 'int16', 1);
    const output = signalOutput(ctx, 0, 'uint32', 1);
    const channels = input.elementCount;
    if (channels === 0 || noise.elementCount !== channels || output.elementCount !== channels) {
      throw ctx.error(`input 0 (${channels}), input 1 (${noise.elementCount}) and output 0 (${output.elementCount}) must have the same non-zero length`);
    }
    if (gainLut.elementCount < LUT_LENGTH) throw ctx.error(`input 2 (gain table) has ${gainLut.elementCount} values, expected ${LUT_LENGTH}`);
    if (!Number.isInteger(snrShift) || snrShift < 0 || snrShift > 63) throw ctx.error(`snr_shift ${snrShift} is outside [0, 63]`);
    let x = EMPTY_U32;
    let estimate = EMPTY_U32;
    let lut = EMPTY_I16;
    let y = EMPTY_U32;
    return {
      invoke(): void {
        x = input.data as Uint32Array;
        estimate = noise.data as Uint32Array;
        lut = gainLut.data as Int16Array;
        y = output.data as Uint32Array;
        for (let i = 0; i < channels; i++) {
          // The int16 gain widens to uint32 (a negative gain wraps).
          const gain = wideDynamicFunction(estimate[i], lut) >>> 0;
          y[i] = pcanShrink(productsShiftRight(x[i], gain, 0, 0, snrShift));
        }
      },
    };
  },
};
