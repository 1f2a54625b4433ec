// Int8 weight rows (a FULLY_CONNECTED filter, an LSTM gate's weights, a convolution's OHWI
// filter) laid out for exact dot products in doubles, two rows per multiply-add.
//
// Rows a and b are packed into one double, (w_a + o) + (w_b + o) * 2^laneShift with o the
// weight offset, so sum(x * packed) = A + B * 2^laneShift holds both dot products exactly as
// long as every partial sum stays below 2^53. The constructor proves that bound from the
// weights and the largest |x| the caller promises; when it cannot, each double holds one row
// (B = 0) and the same loops run unpacked. A is recovered by rounding the sum to a multiple
// of 2^laneShift, which needs |A| < 2^(laneShift - 1).

const TWO_POW_53 = 9007199254740992;
/** 1.5 * 2^52: adding and subtracting it rounds a double below 2^51 to the nearest integer. */
export const ROUNDER = 6755399441055744;
/** Packed doubles interleaved per block: [block][element][slot]. */
export const SLOTS_PER_BLOCK = 2;

/** The largest |x + offset| of an int8 value x: the xBound of an int8 input with its offset added. */
export function int8Bound(offset: number): number {
  return Math.max(Math.abs(-128 + offset), Math.abs(127 + offset));
}

/**
 * How to pack two dot products whose values stay within +-bound into one double: lanes 2 with
 * the smallest shift that keeps |A| < 2^(laneShift - 1) while A + B * 2^laneShift stays within
 * 2^53; lanes 1 (no packing) when no shift does.
 */
export function packing(bound: number): { lanes: number; laneShift: number } {
  let laneShift = 1;
  while (2 ** (laneShift - 1) <= bound) laneShift++;
  return { lanes: bound * (1 + 2 ** laneShift) <= TWO_POW_53 ? 2 : 1, laneShift };
}

/**
 * The largest |sum((w + offset) * x)| over the rows with |x| <= xBound: weights as given, or
 * 128 + |offset| each for weights only known at invoke time.
 */
function largestRowSum(weights: Int8Array | null, rows: number, depth: number, weightOffset: number, xBound: number): number {
  let largest = 0;
  for (let row = 0; row < rows; row++) {
    let total = 0;
    for (let j = 0; j < depth; j++) total += weights === null ? 128 + Math.abs(weightOffset) : Math.abs(weights[row * depth + j] + weightOffset);
    if (total > largest) largest = total;
  }
  return largest * xBound;
}

export class PackedInt8Rows {
  readonly rows: number;
  readonly depth: number;
  /** Rows per packed double: 2, or 1 when the bound does not allow packing. */
  readonly lanes: number;
  readonly laneScale: number;
  readonly inverseLaneScale: number;
  readonly blocks: number;
  /** [block][element][slot], SLOTS_PER_BLOCK packed doubles per block. */
  readonly packed: Float64Array;
  readonly weightOffset: number;
  /** The largest |sum| multiply can produce: sum |w + offset| of the heaviest row times the x bound. */
  readonly sumBound: number;
  /** False when the weights arrive at invoke time and must be packed then. */
  readonly constant: boolean;
  /** One matrix-vector product's packed sums, by slot. */
  private readonly slotSums: Float64Array;

  /** weights: row-major int8 [rows][depth], or null when only known at invoke time (see pack). */
  constructor(weights: Int8Array | null, rows: number, depth: number, weightOffset: number, xBound: number) {
    this.rows = rows;
    this.depth = depth;
    this.weightOffset = weightOffset;
    this.sumBound = largestRowSum(weights, rows, depth, weightOffset, xBound);
    const { lanes, laneShift } = packing(this.sumBound);
    this.lanes = lanes;
    // Unpacked, lane B is 0 and the same rounding recovers A.
    this.laneScale = 2 ** laneShift;
    this.inverseLaneScale = 2 ** -laneShift;
    this.blocks = Math.ceil(Math.ceil(rows / this.lanes) / SLOTS_PER_BLOCK);
    this.packed = new Float64Array(this.blocks * depth * SLOTS_PER_BLOCK);
    this.slotSums = new Float64Array(this.blocks * SLOTS_PER_BLOCK);
    this.constant = weights !== null;
    if (weights !== null) this.pack(weights);
  }

  /** (Re)packs the weights; the bound was proven for any int8 values when constructed without them. */
  pack(weights: Int8Array): void {
    const { depth, lanes, laneScale, packed, rows, weightOffset } = this;
    for (let block = 0; block < this.blocks; block++) {
      for (let slot = 0; slot < SLOTS_PER_BLOCK; slot++) {
        const first = (block * SLOTS_PER_BLOCK + slot) * lanes;
        for (let j = 0; j < depth; j++) {
          let value = first < rows ? weights[first * depth + j] + weightOffset : 0;
          if (lanes === 2 && first + 1 < rows) value += (weights[(first + 1) * depth + j] + weightOffset) * laneScale;
          packed[(block * depth + j) * SLOTS_PER_BLOCK + slot] = value;
        }
      }
    }
  }

