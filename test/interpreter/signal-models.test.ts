// The micro_speech audio preprocessors (TFLM Signal custom ops, then CAST, MUL, ADD, DIV,
// MINIMUM, MAXIMUM) against TFLM's goldens in ../shared/golden: every case byte for byte, the
// float32 model's output included, and the 49-frame stream in one interpreter, where the
// spectral subtraction's noise estimate carries from frame to frame.
import assert from 'node:assert/strict';
import path from 'node:path';
import { inspect } from '../../lib/inspect/index.js';
import { Interpreter } from '../../lib/interpreter/index.js';
import { SHARED } from '../support/paths.js';
import { runCli } from '../cli/run-cli.js';
import { expectedOutputs, goldenModel, readGolden, readShared, runCase, type GoldenCase } from './golden.js';

const MODELS = ['audio_preprocessor_int8', 'audio_preprocessor_float'];

function firstDifference(produced: Uint8Array, expected: Uint8Array): string {
  const index = produced.findIndex((byte, i) => byte !== expected[i]);
  return index < 0 ? 'lengths differ' : `first difference at byte ${index}`;
}

function caseNamed(cases: GoldenCase[], name: string): GoldenCase {
  const found = cases.find((c) => c.case === name);
  assert.ok(found !== undefined, `golden case ${name}`);
  return found;
}

/** The output bytes of one invoke on the frame's input bytes. */
function invokeOn(interpreter: Interpreter, input: Uint8Array): number[] {
  const target = interpreter.input(0).data;
  new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(input);
  interpreter.invoke();
  const out = interpreter.output(0).data;
  return Array.from(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
}

describe('interpreter: audio preprocessors (TFLM Signal ops) against TFLM goldens', function () {
  for (const name of MODELS) {
    describe(name, function () {
      const golden = readGolden(name);
      const model = goldenModel(golden);

      it('has the four golden cases, the 49-frame stream among them', function () {
        assert.deepEqual(golden.cases.map((c) => c.case).sort(), ['no_30ms', 'seed1', 'yes_1000ms_stream', 'yes_30ms']);
        assert.equal(caseNamed(golden.cases, 'yes_1000ms_stream').frames, 49);
      });

      for (const testCase of golden.cases) {
        it(`${testCase.case}: ${testCase.frames} frame(s) byte-equal`, function () {
          const produced = runCase(model, testCase);
          const expected = expectedOutputs(testCase);
          assert.equal(produced.length, expected.length);
          produced.forEach((out, k) => {
            assert.equal(out.byteLength, expected[k].byteLength, `output ${k} length`);
            assert.ok(Buffer.from(out).equals(Buffer.from(expected[k])), `output ${k}: ${firstDifference(out, expected[k])}`);
          });
        });
      }

      it('state: a second invoke on the same frame differs, reset() brings back the first', function () {
        const testCase = caseNamed(golden.cases, 'yes_30ms');
        const input = readShared(path.join('golden', testCase.inputs[0].file));
        const expected = Array.from(expectedOutputs(testCase)[0]);
        const interpreter = new Interpreter(model);
        interpreter.allocate();
        assert.deepEqual(invokeOn(interpreter, input), expected);
        // The noise estimate now holds this frame's smoothed energy, so less of it remains.
        assert.notDeepEqual(invokeOn(interpreter, input), expected);
        interpreter.reset();
        assert.deepEqual(invokeOn(interpreter, input), expected);
      });

      it('profile() names the custom ops by their code', function () {
        const interpreter = new Interpreter(model);
        interpreter.allocate();
        interpreter.invoke();
        const ops = interpreter.profile().map((p) => p.op);
        assert.deepEqual(ops.slice(0, 5), ['SignalWindow', 'RESHAPE', 'SignalFftAutoScale', 'SignalRfft', 'SignalEnergy']);
      });

      it('arena: ours within TFLM\'s arena_used_bytes on x86-64, and what inspect reports', function () {
        const interpreter = new Interpreter(model);
        interpreter.allocate();
        const report = inspect(model);
        assert.equal(report.model.arenaNote, null);
        assert.equal(report.model.arenaBytes, interpreter.arenaUsedBytes);
        assert.ok(golden.arena_used_bytes_x86_64 !== null);
        assert.ok(interpreter.arenaUsedBytes > 0 && interpreter.arenaUsedBytes <= golden.arena_used_bytes_x86_64,
          `ours ${interpreter.arenaUsedBytes} B, TFLM ${golden.arena_used_bytes_x86_64} B`);
        this.test!.title += ` (ours ${interpreter.arenaUsedBytes} B, TFLM x86-64 ${golden.arena_used_bytes_x86_64} B)`;
      });

      it('tinyml inspect shows the planned arena, not unsupported ops', async function () {
        const interpreter = new Interpreter(model);
        interpreter.allocate();
        const { code, stdout, stderr } = await runCli(['inspect', path.join(SHARED, golden.model)]);
        assert.equal(code, 0, stderr);
        const arenaLine = stdout.split('\n').find((line) => line.trimStart().startsWith('arena (RAM)'));
        assert.ok(arenaLine !== undefined && arenaLine.includes(`${interpreter.arenaUsedBytes.toLocaleString('en-US')} B`), arenaLine);
        assert.doesNotMatch(stdout, /unsupported ops/);
      });
    });
  }
});
