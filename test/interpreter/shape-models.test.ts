// Whole models whose shape-family ops (RESHAPE, STRIDED_SLICE, CONCATENATION) no other
// family's model tests cover, against TFLM: the TFLM goldens of golden/*.json that use them, and
// misc_acts (CONCATENATION) on the 50 eval samples of golden/tf (TFLM outputs in golden/keras,
// golden/keras_tflm_check.json). The Keras CNNs (EXPAND_DIMS, MEAN, SHAPE, PACK) and
// person_detect run in conv-pool-models.test.ts. A model whose other ops have no kernel yet is
// skipped, and runs once they land.
import assert from 'node:assert/strict';
import path from 'node:path';
import { Interpreter, InterpreterError } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { expectedOutputs, goldenModel, readGolden, readShared, runCase } from './golden.js';

interface KerasCheck {
  model: string;
  variant: string;
  input_dtype: string;
  frames: number;
  arena_used_bytes_x86_64: number;
  tflm_output_file: string;
  output_dtype: string;
}

interface GoldenOutput {
  dtype: string;
}

const GOLDEN_MODELS = [
  'micro_speech_quantized', 'trained_lstm', 'trained_lstm_int8', 'micro_speech_lstm',
];
// audio_preprocessor_int8 and _float run, without a skip path, in signal-models.test.ts.
const checks = (JSON.parse(Buffer.from(readShared('golden/keras_tflm_check.json')).toString('utf8')) as { models: KerasCheck[] }).models;

/** An interpreter for the model, or a skip naming the ops that still have no kernel. */
function interpreterOrSkip(context: Mocha.Context, model: Model): Interpreter {
  try {
    return new Interpreter(model);
  } catch (err) {
    if (err instanceof InterpreterError && err.message.startsWith('unsupported ops')) {
      context.test!.title += ` (skipped: ${err.message})`;
      context.skip();
    }
    throw err;
  }
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** float32 outputs within 1e-5 relative; everything else byte for byte. */
function assertMatches(produced: Uint8Array, expected: Uint8Array, dtype: string, what: string): void {
  assert.equal(produced.byteLength, expected.byteLength, `${what}: byte length`);
  if (dtype !== 'float32') {
    assert.deepEqual(Array.from(produced), Array.from(expected), what);
    return;
  }
  const ours = new Float32Array(produced.slice().buffer);
  const theirs = new Float32Array(expected.slice().buffer);
  ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= Math.max(1e-6, 1e-5 * Math.abs(theirs[i])), `${what} element ${i}: ${v} vs TFLM ${theirs[i]}`));
}

describe('interpreter: TFLM golden models with shape-family ops', function () {
  for (const name of GOLDEN_MODELS) {
    const golden = readGolden(name);
    const outputs = (golden as unknown as { outputs: GoldenOutput[] }).outputs;
    for (const testCase of golden.cases) {
      it(`${name} ${testCase.case}`, function () {
        const model = goldenModel(golden);
        interpreterOrSkip(this, model);
        const produced = runCase(model, testCase);
        expectedOutputs(testCase).forEach((expected, k) => assertMatches(produced[k], expected, outputs[k].dtype, `output ${k}`));
      });
    }
  }
});

describe('interpreter: misc_acts (CONCATENATION) against TFLM', function () {
  const selected = checks.filter((c) => c.model.startsWith('models/keras/misc_acts.'));
  it('finds the misc_acts variants', function () {
    assert.equal(selected.length, 4);
  });
  for (const check of selected) {
    const id = path.basename(check.model, '.tflite');
    it(`${id}: 50 eval samples`, function () {
      const interpreter = interpreterOrSkip(this, loadModel(readShared(check.model)));
      interpreter.allocate();
      const name = id.replace(/\.[^.]+$/, '');
      const input = readShared(check.input_dtype === 'float32' ? `golden/tf/${name}.eval.f32` : `golden/tf/${name}.${check.variant}.eval_in.bin`);
      const expected = readShared(path.join('golden', check.tflm_output_file));
      const inView = bytesOf(interpreter.input(0).data);
      const outView = bytesOf(interpreter.output(0).data);
      assert.equal(input.byteLength, inView.byteLength * check.frames);
      const produced = new Uint8Array(outView.byteLength * check.frames);
      for (let frame = 0; frame < check.frames; frame++) {
        inView.set(input.subarray(frame * inView.byteLength, (frame + 1) * inView.byteLength));
        interpreter.invoke();
        produced.set(outView, frame * outView.byteLength);
      }
      assertMatches(produced, expected, check.output_dtype, id);
      assert.ok(interpreter.arenaUsedBytes <= check.arena_used_bytes_x86_64, `arena ${interpreter.arenaUsedBytes} B > TFLM ${check.arena_used_bytes_x86_64} B`);
    });
  }
});
