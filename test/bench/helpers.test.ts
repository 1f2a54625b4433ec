// The benchmark's own arithmetic (not the benchmark itself, which npm test never runs): how a
// peer's output is checked against TFLM's and how float runs of int8 models are set up.
// Expected values are worked by hand in the comments.
import assert from 'node:assert/strict';
import { decodeValues, maxAbsDiff } from '../../bench/cases.js';
import { realValues, toOutputUnits } from '../../bench/tfjs-translate.js';
import { quantile } from '../../bench/timing.js';
import type { DType, Quantization, Tensor } from '../../lib/model/types.js';

function tensor(dtype: DType, shape: number[], quantization: Partial<Quantization> | null): Tensor {
  return {
    name: 't', shape, shapeSignature: null, dtype, isVariable: false,
    quantization: quantization === null ? null
      : { scale: [], zeroPoint: [], quantizedDimension: 0, min: [], max: [], details: null, ...quantization },
    data: null, hasRank: true, sparsity: null, variantTensors: [], externalBuffer: 0,
  };
}

function bytes(values: Int8Array | Int32Array | Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

describe('bench helpers', function () {
  it('dequantizes per channel along quantized_dimension', function () {
    // shape [2, 3], channel = row: row 0 scale 0.5 zp 0 -> 2*0.5, -2*0.5, 4*0.5 = 1, -1, 2;
    // row 1 scale 0.25 zp 1 -> (5-1)/4, (1-1)/4, (-3-1)/4 = 1, 0, -1.
    const t = tensor('int8', [2, 3], { scale: [0.5, 0.25], zeroPoint: [0, 1], quantizedDimension: 0 });
    assert.deepEqual([...realValues(t, bytes(new Int8Array([2, -2, 4, 5, 1, -3])))], [1, -1, 2, 1, 0, -1]);
  });

  it('dequantizes along the last dimension, and with one scale whatever quantized_dimension says', function () {
    // [1, 2, 2] per channel on dimension 2: scales 1 and 0.5 alternate: 4, 4*0.5, -6, -6*0.5.
    const perChannel = tensor('int32', [1, 2, 2], { scale: [1, 0.5], zeroPoint: [0, 0], quantizedDimension: 2 });
    assert.deepEqual([...realValues(perChannel, bytes(new Int32Array([4, 4, -6, -6])))], [4, 2, -6, -3]);
    // person_detect's filters: one scale, quantized_dimension 3 -> (q - (-1)) * 0.125.
    const single = tensor('int8', [1, 1, 1, 2], { scale: [0.125], zeroPoint: [-1], quantizedDimension: 3 });
    assert.deepEqual([...realValues(single, bytes(new Int8Array([7, -9])))], [1, -1]);
  });

  it('passes float and unquantized values through', function () {
    const f = tensor('float32', [2], null);
    assert.deepEqual([...realValues(f, bytes(new Float32Array([1.5, -2])))], [1.5, -2]);
    assert.equal(toOutputUnits(f, 1234.5), 1234.5);
  });

  it('expresses a float result in the int8 output\'s LSBs, saturating like the integer model', function () {
    // scale 0.5, zero point -3: 10 / 0.5 - 3 = 17; 0.3 / 0.5 - 3 = -2.4 (not rounded); 1000 -> 1997 -> 127.
    const out = tensor('int8', [3], { scale: [0.5], zeroPoint: [-3] });
    assert.equal(toOutputUnits(out, 10), 17);
    assert.ok(Math.abs(toOutputUnits(out, 0.3) - -2.4) < 1e-12);
    assert.equal(toOutputUnits(out, 1000), 127);
    assert.equal(toOutputUnits(out, -1000), -128);
  });

  it('decodes raw output bytes little-endian in their own units', function () {
    assert.deepEqual(decodeValues('int16', new Uint8Array([0x01, 0x80, 0xff, 0x7f])), [-32767, 32767]);
    assert.deepEqual(decodeValues('int8', new Uint8Array([0x80, 0x7f])), [-128, 127]);
    assert.deepEqual(decodeValues('float32', new Uint8Array([0, 0, 0xc0, 0x3f])), [1.5]);
  });

  it('takes the largest difference, and Infinity when outputs do not line up or are NaN', function () {
    assert.equal(maxAbsDiff([[1, 2], [7]], [[1, 5], [6]]), 3);
    assert.equal(maxAbsDiff([[1, 2]], [[1, 2, 3]]), Infinity);
    assert.equal(maxAbsDiff([[1]], [[1], [2]]), Infinity);
    assert.equal(maxAbsDiff([[NaN]], [[0]]), Infinity);
  });

  it('takes the median of an even count as the mean of the middle two, p90 by nearest rank', function () {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    // 10 samples: rank ceil(0.9 * 10) = 9 -> the 9th.
    assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
  });
});
