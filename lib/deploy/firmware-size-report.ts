// The firmware size report (`tinyml firmware --size`, bench/firmware.ts): generate the project,
// build it with its Makefile, and say where flash and RAM go (runtime core, kernels, model, the
// rest), measured from the link map and the target's `size`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { firmwareProject, FirmwareProjectError, writeProjectFiles } from '../codegen/firmware-project';
import type { Footprint, FootprintBreakdown } from '../codegen/firmware-size';
import type { BoardProfile } from './boards/profile';
import { buildFirmwareProject } from './emulators/project';

/** TFLM's core runtime on Cortex-M3, as issue 7 states it (TFLM's docs say "16 KB"). */
export const TFLM_CORE_CORTEX_M3_BYTES = Math.round(9.7 * 1024);

export interface FirmwareSizeRow {
  model: string;
  board: string;
  core: string;
  footprint: FootprintBreakdown;
  /** The whole image, from arm-none-eabi-size / avr-size. */
  total: Footprint;
  arenaBytes: number;
}

/** Generates and builds `modelBytes` for `board` in a temporary folder (removed afterwards). */
export async function measureFirmware(modelBytes: Uint8Array, board: BoardProfile, model: string): Promise<FirmwareSizeRow> {
  const project = firmwareProject(modelBytes, { board, name: model.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_') });
  if (project.makeTarget === null) {
    throw new FirmwareProjectError(`--size builds bare-metal targets only (qemu-mps2-an385, uno, simavr-atmega328p); ${board.name} builds through Arduino or PlatformIO`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-size-'));
  try {
    writeProjectFiles(dir, project.files);
    const built = await buildFirmwareProject(dir, project.modelObject);
    return {
      model,
      board: board.id,
      core: board.core,
      footprint: built.footprint,
      total: { flash: built.size.flash, ram: built.size.ram },
      arenaBytes: project.plan.arenaBytes,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const cell = (f: Footprint): string => `${f.flash} / ${f.ram}`;

/** Rows as a text table: flash / RAM bytes of each part. */
export function formatSizeTable(rows: FirmwareSizeRow[]): string {
  const header = ['model', 'board', 'core', 'kernels', 'model data', 'app + board', 'total', 'arena'];
  const body = rows.map((r) => [r.model, r.board, cell(r.footprint.core), cell(r.footprint.kernels), cell(r.footprint.model), cell(r.footprint.app), cell(r.total), String(r.arenaBytes)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...body.map(line), '',
    'flash / RAM in bytes (flash = text + data, RAM = data + bss; stack not included). Parts from the link map;',
    `core = runtime without kernels and model. TFLM's core on Cortex-M3: ${TFLM_CORE_CORTEX_M3_BYTES} B (9.7 KB).`].join('\n');
}