  /** sums[r] = sum over j of (w[r][j] + weight offset) * x[xStart + j], exactly, for every row r. */
  multiply(x: Float64Array, xStart: number, sums: Float64Array): void {
    const { packed, depth, slotSums, blocks } = this;
    const end = xStart + depth;
    let block = 0;
    // Two blocks per pass: each x is loaded once for four packed doubles (eight rows).
    for (; block + 2 <= blocks; block += 2) {
      let a0 = 0;
      let b0 = 0;
      let a1 = 0;
      let b1 = 0;
      for (let i = xStart, w = block * depth * SLOTS_PER_BLOCK, v = w + depth * SLOTS_PER_BLOCK; i < end; i++, w += 2, v += 2) {
        const value = x[i];
        a0 += value * packed[w];
        b0 += value * packed[w + 1];
        a1 += value * packed[v];
        b1 += value * packed[v + 1];
      }
      slotSums[block * SLOTS_PER_BLOCK] = a0;
      slotSums[block * SLOTS_PER_BLOCK + 1] = b0;
      slotSums[block * SLOTS_PER_BLOCK + 2] = a1;
      slotSums[block * SLOTS_PER_BLOCK + 3] = b1;
    }
    for (; block < blocks; block++) {
      let a = 0;
      let b = 0;
      for (let i = xStart, w = block * depth * SLOTS_PER_BLOCK; i < end; i++, w += 2) {
        const value = x[i];
        a += value * packed[w];
        b += value * packed[w + 1];
      }
      slotSums[block * SLOTS_PER_BLOCK] = a;
      slotSums[block * SLOTS_PER_BLOCK + 1] = b;
    }
    this.unpack(slotSums, 0, sums, 0);
  }

  /**
   * Four dot products per row at once: sums[v * slots + slot] for the four windows starting at
   * starts[first + v] (v < 4) in x, each window made of the runs (offsets from its start) of
   * runLength values, in the weights' element order. Eight accumulators stay in registers and
   * every weight load serves four windows.
   */
  multiplyFour(
    x: Float64Array, starts: Int32Array, first: number, runs: Int32Array, runLength: number, slotSums: Float64Array,
  ): void {
    const { packed, depth, blocks } = this;
    const slots = blocks * SLOTS_PER_BLOCK;
    const start0 = starts[first];
    const start1 = starts[first + 1];
    const start2 = starts[first + 2];
    const start3 = starts[first + 3];
    const runCount = runs.length;
    for (let block = 0; block < blocks; block++) {
      let a0 = 0;
      let b0 = 0;
      let a1 = 0;
      let b1 = 0;
      let a2 = 0;
      let b2 = 0;
      let a3 = 0;
      let b3 = 0;
      let w = block * depth * SLOTS_PER_BLOCK;
      for (let r = 0; r < runCount; r++) {
        const runStart = runs[r];
        let i0 = start0 + runStart;
        let i1 = start1 + runStart;
        let i2 = start2 + runStart;
        let i3 = start3 + runStart;
        const end = i0 + runLength;
        for (; i0 < end; i0++, i1++, i2++, i3++, w += 2) {
          const wa = packed[w];
          const wb = packed[w + 1];
          const x0 = x[i0];
          const x1 = x[i1];
          const x2 = x[i2];
          const x3 = x[i3];
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
      const slot = block * SLOTS_PER_BLOCK;
      slotSums[slot] = a0;
      slotSums[slot + 1] = b0;
      slotSums[slots + slot] = a1;
      slotSums[slots + slot + 1] = b1;
      slotSums[2 * slots + slot] = a2;
      slotSums[2 * slots + slot + 1] = b2;
      slotSums[3 * slots + slot] = a3;
      slotSums[3 * slots + slot + 1] = b3;
    }
  }

  /** Splits packed slot sums (from `from` on) into one sum per row (to sums[to + row]). */
  unpack(slotSums: Float64Array, from: number, sums: Float64Array, to: number): void {
    const { lanes, laneScale, inverseLaneScale, rows } = this;
    if (lanes === 1) {
      for (let row = 0; row < rows; row++) sums[to + row] = slotSums[from + row];
      return;
    }
    for (let slot = 0, row = 0; row < rows; slot++, row += 2) {
      const total = slotSums[from + slot];
      // Never a tie: |A| < 2^(laneShift - 1).
      const high = (total * inverseLaneScale + ROUNDER) - ROUNDER;
      sums[to + row] = total - high * laneScale;
      if (row + 1 < rows) sums[to + row + 1] = high;
    }
  }
}
