// int8 CONV_2D and DEPTHWISE_CONV_2D on random data against the reference kernels' definition
// (tensorflow/lite/kernels/internal/reference/integer_ops/conv.h and depthwise_conv.h): for each
// output, acc = bias + sum over the taps inside the image of w * (x + input_offset) in int32,
// then MultiplyByQuantizedMultiplier per channel, + output zero point, clamped. Covers what the
// fast paths handle apart: two batches, SAME padding on one side only, stride 2, dilation 2,
// and filter and bias given as graph inputs (read at invoke time) as well as constants.
import assert from 'node:assert/strict';
import { multiplyByQuantizedMultiplier, quantizeMultiplier } from '../../lib/interpreter/kernels/quantization.js';
import { ActivationFunctionType, Conv2DOptionsT, DepthwiseConv2DOptionsT, Padding } from '../../lib/model/schema/tflite.js';
import type { QuantizationSpec } from '../../lib/model/builder.js';
import { list, runOp, type Operand } from './single-op.js';

interface Geometry {
  batches: number;
  height: number;
  width: number;
  depth: number;
  filterHeight: number;
  filterWidth: number;
  stride: number;
  dilation: number;
}

/** SAME padding as TFLM's ComputePaddingHeightWidth: output ceil(in / stride), the odd cell after. */
function same(size: number, filter: number, stride: number, dilation: number): { out: number; pad: number } {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (filter - 1) * dilation + 1 - size, 0);
  return { out, pad: Math.floor(total / 2) };
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 8;
  };
}

// Exact in binary, so the float32 scales in the model are these values.
const INPUT = { scale: 0.5, zeroPoint: -3 };
const OUTPUT = { scale: 64, zeroPoint: 5 };
const filterScale = (channel: number): number => [0.25, 0.5, 0.125, 0.375][channel % 4];

/**
 * The reference: tap(b, inY, inX, c, fy, fx) is what one tap inside the image adds to output
 * channel c's accumulator, sum of w * (x + input_offset).
 */
function reference(
  g: Geometry, channels: number, bias: Int32Array, activation: [number, number], outputScale: number,
  tap: (b: number, inY: number, inX: number, c: number, fy: number, fx: number) => number,
): number[] {
  const rows = same(g.height, g.filterHeight, g.stride, g.dilation);
  const cols = same(g.width, g.filterWidth, g.stride, g.dilation);
  const result: number[] = [];
  for (let b = 0; b < g.batches; b++) {
    for (let y = 0; y < rows.out; y++) {
      for (let x = 0; x < cols.out; x++) {
        for (let c = 0; c < channels; c++) {
          let acc = bias[c];
          for (let fy = 0; fy < g.filterHeight; fy++) {
            for (let fx = 0; fx < g.filterWidth; fx++) {
              const inY = y * g.stride - rows.pad + fy * g.dilation;
              const inX = x * g.stride - cols.pad + fx * g.dilation;
              if (inY < 0 || inY >= g.height || inX < 0 || inX >= g.width) continue;
              acc = (acc + tap(b, inY, inX, c, fy, fx)) | 0;
            }
          }
          const { multiplier, shift } = quantizeMultiplier((INPUT.scale * filterScale(c)) / outputScale);
          const value = multiplyByQuantizedMultiplier(acc, multiplier, shift) + OUTPUT.zeroPoint;
          result.push(Math.min(activation[1], Math.max(activation[0], value)));
        }
      }
    }
  }
  return result;
}

function operand(shape: number[], dtype: 'int8' | 'int32', values: ArrayLike<number>, quantization: QuantizationSpec, constant: boolean): Operand {
  if (constant) return { shape, dtype, quantization, data: dtype === 'int8' ? Int8Array.from(values) : Int32Array.from(values) };
  return { shape, dtype, quantization, input: values };
}

const GEOMETRIES: Geometry[] = [
  // Padding 1 above, none left (the odd cell goes after), stride 2.
  { batches: 2, height: 7, width: 6, depth: 5, filterHeight: 3, filterWidth: 3, stride: 2, dilation: 1 },
  // Dilation 2: the taps of a filter row are not contiguous.
  { batches: 2, height: 7, width: 6, depth: 3, filterHeight: 3, filterWidth: 2, stride: 1, dilation: 2 },
];

