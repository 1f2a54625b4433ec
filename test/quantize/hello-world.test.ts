// TFLM's hello_world: its float model quantized by us over x in [0, 2π] against TFLM's shipped
// int8 model (made by TF's converter), both scored against sin(x) on the same grid.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadModel } from '../../lib/model/read.js';
import { writeModel } from '../../lib/model/write.js';
import { quantizeFullInteger } from '../../lib/quantize/full-integer.js';
import type { Sample } from '../../lib/quantize/types.js';
import { SHARED } from '../support/paths.js';
import { runModel } from './support.js';

const MODELS = path.join(SHARED, 'models/tflm/examples/hello_world/models');

function grid(count: number): Sample[] {
  return Array.from({ length: count }, (_, i) => [Float32Array.of((2 * Math.PI * i) / (count - 1))]);
}

function maeAgainstSine(outputs: Float64Array[], xs: Sample[]): number {
  return outputs.reduce((sum, out, i) => sum + Math.abs(out[0] - Math.sin(xs[i][0][0])), 0) / outputs.length;
}

describe('quantize: hello_world against TFLM\'s shipped int8 model', () => {
  it('our int8 model\'s MAE against sin(x) on a 1000-point grid is ≤ 1.1 × that of hello_world_int8.tflite', () => {
    const floatModel = loadModel(new Uint8Array(fs.readFileSync(path.join(MODELS, 'hello_world_float.tflite'))));
    const tfliteInt8 = new Uint8Array(fs.readFileSync(path.join(MODELS, 'hello_world_int8.tflite')));
    // 500 evenly spaced calibration points over [0, 2π]; the evaluation grid is a different one.
    const ours = quantizeFullInteger(floatModel, { mode: 'int8', representative: grid(500), perChannelFullyConnected: true });
    const xs = grid(1000);
    const maeOurs = maeAgainstSine(runModel(loadModel(writeModel(ours.model)), xs), xs);
    const maeTflm = maeAgainstSine(runModel(tfliteInt8, xs), xs);
    const maeFloat = maeAgainstSine(runModel(floatModel, xs), xs);
    console.log(`      hello_world MAE vs sin(x): ours ${maeOurs.toFixed(5)}, TFLM's int8 ${maeTflm.toFixed(5)}, float ${maeFloat.toFixed(5)}`);
    assert.ok(maeOurs <= 1.1 * maeTflm, `ours ${maeOurs} vs TFLM's ${maeTflm}`);
  });
});
