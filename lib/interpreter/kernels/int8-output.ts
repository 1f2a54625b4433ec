// The last step of TFLM's int8 kernels (conv, depthwise conv, fully connected): an exact sum
// plus the int32 bias, wrapped as C's int32 accumulator, requantized per output channel, moved
// by the output zero point and clamped to the fused activation's range.
import { ChannelMultipliers, clampInt } from './quantization.js';

/** What an int8 convolution's output needs besides the sums: offsets, per-channel multipliers, the fused activation's clamp. */
export interface Int8Requantization {
  inputOffset: number;
  outputOffset: number;
  multipliers: Int32Array;
  shifts: Int32Array;
  activationMin: number;
  activationMax: number;
}

/** Values per channel in Int8Output.folded. */
export const FOLDED_STRIDE = 4;

/**
 * Int8Output.value on its one-floor path, for hot loops: a channel's int8 output for an exact
 * sum, given the channel's factor, addend, negative step and threshold from Int8Output.folded.
 * A module function so that kernel loops inline it.
 */
export function requantizeWith(sum: number, factor: number, addend: number, step: number, threshold: number, low: number, high: number): number {
  const t = sum * factor + addend;
  let value = Math.floor(t);
  // The negative-side round is 2^-n smaller: it lowers the floor only when t's fraction is below 2^-n.
  if (t - value < step && t < threshold) value -= 1;
  return clampInt(value, low, high);
}

/** Channel sums to int8: the exact sum plus bias wraps to C's int32 accumulator, then TFLM's requantization and clamp. */
export class Int8Output {
  readonly activationMin: number;
  readonly activationMax: number;
  /**
   * After foldBias: per channel c, at FOLDED_STRIDE * c, ChannelMultipliers.foldBias's factor,
   * addend, negative step and threshold (where exact), side by side so a loop over channels
   * reads one array.
   */
  readonly folded: Float64Array;
  private readonly channels: ChannelMultipliers;
  private readonly outputOffset: number;
  /** The largest |sum| the kernel can produce (from its weights and input bound), for store(). */
  private readonly sumBound: number;
  /** After foldBias: each channel's whole bias (the int32 bias plus what the kernel folded in). */
  private readonly biases: Float64Array;
  /** After foldBias: 1 where the channel's entry in folded is exact. */
  private readonly exact: Uint8Array;

  constructor(q: Int8Requantization, sumBound: number) {
    this.sumBound = sumBound;
    this.channels = new ChannelMultipliers(q.multipliers, q.shifts);
    this.outputOffset = q.outputOffset;
    this.activationMin = q.activationMin;
    this.activationMax = q.activationMax;
    const count = q.multipliers.length;
    this.biases = new Float64Array(count);
    this.exact = new Uint8Array(count);
    this.folded = new Float64Array(FOLDED_STRIDE * count);
  }

  /**
   * y[out + i] from sums[i] for i < count, consecutive output positions of every channel each
   * (count a multiple of the channel count). One call site per kernel, so the arithmetic is
   * inlined once, and long runs so the call costs little per value.
   */
  store(sums: Float64Array, count: number, bias: Int32Array, y: Int8Array, out: number): void {
    this.channels.storeInt8(sums, count, this.sumBound, bias, this.outputOffset, this.activationMin, this.activationMax, y, out);
  }

  /**
   * Prepares value() for one run: channel c's bias is bias[c] (0 without one) plus extra[c]
   * (what the kernel moved out of its sums, e.g. input offset x sum of the weights), and its
   * sums stay within +-sumBounds[c]. True when every channel takes the one-floor formula, so
   * requantizeFolded with this.folded gives value() for all of them.
   */
  foldBias(bias: Int32Array | null, extra: Float64Array, sumBounds: Float64Array): boolean {
    const { biases, exact, channels, outputOffset } = this;
    let all = true;
    for (let c = 0; c < biases.length; c++) {
      biases[c] = (bias === null ? 0 : bias[c]) + extra[c];
      exact[c] = channels.foldBias(c, biases[c], sumBounds[c], outputOffset, this.folded, FOLDED_STRIDE * c) ? 1 : 0;
      if (exact[c] === 0) all = false;
    }
    return all;
  }

  /** The int8 output of channel c for an exact sum (bias not included), after foldBias. */
  value(sum: number, c: number): number {
    const k = FOLDED_STRIDE * c;
    const folded = this.folded;
    if (this.exact[c] === 1) return requantizeWith(sum, folded[k], folded[k + 1], folded[k + 2], folded[k + 3], this.activationMin, this.activationMax);
    return clampInt(this.channels.apply((sum + this.biases[c]) | 0, c) + this.outputOffset, this.activationMin, this.activationMax);
  }
}
