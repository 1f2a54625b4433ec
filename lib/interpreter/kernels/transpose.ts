// TRANSPOSE after TFLM's micro/kernels/transpose.cc and reference/transpose.h: output dimension
// i is input dimension perm[i] (perm a constant input), up to 6 dimensions.
import type { Kernel, PreparedOp } from './kernel.js';
import {
  MOVABLE_DTYPES, constantIndices, elementsOf, inputAt, outputAt, sameDtype, sameQuantization, shapeText,
} from './shape-common.js';

const MAX_DIMENSIONS = 6;

export const TRANSPOSE: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return MOVABLE_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const perm = constantIndices(ctx, inputAt(ctx, 1, 'perm'), 'perm');
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, input, 'output');
    sameQuantization(ctx, output, input, 'output');
    const rank = input.shape.length;
    if (rank > MAX_DIMENSIONS) throw ctx.error(`input has ${rank} dimensions, at most ${MAX_DIMENSIONS} are supported`);
    if (perm.length !== rank) throw ctx.error(`perm has ${perm.length} entries, the input has ${rank} dimensions`);
    const sorted = perm.map((p) => (p < 0 ? p + rank : p)).sort((a, b) => a - b);
    if (!sorted.every((p, i) => p === i)) throw ctx.error(`perm [${perm.join(', ')}] is not a permutation of 0..${rank - 1}`);
    const axes = perm.map((p) => (p < 0 ? p + rank : p));
    const expected = axes.map((p) => input.shape[p]);
    if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    // Walk the output in memory order with an odometer; each output axis steps the input by
    // the pitch of the input axis it came from.
    const inputPitch = new Int32Array(rank);
    for (let i = rank - 1, pitch = 1; i >= 0; i--) {
      inputPitch[i] = pitch;
      pitch *= input.shape[i];
    }
    const step = Int32Array.from(axes, (p) => inputPitch[p]);
    const size = Int32Array.from(expected);
    const counter = new Int32Array(Math.max(rank, 1));
    const count = output.elementCount;
    return {
      invoke(): void {
        const x = elementsOf(input);
        const y = elementsOf(output);
        counter.fill(0);
        let from = 0;
        for (let out = 0; out < count; out++) {
          y[out] = x[from];
          for (let axis = rank - 1; axis >= 0; axis--) {
            from += step[axis];
            if (++counter[axis] < size[axis]) break;
            from -= step[axis] * size[axis];
            counter[axis] = 0;
          }
        }
      },
    };
  },
};
