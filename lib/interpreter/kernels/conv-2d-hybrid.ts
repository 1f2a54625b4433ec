// Hybrid CONV_2D (float32 input and output, int8 weights, float32 bias), after TFLite's
// kernels/conv.cc: per-channel weights take EvalHybridPerChannel (each batch's input quantized
// asymmetrically, reference_ops::HybridConvPerChannel: float(acc) x channel scale x input scale,
// + bias), per-tensor weights EvalHybrid (symmetric input, HybridConv: float(acc) x (input scale x
// weight scale), + bias). TFLM has no hybrid kernels; TF's dynamic-range models need these.
import { convParams, optionsOf, type ConvParams } from './conv-2d.js';
import { requiredInput, requiredOutput } from './conv-pool-common.js';
import {
  asymmetricQuantizeRow, checkHybridTypes, int8ScratchView, rowQuantization, symmetricQuantizeRow, weightScales,
} from './hybrid-common.js';
import type { PrepareContext, PreparedOp } from './kernel.js';
import { activationRangeFloat } from './quantization.js';

/** sum over the window of w * (q - offset), in int32 as the C loops wrap, for one output element. */
function convAccumulator(p: ConvParams, q: Int8Array, w: Int8Array, offset: number, batch: number, outY: number, outX: number, channel: number): number {
  const { inputHeight, inputWidth, inputDepth, filterHeight, filterWidth, filterDepth } = p;
  const groupBase = Math.trunc(channel / p.filtersPerGroup) * filterDepth;
  const inYOrigin = outY * p.strideHeight - p.padHeight;
  const inXOrigin = outX * p.strideWidth - p.padWidth;
  let acc = 0;
  for (let fy = 0; fy < filterHeight; fy++) {
    const inY = inYOrigin + p.dilationHeight * fy;
    if (inY < 0 || inY >= inputHeight) continue;
    for (let fx = 0; fx < filterWidth; fx++) {
      const inX = inXOrigin + p.dilationWidth * fx;
      if (inX < 0 || inX >= inputWidth) continue;
      const inputBase = ((batch * inputHeight + inY) * inputWidth + inX) * inputDepth + groupBase;
      const filterBase = ((channel * filterHeight + fy) * filterWidth + fx) * filterDepth;
      for (let d = 0; d < filterDepth; d++) acc = (acc + w[filterBase + d] * (q[inputBase + d] - offset)) | 0;
    }
  }
  return acc;
}

export function prepareConv2dHybrid(ctx: PrepareContext): PreparedOp {
  const input = requiredInput(ctx, 0, 'input');
  const filter = requiredInput(ctx, 1, 'filter');
  const bias = ctx.inputs[2] ?? null;
  const output = requiredOutput(ctx);
  checkHybridTypes(ctx, filter, bias, output);
  const p = convParams(ctx, input, filter, bias, output, activationRangeFloat(optionsOf(ctx.operator).fusedActivationFunction));
  const channelScales = weightScales(ctx, filter, p.outputDepth, 0);
  const perChannel = filter.scales.length > 1;
  const rows = rowQuantization(p.batches);
  const quantized = int8ScratchView(ctx.requestScratch(input.elementCount), input.elementCount);
  const batchSize = input.elementCount / p.batches;
  return {
    invoke(): void {
      const x = input.data as Float32Array;
      const w = filter.data as Int8Array;
      const b = bias === null ? null : bias.data as Float32Array;
      const y = output.data as Float32Array;
      const q = quantized();
      for (let batch = 0; batch < p.batches; batch++) {
        if (perChannel) {
          asymmetricQuantizeRow(x, batch * batchSize, batchSize, q, batch * batchSize, rows, batch);
        } else {
          symmetricQuantizeRow(x, batch * batchSize, batchSize, q, batch * batchSize, rows, batch);
          rows.scales[batch] *= channelScales[0];
        }
      }
      let out = 0;
      for (let batch = 0; batch < p.batches; batch++) {
        const rowScale = rows.scales[batch];
        const offset = rows.offsets[batch];
        for (let outY = 0; outY < p.outputHeight; outY++) {
          for (let outX = 0; outX < p.outputWidth; outX++) {
            for (let channel = 0; channel < p.outputDepth; channel++) {
              const acc = Math.fround(convAccumulator(p, q, w, offset, batch, outY, outX, channel));
              // Per channel: acc * channel scale * input scale, left to right; per tensor: acc * the folded scale.
              let value = perChannel ? Math.fround(Math.fround(acc * channelScales[channel]) * rowScale) : Math.fround(acc * rowScale);
              if (b !== null) value = Math.fround(value + b[channel]);
              y[out++] = Math.min(Math.max(value, p.activationMin), p.activationMax);
            }
          }
        }
      }
    },
  };
}
