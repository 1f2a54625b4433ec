// quantize(): the public entry point over the quantizers and the report, on TF's Keras models and
// TF's own calibration and evaluation samples (golden/tf), with TF's figures as the bar.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadModel } from '../../lib/model/read.js';
import { formatReport, quantize } from '../../lib/quantize/index.js';
import { GOLDEN_TF, goldenJson, goldenSamples, kerasModel } from './support.js';

interface TfMetrics { mae: number; top1_agreement?: number }
function tfMetrics(name: string, variant: string): TfMetrics {
  const variants = goldenJson(name).variants as Record<string, { metrics_vs_keras?: TfMetrics } | undefined>;
  const metrics = variants[variant]?.metrics_vs_keras;
  assert.ok(metrics, `${name}.${variant} has no metrics in golden/tf`);
  return metrics;
}

function evalLabels(name: string): number[] {
  return JSON.parse(fs.readFileSync(path.join(GOLDEN_TF, `${name}.eval_labels.json`), 'utf8')) as number[];
}

describe('quantize()', function () {
  this.timeout(60000);

  it('int8 kws_dscnn_tiny: a TFLM-runnable model, error within 1.1x of TF\'s, report on the evaluation set', function () {
    const progress: string[] = [];
    const { bytes, report } = quantize(kerasModel('kws_dscnn_tiny', 'float'), {
      mode: 'int8',
      representative: goldenSamples('kws_dscnn_tiny', 'representative'),
      evaluation: goldenSamples('kws_dscnn_tiny', 'eval'),
      labels: evalLabels('kws_dscnn_tiny'),
      onProgress: (p) => { if (p.done === p.total) progress.push(p.stage); },
    });
    const model = loadModel(bytes);
    assert.ok(model.subgraphs[0].tensors.every((t) => t.dtype !== 'float32'), 'no float tensor left in int8 mode');
    assert.equal(report.runsOnTflm, true);
    assert.equal(report.evaluatedOn, 'evaluation');
    assert.equal(report.samples, 50);
    assert.equal(report.sizeAfter, bytes.byteLength);
    assert.ok(report.outputs[0].mae <= 1.1 * tfMetrics('kws_dscnn_tiny', 'int8').mae, `MAE ${report.outputs[0].mae}`);
    assert.equal(report.top1Agreement, 1);
    // TF's int8 model gets every eval label right (accuracy_vs_labels 1.0).
    assert.deepEqual([report.accuracyFloat, report.accuracyQuantized], [1, 1]);
    assert.ok(progress.includes('calibrate') && progress.includes('evaluate'), progress.join(','));
    assert.match(formatReport(report), /TFLM runs it/);
  });

  it('int16x8 sine_mlp with float I/O (TF\'s default edges), error within 1.1x of TF\'s', function () {
    const { bytes, report } = quantize(kerasModel('sine_mlp', 'float'), {
      mode: 'int16x8', inputType: 'float32', outputType: 'float32',
      representative: goldenSamples('sine_mlp', 'representative'),
      evaluation: goldenSamples('sine_mlp', 'eval'),
    });
    const main = loadModel(bytes).subgraphs[0];
    assert.equal(main.operators[0].op, 'QUANTIZE');
    assert.equal(main.operators[main.operators.length - 1].op, 'DEQUANTIZE');
    assert.ok(report.outputs[0].mae <= 1.1 * tfMetrics('sine_mlp', 'int16x8').mae, `MAE ${report.outputs[0].mae}`);
  });

  it('dynamic mlp_wide without samples: hybrid model, weights-only report, marked as not for TFLM', function () {
    const { bytes, report } = quantize(kerasModel('mlp_wide', 'float'), { mode: 'dynamic' });
    assert.equal(report.runsOnTflm, false);
    assert.equal(report.samples, 0);
    assert.deepEqual(report.outputs, []);
    assert.ok(report.tensors.some((t) => t.dtype === 'int8' && t.sqnrDb !== null && t.sqnrDb > 30));
    assert.ok(Math.abs(bytes.byteLength - (goldenJson('mlp_wide').variants.dynamic?.bytes ?? 0)) <= 0.02 * bytes.byteLength);
    assert.match(formatReport(report), /not measured: no samples given/);
  });

  it('bad input: a clear error and nothing returned', function () {
    const float = kerasModel('sine_mlp', 'float');
    const representative = goldenSamples('sine_mlp', 'representative');
    assert.throws(() => quantize(kerasModel('sine_mlp', 'int8'), { mode: 'int8', representative }), /already quantized/);
    assert.throws(() => quantize(float, { mode: 'int8' }), /needs representative samples/);
    assert.throws(() => quantize(float, { mode: 'int8', representative: [] }), /needs representative samples/);
    assert.throws(() => quantize(float, { mode: 'int8', representative: [[new Float32Array(3)]] }), /sample 0, input 0 .* needs 1 values, got 3/);
    assert.throws(() => quantize(float, { mode: 'int8', representative: [[new Float32Array([Number.NaN])]] }), /NaN/);
    assert.throws(() => quantize(float, { mode: 'int4' as 'int8', representative }), /mode must be one of dynamic, int8, int16x8/);
    assert.throws(() => quantize(new Uint8Array([1, 2, 3]), { mode: 'dynamic' }), /shorter than a flatbuffer header/);
  });
});
