// Plan builders for MEAN, CONCATENATION and the int8 lookup-table ops. The table ops run
// our bit-exact TS kernel on all 256 int8 inputs here on the host, so the device needs neither
// the fixed-point transcendental math nor per-op code for them.
import { ConcatenationOptionsT } from '../../model/schema/tflite.js';
import type { Model, Tensor } from '../../model/types.js';
import { Interpreter } from '../../interpreter/interpreter.js';
import { meanMultiplier } from '../../interpreter/kernels/reduce-common.js';
import { byteLengthOf, elementCount } from '../../model/dtype.js';
import type { PlanOperator } from './format.js';
import { C_KERNELS } from './kernel-ids.js';
import { inputOf, outputOf, requireActivation, requireInt8, scaleOf, zeroPointOf, type OpContext } from './op-context.js';

function int32Values(tensor: Tensor): number[] {
  if (tensor.data === null) return [];
  const view = new DataView(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  return Array.from({ length: tensor.data.byteLength / 4 }, (_, i) => view.getInt32(i * 4, true));
}

export function mean(ctx: OpContext): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [, axisTensor] = inputOf(ctx, 1, 'axis');
  const [outputIndex, output] = outputOf(ctx);
  requireInt8(ctx, input, 'input');
  requireInt8(ctx, output, 'output');
  requireActivation(ctx, input, 'input');
  if (axisTensor.dtype !== 'int32' || axisTensor.data === null) ctx.fail('axis must be a constant int32 tensor');
  const rank = input.shape.length;
  const axes = [...new Set(int32Values(axisTensor).map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
  if (axes.length === 0 || axes.some((a, i) => a < 0 || a >= rank || (i > 0 && a !== axes[i - 1] + 1))) {
    ctx.fail(`axes [${axes}] of a rank-${rank} input: the C runtime reduces one run of adjacent axes`);
  }
  const product = (dims: number[]): number => dims.reduce((n, d) => n * d, 1);
  const outer = product(input.shape.slice(0, axes[0]));
  const reduced = product(input.shape.slice(axes[0], axes[axes.length - 1] + 1));
  const inner = product(input.shape.slice(axes[axes.length - 1] + 1));
  if (reduced === 0) ctx.fail('the reduced axes hold no elements');
  // EvalIntegerMean: the same float32 scale and zero point means a plain truncating average.
  const same = zeroPointOf(input) === zeroPointOf(output) && Math.fround(scaleOf(input)) === Math.fround(scaleOf(output));
  const { multiplier, shift } = same ? { multiplier: 0, shift: 0 } : meanMultiplier(scaleOf(input) / scaleOf(output), reduced);
  return {
    kernelId: C_KERNELS.MEAN.id,
    params: [inputIndex, outputIndex, outer, reduced, inner, same ? 0 : 1, multiplier, shift, zeroPointOf(input), zeroPointOf(output)],
  };
}

export function concatenation(ctx: OpContext): PlanOperator {
  const [outputIndex, output] = outputOf(ctx);
  const options = ctx.operator.builtinOptions instanceof ConcatenationOptionsT ? ctx.operator.builtinOptions : new ConcatenationOptionsT();
  if (options.fusedActivationFunction !== 0) ctx.fail('a fused activation on CONCATENATION is not supported');
  const rank = output.shape.length;
  const axis = options.axis < 0 ? options.axis + rank : options.axis;
  if (axis < 0 || axis >= rank) ctx.fail(`axis ${options.axis} out of range for rank ${rank}`);
  const outer = output.shape.slice(0, axis).reduce((n, d) => n * d, 1);
  const chunks = ctx.operator.inputs.flatMap((_, k) => {
    const [index, input] = inputOf(ctx, k, `input ${k}`);
    if (input.dtype !== output.dtype) ctx.fail(`input ${k} is ${input.dtype}, the output ${output.dtype}`);
    if (input.dtype === 'int8' && (zeroPointOf(input) !== zeroPointOf(output) || Math.fround(scaleOf(input)) !== Math.fround(scaleOf(output)))) {
      ctx.fail(`input ${k} has scale ${scaleOf(input)} / zero point ${zeroPointOf(input)}, the output ${scaleOf(output)} / ${zeroPointOf(output)}: the C runtime concatenates equal quantization only`);
    }
    return [index, byteLengthOf(input.dtype, elementCount(input.shape)) / outer];
  });
  return { kernelId: C_KERNELS.CONCATENATION.id, params: [outputIndex, outer, ctx.operator.inputs.length, ...chunks] };
}

/** An int8 elementwise op (int8 or float32 out) as a 256-entry table made by the TS kernel. */
export function lookupTable(ctx: OpContext, model: Model): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  requireInt8(ctx, input, 'input');
  if (output.dtype === 'int8') requireInt8(ctx, output, 'output');
  else if (output.dtype !== 'float32') ctx.fail(`output is ${output.dtype}; int8 or float32 expected`);
  requireActivation(ctx, input, 'input');
  if ((input.quantization?.scale.length ?? 0) > 1) ctx.fail('per-channel quantization is not supported here');
  const probe = (t: Tensor): Tensor => ({ ...t, shape: [256], shapeSignature: null, data: null, isVariable: false });
  const single: Model = {
    ...model, metadata: {}, signatureDefs: [],
    subgraphs: [{ name: 'lut', tensors: [probe(input), probe(output)], inputs: [0], outputs: [1], debugMetadataIndex: -1,
      operators: [{ ...ctx.operator, inputs: [0], outputs: [1], intermediates: [] }] }],
  };
  const interpreter = new Interpreter(single);
  interpreter.allocate();
  (interpreter.input(0).data as Int8Array).set(Int8Array.from({ length: 256 }, (_, i) => (i << 24) >> 24));
  interpreter.invoke();
  const out = interpreter.output(0).data as Int8Array | Float32Array;
  const entryBytes = output.dtype === 'int8' ? 1 : 4;
  const view = new DataView(out.buffer, out.byteOffset, 256 * entryBytes);
  const words = Array.from({ length: 64 * entryBytes }, (_, i) => view.getInt32(i * 4, true));
  return { kernelId: C_KERNELS.LUT.id, params: [inputIndex, outputIndex, elementCount(output.shape), entryBytes, ...words] };
}
