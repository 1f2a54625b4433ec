import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TFLM_OPS, TFLM_OPS_SOURCE } from '../../lib/inspect/tflm-ops.js';
import { BuiltinOperator } from '../../lib/model/schema/tflite.js';
import { REPO_ROOT, SHARED } from '../support/paths.js';

interface SpecOp { kind: string; name?: string; custom_name?: string; builtin_code?: number; input_types: string[] }
const spec = JSON.parse(fs.readFileSync(path.join(SHARED, 'spec/tflm_ops.json'), 'utf8')) as {
  commit: string; count: number; builtin_count: number; custom_count: number; ops: SpecOp[];
};

describe('lib/inspect/tflm-ops.ts (npm run gen:tflm-ops)', function () {
  it('regenerates identically', function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tflm-ops-'));
    try {
      const out = path.join(dir, 'tflm-ops.ts');
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/gen-tflm-ops.mjs'), '--out', out], { stdio: 'pipe' });
      assert.equal(fs.readFileSync(out, 'utf8'), fs.readFileSync(path.join(REPO_ROOT, 'lib/inspect/tflm-ops.ts'), 'utf8'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds every op of tflm_ops.json, with the counts it states', function () {
    assert.equal(TFLM_OPS_SOURCE.commit, spec.commit);
    assert.equal(TFLM_OPS.length, spec.count);
    assert.equal(TFLM_OPS.filter((o) => o.kind === 'builtin').length, spec.builtin_count);
    assert.equal(TFLM_OPS.filter((o) => o.kind === 'custom').length, spec.custom_count);
    spec.ops.forEach((op, i) => {
      assert.equal(TFLM_OPS[i].name, op.kind === 'builtin' ? op.name : op.custom_name);
      assert.deepEqual(TFLM_OPS[i].inputTypes, op.input_types);
    });
  });

  it('agrees with the schema on builtin names and codes', function () {
    for (const op of TFLM_OPS.filter((o) => o.kind === 'builtin')) {
      assert.equal((BuiltinOperator as unknown as Record<string, number>)[op.name], op.builtinCode, op.name);
    }
  });
});
