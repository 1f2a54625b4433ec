// VAR_HANDLE after TFLM's micro/kernels/var_handle.cc: its output holds the id of the resource
// variable VarHandleOptions (container, shared_name) names, created on first sight. Like TFLM,
// the output points at the op's own id instead of arena memory.
import { VarHandleOptionsT } from '../../model/schema/tflite.js';
import type { Kernel, PreparedOp } from './kernel.js';
import { outputAt } from './shape-common.js';
import { resourcesOf } from './resource-variable-common.js';

const text = (value: string | Uint8Array | null): string => (value instanceof Uint8Array ? new TextDecoder().decode(value) : value ?? '');

export const VAR_HANDLE: Kernel = {
  supports(operator): boolean {
    return operator.inputs.length === 0;
  },
  prepare(ctx): PreparedOp {
    const options = ctx.operator.builtinOptions instanceof VarHandleOptionsT ? ctx.operator.builtinOptions : new VarHandleOptionsT();
    const output = outputAt(ctx, 0);
    if (output.dtype !== 'resource' && output.dtype !== 'int32') throw ctx.error(`output must be a resource tensor, is ${output.dtype}`);
    const id = new Int32Array([resourcesOf(ctx).idFor(text(options.container), text(options.sharedName))]);
    output.data = id;
    return {
      invoke(): void {
        output.data = id;
      },
    };
  },
};
