// Parameter choice and calibration on values worked out by hand, and against parameters TF 2.21
// wrote (golden/tf) where the range is exact (a model input: the representative samples' min/max).
import assert from 'node:assert/strict';
import { ModelBuilder } from '../../lib/model/builder.js';
import { calibrate } from '../../lib/quantize/calibrate.js';
import { adjustForBias, asymmetricParams, biasScales, quantizeBias, quantizeWeights, symmetricParams } from '../../lib/quantize/params.js';
import { goldenJson, goldenSamples } from './support.js';

describe('quantize: parameters and calibration', () => {
  it('asymmetric int8: [-127.5, 127.5] -> scale 1, zero point round(-128 + 127.5) = -1 (half away from zero, as std::round)', () => {
    assert.deepEqual(asymmetricParams(-127.5, 127.5, -128, 127), { scale: 1, zeroPoint: -1 });
    assert.deepEqual(asymmetricParams(-1, 1, -128, 127), { scale: Math.fround(2 / 255), zeroPoint: -1 });
  });

  it('asymmetric int8 widens the range to include 0: [2, 4] is [0, 4] (zero point -128); [-3, -1] is [-3, 0] (127)', () => {
    assert.deepEqual(asymmetricParams(2, 4, -128, 127), { scale: Math.fround(4 / 255), zeroPoint: -128 });
    assert.deepEqual(asymmetricParams(-3, -1, -128, 127), { scale: Math.fround(3 / 255), zeroPoint: 127 });
  });

  it('symmetric int16: [-3, 2] -> 3 / 32767, zero point 0; weights max|w| / 127', () => {
    assert.deepEqual(symmetricParams(-3, 2, 32767), { scale: Math.fround(3 / 32767), zeroPoint: 0 });
    // Channel 0: [1, -2] -> scale 2/127, q = [round(63.5) = 64, -127]; channel 1: [0.5, 0.25] -> 0.5/127, q = [127, round(63.5) = 64].
    const q = quantizeWeights(Float32Array.of(1, -2, 0.5, 0.25), [2, 2], 0);
    assert.deepEqual(q.scales, [Math.fround(2 / 127), Math.fround(0.5 / 127)]);
    assert.deepEqual(Array.from(q.data), [64, -127, 127, 64]);
    const perTensor = quantizeWeights(Float32Array.of(1, -2, 0.5, 0.25), [2, 2], null);
    assert.deepEqual(perTensor.scales, [Math.fround(2 / 127)]);
  });

  it('bias at input scale × weight scale: 0.3 at 0.1 × 0.01 -> 300', () => {
    const q = quantizeBias(Float32Array.of(0.3, -0.3), biasScales(0.1, [0.01, 0.02]), 'int32');
    assert.deepEqual(Array.from(q.data as Int32Array), [300, -150]);
    assert.deepEqual(q.scales, [Math.fround(0.1 * 0.01), Math.fround(0.1 * 0.02)]);
  });

  it('a bias too large for INT32_MAX / 2 widens its channel\'s scales (TF\'s SetBiasParamsWithAdjustments)', () => {
    // Channel 0: 1000 / (1/255 × 1e-8) ≈ 2.6e13 > 1073741823 -> bias scale 1000 / 1073741823,
    // weight scale that × 255. Channel 1: 0.001 / (1/255 × 0.01) = 25.5 stays.
    const r = adjustForBias(Float32Array.of(1000, 0.001), 1 / 255, [1e-8, 0.01]);
    assert.equal(r.adjusted, 1);
    assert.deepEqual(r.biasScales, [Math.fround(1000 / 1073741823), Math.fround((1 / 255) * 0.01)]);
    assert.deepEqual(r.weightScales, [Math.fround((1000 / 1073741823) * 255), 0.01]);
    const q = quantizeBias(Float32Array.of(1000, 0.001), r.biasScales, 'int32');
    assert.ok(Math.abs((q.data as Int32Array)[0] - 1073741823) <= 64);
    // One scale: the largest |bias| decides.
    const one = adjustForBias(Float32Array.of(-2000, 5), 0.5, [1e-10]);
    assert.deepEqual(one.biasScales, [Math.fround(2000 / 1073741823)]);
  });

  it('model inputs get exactly TF\'s parameters (their range is the samples\' min/max)', () => {
    for (const name of ['sine_mlp', 'kws_dscnn_tiny', 'mlp_wide', 'misc_acts']) {
      const samples = goldenSamples(name, 'representative');
      let min = Infinity;
      let max = -Infinity;
      for (const [values] of samples) for (const v of values) { min = Math.min(min, v); max = Math.max(max, v); }
      const tfInput = goldenJson(name).variants.int8?.flatbuffer.subgraphs[0].tensors[0].quantization;
      const ours = asymmetricParams(min, max, -128, 127);
      assert.equal(ours.scale, Math.fround(tfInput?.scale[0] ?? NaN), name);
      assert.equal(ours.zeroPoint, tfInput?.zero_point[0], name);
    }
  });

  it('calibration keeps each tensor\'s running min and max over all samples', () => {
    const b = new ModelBuilder();
    const x = b.addInput({ name: 'x', shape: [1, 2], dtype: 'float32' });
    const y = b.addTensor({ name: 'relu', shape: [1, 2], dtype: 'float32' });
    b.addOperator('RELU', [x], [y]);
    b.addOutput(y);
    const ranges = calibrate(b.build(), [[Float32Array.of(-1, 2)], [Float32Array.of(3, -4)], [Float32Array.of(0.5, 0.5)]]);
    assert.deepEqual(ranges, [{ min: -4, max: 3 }, { min: 0, max: 3 }]);
  });
});
