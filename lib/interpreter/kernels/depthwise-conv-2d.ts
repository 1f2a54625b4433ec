// DEPTHWISE_CONV_2D after TFLM's micro/kernels/depthwise_conv.cc + depthwise_conv_common.cc and
// the reference kernels reference/depthwise_conv.h (float32) and
// reference/integer_ops/depthwise_conv.h (int8, and int16 activations with int8 weights and int64 bias).
import { DepthwiseConv2DOptionsT } from '../../model/schema/tflite.js';
import type { Operator } from '../../model/types.js';
import type { RuntimeTensor } from '../tensor.js';
import {
  channelMultipliers, checkBias, checkFloatTypes, checkQuantizedTypes, convLikeKernel, int64BiasValues,
  windowGeometry, type Geometry,
} from './conv-pool-common.js';
import { Int8ConvGemm } from './int8-conv-gemm.js';
import { Int8Output } from './int8-output.js';
import { packing, ROUNDER } from './int8-packed-rows.js';
import type { Kernel, PrepareContext, PreparedOp } from './kernel.js';
import { PaddedInput } from './padded-input.js';
import {
  activationName, activationRangeFloat, activationRangeQuantized, multiplyByQuantizedMultiplierFast,
  multiplyByQuantizedMultiplierInt64,
} from './quantization.js';

/** The depthwise filter's channel axis ([1, H, W, output channels]), also its per-channel quantized dimension. */
const FILTER_CHANNEL_DIMENSION = 3;

export interface DepthwiseParams extends Geometry {
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  filterHeight: number;
  filterWidth: number;
  depthMultiplier: number;
  activationMin: number;
  activationMax: number;
}

interface QuantizedParams extends DepthwiseParams {
  inputOffset: number;
  outputOffset: number;
  multipliers: Int32Array;
  shifts: Int32Array;
}

export function optionsOf(operator: Operator): DepthwiseConv2DOptionsT {
  return operator.builtinOptions instanceof DepthwiseConv2DOptionsT ? operator.builtinOptions : new DepthwiseConv2DOptionsT();
}

export function depthwiseParams(
  ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor, range: [number, number] | null,
): DepthwiseParams {
  const options = optionsOf(ctx.operator);
  if (range === null) throw ctx.error(`unsupported fused activation ${activationName(options.fusedActivationFunction)}`);
  if (filter.shape.length !== 4 || filter.shape[0] !== 1) throw ctx.error(`filter must have shape [1, H, W, C], has [${filter.shape.join(', ')}]`);
  const [, filterHeight, filterWidth, filterChannels] = filter.shape;
  const window = {
    padding: options.padding, strideHeight: options.strideH, strideWidth: options.strideW,
    dilationHeight: options.dilationHFactor, dilationWidth: options.dilationWFactor, filterHeight, filterWidth,
  };
  const geometry = windowGeometry(ctx, input, output, window);
  const { inputDepth, outputDepth } = geometry;
  if (filterChannels !== outputDepth) throw ctx.error(`filter has ${filterChannels} channels, output has ${outputDepth}`);
  // The reference loops over input channels x depth_multiplier, which must cover the output exactly.
  if (options.depthMultiplier * inputDepth !== outputDepth) {
    throw ctx.error(`depth_multiplier ${options.depthMultiplier} x input depth ${inputDepth} is not the output depth ${outputDepth}`);
  }
  checkBias(ctx, bias, outputDepth);
  return { ...geometry, ...window, depthMultiplier: options.depthMultiplier, activationMin: range[0], activationMax: range[1] };
}

function depthwiseFloat(p: DepthwiseParams, x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array): void {
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, depthMultiplier } = p;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.padHeight;
      for (let outX = 0; outX < outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.padWidth;
        const outBase = ((batch * outputHeight + outY) * outputWidth + outX) * outputDepth;
        for (let inChannel = 0; inChannel < inputDepth; inChannel++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const channel = m + inChannel * depthMultiplier;
            let total = 0;
            for (let fy = 0; fy < filterHeight; fy++) {
              const inY = inYOrigin + p.dilationHeight * fy;
              if (inY < 0 || inY >= inputHeight) continue;
              for (let fx = 0; fx < filterWidth; fx++) {
                const inX = inXOrigin + p.dilationWidth * fx;
                if (inX < 0 || inX >= inputWidth) continue;
                const product = Math.fround(x[((batch * inputHeight + inY) * inputWidth + inX) * inputDepth + inChannel]
                  * w[(fy * filterWidth + fx) * outputDepth + channel]);
                total = Math.fround(total + product);
              }
            }
            const value = Math.fround(total + (b === null ? 0 : b[channel]));
            y[outBase + channel] = Math.min(Math.max(value, p.activationMin), p.activationMax);
          }
        }
      }
    }
  }
}

