// CEIL after TFLM's micro/kernels/ceil.cc (reference/ceil.h): float32 only, std::ceil.
import { floatUnaryKernel } from './elementwise.js';

export const CEIL = floatUnaryKernel(Math.ceil);
