// The int8 fast path of CONV_2D (and of DEPTHWISE_CONV_2D with one input channel): the
// convolution as a matrix product over a padded copy of the input that already holds
// x + input_offset, so the inner loop is a pure dot product with no bounds tests, and
// TFLM's skipped out-of-image taps are the copy's zero border.
//
// Two output channels share every multiply-add: their weights are packed into one double,
// w_a + w_b * 2^laneShift, and sum(x * packed) = A + B * 2^laneShift holds both dot
// products exactly while every partial sum stays below 2^53. prepare() proves that bound
// from the weights and the input offset (|x + offset| <= 255); when it cannot, each double
// holds one channel (B = 0) and the same loops run unpacked.
import type { Geometry } from './conv-pool-common.js';
import { PaddedInput, type WindowShape } from './padded-input.js';
import { ChannelMultipliers } from './quantization.js';

const TWO_POW_53 = 9007199254740992;
/** Output positions per pass of the inner loop; the last pass repeats the final position. */
const PIXELS_PER_BLOCK = 4;
/** Packed doubles (channel pairs) per pass: 4 pixels x 2 doubles = 8 accumulators in registers. */
const PAIRS_PER_BLOCK = 2;

/** A convolution's shape; the weights are OHWI with one group (filter depth = input depth). */
export type ConvGemmShape = Geometry & WindowShape;

/** What an int8 convolution's output needs besides the sums: offsets, per-channel multipliers, the fused activation's clamp. */
export interface Int8Requantization {
  inputOffset: number;
  outputOffset: number;
  multipliers: Int32Array;
  shifts: Int32Array;
  activationMin: number;
  activationMax: number;
}

/** One output channel's sum to int8: the exact sum plus bias wraps to C's int32 accumulator, then TFLM's requantization and clamp. */
export class Int8Output {
  private readonly channels: ChannelMultipliers;
  private readonly outputOffset: number;
  private readonly activationMin: number;
  private readonly activationMax: number;

  constructor(q: Int8Requantization) {
    this.channels = new ChannelMultipliers(q.multipliers, q.shifts);
    this.outputOffset = q.outputOffset;
    this.activationMin = q.activationMin;
    this.activationMax = q.activationMax;
  }

  /** y[out + c] for channels 0..channels-1 from sums[c] and bias[c]: one call site, so the arithmetic inlines once. */
  store(sums: Float64Array, bias: Int32Array, channels: number, y: Int8Array, out: number): void {
    const { outputOffset, activationMin, activationMax } = this;
    for (let channel = 0; channel < channels; channel++) {
      let value = this.channels.apply((sums[channel] + bias[channel]) | 0, channel) + outputOffset;
      // The clamp without branches: half the values of a ReLU layer clamp, in no learnable order.
      let excess = value - activationMin;
      value -= excess & (excess >> 31);
      excess = value - activationMax;
      value -= excess & ~(excess >> 31);
      y[out + channel] = value;
    }
  }
}

/**
 * The largest |sum(x * w)| of one channel: |x + input offset| <= xBound, weights as given, or
 * 128 each for a filter only known at invoke time.
 */
function laneBound(weights: Int8Array | null, channels: number, windowSize: number, xBound: number): number {
  let largest = 0;
  for (let channel = 0; channel < channels; channel++) {
    let total = 0;
    for (let j = 0; j < windowSize; j++) total += weights === null ? 128 : Math.abs(weights[channel * windowSize + j]);
    if (total > largest) largest = total;
  }
  return largest * xBound;
}

/** 1.5 * 2^52: adding and subtracting it rounds a double below 2^51 to the nearest integer. */
const ROUNDER = 6755399441055744;

export class Int8ConvGemm {
  private readonly batches: number;
  private readonly outputHeight: number;
  private readonly outputWidth: number;
  private readonly outputDepth: number;
  private readonly output: Int8Output;
  private readonly input: PaddedInput;
  /** Start of each output position's window in the padded input, padded to whole blocks with the last one. */
  private readonly windowStarts: Int32Array;
  /** Offsets of the window's contiguous runs from its start; every run has runLength values. */
  private readonly runs: Int32Array;
  private readonly runLength: number;
  private readonly windowSize: number;
  /** [block][window element][pair in block]: the packed weights. */
  private readonly packed: Float64Array;
  private readonly lanes: number;
  private readonly laneScale: number;
  private readonly inverseLaneScale: number;
  private readonly blocks: number;
  /** One pass's packed sums, [pixel][pair] (pairs rounded up to whole blocks). */
  private readonly sums: Float64Array;
  /** One position's sums by channel. */
  private readonly unpacked: Float64Array;
  private readonly zeroBias: Int32Array;
  private readonly constantWeights: boolean;

