// CONV_2D, DEPTHWISE_CONV_2D, the pools and TRANSPOSE_CONV on small models built in the test,
// expected outputs worked out by hand (padding as TFLM's ComputePaddingHeightWidth: the odd extra
// padding cell goes at the end).
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder, NO_TENSOR, type ConstantData } from '../../lib/model/builder.js';
import {
  ActivationFunctionType, Conv2DOptionsT, DepthwiseConv2DOptionsT, Padding, Pool2DOptionsT, TransposeConvOptionsT,
} from '../../lib/model/schema/tflite.js';
import type { DType, Model } from '../../lib/model/types.js';

interface Quant {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension?: number;
}

interface OpCase {
  op: string;
  options: Conv2DOptionsT | DepthwiseConv2DOptionsT | Pool2DOptionsT;
  input: { shape: number[]; dtype: DType; quantization?: Quant };
  filter?: { shape: number[]; data: ConstantData; quantization?: Quant };
  bias?: { data: ConstantData; quantization?: Quant };
  output: { shape: number[]; quantization?: Quant };
}

function singleOpModel(c: OpCase): Model {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', ...c.input });
  const inputs = [x];
  if (c.filter !== undefined) {
    const filterDtype: DType = c.input.dtype === 'float32' ? 'float32' : 'int8';
    inputs.push(b.addConstant({ name: 'w', dtype: filterDtype, ...c.filter }));
    const biasDtype: DType = c.input.dtype === 'float32' ? 'float32' : c.input.dtype === 'int16' && !(c.bias?.data instanceof Int32Array) ? 'int64' : 'int32';
    const channels = c.output.shape[3];
    inputs.push(c.bias === undefined ? NO_TENSOR : b.addConstant({ name: 'b', shape: [channels], dtype: biasDtype, ...c.bias }));
  }
  const y = b.addTensor({ name: 'y', shape: c.output.shape, dtype: c.input.dtype, quantization: c.output.quantization });
  b.addOperator(c.op, inputs, [y], { builtinOptions: c.options });
  b.addOutput(y);
  return b.build();
}

function run(c: OpCase, input: ArrayLike<number>): number[] {
  const it = new Interpreter(singleOpModel(c));
  it.allocate();
  it.setInput(0, input);
  it.invoke();
  return Array.from(it.output(0).data as ArrayLike<number>);
}

function conv(padding: Padding, stride: number, activation = ActivationFunctionType.NONE, dilation = 1): Conv2DOptionsT {
  const o = new Conv2DOptionsT();
  o.padding = padding;
  o.strideH = stride;
  o.strideW = stride;
  o.dilationHFactor = dilation;
  o.dilationWFactor = dilation;
  o.fusedActivationFunction = activation;
  return o;
}

function depthwise(padding: Padding, depthMultiplier: number, activation = ActivationFunctionType.NONE): DepthwiseConv2DOptionsT {
  const o = new DepthwiseConv2DOptionsT();
  o.padding = padding;
  o.strideH = 1;
  o.strideW = 1;
  o.depthMultiplier = depthMultiplier;
  o.fusedActivationFunction = activation;
  return o;
}

function pool(padding: Padding, filter: [number, number], stride: number, activation = ActivationFunctionType.NONE): Pool2DOptionsT {
  const o = new Pool2DOptionsT();
  o.padding = padding;
  o.filterHeight = filter[0];
  o.filterWidth = filter[1];
  o.strideH = stride;
  o.strideW = stride;
  o.fusedActivationFunction = activation;
  return o;
}