/**
 * depthwiseFloat for depth_multiplier 1: valid taps found once per position, four channels per
 * pass. Each channel adds its rounded products in depthwiseFloat's order, so the results are
 * the same floats.
 */
function depthwiseFloatMultiplierOne(p: DepthwiseParams, x: Float32Array, w: Float32Array, b: Float32Array | null, y: Float32Array): void {
  const { inputHeight, inputWidth, outputHeight, outputWidth, outputDepth: channels, filterHeight, filterWidth } = p;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padHeight, padWidth, activationMin, activationMax } = p;
  const f = Math.fround;
  let out = 0;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * strideHeight - padHeight;
      const fyStart = inYOrigin < 0 ? Math.ceil(-inYOrigin / dilationHeight) : 0;
      const fyEnd = Math.min(filterHeight, Math.ceil((inputHeight - inYOrigin) / dilationHeight));
      for (let outX = 0; outX < outputWidth; outX++, out += channels) {
        const inXOrigin = outX * strideWidth - padWidth;
        const fxStart = inXOrigin < 0 ? Math.ceil(-inXOrigin / dilationWidth) : 0;
        const fxEnd = Math.min(filterWidth, Math.ceil((inputWidth - inXOrigin) / dilationWidth));
        let channel = 0;
        for (; channel + 4 <= channels; channel += 4) {
          let t0 = 0;
          let t1 = 0;
          let t2 = 0;
          let t3 = 0;
          for (let fy = fyStart; fy < fyEnd; fy++) {
            const inputRow = (batch * inputHeight + inYOrigin + dilationHeight * fy) * inputWidth;
            for (let fx = fxStart; fx < fxEnd; fx++) {
              const i = (inputRow + inXOrigin + dilationWidth * fx) * channels + channel;
              const k = (fy * filterWidth + fx) * channels + channel;
              t0 = f(t0 + f(x[i] * w[k]));
              t1 = f(t1 + f(x[i + 1] * w[k + 1]));
              t2 = f(t2 + f(x[i + 2] * w[k + 2]));
              t3 = f(t3 + f(x[i + 3] * w[k + 3]));
            }
          }
          y[out + channel] = Math.min(Math.max(f(t0 + (b === null ? 0 : b[channel])), activationMin), activationMax);
          y[out + channel + 1] = Math.min(Math.max(f(t1 + (b === null ? 0 : b[channel + 1])), activationMin), activationMax);
          y[out + channel + 2] = Math.min(Math.max(f(t2 + (b === null ? 0 : b[channel + 2])), activationMin), activationMax);
          y[out + channel + 3] = Math.min(Math.max(f(t3 + (b === null ? 0 : b[channel + 3])), activationMin), activationMax);
        }
        for (; channel < channels; channel++) {
          let total = 0;
          for (let fy = fyStart; fy < fyEnd; fy++) {
            const inputRow = (batch * inputHeight + inYOrigin + dilationHeight * fy) * inputWidth;
            for (let fx = fxStart; fx < fxEnd; fx++) {
              total = f(total + f(x[(inputRow + inXOrigin + dilationWidth * fx) * channels + channel] * w[(fy * filterWidth + fx) * channels + channel]));
            }
          }
          y[out + channel] = Math.min(Math.max(f(total + (b === null ? 0 : b[channel])), activationMin), activationMax);
        }
      }
    }
  }
}

/**
 * depth_multiplier 1, the MobileNet case: each channel's window over the padded input
 * (PaddedInput, the zero point in its border), four channels at a time in registers. As in
 * Int8ConvGemm the input offset is folded into each channel's bias (offset x the sum of its
 * taps), so the sums are sum(w * x) over raw int8 values.
 *
 * Two output rows share every multiply-add: their inputs, which sit one row stride apart in
 * the padded input, are packed into one double, x_a + x_b * 2^laneShift (PackedInt8Rows does
 * the same with weights), so sum(packed * w) = A + B * 2^laneShift holds both rows' sums
 * exactly while |A|, |B| <= taps * 128 * 128 keep the total below 2^53; otherwise each double
 * holds one row. Exact sums make the order of the taps irrelevant.
 */
