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
  private readonly channelCount: number;

  constructor(q: Int8Requantization) {
    this.channels = new ChannelMultipliers(q.multipliers, q.shifts);
    this.outputOffset = q.outputOffset;
    this.activationMin = q.activationMin;
    this.activationMax = q.activationMax;
    this.channelCount = q.multipliers.length;
  }

  /**
   * y[out + i] from sums[i] for i < count, consecutive output positions of every channel each
   * (count a multiple of the channel count). One call site per kernel, so the arithmetic is
   * inlined once, and long runs so the call costs little per value.
   */
  store(sums: Float64Array, count: number, bias: Int32Array, y: Int8Array, out: number): void {
    const { outputOffset, activationMin, activationMax, channelCount } = this;
    for (let i = 0, channel = 0; i < count; i++) {
      let value = this.channels.apply((sums[i] + bias[channel]) | 0, channel) + outputOffset;
      // The clamp without branches: half the values of a ReLU layer clamp, in no learnable order.
      let excess = value - activationMin;
      value -= excess & (excess >> 31);
      excess = value - activationMax;
      value -= excess & ~(excess >> 31);
      y[out + i] = value;
      channel++;
      if (channel === channelCount) channel = 0;
    }
  }
}
