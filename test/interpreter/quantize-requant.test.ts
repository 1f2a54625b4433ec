// QUANTIZE between integer types (TFLM's Requantize: the multiplier of input scale / output scale,
// MultiplyByQuantizedMultiplier, plus the output zero point, saturated), on one-op models with
// expected values worked out by hand from gemmlowp's double rounding, and on the SEANet
// int32 <-> int16 models (integration_tests/seanet/quantize) against their shipped golden CSVs,
// which golden/seanet_check.json records as TFLM's exact outputs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { loadModel } from '../../lib/model/read.js';
import type { DType } from '../../lib/model/types.js';
import { SHARED } from '../support/paths.js';
import { readShared } from './golden.js';

interface Side {
  dtype: DType;
  scale: number;
  zeroPoint: number;
}

function requantize(from: Side, to: Side, input: number[]): number[] {
  const b = new ModelBuilder();
  const x = b.addInput({ name: 'x', shape: [input.length], dtype: from.dtype, quantization: { scale: [from.scale], zeroPoint: [from.zeroPoint] } });
  const y = b.addTensor({ name: 'y', shape: [input.length], dtype: to.dtype, quantization: { scale: [to.scale], zeroPoint: [to.zeroPoint] } });
  b.addOperator('QUANTIZE', [x], [y]);
  b.addOutput(y);
  const it = new Interpreter(b.build());
  it.allocate();
  it.setInput(0, input);
  it.invoke();
  return Array.from(it.output(0).data as ArrayLike<number>);
}

describe('interpreter: QUANTIZE requantization', function () {
  it('int8 -> int8: ratio 2 (multiplier 2^30, shift 2), zero points, saturation', function () {
    // (x - 1) * 2 - 3: 1 -> -3, 2 -> -1, 0 -> -5, 70 -> 135 -> 127, -128 -> -261 -> -128, 127 -> 249 -> 127.
    assert.deepEqual(requantize({ dtype: 'int8', scale: 0.5, zeroPoint: 1 }, { dtype: 'int8', scale: 0.25, zeroPoint: -3 }, [1, 2, 0, 70, -128, 127]),
      [-3, -1, -5, 127, -128, 127]);
  });

  it('int16 -> int16: ratio 1/4 rounds twice (SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT)', function () {
    // multiplier 2^30, shift -1: x/2 rounded (ties away from zero for positives, toward zero for
    // negatives), then /2 rounded half away from zero. 1 -> 1 -> 1 (single rounding would give 0);
    // 2 -> 1 -> 1; 3 -> 2 -> 1; -1 -> 0 -> 0; -2 -> -1 -> -1; 6 -> 3 -> 2; 32767 -> 16384 -> 8192; -32768 -> -8192.
    assert.deepEqual(requantize({ dtype: 'int16', scale: 1, zeroPoint: 0 }, { dtype: 'int16', scale: 4, zeroPoint: 0 }, [1, 2, 3, -1, -2, 6, 32767, -32768]),
      [1, 1, 1, 0, -1, 2, 8192, -8192]);
  });

  it('int16 -> int8: ratio 1/128, output zero point -128', function () {
    // x/2 rounded, then /64 rounded: 64 -> 32 -> 1; 63 -> 32 -> 1; 62 -> 31 -> 0; 12800 -> 100;
    // 32767 -> 16384 -> 256 -> 128 clamps to 127; -32768 -> -256 -> -384 clamps to -128.
    assert.deepEqual(requantize({ dtype: 'int16', scale: 0.5, zeroPoint: 0 }, { dtype: 'int8', scale: 64, zeroPoint: -128 }, [0, 64, 63, 62, 12800, 32767, -32768]),
      [-128, -127, -127, -128, -28, 127, -128]);
  });

  it('int8 -> int16: (x - 10) * 4', function () {
    assert.deepEqual(requantize({ dtype: 'int8', scale: 0.5, zeroPoint: 10 }, { dtype: 'int16', scale: 0.125, zeroPoint: 0 }, [10, 11, -128, 127]),
      [0, 4, -552, 468]);
  });

  it('uint8 -> int8 and int8 -> uint8 shift the zero point by 128', function () {
    assert.deepEqual(requantize({ dtype: 'uint8', scale: 1, zeroPoint: 128 }, { dtype: 'int8', scale: 1, zeroPoint: 0 }, [0, 128, 255, 200]), [-128, 0, 127, 72]);
    assert.deepEqual(requantize({ dtype: 'int8', scale: 1, zeroPoint: 0 }, { dtype: 'uint8', scale: 1, zeroPoint: 128 }, [-128, 0, 127]), [0, 128, 255]);
  });

  it('int16 -> int32: ratio 2', function () {
    assert.deepEqual(requantize({ dtype: 'int16', scale: 1, zeroPoint: 0 }, { dtype: 'int32', scale: 0.5, zeroPoint: 0 }, [32767, -32768, 3]), [65534, -65536, 6]);
  });

  it('refuses a pair TFLM does not requantize (uint8 -> int16) in prepare', function () {
    assert.throws(() => requantize({ dtype: 'uint8', scale: 1, zeroPoint: 0 }, { dtype: 'int16', scale: 1, zeroPoint: 0 }, [0]),
      /subgraph 0, operator 0 \(QUANTIZE\): uint8 input to int16 output is not supported/);
  });
});

describe('interpreter: SEANet QUANTIZE models (int32 -> int16, int16 -> int32), bit-exact with TFLM', function () {
  const dir = 'models/tflm/integration_tests/seanet/quantize';
  const checks = (JSON.parse(Buffer.from(readShared('golden/seanet_check.json')).toString('utf8')) as { models: Array<{ model: string; result: string }> }).models;
  const files = fs.readdirSync(path.join(SHARED, dir));
  const readCsv = (file: string): number[] => Buffer.from(readShared(`${dir}/${file}`)).toString('utf8').trim().split(',').map(Number);
  const names = files.filter((f) => f.endsWith('.tflite')).map((f) => f.replace(/\.tflite$/, '')).sort();
  it('finds the models', function () {
    assert.equal(names.length, 2);
  });
  for (const name of names) {
    it(name, function () {
      assert.equal(checks.find((c) => c.model === `${dir}/${name}.tflite`)?.result, 'exact', `${name}: the shipped golden is not TFLM's exact output`);
      const inputFile = files.find((f) => f.startsWith(`${name}_input0_`));
      const goldenFile = files.find((f) => f.startsWith(`${name}_golden_`));
      assert.ok(inputFile !== undefined && goldenFile !== undefined, `${name}: input or golden CSV missing`);
      const interpreter = new Interpreter(loadModel(readShared(`${dir}/${name}.tflite`)));
      interpreter.allocate();
      assert.equal(interpreter.input(0).dtype, /_(int\d+)\.csv$/.exec(inputFile)?.[1]);
      assert.equal(interpreter.output(0).dtype, /_(int\d+)\.csv$/.exec(goldenFile)?.[1]);
      interpreter.setInput(0, readCsv(inputFile));
      interpreter.invoke();
      const expected = readCsv(goldenFile);
      const produced = Array.from(interpreter.output(0).data as ArrayLike<number>);
      assert.equal(produced.length, expected.length);
      const differing = produced.filter((v, i) => v !== expected[i]).length;
      assert.equal(differing, 0, `${differing} of ${expected.length} elements differ; first at ${produced.findIndex((v, i) => v !== expected[i])}`);
    });
  }
});
