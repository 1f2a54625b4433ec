import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CArrayResult } from '../../codegen/c-array.js';
import { CliError, UsageError } from '../errors.js';
import { readInputFile, writeOutputFile } from '../files.js';
import { examples } from '../help.js';

interface CArrayOptions {
  output?: string;
  header?: string;
  name?: string;
  xxd?: boolean;
  align?: number;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a number of bytes such as 16.');
  return Number(value);
}

/** model.cc -> model.h; a name without an extension gets .h appended. */
function headerBeside(sourcePath: string): string {
  const ext = path.extname(sourcePath);
  return `${ext ? sourcePath.slice(0, -ext.length) : sourcePath}.h`;
}

/** How the source names its header in #include: relative to the source, with '/' on every OS. */
function includePath(sourcePath: string, headerPath: string): string {
  return path.relative(path.dirname(path.resolve(sourcePath)), path.resolve(headerPath)).split(path.sep).join('/');
}

async function generate(bytes: Uint8Array, modelPath: string, options: CArrayOptions, includeName: string | undefined): Promise<CArrayResult> {
  const { toCArray } = await import('../../codegen/c-array.js');
  try {
    return toCArray(bytes, {
      name: options.name,
      fileName: modelPath,
      xxd: options.xxd,
      alignment: options.align,
      headerFileName: includeName,
    });
  } catch (err) {
    // toCArray refuses only an empty input and option values (symbol, alignment, header name).
    if (err instanceof RangeError) {
      if (bytes.byteLength === 0) throw new CliError(`${modelPath}: ${err.message}`);
      throw new UsageError(err.message);
    }
    throw err;
  }
}

export function cArrayCommand(program: Command): void {
  program
    .command('c-array')
    .description('turn a model into C/C++ source (a const byte array) for firmware')
    .argument('<MODEL>', 'a .tflite file (any file with --xxd)')
    .option('-o, --output <FILE>', 'write the source here and its header beside it (FILE with .h) instead of printing the source')
    .addOption(new Option('--header <FILE>', 'write the header here').conflicts('xxd'))
    .option('--name <SYM>', 'the array\'s C name (default: the file\'s base name, as xxd makes it)')
    .option('--xxd', 'print what `xxd -i` prints for the file in its own folder, byte for byte')
    .addOption(new Option('--align <N>', 'align the array to N bytes, a power of two (default 16: TFLM reads the model in place; 1 for none)')
      .argParser(parseCount).conflicts('xxd'))
    .addHelpText('after', examples([
      ['tinyml c-array model.tflite', 'source on stdout'],
      ['tinyml c-array model.tflite -o src/model.cc', 'src/model.cc and src/model.h'],
      ['tinyml c-array model.tflite -o m.cc --header inc/m.h --name g_model', 'choose paths and symbol'],
      ['tinyml c-array model.tflite --xxd > model.h', 'same bytes as xxd -i model.tflite'],
    ]))
    .action(async (modelPath: string, options: CArrayOptions) => {
      const bytes = readInputFile(modelPath, 'model');
      const headerPath = options.header ?? (options.output ? headerBeside(options.output) : undefined);
      if (options.output && headerPath && path.resolve(headerPath) === path.resolve(options.output)) {
        throw new UsageError(`the header would overwrite ${options.output}: give --header another file`);
      }
      const includeName = headerPath === undefined ? undefined
        : options.output ? includePath(options.output, headerPath) : path.basename(headerPath);
      const result = await generate(bytes, modelPath, options, includeName);
      if (!options.output) {
        process.stdout.write(result.source);
        if (headerPath && result.header !== null) writeOutputFile(headerPath, result.header);
        return;
      }
      writeOutputFile(options.output, result.source);
      const written = [options.output];
      if (headerPath && result.header !== null) {
        writeOutputFile(headerPath, result.header);
        written.push(headerPath);
      }
      process.stdout.write(`wrote ${written.join(' and ')}: ${result.name}[${bytes.byteLength}]\n`);
    });
}
