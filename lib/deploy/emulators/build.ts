// Building the firmware targets with their Makefiles (make + the target's cross compiler).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { firmwareRoot, requireTool } from './tools';

const execFileAsync = promisify(execFile);

export type FirmwareTarget = 'qemu-mps2-an385' | 'atmega328p';

const COMPILER: Record<FirmwareTarget, string> = {
  'qemu-mps2-an385': 'arm-none-eabi-gcc',
  atmega328p: 'avr-gcc',
};

export interface FirmwareSize {
  /** Code and constants in flash (what `size` calls text). */
  text: number;
  /** Initialised data: occupies flash and RAM. */
  data: number;
  /** Zeroed data: RAM only. */
  bss: number;
  flash: number;
  ram: number;
}

export interface BuiltFirmware {
  elf: string;
  /** Intel HEX for the AVR target (what avrdude and the simavr harness load). */
  hex?: string;
  size: FirmwareSize;
}

export interface BuildOptions {
  /** C sources replacing the stand-in application (the runtime, the model array, app_infer). */
  appSources?: string[];
  /** Extra compiler flags (defines, include paths). */
  extraCflags?: string[];
}

/** Parses the Berkeley format of arm-none-eabi-size / avr-size. */
export function parseSizeOutput(stdout: string): FirmwareSize {
  const line = stdout.split('\n').find((l) => /^\s*\d+\s+\d+\s+\d+\s+\d+/.test(l));
  if (!line) throw new Error(`size output not understood: ${stdout.trim()}`);
  const [text, data, bss] = line.trim().split(/\s+/).map(Number);
  return { text, data, bss, flash: text + data, ram: data + bss };
}

export async function buildFirmware(target: FirmwareTarget, outDir: string, options: BuildOptions = {}): Promise<BuiltFirmware> {
  requireTool('make');
  requireTool(COMPILER[target]);
  const targetDir = path.join(firmwareRoot(), 'targets', target);
  const args = ['-s', '-C', targetDir, `O=${outDir}`];
  if (options.appSources) args.push(`APP_SOURCES=${options.appSources.map((s) => path.resolve(s)).join(' ')}`);
  if (options.extraCflags) args.push(`EXTRA_CFLAGS=${options.extraCflags.join(' ')}`);
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('make', args));
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    throw new Error(`building ${target} firmware failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
  return {
    elf: path.join(outDir, 'firmware.elf'),
    hex: target === 'atmega328p' ? path.join(outDir, 'firmware.hex') : undefined,
    size: parseSizeOutput(stdout),
  };
}
