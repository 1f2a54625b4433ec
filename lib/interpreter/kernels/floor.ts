// FLOOR after TFLM's micro/kernels/floor.cc (reference/floor.h): float32 only, std::floor.
import { floatUnaryKernel } from './elementwise.js';

export const FLOOR = floatUnaryKernel(Math.floor);
