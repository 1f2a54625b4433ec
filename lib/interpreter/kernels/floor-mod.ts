// FLOOR_MOD after TFLM's micro/kernels/floor_mod.cc and reference/floor_mod.h: float32 only,
// with broadcasting. The truncated remainder std::fmod(x1, x2) (exact, as JavaScript's %) moves
// to the divisor's sign when the two signs differ: FloorMod(-7, 3) = -1 + 3 = 2.
import { floatBinaryKernel } from './binary-elementwise.js';

export const FLOOR_MOD = floatBinaryKernel((a, b) => {
  const truncated = a % b;
  return truncated !== 0 && (b < 0) !== (truncated < 0) ? Math.fround(truncated + b) : truncated;
});
