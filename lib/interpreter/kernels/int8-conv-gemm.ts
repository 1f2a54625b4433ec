// The int8 fast path of CONV_2D (and of DEPTHWISE_CONV_2D with one input channel): the
// convolution as a matrix product over a padded copy of the input (PaddedInput, the zero point
// in its border), so the inner loop is a pure dot product with no bounds tests. The input
// offset is taken out of the sums: sum(w * (x + offset)) = sum(w * x) + offset * sum(w), the
// second term folded into each channel's bias, and TFLM's skipped out-of-image taps are the
// border's w * (zero point + offset) = 0. The OHWI filter is a matrix of output channels x
// window elements, packed two channels per double (PackedInt8Rows).
import type { Geometry } from './conv-pool-common.js';
import { PackedInt8Rows, ROUNDER, SLOTS_PER_BLOCK } from './int8-packed-rows.js';
import { FOLDED_STRIDE, Int8Output, requantizeWith, type Int8Requantization } from './int8-output.js';
import { PaddedInput, type WindowShape } from './padded-input.js';

/** Output positions per pass of the inner loop; the last pass repeats the final position. */
const PIXELS_PER_BLOCK = 4;
/** The largest |x| of an int8 input. */
const INT8_BOUND = 128;

/** A convolution's shape; the weights are OHWI with one group (filter depth = input depth). */
export type ConvGemmShape = Geometry & WindowShape;

export class Int8ConvGemm {
  private readonly batches: number;
  private readonly outputHeight: number;
  private readonly outputWidth: number;
  private readonly outputDepth: number;
  private readonly inputOffset: number;
  private readonly output: Int8Output;
  private readonly input: PaddedInput;
  /** Start of each output position's window in the padded input, padded to whole blocks with the last one. */
  private readonly windowStarts: Int32Array;
  /** Offsets of the window's contiguous runs from its start; every run has runLength values. */
  private readonly runs: Int32Array;
  private readonly runLength: number;
  /** Output channels x window elements. */
  private readonly weights: PackedInt8Rows;
  /** One pass's packed sums, [pixel][slot]. */
  private readonly sums: Float64Array;
  /** Per channel: input offset x the sum of its weights, the part of the bias the sums leave out. */
  private readonly offsetSums: Float64Array;
  /** Per channel: the largest |sum(w * x)|, 128 x the sum of |w|. */
  private readonly sumBounds: Float64Array;
  private readonly constantBias: boolean;
  /** Whether the bias has been folded into the output stage, and whether every channel took the one-floor path. */
  private folded = false;
  private fast = false;

  /**
   * weights: OHWI int8, constant (packed here once) or null when they arrive at invoke time
   * (packed then); constantBias: the bias (or its absence) is the same on every run.
   */
  constructor(shape: ConvGemmShape, q: Int8Requantization, weights: Int8Array | null, constantBias: boolean) {
    this.constantBias = constantBias;
    this.batches = shape.batches;
    this.outputHeight = shape.outputHeight;
    this.outputWidth = shape.outputWidth;
    this.outputDepth = shape.outputDepth;
    this.inputOffset = q.inputOffset;
    const { filterHeight, filterWidth, inputDepth, outputDepth, dilationHeight, dilationWidth } = shape;
    this.input = new PaddedInput(shape, shape, -q.inputOffset);
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
    const positions = shape.outputHeight * shape.outputWidth;
    this.windowStarts = new Int32Array(Math.ceil(positions / PIXELS_PER_BLOCK) * PIXELS_PER_BLOCK);
    for (let i = 0; i < this.windowStarts.length; i++) {
      const position = Math.min(i, positions - 1);
      const outY = Math.trunc(position / shape.outputWidth);
      this.windowStarts[i] = this.input.windowStart(outY, position - outY * shape.outputWidth, shape);
    }
    const depth = filterHeight * filterWidth * inputDepth;
    this.weights = new PackedInt8Rows(weights, outputDepth, depth, 0, INT8_BOUND);
    this.output = new Int8Output(q, this.weights.sumBound);
    this.sums = new Float64Array(PIXELS_PER_BLOCK * this.weights.blocks * SLOTS_PER_BLOCK);
    this.offsetSums = new Float64Array(outputDepth);
    this.sumBounds = new Float64Array(outputDepth).fill(INT8_BOUND * 128 * depth);
    if (weights !== null) this.sumWeights(weights);
  }

