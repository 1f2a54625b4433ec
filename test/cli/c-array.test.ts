// `tinyml c-array` and `tinyml from-c-array` against the real xxd and g++.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED } from '../support/paths.js';
import { runCli, runTool } from './run-cli.js';

const HELLO_DIR = path.join(SHARED, 'models/tflm/examples/hello_world/models');
const HELLO = 'hello_world_int8.tflite';
/** Small and large models; none is a multiple of 12 bytes, so xxd's last line is a short one. */
const XXD_MODELS = [
  path.join(HELLO_DIR, HELLO), // 2704 B
  path.join(HELLO_DIR, 'hello_world_float.tflite'), // 3164 B
  path.join(SHARED, 'models/tflm/examples/memory_footprint/models/simple_add_model.tflite'), // 976 B
  path.join(SHARED, 'models/tflm/models/person_detect.tflite'), // 300568 B
];

describe('tinyml c-array / from-c-array', function () {
  let tmp = '';

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-cli-'));
  });

  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  for (const model of XXD_MODELS) {
    it(`--xxd prints what xxd -i prints for ${path.basename(model)}`, async function () {
      const cwd = path.dirname(model);
      const name = path.basename(model);
      const expected = await runTool('xxd', ['-i', name], { cwd });
      assert.equal(expected.code, 0, expected.stderr);
      const ours = await runCli(['c-array', name, '--xxd'], { cwd });
      assert.equal(ours.code, 0, ours.stderr);
      assert.ok(ours.stdout === expected.stdout, `differs from xxd -i ${name}`);
    });
  }

  it('--xxd names a file starting with a digit as xxd does', async function () {
    const name = '1st-model.bin';
    fs.writeFileSync(path.join(tmp, name), Uint8Array.from({ length: 25 }, (_, i) => (i * 37) & 255));
    const expected = await runTool('xxd', ['-i', name], { cwd: tmp });
    const ours = await runCli(['c-array', name, '--xxd'], { cwd: tmp });
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, expected.stdout);
    assert.match(ours.stdout, /^unsigned char __1st_model_bin\[\]/);
  });

  it('-o writes a source and header that g++ compiles, links and that hold the model', async function () {
    const out = path.join(tmp, 'firmware');
    const model = path.join(HELLO_DIR, HELLO);
    const gen = await runCli(['c-array', model, '-o', path.join(out, 'model.cc'), '--name', 'g_model']);
    assert.equal(gen.code, 0, gen.stderr);
    assert.ok(fs.existsSync(path.join(out, 'model.h')), 'header written next to the source');
    // A program that writes the array back out and fails unless it is 16-byte aligned (TFLM reads in place).
    fs.writeFileSync(path.join(out, 'main.cc'), [
      '#include <cstdint>',
      '#include <cstdio>',
      '#include "model.h"',
      'int main(int argc, char** argv) {',
      '  if (argc != 2) return 2;',
      '  FILE* f = std::fopen(argv[1], "wb");',
      '  if (!f || std::fwrite(g_model, 1, g_model_len, f) != g_model_len) return 3;',
      '  std::fclose(f);',
      '  return reinterpret_cast<std::uintptr_t>(g_model) % 16 == 0 ? 0 : 4;',
      '}',
      '',
    ].join('\n'));
    const cc = await runTool('g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-c', 'model.cc', '-o', 'model.o'], { cwd: out });
    assert.equal(cc.code, 0, cc.stderr);
    const link = await runTool('g++', ['-std=c++11', '-Wall', '-Werror', 'main.cc', 'model.o', '-o', 'dump'], { cwd: out });
    assert.equal(link.code, 0, link.stderr);
    const dumped = path.join(out, 'dumped.tflite');
    const run = await runTool(path.join(out, 'dump'), [dumped]);
    assert.equal(run.code, 0, `dump exited ${run.code}`);
    assert.ok(fs.readFileSync(dumped).equals(fs.readFileSync(model)), 'the linked array differs from the model');
  });

  it('--header in another folder is #included by a path relative to the source', async function () {
    const model = path.join(HELLO_DIR, HELLO);
    const gen = await runCli(['c-array', model, '-o', 'src/m.cc', '--header', 'include/m.h'], { cwd: tmp });
    assert.equal(gen.code, 0, gen.stderr);
    assert.match(fs.readFileSync(path.join(tmp, 'src/m.cc'), 'utf8'), /#include "\.\.\/include\/m\.h"/);
    const cc = await runTool('g++', ['-std=c++11', '-Wall', '-Werror', '-c', path.join(tmp, 'src/m.cc'), '-o', path.join(tmp, 'm.o')]);
    assert.equal(cc.code, 0, cc.stderr);
  });

  it('from-c-array turns xxd -i output back into the model, byte for byte', async function () {
    const xxd = await runTool('xxd', ['-i', HELLO], { cwd: HELLO_DIR });
    const source = path.join(tmp, 'from-xxd.h');
    fs.writeFileSync(source, xxd.stdout);
    const out = path.join(tmp, 'from-xxd.tflite');
    const { code, stdout, stderr } = await runCli(['from-c-array', source, '-o', out]);
    assert.equal(code, 0, stderr);
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(path.join(HELLO_DIR, HELLO))));
    // SOURCES.md: 3 operators, 10 tensors.
    assert.match(stdout, /valid model.*3 operators, 10 tensors/);
  });

  it('from-c-array --name picks one of several arrays', async function () {
    const source = path.join(tmp, 'two.h');
    const xxd = await runTool('xxd', ['-i', HELLO], { cwd: HELLO_DIR });
    fs.writeFileSync(source, `unsigned char other[] = { 1, 2, 3 };\n${xxd.stdout}`);
    const out = path.join(tmp, 'picked.tflite');
    const { code, stderr } = await runCli(['from-c-array', source, '-o', out, '--name', 'hello_world_int8_tflite']);
    assert.equal(code, 0, stderr);
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(path.join(HELLO_DIR, HELLO))));
  });

  it('from-c-array refuses bytes that are not a model unless --no-validate', async function () {
    const source = path.join(tmp, 'blob.h');
    fs.writeFileSync(source, 'const unsigned char blob[] = { 0x01, 0x02, 0x03 };\n');
    const out = path.join(tmp, 'blob.bin');
    const refused = await runCli(['from-c-array', source, '-o', out]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^error: .*blob\.h.* not a valid model: .*--no-validate/);
    assert.ok(!fs.existsSync(out), 'nothing written for an invalid model');
    const forced = await runCli(['from-c-array', source, '-o', out, '--no-validate']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual([...fs.readFileSync(out)], [1, 2, 3]);
  });
});
