// The Keras-made models (models/keras) in our interpreter against TensorFlow Lite's own
// reference-kernel outputs (golden/tf/NAME.VARIANT.eval_out.bin, 50 eval samples). We match TFLM
// bit for bit (keras-fc.test.ts and the other Keras tests), and TFLM differs from TF Lite where
// TF's FULLY_CONNECTED requantizes with single rounding (int8) or the full 31-bit multiplier
// (int16x8) while TFLM uses double rounding / the 16-bit-reduced multiplier
// (golden/tf/README.md, "Rounding: TF's FULLY_CONNECTED int8 ≠ TFLM's"). So our differences from
// TF must be exactly TFLM's, as golden/keras_tflm_check.json records them (count and largest |diff|);
// everywhere else we equal TF.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { typedView } from '../../lib/interpreter/tensor.js';
import { loadModel } from '../../lib/model/read.js';
import { readShared } from './golden.js';

interface KerasCheck {
  model: string;
  variant: string;
  input_dtype: string;
  frames: number;
  elements?: number;
  differing_elements?: number;
  max_abs_diff?: number;
  vs_tf_builtin_ref?: string;
  output_dtype?: string;
}

const checks = (JSON.parse(Buffer.from(readShared('golden/keras_tflm_check.json')).toString('utf8')) as { models: KerasCheck[] }).models;

function nameOf(check: KerasCheck): string {
  return check.model.replace(/^models\/keras\//, '').replace(/\.[^.]+\.tflite$/, '');
}

/** Raw output values of the 50 eval samples, run one invoke per sample as TF did. */
function runEval(check: KerasCheck): { ours: number[]; tf: number[]; integer: boolean } {
  const name = nameOf(check);
  const interpreter = new Interpreter(loadModel(readShared(check.model)));
  interpreter.allocate();
  const inputFile = check.input_dtype === 'float32' ? `golden/tf/${name}.eval.f32` : `golden/tf/${name}.${check.variant}.eval_in.bin`;
  const input = readShared(inputFile);
  const inTensor = interpreter.input(0);
  const outTensor = interpreter.output(0);
  const inBytes = inTensor.data.byteLength;
  const outBytes = outTensor.data.byteLength;
  const produced = new Uint8Array(outBytes * check.frames);
  for (let frame = 0; frame < check.frames; frame++) {
    new Uint8Array(inTensor.data.buffer, inTensor.data.byteOffset, inBytes).set(input.subarray(frame * inBytes, (frame + 1) * inBytes));
    interpreter.invoke();
    produced.set(new Uint8Array(outTensor.data.buffer, outTensor.data.byteOffset, outBytes), frame * outBytes);
  }
  const tfBytes = readShared(`golden/tf/${name}.${check.variant}.eval_out.bin`);
  assert.equal(tfBytes.byteLength, produced.byteLength, 'output size');
  const decode = (bytes: Uint8Array): number[] => {
    const aligned = new Uint8Array(bytes.byteLength);
    aligned.set(bytes);
    return Array.from(typedView(outTensor.dtype, aligned.buffer, 0, aligned.byteLength) as ArrayLike<number>, Number);
  };
  return { ours: decode(produced), tf: decode(tfBytes), integer: outTensor.dtype !== 'float32' };
}

describe('interpreter: Keras models against TF Lite reference kernels (golden/tf)', function () {
  for (const check of checks) {
    if (check.vs_tf_builtin_ref === undefined) continue; // TFLM refuses it (hybrid): no TFLM record to hold us to
    const id = `${nameOf(check)}.${check.variant}`;
    const expectation = check.vs_tf_builtin_ref === 'bit-exact'
      ? 'equal to TF'
      : `differs from TF exactly where TFLM does (${check.differing_elements}/${check.elements}, max ${check.max_abs_diff})`;
    it(`${id}: ${expectation}`, function () {
      const { ours, tf, integer } = runEval(check);
      let differing = 0;
      let maxDiff = 0;
      ours.forEach((v, i) => {
        const diff = Math.abs(v - tf[i]);
        // float32 outputs: TFLM equals TF bit for bit there; ours is within 1e-5 relative of TFLM.
        const same = integer || check.variant === 'int8_floatio' || check.variant === 'int16x8'
          ? diff === 0
          : diff <= 1e-5 * Math.max(1, Math.abs(tf[i]));
        if (!same) differing++;
        maxDiff = Math.max(maxDiff, diff);
      });
      if (check.vs_tf_builtin_ref === 'bit-exact') {
        assert.equal(differing, 0, `${differing} of ${ours.length} outputs differ from TF (max ${maxDiff})`);
      } else {
        assert.equal(differing, check.differing_elements, `outputs differing from TF (max |diff| ${maxDiff})`);
        assert.ok(Math.abs(maxDiff - (check.max_abs_diff ?? NaN)) <= 1e-6 * Math.max(1, maxDiff), `max |diff| ${maxDiff}, TFLM's ${check.max_abs_diff}`);
      }
    });
  }
});
