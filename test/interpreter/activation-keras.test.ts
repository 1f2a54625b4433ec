// The Keras-derived models that use activation-family ops (misc_acts: LEAKY_RELU, TANH, LOGISTIC;
// mobilenet_block: ADD, HARD_SWISH; mlp_wide, accel_cnn1d, kws_dscnn_tiny: SOFTMAX), on the 50
// eval samples of golden/tf, against TFLM's outputs in golden/keras (golden/keras_tflm_check.json).
// Integer variants byte for byte, float32 variants within 1e-5 relative. A model whose other ops
// are not implemented yet is skipped, and runs once they are.
import assert from 'node:assert/strict';
import path from 'node:path';
import { InterpreterError } from '../../lib/interpreter/errors.js';
import { Interpreter } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import { readShared } from './golden.js';

interface KerasCheck {
  model: string;
  variant: string;
  input_dtype: string;
  output_dtype: string;
  frames: number;
  tflm_output_file?: string;
}

const checks = (JSON.parse(Buffer.from(readShared('golden/keras_tflm_check.json')).toString('utf8')) as { models: KerasCheck[] }).models;
const NAMES = ['misc_acts', 'mobilenet_block', 'mlp_wide', 'accel_cnn1d', 'kws_dscnn_tiny'];

function inputFile(check: KerasCheck): string {
  const name = path.basename(check.model).replace(/\.[^.]+\.tflite$/, '');
  return check.input_dtype === 'float32' ? `golden/tf/${name}.eval.f32` : `golden/tf/${name}.${check.variant}.eval_in.bin`;
}

function newInterpreter(this: Mocha.Context, modelPath: string): Interpreter {
  const model = loadModel(readShared(modelPath));
  try {
    return new Interpreter(model);
  } catch (error) {
    if (error instanceof InterpreterError && error.message.startsWith('unsupported ops')) {
      this.test!.title += ` (skipped: ${error.message})`;
      this.skip();
    }
    throw error;
  }
}

describe('interpreter: Keras models with activation-family ops against TFLM', function () {
  const selected = checks.filter((c) => NAMES.some((n) => c.model === `models/keras/${n}.${c.variant}.tflite`) && c.tflm_output_file !== undefined);
  it('finds the models in keras_tflm_check.json', function () {
    assert.ok(selected.length >= NAMES.length, `only ${selected.length} checks found`);
  });
  for (const check of selected) {
    const id = path.basename(check.model, '.tflite');
    const exact = check.output_dtype !== 'float32';
    it(`${id}: 50 eval samples${exact ? ' byte-equal' : ' within 1e-5'}`, function () {
      const interpreter = newInterpreter.call(this, check.model);
      interpreter.allocate();
      const input = readShared(inputFile(check));
      const expected = readShared(path.join('golden', check.tflm_output_file!));
      const inBytes = interpreter.input(0).data.byteLength;
      const outBytes = interpreter.output(0).data.byteLength;
      assert.equal(input.byteLength, inBytes * check.frames);
      assert.equal(expected.byteLength, outBytes * check.frames);
      const produced = new Uint8Array(expected.byteLength);
      const inView = new Uint8Array(interpreter.input(0).data.buffer, interpreter.input(0).data.byteOffset, inBytes);
      const outView = new Uint8Array(interpreter.output(0).data.buffer, interpreter.output(0).data.byteOffset, outBytes);
      for (let frame = 0; frame < check.frames; frame++) {
        inView.set(input.subarray(frame * inBytes, (frame + 1) * inBytes));
        interpreter.invoke();
        produced.set(outView, frame * outBytes);
      }
      if (exact) {
        assert.deepEqual(Array.from(produced), Array.from(expected));
      } else {
        const ours = new Float32Array(produced.buffer);
        const theirs = new Float32Array(expected.slice().buffer);
        ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= Math.max(1e-6, 1e-5 * Math.abs(theirs[i])), `element ${i}: ${v} vs TFLM ${theirs[i]}`));
      }
    });
  }
});
