import path from 'node:path';
import type { Command } from 'commander';
import type { BoardProfile } from '../../deploy/boards/profile.js';
import { CliError, UsageError } from '../errors.js';
import { readInputFile, writeOutputFile } from '../files.js';
import { examples } from '../help.js';

interface FirmwareOptions {
  board: string;
  output?: string;
  name?: string;
  tflm?: boolean;
  size?: boolean;
}

/** 'models/hello_world_int8.tflite' -> 'hello_world_int8', a C identifier. */
function projectName(modelPath: string): string {
  const base = path.basename(modelPath).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(base) ? base : `m_${base}`;
}

export function firmwareCommand(program: Command): void {
  program
    .command('firmware')
    .description('write a buildable firmware project for a board: the model as a C array on our C runtime (or TFLM with --tflm)')
    .argument('<MODEL>', 'an int8 .tflite file')
    .requiredOption('-b, --board <ID>', 'board profile (tinyml boards lists them)')
    .option('-o, --output <DIR>', 'write the project into this folder')
    .option('--name <NAME>', 'project and sketch name, a C identifier (default: from the model file)')
    .option('--tflm', 'write a TensorFlow Lite Micro project instead of one on our runtime')
    .option('--size', 'build the project (make + the board\'s compiler) and print flash and RAM per part')
    .addHelpText('after', examples([
      ['tinyml firmware hello.tflite --board uno -o hello', 'Makefile, Arduino sketch, platformio.ini'],
      ['tinyml firmware hello.tflite --board qemu-mps2-an385 --size', 'build and print the size table'],
      ['tinyml firmware person.tflite --board nano33ble --tflm -o person', 'a TFLM sketch'],
    ]))
    .action(async (modelPath: string, options: FirmwareOptions) => {
      if (!options.output && !options.size) throw new UsageError('give -o DIR to write the project, or --size to measure it');
      if (options.tflm && options.size) throw new UsageError('--size measures our runtime\'s firmware; it does not build TFLM projects');
      const bytes = readInputFile(modelPath, 'model');
      const { findBoard } = await import('../../deploy/boards/index.js');
      let board: BoardProfile;
      try {
        board = findBoard(options.board);
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      const name = options.name ?? projectName(modelPath);
      const files = options.tflm ? await tflmFiles(bytes, modelPath, name, board) : await runtimeFiles(bytes, modelPath, name, board);
      if (options.output) {
        const { startProgress } = await import('../progress.js');
        const entries = Object.entries(files);
        const bar = startProgress('writing', entries.length);
        for (const [file, text] of entries) {
          bar.working(file);
          writeOutputFile(path.join(options.output, ...file.split('/')), text);
          bar.done();
        }
        bar.stop();
        process.stdout.write(`wrote ${entries.length} files to ${options.output}: ${options.tflm ? 'TFLM' : 'tinyml runtime'} project ${name} for ${board.name}\n`);
      }
      if (options.size) {
        const { measureFirmware, formatSizeTable } = await import('../../deploy/firmware-size-report.js');
        const { startProgress } = await import('../progress.js');
        const bar = startProgress('building', 1);
        bar.working(board.id);
        try {
          const row = await measureFirmware(bytes, board, name);
          bar.done();
          bar.stop();
          process.stdout.write(`${formatSizeTable([row])}\n`);
        } catch (err) {
          bar.stop();
          throw new CliError(`cannot build ${modelPath} for ${board.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    });
}

async function runtimeFiles(bytes: Uint8Array, modelPath: string, name: string, board: BoardProfile): Promise<Record<string, string>> {
  const { firmwareProject, FirmwareProjectError } = await import('../../codegen/firmware-project.js');
  const { ModelError } = await import('../../model/errors.js');
  try {
    return firmwareProject(bytes, { board, name }).files;
  } catch (err) {
    if (err instanceof FirmwareProjectError) throw new CliError(`${modelPath}: ${err.message}`);
    if (err instanceof ModelError) throw new CliError(`${modelPath}: ${err.message}`);
    throw err;
  }
}

async function tflmFiles(bytes: Uint8Array, modelPath: string, name: string, board: BoardProfile): Promise<Record<string, string>> {
  const { tflmProject, TflmExportError } = await import('../../codegen/tflm-export.js');
  const { loadModel } = await import('../../model/read.js');
  try {
    return tflmProject(loadModel(bytes), bytes, { name, board }).files;
  } catch (err) {
    if (err instanceof TflmExportError) throw new CliError(`${modelPath}: ${err.message}`);
    throw err;
  }
}
