// BATCH_MATMUL after TFLM's micro/kernels/batch_matmul.cc and reference/batch_matmul.h:
// out[..., i, j] = sum_k lhs[..., i, k] * rhs[..., k, j] (adj_x / adj_y read lhs / rhs
// transposed), ranks 2 to 5, batch dimensions broadcast. int8 accumulates
// (lhs - zp_lhs) * (rhs - zp_rhs) in int32 and requantizes by MultiplyByQuantizedMultiplier
// (scale_lhs * scale_rhs / scale_out) + zp_out; int16 (all zero points 0) accumulates in int64
// and uses the int64 MultiplyByQuantizedMultiplier, as BatchMatMul<int16_t, int64_t> does.
// Only the summation order differs from TFLM's (which transposes first), which integers ignore.
import { BatchMatMulOptionsT } from '../../model/schema/tflite.js';
import type { RuntimeTensor } from '../tensor.js';
import { perTensorQuantization } from './elementwise.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import {
  integerRange, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierInt64, quantizeMultiplier,
} from './quantization.js';
import { inputAt, outputAt, shapeText } from './shape-common.js';

const MAX_RANK = 5;

interface Plan {
  /** For each output matrix, the element offsets of its lhs and rhs matrices. */
  lhsBase: Int32Array;
  rhsBase: Int32Array;
  rows: number;
  cols: number;
  depth: number;
  /** Element steps: lhs along a row index and along k; rhs along k and along a column index. */
  lhsRow: number;
  lhsK: number;
  rhsK: number;
  rhsCol: number;
}

