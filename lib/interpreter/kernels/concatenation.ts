// CONCATENATION after TFLM's micro/kernels/concatenation.cc and reference/concatenation.h: the
// inputs joined along one axis, float32, int8, int16, int32 (and int64), no fused activation.
// TFLM copies quantized values without rescaling, so every input must share the output's
// scale and zero point; a model where they differ is refused rather than silently mixed.
import { ConcatenationOptionsT, ActivationFunctionType } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { activationName } from './quantization.js';
import {
  elementsOf, inputAt, outputAt, product, resolveAxis, sameDtype, sameQuantization, shapeText, type ElementData,
} from './shape-common.js';

const CONCAT_DTYPES: ReadonlySet<string> = new Set(['float32', 'int8', 'int16', 'int32', 'int64']);
const MAX_DIMENSIONS = 4;

export const CONCATENATION: Kernel = {
  supports(_operator, inputDtypes): boolean {
    return inputDtypes.length > 0 && CONCAT_DTYPES.has(inputDtypes[0] ?? '');
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof ConcatenationOptionsT ? ctx.operator.builtinOptions : new ConcatenationOptionsT();
    if (options.fusedActivationFunction !== ActivationFunctionType.NONE) {
      throw ctx.error(`fused activation ${activationName(options.fusedActivationFunction)} is not supported`);
    }
    const output = outputAt(ctx, 0);
    const rank = output.shape.length;
    if (rank > MAX_DIMENSIONS) throw ctx.error(`output has ${rank} dimensions, at most ${MAX_DIMENSIONS} are supported`);
    const axis = resolveAxis(ctx, options.axis, rank, 'axis');
    const inputs = ctx.inputs.map((_, i) => inputAt(ctx, i, `input ${i}`));
    let axisTotal = 0;
    inputs.forEach((input, i) => {
      sameDtype(ctx, input, output, `input ${i}`);
      sameQuantization(ctx, input, output, `input ${i}`);
      const matches = input.shape.length === rank && input.shape.every((d, k) => k === axis || d === output.shape[k]);
      if (!matches) throw ctx.error(`input ${i} shape ${shapeText(input.shape)} does not fit output ${shapeText(output.shape)} along axis ${axis}`);
      axisTotal += input.shape[axis];
    });
    if (axisTotal !== output.shape[axis]) throw ctx.error(`inputs add up to ${axisTotal} along axis ${axis}, output has ${output.shape[axis]}`);
    const outer = product(output.shape, 0, axis);
    const inner = product(output.shape, axis + 1);
    const chunk = Int32Array.from(inputs, (input) => input.shape[axis] * inner);
    const sources: ElementData[] = inputs.map(() => new Uint8Array(0));
    const count = inputs.length;
    return {
      invoke(): void {
        // Views are bound after prepare; refreshing the list allocates nothing.
        for (let i = 0; i < count; i++) sources[i] = elementsOf(inputs[i]);
        const y = elementsOf(output);
        let out = 0;
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < count; i++) {
            const x = sources[i];
            const size = chunk[i];
            const base = o * size;
            for (let k = 0; k < size; k++) y[out++] = x[base + k];
          }
        }
      },
    };
  },
};