  /** weights: OHWI int8, constant (packed here once) or null when they arrive at invoke time (packed then). */
  constructor(shape: ConvGemmShape, q: Int8Requantization, weights: Int8Array | null) {
    this.batches = shape.batches;
    this.outputHeight = shape.outputHeight;
    this.outputWidth = shape.outputWidth;
    this.outputDepth = shape.outputDepth;
    this.output = new Int8Output(q);
    const { filterHeight, filterWidth, inputDepth, outputDepth, dilationHeight, dilationWidth } = shape;
    this.input = new PaddedInput(shape, shape, q.inputOffset);
    const rowStride = this.input.rowStride;
    // With no gap between taps a whole filter row is one run of filterWidth x depth values, in
    // the same order as the OHWI weights; dilated filters have one run per tap.
    const runs: number[] = [];
    for (let fy = 0; fy < filterHeight; fy++) {
      if (dilationWidth === 1) runs.push(fy * dilationHeight * rowStride);
      else for (let fx = 0; fx < filterWidth; fx++) runs.push(fy * dilationHeight * rowStride + fx * dilationWidth * inputDepth);
    }
    this.runs = Int32Array.from(runs);
    this.runLength = dilationWidth === 1 ? filterWidth * inputDepth : inputDepth;
    this.windowSize = filterHeight * filterWidth * inputDepth;
    const positions = shape.outputHeight * shape.outputWidth;
    this.windowStarts = new Int32Array(Math.ceil(positions / PIXELS_PER_BLOCK) * PIXELS_PER_BLOCK);
    for (let i = 0; i < this.windowStarts.length; i++) {
      const position = Math.min(i, positions - 1);
      const outY = Math.trunc(position / shape.outputWidth);
      this.windowStarts[i] = this.input.windowStart(outY, position - outY * shape.outputWidth, shape);
    }
    const xBound = Math.max(Math.abs(-128 + q.inputOffset), Math.abs(127 + q.inputOffset));
    const bound = laneBound(weights, outputDepth, this.windowSize, xBound);
    // Lane A must stay below half the lane scale to be recovered by rounding; A + B * scale below 2^53.
    let laneShift = 1;
    while (2 ** (laneShift - 1) <= bound) laneShift++;
    this.lanes = bound * (1 + 2 ** laneShift) <= TWO_POW_53 ? 2 : 1;
    // Unpacked, lane B is 0 and the same rounding recovers it.
    this.laneScale = 2 ** laneShift;
    this.inverseLaneScale = 2 ** -laneShift;
    this.blocks = Math.ceil(Math.ceil(outputDepth / this.lanes) / PAIRS_PER_BLOCK);
    this.packed = new Float64Array(this.blocks * this.windowSize * PAIRS_PER_BLOCK);
    this.sums = new Float64Array(PIXELS_PER_BLOCK * this.blocks * PAIRS_PER_BLOCK);
    this.unpacked = new Float64Array(this.blocks * PAIRS_PER_BLOCK * 2);
    this.zeroBias = new Int32Array(outputDepth);
    this.constantWeights = weights !== null;
    if (weights !== null) this.pack(weights);
  }

  private pack(weights: Int8Array): void {
    const { windowSize, lanes, laneScale, packed } = this;
    const channels = this.outputDepth;
    for (let block = 0; block < this.blocks; block++) {
      for (let slot = 0; slot < PAIRS_PER_BLOCK; slot++) {
        const first = (block * PAIRS_PER_BLOCK + slot) * lanes;
        for (let j = 0; j < windowSize; j++) {
          let value = first < channels ? weights[first * windowSize + j] : 0;
          if (lanes === 2 && first + 1 < channels) value += weights[(first + 1) * windowSize + j] * laneScale;
          packed[(block * windowSize + j) * PAIRS_PER_BLOCK + slot] = value;
        }
      }
    }
  }

