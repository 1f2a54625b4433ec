// preserveAllTensors (TFLite's experimental_preserve_all_tensors): every intermediate tensor keeps
// its values after invoke(), for calibration and per-tensor reports. Checked on TFLM's hello_world
// float model (FC 1→16 ReLU, FC 16→16 ReLU, FC 16→1) against the layers computed here in float64
// straight from the model's weights, and against the model's golden output.
import assert from 'node:assert/strict';
import { Interpreter } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { readShared } from './golden.js';

const MODEL = 'models/tflm/examples/hello_world/models/hello_world_float.tflite';

/** y = relu?(W x + b) for a FULLY_CONNECTED operator, W as [units, inputs] row-major (TFLite's layout). */
function denseLayer(model: Model, interpreter: Interpreter, operatorIndex: number, x: number[]): number[] {
  const operator = model.subgraphs[0].operators[operatorIndex];
  const weights = interpreter.tensor(operator.inputs[1]).data as Float32Array;
  const bias = interpreter.tensor(operator.inputs[2]).data as Float32Array;
  const relu = operator.op === 'FULLY_CONNECTED' && JSON.stringify(operator.builtinOptions).includes('"fusedActivationFunction":1');
  return Array.from(bias, (b, unit) => {
    let sum = b;
    x.forEach((v, k) => { sum += weights[unit * x.length + k] * v; });
    return relu ? Math.max(0, sum) : sum;
  });
}

describe('interpreter: preserveAllTensors', function () {
  const model = loadModel(readShared(MODEL));

  it('keeps every intermediate tensor of hello_world_float readable after invoke()', function () {
    const interpreter = new Interpreter(model, { preserveAllTensors: true });
    interpreter.allocate();
    const x = 1.25;
    interpreter.setInput(0, [x]);
    interpreter.invoke();
    let values = [x];
    model.subgraphs[0].operators.forEach((operator, i) => {
      values = denseLayer(model, interpreter, i, values);
      const produced = Array.from(interpreter.tensor(operator.outputs[0]).data as Float32Array);
      produced.forEach((v, k) => assert.ok(Math.abs(v - values[k]) <= 1e-5 * Math.max(1, Math.abs(values[k])), `operator ${i} unit ${k}: ${v} vs ${values[k]}`));
    });
    // sin(1.25) = 0.949; the model is a rough fit.
    assert.ok(Math.abs((interpreter.output(0).data as Float32Array)[0] - Math.sin(x)) < 0.1);
  });

  it('gives the same outputs as the shared plan, with a larger arena', function () {
    const shared = new Interpreter(model);
    const preserved = new Interpreter(model, { preserveAllTensors: true });
    shared.allocate();
    preserved.allocate();
    for (const x of [0, 0.5, 3, 6]) {
      shared.setInput(0, [x]);
      preserved.setInput(0, [x]);
      shared.invoke();
      preserved.invoke();
      assert.deepEqual(Array.from(preserved.output(0).data as Float32Array), Array.from(shared.output(0).data as Float32Array));
    }
    // Shared: two 16-float activations alive at once at most (128 B); preserved: 1 + 16 + 16 + 1 floats, each 16-byte aligned.
    assert.equal(shared.arenaUsedBytes, 128);
    assert.equal(preserved.arenaUsedBytes, 16 + 64 + 64 + 16);
  });

  it('refuses a tensor index the subgraph does not have', function () {
    const interpreter = new Interpreter(model);
    assert.throws(() => interpreter.tensor(99), /no tensor 99 in subgraph 0/);
  });
});
