// SQNR = 10·log10(Σ signal² / Σ (signal − dequantized)²), checked on tiny hand-built values whose
// result is worked out in the comments, and weightSqnr's dequantization of per-tensor and
// per-channel (along the first and the last axis) int8, uint8, int32 and int64 constants.
import assert from 'node:assert/strict';
import type { DType, Quantization, Tensor } from '../../lib/model/types.js';
import { SqnrAccumulator, sqnrDb, weightSqnr } from '../../lib/quantize/sqnr.js';

function quantization(scale: number[], zeroPoint: number[], quantizedDimension = 0): Quantization {
  return { scale, zeroPoint, quantizedDimension, min: [], max: [], details: null };
}

function constant(name: string, dtype: DType, shape: number[], values: ArrayBufferView, q: Quantization | null = null): Tensor {
  return {
    name, shape, shapeSignature: null, dtype, isVariable: false, quantization: q,
    data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    hasRank: true, sparsity: null, variantTensors: [], externalBuffer: 0,
  };
}

function near(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected}`);
}

describe('quantize: SQNR', function () {
  it('is Infinity when the approximation is exact', function () {
    assert.equal(sqnrDb([1, 2, 3], [1, 2, 3]), Infinity);
  });

  it('signal [1,2,3], one error of 0.5: 10·log10(14 / 0.25) = 10·log10(56) = 17.481880270062 dB', function () {
    near(sqnrDb([1, 2, 3], [1.5, 2, 3]), 17.48188027006201);
  });

  it('signal [1,2,3], errors 0.5 each: 10·log10(14 / 0.75) = 12.710667722865 dB', function () {
    // log10(56/3) = log10(56) − log10(3) = 1.748188027006201 − 0.477121254719662
    near(sqnrDb([1, 2, 3], [0.5, 2.5, 3.5]), 12.71066772286539);
  });

  it('is -Infinity for an all-zero signal with noise, and refuses different lengths', function () {
    assert.equal(sqnrDb([0, 0], [0, 1]), -Infinity);
    assert.throws(() => sqnrDb([1, 2], [1]), /2 signal values against 1/);
  });

  it('pools sums over samples instead of averaging per-sample dB', function () {
    // Sample 1: 2 vs 1 (6.02 dB alone); sample 2: 1 vs 1 (exact, Infinity alone). Pooled: (4 + 1) / 1 → 10·log10(5).
    const sqnr = new SqnrAccumulator();
    sqnr.add(2, 1);
    sqnr.add(1, 1);
    near(sqnr.db, 6.989700043360188);
  });
});

describe('quantize: weightSqnr', function () {
  // Float weights [[1, -2], [0.5, 0.25]]; int8 [2, -4, 2, 1] with scales 0.5 (row 0), 0.25 (row 1).
  const int8 = new Int8Array([2, -4, 2, 1]);

  it('dequantizes per channel along dimension 0 (CONV_2D / FULLY_CONNECTED weights): exact → Infinity', function () {
    const float = constant('w', 'float32', [2, 2], new Float32Array([1, -2, 0.5, 0.25]));
    const q = constant('w', 'int8', [2, 2], int8, quantization([0.5, 0.25], [0, 0], 0));
    assert.equal(weightSqnr(float, q), Infinity);
  });

  it('one weight off by 0.25: 10·log10(6.375 / 0.0625) = 10·log10(102) = 20.086001717619 dB', function () {
    // Signal power 1 + 5.0625 + 0.25 + 0.0625 = 6.375; only -2.25 vs -2 is off. With scale 0.5 for
    // every element (per-channel ignored) row 1 would read [1, 0.5] and the figure would differ.
    const float = constant('w', 'float32', [2, 2], new Float32Array([1, -2.25, 0.5, 0.25]));
    const q = constant('w', 'int8', [2, 2], int8, quantization([0.5, 0.25], [0, 0], 0));
    near(weightSqnr(float, q), 20.086001717619175);
  });

  it('dequantizes per channel along the last dimension (DEPTHWISE_CONV_2D, quantized_dimension 3)', function () {
    // Channel = element index mod 2: [2·0.5, -4·0.25, 2·0.5, 1·0.25] = [1, -1, 1, 0.25].
    const float = constant('dw', 'float32', [1, 1, 2, 2], new Float32Array([1, -1, 1, 0.25]));
    const q = constant('dw', 'int8', [1, 1, 2, 2], int8, quantization([0.5, 0.25], [0, 0], 3));
    assert.equal(weightSqnr(float, q), Infinity);
  });

  it('reads int64 biases (int16x8) and int32 / uint8 with zero points', function () {
    // int64 [3, -5] · 0.125 = [0.375, -0.625]; against [0.5, -0.625]: 0.640625 / 0.015625 = 41.
    const bias64 = constant('b', 'int64', [2], new BigInt64Array([3n, -5n]), quantization([0.125], [0]));
    near(weightSqnr(constant('b', 'float32', [2], new Float32Array([0.5, -0.625])), bias64), 16.127838567197355);
    const bias32 = constant('b', 'int32', [2], new Int32Array([10, 14]), quantization([0.25], [10]));
    assert.equal(weightSqnr(constant('b', 'float32', [2], new Float32Array([0, 1])), bias32), Infinity);
    const u8 = constant('u', 'uint8', [2], new Uint8Array([128, 130]), quantization([0.5], [128]));
    assert.equal(weightSqnr(constant('u', 'float32', [2], new Float32Array([0, 1])), u8), Infinity);
  });

  it('compares a weight left in float as it is, and refuses mismatched tensors', function () {
    const float = constant('w', 'float32', [2], new Float32Array([1, 2]));
    assert.equal(weightSqnr(float, constant('w', 'float32', [2], new Float32Array([1, 2]))), Infinity);
    assert.throws(() => weightSqnr(float, constant('w', 'int8', [3], new Int8Array(3), quantization([1], [0]))), /shape \[2\].*\[3\]/);
    assert.throws(() => weightSqnr(float, { ...float, data: null }), /not a constant/);
    assert.throws(() => weightSqnr(float, constant('w', 'int4', [2], new Uint8Array(1), quantization([1], [0]))), /int4/);
  });
});
