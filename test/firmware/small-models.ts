// Small hand-built models run through the C runtime on the host and through the TS interpreter
// (bit-exact with TFLM's reference kernels) on the same seeded frames: the kernel tests' harness.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readTinymlPlan, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { Interpreter, runFrames, seededInputs } from '../../lib/interpreter/index.js';
import { loadModel } from '../../lib/model/read.js';
import type { Model } from '../../lib/model/types.js';
import { writeModel } from '../../lib/model/write.js';
import { buildHostRuntime, runHost, tempDir } from './host-runtime.js';

/** Frames as the host program reads them: per frame, every input's bytes in index order. */
function interleave(interpreter: Interpreter, inputs: Uint8Array[], frames: number): Uint8Array {
  const sizes = inputs.map((_, i) => interpreter.input(i).byteLength);
  const out = new Uint8Array(sizes.reduce((n, s) => n + s, 0) * frames);
  let at = 0;
  for (let f = 0; f < frames; f++) {
    inputs.forEach((bytes, i) => {
      out.set(bytes.subarray(f * sizes[i], (f + 1) * sizes[i]), at);
      at += sizes[i];
    });
  }
  return out;
}

/** Asserts the C runtime's outputs equal the TS interpreter's on `frames` seeded frames per seed. */
export async function assertCMatchesInterpreter(name: string, model: Model, frames = 3, seeds = [1, 2]): Promise<void> {
  const dir = tempDir(name.replace(/\W+/g, '_'));
  const file = path.join(dir, 'model.tflite');
  const planned = withTinymlPlan(model);
  fs.writeFileSync(file, writeModel(planned));
  const exe = await buildHostRuntime(dir, readTinymlPlan(planned));
  const reloaded = loadModel(fs.readFileSync(file));
  for (const seed of seeds) {
    const interpreter = new Interpreter(reloaded);
    interpreter.allocate();
    const inputs = seededInputs(interpreter, seed, frames);
    const expected = runFrames(interpreter, inputs).outputs;
    // The host program writes every output of a frame in turn.
    const sizes = expected.map((_, j) => interpreter.output(j).byteLength);
    const perFrame = Array.from({ length: frames }, (_, f) => expected.map((o, j) => Buffer.from(o.subarray(f * sizes[j], (f + 1) * sizes[j])))).flat();
    const actual = await runHost(exe, file, interleave(interpreter, inputs, frames));
    assert.deepEqual(actual, Buffer.concat(perFrame), `${name}, seed ${seed}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
