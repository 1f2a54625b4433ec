// PAD and PADV2 after TFLM's micro/kernels/pad.cc, pad_common.cc and reference/pad.h: the input
// placed inside constant borders, up to 5 dimensions. The border value is PADV2's scalar
// constant_values input when present; otherwise 0, except int8 whose zero is the output zero
// point (int16 pads with 0 even then, as TFLM does: its zero point is 0 by spec).
import type { Kernel, PreparedOp } from './kernel.js';
import { integerRange } from './quantization.js';
import {
  constantIndices, elementsOf, inputAt, outputAt, sameDtype, shapeText,
} from './shape-common.js';

const MAX_DIMENSIONS = 5;
const PAD_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32']);

export const PAD: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return PAD_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const input = inputAt(ctx, 0, 'input');
    const paddings = constantIndices(ctx, inputAt(ctx, 1, 'paddings'), 'paddings');
    const constantValues = ctx.inputs[2] ?? null;
    const output = outputAt(ctx, 0);
    sameDtype(ctx, output, input, 'output');
    const rank = input.shape.length;
    if (rank > MAX_DIMENSIONS) throw ctx.error(`input has ${rank} dimensions, at most ${MAX_DIMENSIONS} are supported`);
    if (output.shape.length !== rank) throw ctx.error(`output rank ${output.shape.length} differs from input rank ${rank}`);
    if (paddings.length !== rank * 2) throw ctx.error(`paddings holds ${paddings.length} values, expected ${rank * 2} (a pair per dimension)`);
    // Leading dimensions of size 1 with no padding make every input 5-D, as the reference kernel does.
    const lead = MAX_DIMENSIONS - rank;
    const inDims = new Int32Array(MAX_DIMENSIONS).fill(1);
    const outDims = new Int32Array(MAX_DIMENSIONS).fill(1);
    const before = new Int32Array(MAX_DIMENSIONS);
    for (let i = 0; i < rank; i++) {
      const [left, right] = [paddings[2 * i], paddings[2 * i + 1]];
      if (left < 0 || right < 0) throw ctx.error(`negative padding [${left}, ${right}] for dimension ${i}`);
      if (output.shape[i] !== input.shape[i] + left + right) {
        throw ctx.error(`output shape ${shapeText(output.shape)} does not match input ${shapeText(input.shape)} padded by [${paddings.join(', ')}]`);
      }
      inDims[lead + i] = input.shape[i];
      outDims[lead + i] = output.shape[i];
      before[lead + i] = left;
    }
    let padValue = 0;
    if (constantValues !== null) {
      sameDtype(ctx, constantValues, input, 'constant_values');
      if (constantValues.elementCount !== 1) throw ctx.error(`constant_values must be a scalar, has ${constantValues.elementCount} elements`);
      if (input.dtype === 'int8' && (constantValues.zeroPoint !== output.zeroPoint || constantValues.scale !== output.scale)) {
        throw ctx.error('constant_values must have the quantization of the output');
      }
    } else if (input.dtype === 'int8') {
      const [min, max] = integerRange('int8');
      if (output.zeroPoint < min || output.zeroPoint > max) throw ctx.error(`output zero point ${output.zeroPoint} is outside int8`);
      padValue = output.zeroPoint;
    }
    const [d1, d2, d3, d4] = [outDims[1], outDims[2], outDims[3], outDims[4]];
    const d0 = outDims[0];
    return {
      invoke(): void {
        const x = elementsOf(input);
        const y = elementsOf(output);
        const value = constantValues === null ? padValue : elementsOf(constantValues)[0];
        let out = 0;
        let from = 0;
        for (let i0 = 0; i0 < d0; i0++) {
          const in0 = i0 >= before[0] && i0 < before[0] + inDims[0];
          for (let i1 = 0; i1 < d1; i1++) {
            const in1 = in0 && i1 >= before[1] && i1 < before[1] + inDims[1];
            for (let i2 = 0; i2 < d2; i2++) {
              const in2 = in1 && i2 >= before[2] && i2 < before[2] + inDims[2];
              for (let i3 = 0; i3 < d3; i3++) {
                const in3 = in2 && i3 >= before[3] && i3 < before[3] + inDims[3];
                for (let i4 = 0; i4 < d4; i4++) {
                  // Input elements appear in memory order, so a running index finds them.
                  if (in3 && i4 >= before[4] && i4 < before[4] + inDims[4]) y[out++] = x[from++];
                  else y[out++] = value;
                }
              }
            }
          }
        }
      },
    };
  },
};

export const PADV2 = PAD;
