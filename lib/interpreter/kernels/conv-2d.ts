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
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import {
  activationName, activationRangeFloat, activationRangeQuantized, multiplyByQuantizedMultiplierFast,
  multiplyByQuantizedMultiplierInt64,
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
 * Per-channel weight sums, whole-window and per tap, so the input offset leaves the inner loop;
 * raw and nextRaw hold two neighbouring output positions' sum(w * x) per channel.
 */
interface FilterSums {
  perTap: Int32Array;
  perChannel: Int32Array;
  raw: Float64Array;
  nextRaw: Float64Array;
}

function sumFilter(p: QuantizedParams, w: Int8Array, sums: FilterSums): void {
  const taps = p.filterHeight * p.filterWidth;
  const filterDepth = p.filterDepth;
  const perTap = sums.perTap;
  const perChannel = sums.perChannel;
  for (let channel = 0; channel < p.outputDepth; channel++) {
    let channelTotal = 0;
    for (let tap = 0; tap < taps; tap++) {
      const base = (channel * taps + tap) * filterDepth;
      let tapTotal = 0;
      for (let d = 0; d < filterDepth; d++) tapTotal += w[base + d];
      perTap[channel * taps + tap] = tapTotal;
      channelTotal += tapTotal;
    }
    perChannel[channel] = channelTotal;
  }
}

/**
 * sum(w * (x + inputOffset)) is computed as sum(w * x) + inputOffset * sum(w) over the valid
 * taps. Every term is an integer far below 2^53, so the double sum is exact and one final | 0
 * gives the int32 the C kernel's wrapping accumulator holds.
 */
function convInt8(p: QuantizedParams, x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, sums: FilterSums, constantFilter: boolean): void {
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, filterDepth, inputOffset } = p;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padHeight, padWidth, filtersPerGroup, outputOffset } = p;
  const { multipliers, shifts, activationMin, activationMax } = p;
  // A constant filter's sums were taken once in prepare; a filter computed by the graph changes.
  if (!constantFilter) sumFilter(p, w, sums);
  const perTap = sums.perTap;
  const perChannel = sums.perChannel;
  const taps = filterHeight * filterWidth;
  // Whole filter rows are one contiguous run in both tensors when nothing skips between taps.
  const rowsContiguous = dilationWidth === 1 && filterDepth === inputDepth;
  const channelStride = taps * filterDepth;
  const raw = sums.raw;
  const nextRaw = sums.nextRaw;
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * strideHeight - padHeight;
      const fyStart = inYOrigin < 0 ? Math.ceil(-inYOrigin / dilationHeight) : 0;
      const fyEnd = Math.min(filterHeight, Math.ceil((inputHeight - inYOrigin) / dilationHeight));
      for (let outX = 0; outX < outputWidth; outX++) {
        const inXOrigin = outX * strideWidth - padWidth;
        const fxStart = inXOrigin < 0 ? Math.ceil(-inXOrigin / dilationWidth) : 0;
        const fxEnd = Math.min(filterWidth, Math.ceil((inputWidth - inXOrigin) / dilationWidth));
        const fullWindow = fyStart === 0 && fyEnd === filterHeight && fxStart === 0 && fxEnd === filterWidth;
        // Negative when the window misses the image: the loops below then do nothing.
        const runLength = (fxEnd - fxStart) * filterDepth;
        // The next position along x, when its window is clipped the same way, shares every load of
        // the weights: two positions x four channels per pass.
        const nextXOrigin = inXOrigin + strideWidth;
        const paired = outX + 1 < outputWidth && fxStart === (nextXOrigin < 0 ? Math.ceil(-nextXOrigin / dilationWidth) : 0)
          && fxEnd === Math.min(filterWidth, Math.ceil((inputWidth - nextXOrigin) / dilationWidth));
        const pairOffset = paired ? strideWidth * inputDepth : 0;
        let channel = 0;
        if (rowsContiguous) {
          for (; channel + 4 <= outputDepth; channel += 4) {
            let acc0 = 0;
            let acc1 = 0;
            let acc2 = 0;
            let acc3 = 0;
            let next0 = 0;
            let next1 = 0;
            let next2 = 0;
            let next3 = 0;
            for (let fy = fyStart; fy < fyEnd; fy++) {
              const inputBase = ((batch * inputHeight + inYOrigin + dilationHeight * fy) * inputWidth + inXOrigin + fxStart) * inputDepth;
              const filterBase = ((channel * filterHeight + fy) * filterWidth + fxStart) * filterDepth;
              for (let k = 0; k < runLength; k++) {
                const value = x[inputBase + k];
                const nextValue = x[inputBase + pairOffset + k];
                const f = filterBase + k;
                const w0 = w[f];
                const w1 = w[f + channelStride];
                const w2 = w[f + 2 * channelStride];
                const w3 = w[f + 3 * channelStride];
                acc0 += w0 * value;
                acc1 += w1 * value;
                acc2 += w2 * value;
                acc3 += w3 * value;
                next0 += w0 * nextValue;
                next1 += w1 * nextValue;
                next2 += w2 * nextValue;
                next3 += w3 * nextValue;
              }
            }
            raw[channel] = acc0;
            raw[channel + 1] = acc1;
            raw[channel + 2] = acc2;
            raw[channel + 3] = acc3;
            nextRaw[channel] = next0;
            nextRaw[channel + 1] = next1;
            nextRaw[channel + 2] = next2;
            nextRaw[channel + 3] = next3;
          }
        }
        for (; channel < outputDepth; channel++) {
          const groupBase = ((channel / filtersPerGroup) | 0) * filterDepth;
          let acc = 0;
          let next = 0;
          for (let fy = fyStart; fy < fyEnd; fy++) {
            const inputRow = (batch * inputHeight + inYOrigin + dilationHeight * fy) * inputWidth;
            const filterRow = (channel * filterHeight + fy) * filterWidth;
            for (let fx = fxStart; fx < fxEnd; fx++) {
              const inputBase = (inputRow + inXOrigin + dilationWidth * fx) * inputDepth + groupBase;
              const filterBase = (filterRow + fx) * filterDepth;
              for (let d = 0; d < filterDepth; d++) {
                const weight = w[filterBase + d];
                acc += weight * x[inputBase + d];
                next += weight * x[inputBase + pairOffset + d];
              }
            }
          }
          raw[channel] = acc;
          nextRaw[channel] = next;
        }
        for (channel = 0; channel < outputDepth; channel++) {
          let weightSum = 0;
          if (fullWindow) {
            weightSum = perChannel[channel];
          } else {
            for (let fy = fyStart; fy < fyEnd; fy++) {
              const tapRow = channel * taps + fy * filterWidth;
              for (let fx = fxStart; fx < fxEnd; fx++) weightSum += perTap[tapRow + fx];
            }
          }
          const constant = inputOffset * weightSum + (b === null ? 0 : b[channel]);
          const multiplier = multipliers[channel];
          const shift = shifts[channel];
          let scaled = multiplyByQuantizedMultiplierFast((raw[channel] + constant) | 0, multiplier, shift) + outputOffset;
          if (scaled < activationMin) scaled = activationMin;
          if (scaled > activationMax) scaled = activationMax;
          y[out + channel] = scaled;
          if (paired) {
            scaled = multiplyByQuantizedMultiplierFast((nextRaw[channel] + constant) | 0, multiplier, shift) + outputOffset;
            if (scaled < activationMin) scaled = activationMin;
            if (scaled > activationMax) scaled = activationMax;
            y[out + outputDepth + channel] = scaled;
          }
        }
        if (paired) {
          out += 2 * outputDepth;
          outX++;
        } else {
          out += outputDepth;
        }
      }
    }
  }
}