describe('interpreter: CONV_2D', function () {
  // Input 3x3 = 1..9; SAME, 3x3 filter, stride 2: output 2x2, padding (2-1)*2 + 3 - 3 = 2, so 1 before.
  // Channel 0 sums the window (all-ones filter): [1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9] + 0.5.
  // Channel 1 takes -1 x the centre tap, in(2*outY, 2*outX) = 1, 3, 7, 9, then -0.25.
  const sameStride2 = (activation: ActivationFunctionType): OpCase => ({
    op: 'CONV_2D',
    options: conv(Padding.SAME, 2, activation),
    input: { shape: [1, 3, 3, 1], dtype: 'float32' },
    filter: { shape: [2, 3, 3, 1], data: new Float32Array([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, -1, 0, 0, 0, 0]) },
    bias: { data: new Float32Array([0.5, -0.25]) },
    output: { shape: [1, 2, 2, 2] },
  });
  const image = [1, 2, 3, 4, 5, 6, 7, 8, 9];

  it('float32 SAME padding with stride 2: windows clipped at the top and left only', function () {
    assert.deepEqual(run(sameStride2(ActivationFunctionType.NONE), image), [12.5, -1.25, 16.5, -3.25, 24.5, -7.25, 28.5, -9.25]);
  });

  it('float32 fused RELU6 clamps to [0, 6]', function () {
    assert.deepEqual(run(sameStride2(ActivationFunctionType.RELU6), image), [6, 0, 6, 0, 6, 0, 6, 0]);
  });

  it('float32 VALID with dilation 2 over two input channels, without bias', function () {
    // A 2x2 filter dilated by 2 spans 3x3: it reads the four corners of the 3x3 input.
    // Channel 0 = 1..9, channel 1 = 10 x that. Taps (0,0)[1,0] (0,1)[0,1] (1,0)[1,1] (1,1)[2,0.5]:
    // 1 + 30 + (7 + 70) + (18 + 45) = 171.
    const c: OpCase = {
      op: 'CONV_2D',
      options: conv(Padding.VALID, 1, ActivationFunctionType.NONE, 2),
      input: { shape: [1, 3, 3, 2], dtype: 'float32' },
      filter: { shape: [1, 2, 2, 2], data: new Float32Array([1, 0, 0, 1, 1, 1, 2, 0.5]) },
      output: { shape: [1, 1, 1, 1] },
    };
    assert.deepEqual(run(c, image.flatMap((v) => [v, 10 * v])), [171]);
  });

  it('float32 grouped: input depth 4 with filter depth 2 makes two groups', function () {
    // Output 0 reads input channels 0-1 with [1, 1]: 1 + 2; output 1 reads channels 2-3 with [1, -1]: 3 - 4.
    const c: OpCase = {
      op: 'CONV_2D',
      options: conv(Padding.VALID, 1),
      input: { shape: [1, 1, 1, 4], dtype: 'float32' },
      filter: { shape: [2, 1, 1, 2], data: new Float32Array([1, 1, 1, -1]) },
      output: { shape: [1, 1, 1, 2] },
    };
    assert.deepEqual(run(c, [1, 2, 3, 4]), [3, -1]);
  });

  it('int8 per-channel weights, input and output zero points, rounding and RELU', function () {
    // Input scale 0.5 zp -1: q [1, 3, -1, 5] - zp = [2, 4, 0, 6]. VALID 2x2 -> one pixel, two channels.
    // Channel 0: scale 0.25, q [1, 2, 3, 4]: 2 + 8 + 0 + 24 = 34, bias 9 -> 43; multiplier 0.5*0.25/0.25 = 0.5
    //   -> 21.5 rounds up to 22; + output zp 2 = 24.
    // Channel 1: scale 0.5, q [-2, 0, 0, 2]: -4 + 12 = 8, bias -20 -> -12; multiplier 1 -> -12 + 2 = -10;
    //   RELU's floor is the zero point 2.
    const c: OpCase = {
      op: 'CONV_2D',
      options: conv(Padding.VALID, 1, ActivationFunctionType.RELU),
      input: { shape: [1, 2, 2, 1], dtype: 'int8', quantization: { scale: [0.5], zeroPoint: [-1] } },
      filter: {
        shape: [2, 2, 2, 1], data: new Int8Array([1, 2, 3, 4, -2, 0, 0, 2]),
        quantization: { scale: [0.25, 0.5], zeroPoint: [0, 0], quantizedDimension: 0 },
      },
      bias: { data: new Int32Array([9, -20]), quantization: { scale: [0.125, 0.25], zeroPoint: [0, 0], quantizedDimension: 0 } },
      output: { shape: [1, 1, 1, 2], quantization: { scale: [0.25], zeroPoint: [2] } },
    };
    assert.deepEqual(run(c, [1, 3, -1, 5]), [24, 2]);
  });

  it('int8 grouped: two groups, input zero point, bias and output zero point', function () {
    // Input scale 1 zp 1: q [3, 5, 2, -3] - zp = [2, 4, 1, -4]. Filter scale 1, output scale 0.5 zp -1: multiplier 2.
    // Output 0 (group 0, channels 0-1) with [2, 1]: 4 + 4 = 8, bias 1 -> 9 -> 18 - 1 = 17.
    // Output 1 (group 1, channels 2-3) with [3, 2]: 3 - 8 = -5, bias 0 -> -10 - 1 = -11.
    const c: OpCase = {
      op: 'CONV_2D',
      options: conv(Padding.VALID, 1),
      input: { shape: [1, 1, 1, 4], dtype: 'int8', quantization: { scale: [1], zeroPoint: [1] } },
      filter: { shape: [2, 1, 1, 2], data: new Int8Array([2, 1, 3, 2]), quantization: { scale: [1], zeroPoint: [0] } },
      bias: { data: new Int32Array([1, 0]), quantization: { scale: [1], zeroPoint: [0] } },
      output: { shape: [1, 1, 1, 2], quantization: { scale: [0.5], zeroPoint: [-1] } },
    };
    assert.deepEqual(run(c, [3, 5, 2, -3]), [17, -11]);
  });

  it('int16 activations with int8 weights and int64 bias, saturating at the int16 range', function () {
    // Input scale 1, filter scale 1, output scale 0.5: multiplier 2.
    // [1000, 2000] . [3, 4] + 100 = 11100 -> 22200; [1000, 2000] . [10, 10] = 30000 -> 60000 -> 32767.
    const c: OpCase = {
      op: 'CONV_2D',
      options: conv(Padding.VALID, 1),
      input: { shape: [1, 1, 2, 1], dtype: 'int16', quantization: { scale: [1], zeroPoint: [0] } },
      filter: { shape: [2, 1, 2, 1], data: new Int8Array([3, 4, 10, 10]), quantization: { scale: [1], zeroPoint: [0] } },
      bias: { data: new BigInt64Array([100n, 0n]), quantization: { scale: [1], zeroPoint: [0] } },
      output: { shape: [1, 1, 1, 2], quantization: { scale: [0.5], zeroPoint: [0] } },
    };
    assert.deepEqual(run(c, [1000, 2000]), [22200, 32767]);
  });

  it('int16 activations with an int32 bias: int32 accumulator, double rounding (ConvPerChannel<int32_t>)', function () {
    // 1x1 filters over three batches; multiplier 0.5 x 0.25 / 0.5 = 0.25 (2^30, shift -1), through the
    // int32 MultiplyByQuantizedMultiplier: SRDHM by 2^30 then RoundingDivideByPOT(1), halves away from zero.
    // Channel 0 [1, 2, 3] + 1000, channel 1 [-4, 0, 127] - 7:
    // [100, -200, 300]: 1600 -> 800 -> 400; 37693 -> 18847 -> 9424 (the int64 path gives 9423).
    // [-6, 0, 0]: 994 -> 497 -> 249; 17 -> 9 -> 5. [-1006, 0, 0]: -6 -> -3 -> -2; 4017 -> 2009 -> 1005.
    const c: OpCase = {
      op: 'CONV_2D',
      options: conv(Padding.VALID, 1),
      input: { shape: [3, 1, 1, 3], dtype: 'int16', quantization: { scale: [0.5], zeroPoint: [0] } },
      filter: { shape: [2, 1, 1, 3], data: new Int8Array([1, 2, 3, -4, 0, 127]), quantization: { scale: [0.25], zeroPoint: [0] } },
      bias: { data: new Int32Array([1000, -7]), quantization: { scale: [0.125], zeroPoint: [0] } },
      output: { shape: [3, 1, 1, 2], quantization: { scale: [0.5], zeroPoint: [0] } },
    };
    assert.deepEqual(run(c, [100, -200, 300, -6, 0, 0, -1006, 0, 0]), [400, 9424, 249, 5, -2, 1005]);
  });

  it('refuses an output shape the padding and strides do not give', function () {
    const c = sameStride2(ActivationFunctionType.NONE);
    c.output.shape = [1, 3, 3, 2];
    assert.throws(() => new Interpreter(singleOpModel(c)).allocate(), /operator 0 \(CONV_2D\): output shape \[1, 3, 3, 2\] does not match .*expected \[1, 2, 2/);
  });
});

describe('interpreter: DEPTHWISE_CONV_2D', function () {
  it('float32 SAME with depth_multiplier 2: the odd padding cell goes after the image', function () {
    // Input 2x2 = [1, 2, 3, 4], 2x2 filter, stride 1: total padding 1, 0 before, so out(y, x) reads
    // rows y..y+1, columns x..x+1. Channel 0 (all ones): 10, 6, 7, 4. Channel 1 (2 at tap (0,0)): 2 x in(y, x) - 1.
    const c: OpCase = {
      op: 'DEPTHWISE_CONV_2D',
      options: depthwise(Padding.SAME, 2),
      input: { shape: [1, 2, 2, 1], dtype: 'float32' },
      filter: { shape: [1, 2, 2, 2], data: new Float32Array([1, 2, 1, 0, 1, 0, 1, 0]) },
      bias: { data: new Float32Array([0, -1]) },
      output: { shape: [1, 2, 2, 2] },
    };
    assert.deepEqual(run(c, [1, 2, 3, 4]), [10, 1, 6, 3, 7, 5, 4, 7]);
  });

  it('int8 per-channel weights along dimension 3, input offset, output zero point', function () {
    // Input scale 1 zp 10: pixels [11, 14], [8, 20] -> [1, 4], [-2, 10]. VALID 1x2 filter.
    // Channel 0: taps [3, 3], scale 0.25: 3 - 6 = -3 -> -0.75 -> -1; + 5 = 4.
    // Channel 1: taps [1, -2], scale 0.5: 4 - 20 = -16 -> -8; + 5 = -3.
    const c: OpCase = {
      op: 'DEPTHWISE_CONV_2D',
      options: depthwise(Padding.VALID, 1),
      input: { shape: [1, 1, 2, 2], dtype: 'int8', quantization: { scale: [1], zeroPoint: [10] } },
      filter: {
        shape: [1, 1, 2, 2], data: new Int8Array([3, 1, 3, -2]),
        quantization: { scale: [0.25, 0.5], zeroPoint: [0, 0], quantizedDimension: 3 },
      },
      output: { shape: [1, 1, 1, 2], quantization: { scale: [1], zeroPoint: [5] } },
    };
    assert.deepEqual(run(c, [11, 14, 8, 20]), [4, -3]);
  });

  it('int16 with depth_multiplier 2 and int64 bias, rounding half up', function () {
    // Input [1000, -3000] (one channel, two columns); output scale 2.
    // Channel 0: taps [1, 3] scale 0.5: 1000 - 9000 + 100 = -7900, x 0.25 = -1975.
    // Channel 1: taps [-2, 4] scale 0.25: -2000 - 12000 - 7 = -14007, x 0.125 = -1750.875 -> -1751.
    const c: OpCase = {
      op: 'DEPTHWISE_CONV_2D',
      options: depthwise(Padding.VALID, 2),
      input: { shape: [1, 1, 2, 1], dtype: 'int16', quantization: { scale: [1], zeroPoint: [0] } },
      filter: {
        shape: [1, 1, 2, 2], data: new Int8Array([1, -2, 3, 4]),
        quantization: { scale: [0.5, 0.25], zeroPoint: [0, 0], quantizedDimension: 3 },
      },
      bias: { data: new BigInt64Array([100n, -7n]), quantization: { scale: [0.5, 0.25], zeroPoint: [0, 0] } },
      output: { shape: [1, 1, 1, 2], quantization: { scale: [2], zeroPoint: [0] } },
    };
    assert.deepEqual(run(c, [1000, -3000]), [-1975, -1751]);
  });

  it('refuses a depth_multiplier that does not map the input depth onto the output depth', function () {
    const c: OpCase = {
      op: 'DEPTHWISE_CONV_2D',
      options: depthwise(Padding.VALID, 1),
      input: { shape: [1, 1, 1, 1], dtype: 'float32' },
      filter: { shape: [1, 1, 1, 2], data: new Float32Array([1, 1]) },
      output: { shape: [1, 1, 1, 2] },
    };
    assert.throws(() => new Interpreter(singleOpModel(c)).allocate(), /DEPTHWISE_CONV_2D\): depth_multiplier 1 x input depth 1 is not the output depth 2/);
  });
});

