// float32 <-> int16 model edges (QUANTIZE float32 -> int16, DEQUANTIZE int16 -> float32) for the
// C kernel that redoes TFLM's one float32 operation in integers (tm_float_int16.c). The host
// gives the scale as a 24-bit mantissa and a power-of-two exponent.
import { elementCount } from '../../model/dtype.js';
import type { PlanOperator } from './format.js';
import { C_KERNELS } from './kernel-ids.js';
import { inputOf, outputOf, requireActivation, scaleOf, zeroPointOf, type OpContext } from './op-context.js';

/** A normal float32 scale as [mantissa with its implicit bit, exponent]: scale = m * 2^e. */
export function scaleParts(ctx: OpContext, scale: number): [number, number] {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, scale);
  const bits = view.getUint32(0);
  const biased = (bits >>> 23) & 0xff;
  // Normal, and far from overflow at 2^17 x scale (DEQUANTIZE's largest product).
  if (scale <= 0 || biased === 0 || biased > 254 - 18) ctx.fail(`scale ${scale} must be a positive normal float32 below 2^110`);
  return [(bits & 0x7fffff) | 0x800000, biased - 150];
}

export function floatInt16(ctx: OpContext): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  requireActivation(ctx, input, 'input');
  const toInt16 = input.dtype === 'float32' && output.dtype === 'int16';
  if (!toInt16 && !(input.dtype === 'int16' && output.dtype === 'float32')) ctx.fail(`${input.dtype} to ${output.dtype}: float32 <-> int16 expected`);
  const quantized = toInt16 ? output : input;
  if ((quantized.quantization?.scale.length ?? 0) !== 1) ctx.fail('the int16 side needs one scale');
  const [mantissa, exponent] = scaleParts(ctx, scaleOf(quantized));
  return {
    kernelId: C_KERNELS.FLOAT_INT16.id,
    params: [inputIndex, outputIndex, elementCount(input.shape), toInt16 ? 0 : 1, zeroPointOf(quantized), mantissa, exponent],
  };
}
