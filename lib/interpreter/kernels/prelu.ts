// PRELU after TFLM's micro/kernels/prelu.cc, prelu_common.cc and reference/prelu.h, alpha
// (input 1) broadcast to the input. float32: x >= 0 ? x : x * alpha. int8 (int8 alpha) and int16
// (int8 alpha): v = q - input zero point; v >= 0 is rescaled by input_scale / output_scale, else
// v * (alpha - alpha zero point) by input_scale * alpha_scale / output_scale; plus the output
// zero point, saturated.
import { type ElementStep, forEachElement, planBroadcast } from './binary-elementwise.js';
import { firstInputIn, perTensorQuantization } from './elementwise.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';
import { inputAt, outputAt } from './shape-common.js';

export const PRELU: Kernel = {
  supports: firstInputIn(['float32', 'int8', 'int16']),
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const alpha = inputAt(ctx, 1, 'alpha');
    const output = outputAt(ctx, 0);
    if (output.dtype !== input.dtype) throw ctx.error(`input is ${input.dtype} but output is ${output.dtype}`);
    const plan = planBroadcast(ctx, input, alpha, output);
    if (input.dtype === 'float32') {
      if (alpha.dtype !== 'float32') throw ctx.error(`float32 input needs a float32 alpha, got ${alpha.dtype}`);
      let x: Float32Array = new Float32Array(0);
      let a: Float32Array = new Float32Array(0);
      let y: Float32Array = new Float32Array(0);
      const step: ElementStep = (o, i, k) => {
        y[o] = x[i] >= 0 ? x[i] : x[i] * a[k];
      };
      return {
        invoke(): void {
          x = input.data as Float32Array;
          a = alpha.data as Float32Array;
          y = output.data as Float32Array;
          forEachElement(plan, step);
        },
      };
    }
    if (alpha.dtype !== 'int8') throw ctx.error(`${input.dtype} input needs an int8 alpha, got ${alpha.dtype}`);
    perTensorQuantization(ctx, input, 'input');
    perTensorQuantization(ctx, alpha, 'alpha');
    perTensorQuantization(ctx, output, 'output');
    const inputScale = Math.fround(input.scale);
    const outputScale = Math.fround(output.scale);
    const positive = quantizeMultiplier(inputScale / outputScale);
    const negative = quantizeMultiplier((inputScale * Math.fround(alpha.scale)) / outputScale);
    const inputOffset = -input.zeroPoint;
    const alphaOffset = -alpha.zeroPoint;
    const outputOffset = output.zeroPoint;
    const [min, max] = integerRange(output.dtype);
    let x: Int8Array | Int16Array = new Int8Array(0);
    let a: Int8Array = new Int8Array(0);
    let y: Int8Array | Int16Array = new Int8Array(0);
    const step: ElementStep = (o, i, k) => {
      const v = x[i] + inputOffset;
      const value = outputOffset + (v >= 0
        ? multiplyByQuantizedMultiplier(v, positive.multiplier, positive.shift)
        : multiplyByQuantizedMultiplier(v * (a[k] + alphaOffset), negative.multiplier, negative.shift));
      y[o] = value < min ? min : value > max ? max : value;
    };
    return {
      invoke(): void {
        x = input.data as Int8Array | Int16Array;
        a = alpha.data as Int8Array;
        y = output.data as Int8Array | Int16Array;
        forEachElement(plan, step);
      },
    };
  },
};
