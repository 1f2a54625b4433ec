// The Keras-derived MLPs (FULLY_CONNECTED, with QUANTIZE/DEQUANTIZE at float32 ends), on the 50
// eval samples of golden/tf, against TFLM's outputs in golden/keras (golden/keras_tflm_check.json).
// TF Lite's reference kernels differ from TFLM on the int8 and int16x8 variants; these must match TFLM.
import assert from 'node:assert/strict';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import { readShared } from './golden.js';

interface KerasCheck {
  model: string;
  variant: string;
  input_dtype: string;
  frames: number;
  arena_used_bytes_x86_64: number;
  tflm_output_file: string;
  output_dtype: string;
}

const checks = (JSON.parse(Buffer.from(readShared('golden/keras_tflm_check.json')).toString('utf8')) as { models: KerasCheck[] }).models;
const RUNNABLE = [
  'sine_mlp.float', 'sine_mlp.int8', 'sine_mlp.int8_floatio', 'sine_mlp.int16x8',
  'dense_autoencoder.float', 'dense_autoencoder.int8', 'dense_autoencoder.int8_floatio', 'dense_autoencoder.int16x8',
];

function inputFile(check: KerasCheck): string {
  const name = path.basename(check.model).replace(/\.[^.]+\.tflite$/, '');
  return check.input_dtype === 'float32' ? `golden/tf/${name}.eval.f32` : `golden/tf/${name}.${check.variant}.eval_in.bin`;
}

describe('interpreter: Keras MLPs (FULLY_CONNECTED, QUANTIZE, DEQUANTIZE) against TFLM', function () {
  for (const id of RUNNABLE) {
    const check = checks.find((c) => c.model === `models/keras/${id}.tflite`);
    it(`${id}: 50 eval samples${id.endsWith('.float') ? ' within 1e-5' : ' byte-equal'}`, function () {
      assert.ok(check, `${id} missing from keras_tflm_check.json`);
      const interpreter = new Interpreter(loadModel(readShared(check.model)));
      interpreter.allocate();
      const input = readShared(inputFile(check));
      const expected = readShared(path.join('golden', check.tflm_output_file));
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
      if (!id.endsWith('.float')) {
        // Integer arithmetic throughout (a float32 end is one QUANTIZE or DEQUANTIZE): byte for byte.
        assert.deepEqual(Array.from(produced), Array.from(expected));
      } else {
        const ours = new Float32Array(produced.buffer);
        const theirs = new Float32Array(expected.slice().buffer);
        ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) <= Math.max(1e-6, 1e-5 * Math.abs(theirs[i])), `element ${i}: ${v} vs TFLM ${theirs[i]}`));
      }
      assert.ok(interpreter.arenaUsedBytes <= check.arena_used_bytes_x86_64);
      this.test!.title += ` (arena ours ${interpreter.arenaUsedBytes} B, TFLM x86-64 ${check.arena_used_bytes_x86_64} B)`;
    });
  }
});
