// What the hybrid kernels (float32 activations x int8 weights: FULLY_CONNECTED, CONV_2D,
// DEPTHWISE_CONV_2D, SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM of a dynamic-range model) share, after TFLite's tensor_utils
// (kernels/internal/reference/portable_tensor_utils.cc: SymmetricQuantizeFloats,
// AsymmetricQuantizeFloats, ReductionSumVector). TFLM has no hybrid kernels; these follow the
// full TFLite runtime so that TF's dynamic-range models run here as TF runs them.
// Every float step is rounded to float32 as the C code rounds it (Math.fround).
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp, ScratchBuffer } from './kernel.js';
import { roundHalfAwayFromZero } from './quantization.js';

/** Per batch row: the float scale of the quantized input and its zero point (0 when symmetric). */
export interface RowQuantization {
  scales: Float32Array;
  offsets: Int32Array;
}

export function rowQuantization(batches: number): RowQuantization {
  return { scales: new Float32Array(batches), offsets: new Int32Array(batches) };
}

/** std::minmax_element over one row: [min, max]. */
function rowRange(x: Float32Array, start: number, size: number, range: Float32Array): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < start + size; i++) {
    const v = x[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  range[0] = min;
  range[1] = max;
}

/** Reused by every row so that invoke allocates nothing. */
const RANGE = new Float32Array(2);

/** ReductionSumVector: each weight row's sum, for the asymmetric zero-point correction. */
export function weightRowSums(weights: Int8Array, rows: number, columns: number): Int32Array {
  const sums = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    for (let c = 0; c < columns; c++) sum += weights[row * columns + c];
    sums[row] = sum;
  }
  return sums;
}

/** Quantizes x[start, start + size) into q[qStart, qStart + size), its scale and zero point into rows[row]. */
export type QuantizeRow = (x: Float32Array, start: number, size: number, q: Int8Array, qStart: number, rows: RowQuantization, row: number) => void;

/**
 * SymmetricQuantizeFloats: q = round(v * 127 / max|v|) in [-127, 127]; scale max|v| / 127
 * (1 and all zeros for an all-zero row).
 */
export function symmetricQuantizeRow(
  x: Float32Array, start: number, size: number, q: Int8Array, qStart: number, rows: RowQuantization, row: number,
): void {
  rowRange(x, start, size, RANGE);
  const range = Math.max(Math.abs(RANGE[0]), Math.abs(RANGE[1]));
  rows.offsets[row] = 0;
  if (range === 0) {
    q.fill(0, qStart, qStart + size);
    rows.scales[row] = 1;
    return;
  }
  rows.scales[row] = range / 127;
  const inverse = Math.fround(127 / range);
  for (let i = start; i < start + size; i++) {
    const value = roundHalfAwayFromZero(Math.fround(x[i] * inverse));
    q[qStart + i - start] = value > 127 ? 127 : value < -127 ? -127 : value;
  }
}

/**
 * AsymmetricQuantizeFloats: the row's range widened to include 0 maps onto [-128, 127]; the scale
 * and the zero-point candidates are doubles, the zero point the one with the smaller error,
 * nudged into range and rounded; the scale is stored as float and its inverse taken from that.
 */