  /** y = requantize(conv(x, weights) + bias); weights are only read when they were not constant at prepare. */
  run(x: Int8Array, weights: Int8Array, bias: Int32Array | null, y: Int8Array): void {
    if (!this.constantWeights) this.pack(weights);
    const { outputHeight, outputWidth, outputDepth, batches } = this;
    const b = bias === null ? this.zeroBias : bias;
    const positions = outputHeight * outputWidth;
    const { packed: ws, runs, runLength, windowStarts, windowSize, lanes, laneScale, inverseLaneScale, sums, blocks } = this;
    const pairs = blocks * PAIRS_PER_BLOCK;
    const xs = this.input.values;
    const runCount = runs.length;
    for (let batch = 0; batch < batches; batch++) {
      this.input.fill(x, batch);
      const batchOut = batch * positions * outputDepth;
      for (let position = 0; position < positions; position += PIXELS_PER_BLOCK) {
        const start0 = windowStarts[position];
        const start1 = windowStarts[position + 1];
        const start2 = windowStarts[position + 2];
        const start3 = windowStarts[position + 3];
        const pixels = Math.min(PIXELS_PER_BLOCK, positions - position);
        for (let block = 0; block < blocks; block++) {
          let a0 = 0;
          let b0 = 0;
          let a1 = 0;
          let b1 = 0;
          let a2 = 0;
          let b2 = 0;
          let a3 = 0;
          let b3 = 0;
          let w = block * windowSize * PAIRS_PER_BLOCK;
          for (let r = 0; r < runCount; r++) {
            const runStart = runs[r];
            let i0 = start0 + runStart;
            let i1 = start1 + runStart;
            let i2 = start2 + runStart;
            let i3 = start3 + runStart;
            const end = i0 + runLength;
            for (; i0 < end; i0++, i1++, i2++, i3++, w += 2) {
              const wa = ws[w];
              const wb = ws[w + 1];
              const x0 = xs[i0];
              const x1 = xs[i1];
              const x2 = xs[i2];
              const x3 = xs[i3];
              a0 += x0 * wa;
              b0 += x0 * wb;
              a1 += x1 * wa;
              b1 += x1 * wb;
              a2 += x2 * wa;
              b2 += x2 * wb;
              a3 += x3 * wa;
              b3 += x3 * wb;
            }
          }
          // [pixel][pair] for the requantization below.
          const pair = block * PAIRS_PER_BLOCK;
          sums[pair] = a0;
          sums[pair + 1] = b0;
          sums[pairs + pair] = a1;
          sums[pairs + pair + 1] = b1;
          sums[2 * pairs + pair] = a2;
          sums[2 * pairs + pair + 1] = b2;
          sums[3 * pairs + pair] = a3;
          sums[3 * pairs + pair + 1] = b3;
        }
        this.requantizeBlock(pixels, batchOut + position * outputDepth, b, y);
      }
    }
  }

  /** Unpacks and requantizes one pass's sums ([pixel][pair]) into `pixels` output positions from `out` on. */
  private requantizeBlock(pixels: number, out: number, bias: Int32Array, y: Int8Array): void {
    const { sums, lanes, laneScale, inverseLaneScale, output } = this;
    const channels = this.outputDepth;
    const pairs = this.blocks * PAIRS_PER_BLOCK;
    const unpacked = this.unpacked;
    for (let pixel = 0; pixel < pixels; pixel++, out += channels) {
      const row = pixel * pairs;
      if (lanes === 2) {
        for (let pair = 0; pair < pairs; pair++) {
          const total = sums[row + pair];
          // Round to nearest by the 1.5 * 2^52 trick: exact for |total / scale| < 2^51, never a tie.
          const high = (total * inverseLaneScale + ROUNDER) - ROUNDER;
          unpacked[2 * pair] = total - high * laneScale;
          unpacked[2 * pair + 1] = high;
        }
      } else {
        for (let pair = 0; pair < pairs; pair++) unpacked[pair] = sums[row + pair];
      }
      output.store(unpacked, bias, channels, y, out);
    }
  }
}
