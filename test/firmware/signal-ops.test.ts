// The TFLM Signal kernels and int32 DIV in the C runtime against the TS interpreter (bit-exact
// with TFLM's signal/src and reference kernels) on seeded frames: the micro_speech audio
// preprocessor with full-scale random audio (its spectral subtraction state carried across
// the frames), and hand-built DIV models including the divisors 0 and -1.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { buildTinymlPlan } from '../../lib/codegen/plan/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { SHARED } from '../support/paths.js';
import { haveGcc } from './host-runtime.js';
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
