// `tinyml boards` as text: one row per profile.
import { table } from '../../inspect/format.js';
import { formatKb } from './fits.js';
import type { BoardProfile } from './profile.js';

export function formatBoards(boards: readonly BoardProfile[]): string {
  const rows = boards.map((b) => [
    b.id, b.name, b.mcu, b.core, `${b.clockHz / 1_000_000} MHz`, formatKb(b.flashBytes), formatKb(b.ramBytes),
    b.fpu, b.toolchain, b.upload, b.fqbn ?? '-',
  ]);
  const lines = table(['id', 'name', 'mcu', 'core', 'clock', 'flash', 'RAM', 'FPU', 'toolchain', 'upload', 'FQBN'], rows, [4, 5, 6]);
  return `${lines.join('\n')}\n(flash and RAM: what the application may use; \`tinyml boards --json\` has the notes)\n`;
}