describe('interpreter: AVERAGE_POOL_2D', function () {
  // Input rows [a, b, c], [d, e, f]; 2x2 window, stride 2, SAME: output 1x2, width padding 1 (after),
  // so the second window holds only column 2 (two cells).
  const sameCase = (dtype: DType, quantization?: Quant): OpCase => ({
    op: 'AVERAGE_POOL_2D',
    options: pool(Padding.SAME, [2, 2], 2),
    input: { shape: [1, 2, 3, 1], dtype, quantization },
    output: { shape: [1, 1, 2, 1], quantization },
  });

  it('float32 averages only the cells inside the image', function () {
    // (1 + 2 + 0 + 0) / 4 = 0.75; (4 + 1.5) / 2 = 2.75.
    assert.deepEqual(run(sameCase('float32'), [1, 2, 4, 0, 0, 1.5]), [0.75, 2.75]);
  });

  it('int8 rounds half away from zero: (sum +- count/2) / count, truncated', function () {
    // (-1 - 1 + 0 + 0) = -2 over 4 -> (-2 - 2) / 4 = -1; (4 + 1) over 2 -> (5 + 1) / 2 = 3.
    assert.deepEqual(run(sameCase('int8', { scale: [0.1], zeroPoint: [0] }), [-1, -1, 4, 0, 0, 1]), [-1, 3]);
  });

  it('int16 VALID 1x3 window: -16 / 3 -> (-16 - 1) / 3 = -5', function () {
    const c: OpCase = {
      op: 'AVERAGE_POOL_2D',
      options: pool(Padding.VALID, [1, 3], 1),
      input: { shape: [1, 1, 3, 1], dtype: 'int16', quantization: { scale: [1], zeroPoint: [0] } },
      output: { shape: [1, 1, 1, 1], quantization: { scale: [1], zeroPoint: [0] } },
    };
    assert.deepEqual(run(c, [-5, -5, -6]), [-5]);
  });
});

