// Elementwise int8 -> int8 kernels whose output depends on the input value alone (HARD_SWISH,
// LOGISTIC, TANH): the reference arithmetic evaluated once in prepare for all 256 inputs, then one
// table look-up per element in invoke. Bit-exact by construction.
import type { RuntimeTensor } from '../tensor.js';
import type { PreparedOp } from './kernel.js';

/** The invoke step y[i] = value(x[i]) for `count` elements, value given for every int8 input. */
export function int8TableOp(input: RuntimeTensor, output: RuntimeTensor, count: number, value: (q: number) => number): PreparedOp {
  const table = new Int8Array(256);
  for (let q = -128; q <= 127; q++) table[q + 128] = value(q);
  return {
    invoke(): void {
      const x = input.data as Int8Array;
      const y = output.data as Int8Array;
      for (let i = 0; i < count; i++) y[i] = table[x[i] + 128];
    },
  };
}
