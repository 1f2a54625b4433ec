// ELU after TFLM's micro/kernels/elu.cc: float32 x < 0 ? expm1(x) : x (reference/elu.h); int8
// through a 256-entry table built in Prepare (PopulateLookupTable): each q dequantized in
// float32, transformed (x < 0 ? expf(x) - 1 : x), times 1 / output scale, rounded half away
// from zero, plus the output zero point, saturated.
import { firstInputIn, perTensorQuantization, prepareFloatUnary, sameDtypeUnaryTensors } from './elementwise.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { roundHalfAwayFromZero } from './quantization.js';

const f32 = Math.fround;

export const ELU: Kernel = {
  supports: firstInputIn(['float32', 'int8']),
  prepare(ctx): PreparedOp {
    const { input, output } = sameDtypeUnaryTensors(ctx);
    const count = input.elementCount;
    if (input.dtype === 'float32') return prepareFloatUnary(input, output, (x) => (x < 0 ? Math.expm1(x) : x));
    perTensorQuantization(ctx, input, 'input');
    perTensorQuantization(ctx, output, 'output');
    const inputScale = f32(input.scale);
    const inverseScale = f32(1 / f32(output.scale));
    const table = new Int8Array(256);
    for (let q = -128; q <= 127; q++) {
      const dequantized = f32(inputScale * (q - input.zeroPoint));
      const transformed = dequantized < 0 ? f32(f32(Math.exp(dequantized)) - 1) : dequantized;
      const quantized = roundHalfAwayFromZero(f32(transformed * inverseScale)) + output.zeroPoint;
      table[q & 0xff] = quantized < -128 ? -128 : quantized > 127 ? 127 : quantized;
    }
    return {
      invoke(): void {
        const x = input.data as Int8Array;
        const y = output.data as Int8Array;
        for (let i = 0; i < count; i++) y[i] = table[x[i] & 0xff];
      },
    };
  },
};