function plan(ctx: PrepareContext, lhs: RuntimeTensor, rhs: RuntimeTensor, output: RuntimeTensor, adjX: boolean, adjY: boolean): Plan {
  for (const [t, what] of [[lhs, 'lhs'], [rhs, 'rhs']] as const) {
    if (t.shape.length < 2 || t.shape.length > MAX_RANK) throw ctx.error(`${what} has ${t.shape.length} dimensions, expected 2 to ${MAX_RANK}`);
  }
  const rank = Math.max(lhs.shape.length, rhs.shape.length);
  const extend = (shape: readonly number[]): number[] => [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const l = extend(lhs.shape);
  const r = extend(rhs.shape);
  const batch: number[] = [];
  for (let i = 0; i < rank - 2; i++) {
    if (l[i] !== r[i] && l[i] !== 1 && r[i] !== 1) throw ctx.error(`batch dimension ${i} does not broadcast: lhs ${shapeText(lhs.shape)}, rhs ${shapeText(rhs.shape)}`);
    batch.push(l[i] === 1 ? r[i] : l[i]);
  }
  const [lr, lc] = [l[rank - 2], l[rank - 1]];
  const [rr, rc] = [r[rank - 2], r[rank - 1]];
  const rows = adjX ? lc : lr;
  const depth = adjX ? lr : lc;
  const depthRhs = adjY ? rc : rr;
  const cols = adjY ? rr : rc;
  if (depth !== depthRhs) throw ctx.error(`lhs contracts ${depth} values and rhs ${depthRhs} (adj_x ${adjX}, adj_y ${adjY})`);
  const expected = [...batch, rows, cols];
  if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
  // Offsets of every output matrix's operands; a broadcast (size-1) dimension does not advance.
  const matrices = batch.reduce((a, b) => a * b, 1);
  const lhsBase = new Int32Array(matrices);
  const rhsBase = new Int32Array(matrices);
  const index = new Array<number>(batch.length).fill(0);
  for (let m = 0; m < matrices; m++) {
    let [lo, ro] = [0, 0];
    let [lp, rp] = [lr * lc, rr * rc];
    for (let i = batch.length - 1; i >= 0; i--) {
      if (l[i] !== 1) lo += index[i] * lp;
      if (r[i] !== 1) ro += index[i] * rp;
      lp *= l[i];
      rp *= r[i];
    }
    lhsBase[m] = lo;
    rhsBase[m] = ro;
    for (let i = batch.length - 1; i >= 0; i--) {
      if (++index[i] < batch[i]) break;
      index[i] = 0;
    }
  }
  return {
    lhsBase, rhsBase, rows, cols, depth,
    lhsRow: adjX ? 1 : lc, lhsK: adjX ? lc : 1,
    rhsK: adjY ? 1 : rc, rhsCol: adjY ? rc : 1,
  };
}

/** Runs `dot(lhsAt, rhsAt)` for every output element in order and stores what `store` makes of it. */
function forEachDot(p: Plan, cell: (out: number, lhsAt: number, rhsAt: number) => void): void {
  let out = 0;
  for (let m = 0; m < p.lhsBase.length; m++) {
    for (let i = 0; i < p.rows; i++) {
      for (let j = 0; j < p.cols; j++) cell(out++, p.lhsBase[m] + i * p.lhsRow, p.rhsBase[m] + j * p.rhsCol);
    }
  }
}

function prepareFloat(lhs: RuntimeTensor, rhs: RuntimeTensor, output: RuntimeTensor, p: Plan): PreparedOp {
  const { depth, lhsK, rhsK } = p;
  let a: Float32Array = new Float32Array(0);
  let b: Float32Array = new Float32Array(0);
  let y: Float32Array = new Float32Array(0);
  const cell = (out: number, lhsAt: number, rhsAt: number): void => {
    let total = 0;
    for (let k = 0; k < depth; k++) total = Math.fround(total + Math.fround(a[lhsAt + k * lhsK] * b[rhsAt + k * rhsK]));
    y[out] = total;
  };
  return {
    invoke(): void {
      a = lhs.data as Float32Array;
      b = rhs.data as Float32Array;
      y = output.data as Float32Array;
      forEachDot(p, cell);
    },
  };
}

function prepareQuantized(ctx: PrepareContext, lhs: RuntimeTensor, rhs: RuntimeTensor, output: RuntimeTensor, p: Plan): PreparedOp {
  perTensorQuantization(ctx, lhs, 'lhs');
  perTensorQuantization(ctx, rhs, 'rhs');
  perTensorQuantization(ctx, output, 'output');
  const wide = lhs.dtype === 'int16';
  if (wide && (lhs.zeroPoint !== 0 || rhs.zeroPoint !== 0 || output.zeroPoint !== 0)) {
    throw ctx.error(`int16 needs zero points 0, got lhs ${lhs.zeroPoint}, rhs ${rhs.zeroPoint}, output ${output.zeroPoint}`);
  }
  // GetQuantizedConvolutionMultipler: double(scale_lhs) * double(scale_rhs) / double(scale_out).
  const { multiplier, shift } = quantizeMultiplier((lhs.scale * rhs.scale) / output.scale);
  const [min, max] = integerRange(output.dtype);
  const { depth, lhsK, rhsK } = p;
  const [lhsZero, rhsZero, outZero] = [lhs.zeroPoint, rhs.zeroPoint, output.zeroPoint];
  let a: Int8Array | Int16Array = new Int8Array(0);
  let b: Int8Array | Int16Array = new Int8Array(0);
  let y: Int8Array | Int16Array = new Int8Array(0);
  const cell = (out: number, lhsAt: number, rhsAt: number): void => {
    let total = 0;
    // int16 products reach 2^30 and their sum stays far below 2^53, so a double holds the int64 sum.
    if (wide) for (let k = 0; k < depth; k++) total += a[lhsAt + k * lhsK] * b[rhsAt + k * rhsK];
    else for (let k = 0; k < depth; k++) total = (total + Math.imul(a[lhsAt + k * lhsK] - lhsZero, b[rhsAt + k * rhsK] - rhsZero)) | 0;
    let q = (wide ? multiplyByQuantizedMultiplierInt64(total, multiplier, shift) : multiplyByQuantizedMultiplier(total, multiplier, shift)) + outZero;
    if (q < min) q = min;
    if (q > max) q = max;
    y[out] = q;
  };
  return {
    invoke(): void {
      a = lhs.data as Int8Array | Int16Array;
      b = rhs.data as Int8Array | Int16Array;
      y = output.data as Int8Array | Int16Array;
      forEachDot(p, cell);
    },
  };
}

export const BATCH_MATMUL: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const dtype = inputDtypes[0];
    return (dtype === 'float32' || dtype === 'int8' || dtype === 'int16') && inputDtypes[1] === dtype;
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof BatchMatMulOptionsT ? ctx.operator.builtinOptions : new BatchMatMulOptionsT();
    const lhs = inputAt(ctx, 0, 'lhs');
    const rhs = inputAt(ctx, 1, 'rhs');
    const output = outputAt(ctx, 0);
    if (rhs.dtype !== lhs.dtype || output.dtype !== lhs.dtype) throw ctx.error(`lhs ${lhs.dtype}, rhs ${rhs.dtype} and output ${output.dtype} must share a dtype (no hybrid, no int32 output)`);
    const p = plan(ctx, lhs, rhs, output, options.adjX, options.adjY);
    if (lhs.dtype === 'float32') return prepareFloat(lhs, rhs, output, p);
    return prepareQuantized(ctx, lhs, rhs, output, p);
  },
};
