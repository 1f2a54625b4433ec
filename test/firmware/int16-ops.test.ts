// The 16x8 kernels and the float32 <-> int16 edges in the C runtime against the TS interpreter:
// QUANTIZE on the float32 values where rounding is delicate (±0, denormals, ±inf, NaN, huge,
// half-way points), DEQUANTIZE on every int16 value, FULLY_CONNECTED 16x8 on seeded inputs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readTinymlPlan, withTinymlPlan } from '../../lib/codegen/plan/index.js';
import { Interpreter, runFrames } from '../../lib/interpreter/index.js';
import { ModelBuilder } from '../../lib/model/builder.js';
import { Conv2DOptionsT, DepthwiseConv2DOptionsT, FullyConnectedOptionsT, Padding, Pool2DOptionsT, SoftmaxOptionsT } from '../../lib/model/schema/tflite.js';
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

/** CONV_2D or DEPTHWISE_CONV_2D 16x8 on a 1x6x5x3 input, 3x3 window, SAME padding, stride 2 (and dilation 1). */
function conv16x8(depthwise: boolean): Model {
  const m = new ModelBuilder();
  const outD = depthwise ? 6 : 4;
  const x = m.addInput({ name: 'x', shape: [1, 6, 5, 3], dtype: 'int16', quantization: { scale: [0.0005], zeroPoint: [0] } });
  const filterShape = depthwise ? [1, 3, 3, outD] : [outD, 3, 3, 3];
  const weights = Int8Array.from({ length: 27 * (depthwise ? 2 : 4) }, (_, i) => ((i * 53) % 255) - 127);
  const scales = Array.from({ length: outD }, (_, c) => 0.004 * (c + 1));
  const w = m.addConstant({ name: 'w', shape: filterShape, dtype: 'int8', data: weights,
    quantization: { scale: scales, zeroPoint: scales.map(() => 0), quantizedDimension: depthwise ? 3 : 0 } });
  const b = m.addConstant({ name: 'b', shape: [outD], dtype: 'int64', data: BigInt64Array.from({ length: outD }, (_, c) => BigInt((c - 2) * 91234)) });
  const y = m.addTensor({ name: 'y', shape: [1, 3, 3, outD], dtype: 'int16', quantization: { scale: [0.01], zeroPoint: [0] } });
  const options = depthwise
    ? Object.assign(new DepthwiseConv2DOptionsT(), { padding: Padding.SAME, strideH: 2, strideW: 2, depthMultiplier: 2, dilationHFactor: 1, dilationWFactor: 1 })
    : Object.assign(new Conv2DOptionsT(), { padding: Padding.SAME, strideH: 2, strideW: 2, dilationHFactor: 1, dilationWFactor: 1 });
  m.addOperator(depthwise ? 'DEPTHWISE_CONV_2D' : 'CONV_2D', [x, w, b], [y], { builtinOptions: options });
  m.addOutput(y);
  return m.build();
}

function pool16(op: 'AVERAGE_POOL_2D' | 'MAX_POOL_2D'): Model {
  const m = new ModelBuilder();
  const q = { scale: [0.001], zeroPoint: [0] };
  const x = m.addInput({ name: 'x', shape: [1, 5, 5, 2], dtype: 'int16', quantization: q });
  const y = m.addTensor({ name: 'y', shape: [1, 3, 3, 2], dtype: 'int16', quantization: q });
  m.addOperator(op, [x], [y], { builtinOptions: Object.assign(new Pool2DOptionsT(), { padding: Padding.SAME, strideH: 2, strideW: 2, filterHeight: 3, filterWidth: 2 }) });
  m.addOutput(y);
  return m.build();
}

function softmax16(beta: number, inputScale: number): Model {
  const m = new ModelBuilder();
  const x = m.addInput({ name: 'x', shape: [3, 10], dtype: 'int16', quantization: { scale: [inputScale], zeroPoint: [0] } });
  const y = m.addTensor({ name: 'y', shape: [3, 10], dtype: 'int16', quantization: { scale: [1 / 32768], zeroPoint: [0] } });
  m.addOperator('SOFTMAX', [x], [y], { builtinOptions: Object.assign(new SoftmaxOptionsT(), { beta }) });
  m.addOutput(y);
  return m.build();
}

function sigmoid16(op: 'LOGISTIC' | 'TANH', inputScale: number): Model {
  const m = new ModelBuilder();
  const x = m.addInput({ name: 'x', shape: [4, 25], dtype: 'int16', quantization: { scale: [inputScale], zeroPoint: [0] } });
  const y = m.addTensor({ name: 'y', shape: [4, 25], dtype: 'int16', quantization: { scale: [2 ** -15], zeroPoint: [0] } });
  m.addOperator(op, [x], [y]);
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

  for (const depthwise of [false, true]) {
    it(`${depthwise ? 'DEPTHWISE_CONV_2D' : 'CONV_2D'} 16x8, SAME padding, stride 2, per-channel, int64 bias`, async () =>
      assertCMatchesInterpreter('conv16', conv16x8(depthwise)));
  }
  for (const op of ['AVERAGE_POOL_2D', 'MAX_POOL_2D'] as const) {
    it(`${op} int16, SAME padding`, async () => assertCMatchesInterpreter('pool16', pool16(op)));
  }
  // Random int16 inputs at scale 1e-4 span +-3.3 (differences up to 6.5); at 1e-3 most fall past the table's -10.
  for (const [beta, scale] of [[1, 0.0001], [0.5, 0.001]]) {
    it(`SOFTMAX int16, beta ${beta}, input scale ${scale}`, async () => assertCMatchesInterpreter('sm16', softmax16(beta, scale)));
  }
  // 2^-12: the exact power-of-two path; 0.0003 and 2^-11 (TANH's second exact shift): the general rescale.
  for (const op of ['LOGISTIC', 'TANH'] as const) {
    for (const scale of [2 ** -12, 2 ** -11, 0.0003]) {
      it(`${op} int16, input scale ${scale}`, async () => assertCMatchesInterpreter('sig16', sigmoid16(op, scale)));
    }
  }
});
