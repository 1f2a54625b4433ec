// `tinyml run` against TFLM's goldens (../shared/golden): the same inputs must give the same bytes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, SHARED } from '../support/paths.js';
import { isOneLine, runCli } from './run-cli.js';

const GOLDEN = path.join(SHARED, 'golden');
const HELLO_INT8 = path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_int8.tflite');
const HELLO_FLOAT = path.join(SHARED, 'models/tflm/examples/hello_world/models/hello_world_float.tflite');

describe('tinyml run', function () {
  let dir = '';
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-run-'));
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--random 1 reproduces the golden seed1 case byte for byte (TFLM makes the same mulberry32 input)', async function () {
    const result = await runCli(['run', HELLO_INT8, '--random', '1', '--out', path.join(dir, 'seed1')]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'seed1', 'output0.bin')), fs.readFileSync(path.join(GOLDEN, 'hello_world_int8.seed1.output0.bin')));
  });

  it('runs the 4 frames of test_inputs and prints TFLM\'s values 89 125 93 4', async function () {
    const input = path.join(GOLDEN, 'hello_world_int8.test_inputs.input0.bin');
    const result = await runCli(['run', HELLO_INT8, '-i', input, '--out', path.join(dir, 'ti'), '--json', '--profile', '--runs', '5']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'ti', 'output0.bin')), fs.readFileSync(path.join(GOLDEN, 'hello_world_int8.test_inputs.output0.bin')));
    const report = JSON.parse(result.stdout) as {
      frames: number; arenaUsedBytes: number;
      outputs: Array<{ frames: Array<{ values: number[]; dequantized: number[] | null }> }>;
      profile: Array<{ op: string; macs: number }>;
      timing: { runs: number; medianMs: number };
    };
    assert.equal(report.timing.runs, 5);
    assert.equal(report.arenaUsedBytes, 32);
    assert.equal(report.frames, 4);
    assert.deepEqual(report.outputs[0].frames.map((f) => f.values[0]), [89, 125, 93, 4]);
    // Dequantized with the output's parameters from SOURCES.md: s=0.00829095673, zp=5.
    assert.ok(Math.abs((report.outputs[0].frames[0].dequantized?.[0] ?? NaN) - (89 - 5) * 0.00829095673) < 1e-6);
    assert.deepEqual(report.profile.map((p) => [p.op, p.macs]), [['FULLY_CONNECTED', 16], ['FULLY_CONNECTED', 256], ['FULLY_CONNECTED', 16]]);
  });

  it('takes JSON numbers for a float model and approximates sin(x)', async function () {
    const input = path.join(dir, 'x.json');
    fs.writeFileSync(input, JSON.stringify([[0.5], [1.5], [3]]));
    const result = await runCli(['run', path.join(REPO_ROOT, 'models/sine_float.tflite'), '-i', input, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const values = (JSON.parse(result.stdout) as { outputs: Array<{ frames: Array<{ values: number[] }> }> }).outputs[0].frames.map((f) => f.values[0]);
    [0.5, 1.5, 3].forEach((x, i) => assert.ok(Math.abs(values[i] - Math.sin(x)) < 0.05, `sin(${x}) ~ ${values[i]}`));
  });

  it('matches the float golden within 1e-5 relative', async function () {
    const out = path.join(dir, 'float', 'output0.bin');
    const result = await runCli(['run', HELLO_FLOAT, '-i', path.join(GOLDEN, 'hello_world_float.sweep.input0.bin'), '--out', path.join(dir, 'float')]);
    assert.equal(result.code, 0, result.stderr);
    const ours = new Float32Array(new Uint8Array(fs.readFileSync(out)).buffer);
    const gold = new Float32Array(new Uint8Array(fs.readFileSync(path.join(GOLDEN, 'hello_world_float.sweep.output0.bin'))).buffer);
    assert.equal(ours.length, gold.length);
    gold.forEach((g, i) => assert.ok(Math.abs(ours[i] - g) <= 1e-5 * Math.max(1e-1, Math.abs(g)), `value ${i}: ${ours[i]} vs ${g}`));
  });

  it('refuses input bytes that are not whole frames (one line, exit 1) and --input with --random (exit 2)', async function () {
    const odd = path.join(dir, 'odd.bin');
    fs.writeFileSync(odd, new Uint8Array(3));
    const partial = await runCli(['run', HELLO_FLOAT, '-i', odd]);
    assert.equal(partial.code, 1);
    assert.ok(isOneLine(partial.stderr), partial.stderr);
    assert.match(partial.stderr, /input 0 .*float32\[1,1\], 4 bytes a frame\): 3 bytes is not a whole number of frames/);

    const both = await runCli(['run', HELLO_INT8, '-i', odd, '--random', '2']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--input or --random, not both/);
  });
});
