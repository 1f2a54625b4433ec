// RESHAPE, SQUEEZE and EXPAND_DIMS leave the elements in place: only the shape changes, so
// their kernel copies the input buffer into the output buffer. TFLM makes the output share the
// input's memory instead; until our planner aliases them the copy keeps the results the same.
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { inputAt, outputAt, sameDtype, shapeText } from './shape-common.js';

/** Checks the op's own rule for the output shape; throws ctx.error when it does not hold. */
export type ShapeRule = (ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor) => void;

export function copyKernel(checkShape: ShapeRule): Kernel {
  return {
    supports(_operator: Operator, inputDtypes): boolean {
      const dtype = inputDtypes[0];
      return dtype !== null && dtype !== undefined && dtype !== 'string' && dtype !== 'resource' && dtype !== 'variant';
    },
    prepare(ctx): PreparedOp {
      const input = inputAt(ctx, 0, 'input');
      const output = outputAt(ctx, 0);
      sameDtype(ctx, output, input, 'output');
      if (input.elementCount !== output.elementCount) {
        throw ctx.error(`input shape ${shapeText(input.shape)} and output shape ${shapeText(output.shape)} differ in size`);
      }
      checkShape(ctx, input, output);
      return {
        invoke(): void {
          // Same element type on both sides: a plain memmove, no conversion. Skipped when a
          // plan places the output on the input's bytes, as TFLM's reshape skips its memcpy.
          const source = input.data as Uint8Array;
          const target = output.data as Uint8Array;
          if (target.buffer !== source.buffer || target.byteOffset !== source.byteOffset) target.set(source);
        },
      };
    },
  };
}
