// Building a generated firmware project (lib/codegen/firmware-project.ts) with its own Makefile:
// the board image with its size and where the bytes go, or the host program (`make host`).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { footprintFromMap, type FootprintBreakdown } from '../../codegen/firmware-size';
import { parseSizeOutput, type BuiltFirmware } from './build';
import { requireTool } from './tools';

const execFileAsync = promisify(execFile);

export interface ProjectBuildOptions {
  /** Build directory (make's O=); default DIR/build. */
  outDir?: string;
  /** Extra compiler flags (EXTRA_CFLAGS), e.g. a define. */
  extraCflags?: string[];
}

export interface BuiltProject extends BuiltFirmware {
  /** Flash and RAM of the runtime core, kernels, model and the rest, from the link map. */
  footprint: FootprintBreakdown;
}

async function make(projectDir: string, goal: string[], options: ProjectBuildOptions): Promise<string> {
  requireTool('make');
  const outDir = path.resolve(options.outDir ?? path.join(projectDir, 'build'));
  const args = ['-s', '-C', projectDir, `O=${outDir}`, ...goal];
  if (options.extraCflags) args.push(`EXTRA_CFLAGS=${options.extraCflags.join(' ')}`);
  try {
    return (await execFileAsync('make', args, { maxBuffer: 1 << 24 })).stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    throw new Error(`building the firmware project in ${projectDir} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

/** `make` in a generated project that has a board target; `modelObject` is e.g. 'src/NAME_model.o'. */
export async function buildFirmwareProject(projectDir: string, modelObject: string, options: ProjectBuildOptions = {}): Promise<BuiltProject> {
  const outDir = path.resolve(options.outDir ?? path.join(projectDir, 'build'));
  const stdout = await make(projectDir, [], { ...options, outDir });
  const hex = path.join(outDir, 'firmware.hex');
  return {
    elf: path.join(outDir, 'firmware.elf'),
    hex: fs.existsSync(hex) ? hex : undefined,
    size: parseSizeOutput(stdout),
    footprint: footprintFromMap(fs.readFileSync(path.join(outDir, 'firmware.map'), 'utf8'), modelObject),
  };
}

/** `make host`: the firmware for this computer (frames on stdin, replies on stdout); returns its path. */
export async function buildHostProject(projectDir: string, options: ProjectBuildOptions = {}): Promise<string> {
  const outDir = path.resolve(options.outDir ?? path.join(projectDir, 'build'));
  await make(projectDir, ['host'], { ...options, outDir });
  return path.join(outDir, 'host', 'firmware');
}
