// Our int8 / int16x8 quantization of TensorFlow's float models, measured against what
// TensorFlow 2.21's converter made of the same models with the same representative samples
// (../shared/models/keras, ../shared/golden/tf): errors against the float model on TF's eval
// samples, file size, and the quantization parameters op by op.
import assert from 'node:assert/strict';
import { loadModel } from '../../lib/model/read.js';
import type { Model, Operator } from '../../lib/model/types.js';
import { writeModel } from '../../lib/model/write.js';
import { quantizeFullInteger } from '../../lib/quantize/full-integer.js';
import type { QuantizeOptions } from '../../lib/quantize/types.js';
import {
  goldenJson, goldenSamples, INT16X8_MODEL_NAMES, KERAS_MODEL_NAMES, kerasModel, meanAbsError, runModel, top1Agreements,
} from './support.js';

interface Row {
  model: string;
  sizeOurs: number;
  sizeTf: number;
  maeOurs: number;
  maeTf: number;
  top1Ours: string;
  top1Tf: string;
  weightScaleMaxRel: number;
  activationScaleMaxRel: number;
  zeroPointMaxDiff: number;
  /** Outputs to which TF gave its consumer's output parameters (see compareParameters). */
  takenFromConsumer: string[];
  /** Eval output elements on which our model's output equals TF's model's (within half a step), of all. */
  sameAsTf: [number, number];
}

/** The quantization step of the model's output (before a DEQUANTIZE, if it ends with one). */
function outputStep(model: Model): number {
  const main = model.subgraphs[0];
  const last = main.operators[main.operators.length - 1];
  const t = last.op === 'DEQUANTIZE' ? last.inputs[0] : main.outputs[0];
  return main.tensors[t].quantization?.scale[0] ?? NaN;
}

/** Operators that carry the model's computation (QUANTIZE/DEQUANTIZE are edges or requantizations). */
function computeOps(model: Model): Operator[] {
  return model.subgraphs[0].operators.filter((op) => op.op !== 'QUANTIZE' && op.op !== 'DEQUANTIZE');
}

/**
 * Parameters compared by position: the k-th computing op of ours against TF's k-th (same op
 * names in the same order, checked), its weights (input 1), bias (input 2) and output 0.
 */
function compareParameters(ours: Model, tf: Model, compareWeights: boolean): Pick<Row, 'weightScaleMaxRel' | 'activationScaleMaxRel' | 'zeroPointMaxDiff' | 'takenFromConsumer'> {
  const a = computeOps(ours);
  const b = computeOps(tf);
  assert.deepEqual(a.map((op) => op.op), b.map((op) => op.op));
  let weight = 0;
  let activation = 0;
  let zeroPoint = 0;
  const takenFromConsumer: string[] = [];
  const rel = (x: number, y: number): number => Math.abs(x - y) / Math.abs(y);
  const oursT = ours.subgraphs[0].tensors;
  const tfT = tf.subgraphs[0].tensors;
  a.forEach((op, k) => {
    const other = b[k];
    if (compareWeights && (op.op === 'FULLY_CONNECTED' || op.op === 'CONV_2D' || op.op === 'DEPTHWISE_CONV_2D')) {
      for (const slot of [1, 2]) {
        const qa = oursT[op.inputs[slot]]?.quantization;
        const qb = tfT[other.inputs[slot]]?.quantization;
        assert.ok(qa && qb, `${op.op} ${k} input ${slot}: both quantized`);
        assert.equal(qa.scale.length, qb.scale.length, `${op.op} ${k} input ${slot}: scale count`);
        // TF's int16x8 files record weight ranges (per channel), its int8 files none.
        assert.equal(qa.min.length, qb.min.length, `${op.op} ${k} input ${slot}: recorded ranges`);
        assert.equal(oursT[op.inputs[slot]].dtype, tfT[other.inputs[slot]].dtype);
        qa.scale.forEach((s, c) => { weight = Math.max(weight, rel(s, qb.scale[c])); });
      }
      // The int8 weights themselves: round(w / scale) of the same weights, byte for byte.
      assert.deepEqual(oursT[op.inputs[1]].data, tfT[other.inputs[1]].data, `${op.op} ${k}: weight bytes`);
    }
    const qa = oursT[op.outputs[0]].quantization;
    const qb = tfT[other.outputs[0]].quantization;
    if (qa && qb && qa.scale.length > 0) {
      assert.equal(qa.min.length, qb.min.length, `${op.op} ${k} output: recorded range`);
      if (qa.min.length > 0) assert.ok(Math.abs(qa.max[0] - qb.max[0]) <= 1e-5 * Math.abs(qb.max[0]) + 1e-7, `${op.op} ${k}: range max ${qa.max[0]} vs ${qb.max[0]}`);
      // TF 2.21 gave mobilenet_block's CONV_2D that feeds the residual ADD the ADD's output
      // parameters instead of its own calibrated range [-3.21, 3.75] (the ADD's is [-3.21, 6.16]).
      // That is what a calibration sees when the ADD runs in place on the buffer of its
      // single-consumer input (TFLite's in-place ADD) and the input's values are logged after it;
      // we keep the conv's own range (MAE is the same). Such outputs are listed, not counted,
      // when TF's parameters are exactly those of the consumer's output.
      const consumer = b.find((o) => o.inputs.includes(other.outputs[0]));
      const qc = consumer === undefined ? null : tfT[consumer.outputs[0]].quantization;
      const differs = rel(qa.scale[0], qb.scale[0]) > 1e-6 || qa.zeroPoint[0] !== qb.zeroPoint[0];
      if (differs && qc && qc.scale[0] === qb.scale[0] && qc.zeroPoint[0] === qb.zeroPoint[0] && consumer !== undefined) {
        takenFromConsumer.push(`${op.op} ${k} (params of ${consumer.op})`);
        return;
      }
      activation = Math.max(activation, rel(qa.scale[0], qb.scale[0]));
      zeroPoint = Math.max(zeroPoint, Math.abs(qa.zeroPoint[0] - qb.zeroPoint[0]));
    }
  });
  return { weightScaleMaxRel: weight, activationScaleMaxRel: activation, zeroPointMaxDiff: zeroPoint, takenFromConsumer };
}

