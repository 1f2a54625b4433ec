// FULLY_CONNECTED on small models built in the test, expected outputs worked out by hand.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder, NO_TENSOR } from '../../lib/model/builder.js';
import { ActivationFunctionType, FullyConnectedOptionsT } from '../../lib/model/schema/tflite.js';

function options(activation: ActivationFunctionType, keepNumDims = false): FullyConnectedOptionsT {
  const o = new FullyConnectedOptionsT();
  o.fusedActivationFunction = activation;
  o.keepNumDims = keepNumDims;
  return o;
}

/**
 * A 16x8 FULLY_CONNECTED: int16 input of scale 0.5, int8 weights of scale 0.25 ([units, depth]),
 * the given bias (scale 0.125), int16 output of scale 0.5 (multiplier 0.25), no activation.
 */
function runInt16Fc(filterShape: [number, number], weights: number[], bias: Int32Array | BigInt64Array, input: number[]): number[] {
  const [units, depth] = filterShape;
  const batches = input.length / depth;
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: [batches, depth], dtype: 'int16', quantization: { scale: [0.5], zeroPoint: [0] } });
  const w = b.addConstant({ name: 'w', shape: filterShape, dtype: 'int8', data: Int8Array.from(weights), quantization: { scale: [0.25], zeroPoint: [0] } });
  const biasDtype = bias instanceof Int32Array ? 'int32' : 'int64';
  const biasTensor = b.addConstant({ name: 'b', shape: [units], dtype: biasDtype, data: bias, quantization: { scale: [0.125], zeroPoint: [0] } });
  const y = b.addTensor({ name: 'y', shape: [batches, units], dtype: 'int16', quantization: { scale: [0.5], zeroPoint: [0] } });
  b.addOperator('FULLY_CONNECTED', [x, w, biasTensor], [y], { builtinOptions: options(ActivationFunctionType.NONE) });
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  it.setInput(0, Int16Array.from(input));
  it.invoke();
  return Array.from(it.output(0).data as Int16Array);
}

