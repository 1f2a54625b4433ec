// Makes models/sine_float.tflite, the model the demo flows use: TFLM hello_world's
// network (1 -> 16 relu -> 16 relu -> 1, three FULLY_CONNECTED ops) fitted to y = sin(x) on
// [0, 2*pi]. Trained here in plain TypeScript (seeded init, full-batch Adam) so the file can be
// rebuilt without TensorFlow:  npx tsc -p . && node dist/scripts/make-demo-model.js
import fs from 'node:fs';
import path from 'node:path';
import { ModelBuilder } from '../lib/model/builder.js';
import { writeModel } from '../lib/model/write.js';
import { ActivationFunctionType, FullyConnectedOptionsT } from '../lib/model/schema/tflite.js';

const SEED = 1;
const HIDDEN = 16;
const SAMPLES = 256;
const STEPS = 4000;
const LEARNING_RATE = 0.01;
/** The TFLite version whose runtime the ops need; the converter writes "1.5.0" for FULLY_CONNECTED v1. */
const MIN_RUNTIME_VERSION = '1.5.0';

/** mulberry32, the generator ../shared/golden uses for its seeded inputs. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A dense layer as FULLY_CONNECTED stores it: weights [out][in] row-major, bias [out]. */
interface Dense {
  inputs: number;
  outputs: number;
  weights: Float64Array;
  bias: Float64Array;
}

function initDense(inputs: number, outputs: number, random: () => number): Dense {
  // He-uniform, as for relu layers.
  const limit = Math.sqrt(6 / inputs);
  const weights = Float64Array.from({ length: inputs * outputs }, () => (random() * 2 - 1) * limit);
  return { inputs, outputs, weights, bias: new Float64Array(outputs) };
}

/** y[n][o] = sum_i w[o][i] x[n][i] + b[o] for a batch of `count` rows, relu applied if asked. */
function forward(layer: Dense, x: Float64Array, y: Float64Array, count: number, relu: boolean): void {
  const { inputs, outputs, weights, bias } = layer;
  for (let n = 0; n < count; n++) {
    for (let o = 0; o < outputs; o++) {
      let sum = bias[o];
      for (let i = 0; i < inputs; i++) sum += weights[o * inputs + i] * x[n * inputs + i];
      y[n * outputs + o] = relu && sum < 0 ? 0 : sum;
    }
  }
}

/**
 * Accumulates dLoss/dParams into `grad` and writes dLoss/dInput to `dx` (masked by the relu of
 * the layer below, whose output `x` is), for `dy` = dLoss/dOutput.
 */
function backward(layer: Dense, grad: Dense, x: Float64Array, dy: Float64Array, dx: Float64Array | null, count: number): void {
  const { inputs, outputs, weights } = layer;
  dx?.fill(0);
  for (let n = 0; n < count; n++) {
    for (let o = 0; o < outputs; o++) {
      const d = dy[n * outputs + o];
      if (d === 0) continue;
      grad.bias[o] += d;
      for (let i = 0; i < inputs; i++) {
        grad.weights[o * inputs + i] += d * x[n * inputs + i];
        if (dx !== null) dx[n * inputs + i] += d * weights[o * inputs + i];
      }
    }
  }
  if (dx !== null) for (let k = 0; k < dx.length; k++) if (x[k] <= 0) dx[k] = 0;
}

