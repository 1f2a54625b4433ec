// CONV_2D after TFLM's micro/kernels/conv.cc + conv_common.cc and the reference kernels
// reference/conv.h (float32) and reference/integer_ops/conv.h (int8, and int16 activations with
// int8 weights and an int64 or int32 bias), grouped convolution included.
import { Conv2DOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import {
  channelMultipliers, checkBias, checkFloatTypes, checkQuantizedTypes, convLikeKernel, int64BiasValues,
  windowGeometry, type Geometry,
} from './conv-pool-common.js';
import { Int8ConvGemm } from './int8-conv-gemm.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import {
  activationName, activationRangeFloat, activationRangeQuantized, ChannelMultipliers,
  multiplyByQuantizedMultiplierFast, multiplyByQuantizedMultiplierInt64,
} from './quantization.js';

export interface ConvParams extends Geometry {
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  filterHeight: number;
  filterWidth: number;
  filterDepth: number;
  filtersPerGroup: number;
  activationMin: number;
  activationMax: number;
}

interface QuantizedParams extends ConvParams {
  inputOffset: number;
  outputOffset: number;
  multipliers: Int32Array;
  shifts: Int32Array;
}

export function optionsOf(operator: Operator): Conv2DOptionsT {
  return operator.builtinOptions instanceof Conv2DOptionsT ? operator.builtinOptions : new Conv2DOptionsT();
}

