// QUANTIZE after TFLM's micro/kernels/quantize_common.cc: from float32 to int8/int16 by
// reference_ops::AffineQuantize (round(value / float(scale)) + zero point, clamped), and between
// integer types by reference_ops::Requantize with the multiplier of input scale / output scale.
import type { DType } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { perTensorQuantization, unaryTensors } from './elementwise.js';
import { ChannelMultipliers, integerRange, quantizeMultiplier, roundHalfAwayFromZero } from './quantization.js';

type IntegerData = Int8Array | Uint8Array | Int16Array | Int32Array;

/** The integer input -> output pairs PrepareQuantizeReference computes a requantize multiplier for. */
const REQUANTIZE_PAIRS: Readonly<Partial<Record<DType, readonly DType[]>>> = {
  int8: ['int8', 'uint8', 'int16', 'int32'],
  uint8: ['int8'],
  int16: ['int8', 'int16', 'int32'],
  int32: ['int8', 'int16'],
};

function prepareAffineQuantize(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  if (output.dtype !== 'int8' && output.dtype !== 'int16') throw ctx.error(`float32 input to ${output.dtype} output is not supported`);
  const scale = Math.fround(output.scale);
  const zeroPoint = output.zeroPoint;
  const [min, max] = integerRange(output.dtype);
  const count = input.elementCount;
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const y = output.data as Int8Array | Int16Array;
      for (let i = 0; i < count; i++) {
        // float32 division, as the C kernel divides two floats.
        const q = roundHalfAwayFromZero(Math.fround(x[i] / scale)) + zeroPoint;
        y[i] = q < min ? min : q > max ? max : q;
      }
    },
  };
}

function prepareRequantize(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor): PreparedOp {
  if (!(REQUANTIZE_PAIRS[input.dtype] ?? []).includes(output.dtype)) {
    throw ctx.error(`${input.dtype} input to ${output.dtype} output is not supported`);
  }
  perTensorQuantization(ctx, input, 'input');
  // double(input scale) / double(output scale), as PrepareQuantizeReference.
  const { multiplier, shift } = quantizeMultiplier(input.scale / output.scale);
  const requantize = new ChannelMultipliers(Int32Array.of(multiplier), Int32Array.of(shift));
  const inputZeroPoint = input.zeroPoint;
  const outputZeroPoint = output.zeroPoint;
  const [min, max] = integerRange(output.dtype);
  const count = input.elementCount;
  return {
    invoke(): void {
      const x = input.data as IntegerData;
      const y = output.data as IntegerData;
      for (let i = 0; i < count; i++) {
        // int32 subtraction, as Requantize computes input - zero point in int32_t.
        const q = requantize.apply((x[i] - inputZeroPoint) | 0, 0) + outputZeroPoint;
        y[i] = q < min ? min : q > max ? max : q;
      }
    },
  };
}

export const QUANTIZE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const input = inputDtypes[0];
    return input === 'float32' || (typeof input === 'string' && Object.hasOwn(REQUANTIZE_PAIRS, input));
  },
  prepare(ctx): PreparedOp {
    const { input, output } = unaryTensors(ctx);
    perTensorQuantization(ctx, output, 'output');
    if (input.dtype === 'float32') return prepareAffineQuantize(ctx, input, output);
    return prepareRequantize(ctx, input, output);
  },
};
