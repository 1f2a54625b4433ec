// The committed lib/model/schema must be exactly what `npm run gen:schema` makes from
// ../shared/spec/tflite_schema.fbs, and the runtime it was generated for must be the one installed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

describe('generated schema (npm run gen:schema)', function () {
  let outDir = '';

  before(function (done) {
    this.timeout(60000);
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-schema-'));
    execFile(process.execPath, [path.join(REPO_ROOT, 'scripts/gen-schema.mjs'), '--out', outDir], (err) => done(err ?? undefined));
  });

  after(function () {
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('regenerates lib/model/schema identically', function () {
    const committedDir = path.join(REPO_ROOT, 'lib/model/schema');
    const committed = listFiles(committedDir).sort();
    const fresh = listFiles(outDir).sort();
    assert.deepEqual(fresh, committed);
    assert.ok(committed.length > 150, `only ${committed.length} generated files`);
    for (const f of committed) {
      assert.ok(fs.readFileSync(path.join(outDir, f)).equals(fs.readFileSync(path.join(committedDir, f))), `${f} differs`);
    }
  });

  it('pairs with the flatbuffers 25.9.23 runtime', function () {
    const runtime = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/flatbuffers/package.json'), 'utf8')) as { version: string };
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(runtime.version, '25.9.23');
    assert.equal(pkg.dependencies.flatbuffers, '25.9.23');
  });
});
