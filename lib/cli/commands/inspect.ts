import type { Command } from 'commander';
import { examples } from '../help.js';

interface InspectOptions {
  json?: boolean;
  board?: string;
}

export function inspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('show a model\'s operators, tensors, quantization and sizes')
    .argument('<MODEL>', 'a .tflite file')
    .option('--json', 'print the report as JSON instead of tables')
    .option('--board <ID>', 'check that the model and our runtime fit this board (see `tinyml boards`)')
    .addHelpText('after', examples([
      ['tinyml inspect hello_world_int8.tflite', 'readable tables'],
      ['tinyml inspect model.tflite --json > report.json', 'the same facts as JSON'],
      ['tinyml inspect model.tflite --board uno', 'flash and RAM budget on an Arduino Uno'],
    ]))
    .action(async (modelPath: string, options: InspectOptions) => {
      // Loaded on use, like every command's work, so `tinyml --help` stays quick.
      const { readModelFile } = await import('../model-file.js');
      const { inspect } = await import('../../inspect/index.js');
      const { formatInspectReport } = await import('../../inspect/format.js');
      const board = options.board === undefined ? undefined : await boardProfile(options.board);
      const { bytes, model } = readModelFile(modelPath);
      const report = inspect(model, { byteLength: bytes.byteLength, board });
      const text = options.json ? JSON.stringify(report, null, 2) : formatInspectReport(report);
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
}

async function boardProfile(id: string): Promise<import('../../deploy/boards/profile.js').BoardProfile> {
  const { findBoard } = await import('../../deploy/boards/index.js');
  const { UsageError } = await import('../errors.js');
  try {
    return findBoard(id);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
