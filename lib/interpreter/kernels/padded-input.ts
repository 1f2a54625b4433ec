// The int8 convolutions' input as their inner loops want it: one batch of x as doubles, with a
// border for the padding that holds the input zero point. TFLM's reference kernels skip taps
// outside the image; here those taps read the zero point, which contributes w * (zp + offset)
// = 0 once the kernel folds offset * (sum of the weights) into the bias, so the loops over a
// window need no bounds tests and no offset arithmetic.
import type { Geometry, Window } from './conv-pool-common.js';

/** The window a convolution slides: strides, dilations and the filter's extent (the padding is in the Geometry). */
export type WindowShape = Omit<Window, 'padding'>;

/**
 * A partner packs two output rows' inputs into one double: each value also holds scale times
 * the value `rows` padded rows further down (0 past the end).
 */
export interface PartnerRows {
  rows: number;
  scale: number;
}

/** One contiguous copy of fill: `length` values from `source` (within a batch) to `target`. */
interface Run {
  source: number;
  target: number;
  length: number;
}

export class PaddedInput {
  readonly values: Float64Array;
  /** Elements per padded row. */
  readonly rowStride: number;
  private readonly geometry: Geometry;
  private readonly rows: number;
  private readonly width: number;
  private readonly partner: PartnerRows | null;
  private readonly zeroPoint: number;
  /** The image rows' copies without a partner, adjacent rows merged when both sides are contiguous. */
  private readonly runs: Run[];
  /** Views of x for every batch and run, made on the first fill from a given x (tensor views are fixed after allocate). */
  private views: Int8Array[] = [];
  private viewsOf: Int8Array | null = null;

  constructor(geometry: Geometry, window: WindowShape, zeroPoint: number, partner: PartnerRows | null = null) {
    this.geometry = geometry;
    this.zeroPoint = zeroPoint;
    this.partner = partner;
    // Exactly the rows and columns some window reaches; VALID padding may leave input unused.
    this.rows = (geometry.outputHeight - 1) * window.strideHeight + (window.filterHeight - 1) * window.dilationHeight + 1;
    this.width = (geometry.outputWidth - 1) * window.strideWidth + (window.filterWidth - 1) * window.dilationWidth + 1;
    this.rowStride = this.width * geometry.inputDepth;
    this.values = new Float64Array(this.rows * this.rowStride);
    // The border never changes: the zero point, plus the partner's (0 past the end).
    for (let row = 0; row < this.rows; row++) {
      const partnerValue = partner === null || row + partner.rows >= this.rows ? 0 : zeroPoint * partner.scale;
      this.values.fill(zeroPoint + partnerValue, row * this.rowStride, (row + 1) * this.rowStride);
    }
    this.runs = [];
    const { firstX, count } = this.columns();
    for (let row = 0; row < this.rows; row++) {
      const inY = row - geometry.padHeight;
      if (inY < 0 || inY >= geometry.inputHeight || count <= 0) continue;
      const source = (inY * geometry.inputWidth + firstX) * geometry.inputDepth;
      const target = row * this.rowStride + (firstX + geometry.padWidth) * geometry.inputDepth;
      const last = this.runs[this.runs.length - 1];
      if (last !== undefined && last.source + last.length === source && last.target + last.length === target) last.length += count;
      else this.runs.push({ source, target, length: count });
    }
  }

  /** The image columns some window reaches: the first, and how many values a row copies. */
  private columns(): { firstX: number; count: number } {
    const { inputWidth, inputDepth, padWidth } = this.geometry;
    // Never -0 (Math.max(0, -0) would be), which the JIT would have to deoptimize for.
    const firstX = padWidth < 0 ? -padWidth : 0;
    const endX = Math.min(inputWidth, this.width - padWidth);
    return { firstX, count: (endX - firstX) * inputDepth };
  }

  /** Index in `values` of the first element of the window of output position (outY, outX), stride applied. */
  windowStart(outY: number, outX: number, window: WindowShape): number {
    return outY * window.strideHeight * this.rowStride + outX * window.strideWidth * this.geometry.inputDepth;
  }

  /** Copies one batch of x in (packed with its partner rows when there is a partner); the border is left as it is. */
  fill(x: Int8Array, batch: number): void {
    if (this.partner !== null) {
      this.fillPartnered(x, batch, this.partner);
      return;
    }
    if (this.viewsOf !== x) this.makeViews(x);
    const runs = this.runs;
    const values = this.values;
    const views = this.views;
    // A typed-array set converts int8 to doubles many times faster than a loop.
    for (let r = 0, v = batch * runs.length; r < runs.length; r++, v++) values.set(views[v], runs[r].target);
  }

  private makeViews(x: Int8Array): void {
    const { inputHeight, inputWidth, inputDepth, batches } = this.geometry;
    const batchLength = inputHeight * inputWidth * inputDepth;
    this.views = [];
    for (let batch = 0; batch < batches; batch++) {
      for (const run of this.runs) {
        const start = batch * batchLength + run.source;
        this.views.push(x.subarray(start, start + run.length));
      }
    }
    this.viewsOf = x;
  }

  private fillPartnered(x: Int8Array, batch: number, partner: PartnerRows): void {
    const { inputHeight, inputWidth, inputDepth, padHeight, padWidth } = this.geometry;
    const values = this.values;
    const zeroPoint = this.zeroPoint;
    const { firstX, count } = this.columns();
    const partnerScale = partner.scale;
    for (let row = 0; row < this.rows; row++) {
      const inY = row - padHeight;
      const partnerY = row + partner.rows >= this.rows ? -1 : inY + partner.rows;
      const own = inY >= 0 && inY < inputHeight;
      const hasPartner = partnerY >= 0 && partnerY < inputHeight;
      // Rows that see neither keep the border values from construction, as the same rows do on every invoke.
      if (!own && !hasPartner) continue;
      const source = ((batch * inputHeight + inY) * inputWidth + firstX) * inputDepth;
      const partnerSource = ((batch * inputHeight + partnerY) * inputWidth + firstX) * inputDepth;
      const target = row * this.rowStride + (firstX + padWidth) * inputDepth;
      if (own && hasPartner) {
        for (let i = 0; i < count; i++) values[target + i] = x[source + i] + x[partnerSource + i] * partnerScale;
      } else if (own) {
        // The partner row is padding (zero point) or past the end (0).
        const partnerValue = row + partner.rows >= this.rows ? 0 : zeroPoint * partnerScale;
        for (let i = 0; i < count; i++) values[target + i] = x[source + i] + partnerValue;
      } else {
        for (let i = 0; i < count; i++) values[target + i] = zeroPoint + x[partnerSource + i] * partnerScale;
      }
    }
  }
}