export function asymmetricQuantizeRow(
  x: Float32Array, start: number, size: number, q: Int8Array, qStart: number, rows: RowQuantization, row: number,
): void {
  rowRange(x, start, size, RANGE);
  const rmin = Math.min(0, RANGE[0]);
  const rmax = Math.max(0, RANGE[1]);
  if (rmin === rmax) {
    q.fill(0, qStart, qStart + size);
    rows.scales[row] = 1;
    rows.offsets[row] = 0;
    return;
  }
  // The range is a float32 difference, divided in double: with it TF 2.21's mlp_wide.dynamic outputs match
  // 499/500 bit for bit; a double difference (some TF versions' text) matches 423/500.
  const scale = Math.fround(rmax - rmin) / 255;
  const zeroPointFromMin = -128 - rmin / scale;
  const zeroPointFromMax = 127 - rmax / scale;
  const errorFromMin = 128 + Math.abs(rmin / scale);
  const errorFromMax = 127 + Math.abs(rmax / scale);
  const zeroPointReal = errorFromMin < errorFromMax ? zeroPointFromMin : zeroPointFromMax;
  const zeroPoint = zeroPointReal <= -128 ? -128 : zeroPointReal >= 127 ? 127 : roundHalfAwayFromZero(zeroPointReal);
  rows.scales[row] = scale;
  rows.offsets[row] = zeroPoint;
  const inverse = Math.fround(1 / rows.scales[row]);
  for (let i = start; i < start + size; i++) {
    // int32 zero point + float product: a float32 sum, then std::round.
    const value = roundHalfAwayFromZero(Math.fround(zeroPoint + Math.fround(x[i] * inverse)));
    q[qStart + i - start] = value > 127 ? 127 : value < -128 ? -128 : value;
  }
}

/** An Int8Array over arena scratch, re-viewed only when allocate() has moved the scratch. */
export function int8ScratchView(scratch: ScratchBuffer, length: number): () => Int8Array {
  let view: Int8Array = new Int8Array(0);
  return (): Int8Array => {
    const bytes = scratch.bytes;
    if (view.buffer !== bytes.buffer || view.byteOffset !== bytes.byteOffset || view.length !== length) {
      view = new Int8Array(bytes.buffer, bytes.byteOffset, length);
    }
    return view;
  };
}

/** The per-channel weight scales as float32, one per output channel (a per-tensor scale repeated). */
export function weightScales(ctx: PrepareContext, filter: RuntimeTensor, channels: number, channelDimension: number): Float32Array {
  const scales = filter.scales;
  if (scales.length === 0) throw ctx.error('int8 filter of a hybrid op has no quantization scale');
  const quantizedDimension = filter.quantization?.quantizedDimension ?? 0;
  if (scales.length > 1 && (scales.length !== channels || quantizedDimension !== channelDimension)) {
    throw ctx.error(`filter has ${scales.length} per-channel scales along dimension ${quantizedDimension}; expected ${channels} along dimension ${channelDimension}`);
  }
  if ((filter.quantization?.zeroPoint ?? []).some((z) => z !== 0)) throw ctx.error('hybrid int8 weights must be symmetric (zero points 0)');
  return Float32Array.from({ length: channels }, (_, c) => scales[scales.length > 1 ? c : 0]);
}

export function checkHybridTypes(ctx: PrepareContext, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): void {
  if (filter.dtype !== 'int8') throw ctx.error(`hybrid float32 input needs an int8 filter, got ${filter.dtype}`);
  if (bias !== null && bias.dtype !== 'float32') throw ctx.error(`hybrid float32 input needs a float32 bias, got ${bias.dtype}`);
  if (output.dtype !== 'float32') throw ctx.error(`hybrid float32 input needs a float32 output, got ${output.dtype}`);
}

/**
 * A kernel that also runs the hybrid form of its op: float32 input with int8 weights goes to
 * `hybrid`, everything else to `base`, so the base kernel's file stays as it is.
 */
export function withHybrid(base: Kernel, hybrid: (ctx: PrepareContext) => PreparedOp): Kernel {
  const isHybrid = (input: string | null | undefined, filter: string | null | undefined): boolean => input === 'float32' && filter === 'int8';
  return {
    supports(operator, inputDtypes): boolean {
      return isHybrid(inputDtypes[0], inputDtypes[1]) || base.supports(operator, inputDtypes);
    },
    prepare(ctx): PreparedOp {
      return isHybrid(ctx.inputs[0]?.dtype, ctx.inputs[1]?.dtype) ? hybrid(ctx) : base.prepare(ctx);
    },
  };
}
