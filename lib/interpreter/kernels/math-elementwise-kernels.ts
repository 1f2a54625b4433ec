// The elementwise math family of kernels (unary math, rounding, sums and differences, fills),
// registered in ./index.ts.
import { ABS } from './abs.js';
import { ADD_N } from './add-n.js';
import { CEIL } from './ceil.js';
import { COS, LOG, SIN, SQRT, SQUARE } from './elementwise-math.js';
import { EXP } from './exp.js';
import { FILL } from './fill.js';
import { FLOOR } from './floor.js';
import { FLOOR_DIV } from './floor-div.js';
import { FLOOR_MOD } from './floor-mod.js';
import type { Kernel } from './kernel.js';
import { NEG } from './neg.js';
import { ROUND } from './round.js';
import { RSQRT } from './rsqrt.js';
import { SQUARED_DIFFERENCE } from './squared-difference.js';
import { ZEROS_LIKE } from './zeros-like.js';

export const MATH_ELEMENTWISE_KERNELS: Readonly<Record<string, Kernel>> = {
  ABS,
  ADD_N,
  CEIL,
  COS,
  EXP,
  FILL,
  FLOOR,
  FLOOR_DIV,
  FLOOR_MOD,
  LOG,
  NEG,
  ROUND,
  RSQRT,
  SIN,
  SQRT,
  SQUARE,
  SQUARED_DIFFERENCE,
  ZEROS_LIKE,
};
