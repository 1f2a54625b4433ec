// FILL after TFLM's micro/kernels/fill.cc: inputs (dims, value); every output element is the
// scalar value (copied raw, so an int8 value keeps its quantization). The output shape is the
// model's; when dims is constant it must equal it, as TFLM's Prepare checks.
import type { Kernel, PreparedOp } from './kernel.js';
import { constantIndices, inputAt, outputAt, shapeText } from './shape-common.js';

const DIMS_DTYPES = new Set(['int8', 'int16', 'int32', 'int64']);

export const FILL: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const value = inputDtypes[1];
    return value === 'float32' || value === 'int32' || value === 'int8';
  },
  prepare(ctx): PreparedOp {
    const dims = inputAt(ctx, 0, 'dims');
    const value = inputAt(ctx, 1, 'value');
    const output = outputAt(ctx, 0);
    if (!DIMS_DTYPES.has(dims.dtype)) throw ctx.error(`dims is ${dims.dtype}, expected an integer dtype`);
    if (value.shape.length !== 0) throw ctx.error(`value must be a scalar (no dimensions), got shape ${shapeText(value.shape)}`);
    if (output.dtype !== value.dtype) throw ctx.error(`value is ${value.dtype} but output is ${output.dtype}`);
    if (dims.isConstant) {
      if (dims.shape.length !== 1) throw ctx.error(`dims must be 1-D, got shape ${shapeText(dims.shape)}`);
      const wanted = dims.dtype === 'int8' || dims.dtype === 'int16' ? Array.from(dims.data as Int8Array | Int16Array) : constantIndices(ctx, dims, 'dims');
      if (shapeText(wanted) !== shapeText(output.shape)) throw ctx.error(`dims ${shapeText(wanted)} differ from the output shape ${shapeText(output.shape)}`);
    }
    return {
      invoke(): void {
        const y = output.data as Float32Array | Int32Array | Int8Array;
        y.fill((value.data as Float32Array | Int32Array | Int8Array)[0]);
      },
    };
  },
};
