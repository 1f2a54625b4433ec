// Shared checks for kernels that map each input element to one output element.
import type { RuntimeTensor } from '../tensor.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';

export function unaryTensors(ctx: PrepareContext): { input: RuntimeTensor; output: RuntimeTensor } {
  const input = ctx.inputs[0];
  const output = ctx.outputs[0];
  if (input === null || input === undefined) throw ctx.error('missing input 0');
  if (output === undefined) throw ctx.error('missing output 0');
  if (input.elementCount !== output.elementCount) {
    throw ctx.error(`input shape [${input.shape.join(', ')}] and output shape [${output.shape.join(', ')}] differ in size`);
  }
  return { input, output };
}

export function perTensorQuantization(ctx: PrepareContext, tensor: RuntimeTensor, what: string): void {
  if (tensor.quantization === null || tensor.scales.length === 0) throw ctx.error(`${what} is not quantized`);
  if (tensor.scales.length > 1) throw ctx.error(`${what} has per-channel quantization, which this kernel does not support`);
}

/** Whether the op's input 0 has one of the dtypes its kernel takes. */
export function firstInputIn(dtypes: readonly string[]): (operator: unknown, inputDtypes: ReadonlyArray<string | null>) => boolean {
  return (_operator, inputDtypes) => inputDtypes[0] !== null && inputDtypes[0] !== undefined && dtypes.includes(inputDtypes[0]);
}

/**
 * A float32-only elementwise kernel (TFLM's elementwise.cc EvalNumeric and its siblings exp.cc,
 * neg.cc, floor.cc, ceil.cc, round.cc): y = f(x), each result stored as float32.
 */
export function floatUnaryKernel(f: (x: number) => number): Kernel {
  return {
    supports: firstInputIn(['float32']),
    prepare(ctx): PreparedOp {
      const { input, output } = sameDtypeUnaryTensors(ctx);
      return prepareFloatUnary(input, output, f);
    },
  };
}

/** unaryTensors for kernels whose output has the input's dtype. */
export function sameDtypeUnaryTensors(ctx: PrepareContext): { input: RuntimeTensor; output: RuntimeTensor } {
  const tensors = unaryTensors(ctx);
  if (tensors.output.dtype !== tensors.input.dtype) throw ctx.error(`input is ${tensors.input.dtype} but output is ${tensors.output.dtype}`);
  return tensors;
}

/** The float32 path of an elementwise kernel: y = f(x), stored as float32. */
export function prepareFloatUnary(input: RuntimeTensor, output: RuntimeTensor, f: (x: number) => number): PreparedOp {
  const count = input.elementCount;
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const y = output.data as Float32Array;
      for (let i = 0; i < count; i++) y[i] = f(x[i]);
    },
  };
}