class Int8DepthwisePerChannel {
  private readonly p: QuantizedParams;
  /** The padded input with the row one output row further down packed into each value. */
  private readonly input: PaddedInput;
  /** Output rows per packed double: 2, or 1 when the bound does not allow packing. */
  private readonly lanes: number;
  private readonly laneScale: number;
  private readonly inverseLaneScale: number;
  private readonly output: Int8Output;
  /** Offset of each tap from its window's start in the padded input. */
  private readonly taps: Int32Array;
  /** [tap][channel], as the filter. */
  private readonly weights: Float64Array;
  /**
   * Per channel: the bias plus input offset x the sum of its taps, as C's int32 (a wrap changes
   * nothing: sum + bias wraps to the same int32 accumulator).
   */
  private readonly foldedBias: Int32Array;
  /** Whether filter and bias are the same on every run, so they are loaded once. */
  private readonly constant: boolean;
  private loaded = false;
  /** Output positions x channels of one output row. */
  private readonly rowLength: number;
  /** The two rows' sums unpacked, [row][position][channel], the second row after the first as in the output. */
  private readonly rowSums: Float64Array;

  constructor(p: QuantizedParams, constant: boolean) {
    this.p = p;
    this.constant = constant;
    // Any int8 filter: it may change between runs.
    const sumBound = p.filterHeight * p.filterWidth * 128 * 128;
    const { lanes, laneShift } = packing(sumBound);
    this.lanes = lanes;
    this.laneScale = this.lanes === 2 ? 2 ** laneShift : 0;
    this.inverseLaneScale = 2 ** -laneShift;
    // Output rows outY and outY + 1 read padded rows strideHeight apart.
    this.input = new PaddedInput(p, p, -p.inputOffset, lanes === 2 ? { rows: p.strideHeight, scale: this.laneScale } : null);
    const taps: number[] = [];
    for (let fy = 0; fy < p.filterHeight; fy++) {
      for (let fx = 0; fx < p.filterWidth; fx++) taps.push(fy * p.dilationHeight * this.input.rowStride + fx * p.dilationWidth * p.inputDepth);
    }
    this.taps = Int32Array.from(taps);
    this.output = new Int8Output(p, sumBound);
    this.weights = new Float64Array(taps.length * p.outputDepth);
    this.foldedBias = new Int32Array(p.outputDepth);
    this.rowLength = p.outputWidth * p.outputDepth;
    this.rowSums = new Float64Array(2 * this.rowLength);
  }

  /** Splits one packed sum into its two rows' sums at `index` of each (with one lane, the second is 0). */
  private split(total: number, index: number): void {
    // Never a tie: |A| < 2^(laneShift - 1).
    const high = (total * this.inverseLaneScale + ROUNDER) - ROUNDER;
    this.rowSums[index] = total - high * this.laneScale;
    this.rowSums[this.rowLength + index] = high;
  }

  /** Copies the filter (the graph may compute it) and folds the input offset into the bias. */
  private load(w: Int8Array, bias: Int32Array | null): void {
    const { weights, foldedBias } = this;
    const channels = this.p.outputDepth;
    for (let c = 0; c < channels; c++) foldedBias[c] = bias === null ? 0 : bias[c];
    for (let i = 0, c = 0; i < weights.length; i++, c = c + 1 === channels ? 0 : c + 1) {
      weights[i] = w[i];
      foldedBias[c] += this.p.inputOffset * w[i];
    }
    this.loaded = true;
  }

