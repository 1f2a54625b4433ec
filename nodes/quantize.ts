// quantize: a float .tflite (the configured model, or a Buffer in msg.payload) -> the quantized
// .tflite and its accuracy report. Calibration runs on a worker thread so the flow keeps running;
// representative samples come from msg.representative, from messages on the collect topic, or
// from the configured file.
import path from 'node:path';
import { formatReport } from '../lib/quantize/format.js';
import { modelInputs, readSamples, type SampleInput } from '../lib/quantize/samples.js';
import type { QuantizedIoType, QuantizeMode, QuantizeProgress, QuantizeReport, Sample } from '../lib/quantize/types.js';
import { quantizeInWorker } from '../lib/quantize/worker.js';
import { errorStatus, formatBytes, messageOf, modelFor, useModelConfig } from './lib-bridge.js';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeStatus } from './types.js';
import { readUserFile, userFilePath } from './user-file.js';

interface QuantizeDef extends NodeDef {
  model?: string;
  mode?: QuantizeMode;
  /** The quantized model's input and output type; empty: the mode's activation type. */
  io?: '' | QuantizedIoType;
  /** Per-channel FULLY_CONNECTED weights (as TF 2.21 writes them); false: one scale per tensor. */
  perChannelFc?: boolean;
  /** Representative samples: JSON, CSV, .npy or raw float32 (by extension), relative to the user dir. */
  data?: string;
  /** Evaluation samples for the report, same formats; empty: the representative samples. */
  evaluation?: string;
  /** Class ids of the evaluation samples: a JSON array of integers. */
  labels?: string;
  /** Messages on this topic add msg.payload as one representative sample; any other message quantizes. */
  collectTopic?: string;
}

const MODES: readonly QuantizeMode[] = ['int8', 'int16x8', 'dynamic'];
const IO_TYPES: Readonly<Record<QuantizeMode, readonly QuantizedIoType[]>> = {
  int8: ['int8', 'uint8', 'float32'],
  int16x8: ['int16', 'float32'],
  dynamic: ['float32'],
};
/** Status updates while calibrating: often enough to watch, rare enough not to flood the editor. */
const PROGRESS_INTERVAL_MS = 200;

/** JSON of samples as a user wrote them: typed arrays as arrays, NaN/Infinity kept visible. */
function samplesJson(samples: unknown): Buffer {
  return Buffer.from(JSON.stringify(samples, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  }));
}

