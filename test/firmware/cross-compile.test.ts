// The runtime is portable C99: every source builds warning-free for the host, Cortex-M3 and the
// ATmega328P (flash reads through TM_PROGMEM); the objects call nothing from libc but
// memcpy/memset and no floating-point helpers; and the Cortex-M3 core stays under the issue's
// 6 KB budget. Prints the code-size table (core vs kernels) per target.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { C_KERNELS } from '../../lib/codegen/plan/index.js';
import { CORE_SOURCES, RUNTIME_DIR, tempDir } from './host-runtime.js';

interface Target { name: string; cc: string; size: string; nm: string; flags: string[] }

const TARGETS: Target[] = [
  { name: 'host x86-64', cc: 'gcc', size: 'size', nm: 'nm', flags: [] },
  { name: 'Cortex-M3', cc: 'arm-none-eabi-gcc', size: 'arm-none-eabi-size', nm: 'arm-none-eabi-nm', flags: ['-mcpu=cortex-m3', '-mthumb', '-mfloat-abi=soft'] },
  { name: 'ATmega328P', cc: 'avr-gcc', size: 'avr-size', nm: 'avr-nm', flags: ['-mmcu=atmega328p', '-DTM_PROGMEM'] },
];
const KERNEL_SOURCES = [...new Set(Object.values(C_KERNELS).map((k) => k.source))];
/** The core proper: plan reader and flatbuffer reader (tm_fixedpoint.c serves SOFTMAX only). */
const CORE = ['tm_runtime.c', 'tm_flatbuffer.c'];
/** memcpy/memset, and compiler runtime helpers (`__*`, e.g. 64-bit integer ops on AVR); float helpers are checked apart. */
const ALLOWED_EXTERNAL = /^(memcpy|memset|__\w+)$/;

function available(cc: string): boolean {
  try {
    execFileSync(cc, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('firmware runtime: cross-compilation and size', () => {
  for (const target of TARGETS) {
    it(`${target.name}: all sources build with -Wall -Wextra -Werror -std=c99 -pedantic -Os; no float, no libc beyond memcpy/memset`, function () {
      if (!available(target.cc)) this.skip();
      const dir = tempDir('cross');
      const sizes = new Map<string, number>();
      const external = new Set<string>();
      for (const source of [...CORE_SOURCES, ...KERNEL_SOURCES]) {
        const object = path.join(dir, path.basename(source, '.c') + '.o');
        execFileSync(target.cc, ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror', '-Os', '-ffunction-sections', '-fdata-sections',
          '-fno-tree-loop-distribute-patterns', ...target.flags, '-I', RUNTIME_DIR, '-c', path.join(RUNTIME_DIR, source), '-o', object]);
        const [, line] = execFileSync(target.size, [object], { encoding: 'utf8' }).trim().split('\n');
        const [text, data] = line.trim().split(/\s+/).map(Number);
        sizes.set(source, text + data);
        for (const symbol of execFileSync(target.nm, ['-u', object], { encoding: 'utf8' }).split('\n')) {
          const name = symbol.trim().split(/\s+/).pop();
          if (name) external.add(name);
        }
      }
      const ownSymbols = /^tm_/;
      const foreign = [...external].filter((s) => !ownSymbols.test(s) && !ALLOWED_EXTERNAL.test(s));
      assert.deepEqual(foreign, [], `${target.name}: unexpected external symbols`);
      assert.ok(![...external].some((s) => /^__aeabi_[fd]|[sd]f[23]$|[sd]f[sd]i|float|double/.test(s)), 'floating point helpers linked');
      const total = (files: string[]): number => files.reduce((n, f) => n + (sizes.get(f) ?? 0), 0);
      const core = total(CORE);
      const kernels = total([...sizes.keys()].filter((f) => !CORE.includes(f)));
      console.log(`      ${target.name}: core ${core} B (plan + flatbuffer reader), kernels ${kernels} B ` +
        `(${[...sizes].filter(([f]) => !CORE.includes(f)).map(([f, n]) => `${path.basename(f, '.c').replace(/^tm_/, '')} ${n}`).join(', ')})`);
      if (target.name === 'Cortex-M3') assert.ok(core <= 6 * 1024, `core ${core} B exceeds issue 7's 6 KB target`);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
});
