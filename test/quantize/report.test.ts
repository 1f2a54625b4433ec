// evaluateQuantization on TensorFlow's own models: float = models/keras/NAME.float.tflite,
// quantized = the int8 / int8_floatio / int16x8 files TF's converter made from it, on the 50
// samples of golden/tf/NAME.eval.f32.
//
// Expected figures come from goldens, never from our code:
// - TFLM's outputs of the same models on the same samples (golden/keras/*.tflm_output0.bin; our
//   interpreter is bit-exact with TFLM on the integer models): MAE / max / RMSE of TFLM's quantized
//   outputs against TFLM's float outputs must equal ours up to float-model rounding (1e-7).
// - TF's metrics_vs_keras (golden/tf/NAME.json) measure TF Lite's quantized outputs against Keras,
//   not against the float .tflite, and TF Lite's FULLY_CONNECTED rounds once where TFLM rounds twice
//   (golden/tf/README.md). By the triangle inequality our figure differs from TF's by at most the
//   same norm of (TF Lite's − TFLM's quantized outputs) plus that of (Keras − TFLM's float
//   outputs); the test computes that bound from the goldens (plus 1e-7) and checks it. Measured:
//   our MAE differs from TF's by ~2e-9 for the conv models and mlp_wide (no rounding tie hit) and
//   by 0.3-1 % where FC ties occur (sine_mlp, misc_acts, dense_autoencoder, the int16x8 models).
import assert from 'node:assert/strict';
import { ModelBuilder } from '../../lib/model/builder.js';
import { loadModel } from '../../lib/model/read.js';
import type { DType, Model } from '../../lib/model/types.js';
import { evaluateQuantization, type Evaluation } from '../../lib/quantize/report.js';
import { readSamples } from '../../lib/quantize/samples.js';
import { tensorQuantizations } from '../../lib/quantize/tensor-table.js';
import type { Sample } from '../../lib/quantize/types.js';
import { readShared } from '../interpreter/golden.js';

const MODELS = ['sine_mlp', 'mlp_wide', 'kws_dscnn_tiny', 'mobilenet_block', 'accel_cnn1d', 'misc_acts', 'dense_autoencoder'];

interface IoInfo { name: string; dtype: string; shape: number[]; scale: number; zero_point: number }
interface Metrics { mae: number; max_abs: number; rmse: number; top1_agreement?: number; accuracy_vs_labels?: number }
interface VariantInfo { inputs: IoInfo[]; outputs: IoInfo[]; metrics_vs_keras: Metrics }
interface TfModelInfo { classifier: boolean; keras_accuracy_vs_labels?: number; variants: Record<string, VariantInfo> }

function tfInfo(name: string): TfModelInfo {
  return JSON.parse(Buffer.from(readShared(`golden/tf/${name}.json`)).toString('utf8')) as TfModelInfo;
}

function floats(bytes: Uint8Array): Float32Array {
  return new Float32Array(bytes.slice().buffer);
}

/** A golden output file as real numbers: (q − zero_point) · scale for an int8 one. */
function realOutputs(bytes: Uint8Array, io: IoInfo): number[] {
  if (io.dtype === 'float32') return Array.from(floats(bytes));
  assert.equal(io.dtype, 'int8');
  return Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), (q) => (q - io.zero_point) * io.scale);
}

interface Norms { mae: number; maxAbs: number; rmse: number }

function norms(a: readonly number[], b: readonly number[]): Norms {
  assert.equal(a.length, b.length);
  let abs = 0;
  let sq = 0;
  let max = 0;
  a.forEach((v, i) => {
    const d = Math.abs(v - b[i]);
    abs += d;
    sq += d * d;
    max = Math.max(max, d);
  });
  return { mae: abs / a.length, maxAbs: max, rmse: Math.sqrt(sq / a.length) };
}

/** 10·log10(Σ s² / Σ (s − a)²), written out here independently of lib/quantize/sqnr.ts. */
function sqnr(signal: readonly number[], approximation: readonly number[]): number {
  let s = 0;
  let n = 0;
  signal.forEach((v, i) => {
    s += v * v;
    n += (v - approximation[i]) ** 2;
  });
  return 10 * Math.log10(s / n);
}