describe('interpreter: FULLY_CONNECTED', function () {
  it('float32 with bias and each fused activation clamp', function () {
    // x = [1, 2, 3]; rows [1,1,1], [-1,0,0], [0,0,0.1]; bias [0.5, 0, 0.2] -> [6.5, -1, 0.5].
    const expected: Array<[ActivationFunctionType, number[]]> = [
      [ActivationFunctionType.NONE, [6.5, -1, 0.5]],
      [ActivationFunctionType.RELU, [6.5, 0, 0.5]],
      [ActivationFunctionType.RELU6, [6, 0, 0.5]],
      [ActivationFunctionType.RELU_N1_TO_1, [1, -1, 0.5]],
    ];
    for (const [activation, values] of expected) {
      const b = new ModelBuilder();
      const x = b.addInput({ name: 'x', shape: [1, 3], dtype: 'float32' });
      const w = b.addConstant({ name: 'w', shape: [3, 3], dtype: 'float32', data: new Float32Array([1, 1, 1, -1, 0, 0, 0, 0, 0.1]) });
      const bias = b.addConstant({ name: 'b', shape: [3], dtype: 'float32', data: new Float32Array([0.5, 0, 0.2]) });
      const y = b.addTensor({ name: 'y', shape: [1, 3], dtype: 'float32' });
      b.addOperator('FULLY_CONNECTED', [x, w, bias], [y], { builtinOptions: options(activation) });
      b.addOutput(y);
      const it = new Interpreter(b.build());
      it.allocate();
      it.setInput(0, new Float32Array([1, 2, 3]));
      it.invoke();
      assert.deepEqual(Array.from(it.output(0).data as Float32Array), values.map(Math.fround), ActivationFunctionType[activation]);
    }
  });

  it('float32 keep_num_dims keeps the leading dimensions, without bias', function () {
    // Two rows of [1, 2] times the filter [[1, 0], [1, 1]] -> [1, 3] and [3, 7] for rows [1,2], [3,4].
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 2, 2], dtype: 'float32' });
    const w = b.addConstant({ name: 'w', shape: [2, 2], dtype: 'float32', data: new Float32Array([1, 0, 1, 1]) });
    const y = b.addTensor({ name: 'y', shape: [1, 2, 2], dtype: 'float32' });
    b.addOperator('FULLY_CONNECTED', [x, w, NO_TENSOR], [y], { builtinOptions: options(ActivationFunctionType.NONE, true) });
    b.addOutput(y);
    const it = new Interpreter(b.build());
    it.allocate();
    it.setInput(0, new Float32Array([1, 2, 3, 4]));
    it.invoke();
    assert.deepEqual(Array.from(it.output(0).data as Float32Array), [1, 3, 3, 7]);
    assert.deepEqual(it.output(0).shape, [1, 2, 2]);
  });

  it('int8 with per-channel weights, bias, output zero point and RELU', function () {
    // input scale 0.5 zp 0, q [2, -4] (real 1, -2); filter per-channel scales [0.25, 0.5],
    // q [[4, 8], [2, -2]]; bias q [4, -4]; output scale 0.25 zp 1.
    // acc0 = 4*2 + 8*-4 + 4 = -20, multiplier 0.5*0.25/0.25 = 0.5 -> -10, +1 = -9, RELU floor q(0) = 1 -> 1.
    // acc1 = 2*2 + -2*-4 - 4 = 8, multiplier 0.5*0.5/0.25 = 1 -> 8, +1 = 9.
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 2], dtype: 'int8', quantization: { scale: [0.5], zeroPoint: [0] } });
    const w = b.addConstant({
      name: 'w', shape: [2, 2], dtype: 'int8', data: new Int8Array([4, 8, 2, -2]),
      quantization: { scale: [0.25, 0.5], zeroPoint: [0, 0], quantizedDimension: 0 },
    });
    const bias = b.addConstant({
      name: 'b', shape: [2], dtype: 'int32', data: new Int32Array([4, -4]),
      quantization: { scale: [0.125, 0.25], zeroPoint: [0, 0], quantizedDimension: 0 },
    });
    const y = b.addTensor({ name: 'y', shape: [1, 2], dtype: 'int8', quantization: { scale: [0.25], zeroPoint: [1] } });
    b.addOperator('FULLY_CONNECTED', [x, w, bias], [y], { builtinOptions: options(ActivationFunctionType.RELU) });
    b.addOutput(y);
    const it = new Interpreter(b.build());
    it.allocate();
    it.setInput(0, new Int8Array([2, -4]));
    it.invoke();
    assert.deepEqual(Array.from(it.output(0).data as Int8Array), [1, 9]);
  });

  it('int8 per-tensor: input offset, rounding half away from zero and saturation', function () {
    // input scale 1 zp 3: q [5, 0] -> x - zp = [2, -3]; filter scale 0.25, q [[1, 1], [100, 0]];
    // output scale 1 zp 0. Multiplier 1*0.25/1 = 0.25.
    // row 0: 2 - 3 = -1 -> -0.25 rounds to 0. row 1: 200 -> 50.
    // batch 2: q [127, -128] -> [124, -131]: row 0: -7 -> -1.75 -> -2; row 1: 12400 -> 3100 -> 127.
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [2, 2], dtype: 'int8', quantization: { scale: [1], zeroPoint: [3] } });
    const w = b.addConstant({ name: 'w', shape: [2, 2], dtype: 'int8', data: new Int8Array([1, 1, 100, 0]), quantization: { scale: [0.25], zeroPoint: [0] } });
    const y = b.addTensor({ name: 'y', shape: [2, 2], dtype: 'int8', quantization: { scale: [1], zeroPoint: [0] } });
    b.addOperator('FULLY_CONNECTED', [x, w, NO_TENSOR], [y], { builtinOptions: options(ActivationFunctionType.NONE) });
    b.addOutput(y);
    const it = new Interpreter(b.build());
    it.allocate();
    it.setInput(0, new Int8Array([5, 0, 127, -128]));
    it.invoke();
    assert.deepEqual(Array.from(it.output(0).data as Int8Array), [0, 50, -2, 127]);
  });

  it('int16 activations with int8 weights and int64 bias (16x8), rounding half up as the int64 path does', function () {
    // input scale 0.5, filter scale 0.25, output scale 0.5: multiplier 0.25 (2^30, shift -1),
    // reduced to 2^14 with a 16-bit shift: result = floor(acc / 4 + 0.5).
    // filter [[1, 2, 3], [-4, 0, 127]], bias [1000, -7].
    // [100, -200, 300]: 1600 -> 400; 37693 -> 9423.25 -> 9423.
    // [-6, 0, 0]: 994 -> 248.5 -> 249; 17 -> 4.25 -> 4.
    // [-1006, 0, 0]: -6 -> -1.5 -> -1 (half up, not away from zero); 4017 -> 1004.25 -> 1004.
    const out = runInt16Fc([2, 3], [1, 2, 3, -4, 0, 127], new BigInt64Array([1000n, -7n]), [100, -200, 300, -6, 0, 0, -1006, 0, 0]);
    assert.deepEqual(out, [400, 9423, 249, 4, -1, 1004]);
  });

  it('int16 activations with an int32 bias: int32 accumulator and the double rounding of MultiplyByQuantizedMultiplier', function () {
    // TFLM's fully_connected.cc runs FullyConnected<int32_t> for an int32 bias: the int32 overload of
    // MultiplyByQuantizedMultiplier, SRDHM by 2^30 ((acc + 1) >> 1 for acc >= 0, truncating toward zero
    // below) then RoundingDivideByPOT(1), halves away from zero. Same model as the int64 case above:
    // 1600 -> 800 -> 400; 37693 -> 18847 -> 9423.5 -> 9424; 994 -> 497 -> 248.5 -> 249; 17 -> 9 -> 5;
    // -6 -> trunc(-3.5) = -3 -> -1.5 -> -2; 4017 -> 2009 -> 1005.
    const out = runInt16Fc([2, 3], [1, 2, 3, -4, 0, 127], new Int32Array([1000, -7]), [100, -200, 300, -6, 0, 0, -1006, 0, 0]);
    assert.deepEqual(out, [400, 9424, 249, 5, -2, 1005]);
  });

  it('int16 activations with an int32 bias: the accumulator wraps at 2^31 as the C one does', function () {
    // 32767 x 127 = 4161409, plus bias 2143322239 = 2^31, which wraps to -2^31: the scaled result
    // (-2^31 x 0.25) clamps to -32768, where an unwrapped sum would give +32767.
    assert.deepEqual(runInt16Fc([1, 1], [127], new Int32Array([2143322239]), [32767]), [-32768]);
  });

  it('refuses a bias whose scale is not input scale x filter scale (TFLM allows 2% of the output scale)', function () {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 1], dtype: 'int8', quantization: { scale: [0.5], zeroPoint: [0] } });
    const w = b.addConstant({ name: 'w', shape: [1, 1], dtype: 'int8', data: new Int8Array([1]), quantization: { scale: [0.25], zeroPoint: [0] } });
    // 0.5 x 0.25 = 0.125; bias scale 0.2 is off by 0.075 = 7.5% of the output scale 1.
    const bias = b.addConstant({ name: 'b', shape: [1], dtype: 'int32', data: new Int32Array([0]), quantization: { scale: [0.2], zeroPoint: [0] } });
    const y = b.addTensor({ name: 'y', shape: [1, 1], dtype: 'int8', quantization: { scale: [1], zeroPoint: [0] } });
    b.addOperator('FULLY_CONNECTED', [x, w, bias], [y], { builtinOptions: options(ActivationFunctionType.NONE) });
    b.addOutput(y);
    assert.throws(() => new Interpreter(b.build()).allocate(), /operator 0 \(FULLY_CONNECTED\): bias scale 0\.2/);
  });
});
