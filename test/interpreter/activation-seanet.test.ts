// The SEANet int16 single-op models (integration_tests/seanet) of the activation family (ADD,
// SUB, LEAKY_RELU), run on their shipped input CSVs. Expected: the shipped golden CSV where
// golden/seanet_check.json records it as TFLM's exact output, otherwise TFLM's own output in
// golden/seanet/<model>.tflm_output0.bin (sub0, sub1, sub3).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Interpreter } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import { SHARED } from '../support/paths.js';
import { readShared } from './golden.js';

const SEANET = 'models/tflm/integration_tests/seanet';
const OPS = ['add', 'sub', 'leaky_relu'];

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

function inputFiles(op: string, name: string): string[] {
  return fs.readdirSync(path.join(SHARED, SEANET, op))
    .filter((f) => f.startsWith(`${name}_input`) && f.endsWith('.csv'))
    .sort((a, b) => Number(/_input(\d+)_/.exec(a)?.[1]) - Number(/_input(\d+)_/.exec(b)?.[1]))
    .map((f) => `${SEANET}/${op}/${f}`);
}

function expectedOutput(op: string, name: string, check: SeanetCheck): number[] {
  if (check.result === 'exact') return readCsv(`${SEANET}/${op}/${name}_golden_int16.csv`);
  const bytes = readShared(`golden/seanet/${name}.tflm_output0.bin`);
  return Array.from(new Int16Array(bytes.slice().buffer));
}

describe('interpreter: SEANet activation-family models, bit-exact with TFLM', function () {
  for (const op of OPS) {
    const names = modelsOf(op);
    it(`${op}: finds the models`, function () {
      assert.ok(names.length > 0, `no models under ${SEANET}/${op}`);
    });
    for (const name of names) {
      it(`${op}/${name}`, function () {
        const check = checks.find((c) => c.model === `${SEANET}/${op}/${name}.tflite`);
        assert.ok(check, `${name} missing from seanet_check.json`);
        const interpreter = new Interpreter(loadModel(readShared(`${SEANET}/${op}/${name}.tflite`)));
        interpreter.allocate();
        const files = inputFiles(op, name);
        assert.equal(files.length, interpreter.inputCount);
        files.forEach((file, k) => interpreter.setInput(k, readCsv(file)));
        interpreter.invoke();
        const expected = expectedOutput(op, name, check);
        const produced = Array.from(interpreter.output(0).data as Int16Array);
        assert.equal(produced.length, expected.length);
        const differing = produced.filter((v, i) => v !== expected[i]).length;
        assert.equal(differing, 0, `${differing} of ${expected.length} elements differ; first at ${produced.findIndex((v, i) => v !== expected[i])}`);
      });
    }
  }
});
