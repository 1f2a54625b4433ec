// buildQuantizeReport on TF's kws_dscnn_tiny (float → TF's int8) and sine_mlp (float → TF's
// "dynamic" file, which for this small model is the float one with different metadata): sizes,
// tensor rows and notes against what golden/tf/NAME.json records about the same files.
import assert from 'node:assert/strict';
import { loadModel } from '../../lib/model/read.js';
import { buildQuantizeReport } from '../../lib/quantize/build-report.js';
import { formatReport } from '../../lib/quantize/format.js';
import { modelInputs, readSamples } from '../../lib/quantize/samples.js';
import { readShared } from '../interpreter/golden.js';

interface FlatTensor { name: string; quantization: { scale: number[] | null } | null }
interface TfJson { variants: Record<string, { bytes: number; flatbuffer: { subgraphs: Array<{ tensors: FlatTensor[] }> } }> }

function tfJson(name: string): TfJson {
  return JSON.parse(Buffer.from(readShared(`golden/tf/${name}.json`)).toString('utf8')) as TfJson;
}

function reportFor(name: string, variant: string): ReturnType<typeof buildQuantizeReport> {
  const floatBytes = readShared(`models/keras/${name}.float.tflite`);
  const quantizedBytes = readShared(`models/keras/${name}.${variant}.tflite`);
  const floatModel = loadModel(floatBytes);
  const samples = readSamples(readShared(`golden/tf/${name}.eval.f32`), 'f32', modelInputs(floatModel)).slice(0, 10);
  return buildQuantizeReport({
    mode: variant === 'dynamic' ? 'dynamic' : 'int8',
    floatBytes, quantizedBytes, floatModel, quantizedModel: loadModel(quantizedBytes),
    samples, evaluatedOn: 'evaluation', runsOnTflm: true,
    ranges: new Map([['serving_default_keras_tensor_10:0', { min: -5, max: 6 }]]),
    notes: ['a quantizer note'],
  });
}

describe('quantize: buildQuantizeReport', function () {
  it('kws_dscnn_tiny int8: sizes of the files, one row per quantized tensor, calibrated ranges, top-1', function () {
    const report = reportFor('kws_dscnn_tiny', 'int8');
    const tf = tfJson('kws_dscnn_tiny');
    assert.equal(report.sizeBefore, tf.variants.float.bytes);
    assert.equal(report.sizeAfter, tf.variants.int8.bytes);
    assert.equal(report.runsOnTflm, true);
    assert.deepEqual(report.notes, ['a quantizer note']);
    const quantized = tf.variants.int8.flatbuffer.subgraphs[0].tensors.filter((t) => (t.quantization?.scale?.length ?? 0) > 0).map((t) => t.name);
    assert.deepEqual(report.tensors.map((t) => t.name), quantized);
    const input = report.tensors.find((t) => t.name === 'serving_default_keras_tensor_10:0')!;
    assert.deepEqual([input.min, input.max], [-5, 6]);
    assert.equal(report.samples, 10);
    assert.equal(report.top1Agreement, 1);
    assert.match(formatReport(report), /before {2}11,776 B \(11\.5 KiB\)\n {2}after {3}9,472 B \(9\.3 KiB\)\n {2}ratio {3}0\.804 \(1\.24x smaller\)/);
  });

  it('dynamic mode on a model too small to quantize: the float graph, outputs unchanged', function () {
    const report = reportFor('sine_mlp', 'dynamic');
    assert.equal(report.mode, 'dynamic');
    assert.deepEqual(report.notes, ['a quantizer note']);
    // The file keeps every tensor float: no quantized rows, and outputs equal to the float model's.
    assert.deepEqual(report.tensors, []);
    assert.deepEqual(report.outputs.map((o) => o.maxAbs), [0]);
  });
});
