// The C runtime on the host against TFLM's goldens: every int8/int16-input model of ../shared/golden
// and the int8 and int16x8 Keras models of ../shared/models/keras (also with float32 input/output), byte for byte.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildTinymlPlan, readTinymlPlan, TinymlPlanError, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { loadModel } from '../../lib/model/read.js';
import { writeModel } from '../../lib/model/write.js';
import { SHARED } from '../support/paths.js';
import { buildHostRuntime, haveGcc, runHost, tempDir } from './host-runtime.js';

const GOLDEN = path.join(SHARED, 'golden');

interface GoldenCase { case: string; inputs: { file: string }[]; outputs: { file: string }[] }
interface GoldenModel { model: string; inputs?: { dtype: string }[]; cases?: GoldenCase[] }
interface KerasEntry { model: string; variant: string; input_dtype: string; frames: number; tflm_output_file: string }

function int8GoldenModels(): [string, GoldenModel][] {
  return fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.json')).map((f): [string, GoldenModel] => [f.replace(/\.json$/, ''), JSON.parse(fs.readFileSync(path.join(GOLDEN, f), 'utf8')) as GoldenModel])
    .filter(([, j]) => j.inputs !== undefined && j.inputs.length > 0 && j.inputs.every((i) => i.dtype === 'int8' || i.dtype === 'int16') && (j.cases?.length ?? 0) > 0);
}

function kerasInt8Models(): KerasEntry[] {
  const check = JSON.parse(fs.readFileSync(path.join(GOLDEN, 'keras_tflm_check.json'), 'utf8')) as { models: KerasEntry[] };
  // int8 models, int8 models with float32 input/output (QUANTIZE and DEQUANTIZE at the edges), and
  // the int16x8 ones (float32 edges around int16 activations).
  return check.models.filter((m) => (m.variant === 'int8' && m.input_dtype === 'int8') || m.variant === 'int8_floatio' || m.variant === 'int16x8');
}

/** Plans the model and writes it to dir; null (with the reason) when the C runtime cannot run it. */
function plannedModel(modelPath: string, dir: string): { file: string; plan: ReturnType<typeof readTinymlPlan> } | { unsupported: string } {
  const model = loadModel(fs.readFileSync(modelPath));
  try {
    buildTinymlPlan(model);
  } catch (error) {
    if (error instanceof TinymlPlanError) return { unsupported: error.message };
    throw error;
  }
  const planned = withTinymlPlan(model);
  const file = path.join(dir, 'model.tflite');
  fs.writeFileSync(file, writeModel(planned));
  return { file, plan: readTinymlPlan(loadModel(fs.readFileSync(file))) };
}

const concat = (files: string[]): Buffer => Buffer.concat(files.map((f) => fs.readFileSync(path.join(GOLDEN, f))));

describe('firmware: C runtime on the host vs TFLM goldens', function () {
  before(function () {
    if (!haveGcc()) this.skip();
  });

  for (const [name, golden] of int8GoldenModels()) {
    it(`${name}: every case byte-equal`, async function () {
      const dir = tempDir(name);
      const planned = plannedModel(path.join(SHARED, golden.model), dir);
      if ('unsupported' in planned) {
        console.log(`      (skipped ${name}: ${planned.unsupported})`);
        this.skip();
      }
      const exe = await buildHostRuntime(dir, planned.plan);
      for (const c of golden.cases ?? []) {
        const out = await runHost(exe, planned.file, concat(c.inputs.map((i) => i.file)));
        assert.ok(out.equals(concat(c.outputs.map((o) => o.file))), `${name} case ${c.case}: outputs differ from TFLM`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  for (const entry of kerasInt8Models()) {
    const name = path.basename(entry.model, '.tflite');
    it(`keras ${name}: ${entry.frames} eval samples byte-equal`, async function () {
      const dir = tempDir(name);
      const planned = plannedModel(path.join(SHARED, entry.model), dir);
      if ('unsupported' in planned) {
        console.log(`      (skipped ${name}: ${planned.unsupported})`);
        this.skip();
      }
      const exe = await buildHostRuntime(dir, planned.plan);
      const base = name.replace(/\.(int8(_floatio)?|int16x8)$/, '');
      // golden/keras_tflm_check.json: int8 inputs from NAME.int8.eval_in.bin, float32 ones from NAME.eval.f32.
      const inputFile = entry.input_dtype === 'int8' ? `${base}.int8.eval_in.bin` : `${base}.eval.f32`;
      const out = await runHost(exe, planned.file, fs.readFileSync(path.join(GOLDEN, 'tf', inputFile)));
      assert.ok(out.equals(fs.readFileSync(path.join(GOLDEN, entry.tflm_output_file))), `${name}: outputs differ from TFLM`);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
});
