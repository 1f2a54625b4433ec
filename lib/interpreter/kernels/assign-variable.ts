// ASSIGN_VARIABLE after TFLM's micro/kernels/assign_variable.cc: copies input 1 into the resource
// variable input 0 names. Prepare creates the variable's buffer when the id is already known
// (a VAR_HANDLE earlier in the same subgraph), sized from input 1 and filled with its zero point.
import type { Kernel, PreparedOp } from './kernel.js';
import { currentId, resourceIdInput, resourcesOf, variableLookup } from './resource-variable-common.js';
import { bytesOf } from './tensor-bytes.js';
import { inputAt } from './shape-common.js';

export const ASSIGN_VARIABLE: Kernel = {
  supports(operator): boolean {
    return operator.inputs.length === 2 && operator.outputs.length === 0;
  },
  prepare(ctx): PreparedOp {
    const idTensor = resourceIdInput(ctx);
    const value = inputAt(ctx, 1, 'value');
    const id = currentId(idTensor);
    if (id !== null) resourcesOf(ctx).allocate(id, value.byteLength, value.quantization === null ? 0 : value.zeroPoint);
    const variable = variableLookup(ctx, idTensor, value.byteLength);
    let source: Uint8Array | null = null;
    return {
      invoke(): void {
        source ??= bytesOf(value);
        variable().set(source);
      },
    };
  },
};