describe('interpreter: int8 CONV_2D and DEPTHWISE_CONV_2D against the reference definition', function () {
  for (const g of GEOMETRIES) {
    for (const constant of [true, false]) {
      const where = `${g.batches} batches of ${g.height}x${g.width}x${g.depth}, ${g.filterHeight}x${g.filterWidth} filter, stride ${g.stride}, dilation ${g.dilation}, ${constant ? 'constant' : 'graph-input'} filter and bias`;
      const next = random(g.height * 31 + g.dilation * 7 + (constant ? 1 : 2));
      const x = Array.from({ length: g.batches * g.height * g.width * g.depth }, () => (next() % 256) - 128);
      const rows = same(g.height, g.filterHeight, g.stride, g.dilation);
      const cols = same(g.width, g.filterWidth, g.stride, g.dilation);
      const inputOffset = -INPUT.zeroPoint;
      const at = (b: number, inY: number, inX: number, d: number): number => x[((b * g.height + inY) * g.width + inX) * g.depth + d];

      it(`CONV_2D: ${where}`, function () {
        const channels = 6;
        const w = Array.from({ length: channels * g.filterHeight * g.filterWidth * g.depth }, () => (next() % 255) - 127);
        const bias = Int32Array.from({ length: channels }, () => (next() % 20001) - 10000);
        const scales = Array.from({ length: channels }, (_, c) => filterScale(c));
        const filterQuantization = { scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: 0 };
        const biasQuantization = { scale: scales.map((s) => s * INPUT.scale), zeroPoint: scales.map(() => 0), quantizedDimension: 0 };
        const [output] = runOp('CONV_2D', [
          { shape: [g.batches, g.height, g.width, g.depth], dtype: 'int8', quantization: { scale: [INPUT.scale], zeroPoint: [INPUT.zeroPoint] }, input: x },
          operand([channels, g.filterHeight, g.filterWidth, g.depth], 'int8', w, filterQuantization, constant),
          operand([channels], 'int32', bias, biasQuantization, constant),
        ], [{ shape: [g.batches, rows.out, cols.out, channels], dtype: 'int8', quantization: { scale: [OUTPUT.scale], zeroPoint: [OUTPUT.zeroPoint] } }],
        new Conv2DOptionsT(Padding.SAME, g.stride, g.stride, ActivationFunctionType.RELU, g.dilation, g.dilation));
        // RELU's floor is the output zero point.
        const expected = reference(g, channels, bias, [OUTPUT.zeroPoint, 127], OUTPUT.scale, (b, inY, inX, c, fy, fx) => {
          let sum = 0;
          for (let d = 0; d < g.depth; d++) sum += w[((c * g.filterHeight + fy) * g.filterWidth + fx) * g.depth + d] * (at(b, inY, inX, d) + inputOffset);
          return sum;
        });
        assert.deepEqual(list(output), expected);
        // Not all clamped: the comparison sees the requantization.
        assert.ok(expected.filter((v) => v > OUTPUT.zeroPoint && v < 127).length > expected.length / 4);
      });

      it(`DEPTHWISE_CONV_2D: ${where}`, function () {
        const channels = g.depth;
        const w = Array.from({ length: g.filterHeight * g.filterWidth * channels }, () => (next() % 255) - 127);
        const bias = Int32Array.from({ length: channels }, () => (next() % 2001) - 1000);
        const scales = Array.from({ length: channels }, (_, c) => filterScale(c));
        const filterQuantization = { scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: 3 };
        const biasQuantization = { scale: scales.map((s) => s * INPUT.scale), zeroPoint: scales.map(() => 0), quantizedDimension: 0 };
        const [output] = runOp('DEPTHWISE_CONV_2D', [
          { shape: [g.batches, g.height, g.width, g.depth], dtype: 'int8', quantization: { scale: [INPUT.scale], zeroPoint: [INPUT.zeroPoint] }, input: x },
          operand([1, g.filterHeight, g.filterWidth, channels], 'int8', w, filterQuantization, constant),
          operand([channels], 'int32', bias, biasQuantization, constant),
        ], [{ shape: [g.batches, rows.out, cols.out, channels], dtype: 'int8', quantization: { scale: [OUTPUT.scale / 2], zeroPoint: [OUTPUT.zeroPoint] } }],
        new DepthwiseConv2DOptionsT(Padding.SAME, g.stride, g.stride, 1, ActivationFunctionType.NONE, g.dilation, g.dilation));
        // A smaller output scale than CONV_2D's: fewer taps per output.
        const expected = reference(g, channels, bias, [-128, 127], OUTPUT.scale / 2, (b, inY, inX, c, fy, fx) =>
          w[(fy * g.filterWidth + fx) * channels + c] * (at(b, inY, inX, c) + inputOffset));
        assert.deepEqual(list(output), expected);
        assert.ok(expected.filter((v) => v > -128 && v < 127).length > expected.length / 4);
      });
    }
  }
});
