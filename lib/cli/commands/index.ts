// The CLI's commands, in the order `tinyml --help` lists them: one line per command file.
export { inspectCommand } from './inspect.js';
export { cArrayCommand } from './c-array.js';
export { fromCArrayCommand } from './from-c-array.js';
export { runCommand } from './run.js';
export { quantizeCommand } from './quantize.js';
export { firmwareCommand } from './firmware.js';
export { boardsCommand } from './boards.js';
