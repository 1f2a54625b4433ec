// Shared checks for kernels that map each input element to one output element.
import type { RuntimeTensor } from '../tensor.js';
import type { PrepareContext } from './kernel.js';

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