describe('interpreter: MAX_POOL_2D', function () {
  it('float32 SAME stride 1: padding cells do not count as zeros', function () {
    // Input [[-1, -5], [-3, -2]]: windows (0,0) all four, (0,1) [-5, -2], (1,0) [-3, -2], (1,1) [-2].
    const c: OpCase = {
      op: 'MAX_POOL_2D',
      options: pool(Padding.SAME, [2, 2], 1),
      input: { shape: [1, 2, 2, 1], dtype: 'float32' },
      output: { shape: [1, 2, 2, 1] },
    };
    assert.deepEqual(run(c, [-1, -5, -3, -2]), [-1, -2, -2, -2]);
  });

  it('int8 per channel, then RELU clamps at the output zero point', function () {
    // Channel 0 [-5, -3, -7, -4] -> -3, RELU floor zp -2 -> -2; channel 1 [10, 2, 30, -1] -> 30.
    const quantization = { scale: [1], zeroPoint: [-2] };
    const c: OpCase = {
      op: 'MAX_POOL_2D',
      options: pool(Padding.VALID, [2, 2], 2, ActivationFunctionType.RELU),
      input: { shape: [1, 2, 2, 2], dtype: 'int8', quantization },
      output: { shape: [1, 1, 1, 2], quantization },
    };
    assert.deepEqual(run(c, [-5, 10, -3, 2, -7, 30, -4, -1]), [-2, 30]);
  });

  it('int16 takes the maximum over the window', function () {
    const quantization = { scale: [1], zeroPoint: [0] };
    const c: OpCase = {
      op: 'MAX_POOL_2D',
      options: pool(Padding.VALID, [1, 2], 2),
      input: { shape: [1, 1, 4, 1], dtype: 'int16', quantization },
      output: { shape: [1, 1, 2, 1], quantization },
    };
    assert.deepEqual(run(c, [-32768, -32767, 300, -20000]), [-32767, 300]);
  });
});