function model(file: string): Model {
  return loadModel(readShared(`models/keras/${file}.tflite`));
}

function evalSamples(floatModel: Model, name: string): Sample[] {
  const graph = floatModel.subgraphs[0];
  const inputs = graph.inputs.map((i) => graph.tensors[i]);
  return readSamples(readShared(`golden/tf/${name}.eval.f32`), 'f32', inputs, `${name}.eval.f32`);
}

function labelsOf(name: string): number[] | undefined {
  try {
    return JSON.parse(Buffer.from(readShared(`golden/tf/${name}.eval_labels.json`)).toString('utf8')) as number[];
  } catch {
    return undefined;
  }
}

/** sum = a + b and diff = a − b of two [1, 2] inputs, float32 or int8 with scale 0.5, zero point 0 everywhere. */
function addSubModel(dtype: DType): Model {
  const b = new ModelBuilder();
  const quantization = dtype === 'int8' ? { scale: [0.5], zeroPoint: [0] } : null;
  const spec = (name: string): { name: string; shape: number[]; dtype: DType; quantization: typeof quantization } => ({ name, shape: [1, 2], dtype, quantization });
  const x = b.addInput(spec('a'));
  const y = b.addInput(spec('b'));
  const sum = b.addTensor(spec('sum'));
  const diff = b.addTensor(spec('diff'));
  b.addOperator('ADD', [x, y], [sum]);
  b.addOperator('SUB', [x, y], [diff]);
  b.addOutput(sum);
  b.addOutput(diff);
  return b.build();
}

describe('quantize: evaluateQuantization on a hand-built two-input, two-output model', function () {
  it('quantizes each input with its scale, dequantizes each output, measures each output apart', function () {
    // a = [1.2, -0.3] → int8 round(a / 0.5) = [2, -1] = [1, -0.5]; b = [0.6, 1] → [1, 2] = [0.5, 1].
    // int8 sum = [1.5, 0.5] against float [1.8, 0.7]: errors 0.3, 0.2 → MAE 0.25, max 0.3, RMSE √((0.09 + 0.04) / 2).
    // int8 diff = [0.5, -1.5] against float [0.6, -1.3]: errors 0.1, 0.2 → MAE 0.15, max 0.2, RMSE √((0.01 + 0.04) / 2).
    const samples = [[new Float32Array([1.2, -0.3]), new Float32Array([0.6, 1])]];
    const result = evaluateQuantization(addSubModel('float32'), addSubModel('int8'), samples);
    const expected = [
      { output: 0, name: 'sum', mae: 0.25, maxAbs: 0.3, rmse: Math.sqrt(0.065) },
      { output: 1, name: 'diff', mae: 0.15, maxAbs: 0.2, rmse: Math.sqrt(0.025) },
    ];
    result.outputs.forEach((o, i) => {
      assert.equal(o.name, expected[i].name);
      assert.equal(o.output, expected[i].output);
      for (const key of ['mae', 'maxAbs', 'rmse'] as const) assert.ok(Math.abs(o[key] - expected[i][key]) < 1e-6, `${o.name} ${key}: ${o[key]}`);
    });
    assert.equal(result.top1Agreement, null);
    // SQNR: a: (1.44 + 0.09) / (0.04 + 0.04); sum: (3.24 + 0.49) / (0.09 + 0.04).
    assert.ok(Math.abs(result.sqnrByTensorName.get('a')! - 10 * Math.log10(1.53 / 0.08)) < 1e-5);
    assert.ok(Math.abs(result.sqnrByTensorName.get('sum')! - 10 * Math.log10(3.73 / 0.13)) < 1e-5);
    assert.deepEqual([...result.sqnrByTensorName.keys()].sort(), ['a', 'b', 'diff', 'sum']);
  });

  it('finds no error between a model and itself', function () {
    const float = addSubModel('float32');
    const result = evaluateQuantization(float, float, [[new Float32Array([1.2, -0.3]), new Float32Array([0.6, 1])]]);
    assert.deepEqual(result.outputs.map((o) => [o.mae, o.maxAbs, o.rmse]), [[0, 0, 0], [0, 0, 0]]);
    assert.ok([...result.sqnrByTensorName.values()].every((db) => db === Infinity));
  });
});

