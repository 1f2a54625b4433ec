// The last step of TFLM's int8 kernels (conv, depthwise conv, fully connected): an exact sum
// plus the int32 bias, wrapped as C's int32 accumulator, requantized per output channel, moved
// by the output zero point and clamped to the fused activation's range.
import { ChannelMultipliers } from './quantization.js';

/** What an int8 convolution's output needs besides the sums: offsets, per-channel multipliers, the fused activation's clamp. */
export interface Int8Requantization {
  inputOffset: number;
  outputOffset: number;
  multipliers: Int32Array;
  shifts: Int32Array;
  activationMin: number;
  activationMax: number;
}

/** Channel sums to int8: the exact sum plus bias wraps to C's int32 accumulator, then TFLM's requantization and clamp. */
export class Int8Output {
  private readonly channels: ChannelMultipliers;
  private readonly outputOffset: number;
  private readonly activationMin: number;
  private readonly activationMax: number;
  /** The largest |sum| the kernel can produce (from its weights and input bound). */
  private readonly sumBound: number;

  constructor(q: Int8Requantization, sumBound: number) {
    this.sumBound = sumBound;
    this.channels = new ChannelMultipliers(q.multipliers, q.shifts);
    this.outputOffset = q.outputOffset;
    this.activationMin = q.activationMin;
    this.activationMax = q.activationMax;
  }

  /**
   * y[out + i] from sums[i] for i < count, consecutive output positions of every channel each
   * (count a multiple of the channel count). One call site per kernel, so the arithmetic is
   * inlined once, and long runs so the call costs little per value.
   */
  store(sums: Float64Array, count: number, bias: Int32Array, y: Int8Array, out: number): void {
    this.channels.storeInt8(sums, count, this.sumBound, bias, this.outputOffset, this.activationMin, this.activationMax, y, out);
  }
}
