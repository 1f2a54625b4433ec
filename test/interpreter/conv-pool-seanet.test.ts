// The SEANet int16 single-op models (integration_tests/seanet) of the conv-pool family, run on
// their shipped input CSVs and compared element for element with the shipped golden CSVs, which
// golden/seanet_check.json records as bit-exact TFLM outputs for these ops.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import { SHARED } from '../support/paths.js';
import { readShared } from './golden.js';

const SEANET = 'models/tflm/integration_tests/seanet';

interface SeanetCheck {
  model: string;
  result: string;
}

const checks = (JSON.parse(Buffer.from(readShared('golden/seanet_check.json')).toString('utf8')) as { models: SeanetCheck[] }).models;

function readCsv(rel: string): number[] {
  return Buffer.from(readShared(rel)).toString('utf8').trim().split(',').map(Number);
}

/** The models of one op folder, in numeric order. */
function modelsOf(op: string): string[] {
  return fs.readdirSync(path.join(SHARED, SEANET, op))
    .filter((f) => f.endsWith('.tflite'))
    .map((f) => f.replace(/\.tflite$/, ''))
    .sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')));
}

function inputFiles(op: string, name: string): string[] {
  return fs.readdirSync(path.join(SHARED, SEANET, op))
    .filter((f) => f.startsWith(`${name}_input`) && f.endsWith('.csv'))
    .sort()
    .map((f) => `${SEANET}/${op}/${f}`);
}

describe('interpreter: SEANet conv-pool models, bit-exact with TFLM', function () {
  for (const op of ['conv', 'transpose_conv']) {
    const names = modelsOf(op);
    it(`${op}: finds the models`, function () {
      assert.ok(names.length > 0, `no models under ${SEANET}/${op}`);
    });
    for (const name of names) {
      it(`${op}/${name}`, function () {
        const check = checks.find((c) => c.model === `${SEANET}/${op}/${name}.tflite`);
        assert.equal(check?.result, 'exact', `${name}: seanet_check.json does not list the golden CSV as exact`);
        const interpreter = new Interpreter(loadModel(readShared(`${SEANET}/${op}/${name}.tflite`)));
        interpreter.allocate();
        inputFiles(op, name).forEach((file, k) => interpreter.setInput(k, readCsv(file)));
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
