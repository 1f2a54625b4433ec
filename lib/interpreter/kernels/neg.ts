// NEG after TFLM's micro/kernels/neg.cc (reference/neg.h): float32 only, y = -x.
import { floatUnaryKernel } from './elementwise.js';

export const NEG = floatUnaryKernel((x) => -x);
