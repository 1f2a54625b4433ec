// Plan builders for SVDF (a variable state tensor) and integer QUANTIZE (requantization between
// int8, int16 and int32, as keyword_scrambled_8bit uses it around its SVDF stack).
import { SVDFOptionsT } from '../../model/schema/tflite.js';
import type { Tensor } from '../../model/types.js';
import { integerRange, quantizeMultiplier } from '../../interpreter/kernels/quantization.js';
import { byteLengthOf, elementCount } from '../../model/dtype.js';
import { lookupTable } from './elementwise.js';
import type { PlanOperator } from './format.js';
import { C_KERNELS } from './kernel-ids.js';
import { inputOf, outputOf, requireActivation, requireInt8, scaleOf, zeroPointOf, type OpContext } from './op-context.js';

const INTEGER_WIDTHS: Record<string, number> = { int8: 1, int16: 2, int32: 4 };

export function quantize(ctx: OpContext): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [outputIndex, output] = outputOf(ctx);
  if (input.dtype === 'int8' && output.dtype === 'int8') return lookupTable(ctx, ctx.model);
  requireActivation(ctx, input, 'input');
  const inBytes = INTEGER_WIDTHS[input.dtype];
  const outBytes = INTEGER_WIDTHS[output.dtype];
  if (inBytes === undefined || outBytes === undefined || input.dtype === 'int32' && output.dtype === 'int32') {
    return ctx.fail(`${input.dtype} to ${output.dtype}: the C runtime requantizes between int8, int16 and int32 only`);
  }
  // PrepareQuantizeReference: double(input scale) / double(output scale).
  const { multiplier, shift } = quantizeMultiplier(scaleOf(input) / scaleOf(output));
  const [min, max] = integerRange(output.dtype);
  return {
    kernelId: C_KERNELS.REQUANTIZE.id,
    params: [inputIndex, outputIndex, elementCount(input.shape), inBytes, outBytes, zeroPointOf(input), zeroPointOf(output), multiplier, shift, min, max],
  };
}

function shape2(ctx: OpContext, t: Tensor, what: string): [number, number] {
  if (t.shape.length !== 2) ctx.fail(`${what} has shape [${t.shape}], expected 2 dimensions`);
  return [t.shape[0], t.shape[1]];
}

export function svdf(ctx: OpContext): PlanOperator {
  const [inputIndex, input] = inputOf(ctx, 0, 'input');
  const [featuresIndex, features] = inputOf(ctx, 1, 'weights_feature');
  const [timesIndex, times] = inputOf(ctx, 2, 'weights_time');
  const biasIndex = ctx.operator.inputs[3] ?? -1;
  const [stateIndex, state] = inputOf(ctx, 4, 'activation state');
  const [outputIndex, output] = outputOf(ctx);
  for (const [t, what] of [[input, 'input'], [features, 'weights_feature'], [output, 'output']] as const) requireInt8(ctx, t, what);
  if (times.dtype !== state.dtype || (state.dtype !== 'int8' && state.dtype !== 'int16')) {
    ctx.fail(`weights_time ${times.dtype} and activation state ${state.dtype} must both be int8 or both int16`);
  }
  requireActivation(ctx, input, 'input');
  if (!state.isVariable) ctx.fail('activation state (input 4) must be a variable tensor');
  if (features.data === null || times.data === null) ctx.fail('weights must be constant');
  const options = ctx.operator.builtinOptions instanceof SVDFOptionsT ? ctx.operator.builtinOptions : new SVDFOptionsT();
  const [batches, inputSize] = shape2(ctx, input, 'input');
  const [filters] = shape2(ctx, features, 'weights_feature');
  const [, memory] = shape2(ctx, times, 'weights_time');
  if (options.rank <= 0 || filters % options.rank !== 0) ctx.fail(`${filters} filters is not a multiple of rank ${options.rank}`);
  if (byteLengthOf(state.dtype, elementCount(state.shape)) !== batches * filters * memory * INTEGER_WIDTHS[state.dtype]) {
    ctx.fail(`activation state shape [${state.shape}], expected [${batches}, ${filters * memory}]`);
  }
  // PrepareSvdf: both effective scales in float32 steps, widened to double.
  const f = Math.fround;
  const stateTimeScale = f(f(scaleOf(state)) * f(scaleOf(times)));
  const feature = quantizeMultiplier(f(f(f(scaleOf(input)) * f(scaleOf(features))) / f(scaleOf(state))));
  const time = quantizeMultiplier(f(stateTimeScale / f(scaleOf(output))));
  return {
    kernelId: C_KERNELS.SVDF.id,
    params: [inputIndex, featuresIndex, timesIndex, biasIndex, stateIndex, outputIndex, batches, inputSize, filters, filters / options.rank,
      options.rank, memory, zeroPointOf(input), zeroPointOf(state), zeroPointOf(output), feature.multiplier, feature.shift,
      time.multiplier, time.shift, INTEGER_WIDTHS[state.dtype]],
  };
}
