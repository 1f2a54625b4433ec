import { Option, type Command } from 'commander';
import type { QuantizedIoType, QuantizeMode, QuantizeProgress, QuantizeResult, Sample } from '../../quantize/types.js';
import { examples } from '../help.js';
import type { Progress } from '../progress.js';

interface QuantizeCliOptions {
  data?: string;
  eval?: string;
  labels?: string;
  mode: QuantizeMode;
  io?: 'int8' | 'uint8' | 'int16' | 'float';
  perTensorFc?: boolean;
  output: string;
  json?: boolean;
}

const STAGE_LABELS: Readonly<Record<QuantizeProgress['stage'], string>> = {
  calibrate: 'calibrating',
  quantize: 'quantizing ',
  evaluate: 'evaluating ',
};

/** One bar per stage of quantize(), each replacing the last. */
function stageBars(start: (label: string, total: number) => Progress): { update(p: QuantizeProgress): void; stop(): void } {
  let stage: string | null = null;
  let bar: Progress | null = null;
  let shown = 0;
  return {
    update(p) {
      if (p.stage !== stage) {
        bar?.stop();
        stage = p.stage;
        bar = start(STAGE_LABELS[p.stage], p.total);
        shown = 0;
      }
      for (; shown < p.done; shown++) bar?.done();
    },
    stop() {
      bar?.stop();
    },
  };
}

/** JSON for scripts: an exact tensor's SQNR (Infinity) as the string "Infinity", not null. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
}

export function quantizeCommand(program: Command): void {
  program
    .command('quantize')
    .description('post-training quantization of a float .tflite (int8, int16x8 or dynamic range), with the accuracy report')
    .argument('<MODEL>', 'a float32 .tflite file')
    .addOption(new Option('--mode <MODE>', 'int8: full integer (TFLM); int16x8: int16 activations; dynamic: int8 weights only').choices(['int8', 'int16x8', 'dynamic']).makeOptionMandatory())
    .option('--data <FILE>', 'representative samples to calibrate on: JSON, CSV, .npy or raw float32 (.f32), by extension (int8, int16x8)')
    .option('--eval <FILE>', 'samples to measure the error on (default: the --data samples)')
    .option('--labels <FILE>', 'class ids of the --eval samples, a JSON array: the report adds both models\' accuracy')
    .addOption(new Option('--io <TYPE>', 'the quantized model\'s input/output type (default: the activation type)').choices(['int8', 'uint8', 'int16', 'float']))
    .option('--per-tensor-fc', 'one weight scale per FULLY_CONNECTED (smaller; TF 2.21 writes per-channel)')
    .requiredOption('-o, --output <FILE>', 'where to write the quantized .tflite (nothing is written on an error)')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', examples([
      ['tinyml quantize sine.tflite --mode int8 --data x.json -o sine_int8.tflite', 'x.json: [[0.1], [0.2], ...]'],
      ['tinyml quantize kws.tflite --mode int8 --data rep.npy --eval test.npy --labels test.json -o kws_int8.tflite', 'accuracy on labelled samples'],
      ['tinyml quantize model.tflite --mode int8 --io float --data rep.csv -o m.tflite', 'float I/O, int8 inside'],
      ['tinyml quantize model.tflite --mode dynamic -o m_dynamic.tflite', 'no samples needed'],
    ]))
    .action(async (modelPath: string, options: QuantizeCliOptions) => {
      const { readModelFile } = await import('../model-file.js');
      const { readInputFile, readInputText, writeOutputFile } = await import('../files.js');
      const { CliError, UsageError } = await import('../errors.js');
      const { startProgress } = await import('../progress.js');
      const { formatReport, modelInputs, readSamples, SampleError } = await import('../../quantize/index.js');
      const { quantizeInWorker } = await import('../../quantize/worker.js');

      if (options.mode !== 'dynamic' && options.data === undefined) {
        throw new UsageError(`--mode ${options.mode} calibrates on representative samples: give --data FILE`);
      }
      if (options.labels !== undefined && options.eval === undefined && options.data === undefined) {
        throw new UsageError('--labels names the classes of --eval (or --data) samples: give those too');
      }
      const { bytes, model } = readModelFile(modelPath);
      const inputs = modelInputs(model);
      const samples = (file: string | undefined, what: string): Sample[] | undefined => {
        if (file === undefined) return undefined;
        try {
          return readSamples(readInputFile(file, what), 'auto', inputs, file);
        } catch (err) {
          if (err instanceof SampleError) throw new CliError(err.message);
          throw err;
        }
      };
      const representative = samples(options.data, 'representative data');
      const evaluation = samples(options.eval, 'evaluation data');
      let labels: number[] | undefined;
      if (options.labels !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(readInputText(options.labels, 'labels'));
        } catch (err) {
          if (err instanceof CliError) throw err;
          throw new CliError(`${options.labels}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
        }
        if (!Array.isArray(parsed) || !parsed.every((v) => Number.isInteger(v) && v >= 0)) {
          throw new CliError(`${options.labels}: expected a JSON array of class ids (whole numbers >= 0)`);
        }
        labels = parsed as number[];
      }
      const io: QuantizedIoType | undefined = options.io === 'float' ? 'float32' : options.io;

      const bars = stageBars((label, total) => startProgress(label, total));
      let result: QuantizeResult;
      try {
        result = await quantizeInWorker(
          bytes,
          { mode: options.mode, representative, evaluation, labels, perChannelFullyConnected: options.perTensorFc !== true, inputType: io, outputType: io },
          (p) => bars.update(p),
        );
      } catch (err) {
        // Whatever quantize() refuses is about this model or these samples.
        throw new CliError(`cannot quantize ${modelPath}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        bars.stop();
      }
      writeOutputFile(options.output, result.bytes);
      if (options.json) {
        process.stdout.write(`${toJson({ output: options.output, bytes: result.bytes.length, report: result.report })}\n`);
        return;
      }
      process.stdout.write(`${formatReport(result.report)}\nwrote ${options.output} (${result.bytes.length} bytes)\n`);
    });
}
