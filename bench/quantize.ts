// npm run bench (quantization part): our post-training quantizer against TensorFlow 2.21's
// converter on the Keras models of ../shared/models/keras, calibrated on the same 100
// representative samples TF used and measured on the same 50 evaluation samples
// (../shared/golden/tf). Both quantized models run in our interpreter and are compared with the
// float model: size, MAE, top-1 agreement, and how long our quantize() takes. Writes
// bench/results/quantize.json.
import fs from 'node:fs';
import path from 'node:path';
import { loadModel } from '../lib/model/read.js';
import { quantize } from '../lib/quantize/index.js';
import { evaluateQuantization } from '../lib/quantize/report.js';
import { modelInputs, readSamples } from '../lib/quantize/samples.js';
import type { QuantizeMode, Sample } from '../lib/quantize/types.js';
import { REPO_ROOT, SHARED } from '../test/support/paths.js';
import { resultsHeader, runMain, writeResults } from './results.js';
import { formatTable } from './table.js';

const MODELS = ['sine_mlp', 'accel_cnn1d', 'kws_dscnn_tiny', 'mobilenet_block', 'dense_autoencoder', 'misc_acts', 'mlp_wide'];
const VARIANT: Record<QuantizeMode, string> = { int8: 'int8', int16x8: 'int16x8', dynamic: 'dynamic' };
const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results', 'quantize.json');

interface Row {
  model: string;
  mode: QuantizeMode;
  bytes: { ours: number; tf: number };
  mae: { ours: number; tf: number };
  top1: { ours: number | null; tf: number | null };
  quantizeMs: number;
}

function shared(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(SHARED, rel)));
}

function samplesOf(name: string, which: 'representative' | 'eval', floatBytes: Uint8Array): Sample[] {
  return readSamples(shared(`golden/tf/${name}.${which}.f32`), 'f32', modelInputs(loadModel(floatBytes)));
}

function measure(name: string, mode: QuantizeMode): Row | null {
  const tfFile = `models/keras/${name}.${VARIANT[mode]}.tflite`;
  if (!fs.existsSync(path.join(SHARED, tfFile))) return null;
  const floatBytes = shared(`models/keras/${name}.float.tflite`);
  const representative = samplesOf(name, 'representative', floatBytes);
  const evaluation = samplesOf(name, 'eval', floatBytes);
  const started = performance.now();
  // TF's int8 files have int8 I/O, its int16x8 files float I/O: ask for the same.
  const io = mode === 'int16x8' ? 'float32' : undefined;
  const ours = quantize(floatBytes, { mode, representative, evaluation, inputType: io, outputType: io });
  const quantizeMs = performance.now() - started;
  const tfBytes = shared(tfFile);
  const tf = evaluateQuantization(loadModel(floatBytes), loadModel(tfBytes), evaluation);
  return {
    model: name,
    mode,
    bytes: { ours: ours.bytes.byteLength, tf: tfBytes.byteLength },
    mae: { ours: ours.report.outputs[0].mae, tf: tf.outputs[0].mae },
    top1: { ours: ours.report.top1Agreement, tf: tf.top1Agreement },
    quantizeMs,
  };
}

function percent(ours: number, tf: number): string {
  const change = (ours / tf - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
}

function table(rows: readonly Row[]): string {
  return formatTable(
    ['model', 'mode', 'bytes ours', 'bytes TF', 'size', 'MAE ours', 'MAE TF', 'MAE ratio', 'top-1 ours', 'top-1 TF', 'quantize ms'],
    rows.map((r) => [
      r.model, r.mode, String(r.bytes.ours), String(r.bytes.tf), percent(r.bytes.ours, r.bytes.tf),
      r.mae.ours.toExponential(3), r.mae.tf.toExponential(3), r.mae.tf === 0 ? (r.mae.ours === 0 ? '1.00' : 'inf') : (r.mae.ours / r.mae.tf).toFixed(2),
      r.top1.ours === null ? '-' : `${(r.top1.ours * 100).toFixed(0)}%`, r.top1.tf === null ? '-' : `${(r.top1.tf * 100).toFixed(0)}%`,
      r.quantizeMs.toFixed(0),
    ]),
  );
}

runMain(async () => {
  const rows: Row[] = [];
  for (const mode of ['int8', 'int16x8', 'dynamic'] as const) {
    for (const name of MODELS) {
      const row = measure(name, mode);
      if (row !== null) rows.push(row);
    }
  }
  process.stdout.write(`\nQuantization: ours vs TensorFlow 2.21's converter (same calibration and evaluation samples; errors against the float model, both run in our interpreter)\n`);
  process.stdout.write(`${table(rows)}\n`);
  writeResults(RESULTS_FILE, { ...resultsHeader('quantize'), rows });
});
