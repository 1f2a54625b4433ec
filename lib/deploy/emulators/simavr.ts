// The Arduino Uno target: an ATmega328P in simavr, through our harness firmware/sim/avr-uart-pty.c.
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { stopChild, waitForOutput } from './process';
import type { EmulatorSession } from './session';
import { firmwareRoot, requireTool } from './tools';

const execFileAsync = promisify(execFile);

export interface SimavrOptions {
  /** Bootloader hex (Optiboot) loaded beside the application; the core then starts at 0x7E00. */
  bootloader?: string;
  /** How long the core stays in reset after the pty opens (default: 1000 ms with a bootloader, else 0). */
  resetHoldMs?: number;
  /** Run as fast as the host can instead of paced to 16 MHz real time. */
  fast?: boolean;
  /** A prebuilt harness; by default it is built once into the OS temp directory. */
  harnessPath?: string;
  startTimeoutMs?: number;
}

/** Builds firmware/sim/avr-uart-pty (cached by source hash) and returns its path. */
export async function buildAvrHarness(outDir?: string): Promise<string> {
  requireTool('make');
  requireTool('gcc');
  const simDir = path.join(firmwareRoot(), 'sim');
  const source = fs.readFileSync(path.join(simDir, 'avr-uart-pty.c'));
  const hash = crypto.createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = outDir ?? path.join(os.tmpdir(), `tinyml-avr-uart-pty-${hash}`);
  const binary = path.join(dir, 'avr-uart-pty');
  if (fs.existsSync(binary) && !outDir) return binary;
  try {
    await execFileAsync('make', ['-s', '-C', simDir, `O=${dir}`]);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    if (/simavr\/sim_avr\.h|lsimavr/.test(stderr)) {
      throw new Error(`building the simavr harness failed: libsimavr not found: apt-get install libsimavr-dev\n${stderr}`);
    }
    throw new Error(`building the simavr harness failed:\n${stderr}`);
  }
  return binary;
}

/**
 * Builds Optiboot for the Uno (ATmega328P, 115200 baud, no LED flashes: 496 bytes) from the source
 * Debian's arduino-core-avr ships, and returns the hex path (cached in the OS temp directory).
 */
export async function buildOptiboot(outDir?: string): Promise<string> {
  requireTool('make');
  requireTool('avr-gcc');
  const simDir = path.join(firmwareRoot(), 'sim');
  const dir = outDir ?? path.join(os.tmpdir(), 'tinyml-optiboot');
  const hex = path.join(dir, 'optiboot_atmega328.hex');
  if (fs.existsSync(hex) && !outDir) return hex;
  try {
    await execFileAsync('make', ['-s', '-C', simDir, `O=${dir}`, 'optiboot']);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    const missing = stderr.match(/Optiboot source not found.*/);
    throw new Error(missing ? missing[0] : `building Optiboot failed:\n${stderr}`);
  }
  return hex;
}

/**
 * Starts the simulated Uno. `hexPath` is the application (an empty string with a bootloader
 * gives a board with erased application flash, ready for avrdude).
 */
export async function startSimavr(hexPath: string, options: SimavrOptions = {}): Promise<EmulatorSession> {
  if (!hexPath && !options.bootloader) throw new Error('startSimavr: give an application image, a bootloader, or both');
  if (hexPath && !fs.existsSync(hexPath)) throw new Error(`startSimavr: firmware image ${hexPath} does not exist`);
  const harness = options.harnessPath ?? (await buildAvrHarness());
  const args: string[] = [];
  if (options.bootloader) args.push('--boot', options.bootloader);
  if (options.resetHoldMs !== undefined) args.push('--reset-hold-ms', String(options.resetHoldMs));
  if (options.fast) args.push('--fast');
  if (hexPath) args.push(hexPath);
  const child = spawn(harness, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let match: RegExpMatchArray;
  try {
    match = await waitForOutput(child, /pty: (\/dev\/\S+)/, 'avr-uart-pty', options.startTimeoutMs ?? 10000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    ptyPath: match[1],
    pid: child.pid ?? -1,
    resume: async () => undefined,
    stop: () => stopChild(child),
  };
}
