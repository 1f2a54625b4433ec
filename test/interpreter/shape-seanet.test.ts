// The SEANet int16 single-op models (integration_tests/seanet) of the shape family (PAD,
// STRIDED_SLICE), run on their shipped input CSVs and compared element for element with the
// shipped golden CSVs, which golden/seanet_check.json records as TFLM's exact outputs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import { SHARED } from '../support/paths.js';
import { readShared } from './golden.js';

const SEANET = 'models/tflm/integration_tests/seanet';
const OPS = ['pad', 'strided_slice'];

interface SeanetCheck {
  model: string;
  result: string;
}

const checks = (JSON.parse(Buffer.from(readShared('golden/seanet_check.json')).toString('utf8')) as { models: SeanetCheck[] }).models;

function readCsv(rel: string): number[] {
  return Buffer.from(readShared(rel)).toString('utf8').trim().split(',').map(Number);
}

function modelsOf(op: string): string[] {
  return fs.readdirSync(path.join(SHARED, SEANET, op))
    .filter((f) => f.endsWith('.tflite'))
    .map((f) => f.replace(/\.tflite$/, ''))
    .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
}

describe('interpreter: SEANet shape-family models, bit-exact with TFLM', function () {
  for (const op of OPS) {
    const names = modelsOf(op);
    it(`${op}: finds the models`, function () {
      assert.ok(names.length > 0, `no models under ${SEANET}/${op}`);
    });
    for (const name of names) {
      it(`${op}/${name}`, function () {
        const check = checks.find((c) => c.model === `${SEANET}/${op}/${name}.tflite`);
        assert.ok(check, `${name} missing from seanet_check.json`);
        assert.equal(check.result, 'exact', `${name}: the shipped golden is not TFLM's exact output`);
        const interpreter = new Interpreter(loadModel(readShared(`${SEANET}/${op}/${name}.tflite`)));
        interpreter.allocate();
        assert.equal(interpreter.inputCount, 1);
        interpreter.setInput(0, readCsv(`${SEANET}/${op}/${name}_input0_int16.csv`));
        interpreter.invoke();
        const expected = readCsv(`${SEANET}/${op}/${name}_golden_int16.csv`);
        const produced = Array.from(interpreter.output(0).data as Int16Array);
        assert.equal(produced.length, expected.length);
        const differing = produced.filter((v, i) => v !== expected[i]).length;
        assert.equal(differing, 0, `${differing} of ${expected.length} elements differ; first at ${produced.findIndex((v, i) => v !== expected[i])}`);
      });
    }
  }
});
