import type { Command } from 'commander';
import { examples } from '../help.js';

interface BoardsOptions {
  json?: boolean;
}

export function boardsCommand(program: Command): void {
  program
    .command('boards')
    .description('list the board profiles: flash, RAM, clock, core, toolchain, upload method')
    .option('--json', 'print the profiles as JSON (with notes on where each figure comes from)')
    .addHelpText('after', examples([
      ['tinyml boards', 'one row per board'],
      ['tinyml inspect model.tflite --board uno', 'does the model fit an Uno?'],
    ]))
    .action(async (options: BoardsOptions) => {
      const { BOARDS, formatBoards } = await import('../../deploy/boards/index.js');
      process.stdout.write(options.json ? `${JSON.stringify(BOARDS, null, 2)}\n` : formatBoards(BOARDS));
    });
}
