import type { Command } from 'commander';
import { CArrayError } from '../../codegen/c-array-error.js';
import { CliError } from '../errors.js';
import { readInputText, writeOutputFile } from '../files.js';
import { examples } from '../help.js';

interface FromCArrayOptions {
  output: string;
  name?: string;
  validate: boolean;
}

/** `file:line:column: detail`, the form editors and compilers use, so the spot is one click away. */
function locate(file: string, err: CArrayError): string {
  const prefix = `line ${err.line}, column ${err.column}: `;
  const detail = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return `${file}:${err.line}:${err.column}: ${detail}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function fromCArrayCommand(program: Command): void {
  program
    .command('from-c-array')
    .description('recover a .tflite model from C source holding it as a byte array')
    .argument('<FILE>', 'C/C++ source or header, e.g. the output of xxd -i or tinyml c-array')
    .requiredOption('-o, --output <FILE>', 'where to write the model bytes')
    .option('--name <SYM>', 'which array to read when the file holds several')
    .option('--no-validate', 'write the bytes even if they are not a loadable model')
    .addHelpText('after', examples([
      ['tinyml from-c-array model_data.cc -o model.tflite', 'extract and check'],
      ['tinyml from-c-array model.h -o m.tflite --name g_model', 'pick one array'],
      ['tinyml from-c-array blob.h -o blob.bin --no-validate', 'any bytes'],
    ]))
    .action(async (file: string, options: FromCArrayOptions) => {
      const { fromCArray } = await import('../../codegen/c-array.js');
      const text = readInputText(file, 'C source');
      let bytes: Uint8Array;
      try {
        bytes = fromCArray(text, { name: options.name });
      } catch (err) {
        if (err instanceof CArrayError) throw new CliError(locate(file, err));
        throw err;
      }
      let verdict = 'not validated';
      if (options.validate) {
        const { loadModelBytes } = await import('../model-file.js');
        const model = loadModelBytes(bytes, `the array in ${file}`, '--no-validate writes it anyway');
        const operators = model.subgraphs.reduce((n, subgraph) => n + subgraph.operators.length, 0);
        const tensors = model.subgraphs.reduce((n, subgraph) => n + subgraph.tensors.length, 0);
        verdict = `a valid model: ${count(model.subgraphs.length, 'subgraph')}, ${count(operators, 'operator')}, ${count(tensors, 'tensor')}`;
      }
      writeOutputFile(options.output, bytes);
      process.stdout.write(`wrote ${options.output}: ${bytes.byteLength} bytes, ${verdict}\n`);
    });
}
