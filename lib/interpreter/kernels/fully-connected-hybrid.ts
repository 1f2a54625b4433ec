// Hybrid FULLY_CONNECTED (float32 input and output, int8 weights per tensor or per channel, float32
// bias), after TFLite's kernels/fully_connected.cc EvalHybrid and tensor_utils'
// MatrixBatchVectorMultiplyAccumulate: each input row is quantized to int8 on the fly (symmetric,
// or asymmetric with asymmetric_quantize_inputs), multiplied by the weights in int32, and scaled
// back with input scale x weight scale; an asymmetric row's zero point comes off through the
// weight row sums. TFLM has no such kernel: this is what TF's dynamic-range models need.
import { FullyConnectedOptionsWeightsFormat } from '../../model/schema/tflite.js';
import { checkShapes, optionsOf, required } from './fully-connected.js';
import {
  asymmetricQuantizeRow, checkHybridTypes, int8ScratchView, rowQuantization, symmetricQuantizeRow, weightRowSums, weightScales,
} from './hybrid-common.js';
import type { PrepareContext, PreparedOp } from './kernel.js';
import { activationName, activationRangeFloat } from './quantization.js';

export function prepareFullyConnectedHybrid(ctx: PrepareContext): PreparedOp {
  const input = required(ctx, 0, 'input');
  const filter = required(ctx, 1, 'filter');
  const bias = ctx.inputs[2] ?? null;
  const output = ctx.outputs[0];
  if (output === undefined) throw ctx.error('missing output');
  const options = optionsOf(ctx.operator);
  if (options.weightsFormat !== FullyConnectedOptionsWeightsFormat.DEFAULT) throw ctx.error('hybrid FULLY_CONNECTED needs the DEFAULT weights format');
  checkHybridTypes(ctx, filter, bias, output);
  if (!filter.isConstant) throw ctx.error('hybrid FULLY_CONNECTED needs constant int8 weights');
  const range = activationRangeFloat(options.fusedActivationFunction);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(options.fusedActivationFunction)}`);
  const [activationMin, activationMax] = range;
  const { batches, outputDepth, accumDepth } = checkShapes(ctx, input, filter, bias, output);
  const channelScales = weightScales(ctx, filter, outputDepth, 0);
  const perChannel = filter.scales.length > 1;
  const asymmetric = options.asymmetricQuantizeInputs;
  const weights = filter.data as Int8Array;
  const rowSums = weightRowSums(weights, outputDepth, accumDepth);
  const rows = rowQuantization(batches);
  const quantized = int8ScratchView(ctx.requestScratch(input.elementCount), input.elementCount);
  const quantizeRow = asymmetric ? asymmetricQuantizeRow : symmetricQuantizeRow;
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const b = bias === null ? null : bias.data as Float32Array;
      const y = output.data as Float32Array;
      const q = quantized();
      // The output starts as the bias; an all-zero input leaves it there (IsZeroVector).
      for (let batch = 0; batch < batches; batch++) {
        for (let channel = 0; channel < outputDepth; channel++) y[batch * outputDepth + channel] = b === null ? 0 : b[channel];
      }
      let allZero = true;
      for (let i = 0; i < x.length && allZero; i++) allZero = x[i] === 0;
      if (!allZero) {
        for (let batch = 0; batch < batches; batch++) {
          quantizeRow(x, batch * accumDepth, accumDepth, q, batch * accumDepth, rows, batch);
          // Per tensor, the weight scale is folded into the row scale first (a float product).
          if (!perChannel) rows.scales[batch] *= channelScales[0];
        }
        for (let batch = 0; batch < batches; batch++) {
          const inputBase = batch * accumDepth;
          const rowScale = rows.scales[batch];
          const offset = rows.offsets[batch];
          for (let channel = 0; channel < outputDepth; channel++) {
            const filterBase = channel * accumDepth;
            let dot = 0;
            for (let d = 0; d < accumDepth; d++) dot = (dot + weights[filterBase + d] * q[inputBase + d]) | 0;
            if (asymmetric) dot = (dot - rowSums[channel] * offset) | 0;
            const scale = perChannel ? Math.fround(rowScale * channelScales[channel]) : rowScale;
            const at = batch * outputDepth + channel;
            y[at] = Math.fround(y[at] + Math.fround(Math.fround(dot) * scale));
          }
        }
      }
      for (let i = 0; i < batches * outputDepth; i++) y[i] = Math.min(Math.max(y[i], activationMin), activationMax);
    },
  };
}