function convInt16(p: QuantizedParams, x: Int16Array, w: Int8Array, b: Float64Array | null, int32Accumulator: boolean, y: Int16Array): void {
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, filterDepth } = p;
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.padHeight;
      for (let outX = 0; outX < outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.padWidth;
        for (let channel = 0; channel < outputDepth; channel++) {
          const groupBase = Math.trunc(channel / p.filtersPerGroup) * filterDepth;
          // int64 accumulator: exact in a double while below 2^53.
          let acc = 0;
          for (let fy = 0; fy < filterHeight; fy++) {
            const inY = inYOrigin + p.dilationHeight * fy;
            if (inY < 0 || inY >= inputHeight) continue;
            for (let fx = 0; fx < filterWidth; fx++) {
              const inX = inXOrigin + p.dilationWidth * fx;
              if (inX < 0 || inX >= inputWidth) continue;
              const inputBase = ((batch * inputHeight + inY) * inputWidth + inX) * inputDepth + groupBase;
              const filterBase = ((channel * filterHeight + fy) * filterWidth + fx) * filterDepth;
              for (let d = 0; d < filterDepth; d++) acc += w[filterBase + d] * x[inputBase + d];
            }
          }
          if (b !== null) acc += b[channel];
          // With an int32 bias TFLM's ConvPerChannel<int32_t> wraps an int32 accumulator (acc | 0 is
          // the exact sum mod 2^32) and rounds twice, as the int8 kernels do.
          let scaled = int32Accumulator
            ? multiplyByQuantizedMultiplierFast(acc | 0, p.multipliers[channel], p.shifts[channel])
            : multiplyByQuantizedMultiplierInt64(acc, p.multipliers[channel], p.shifts[channel]);
          if (scaled < p.activationMin) scaled = p.activationMin;
          if (scaled > p.activationMax) scaled = p.activationMax;
          y[out++] = scaled;
        }
      }
    }
  }
}

function prepareFloat(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  checkFloatTypes(ctx, filter, bias, output);
  const params = convParams(ctx, input, filter, bias, output, activationRangeFloat(optionsOf(ctx.operator).fusedActivationFunction));
  return {
    invoke(): void {
      convFloat(params, input.data as Float32Array, filter.data as Float32Array, bias === null ? null : bias.data as Float32Array, output.data as Float32Array);
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
  if (input.dtype === 'int8') {
    const taps = conv.filterHeight * conv.filterWidth;
    const sums: FilterSums = {
      perTap: new Int32Array(conv.outputDepth * taps), perChannel: new Int32Array(conv.outputDepth), raw: new Float64Array(conv.outputDepth),
      nextRaw: new Float64Array(conv.outputDepth),
    };
    const constantFilter = filter.isConstant;
    if (constantFilter) sumFilter(params, filter.data as Int8Array, sums);
    return {
      invoke(): void {
        convInt8(params, input.data as Int8Array, filter.data as Int8Array, bias === null ? null : bias.data as Int32Array, output.data as Int8Array, sums, constantFilter);
      },
    };
  }
  const biasValues = int64BiasValues(ctx, bias);
  const int32Accumulator = bias !== null && bias.dtype === 'int32';
  return {
    invoke(): void {
      convInt16(params, input.data as Int16Array, filter.data as Int8Array, biasValues, int32Accumulator, output.data as Int16Array);
    },
  };
}

export const CONV_2D: Kernel = convLikeKernel(prepareFloat, prepareQuantized);