  run(x: Int8Array, w: Int8Array, bias: Int32Array | null, y: Int8Array): void {
    const { p, taps, weights, output, rowSums, lanes } = this;
    const xs = this.input.values;
    if (!this.loaded || !this.constant) this.load(w, bias);
    const channels = p.outputDepth;
    const tapCount = taps.length;
    const rowLength = this.rowLength;
    let out = 0;
    for (let batch = 0; batch < p.batches; batch++) {
      this.input.fill(x, batch);
      for (let outY = 0; outY < p.outputHeight; outY += lanes) {
        // Two output columns per pass share every weight load; an odd last column is computed twice.
        for (let outX = 0; outX < p.outputWidth; outX += 2) {
          const nextX = outX + 1 < p.outputWidth ? outX + 1 : outX;
          const start = this.input.windowStart(outY, outX, p);
          const nextStart = this.input.windowStart(outY, nextX, p);
          const row = outX * channels;
          const nextRow = nextX * channels;
          let channel = 0;
          for (; channel + 4 <= channels; channel += 4) {
            let a0 = 0;
            let a1 = 0;
            let a2 = 0;
            let a3 = 0;
            let c0 = 0;
            let c1 = 0;
            let c2 = 0;
            let c3 = 0;
            for (let t = 0, f = channel; t < tapCount; t++, f += channels) {
              const i = start + taps[t] + channel;
              const j = nextStart + taps[t] + channel;
              const w0 = weights[f];
              const w1 = weights[f + 1];
              const w2 = weights[f + 2];
              const w3 = weights[f + 3];
              a0 += xs[i] * w0;
              a1 += xs[i + 1] * w1;
              a2 += xs[i + 2] * w2;
              a3 += xs[i + 3] * w3;
              c0 += xs[j] * w0;
              c1 += xs[j + 1] * w1;
              c2 += xs[j + 2] * w2;
              c3 += xs[j + 3] * w3;
            }
            this.split(a0, row + channel);
            this.split(a1, row + channel + 1);
            this.split(a2, row + channel + 2);
            this.split(a3, row + channel + 3);
            this.split(c0, nextRow + channel);
            this.split(c1, nextRow + channel + 1);
            this.split(c2, nextRow + channel + 2);
            this.split(c3, nextRow + channel + 3);
          }
          for (; channel < channels; channel++) {
            let acc = 0;
            let next = 0;
            for (let t = 0, f = channel; t < tapCount; t++, f += channels) {
              acc += xs[start + taps[t] + channel] * weights[f];
              next += xs[nextStart + taps[t] + channel] * weights[f];
            }
            this.split(acc, row + channel);
            this.split(next, nextRow + channel);
          }
        }
        // One or two output rows at a time: long runs for the requantization.
        const rows = Math.min(lanes, p.outputHeight - outY);
        output.store(rowSums, rows * rowLength, this.foldedBias, y, out);
        out += rows * rowLength;
      }
    }
  }
}

/**
 * Any depth_multiplier, the reference loop order with the valid window found once per output
 * position; acc holds one int32 accumulator per output channel, wrapping as the C kernel's.
 */
function depthwiseInt8(p: QuantizedParams, x: Int8Array, w: Int8Array, b: Int32Array | null, y: Int8Array, acc: Int32Array): void {
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, depthMultiplier, inputOffset } = p;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, padHeight, padWidth, outputOffset } = p;
  const { multipliers, shifts, activationMin, activationMax } = p;
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
        for (let channel = 0; channel < outputDepth; channel++) acc[channel] = b === null ? 0 : b[channel];
        for (let fy = fyStart; fy < fyEnd; fy++) {
          const inputRow = (batch * inputHeight + inYOrigin + dilationHeight * fy) * inputWidth;
          for (let fx = fxStart; fx < fxEnd; fx++) {
            const inputBase = (inputRow + inXOrigin + dilationWidth * fx) * inputDepth;
            const filterBase = (fy * filterWidth + fx) * outputDepth;
            let channel = 0;
            for (let inChannel = 0; inChannel < inputDepth; inChannel++) {
              const inputValue = x[inputBase + inChannel] + inputOffset;
              for (let m = 0; m < depthMultiplier; m++, channel++) {
                acc[channel] = (acc[channel] + w[filterBase + channel] * inputValue) | 0;
              }
            }
          }
        }
        for (let channel = 0; channel < outputDepth; channel++) {
          let scaled = multiplyByQuantizedMultiplierFast(acc[channel], multipliers[channel], shifts[channel]) + outputOffset;
          if (scaled < activationMin) scaled = activationMin;
          if (scaled > activationMax) scaled = activationMax;
          y[out++] = scaled;
        }
      }
    }
  }
}

/** A [1, H, W, C] depthwise filter over one input channel as CONV_2D's OHWI [C, H, W, 1]. */
function asConvFilter(w: Int8Array, taps: number, channels: number): Int8Array {
  const ohwi = new Int8Array(w.length);
  for (let t = 0; t < taps; t++) for (let c = 0; c < channels; c++) ohwi[c * taps + t] = w[t * channels + c];
  return ohwi;
}

