// The reduction plan shared by MEAN, SUM, REDUCE_MAX, REDUCE_MIN and REDUCE_ALL, as TFLM's
// micro/kernels/reduce_common.cc shares it: a constant axis input, keep_dims or not, and for
// every input element (memory order, as the reference's ReduceGeneric walks it) the output
// element it folds into. Also QuantizedMeanOrSum for the int8/int16 MEAN and SUM.
import { ReducerOptionsT } from '../../model/schema/tflite.js';
import type { RuntimeTensor } from '../tensor.js';
import { perTensorQuantization } from './elementwise.js';
import type { Kernel, PrepareContext, PreparedOp, ScratchBuffer } from './kernel.js';
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';
import { constantIndices, inputAt, outputAt, resolveAxis, sameDtype, shapeText } from './shape-common.js';

export interface Reduction {
  /** For each input element in memory order, the output element it adds to. */
  target: Int32Array;
  outputCount: number;
  /** Input elements per output element. */
  count: number;
}

export function reduction(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor): Reduction {
  const options = ctx.operator.builtinOptions instanceof ReducerOptionsT ? ctx.operator.builtinOptions : new ReducerOptionsT();
  const rank = input.shape.length;
  const axes = new Set(constantIndices(ctx, inputAt(ctx, 1, 'axis'), 'axis').map((a) => resolveAxis(ctx, a, rank, 'axis')));
  const expected = options.keepDims
    ? input.shape.map((d, i) => (axes.has(i) ? 1 : d))
    : input.shape.filter((_, i) => !axes.has(i));
  if (shapeText(expected) !== shapeText(output.shape)) {
    throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)} (keep_dims ${options.keepDims})`);
  }
  // Output pitch of each input axis (0 for a reduced axis), then every element's target.
  const pitch = new Array<number>(rank).fill(0);
  for (let i = rank - 1, p = 1; i >= 0; i--) {
    if (axes.has(i)) continue;
    pitch[i] = p;
    p *= input.shape[i];
  }
  const target = new Int32Array(input.elementCount);
  const index = new Array<number>(rank).fill(0);
  for (let e = 0; e < input.elementCount; e++) {
    let t = 0;
    for (let i = 0; i < rank; i++) t += index[i] * pitch[i];
    target[e] = t;
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i] < input.shape[i]) break;
      index[i] = 0;
    }
  }
  const count = input.shape.reduce((n, d, i) => (axes.has(i) ? n * d : n), 1);
  return { target, outputCount: output.elementCount, count };
}

/**
 * float32 MEAN and SUM: float32 sums in input memory order held in the output, as the reference
 * kernel uses it for them; the mean divides each once by the count.
 */
export function prepareFloatMeanOrSum(input: RuntimeTensor, output: RuntimeTensor, r: Reduction, computeSum: boolean): PreparedOp {
  const { target, outputCount, count } = r;
  const inputCount = target.length;
  const divide = !computeSum && count > 0;
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      y.fill(0);
      for (let e = 0; e < inputCount; e++) y[target[e]] = Math.fround(y[target[e]] + x[e]);
      if (divide) for (let o = 0; o < outputCount; o++) y[o] = Math.fround(y[o] / count);
    },
  };
}

/** QuantizedMeanOrSum's multiplier with 1/count folded in (int64 arithmetic, so BigInt here). */
export function meanMultiplier(realMultiplier: number, count: number): { multiplier: number; shift: number } {
  const base = quantizeMultiplier(realMultiplier);
  // 63 - CountLeadingZeros(count): the index of its highest set bit.
  let shift = 0;
  while (2 ** (shift + 1) <= count) shift++;
  shift = Math.min(shift, 32, 31 + base.shift);
  const multiplier = Number((BigInt(base.multiplier) << BigInt(shift)) / BigInt(count));
  return { multiplier, shift: base.shift - shift };
}

/**
 * MEAN of int8/int16 whose output has the input's scale and zero point: TFLM's EvalIntegerMean
 * then takes reference_ops::Mean, an int32 sum of the raw values divided by the count in C
 * integer division (truncation toward zero), with no requantization.
 */
function prepareSameQuantizationMean(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor, r: Reduction): PreparedOp {
  const { target, outputCount, count } = r;
  const inputCount = target.length;
  const scratch: ScratchBuffer = ctx.requestScratch(outputCount * 4);
  let sums: Int32Array = new Int32Array(0);
  return {
    invoke(): void {
      if (sums.buffer !== scratch.bytes.buffer || sums.byteOffset !== scratch.bytes.byteOffset) {
        sums = new Int32Array(scratch.bytes.buffer, scratch.bytes.byteOffset, outputCount);
      }
      const x = input.data as Int8Array | Int16Array;
      const y = output.data as Int8Array | Int16Array;
      sums.fill(0);
      for (let e = 0; e < inputCount; e++) sums[target[e]] = (sums[target[e]] + x[e]) | 0;
      for (let o = 0; o < outputCount; o++) y[o] = Math.trunc(sums[o] / count);
    },
  };
}

/**
 * QuantizedMeanOrSum (reference/reduce.h): an int32 sum per output in an arena scratch buffer,
 * the input zero point removed as zp * count, one MultiplyByQuantizedMultiplier by input scale /
 * output scale (for the mean with 1/count folded in), the output zero point added, clamped.
 */
export function prepareQuantizedMeanOrSum(
  ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor, r: Reduction, computeSum: boolean,
): PreparedOp {
  perTensorQuantization(ctx, input, 'input');
  perTensorQuantization(ctx, output, 'output');
  const { target, outputCount, count } = r;
  const inputCount = target.length;
  // TFLM: double(input scale) / double(output scale).
  const real = input.scale / output.scale;
  const { multiplier, shift } = computeSum ? quantizeMultiplier(real) : meanMultiplier(real, count);
  const inputZeroPoint = input.zeroPoint;
  const outputZeroPoint = output.zeroPoint;
  const [min, max] = integerRange(output.dtype);
  const scratch: ScratchBuffer = ctx.requestScratch(outputCount * 4);
  let sums: Int32Array = new Int32Array(0);
  return {
    invoke(): void {
      // The scratch bytes are bound by allocate(); view them once.
      if (sums.buffer !== scratch.bytes.buffer || sums.byteOffset !== scratch.bytes.byteOffset) {
        sums = new Int32Array(scratch.bytes.buffer, scratch.bytes.byteOffset, outputCount);
      }
      const x = input.data as Int8Array | Int16Array;
      const y = output.data as Int8Array | Int16Array;
      sums.fill(0);
      for (let e = 0; e < inputCount; e++) sums[target[e]] = (sums[target[e]] + x[e]) | 0;
      for (let o = 0; o < outputCount; o++) {
        const shifted = (sums[o] - Math.imul(inputZeroPoint, count)) | 0;
        let q = multiplyByQuantizedMultiplier(shifted, multiplier, shift) + outputZeroPoint;
        if (q < min) q = min;
        if (q > max) q = max;
        y[o] = q;
      }
    },
  };
}

/** The kernel of MEAN (computeSum false) or SUM (true): float32, int8 and int16 inputs. */
export function meanOrSumKernel(computeSum: boolean): Kernel {
  return {
    supports(_operator, inputDtypes): boolean {
      const dtype = inputDtypes[0];
      return dtype === 'float32' || dtype === 'int8' || dtype === 'int16';
    },
    prepare(ctx): PreparedOp {
      const input = inputAt(ctx, 0, 'input');
      const output = outputAt(ctx, 0);
      sameDtype(ctx, output, input, 'output');
      const r = reduction(ctx, input, output);
      if (!computeSum && r.count === 0) throw ctx.error('the reduced axes hold no elements');
      if (input.dtype === 'float32') return prepareFloatMeanOrSum(input, output, r, computeSum);
      // TFLM compares the float32 scales and the zero points (reduce_common.cc, EvalIntegerMean).
      perTensorQuantization(ctx, input, 'input');
      perTensorQuantization(ctx, output, 'output');
      if (!computeSum && input.zeroPoint === output.zeroPoint && Math.fround(input.scale) === Math.fround(output.scale)) {
        return prepareSameQuantizationMean(ctx, input, output, r);
      }
      return prepareQuantizedMeanOrSum(ctx, input, output, r, computeSum);
    },
  };
}
