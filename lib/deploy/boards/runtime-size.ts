// What our C runtime (firmware/runtime) costs on each core besides the model and its arena.
// Measured by the firmware size report (`npm run bench` -> bench/results/firmware.json, or
// `tinyml firmware MODEL --board ID --size`; link map of the generated project, gcc -Os):
//   Cortex-M3, everything but the model array and the arena (core + kernels + serial app + board):
//     hello_world_int8 3491 B flash / 80 B RAM, micro_speech 5630 / 80, person_detect 6710 / 80.
//   ATmega328P, hello_world_int8: 9874 B flash / 90 B RAM (32- and 64-bit integer arithmetic is
//     long code on an 8-bit core, plus libgcc's multiply helpers).
// The flash figures leave room for models with more kernels than these; Cortex-M4F shares the
// Thumb-2 figures; Cortex-M0+ (Thumb-1) and Xtensa are not measured and keep the earlier budgets.
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
  'avr8': { flashBytes: 11 * 1024, ramBytes: 128, stackBytes: 256 },
  'cortex-m0plus': { flashBytes: 12 * 1024, ramBytes: 512, stackBytes: 1024 },
  'cortex-m3': { flashBytes: 8 * 1024, ramBytes: 128, stackBytes: 1024 },
  'cortex-m4f': { flashBytes: 8 * 1024, ramBytes: 128, stackBytes: 1024 },
  'xtensa-lx6': { flashBytes: 16 * 1024, ramBytes: 1024, stackBytes: 2048 },
};
