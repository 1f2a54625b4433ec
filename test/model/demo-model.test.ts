// models/sine_float.tflite (made by scripts/make-demo-model.ts) is the model the demo
// flows run: TFLM hello_world's layout, and it really approximates sin. The network is evaluated
// here with plain float math from the weights read back out of the file, not by our interpreter.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadModel } from '../../lib/model/read.js';
import { ActivationFunctionType, FullyConnectedOptionsT } from '../../lib/model/schema/tflite.js';
import type { Model, Tensor } from '../../lib/model/types.js';
import { REPO_ROOT } from '../support/paths.js';

const MODEL_PATH = path.join(REPO_ROOT, 'models/sine_float.tflite');
const TOLERANCE = 0.05;

function floats(tensor: Tensor): number[] {
  assert.ok(tensor.data !== null, `${tensor.name} has no data`);
  const view = new DataView(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  return Array.from({ length: tensor.data.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** y = act(W x + b) per FULLY_CONNECTED, W stored [outputs][inputs]. */
function evaluate(model: Model, x: number): number {
  const { tensors, operators } = model.subgraphs[0];
  let activation = [x];
  for (const op of operators) {
    const weights = floats(tensors[op.inputs[1]]);
    const bias = floats(tensors[op.inputs[2]]);
    const [outputs, inputs] = tensors[op.inputs[1]].shape;
    assert.equal(inputs, activation.length);
    const relu = op.builtinOptions instanceof FullyConnectedOptionsT
      && op.builtinOptions.fusedActivationFunction === ActivationFunctionType.RELU;
    activation = Array.from({ length: outputs }, (_, o) => {
      let sum = bias[o];
      for (let i = 0; i < inputs; i++) sum += weights[o * inputs + i] * activation[i];
      return relu ? Math.max(0, sum) : sum;
    });
  }
  assert.equal(activation.length, 1);
  return activation[0];
}

describe('models/sine_float.tflite', function () {
  let model: Model;
  before(function () {
    model = loadModel(new Uint8Array(fs.readFileSync(MODEL_PATH)));
  });

  it('is hello_world\'s network: 3 FULLY_CONNECTED ops, float32 [1,1] in and out', function () {
    assert.equal(model.subgraphs.length, 1);
    const { tensors, inputs, outputs, operators } = model.subgraphs[0];
    assert.deepEqual(operators.map((op) => op.op), ['FULLY_CONNECTED', 'FULLY_CONNECTED', 'FULLY_CONNECTED']);
    for (const index of [...inputs, ...outputs]) {
      assert.equal(tensors[index].dtype, 'float32');
      assert.deepEqual(tensors[index].shape, [1, 1]);
    }
    assert.deepEqual(operators.map((op) => tensors[op.inputs[1]].shape), [[16, 1], [16, 16], [1, 16]]);
    assert.equal(operators[0].inputs[0], inputs[0]);
    assert.equal(operators[2].outputs[0], outputs[0]);
  });

  it('says what it is and which runtime it needs, as the converter does', function () {
    assert.match(model.description, /sin/);
    const version = model.metadata.min_runtime_version;
    assert.ok(version !== undefined);
    assert.equal(Buffer.from(version).toString('latin1').replace(/\0+$/, ''), '1.5.0');
  });

  it(`approximates sin(x) on [0, 2*pi] within ${TOLERANCE} at 100 points`, function () {
    let worst = 0;
    for (let i = 0; i < 100; i++) {
      const x = (2 * Math.PI * i) / 99;
      worst = Math.max(worst, Math.abs(evaluate(model, x) - Math.sin(x)));
    }
    assert.ok(worst < TOLERANCE, `max |error| ${worst}`);
  });
});
