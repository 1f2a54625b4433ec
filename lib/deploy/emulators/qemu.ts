// The Cortex-M3 target: QEMU's mps2-an385 board with UART0 on a pseudo-terminal.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

import { stopChild, waitForOutput } from './process';
import type { EmulatorSession } from './session';
import { requireTool } from './tools';

export interface QemuOptions {
  /** QEMU machine; the firmware in firmware/targets/qemu-mps2-an385 is built for mps2-an385. */
  machine?: string;
  /**
   * -icount shift: each instruction advances virtual time by 2^shift ns. 0 (default) makes the
   * firmware's SysTick counts deterministic; the firmware scales them for shift 0.
   */
  icountShift?: number;
  startTimeoutMs?: number;
}

export async function startQemu(imagePath: string, options: QemuOptions = {}): Promise<EmulatorSession> {
  const qemu = requireTool('qemu-system-arm');
  if (!fs.existsSync(imagePath)) throw new Error(`startQemu: firmware image ${imagePath} does not exist`);
  const args = [
    '-M', options.machine ?? 'mps2-an385',
    '-cpu', 'cortex-m3',
    '-display', 'none',
    '-nodefaults',
    '-monitor', 'stdio',
    '-serial', 'pty',
    '-S',
    '-icount', `shift=${options.icountShift ?? 0}`,
    '-kernel', imagePath,
  ];
  const child = spawn(qemu, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let match: RegExpMatchArray;
  try {
    match = await waitForOutput(child, /char device redirected to (\/dev\/\S+)/, 'qemu-system-arm', options.startTimeoutMs ?? 10000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  // Keep draining the monitor's output so QEMU never blocks on a full pipe.
  child.stdout.resume();
  child.stderr.resume();
  const monitor = (command: string): void => {
    if (child.stdin.writable) child.stdin.write(`${command}\n`);
  };
  return {
    ptyPath: match[1],
    pid: child.pid ?? -1,
    resume: async () => monitor('cont'),
    stop: () => stopChild(child, () => monitor('quit')),
  };
}
