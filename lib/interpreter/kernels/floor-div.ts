// FLOOR_DIV after TFLM's micro/kernels/floor_div.cc and reference/floor_div.h: float32 only,
// floor(x1 / x2) divided in double, with broadcasting; a zero anywhere in the divisor fails the
// invoke ("Division by 0") before anything is written.
import { floatBinaryKernel } from './binary-elementwise.js';

export const FLOOR_DIV = floatBinaryKernel(
  (a, b) => Math.floor(a / b),
  (ctx) => (divisor) => {
    for (let i = 0; i < divisor.length; i++) {
      if (divisor[i] === 0) throw ctx.error(`division by 0 (element ${i} of input 1)`);
    }
  },
);
