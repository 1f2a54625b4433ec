// What our C runtime (firmware/runtime) costs on each core besides the model and its arena.
// The figures are the budgets issue 7 sets for the runtime (core <= 6 KB on Cortex-M3, a whole
// hello_world firmware <= 16 KB flash and <= 2 KB RAM on the Uno) rounded up with the kernels
// and UART code; the firmware size report (`tinyml firmware --size`, from arm-none-eabi-size /
// avr-size) measures the real ones, and this table is updated from it.
import type { Core } from './profile.js';

export interface RuntimeSize {
  /** Code and constant data: runtime core, kernels, startup and UART driver. */
  flashBytes: number;
  /** Globals: runtime state, tensor table, UART buffers. */
  ramBytes: number;
  /** Stack kept free for the deepest call chain (kernel + interrupt). */
  stackBytes: number;
}

export const RUNTIME_SIZE: Readonly<Record<Core, RuntimeSize>> = {
  'avr8': { flashBytes: 10 * 1024, ramBytes: 256, stackBytes: 256 },
  'cortex-m0plus': { flashBytes: 12 * 1024, ramBytes: 512, stackBytes: 1024 },
  'cortex-m3': { flashBytes: 12 * 1024, ramBytes: 512, stackBytes: 1024 },
  'cortex-m4f': { flashBytes: 12 * 1024, ramBytes: 512, stackBytes: 1024 },
  'xtensa-lx6': { flashBytes: 16 * 1024, ramBytes: 1024, stackBytes: 2048 },
};
