// The 16x8 kernels and the float32 <-> int16 edges in the C runtime against the TS interpreter:
// QUANTIZE on the float32 values where rounding is delicate (±0, denormals, ±inf, NaN, huge,
// half-way points), DEQUANTIZE on every int16 value, FULLY_CONNECTED 16x8 on seeded inputs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readTinymlPlan, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { Interpreter, runFrames } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { FullyConnectedOptionsT } from '../../lib/model/schema/tflite.js';
import type { Model } from '../../lib/model/types.js';
import { writeModel } from '../../lib/model/write.js';
import { buildHostRuntime, haveGcc, runHost, tempDir } from './host-runtime.js';
import { assertCMatchesInterpreter } from './small-models.js';

const SCALE = 0.000123;
const ZERO_POINT = 7; // QUANTIZE to int16 allows a zero point; it shifts the clamp

function edgeModel(op: 'QUANTIZE' | 'DEQUANTIZE', count: number): Model {
  const m = new ModelBuilder();
  const q = { scale: [SCALE], zeroPoint: [ZERO_POINT] };
  const x = m.addInput({ name: 'x', shape: [count], dtype: op === 'QUANTIZE' ? 'float32' : 'int16', quantization: op === 'QUANTIZE' ? null : q });
  const y = m.addTensor({ name: 'y', shape: [count], dtype: op === 'QUANTIZE' ? 'int16' : 'float32', quantization: op === 'QUANTIZE' ? q : null });
  m.addOperator(op, [x], [y]);
  m.addOutput(y);
  return m.build();
}

async function cEqualsTs(name: string, model: Model, input: Uint8Array): Promise<void> {
  const dir = tempDir(name);
  const planned = withTinymlPlan(model);
  const file = path.join(dir, 'model.tflite');
  fs.writeFileSync(file, writeModel(planned));
  const exe = await buildHostRuntime(dir, readTinymlPlan(planned));
  const interpreter = new Interpreter(planned);
  interpreter.allocate();
  const expected = runFrames(interpreter, [input]).outputs[0];
  assert.deepEqual(await runHost(exe, file, input), Buffer.from(expected));
  fs.rmSync(dir, { recursive: true, force: true });
}

function fullyConnected16x8(perChannel: boolean, withBias: boolean): Model {
  const m = new ModelBuilder();
  const [units, depth] = [5, 12];
  const x = m.addInput({ name: 'x', shape: [2, depth], dtype: 'int16', quantization: { scale: [0.0005], zeroPoint: [0] } });
  const weights = Int8Array.from({ length: units * depth }, (_, i) => ((i * 37) % 255) - 127);
  const scales = perChannel ? [0.01, 0.02, 0.005, 0.03, 0.015] : [0.02];
  const w = m.addConstant({ name: 'w', shape: [units, depth], dtype: 'int8', data: weights,
    quantization: { scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: 0 } });
  const bias = withBias
    ? m.addConstant({ name: 'b', shape: [units], dtype: 'int64', data: BigInt64Array.from([-300000n, 1n, 5000000n, -7n, 123456n]) })
    : -1;
  const y = m.addTensor({ name: 'y', shape: [2, units], dtype: 'int16', quantization: { scale: [0.02], zeroPoint: [0] } });
  m.addOperator('FULLY_CONNECTED', [x, w, bias], [y], { builtinOptions: new FullyConnectedOptionsT() });
  m.addOutput(y);
  return m.build();
}

describe('firmware: C int16 edges and 16x8 kernels equal the TS interpreter', function () {
  before(function () {
    if (!haveGcc()) this.skip();
  });

  it('QUANTIZE float32 -> int16: ±0, denormals, ±inf, NaN, huge values and every kind of half-way point', async () => {
    const specials = [0, -0, 1e-45, -1e-45, 1.1754942e-38, Infinity, -Infinity, NaN, 3e38, -3e38, 1e9, -1e9, SCALE, -SCALE];
    // (k + 1/2) * scale rounded to float32, and its float32 neighbours, across and beyond the int16 range.
    const halfWays = Array.from({ length: 600 }, (_, i) => Math.fround((Math.round((i - 300) * 111.7) + 0.5) * SCALE))
      .flatMap((v) => [v, Math.fround(v * (1 + 2 ** -23)), Math.fround(v * (1 - 2 ** -23))]);
    const values = Float32Array.from([...specials, ...halfWays]);
    await cEqualsTs('q16', edgeModel('QUANTIZE', values.length), new Uint8Array(values.buffer));
  });

  it('DEQUANTIZE int16 -> float32: all 65536 values', async () => {
    const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    await cEqualsTs('dq16', edgeModel('DEQUANTIZE', all.length), new Uint8Array(all.buffer));
  });

  for (const [perChannel, withBias] of [[false, true], [true, true], [true, false]] as const) {
    it(`FULLY_CONNECTED 16x8, ${perChannel ? 'per-channel' : 'per-tensor'} weights, ${withBias ? 'int64 bias' : 'no bias'}`, async () =>
      assertCMatchesInterpreter('fc16', fullyConnected16x8(perChannel, withBias)));
  }
});