/** Samples given in a message (an array of samples), checked as a JSON sample file is. */
function messageSamples(value: unknown, inputs: readonly SampleInput[], where: string): Sample[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be an array of samples (arrays of numbers or typed arrays), got ${typeof value}`);
  return readSamples(samplesJson(value), 'json', inputs, where);
}

function labelsOf(value: unknown, where: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
    throw new Error(`${where} must be a JSON array of class ids (whole numbers >= 0)`);
  }
  return value as number[];
}

function progressText(p: QuantizeProgress): string {
  const verb = p.stage === 'calibrate' ? 'calibrating' : p.stage === 'evaluate' ? 'evaluating' : 'quantizing';
  return `${verb} ${p.done}/${p.total}`;
}

function shortNumber(v: number): string {
  return v !== 0 && (Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

/** "int8 · 9.2 kB (1.25x smaller) · MAE 9.3e-4 · top-1 100%" */
function resultText(report: QuantizeReport): string {
  const ratio = report.sizeAfter / report.sizeBefore;
  const change = ratio <= 1 ? `${(1 / ratio).toFixed(2)}x smaller` : `${ratio.toFixed(2)}x larger`;
  const parts = [report.mode, `${formatBytes(report.sizeAfter)} (${change})`];
  if (report.samples > 0 && report.outputs.length > 0) parts.push(`MAE ${shortNumber(Math.max(...report.outputs.map((o) => o.mae)))}`);
  if (report.top1Agreement !== null) parts.push(`top-1 ${Math.round(report.top1Agreement * 100)}%`);
  return parts.join(' · ');
}

export = function register(RED: NodeAPI): void {
  const userDir = (): string => RED.settings.userDir ?? process.cwd();

  function QuantizeNode(this: Node, def: QuantizeDef): void {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = useModelConfig(RED, node, def.model);
    const mode: QuantizeMode = def.mode ?? 'int8';
    const io = def.io ?? '';
    const collectTopic = def.collectTopic?.trim() || 'sample';
    const setupError = !MODES.includes(mode)
      ? new Error(`mode must be one of ${MODES.join(', ')}, got "${String(mode)}"`)
      : io !== '' && !IO_TYPES[mode].includes(io)
        ? new Error(`${mode} models take I/O types ${IO_TYPES[mode].join(', ')}, not ${io}`)
        : null;
    if (setupError) node.status(errorStatus(setupError));

    /** Samples collected from messages, kept as given until the next quantization uses them. */
    let collected: unknown[] = [];
    let running: AbortController | null = null;

    function fileSamples(file: string, inputs: readonly SampleInput[]): Sample[] {
      const absolute = userFilePath(userDir(), file);
      const bytes = readUserFile(absolute);
      if (bytes instanceof Error) throw bytes;
      return readSamples(bytes, 'auto', inputs, file);
    }

    function fileLabels(file: string): number[] {
      const bytes = readUserFile(userFilePath(userDir(), file));
      if (bytes instanceof Error) throw bytes;
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        throw new Error(`${file}: not valid JSON (${messageOf(err)})`);
      }
      return labelsOf(parsed, file);
    }

    /** The representative samples of this run, and whether they were the collected ones. */
    function representativeFor(msg: NodeMessage, inputs: readonly SampleInput[]): { samples: Sample[] | undefined; usedCollected: boolean } {
      if (msg.representative !== undefined) return { samples: messageSamples(msg.representative, inputs, 'msg.representative'), usedCollected: false };
      if (collected.length > 0) return { samples: messageSamples(collected, inputs, `the ${collected.length} collected samples`), usedCollected: true };
      if (def.data?.trim()) return { samples: fileSamples(def.data, inputs), usedCollected: false };
      if (mode === 'dynamic') return { samples: undefined, usedCollected: false };
      throw new Error(
        `${mode} quantization needs representative samples: set a data file, send msg.representative, or send samples with msg.topic "${collectTopic}" first`,
      );
    }

    function collect(msg: NodeMessage): NodeStatus {
      if (msg.payload === undefined || msg.payload === null) throw new Error(`a message on topic "${collectTopic}" needs a sample in msg.payload`);
      // With the model known now, a bad sample is refused here, where its message is at hand.
      const loaded = config?.getModel();
      if (loaded && !(loaded instanceof Error)) messageSamples([msg.payload], modelInputs(loaded.model), `msg.payload (topic "${collectTopic}")`);
      collected.push(msg.payload);
      return { fill: 'blue', shape: 'ring', text: `collected ${collected.length} sample${collected.length === 1 ? '' : 's'}` };
    }

    async function run(msg: NodeMessage): Promise<NodeMessage> {
      // The message that starts the run may carry the model in msg.payload.
      const input = modelFor(msg, config);
      const inputs = modelInputs(input.model);
      const { samples, usedCollected } = representativeFor(msg, inputs);
      if (usedCollected) collected = [];
      const evaluation = msg.evaluation !== undefined ? messageSamples(msg.evaluation, inputs, 'msg.evaluation')
        : def.evaluation?.trim() ? fileSamples(def.evaluation, inputs) : undefined;
      const labels = msg.labels !== undefined ? labelsOf(msg.labels, 'msg.labels') : def.labels?.trim() ? fileLabels(def.labels) : undefined;
      const ioType = io === '' ? undefined : io;

      let shownAt = 0;
      const onProgress = (p: QuantizeProgress): void => {
        const now = Date.now();
        if (now - shownAt < PROGRESS_INTERVAL_MS && p.done !== p.total) return;
        shownAt = now;
        node.status({ fill: 'yellow', shape: 'ring', text: progressText(p) });
      };
      node.status({ fill: 'yellow', shape: 'ring', text: `${mode}: starting` });
      running = new AbortController();
      try {
        const result = await quantizeInWorker(
          input.bytes,
          { mode, representative: samples, evaluation, labels, perChannelFullyConnected: def.perChannelFc !== false, inputType: ioType, outputType: ioType },
          onProgress,
          running.signal,
        );
        const source = input.path ?? (typeof msg.filename === 'string' && msg.filename ? msg.filename : 'model.tflite');
        const stem = path.basename(source).replace(/\.tflite$/i, '').replace(/[._-]float$/i, '');
        return {
          ...msg,
          payload: Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength),
          report: result.report,
          reportText: formatReport(result.report),
          filename: `${stem}_${mode}.tflite`,
        };
      } finally {
        running = null;
      }
    }

    node.on('input', (msg, send, done) => {
      const fail = (err: unknown): void => {
        node.status(errorStatus(err));
        done(err instanceof Error ? err : new Error(messageOf(err)));
      };
      try {
        if (setupError) throw setupError;
        if (msg.topic === collectTopic) {
          node.status(collect(msg));
          done();
          return;
        }
        if (msg.reset === true) {
          collected = [];
          node.status({ fill: 'blue', shape: 'ring', text: 'collected samples cleared' });
          done();
          return;
        }
        if (running) throw new Error('a quantization is already running; send the next one when it has finished');
      } catch (err) {
        fail(err);
        return;
      }
      run(msg).then((out) => {
        node.status({ fill: 'green', shape: 'dot', text: resultText(out.report as QuantizeReport) });
        send(out);
        done();
      }, fail);
    });

    node.on('close', (_removed, done) => {
      running?.abort();
      done();
    });
  }
  RED.nodes.registerType('tinyml-quantize', QuantizeNode);
};
