// `tinyml inspect` on the TFLM reference models, checked against SOURCES.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SHARED } from '../support/paths.js';
import { type ModelFacts, readSourcesMd, type TensorFact } from '../model/sources-md.js';
import { runCli } from './run-cli.js';

interface IoJson {
  shape: number[];
  dtype: string;
  scale: number | null;
  zeroPoint: number | null;
}

interface ReportJson {
  model: { description: string; flashBytes: number | null; metadataNames: string[] };
  ops: { histogram: Record<string, number>; operators: { subgraph: number }[] };
  tensors: { subgraph: number; tensors: unknown[] }[];
  io: { subgraph: number; inputs: IoJson[]; outputs: IoJson[] }[];
}

function modelPath(facts: ModelFacts): string {
  return path.join(SHARED, 'models/tflm', facts.file);
}

/** SOURCES.md prints scales with 9 significant digits. */
function assertIo(actual: IoJson[], expected: TensorFact[], what: string): void {
  assert.equal(actual.length, expected.length, `${what} count`);
  expected.forEach((fact, i) => {
    assert.equal(actual[i].dtype, fact.dtype, `${what}[${i}] dtype`);
    assert.deepEqual(actual[i].shape, fact.shape, `${what}[${i}] shape`);
    if (fact.scale === null) {
      assert.equal(actual[i].scale, null, `${what}[${i}] should not be quantized`);
    } else {
      const scale = actual[i].scale;
      assert.ok(scale !== null && Math.abs(scale - fact.scale) <= Math.abs(fact.scale) * 1e-8, `${what}[${i}] scale ${scale} vs ${fact.scale}`);
      assert.equal(actual[i].zeroPoint, fact.zeroPoint, `${what}[${i}] zero point`);
    }
  });
}

/** Every fully described model, and the first of the SEANet single-op models for each op. */
function modelsToCheck(): ModelFacts[] {
  const all = [...readSourcesMd().values()];
  const seenOps = new Set<string>();
  return all.filter((facts) => {
    if (facts.description !== null) return true;
    const op = facts.opCodes?.[0];
    if (op === undefined || seenOps.has(op)) return false;
    seenOps.add(op);
    return true;
  });
}

describe('tinyml inspect', function () {
  it('shows the hello_world_int8 facts from SOURCES.md in its tables', async function () {
    const facts = readSourcesMd().get('examples/hello_world/models/hello_world_int8.tflite');
    assert.ok(facts, 'SOURCES.md describes hello_world_int8.tflite');
    const { code, stdout, stderr } = await runCli(['inspect', modelPath(facts)]);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    // SOURCES.md: "3x FULLY_CONNECTED", size 2704 B, input int8[1, 1] s=0.0244801156 zp=-128,
    // output int8[1, 1] s=0.00829095673 zp=5.
    assert.match(stdout, /\bFULLY_CONNECTED\s+3\b/);
    assert.match(stdout, /\b2,?704 B/);
    assert.match(stdout, /int8\[1, ?1\]/);
    assert.match(stdout, /s=0\.02448\d* zp=-128/);
    assert.match(stdout, /s=0\.00829\d* zp=5\b/);
    assert.match(stdout, /MLIR Converted\./);
  });

  const models = modelsToCheck();
  it('SOURCES.md describes the TFLM example models', function () {
    assert.ok(models.length >= 20, `only ${models.length} models to check`);
  });

  for (const facts of models) {
    it(`--json of ${facts.file} matches SOURCES.md`, async function () {
      const file = modelPath(facts);
      const { code, stdout, stderr } = await runCli(['inspect', '--json', file]);
      assert.equal(code, 0, stderr);
      const report = JSON.parse(stdout) as ReportJson;
      assert.equal(report.model.flashBytes, fs.statSync(file).size);
      if (facts.description !== null) assert.equal(report.model.description, facts.description);
      if (facts.metadataNames !== null) assert.deepEqual(report.model.metadataNames, facts.metadataNames);
      assert.equal(report.ops.operators.filter((op) => op.subgraph === 0).length, facts.operatorCount);
      if (facts.tensorCount !== null) assert.equal(report.tensors[0].tensors.length, facts.tensorCount);
      // The operator-code table may list codes no operator uses, never the other way round.
      const opCodes = new Set(facts.opCodes);
      for (const op of Object.keys(report.ops.histogram)) assert.ok(opCodes.has(op), `${op} not among ${facts.opCodes?.join(', ')}`);
      assertIo(report.io[0].inputs, facts.inputs, 'inputs');
      assertIo(report.io[0].outputs, facts.outputs, 'outputs');
    });
  }
});
