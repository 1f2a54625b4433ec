// SELECT_V2 after TFLM's micro/kernels/select.cc (reference/select.h Select,
// BroadcastSelect5DSlow): y = condition ? x : y elementwise, the bool condition, x and y each
// broadcast to the output. x and y share one dtype (float32, int8, int16); values are copied
// as they are, without requantization, as TFLM does.
import type { RuntimeTensor } from '../tensor.js';
import { forEachElement, planBroadcast } from './binary-elementwise.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { shapeText } from './shape-common.js';

type Values = Float32Array | Int8Array | Int16Array;

/** The output is the broadcast of the three input shapes (CalculateShapeForBroadcast). */
function checkBroadcastShape(ctx: PrepareContext, inputs: RuntimeTensor[], output: RuntimeTensor): void {
  const rank = Math.max(...inputs.map((t) => t.shape.length));
  const fail = (): Error => ctx.error(`condition ${shapeText(inputs[0].shape)}, x ${shapeText(inputs[1].shape)} and y ${shapeText(inputs[2].shape)} do not broadcast to the output ${shapeText(output.shape)}`);
  if (output.shape.length !== rank) throw fail();
  for (let d = 0; d < rank; d++) {
    let extent = 1;
    for (const t of inputs) {
      const dim = t.shape[d - rank + t.shape.length] ?? 1;
      if (dim !== 1 && extent !== 1 && dim !== extent) throw fail();
      if (dim !== 1) extent = dim;
    }
    if (output.shape[d] !== extent) throw fail();
  }
}

/** For each output element, the flat index of `input`'s element broadcast to it. */
function indexMap(ctx: PrepareContext, input: RuntimeTensor, output: RuntimeTensor): Int32Array | null {
  if (input.elementCount === output.elementCount) return null;
  const map = new Int32Array(output.elementCount);
  forEachElement(planBroadcast(ctx, input, output, output), (o, a) => {
    map[o] = a;
  });
  return map;
}

export const SELECT_V2: Kernel = {
  supports(_operator, inputDtypes): boolean {
    const dtype = inputDtypes[1];
    return inputDtypes[0] === 'bool' && (dtype === 'float32' || dtype === 'int8' || dtype === 'int16');
  },
  prepare(ctx): PreparedOp {
    const [condition, x, y] = ctx.inputs;
    const output = ctx.outputs[0];
    if (condition === null || condition === undefined || x === null || x === undefined || y === null || y === undefined) {
      throw ctx.error('needs three inputs: condition, x and y');
    }
    if (output === undefined) throw ctx.error('missing output 0');
    if (condition.dtype !== 'bool') throw ctx.error(`condition is ${condition.dtype}, expected bool`);
    if (y.dtype !== x.dtype || output.dtype !== x.dtype) {
      throw ctx.error(`x is ${x.dtype}, y is ${y.dtype} and the output is ${output.dtype}: all three must have the same dtype`);
    }
    checkBroadcastShape(ctx, [condition, x, y], output);
    const conditionPlan = planBroadcast(ctx, condition, output, output);
    const xIndex = indexMap(ctx, x, output);
    const yIndex = indexMap(ctx, y, output);
    let c: Uint8Array = new Uint8Array(0);
    let xs: Values = new Float32Array(0);
    let ys: Values = new Float32Array(0);
    let out: Values = new Float32Array(0);
    const step = (o: number, k: number): void => {
      out[o] = c[k] !== 0 ? xs[xIndex === null ? o : xIndex[o]] : ys[yIndex === null ? o : yIndex[o]];
    };
    return {
      invoke(): void {
        c = condition.data as Uint8Array;
        xs = x.data as Values;
        ys = y.data as Values;
        out = output.data as Values;
        forEachElement(conditionPlan, step);
      },
    };
  },
};