describe('interpreter: TRANSPOSE_CONV', function () {
  function transposeModel(
    dtype: 'float32' | 'int8', padding: Padding, outputWidth: number, filter: ConstantData, biasData: ConstantData | null, quantized: boolean,
  ): Model {
    const o = new TransposeConvOptionsT();
    o.padding = padding;
    o.strideH = 1;
    o.strideW = 2;
    const b = new ModelBuilder();
    const filterWidth = filter.length;
    const shape = b.addConstant({ name: 'output_shape', shape: [4], dtype: 'int32', data: new Int32Array([1, 1, outputWidth, 1]) });
    const x = b.addInput({ name: 'x', shape: [1, 1, 2, 1], dtype, quantization: quantized ? { scale: [1], zeroPoint: [1] } : null });
    const w = b.addConstant({ name: 'w', shape: [1, 1, filterWidth, 1], dtype, data: filter, quantization: quantized ? { scale: [0.5], zeroPoint: [0] } : null });
    const biasDtype: DType = quantized ? 'int32' : 'float32';
    const bias = biasData === null ? NO_TENSOR : b.addConstant({ name: 'b', shape: [1], dtype: biasDtype, data: biasData, quantization: quantized ? { scale: [0.5], zeroPoint: [0] } : null });
    const y = b.addTensor({ name: 'y', shape: [1, 1, outputWidth, 1], dtype, quantization: quantized ? { scale: [1], zeroPoint: [-3] } : null });
    b.addOperator('TRANSPOSE_CONV', [shape, w, x, bias], [y], { builtinOptions: o });
    b.addOutput(y);
    return b.build();
  }

  function runModel(model: Model, input: number[]): number[] {
    const it = new Interpreter(model);
    it.allocate();
    it.setInput(0, input);
    it.invoke();
    return Array.from(it.output(0).data as ArrayLike<number>);
  }

  it('float32 VALID stride 2: each input scatters the filter, overlaps add, then the bias', function () {
    // [1, 2] with filter [1, 10, 100]: 1 -> outputs 0..2, 2 -> outputs 2..4: [1, 10, 102, 20, 200] + 0.5.
    const model = transposeModel('float32', Padding.VALID, 5, new Float32Array([1, 10, 100]), new Float32Array([0.5]), false);
    assert.deepEqual(runModel(model, [1, 2]), [1.5, 10.5, 102.5, 20.5, 200.5]);
  });

  it('float32 SAME stride 2: padding from the output side cuts one cell before and one after', function () {
    // Output 4, filter 4: as a convolution 4 -> 2 needs total padding 2 + 4 - 4 = 2, 1 before.
    // 1 x [1, 10, 100, 1000] lands on outputs -1..2, 2 x the filter on 1..4: [10, 102, 1020, 200].
    const model = transposeModel('float32', Padding.SAME, 4, new Float32Array([1, 10, 100, 1000]), null, false);
    assert.deepEqual(runModel(model, [1, 2]), [10, 102, 1020, 200]);
  });

  it('int8 with input offset, bias, multiplier and output zero point', function () {
    // q [3, -1] - zp 1 = [2, -2]; filter [1, 2, 3]: [2, 4, 6] and [-2, -4, -6] from output 2:
    // [2, 4, 4, -4, -6] + bias 2 = [4, 6, 6, -2, -4], x 0.5 = [2, 3, 3, -1, -2], + zp -3.
    const model = transposeModel('int8', Padding.VALID, 5, new Int8Array([1, 2, 3]), new Int32Array([2]), true);
    assert.deepEqual(runModel(model, [3, -1]), [-1, 0, 0, -4, -5]);
  });
});