function measure(name: string, variant: 'int8' | 'int16x8', options: QuantizeOptions): Row {
  const golden = goldenJson(name);
  const floatModel = loadModel(kerasModel(name, 'float'));
  const representative = goldenSamples(name, 'representative');
  const evaluation = goldenSamples(name, 'eval');
  const result = quantizeFullInteger(floatModel, { ...options, representative });
  const bytes = writeModel(result.model);
  const tfBytes = kerasModel(name, variant);
  const reference = runModel(floatModel, evaluation);
  const ours = runModel(loadModel(bytes), evaluation);
  const tf = runModel(tfBytes, evaluation);
  const step = outputStep(loadModel(tfBytes));
  const params = compareParameters(loadModel(bytes), loadModel(tfBytes), options.perChannelFullyConnected === true);
  const top1 = (outputs: Float64Array[]): string => (golden.classifier ? `${top1Agreements(outputs, reference)}/${evaluation.length}` : '-');
  return {
    model: name, sizeOurs: bytes.length, sizeTf: tfBytes.length,
    maeOurs: meanAbsError(ours, reference), maeTf: meanAbsError(tf, reference),
    top1Ours: top1(ours), top1Tf: top1(tf),
    sameAsTf: [ours.flatMap((row, s) => Array.from(row, (v, i) => Math.abs(v - tf[s][i]) < step / 2)).filter(Boolean).length, ours.length * ours[0].length],
    ...params,
  };
}

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.table(rows.map((r) => ({
    model: r.model,
    'size ours/TF': `${r.sizeOurs}/${r.sizeTf} (${((r.sizeOurs / r.sizeTf - 1) * 100).toFixed(2)}%)`,
    'MAE ours/TF': `${r.maeOurs.toExponential(3)}/${r.maeTf.toExponential(3)}`,
    'top-1 ours/TF': `${r.top1Ours} ${r.top1Tf}`,
    'w scale rel': r.weightScaleMaxRel.toExponential(1),
    'act scale rel': r.activationScaleMaxRel.toExponential(1),
    'zp diff': r.zeroPointMaxDiff,
    'outputs = TF\'s': `${r.sameAsTf[0]}/${r.sameAsTf[1]}`,
    'TF took consumer params': r.takenFromConsumer.join(', '),
  })));
}

