// PACK after TFLM's micro/kernels/pack.cc: values_count tensors of one shape stacked along a
// new axis. Quantized inputs must share the output's parameters (values are copied as is).
import { PackOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import {
  MOVABLE_DTYPES, elementsOf, inputAt, outputAt, product, resolveAxis, sameDtype, sameQuantization, shapeText, type ElementData,
} from './shape-common.js';

export const PACK: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes.length > 0 && MOVABLE_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof PackOptionsT ? ctx.operator.builtinOptions : new PackOptionsT();
    const output = outputAt(ctx, 0);
    const inputs = ctx.inputs.map((_, i) => inputAt(ctx, i, `input ${i}`));
    if (options.valuesCount !== inputs.length) throw ctx.error(`values_count ${options.valuesCount} but ${inputs.length} inputs`);
    const first = inputs[0];
    const axis = resolveAxis(ctx, options.axis, first.shape.length + 1, 'axis');
    inputs.forEach((input, i) => {
      sameDtype(ctx, input, output, `input ${i}`);
      sameQuantization(ctx, input, output, `input ${i}`);
      if (shapeText(input.shape) !== shapeText(first.shape)) throw ctx.error(`input ${i} shape ${shapeText(input.shape)} differs from input 0 ${shapeText(first.shape)}`);
    });
    const expected = [...first.shape.slice(0, axis), inputs.length, ...first.shape.slice(axis)];
    if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
    const outer = product(first.shape, 0, axis);
    const chunk = product(first.shape, axis);
    const sources: ElementData[] = inputs.map(() => new Uint8Array(0));
    const count = inputs.length;
    return {
      invoke(): void {
        for (let i = 0; i < count; i++) sources[i] = elementsOf(inputs[i]);
        const y = elementsOf(output);
        let out = 0;
        for (let o = 0; o < outer; o++) {
          const base = o * chunk;
          for (let i = 0; i < count; i++) {
            const x = sources[i];
            for (let k = 0; k < chunk; k++) y[out++] = x[base + k];
          }
        }
      },
    };
  },
};
