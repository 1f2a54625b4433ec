// Whole models built around CONV_2D, DEPTHWISE_CONV_2D and the pools, against TFLM's outputs:
// person_detect (golden/person_detect.json) and the Keras CNNs on the 50 eval samples of golden/tf
// (TFLM outputs in golden/keras, golden/keras_tflm_check.json). A model whose other ops have no
// kernel yet is skipped, and runs once they land.
import assert from 'node:assert/strict';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
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
}

const KERAS_MODELS = ['kws_dscnn_tiny', 'accel_cnn1d', 'mobilenet_block'];
const checks = (JSON.parse(Buffer.from(readShared('golden/keras_tflm_check.json')).toString('utf8')) as { models: KerasCheck[] }).models;

/** An interpreter for the model, or a skip naming the ops that still have no kernel. */
function interpreterOrSkip(context: Mocha.Context, model: Model): Interpreter {
  try {
    return new Interpreter(model);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('unsupported ops')) {
      context.test!.title += ` (skipped: ${error.message})`;
      context.skip();
    }
    throw error;
  }
}

function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function inputFile(check: KerasCheck): string {
  const name = path.basename(check.model).replace(/\.[^.]+\.tflite$/, '');
  return check.input_dtype === 'float32' ? `golden/tf/${name}.eval.f32` : `golden/tf/${name}.${check.variant}.eval_in.bin`;
}

describe('interpreter: person_detect against TFLM (conv-pool family)', function () {
  const golden = readGolden('person_detect');
  for (const testCase of golden.cases) {
    it(`person_detect ${testCase.case}: byte-equal`, function () {
      const model = goldenModel(golden);
      interpreterOrSkip(this, model);
      const produced = runCase(model, testCase);
      expectedOutputs(testCase).forEach((expected, k) => assert.deepEqual(Array.from(produced[k]), Array.from(expected), `output ${k}`));
    });
  }
});

describe('interpreter: Keras CNNs against TFLM (conv-pool family)', function () {
  const selected = checks.filter((c) => KERAS_MODELS.some((name) => c.model === `models/keras/${name}.${c.variant}.tflite`));
  it('finds the Keras CNN variants', function () {
    assert.ok(selected.length >= KERAS_MODELS.length, `only ${selected.length} variants in keras_tflm_check.json`);
  });
  for (const check of selected) {
    // float and dynamic (float weights kept) run float32 kernels; every other variant is integer inside.
    const floatOutput = /\.(float|dynamic)\.tflite$/.test(check.model);
    it(`${path.basename(check.model)}: ${check.frames} eval samples${floatOutput ? ' within 1e-5' : ' byte-equal'}`, function () {
      const interpreter = interpreterOrSkip(this, loadModel(readShared(check.model)));
      interpreter.allocate();
      const input = readShared(inputFile(check));
      const expected = readShared(path.join('golden', check.tflm_output_file));
      const inView = bytesOf(interpreter.input(0).data);
      const outView = bytesOf(interpreter.output(0).data);
      assert.equal(input.byteLength, inView.byteLength * check.frames);
      assert.equal(expected.byteLength, outView.byteLength * check.frames);
      const produced = new Uint8Array(expected.byteLength);
      for (let frame = 0; frame < check.frames; frame++) {
        inView.set(input.subarray(frame * inView.byteLength, (frame + 1) * inView.byteLength));
        interpreter.invoke();
        produced.set(outView, frame * outView.byteLength);
      }
      if (!floatOutput) {
        // Integer arithmetic all the way (a float32 end is one QUANTIZE or DEQUANTIZE): byte for byte.
        assert.deepEqual(Array.from(produced), Array.from(expected));
      } else {
        const ours = new Float32Array(produced.buffer);
        const theirs = new Float32Array(expected.slice().buffer);
        ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= Math.max(1e-6, 1e-5 * Math.abs(theirs[i])), `element ${i}: ${v} vs TFLM ${theirs[i]}`));
      }
    });
  }
});
