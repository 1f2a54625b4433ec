import path from 'node:path';
import type { Command } from 'commander';
import { examples } from '../help.js';

interface RunOptions {
  input?: string[];
  random?: string;
  frames?: string;
  out?: string;
  runs?: string;
  json?: boolean;
  profile?: boolean;
}

/** How many values a line shows before eliding (the JSON output always has them all). */
const SHOWN_VALUES = 16;

export function runCommand(program: Command): void {
  program
    .command('run')
    .description('run a model in the TypeScript TFLM interpreter on inputs from files or a seed')
    .argument('<MODEL>', 'a .tflite file')
    .option('-i, --input <FILE...>', 'one file per model input: raw tensor bytes (.bin, K frames back to back) or a JSON array of numbers')
    .option('--random <SEED>', 'pseudo-random inputs as the TFLM goldens make them (mulberry32); the default is seed 1')
    .option('--frames <N>', 'how many frames of random input (frames share the interpreter state)', '1')
    .option('--out <DIR>', 'write each output\'s raw bytes (all frames back to back) as DIR/output0.bin, output1.bin, ...')
    .option('--runs <N>', 'time N more invokes of the last frame and report the median (state models: the state moves on)')
    .option('--json', 'print frames, outputs (raw and dequantized), arenaUsedBytes and timing as JSON')
    .option('--profile', 'add per-operator time and MACs of the last invoke')
    .addHelpText('after', examples([
      ['tinyml run hello_world_int8.tflite --random 1', 'the golden "seed1" case'],
      ['tinyml run model.tflite -i frames.bin --out results', 'K frames in, K results in results/output0.bin'],
      ['tinyml run person_detect.tflite --runs 200 --json', 'median invoke time'],
      ['tinyml run sine_float.tflite -i x.json --json', 'x.json: [0.5, 1.0, 1.5]'],
    ]))
    .action(async (modelPath: string, options: RunOptions) => {
      const { readModelFile } = await import('../model-file.js');
      const { readInputFile, readInputText, writeOutputFile } = await import('../files.js');
      const { CliError, UsageError } = await import('../errors.js');
      const { Interpreter, InterpreterError, decodeFrame, encodeValues, runFrames, seededInputs } = await import('../../interpreter/index.js');

      const integer = (text: string | undefined, what: string, min: number): number | undefined => {
        if (text === undefined) return undefined;
        if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${what} must be an integer >= ${min}, got "${text}"`);
        return Number(text);
      };
      const seed = integer(options.random, '--random', 0);
      const frames = integer(options.frames, '--frames', 1) ?? 1;
      const runs = integer(options.runs, '--runs', 1) ?? 0;
      if (options.input && seed !== undefined) throw new UsageError('give --input or --random, not both');

      const { model } = readModelFile(modelPath);
      try {
        const interpreter = new Interpreter(model, { profile: options.profile === true });
        interpreter.allocate();
        let inputs: Uint8Array[];
        if (options.input) {
          if (options.input.length !== interpreter.inputCount) {
            throw new CliError(`${modelPath} has ${interpreter.inputCount} input(s); --input gave ${options.input.length} file(s)`);
          }
          inputs = options.input.map((file, i) => {
            if (!file.toLowerCase().endsWith('.json')) return readInputFile(file, `input ${i}`);
            let values: unknown;
            try {
              values = JSON.parse(readInputText(file, `input ${i}`));
            } catch (err) {
              throw new CliError(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
            }
            const flat = Array.isArray(values) ? values.flat(Infinity) : [values];
            if (!flat.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) {
              throw new CliError(`${file}: expected a JSON array of numbers`);
            }
            return encodeValues(interpreter.input(i), flat);
          });
        } else {
          inputs = seededInputs(interpreter, seed ?? 1, frames);
        }
        const result = runFrames(interpreter, inputs);

        if (options.out) {
          const dir = options.out;
          result.outputs.forEach((bytes, j) => writeOutputFile(path.join(dir, `output${j}.bin`), bytes));
        }
        let timing: { runs: number; medianMs: number } | undefined;
        if (runs > 0) {
          const samples: number[] = [];
          for (let r = 0; r < runs; r++) {
            const t0 = performance.now();
            interpreter.invoke();
            samples.push(performance.now() - t0);
          }
          samples.sort((a, b) => a - b);
          const mid = samples.length >> 1;
          timing = { runs, medianMs: samples.length % 2 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2 };
        }

        const outputs = result.outputs.map((bytes, j) => {
          const tensor = interpreter.output(j);
          const quantized = tensor.quantization !== null && tensor.scale !== 0;
          const framesOut = Array.from({ length: result.frames }, (_, f) => {
            const values = decodeFrame(tensor, bytes, f);
            return { values, dequantized: quantized ? values.map((v) => (v - tensor.zeroPoint) * tensor.scale) : null };
          });
          return { index: j, name: tensor.name, dtype: tensor.dtype, shape: [...tensor.shape], scale: tensor.scale, zeroPoint: tensor.zeroPoint, frames: framesOut };
        });
        const profile = options.profile ? interpreter.profile() : undefined;

        if (options.json) {
          process.stdout.write(`${JSON.stringify({ frames: result.frames, abortedFrames: result.aborted, arenaUsedBytes: interpreter.arenaUsedBytes, outputs, timing, profile }, null, 2)}\n`);
          return;
        }
        const lines = [`${modelPath}: ${result.frames} frame(s), arena ${interpreter.arenaUsedBytes} bytes`];
        for (const out of outputs) {
          lines.push(`output ${out.index} ${out.name} ${out.dtype}[${out.shape.join(',')}]${out.frames[0]?.dequantized ? ` (scale ${out.scale}, zero point ${out.zeroPoint})` : ''}`);
          out.frames.forEach((frame, f) => {
            const show = (list: number[]): string =>
              list.slice(0, SHOWN_VALUES).map((v) => String(Number(v.toPrecision(7)))).join(' ') + (list.length > SHOWN_VALUES ? ` ... (${list.length} values)` : '');
            const skipped = result.aborted.includes(f) ? '  (invoke cut short by the model: stale output)' : '';
            lines.push(`  frame ${f}: ${show(frame.values)}${frame.dequantized ? `  = ${show(frame.dequantized)}` : ''}${skipped}`);
          });
        }
        if (timing) lines.push(`invoke: median ${timing.medianMs.toFixed(4)} ms over ${timing.runs} runs`);
        if (profile) {
          lines.push('profile (last frame)');
          for (const p of profile) lines.push(`  ${String(p.index).padStart(3)}  ${p.op.padEnd(24)} ${p.timeMs.toFixed(4).padStart(10)} ms  ${String(p.macs).padStart(10)} MACs`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      } catch (err) {
        if (err instanceof InterpreterError) throw new CliError(`${modelPath}: ${err.message}`);
        throw err;
      }
    });
}
