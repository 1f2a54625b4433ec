// TensorFlow.js with its pure-JavaScript CPU backend as a peer, running each model through the
// bench-only translator (tfjs-translate.ts). Timed: tf.tidy(graph.run(inputs)) and dataSync() of
// the outputs (the CPU backend computes eagerly, so that is the whole inference). Load: the
// translation (dequantizing and uploading the weights, transposing filters) and disposing it.
import { loadModel } from '../lib/model/read.js';
import { inputTensors, outputTensors, type ModelCase } from './cases.js';
import { benchRequire, notInstalled, packageVersion, type Peer, type PeerModel, type PeerRun, type UnavailablePeer } from './peer.js';
import { realValues, toOutputUnits, translate, type Tf, type TfTensor } from './tfjs-translate.js';

const CORE = '@tensorflow/tfjs-core';
const BACKEND = '@tensorflow/tfjs-backend-cpu';
const DESCRIPTION = `${CORE} + ${BACKEND}: our Model translated to tfjs ops (bench/tfjs-translate.ts), float32 throughout `
  + '(int8 models on dequantized weights); timed: tf.tidy(run) + dataSync() of the outputs; load: translation + dispose';

interface TfBackendControl {
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
  ready(): Promise<void>;
}

function isTf(value: unknown): value is Tf & TfBackendControl {
  return typeof value === 'object' && value !== null
    && ['tensor', 'tidy', 'conv2d', 'setBackend', 'getBackend'].every((name) => name in value);
}

export async function loadTfjsCpuPeer(): Promise<Peer | UnavailablePeer> {
  const missing = notInstalled('tfjs-cpu', DESCRIPTION, CORE) ?? notInstalled('tfjs-cpu', DESCRIPTION, BACKEND);
  if (missing) return missing;
  const version = `${packageVersion(CORE)}`;
  try {
    const tf: unknown = benchRequire(CORE);
    if (!isTf(tf)) throw new Error(`${CORE} does not export the ops the translator uses`);
    // The CPU backend's first tensor in Node warns to install tfjs-node: keep it out of the table.
    const warn = console.warn;
    console.warn = () => {};
    try {
      benchRequire(BACKEND);
      await tf.setBackend('cpu');
      await tf.ready();
      tf.tensor(new Float32Array(1), [1]).dispose();
    } finally {
      console.warn = warn;
    }
    if (tf.getBackend() !== 'cpu') throw new Error(`backend is ${tf.getBackend()}, not cpu`);

    const prepare = (modelCase: ModelCase): PeerModel => {
      const model = loadModel(modelCase.bytes);
      const outputs = outputTensors(model);
      return {
        loadOnce: async () => translate(tf, model).dispose(),
        open: async (): Promise<PeerRun> => {
          const graph = translate(tf, model);
          const inputs: TfTensor[] = inputTensors(model).map((spec, i) => tf.tensor(realValues(spec, modelCase.inputs[i]), [...spec.shape]));
          let last: ArrayLike<number>[] = [];
          return {
            invoke: () => {
              const results = tf.tidy(() => graph.run(inputs));
              last = results.map((t) => t.dataSync());
              for (const t of results) t.dispose();
            },
            outputs: () => last.map((values, k) => Array.from(values, (v) => toOutputUnits(outputs[k], v))),
            dispose: () => {
              for (const t of inputs) t.dispose();
              graph.dispose();
            },
          };
        },
      };
    };
    return { id: 'tfjs-cpu', version: `${version} (${BACKEND} ${packageVersion(BACKEND)})`, description: DESCRIPTION, prepare };
  } catch (err) {
    return { id: 'tfjs-cpu', description: DESCRIPTION, unavailable: `${CORE} failed to start: ${err instanceof Error ? err.message : String(err)}` };
  }
}
