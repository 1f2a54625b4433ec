// `tinyml firmware`: writes the project (or TFLM's with --tflm), measures it with --size, and
// refuses with exit codes: 1 for a model that cannot go on the board, 2 for usage.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findTool } from '../../lib/deploy/emulators/index.js';
import { SHARED } from '../support/paths.js';
import { runCli } from './run-cli.js';

const HELLO = path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite');
const PERSON = path.join(SHARED, 'models/tflm/models/person_detect.tflite');

describe('tinyml firmware', function () {
  this.timeout(60000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-cli-fw-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the runtime project for the Uno: Makefile, model array, Arduino sketch, platformio.ini', async () => {
    const out = path.join(dir, 'hello');
    const result = await runCli(['firmware', HELLO, '--board', 'uno', '-o', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^wrote \d+ files to .*: tinyml runtime project hello_world_int8 for Arduino Uno\n$/);
    for (const f of ['Makefile', 'README.md', 'src/hello_world_int8_model.c', 'src/tm_ops.c', 'runtime/tm_runtime.c',
      'arduino/hello_world_int8/hello_world_int8.ino', 'arduino/libraries/tinyml/library.properties', 'platformio.ini']) {
      assert.ok(fs.existsSync(path.join(out, f)), f);
    }
  });

  it('--tflm writes a TFLM sketch instead', async () => {
    const out = path.join(dir, 'tflm');
    const result = await runCli(['firmware', HELLO, '--board', 'nano33ble', '--tflm', '-o', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.readdirSync(out, { recursive: true }).some((f) => String(f).endsWith('.ino')));
    assert.ok(!fs.existsSync(path.join(out, 'runtime')));
  });

  it('--size builds for the Cortex-M3 and prints flash / RAM per part', async function () {
    if (findTool('arm-none-eabi-gcc') === undefined || findTool('make') === undefined) this.skip();
    const result = await runCli(['firmware', HELLO, '--board', 'qemu-mps2-an385', '--size']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^model\s+board\s+core\s+kernels\s+model data\s+app \+ board\s+total\s+arena$/m);
    assert.match(result.stdout, /^hello_world_int8\s+qemu-mps2-an385\s+\d+ \/ \d+\s+\d+ \/ 0\s+\d+ \/ 0\s+\d+ \/ \d+\s+\d+ \/ \d+\s+\d+$/m);
  });

  it('person_detect on the Uno: exit 1, does not fit', async () => {
    const result = await runCli(['firmware', PERSON, '--board', 'uno', '-o', path.join(dir, 'person')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /person_detect\.tflite: person_detect on Arduino Uno: does not fit: .*Arduino Uno has 2 KB/);
    assert.ok(!fs.existsSync(path.join(dir, 'person')), 'nothing written');
  });

  it('usage errors: no -o nor --size, an unknown board', async () => {
    const none = await runCli(['firmware', HELLO, '--board', 'uno']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give -o DIR to write the project, or --size to measure it/);
    const unknown = await runCli(['firmware', HELLO, '--board', 'nope', '-o', path.join(dir, 'x')]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown board 'nope': known boards are uno, /);
  });
});
