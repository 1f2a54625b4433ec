// ARG_MAX and ARG_MIN after TFLM's micro/kernels/arg_min_max.cc and reference/arg_min_max.h:
// the index of the largest (smallest) element along the axis, the first one on ties (the
// comparison is strict), written as int32 or int64. The axis is dropped from the shape. As in
// TFLM the axis is read at invoke; a constant one is also checked against the output in prepare.
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { indexAt, isIndexDtype } from './index-common.js';
import { constantIndices, inputAt, outputAt, resolveAxis, shapeText } from './shape-common.js';

function argKernel(isArgMax: boolean): Kernel {
  return {
    supports(_operator, inputDtypes): boolean {
      return (inputDtypes[0] === 'float32' || inputDtypes[0] === 'int8') && isIndexDtype(inputDtypes[1]);
    },
    prepare(ctx: PrepareContext): PreparedOp {
      const input = inputAt(ctx, 0, 'input');
      const axisTensor = inputAt(ctx, 1, 'axis');
      const output: RuntimeTensor = outputAt(ctx, 0);
      if (output.dtype !== 'int32' && output.dtype !== 'int64') throw ctx.error(`output must be int32 or int64, got ${output.dtype}`);
      if (axisTensor.elementCount !== 1) throw ctx.error(`axis must hold one value, has ${axisTensor.elementCount}`);
      const rank = input.shape.length;
      if (axisTensor.isConstant) {
        const axis = resolveAxis(ctx, constantIndices(ctx, axisTensor, 'axis')[0], rank, 'axis');
        const expected = input.shape.filter((_, i) => i !== axis);
        if (shapeText(expected) !== shapeText(output.shape)) throw ctx.error(`output shape ${shapeText(output.shape)} should be ${shapeText(expected)}`);
      }
      const wide = output.dtype === 'int64';
      return {
        invoke(): void {
          let axis = indexAt(axisTensor, 0);
          if (axis < 0) axis += rank;
          if (axis < 0 || axis >= rank) throw ctx.error(`axis ${indexAt(axisTensor, 0)} is out of range for rank ${rank}`);
          let outer = 1;
          let inner = 1;
          for (let i = 0; i < axis; i++) outer *= input.shape[i];
          for (let i = axis + 1; i < rank; i++) inner *= input.shape[i];
          const size = input.shape[axis];
          if (outer * inner !== output.elementCount) throw ctx.error(`output holds ${output.elementCount} elements, reducing axis ${axis} gives ${outer * inner}`);
          const x = input.data as Float32Array | Int8Array;
          for (let o = 0; o < outer; o++) {
            for (let i = 0; i < inner; i++) {
              const base = o * size * inner + i;
              let best = x[base];
              let at = 0;
              for (let k = 1; k < size; k++) {
                const v = x[base + k * inner];
                if (isArgMax ? v > best : v < best) {
                  best = v;
                  at = k;
                }
              }
              if (wide) (output.data as BigInt64Array)[o * inner + i] = BigInt(at);
              else (output.data as Int32Array)[o * inner + i] = at;
            }
          }
        },
      };
    },
  };
}

export const ARG_MAX = argKernel(true);
export const ARG_MIN = argKernel(false);