function depthwiseInt16(p: QuantizedParams, x: Int16Array, w: Int8Array, b: Float64Array | null, y: Int16Array): void {
  const { inputHeight, inputWidth, inputDepth, outputHeight, outputWidth, outputDepth, filterHeight, filterWidth, depthMultiplier } = p;
  for (let batch = 0; batch < p.batches; batch++) {
    for (let outY = 0; outY < outputHeight; outY++) {
      const inYOrigin = outY * p.strideHeight - p.padHeight;
      for (let outX = 0; outX < outputWidth; outX++) {
        const inXOrigin = outX * p.strideWidth - p.padWidth;
        const outBase = ((batch * outputHeight + outY) * outputWidth + outX) * outputDepth;
        for (let inChannel = 0; inChannel < inputDepth; inChannel++) {
          for (let m = 0; m < depthMultiplier; m++) {
            const channel = m + inChannel * depthMultiplier;
            // int64 accumulator: exact in a double while below 2^53.
            let acc = 0;
            for (let fy = 0; fy < filterHeight; fy++) {
              const inY = inYOrigin + p.dilationHeight * fy;
              if (inY < 0 || inY >= inputHeight) continue;
              for (let fx = 0; fx < filterWidth; fx++) {
                const inX = inXOrigin + p.dilationWidth * fx;
                if (inX < 0 || inX >= inputWidth) continue;
                acc += w[(fy * filterWidth + fx) * outputDepth + channel] * x[((batch * inputHeight + inY) * inputWidth + inX) * inputDepth + inChannel];
              }
            }
            if (b !== null) acc += b[channel];
            let scaled = multiplyByQuantizedMultiplierInt64(acc, p.multipliers[channel], p.shifts[channel]);
            if (scaled < p.activationMin) scaled = p.activationMin;
            if (scaled > p.activationMax) scaled = p.activationMax;
            y[outBase + channel] = scaled;
          }
        }
      }
    }
  }
}

function prepareFloat(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  checkFloatTypes(ctx, filter, bias, output);
  const params = depthwiseParams(ctx, input, filter, bias, output, activationRangeFloat(optionsOf(ctx.operator).fusedActivationFunction));
  const kernel = params.depthMultiplier === 1 ? depthwiseFloatMultiplierOne : depthwiseFloat;
  return {
    invoke(): void {
      kernel(params, input.data as Float32Array, filter.data as Float32Array, bias === null ? null : bias.data as Float32Array, output.data as Float32Array);
    },
  };
}

function prepareQuantized(ctx: PrepareContext, input: RuntimeTensor, filter: RuntimeTensor, bias: RuntimeTensor | null, output: RuntimeTensor): PreparedOp {
  checkQuantizedTypes(ctx, input, filter, bias, output);
  const activation = optionsOf(ctx.operator).fusedActivationFunction;
  const depthwise = depthwiseParams(ctx, input, filter, bias, output, activationRangeQuantized(activation, output.dtype, output.scale, output.zeroPoint));
  const params: QuantizedParams = {
    ...depthwise,
    ...channelMultipliers(ctx, input, filter, output, depthwise.outputDepth, FILTER_CHANNEL_DIMENSION),
    inputOffset: -input.zeroPoint,
    outputOffset: output.zeroPoint,
  };
  if (input.dtype === 'int8' && depthwise.inputDepth === 1 && filter.isConstant) {
    // One input channel: every output channel sees the same window, which is CONV_2D's matrix product.
    const taps = depthwise.filterHeight * depthwise.filterWidth;
    const gemm = new Int8ConvGemm(params, params, asConvFilter(filter.data as Int8Array, taps, depthwise.outputDepth), bias === null || bias.isConstant);
    return {
      invoke(): void {
        gemm.run(input.data as Int8Array, filter.data as Int8Array, bias === null ? null : bias.data as Int32Array, output.data as Int8Array);
      },
    };
  }
  if (input.dtype === 'int8' && depthwise.depthMultiplier === 1) {
    const perChannel = new Int8DepthwisePerChannel(params, filter.isConstant && (bias === null || bias.isConstant));
    return {
      invoke(): void {
        perChannel.run(input.data as Int8Array, filter.data as Int8Array, bias === null ? null : bias.data as Int32Array, output.data as Int8Array);
      },
    };
  }
  if (input.dtype === 'int8') {
    const accumulators = new Int32Array(depthwise.outputDepth);
    return {
      invoke(): void {
        depthwiseInt8(params, input.data as Int8Array, filter.data as Int8Array, bias === null ? null : bias.data as Int32Array, output.data as Int8Array, accumulators);
      },
    };
  }
  const biasValues = int64BiasValues(ctx, bias);
  return {
    invoke(): void {
      depthwiseInt16(params, input.data as Int16Array, filter.data as Int8Array, biasValues, output.data as Int16Array);
    },
  };
}

export const DEPTHWISE_CONV_2D: Kernel = convLikeKernel(prepareFloat, prepareQuantized);
