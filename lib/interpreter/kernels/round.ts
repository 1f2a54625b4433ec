// ROUND after TFLM's micro/kernels/round.cc and reference/round.h RoundToNearest: float32 only,
// halves go to the even neighbour (2.5 -> 2, 3.5 -> 4, -2.5 -> -2), unlike std::round.
import { floatUnaryKernel } from './elementwise.js';

function roundHalfToEven(x: number): number {
  const below = Math.floor(x);
  const fraction = x - below;
  if (fraction < 0.5 || (fraction === 0.5 && below % 2 === 0)) return below;
  return below + 1;
}

export const ROUND = floatUnaryKernel(roundHalfToEven);
