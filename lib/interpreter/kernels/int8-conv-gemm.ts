// The int8 fast path of CONV_2D (and of DEPTHWISE_CONV_2D with one input channel): the
// convolution as a matrix product over a padded copy of the input that already holds
// x + input_offset, so the inner loop is a pure dot product with no bounds tests, and
// TFLM's skipped out-of-image taps are the copy's zero border. The OHWI filter is a matrix of
// output channels x window elements, packed two channels per double (PackedInt8Rows).
import type { Geometry } from './conv-pool-common.js';
import { int8Bound, PackedInt8Rows, SLOTS_PER_BLOCK } from './int8-packed-rows.js';
import { Int8Output, type Int8Requantization } from './int8-output.js';
import { PaddedInput, type WindowShape } from './padded-input.js';

/** Output positions per pass of the inner loop; the last pass repeats the final position. */
const PIXELS_PER_BLOCK = 4;
/** Positions requantized together (a multiple of PIXELS_PER_BLOCK). */
const CHUNK_POSITIONS = 256;

/** A convolution's shape; the weights are OHWI with one group (filter depth = input depth). */
export type ConvGemmShape = Geometry & WindowShape;

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
  /** Output channels x window elements. */
  private readonly weights: PackedInt8Rows;
  /** One pass's packed sums, [pixel][slot]. */
  private readonly sums: Float64Array;
  /** Up to CHUNK_POSITIONS positions' sums, [position][channel]. */
  private readonly unpacked: Float64Array;
  private readonly zeroBias: Int32Array;

  /** weights: OHWI int8, constant (packed here once) or null when they arrive at invoke time (packed then). */
  constructor(shape: ConvGemmShape, q: Int8Requantization, weights: Int8Array | null) {
    this.batches = shape.batches;
    this.outputHeight = shape.outputHeight;
    this.outputWidth = shape.outputWidth;
    this.outputDepth = shape.outputDepth;
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
    const positions = shape.outputHeight * shape.outputWidth;
    this.windowStarts = new Int32Array(Math.ceil(positions / PIXELS_PER_BLOCK) * PIXELS_PER_BLOCK);
    for (let i = 0; i < this.windowStarts.length; i++) {
      const position = Math.min(i, positions - 1);
      const outY = Math.trunc(position / shape.outputWidth);
      this.windowStarts[i] = this.input.windowStart(outY, position - outY * shape.outputWidth, shape);
    }
    this.weights = new PackedInt8Rows(weights, outputDepth, filterHeight * filterWidth * inputDepth, 0, int8Bound(q.inputOffset));
    this.output = new Int8Output(q, this.weights.sumBound);
    this.sums = new Float64Array(PIXELS_PER_BLOCK * this.weights.blocks * SLOTS_PER_BLOCK);
    this.unpacked = new Float64Array(Math.min(CHUNK_POSITIONS, Math.ceil(positions / PIXELS_PER_BLOCK) * PIXELS_PER_BLOCK) * outputDepth);
    this.zeroBias = new Int32Array(outputDepth);
  }

  /** y = requantize(conv(x, weights) + bias); weights are only read when they were not constant at prepare. */
  run(x: Int8Array, filter: Int8Array, bias: Int32Array | null, y: Int8Array): void {
    if (!this.weights.constant) this.weights.pack(filter);
    const { outputHeight, outputWidth, outputDepth, batches, runs, runLength, windowStarts, sums, unpacked, weights } = this;
    const b = bias === null ? this.zeroBias : bias;
    const positions = outputHeight * outputWidth;
    const slots = weights.blocks * SLOTS_PER_BLOCK;
    const xs = this.input.values;
    for (let batch = 0; batch < batches; batch++) {
      this.input.fill(x, batch);
      const batchOut = batch * positions * outputDepth;
      for (let position = 0; position < positions; position += PIXELS_PER_BLOCK) {
        weights.multiplyFour(xs, windowStarts, position, runs, runLength, sums);
        const pixels = Math.min(PIXELS_PER_BLOCK, positions - position);
        const chunkPosition = position % CHUNK_POSITIONS;
        for (let pixel = 0; pixel < pixels; pixel++) {
          weights.unpack(sums, pixel * slots, unpacked, (chunkPosition + pixel) * outputDepth);
        }
        // Requantize in long runs: CHUNK_POSITIONS positions, or what is left.
        const done = position + pixels;
        if (done % CHUNK_POSITIONS === 0 || done === positions) {
          const first = done - chunkPosition - pixels;
          this.output.store(unpacked, (done - first) * outputDepth, b, y, batchOut + first * outputDepth);
        }
      }
    }
  }
}