describe('quantize: evaluateQuantization on TensorFlow\'s quantized models', function () {
  for (const name of MODELS) {
    const info = tfInfo(name);
    const variants = Object.keys(info.variants).filter((v) => v !== 'float' && v !== 'dynamic');
    for (const variant of variants) {
      it(`${name}.${variant} vs ${name}.float: output errors as TFLM's outputs give them, and within the bound of TF's metrics_vs_keras`, function () {
        const floatModel = model(`${name}.float`);
        const labels = labelsOf(name);
        const result: Evaluation = evaluateQuantization(floatModel, model(`${name}.${variant}`), evalSamples(floatModel, name), { labels });
        const v = info.variants[variant];
        const tflmFloat = realOutputs(readShared(`golden/keras/${name}.float.eval.tflm_output0.bin`), info.variants.float.outputs[0]);
        const tflmQuantized = realOutputs(readShared(`golden/keras/${name}.${variant}.eval.tflm_output0.bin`), v.outputs[0]);
        const tfQuantized = realOutputs(readShared(`golden/tf/${name}.${variant}.eval_out.bin`), v.outputs[0]);
        const keras = Array.from(floats(readShared(`golden/tf/${name}.keras.eval_out.f32`)));

        assert.equal(result.outputs.length, 1);
        const ours = result.outputs[0];
        const tflm = norms(tflmQuantized, tflmFloat);
        for (const key of ['mae', 'maxAbs', 'rmse'] as const) {
          assert.ok(Math.abs(ours[key] - tflm[key]) <= 1e-7, `${key}: ours ${ours[key]}, from TFLM's outputs ${tflm[key]}`);
        }
        const runtimeGap = norms(tfQuantized, tflmQuantized);
        const floatGap = norms(keras, tflmFloat);
        const tf = v.metrics_vs_keras;
        const pairs: Array<[keyof Norms, number]> = [['mae', tf.mae], ['maxAbs', tf.max_abs], ['rmse', tf.rmse]];
        for (const [key, theirs] of pairs) {
          const bound = runtimeGap[key] + floatGap[key] + 1e-7;
          assert.ok(Math.abs(ours[key] - theirs) <= bound, `${key}: ours ${ours[key]}, TF ${theirs}, allowed ${bound}`);
        }

        if (info.classifier) {
          assert.equal(result.top1Agreement, tf.top1_agreement);
          assert.equal(result.accuracyQuantized, tf.accuracy_vs_labels);
          assert.equal(result.accuracyFloat, info.keras_accuracy_vs_labels);
        } else {
          assert.equal(result.top1Agreement, null);
          assert.equal(result.accuracyFloat, null);
        }
        // The output tensor keeps its name in both models: its SQNR is that of TFLM's outputs.
        const outputName = v.outputs[0].name;
        const expected = sqnr(tflmFloat, tflmQuantized);
        assert.ok(Math.abs(result.sqnrByTensorName.get(outputName)! - expected) < 1e-3, `output SQNR ${result.sqnrByTensorName.get(outputName)} vs ${expected}`);
        this.test!.title += ` (MAE ours ${ours.mae.toExponential(4)}, TF ${tf.mae.toExponential(4)}; top-1 ${result.top1Agreement ?? '-'})`;
      });
    }
  }

  it('an int8 input\'s SQNR is that of TF\'s own quantized eval inputs (golden/tf/NAME.int8.eval_in.bin)', function () {
    for (const name of ['sine_mlp', 'accel_cnn1d', 'kws_dscnn_tiny']) {
      const floatModel = model(`${name}.float`);
      const samples = evalSamples(floatModel, name);
      const input = tfInfo(name).variants.int8.inputs[0];
      const result = evaluateQuantization(floatModel, model(`${name}.int8`), samples);
      const quantizedInputs = realOutputs(readShared(`golden/tf/${name}.int8.eval_in.bin`), input);
      const expected = sqnr(samples.flatMap((s) => Array.from(s[0])), quantizedInputs);
      const ours = result.sqnrByTensorName.get(input.name)!;
      assert.ok(Math.abs(ours - expected) < 1e-9, `${name}: input SQNR ${ours} vs ${expected}`);
    }
  });

  it('labels: accuracy counts argmax == label (all labels shifted by one class: 0 for both models)', function () {
    const floatModel = model('mlp_wide.float');
    const samples = evalSamples(floatModel, 'mlp_wide');
    // TF: the float model is 100 % right on these labels, so label + 1 (mod 10) is never its argmax.
    const shifted = labelsOf('mlp_wide')!.map((l) => (l + 1) % 10);
    const result = evaluateQuantization(floatModel, model('mlp_wide.int8'), samples, { labels: shifted });
    assert.equal(result.accuracyFloat, 0);
    assert.equal(result.accuracyQuantized, 0);
    assert.equal(result.top1Agreement, 1);
  });

  it('classifier option: forces top-1 on a vector output without SOFTMAX, or turns it off', function () {
    // dense_autoencoder's [1, 32] output is no classifier by default; asked, its top-1 agreement is
    // the share of samples where TFLM's int8 and float outputs have the same argmax.
    const floatModel = model('dense_autoencoder.float');
    const samples = evalSamples(floatModel, 'dense_autoencoder');
    const info = tfInfo('dense_autoencoder');
    const f = realOutputs(readShared('golden/keras/dense_autoencoder.float.eval.tflm_output0.bin'), info.variants.float.outputs[0]);
    const q = realOutputs(readShared('golden/keras/dense_autoencoder.int8.eval.tflm_output0.bin'), info.variants.int8.outputs[0]);
    const argmax = (v: number[]): number => v.indexOf(Math.max(...v));
    let agree = 0;
    for (let s = 0; s < 50; s++) if (argmax(f.slice(s * 32, s * 32 + 32)) === argmax(q.slice(s * 32, s * 32 + 32))) agree++;
    const forced = evaluateQuantization(floatModel, model('dense_autoencoder.int8'), samples, { classifier: true });
    assert.equal(forced.top1Agreement, agree / 50);
    this.test!.title += ` (${agree} of 50 agree)`;
    const mlp = model('mlp_wide.float');
    assert.equal(evaluateQuantization(mlp, model('mlp_wide.int8'), evalSamples(mlp, 'mlp_wide').slice(0, 2), { classifier: false }).top1Agreement, null);
    assert.throws(() => evaluateQuantization(addSubModel('float32'), addSubModel('int8'), [[new Float32Array(2), new Float32Array(2)]], { classifier: true }),
      /a classifier needs one output holding one vector of classes; this model has 2 output\(s\)/);
  });

  it('pairs tensors by name: unmatched, renamed and duplicated names get no SQNR (null in the report rows)', function () {
    const floatModel = model('sine_mlp.float');
    const samples = evalSamples(floatModel, 'sine_mlp');
    // int8: all 10 tensors keep the float model's names.
    assert.equal(evaluateQuantization(floatModel, model('sine_mlp.int8'), samples).sqnrByTensorName.size, 10);
    // int8_floatio: 12 tensors; the QUANTIZE output 'tfl.quantize' and the int8 'StatefulPartitionedCall_1:01' have no float twin.
    const floatio = model('sine_mlp.int8_floatio');
    const paired = evaluateQuantization(floatModel, floatio, samples).sqnrByTensorName;
    assert.equal(paired.size, 10);
    assert.ok(!paired.has('tfl.quantize') && !paired.has('StatefulPartitionedCall_1:01'));
    assert.equal(paired.get('serving_default_keras_tensor:0'), Infinity); // float input in both
    const rows = tensorQuantizations(floatModel, floatio, paired);
    assert.equal(rows.find((r) => r.name === 'tfl.quantize')?.sqnrDb, null);

    const renamed = model('sine_mlp.int8');
    const tensors = renamed.subgraphs[0].tensors;
    tensors.find((t) => t.name === 'sine_mlp_1/dense_1/MatMul')!.name = 'a weight renamed';
    tensors.find((t) => t.name === 'sine_mlp_1/dense_2_1/MatMul')!.name = 'twice';
    tensors.find((t) => t.name === 'sine_mlp_1/dense_2_1/Add')!.name = 'twice';
    const after = evaluateQuantization(floatModel, renamed, samples).sqnrByTensorName;
    assert.equal(after.size, 7);
    assert.ok(!after.has('a weight renamed') && !after.has('twice') && !after.has('sine_mlp_1/dense_1/MatMul'));
    const renamedRows = tensorQuantizations(floatModel, renamed, after);
    assert.deepEqual(renamedRows.filter((r) => r.sqnrDb === null).map((r) => r.name).sort(), ['a weight renamed', 'twice', 'twice']);
    assert.equal(renamedRows.length, 10);
  });

  it('report rows: scales and zero points as stored, weight ranges from the float weights', function () {
    const floatModel = model('sine_mlp.float');
    const quantized = model('sine_mlp.int8');
    const rows = tensorQuantizations(floatModel, quantized, evaluateQuantization(floatModel, quantized, evalSamples(floatModel, 'sine_mlp')).sqnrByTensorName);
    const input = tfInfo('sine_mlp').variants.int8.inputs[0];
    const inputRow = rows.find((r) => r.name === input.name)!;
    assert.deepEqual([inputRow.scale[0], inputRow.zeroPoint[0], inputRow.min], [input.scale, input.zero_point, null]);
    const weights = floatModel.subgraphs[0].tensors.find((t) => t.name === 'sine_mlp_1/dense_1/MatMul')!;
    const values = Array.from(floats(weights.data!));
    const weightRow = rows.find((r) => r.name === 'sine_mlp_1/dense_1/MatMul')!;
    assert.deepEqual([weightRow.min, weightRow.max], [Math.min(...values), Math.max(...values)]);
    assert.equal(weightRow.scale.length, 16);
    assert.ok(weightRow.sqnrDb! > 30);
  });

  it('reports progress per sample and refuses bad evaluation data with the cause', function () {
    const floatModel = model('sine_mlp.float');
    const quantized = model('sine_mlp.int8');
    const seen: number[] = [];
    evaluateQuantization(floatModel, quantized, [[new Float32Array([1])], [new Float32Array([2])]], {
      onProgress: (p) => { assert.equal(p.stage, 'evaluate'); assert.equal(p.total, 2); seen.push(p.done); },
    });
    assert.deepEqual(seen, [1, 2]);
    assert.throws(() => evaluateQuantization(floatModel, quantized, []), /no evaluation samples/);
    assert.throws(() => evaluateQuantization(floatModel, quantized, [[new Float32Array([1, 2])]]),
      /sample 0: 2 values, the input serving_default_keras_tensor:0 \[1,1\] takes 1/);
    assert.throws(() => evaluateQuantization(floatModel, quantized, [[new Float32Array([1])], [new Float32Array([NaN])]]),
      /sample 1, input 0, element 0 is NaN/);
    assert.throws(() => evaluateQuantization(floatModel, quantized, [[]]), /sample 0 has 0 inputs, the model takes 1/);
    assert.throws(() => evaluateQuantization(floatModel, model('mlp_wide.int8'), [[new Float32Array([1])]]), /input 0: the float model's is .*\[1,1\], the quantized model's .*\[1,64\]/);
    // sine_mlp's output is one value: no classes, so labels cannot apply.
    assert.throws(() => evaluateQuantization(floatModel, quantized, [[new Float32Array([1])]], { labels: [0] }), /a classifier needs one output holding one vector of classes/);
    const mlp = model('mlp_wide.float');
    const samples = evalSamples(mlp, 'mlp_wide');
    assert.throws(() => evaluateQuantization(mlp, model('mlp_wide.int8'), samples, { labels: [1, 2] }), /2 labels for 50 samples/);
    assert.throws(() => evaluateQuantization(mlp, model('mlp_wide.int8'), samples.slice(0, 1), { labels: [1], classifier: false }), /labels were given, but classifier is false/);
    assert.throws(() => evaluateQuantization(mlp, model('mlp_wide.int8'), samples.slice(0, 1), { labels: [10] }), /label 0 is 10, the model has classes 0..9/);
  });
});
