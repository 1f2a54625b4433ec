// ABS after TFLM's micro/kernels/elementwise.cc (PrepareAbsRsqrt, AbsEvalQuantized): float32
// |x|; int8 and quantized int16 |q - input zero point|, rescaled by input_scale / output_scale
// only when the two scales differ, plus the output zero point, saturated. int16 needs zero
// points of 0; an unquantized int16 is std::abs cast back to int16 (-32768 stays -32768).
import { firstInputIn, perTensorQuantization, prepareFloatUnary, sameDtypeUnaryTensors } from './elementwise.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { integerRange, multiplyByQuantizedMultiplier, quantizeMultiplier } from './quantization.js';

export const ABS: Kernel = {
  supports: firstInputIn(['float32', 'int8', 'int16']),
  prepare(ctx): PreparedOp {
    const { input, output } = sameDtypeUnaryTensors(ctx);
    const count = input.elementCount;
    if (input.dtype === 'float32') return prepareFloatUnary(input, output, Math.abs);
    if (input.dtype === 'int16' && input.quantization === null) {
      return {
        invoke(): void {
          const x = input.data as Int16Array;
          const y = output.data as Int16Array;
          for (let i = 0; i < count; i++) y[i] = Math.abs(x[i]);
        },
      };
    }
    perTensorQuantization(ctx, input, 'input');
    perTensorQuantization(ctx, output, 'output');
    if (input.dtype === 'int16' && (input.zeroPoint !== 0 || output.zeroPoint !== 0)) {
      throw ctx.error(`int16 needs zero points of 0, got input ${input.zeroPoint} and output ${output.zeroPoint}`);
    }
    const inputScale = Math.fround(input.scale);
    const outputScale = Math.fround(output.scale);
    const needsRescale = inputScale !== outputScale;
    const { multiplier, shift } = needsRescale ? quantizeMultiplier(inputScale / outputScale) : { multiplier: 0, shift: 0 };
    const [min, max] = integerRange(output.dtype);
    const inputOffset = input.zeroPoint;
    const outputOffset = output.zeroPoint;
    return {
      invoke(): void {
        const x = input.data as Int8Array | Int16Array;
        const y = output.data as Int8Array | Int16Array;
        for (let i = 0; i < count; i++) {
          const magnitude = Math.abs(x[i] - inputOffset);
          const value = outputOffset + (needsRescale ? multiplyByQuantizedMultiplier(magnitude, multiplier, shift) : magnitude);
          y[i] = value < min ? min : value > max ? max : value;
        }
      },
    };
  },
};
