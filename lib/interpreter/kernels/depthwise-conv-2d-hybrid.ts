// Hybrid DEPTHWISE_CONV_2D (float32 input and output, int8 per-channel weights, float32 bias),
// after TFLite's kernels/depthwise_conv.cc EvalHybridPerChannel and
// reference_integer_ops::DepthwiseConvHybridPerChannel: each batch's input quantized
// asymmetrically, int32 accumulation of w * (q - zero point), then float(acc) x (channel scale x
// input scale), + bias. TFLM has no hybrid kernels; TF's dynamic-range models need this one.
import { requiredInput, requiredOutput } from './conv-pool-common.js';
import { depthwiseParams, optionsOf } from './depthwise-conv-2d.js';
import { asymmetricQuantizeRow, checkHybridTypes, int8ScratchView, rowQuantization, weightScales } from './hybrid-common.js';
import type { PrepareContext, PreparedOp } from './kernel.js';
import { activationRangeFloat } from './quantization.js';

/** The depthwise filter's channel axis ([1, H, W, output channels]), also its quantized dimension. */
const FILTER_CHANNEL_DIMENSION = 3;

export function prepareDepthwiseConv2dHybrid(ctx: PrepareContext): PreparedOp {
  const input = requiredInput(ctx, 0, 'input');
  const filter = requiredInput(ctx, 1, 'filter');
  const bias = ctx.inputs[2] ?? null;
  const output = requiredOutput(ctx);
  checkHybridTypes(ctx, filter, bias, output);
  const p = depthwiseParams(ctx, input, filter, bias, output, activationRangeFloat(optionsOf(ctx.operator).fusedActivationFunction));
  const channelScales = weightScales(ctx, filter, p.outputDepth, FILTER_CHANNEL_DIMENSION);
  const rows = rowQuantization(p.batches);
  const quantized = int8ScratchView(ctx.requestScratch(input.elementCount), input.elementCount);
  const batchSize = input.elementCount / p.batches;
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, depthMultiplier } = p;
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const w = filter.data as Int8Array;
      const b = bias === null ? null : bias.data as Float32Array;
      const y = output.data as Float32Array;
      const q = quantized();
      for (let batch = 0; batch < p.batches; batch++) asymmetricQuantizeRow(x, batch * batchSize, batchSize, q, batch * batchSize, rows, batch);
      for (let batch = 0; batch < p.batches; batch++) {
        const rowScale = rows.scales[batch];
        const offset = rows.offsets[batch];
        for (let outY = 0; outY < outputHeight; outY++) {
          const inYOrigin = outY * p.strideHeight - p.padHeight;
          for (let outX = 0; outX < outputWidth; outX++) {
            const inXOrigin = outX * p.strideWidth - p.padWidth;
            const outBase = ((batch * outputHeight + outY) * outputWidth + outX) * outputDepth;
            for (let inChannel = 0; inChannel < inputDepth; inChannel++) {
              for (let m = 0; m < depthMultiplier; m++) {
                const channel = m + inChannel * depthMultiplier;
                let acc = 0;
                for (let fy = 0; fy < filterHeight; fy++) {
                  const inY = inYOrigin + p.dilationHeight * fy;
                  if (inY < 0 || inY >= inputHeight) continue;
                  for (let fx = 0; fx < filterWidth; fx++) {
                    const inX = inXOrigin + p.dilationWidth * fx;
                    if (inX < 0 || inX >= inputWidth) continue;
                    const inputValue = q[((batch * inputHeight + inY) * inputWidth + inX) * inputDepth + inChannel];
                    acc = (acc + w[(fy * filterWidth + fx) * outputDepth + channel] * (inputValue - offset)) | 0;
                  }
                }
                // float(acc) *= (channel scale x input scale), a float product first.
                let value = Math.fround(Math.fround(acc) * Math.fround(channelScales[channel] * rowScale));
                if (b !== null) value = Math.fround(value + b[channel]);
                y[outBase + channel] = Math.min(Math.max(value, p.activationMin), p.activationMax);
              }
            }
          }
        }
      }
    },
  };
}
