// `tinyml quantize` as a user runs it: the built CLI in a child process, TensorFlow's sample files
// (../shared/golden/tf) in, TensorFlow's own int8 model as the bar for the error.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModel } from '../../lib/model/read.js';
import type { QuantizeReport } from '../../lib/quantize/types.js';
import { GOLDEN_TF, KERAS_MODELS, goldenSamples, kerasModel, meanAbsError, runModel } from '../quantize/support.js';
import { isOneLine, runCli } from './run-cli.js';

const SINE = path.join(KERAS_MODELS, 'sine_mlp.float.tflite');
const SINE_REP = path.join(GOLDEN_TF, 'sine_mlp.representative.f32');
const SINE_EVAL = path.join(GOLDEN_TF, 'sine_mlp.eval.f32');

describe('tinyml quantize', function () {
  this.timeout(60000);
  let tmp = '';

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-cli-quantize-'));
  });

  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('writes an int8 model with TF\'s accuracy and prints the report tables', async function () {
    const out = path.join(tmp, 'new/dir/sine_int8.tflite');
    const r = await runCli(['quantize', SINE, '--mode', 'int8', '--data', SINE_REP, '--eval', SINE_EVAL, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Quantization: int8, full integer/);
    assert.match(r.stdout, /Error against the float model \(50 evaluation samples\)/);
    assert.match(r.stdout, new RegExp(`wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ bytes\\)\\n$`));
    const bytes = new Uint8Array(fs.readFileSync(out));
    const model = loadModel(bytes);
    assert.equal(model.subgraphs[0].tensors[model.subgraphs[0].inputs[0]].dtype, 'int8');
    const evaluation = goldenSamples('sine_mlp', 'eval');
    const reference = runModel(kerasModel('sine_mlp', 'float'), evaluation);
    const ours = meanAbsError(runModel(bytes, evaluation), reference);
    const tf = meanAbsError(runModel(kerasModel('sine_mlp', 'int8'), evaluation), reference);
    assert.ok(ours <= 1.1 * tf, `MAE ${ours} > 1.1 x TF's ${tf}`);
  });

  it('--json, --io float, --per-tensor-fc, --labels: the report as JSON for a classifier', async function () {
    const out = path.join(tmp, 'kws.tflite');
    const r = await runCli([
      'quantize', path.join(KERAS_MODELS, 'kws_dscnn_tiny.float.tflite'), '--mode', 'int8', '--io', 'float', '--per-tensor-fc',
      '--data', path.join(GOLDEN_TF, 'kws_dscnn_tiny.representative.f32'), '--eval', path.join(GOLDEN_TF, 'kws_dscnn_tiny.eval.f32'),
      '--labels', path.join(GOLDEN_TF, 'kws_dscnn_tiny.eval_labels.json'), '-o', out, '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { output: string; bytes: number; report: QuantizeReport };
    assert.equal(parsed.output, out);
    assert.equal(parsed.bytes, fs.statSync(out).size);
    assert.equal(parsed.report.samples, 50);
    assert.ok(parsed.report.top1Agreement !== null && parsed.report.top1Agreement >= 0.9);
    assert.ok(parsed.report.accuracyQuantized !== null);
    const model = loadModel(new Uint8Array(fs.readFileSync(out)));
    const graph = model.subgraphs[0];
    assert.equal(graph.tensors[graph.inputs[0]].dtype, 'float32');
    assert.equal(graph.tensors[graph.outputs[0]].dtype, 'float32');
    const fcWeights = graph.operators.filter((op) => op.op === 'FULLY_CONNECTED').map((op) => graph.tensors[op.inputs[1]]);
    assert.ok(fcWeights.length > 0);
    for (const w of fcWeights) assert.equal(w.quantization?.scale.length, 1, w.name);
  });

  it('dynamic mode needs no samples', async function () {
    const out = path.join(tmp, 'sine_dynamic.tflite');
    const r = await runCli(['quantize', SINE, '--mode', 'dynamic', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Quantization: dynamic/);
    assert.ok(fs.existsSync(out));
  });

  describe('bad input: exit code 1, one line naming the cause, nothing written', function () {
    const write = (name: string, contents: string | Uint8Array): string => {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, contents);
      return file;
    };
    const cases: [string, () => string[], RegExp][] = [
      ['an already-quantized model', () => ['quantize', path.join(KERAS_MODELS, 'sine_mlp.int8.tflite'), '--data', SINE_REP], /already quantized: tensor \d+ .* is int8/],
      ['an empty data file', () => ['quantize', SINE, '--data', write('empty.json', '')], /empty\.json: the file is empty, no samples/],
      ['an empty set of samples', () => ['quantize', SINE, '--data', write('none.json', '[]')], /none\.json: no samples/],
      ['samples of the wrong size', () => ['quantize', SINE, '--data', write('wide.json', '[[1, 2]]')], /wide\.json sample 0: 2 values, the input .* takes 1/],
      ['NaN in a sample', () => ['quantize', SINE, '--data', write('nan.csv', '0.5\nnan\n')], /nan\.csv line 2 \(sample 1\), element 0 is NaN/],
      ['a missing data file', () => ['quantize', SINE, '--data', path.join(tmp, 'missing.npy')], /cannot read representative data .*missing\.npy: no such file or directory/],
      ['labels that are not JSON', () => ['quantize', SINE, '--data', SINE_REP, '--labels', write('labels.json', '{')], /labels\.json: not valid JSON/],
    ];
    for (const [what, args, pattern] of cases) {
      it(what, async function () {
        const out = path.join(tmp, `${what.replace(/\W+/g, '_')}.tflite`);
        const r = await runCli([...args(), '--mode', 'int8', '-o', out]);
        assert.equal(r.code, 1, r.stderr);
        assert.ok(isOneLine(r.stderr), r.stderr);
        assert.match(r.stderr, pattern);
        assert.equal(r.stdout, '');
        assert.equal(fs.existsSync(out), false);
      });
    }
  });

  it('usage errors exit with 2: no --mode, an unknown mode, int8 without --data, no -o', async function () {
    const out = path.join(tmp, 'usage.tflite');
    for (const args of [
      ['quantize', SINE, '--data', SINE_REP, '-o', out],
      ['quantize', SINE, '--mode', 'int4', '--data', SINE_REP, '-o', out],
      ['quantize', SINE, '--mode', 'int8', '-o', out],
      ['quantize', SINE, '--mode', 'int8', '--data', SINE_REP],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(isOneLine(r.stderr), r.stderr);
    }
    assert.equal(fs.existsSync(out), false);
  });
});
