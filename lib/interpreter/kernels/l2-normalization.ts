// L2_NORMALIZATION after TFLM's micro/kernels/l2norm.cc, over the last dimension (input rank
// <= 4, no fused activation). float32 (reference/l2normalization.h): x / max(sqrtf(sum of x^2),
// 1e-6), the sum in float32. int8 (reference/integer_ops/l2normalization.h): the sum of
// (q - zero point)^2 in int32, its inverse square root from GetInvSqrtQuantizedMultiplierExp,
// each (q - zero point) multiplied by it with 7 more bits of left shift (output in 1/128 units,
// zero point 0), saturated.
import { ActivationFunctionType, L2NormOptionsT } from '../../model/schema/tflite.js';
import { firstInputIn, perTensorQuantization, sameDtypeUnaryTensors } from './elementwise.js';
import { invSqrtQuantizedMultiplier } from './gemmlowp-fixed-point.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { activationName, multiplyByQuantizedMultiplier } from './quantization.js';
import { rows } from './softmax.js';

const EPSILON = Math.fround(1e-6);
const OUTPUT_SHIFT = 7;

export const L2_NORMALIZATION: Kernel = {
  supports: firstInputIn(['float32', 'int8']),
  prepare(ctx): PreparedOp {
    const { input, output } = sameDtypeUnaryTensors(ctx);
    if (input.shape.length === 0 || input.shape.length > 4) throw ctx.error(`input must have 1 to 4 dimensions, got ${input.shape.length}`);
    const options = ctx.operator.builtinOptions;
    const activation = options instanceof L2NormOptionsT ? options.fusedActivationFunction : ActivationFunctionType.NONE;
    if (activation !== ActivationFunctionType.NONE) throw ctx.error(`fused activation ${activationName(activation)} is not supported (TFLM takes NONE only)`);
    const { outerSize, depth } = rows(ctx, input);
    if (input.dtype === 'float32') {
      const f32 = Math.fround;
      return {
        invoke(): void {
          const x = input.data as Float32Array;
          const y = output.data as Float32Array;
          for (let row = 0; row < outerSize; row++) {
            const base = row * depth;
            let squares = 0;
            for (let c = 0; c < depth; c++) squares = f32(squares + f32(x[base + c] * x[base + c]));
            const norm = Math.max(f32(Math.sqrt(squares)), EPSILON);
            for (let c = 0; c < depth; c++) y[base + c] = x[base + c] / norm;
          }
        },
      };
    }
    perTensorQuantization(ctx, input, 'input');
    const zeroPoint = input.zeroPoint;
    const inverse = new Int32Array(2);
    return {
      invoke(): void {
        const x = input.data as Int8Array;
        const y = output.data as Int8Array;
        for (let row = 0; row < outerSize; row++) {
          const base = row * depth;
          let squares = 0;
          for (let c = 0; c < depth; c++) {
            const v = x[base + c] - zeroPoint;
            squares = (squares + v * v) | 0;
          }
          invSqrtQuantizedMultiplier(squares, inverse);
          const multiplier = inverse[0];
          const shift = inverse[1];
          for (let c = 0; c < depth; c++) {
            const value = multiplyByQuantizedMultiplier(x[base + c] - zeroPoint, multiplier, shift + OUTPUT_SHIFT);
            y[base + c] = value < -128 ? -128 : value > 127 ? 127 : value;
          }
        }
      },
    };
  },
};
