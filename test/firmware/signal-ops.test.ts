// The TFLM Signal kernels, int32 DIV and float32 CAST/MUL in the C runtime against the TS interpreter (bit-exact
// with TFLM's signal/src and reference kernels) on seeded frames: the micro_speech audio
// preprocessor with full-scale random audio (its spectral subtraction state carried across
// the frames), and hand-built DIV models including the divisors 0 and -1.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { buildTinymlPlan, readTinymlPlan, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { writeModel } from '../../lib/model/write.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { SHARED } from '../support/paths.js';
import { buildHostRuntime, haveGcc, runHost, tempDir } from './host-runtime.js';
import { assertCMatchesInterpreter } from './small-models.js';

const PREPROCESSOR = path.join(SHARED, 'models/tflm/examples/micro_speech/models/audio_preprocessor_int8.tflite');

function divModel(divisor: Int32Array | null, shape: number[]): Model {
  const m = new ModelBuilder();
  const a = m.addInput({ name: 'a', shape, dtype: 'int32', quantization: null });
  const b = divisor === null ? m.addInput({ name: 'b', shape, dtype: 'int32', quantization: null })
    : m.addConstant({ name: 'b', shape: [divisor.length], dtype: 'int32', quantization: null, data: divisor });
  const y = m.addTensor({ name: 'y', shape, dtype: 'int32', quantization: null });
  m.addOperator('DIV', [a, b], [y]);
  m.addOutput(y);
  return m.build();
}

describe('firmware: C Signal kernels and int32 DIV equal the TS interpreter', function () {
  before(function () {
    if (!haveGcc()) this.skip();
  });

  it('audio_preprocessor_int8: 8 seeded full-scale frames in one run, 3 seeds', async function () {
    await assertCMatchesInterpreter('audio_preprocessor_int8', loadModel(fs.readFileSync(PREPROCESSOR)), 8, [1, 2, 3]);
  });

  it('audio_preprocessor_float (float32 CAST and MUL at the end): 8 seeded frames, 2 seeds', async function () {
    await assertCMatchesInterpreter('audio_preprocessor_float', loadModel(fs.readFileSync(PREPROCESSOR.replace('_int8', '_float'))), 8, [1, 2]);
  });

  it('int32 DIV by constants 7, -3, 0, -1, 1, INT32_MAX, INT32_MIN, 5 (broadcast over [2, 8])', async function () {
    await assertCMatchesInterpreter('div_const', divModel(Int32Array.of(7, -3, 0, -1, 1, 2147483647, -2147483648, 5), [2, 8]), 3, [1, 2]);
  });

  it('int32 DIV of two activations, broadcast-free', async function () {
    await assertCMatchesInterpreter('div_act', divModel(null, [3, 5]), 3, [4, 5]);
  });

  it('a CUSTOM op outside the Signal set is refused naming it', () => {
    const m = new ModelBuilder();
    const x = m.addInput({ name: 'x', shape: [4], dtype: 'int16', quantization: null });
    const y = m.addTensor({ name: 'y', shape: [4], dtype: 'int16', quantization: null });
    m.addOperator('CUSTOM', [x], [y], { customCode: 'SignalMystery' });
    m.addOutput(y);
    assert.throws(() => buildTinymlPlan(m.build()), /operator 0 \(CUSTOM SignalMystery\): the C runtime has no kernel for it; supported custom ops: SignalWindow/);
  });
});

function floatMulModel(constant: Float32Array | null): Model {
  const m = new ModelBuilder();
  const x = m.addInput({ name: 'x', shape: [2, 8], dtype: 'int16', quantization: null });
  const xf = m.addTensor({ name: 'xf', shape: [2, 8], dtype: 'float32', quantization: null });
  m.addOperator('CAST', [x], [xf]);
  const b = constant === null ? m.addInput({ name: 'b', shape: [2, 8], dtype: 'float32', quantization: null })
    : m.addConstant({ name: 'b', shape: [constant.length], dtype: 'float32', quantization: null, data: constant });
  const y = m.addTensor({ name: 'y', shape: [2, 8], dtype: 'float32', quantization: null });
  m.addOperator('MUL', [xf, b], [y]);
  m.addOutput(y);
  return m.build();
}

describe('firmware: C CAST int16 -> float32 and float32 MUL (integer IEEE arithmetic) equal the TS interpreter', function () {
  before(function () {
    if (!haveGcc()) this.skip();
  });

  it('by constants: subnormal, near-overflow (to infinity), tiny (to subnormal and zero), 1 + 2^-23, -0, 1/64', async function () {
    await assertCMatchesInterpreter('float_mul_const', floatMulModel(Float32Array.of(1e-40, 3e38, -2.5, 1e-42, 0, 1.0000001, -0, 1 / 64)), 3, [1, 2]);
  });

  it('by a seeded float32 activation', async function () {
    await assertCMatchesInterpreter('float_mul_act', floatMulModel(null), 3, [3, 4]);
  });
});

describe('firmware: tm_reset clears the spectral subtraction state', function () {
  before(function () {
    if (!haveGcc()) this.skip();
  });

  it('the 49-frame TFLM stream twice, tm_reset between: both halves equal the golden; without the reset the second differs', async function () {
    const golden = path.join(SHARED, 'golden');
    const input = fs.readFileSync(path.join(golden, 'audio_preprocessor_int8.yes_1000ms_stream.input0.bin'));
    const expected = fs.readFileSync(path.join(golden, 'audio_preprocessor_int8.yes_1000ms_stream.output0.bin'));
    const dir = tempDir('signal_reset');
    const file = path.join(dir, 'model.tflite');
    const planned = withTinymlPlan(loadModel(fs.readFileSync(PREPROCESSOR)));
    fs.writeFileSync(file, writeModel(planned));
    const exe = await buildHostRuntime(dir, readTinymlPlan(planned));
    const twice = Buffer.concat([input, input]);
    assert.deepEqual(await runHost(exe, file, twice, 49), Buffer.concat([expected, expected]));
    const carried = await runHost(exe, file, twice);
    assert.ok(carried.subarray(0, expected.length).equals(expected));
    assert.ok(!carried.subarray(expected.length).equals(expected), 'the noise estimate should carry into the second pass without tm_reset');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
