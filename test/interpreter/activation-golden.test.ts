// Whole models that use activation-family ops (ADD, MUL, SOFTMAX, LOGISTIC, ...) against TFLM's
// goldens in ../shared/golden: integer outputs byte for byte, float32 outputs within 1e-5
// relative. A model whose other ops are not implemented yet is skipped, and runs once they are.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { InterpreterError } from '../../lib/interpreter/errors.js';
import { expectedOutputs, goldenModel, readGolden, runCase } from './golden.js';

const MODELS = [
  'simple_add_model', 'person_detect', 'micro_speech_quantized', 'keyword_scrambled', 'keyword_scrambled_8bit',
  'micro_speech_lstm', 'trained_lstm', 'trained_lstm_int8', 'dtln_noise_suppression',
];
// audio_preprocessor_int8 and _float run, without a skip path, in signal-models.test.ts.

interface GoldenOutputInfo {
  dtype: string;
}

function assertClose(produced: Uint8Array, expected: Uint8Array, what: string): void {
  const ours = new Float32Array(produced.slice().buffer);
  const theirs = new Float32Array(expected.slice().buffer);
  assert.equal(ours.length, theirs.length, what);
  ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= Math.max(1e-6, 1e-5 * Math.abs(theirs[i])), `${what} element ${i}: ${v} vs TFLM ${theirs[i]}`));
}

describe('interpreter: whole models with activation-family ops against TFLM', function () {
  for (const name of MODELS) {
    it(name, function () {
      const golden = readGolden(name);
      const model = goldenModel(golden);
      try {
        new Interpreter(model);
      } catch (error) {
        if (error instanceof InterpreterError && error.message.startsWith('unsupported ops')) {
          this.test!.title += ` (skipped: ${error.message})`;
          this.skip();
        }
        throw error;
      }
      const outputs = (golden as unknown as { outputs: GoldenOutputInfo[] }).outputs;
      for (const testCase of golden.cases) {
        const produced = runCase(model, testCase);
        const expected = expectedOutputs(testCase);
        produced.forEach((out, k) => {
          const what = `${testCase.case} output ${k}`;
          if (outputs[k].dtype === 'float32') assertClose(out, expected[k], what);
          else assert.deepEqual(Array.from(out), Array.from(expected[k]), what);
        });
      }
    });
  }
});
