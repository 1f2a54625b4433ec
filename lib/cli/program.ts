import { Command, CommanderError } from 'commander';
import * as commands from './commands/index.js';
import { CliError, EXIT_INPUT, EXIT_OK, EXIT_USAGE } from './errors.js';
import { examples } from './help.js';
import { packageVersion } from './version.js';

/** What every command file exports: adds itself (name, arguments, options, action) to the program. */
export type CommandDefinition = (program: Command) => void;

/**
 * The whole CLI as a commander program. Settings given here before the commands are added
 * (exitOverride, output) are inherited by every subcommand, so errors anywhere come back to
 * run() as exceptions instead of process.exit().
 */
export function createProgram(): Command {
  const program = new Command('tinyml')
    .description('TinyML tools for TensorFlow Lite models: inspect, run and quantize them, turn them into C arrays and firmware projects for boards.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [COMMAND]', 'show help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    // commander puts "(Did you mean inspect?)" on a line of its own; keep errors to one line.
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().replace(/\s*\n\s*/g, ' ')}\n`) })
    .configureHelp({ sortSubcommands: false })
    .addHelpText('after', examples([
      ['tinyml inspect model.tflite', 'ops, tensors, quantization'],
      ['tinyml c-array model.tflite -o model.cc', 'model.cc + model.h for firmware'],
      ['tinyml help c-array', 'options of one command'],
    ]));
  for (const define of Object.values(commands) as CommandDefinition[]) define(program);
  return program;
}

function writeError(message: string): void {
  process.stderr.write(`error: ${message}\n`);
}

/** Turns any failure into an exit code, printing one line for errors the user can fix. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander has already printed the help, version or its own one-line error.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_OK;
    return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof CliError) {
    writeError(err.message);
    return err.exitCode;
  }
  // Anything else is a bug in tinyml, not in the user's input: the stack helps a bug report.
  process.stderr.write(`tinyml: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  return EXIT_INPUT;
}

/** Parses argv (as process.argv, with node and script first) and runs the command. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return EXIT_OK;
  } catch (err) {
    return exitCodeFor(err);
  }
}
