// EXP after TFLM's micro/kernels/exp.cc: float32 only, y = expf(x).
import { floatUnaryKernel } from './elementwise.js';

export const EXP = floatUnaryKernel((x) => Math.fround(Math.exp(x)));