class Adam {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(private readonly params: Float64Array[]) {
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  step(grads: Float64Array[], learningRate: number): void {
    const beta1 = 0.9;
    const beta2 = 0.999;
    this.t++;
    const correction1 = 1 - beta1 ** this.t;
    const correction2 = 1 - beta2 ** this.t;
    this.params.forEach((p, k) => {
      const g = grads[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= (learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + 1e-8);
      }
    });
  }
}

export function trainSine(): Dense[] {
  const random = mulberry32(SEED);
  const layers = [initDense(1, HIDDEN, random), initDense(HIDDEN, HIDDEN, random), initDense(HIDDEN, 1, random)];
  // With zero biases every first-layer relu would bend at x = 0, outside the data, leaving a
  // network that is linear on [0, 2*pi]: spread the bends over the range instead.
  layers[0].bias = layers[0].weights.map((w) => -w * random() * 2 * Math.PI);
  const grads = layers.map((l) => ({ ...l, weights: new Float64Array(l.weights.length), bias: new Float64Array(l.bias.length) }));
  const adam = new Adam(layers.flatMap((l) => [l.weights, l.bias]));

  const xs = Float64Array.from({ length: SAMPLES }, (_, i) => (2 * Math.PI * i) / (SAMPLES - 1));
  const h1 = new Float64Array(SAMPLES * HIDDEN);
  const h2 = new Float64Array(SAMPLES * HIDDEN);
  const y = new Float64Array(SAMPLES);
  const dy = new Float64Array(SAMPLES);
  const dh2 = new Float64Array(SAMPLES * HIDDEN);
  const dh1 = new Float64Array(SAMPLES * HIDDEN);

  for (let step = 0; step < STEPS; step++) {
    forward(layers[0], xs, h1, SAMPLES, true);
    forward(layers[1], h1, h2, SAMPLES, true);
    forward(layers[2], h2, y, SAMPLES, false);
    // Mean squared error over the batch.
    for (let n = 0; n < SAMPLES; n++) dy[n] = (2 * (y[n] - Math.sin(xs[n]))) / SAMPLES;
    for (const g of grads) {
      g.weights.fill(0);
      g.bias.fill(0);
    }
    backward(layers[2], grads[2], h2, dy, dh2, SAMPLES);
    backward(layers[1], grads[1], h1, dh2, dh1, SAMPLES);
    backward(layers[0], grads[0], xs, dh1, null, SAMPLES);
    // Decay towards the end so the fit settles instead of hopping around the minimum.
    const learningRate = LEARNING_RATE * (step < STEPS / 2 ? 1 : 0.1);
    adam.step(grads.flatMap((g) => [g.weights, g.bias]), learningRate);
  }
  return layers;
}

export function buildSineModel(layers: Dense[]): Uint8Array {
  const b = new ModelBuilder({
    description: 'sine_float: y = sin(x) for x in [0, 2*pi], a 1-16-16-1 float32 MLP (TFLM hello_world layout) trained by scripts/make-demo-model.ts',
  });
  let activation = b.addInput({ name: 'x', shape: [1, 1], dtype: 'float32' });
  layers.forEach((layer, k) => {
    const last = k === layers.length - 1;
    const scope = k === 0 ? 'dense' : `dense_${k}`;
    const weights = b.addConstant({
      name: `${scope}/MatMul`, shape: [layer.outputs, layer.inputs], dtype: 'float32', data: Float32Array.from(layer.weights),
    });
    const bias = b.addConstant({ name: `${scope}/BiasAdd`, shape: [layer.outputs], dtype: 'float32', data: Float32Array.from(layer.bias) });
    const output = b.addTensor({ name: last ? 'y' : `${scope}/Relu`, shape: [1, layer.outputs], dtype: 'float32' });
    const options = new FullyConnectedOptionsT(last ? ActivationFunctionType.NONE : ActivationFunctionType.RELU);
    b.addOperator('FULLY_CONNECTED', [activation, weights, bias], [output], { builtinOptions: options });
    activation = output;
  });
  b.addOutput(activation);
  b.addSignature('serving_default');
  // The converter stores the version string zero-padded to 16 bytes.
  const version = new Uint8Array(16);
  version.set(new TextEncoder().encode(MIN_RUNTIME_VERSION));
  b.addMetadata('min_runtime_version', version);
  return writeModel(b.build());
}

function maxAbsError(layers: Dense[]): number {
  let worst = 0;
  for (let i = 0; i < 100; i++) {
    const x = (2 * Math.PI * i) / 99;
    const h1 = new Float64Array(HIDDEN);
    const h2 = new Float64Array(HIDDEN);
    const y = new Float64Array(1);
    forward(layers[0], Float64Array.of(x), h1, 1, true);
    forward(layers[1], h1, h2, 1, true);
    forward(layers[2], h2, y, 1, false);
    worst = Math.max(worst, Math.abs(y[0] - Math.sin(x)));
  }
  return worst;
}

function main(): void {
  const started = Date.now();
  const layers = trainSine();
  const bytes = buildSineModel(layers);
  const out = path.resolve(__dirname, '../../models/sine_float.tflite');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, bytes);
  console.log(`make-demo-model: ${path.relative(process.cwd(), out)}, ${bytes.length} bytes, max |error| on 100 points ${maxAbsError(layers).toFixed(4)}, ${Date.now() - started} ms`);
}

if (require.main === module) main();
