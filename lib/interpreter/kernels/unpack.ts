// UNPACK after TFLM's micro/kernels/unpack.cc: the input split along one axis into num tensors
// with that axis removed.
import { UnpackOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import {
  MOVABLE_DTYPES, elementsOf, inputAt, outputAt, product, resolveAxis, sameDtype, sameQuantization, shapeText, type ElementData,
} from './shape-common.js';

export const UNPACK: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return MOVABLE_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof UnpackOptionsT ? ctx.operator.builtinOptions : new UnpackOptionsT();
    const input = inputAt(ctx, 0, 'input');
    const axis = resolveAxis(ctx, options.axis, input.shape.length, 'axis');
    const count = input.shape[axis];
    if (options.num !== count || ctx.outputs.length !== count) {
      throw ctx.error(`num ${options.num} and ${ctx.outputs.length} outputs must equal input dimension ${axis} (${count})`);
    }
    const expected = input.shape.filter((_, k) => k !== axis);
    const outputs = ctx.outputs.map((_, i) => outputAt(ctx, i));
    outputs.forEach((output, i) => {
      sameDtype(ctx, output, input, `output ${i}`);
      sameQuantization(ctx, output, input, `output ${i}`);
      if (shapeText(output.shape) !== shapeText(expected)) throw ctx.error(`output ${i} shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    });
    const outer = product(input.shape, 0, axis);
    const chunk = product(input.shape, axis + 1);
    const targets: ElementData[] = outputs.map(() => new Uint8Array(0));
    return {
      invoke(): void {
        for (let i = 0; i < count; i++) targets[i] = elementsOf(outputs[i]);
        const x = elementsOf(input);
        let from = 0;
        for (let o = 0; o < outer; o++) {
          const base = o * chunk;
          for (let i = 0; i < count; i++) {
            const y = targets[i];
            for (let k = 0; k < chunk; k++) y[base + k] = x[from++];
          }
        }
      },
    };
  },
};