export function convParams(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor, range: [number, number] | null): ConvParams {
  const options = optionsOf(ctx.operator);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(options.fusedActivationFunction)}`);
  if (filter.shape.length !== 4) throw ctx.error(`filter must have 4 dimensions (OHWI), has shape [${filter.shape.join(', ')}]`);
  const [filterCount, filterHeight, filterWidth, filterDepth] = filter.shape;
  const window = {
    padding: options.padding, strideHeight: options.strideH, strideWidth: options.strideW,
    dilationHeight: options.dilationHFactor, dilationWidth: options.dilationWFactor, filterHeight, filterWidth,
  };
  const geometry = windowGeometry(ctx, input, output, window);
  if (filterCount !== geometry.outputDepth) throw ctx.error(`filter has ${filterCount} output channels, output has ${geometry.outputDepth}`);
  if (filterDepth === 0 || geometry.inputDepth % filterDepth !== 0) {
    throw ctx.error(`input depth ${geometry.inputDepth} is not a multiple of the filter depth ${filterDepth}`);
  }
  const groups = geometry.inputDepth / filterDepth;
  if (geometry.outputDepth % groups !== 0) throw ctx.error(`output depth ${geometry.outputDepth} is not a multiple of the ${groups} groups`);
  checkBias(ctx, bias, geometry.outputDepth);
  return {
    ...geometry, ...window, filterDepth, filtersPerGroup: geometry.outputDepth / groups, activationMin: range[0], activationMax: range[1],
  };
}

function convFloat(p: ConvParams, x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array): void {
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, filterDepth } = p;
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.padHeight;
      for (let outX = 0; outX < outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.padWidth;
        for (let channel = 0; channel < outputDepth; channel++) {
          const groupBase = Math.trunc(channel / p.filtersPerGroup) * filterDepth;
          let total = 0;
          for (let fy = 0; fy < filterHeight; fy++) {
            const inY = inYOrigin + p.dilationHeight * fy;
            if (inY < 0 || inY >= inputHeight) continue;
            for (let fx = 0; fx < filterWidth; fx++) {
              const inX = inXOrigin + p.dilationWidth * fx;
              if (inX < 0 || inX >= inputWidth) continue;
              const inputBase = ((batch * inputHeight + inY) * inputWidth + inX) * inputDepth + groupBase;
              const filterBase = ((channel * filterHeight + fy) * filterWidth + fx) * filterDepth;
              // float32 arithmetic as C does it: every product and sum rounded.
              for (let d = 0; d < filterDepth; d++) total = Math.fround(total + Math.fround(x[inputBase + d] * w[filterBase + d]));
            }
          }
          const value = Math.fround(total + (b === null ? 0 : b[channel]));
          y[out++] = Math.min(Math.max(value, p.activationMin), p.activationMax);
        }
      }
    }
  }
}

/**
 * convFloat for one group (filter depth = input depth), four output channels per pass sharing
 * every input load. Each channel still adds its rounded products in convFloat's order (taps
 * row by row, then depth), so the results are the same floats.
 */
function convFloatOneGroup(p: ConvParams, x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array): void {
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth } = p;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padHeight, padWidth, activationMin, activationMax } = p;
  const f = Math.fround;
  const filterStride = filterHeight * filterWidth * inputDepth;
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * strideHeight - padHeight;
      // The taps inside the image: a contiguous range of filter rows and columns.
      const fyStart = inYOrigin < 0 ? Math.ceil(-inYOrigin / dilationHeight) : 0;
      const fyEnd = Math.min(filterHeight, Math.ceil((inputHeight - inYOrigin) / dilationHeight));
      for (let outX = 0; outX < outputWidth; outX++, out += outputDepth) {
        const inXOrigin = outX * strideWidth - padWidth;
        const fxStart = inXOrigin < 0 ? Math.ceil(-inXOrigin / dilationWidth) : 0;
        const fxEnd = Math.min(filterWidth, Math.ceil((inputWidth - inXOrigin) / dilationWidth));
        let channel = 0;
        for (; channel + 4 <= outputDepth; channel += 4) {
          let t0 = 0;
          let t1 = 0;
          let t2 = 0;
          let t3 = 0;
          for (let fy = fyStart; fy < fyEnd; fy++) {
            const inputRow = (batch * inputHeight + inYOrigin + dilationHeight * fy) * inputWidth;
            for (let fx = fxStart; fx < fxEnd; fx++) {
              const inputBase = (inputRow + inXOrigin + dilationWidth * fx) * inputDepth;
              const w0 = ((channel * filterHeight + fy) * filterWidth + fx) * inputDepth;
              const w1 = w0 + filterStride;
              const w2 = w1 + filterStride;
              const w3 = w2 + filterStride;
              for (let d = 0; d < inputDepth; d++) {
                const value = x[inputBase + d];
                t0 = f(t0 + f(value * w[w0 + d]));
                t1 = f(t1 + f(value * w[w1 + d]));
                t2 = f(t2 + f(value * w[w2 + d]));
                t3 = f(t3 + f(value * w[w3 + d]));
              }
            }
          }
          y[out + channel] = Math.min(Math.max(f(t0 + (b === null ? 0 : b[channel])), activationMin), activationMax);
          y[out + channel + 1] = Math.min(Math.max(f(t1 + (b === null ? 0 : b[channel + 1])), activationMin), activationMax);
          y[out + channel + 2] = Math.min(Math.max(f(t2 + (b === null ? 0 : b[channel + 2])), activationMin), activationMax);
          y[out + channel + 3] = Math.min(Math.max(f(t3 + (b === null ? 0 : b[channel + 3])), activationMin), activationMax);
        }
        for (; channel < outputDepth; channel++) {
          let total = 0;
          for (let fy = fyStart; fy < fyEnd; fy++) {
            const inputRow = (batch * inputHeight + inYOrigin + dilationHeight * fy) * inputWidth;
            for (let fx = fxStart; fx < fxEnd; fx++) {
              const inputBase = (inputRow + inXOrigin + dilationWidth * fx) * inputDepth;
              const filterBase = ((channel * filterHeight + fy) * filterWidth + fx) * inputDepth;
              for (let d = 0; d < inputDepth; d++) total = f(total + f(x[inputBase + d] * w[filterBase + d]));
            }
          }
          y[out + channel] = Math.min(Math.max(f(total + (b === null ? 0 : b[channel])), activationMin), activationMax);
        }
      }
    }
  }
}

/**
 * The reference loop of the quantized kernels, used for int16 activations and for grouped int8
 * convolutions (one group takes Int8ConvGemm): sum(w * (x + inputOffset)) + bias in a double,
 * exact below 2^53 (the int64 accumulator of the 16x8 kernel; for int8, `requantize` wraps it
 * to C's int32 first, which commutes with the additions).
 */
function convQuantizedReference(
  p: QuantizedParams, x: Int8Array | Int16Array, w: Int8Array, b: Int32Array | Float64Array | null, y: Int8Array | Int16Array,
  requantize: (acc: number, channel: number) => number,
): void {
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, filterDepth, inputOffset } = p;
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.padHeight;
      for (let outX = 0; outX < outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.padWidth;
        for (let channel = 0; channel < outputDepth; channel++) {
          const groupBase = Math.trunc(channel / p.filtersPerGroup) * filterDepth;
          let acc = b === null ? 0 : b[channel];
          for (let fy = 0; fy < filterHeight; fy++) {
            const inY = inYOrigin + p.dilationHeight * fy;
            if (inY < 0 || inY >= inputHeight) continue;
            for (let fx = 0; fx < filterWidth; fx++) {
              const inX = inXOrigin + p.dilationWidth * fx;
              if (inX < 0 || inX >= inputWidth) continue;
              const inputBase = ((batch * inputHeight + inY) * inputWidth + inX) * inputDepth + groupBase;
              const filterBase = ((channel * filterHeight + fy) * filterWidth + fx) * filterDepth;
              for (let d = 0; d < filterDepth; d++) acc += w[filterBase + d] * (x[inputBase + d] + inputOffset);
            }
          }
          const scaled = requantize(acc, channel);
          y[out++] = scaled < p.activationMin ? p.activationMin : scaled > p.activationMax ? p.activationMax : scaled;
        }
      }
    }
  }
}

function prepareFloat(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  checkFloatTypes(ctx, filter, bias, output);
  const params = convParams(ctx, input, filter, bias, output, activationRangeFloat(optionsOf(ctx.operator).fusedActivationFunction));
  const kernel = params.filterDepth === params.inputDepth ? convFloatOneGroup : convFloat;
  return {
    invoke(): void {
      kernel(params, input.data as Float32Array, filter.data as Float32Array, bias === null ? null : bias.data as Float32Array, output.data as Float32Array);
    },
  };
}

function prepareQuantized(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  checkQuantizedTypes(ctx, input, filter, bias, output, ['int64', 'int32']);
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const conv = convParams(ctx, input, filter, bias, output, activationRangeQuantized(activation, output.dtype, output.scale, output.zeroPoint));
  const params: QuantizedParams = {
    ...conv,
    ...channelMultipliers(ctx, input, filter, output, conv.outputDepth, 0),
    inputOffset: -input.zeroPoint,
    outputOffset: output.zeroPoint,
  };
  if (input.dtype === 'int8' && conv.filterDepth === conv.inputDepth) {
    const gemm = new Int8ConvGemm(params, params, filter.isConstant ? filter.data as Int8Array : null, bias === null || bias.isConstant);
    return {
      invoke(): void {
        gemm.run(input.data as Int8Array, filter.data as Int8Array, bias === null ? null : bias.data as Int32Array, output.data as Int8Array);
      },
    };
  }
  if (input.dtype === 'int8') {
    const channels = new ChannelMultipliers(params.multipliers, params.shifts);
    const requantize = (acc: number, channel: number): number => channels.apply(acc | 0, channel) + params.outputOffset;
    return {
      invoke(): void {
        convQuantizedReference(params, input.data as Int8Array, filter.data as Int8Array, bias === null ? null : bias.data as Int32Array,
          output.data as Int8Array, requantize);
      },
    };
  }
  const biasValues = int64BiasValues(ctx, bias);
  // With an int32 bias TFLM's ConvPerChannel<int32_t> wraps an int32 accumulator (acc | 0 is the
  // exact sum mod 2^32) and rounds twice, as the int8 kernels do.
  const requantize = bias !== null && bias.dtype === 'int32'
    ? (acc: number, channel: number): number => multiplyByQuantizedMultiplierFast(acc | 0, params.multipliers[channel], params.shifts[channel])
    : (acc: number, channel: number): number => multiplyByQuantizedMultiplierInt64(acc, params.multipliers[channel], params.shifts[channel]);
  return {
    invoke(): void {
      convQuantizedReference(params, input.data as Int16Array, filter.data as Int8Array, biasValues, output.data as Int16Array, requantize);
    },
  };
}

export const CONV_2D: Kernel = convLikeKernel(prepareFloat, prepareQuantized);