  /** offsetSums and sumBounds from the weights. */
  private sumWeights(weights: Int8Array): void {
    const depth = this.weights.depth;
    for (let c = 0; c < this.outputDepth; c++) {
      let total = 0;
      let magnitude = 0;
      for (let j = c * depth; j < (c + 1) * depth; j++) {
        total += weights[j];
        magnitude += Math.abs(weights[j]);
      }
      this.offsetSums[c] = this.inputOffset * total;
      this.sumBounds[c] = INT8_BOUND * magnitude;
    }
  }

  /** y = requantize(conv(x, weights) + bias); weights are only read when they were not constant at prepare. */
  run(x: Int8Array, filter: Int8Array, bias: Int32Array | null, y: Int8Array): void {
    if (!this.weights.constant) {
      this.weights.pack(filter);
      this.sumWeights(filter);
    }
    const { outputHeight, outputWidth, outputDepth, batches, runs, runLength, windowStarts, sums, weights, output } = this;
    if (!this.folded || !this.constantBias || !weights.constant) {
      // Off the one-floor path (rare: huge biases or shifts) every value takes Int8Output.value.
      this.fast = output.foldBias(bias, this.offsetSums, this.sumBounds) && weights.lanes === 2;
      this.folded = true;
    }
    const fast = this.fast;
    const positions = outputHeight * outputWidth;
    const slots = weights.blocks * SLOTS_PER_BLOCK;
    const xs = this.input.values;
    for (let batch = 0; batch < batches; batch++) {
      this.input.fill(x, batch);
      const batchOut = batch * positions * outputDepth;
      for (let position = 0; position < positions; position += PIXELS_PER_BLOCK) {
        weights.multiplyFour(xs, windowStarts, position, runs, runLength, sums);
        const pixels = Math.min(PIXELS_PER_BLOCK, positions - position);
        const out = batchOut + position * outputDepth;
        if (fast) {
          this.storeBlock(pixels, y, out);
          continue;
        }
        for (let pixel = 0; pixel < pixels; pixel++) this.storeAny(pixel * slots, y, out + pixel * outputDepth);
      }
    }
  }

  /**
   * One pass's outputs (pixels positions from y[out] on) from its packed sums, on the one-floor
   * path: slot by slot, so its two channels' constants are read once for every position.
   */
  private storeBlock(pixels: number, y: Int8Array, out: number): void {
    const { sums, outputDepth, output } = this;
    const { folded, activationMin: low, activationMax: high } = output;
    const { laneScale, inverseLaneScale } = this.weights;
    const slots = this.weights.blocks * SLOTS_PER_BLOCK;
    // Each slot holds channels c and c + 1 (PackedInt8Rows.unpack); never a tie.
    for (let c = 0, slot = 0; c < outputDepth; c += 2, slot++) {
      const k = FOLDED_STRIDE * c;
      const factor = folded[k];
      const addend = folded[k + 1];
      const step = folded[k + 2];
      const threshold = folded[k + 3];
      const second = c + 1 < outputDepth;
      // An odd last channel has no partner: its constants stand in, for a value never stored.
      const l = second ? k + FOLDED_STRIDE : k;
      const factor1 = folded[l];
      const addend1 = folded[l + 1];
      const step1 = folded[l + 2];
      const threshold1 = folded[l + 3];
      for (let pixel = 0, s = slot, o = out + c; pixel < pixels; pixel++, s += slots, o += outputDepth) {
        const total = sums[s];
        const upper = (total * inverseLaneScale + ROUNDER) - ROUNDER;
        y[o] = requantizeWith(total - upper * laneScale, factor, addend, step, threshold, low, high);
        if (second) y[o + 1] = requantizeWith(upper, factor1, addend1, step1, threshold1, low, high);
      }
    }
  }

  /** One position's outputs from its packed sums (from `from` in this.sums) through Int8Output.value. */
  private storeAny(from: number, y: Int8Array, out: number): void {
    const { weights, output, sums, outputDepth } = this;
    if (weights.lanes === 1) {
      for (let c = 0; c < outputDepth; c++) y[out + c] = output.value(sums[from + c], c);
      return;
    }
    for (let c = 0, slot = from; c < outputDepth; c += 2, slot++) {
      const total = sums[slot];
      const upper = (total * weights.inverseLaneScale + ROUNDER) - ROUNDER;
      y[out + c] = output.value(total - upper * weights.laneScale, c);
      if (c + 1 < outputDepth) y[out + c + 1] = output.value(upper, c + 1);
    }
  }
}
