// The int8 convolutions' input as their inner loops want it: one batch copied into a buffer
// that holds x + input_offset and a zero border for the padding. TFLM's reference kernels skip
// taps outside the image, which is the same as multiplying them by 0, so the loops over a
// window need no bounds tests and no offset arithmetic.
import type { Geometry, Window } from './conv-pool-common.js';

/** The window a convolution slides: strides, dilations and the filter's extent (the padding is in the Geometry). */
export type WindowShape = Omit<Window, 'padding'>;

export class PaddedInput {
  readonly values: Float64Array;
  /** Elements per padded row. */
  readonly rowStride: number;
  private readonly geometry: Geometry;
  private readonly inputOffset: number;
  private readonly rows: number;
  private readonly width: number;

  constructor(geometry: Geometry, window: WindowShape, inputOffset: number) {
    this.geometry = geometry;
    this.inputOffset = inputOffset;
    // Exactly the rows and columns some window reaches; VALID padding may leave input unused.
    this.rows = (geometry.outputHeight - 1) * window.strideHeight + (window.filterHeight - 1) * window.dilationHeight + 1;
    this.width = (geometry.outputWidth - 1) * window.strideWidth + (window.filterWidth - 1) * window.dilationWidth + 1;
    this.rowStride = this.width * geometry.inputDepth;
    this.values = new Float64Array(this.rows * this.rowStride);
  }

  /** Index in `values` of the first element of the window of output position (outY, outX), stride applied. */
  windowStart(outY: number, outX: number, window: WindowShape): number {
    return outY * window.strideHeight * this.rowStride + outX * window.strideWidth * this.geometry.inputDepth;
  }

  /**
   * Copies one batch of x in, adding the input offset; the border stays 0. With a partner
   * scale, each value also gets partnerScale times the value partnerRows padded rows further
   * down (0 past the end): two output rows' inputs packed into one double.
   */
  fill(x: Int8Array, batch: number, partnerRows = 0, partnerScale = 0): void {
    const { inputHeight, inputWidth, inputDepth, padHeight, padWidth } = this.geometry;
    const values = this.values;
    const offset = this.inputOffset;
    // Never -0 (Math.max(0, -0) would be), which the JIT would have to deoptimize for.
    const firstX = padWidth < 0 ? -padWidth : 0;
    const endX = Math.min(inputWidth, this.width - padWidth);
    const count = (endX - firstX) * inputDepth;
    for (let row = 0; row < this.rows; row++) {
      const inY = row - padHeight;
      const partnerY = partnerScale === 0 || row + partnerRows >= this.rows ? -1 : inY + partnerRows;
      const own = inY >= 0 && inY < inputHeight;
      const partner = partnerY >= 0 && partnerY < inputHeight;
      // Rows that see neither stay 0 from construction, as the same rows do on every invoke.
      if (!own && !partner) continue;
      const source = ((batch * inputHeight + inY) * inputWidth + firstX) * inputDepth;
      const partnerSource = ((batch * inputHeight + partnerY) * inputWidth + firstX) * inputDepth;
      const target = row * this.rowStride + (firstX + padWidth) * inputDepth;
      if (own && partner) {
        for (let i = 0; i < count; i++) values[target + i] = x[source + i] + offset + (x[partnerSource + i] + offset) * partnerScale;
      } else if (own) {
        for (let i = 0; i < count; i++) values[target + i] = x[source + i] + offset;
      } else {
        for (let i = 0; i < count; i++) values[target + i] = (x[partnerSource + i] + offset) * partnerScale;
      }
    }
  }
}
