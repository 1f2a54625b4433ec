// READ_VARIABLE after TFLM's micro/kernels/read_variable.cc: copies the resource variable input 0
// names into the output.
import type { Kernel, PreparedOp } from './kernel.js';
import { resourceIdInput, variableLookup } from './resource-variable-common.js';
import { bytesOf } from './tensor-bytes.js';
import { outputAt } from './shape-common.js';

export const READ_VARIABLE: Kernel = {
  supports(operator): boolean {
    return operator.inputs.length === 1;
  },
  prepare(ctx): PreparedOp {
    const idTensor = resourceIdInput(ctx);
    const output = outputAt(ctx, 0);
    const variable = variableLookup(ctx, idTensor, output.byteLength);
    let target: Uint8Array | null = null;
    return {
      invoke(): void {
        target ??= bytesOf(output);
        target.set(variable());
      },
    };
  },
};