function checkAgainstTf(row: Row): void {
  // Both models run in our interpreter: with the same parameters they compute the same integers
  // (all outputs equal when this was written); a few rounding-boundary differences are allowed.
  assert.ok(row.sameAsTf[0] >= 0.98 * row.sameAsTf[1], `${row.model}: only ${row.sameAsTf[0]}/${row.sameAsTf[1]} outputs equal TF's model's`);
  assert.ok(row.maeOurs <= 1.1 * row.maeTf, `${row.model}: MAE ${row.maeOurs} > 1.1 × TF's ${row.maeTf}`);
  if (row.top1Ours !== '-') {
    const [ours, tf] = [Number.parseInt(row.top1Ours, 10), Number.parseInt(row.top1Tf, 10)];
    assert.ok(ours >= tf - 1, `${row.model}: top-1 agreement ${row.top1Ours} vs TF's ${row.top1Tf}`);
  }
  // Weight scales are max|w| / 127 of the same weights: equal to float32 precision.
  assert.ok(row.weightScaleMaxRel <= 1e-6, `${row.model}: weight/bias scales differ from TF's by ${row.weightScaleMaxRel} (relative)`);
  // Activations come from the same calibration samples; the float models run in our interpreter
  // rather than TF's, so ranges may differ in the last bits. A generous bound.
  assert.ok(row.activationScaleMaxRel <= 0.05, `${row.model}: activation scales differ from TF's by ${row.activationScaleMaxRel}`);
  assert.ok(row.zeroPointMaxDiff <= 2, `${row.model}: zero points differ from TF's by ${row.zeroPointMaxDiff}`);
}

describe('quantize: full-integer int8 against TensorFlow 2.21', function () {
  this.timeout(300000);
  const rows: Row[] = [];
  const perTensorRows: Row[] = [];
  after(() => {
    printTable('int8, perChannelFullyConnected: true (what TF 2.21 writes), vs TF NAME.int8.tflite', rows);
    printTable('int8, perChannelFullyConnected: false (the option default), sizes vs TF', perTensorRows);
  });
  for (const name of KERAS_MODEL_NAMES) {
    it(`${name}: MAE ≤ 1.1 × TF's, top-1 within 1/50, size within 2%, same weight scales`, () => {
      const row = measure(name, 'int8', { mode: 'int8', perChannelFullyConnected: true });
      rows.push(row);
      checkAgainstTf(row);
      assert.ok(Math.abs(row.sizeOurs / row.sizeTf - 1) <= 0.02, `${name}: ${row.sizeOurs} bytes vs TF's ${row.sizeTf}`);
    });
  }
  for (const name of KERAS_MODEL_NAMES) {
    it(`${name}: per-tensor FULLY_CONNECTED (option default): top-1 within 1/50 of TF's, MAE ≤ 1.25 × TF's`, () => {
      const row = measure(name, 'int8', { mode: 'int8' });
      perTensorRows.push(row);
      // One scale for a whole weight matrix is coarser than TF's per-channel scales: a looser bound.
      assert.ok(row.maeOurs <= 1.25 * row.maeTf, `${name}: MAE ${row.maeOurs} vs TF's ${row.maeTf}`);
      if (row.top1Ours !== '-') assert.ok(Number.parseInt(row.top1Ours, 10) >= Number.parseInt(row.top1Tf, 10) - 1);
    });
  }
});

describe('quantize: full-integer int16x8 against TensorFlow 2.21', function () {
  this.timeout(300000);
  const rows: Row[] = [];
  after(() => printTable('int16x8 (float I/O, perChannelFullyConnected: true) vs TF NAME.int16x8.tflite', rows));
  for (const name of INT16X8_MODEL_NAMES) {
    it(`${name}: MAE ≤ 1.1 × TF's, size within 2%, same weight scales`, () => {
      const row = measure(name, 'int16x8', {
        mode: 'int16x8', perChannelFullyConnected: true, inputType: 'float32', outputType: 'float32',
      });
      rows.push(row);
      checkAgainstTf(row);
      assert.ok(Math.abs(row.sizeOurs / row.sizeTf - 1) <= 0.02, `${name}: ${row.sizeOurs} bytes vs TF's ${row.sizeTf}`);
    });
  }
});
